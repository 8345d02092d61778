"""Reports for Local Offer editors: broken links, and pages not reviewed for over a year."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime
from pathlib import Path

from ingestion.page_store import PageStore

STALE_AFTER_DAYS = 365
_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}  # fmt: skip


@dataclass(frozen=True)
class BrokenLink:
    page: str
    link: str
    status: int
    state: str


@dataclass(frozen=True)
class StalePage:
    url: str
    title: str
    last_updated: str
    days_old: int


def parse_stamp(text: str | None) -> date | None:
    """A kb5 'reviewed'/'last updated' stamp as a date: 'March 2026' (the 1st) or '12/03/2026' (UK order)."""
    if not text:
        return None
    text = text.strip()
    if found := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = (int(g) for g in found.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    if (found := re.fullmatch(r"([A-Za-z]+)\s+(\d{4})", text)) and found.group(1).lower() in _MONTHS:
        return date(int(found.group(2)), _MONTHS[found.group(1).lower()], 1)
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def broken_links(store: PageStore, visited: set[str]) -> list[BrokenLink]:
    """Links on current pages whose target answered 404/410 or could not be fetched."""
    states = store.states()
    found = []
    for url, links in store.links("ok"):
        if url not in visited:
            continue
        for link in links:
            state, status = states.get(link, ("ok", 200))
            if state in ("missing", "removed", "failed"):
                found.append(BrokenLink(url, link, status, state))
    return found


def stale_pages(pages: Iterable[tuple[str, str, str | None]], today: date) -> list[StalePage]:
    """Pages (url, title, stamp) whose stamp is more than a year before ``today``, oldest first."""
    found = []
    for url, title, stamp in pages:
        when = parse_stamp(stamp)
        if when is not None and (today - when).days > STALE_AFTER_DAYS:
            found.append(StalePage(url, title, stamp or "", (today - when).days))
    return sorted(found, key=lambda p: -p.days_old)


def write_csv(path: Path, rows: list[BrokenLink] | list[StalePage], kind: type[BrokenLink] | type[StalePage]) -> None:
    """Write a report as CSV with a header row (the file editors open in a spreadsheet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f.name for f in fields(kind)])
        writer.writerows(astuple(r) for r in rows)


def read_broken_links(path: Path) -> list[BrokenLink]:
    """The broken-link report a build wrote (empty when there is none yet)."""
    if not path.is_file():
        return []
    with path.open(newline="") as f:
        return [BrokenLink(r["page"], r["link"], int(r["status"] or 0), r["state"]) for r in csv.DictReader(f)]


def read_stale_pages(path: Path) -> list[StalePage]:
    """The stale-page report a build wrote (empty when there is none yet)."""
    if not path.is_file():
        return []
    with path.open(newline="") as f:
        return [StalePage(r["url"], r["title"], r["last_updated"], int(r["days_old"])) for r in csv.DictReader(f)]
