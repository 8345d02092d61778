"""The raw page store: every fetched page, kept in SQLite so extraction can rerun without fetching."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ingestion.models import FetchedPage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    content_type TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT NOT NULL,
    links TEXT NOT NULL,
    body BLOB NOT NULL
)
"""


class PageStore:
    """SQLite-backed store of fetched pages keyed by normalised URL."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def save(self, page: FetchedPage) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    page.url,
                    page.final_url,
                    page.status,
                    page.fetched_at,
                    page.content_type,
                    page.etag,
                    page.last_modified,
                    page.content_hash,
                    json.dumps(list(page.links)),
                    page.body,
                ),
            )

    def pages(self) -> Iterator[FetchedPage]:
        """All stored pages in URL order."""
        rows = self._db.execute(
            "SELECT url, final_url, status, fetched_at, content_type, etag, last_modified,"
            " content_hash, links, body FROM pages ORDER BY url"
        )
        for url, final_url, status, fetched_at, ctype, etag, modified, chash, links, body in rows:
            yield FetchedPage(
                url=url,
                final_url=final_url,
                status=status,
                fetched_at=fetched_at,
                content_type=ctype,
                body=body,
                etag=etag,
                last_modified=modified,
                content_hash=chash,
                links=tuple(json.loads(links)),
            )

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
