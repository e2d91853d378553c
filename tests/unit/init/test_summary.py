"""The text `hutch init` prints."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hutch.init.report import Report
from hutch.init.summary import render
from tests.unit.init.test_output import setup


def test_a_first_run_lists_what_it_created_and_what_to_do_next() -> None:
    report = Report()
    report.created("user pool", "myapp (eu-west-1_AbC123)")
    report.updated("role", "hutch-myapp-authenticated", "policy hutch-storage")
    text = render(setup(), report, Path("myapp.json"))
    assert re.search(r"user pool\s+myapp \(eu-west-1_AbC123\)\s+created", text)
    assert "updated: policy hutch-storage" in text
    assert "everything was already as intended" not in text
    assert "admin-create-user --user-pool-id eu-west-1_AbC123 --username alice" in text
    assert "cognito/myapp/{identityId}/" in text
    assert "not the user pool's `sub`" in text
    assert "Wrote myapp.json" in text


def test_a_run_that_changed_nothing_says_so() -> None:
    report = Report()
    report.unchanged("bucket", "photos.web")
    assert "(everything was already as intended)" in render(setup(), report, None)


def test_amplify_storage_caveats_are_named_when_they_apply() -> None:
    report = Report()
    report.unchanged("bucket", "photos")
    plain = render(setup(), report, None)
    assert "https only" in plain
    tls = render(setup(endpoint="https://127.0.0.1:4577"), report, None)
    assert "https only" not in tls
    assert "without a dot" not in tls  # setup()'s bucket is photos.web
    undotted = render(replace(setup(), bucket="photos"), report, None)
    assert "a bucket without a dot as photos.127.0.0.1:4577" in undotted
