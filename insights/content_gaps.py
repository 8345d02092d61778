"""The content-gaps view: topics of questions the pages did not answer well, and weekly figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app_store import AppStore, LoggedTurn
from insights.topics import Embed, Topic, gap_topics, gap_turns, question_vectors
from insights.weeks import recent_weeks, weekly_counts, window_start
from settings import Settings

# Not questions about the Local Offer: left out of every count editors see.
NOT_QUESTIONS = frozenset({"safety", "small_talk"})


@dataclass(frozen=True)
class GapsReport:
    weeks: list[date]
    topics: list[Topic]
    asked_weekly: tuple[int, ...]  # questions asked
    gaps_weekly: tuple[int, ...]  # of those, not answered with confidence or marked unhelpful
    unhelpful_weekly: tuple[int, ...]  # marked 'That didn't help'
    questions: int
    gaps: int
    single_questions: int  # gap questions in no topic yet (asked once)


def questions_in_window(store: AppStore, settings: Settings, now: datetime) -> tuple[list[date], list[LoggedTurn]]:
    """The editors' window of weeks, and the family questions logged in it."""
    zone = ZoneInfo(settings.working_timezone)
    weeks = recent_weeks(now, settings.insights_weeks, zone)
    turns = [t for t in store.turns_between(window_start(weeks, zone)) if t.outcome not in NOT_QUESTIONS]
    return weeks, turns


def gaps_report(store: AppStore, settings: Settings, now: datetime, embed: Embed) -> GapsReport:
    zone = ZoneInfo(settings.working_timezone)
    weeks, turns = questions_in_window(store, settings, now)
    gaps = gap_turns(turns)
    vectors = question_vectors(store, gaps, embed)
    topics = gap_topics(
        gaps, vectors, weeks, zone, settings.insights_topic_distance, min_size=settings.insights_min_topic_size
    )
    return GapsReport(
        weeks=weeks,
        topics=topics,
        asked_weekly=tuple(weekly_counts((t.asked_at for t in turns), weeks, zone)),
        gaps_weekly=tuple(weekly_counts((t.asked_at for t in gaps), weeks, zone)),
        unhelpful_weekly=tuple(weekly_counts((t.asked_at for t in turns if t.helpful is False), weeks, zone)),
        questions=len(turns),
        gaps=len(gaps),
        single_questions=len(gaps) - sum(topic.count for topic in topics),
    )
