"""One node and two nodes behind nginx, on the same PostgreSQL and Redis, under the same load.

``python -m bench scale-out [--scenarios single,10x0] [--turns N] [--max-requests N] [--max-seconds S]``

Both set-ups are bench/cluster.py's: ``serve --no-build`` nodes sharing Rasa's tracker store and
the app database on PostgreSQL and the lock store on Redis (Debian's packages on loopback), with
nginx in front, so the only difference is the number of nodes. The families, scenarios and figures
are ``python -m bench load``'s; CPU per turn is added up over the nodes' servers (PostgreSQL, Redis
and nginx are not counted). Each set-up gets fresh databases. It serves the current knowledge-base
build and Rasa model: run ``python -m signposting build`` and ``train`` (or ``make build train``) first.
"""

from __future__ import annotations

import argparse

from bench import load, services
from bench.cluster import cluster, require_build_and_model, shared_stores
from bench.results_file import write_results
from settings import REPO_ROOT, get_settings

DEFAULT_SCENARIOS = "single,10x0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale-out", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default=DEFAULT_SCENARIOS, help=f"of {', '.join(load.SCENARIOS)}")
    parser.add_argument("--nodes", default="1,2", help="the set-ups to compare, as node counts (default 1,2)")
    parser.add_argument("--turns", type=int, default=6, help="turns in one conversation (default 6)")
    parser.add_argument("--max-requests", type=int, default=2000, help="turns per scenario at most (default 2000)")
    parser.add_argument("--max-seconds", type=float, default=180, help="no turn starts after this (default 180)")
    args = parser.parse_args(argv)
    scenarios = [s for s in args.scenarios.split(",") if s]
    if set(scenarios) - set(load.SCENARIOS):
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(set(scenarios) - set(load.SCENARIOS)))}")
    settings = get_settings()
    require_build_and_model(settings)
    outcomes: list[load.Outcome] = []
    try:
        with shared_stores() as (postgres, redis):
            for count in (int(n) for n in args.nodes.split(",")):
                base = REPO_ROOT / "var" / "bench" / f"scale-out-{count}"
                print(f"Starting {count} node(s) behind nginx ...", flush=True)
                with cluster(base, count, postgres, redis, settings.kb_dir, language_low_memory=True) as running:
                    target = load.Target(
                        f"{count} node{'s' if count > 1 else ''}",
                        running.url,
                        tuple(node.settings.var_dir for node in running.nodes),
                        running.tracker_url,
                    )
                    outcomes += load.measure(target, scenarios, args, warm_up=count)
    except services.ServiceError as exc:
        raise SystemExit(str(exc)) from exc
    print(load.table(outcomes))
    out = write_results("scale_out", {"results": [o.figures() for o in outcomes]})
    print(f"\nwritten to {out}")
    return 0
