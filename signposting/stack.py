"""Start, watch and stop the three servers (Rasa, action server, gateway) as one unit.

Each server runs in its own session (process group), so a terminal's Ctrl-C reaches only this
supervisor, which then stops every group at once and waits until no member is left: no orphans,
even of a server whose main process died before its workers (rasa-sdk's Sanic workers).

While the stack runs, :meth:`Stack.supervise` watches each server by its exit code and by a
health probe: a server that exits, or stops answering its probe several times in a row (hung,
stopped, or a Sanic main process whose worker died and left the socket unanswered), has its whole
group killed and is started again with a growing wait, while the other servers keep running.
See docs/decisions/0006-supervision.md.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from settings import REPO_ROOT, Settings
from signposting.environment import app_python, rasa_env, rasa_executable, settings_env

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
RASA_STARTUP_DIR = Path(__file__).resolve().parent / "rasa_startup"


class StackError(RuntimeError):
    """A server failed to start; the message names its log file."""


try:
    # Looked up once here: loading a library between fork and exec is not safe.
    _prctl: Callable[..., int] | None = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def _die_with_parent() -> None:
    """Run in the child between fork and exec: SIGTERM it if the supervisor dies, even by SIGKILL.

    Linux only (prctl); elsewhere a killed supervisor leaves its servers running, as before.
    """
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def process_stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, the /proc/<pid>/stat fields after the command name) of every process; none off Linux.

    The fields start at the state: [0] state, [1] ppid, [2] process group, [11] utime, [12] stime.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may itself hold spaces.
        yield int(entry.name), stat[stat.rindex(")") + 2 :].split()


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes in process group ``pgid``, read from /proc."""
    if not Path("/proc").is_dir():  # not Linux: ask the kernel whether the group still exists at all
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return []
        return [pgid]
    return [pid for pid, fields in process_stats() if fields[0] != "Z" and int(fields[2]) == pgid]


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    ready_url: str
    log_file: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        log_handle = self.log_file.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        log_handle.close()

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def is_ready(self, timeout: float = 2.0) -> bool:
        try:
            return httpx.get(self.ready_url, timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def signal_group(self, signum: int) -> None:
        """Send ``signum`` to every process of the server's group, its main process alive or not."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)

    def gone(self) -> bool:
        """True when the main process has exited and no process of its group is left."""
        if self.process is None:
            return True
        return self.process.poll() is not None and not group_members(self.process.pid)

    def stop(self, grace_seconds: float = 8.0) -> None:
        stop_all([self], grace_seconds)

    def kill(self) -> None:
        """SIGKILL the whole group (works on a stopped or hung process too) and wait until it is gone."""
        stop_all([self], grace_seconds=0.0)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def stop_all(servers: list[Server], grace_seconds: float) -> None:
    """Ask every server's group to stop at once, then kill what is left after ``grace_seconds``.

    SIGCONT after SIGTERM wakes a stopped (SIGSTOP) server so it can act on the SIGTERM. The groups
    are signalled even when their main process is already dead: its workers may still be running.
    """
    for server in servers:
        server.signal_group(signal.SIGTERM if grace_seconds > 0 else signal.SIGKILL)
        server.signal_group(signal.SIGCONT)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and not all(s.gone() for s in servers):
        time.sleep(0.1)
    for server in servers:
        if not server.gone():
            if grace_seconds > 0:
                log.warning("%s did not stop within %.0f s; killing it", server.name, grace_seconds)
            server.signal_group(signal.SIGKILL)
    # SIGKILL cannot be refused; only the kernel's clean-up is left to wait for.
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline and not all(s.gone() for s in servers):
        for server in servers:
            if server.process is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    server.process.wait(timeout=0.05)
        time.sleep(0.05)


TRACKER_PASSWORD_ENV = "RASA_TRACKER_STORE_PASSWORD"  # noqa: S105 (a variable name, not a password)
LOCK_STORE_PASSWORD_ENV = "RASA_LOCK_STORE_PASSWORD"  # noqa: S105 (a variable name, not a password)


def tracker_store_block(settings: Settings) -> tuple[str, dict[str, str]]:
    """endpoints.yml's ``tracker_store`` block for ``settings.tracker_url``, and the environment Rasa needs for it.

    Rasa's SQL tracker store takes a dialect, host, port, database and username rather than a URL,
    and its own driver (psycopg2 for PostgreSQL). A password is never written to the file: the
    block names an environment variable (Rasa expands ``${...}`` in endpoints.yml), which only
    Rasa's process is given.
    """
    url = make_url(settings.tracker_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StackError("the tracker store must be a SQLite file or PostgreSQL, not an in-memory database")
        path = Path(url.database).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f'  type: SQL\n  dialect: "sqlite"\n  db: {json.dumps(str(path))}\n', {}
    if backend != "postgresql":
        raise StackError(f"the tracker store must be SQLite or PostgreSQL, not {backend!r}")
    lines = ["  type: SQL", '  dialect: "postgresql"', f"  url: {json.dumps(url.host or 'localhost')}"]
    if url.port is not None:
        lines.append(f"  port: {url.port}")
    lines.append(f"  db: {json.dumps(url.database or 'rasa')}")
    if url.username:
        lines.append(f"  username: {json.dumps(url.username)}")
    env = {}
    if url.password:
        # Unquoted: Rasa's YAML loader expands ${...} only in plain scalars.
        lines.append(f"  password: ${{{TRACKER_PASSWORD_ENV}}}")
        env[TRACKER_PASSWORD_ENV] = str(url.password)
    if url.query:
        lines.append("  query:")
        lines.extend(f"    {json.dumps(key)}: {json.dumps(value)}" for key, value in sorted(url.query.items()))
    return "\n".join(lines) + "\n", env


# Importable in Rasa's process, whose PYTHONPATH is RASA_STARTUP_DIR.
LOCK_STORE_CLASS = "conversation_locks.AtomicRedisLockStore"


def lock_store_block(settings: Settings) -> tuple[str, dict[str, str]]:
    """endpoints.yml's ``lock_store`` block for ``settings.lock_store_url`` ('' when unset: Rasa's in-memory
    lock store), and the environment Rasa needs for it.

    Rasa's Redis lock store, like its tracker store, takes host, port and db rather than a URL; the
    password goes through the environment, as the tracker store's does. The store is Rasa's own with
    its queue changes made atomic (rasa_startup/conversation_locks.py, ADR 0016): Rasa's loses
    messages when two Rasa servers take one conversation's lock at the same moment.
    """
    if not settings.lock_store_url:
        return "", {}
    url = make_url(settings.lock_store_url)
    if url.get_backend_name() not in ("redis", "rediss"):
        raise StackError(f"the lock store must be Redis (redis://host:6379/0), not {url.get_backend_name()!r}")
    database = (url.database or "0").strip("/") or "0"
    if not database.isdigit():
        raise StackError(f"the lock store's Redis database must be a number, not {database!r}")
    lines = ["lock_store:", f"  type: {LOCK_STORE_CLASS}", f"  url: {json.dumps(url.host or 'localhost')}"]
    lines.append(f"  port: {url.port or 6379}")
    lines.append(f"  db: {database}")
    # One Redis may serve several deployments: the prefix keeps their conversation locks apart.
    lines.append('  key_prefix: "signposting"')
    if url.get_backend_name() == "rediss":
        lines.append("  use_ssl: true")
    env = {}
    if url.username:
        lines.append(f"  username: {json.dumps(url.username)}")
    if url.password:
        lines.append(f"  password: ${{{LOCK_STORE_PASSWORD_ENV}}}")
        env[LOCK_STORE_PASSWORD_ENV] = str(url.password)
    return "\n".join(lines) + "\n", env


def write_rasa_config(settings: Settings) -> tuple[Path, Path, dict[str, str]]:
    """Generate endpoints.yml and credentials.yml for this run's ports and tracker store.

    Returns their paths and the environment variables Rasa needs to read them (the tracker and
    lock stores' passwords, if any).
    """
    run_dir = settings.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    tracker_store, tracker_env = tracker_store_block(settings)
    lock_store, lock_env = lock_store_block(settings)
    endpoints = run_dir / "endpoints.yml"
    endpoints.write_text(
        "# Generated by signposting.stack for this run; edit settings, not this file.\n"
        "action_endpoint:\n"
        f'  url: "{settings.action_url}/webhook"\n'
        "tracker_store:\n" + tracker_store + lock_store
    )
    credentials = run_dir / "credentials.yml"
    credentials.write_text("# Generated by signposting.stack: the REST channel the gateway uses.\nrest:\n")
    return endpoints, credentials, tracker_env | lock_env


class Stack:
    """The running assistant: action server, Rasa server and gateway."""

    def __init__(self, settings: Settings, model_path: Path) -> None:
        self.settings = settings
        self._watch: dict[str, _Watch] = {}
        logs = settings.run_dir / "logs"
        endpoints, credentials, tracker_env = write_rasa_config(settings)
        app_env = settings_env(settings)
        actions_env = dict(app_env, SANIC_HOST=settings.bind_host)
        r_env = rasa_env()
        r_env.update({k: v for k, v in app_env.items() if k.startswith("SIGNPOST_")})
        # Rasa's process alone loads signposting/rasa_startup/sitecustomize.py (a validator built once).
        r_env["PYTHONPATH"] = str(RASA_STARTUP_DIR)
        r_env.update(tracker_env)
        self.servers = [
            Server(
                "action server",
                [str(app_python()), "-m", "rasa_sdk", "--actions", "actions", "-p", str(settings.action_port)],
                actions_env,
                f"{settings.action_url}/health",
                logs / "actions.log",
            ),
            Server(
                "Rasa server",
                [
                    str(rasa_executable()),
                    "run",
                    "--model",
                    str(model_path),
                    "--interface",
                    settings.bind_host,
                    "--port",
                    str(settings.rasa_port),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    str(credentials),
                ],
                r_env,
                f"{settings.rasa_url}/",
                logs / "rasa.log",
            ),
            Server(
                "gateway",
                [
                    str(app_python()),
                    "-m",
                    "uvicorn",
                    "gateway.app:create_app",
                    "--factory",
                    "--host",
                    settings.gateway_bind_host or settings.bind_host,
                    "--port",
                    str(settings.gateway_port),
                    "--no-access-log",
                ],
                app_env,
                f"{settings.gateway_url}/api/widget-config",
                logs / "gateway.log",
            ),
        ]

    def start(self) -> None:
        """Start every server and wait until each answers; stop them all if any fails."""
        for server in self.servers:
            if server.is_ready():
                raise StackError(
                    f"Something is already answering at {server.ready_url}. "
                    "Stop it (an earlier `make run`?) or choose other ports in settings."
                )
        for server in self.servers:
            server.start()
        deadline = time.monotonic() + self.settings.startup_timeout_seconds
        pending = list(self.servers)
        try:
            while pending:
                for server in list(pending):
                    code = server.exited()
                    if code is not None:
                        raise StackError(
                            f"The {server.name} stopped during start-up (exit {code}). "
                            f"Last lines of {server.log_file}:\n{server.log_tail()}"
                        )
                    if server.is_ready():
                        log.info("%s ready", server.name)
                        pending.remove(server)
                if pending and time.monotonic() > deadline:
                    names = ", ".join(s.name for s in pending)
                    raise StackError(f"Timed out waiting for: {names}. Logs are in {self.settings.run_dir / 'logs'}.")
                if pending:
                    time.sleep(0.5)
        except BaseException:
            self.stop()
            raise
        now = time.monotonic()
        self._watch = {server.name: _Watch(state="ready", since=now, next_probe=now) for server in self.servers}

    def stop(self) -> None:
        """Stop every server together; within ``stop_grace_seconds`` plus the kernel's clean-up."""
        stop_all(self.servers, self.settings.stop_grace_seconds)

    def supervise(self, say: Callable[[str], None] = print) -> None:
        """One round of watching: restart any server that died or hung, leaving the others alone.

        Call it every half second or so from the serve loop. ``say`` reports what happened.
        """
        now = time.monotonic()
        for server in self.servers:
            watch = self._watch[server.name]
            if watch.state == "waiting":
                if now >= watch.next_probe:
                    say(f"Starting the {server.name} again (restart {watch.restarts}).")
                    server.start()
                    watch.state, watch.since, watch.next_probe, watch.failures = "starting", now, now, 0
                continue
            code = server.exited()
            if code is not None:
                self._restart(server, watch, f"stopped (exit {code})", say)
                continue
            if now < watch.next_probe:
                continue
            watch.next_probe = now + self.settings.health_probe_interval_seconds
            ok = server.is_ready(timeout=self.settings.health_probe_timeout_seconds)
            if watch.state == "starting":
                if ok:
                    say(f"The {server.name} is answering again.")
                    watch.state, watch.since, watch.failures = "ready", now, 0
                elif now - watch.since > self.settings.startup_timeout_seconds:
                    self._restart(server, watch, "did not become ready in time", say)
                continue
            if ok:
                watch.failures = 0
                # Running well for a while: the next failure is a new incident, not a crash loop.
                if now - watch.since > self.settings.restart_backoff_reset_seconds:
                    watch.backoff = 0.0
                continue
            watch.failures += 1
            if watch.failures >= self.settings.health_probe_failures:
                self._restart(server, watch, f"did not answer {watch.failures} health checks in a row", say)

    def _restart(self, server: Server, watch: _Watch, why: str, say: Callable[[str], None]) -> None:
        # Kill the whole group first: a hung main process, or workers left by a dead one, would
        # otherwise keep the port and the memory (the orphans the fault drills found).
        server.kill()
        watch.backoff = min(
            self.settings.restart_backoff_max_seconds,
            max(self.settings.restart_backoff_seconds, watch.backoff * 2),
        )
        watch.restarts += 1
        watch.state = "waiting"
        watch.next_probe = time.monotonic() + watch.backoff
        say(
            f"The {server.name} {why}; starting it again in {watch.backoff:.1f} s. "
            f"Last lines of {server.log_file}:\n{server.log_tail(10)}"
        )

    def status(self) -> dict[str, str]:
        """Each server's state as the supervisor sees it: ready, starting or waiting (to restart)."""
        return {name: watch.state for name, watch in self._watch.items()}


@dataclass
class _Watch:
    """What the supervisor knows about one server between rounds."""

    state: str  # ready | starting (restarted, not yet answering) | waiting (backing off before a restart)
    since: float
    next_probe: float
    failures: int = 0
    backoff: float = 0.0
    restarts: int = 0
