"""The crawler against real HTTP servers on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from demo_site.server import DemoSite
from ingestion.crawl import Crawler, CrawlScope

UA = "TestCrawler/1.0 (+https://www.example.org)"


def page(title: str, links: list[str]) -> str:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title></head><body><main id='main-content'>"
        f"<article class='advice'><h1>{title}</h1><div class='advice-body'><p>{title} text.</p></div></article>"
        f"<ul>{anchors}</ul></main></body></html>"
    )


@pytest.fixture
def small_site(tmp_path: Path) -> Iterator[DemoSite]:
    pages = {
        "localoffer/0": page("Home", ["advice.page?id=a", "advice.page;jsessionid=XYZ?id=b", "service.page?id=s"]),
        "advice/a": page("A", ["advice.page?id=b&sorttype=distance", "advice.page?id=missing", "search.page?qt=x"]),
        "advice/b": page("B", ["https://www.example.org/elsewhere", "mailto:x@example.org", "advice.page?id=a"]),
        "service/s": page("S", ["localoffer.page?localofferchannel=0"]),
    }
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f"{name}.html").write_text(html)
    with DemoSite(pages_dir=tmp_path) as site:
        yield site


def crawl_all(site: DemoSite, **kwargs: object) -> tuple[Crawler, list[str], dict[str, int]]:
    host = site.root_url.removeprefix("http://")
    crawler = Crawler(CrawlScope([site.start_url], {host}), UA, delay_seconds=0, **kwargs)  # type: ignore[arg-type]
    try:
        fetched = list(crawler.crawl())
    finally:
        crawler.close()
    return crawler, [p.url.removeprefix(site.base_url) for p in fetched], {p.url: p.status for p in fetched}


def test_crawl_reaches_every_linked_page_once_under_one_url(small_site: DemoSite) -> None:
    crawler, urls, statuses = crawl_all(small_site)
    assert urls == [
        "localoffer.page?localofferchannel=0",
        "advice.page?id=a",
        "advice.page?id=b",  # reached by a jsessionid link and a sorttype link: fetched once
        "service.page?id=s",
        "advice.page?id=missing",
    ]
    assert statuses[f"{small_site.base_url}advice.page?id=missing"] == 404
    assert crawler.stats.fetched == 5


def test_robots_txt_is_obeyed(small_site: DemoSite) -> None:
    # The snapshot's robots.txt disallows search.page; the scope would otherwise not allow it
    # either, so widen the scope to prove robots.txt alone stops it.
    import re

    host = small_site.root_url.removeprefix("http://")
    scope = CrawlScope([small_site.start_url], {host}, [re.compile(r"^/kb5/gloucs/glosfamilies/\w+\.page$")])
    crawler = Crawler(scope, UA, delay_seconds=0)
    try:
        urls = [p.url for p in crawler.crawl()]
    finally:
        crawler.close()
    assert not any("search.page" in u for u in urls)
    assert crawler.stats.disallowed == 1


class FlakyHandler(BaseHTTPRequestHandler):
    """Answers 500 twice, then 200; counts requests."""

    calls: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        n = self.calls[self.path] = self.calls.get(self.path, 0) + 1
        ok = n > 2
        body = page("Recovered", []).encode() if ok else b"boom"
        self.send_response(200 if ok else 500)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def test_server_errors_are_retried_with_backoff() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sleeps: list[float] = []
    try:
        url = f"http://127.0.0.1:{server.server_port}/kb5/gloucs/glosfamilies/advice.page?id=flaky"
        crawler = Crawler(
            CrawlScope([url], {f"127.0.0.1:{server.server_port}"}), UA, delay_seconds=0.01, sleep=sleeps.append
        )
        pages = list(crawler.crawl())
        crawler.close()
    finally:
        server.shutdown()
        server.server_close()
    assert [p.status for p in pages] == [200]
    assert FlakyHandler.calls["/kb5/gloucs/glosfamilies/advice.page?id=flaky"] == 3
    backoffs = [s for s in sleeps if s >= 0.05]
    assert len(backoffs) == 2
    assert backoffs[1] > backoffs[0]
