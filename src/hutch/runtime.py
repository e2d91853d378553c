"""The running installation: configuration, storage, credentials and the service objects, wired once.

Services are created in dependency order (IAM before STS before the services that ask STS for sessions) and
reach each other only through the attributes here and the other service's public methods.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from hutch import datadir, identity
from hutch.auth.credentials import Credential, CredentialChain, StaticCredentials
from hutch.auth.principal import Principal
from hutch.auth.principal import root as root_principal
from hutch.config import Config
from hutch.store import engine as store_engine
from hutch.store.group_commit import GroupCommit

if TYPE_CHECKING:
    from hutch.access import Access
    from hutch.explain_log import ExplainLog

log = logging.getLogger("hutch")

# Service packages in the order they are created; each exposes `create(rt)` in its __init__ and registers
# its operation handlers when its `api` module is imported.
SERVICE_PACKAGES = ("iam", "sts", "s3", "cognito_idp", "cognito_identity")


class Runtime:
    def __init__(self, config: Config, *, engine: Engine | None = None) -> None:
        self.config = config
        datadir.prepare(config.data_dir)
        self.installation = identity.load_or_create(config.data_dir)
        self.account_id = self.installation.account_id
        self.region = config.region
        self.engine = engine or store_engine.create_engine(config.db_url)
        store_engine.migrate(self.engine)
        if not config.database_url:
            datadir.secure_database_files(config.data_dir)
        # Small write transactions from request handlers share commits (one fsync per batch).
        self.group = GroupCommit(self.engine)
        self.root_principal: Principal = root_principal(self.account_id, self.installation.root.access_key_id)
        self.credentials = CredentialChain(
            [
                StaticCredentials(
                    [
                        Credential(
                            self.installation.root.access_key_id,
                            self.installation.root.secret_access_key,
                            self.root_principal,
                        )
                    ]
                )
            ]
        )
        from hutch.access import Access
        from hutch.explain_log import ExplainLog

        self.explain: ExplainLog = ExplainLog()
        self.access: Access = Access(self)
        # (callable, period in seconds): housekeeping the server runs in a worker thread (e.g. expiring
        # abandoned multipart uploads). Services add theirs in create().
        self.maintenance: list[tuple[Callable[[], None], float]] = []
        self.services: dict[str, Any] = {}
        for name in SERVICE_PACKAGES:
            package = importlib.import_module(f"hutch.services.{name}")
            create = getattr(package, "create", None)
            if create is None:
                continue
            self.services[name] = create(self)
            importlib.import_module(f"hutch.services.{name}.api")

    def add_maintenance(self, task: Callable[[], None], every_seconds: float) -> None:
        self.maintenance.append((task, every_seconds))

    def service(self, name: str) -> Any:
        return self.services[name]

    def now(self) -> datetime:
        return datetime.now(UTC)

    def close(self) -> None:
        for svc in self.services.values():
            close = getattr(svc, "close", None)
            if close is not None:
                close()
        self.group.close()
        self.engine.dispose()
