"""Train the models at build time, each only when what it is trained from changed.

The Rasa model (``rasa train`` in the Rasa environment) and the safety classifier
(``safety.model_file``): serving processes load them and never train.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from settings import REPO_ROOT
from signposting.environment import rasa_env, rasa_executable

BOT_DIR = REPO_ROOT / "bot"
CONFIG_FILE = REPO_ROOT / "config.yml"
MODEL_NAME = "signposting"


class TrainingError(RuntimeError):
    """rasa train failed; its output is in the log file named in the message."""


@dataclass
class TrainingOutcome:
    model_path: Path
    trained: bool
    seconds: float


def training_inputs() -> list[Path]:
    """Every file that changes what Rasa learns."""
    return sorted([CONFIG_FILE, *(p for p in BOT_DIR.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))])


def fingerprint() -> str:
    """A hash of the training inputs' paths and contents."""
    digest = hashlib.sha256()
    for path in training_inputs():
        digest.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_trained(models_dir: Path, log_file: Path, force: bool = False) -> TrainingOutcome:
    """Train into ``models_dir`` unless a model with the same fingerprint is already there."""
    model_path = models_dir / f"{MODEL_NAME}.tar.gz"
    stamp = models_dir / f"{MODEL_NAME}.fingerprint"
    wanted = fingerprint()
    if not force and model_path.is_file() and stamp.is_file() and stamp.read_text().strip() == wanted:
        return TrainingOutcome(model_path, trained=False, seconds=0.0)
    models_dir.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    command = [
        str(rasa_executable()),
        "train",
        "--data",
        str(BOT_DIR / "data"),
        "--domain",
        str(BOT_DIR / "domain"),
        "--config",
        str(CONFIG_FILE),
        "--out",
        str(models_dir),
        "--fixed-model-name",
        MODEL_NAME,
        "--force",
    ]
    with log_file.open("w") as log:
        result = subprocess.run(command, cwd=REPO_ROOT, env=rasa_env(), stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0 or not model_path.is_file():
        raise TrainingError(f"rasa train failed (exit {result.returncode}); see {log_file}")
    stamp.write_text(wanted)
    return TrainingOutcome(model_path, trained=True, seconds=time.monotonic() - started)


def ensure_safety_trained(models_dir: Path, force: bool = False) -> TrainingOutcome:
    """Train the safety classifier into ``models_dir`` unless one trained from the same inputs is there."""
    from safety.model_file import MODEL_FILE, is_current, train_and_save

    if not force and is_current(models_dir):
        return TrainingOutcome(models_dir / MODEL_FILE, trained=False, seconds=0.0)
    started = time.monotonic()
    model_path = train_and_save(models_dir)
    return TrainingOutcome(model_path, trained=True, seconds=time.monotonic() - started)
