"""Identifiers have AWS's formats and do not repeat."""

from __future__ import annotations

import re

from hutch import ids


def test_key_and_id_formats() -> None:
    for _ in range(500):
        assert re.fullmatch(r"ASIA[A-Z2-7]{16}", ids.access_key_id("ASIA"))
        assert re.fullmatch(r"AKIA[A-Z2-7]{16}", ids.access_key_id("AKIA"))
        assert re.fullmatch(r"[A-Za-z0-9+/]{40}", ids.secret_access_key())
        assert re.fullmatch(r"AROA[A-Z2-7]{17}", ids.unique_id("AROA"))


def test_no_repeats_and_every_character_used() -> None:
    keys = {ids.access_key_id("ASIA") for _ in range(2000)}
    assert len(keys) == 2000
    assert set("".join(k[4:] for k in keys)) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    secrets = "".join(ids.secret_access_key() for _ in range(500))
    assert len(set(secrets)) == 64
