"""Typed records that cross the ingestion boundary."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PageType = Literal["advice", "service", "channel", "other"]
# Who a page speaks to: 'young_person' for the Future Me pages (written to 14-25s), else 'all'.
PageAudience = Literal["all", "young_person"]


@dataclass(frozen=True)
class FetchedPage:
    """One HTTP fetch as the crawler saw it."""

    url: str
    final_url: str
    status: int
    fetched_at: str
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path, e.g. ('Asking for an EHC needs assessment', 'Who can ask')."""

    heading_path: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ServiceRecord:
    """A directory entry (kb5 service record) with its dt/dd fields named."""

    name: str
    description: str = ""
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    postcode: str | None = None
    area_served: str | None = None
    # The 'Age groups' text as published; min_age and max_age are read from it (or from the
    # Local Offer age bands when it is missing) by ingestion.ages, None when it names no ages.
    age_range: str | None = None
    cost: str | None = None
    referral: str | None = None
    needs_level: str | None = None
    provision_type: str | None = None
    age_bands: str | None = None
    min_age: float | None = None
    max_age: float | None = None
    last_updated: str | None = None
    # SEND need groups the record names (ingestion.needs), and the titles of the Local Offer
    # channel pages that list it (filled in once the whole site has been read).
    needs: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def to_json(self) -> str:
        """The record as JSON, as stored with a knowledge-base build and in the extraction cache."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServiceRecord:
        """The record :meth:`to_json` wrote."""
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, fields: Mapping[str, Any]) -> ServiceRecord:
        """A record from its fields as JSON gives them back (lists where the record holds tuples)."""
        return cls(**{**fields, "needs": tuple(fields.get("needs", ())), "channels": tuple(fields.get("channels", ()))})


@dataclass(frozen=True)
class Document:
    """A page's content after extraction, ready to be chunked."""

    url: str
    title: str
    page_type: PageType
    sections: tuple[Section, ...]
    last_updated: str | None = None
    links: tuple[str, ...] = ()
    service: ServiceRecord | None = None
    audience: PageAudience = "all"


@dataclass(frozen=True)
class Chunk:
    """A passage of a document sized for embedding and for quoting back to a family."""

    chunk_id: str
    doc_url: str
    url: str
    title: str
    section: str
    text: str
    page_type: PageType
    last_updated: str | None = None
    # What the embedding model sees: the text with its title and heading path for context.
    embed_text: str = field(default="", repr=False)
    audience: PageAudience = "all"
