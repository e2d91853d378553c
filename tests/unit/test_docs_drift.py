"""The per-service pages in docs/services/ say exactly what the handler registry and botocore's models say."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_docs"] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_service_pages_match_the_code(gen_docs: ModuleType) -> None:
    expected = gen_docs.expected_pages()
    stale = [
        str(path.relative_to(REPO))
        for path, text in expected.items()
        if not path.exists() or path.read_text() != text
    ]
    assert not stale, f"out of date: {', '.join(stale)}; regenerate with `{gen_docs.COMMAND}`"


def test_every_service_hutch_serves_has_a_page(gen_docs: ModuleType) -> None:
    from hutch.wire.models import SERVICE_NAMES

    assert sorted(s.name for s in gen_docs.SERVICES) == sorted(SERVICE_NAMES)


def test_a_registered_handler_shows_as_implemented(gen_docs: ModuleType) -> None:
    service = next(s for s in gen_docs.SERVICES if s.name == "sts")
    section = gen_docs.operations_section(service, {"GetCallerIdentity"})
    assert "**1 of the" in section
    assert "API_GetCallerIdentity.html) | ✓ |" in section
    assert "API_AssumeRole.html) | — |" in section


def test_a_page_keeps_its_hand_written_parts(gen_docs: ModuleType) -> None:
    service = next(s for s in gen_docs.SERVICES if s.name == "sts")
    page = (
        f"# STS\n\nintro\n\n{gen_docs.BEGIN}\nstale table\n{gen_docs.END}\n\n## Known differences\n\nnotes\n"
    )
    rendered = gen_docs.render_page(service, {"AssumeRole"}, page)
    assert rendered.startswith("# STS\n\nintro\n\n")
    assert rendered.endswith(f"{gen_docs.END}\n\n## Known differences\n\nnotes\n")
    assert "stale table" not in rendered
    assert "API_AssumeRole.html) | ✓ |" in rendered


def test_a_page_without_markers_is_an_error_not_a_silent_rewrite(gen_docs: ModuleType) -> None:
    service = next(s for s in gen_docs.SERVICES if s.name == "sts")
    with pytest.raises(SystemExit, match="lost its markers"):
        gen_docs.render_page(service, set(), "# STS\n\nno markers here\n")
