"""Typed records that cross the knowledge-base boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from ingestion.models import PageAudience, PageType, ServiceRecord

if TYPE_CHECKING:
    from knowledge_base.confidence import RankingFeatures
    from knowledge_base.filters import SearchFilters
    from knowledge_base.query_understanding import QueryFacts

# Bump when the files a build writes change shape; older builds are then rebuilt, not reused.
FORMAT_VERSION = 5


class Manifest(BaseModel):
    """What a build holds; checked when the knowledge base is loaded."""

    format_version: int = 1
    build_id: str
    model_name: str
    model_weights_sha256: str
    dimension: int
    chunks: int
    documents: int
    services: int
    source: Literal["demo", "live"]
    snapshot_date: str
    built_at: str
    build_seconds: float
    embedded: int
    reused_embeddings: int
    content_sha256: str
    examples: int = 0  # example questions (knowledge_base/examples.py) whose page is in the build


@dataclass(frozen=True)
class SearchHit:
    """A passage that may answer the query, with everything needed to cite it."""

    chunk_id: str
    score: float
    text: str
    title: str
    url: str
    doc_url: str
    section: str
    last_updated: str | None
    page_type: PageType
    service: ServiceRecord | None = None
    audience: PageAudience = "all"


@dataclass(frozen=True)
class SearchResult:
    """Ranked hits for one query, and whether the best of them can be trusted to answer it.

    ``confident`` is the calibrated yes/no the dialogue acts on: when it is False the bot says it is
    not sure, offers the closest pages and offers SENDIASS. ``confidence`` is the estimated
    probability that the top hit's page answers the question.
    """

    query: str
    hits: list[SearchHit]
    confident: bool
    confidence: float
    filters: SearchFilters
    facts: QueryFacts | None = None
    features: RankingFeatures | None = None  # what the confidence model read (for evaluation)
    # The page re-ranker's chance for each of the first pages (doc_url -> 0-1), whether or not the
    # order was re-ranked: a follow-up's page is chosen from two searches' chances (answering.py).
    page_chances: dict[str, float] = field(default_factory=dict)
