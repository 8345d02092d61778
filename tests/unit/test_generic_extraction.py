"""Pages without kb5 markup (trafilatura finds their main content), character encodings and broken HTML."""

from __future__ import annotations

import pytest

from ingestion.chunk import chunk_document
from ingestion.extract import decode_html, extract
from tests.fetched_pages import fetched

BASE = "http://127.0.0.1:8080/kb5/gloucs/glosfamilies/"

GUIDE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Short breaks for disabled children | Example Council</title>
<meta property="article:modified_time" content="2025-04-02T10:00:00Z"></head><body>
<header><a href="/">Example Council</a><nav><ul><li><a href="/bins">Bins and recycling</a></li>
<li><a href="/council-tax">Council tax</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<div class="cookie-banner"><p>We use cookies to make this site work. <a href="/cookies">Cookie settings</a></p></div>
<main><h1>Short breaks for disabled children</h1>
<p>Short breaks give disabled children and young people time away from their parents, and give parents a
break from caring. They can last a few hours or a whole weekend.</p>
<h2>Who can get a short break</h2>
<p>Children and young people aged 0 to 18 who have a disability and live in the county can get a short break.
You do not need a diagnosis to ask.</p>
<ul><li>Holiday clubs run by local groups.</li><li>Overnight stays with an approved carer.</li></ul>
<h3>Children with complex needs</h3>
<p>If your child has complex health needs, the children's disability team will talk to you about a specialist
short break.</p>
<h2>How to ask</h2>
<p>Fill in the short breaks form on the council's website, or phone the Family Information Service and ask for
a copy by post.</p>
</main>
<footer><p>Copyright 2025 Example Council. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy notice</a></li><li><a href="/accessibility">Accessibility statement</a></li></ul>
</footer></body></html>"""

# No <main>, no h1: the kind of page an older site or a charity's site serves.
CHARITY = """<html><head><title>Sibling support days - Example Sibs Charity</title></head><body>
<div id="top"><a href="/">Home</a> | <a href="/about">About us</a> | <a href="/donate">Donate</a></div>
<div id="sidebar"><h3>Latest news</h3><a href="/news/1">Our summer fun day raised money</a></div>
<div id="content">
<h2>Sibling support days</h2>
<p>Brothers and sisters of disabled children often help at home and can miss out on time of their own. Our
support days give siblings aged 8 to 16 a day of activities with others who understand.</p>
<h2>Booking a place</h2>
<p>Places are free. A parent or carer books a place by email, and we send a short form about the child and
any help they need on the day.</p>
</div>
<div id="footer">Registered charity number 000000 (example). Site map. Terms of use.</div>
</body></html>"""


def all_text(url: str, body: bytes | str, content_type: str = "text/html; charset=utf-8") -> str:
    doc = extract(fetched(url, body, content_type))
    assert doc is not None
    return "\n".join(s.text for s in doc.sections)


def test_main_content_keeps_headings_as_sections_and_drops_boilerplate() -> None:
    doc = extract(fetched("https://www.example.org/short-breaks", GUIDE))
    assert doc is not None
    assert doc.page_type == "other"
    assert doc.title == "Short breaks for disabled children"
    assert doc.last_updated == "2025-04-02"
    title = doc.title
    assert [s.heading_path for s in doc.sections] == [
        (title,),
        (title, "Who can get a short break"),
        (title, "Who can get a short break", "Children with complex needs"),
        (title, "How to ask"),
    ]
    assert doc.sections[0].text.startswith("Short breaks give disabled children")
    assert "- Overnight stays with an approved carer." in doc.sections[1].text
    text = "\n".join(s.text for s in doc.sections)
    for boilerplate in ("Bins and recycling", "Council tax", "cookies", "Copyright", "Privacy notice"):
        assert boilerplate not in text


def test_pages_without_main_or_h1_still_give_their_content() -> None:
    doc = extract(fetched("https://www.example.org/siblings", CHARITY))
    assert doc is not None
    assert doc.title == "Sibling support days"
    assert [s.heading_path[1:] for s in doc.sections] == [(), ("Booking a place",)]
    text = "\n".join(s.text for s in doc.sections)
    assert "siblings aged 8 to 16" in text
    assert "A parent or carer books a place by email" in text
    for boilerplate in ("Donate", "summer fun day", "Registered charity", "Terms of use"):
        assert boilerplate not in text
    assert doc.last_updated is None


def test_generic_pages_are_chunked_with_their_sections() -> None:
    doc = extract(fetched("https://www.example.org/short-breaks", GUIDE))
    assert doc is not None
    chunks = list(chunk_document(doc))
    how = next(c for c in chunks if c.section == "How to ask")
    assert how.url == "https://www.example.org/short-breaks#:~:text=How%20to%20ask"
    assert how.embed_text.startswith("Short breaks for disabled children - How to ask: Fill in")


def test_a_page_with_no_content_gives_a_document_with_no_sections() -> None:
    doc = extract(fetched("https://www.example.org/empty", "<html><head><title>Nothing here</title></head></html>"))
    assert doc is not None
    assert doc.title == "Nothing here"
    assert doc.sections == ()


def test_an_other_kb5_page_with_advice_markup_is_read_by_its_markup() -> None:
    html = """<html><head><title>About the directory | Glos Families Directory</title></head><body>
    <main><article class="advice"><h1>About the directory</h1><div class="advice-body">
    <p>The directory lists services for families.</p><h2>Adding a service</h2><p>Use the online form.</p>
    </div></article></main></body></html>"""
    doc = extract(fetched(f"{BASE}site.page?id=about", html))
    assert doc is not None
    assert [s.heading_path for s in doc.sections] == [
        ("About the directory",),
        ("About the directory", "Adding a service"),
    ]


# Windows-1252: curly quotes (0x91-0x94), the pound sign (0xA3) and an en dash (0x96).
CP1252_TEXT = "“Short breaks” cost £5 a session – ‘book early’, says the café."


@pytest.mark.parametrize(
    ("content_type", "meta"),
    [
        ("text/html; charset=windows-1252", ""),  # the HTTP header says so
        ("text/html", '<meta charset="windows-1252">'),  # only the page says so
        ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'),  # Latin-1 label
        ("text/html", ""),  # nobody says: not UTF-8, so Windows-1252
        ("text/html; charset=utf-8", ""),  # a wrong label: the bytes are not UTF-8
    ],
)
def test_windows_1252_pages_keep_their_quotes_and_pound_signs(content_type: str, meta: str) -> None:
    html = f"<html><head>{meta}<title>Fees</title></head><body><main><article class='advice'><h1>Fees</h1>"
    html += f"<div class='advice-body'><p>{CP1252_TEXT}</p></div></article></main></body></html>"
    body = html.encode("cp1252")
    assert b"\xa3" in body
    assert b"\x93" in body
    assert CP1252_TEXT in all_text(f"{BASE}advice.page?id=fees", body, content_type)


def test_the_http_charset_wins_over_the_meta_charset() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Cost: £5 – “free” for under 5s</p></body></html>'
    assert "Cost: £5 – “free” for under 5s" in decode_html(html.encode("utf-8"), "text/html; charset=utf-8")


def test_utf8_pages_without_a_label_are_read_as_utf8() -> None:
    assert decode_html("<p>£5 – “free”</p>".encode(), "text/html") == "<p>£5 – “free”</p>"


def test_a_byte_order_mark_wins() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>\xc2\xa35</p>", "text/html; charset=windows-1252") == "<p>£5</p>"


def test_generic_pages_decode_windows_1252_too() -> None:
    body = GUIDE.replace("a few hours", "a few hours (£10 – “subsidised”)").replace('charset="utf-8"', "")
    text = all_text("https://www.example.org/short-breaks", body.encode("cp1252"), "text/html")
    assert "a few hours (£10 – “subsidised”)" in text


MALFORMED_ADVICE = """<html><head><title>Transport | Glos Families Directory</title>
<body><div class="demo-banner">Demo data
<main id="main-content"><article class="advice"><h1>School transport</h1>
<div class="advice-body">
<p>Some children with SEND can get free transport to school.
<p>You apply to the council. <b>Apply early</span>.</b></font></em>
<h2>Who can get it<h2>
<ul><li>Children who live beyond the walking distance<li>Children who cannot walk there because of their SEND</ul>
</td></tr>
<h2>How to apply</h3>
<p>Fill in the form by <i>31 May</i>
</article><p class="reviewed">Page reviewed: May 2026
</main>"""  # unclosed: p, li, h2, div, body, html; stray: span, font, em, td, tr, article


def test_malformed_kb5_page_still_gives_its_sections() -> None:
    doc = extract(fetched(f"{BASE}advice.page?id=transport", MALFORMED_ADVICE))
    assert doc is not None
    assert doc.title == "School transport"
    text = "\n".join(s.text for s in doc.sections)
    assert "Some children with SEND can get free transport to school." in text
    assert "You apply to the council. Apply early." in text
    assert "- Children who cannot walk there because of their SEND" in text
    assert "Fill in the form by 31 May" in text
    assert "Demo data" not in text
    by_heading = {s.heading_path[-1]: s.text for s in doc.sections}
    assert by_heading["Who can get it"].startswith("- Children who live beyond the walking distance")
    assert by_heading["How to apply"] == "Fill in the form by 31 May"
    assert doc.last_updated == "May 2026"


def test_malformed_generic_page_still_gives_its_content() -> None:
    broken = GUIDE.replace("</p>", "").replace("</li>", "").replace("</main>", "</div></span></main></td>")
    doc = extract(fetched("https://www.example.org/short-breaks", broken))
    assert doc is not None
    text = "\n".join(s.text for s in doc.sections)
    assert "You do not need a diagnosis to ask." in text
    assert "Overnight stays with an approved carer." in text
    assert {"Who can get a short break", "How to ask"} <= {s.heading_path[-1] for s in doc.sections}


@pytest.mark.parametrize("body", [b"", b"<", b"\x00\x01\x02", b"<html><body></p></div></body>", b"\xff" * 100])
def test_garbage_does_not_raise(body: bytes) -> None:
    for url in (f"{BASE}advice.page?id=x", f"{BASE}service.page?id=x", "https://www.example.org/x"):
        extract(fetched(url, body))
