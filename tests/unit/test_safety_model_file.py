"""The trained safety classifier on disk: loaded only when it is whole, current and made of trusted types."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from bench.safety_eval import load_labelled_set
from safety.classifier import RiskClassifier, load_training_set, train
from safety.model_file import (
    MANIFEST_FILE,
    MODEL_FILE,
    SafetyModelError,
    fingerprint,
    get_classifier,
    load_classifier,
    save_classifier,
)
from safety.rules import prepare
from safety.semantic import SentenceEncoder
from settings import get_settings
from signposting.cli import main


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A copy of the models directory's trained classifier (the session trains it when needed)."""
    for name in (MODEL_FILE, MANIFEST_FILE):
        shutil.copy(get_settings().models_dir / name, tmp_path / name)
    return tmp_path


def test_the_saved_classifier_scores_exactly_as_a_freshly_trained_one() -> None:
    # Also shows that training is deterministic: the saved one was trained in another process.
    models_dir = get_settings().models_dir
    fresh = train(load_training_set(), encoder=SentenceEncoder(cache_dir=models_dir))
    loaded = get_classifier(models_dir)
    for message in load_labelled_set()[::5]:
        prepared, _ = prepare(message.text)
        assert fresh.score_and_category(prepared) == loaded.score_and_category(prepared)
        assert fresh.strongest_part(prepared) == loaded.strongest_part(prepared)


def test_a_copy_loads(saved: Path) -> None:
    classifier = load_classifier(saved)
    assert classifier.model == get_classifier(get_settings().models_dir).model
    assert classifier.score("is there a holiday club in stroud") < 0.5


def test_a_missing_classifier_says_how_to_train_it(tmp_path: Path) -> None:
    with pytest.raises(SafetyModelError, match="python -m signposting train safety"):
        load_classifier(tmp_path)


def test_a_changed_file_is_refused(saved: Path) -> None:
    data = bytearray((saved / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (saved / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(SafetyModelError, match="SHA-256"):
        load_classifier(saved)


def test_a_classifier_trained_from_other_inputs_is_refused(saved: Path) -> None:
    manifest = json.loads((saved / MANIFEST_FILE).read_text())
    manifest["fingerprint"] = "0" * 64
    (saved / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(SafetyModelError, match="other data or code"):
        load_classifier(saved)


def test_a_file_naming_a_function_to_run_is_refused(tmp_path: Path) -> None:
    # Hash and fingerprint are right: only the types inside are wrong. skops would call ``eval``.
    rows = np.array([[0.0], [1.0]])
    risk = Pipeline([("features", FunctionTransformer(eval)), ("classifier", LogisticRegression().fit(rows, [0, 1]))])
    save_classifier(RiskClassifier("stacked", risk, risk), tmp_path, fingerprint())
    with pytest.raises(SafetyModelError, match="types this project does not load"):
        load_classifier(tmp_path)


def test_train_safety_trains_once_then_finds_it_up_to_date(
    tmp_path: Path, signpost_env: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    signpost_env("SIGNPOST_MODELS_DIR", str(tmp_path))
    assert main(["train", "safety"]) == 0
    assert f"Trained {tmp_path / MODEL_FILE}" in capsys.readouterr().out
    assert main(["train", "safety"]) == 0
    assert "Safety classifier up to date" in capsys.readouterr().out
    assert load_classifier(tmp_path).model == get_classifier(get_settings().models_dir).model
