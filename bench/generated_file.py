"""Files the benchmarks generate from the read answer sets, and the check that they are current."""

from __future__ import annotations

from pathlib import Path


def write_or_check(path: Path, text: str, command: str, check: bool) -> bool:
    """Write ``text`` to ``path``; with ``check``, write nothing and say whether the file already holds it.

    Returns False only when a check finds the file out of date (``command`` is what regenerates it).
    """
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if check:
        if current != text:
            print(f"{path} is out of date: run {command}")
            return False
        print(f"{path} is up to date")
        return True
    path.write_text(text, encoding="utf-8")
    return True
