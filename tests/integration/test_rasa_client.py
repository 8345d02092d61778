"""The gateway's Rasa client against a slow Rasa on loopback: the family is not kept waiting, and
the turn is not dropped (Rasa stores a turn only when it finishes it)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gateway.rasa_client import RasaClient, RasaUnavailable

RASA_SECONDS = 1.2  # how long the slow Rasa takes over a turn


@contextmanager
def slow_rasa() -> Iterator[tuple[int, list[str]]]:
    """A webhook that takes RASA_SECONDS, then notes whether the caller was still there to be answered."""
    seen: list[str] = []

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(RASA_SECONDS)
            self.connection.setblocking(False)
            try:
                hung_up = self.connection.recv(1, socket.MSG_PEEK) == b""
            except BlockingIOError:
                hung_up = False
            finally:
                self.connection.setblocking(True)
            seen.append(f"{body['message']}: {'caller gone' if hung_up else 'answered'}")
            if hung_up:
                return
            payload = json.dumps([{"recipient_id": body["sender"], "text": "late reply"}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def _late_turn(port: int, finish_seconds: float | None) -> float:
    client = RasaClient(f"http://127.0.0.1:{port}", timeout_seconds=0.3, finish_seconds=finish_seconds)
    started = time.monotonic()
    with pytest.raises(RasaUnavailable, match="in time"):
        await client.send("family-0001", "how long does it take", "parent")
    waited = time.monotonic() - started
    await client.close()  # waits (briefly) for the turn Rasa is still finishing
    return waited


def test_a_late_turn_is_not_waited_for_but_rasa_finishes_it() -> None:
    with slow_rasa() as (port, seen):
        waited = asyncio.run(_late_turn(port, finish_seconds=10))
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    assert waited < RASA_SECONDS
    assert seen == ["how long does it take: answered"]


def test_without_time_to_finish_the_turn_is_dropped() -> None:
    # The same slow Rasa, with no time given to finish: the caller hangs up, which is what lost
    # turns under load before (and shows the check above can fail).
    with slow_rasa() as (port, seen):
        asyncio.run(_late_turn(port, finish_seconds=None))
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    assert seen == ["how long does it take: caller gone"]
