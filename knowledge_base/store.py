"""On-disk layout of the knowledge base.

var/kb/
  builds/<build_id>/    index.faiss, kb.sqlite (chunk, service and example-question metadata), manifest.json,
                        sentence_vectors.npy, example_vectors.npy
  current -> builds/<build_id>   (a symlink, switched atomically after a build validates)
  embedding_cache.sqlite         (vectors keyed by model and text, so rebuilds embed only changes)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ingestion.models import Chunk, ServiceRecord
from knowledge_base.models import Manifest

INDEX_FILE = "index.faiss"
META_FILE = "kb.sqlite"
SENTENCE_VECTORS_FILE = "sentence_vectors.npy"
EXAMPLE_VECTORS_FILE = "example_vectors.npy"
MANIFEST_FILE = "manifest.json"
EMBEDDING_CACHE_FILE = "embedding_cache.sqlite"  # beside the builds unless settings say otherwise
KEEP_BUILDS = 3

_META_SCHEMA = """
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_url TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    page_type TEXT NOT NULL,
    last_updated TEXT,
    audience TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc_url);
CREATE TABLE services (doc_url TEXT PRIMARY KEY, record TEXT NOT NULL);
-- Each passage's sentences; vec_row indexes sentence_vectors.npy.
CREATE TABLE sentences (
    chunk_row INTEGER NOT NULL,
    position INTEGER NOT NULL,
    vec_row INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (chunk_row, position)
);
-- Questions each page answers (knowledge_base/examples.py); row indexes example_vectors.npy.
CREATE TABLE examples (row INTEGER PRIMARY KEY, doc_url TEXT NOT NULL, question TEXT NOT NULL);
"""


def current_dir(kb_root: Path) -> Path:
    return kb_root / "current"


def current_manifest(kb_root: Path) -> Manifest | None:
    """The manifest of the current build, or None when there is none (no faiss needed)."""
    path = current_dir(kb_root) / MANIFEST_FILE
    if not path.is_file():
        return None
    return Manifest.model_validate_json(path.read_text())


def current_page_urls(kb_root: Path) -> frozenset[str] | None:
    """The address of every page in the current build, or None when there is none (no faiss needed)."""
    path = current_dir(kb_root) / META_FILE
    if not path.is_file():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return frozenset(url for (url,) in db.execute("SELECT DISTINCT doc_url FROM chunks"))
    finally:
        db.close()


def write_metadata(
    path: Path,
    chunks: list[Chunk],
    services: dict[str, ServiceRecord],
    sentences: list[list[str]],
    examples: Sequence[tuple[str, str]] = (),
) -> None:
    """Chunk rows in FAISS id order, their sentences and example questions in vector order, and
    service records by page URL."""
    db = sqlite3.connect(path)
    try:
        db.executescript(_META_SCHEMA)
        db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (i, c.chunk_id, c.doc_url, c.url, c.title, c.section, c.text, c.page_type, c.last_updated, c.audience)
                for i, c in enumerate(chunks)
            ),
        )
        vec_row = 0
        rows = []
        for chunk_row, chunk_sentences in enumerate(sentences):
            for position, text in enumerate(chunk_sentences):
                rows.append((chunk_row, position, vec_row, text))
                vec_row += 1
        db.executemany("INSERT INTO sentences VALUES (?,?,?,?)", rows)
        db.executemany("INSERT INTO examples VALUES (?,?,?)", ((i, url, q) for i, (q, url) in enumerate(examples)))
        db.executemany(
            "INSERT INTO services VALUES (?,?)",
            ((url, rec.to_json()) for url, rec in services.items()),
        )
        db.commit()
    finally:
        db.close()


def switch_current(kb_root: Path, build_dir: Path) -> None:
    """Point 'current' at a build with one atomic rename, then prune old builds."""
    link = current_dir(kb_root)
    tmp = kb_root / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(build_dir.relative_to(kb_root))
    os.replace(tmp, link)
    builds = sorted(p for p in (kb_root / "builds").iterdir() if p.is_dir() and not p.name.startswith("."))
    # Keep the newest few (the previous one is the rollback target); never the one now current.
    for old in builds[:-KEEP_BUILDS]:
        if old.resolve() != build_dir.resolve():
            shutil.rmtree(old, ignore_errors=True)


class EmbeddingCache:
    """Vectors keyed by (model weights hash, text hash)."""

    def __init__(self, path: Path, model_sha: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._model_sha = model_sha

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model_sha}\x1f{text}".encode()).hexdigest()

    def get_many(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for text in texts:
            row = self._db.execute("SELECT vector FROM vectors WHERE key = ?", (self.key(text),)).fetchone()
            if row is not None:
                found[text] = np.frombuffer(row[0], dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                ((self.key(t), v.astype(np.float32).tobytes()) for t, v in items.items()),
            )

    def close(self) -> None:
        self._db.close()
