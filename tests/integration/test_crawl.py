"""The crawler against real HTTP servers on loopback: politeness, retries, and incremental crawling."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from demo_site.server import DemoSite
from ingestion.crawl import Crawler, CrawlScope, CrawlStats, retry_after_seconds
from ingestion.page_store import PageStore

UA = "TestCrawler/1.0 (+https://www.example.org)"
KB5 = "/kb5/gloucs/glosfamilies/"


def page(title: str, links: list[str]) -> str:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body><main id='main-content'>"
        f"<article class='advice'><h1>{title}</h1><div class='advice-body'><p>{title} text.</p></div></article>"
        f"<ul>{anchors}</ul></main></body></html>"
    )


SMALL_SITE = {
    "localoffer/0": page("Home", ["advice.page?id=a", "advice.page;jsessionid=XYZ?id=b", "service.page?id=s"]),
    "advice/a": page("A", ["advice.page?id=b&sorttype=distance", "advice.page?id=missing", "search.page?qt=x"]),
    "advice/b": page("B", ["https://www.example.org/elsewhere", "mailto:x@example.org", "advice.page?id=a"]),
    "service/s": page("S", ["localoffer.page?localofferchannel=0", "advice.page?id=old", "advice.page?id=copy"]),
    "advice/copy": page("A", ["advice.page?id=b&sorttype=distance", "advice.page?id=missing", "search.page?qt=x"]),
}


class CountingSite(DemoSite):
    """The demo server over a folder of pages, counting requests per URL."""

    def __init__(self, pages_dir: Path) -> None:
        super().__init__(pages_dir=pages_dir)
        self.requests: Counter[str] = Counter()
        original = self._server.RequestHandlerClass.do_GET  # type: ignore[attr-defined]
        counter = self.requests

        def counting(handler: BaseHTTPRequestHandler) -> None:
            counter[handler.path] += 1
            original(handler)

        self._server.RequestHandlerClass.do_GET = counting  # type: ignore[attr-defined]


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    for name, html in SMALL_SITE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.html").write_text(html)
    (root / "trouble.json").write_text('{"redirects": {"advice.page?id=old": "advice.page?id=b"}}')
    return root


@pytest.fixture
def site(site_dir: Path) -> Iterator[CountingSite]:
    with CountingSite(site_dir) as running:
        yield running


def crawl(site: DemoSite, store_path: Path, **kwargs: object) -> CrawlStats:
    host = site.root_url.removeprefix("http://")
    store = PageStore(store_path)
    crawler = Crawler(CrawlScope([site.start_url], {host}), store, UA, delay_seconds=0, **kwargs)  # type: ignore[arg-type]
    try:
        return crawler.crawl()
    finally:
        crawler.close()
        store.close()


def test_first_crawl_finds_each_page_once_under_one_url(site: CountingSite, tmp_path: Path) -> None:
    stats = crawl(site, tmp_path / "crawl.sqlite")
    assert stats.finished
    # The sitemap (named in robots.txt), home, a, b (one fetch for its jsessionid and sorttype
    # links), s, copy; 'missing' answers 404; 'old' redirects to b, which is not fetched again;
    # search.page is outside the scope.
    assert (stats.new, stats.duplicate, stats.missing) == (5, 1, 1)
    fetched = {path for path in site.requests if path != "/robots.txt"}
    assert all(site.requests[p] == 1 for p in fetched), site.requests
    assert f"{KB5}advice.page?id=b" in fetched
    assert not any("jsessionid" in p or "sorttype" in p or "search.page" in p for p in fetched)
    store = PageStore(tmp_path / "crawl.sqlite")
    try:
        assert store.redirects() == {f"{site.base_url}advice.page?id=old": f"{site.base_url}advice.page?id=b"}
        states = store.states()
        assert states[f"{site.base_url}advice.page?id=copy"] == ("duplicate", 200)
        assert states[f"{site.base_url}advice.page?id=missing"] == ("missing", 404)
    finally:
        store.close()


def test_robots_txt_is_obeyed(site: CountingSite, tmp_path: Path) -> None:
    # Widen the scope so that robots.txt alone keeps the crawler off search.page.
    host = site.root_url.removeprefix("http://")
    scope = CrawlScope([site.start_url], {host}, [re.compile(r"^/kb5/gloucs/glosfamilies/\w+\.page$")])
    store = PageStore(tmp_path / "crawl.sqlite")
    crawler = Crawler(scope, store, UA, delay_seconds=0)
    try:
        stats = crawler.crawl()
    finally:
        crawler.close()
        store.close()
    assert stats.disallowed == 1
    assert not any("search.page" in p for p in site.requests)


def test_a_second_crawl_of_an_unchanged_site_fetches_nothing_new(site: CountingSite, tmp_path: Path) -> None:
    crawl(site, tmp_path / "crawl.sqlite")
    second = crawl(site, tmp_path / "crawl.sqlite")
    assert second.finished
    assert (second.new, second.changed, second.unchanged, second.duplicate) == (0, 0, 5, 1)


def test_pages_the_sitemap_vouches_for_are_not_requested_again(
    site: CountingSite, site_dir: Path, tmp_path: Path
) -> None:
    crawl(site, tmp_path / "crawl.sqlite")
    site.requests.clear()
    second = crawl(site, tmp_path / "crawl.sqlite")
    # The four pages stored as 'ok' have the <lastmod> they were fetched under: no request. The
    # sitemap itself is asked for (a 304), and so are the duplicate and the 404 and the redirect,
    # which the sitemap cannot vouch for.
    assert second.not_requested == 4
    kb5_pages = {p for p in site.requests if p.startswith(KB5)}
    assert not any(p.endswith(("id=a", "id=s", "localofferchannel=0")) for p in kb5_pages), kb5_pages
    assert site.requests["/sitemap.xml"] == 1

    # A page whose file changes gets a new <lastmod>, so it is fetched and seen to have changed.
    (site_dir / "advice" / "a.html").write_text(SMALL_SITE["advice/a"].replace("A text.", "A text, revised."))
    site.requests.clear()
    third = crawl(site, tmp_path / "crawl.sqlite")
    assert (third.changed, third.not_requested) == (1, 3)
    assert site.requests[f"{KB5}advice.page?id=a"] == 1


def test_pages_are_revalidated_when_their_last_real_check_is_too_old(site: CountingSite, tmp_path: Path) -> None:
    crawl(site, tmp_path / "crawl.sqlite")
    site.requests.clear()
    second = crawl(site, tmp_path / "crawl.sqlite", revalidate_after=timedelta(0))
    assert second.not_requested == 0
    assert site.requests[f"{KB5}advice.page?id=a"] == 1


def test_a_changed_and_a_removed_page_are_noticed(site: CountingSite, site_dir: Path, tmp_path: Path) -> None:
    crawl(site, tmp_path / "crawl.sqlite")
    (site_dir / "advice" / "a.html").write_text(SMALL_SITE["advice/a"].replace("A text.", "A text, revised."))
    (site_dir / "service" / "s.html").unlink()
    second = crawl(site, tmp_path / "crawl.sqlite")
    assert (second.changed, second.removed) == (1, 1)
    store = PageStore(tmp_path / "crawl.sqlite")
    try:
        assert store.states()[f"{site.base_url}service.page?id=s"] == ("removed", 404)
        assert f"{site.base_url}service.page?id=s" not in {p.final_url for p in store.pages()}
    finally:
        store.close()


def test_an_interrupted_crawl_resumes_without_fetching_a_page_twice(site: CountingSite, tmp_path: Path) -> None:
    first = crawl(site, tmp_path / "crawl.sqlite", max_pages=2)
    assert not first.finished
    assert first.visited == 2
    second = crawl(site, tmp_path / "crawl.sqlite")
    assert second.resumed
    assert second.finished
    assert first.new + second.new == 5
    pages = [p for p in site.requests if p != "/robots.txt"]
    assert all(site.requests[p] == 1 for p in pages), site.requests


# Servers that misbehave on purpose ---------------------------------------------------------


def serve(handler: Callable[[BaseHTTPRequestHandler, int], None]) -> tuple[ThreadingHTTPServer, Counter[str]]:
    """A loopback server calling ``handler(request, n)`` with n = how often this path was asked for."""
    calls: Counter[str] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with lock:
                calls[self.path] += 1
                n = calls[self.path]
            handler(self, n)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, calls


def answer(request: BaseHTTPRequestHandler, status: int, headers: dict[str, str] | None = None) -> None:
    body = page("Recovered", []).encode() if status == 200 else b"error"
    request.send_response(status)
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.send_header("Content-Type", "text/html; charset=utf-8")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def crawl_one(server: ThreadingHTTPServer, tmp_path: Path, **kwargs: object) -> tuple[CrawlStats, list[float]]:
    sleeps: list[float] = []
    url = f"http://127.0.0.1:{server.server_port}{KB5}advice.page?id=x"
    store = PageStore(tmp_path / "crawl.sqlite")
    crawler = Crawler(
        CrawlScope([url], {f"127.0.0.1:{server.server_port}"}),
        store,
        UA,
        sleep=sleeps.append,
        **kwargs,  # type: ignore[arg-type]
    )
    try:
        return crawler.crawl(), sleeps
    finally:
        crawler.close()
        store.close()
        server.shutdown()
        server.server_close()


def test_500_500_200_is_recovered_with_growing_backoff(tmp_path: Path) -> None:
    server, calls = serve(lambda req, n: answer(req, 500 if n <= 2 else 200))
    stats, sleeps = crawl_one(server, tmp_path, delay_seconds=0.01)
    assert stats.new == 1
    assert sum(calls.values()) == 3
    backoffs = [s for s in sleeps if s >= 0.05]
    assert len(backoffs) == 2
    assert backoffs[1] > backoffs[0]


def test_429_waits_as_long_as_retry_after_says(tmp_path: Path) -> None:
    server, calls = serve(lambda req, n: answer(req, 429, {"Retry-After": "7"}) if n == 1 else answer(req, 200))
    stats, sleeps = crawl_one(server, tmp_path, delay_seconds=0)
    assert stats.new == 1
    assert sum(calls.values()) == 2
    assert 7.0 in sleeps


def test_other_client_errors_are_not_retried(tmp_path: Path) -> None:
    server, calls = serve(lambda req, n: answer(req, 403))
    stats, _ = crawl_one(server, tmp_path, delay_seconds=0)
    assert stats.failed == 1
    assert sum(calls.values()) == 1


def test_a_timeout_is_survived(tmp_path: Path) -> None:
    def slow_first(req: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            time.sleep(1.5)
        answer(req, 200)

    server, calls = serve(slow_first)
    stats, _ = crawl_one(server, tmp_path, delay_seconds=0, timeout_seconds=0.5)
    assert stats.new == 1
    assert sum(calls.values()) >= 2


def test_a_connection_reset_is_survived(tmp_path: Path) -> None:
    def reset_first(req: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            # SO_LINGER with a zero timeout makes close() send a TCP RST instead of a FIN.
            req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            req.connection.close()
            req.close_connection = True
            return
        answer(req, 200)

    server, calls = serve(reset_first)
    stats, _ = crawl_one(server, tmp_path, delay_seconds=0)
    assert stats.new == 1
    assert sum(calls.values()) == 2


def test_requests_to_one_host_are_spaced_by_the_delay(site: CountingSite, tmp_path: Path) -> None:
    host = site.root_url.removeprefix("http://")
    sleeps: list[float] = []
    store = PageStore(tmp_path / "crawl.sqlite")
    crawler = Crawler(CrawlScope([site.start_url], {host}), store, UA, delay_seconds=5.0, sleep=sleeps.append)
    try:
        stats = crawler.crawl()
    finally:
        crawler.close()
        store.close()
    # Every request after the first waited for (nearly) the whole delay.
    assert len(sleeps) == stats.requests - 1
    assert all(4.5 < s <= 5.0 for s in sleeps)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("0", 0.0), ("99999", 300.0), ("soon", None), (None, None)],
)
def test_retry_after_values(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date() -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    waited = retry_after_seconds(when)
    assert waited is not None
    assert 25 <= waited <= 30


def test_a_crawl_can_start_from_the_sitemap(site: CountingSite, tmp_path: Path) -> None:
    host = site.root_url.removeprefix("http://")
    store = PageStore(tmp_path / "crawl.sqlite")
    crawler = Crawler(CrawlScope([f"{site.root_url}/sitemap.xml"], {host}), store, UA, delay_seconds=0)
    try:
        stats = crawler.crawl()
        states = store.states()
        indexable = {p.final_url for p in store.pages()}
    finally:
        crawler.close()
        store.close()
    assert stats.finished
    assert states[f"{site.root_url}/sitemap.xml"][0] == "sitemap"
    assert f"{site.root_url}/sitemap.xml" not in indexable
    # Every page file is in the sitemap, so every one was reached (copy is a duplicate of a).
    assert {f"{site.base_url}advice.page?id={p}" for p in ("a", "b")} <= indexable
    assert f"{site.base_url}service.page?id=s" in indexable


def test_retry_after_zero_means_retry_at_once(tmp_path: Path) -> None:
    server, calls = serve(lambda req, n: answer(req, 503, {"Retry-After": "0"}) if n == 1 else answer(req, 200))
    stats, sleeps = crawl_one(server, tmp_path, delay_seconds=0)
    assert stats.new == 1
    assert sum(calls.values()) == 2
    assert sleeps == [0.0]  # not the backoff the crawler uses when no Retry-After is given
