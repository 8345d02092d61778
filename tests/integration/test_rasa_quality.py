"""Rasa's own checks of the dialogue data, run with the project's Rasa: validation, NLU quality, test stories.

These are behaviour gates, not timings: the data must validate with no warnings, intent
classification must reach a macro F1 of 0.90 in 3-fold cross-validation, and every end-to-end test
story in bot/tests/ must pass against the trained model.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from settings import REPO_ROOT
from signposting.environment import rasa_env, rasa_executable
from signposting.training import MODEL_NAME, ensure_trained

BOT = REPO_ROOT / "bot"
CONFIG = REPO_ROOT / "config.yml"
MIN_MACRO_F1 = 0.90
MIN_TEST_STORIES = 60


def rasa(*args: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(rasa_executable()), *args],
        cwd=REPO_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_dialogue_data_validates_without_warnings() -> None:
    done = rasa(
        "data", "validate", "--domain", str(BOT / "domain"), "--data", str(BOT / "data"),
        "--config", str(CONFIG), "--fail-on-warnings",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.slow
def test_intent_classification_reaches_the_f1_bar_in_cross_validation(tmp_path: Path) -> None:
    out = tmp_path / "nlu"
    done = rasa(
        "test", "nlu", "--nlu", str(BOT / "data" / "nlu"), "--config", str(CONFIG),
        "--cross-validation", "--folds", "3", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((out / "intent_report.json").read_text())
    weak = {name: round(r["f1-score"], 3) for name, r in report.items() if isinstance(r, dict) and "support" in r}
    assert report["macro avg"]["f1-score"] >= MIN_MACRO_F1, weak


def test_every_end_to_end_test_story_passes(tmp_path: Path) -> None:
    stories = sum(
        len((yaml.safe_load(path.read_text()) or {}).get("stories", []))
        for path in sorted((BOT / "tests").glob("*.yml"))
    )
    assert stories >= MIN_TEST_STORIES
    model = ensure_trained(REPO_ROOT / "models", tmp_path / "train.log").model_path
    assert model.name == f"{MODEL_NAME}.tar.gz"
    out = tmp_path / "core"
    done = rasa("test", "core", "--model", str(model), "--stories", str(BOT / "tests"), "--out", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    failed = (out / "failed_test_stories.yml").read_text()
    assert "- story:" not in failed, failed[:5000]
