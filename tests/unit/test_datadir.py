from __future__ import annotations

import stat
from pathlib import Path

from hutch import datadir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_dir_is_private(tmp_path: Path) -> None:
    datadir.prepare(tmp_path / "new" / "data")
    assert mode(tmp_path / "new" / "data") == 0o700


def test_an_existing_hutch_data_dir_is_tightened(tmp_path: Path) -> None:
    d = tmp_path / "old"
    d.mkdir(mode=0o755)
    d.chmod(0o755)
    (d / "account.json").write_text("{}")
    datadir.prepare(d)
    assert mode(d) == 0o700


def test_someone_elses_directory_is_left_alone(tmp_path: Path) -> None:
    d = tmp_path / "home"
    d.mkdir()
    d.chmod(0o755)
    (d / "notes.txt").write_text("mine")
    datadir.prepare(d)
    assert mode(d) == 0o755


def test_database_files_become_owner_only(tmp_path: Path) -> None:
    for name in datadir.DB_FILES:
        (tmp_path / name).write_text("")
        (tmp_path / name).chmod(0o644)
    datadir.secure_database_files(tmp_path)
    assert all(mode(tmp_path / n) == 0o600 for n in datadir.DB_FILES)
