"""The `hutch` command: serve, credentials, init, explain, and the admin helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from hutch import identity
from hutch.config import ConfigError, from_env

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__, rich_markup_mode=None)

DataDirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Data directory [env HUTCH_DATA_DIR, default ./data]")
]


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on [env HUTCH_HOST, default 127.0.0.1]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port [env HUTCH_PORT, default 4577]")] = None,
    data_dir: DataDirOpt = None,
    region: Annotated[
        str | None, typer.Option(help="AWS region served [env HUTCH_REGION, default us-east-1]")
    ] = None,
    public_url: Annotated[
        str | None, typer.Option("--public-url", help="URL clients use [env HUTCH_PUBLIC_URL]")
    ] = None,
    tls: Annotated[bool | None, typer.Option("--tls/--no-tls", help="Serve HTTPS [env HUTCH_TLS]")] = None,
    cert: Annotated[
        Path | None, typer.Option(help="TLS certificate (PEM) instead of the generated one")
    ] = None,
    key: Annotated[Path | None, typer.Option(help="TLS private key (PEM) for --cert")] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="SQLAlchemy URL [env HUTCH_DATABASE_URL]")
    ] = None,
    log_level: Annotated[str | None, typer.Option("--log-level", help="debug|info|warning")] = None,
    trusted_proxies: Annotated[
        str | None,
        typer.Option(
            "--trusted-proxies",
            help="Comma-separated IPs/networks of reverse proxies whose X-Forwarded-For/-Proto are believed"
            " [env HUTCH_TRUSTED_PROXIES, default none]",
        ),
    ] = None,
    header_timeout: Annotated[
        float | None,
        typer.Option(
            "--header-timeout",
            help="Seconds a connection has to send its request headers (and may pause inside a body)"
            " [env HUTCH_HEADER_TIMEOUT, default 30]",
        ),
    ] = None,
    max_connections: Annotated[
        int | None,
        typer.Option(
            "--max-connections",
            help="Connections served at once; past it requests get 503 and, a little further, connections"
            " are closed on accept [env HUTCH_MAX_CONNECTIONS, default 1000]",
        ),
    ] = None,
) -> None:
    """Start hutch: every service on one port."""
    from hutch.server import run

    try:
        config = from_env(
            host=host,
            port=port,
            data_dir=data_dir,
            region=region,
            public_url=public_url,
            tls=tls,
            tls_cert=cert,
            tls_key=key,
            database_url=database_url,
            log_level=log_level,
            trusted_proxies=trusted_proxies,
            header_timeout=header_timeout,
            max_connections=max_connections,
        )
    except ConfigError as exc:
        typer.echo(f"hutch: {exc}", err=True)
        raise typer.Exit(2) from None
    run(config)


@app.command()
def credentials(data_dir: DataDirOpt = None) -> None:
    """Print the root credentials of a data directory as export lines."""
    config = from_env(data_dir=data_dir)
    inst = identity.load_existing(config.data_dir)
    if inst is None:
        typer.echo(
            f"hutch credentials: {config.data_dir} is not a hutch data directory yet: start"
            f" `hutch serve --data-dir {config.data_dir}` once, or pass the --data-dir your server uses"
            " (or set HUTCH_DATA_DIR).",
            err=True,
        )
        raise typer.Exit(1)
    endpoint = identity.announced_endpoint(config.data_dir) or config.base_url
    for line in identity.export_lines(inst, endpoint, config.region):
        typer.echo(line)


@app.command()
def explain(
    request_id: Annotated[
        str | None, typer.Argument(help="Request id (default: the last denied request)")
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option(help="hutch URL [env HUTCH_ENDPOINT / AWS_ENDPOINT_URL]")
    ] = None,
    data_dir: DataDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw record")] = False,
) -> None:
    """Explain an authorization decision: why a request was allowed or denied."""
    from hutch.explain_cli import explain_command

    sys.exit(explain_command(request_id, endpoint, data_dir, as_json))


@app.command()
def init(
    bucket: Annotated[str, typer.Option("--bucket", help="Bucket for the users' files (created if missing)")],
    app_name: Annotated[
        str,
        typer.Option("--app", help="App name: names the pools and roles; seed layout folder cognito/APP/"),
    ],
    guest: Annotated[bool, typer.Option("--guest", help="Also give guests (not signed in) a role")] = False,
    layout: Annotated[
        str, typer.Option("--layout", help="seed: cognito/APP/<id>/ · amplify: public/ protected/ private/")
    ] = "seed",
    endpoint: Annotated[
        str | None, typer.Option(help="hutch URL [env HUTCH_ENDPOINT / AWS_ENDPOINT_URL]")
    ] = None,
    data_dir: DataDirOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the ids, Amplify config and snippets as JSON")
    ] = None,
    region: Annotated[str | None, typer.Option(help="Expected region (default: the server's)")] = None,
) -> None:
    """Set up the whole scenario on a running hutch: pools, roles, bucket. Safe to run again."""
    from hutch.init.command import init_command
    from hutch.init.setup import InitOptions

    options = InitOptions(
        bucket=bucket,
        app=app_name,
        guest=guest,
        layout=layout,  # type: ignore[arg-type]  # checked by init_command
        endpoint=endpoint,
        data_dir=data_dir,
        region=region,
    )
    sys.exit(init_command(options, output))


@app.command()
def outbox(
    pool: Annotated[str | None, typer.Option("--pool", help="Only this user pool")] = None,
    username: Annotated[str | None, typer.Option(help="Only this user")] = None,
    limit: Annotated[int, typer.Option(help="How many of the newest messages")] = 20,
    endpoint: Annotated[
        str | None, typer.Option(help="hutch URL [env HUTCH_ENDPOINT / AWS_ENDPOINT_URL]")
    ] = None,
    data_dir: DataDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw messages")] = False,
) -> None:
    """Show the confirmation codes, reset codes and invitations the default message sender kept."""
    from hutch.services.cognito_idp.cli import outbox_command

    sys.exit(outbox_command(endpoint, data_dir, pool, username, limit, as_json))


@app.command()
def ca(data_dir: DataDirOpt = None) -> None:
    """Print the path of the CA `hutch serve --tls` generated (for AWS_CA_BUNDLE / NODE_EXTRA_CA_CERTS)."""
    from hutch.tls import ca_path

    path = ca_path(from_env(data_dir=data_dir).data_dir)
    if not path.exists():
        typer.echo(f"hutch ca: no CA yet in {path.parent} (start `hutch serve --tls` once)", err=True)
        raise typer.Exit(1)
    typer.echo(str(path.resolve()))


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()


if __name__ == "__main__":
    main()
