"""Write every snapshot page as plain text for the mappers of a new answer set: ``python -m bench mapper-pages DIR``.

Step 2 of bench/answers/briefs/README.md. The mappers never see the assistant, only the pages: one
text file a page, headed by its kb5 address (``ADDRESS: advice.page?id=appeals``) and title, with
its sections under their headings, and ``INDEX.txt`` listing every address, title and file. The text
is what the crawler extracts (``ingestion.extract``), so a mapper reads what the knowledge base
holds; a service page adds its directory fields (contact, area, ages, cost).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from demo_site.server import PAGE_ID_PARAMS, PAGES_DIR, snapshot_files
from ingestion.extract import extract
from ingestion.models import Document, FetchedPage

INDEX_FILE = "INDEX.txt"
CHANNEL_NOTE = "This page is a menu of links to other pages; it has no text of its own."
# A service's fields worth a mapper's reading, with the label shown; the rest (ids, bands) are for search.
_SERVICE_FIELDS = {
    "contact_name": "Contact",
    "phone": "Telephone",
    "email": "Email",
    "website": "Website",
    "address": "Address",
    "postcode": "Postcode",
    "area_served": "Area served",
    "age_range": "Ages",
    "cost": "Cost",
    "referral": "How to get a place",
    "needs_level": "Needs",
    "provision_type": "Kind of service",
}


def address_of(path: Path) -> str:
    """The kb5 address a snapshot file is served at ('advice/appeals.html' -> 'advice.page?id=appeals')."""
    kind = path.parent.name
    return f"{kind}.page?{PAGE_ID_PARAMS[kind]}={path.stem}"


def page_text(address: str, document: Document) -> str:
    """The page as a mapper reads it: address, title, then each section under its heading path."""
    lines = [f"ADDRESS: {address}", f"TITLE: {document.title}", ""]
    if document.page_type == "channel":
        # A Local Offer menu holds no text of its own (the crawler keeps none): the pages it links to answer.
        lines.append(CHANNEL_NOTE)
    heading: tuple[str, ...] = ()
    for section in document.sections:
        if section.heading_path != heading and section.heading_path:
            if lines[-1]:
                lines.append("")
            lines.append("## " + " > ".join(section.heading_path))
        heading = section.heading_path
        lines.append(section.text)
    if document.service is not None:
        details = [
            f"{label}: {value}" for name, label in _SERVICE_FIELDS.items() if (value := getattr(document.service, name))
        ]
        if details:
            lines += ["", "## Details", *details]
    return "\n".join(lines).strip() + "\n"


def write_pages(out: Path, pages_dir: Path = PAGES_DIR) -> int:
    """Write one text file a snapshot page, and the index, to ``out``; return how many pages were written."""
    out.mkdir(parents=True, exist_ok=True)
    index = ["address\ttitle\tfile"]
    for path in snapshot_files(pages_dir):
        address = address_of(path)
        fetched = FetchedPage(
            url=address,
            final_url=address,
            status=200,
            fetched_at="",
            content_type="text/html",
            body=path.read_bytes(),
        )
        document = extract(fetched)
        if document is None:
            continue
        name = address.replace("?", "_").replace("=", "_") + ".txt"
        (out / name).write_text(page_text(address, document), encoding="utf-8")
        index.append(f"{address}\t{document.title}\t{name}")
    (out / INDEX_FILE).write_text("\n".join(index) + "\n", encoding="utf-8")
    return len(index) - 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench mapper-pages", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the pages to, outside the repository")
    args = parser.parse_args(argv)
    count = write_pages(args.out)
    print(f"Wrote {count} pages and {INDEX_FILE} to {args.out}")
    return 0
