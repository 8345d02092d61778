"""Fault drills through the running stack (issue 12): kill, hang and interrupt real servers.

One stack for the module, launched the hard way: as a shell script's background job, where
SIGINT starts ignored. The tests run in file order; the last one stops the stack with Ctrl-C while
conversations are in flight, so each drill leaves the stack healthy for the next (it waits for
that); the Ctrl-C drill comes after every drill that needs the stack, and the start-up rebuild of
a damaged knowledge base uses its state directory after it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app_store import AppStore
from knowledge_base.search import check_current
from settings import REPO_ROOT, Settings
from signposting.environment import settings_env
from signposting.stack import group_members
from tests.conftest import READY_TIMEOUT_SECONDS, DutyInbox, processes_with_env, stack_settings

pytestmark = pytest.mark.e2e

RESTART_TIMEOUT_SECONDS = 240  # noticing (a few probes) plus Rasa's model load on a busy machine


@dataclass
class ScriptStack:
    """`signposting serve` started by a script as a background job (SIGINT ignored on entry)."""

    settings: Settings
    pid: int
    log_file: Path

    @property
    def gateway(self) -> str:
        return self.settings.gateway_url

    def output(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except FileNotFoundError:  # the background job opens it a moment after the script returns
            return ""

    def processes(self) -> list[int]:
        return processes_with_env(str(self.settings.var_dir))

    def servers(self) -> dict[str, int]:
        """Each server's main process (the leader of its own process group)."""
        found = {}
        for pid in self.processes():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                if os.getpgid(pid) != pid:
                    continue
            except OSError:
                continue
            for name, marker in (("actions", "rasa_sdk"), ("rasa", " run --model"), ("gateway", "uvicorn")):
                if marker in cmdline:
                    found[name] = pid
        return found

    def health(self) -> dict[str, Any]:
        try:
            return dict(httpx.get(f"{self.gateway}/healthz", timeout=10).json())
        except (httpx.HTTPError, ValueError):
            return {}


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.5)


def sigint_ignored(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def chat(stack: ScriptStack, message: str, sender: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(f"{stack.gateway}/api/chat", json={"sender_id": sender, "message": message}, timeout=timeout)


@pytest.fixture(scope="module")
def drill_stack(tmp_path_factory: pytest.TempPathFactory, duty_inbox: DutyInbox) -> Iterator[ScriptStack]:
    var_dir = tmp_path_factory.mktemp("drill-var")
    settings = stack_settings(
        var_dir,
        duty_inbox,
        health_probe_interval_seconds=1.0,
        health_probe_timeout_seconds=2.0,
        health_probe_failures=3,
        restart_backoff_seconds=1.0,
        # The short defaults are what these drills test (the shared test stack waits longer).
        rasa_timeout_seconds=Settings().rasa_timeout_seconds,
        safety_wait_seconds=Settings().safety_wait_seconds,
        outbox_retry_seconds=2.0,
    )
    log_file = var_dir / "serve.log"
    pid_file = var_dir / "serve.pid"
    # A non-interactive shell starts `&` jobs with SIGINT and SIGQUIT ignored: the launch context
    # in which `serve` used to ignore Ctrl-C for good.
    script = f'"{sys.executable}" -m signposting serve --no-progress > "{log_file}" 2>&1 & echo $! > "{pid_file}"'
    subprocess.run(["/bin/sh", "-c", script], cwd=REPO_ROOT, env=settings_env(settings), check=True)
    stack = ScriptStack(settings, int(pid_file.read_text()), log_file)
    try:
        wait_until(
            lambda: "Ready in" in stack.output() or not Path(f"/proc/{stack.pid}").exists(),
            READY_TIMEOUT_SECONDS,
            "serve ready",
        )
        assert "Ready in" in stack.output(), stack.output()[-4000:]
        yield stack
    finally:
        for pid in stack.processes():  # only if a drill failed before the Ctrl-C drill
            os.kill(pid, signal.SIGKILL)


def wait_healthy(stack: ScriptStack) -> None:
    wait_until(lambda: stack.health().get("status") == "ok", RESTART_TIMEOUT_SECONDS, "healthz ok")


def test_a_background_job_really_starts_with_sigint_ignored() -> None:
    """The premise of the Ctrl-C drill: the launch context ignores SIGINT in the child."""
    out = subprocess.run(["/bin/sh", "-c", "sleep 30 & echo $!"], capture_output=True, text=True, check=True)
    pid = int(out.stdout)
    try:
        assert sigint_ignored(pid)
    finally:
        os.kill(pid, signal.SIGKILL)


def assert_unavailable_reply_in_time(stack: ScriptStack, message: str, sender: str) -> httpx.Response:
    """A reply within 5 s: the answer, or a plain message with SENDIASS's number."""
    started = time.monotonic()
    reply = chat(stack, message, sender, timeout=30)
    elapsed = time.monotonic() - started
    assert elapsed <= 5.0, f"reply took {elapsed:.1f} s"
    if reply.status_code != 200:
        assert reply.status_code == 502
        assert stack.settings.sendiass_phone in reply.json()["detail"]
    return reply


def wait_for_answer(stack: ScriptStack, message: str, sender: str) -> dict[str, Any]:
    """Ask until the stack answers (a restarted server loads its models first); every try in 5 s."""
    deadline = time.monotonic() + RESTART_TIMEOUT_SECONDS
    while True:
        reply = assert_unavailable_reply_in_time(stack, message, sender)
        if reply.status_code == 200:
            return dict(reply.json())
        assert time.monotonic() < deadline, "no answer after the restart"
        time.sleep(2)


def test_a_killed_action_server_worker_is_noticed_and_restarted(drill_stack: ScriptStack) -> None:
    wait_healthy(drill_stack)
    sender = uuid.uuid4().hex
    first = wait_for_answer(drill_stack, "How do I ask for an EHC needs assessment?", sender)
    assert any(m["sources"] for m in first["messages"]), first
    before = drill_stack.servers()
    workers = [pid for pid in group_members(before["actions"]) if pid != before["actions"]]
    assert workers, "the action server has no worker process"

    for pid in workers:
        os.kill(pid, signal.SIGKILL)

    # Mid-conversation: the family hears something useful within 5 s, whatever state it is in.
    assert_unavailable_reply_in_time(drill_stack, "what is an annual review", sender)
    wait_until(
        lambda: drill_stack.servers().get("actions") not in (None, before["actions"]),
        RESTART_TIMEOUT_SECONDS,
        "a new action server",
    )
    wait_healthy(drill_stack)
    after = drill_stack.servers()
    assert (after["rasa"], after["gateway"]) == (before["rasa"], before["gateway"])  # the others kept running
    assert group_members(before["actions"]) == []  # nothing of the old one is left
    # The same conversation goes on.
    later = wait_for_answer(drill_stack, "How do I ask for an EHC needs assessment?", sender)
    assert any(m["sources"] for m in later["messages"]), later


def test_a_killed_action_server_main_process_leaves_no_orphans(drill_stack: ScriptStack) -> None:
    wait_healthy(drill_stack)
    before = drill_stack.servers()
    old_group = group_members(before["actions"])
    assert len(old_group) >= 2  # the main process and its Sanic worker

    os.kill(before["actions"], signal.SIGKILL)

    wait_until(lambda: group_members(before["actions"]) == [], 30, "the old worker gone")
    wait_healthy(drill_stack)
    after = drill_stack.servers()
    assert after["actions"] != before["actions"]
    assert (after["rasa"], after["gateway"]) == (before["rasa"], before["gateway"])
    assert "The action server stopped (exit -9); starting it again" in drill_stack.output()


def test_a_hung_rasa_never_delays_the_safety_message_and_is_restarted(drill_stack: ScriptStack) -> None:
    wait_healthy(drill_stack)
    before = drill_stack.servers()

    os.kill(before["rasa"], signal.SIGSTOP)  # hung; the supervisor is left to notice and kill it
    started = time.monotonic()
    risky = chat(drill_stack, "my daughter told me she wants to kill herself", uuid.uuid4().hex, timeout=30)
    safety_seconds = time.monotonic() - started
    ordinary = assert_unavailable_reply_in_time(drill_stack, "what is an EHC plan", uuid.uuid4().hex)
    health = drill_stack.health()

    assert risky.status_code == 200
    assert risky.json()["messages"][0]["kind"] == "safety"
    assert "999" in risky.json()["messages"][0]["text"]
    assert safety_seconds <= 3.0, f"the safety message took {safety_seconds:.1f} s"
    assert ordinary.status_code == 502
    assert "rasa" in health["down"], health

    wait_until(lambda: group_members(before["rasa"]) == [], RESTART_TIMEOUT_SECONDS, "the stopped Rasa killed")
    wait_healthy(drill_stack)
    after = drill_stack.servers()
    assert after["rasa"] != before["rasa"]
    assert (after["actions"], after["gateway"]) == (before["actions"], before["gateway"])
    assert "The Rasa server did not answer 3 health checks in a row" in drill_stack.output()


def escalations_of(stack: ScriptStack, sender: str) -> list[Any]:
    store = AppStore.from_settings(stack.settings)
    try:
        return [e for e in store.list_escalations() if e.conversation_id == sender]
    finally:
        store.close()


def outbox_files(stack: ScriptStack) -> list[Path]:
    """Escalations on disk: waiting, or claimed by a replay that is waiting on the lock."""
    folder = stack.settings.outbox_dir
    return sorted([*folder.glob("*.json"), *folder.glob("*.sending")])


@contextmanager
def app_database_locked(stack: ScriptStack) -> Iterator[None]:
    """Hold the app database's write lock: every other writer waits, then fails 'database is locked'."""
    db = sqlite3.connect(stack.settings.app_db_url.removeprefix("sqlite:///"), timeout=30)
    try:
        db.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        db.rollback()
        db.close()


def test_a_safety_escalation_survives_an_unavailable_app_database(drill_stack: ScriptStack) -> None:
    wait_healthy(drill_stack)
    sender = uuid.uuid4().hex
    with app_database_locked(drill_stack):
        started = time.monotonic()
        reply = chat(drill_stack, "my son says he wants to kill himself", sender, timeout=30)
        assert time.monotonic() - started <= 3.0
        assert reply.status_code == 200
        assert "999" in reply.json()["messages"][0]["text"]
        wait_until(lambda: f"conversation {sender}: urgent safety escalation" in gateway_log(drill_stack), 60, "log")
        assert "kept in the outbox" in gateway_log(drill_stack)
        assert outbox_files(drill_stack)
        assert "app_database" in drill_stack.health()["down"]
        assert escalations_of(drill_stack, sender) == []

    wait_until(lambda: escalations_of(drill_stack, sender), 60, "the escalation replayed into the database")
    [stored] = escalations_of(drill_stack, sender)
    assert stored.urgent
    assert stored.reason == "safety"
    wait_until(lambda: not outbox_files(drill_stack), 30, "the outbox emptied")
    wait_healthy(drill_stack)


def test_a_consented_handoff_survives_an_unavailable_app_database(drill_stack: ScriptStack) -> None:
    wait_healthy(drill_stack)
    sender = uuid.uuid4().hex
    for words in ("can i speak to a real person", "yes", "phone"):
        assert chat(drill_stack, words, sender).status_code == 200
    failed_replay = "still waiting in the outbox"
    replays_before = gateway_log(drill_stack).count(failed_replay)
    with app_database_locked(drill_stack):
        reply = assert_unavailable_reply_in_time(drill_stack, "morning", sender)
        said = reply.text
        assert drill_stack.settings.sendiass_phone in said  # a way forward, answered or not
        # Held until the gateway's replayer has tried too: it leaves a new file to its writer for
        # 15 s, longer than the action server's 10 s busy timeout, so the action has given up by then.
        wait_until(lambda: gateway_log(drill_stack).count(failed_replay) > replays_before, 120, "a failed replay")
        assert outbox_files(drill_stack)
        assert sender in outbox_files(drill_stack)[0].read_text()
        assert escalations_of(drill_stack, sender) == []
    wait_until(lambda: escalations_of(drill_stack, sender), 60, "the handoff replayed into the database")
    assert f"conversation {sender}: escalation stored from the outbox" in gateway_log(drill_stack)
    [stored] = escalations_of(drill_stack, sender)
    assert not stored.urgent
    assert stored.contact_method == "phone"
    wait_healthy(drill_stack)


def test_a_damaged_index_shows_in_health_and_no_response_names_a_file(drill_stack: ScriptStack) -> None:
    wait_healthy(drill_stack)
    index = drill_stack.settings.kb_dir / "current" / "index.faiss"
    original = index.read_bytes()
    try:
        index.write_bytes(original[: len(original) // 3])
        health = drill_stack.health()
        search = httpx.get(f"{drill_stack.gateway}/api/search", params={"q": "what is an EHCP"}, timeout=60)
    finally:
        index.write_bytes(original)
    assert health["status"] == "degraded"
    assert "knowledge_base" in health["down"]
    build = (drill_stack.settings.kb_dir / "current").resolve().name
    assert build in health["knowledge_base"]["detail"]
    for text in (json.dumps(health), search.text):
        assert str(drill_stack.settings.var_dir) not in text
        assert "/tmp" not in text
        assert "index.faiss" not in text
    wait_healthy(drill_stack)


def gateway_log(stack: ScriptStack) -> str:
    return (stack.settings.run_dir / "logs" / "gateway.log").read_text(errors="replace")


def actions_log(stack: ScriptStack) -> str:
    return (stack.settings.run_dir / "logs" / "actions.log").read_text(errors="replace")


def test_ctrl_c_with_conversations_in_flight_stops_everything_within_15_s(drill_stack: ScriptStack) -> None:
    """Last in the module: it stops the stack."""
    wait_healthy(drill_stack)
    ports = [
        drill_stack.settings.gateway_port,
        drill_stack.settings.rasa_port,
        drill_stack.settings.action_port,
        drill_stack.settings.demo_site_port,
    ]
    stop = threading.Event()

    def family() -> None:
        sender = uuid.uuid4().hex
        while not stop.is_set():
            try:
                chat(drill_stack, "what is an EHC plan", sender, timeout=20)
            except httpx.HTTPError:
                return

    families = [threading.Thread(target=family, daemon=True) for _ in range(10)]
    for thread in families:
        thread.start()
    time.sleep(2.0)
    assert sigint_ignored(drill_stack.pid) is False  # serve installed its own handler

    os.kill(drill_stack.pid, signal.SIGINT)
    sent = time.monotonic()
    wait_until(lambda: not drill_stack.processes(), 15, "every process gone after Ctrl-C")
    wait_until(lambda: not any(port_open(p) for p in ports), 15 - (time.monotonic() - sent), "every port free")
    stop.set()
    assert "All servers stopped." in drill_stack.output()


def test_start_up_rebuilds_a_damaged_knowledge_base(drill_stack: ScriptStack) -> None:
    """After the Ctrl-C drill: the same state directory, its index truncated, built again as `serve` does."""
    assert not drill_stack.processes()
    kb_dir = drill_stack.settings.kb_dir
    damaged = (kb_dir / "current").resolve().name
    index = kb_dir / "current" / "index.faiss"
    index.write_bytes(index.read_bytes()[:1000])

    build = subprocess.run(
        [sys.executable, "-m", "signposting", "build", "--no-progress"],
        cwd=REPO_ROOT,
        env=settings_env(drill_stack.settings),
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert f"The knowledge base build {damaged} is damaged" in build.stdout
    assert "rebuilding it" in build.stdout
    assert (kb_dir / "current").resolve().name != damaged
    check_current(kb_dir)  # the new build opens whole
