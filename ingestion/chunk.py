"""Cut Documents into passages that follow headings and sentence boundaries.

Passages aim at 80-200 words: long enough to carry an answer, short enough that the embedding
model (which reads at most 256 word pieces) sees all of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import quote

import spacy
from spacy.language import Language

from ingestion.models import Chunk, Document, Section, ServiceRecord

TARGET_WORDS = 120
MAX_WORDS = 200
MIN_TAIL_WORDS = 40


@lru_cache(maxsize=1)
def sentencizer() -> Language:
    """A blank English pipeline with the rule-based sentencizer (no model download)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; each list item (a line starting "- ") counts as one sentence."""
    # List items are kept whole: each is a line of its own, usually a short fact.
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            out.append(line)
        else:
            out.extend(s.text.strip() for s in sentencizer()(line).sents if s.text.strip())
    return out


def _group(sentences: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    words = 0
    for sentence in sentences:
        n = len(sentence.split())
        if groups[-1] and (words >= TARGET_WORDS or words + n > MAX_WORDS):
            groups.append([])
            words = 0
        groups[-1].append(sentence)
        words += n
    # A short tail reads better joined to the passage before it.
    if len(groups) > 1 and sum(len(s.split()) for s in groups[-1]) < MIN_TAIL_WORDS:
        tail = groups.pop()
        groups[-1].extend(tail)
    return [g for g in groups if g]


def section_url(doc_url: str, section: Section) -> str:
    """The page URL with a text fragment that scrolls a browser to the section's heading."""
    if len(section.heading_path) < 2:
        return doc_url
    return f"{doc_url}#:~:text={quote(section.heading_path[-1], safe='')}"


def _chunk_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def _join(sentences: Iterable[str]) -> str:
    text = ""
    for s in sentences:
        sep = "\n" if (s.startswith("- ") or text.endswith(":")) and text else " "
        text = f"{text}{sep}{s}" if text else s
    return text


def chunk_document(doc: Document) -> Iterator[Chunk]:
    """Passages of one document; a service record also gets one passage that reads as a summary."""
    if doc.service is not None:
        yield service_summary_chunk(doc, doc.service)
    for section in doc.sections:
        heading = " > ".join(section.heading_path[1:])
        for group in _group(split_sentences(section.text)):
            text = _join(group)
            context = " - ".join(p for p in (doc.title, heading) if p)
            yield Chunk(
                chunk_id=_chunk_id(doc.url, heading, text),
                doc_url=doc.url,
                url=section_url(doc.url, section),
                title=doc.title,
                section=heading,
                text=text,
                page_type=doc.page_type,
                last_updated=doc.last_updated,
                embed_text=f"{context}: {text}",
            )


def service_summary(record: ServiceRecord) -> str:
    """One plain paragraph about a service, built only from the record's own fields."""
    parts = [f"{record.name}: {record.description}".rstrip(": ")]
    if record.age_range:
        parts.append(f"Ages: {record.age_range}.")
    if record.area_served:
        parts.append(f"Area: {record.area_served}.")
    if record.cost:
        parts.append(f"Cost: {record.cost}.")
    if record.referral:
        parts.append(f"How to get it: {record.referral}.")
    if record.phone:
        parts.append(f"Phone: {record.phone}.")
    return " ".join(p if p.endswith((".", "!", "?")) else f"{p}." for p in parts)


def service_summary_chunk(doc: Document, record: ServiceRecord) -> Chunk:
    text = service_summary(record)
    return Chunk(
        chunk_id=_chunk_id(doc.url, "summary", text),
        doc_url=doc.url,
        url=doc.url,
        title=doc.title,
        section="",
        text=text,
        page_type="service",
        last_updated=doc.last_updated,
        embed_text=text,
    )
