"""Where the two Python environments are, and the environment variables their servers need."""

from __future__ import annotations

import json
import os
from pathlib import Path

from settings import REPO_ROOT, Settings

RASA_VENV = REPO_ROOT / ".venv-rasa"
APP_VENV = REPO_ROOT / ".venv"

# Facts measured on this kind of machine (see DESIGN.md): quiet TensorFlow and telemetry, no GUI
# backend, and no SQLAlchemy 2.0 warnings flood from Rasa's tracker store.
RASA_QUIET = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "MPLBACKEND": "Agg",
    "PYTHONWARNINGS": "ignore",
}


class EnvironmentMissing(RuntimeError):
    """A virtual environment that `make setup` creates is not there."""


def rasa_executable() -> Path:
    exe = RASA_VENV / "bin" / "rasa"
    if not exe.is_file():
        raise EnvironmentMissing(f"{exe} not found. Run `make setup` to create the Rasa environment.")
    return exe


def app_python() -> Path:
    exe = APP_VENV / "bin" / "python"
    if not exe.is_file():
        raise EnvironmentMissing(f"{exe} not found. Run `make setup` to create the app environment.")
    return exe


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(RASA_QUIET)
    return env


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process read the same settings as this one."""
    env = dict(os.environ)
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        env[f"SIGNPOST_{name.upper()}"] = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")]))
    return env
