"""The editors' insights, one piece at a time: what a reply's kinds mean, the reason buttons, the
question-log row of a turn, Rasa's extra payloads, the clustering, weeks, charts and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from app_store import LoggedTurn
from gateway.question_log import (
    REASON_PREFIX,
    SAFETY_QUESTION,
    outcome_of,
    reason_buttons,
    reason_of,
    turn_of,
)
from gateway.rasa_client import fold_replies
from gateway.schemas import ChatMessage, Source
from insights.charts import Series, sparkline, weekly_bars
from insights.content_gaps import GapsReport
from insights.publication import COLUMNS, publication_csv
from insights.topics import Topic, cluster_labels, gap_topics
from insights.weeks import recent_weeks, week_start, weekly_counts

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("kinds", "outcome"),
    [
        (["answer"], "answer"),
        (["definition"], "answer"),
        (["services", "services", None], "answer"),
        (["tentative", "tentative"], "tentative"),
        (["tentative", "handoff", "consent"], "tentative"),
        (["answer", "handoff", "consent"], "answer_and_signpost"),
        (["not_sure", "handoff", "consent"], "not_sure"),
        (["handoff", "consent"], "handoff"),
        (["safety", "answer"], "safety"),
        (["language", "out_of_scope"], "out_of_scope"),
        (["small_talk"], "small_talk"),
        (["clarify"], "fallback"),
        ([None], "fallback"),
        ([], "fallback"),
    ],
)
def test_what_the_assistant_did_is_read_from_the_kinds(kinds: list[str | None], outcome: str) -> None:
    assert outcome_of(kinds) == outcome


def test_the_reason_buttons_are_the_five_the_issue_names_and_read_back() -> None:
    buttons = reason_buttons()
    assert [b.title for b in buttons] == [
        "Not about what I asked",
        "Did not answer my question",
        "Hard to understand",
        "Out of date",
        "Something else",
    ]
    assert [reason_of(b.payload) for b in buttons] == [
        "off_topic",
        "not_answered",
        "hard_to_understand",
        "out_of_date",
        "something_else",
    ]
    assert reason_of(f"{REASON_PREFIX}made_up") is None
    assert reason_of("not helpful because it was off topic") is None


def test_a_turn_keeps_the_page_without_its_fragment_and_the_confidence() -> None:
    answer = ChatMessage(
        text="An EHC needs assessment ...",
        kind="answer",
        sources=[
            Source(
                title="Asking for an EHC needs assessment",
                url="http://127.0.0.1:8080/kb5/gloucs/glosfamilies/advice.page;jsessionid=AB12?id=ehc#:~:text=ask",
            )
        ],
    )
    answer._confidence = 0.82
    turn = turn_of("conv-1", "how do I ask for an ehcp", "parent", [answer], at_risk=False)
    assert turn.outcome == "answer"
    assert turn.page_url == "http://127.0.0.1:8080/kb5/gloucs/glosfamilies/advice.page?id=ehc"
    assert turn.page_title == "Asking for an EHC needs assessment"
    assert turn.confidence == pytest.approx(0.82)
    assert turn.kinds == ["answer"]


def test_an_at_risk_message_is_not_kept_in_the_question_log() -> None:
    turn = turn_of("conv-1", "[name] says he will hurt himself", "parent", [ChatMessage(kind="safety")], True)
    assert turn.question == SAFETY_QUESTION
    assert turn.outcome == "safety"


def test_rasa_payloads_carry_confidence_and_the_not_helpful_mark_to_the_gateway_only() -> None:
    messages = fold_replies(
        [
            {"text": "Sorry that didn't help. These pages might have what you need."},
            {"custom": {"kind": "not_sure", "sources": [{"title": "T", "url": "http://x"}], "confidence": 0.31}},
            {"custom": {"feedback": "not_helpful"}},
        ]
    )
    assert len(messages) == 1
    assert messages[0].kind == "not_sure"
    assert messages[0]._confidence == pytest.approx(0.31)
    assert messages[0]._not_helpful is True
    # Neither reaches the widget.
    assert "confidence" not in messages[0].model_dump_json()
    assert "not_helpful" not in messages[0].model_dump_json()
    # A mark with nothing before it adds no empty message.
    assert fold_replies([{"custom": {"feedback": "not_helpful"}}]) == []


def _turn(turn_id: int, question: str, at: datetime, outcome: str = "not_sure", **extra: object) -> LoggedTurn:
    values: dict[str, object] = {
        "id": turn_id,
        "conversation_id": f"c{turn_id}",
        "asked_at": at,
        "question": question,
        "audience": "parent",
        "outcome": outcome,
        "kinds": [outcome],
        "page_url": None,
        "page_title": None,
        "confidence": None,
        "helpful": None,
        "feedback_reason": None,
        "feedback_at": None,
    }
    values.update(extra)
    return LoggedTurn.model_validate(values)


def test_clustering_groups_near_vectors_and_is_the_same_every_time() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(3, 16))
    rows = np.vstack([centre + rng.normal(scale=0.05, size=(4, 16)) for centre in centres])
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    first = cluster_labels(rows, 0.3)
    assert first == cluster_labels(rows, 0.3)
    assert len(set(first)) == 3
    assert [len(set(first[i : i + 4])) for i in (0, 4, 8)] == [1, 1, 1]
    assert cluster_labels(rows[:1], 0.3) == [0]
    assert cluster_labels(rows[:0], 0.3) == []


def test_topics_count_weeks_pick_the_most_cited_page_and_drop_single_questions() -> None:
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    weeks = recent_weeks(now, 4, LONDON)
    page = {"page_url": "http://x/advice.page?id=health", "page_title": "Health"}
    turns = [
        _turn(1, "dentist for autistic child", now - timedelta(days=20), **page),
        _turn(2, "special needs dentist", now - timedelta(days=1), **page),
        _turn(3, "dentist for autistic child", now - timedelta(days=2), helpful=False, outcome="answer"),
        _turn(4, "eye test", now - timedelta(days=3)),
    ]
    vectors = np.array([[1, 0, 0], [0.95, 0.31, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    topics = gap_topics(turns, vectors, weeks, LONDON, distance=0.5, min_size=2)
    assert len(topics) == 1
    [topic] = topics
    assert topic.count == 3
    assert topic.label == "dentist for autistic child"
    assert topic.examples == ("dentist for autistic child", "special needs dentist")
    assert topic.nearest_page == ("http://x/advice.page?id=health", "Health")
    assert topic.unhelpful == 1
    assert sum(topic.weekly) == 3
    assert topic.weekly[-1] == 2
    assert dict(topic.outcomes) == {"not_sure": 2, "answer": 1}


def test_weeks_start_on_monday_in_the_councils_time_zone() -> None:
    # 00:30 on Monday in London in summer is still Sunday in UTC.
    sunday_night_utc = datetime(2026, 6, 7, 23, 30, tzinfo=UTC)
    assert week_start(sunday_night_utc, LONDON) == date(2026, 6, 8)
    weeks = recent_weeks(datetime(2026, 6, 10, tzinfo=UTC), 3, LONDON)
    assert weeks == [date(2026, 5, 25), date(2026, 6, 1), date(2026, 6, 8)]
    assert weekly_counts([sunday_night_utc, datetime(2026, 1, 1, tzinfo=UTC)], weeks, LONDON) == [0, 0, 1]


def test_charts_are_labelled_images_that_say_their_figures() -> None:
    weeks = [date(2026, 11, 9), date(2026, 11, 16)]
    svg = weekly_bars("c1", "Asked <and> missed", weeks, [Series("Asked", (3, 5)), Series("Missed", (1, 0))])
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert "Asked &lt;and&gt; missed" in svg
    assert "Asked: 9 Nov 3, 16 Nov 5; Missed: 9 Nov 1, 16 Nov 0" in svg
    assert svg.count("<rect") == 4 + 2  # bars and legend keys
    assert 'aria-label="trend"' in sparkline((0, 2, 1), "trend")


def test_the_publication_csv_has_the_publication_columns_and_no_formulas() -> None:
    weeks = [date(2026, 11, 9), date(2026, 11, 16)]
    now = datetime(2026, 11, 17, tzinfo=UTC)
    topic = Topic(
        label="=HYPERLINK(evil)",
        turns=(_turn(1, "=HYPERLINK(evil)", now),),
        examples=("=HYPERLINK(evil)", "is there a dentist"),
        weekly=(0, 1),
        nearest_page=None,
        unhelpful=0,
        outcomes=(("not_sure", 1),),
    )
    report = GapsReport(weeks, [topic], (0, 1), (0, 1), (0, 0), 1, 1, 0)
    rows = list(csv.reader(io.StringIO(publication_csv(report))))
    assert rows[0] == COLUMNS
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][2] == "1"
    assert rows[1][4] == rows[1][5] == "2026-11-16"
    assert rows[1][6] == "not sure (1)"
    assert rows[1][-2:] == ["", ""]
