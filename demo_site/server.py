"""Serve the demo snapshot on loopback with the county site's kb5 URL patterns.

The crawler cannot reach the live sites from a machine without internet, so this server stands in
for them. It answers the same URL shapes (``advice.page?id=...``, ``service.page?id=...``), accepts
``;jsessionid=`` path parameters as kb5 does, and sends ETags so conditional requests work.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self
from urllib.parse import parse_qs, urlsplit

PAGES_DIR = Path(__file__).resolve().parent / "pages"
KB5_PREFIX = "/kb5/gloucs/glosfamilies/"

# Which query parameter names the page id for each kb5 page type.
PAGE_ID_PARAMS = {
    "advice": "id",
    "service": "id",
    "site": "id",
    "localoffer": "localofferchannel",
}

# Deliberate trouble for crawler tests, named in pages/trouble.json:
#   "redirects": {"advice.page?id=old": "advice.page?id=new"}  answered with 301
#   "flaky": {"advice.page?id=x": 2}                          answered 500 that many times first
TROUBLE_FILE = "trouble.json"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)

ROBOTS_TXT = """User-agent: *
Disallow: /kb5/gloucs/glosfamilies/search.page
Disallow: /kb5/gloucs/glosfamilies/basket.page
"""


def snapshot_files(pages_dir: Path = PAGES_DIR) -> list[Path]:
    """Every page file of the snapshot, in a stable order."""
    return sorted(p for p in pages_dir.glob("*/*.html") if p.parent.name in PAGE_ID_PARAMS)


def page_path(url_path: str, query: str, pages_dir: Path = PAGES_DIR) -> Path | None:
    """Map a kb5 URL path and query to a snapshot file, or None when there is no such page."""
    path = url_path.split(";", 1)[0]  # kb5 adds ;jsessionid=... to paths
    if not path.startswith(KB5_PREFIX) or not path.endswith(".page"):
        return None
    kind = path[len(KB5_PREFIX) : -len(".page")]
    param = PAGE_ID_PARAMS.get(kind)
    if param is None:
        return None
    values = parse_qs(query).get(param)
    if not values:
        return None
    page_id = values[0]
    # Ids are slugs; refuse anything that could walk out of the pages directory.
    if not page_id or not all(c.isalnum() or c in "-_" for c in page_id):
        return None
    candidate = pages_dir / kind / f"{page_id}.html"
    return candidate if candidate.is_file() else None


def declared_charset(body: bytes) -> str:
    """The charset a page declares in its <meta>, so the HTTP header tells the truth (default utf-8)."""
    found = _META_CHARSET.search(body[:2048])
    return found.group(1).decode("ascii").lower() if found else "utf-8"


def load_trouble(pages_dir: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Redirects and flaky pages of a snapshot, keyed by the kb5 'name.page?query' part of a URL."""
    path = pages_dir / TROUBLE_FILE
    if not path.is_file():
        return {}, {}
    data = json.loads(path.read_text())
    return dict(data.get("redirects", {})), {k: int(v) for k, v in data.get("flaky", {}).items()}


def url_for(file: Path, base_url: str) -> str:
    """The kb5 URL under ``base_url`` that serves a snapshot file."""
    kind = file.parent.name
    return f"{base_url}{kind}.page?{PAGE_ID_PARAMS[kind]}={file.stem}"


def _lastmod(file: Path) -> str:
    """A W3C datetime for the file's mtime, to the microsecond (a test may change a page twice a second)."""
    return datetime.fromtimestamp(file.stat().st_mtime_ns / 1e9, UTC).isoformat(timespec="microseconds")


class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoKb5/1.0"
    # Keep-alive, as a real site has: every answer carries a Content-Length. Headers and body go
    # out in two writes, so Nagle's algorithm must be off or each answer stalls on a delayed ACK.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    pages_dir: Path = PAGES_DIR
    # Replaced per server by DemoSite, from the snapshot's trouble.json.
    redirects: ClassVar[dict[str, str]] = {}
    flaky_left: ClassVar[dict[str, int]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        page_key = f"{parts.path.split(';', 1)[0].removeprefix(KB5_PREFIX)}?{parts.query}"
        if page_key in self.redirects:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", f"{KB5_PREFIX}{self.redirects[page_key]}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with self.lock:
            failing = self.flaky_left.get(page_key, 0) > 0
            if failing:
                self.flaky_left[page_key] -= 1
        if failing:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"Server error", "text/plain; charset=utf-8")
            return
        if parts.path == "/robots.txt":
            robots = f"{ROBOTS_TXT}\nSitemap: http://{self._host()}/sitemap.xml\n"
            self._send(HTTPStatus.OK, robots.encode(), "text/plain; charset=utf-8")
            return
        if parts.path == "/sitemap.xml":
            self._send(HTTPStatus.OK, self._sitemap().encode(), "application/xml; charset=utf-8")
            return
        file = page_path(parts.path, parts.query, self.pages_dir)
        if file is None:
            body = (
                b"<!DOCTYPE html><html lang='en'><head><title>Page not found</title></head>"
                b"<body><h1>Page not found</h1></body></html>"
            )
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8")
            return
        body = file.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self._send(HTTPStatus.OK, body, f"text/html; charset={declared_charset(body)}", etag=etag)

    def _host(self) -> str:
        return self.headers.get("Host") or "127.0.0.1"

    def _sitemap(self) -> str:
        base = f"http://{self._host()}{KB5_PREFIX}"
        # <lastmod> is the file's modification time, as a static web server would give it.
        urls = "".join(
            f"<url><loc>{url_for(f, base).replace('&', '&amp;')}</loc><lastmod>{_lastmod(f)}</lastmod></url>"
            for f in snapshot_files(self.pages_dir)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        # The crawler reports progress itself; per-request lines would drown it.
        return


class DemoSite:
    """The snapshot served from a background thread; use as a context manager.

    ``port=0`` picks a free port (tests); ``base_url`` gives the kb5 root to crawl.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, pages_dir: Path = PAGES_DIR) -> None:
        redirects, flaky = load_trouble(pages_dir)
        handler = type(
            "Handler",
            (_Handler,),
            {"pages_dir": pages_dir, "redirects": redirects, "flaky_left": flaky, "lock": threading.Lock()},
        )
        self._host = host
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)

    @property
    def root_url(self) -> str:
        return f"http://{self._host}:{self._server.server_port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}{KB5_PREFIX}"

    @property
    def start_url(self) -> str:
        """The Local Offer home channel page, where a crawl of the snapshot begins."""
        return f"{self.base_url}localoffer.page?localofferchannel=0"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
