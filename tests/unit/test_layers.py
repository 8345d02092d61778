"""The packages stack up: settings at the bottom, the CLI and supervisor (signposting) at the top.

Below the top, settings are received, not read: only the start-up places in SETTINGS_READERS read them.
"""

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


# Where a process starts below the CLI: they read the settings once and hand them down.
SETTINGS_READERS = {
    "gateway/app.py",  # create_app: the gateway and the staff console it mounts
    "actions/startup.py",  # rasa-sdk builds the actions itself, so the action server reads them here
}


def settings_reads(package: str) -> set[str]:
    """'file:line' for every call of get_settings() or Settings(...) in a package's files."""
    found: set[str] = set()
    for path in (REPO_ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in ("get_settings", "Settings"):
                    found.add(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", [p for p in LOWER if p != "settings"])
def test_lower_packages_receive_settings_rather_than_read_them(package: str) -> None:
    reads = {place for place in settings_reads(package) if place.partition(":")[0] not in SETTINGS_READERS}
    assert reads == set()


def test_the_start_up_places_do_read_settings() -> None:
    # Keeps the allowance honest: a start-up place that no longer reads them leaves the list.
    readers = {place.partition(":")[0] for package in ("gateway", "actions") for place in settings_reads(package)}
    assert readers == SETTINGS_READERS
