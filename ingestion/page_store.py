"""The crawl store: fetched pages, redirects, crawl runs with their frontier, and extracted content.

Everything a crawl learns is committed page by page, so an interrupted crawl resumes where it
stopped and a second crawl can ask the server only for what changed (ETag / Last-Modified).
Pages are keyed by their final URL (after redirects).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ingestion.models import FetchedPage

log = logging.getLogger(__name__)

PageState = Literal["ok", "removed", "missing", "failed", "duplicate", "sitemap"]

SCHEMA_VERSION = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,          -- final URL, normalised
    status INTEGER NOT NULL,
    state TEXT NOT NULL,           -- ok | removed | missing | failed | duplicate | sitemap
    duplicate_of TEXT,
    fetched_at TEXT NOT NULL,
    content_type TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT NOT NULL,
    links TEXT NOT NULL,
    body BLOB NOT NULL,
    lastmod TEXT                   -- the sitemap's <lastmod> for the page when it was last fetched
);
-- <lastmod> of each URL as the newest read of its sitemap gave it.
CREATE TABLE IF NOT EXISTS sitemap_entries (url TEXT PRIMARY KEY, sitemap TEXT NOT NULL, lastmod TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS redirects (from_url TEXT PRIMARY KEY, to_url TEXT NOT NULL, seen_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE IF NOT EXISTS frontier (
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    url TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, url)
);
CREATE INDEX IF NOT EXISTS frontier_pending ON frontier(run_id, done, seq);
CREATE TABLE IF NOT EXISTS extracted (url TEXT PRIMARY KEY, content_hash TEXT NOT NULL, payload TEXT NOT NULL);
"""


@dataclass(frozen=True)
class StoredPage:
    """What the store remembers of a page from an earlier fetch."""

    url: str
    status: int
    state: PageState
    etag: str | None
    last_modified: str | None
    content_hash: str
    links: tuple[str, ...]
    fetched_at: str = ""
    lastmod: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PageStore:
    """SQLite-backed crawl store. One writer at a time (the crawler), any number of later readers."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._depth = 0
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = [name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if version != SCHEMA_VERSION and tables:
            # The store is a cache of the site: an older layout is dropped and the next crawl refills it.
            log.warning("%s has crawl-store schema %s, not %s: starting afresh", path, version, SCHEMA_VERSION)
            with self.transaction():
                for name in tables:
                    self._db.execute(f'DROP TABLE "{name}"')
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        # The crawler commits after every page so that it can resume; in WAL mode with NORMAL sync a
        # commit is not an fsync, which keeps that cheap while staying safe against a crash.
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one commit; nested uses join the outer one.

        The crawler wraps each page in one transaction, so a page's record, its new links and its
        'done' mark are committed together: a crash loses the page whole or not at all.
        """
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._db.rollback()
            raise
        self._depth -= 1
        if self._depth == 0:
            self._db.commit()

    # Pages ---------------------------------------------------------------------------------

    def previous(self, url: str) -> StoredPage | None:
        """The stored record for a URL (redirects are followed by the crawler, hop by hop)."""
        found = self._db.execute(
            "SELECT url, status, state, etag, last_modified, content_hash, links, fetched_at, lastmod"
            " FROM pages WHERE url = ?",
            (url,),
        ).fetchone()
        if found is None:
            return None
        return StoredPage(
            found[0], found[1], found[2], found[3], found[4], found[5], tuple(json.loads(found[6])), found[7], found[8]
        )

    def save(
        self, page: FetchedPage, state: PageState, duplicate_of: str | None = None, lastmod: str | None = None
    ) -> None:
        """Record a fetch under the page's final URL, with the sitemap <lastmod> it was fetched under."""
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    page.final_url,
                    page.status,
                    state,
                    duplicate_of,
                    page.fetched_at,
                    page.content_type,
                    page.etag,
                    page.last_modified,
                    page.content_hash,
                    json.dumps(list(page.links)),
                    page.body,
                    lastmod,
                ),
            )

    def save_redirect(self, from_url: str, to_url: str) -> None:
        """Remember that one URL redirects to another (kb5 moves pages; editors want to know)."""
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO redirects VALUES (?,?,?)", (from_url, to_url, _now()))

    def touch(
        self, url: str, fetched_at: str, etag: str | None, last_modified: str | None, lastmod: str | None = None
    ) -> None:
        """A page answered 304 Not Modified: only when we last checked it (and under which lastmod) changes."""
        with self.transaction():
            self._db.execute(
                "UPDATE pages SET fetched_at = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),"
                " lastmod = ? WHERE url = ?",
                (fetched_at, etag, last_modified, lastmod, url),
            )

    def mark(self, url: str, status: int, state: PageState) -> None:
        """A page that answered an error: keep its last good body (for the record) but change its state."""
        with self.transaction():
            updated = self._db.execute(
                "UPDATE pages SET status = ?, state = ?, fetched_at = ? WHERE url = ?", (status, state, _now(), url)
            ).rowcount
            if not updated:
                self._db.execute(
                    "INSERT INTO pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (url, status, state, None, _now(), "", None, None, "", "[]", b"", None),
                )

    def demote_to_duplicate(self, url: str, original: str) -> None:
        """A page turned out to be a copy of a better-named one: keep it only as a duplicate."""
        with self.transaction():
            self._db.execute("UPDATE pages SET state = 'duplicate', duplicate_of = ? WHERE url = ?", (original, url))

    def duplicate_of(self, content_hash: str, url: str) -> str | None:
        """Another page already stored with exactly this content, if any."""
        row = self._db.execute(
            "SELECT url FROM pages WHERE content_hash = ? AND url != ? AND state = 'ok' ORDER BY url LIMIT 1",
            (content_hash, url),
        ).fetchone()
        return row[0] if row else None

    def pages(self, states: Iterable[PageState] = ("ok",)) -> Iterator[FetchedPage]:
        """Stored pages in the given states, in URL order."""
        wanted = set(states)
        rows = self._db.execute(
            "SELECT url, state, status, fetched_at, content_type, etag, last_modified, content_hash, links, body"
            " FROM pages ORDER BY url"
        )
        for url, state, status, fetched_at, ctype, etag, modified, chash, links, body in rows:
            if state not in wanted:
                continue
            yield FetchedPage(
                url=url,
                final_url=url,
                status=status,
                fetched_at=fetched_at,
                content_type=ctype,
                body=body,
                etag=etag,
                last_modified=modified,
                content_hash=chash,
                links=tuple(json.loads(links)),
            )

    def links(self, state: PageState = "ok") -> Iterator[tuple[str, tuple[str, ...]]]:
        """(URL, links) of the pages in a state, without reading their bodies."""
        for url, links in self._db.execute("SELECT url, links FROM pages WHERE state = ? ORDER BY url", (state,)):
            yield url, tuple(json.loads(links))

    def states(self) -> dict[str, tuple[PageState, int]]:
        """Every known URL with its state and last status (redirect sources included, as their target's)."""
        found: dict[str, tuple[PageState, int]] = {
            url: (state, status) for url, state, status in self._db.execute("SELECT url, state, status FROM pages")
        }
        for source, target in self._db.execute("SELECT from_url, to_url FROM redirects"):
            if target in found:
                found[source] = found[target]
        return found

    # Sitemap <lastmod> values ---------------------------------------------------------------

    def save_sitemap_entries(self, sitemap: str, entries: Iterable[tuple[str, str]]) -> None:
        """Replace what one sitemap said: (page URL, lastmod) pairs; pages it no longer lists are forgotten."""
        with self.transaction():
            self._db.execute("DELETE FROM sitemap_entries WHERE sitemap = ?", (sitemap,))
            self._db.executemany(
                "INSERT OR REPLACE INTO sitemap_entries VALUES (?,?,?)", ((u, sitemap, m) for u, m in entries)
            )

    def sitemap_lastmods(self, sitemaps: Iterable[str]) -> dict[str, str]:
        """Page URL -> <lastmod>, from the given sitemaps only."""
        wanted = set(sitemaps)
        return {
            url: lastmod
            for url, sitemap, lastmod in self._db.execute("SELECT url, sitemap, lastmod FROM sitemap_entries")
            if sitemap in wanted
        }

    def redirects(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT from_url, to_url FROM redirects"))

    def count(self, state: PageState | None = None) -> int:
        if state is None:
            return int(self._db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
        return int(self._db.execute("SELECT COUNT(*) FROM pages WHERE state = ?", (state,)).fetchone()[0])

    # Crawl runs and their frontier ---------------------------------------------------------

    def open_run(self, start_urls: list[str]) -> tuple[int, bool]:
        """The unfinished run to resume, or a new one seeded with the start URLs. Returns (id, resumed)."""
        row = self._db.execute("SELECT id FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        if row is not None:
            return int(row[0]), True
        with self.transaction():
            run_id = int(self._db.execute("INSERT INTO runs (started_at) VALUES (?)", (_now(),)).lastrowid or 0)
        self.enqueue(run_id, start_urls)
        return run_id, False

    def enqueue(self, run_id: int, urls: Iterable[str], first: bool = False) -> None:
        """Add URLs to a run's frontier: at the back, or with ``first`` ahead of everything pending."""
        with self.transaction():
            if first:
                (low,) = self._db.execute(
                    "SELECT COALESCE(MIN(seq), 0) FROM frontier WHERE run_id = ? AND done = 0", (run_id,)
                ).fetchone()
                urls = list(urls)
                for offset, url in enumerate(urls):
                    self._db.execute(
                        "INSERT OR IGNORE INTO frontier (run_id, seq, url) VALUES (?,?,?)",
                        (run_id, low - len(urls) + offset, url),
                    )
                return
            (seq,) = self._db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM frontier WHERE run_id = ?", (run_id,)
            ).fetchone()
            for url in urls:
                seq += 1
                self._db.execute("INSERT OR IGNORE INTO frontier (run_id, seq, url) VALUES (?,?,?)", (run_id, seq, url))

    def is_done(self, run_id: int, url: str) -> bool:
        found = self._db.execute("SELECT done FROM frontier WHERE run_id = ? AND url = ?", (run_id, url)).fetchone()
        return bool(found and found[0])

    def frontier(self, run_id: int) -> set[str]:
        """Every URL a run has queued or visited so far."""
        return {url for (url,) in self._db.execute("SELECT url FROM frontier WHERE run_id = ?", (run_id,))}

    def next_pending(self, run_id: int) -> str | None:
        row = self._db.execute(
            "SELECT url FROM frontier WHERE run_id = ? AND done = 0 ORDER BY seq LIMIT 1", (run_id,)
        ).fetchone()
        return row[0] if row else None

    def mark_done(self, run_id: int, urls: Iterable[str]) -> None:
        with self.transaction():
            for url in urls:
                self._db.execute(
                    "INSERT INTO frontier (run_id, seq, url, done) VALUES (?, -1, ?, 1)"
                    " ON CONFLICT(run_id, url) DO UPDATE SET done = 1",
                    (run_id, url),
                )

    def last_finished_run(self) -> int | None:
        row = self._db.execute("SELECT id FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def visited(self, run_id: int) -> set[str]:
        """URLs a run fetched or passed through (their final URLs included)."""
        return {url for (url,) in self._db.execute("SELECT url FROM frontier WHERE run_id = ? AND done = 1", (run_id,))}

    def sitemaps_read(self, run_id: int) -> set[str]:
        """The sitemaps a run has already fetched (or confirmed unchanged)."""
        return {
            url
            for (url,) in self._db.execute(
                "SELECT f.url FROM frontier f JOIN pages p ON p.url = f.url"
                " WHERE f.run_id = ? AND f.done = 1 AND p.state = 'sitemap'",
                (run_id,),
            )
        }

    def finish_run(self, run_id: int) -> None:
        with self.transaction():
            self._db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (_now(), run_id))

    # Extraction cache ----------------------------------------------------------------------

    def extracted(self, url: str, content_hash: str) -> str | None:
        """The extraction payload stored for this exact content, if any."""
        row = self._db.execute(
            "SELECT payload FROM extracted WHERE url = ? AND content_hash = ?", (url, content_hash)
        ).fetchone()
        return row[0] if row else None

    def save_extracted(self, url: str, content_hash: str, payload: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO extracted VALUES (?,?,?)", (url, content_hash, payload))
