"""Turn fetched pages into Documents: kb5 advice pages, kb5 service records, other HTML pages and documents.

kb5 pages are read through their known markup. Any other HTML page goes through trafilatura,
which finds the main content and drops navigation, footers and cookie banners. PDF, DOCX and
plain-text responses go to ingestion.documents.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from bs4 import BeautifulSoup, Tag

from ingestion.ages import parse_age_range
from ingestion.documents import Block, UnreadableDocument, document_format, extract_document, sections_from_blocks
from ingestion.models import Document, FetchedPage, PageAudience, PageType, Section, ServiceRecord
from ingestion.needs import needs_of

log = logging.getLogger(__name__)

_WS = re.compile(r"\s+")
_STAMP = re.compile(r"^\s*(?:page\s+)?(?:reviewed|last\s+updated)\s*:?\s*", re.IGNORECASE)

# kb5 service-record <dt> labels, lower-cased, to ServiceRecord field names.
SERVICE_FIELDS = {
    "name": "contact_name",
    "contact name": "contact_name",
    "telephone": "phone",
    "phone": "phone",
    "email": "email",
    "website": "website",
    "address": "address",
    "postcode": "postcode",
    "area served": "area_served",
    "age groups": "age_range",
    "age range": "age_range",
    "cost details": "cost",
    "cost": "cost",
    "referral": "referral",
    "referral route": "referral",
    "needs level": "needs_level",
    "sen provision type": "provision_type",
    "local offer age bands": "age_bands",
}

_BLOCK_TAGS = ("p", "ul", "ol", "table", "blockquote", "dl")


def clean(text: str) -> str:
    """Collapse runs of whitespace to single spaces."""
    return _WS.sub(" ", text).strip()


def page_type_of(url: str) -> PageType:
    """The kb5 page type named by the URL path."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if name == "advice.page":
        return "advice"
    if name == "service.page":
        return "service"
    if name in ("localoffer.page", "family.page", "results.page"):
        return "channel"
    return "other"


def extract(page: FetchedPage) -> Document | None:
    """A Document for a successfully fetched page or document, or None when there is nothing to extract.

    HTML pages are read by their kb5 markup where they have it and by trafilatura otherwise;
    PDF, DOCX and plain text go through ingestion.documents. Other content types, and files
    that cannot be read, give None.
    """
    if page.status != 200:
        return None
    fmt = document_format(page.content_type, page.final_url, page.body)
    if fmt is None:
        return None
    if fmt != "html":
        try:
            return extract_document(page.body, page.final_url, page.content_type)
        except UnreadableDocument as error:
            # One damaged file must not stop a build; the crawl report still lists the URL.
            log.warning("Skipping %s: %s", page.final_url, error)
            return None
    html = decode_html(page.body, page.content_type)
    soup = BeautifulSoup(html, "lxml")
    kind = page_type_of(page.final_url)
    if kind == "service":
        return _extract_service(soup, page)
    if kind == "other" and soup.select_one("article .advice-body") is None:
        return _extract_generic(html, soup, page)
    return _extract_article(soup, page, kind)


# Labels that browsers read as Windows-1252 (the WHATWG Encoding Standard): pages labelled
# Latin-1 or ASCII are nearly always really Windows-1252, with curly quotes in 0x80-0x9F.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def decode_html(body: bytes, content_type: str = "") -> str:
    """The text of an HTML page, decoded as a browser would.

    The order is the HTML standard's: a byte-order mark, then the HTTP charset, then a
    ``<meta charset>`` (or http-equiv) in the first 2 KB; with none of these, UTF-8 if the bytes
    are valid UTF-8, else Windows-1252. A page labelled UTF-8 whose bytes are not is read as
    Windows-1252, the usual mistake behind such pages.
    """
    for bom, bom_encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_encoding, errors="replace")
    http = _HTTP_CHARSET.search(content_type)
    meta = _META_CHARSET.search(body[:2048])
    # An unknown label is ignored, as browsers do, and the next source asked.
    encoding = _known_encoding(http.group(1) if http else "") or _known_encoding(
        meta.group(1).decode("ascii", "ignore") if meta else ""
    )
    if encoding is None or encoding == "utf-8":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return body.decode("cp1252", errors="replace")
    return body.decode(encoding, errors="replace")


def _known_encoding(label: str) -> str | None:
    label = label.strip().lower()
    if not label:
        return None
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 if its <meta> was readable as ASCII (the HTML standard).
    return "utf-8" if name.startswith("utf-16") or name == "utf-8" else name


def _title(soup: BeautifulSoup) -> str:
    h1 = soup.find("h1")
    if h1:
        return clean(h1.get_text(" "))
    if soup.title and soup.title.string:
        return clean(soup.title.string.split("|")[0])
    return ""


def _stamp(soup: BeautifulSoup, css_class: str) -> str | None:
    node = soup.find(class_=css_class)
    if node is None:
        return None
    return clean(_STAMP.sub("", node.get_text(" "))) or None


def _block_text(node: Tag) -> str:
    if node.name in ("ul", "ol"):
        items = [clean(li.get_text(" ")) for li in node.find_all("li")]
        return "\n".join(f"- {item}" for item in items if item)
    return clean(node.get_text(" "))


_HEADINGS = ("h2", "h3", "h4")
# Stamps that broken markup can leave inside the body; they are read separately.
_STAMP_CLASSES = ("reviewed", "last-updated")


def _kb5_blocks(body: Tag) -> Iterator[Block]:
    """The body in reading order: h2, h3 and h4 are headings at levels 1, 2 and 3 under the page's h1."""
    for node in body.find_all([*_HEADINGS, *_BLOCK_TAGS]):
        # Nested blocks (a <p> inside a <li>) are read with their parent.
        if node.find_parent(_BLOCK_TAGS) is not None:
            continue
        if node.name in _HEADINGS:
            heading = _own_text(node)
            if heading:
                yield Block(heading, int(node.name[1]) - 1)
        elif not set(node.get_attribute_list("class")) & set(_STAMP_CLASSES):
            yield Block(_block_text(node))


def _own_text(heading: Tag) -> str:
    # An unclosed heading swallows what follows it ('<h2>Who<h2>' nests the rest of the page);
    # its own words are those not inside a nested heading or block, which are read in turn.
    nested = (*_HEADINGS, *_BLOCK_TAGS)
    return clean(" ".join(t for t in heading.find_all(string=True) if t.find_parent(nested) is heading))


def _extract_article(soup: BeautifulSoup, page: FetchedPage, kind: PageType) -> Document:
    title = _title(soup)
    body = soup.select_one("article .advice-body") or soup.find("main") or soup.body or soup
    sections = () if kind == "channel" else sections_from_blocks(title, _kb5_blocks(body))
    return Document(
        url=page.final_url,
        title=title,
        page_type=kind,
        sections=sections,
        last_updated=_stamp(soup, "reviewed") or _stamp(soup, "last-updated"),
        links=page.links,
        audience=audience_of(soup),
    )


def audience_of(soup: BeautifulSoup) -> PageAudience:
    """'young_person' for pages filed under Future Me (the county's pages written to 14-25s)."""
    crumbs = soup.select_one("nav.breadcrumb")
    if crumbs is not None and "future me" in clean(crumbs.get_text(" ")).lower():
        return "young_person"
    return "all"


def _extract_service(soup: BeautifulSoup, page: FetchedPage) -> Document:
    title = _title(soup)
    description_node = soup.select_one(".service-description")
    description = (
        "\n".join(_block_text(n) for n in description_node.find_all(_BLOCK_TAGS) if n.find_parent(_BLOCK_TAGS) is None)
        if description_node
        else ""
    )
    fields: dict[str, Any] = {}  # dt/dd text by ServiceRecord field name
    for section in soup.select("section.field_section"):
        for dt in section.find_all("dt"):
            dd = dt.find_next_sibling("dd")
            key = SERVICE_FIELDS.get(clean(dt.get_text(" ")).lower())
            if key and dd is not None and key not in fields:
                value = clean(dd.get_text(" "))
                if value:
                    fields[key] = value
    last_updated = _stamp(soup, "last-updated")
    # The published 'Age groups' text is the record's own word on ages; the Local Offer's
    # coarser bands ('Primary; Secondary') stand in only when it is missing or unreadable.
    ages = next(
        (a for a in (parse_age_range(fields.get(k, "")) for k in ("age_range", "age_bands")) if a is not None), None
    )
    record = ServiceRecord(
        name=title,
        description=description,
        last_updated=last_updated,
        min_age=ages.min_years if ages else None,
        max_age=ages.max_years if ages else None,
        **fields,
    )
    record = dataclasses.replace(record, needs=needs_of(record))
    sections = (Section(heading_path=(title,), text=description),) if description else ()
    return Document(
        url=page.final_url,
        title=title,
        page_type="service",
        sections=sections,
        last_updated=last_updated,
        links=page.links,
        service=record,
    )


def _extract_generic(html: str, soup: BeautifulSoup, page: FetchedPage) -> Document:
    """Main content of a page without kb5 markup, found by trafilatura; headings kept as sections."""
    xml = trafilatura.extract(
        html,
        url=page.final_url,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        # Guides are short pages: recall keeps their last paragraphs that precision would drop.
        favor_recall=True,
        # Only dates the page states (meta tags, a 'last updated' line): no guesses from its text.
        date_extraction_params={"extensive_search": False, "original_date": False},
    )
    fallback_title = clean(soup.title.string.split("|")[0]) if soup.title and soup.title.string else ""
    if not xml:
        return Document(url=page.final_url, title=fallback_title, page_type="other", sections=(), links=page.links)
    tree = BeautifulSoup(xml, "xml")
    doc_node = tree.find("doc")
    meta_title = clean(str(doc_node.get("title") or "")) if isinstance(doc_node, Tag) else ""
    date = str(doc_node.get("date") or "") if isinstance(doc_node, Tag) else ""
    main = tree.find("main")
    blocks = list(_trafilatura_blocks(main)) if isinstance(main, Tag) else []
    # trafilatura's title is usually the h1; a site suffix ('| Council') is not part of it.
    title = meta_title.split(" | ")[0] or fallback_title
    if blocks and blocks[0].level and blocks[0].text == title:
        blocks = blocks[1:]
    return Document(
        url=page.final_url,
        title=title,
        page_type="other",
        sections=sections_from_blocks(title, blocks),
        last_updated=date or None,
        links=page.links,
    )


def _trafilatura_blocks(main: Tag) -> Iterator[Block]:
    """trafilatura's XML in reading order: <head rend="h2"> are headings, the rest body text."""
    for node in main.find_all(["head", "p", "list", "table", "quote"], recursive=False):
        if node.name == "head":
            rend = str(node.get("rend") or "")
            # h1 and h2 both sit directly under the title: a page may or may not repeat its
            # title as an h1, and its sections may start at either.
            level = max(int(rend[1]) - 1, 1) if re.fullmatch(r"h[1-6]", rend) else 1
            heading = clean(node.get_text(" "))
            if heading:
                yield Block(heading, level)
        elif node.name == "list":
            items = [clean(item.get_text(" ")) for item in node.find_all("item")]
            yield Block("\n".join(f"- {item}" for item in items if item))
        elif node.name == "table":
            for row in node.find_all("row"):
                cells = [clean(cell.get_text(" ")) for cell in row.find_all("cell")]
                if any(cells):
                    yield Block(" | ".join(c for c in cells if c))
        else:
            yield Block(clean(node.get_text(" ")))
