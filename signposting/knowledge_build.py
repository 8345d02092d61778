"""Crawl a site, extract and chunk its pages, and build the knowledge base (the 'build' command)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from tqdm import tqdm

from ingestion.chunk import chunk_document
from ingestion.crawl import Crawler, CrawlScope, CrawlStats
from ingestion.extract import extract
from ingestion.models import Chunk, ServiceRecord
from ingestion.page_store import PageStore
from knowledge_base.build import build_knowledge_base, is_current
from knowledge_base.embedding import Embedder
from knowledge_base.models import Manifest
from knowledge_base.store import current_manifest
from signposting.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class BuildOutcome:
    manifest: Manifest
    built: bool  # False when the current build already held exactly this content
    crawl: CrawlStats
    pages: int
    chunks: int


def crawl_site(settings: Settings, start_urls: list[str], delay_seconds: float, show_progress: bool) -> CrawlStats:
    """Fetch the site into the page store."""
    hosts = {urlsplit(u).netloc for u in start_urls}
    if settings.site == "live":
        hosts |= set(settings.live_allowed_hosts)
    crawler = Crawler(
        CrawlScope(start_urls=start_urls, allowed_hosts=hosts),
        user_agent=settings.crawl_user_agent,
        delay_seconds=delay_seconds,
        timeout_seconds=settings.crawl_timeout_seconds,
        max_pages=settings.crawl_max_pages,
    )
    store = PageStore(settings.crawl_db)
    try:
        with tqdm(desc="Crawling", unit="page", disable=not show_progress) as bar:
            for page in crawler.crawl():
                store.save(page)
                bar.update(1)
    finally:
        crawler.close()
        store.close()
    return crawler.stats


def extract_and_chunk(settings: Settings) -> tuple[list[Chunk], dict[str, ServiceRecord], int]:
    """Chunks, service records and the number of pages with content, from every stored page."""
    chunks: list[Chunk] = []
    services: dict[str, ServiceRecord] = {}
    documents = 0
    store = PageStore(settings.crawl_db)
    try:
        for page in store.pages():
            doc = extract(page)
            if doc is None or not (doc.sections or doc.service):
                continue
            documents += 1
            if doc.service is not None:
                services[doc.url] = doc.service
            chunks.extend(chunk_document(doc))
    finally:
        store.close()
    return chunks, services, documents


def build_from_site(
    settings: Settings, start_urls: list[str], delay_seconds: float, show_progress: bool = True
) -> BuildOutcome:
    """Crawl, extract, chunk and build; skip the build when nothing changed since the current one."""
    # A fresh crawl store per build run: the crawl is not incremental yet (issue 3), so stale pages
    # from an earlier crawl must not leak into this build.
    settings.crawl_db.unlink(missing_ok=True)
    stats = crawl_site(settings, start_urls, delay_seconds, show_progress)
    chunks, services, documents = extract_and_chunk(settings)
    current = current_manifest(settings.kb_dir)
    if current is not None and is_current(current, chunks, services, settings.site):
        return BuildOutcome(current, built=False, crawl=stats, pages=documents, chunks=len(chunks))
    manifest = build_knowledge_base(
        chunks,
        services,
        settings.kb_dir,
        source=settings.site,
        embedder=Embedder(batch_size=settings.embedding_batch_size),
        documents=documents,
        show_progress=show_progress,
    )
    return BuildOutcome(manifest, built=True, crawl=stats, pages=documents, chunks=len(chunks))
