"""Turn documents (PDF, DOCX, plain text) into the same Documents that pages become.

The county publishes its strategies and guides as PDFs and Word files as well as pages; read
through here, they are chunked and searched like any page.

Headings become sections:

- DOCX: paragraphs styled 'Heading 1', 'Heading 2', ... (Word's built-in heading styles) open
  sections at that depth; the 'Title' style gives the title.
- PDF and plain text carry no structure, so headings are guessed line by line, simply:
  a line is a heading when it is short (at most 12 words), starts with a capital letter or a
  number, holds a letter, does not end like a sentence or a clause ('.', ',', ';', ':') or on a
  word such as 'the' or 'and', is not a bare date ('July 2019'), and stands on its own: the
  text before it ended a sentence (or there was a blank line) and the next line does not go on
  in lower case. Numbered headings ('1. Introduction', '2.3 Scope') are headings at the depth
  of their number; every other heading, ALL CAPS or not, is a top-level one. The guess misreads
  some lines (a signature, a figure's label); such a 'section' is short and harmless. Under
  guessed headings, runs of short sections are joined (see _join_short_sections).
- Lines wrapped inside a paragraph (as PDF text comes out) are joined again.
- What text exports leave behind is unwrapped: **bold** and [link](address) keep their words,
  '-', '*', '•' and '■' bullets become list items, and table cells (kept apart by <p> tags or
  tabs) become paragraphs.

The title is the document's own (PDF and DOCX properties) or, failing that, its opening short
lines ('SEND Strategy 2022-2025'), or the file name.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from ingestion.models import Document, Section

DocumentFormat = Literal["html", "pdf", "docx", "text"]

_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SUFFIXES: dict[str, DocumentFormat] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
}

_WS = re.compile(r"\s+")
_HEADING_MAX_WORDS = 12
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
_BULLET = re.compile(r"^\s*[-*•■▪●◦–]\s+")
# A wrapped line that stops at one of these words is mid-sentence, however short it is.
_CONNECTIVES = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "that", "the", "to", "with"]
)
# Under guessed headings, sections shorter than this are joined to the next one (see
# _join_short_sections).
_MIN_SECTION_WORDS = 80
# Tables exported to text keep their cells apart with <p> tags or tabs (see _cells): each cell
# becomes a paragraph.
_CELL_BREAK = re.compile(r"</?p>|<br\s*/?>", re.IGNORECASE)
_CELL_MIN_WORDS = 3
# A date on a line of its own ('July 2019') is a table cell or a cover date, not a heading.
_DATE_LINE = re.compile(
    r"^(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}$", re.IGNORECASE
)
_INLINE_TAG = re.compile(r"</?(?:a|b|i|em|strong|u|span|sup|sub|td|th|tr|table|tbody|thead)\b[^>]*>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(.*?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)")
_SENTENCE_END = (".", "!", ":", ";", ",")


class UnreadableDocument(ValueError):
    """The bytes are not a document of the kind they claim to be (or are damaged)."""


@dataclass(frozen=True)
class Block:
    """One paragraph, list item or heading of a document, in reading order.

    ``level`` is 0 for body text; 1 for a top-level heading (under the title), 2 for one under
    that, and so on.
    """

    text: str
    level: int = 0


def sections_from_blocks(title: str, blocks: Iterable[Block]) -> tuple[Section, ...]:
    """Sections of a document: each heading opens one, and the body blocks after it fill it.

    A heading's path starts with the title and holds the open headings above it, so a level-2
    heading's section is ``(title, level-1 heading, level-2 heading)``. Headings with nothing
    under them give no section.
    """
    sections: list[Section] = []
    path: list[str] = [title]
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(b for b in buffer if b)
        if text:
            sections.append(Section(heading_path=tuple(path), text=text))
        buffer.clear()

    for block in blocks:
        if block.level > 0:
            flush()
            del path[block.level :]
            path.append(block.text)
        else:
            buffer.append(block.text)
    flush()
    return tuple(sections)


def document_format(content_type: str, url: str = "", body: bytes = b"") -> DocumentFormat | None:
    """What kind of document a response holds: by its Content-Type, else its URL, else its first bytes."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if "html" in media_type:
        return "html"
    if media_type == "application/pdf":
        return "pdf"
    if media_type == _DOCX_TYPE:
        return "docx"
    if media_type == "text/plain":
        return "text"
    # Servers often send files as application/octet-stream (or nothing): the name and the
    # magic numbers still say what they are.
    if media_type in ("", "application/octet-stream", "binary/octet-stream", "application/download"):
        suffix = Path(unquote(urlsplit(url).path)).suffix.lower()
        if suffix in _SUFFIXES:
            return _SUFFIXES[suffix]
        if body.startswith(b"%PDF-"):
            return "pdf"
    return None


def extract_document(
    source: bytes | str | Path, url: str, content_type: str = "", title: str | None = None
) -> Document:
    """A Document from a PDF, DOCX or plain-text file.

    ``source`` is the file's bytes, or a path to it (a ``str`` is a path, not text).
    ``content_type`` is the HTTP Content-Type when known; otherwise the URL's or path's suffix
    decides. ``title`` overrides the title found in the document. Raises UnreadableDocument
    when the bytes cannot be read as that kind of document, or are of another kind.
    """
    if isinstance(source, bytes):
        body = source
        name_hint = url
    else:
        path = Path(source)
        body = path.read_bytes()
        name_hint = url if Path(urlsplit(url).path).suffix else path.name
    fmt = document_format(content_type, name_hint, body)
    guessed_headings = fmt in ("pdf", "text")
    if fmt == "pdf":
        found_title, blocks, date = _pdf(body)
    elif fmt == "docx":
        found_title, blocks, date = _docx(body)
    elif fmt == "text":
        found_title, blocks, date = None, text_blocks(decode_text(body, content_type)), None
    else:
        raise UnreadableDocument(f"not a PDF, DOCX or text document: {content_type or url!r}")
    if title is None:
        title = found_title
    if title is None:
        title, used = _opening_title(blocks)
        # The opening lines are the title page: as sections they would be one-word passages.
        blocks = blocks[used:]
    title = title or _file_title(name_hint)
    sections = sections_from_blocks(title, blocks)
    return Document(
        url=url,
        title=title,
        page_type="other",
        sections=_join_short_sections(sections) if guessed_headings else sections,
        last_updated=date,
    )


def _words(text: str) -> int:
    return len(text.split())


def _join_short_sections(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Join runs of short sections so that their passages are long enough to answer from.

    Reports and executive summaries put a heading over every figure ('Children in Care' over two
    sentences); alone, each would be a passage of a dozen words. A short section takes in the
    sections after it, each heading kept as a lead-in line ('Adult Social Care:'), until the run
    is long enough. A short last section joins the one before it.
    """
    joined: list[Section] = []
    for section in sections:
        previous = joined[-1] if joined else None
        if previous is not None and _words(previous.text) < _MIN_SECTION_WORDS:
            text = f"{previous.text}\n{section.heading_path[-1]}:\n{section.text}"
            joined[-1] = Section(previous.heading_path, text)
        else:
            joined.append(section)
    if len(joined) > 1 and _words(joined[-1].text) < _MIN_SECTION_WORDS:
        last = joined.pop()
        before = joined[-1]
        joined[-1] = Section(before.heading_path, f"{before.text}\n{last.heading_path[-1]}:\n{last.text}")
    return tuple(joined)


def decode_text(body: bytes, content_type: str = "") -> str:
    """Text of a plain-text file: its byte-order mark, then its declared charset, then UTF-8, then Windows-1252."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", errors="replace")
    declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if declared:
        try:
            return body.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: fall through to what the bytes allow
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        # Files saved on Windows without a declared encoding are nearly always Windows-1252.
        return body.decode("cp1252", errors="replace")


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _unmark(text: str) -> str:
    return _INLINE_TAG.sub("", _LINK.sub(r"\1", _BOLD.sub(r"\1", text))).replace("**", "")


def heading_level(line: str) -> int:
    """The level of a line of plain text if it reads as a heading (see the module docstring), else 0."""
    words = line.split()
    if not words or len(words) > _HEADING_MAX_WORDS or line.endswith(_SENTENCE_END):
        return 0
    if not (line[0].isupper() or line[0].isdigit()) or not any(c.isalpha() for c in line):
        return 0
    if words[-1].lower() in _CONNECTIVES or _DATE_LINE.match(line):
        return 0
    numbered = _NUMBERED.match(line)
    if numbered:
        return numbered.group(1).count(".") + 1
    return 1


def text_blocks(text: str) -> list[Block]:
    """Blocks of plain text (also what PDF text extraction gives): paragraphs, list items and guessed headings.

    Lines wrapped inside a paragraph are joined again: a line continues the paragraph before it
    unless a blank line, a bullet or a heading starts something new. A short line is not a
    heading when the text before it stopped mid-sentence or the line after it carries on in
    lower case: both mean it is part of a wrapped paragraph.
    """
    lines = [_clean(_unmark(raw)) for raw in _CELL_BREAK.sub("\n\n", text).splitlines() for raw in _cells(raw)]
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(Block(" ".join(current)))
            current.clear()

    for index, line in enumerate(lines):
        if not line:
            flush()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            current.append("- " + line[bullet.end() :])
            continue
        follows_sentence = not current or current[-1].endswith((".", "!", "?", ":"))
        following = next((n for n in lines[index + 1 :] if n), "")
        level = heading_level(line) if follows_sentence and not following[:1].islower() else 0
        if level:
            flush()
            blocks.append(Block(line, level))
        else:
            current.append(line)
    flush()
    return blocks


def _cells(line: str) -> list[str]:
    """A table row's cells, each followed by a blank line; any other line as it is.

    Tabs only part cells when some cell has a few words: PDF exports also put tabs between the
    single words of justified lines.
    """
    fields = line.split("\t")
    if len(fields) > 1 and max(len(f.split()) for f in fields) >= _CELL_MIN_WORDS:
        return [part for field in fields for part in (field, "")]
    return [line]


def _opening_title(blocks: list[Block]) -> tuple[str | None, int]:
    """A title made of the document's few short opening lines ('SEND Strategy', '2022-2025'), and how many.

    When a heading of that run is followed straight by the text, it is the first section's
    heading ('Report' / 'Children in Care' / '23% of children ...'), not part of the title.
    """
    run: list[Block] = []
    for block in blocks[:4]:
        words = block.text.split()
        # A title may be long ('Joint Strategy for Children and Young People with Additional Needs, ...').
        if block.text.startswith("- ") or len(words) > 2 * _HEADING_MAX_WORDS or block.text.endswith(_SENTENCE_END):
            break
        if not (block.text[0].isupper() or block.text[0].isdigit()):
            break
        run.append(block)
    if len(run) > 1 and run[-1].level and len(blocks) > len(run) and not blocks[len(run)].level:
        run.pop()
    title = " ".join(b.text for b in run)
    if 0 < len(title.split()) <= 2 * _HEADING_MAX_WORDS:
        return title, len(run)
    return None, 0


def _file_title(name: str) -> str:
    stem = Path(unquote(urlsplit(name).path)).stem
    return _clean(re.sub(r"[_-]+", " ", stem)) or name


def _pdf_date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _pdf(body: bytes) -> tuple[str | None, list[Block], str | None]:
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        title = _clean(meta.title or "") if meta else ""
        date = _pdf_date(meta.modification_date or meta.creation_date) if meta else None
    except Exception as error:
        # pypdf reports damaged files through its own errors and, for some, through whatever
        # its parser tripped on (KeyError, TypeError, RecursionError): one bad file must not
        # stop a build.
        raise UnreadableDocument(f"cannot read the PDF: {error}") from error
    return title or None, text_blocks("\n".join(pages)), date


def _docx_blocks(document: DocxDocument) -> Iterator[Block]:
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            # Each row on a line of its own, cells joined: tables in guides are mostly two columns
            # ('Service' | 'Phone'), which read well this way.
            for row in item.rows:
                cells = [_clean(cell.text) for cell in row.cells]
                text = " | ".join(dict.fromkeys(c for c in cells if c))  # merged cells repeat
                if text:
                    yield Block(text)
            continue
        text = _clean(item.text)
        if text:
            level = _docx_level(item)
            yield Block(text, level) if level else Block(_docx_body(item, text))


def _docx_level(paragraph: Paragraph) -> int:
    style = paragraph.style.name if paragraph.style is not None else ""
    match = re.fullmatch(r"Heading (\d)", style or "")
    return int(match.group(1)) if match else 0


def _docx_body(paragraph: Paragraph, text: str) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return f"- {text}" if style.startswith("List") or numbered else text


def _docx(body: bytes) -> tuple[str | None, list[Block], str | None]:
    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as error:
        # A damaged file surfaces as a zip, package, XML or lookup error, whichever part broke.
        raise UnreadableDocument(f"cannot read the DOCX: {error}") from error
    blocks = list(_docx_blocks(document))
    title = _clean(document.core_properties.title or "") or None
    # A paragraph in Word's 'Title' style is the title when the properties have none.
    styled_title = next(
        (_clean(p.text) for p in document.paragraphs if p.style is not None and p.style.name == "Title"), None
    )
    if styled_title:
        blocks = [b for b in blocks if b.text != styled_title]
    modified = document.core_properties.modified
    return title or styled_title, blocks, modified.date().isoformat() if modified else None
