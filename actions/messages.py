"""Message shapes the actions send, shared by every action so the widget sees one format."""

from __future__ import annotations

from typing import Any

from knowledge_base.models import SearchHit


def source_of(hit: SearchHit) -> dict[str, Any]:
    """A citation the widget renders as a link with its last-updated date."""
    return {"title": hit.title, "url": hit.url, "last_updated": hit.last_updated}


def sources_payload(hits: list[SearchHit]) -> dict[str, Any]:
    """The custom payload that carries citations; the gateway folds it into the text before it."""
    seen: set[str] = set()
    sources = []
    for hit in hits:
        if hit.doc_url not in seen:
            seen.add(hit.doc_url)
            sources.append(source_of(hit))
    return {"sources": sources}


SENDIASS_BUTTON = {"title": "Talk to SENDIASS", "payload": "/request_human"}
