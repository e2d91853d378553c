"""The data directory holds every secret hutch has (root keys, token signing keys, IAM and STS secrets in the
database, object bytes): it and everything in it are readable by this user only."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("hutch")

DB_FILES = ("hutch.db", "hutch.db-wal", "hutch.db-shm")
_STARTING = {".lock", "server.json", "server.tmp"}


def prepare(path: Path) -> None:
    """Create the directory 0700, or tighten an existing hutch data directory to 0700."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 == 0:
        return
    # Ours: an installation (account.json), or nothing yet but what a starting server just put there.
    ours = (path / "account.json").exists() or all(p.name in _STARTING for p in path.iterdir())
    if ours:
        path.chmod(0o700)
    else:
        log.warning(
            "data directory %s is readable by other users (mode %o) and holds hutch's secrets; chmod 700 it",
            path,
            mode,
        )


def secure_database_files(path: Path) -> None:
    """SQLite creates its files with the process umask; its -wal and -shm files copy the database's mode."""
    for name in DB_FILES:
        file = path / name
        try:
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                os.chmod(file, 0o600)
        except FileNotFoundError:
            continue
