"""The assistant scaled out on standard parts, on loopback: several nodes behind nginx.

Each node is ``signposting serve`` (Rasa, action server, gateway) with its own ports and state
directory. The nodes share what a real cluster shares: Rasa's tracker store and the app database
on one PostgreSQL server, Rasa's lock store on Redis, one knowledge-base build and one Rasa model.
nginx shares requests round-robin between the gateways, so the turns of one conversation go to
different nodes. Every node starts with ``serve --no-build``: it serves a build and a model made
beforehand, as a deployment's nodes serve the build shipped to them (docs/deployment.md).

PostgreSQL, Redis and nginx are Debian's packages, started unprivileged from temporary
directories (bench/services.py). Used by tests/e2e/test_scale_out.py and ``python -m bench scale-out``.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench import services
from bench.stack_runner import RunningStack, running_stack
from knowledge_base.search import KnowledgeBaseError, check_current
from settings import REPO_ROOT, Settings
from signposting.training import MODEL_NAME


@dataclass(frozen=True)
class Cluster:
    nodes: list[RunningStack]
    front: services.NginxFront
    tracker_url: str
    app_database_url: str
    lock_store_url: str

    @property
    def url(self) -> str:
        """Where families' requests go: nginx in front of the gateways."""
        return self.front.url

    def user_messages(self, sender: str) -> list[str]:
        """The user messages Rasa stored for ``sender``, in order, read from the shared tracker store."""
        engine = create_engine(self.tracker_url)
        try:
            with engine.connect() as db:
                rows = db.execute(
                    text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                    {"s": sender},
                ).fetchall()
        finally:
            engine.dispose()
        return [json.loads(row[0])["text"] for row in rows]


def require_build_and_model(settings: Settings) -> None:
    """Stop, saying what to run, unless there is a knowledge-base build and a Rasa model for nodes to serve."""
    try:
        check_current(settings.kb_dir)
    except (KnowledgeBaseError, ValueError, OSError) as exc:
        raise SystemExit(f"No usable knowledge base in {settings.kb_dir} ({exc}): run `make build` first.") from exc
    if not (REPO_ROOT / "models" / f"{MODEL_NAME}.tar.gz").is_file():
        raise SystemExit("No trained Rasa model in models/: run `make train` first.")


@contextlib.contextmanager
def shared_stores() -> Iterator[tuple[services.PostgresServer, services.RedisServer]]:
    """PostgreSQL and Redis for a cluster, installed from Debian's packages if missing."""
    services.ensure_packages("postgresql", "redis-server", "nginx")
    with services.postgres_server() as postgres, services.redis_server() as redis:
        yield postgres, redis


@contextlib.contextmanager
def cluster(
    base: Path,
    nodes: int,
    postgres: services.PostgresServer,
    redis: services.RedisServer,
    knowledge_base_dir: Path,
    root: Path = REPO_ROOT,
    **overrides: Any,
) -> Iterator[Cluster]:
    """``nodes`` nodes in state directories under ``base``, sharing fresh databases on ``postgres``,
    a lock store on ``redis`` and the build in ``knowledge_base_dir`` (with the Rasa model in
    models/), behind nginx. The nodes run the code in ``root`` (this tree by default; a baseline
    worktree to compare). Each node is stopped with Ctrl-C afterwards."""
    name = uuid.uuid4().hex[:8]
    shared: dict[str, Any] = {
        "tracker_store_url": postgres.create_database(f"tracker_{name}"),
        "app_database_url": postgres.create_database(f"app_{name}"),
        "lock_store_url": redis.url(),
        "knowledge_base_dir": knowledge_base_dir,
    }
    with contextlib.ExitStack() as stack:
        running = []
        for index in range(nodes):
            running.append(
                stack.enter_context(
                    running_stack(
                        f"node-{index + 1}",
                        root,
                        var_dir=base / f"node-{index + 1}",
                        serve_args=("--no-build",),
                        # The nodes load their servers side by side, but one at a time brings the
                        # shared app database to the newest migration (printed before 'Starting').
                        wait_for="Starting Rasa",
                        **shared,
                        **overrides,
                    )
                )
            )
        for node in running:
            node.wait_until_said("Ready in")
        front = stack.enter_context(services.nginx_front([node.settings.gateway_port for node in running]))
        yield Cluster(
            running,
            front,
            str(shared["tracker_store_url"]),
            str(shared["app_database_url"]),
            str(shared["lock_store_url"]),
        )
