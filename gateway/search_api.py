"""GET /api/search: the knowledge base's ranked passages for a query, for staff and debugging.

It shows what the assistant would find for a question, with the filters it read from the words,
the calibrated confidence, and each hit's citation. Content is public (the Local Offer pages), so
it needs no login, but it is rate-limited like the chat. The knowledge base and the embedding model
are loaded on the first search, in a worker thread, so the gateway starts quickly.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from gateway.rate_limit import ChatRateLimiter
from gateway.schemas import SearchHitOut, SearchReply, ServiceOut
from knowledge_base.embedding import shared_embedder
from knowledge_base.filters import DISTRICTS, NEEDS, PAGE_TYPES, SearchFilters
from knowledge_base.models import SearchResult
from knowledge_base.search import KnowledgeBase, KnowledgeBaseError
from knowledge_base.store import current_dir
from settings import Settings
from vocabulary.audiences import Audience

log = logging.getLogger(__name__)

# Plain words, no file names; /healthz tells staff which build is missing or damaged.
KB_UNAVAILABLE = "Search is not working just now. Please try again later."
TOO_MANY = "Too many searches in a short time. Please wait a moment and try again."


class _LazyKnowledgeBase:
    """One knowledge base per gateway process, opened on first use and again after a new build.

    A build switches 'current' atomically; checking where it points costs one readlink, so a
    rebuild (an editor's exclusion, a new crawl) is searched without restarting the gateway.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._kb: KnowledgeBase | None = None
        self._opened: Path | None = None
        self._lock = threading.Lock()

    def get(self) -> KnowledgeBase:
        with self._lock:
            current = current_dir(self._settings.kb_dir).resolve()
            if self._kb is None or current != self._opened:
                # The safety classifier already holds the sentence model: share it.
                self._kb = KnowledgeBase.load(self._settings.kb_dir, embedder=shared_embedder())
                self._opened = current
            return self._kb


def search_router(settings: Settings, limiter: ChatRateLimiter) -> APIRouter:
    """The /api/search route, bound to one knowledge base and the gateway's rate limiter."""
    router = APIRouter()
    kb = _LazyKnowledgeBase(settings)

    @router.get(
        "/api/search",
        response_model=SearchReply,
        tags=["search"],
        responses={
            422: {"description": "A parameter is not valid (unknown district, need or page type; age outside 0-25)"},
            429: {"description": "Too many searches"},
            503: {"description": "No knowledge base has been built, or it is damaged"},
        },
    )
    async def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500, description="The question, as a family would type it")],
        k: Annotated[int, Query(ge=1, le=20, description="How many passages")] = 5,
        district: Annotated[str | None, Query(description=f"One of: {', '.join(DISTRICTS)}")] = None,
        age: Annotated[float | None, Query(ge=0, le=25, description="The child's or young person's age")] = None,
        need: Annotated[str | None, Query(description=f"One of: {', '.join(NEEDS)}")] = None,
        page_type: Annotated[list[str] | None, Query(description=f"Any of: {', '.join(PAGE_TYPES)}")] = None,
        audience: Annotated[Audience | None, Query(description="Only pages written for this audience")] = None,
        asker: Annotated[Audience | None, Query(description="Prefer pages written for this asker")] = None,
        understand: Annotated[
            bool, Query(description="Read district, age and need from the question when no filter is given")
        ] = True,
    ) -> SearchReply:
        """Rank the knowledge base's passages for a question, with citations and a confidence verdict."""
        client = request.client.host if request.client else "unknown"
        wait = limiter.retry_after(f"search:{client}", client)
        if wait is not None:
            raise HTTPException(status_code=429, detail=TOO_MANY, headers={"Retry-After": str(wait)})
        given = any(v is not None for v in (district, age, need, page_type, audience))
        try:
            filters = (
                SearchFilters(
                    district=district,
                    age=age,
                    need=need,
                    page_types=tuple(page_type) if page_type else None,  # type: ignore[arg-type]
                    audience=audience,
                )
                if given
                else None
            )
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc

        def run() -> SearchResult:
            return kb.get().search(q, filters=filters, k=k, asker=asker, understand_query=understand)

        try:
            result = await run_in_threadpool(run)
        except KnowledgeBaseError as exc:
            # The error names files on the server: for the log only.
            log.error("search failed: %s", exc)
            raise HTTPException(status_code=503, detail=KB_UNAVAILABLE) from exc
        return reply_of(result)

    return router


def reply_of(result: SearchResult) -> SearchReply:
    """The API's view of a search result."""
    facts = result.facts
    return SearchReply(
        query=result.query,
        confident=result.confident,
        confidence=round(result.confidence, 4),
        filters={k: v for k, v in vars(result.filters).items() if v is not None},
        understood=(
            {
                "districts": list(facts.districts),
                "age": facts.age,
                "needs": list(facts.needs),
                "young_person": facts.young_person,
            }
            if facts is not None
            else None
        ),
        hits=[
            SearchHitOut(
                title=h.title,
                url=h.url,
                section=h.section,
                last_updated=h.last_updated,
                page_type=h.page_type,
                audience=h.audience,
                score=round(h.score, 4),
                text=h.text,
                service=ServiceOut.model_validate(vars(h.service)) if h.service is not None else None,
            )
            for h in result.hits
        ],
    )
