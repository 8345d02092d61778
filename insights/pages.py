"""The pages view: which pages the assistant cites most, which families mark unhelpful and why,
which are not reviewed for over a year, and which link to pages that are gone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app_store import LoggedTurn
from ingestion.reports import BrokenLink, StalePage, read_broken_links, read_stale_pages

ANSWERING = frozenset({"answer", "answer_and_signpost", "tentative"})


@dataclass(frozen=True)
class PageFigures:
    url: str
    title: str
    cited: int  # turns that quoted it as the answer
    unhelpful: int  # of all turns citing it, how many were marked 'That didn't help'
    reasons: tuple[tuple[str, int], ...]  # why, most common first


@dataclass(frozen=True)
class PagesReport:
    most_cited: list[PageFigures]
    most_unhelpful: list[PageFigures]
    stale: list[StalePage]
    broken: list[BrokenLink]


def page_figures(turns: Sequence[LoggedTurn]) -> dict[str, PageFigures]:
    """Figures for every page a turn cited."""
    titles: dict[str, str] = {}
    cited: Counter[str] = Counter()
    unhelpful: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {}
    for turn in turns:
        if not turn.page_url:
            continue
        titles.setdefault(turn.page_url, turn.page_title or turn.page_url)
        if turn.outcome in ANSWERING:
            cited[turn.page_url] += 1
        if turn.helpful is False:
            unhelpful[turn.page_url] += 1
            reasons.setdefault(turn.page_url, Counter())[turn.feedback_reason or "no_reason"] += 1
    return {
        url: PageFigures(
            url=url,
            title=title,
            cited=cited[url],
            unhelpful=unhelpful[url],
            reasons=tuple(sorted(reasons.get(url, Counter()).items(), key=lambda item: (-item[1], item[0]))),
        )
        for url, title in titles.items()
    }


def pages_report(turns: Sequence[LoggedTurn], reports_dir: Path, top: int = 10) -> PagesReport:
    figures = list(page_figures(turns).values())
    most_cited = sorted((f for f in figures if f.cited), key=lambda f: (-f.cited, f.url))[:top]
    most_unhelpful = sorted((f for f in figures if f.unhelpful), key=lambda f: (-f.unhelpful, f.url))[:top]
    return PagesReport(
        most_cited=most_cited,
        most_unhelpful=most_unhelpful,
        stale=read_stale_pages(reports_dir / "stale_pages.csv"),
        broken=read_broken_links(reports_dir / "broken_links.csv"),
    )
