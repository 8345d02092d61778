"""Shared fixtures.

``live_stack`` runs ``python -m signposting serve`` exactly as ``make run`` does, on free loopback
ports with its own state directory, and on teardown sends it Ctrl-C (SIGINT) and checks that no
process it started is left behind. Its settings are passed to the stack explicitly
(``stack_settings``): in particular its gateway sends urgent alerts to ``duty_inbox``, an aiosmtpd
server on loopback that the session starts, so no test depends on (or changes) the environment's
SMTP settings and no alert can leave the machine.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from knowledge_base.store import EMBEDDING_CACHE_FILE
from settings import REPO_ROOT, Settings
from signposting.environment import settings_env

READY_TIMEOUT_SECONDS = 900  # a first run builds the knowledge base and trains Rasa (minutes on a busy machine)


@pytest.fixture(scope="session", autouse=True)
def trained_safety_classifier() -> None:
    """The safety classifier in the models directory, as `signposting train` leaves it: trained
    here only when its training data or code changed (a serving process never trains it)."""
    from settings import get_settings
    from signposting.training import ensure_safety_trained

    ensure_safety_trained(get_settings().models_dir)


@pytest.fixture
def signpost_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Sets a SIGNPOST_* variable for this test; the process's settings are read again with it, and
    again without it afterwards."""
    from settings import get_settings

    def set_variable(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_variable
    get_settings.cache_clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def processes_with_env(marker: str) -> list[int]:
    """PIDs whose environment mentions ``marker`` (the test stack's own state directory)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class DutyInbox(Message):
    """The duty inbox: mail that reached the session's SMTP server, kept in memory."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port
        self.messages: list[Any] = []

    def handle_message(self, message: Any) -> None:
        self.messages.append(message)


@pytest.fixture(scope="session")
def duty_inbox() -> Iterator[DutyInbox]:
    """An SMTP server (aiosmtpd) on a free loopback port for the session's stacks' urgent alerts."""
    inbox = DutyInbox(free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@dataclass
class LiveStack:
    settings: Settings
    process: subprocess.Popen[bytes]
    log_file: Path
    inbox: DutyInbox

    @property
    def gateway_url(self) -> str:
        return self.settings.gateway_url

    @property
    def demo_site_url(self) -> str:
        return self.settings.demo_site_url

    def output(self) -> str:
        return self.log_file.read_text(errors="replace")


def stack_settings(var_dir: Path, inbox: DutyInbox, **changes: Any) -> Settings:
    """Settings for a test stack: its own state directory, free loopback ports, and urgent alerts
    to ``inbox`` (checked every second), whatever the environment or a .env file says."""
    values: dict[str, Any] = {
        "var_dir": var_dir,
        "models_dir": REPO_ROOT / "models",  # shared with `make run`: train once, reuse
        # Shared the same way: each stack builds its own knowledge base, embedding only what no
        # earlier build did (vectors are keyed by model and text).
        "embedding_cache_file": REPO_ROOT / "var" / "kb" / EMBEDDING_CACHE_FILE,
        "demo_site_port": free_port(),
        "rasa_port": free_port(),
        "action_port": free_port(),
        "gateway_port": free_port(),
        # The end-to-end tests are many families talking from one address, faster than people type;
        # the default per-address limit (60 a minute) would refuse them. The limiter itself is
        # tested in tests/unit/test_gateway.py.
        "rate_limit_per_client": "1000/minute",
        # The dialogue tests check what the bot says (and the escalation stored with a safety reply),
        # on a machine other test runs also load; the short defaults (a reply or SENDIASS's number
        # within 5 s, the safety reply within 1 s) are the fault drills' subject.
        "rasa_timeout_seconds": 30.0,
        "safety_wait_seconds": 30.0,
        "smtp_host": "127.0.0.1",
        "smtp_port": inbox.port,
        "smtp_security": "none",
        "smtp_username": None,
        "smtp_password": None,
        "alert_to": ["duty@example.org"],
        "alert_poll_seconds": 1.0,
        "alert_retry_seconds": 1.0,
    }
    values.update(changes)
    return Settings(**values)


@contextmanager
def running_stack(settings: Settings, inbox: DutyInbox) -> Iterator[LiveStack]:
    """`python -m signposting serve` with these settings until the block ends, then Ctrl-C."""
    var_dir = settings.var_dir
    log_file = var_dir / "serve.log"
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "signposting", "serve", "--no-progress"],
            cwd=REPO_ROOT,
            env=settings_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    stack = LiveStack(settings, process, log_file, inbox)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while "Ready in" not in stack.output():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"`signposting serve` did not become ready:\n{stack.output()[-4000:]}")
        time.sleep(1)
    yield stack

    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("`signposting serve` did not stop within 60 s of Ctrl-C")
    time.sleep(0.5)
    left = processes_with_env(str(var_dir))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert code == 0, f"serve exited {code} after Ctrl-C:\n{stack.output()[-3000:]}"
    assert "All servers stopped." in stack.output()
    assert not left, f"processes left behind after Ctrl-C: {left}"


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory, duty_inbox: DutyInbox) -> Iterator[LiveStack]:
    """The whole assistant on SQLite files, shared by the session's end-to-end tests. Its gateway
    emails urgent alerts to ``duty_inbox`` (``live_stack.inbox``), never to a real server."""
    with running_stack(stack_settings(tmp_path_factory.mktemp("stack-var"), duty_inbox), duty_inbox) as stack:
        yield stack
