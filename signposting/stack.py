"""Start and stop the three servers (Rasa, action server, gateway) as one unit.

Each server runs in its own session (process group), so a terminal's Ctrl-C reaches only this
supervisor, which then stops every group in order and waits: no orphans are left behind.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from signposting.environment import app_python, rasa_env, rasa_executable, settings_env
from signposting.settings import REPO_ROOT, Settings

log = logging.getLogger(__name__)


class StackError(RuntimeError):
    """A server failed to start; the message names its log file."""


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
        )
        log_handle.close()

    def is_ready(self) -> bool:
        try:
            return httpx.get(self.ready_url, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self, grace_seconds: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %.0f s; killing it", self.name, grace_seconds)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        # Sweep anything the server forked that outlived it in the same group (Sanic workers).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


TRACKER_PASSWORD_ENV = "RASA_TRACKER_STORE_PASSWORD"  # noqa: S105 (a variable name, not a password)


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


def write_rasa_config(settings: Settings) -> tuple[Path, Path, dict[str, str]]:
    """Generate endpoints.yml and credentials.yml for this run's ports and tracker store.

    Returns their paths and the environment variables Rasa needs to read them (the tracker
    store's password, if any).
    """
    run_dir = settings.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    tracker_store, tracker_env = tracker_store_block(settings)
    endpoints = run_dir / "endpoints.yml"
    endpoints.write_text(
        "# Generated by signposting.stack for this run; edit settings, not this file.\n"
        "action_endpoint:\n"
        f'  url: "{settings.action_url}/webhook"\n'
        "tracker_store:\n" + tracker_store
    )
    credentials = run_dir / "credentials.yml"
    credentials.write_text("# Generated by signposting.stack: the REST channel the gateway uses.\nrest:\n")
    return endpoints, credentials, tracker_env


class Stack:
    """The running assistant: action server, Rasa server and gateway."""

    def __init__(self, settings: Settings, model_path: Path) -> None:
        self.settings = settings
        logs = settings.run_dir / "logs"
        endpoints, credentials, tracker_env = write_rasa_config(settings)
        app_env = settings_env(settings)
        actions_env = dict(app_env, SANIC_HOST=settings.bind_host)
        r_env = rasa_env()
        r_env.update({k: v for k, v in app_env.items() if k.startswith("SIGNPOST_")})
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
                "Rasa",
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
                    settings.bind_host,
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

    def stop(self) -> None:
        # Gateway first, so no new chat reaches a half-stopped Rasa.
        for server in reversed(self.servers):
            server.stop()

    def failed(self) -> Server | None:
        """A server that has exited while the stack should be running."""
        return next((s for s in self.servers if s.exited() is not None), None)
