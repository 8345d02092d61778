"""Rasa's REST webhook as the gateway sees it: a small HTTP server on loopback, for gateway tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[dict[str, Any]], list[dict[str, Any]]]


@contextmanager
def rasa_webhook(
    reply: Reply,
    answer_health: bool = False,
    delay_seconds: float = 0.0,
    outcomes: list[str] | None = None,
) -> Iterator[int]:
    """Serve POSTs with ``reply(request body)`` as JSON; yields the port, stops the server after.

    ``answer_health``: GETs (Rasa's ``/`` and the action server's ``/health`` probes) answer 200,
    so the gateway's /healthz sees both up.
    ``delay_seconds``: a slow Rasa, taking this long over each turn. ``outcomes`` then gets
    '<message>: answered', or '<message>: caller gone' when the caller hung up before the reply
    (nothing is written then).
    """

    class Webhook(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not answer_health:
                self.send_error(501)
                return
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if delay_seconds:
                time.sleep(delay_seconds)
                gone = self._caller_gone()
                if outcomes is not None:
                    outcomes.append(f"{body['message']}: {'caller gone' if gone else 'answered'}")
                if gone:
                    return
            payload = json.dumps(reply(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _caller_gone(self) -> bool:
            self.connection.setblocking(False)
            try:
                return bool(self.connection.recv(1, socket.MSG_PEEK) == b"")
            except BlockingIOError:
                return False
            finally:
                self.connection.setblocking(True)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
