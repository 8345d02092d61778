"""A polite, incremental, resumable crawler for kb5 sites.

Politeness follows scrapy's defaults in spirit: robots.txt is obeyed, requests to a host are spaced
by a delay and made one at a time (a concurrency limit of one per host), the User-Agent says who we
are, timeouts are bounded, and transient failures (timeouts, connection errors, 429, 5xx) are
retried with exponential backoff, honouring Retry-After. Other 4xx answers are final.

Incremental: each page is asked for with If-None-Match / If-Modified-Since from the last fetch, and
a page whose bytes did not change is 'unchanged' even without a 304. Where the site publishes a
sitemap with <lastmod> (found through robots.txt or given as a start URL), sitemaps are read first
and a page whose <lastmod> is the one it had when we last fetched it is not requested at all, as
scrapy's SitemapSpider and search engines do; a page not confirmed by a real request for
``revalidate_after`` days is fetched anyway, in case the site forgot to update a <lastmod>. Every
step is committed to the page store, so an interrupted crawl resumes without fetching again what it
already has.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

import httpx
from bs4 import BeautifulSoup
from protego import Protego

from ingestion.models import FetchedPage
from ingestion.page_store import PageStore, StoredPage
from ingestion.urls import normalise_url

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
MAX_RETRY_AFTER_SECONDS = 300.0

MAX_REDIRECTS = 5

Outcome = Literal[
    "new", "changed", "unchanged", "removed", "missing", "duplicate", "redirected", "failed", "disallowed"
]


@dataclass
class CrawlScope:
    """What the crawler may fetch: start URLs, hosts, and path patterns."""

    start_urls: list[str]
    allowed_hosts: set[str]
    path_patterns: list[re.Pattern[str]] = field(
        default_factory=lambda: [
            re.compile(r"^/kb5/gloucs/glosfamilies/(advice|service|localoffer|family|results|site)\.page$"),
            re.compile(r"^/sitemap[\w-]*\.xml$"),
        ]
    )

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc not in self.allowed_hosts:
            return False
        return any(p.match(parts.path) for p in self.path_patterns)


@dataclass
class CrawlStats:
    """What one crawl call did. ``requests`` counts HTTP requests, retries included."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    missing: int = 0
    duplicate: int = 0
    redirected: int = 0  # a redirect to a page this run had already fetched
    failed: int = 0
    disallowed: int = 0
    # Unchanged pages confirmed by their sitemap <lastmod>, with no request made.
    not_requested: int = 0
    requests: int = 0
    seconds: float = 0.0
    resumed: bool = False
    finished: bool = False

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def visited(self) -> int:
        outcomes = ("new", "changed", "unchanged", "removed", "missing", "duplicate", "redirected", "failed")
        return sum(int(getattr(self, name)) for name in outcomes)

    def table(self) -> str:
        """The closing summary, one row per figure."""
        rows = [(f.name, getattr(self, f.name)) for f in fields(self) if f.name not in ("seconds",)]
        rows.append(("seconds", f"{self.seconds:.1f}"))
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


@dataclass
class _Visit:
    outcome: Outcome
    links: tuple[str, ...]
    done: set[str]


class Crawler:
    """Crawl the scope into a PageStore, resuming an unfinished run if there is one."""

    def __init__(
        self,
        scope: CrawlScope,
        store: PageStore,
        user_agent: str,
        delay_seconds: float = 1.0,
        timeout_seconds: float = 20.0,
        max_pages: int = 5000,
        max_retries: int = 3,
        revalidate_after: timedelta = timedelta(days=7),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.scope = scope
        self.store = store
        self.user_agent = user_agent
        self.delay_seconds = delay_seconds
        self.max_pages = max_pages
        self.max_retries = max_retries
        self.revalidate_after = revalidate_after
        self.stats = CrawlStats()
        self._sleep = sleep
        self._robots: dict[str, Protego] = {}
        self._last_request: dict[str, float] = {}
        # Redirects are followed by hand, so each hop is recorded and a target already fetched in
        # this run is not fetched again.
        self._client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout_seconds)
        self._run_id = 0
        # <lastmod> by page URL, only from sitemaps read in this run: an older sitemap cannot vouch
        # for a page that may have changed since.
        self._lastmods: dict[str, str] = {}

    def close(self) -> None:
        self._client.close()

    def crawl(self, on_visit: Callable[[str, Outcome], None] | None = None) -> CrawlStats:
        """Visit pages until the frontier is empty (run finished) or ``max_pages`` were visited."""
        started = time.monotonic()
        run_id, self.stats.resumed = self.store.open_run([normalise_url(u) for u in self.scope.start_urls])
        self._run_id = run_id
        self._lastmods = self.store.sitemap_lastmods(self.store.sitemaps_read(run_id))
        if not self.stats.resumed:
            # Sitemaps go first, so that their <lastmod> can spare requests for the rest.
            sitemaps = [u for u in self._robots_sitemaps() if self.scope.allows(u)]
            self.store.enqueue(run_id, sitemaps, first=True)
        # The run's frontier in memory: links are checked against it without a query each.
        known = self.store.frontier(run_id)
        try:
            while self.stats.visited < self.max_pages:
                url = self.store.next_pending(run_id)
                if url is None:
                    self.store.finish_run(run_id)
                    self.stats.finished = True
                    break
                with self.store.transaction():
                    visit = _Visit("disallowed", (), {url}) if not self._robots_allow(url) else self._visit(url)
                    fresh = [u for u in dict.fromkeys(visit.links) if u not in known and self.scope.allows(u)]
                    self.store.enqueue(run_id, fresh)
                    self.store.mark_done(run_id, visit.done)
                known.update(fresh)
                known.update(visit.done)
                self.stats.count(visit.outcome)
                if on_visit:
                    on_visit(url, visit.outcome)
        finally:
            self.stats.seconds = time.monotonic() - started
        return self.stats

    def _visit(self, url: str) -> _Visit:
        confirmed = self._confirmed_by_sitemap(url)
        if confirmed is not None:
            self.stats.not_requested += 1
            return _Visit("unchanged", confirmed.links, {url})
        hops: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            previous = self.store.previous(current)
            response = self._request(current, self._conditional_headers(previous))
            if response is None:
                if previous is None:
                    self.store.mark(current, 0, "failed")
                return _Visit("failed", previous.links if previous else (), {url, *hops, current})
            location = response.headers.get("Location")
            if not (response.is_redirect and location):
                return self._handle(url, current, tuple(hops), previous, response)
            target = normalise_url(location, current)
            hops.append(current)
            self.store.save_redirect(current, target)
            if target in hops or self.store.is_done(self._run_id, target) or not self.scope.allows(target):
                return _Visit("redirected", (), {url, *hops})
            current = target
        return _Visit("failed", (), {url, *hops})

    def _confirmed_by_sitemap(self, url: str) -> StoredPage | None:
        """The stored page when this run's sitemap says it has not changed since we fetched it."""
        lastmod = self._lastmods.get(url)
        if lastmod is None:
            return None
        previous = self.store.previous(url)
        if previous is None or previous.state != "ok" or previous.lastmod != lastmod:
            return None
        try:
            checked = datetime.fromisoformat(previous.fetched_at)
        except ValueError:
            return None
        if checked.tzinfo is None:
            checked = checked.replace(tzinfo=UTC)
        return previous if datetime.now(UTC) - checked < self.revalidate_after else None

    @staticmethod
    def _conditional_headers(previous: StoredPage | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if previous is not None and previous.state == "ok":
            if previous.etag:
                headers["If-None-Match"] = previous.etag
            if previous.last_modified:
                headers["If-Modified-Since"] = previous.last_modified
        return headers

    def _handle(
        self, url: str, final_url: str, hops: tuple[str, ...], previous: StoredPage | None, response: httpx.Response
    ) -> _Visit:
        """Record a final (non-redirect) answer and say what it meant."""
        done = {url, final_url, *hops}
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        if response.status_code == 304 and previous is not None:
            self.store.touch(
                previous.url,
                fetched_at,
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
                self._lastmods.get(previous.url),
            )
            if previous.state == "sitemap":
                self._lastmods.update(self.store.sitemap_lastmods([previous.url]))
            return _Visit("unchanged", previous.links, done)
        if response.status_code in GONE_STATUSES:
            if previous is not None and previous.state in ("ok", "duplicate"):
                self.store.mark(previous.url, response.status_code, "removed")
                return _Visit("removed", (), done)
            self.store.mark(final_url, response.status_code, "missing")
            return _Visit("missing", (), done)
        if response.status_code != 200:
            if previous is None:
                self.store.mark(final_url, response.status_code, "failed")
            return _Visit("failed", previous.links if previous else (), done)
        page = self._page(url, final_url, response, fetched_at)
        return _Visit(self._store_page(page, previous), page.links, done)

    def _store_page(self, page: FetchedPage, previous: StoredPage | None) -> Outcome:
        if is_sitemap(page.final_url, page.content_type):
            # Kept for its links and <lastmod> values (and its ETag next time), never for the index.
            self.store.save(page, "sitemap")
            entries = dict(sitemap_lastmod_entries(page.body, page.final_url))
            self.store.save_sitemap_entries(page.final_url, entries.items())
            self._lastmods.update(entries)
            unchanged = previous is not None and previous.content_hash == page.content_hash
            return "unchanged" if unchanged else "new"
        lastmod = self._lastmods.get(page.final_url)
        if previous is not None and previous.state == "ok" and previous.content_hash == page.content_hash:
            self.store.save(page, "ok", lastmod=lastmod)
            return "unchanged"
        original = self.store.duplicate_of(page.content_hash, page.final_url)
        if original is not None:
            # Which copy is kept must not depend on the order pages were reached in.
            if canonical_order(page.final_url) < canonical_order(original):
                self.store.save(page, "ok", lastmod=lastmod)
                self.store.demote_to_duplicate(original, page.final_url)
            else:
                self.store.save(page, "duplicate", duplicate_of=original)
            return "duplicate"
        self.store.save(page, "ok", lastmod=lastmod)
        return "changed" if previous is not None and previous.state == "ok" else "new"

    @staticmethod
    def _page(url: str, final_url: str, response: httpx.Response, fetched_at: str) -> FetchedPage:
        body = response.content
        content_type = response.headers.get("Content-Type", "")
        if is_sitemap(final_url, content_type):
            links = tuple(sitemap_links(body, final_url))
        elif "html" in content_type:
            links = tuple(extract_links(body, final_url))
        else:
            links = ()
        return FetchedPage(
            url=url,
            final_url=final_url,
            status=response.status_code,
            fetched_at=fetched_at,
            content_type=content_type,
            body=body,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_hash=hashlib.sha256(body).hexdigest(),
            links=links,
        )

    def _robots_allow(self, url: str) -> bool:
        return bool(self._robots_for(url).can_fetch(url, self.user_agent))

    def _robots_for(self, url: str) -> Protego:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            response = self._request(f"{root}/robots.txt", {})
            text = response.text if response is not None and response.status_code == 200 else ""
            self._robots[root] = Protego.parse(text)
        return self._robots[root]

    def _robots_sitemaps(self) -> list[str]:
        """Sitemaps that the start hosts' robots.txt files name."""
        found: list[str] = []
        for start in self.scope.start_urls:
            found.extend(normalise_url(u, start) for u in self._robots_for(start).sitemaps)
        return list(dict.fromkeys(found))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None and self.delay_seconds > 0:
            pause = self.delay_seconds - (time.monotonic() - last)
            if pause > 0:
                self._sleep(pause)
        self._last_request[host] = time.monotonic()

    def _request(self, url: str, headers: dict[str, str]) -> httpx.Response | None:
        """GET with retries on timeouts, connection errors, 429 and 5xx; None when every try failed."""
        for attempt in range(self.max_retries + 1):
            self._wait_for_host(url)
            self.stats.requests += 1
            try:
                response = self._client.get(url, headers=headers)
            except httpx.TransportError as exc:  # timeouts, refused and reset connections
                log.warning("fetch %s failed (%s), attempt %d", url, exc.__class__.__name__, attempt + 1)
                wait = self._backoff(attempt)
            else:
                if response.status_code not in RETRY_STATUSES or attempt == self.max_retries:
                    return response
                log.warning("fetch %s answered %d, attempt %d", url, response.status_code, attempt + 1)
                asked = retry_after_seconds(response.headers.get("Retry-After"))
                wait = self._backoff(attempt) if asked is None else asked
            if attempt < self.max_retries:
                self._sleep(wait)
        return None

    def _backoff(self, attempt: int) -> float:
        return min(2.0**attempt * max(self.delay_seconds, 0.05), 60.0)


def canonical_order(url: str) -> tuple[int, str]:
    """Sort key choosing which of two identical pages is the original: the shorter URL, then A-Z.

    Copies of a page usually carry something extra in their address ('-copy', '-old', '-2').
    """
    return len(url), url


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_RETRY_AFTER_SECONDS)


def is_sitemap(url: str, content_type: str) -> bool:
    """Whether a response is an XML sitemap (or sitemap index)."""
    return urlsplit(url).path.endswith(".xml") or ("xml" in content_type and "html" not in content_type)


def sitemap_lastmod_entries(body: bytes, base_url: str) -> Iterable[tuple[str, str]]:
    """(URL, <lastmod>) for each <url> of a sitemap that gives a lastmod, URLs normalised."""
    soup = BeautifulSoup(body, "xml")
    for entry in soup.find_all("url"):
        loc, lastmod = entry.find("loc"), entry.find("lastmod")
        if loc is None or lastmod is None:
            continue
        url, when = loc.get_text(strip=True), lastmod.get_text(strip=True)
        if url and when:
            yield normalise_url(url, base_url), when


def sitemap_links(body: bytes, base_url: str) -> Iterable[str]:
    """The <loc> URLs of a sitemap or sitemap index, normalised."""
    soup = BeautifulSoup(body, "xml")
    for loc in soup.find_all("loc"):
        text = loc.get_text(strip=True)
        if text:
            yield normalise_url(text, base_url)


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
