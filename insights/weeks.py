"""Weeks as editors count them: Monday to Sunday, in the council's time zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def week_start(moment: datetime, zone: ZoneInfo) -> date:
    """The Monday of the week ``moment`` falls in, in ``zone``."""
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def recent_weeks(now: datetime, count: int, zone: ZoneInfo) -> list[date]:
    """The Mondays of the last ``count`` weeks, oldest first, this week last."""
    this_week = week_start(now, zone)
    return [this_week - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def window_start(weeks: list[date], zone: ZoneInfo) -> datetime:
    """The first moment of the first week, as an aware datetime."""
    return datetime.combine(weeks[0], time(0), tzinfo=zone)


def weekly_counts(moments: Iterable[datetime], weeks: list[date], zone: ZoneInfo) -> list[int]:
    """How many of ``moments`` fall in each of ``weeks`` (others are not counted)."""
    index = {monday: position for position, monday in enumerate(weeks)}
    counts = [0] * len(weeks)
    for moment in moments:
        position = index.get(week_start(moment, zone))
        if position is not None:
            counts[position] += 1
    return counts
