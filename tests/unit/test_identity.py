from __future__ import annotations

import stat
from pathlib import Path

import pytest

from hutch import identity


@pytest.fixture(autouse=True)
def no_env_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUTCH_ROOT_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("HUTCH_ROOT_SECRET_ACCESS_KEY", raising=False)


def test_generated_once_per_data_dir_and_private(tmp_path: Path) -> None:
    first = identity.load_or_create(tmp_path)
    again = identity.load_or_create(tmp_path)
    assert first == again
    assert stat.S_IMODE((tmp_path / identity.ROOT_FILE).stat().st_mode) == 0o600
    assert first.root.access_key_id.startswith("AKIA") and len(first.root.access_key_id) == 20
    assert len(first.root.secret_access_key) == 40
    assert len(first.account_id) == 12 and first.account_id.isdigit()


def test_two_data_dirs_get_different_keys(tmp_path: Path) -> None:
    a = identity.load_or_create(tmp_path / "a")
    b = identity.load_or_create(tmp_path / "b")
    assert a.root.secret_access_key != b.root.secret_access_key
    assert a.root.access_key_id != b.root.access_key_id


def test_environment_keys_win_and_are_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUTCH_ROOT_ACCESS_KEY_ID", "AKIAENVENVENVENVENV1")
    monkeypatch.setenv("HUTCH_ROOT_SECRET_ACCESS_KEY", "s" * 40)
    inst = identity.load_or_create(tmp_path)
    assert inst.root.access_key_id == "AKIAENVENVENVENVENV1" and inst.root.from_env
    assert not (tmp_path / identity.ROOT_FILE).exists()


def test_half_set_environment_keys_are_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUTCH_ROOT_ACCESS_KEY_ID", "AKIAENVENVENVENVENV1")
    with pytest.raises(ValueError, match="both"):
        identity.load_or_create(tmp_path)


def test_export_lines_are_ready_to_paste(tmp_path: Path) -> None:
    inst = identity.load_or_create(tmp_path)
    lines = identity.export_lines(inst, "http://127.0.0.1:4577", "us-east-1")
    assert f"export AWS_ACCESS_KEY_ID={inst.root.access_key_id}" in lines
    assert "export AWS_ENDPOINT_URL=http://127.0.0.1:4577" in lines
