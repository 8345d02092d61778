"""Property tests of page extraction (issue 12, bad input): whatever HTML a site serves, extraction
returns typed records or nothing, never an exception, and chunking what it returns never fails.

The strategies build pages from kb5's own markup (advice bodies, service records' dt/dd fields,
stamps) with random text, random nesting and random junk between, plus arbitrary bytes.
"""

from __future__ import annotations

import dataclasses
from typing import get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.chunk import chunk_document
from ingestion.extract import SERVICE_FIELDS, extract
from ingestion.models import Chunk, Document, PageAudience, PageType, Section, ServiceRecord
from tests.fetched_pages import fetched

BASE = "https://www.glosfamiliesdirectory.org.uk/kb5/gloucs/glosfamilies/"
URLS = [f"{BASE}advice.page?id=x", f"{BASE}service.page?id=x", f"{BASE}localoffer.page?channel=1", f"{BASE}other.page"]

words = st.text(min_size=0, max_size=40)
# Text that looks like what pages hold, ages and phone numbers included, and plain junk.
field_values = st.one_of(
    words,
    st.from_regex(r"(Ages? )?\d{1,3}\s*(-|to|–)\s*\d{1,3}( years| months)?", fullmatch=True),
    st.sampled_from(["0 - 25 years", "Primary; Secondary", "16+", "under 5s", "01632 960123", "", "  "]),
)
TAGS = ["p", "div", "span", "ul", "li", "ol", "h1", "h2", "h3", "table", "tr", "td", "dl", "dt", "dd", "section", "a"]


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, cls, inner: f"<{tag}{f' class={cls!r}' if cls else ''}>{inner}</{tag}>",
        st.sampled_from(TAGS),
        st.sampled_from(["", "advice-body", "field_section", "service-description", "last-updated", "content"]),
        children,
    )


fragments = st.recursive(
    st.one_of(words.map(lambda t: t.replace("<", " ")), st.sampled_from(["<br>", "<p>", "</div>", "&amp;", "<!--"])),
    lambda inner: element(st.lists(inner, max_size=4).map("".join)),
    max_leaves=15,
)


@st.composite
def kb5_pages(draw: st.DrawFn) -> str:
    """A page in kb5's shape, with random parts missing, repeated or broken."""
    fields = draw(st.lists(st.tuples(st.sampled_from([*SERVICE_FIELDS, "Unknown label"]), field_values), max_size=8))
    dl = "".join(f"<dt>{label.title()}</dt><dd>{value}</dd>" for label, value in fields)
    parts = [
        f"<h1>{draw(words)}</h1>" if draw(st.booleans()) else "",
        f'<section class="field_section"><dl>{dl}</dl></section>',
        f'<div class="service-description">{draw(fragments)}</div>' if draw(st.booleans()) else "",
        f'<article><div class="advice-body">{draw(fragments)}</div></article>' if draw(st.booleans()) else "",
        f'<p class="last-updated">{draw(words)}</p>' if draw(st.booleans()) else "",
        draw(fragments),
    ]
    order = draw(st.permutations(parts))
    return f"<html><head><title>{draw(words)}</title></head><body>{''.join(order)}</body></html>"


def check_typed(document: Document | None, url: str) -> None:
    if document is None:
        return
    assert isinstance(document, Document)
    assert document.url == url
    assert isinstance(document.title, str)
    assert document.page_type in get_args(PageType)
    assert document.audience in get_args(PageAudience)
    assert all(isinstance(s, Section) and isinstance(s.text, str) for s in document.sections)
    assert all(isinstance(p, str) for s in document.sections for p in s.heading_path)
    assert document.last_updated is None or isinstance(document.last_updated, str)
    record = document.service
    if record is not None:
        assert isinstance(record, ServiceRecord)
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            if field.name in ("min_age", "max_age"):
                assert value is None or isinstance(value, float)
            elif field.name in ("needs", "channels"):
                assert isinstance(value, tuple)
                assert all(isinstance(v, str) for v in value)
            else:
                assert value is None or isinstance(value, str), (field.name, value)
        if record.min_age is not None and record.max_age is not None:
            assert 0 <= record.min_age <= record.max_age
    chunks = list(chunk_document(document))
    assert all(isinstance(c, Chunk) and isinstance(c.text, str) and c.doc_url == url for c in chunks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=kb5_pages(), url=st.sampled_from(URLS))
def test_any_page_in_kb5_shape_gives_typed_records_or_nothing(page: str, url: str) -> None:
    document = extract(fetched(url, page))
    check_typed(document, url)
    if url.endswith("service.page?id=x"):
        assert document is not None
        assert document.page_type == "service"
        assert document.service is not None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)),
    url=st.sampled_from(URLS),
    content_type=st.sampled_from(
        ["text/html; charset=utf-8", "text/html; charset=iso-8859-1", "text/html; charset=bogus", "text/html", ""]
    ),
)
def test_any_bytes_at_all_give_typed_records_or_nothing(body: bytes, url: str, content_type: str) -> None:
    check_typed(extract(fetched(url, body, content_type)), url)
