"""Content-gap topics: the questions the pages did not answer well, grouped by meaning.

A question is a *gap* when the assistant was not confident (tentative), not sure, or found
nothing in the Local Offer near it (out of scope), or when the family marked the answer
unhelpful. Gaps are embedded with the same sentence model as the knowledge base and grouped by
agglomerative clustering with average linkage on cosine distance, cut at a distance threshold
(``Settings.insights_topic_distance``). It needs no number of topics up front, and the same
questions in the same order always give the same topics (no random start). Each question's vector
is cached in the question log, so a question is embedded once however often the page is opened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from app_store import AppStore, LoggedTurn
from insights.weeks import weekly_counts

Embed = Callable[[list[str]], np.ndarray]
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Topic:
    """A group of gap questions about one subject."""

    label: str  # the question nearest the topic's centre: its most typical wording
    turns: tuple[LoggedTurn, ...]
    examples: tuple[str, ...]  # distinct redacted questions, nearest the centre first
    weekly: tuple[int, ...]  # questions per week, aligned with the weeks asked for
    nearest_page: tuple[str, str] | None  # (url, title) the assistant cited most for them
    unhelpful: int  # how many were marked 'That didn't help'
    outcomes: tuple[tuple[str, int], ...]  # what the assistant did, most common first

    @property
    def count(self) -> int:
        return len(self.turns)


def gap_turns(turns: Sequence[LoggedTurn]) -> list[LoggedTurn]:
    """The turns that count as content gaps, in the order they were logged."""
    return sorted((t for t in turns if t.is_gap), key=lambda t: t.id)


def question_vectors(store: AppStore, turns: Sequence[LoggedTurn], embed: Embed) -> np.ndarray:
    """One unit vector per turn's question: cached ones from the log, the rest embedded and cached."""
    cached = store.question_vectors(t.id for t in turns)
    missing = [t for t in turns if t.id not in cached]
    if missing:
        fresh = np.asarray(embed([t.question for t in missing]), dtype=np.float32)
        new = {t.id: row.tobytes() for t, row in zip(missing, fresh, strict=True)}
        store.save_question_vectors(new)
        cached.update(new)
    if not turns:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([np.frombuffer(cached[t.id], dtype=np.float32) for t in turns])


def cluster_labels(vectors: np.ndarray, distance: float) -> list[int]:
    """A topic number per row: average linkage on cosine distance, cut at ``distance``."""
    if len(vectors) == 0:
        return []
    if len(vectors) == 1:
        return [0]
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance)
    return [int(label) for label in model.fit_predict(vectors)]


def gap_topics(
    turns: Sequence[LoggedTurn],
    vectors: np.ndarray,
    weeks: list[date],
    zone: ZoneInfo,
    distance: float,
    min_size: int = 1,
) -> list[Topic]:
    """Topics of ``turns`` (rows of ``vectors`` in the same order), biggest first.

    Topics smaller than ``min_size`` are left out (a question asked once is not yet a pattern).
    """
    labels = cluster_labels(vectors, distance)
    members: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        members.setdefault(label, []).append(row)
    topics = [_topic(turns, vectors, rows, weeks, zone) for rows in members.values() if len(rows) >= min_size]
    # Ties broken by the label so the order never depends on the clustering's numbering.
    return sorted(topics, key=lambda topic: (-topic.count, topic.label))


def _topic(
    turns: Sequence[LoggedTurn], vectors: np.ndarray, rows: list[int], weeks: list[date], zone: ZoneInfo
) -> Topic:
    group = vectors[rows]
    centre = group.mean(axis=0)
    closeness = group @ centre
    order = [rows[i] for i in np.argsort(-closeness, kind="stable")]
    examples: list[str] = []
    for row in order:
        text = turns[row].question
        if text not in examples:
            examples.append(text)
        if len(examples) == MAX_EXAMPLES:
            break
    chosen = [turns[row] for row in sorted(rows)]
    pages = Counter((t.page_url, t.page_title or t.page_url) for t in chosen if t.page_url)
    nearest = None
    if pages:
        (url, title), _ = min(pages.items(), key=lambda item: (-item[1], item[0][0]))
        nearest = (url, title)
    outcomes = Counter(t.outcome for t in chosen)
    return Topic(
        label=turns[order[0]].question,
        turns=tuple(chosen),
        examples=tuple(examples),
        weekly=tuple(weekly_counts((t.asked_at for t in chosen), weeks, zone)),
        nearest_page=nearest,
        unhelpful=sum(1 for t in chosen if t.helpful is False),
        outcomes=tuple(sorted(outcomes.items(), key=lambda item: (-item[1], item[0]))),
    )
