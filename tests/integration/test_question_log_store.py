"""The question log and content exclusions in the app store, on SQLite and on a real PostgreSQL
server: redaction, feedback on the latest turn, cached vectors, retention, erasure, exclusions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app_store import AppStore, ExclusionRefused, TurnIn
from app_store.tables import utc_now
from settings import Settings
from staff_console.lifecycle import erase_by_reference, run_retention
from tests.integration.test_app_store import db_url, escalation_in, postgres_server, postgres_url, store  # noqa: F401


def turn_in(conversation: str, question: str, outcome: str = "not_sure", days_ago: float = 0) -> TurnIn:
    return TurnIn.model_validate(
        {
            "conversation_id": conversation,
            "question": question,
            "outcome": outcome,
            "asked_at": utc_now() - timedelta(days=days_ago),
        }
    )


def test_turns_are_redacted_and_feedback_goes_on_the_latest(store: AppStore) -> None:  # noqa: F811
    store.log_turn(turn_in("c1", "what is an ehcp", "answer", days_ago=0.01))
    store.log_turn(turn_in("c1", "my son Oliver needs help, ring 07700 900123"))
    store.log_turn(turn_in("c2", "other family"))
    assert store.record_turn_feedback("c1", helpful=False, reason="hard_to_understand") is not None
    assert store.record_turn_feedback("nobody", helpful=True) is None
    first, second = store.turns_of("c1")
    assert first.helpful is None
    assert second.helpful is False
    assert second.feedback_reason == "hard_to_understand"
    assert "07700" not in second.question
    assert "Oliver" not in second.question
    assert [t.conversation_id for t in store.turns_between(utc_now() - timedelta(days=1))] == ["c1", "c1", "c2"]
    store.save_question_vectors({second.id: b"\x00\x00\x80?"})
    assert store.question_vectors([first.id, second.id]) == {second.id: b"\x00\x00\x80?"}


def test_the_database_refuses_an_unknown_outcome(store: AppStore, db_url: str) -> None:  # noqa: F811
    store.log_turn(turn_in("c1", "a question"))
    with pytest.raises(IntegrityError), store._session() as session:
        session.execute(text("UPDATE question_log SET outcome = 'made_up'"))


def test_exclusions_are_kept_when_lifted_and_cannot_be_doubled(store: AppStore) -> None:  # noqa: F811
    url = "https://www.example.org/kb5/gloucs/glosfamilies/advice.page?id=respite"
    made = store.exclude_page(url, "Respite", "personal_data", "a parent's phone number is on it", "eddie")
    assert made.note == "a parent's phone number is on it"
    with pytest.raises(ExclusionRefused):
        store.exclude_page(url, "Respite", "wrong", "", "ann")
    with pytest.raises(ExclusionRefused):
        store.exclude_page("advice.page?id=x", "", "wrong", "", "ann")
    assert store.excluded_urls() == {url}
    lifted = store.lift_exclusion(made.id, "ann")
    assert (lifted.lifted_by, lifted.active) == ("ann", False)
    with pytest.raises(ExclusionRefused):
        store.lift_exclusion(made.id, "ann")
    assert store.excluded_urls() == frozenset()
    again = store.exclude_page(url, "Respite", "wrong", "", "ann")
    assert [e.id for e in store.list_exclusions()] == [again.id, made.id]
    assert [e.id for e in store.list_exclusions(active_only=True)] == [again.id]


def test_retention_and_erasure_delete_logged_questions(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path / "var", retain_question_log_days=30)
    with AppStore.from_settings(settings) as opened:
        opened.log_turn(turn_in("old-family", "asked long ago", days_ago=40))
        opened.log_turn(turn_in("recent-family", "asked last week", days_ago=7))
        case = opened.create_escalation(escalation_in("handed-off"))
        opened.log_turn(turn_in("handed-off", "the school won't follow the EHCP"))
        report = run_retention(settings, opened, "cli:test")
        assert report.questions == 1
        assert "question log turns deleted: 1" in report.lines()
        erased = erase_by_reference(settings, opened, f"SEND-{case.id}", "ada", None)
        assert erased.counts.questions == 1
        remaining = opened.turns_between(utc_now() - timedelta(days=400))
        assert [t.conversation_id for t in remaining] == ["recent-family"]
        assert any("1 logged questions" in a.detail for a in opened.list_audit() if a.action == "erasure")
