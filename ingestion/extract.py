"""Turn fetched HTML into Documents: kb5 advice pages, kb5 service records, and generic pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from ingestion.models import Document, FetchedPage, PageType, Section, ServiceRecord

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
    """A Document for a successfully fetched HTML page, or None when there is nothing to extract."""
    if page.status != 200 or "html" not in page.content_type:
        return None
    soup = BeautifulSoup(page.body, "lxml")
    kind = page_type_of(page.final_url)
    if kind == "service":
        return _extract_service(soup, page)
    return _extract_article(soup, page, kind)


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


def _sections(body: Tag, title: str) -> tuple[Section, ...]:
    """Walk the body in order; h2/h3 headings open sections, blocks fill them."""
    sections: list[Section] = []
    path: list[str] = [title]
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(b for b in buffer if b)
        if text:
            sections.append(Section(heading_path=tuple(path), text=text))
        buffer.clear()

    for node in body.find_all(["h2", "h3", "h4", *_BLOCK_TAGS]):
        # Nested blocks (a <p> inside a <li>) are read with their parent.
        if node.find_parent(_BLOCK_TAGS) is not None:
            continue
        if node.name in ("h2", "h3", "h4"):
            flush()
            level = int(node.name[1])
            del path[level - 1 :]
            path.append(clean(node.get_text(" ")))
        else:
            buffer.append(_block_text(node))
    flush()
    return tuple(sections)


def _extract_article(soup: BeautifulSoup, page: FetchedPage, kind: PageType) -> Document:
    title = _title(soup)
    body = soup.select_one("article .advice-body") or soup.find("main") or soup.body or soup
    sections = () if kind == "channel" else _sections(body, title)
    return Document(
        url=page.final_url,
        title=title,
        page_type=kind,
        sections=sections,
        last_updated=_stamp(soup, "reviewed") or _stamp(soup, "last-updated"),
        links=page.links,
    )


def _extract_service(soup: BeautifulSoup, page: FetchedPage) -> Document:
    title = _title(soup)
    description_node = soup.select_one(".service-description")
    description = (
        "\n".join(_block_text(n) for n in description_node.find_all(_BLOCK_TAGS) if n.find_parent(_BLOCK_TAGS) is None)
        if description_node
        else ""
    )
    fields: dict[str, str] = {}
    for section in soup.select("section.field_section"):
        for dt in section.find_all("dt"):
            dd = dt.find_next_sibling("dd")
            key = SERVICE_FIELDS.get(clean(dt.get_text(" ")).lower())
            if key and dd is not None and key not in fields:
                value = clean(dd.get_text(" "))
                if value:
                    fields[key] = value
    last_updated = _stamp(soup, "last-updated")
    record = ServiceRecord(name=title, description=description, last_updated=last_updated, **fields)
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
