"""Start a whole stack (``signposting serve``) for a benchmark: this tree's, or an older commit's.

An older commit is checked out as a git worktree under var/bench/, sharing this tree's two
environments (symlinks); it builds its own knowledge base and trains its own Rasa model, so what
is measured is that commit's behaviour, not a reconstruction of it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.services import free_port
from settings import REPO_ROOT, Settings
from signposting.environment import settings_env

READY_TIMEOUT_SECONDS = 900  # a first run builds the knowledge base and trains Rasa


@dataclass(frozen=True)
class RunningStack:
    label: str
    settings: Settings
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def gateway_url(self) -> str:
        return self.settings.gateway_url

    def wait_until_said(self, text: str, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Wait until ``serve`` has printed ``text``; SystemExit with its log if it stops or times out first."""
        deadline = time.monotonic() + timeout
        while text not in self.log_file.read_text(errors="replace"):
            stopped = self.process is not None and self.process.poll() is not None
            if stopped or time.monotonic() > deadline:
                tail = self.log_file.read_text(errors="replace")[-3000:]
                raise SystemExit(f"The {self.label} stack did not start (log: {self.log_file}):\n{tail}")
            time.sleep(1)


def baseline_tree(ref: str) -> Path:
    """A worktree of ``ref`` under var/bench/, made once and reused while ``ref`` names the same commit."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    if commit.returncode != 0:
        raise SystemExit(f"'{ref}' is not a commit in this repository: {commit.stderr.strip()}")
    sha = commit.stdout.strip()
    tree = REPO_ROOT / "var" / "bench" / f"baseline-{sha[:12]}"
    if not (tree / ".git").exists():
        tree.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO_ROOT, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(tree), sha],
            cwd=REPO_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for venv in (".venv", ".venv-rasa", "node_modules"):
        link = tree / venv
        if not link.exists() and (REPO_ROOT / venv).exists():
            link.symlink_to(REPO_ROOT / venv)
    return tree


@contextmanager
def running_stack(
    label: str,
    root: Path = REPO_ROOT,
    var_dir: Path | None = None,
    serve_args: tuple[str, ...] = (),
    wait_for: str = "Ready in",
    models_dir: Path | None = None,
    **overrides: Any,
) -> Iterator[RunningStack]:
    """``signposting serve [serve_args]`` from ``root`` on free loopback ports with its own state
    (``var_dir``, by default under var/bench/), once it has printed ``wait_for``; stopped with Ctrl-C.
    ``models_dir`` (default ``root``/models) serves another tree's trained models: a baseline worktree has none."""
    var_dir = var_dir or REPO_ROOT / "var" / "bench" / f"stack-{label}"
    # A fresh state every run: the demo site gets a new port, and a crawl store holding the old
    # addresses would be read as a site whose pages all went away.
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    settings = Settings(
        var_dir=var_dir,
        models_dir=models_dir or root / "models",
        demo_site_port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        gateway_port=free_port(),
        # One benchmark is many families writing from one address, faster than people type.
        rate_limit_per_client="100000/minute",
        rate_limit_per_conversation="100000/minute",
        **overrides,
    )
    env = settings_env(settings)
    env["PYTHONPATH"] = str(root)
    log_file = var_dir / "serve.log"
    with log_file.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "signposting", "serve", "--no-progress", *serve_args],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        stack = RunningStack(label, settings, log_file, process)
        stack.wait_until_said(wait_for)
        yield stack
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
