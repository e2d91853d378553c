"""Everything secret hutch keeps on disk is readable by its own user only."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.support.server import HutchServer


def test_the_data_dir_and_database_are_owner_only(hutch: HutchServer, client_factory) -> None:
    client_factory("iam").create_user(UserName="mode-probe")  # a write: the WAL exists now
    assert stat.S_IMODE(hutch.data_dir.stat().st_mode) == 0o700
    for name in ("hutch.db", "hutch.db-wal", "root-credentials.json", "account.json"):
        path = hutch.data_dir / name
        assert path.exists(), name
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, name


def test_a_world_readable_hutch_data_dir_is_tightened_at_start(tmp_path: Path) -> None:
    server = HutchServer(tmp_path / "loose").start()
    server.stop()
    server.data_dir.chmod(0o755)
    (server.data_dir / "hutch.db").chmod(0o644)
    server.start()
    try:
        assert stat.S_IMODE(server.data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE((server.data_dir / "hutch.db").stat().st_mode) == 0o600
    finally:
        server.stop()
