"""Benchmarks: ``python -m bench <name>``. Each prints a table and writes JSON to bench/results/."""

from __future__ import annotations

import argparse
import sys

from bench import ingestion_throughput, query_latency

BENCHMARKS = {"query-latency": query_latency.main, "ingestion": ingestion_throughput.main}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", choices=sorted(BENCHMARKS), help="which benchmark to run")
    parser.add_argument("--repeat", type=int, default=3, help="how many times to measure (default 3)")
    args = parser.parse_args(argv)
    return BENCHMARKS[args.name](args.repeat)


if __name__ == "__main__":
    sys.exit(main())
