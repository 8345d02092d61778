"""schemathesis against the gateway's OpenAPI schema (issue 12, bad input): requests generated from
the schema, valid and invalid, sent to a real uvicorn server on loopback; none gets a 5xx.

The schema is the app's own (``app.openapi()``), so the check needs neither /docs nor the network.
Behind the gateway every part is up, so a 5xx could only be the gateway's own failure: Rasa and the
action server are a small loopback HTTP server answering as Rasa does (tests/rasa_webhook.py), the
knowledge base is the small real build of tests/integration/test_search.py, the app database SQLite.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.modes import GenerationMode

from gateway.app import create_app
from settings import Settings
from tests.conftest import free_port
from tests.integration.test_search import kb_root  # noqa: F401  (fixture)
from tests.rasa_webhook import rasa_webhook


def rasa_reply(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"recipient_id": body.get("sender", ""), "text": "An EHC needs assessment takes up to 20 weeks."}]


class Served:
    def __init__(self, app: FastAPI, url: str) -> None:
        self.app = app
        self.url = url


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, kb_root: Path) -> Iterator[Served]:  # noqa: F811
    with rasa_webhook(rasa_reply, answer_health=True) as port:
        app = create_app(
            Settings(
                var_dir=tmp_path_factory.mktemp("api-schema"),
                knowledge_base_dir=kb_root,
                rasa_port=port,
                action_port=port,
                rate_limit_per_client="100000/minute",
                rate_limit_per_conversation="100000/minute",
            )
        )
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 300  # start-up loads the safety and language models
        while not server.started:
            assert thread.is_alive(), "the gateway stopped during start-up"
            assert time.monotonic() < deadline, "the gateway did not start"
            time.sleep(0.05)
        url = f"http://127.0.0.1:{server.config.port}"
        # Everything up first: otherwise a 503 from /healthz would be the truth, not a fault.
        assert httpx.get(f"{url}/healthz", timeout=60).json()["status"] == "ok"
        try:
            yield Served(app, url)
        finally:
            server.should_exit = True
            thread.join(timeout=15)


def test_the_schema_covers_the_public_api(served: Served) -> None:
    paths = set(served.app.openapi()["paths"])
    assert {"/api/chat", "/api/search", "/healthz", "/api/widget-config"} <= paths


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_server_error(served: Served, mode: GenerationMode) -> None:
    """Requests that fit the schema (positive) and that break it (negative), for every operation."""
    schema = schemathesis.openapi.from_dict(served.app.openapi())
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the schema has an operation schemathesis cannot read: {result.err()}"
        operations.append(result.ok())
    assert len(operations) >= 4
    if mode == GenerationMode.NEGATIVE:
        # A request that breaks the schema needs something to break: a parameter or a body.
        operations = [op for op in operations if len(op.query) or len(op.body) or len(op.path_parameters)]
        assert {op.label for op in operations} >= {"POST /api/chat", "GET /api/search"}
    for operation in operations:

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(base_url=served.url, checks=[not_a_server_error])

        no_server_error()
