"""The trained safety classifier on disk: written at build time, checked and loaded at start-up.

Training embeds a few thousand messages and fits several models, which is seconds of CPU a serving
process should not spend, and a serving process should never learn anything: so
``python -m signposting train`` writes the fitted estimators here and the gateway only loads them.

skops, not pickle: loading a pickle runs whatever code the file names, so whoever can write to the
models directory could run code in the gateway. skops rebuilds only the types it is told to trust,
and ``TRUSTED`` adds just our own pipeline step to scikit-learn's. The manifest beside the file
records its SHA-256 (a damaged or swapped file is refused) and a fingerprint of everything the model
was trained from (training messages, rules, the code that prepares text and builds the features,
the embedding weights, library versions), so that a stale model is retrained at build time and
refused at start-up instead of quietly disagreeing with the rules it was trained beside.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import zipfile
from importlib.metadata import version
from pathlib import Path

import skops.io
from skops.io.exceptions import UntrustedTypesFoundException

from knowledge_base.embedding import weights_sha256
from safety.classifier import MODELS, TRAINING_FILE, RiskClassifier, load_training_set, train
from safety.semantic import SentenceEncoder

MODEL_FILE = "safety-classifier.skops"
MANIFEST_FILE = "safety-classifier.json"
# Beyond the scikit-learn and numpy types skops trusts on its own.
TRUSTED = frozenset({"safety.semantic.MessageEmbedding"})

_PACKAGE = Path(__file__).resolve().parent
# What the fitted model depends on: its training messages, what turns a message into the prepared
# text (normaliser, rule data, masks), and the code that builds and fits the features.
_CODE = ("text.py", "rule_file.py", "rules.py", "context.py", "semantic.py", "classifier.py")
_INPUTS = (
    TRAINING_FILE,
    *sorted((_PACKAGE / "data").glob("*.yml")),
    *(_PACKAGE / name for name in _CODE),
)
_LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy")


class SafetyModelError(RuntimeError):
    """The trained classifier is missing, damaged or stale; the message says what to run."""


def fingerprint() -> str:
    """A hash of everything the trained classifier depends on."""
    digest = hashlib.sha256()
    for path in _INPUTS:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        digest.update(f"{library}=={version(library)}\0".encode())
    digest.update(weights_sha256().encode())
    return digest.hexdigest()


def _manifest(models_dir: Path) -> dict[str, str] | None:
    try:
        data = json.loads((models_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_current(models_dir: Path, wanted: str | None = None) -> bool:
    """Whether ``models_dir`` holds a classifier trained from the current inputs (the file is not read)."""
    manifest = _manifest(models_dir)
    return (
        manifest is not None
        and (models_dir / MODEL_FILE).is_file()
        and manifest.get("fingerprint") == (wanted or fingerprint())
    )


def _write_atomically(path: Path, data: bytes) -> None:
    handle, scratch = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(scratch, path)
    finally:
        Path(scratch).unlink(missing_ok=True)


def save_classifier(classifier: RiskClassifier, models_dir: Path, trained_from: str) -> Path:
    """Write the classifier and its manifest (model file first, so a manifest never names a missing file)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    saved = {
        "model": classifier.name,
        "risk": classifier.risk,
        "kind": classifier.kind,
        "part_risk": classifier.part_risk,
    }
    # Compressed: skops writes the TF-IDF vocabularies as JSON, which deflates well.
    data = skops.io.dumps(saved, compression=zipfile.ZIP_DEFLATED)
    _write_atomically(models_dir / MODEL_FILE, data)
    manifest = {"sha256": hashlib.sha256(data).hexdigest(), "fingerprint": trained_from, "model": classifier.name}
    _write_atomically(models_dir / MANIFEST_FILE, json.dumps(manifest, indent=2).encode())
    return models_dir / MODEL_FILE


def train_and_save(models_dir: Path) -> Path:
    """Train on the training set and write the result to ``models_dir`` (what ``signposting train`` runs)."""
    trained_from = fingerprint()
    # The training vectors are kept beside the model: both are derived from our own data, shared by
    # every run (and the tests' stacks), and removed by `make clean`.
    encoder = SentenceEncoder(cache_dir=models_dir)
    return save_classifier(train(load_training_set(), encoder=encoder), models_dir, trained_from)


_RETRAIN = "run `python -m signposting train safety` (`make run` does it when needed)"


def load_classifier(models_dir: Path) -> RiskClassifier:
    """The classifier saved in ``models_dir``; raises SafetyModelError when it cannot be trusted."""
    path = models_dir / MODEL_FILE
    manifest = _manifest(models_dir)
    if manifest is None or not path.is_file():
        raise SafetyModelError(f"The safety classifier is not in {models_dir}: {_RETRAIN}.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        raise SafetyModelError(
            f"{path} does not match the SHA-256 in {MANIFEST_FILE} (damaged or replaced): {_RETRAIN}."
        )
    if manifest.get("fingerprint") != fingerprint():
        raise SafetyModelError(f"{path} was trained from other data or code than this version's: {_RETRAIN}.")
    try:
        saved = skops.io.loads(data, trusted=sorted(TRUSTED))
    except UntrustedTypesFoundException as error:
        raise SafetyModelError(f"{path} holds types this project does not load ({error}).") from error
    if saved.get("model") not in MODELS:
        raise SafetyModelError(f"{path} names no known model ({saved.get('model')!r}): {_RETRAIN}.")
    return RiskClassifier(saved["model"], saved["risk"], saved["kind"], saved.get("part_risk"))


_lock = threading.Lock()
_loaded: dict[Path, RiskClassifier] = {}


def get_classifier(models_dir: Path) -> RiskClassifier:
    """The classifier in ``models_dir`` (the caller's settings), loaded once per process (thread-safe).

    Raises SafetyModelError when it is missing, damaged or stale: it is trained at build time, never
    in a serving process.
    """
    with _lock:
        if models_dir not in _loaded:
            _loaded[models_dir] = load_classifier(models_dir)
        return _loaded[models_dir]
