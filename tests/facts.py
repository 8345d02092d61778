"""The public contacts table of docs/facts.md, which the tests check code and content against."""

from __future__ import annotations

import re

from settings import REPO_ROOT

FACTS = REPO_ROOT / "docs" / "facts.md"
# A row of the table: | service | number | `setting` |
_ROW = re.compile(r"^\|[^|]+\|\s*([\d ]+?)\s*\|\s*`(\w+)`\s*\|$", re.MULTILINE)


def public_contacts() -> dict[str, str]:
    """Each public number as written in docs/facts.md, by the setting that holds it."""
    return {setting: number for number, setting in _ROW.findall(FACTS.read_text(encoding="utf-8"))}
