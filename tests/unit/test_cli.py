from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from signposting.cli import main


def test_ask_without_a_knowledge_base_says_how_to_build_one(
    tmp_path: Path, signpost_env: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    signpost_env("SIGNPOST_VAR_DIR", str(tmp_path))
    assert main(["ask", "what is a SENCO"]) == 1
    assert "python -m signposting build" in capsys.readouterr().err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("crawl", "build", "train", "serve", "ask"):
        assert command in out


def test_insights_topics_on_an_empty_log_and_seed_without_an_assistant(
    tmp_path: Path, signpost_env: Callable[[str, str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import free_port

    signpost_env("SIGNPOST_VAR_DIR", str(tmp_path))
    assert main(["insights", "topics"]) == 0
    assert "0 questions in 8 weeks; 0 not answered well; 0 topics" in capsys.readouterr().out
    # Nothing listens on this port: one plain message, no traceback.
    assert main(["insights", "seed", "--gateway", f"http://127.0.0.1:{free_port()}"]) == 1
    assert "Is `make run` running?" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["insights", "seed", "--help"])
    assert exit_info.value.code == 0
    assert "planted" in capsys.readouterr().out
