"""The packages stack up: settings at the bottom, the CLI and supervisor (signposting) at the top."""

from __future__ import annotations

import ast

import pytest

from settings import REPO_ROOT

LOWER = [
    "settings", "actions", "app_store", "demo_site", "gateway", "glossary", "ingestion", "insights",
    "knowledge_base", "language", "privacy", "safety", "staff_console",
]  # fmt: skip
PROJECT = {*LOWER, "signposting", "bench", "tests"}


def imported(package: str) -> set[tuple[str, str]]:
    """(file, top-level module) for every project module a package's files import."""
    found: set[tuple[str, str]] = set()
    for path in (REPO_ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found |= {(str(path.relative_to(REPO_ROOT)), name.split(".")[0]) for name in names}
    return {(file, top) for file, top in found if top in PROJECT}


@pytest.mark.parametrize("package", LOWER)
def test_no_lower_package_imports_the_cli_benchmarks_or_tests(package: str) -> None:
    assert {(file, top) for file, top in imported(package) if top in {"signposting", "bench", "tests"}} == set()


def test_settings_imports_none_of_the_project() -> None:
    assert imported("settings") == set()
