from __future__ import annotations

from pathlib import Path

import pytest

from signposting.cli import main


def test_ask_without_a_knowledge_base_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from signposting.settings import get_settings

    monkeypatch.setenv("SIGNPOST_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert main(["ask", "what is a SENCO"]) == 1
    finally:
        get_settings.cache_clear()
    assert "python -m signposting build" in capsys.readouterr().err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("crawl", "build", "train", "serve", "ask"):
        assert command in out
