"""Service-level targets: time waiting for SENDIASS's first response, in working hours.

Working hours come from settings (days, start, end, time zone, holidays). An escalation that
arrives on a Friday evening starts waiting on Monday at 9. The wait ends at the first response
(a contact attempt, or closing); until then it grows. A case breaches its target when its wait is
longer than the target for its urgency. The weekly report counts, for the escalations that arrived
each week, the share answered within target; cases still waiting and not yet over their target
are left out, since they may still meet it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from app_store import Escalation
from settings import Settings


class Wait(BaseModel):
    hours: float
    target_hours: float
    breached: bool
    answered: bool

    @property
    def label(self) -> str:
        return format_hours(self.hours)


class WeekShare(BaseModel):
    week_start: date
    met: int
    missed: int
    pending: int

    @property
    def share(self) -> float | None:
        judged = self.met + self.missed
        return None if judged == 0 else self.met / judged


def format_hours(hours: float) -> str:
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def working_hours_between(settings: Settings, start: datetime, end: datetime) -> float:
    """Working hours from ``start`` to ``end`` (both aware datetimes)."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(settings.working_timezone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    holidays = set(settings.working_holidays)
    total = timedelta()
    day = local_start.date()
    while day <= local_end.date():
        if day.weekday() in settings.working_days and day not in holidays:
            open_at = datetime.combine(day, settings.working_day_start, tzinfo=zone)
            close_at = datetime.combine(day, settings.working_day_end, tzinfo=zone)
            begin, finish = max(open_at, local_start), min(close_at, local_end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def target_hours(settings: Settings, urgent: bool) -> float:
    return settings.sla_urgent_working_hours if urgent else settings.sla_standard_working_hours


def wait_of(settings: Settings, escalation: Escalation, now: datetime) -> Wait:
    answered = escalation.first_response_at is not None
    end = escalation.first_response_at or now
    hours = working_hours_between(settings, escalation.created_at, end)
    target = target_hours(settings, escalation.urgent)
    return Wait(hours=hours, target_hours=target, breached=hours > target, answered=answered)


def weekly_shares(settings: Settings, escalations: list[Escalation], now: datetime, weeks: int = 8) -> list[WeekShare]:
    """Share of escalations answered within target, per week of arrival (Monday to Sunday), newest first."""
    zone = ZoneInfo(settings.working_timezone)
    this_monday = now.astimezone(zone).date() - timedelta(days=now.astimezone(zone).weekday())
    shares = {
        this_monday - timedelta(weeks=n): WeekShare(
            week_start=this_monday - timedelta(weeks=n), met=0, missed=0, pending=0
        )
        for n in range(weeks)
    }
    for escalation in escalations:
        local = escalation.created_at.astimezone(zone).date()
        week = shares.get(local - timedelta(days=local.weekday()))
        if week is None:
            continue
        wait = wait_of(settings, escalation, now)
        if wait.breached:
            week.missed += 1
        elif wait.answered:
            week.met += 1
        else:
            week.pending += 1
    return [shares[key] for key in sorted(shares, reverse=True)]
