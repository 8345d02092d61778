"""Documents (plain text, PDF, DOCX) through the same extraction and chunking as pages.

The plain-text tests read the county's published strategies in ../shared/seeds. The PDF tests
build their PDFs here with ``tiny_pdf``: a one-page PDF 1.4 file written byte by byte (catalogue,
page tree, one page, the standard Helvetica font, one content stream of text lines, an info
dictionary and a cross-reference table), which keeps the tests free of a PDF-writing dependency.
The DOCX tests build their files with python-docx.
"""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from ingestion.chunk import MAX_WORDS, chunk_document
from ingestion.documents import (
    UnreadableDocument,
    document_format,
    extract_document,
    heading_level,
    text_blocks,
)
from ingestion.extract import extract
from ingestion.models import Document
from tests.fetched_pages import fetched

# The county's published strategies live beside the repository (../shared/seeds), as on every
# machine of this project and in CI; SIGNPOST_SEEDS_DIR points elsewhere if needed.
SEEDS = Path(os.environ.get("SIGNPOST_SEEDS_DIR") or Path(__file__).resolve().parents[3] / "shared" / "seeds")
JOINT_COMMISSIONING = SEEDS / "002_90e48d61fbde52d9.txt"  # SEND Joint Commissioning Strategy 2025-2030
SEND_STRATEGY = SEEDS / "000_51acde353f7f479e.txt"  # SEND Strategy 2022-2025
PROGRESS_REPORT = SEEDS / "004_985016c59d32d4d1.txt"  # 2019 progress report, exported from a PDF


@pytest.fixture
def seeds_are_there() -> None:
    # A missing folder must fail loudly: a skipped document test would hide a broken pipeline.
    if not SEEDS.is_dir():
        pytest.fail(
            f"The seed documents are not at {SEEDS}: put shared/ beside the repository or set SIGNPOST_SEEDS_DIR"
        )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def tiny_pdf(lines: list[str], title: str | None = None, mod_date: str | None = None) -> bytes:
    """A valid one-page PDF showing ``lines`` in Helvetica, one per line (see the module docstring)."""

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 10 Tf", "12 TL", "40 800 Td", *(f"({literal(line)}) Tj T*" for line in lines), "ET"]
    # WinAnsiEncoding is Windows-1252: curly quotes and the pound sign have single bytes.
    stream = "\n".join(ops).encode("cp1252")
    info = []
    if title:
        info.append(f"/Title ({literal(title)})")
    if mod_date:
        info.append(f"/ModDate (D:{mod_date})")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        ("<< " + " ".join(info) + " >>").encode("cp1252"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def wrapped(text: str) -> list[str]:
    """Lines as a PDF lays out a paragraph: wrapped at about 80 characters."""
    return textwrap.wrap(" ".join(text.split()), 80)


# Long enough (over 80 words a section) that no section is joined to its neighbour.
INTRO = """This guide explains how to ask the council for an education, health and care needs
assessment for a child or young person with special educational needs. It is written for parents
and carers, and for young people aged 16 to 25 who want to ask for themselves. The assessment looks
at the help your child needs in school and at home, and it is the first step towards an education,
health and care plan. Read it before you write to the council, and keep a copy of your letter."""
WHO = """A parent or carer can ask. A school or college can ask, but it should talk to you first. A young
person aged 16 to 25 can ask for themselves. You do not need a diagnosis, and you do not need the
school to agree with you before you ask. The council must tell you within six weeks whether it will
carry out the assessment. If it says no, it must tell you why, and you can appeal to the tribunal.
SENDIASS can help you write your letter; the call costs nothing and the advice is impartial."""
YOUNG = """Young people over compulsory school age make the request themselves, and the council talks
to them rather than to their parents, unless they ask for their parents to speak for them. The same
six-week limit applies, and the same right of appeal. A young person who finds it hard to take part can
ask for help from an advocate, and can bring someone they trust to any meeting. Colleges and training
providers can ask too, with the young person's agreement, when they think more help is needed."""


def pdf_guide() -> bytes:
    lines = ["1. Introduction", *wrapped(INTRO), "2. Who can ask", *wrapped(WHO), "2.1 Young people", *wrapped(YOUNG)]
    return tiny_pdf(lines, title="Asking for an EHC needs assessment", mod_date="20250402120000Z")


def docx_guide() -> bytes:
    document = docx.Document()
    document.add_heading("Short breaks guide", level=0)  # Word's 'Title' style
    document.add_paragraph("Short breaks give families time off from caring. They cost £5 or less a session.")
    document.add_heading("Who can get one", level=1)
    document.add_paragraph("Disabled children and young people up to 18 who live in the county.")
    document.add_paragraph("Holiday clubs", style="List Bullet")
    document.add_paragraph("Overnight stays", style="List Bullet")
    document.add_heading("Children with complex needs", level=2)
    document.add_paragraph("The children’s disability team talks to you about a specialist break.")
    document.add_heading("Contacts", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Family Information Service"
    table.cell(0, 1).text = "0800 542 02 02"
    table.cell(1, 0).text = "SENDIASS"
    table.cell(1, 1).text = "0800 158 3603"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chunk_sizes(doc: Document) -> list[int]:
    return [len(c.text.split()) for c in chunk_document(doc)]


# Plain text: the county's own strategies.


@pytest.mark.usefixtures("seeds_are_there")
def test_a_strategy_keeps_its_facts_in_chunks_under_their_heading() -> None:
    doc = extract_document(JOINT_COMMISSIONING, "https://www.example.org/send-joint-commissioning-strategy.txt")
    assert doc.title == "SEND JOINT COMMISSIONING STRATEGY 2025-2030"
    assert doc.sections[0].heading_path == (doc.title, "EXECUTIVE SUMMARY")
    chunks = list(chunk_document(doc))
    ehcp = [c for c in chunks if "6,411 children and young people with an EHCP as of January 2025" in c.text]
    assert len(ehcp) == 1
    assert ehcp[0].section == "Assessment of Need"
    # The **bold** of the text export is unwrapped.
    assert all("**" not in c.text for c in chunks)
    assert any("1436 requests for statutory assessment" in c.text.replace("\n", " ") for c in chunks)


@pytest.mark.usefixtures("seeds_are_there")
def test_a_strategys_headings_become_sections() -> None:
    doc = extract_document(SEND_STRATEGY, "https://www.example.org/send-strategy.txt", "text/plain; charset=utf-8")
    assert doc.title == "SEND Strategy 2022-2025"
    headings = {s.heading_path[-1] for s in doc.sections}
    assert {"Introduction", "Our vision", "Special educational needs (SEN)", "Measuring Impact"} <= headings
    chunks = list(chunk_document(doc))
    legal = next(c for c in chunks if "s.20 of the Children and Families Act 2014" in c.text)
    assert legal.section == "Special educational needs (SEN)"
    assert legal.embed_text.startswith("SEND Strategy 2022-2025 - Special educational needs (SEN): ")


@pytest.mark.usefixtures("seeds_are_there")
def test_lines_wrapped_by_a_pdf_export_are_joined_again() -> None:
    doc = extract_document(PROGRESS_REPORT, "https://www.example.org/progress-report.txt")
    text = "\n".join(s.text for s in doc.sections)
    assert "which has increased by 47% nationally since 2015" in text
    national = next(s for s in doc.sections if s.heading_path[-1] == "2. NATIONAL CONTEXT")
    assert national.text.startswith("There has been a significant rise in the number of children and young people")


@pytest.mark.usefixtures("seeds_are_there")
@pytest.mark.parametrize("path", [JOINT_COMMISSIONING, SEND_STRATEGY, PROGRESS_REPORT])
def test_strategy_chunks_are_mostly_80_to_200_words(path: Path) -> None:
    sizes = chunk_sizes(extract_document(path, f"https://www.example.org/{path.name}"))
    assert len(sizes) >= 20
    assert max(sizes) <= MAX_WORDS
    in_range = sum(80 <= n <= 200 for n in sizes)
    assert in_range / len(sizes) >= 0.75, sorted(sizes)


def test_short_sections_under_guessed_headings_are_joined_with_their_headings_as_lead_ins() -> None:
    text = "Report\n\nChildren in Care\n\n23% of children in care have an EHCP.\n\nAdult Social Care\n\n"
    text += "In March 2024 there were 342 young people receiving support.\n"
    doc = extract_document(text.encode(), "https://www.example.org/report.txt", "text/plain")
    assert doc.title == "Report"
    assert [s.heading_path for s in doc.sections] == [("Report", "Children in Care")]
    assert doc.sections[0].text == (
        "23% of children in care have an EHCP.\nAdult Social Care:\n"
        "In March 2024 there were 342 young people receiving support."
    )


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Introduction", 1),
        ("1. Introduction", 1),
        ("2.3 Who can ask", 2),
        ("WHAT HAS BEEN DONE SO FAR", 1),
        ("What does SEND mean?", 1),
        ("This sentence ends with a full stop.", 0),
        ("Co-Chairs: Kirsten Harrison (Director of Education),", 0),
        ("the end of a wrapped paragraph", 0),
        ("A line that stops at the", 0),
        ("July 2019", 0),
        ("2025-2030", 0),
        ("This line is far too long to be a heading because it runs on for many more words than one", 0),
    ],
)
def test_heading_guess(line: str, level: int) -> None:
    assert heading_level(line) == level


def test_text_blocks_keep_bullets_and_unwrap_markdown() -> None:
    blocks = text_blocks("Our vision\n\n- Be **aspirational** for all\n- Read the [Code](https://x.example) first\n")
    assert [(b.text, b.level) for b in blocks] == [
        ("Our vision", 1),
        ("- Be aspirational for all", 0),
        ("- Read the Code first", 0),
    ]


def test_a_short_line_followed_by_lower_case_is_not_a_heading() -> None:
    blocks = text_blocks("Following the reforms, Ofsted and the CQC\nwere commissioned to inspect local areas.\n")
    assert [(b.text, b.level) for b in blocks] == [
        ("Following the reforms, Ofsted and the CQC were commissioned to inspect local areas.", 0)
    ]


def test_plain_text_in_windows_1252_is_decoded() -> None:
    body = "Costs\n\nSessions cost £5 – “book early”.\n".encode("cp1252")
    doc = extract_document(body, "https://www.example.org/costs.txt")
    assert doc.sections[0].text == "Sessions cost £5 – “book early”."


# PDF


def test_pdf_text_title_date_and_numbered_sections_come_through() -> None:
    doc = extract_document(pdf_guide(), "https://www.example.org/ehc-guide.pdf", "application/pdf")
    assert doc.title == "Asking for an EHC needs assessment"
    assert doc.last_updated == "2025-04-02"
    assert [s.heading_path[1:] for s in doc.sections] == [
        ("1. Introduction",),
        ("2. Who can ask",),
        ("2. Who can ask", "2.1 Young people"),
    ]
    who = doc.sections[1].text
    # Wrapped lines are one paragraph again.
    assert "The council must tell you within six weeks whether it will carry out the assessment." in who
    chunks = list(chunk_document(doc))
    assert any(c.section == "2. Who can ask > 2.1 Young people" for c in chunks)


def test_pdf_keeps_pound_signs_and_curly_quotes() -> None:
    body = tiny_pdf(["Costs", "Sessions cost £5 – “book early”."])
    doc = extract_document(body, "https://www.example.org/costs.pdf", "application/pdf")
    assert doc.title == "Costs"
    assert "Sessions cost £5 – “book early”." in doc.sections[0].text


def test_a_damaged_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument):
        extract_document(b"%PDF-1.4\nthis is not really a PDF", "https://www.example.org/x.pdf", "application/pdf")


# DOCX


def test_docx_heading_styles_become_sections() -> None:
    doc = extract_document(docx_guide(), "https://www.example.org/short-breaks.docx", DOCX_TYPE)
    assert doc.title == "Short breaks guide"
    title = doc.title
    assert [s.heading_path for s in doc.sections] == [
        (title,),
        (title, "Who can get one"),
        (title, "Who can get one", "Children with complex needs"),
        (title, "Contacts"),
    ]
    assert doc.sections[0].text == "Short breaks give families time off from caring. They cost £5 or less a session."
    assert doc.sections[1].text == (
        "Disabled children and young people up to 18 who live in the county.\n- Holiday clubs\n- Overnight stays"
    )
    assert doc.sections[2].text == "The children’s disability team talks to you about a specialist break."
    assert doc.sections[3].text == "Family Information Service | 0800 542 02 02\nSENDIASS | 0800 158 3603"


def test_a_docx_read_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "short-breaks.docx"
    path.write_bytes(docx_guide())
    doc = extract_document(path, "https://www.example.org/short-breaks.docx")
    assert doc.title == "Short breaks guide"
    assert len(doc.sections) == 4


def test_a_zip_that_is_not_a_docx_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument):
        extract_document(b"PK\x03\x04not a zip", "https://www.example.org/x.docx", DOCX_TYPE)


# The crawl pipeline: extract() hands documents on.


@pytest.mark.parametrize(
    ("url", "content_type", "make"),
    [
        ("https://www.example.org/ehc-guide.pdf", "application/pdf", pdf_guide),
        ("https://www.example.org/download?id=7.pdf", "application/octet-stream", pdf_guide),
        ("https://www.example.org/short-breaks.docx", DOCX_TYPE, docx_guide),
    ],
)
def test_crawled_documents_go_through_extract(url: str, content_type: str, make: Callable[[], bytes]) -> None:
    doc = extract(fetched(url, make(), content_type))
    assert doc is not None
    assert doc.url == url
    assert len(doc.sections) >= 3
    assert list(chunk_document(doc))


def test_crawled_documents_that_cannot_be_read_give_nothing() -> None:
    assert extract(fetched("https://www.example.org/x.pdf", b"<html>oops</html>", "application/pdf")) is None
    assert extract(fetched("https://www.example.org/x.zip", b"PK\x03\x04", "application/zip")) is None


@pytest.mark.parametrize(
    ("content_type", "url", "body", "expected"),
    [
        ("text/html; charset=utf-8", "", b"", "html"),
        ("application/pdf", "", b"", "pdf"),
        (DOCX_TYPE, "", b"", "docx"),
        ("text/plain", "", b"", "text"),
        ("application/octet-stream", "https://x.example/Guide%20v2.DOCX", b"", "docx"),
        ("", "https://x.example/download", b"%PDF-1.7", "pdf"),
        ("application/zip", "https://x.example/a.zip", b"", None),
        ("image/png", "https://x.example/a.png", b"", None),
    ],
)
def test_document_format(content_type: str, url: str, body: bytes, expected: str | None) -> None:
    assert document_format(content_type, url, body) == expected
