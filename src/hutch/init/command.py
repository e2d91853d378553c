"""The `hutch init` command: run the set-up, print the summary, write the --output document."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from hutch.config import ConfigError
from hutch.init.connection import InitError
from hutch.init.names import InvalidName
from hutch.init.output import document
from hutch.init.policies import LAYOUTS
from hutch.init.setup import InitOptions, initialize
from hutch.init.summary import render


def init_command(options: InitOptions, output: Path | None) -> int:
    """Exit status: 0 done, 1 refused by the server, 2 bad arguments or no server/credentials."""
    if options.layout not in LAYOUTS:
        print(f"hutch init: --layout must be one of {', '.join(LAYOUTS)}", file=sys.stderr)
        return 2
    try:
        setup, report = initialize(options)
    except (InvalidName, ConfigError) as exc:
        print(f"hutch init: {exc}", file=sys.stderr)
        return 2
    except InitError as exc:
        print(f"hutch init: {exc}", file=sys.stderr)
        return exc.exit_code
    except ClientError as err:
        error = err.response.get("Error", {})
        print(
            f"hutch init: {err.operation_name} was refused: {error.get('Code')}: {error.get('Message')}",
            file=sys.stderr,
        )
        return 1
    except BotoCoreError as exc:
        print(f"hutch init: {exc}", file=sys.stderr)
        return 2
    if output is not None:
        _write(output, json.dumps(document(setup), indent=2) + "\n")
    print(render(setup, report, output))
    return 0


def _write(path: Path, text: str) -> None:
    # Replace the file whole: an app reading it never sees half a document.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
