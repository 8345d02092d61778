"""Search filters, applied to every passage at once through per-row attributes held in memory.

Filters on district, age and need concern service records only: an advice page about EHC plans is
just as true in Stroud as in Tewkesbury, so advice passages always pass them. A service passes a
district filter when it serves that district or the whole county; an age filter when the age lies
within its age range (a record without ages passes); a need filter when it names that need or names
no particular need (a family support service open to every child).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

import numpy as np

from ingestion.models import PageType
from vocabulary.ages import LOCAL_OFFER_MAX, LOCAL_OFFER_MIN
from vocabulary.audiences import Audience
from vocabulary.needs import NEEDS
from vocabulary.places import DISTRICTS

__all__ = ["DISTRICTS", "NEEDS", "PAGE_TYPES", "RowAttributes", "SearchFilters", "districts_served"]

PAGE_TYPES: tuple[PageType, ...] = ("advice", "service", "channel", "other")

_ALL_DISTRICTS = (1 << len(DISTRICTS)) - 1
_COUNTYWIDE = re.compile(r"\b(countywide|county-wide|all of gloucestershire|gloucestershire|whole county)\b", re.I)
_DISTRICT_PATTERNS = [
    re.compile(r"\bgloucester\b(?!shire)", re.I) if name == "Gloucester" else re.compile(rf"\b{name}\b", re.I)
    for name in DISTRICTS
]


@dataclass(frozen=True)
class SearchFilters:
    """What a search is limited to. ``None`` means 'any'."""

    district: str | None = None
    age: float | None = None
    need: str | None = None
    page_types: tuple[PageType, ...] | None = None
    # Pages written for this audience only (Future Me pages for young people). The search's
    # ``asker`` preference is the gentler tool; this one excludes.
    audience: Audience | None = None

    def __post_init__(self) -> None:
        if self.district is not None and self.district not in DISTRICTS:
            raise ValueError(f"Unknown district {self.district!r}; expected one of {', '.join(DISTRICTS)}.")
        if self.need is not None and self.need not in NEEDS:
            raise ValueError(f"Unknown need {self.need!r}; expected one of {', '.join(NEEDS)}.")
        if self.age is not None and not LOCAL_OFFER_MIN <= self.age <= LOCAL_OFFER_MAX:
            raise ValueError(f"Age {self.age} is outside the 0-25 range the Local Offer covers.")
        for page_type in self.page_types or ():
            if page_type not in PAGE_TYPES:
                raise ValueError(f"Unknown page type {page_type!r}; expected one of {', '.join(PAGE_TYPES)}.")

    @property
    def empty(self) -> bool:
        return self == SearchFilters()


def districts_served(area_served: str | None) -> int:
    """The districts an 'area served' text covers, as a bit mask over DISTRICTS (0 when unknown)."""
    if not area_served:
        return 0
    mask = 0
    for bit, pattern in enumerate(_DISTRICT_PATTERNS):
        if pattern.search(area_served):
            mask |= 1 << bit
    return mask or (_ALL_DISTRICTS if _COUNTYWIDE.search(area_served) else 0)


class RowAttributes:
    """Per-passage attributes in FAISS row order, for filtering without touching SQLite."""

    def __init__(self, db: sqlite3.Connection) -> None:
        rows = db.execute(
            "SELECT c.row, c.doc_url, c.page_type, c.audience,"
            " json_extract(s.record, '$.area_served'), json_extract(s.record, '$.min_age'),"
            " json_extract(s.record, '$.max_age'), json_extract(s.record, '$.needs')"
            " FROM chunks c LEFT JOIN services s ON s.doc_url = c.doc_url ORDER BY c.row"
        ).fetchall()
        n = len(rows)
        self.page: np.ndarray = np.zeros(n, dtype=np.int32)
        self.page_type = np.zeros(n, dtype=np.uint8)
        self.young_person = np.zeros(n, dtype=bool)
        self.is_service = np.zeros(n, dtype=bool)
        self.districts = np.zeros(n, dtype=np.uint8)
        self.min_age = np.full(n, np.nan, dtype=np.float32)
        self.max_age = np.full(n, np.nan, dtype=np.float32)
        self.needs = np.zeros(n, dtype=np.uint16)
        pages: dict[str, int] = {}
        for row, doc_url, page_type, audience, area, min_age, max_age, needs_json in rows:
            self.page[row] = pages.setdefault(doc_url, len(pages))
            self.page_type[row] = PAGE_TYPES.index(page_type) if page_type in PAGE_TYPES else 255
            self.young_person[row] = audience == "young_person"
            if page_type == "service":
                self.is_service[row] = True
                self.districts[row] = districts_served(area)
                self.min_age[row] = np.nan if min_age is None else min_age
                self.max_age[row] = np.nan if max_age is None else max_age
                self.needs[row] = _need_bits(needs_json)
        # Each page's address by its number in ``page``, and whether it is written for young people.
        self.doc_urls: list[str] = list(pages)
        self.page_for_young_people = np.zeros(len(pages), dtype=bool)
        self.page_for_young_people[self.page] = self.young_person

    def __len__(self) -> int:
        return len(self.page)

    def mask(self, filters: SearchFilters) -> np.ndarray | None:
        """Which rows pass the filters (None when nothing is filtered)."""
        if filters.empty:
            return None
        keep = np.ones(len(self), dtype=bool)
        if filters.page_types is not None:
            codes = [PAGE_TYPES.index(t) for t in filters.page_types]
            keep &= np.isin(self.page_type, codes)
        if filters.audience is not None:
            keep &= self.young_person == (filters.audience == "young_person")
        services_pass = np.ones(len(self), dtype=bool)
        if filters.district is not None:
            bit = 1 << DISTRICTS.index(filters.district)
            # A record whose area we could not read is kept: hiding it would hide a real service.
            services_pass &= ((self.districts & bit) != 0) | (self.districts == 0)
        if filters.age is not None:
            with np.errstate(invalid="ignore"):
                services_pass &= ~(self.min_age > filters.age) & ~(self.max_age < filters.age)
        if filters.need is not None:
            bit = 1 << NEEDS.index(filters.need)
            services_pass &= ((self.needs & bit) != 0) | (self.needs == 0)
        keep &= ~self.is_service | services_pass
        return keep


def _need_bits(needs_json: str | None) -> int:
    if not needs_json:
        return 0
    bits = 0
    for need in json.loads(needs_json):
        if need in NEEDS:
            bits |= 1 << NEEDS.index(need)
    return bits
