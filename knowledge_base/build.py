"""Build a knowledge-base version from chunks: embed, index, validate, then switch 'current'."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import faiss
import numpy as np
from tqdm import tqdm

from ingestion.chunk import split_sentences
from ingestion.models import Chunk, ServiceRecord
from knowledge_base.embedding import DIMENSION, MODEL_NAME, Embedder, weights_sha256
from knowledge_base.examples import ExampleQuestions, resolve
from knowledge_base.gazetteer import with_page_words
from knowledge_base.lexical import build_lexical_index, lexical_text
from knowledge_base.models import FORMAT_VERSION, Manifest
from knowledge_base.search import KnowledgeBase
from knowledge_base.store import (
    EMBEDDING_CACHE_FILE,
    EXAMPLE_VECTORS_FILE,
    INDEX_FILE,
    MANIFEST_FILE,
    META_FILE,
    SENTENCE_VECTORS_FILE,
    EmbeddingCache,
    switch_current,
    write_metadata,
)


class BuildError(RuntimeError):
    """A build that did not validate; 'current' was left as it was."""


def is_current(
    manifest: Manifest | None,
    chunks: list[Chunk],
    services: dict[str, ServiceRecord],
    source: str,
    examples: ExampleQuestions | None = None,
) -> bool:
    """Whether a build of these chunks would be identical to the build ``manifest`` describes."""
    return (
        manifest is not None
        and manifest.format_version == FORMAT_VERSION
        and manifest.source == source
        and manifest.model_weights_sha256 == weights_sha256()
        and manifest.content_sha256 == content_sha256(chunks, services, _examples_in(chunks, examples))
    )


def content_sha256(
    chunks: list[Chunk], services: dict[str, ServiceRecord], examples: Sequence[tuple[str, str]] = ()
) -> str:
    """A hash of everything a build would contain, to tell whether a rebuild would change anything."""
    digest = hashlib.sha256()
    for c in chunks:
        digest.update(f"{c.chunk_id}\x1f{c.url}\x1f{c.last_updated}\x1f{c.audience}\x1e".encode())
    for url in sorted(services):
        digest.update(f"{url}\x1f{services[url]!r}\x1e".encode())
    for question, url in examples:
        digest.update(f"{url}\x1f{question}\x1d".encode())
    return digest.hexdigest()


def _examples_in(chunks: list[Chunk], examples: ExampleQuestions | None) -> list[tuple[str, str]]:
    return resolve(examples, {c.doc_url for c in chunks}) if examples is not None else []


def build_knowledge_base(
    chunks: list[Chunk],
    services: dict[str, ServiceRecord],
    kb_root: Path,
    source: Literal["demo", "live"],
    embedder: Embedder,
    documents: int,
    show_progress: bool = True,
    examples: ExampleQuestions | None = None,
    cache_file: Path | None = None,
) -> Manifest:
    """Write a new build directory, validate it, and make it current. Returns its manifest.

    ``examples``: questions each page answers (knowledge_base/examples.py); those whose page is
    not among ``chunks`` are left out.
    """
    started = time.monotonic()
    if not chunks:
        raise BuildError("No passages to index: the crawl found no pages with content.")
    chunk_ids = [c.chunk_id for c in chunks]
    if len(set(chunk_ids)) != len(chunk_ids):
        # The same passage under two URLs: keep the first (duplicate pages are common on kb5).
        seen: set[str] = set()
        chunks = [c for c in chunks if not (c.chunk_id in seen or seen.add(c.chunk_id))]  # type: ignore[func-returns-value]

    texts = [c.embed_text or c.text for c in chunks]
    sentences = [split_sentences(c.text) for c in chunks]
    # A sentence is embedded with its section heading: 'How do I ask?' often carries the match.
    sentence_texts = [
        sentence_context(c, s) for c, chunk_sentences in zip(chunks, sentences, strict=True) for s in chunk_sentences
    ]
    asked = _examples_in(chunks, examples)
    # Embedded as a family's message is at search time (answering.answer adds the pages' words).
    example_texts = [with_page_words(question) for question, _ in asked]
    model_sha = weights_sha256()
    vectors, embedded = _embed_cached(
        texts + sentence_texts + example_texts,
        cache_file or kb_root / EMBEDDING_CACHE_FILE,
        model_sha,
        embedder,
        show_progress,
    )
    passages_end, sentences_end = len(texts), len(texts) + len(sentence_texts)
    return write_build(
        kb_root,
        chunks,
        services,
        vectors[:passages_end],
        sentences,
        vectors[passages_end:sentences_end],
        source,
        documents,
        embedded=embedded,
        started=started,
        examples=asked,
        example_vectors=vectors[sentences_end:],
    )


def write_build(
    kb_root: Path,
    chunks: list[Chunk],
    services: dict[str, ServiceRecord],
    passage_vectors: np.ndarray,
    sentences: list[list[str]],
    sentence_vectors: np.ndarray,
    source: Literal["demo", "live"],
    documents: int,
    embedded: int,
    started: float,
    examples: Sequence[tuple[str, str]] = (),
    example_vectors: np.ndarray | None = None,
) -> Manifest:
    """Write embedded passages as a new build, validate it, and make it current.

    Separate from the embedding so that the scale benchmark can build from synthetic vectors.
    """
    built_at = datetime.now(UTC)
    digest = content_sha256(chunks, services, examples)
    if example_vectors is None or not examples:
        example_vectors = np.zeros((0, DIMENSION), dtype=np.float32)
    if len(example_vectors) != len(examples):
        raise BuildError(f"{len(examples)} example questions but {len(example_vectors)} vectors for them.")
    build_id = f"{built_at:%Y%m%dT%H%M%S%f}-{digest[:8]}"
    builds = kb_root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    staging = builds / f".staging-{build_id}"
    final = builds / build_id
    staging.mkdir()
    try:
        index = faiss.IndexFlatIP(DIMENSION)
        index.add(np.ascontiguousarray(passage_vectors, dtype=np.float32))
        faiss.write_index(index, str(staging / INDEX_FILE))
        np.save(staging / SENTENCE_VECTORS_FILE, sentence_vectors)
        np.save(staging / EXAMPLE_VECTORS_FILE, np.asarray(example_vectors, dtype=np.float32))
        build_lexical_index([lexical_text(c.title, c.section, c.text) for c in chunks], staging)
        write_metadata(staging / META_FILE, chunks, services, sentences, examples)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            build_id=build_id,
            model_name=MODEL_NAME,
            model_weights_sha256=weights_sha256(),
            dimension=DIMENSION,
            chunks=len(chunks),
            documents=documents,
            services=len(services),
            source=source,
            snapshot_date=built_at.date().isoformat(),
            built_at=built_at.isoformat(timespec="seconds"),
            build_seconds=round(time.monotonic() - started, 2),
            embedded=embedded,
            reused_embeddings=len(chunks) + len(sentence_vectors) + len(examples) - embedded,
            content_sha256=digest,
            examples=len(examples),
        )
        (staging / MANIFEST_FILE).write_text(manifest.model_dump_json(indent=2))
        _validate(staging, chunks, passage_vectors)
        staging.rename(final)
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switch_current(kb_root, final)
    return manifest


def sentence_context(chunk: Chunk, sentence: str) -> str:
    """What the model reads for one sentence: the sentence under its section heading."""
    return f"{chunk.section}: {sentence}" if chunk.section else sentence


def _embed_cached(
    texts: list[str], cache_file: Path, model_sha: str, embedder: Embedder, show_progress: bool
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` in order, embedding only those not in the cache. Returns (vectors, embedded)."""
    cache = EmbeddingCache(cache_file, model_sha)
    try:
        cached = cache.get_many(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in cached]
        fresh: dict[str, np.ndarray] = {}
        batch = max(1, embedder.batch_size)
        with tqdm(total=len(missing), desc="Embedding", unit="text", disable=not show_progress) as bar:
            for start in range(0, len(missing), batch):
                part = missing[start : start + batch]
                fresh.update(zip(part, embedder.encode(part), strict=True))
                bar.update(len(part))
        cache.put_many(fresh)
    finally:
        cache.close()
    known = {**cached, **fresh}
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32), 0
    return np.vstack([known[t] for t in texts]).astype(np.float32), len(missing)


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
        hits = kb.nearest(vectors[probe], k=1)
        if not hits or hits[0].chunk_id != chunks[probe].chunk_id:
            raise BuildError("A passage's own vector did not find it: the index and metadata disagree.")
    finally:
        kb.close()
