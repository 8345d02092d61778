"""The supervisor's watching and stopping, on small real servers (Python's http.server on loopback).

The same code runs Rasa, the action server and the gateway; tests/e2e/test_fault_drills.py drills
it on the real ones. Here the servers start in a second, so restarts and backoff are quick to see.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from settings import Settings
from signposting.stack import Server, Stack, group_members, stop_all
from tests.conftest import free_port

# A server whose main process forks a worker that shares its process group, as Sanic does.
FORKING_SERVER = """
import http.server, os, sys, time
port = int(sys.argv[1])
if os.fork() == 0:
    time.sleep(3600)
http.server.ThreadingHTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def toy_server(name: str, tmp_path: Path) -> Server:
    port = free_port()
    return Server(
        name,
        [sys.executable, "-c", FORKING_SERVER, str(port)],
        dict(os.environ),
        f"http://127.0.0.1:{port}/",
        tmp_path / f"{name}.log",
    )


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    settings = Settings(
        var_dir=tmp_path,
        health_probe_interval_seconds=0.2,
        health_probe_timeout_seconds=0.5,
        health_probe_failures=2,
        restart_backoff_seconds=0.2,
        restart_backoff_max_seconds=1.0,
        stop_grace_seconds=2.0,
        startup_timeout_seconds=30.0,
    )
    toy = Stack.__new__(Stack)  # the real class, with toy servers instead of Rasa and friends
    toy.settings = settings
    toy._watch = {}
    toy.servers = [toy_server("first", tmp_path), toy_server("second", tmp_path)]
    toy.start()
    yield toy
    toy.stop()
    assert all(group_members(s.pid) == [] for s in toy.servers if s.pid is not None)


def supervise_until(stack: Stack, condition: Callable[[], object], timeout: float, what: str) -> list[str]:
    said: list[str] = []
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}; supervisor said {said}")
        stack.supervise(said.append)
        time.sleep(0.05)
    return said


def test_a_dead_server_is_restarted_alone_and_its_worker_does_not_outlive_it(stack: Stack) -> None:
    first, second = stack.servers
    old_pid, other_pid = first.pid, second.pid
    assert old_pid is not None
    wait_until(lambda: len(group_members(old_pid)) == 2, 10, "the worker forked")

    os.kill(old_pid, signal.SIGKILL)

    said = supervise_until(stack, lambda: stack.status()["first"] == "ready" and first.pid != old_pid, 30, "restart")
    assert group_members(old_pid) == []  # the orphaned worker was killed with its group
    assert second.pid == other_pid  # the other server was left alone
    assert any("The first stopped (exit -9)" in line for line in said)


def test_a_hung_server_is_noticed_by_its_probe_and_restarted(stack: Stack) -> None:
    first = stack.servers[0]
    old_pid = first.pid
    assert old_pid is not None

    os.kill(old_pid, signal.SIGSTOP)  # alive, so its exit code says nothing

    said = supervise_until(stack, lambda: stack.status()["first"] == "ready" and first.pid != old_pid, 30, "restart")
    assert group_members(old_pid) == []
    assert any("did not answer 2 health checks in a row" in line for line in said)


def test_a_server_that_keeps_dying_waits_longer_each_time(stack: Stack) -> None:
    first = stack.servers[0]
    first.command = [sys.executable, "-c", "raise SystemExit(3)"]  # from now on it cannot start
    assert first.pid is not None
    os.kill(first.pid, signal.SIGKILL)

    said = supervise_until(stack, lambda: stack._watch["first"].restarts >= 4, 30, "four restarts")
    waits = [line.split("starting it again in ")[1].split(" s.")[0] for line in said if "starting it again in" in line]
    assert waits[:4] == ["0.2", "0.4", "0.8", "1.0"]  # doubling up to restart_backoff_max_seconds
    assert stack.status()["second"] == "ready"


def test_stop_ends_a_stopped_server_and_the_workers_of_a_dead_one(stack: Stack) -> None:
    first, second = stack.servers
    assert first.pid is not None
    assert second.pid is not None
    wait_until(lambda: len(group_members(second.pid or 0)) == 2, 10, "the worker forked")
    os.kill(first.pid, signal.SIGSTOP)
    os.kill(second.pid, signal.SIGKILL)  # its worker is still running

    stop_all(stack.servers, grace_seconds=2.0)

    assert group_members(first.pid) == []
    assert group_members(second.pid) == []
