"""Crawl a site, extract and chunk its pages, and build the knowledge base (the 'build' command).

Only pages seen in the latest complete crawl are indexed, so a page that now answers 404/410, or
that the site no longer links, leaves the index at the next build. Extraction is cached by the
page's content hash and by the extractor's own code, so an unchanged page is not extracted again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from tqdm import tqdm

import ingestion
from ingestion.chunk import chunk_document
from ingestion.crawl import Crawler, CrawlScope, CrawlStats, Outcome
from ingestion.extract import extract, page_type_of
from ingestion.models import Chunk, ServiceRecord
from ingestion.page_store import PageStore
from ingestion.reports import BrokenLink, StalePage, broken_links, stale_pages, write_csv
from ingestion.urls import normalise_url
from knowledge_base.build import build_knowledge_base, is_current
from knowledge_base.embedding import Embedder
from knowledge_base.examples import load_all_examples
from knowledge_base.models import Manifest
from knowledge_base.store import current_manifest
from settings import Settings

log = logging.getLogger(__name__)


class CrawlIncomplete(RuntimeError):
    """The crawl stopped before its frontier was empty; the next run resumes it."""


@dataclass
class ExtractedPage:
    """What extraction made of one page: its passages, its service record and its stamps."""

    url: str
    title: str
    last_updated: str | None
    chunks: list[Chunk]
    service: ServiceRecord | None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ExtractedPage:
        data = json.loads(text)
        service = ServiceRecord.from_dict(data["service"]) if data["service"] else None
        return cls(data["url"], data["title"], data["last_updated"], [Chunk(**c) for c in data["chunks"]], service)


@dataclass
class ExtractStats:
    extracted: int = 0
    reused: int = 0
    empty: int = 0
    excluded: int = 0  # left out of the index by an editor's content exclusion


class ExcludedPages(Protocol):
    """Where the build learns which pages editors excluded (the app store in production).

    A protocol, so the build depends on the one question it asks and not on the console or the
    database that answers it.
    """

    def excluded_urls(self) -> frozenset[str]: ...


@dataclass
class BuildOutcome:
    manifest: Manifest
    built: bool  # False when the current build already held exactly this content
    crawl: CrawlStats
    extraction: ExtractStats
    pages: list[ExtractedPage]
    broken_links: list[BrokenLink]
    stale_pages: list[StalePage]


def extractor_version() -> str:
    """A hash of the ingestion code: a change to it invalidates cached extractions."""
    digest = hashlib.sha256()
    for path in sorted(Path(ingestion.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def crawl_site(settings: Settings, start_urls: list[str], delay_seconds: float, show_progress: bool) -> CrawlStats:
    """Fetch the site into the page store, resuming an interrupted crawl."""
    hosts = {urlsplit(u).netloc for u in start_urls}
    if settings.site == "live":
        hosts |= set(settings.live_allowed_hosts)
    store = PageStore(settings.crawl_db)
    crawler = Crawler(
        CrawlScope(
            start_urls=start_urls,
            allowed_hosts=hosts,
            path_patterns=[re.compile(p) for p in settings.crawl_path_patterns],
        ),
        store,
        user_agent=settings.crawl_user_agent,
        delay_seconds=delay_seconds,
        timeout_seconds=settings.crawl_timeout_seconds,
        max_pages=settings.crawl_max_pages,
        revalidate_after=timedelta(days=settings.crawl_revalidate_days),
    )
    try:
        with tqdm(desc="Crawling", unit="page", disable=not show_progress) as bar:

            def advance(url: str, outcome: Outcome) -> None:
                bar.set_postfix_str(outcome, refresh=False)
                bar.update(1)

            stats = crawler.crawl(on_visit=advance)
    finally:
        crawler.close()
        store.close()
    return stats


def extract_pages(settings: Settings, show_progress: bool = False) -> tuple[list[ExtractedPage], ExtractStats]:
    """Extraction of every page seen in the latest complete crawl, reusing cached results."""
    store = PageStore(settings.crawl_db)
    stats = ExtractStats()
    pages: list[ExtractedPage] = []
    listed_in: dict[str, list[str]] = {}  # service URL -> titles of the channel pages linking it
    version = extractor_version()
    try:
        run = store.last_finished_run()
        if run is None:
            raise CrawlIncomplete("No complete crawl yet: run the build again to finish (and resume) the crawl.")
        visited = store.visited(run)
        for page in tqdm(list(store.pages(("ok",))), desc="Extracting", unit="page", disable=not show_progress):
            if page.final_url not in visited:
                continue
            key = f"{page.content_hash}:{version}"
            cached = store.extracted(page.final_url, key)
            if cached is not None:
                stats.reused += 1
                result = ExtractedPage.from_json(cached)
            else:
                stats.extracted += 1
                doc = extract(page)
                if doc is None:
                    result = ExtractedPage(page.final_url, "", None, [], None)
                else:
                    chunks = list(chunk_document(doc)) if (doc.sections or doc.service) else []
                    result = ExtractedPage(doc.url, doc.title, doc.last_updated, chunks, doc.service)
                store.save_extracted(page.final_url, key, result.to_json())
            if result.chunks:
                pages.append(result)
            else:
                stats.empty += 1
            if page_type_of(page.final_url) == "channel":
                for link in page.links:
                    listed_in.setdefault(link, []).append(result.title)
    finally:
        store.close()
    # Which channel pages list a service is known only once every page has been read.
    for result in pages:
        if result.service is not None and result.url in listed_in:
            result.service = dataclasses.replace(result.service, channels=tuple(dict.fromkeys(listed_in[result.url])))
    return pages, stats


def build_from_site(
    settings: Settings,
    start_urls: list[str],
    delay_seconds: float,
    show_progress: bool = True,
    excluded: ExcludedPages | None = None,
    force: bool = False,
) -> BuildOutcome:
    """Crawl, extract, chunk and build; skip the build when nothing changed since the current one (unless ``force``).

    Pages ``excluded`` names (editors' content exclusions) are crawled and reported on as usual
    but left out of the index; lifting an exclusion brings the page back at the next build.
    """
    crawl = crawl_site(settings, start_urls, delay_seconds, show_progress)
    if not crawl.finished:
        raise CrawlIncomplete(
            f"The crawl stopped after {crawl.visited} pages (limit {settings.crawl_max_pages}) before it was "
            "complete. Run the build again to resume it."
        )
    pages, extraction = extract_pages(settings, show_progress)
    broken, stale = write_reports(settings, pages)
    leave_out = {normalise_url(url) for url in excluded.excluded_urls()} if excluded is not None else set()
    kept = [p for p in pages if normalise_url(p.url) not in leave_out]
    extraction.excluded = len(pages) - len(kept)
    pages = kept
    chunks = [c for p in pages for c in p.chunks]
    services = {p.url: p.service for p in pages if p.service is not None}
    examples = load_all_examples()
    current = current_manifest(settings.kb_dir)
    if not force and current is not None and is_current(current, chunks, services, settings.site, examples):
        return BuildOutcome(current, False, crawl, extraction, pages, broken, stale)
    manifest = build_knowledge_base(
        chunks,
        services,
        settings.kb_dir,
        source=settings.site,
        embedder=Embedder(batch_size=settings.embedding_batch_size),
        documents=len(pages),
        show_progress=show_progress,
        examples=examples,
        cache_file=settings.embedding_cache_file,
    )
    return BuildOutcome(manifest, True, crawl, extraction, pages, broken, stale)


def write_reports(settings: Settings, pages: list[ExtractedPage]) -> tuple[list[BrokenLink], list[StalePage]]:
    """Broken links and stale pages of the latest complete crawl, as CSV files in var/reports/."""
    store = PageStore(settings.crawl_db)
    try:
        run = store.last_finished_run()
        broken = broken_links(store, store.visited(run)) if run is not None else []
    finally:
        store.close()
    stale = stale_pages(((p.url, p.title, p.last_updated) for p in pages), datetime.now(UTC).date())
    write_csv(settings.reports_dir / "broken_links.csv", broken, BrokenLink)
    write_csv(settings.reports_dir / "stale_pages.csv", stale, StalePage)
    return broken, stale
