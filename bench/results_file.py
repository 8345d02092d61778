"""Where benchmarks write their figures: bench/results/<name>.json, stamped with the time of the run."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from settings import REPO_ROOT

RESULTS_DIR = REPO_ROOT / "bench" / "results"


def write_results(name: str, figures: dict[str, Any]) -> Path:
    """Write one benchmark's figures as JSON and return the file's path (relative to the repository)."""
    out = RESULTS_DIR / f"{name.replace('-', '_')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "run_at": datetime.now(UTC).isoformat(timespec="seconds"), **figures}
    out.write_text(json.dumps(payload, indent=2))
    return out.relative_to(REPO_ROOT)


def repeat_option(argv: list[str] | None, default: int) -> int:
    """The ``--repeat N`` option shared by the timing benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=default, help=f"how many times to measure (default {default})")
    return int(parser.parse_args(argv or []).repeat)
