"""A polite breadth-first crawler for kb5 sites.

Politeness follows scrapy's defaults in spirit: robots.txt is obeyed, requests to one host are
spaced by a delay, the User-Agent says who we are, and transient failures are retried with
exponential backoff. (Issue 3 grows this into an incremental, resumable crawler.)
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from bs4 import BeautifulSoup
from protego import Protego

from ingestion.models import FetchedPage
from ingestion.urls import normalise_url

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class CrawlScope:
    """What the crawler may fetch: start URLs, hosts, and path patterns."""

    start_urls: list[str]
    allowed_hosts: set[str]
    path_patterns: list[re.Pattern[str]] = field(
        default_factory=lambda: [re.compile(r"^/kb5/gloucs/glosfamilies/(advice|service|localoffer|site)\.page$")]
    )

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc not in self.allowed_hosts:
            return False
        return any(p.match(parts.path) for p in self.path_patterns)


@dataclass
class CrawlStats:
    fetched: int = 0
    failed: int = 0
    disallowed: int = 0
    seconds: float = 0.0


class Crawler:
    """Fetch every in-scope page reachable from the start URLs."""

    def __init__(
        self,
        scope: CrawlScope,
        user_agent: str,
        delay_seconds: float = 1.0,
        timeout_seconds: float = 20.0,
        max_pages: int = 5000,
        max_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.scope = scope
        self.user_agent = user_agent
        self.delay_seconds = delay_seconds
        self.max_pages = max_pages
        self.max_retries = max_retries
        self.stats = CrawlStats()
        self._sleep = sleep
        self._robots: dict[str, Protego] = {}
        self._last_request: dict[str, float] = {}
        self._client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=timeout_seconds,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def crawl(self) -> Iterator[FetchedPage]:
        """Yield each fetched page (any status) in breadth-first order."""
        started = time.monotonic()
        seen: set[str] = set()
        frontier: deque[str] = deque()
        for url in self.scope.start_urls:
            norm = normalise_url(url)
            if norm not in seen:
                seen.add(norm)
                frontier.append(norm)
        try:
            while frontier and self.stats.fetched < self.max_pages:
                url = frontier.popleft()
                if not self._robots_allow(url):
                    self.stats.disallowed += 1
                    continue
                page = self._fetch(url)
                if page is None:
                    self.stats.failed += 1
                    continue
                self.stats.fetched += 1
                yield page
                for link in page.links:
                    if link not in seen and self.scope.allows(link):
                        seen.add(link)
                        frontier.append(link)
        finally:
            self.stats.seconds = time.monotonic() - started

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            try:
                response = self._request(f"{root}/robots.txt")
                text = response.text if response is not None and response.status_code == 200 else ""
            except httpx.HTTPError:
                text = ""
            self._robots[root] = Protego.parse(text)
        return bool(self._robots[root].can_fetch(url, self.user_agent))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None and self.delay_seconds > 0:
            pause = self.delay_seconds - (time.monotonic() - last)
            if pause > 0:
                self._sleep(pause)
        self._last_request[host] = time.monotonic()

    def _request(self, url: str) -> httpx.Response | None:
        """GET with retries on timeouts, connection errors, 429 and 5xx; None when all tries fail."""
        for attempt in range(self.max_retries + 1):
            self._wait_for_host(url)
            try:
                response = self._client.get(url)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                log.warning("fetch %s failed (%s), attempt %d", url, exc.__class__.__name__, attempt + 1)
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                log.warning("fetch %s answered %d, attempt %d", url, response.status_code, attempt + 1)
                if attempt == self.max_retries:
                    return response
            if attempt < self.max_retries:
                self._sleep(min(2.0**attempt, 30.0) * max(self.delay_seconds, 0.05))
        return None

    def _fetch(self, url: str) -> FetchedPage | None:
        response = self._request(url)
        if response is None:
            return None
        body = response.content
        content_type = response.headers.get("Content-Type", "")
        final_url = normalise_url(str(response.url))
        links: tuple[str, ...] = ()
        if response.status_code == 200 and "html" in content_type:
            links = tuple(extract_links(body, final_url))
        return FetchedPage(
            url=url,
            final_url=final_url,
            status=response.status_code,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            content_type=content_type,
            body=body,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_hash=hashlib.sha256(body).hexdigest(),
            links=links,
        )


def extract_links(body: bytes, base_url: str) -> Iterable[str]:
    """Normalised absolute links of a page, in document order, without repeats."""
    soup = BeautifulSoup(body, "lxml")
    seen: set[str] = set()
    for anchor in soup.find_all("a", href=True):
        href = str(anchor["href"]).strip()
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url = normalise_url(href, base_url)
        if url not in seen:
            seen.add(url)
            yield url
