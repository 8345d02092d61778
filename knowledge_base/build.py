"""Build a knowledge-base version from chunks: embed, index, validate, then switch 'current'."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import faiss
import numpy as np
from tqdm import tqdm

from ingestion.models import Chunk, ServiceRecord
from knowledge_base.embedding import DIMENSION, MODEL_NAME, Embedder, weights_sha256
from knowledge_base.models import Manifest
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import (
    INDEX_FILE,
    MANIFEST_FILE,
    META_FILE,
    EmbeddingCache,
    switch_current,
    write_metadata,
)


class BuildError(RuntimeError):
    """A build that did not validate; 'current' was left as it was."""


def content_sha256(chunks: list[Chunk], services: dict[str, ServiceRecord]) -> str:
    """A hash of everything a build would contain, to tell whether a rebuild would change anything."""
    digest = hashlib.sha256()
    for c in chunks:
        digest.update(f"{c.chunk_id}\x1f{c.url}\x1f{c.last_updated}\x1e".encode())
    for url in sorted(services):
        digest.update(f"{url}\x1f{services[url]!r}\x1e".encode())
    return digest.hexdigest()


def build_knowledge_base(
    chunks: list[Chunk],
    services: dict[str, ServiceRecord],
    kb_root: Path,
    source: Literal["demo", "live"],
    embedder: Embedder,
    documents: int,
    show_progress: bool = True,
) -> Manifest:
    """Write a new build directory, validate it, and make it current. Returns its manifest."""
    started = time.monotonic()
    if not chunks:
        raise BuildError("No passages to index: the crawl found no pages with content.")
    chunk_ids = [c.chunk_id for c in chunks]
    if len(set(chunk_ids)) != len(chunk_ids):
        # The same passage under two URLs: keep the first (duplicate pages are common on kb5).
        seen: set[str] = set()
        chunks = [c for c in chunks if not (c.chunk_id in seen or seen.add(c.chunk_id))]  # type: ignore[func-returns-value]

    model_sha = weights_sha256()
    cache = EmbeddingCache(kb_root / "embedding_cache.sqlite", model_sha)
    try:
        texts = [c.embed_text or c.text for c in chunks]
        cached = cache.get_many(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in cached]
        fresh: dict[str, np.ndarray] = {}
        batch = max(1, embedder.batch_size)
        with tqdm(total=len(missing), desc="Embedding passages", unit="passage", disable=not show_progress) as bar:
            for start in range(0, len(missing), batch):
                part = missing[start : start + batch]
                fresh.update(zip(part, embedder.encode(part), strict=True))
                bar.update(len(part))
        cache.put_many(fresh)
    finally:
        cache.close()
    known = {**cached, **fresh}
    vectors = np.vstack([known[t] for t in texts]).astype(np.float32)

    built_at = datetime.now(UTC)
    digest = content_sha256(chunks, services)
    build_id = f"{built_at:%Y%m%dT%H%M%S%f}-{digest[:8]}"
    builds = kb_root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    staging = builds / f".staging-{build_id}"
    final = builds / build_id
    staging.mkdir()
    try:
        index = faiss.IndexFlatIP(DIMENSION)
        index.add(vectors)
        faiss.write_index(index, str(staging / INDEX_FILE))
        write_metadata(staging / META_FILE, chunks, services)
        manifest = Manifest(
            build_id=build_id,
            model_name=MODEL_NAME,
            model_weights_sha256=model_sha,
            dimension=DIMENSION,
            chunks=len(chunks),
            documents=documents,
            services=len(services),
            source=source,
            snapshot_date=built_at.date().isoformat(),
            built_at=built_at.isoformat(timespec="seconds"),
            build_seconds=round(time.monotonic() - started, 2),
            embedded=len(missing),
            reused_embeddings=len(texts) - len(missing),
            content_sha256=digest,
        )
        (staging / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2))
        _validate(staging, chunks, vectors)
        staging.rename(final)
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switch_current(kb_root, final)
    return manifest


def _validate(build_dir: Path, chunks: list[Chunk], vectors: np.ndarray) -> None:
    """Open the build as a reader would and check that a passage finds itself."""
    try:
        kb = KnowledgeBase.open(build_dir)
    except Exception as exc:
        raise BuildError(f"The new build at {build_dir} could not be opened: {exc}") from exc
    try:
        if kb.size != len(chunks):
            raise BuildError(f"The index holds {kb.size} vectors but {len(chunks)} passages were written.")
        probe = len(chunks) // 2
        hits = kb.search_vector(vectors[probe], k=1)
        if not hits or hits[0].chunk_id != chunks[probe].chunk_id:
            raise BuildError("A passage's own vector did not find it: the index and metadata disagree.")
    finally:
        kb.close()


def describe(manifest: Manifest) -> str:
    """One line for logs and the CLI."""
    return json.dumps(
        {k: getattr(manifest, k) for k in ("build_id", "chunks", "documents", "services", "embedded", "source")}
    )
