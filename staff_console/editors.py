"""The Local Offer editors' pages: content gaps, pages, excluded pages, 'you said, we did'.

Editors (and admins) only; caseworkers get 403 and anonymous visitors the sign-in page, through
the console's own ``editor`` dependency. Every view is audited (the pages show families'
redacted questions); every change (excluding a page, putting it back) is audited with who, when
and why. The figures come from ``insights``; this module only turns them into pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Form, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from app_store import AppStore, ExclusionRefused, LoggedTurn
from app_store.insights_models import EXCLUSION_REASONS, ExclusionReason
from app_store.tables import utc_now
from ingestion.urls import normalise_url
from insights.charts import Series, sparkline, weekly_bars
from insights.content_gaps import GapsReport, gaps_report, questions_in_window
from insights.pages import page_figures, pages_report
from insights.publication import active_weeks, outcome_words, publication_csv
from insights.weeks import weekly_counts
from knowledge_base.embedding import embed_texts
from settings import Settings
from staff_console.web import Staff

PageRenderer = Callable[..., HTMLResponse]
Redirector = Callable[[Request, str], RedirectResponse]
Dependency = Callable[..., Any]


def add_editor_routes(
    console: FastAPI,
    settings: Settings,
    store: AppStore,
    page: PageRenderer,
    redirect: Redirector,
    editor: Dependency,
    editor_post: Dependency,
) -> None:
    """Add the editors' routes to the console, using its page renderer and role dependencies.

    Added to the console app itself (not an included router), so the console's route listing,
    which the access tests walk, shows them like every other page.
    """

    def report_now() -> GapsReport:
        return gaps_report(store, settings, utc_now(), embed_texts)

    @console.get("/editors")
    def editors_home(request: Request, who: Staff = Depends(editor)) -> Response:  # noqa: B008
        return redirect(request, "/editors/gaps")

    @console.get("/editors/gaps", response_class=HTMLResponse)
    def gaps(request: Request, who: Staff = Depends(editor)) -> Response:  # noqa: B008
        report = report_now()
        store.audit(who.actor, "insights_view", detail="content gaps", ip=who.ip)
        chart = weekly_bars(
            "gaps-chart",
            "Questions asked, and questions not answered well, by week",
            report.weeks,
            [Series("Questions asked", report.asked_weekly), Series("Not answered well", report.gaps_weekly)],
        )
        sparks = [
            sparkline(topic.weekly, f"Trend over {len(report.weeks)} weeks: " + ", ".join(map(str, topic.weekly)))
            for topic in report.topics
        ]
        return page(request, "editors/gaps.html", who, report=report, chart=chart, sparks=sparks, weeks=report.weeks)

    @console.get("/editors/pages", response_class=HTMLResponse)
    def pages(request: Request, who: Staff = Depends(editor)) -> Response:  # noqa: B008
        weeks, turns = questions_in_window(store, settings, utc_now())
        report = pages_report(turns, settings.reports_dir)
        store.audit(who.actor, "insights_view", detail="pages", ip=who.ip)
        unhelpful_by_week = _weekly_unhelpful(turns, weeks, settings)
        chart = weekly_bars(
            "unhelpful-chart",
            "Answers marked 'That didn't help', by week",
            weeks,
            [Series("Marked unhelpful", unhelpful_by_week)],
        )
        return page(
            request,
            "editors/pages.html",
            who,
            report=report,
            chart=chart,
            weeks=weeks,
            unhelpful_by_week=unhelpful_by_week,
            excluded={e.url for e in store.list_exclusions(active_only=True)},
        )

    def exclusions_page(
        request: Request, who: Staff, status_code: int = 200, errors: dict[str, str] | None = None, **form: str
    ) -> HTMLResponse:
        return page(
            request,
            "editors/exclusions.html",
            who,
            status_code,
            exclusions=store.list_exclusions(),
            reasons=EXCLUSION_REASONS,
            errors=errors or {},
            form=form,
            note=request.query_params.get("done", ""),
        )

    @console.get("/editors/exclusions", response_class=HTMLResponse)
    def exclusions(request: Request, who: Staff = Depends(editor)) -> Response:  # noqa: B008
        return exclusions_page(request, who, url=request.query_params.get("url", "")[:1000])

    @console.post("/editors/exclusions", response_class=HTMLResponse)
    def exclude(
        request: Request,
        url: str = Form(""),
        reason: str = Form(""),
        note: str = Form(""),
        who: Staff = Depends(editor_post),  # noqa: B008
    ) -> Response:
        errors: dict[str, str] = {}
        if not url.strip().startswith(("http://", "https://")):
            errors["url"] = "Enter the page's full address, starting with https://."
        if reason not in EXCLUSION_REASONS:
            errors["reason"] = "Choose why the page should be left out."
        if not errors:
            chosen: ExclusionReason = reason  # type: ignore[assignment]
            # The form the build compares with: no fragment, session id or tracking parameters.
            page_url = normalise_url(url.strip())
            try:
                exclusion = store.exclude_page(page_url, _title_of(store, settings, page_url), chosen, note, who.actor)
            except ExclusionRefused as exc:
                errors["url"] = str(exc)
            else:
                store.audit(
                    who.actor,
                    "page_excluded",
                    target=f"exclusion {exclusion.id}",
                    detail=f"{exclusion.url} ({exclusion.reason}) {exclusion.note}"[:500],
                    ip=who.ip,
                )
                return redirect(request, "/editors/exclusions?done=excluded")
        return exclusions_page(request, who, 400, errors, url=url[:1000], reason=reason, note=note[:500])

    @console.post("/editors/exclusions/{exclusion_id}/lift")
    def lift(request: Request, exclusion_id: int, who: Staff = Depends(editor_post)) -> Response:  # noqa: B008
        try:
            exclusion = store.lift_exclusion(exclusion_id, who.actor)
        except ExclusionRefused as exc:
            return exclusions_page(request, who, 404, {"lift": str(exc)})
        store.audit(
            who.actor, "exclusion_lifted", target=f"exclusion {exclusion.id}", detail=exclusion.url[:500], ip=who.ip
        )
        return redirect(request, "/editors/exclusions?done=lifted")

    @console.get("/editors/you-said-we-did", response_class=HTMLResponse)
    def publication(request: Request, who: Staff = Depends(editor)) -> Response:  # noqa: B008
        report = report_now()
        store.audit(who.actor, "insights_view", detail="you said, we did (printable)", ip=who.ip)
        rows = [(topic, *active_weeks(topic, report.weeks), outcome_words(topic)) for topic in report.topics]
        return page(request, "editors/publication.html", who, report=report, rows=rows)

    @console.get("/editors/you-said-we-did.csv")
    def publication_download(request: Request, who: Staff = Depends(editor)) -> Response:  # noqa: B008
        report = report_now()
        store.audit(who.actor, "export", detail=f"you said, we did: {len(report.topics)} topics", ip=who.ip)
        stamp = utc_now().strftime("%Y%m%d")
        return PlainTextResponse(
            publication_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="you-said-we-did-{stamp}.csv"'},
        )


def _weekly_unhelpful(turns: list[LoggedTurn], weeks: list[date], settings: Settings) -> tuple[int, ...]:
    zone = ZoneInfo(settings.working_timezone)
    return tuple(weekly_counts((t.asked_at for t in turns if t.helpful is False), weeks, zone))


def _title_of(store: AppStore, settings: Settings, url: str) -> str:
    """The page's title as the assistant last cited it, if it did (else the address is shown)."""
    _weeks, turns = questions_in_window(store, settings, utc_now())
    figures = page_figures(turns).get(url.strip())
    return figures.title if figures else ""
