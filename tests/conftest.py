"""Shared fixtures.

``live_stack`` runs ``python -m signposting serve`` exactly as ``make run`` does, on free loopback
ports with its own state directory, and on teardown sends it Ctrl-C (SIGINT) and checks that no
process it started is left behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from signposting.environment import settings_env
from signposting.settings import REPO_ROOT, Settings

READY_TIMEOUT_SECONDS = 600  # a first run trains Rasa (about a minute) before starting it


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


@dataclass
class LiveStack:
    settings: Settings
    process: subprocess.Popen[bytes]
    log_file: Path

    @property
    def gateway_url(self) -> str:
        return self.settings.gateway_url

    @property
    def demo_site_url(self) -> str:
        return self.settings.demo_site_url

    def output(self) -> str:
        return self.log_file.read_text(errors="replace")


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    var_dir = tmp_path_factory.mktemp("stack-var")
    settings = Settings(
        var_dir=var_dir,
        models_dir=REPO_ROOT / "models",  # shared with `make run`: train once, reuse
        demo_site_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        gateway_port=free_port(),
        # The end-to-end tests are many families talking from one address, faster than people type;
        # the default per-address limit (60 a minute) would refuse them. The limiter itself is
        # tested in tests/unit/test_gateway.py.
        rate_limit_per_client="1000/minute",
    )
    log_file = var_dir / "serve.log"
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "signposting", "serve", "--no-progress"],
            cwd=REPO_ROOT,
            env=settings_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    stack = LiveStack(settings, process, log_file)
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
