"""Extraction of kb5 markup and chunking, on small pages written in the snapshot's markup."""

from __future__ import annotations

from ingestion.chunk import MAX_WORDS, chunk_document, service_summary, split_sentences
from ingestion.extract import extract, page_type_of
from ingestion.models import Document, FetchedPage, Section, ServiceRecord
from tests.fetched_pages import fetched

BASE = "http://127.0.0.1:8080/kb5/gloucs/glosfamilies/"

ADVICE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Asking for an EHC needs assessment | Glos Families Directory</title></head><body>
<div class="demo-banner">Demo data</div>
<nav class="breadcrumb"><ol><li><a href="localoffer.page?localofferchannel=0">SEND Local Offer</a></li></ol></nav>
<main id="main-content"><article class="advice"><h1>Asking for an EHC needs assessment</h1>
<div class="advice-body">
<p>An EHC needs assessment looks at what help your child needs. You do not need a diagnosis.</p>
<h2>Who can ask</h2>
<p>A parent can ask. A young person aged 16 to 25 can ask for themselves.</p>
<ul><li>Write to the council.</li><li>Say why you think your child needs more help.</li></ul>
<h3>If the school does not agree</h3><p>You can still ask. The school does not have to agree.</p>
<h2>What happens next</h2><p>The council must decide within 6 weeks.</p>
</div><p class="reviewed">Page reviewed: March 2026</p></article>
<aside class="related"><h2>Related pages</h2>
<ul><li><a href="advice.page?id=ehc-timescales">Timescales</a></li></ul></aside>
</main></body></html>"""

SERVICE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body>
<main id="main-content"><article class="service"><h1>Example Chatter Club (example)</h1>
<div class="service-description"><p>A weekly group for children who find talking hard.</p></div>
<section class="field_section" id="contact"><h2>Who to contact</h2><dl>
<dt>Name</dt><dd>Sam Example</dd><dt>Telephone</dt><dd>01632 960123</dd>
<dt>Email</dt><dd><a href="mailto:chatter@example.org">chatter@example.org</a></dd>
<dt>Website</dt><dd><a href="https://www.example.org/chatter">www.example.org/chatter</a></dd></dl></section>
<section class="field_section" id="location"><h2>Where to go</h2><dl>
<dt>Address</dt><dd>1 Example Road, Stroud</dd><dt>Area served</dt><dd>Stroud</dd></dl></section>
<section class="field_section" id="other"><h2>Other details</h2><dl>
<dt>Age groups</dt><dd>5-11 years</dd><dt>Cost details</dt><dd>Free</dd>
<dt>Referral</dt><dd>Families can refer themselves</dd>
</dl></section>
<section class="field_section" id="localoffer"><h2>Local Offer</h2><dl>
<dt>Needs level</dt><dd>Universal</dd><dt>SEN provision type</dt><dd>Targeted</dd></dl></section>
<p class="last-updated">Last updated: 12/03/2026</p></article></main></body></html>"""


def test_page_type_follows_the_kb5_path() -> None:
    assert page_type_of(f"{BASE}advice.page?id=a") == "advice"
    assert page_type_of(f"{BASE}service.page?id=a") == "service"
    assert page_type_of(f"{BASE}localoffer.page?localofferchannel=0") == "channel"
    assert page_type_of("http://example.org/about") == "other"


def test_advice_page_sections_follow_the_heading_hierarchy() -> None:
    doc = extract(fetched(f"{BASE}advice.page?id=ehc", ADVICE))
    assert doc is not None
    assert doc.title == "Asking for an EHC needs assessment"
    assert doc.page_type == "advice"
    assert doc.last_updated == "March 2026"
    paths = [s.heading_path for s in doc.sections]
    assert paths == [
        ("Asking for an EHC needs assessment",),
        ("Asking for an EHC needs assessment", "Who can ask"),
        ("Asking for an EHC needs assessment", "Who can ask", "If the school does not agree"),
        ("Asking for an EHC needs assessment", "What happens next"),
    ]
    assert "- Write to the council." in doc.sections[1].text
    # The related-pages aside and the banner are not content.
    assert all("Timescales" not in s.text and "Demo data" not in s.text for s in doc.sections)


def test_service_record_fields_are_named() -> None:
    doc = extract(fetched(f"{BASE}service.page?id=chatter", SERVICE))
    assert doc is not None
    assert doc.service is not None
    record = doc.service
    assert record.name == "Example Chatter Club (example)"
    assert record.contact_name == "Sam Example"
    assert record.phone == "01632 960123"
    assert record.email == "chatter@example.org"
    assert record.website == "www.example.org/chatter"
    assert record.address == "1 Example Road, Stroud"
    assert record.area_served == "Stroud"
    assert record.age_range == "5-11 years"
    assert record.cost == "Free"
    assert record.referral == "Families can refer themselves"
    assert record.needs_level == "Universal"
    assert record.provision_type == "Targeted"
    assert record.last_updated == "12/03/2026"


def test_failed_and_non_html_pages_give_no_document() -> None:
    page = fetched(f"{BASE}advice.page?id=gone", ADVICE)
    assert extract(FetchedPage(**{**page.__dict__, "status": 404})) is None
    assert extract(FetchedPage(**{**page.__dict__, "content_type": "application/pdf"})) is None


def test_chunks_carry_their_heading_path_and_a_link_to_the_section() -> None:
    doc = extract(fetched(f"{BASE}advice.page?id=ehc", ADVICE))
    assert doc is not None
    chunks = list(chunk_document(doc))
    by_section = {c.section: c for c in chunks}
    assert "Who can ask" in by_section
    who = by_section["Who can ask"]
    assert who.url == f"{BASE}advice.page?id=ehc#:~:text=Who%20can%20ask"
    assert who.title == doc.title
    assert who.last_updated == "March 2026"
    assert who.embed_text.startswith("Asking for an EHC needs assessment - Who can ask: ")
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_long_sections_split_at_sentence_boundaries_within_the_size_limit() -> None:
    sentences = [f"Sentence number {i} says something useful about support in school." for i in range(80)]
    html = ADVICE.replace("The council must decide within 6 weeks.", " ".join(sentences))
    doc = extract(fetched(f"{BASE}advice.page?id=long", html))
    assert doc is not None
    long_chunks = [c for c in chunk_document(doc) if c.section == "What happens next"]
    assert len(long_chunks) > 3
    for c in long_chunks:
        assert len(c.text.split()) <= MAX_WORDS
        assert c.text.endswith("school.")


def test_service_records_get_a_summary_passage_from_their_own_fields() -> None:
    doc = extract(fetched(f"{BASE}service.page?id=chatter", SERVICE))
    assert doc is not None
    assert doc.service is not None
    summary = service_summary(doc.service)
    assert summary == (
        "Example Chatter Club (example) offers a weekly group for children who find talking hard, "
        "for children aged 5 to 11 in Stroud. Cost: Free. How to get it: Families can refer themselves. "
        "Phone: 01632 960123."
    )
    chunks = list(chunk_document(doc))
    assert chunks[0].text == summary
    assert chunks[0].page_type == "service"


def test_service_record_ages_are_parsed_from_age_groups() -> None:
    doc = extract(fetched(f"{BASE}service.page?id=chatter", SERVICE))
    assert doc is not None
    assert doc.service is not None
    assert (doc.service.min_age, doc.service.max_age) == (5, 11)


def test_local_offer_age_bands_stand_in_when_age_groups_are_missing() -> None:
    html = SERVICE.replace("<dt>Age groups</dt><dd>5-11 years</dd>", "").replace(
        "<dt>Needs level</dt>", "<dt>Local Offer age bands</dt><dd>Secondary; Post-16</dd><dt>Needs level</dt>"
    )
    doc = extract(fetched(f"{BASE}service.page?id=chatter", html))
    assert doc is not None
    assert doc.service is not None
    assert doc.service.age_range is None
    assert doc.service.age_bands == "Secondary; Post-16"
    assert (doc.service.min_age, doc.service.max_age) == (11, 25)
    assert "for children and young people aged 11 to 25 in Stroud." in service_summary(doc.service)


def test_summary_quotes_ages_it_cannot_read_and_leaves_out_missing_fields() -> None:
    record = ServiceRecord(name="Example Youth Club (example)", age_range="Varies by session", phone="01632 960999")
    assert service_summary(record) == ("Example Youth Club (example). Ages: Varies by session. Phone: 01632 960999.")


def test_summary_words_the_audience_and_area_from_the_fields() -> None:
    young = ServiceRecord(name="Next Steps (example)", min_age=16, max_age=25, area_served="All of Gloucestershire")
    assert service_summary(young) == "Next Steps (example) is for young people aged 16 to 25 across Gloucestershire."
    named = ServiceRecord(
        name="Example SENDIASS (example)",
        description="Example SENDIASS gives free advice. It is impartial.",
        min_age=0,
        max_age=25,
    )
    assert service_summary(named) == (
        "Example SENDIASS gives free advice. It is impartial. It is for children and young people aged 0 to 25."
    )
    other = ServiceRecord(name="Splash (example)", description="Sensory play sessions.", cost="£3 a session")
    assert service_summary(other) == "Splash (example): Sensory play sessions. Cost: £3 a session."


def test_split_sentences_keeps_list_items_whole() -> None:
    assert split_sentences("One. Two here.\n- A list item. With two sentences.") == [
        "One.",
        "Two here.",
        "- A list item. With two sentences.",
    ]


def test_pages_filed_under_future_me_speak_to_young_people() -> None:
    future = ADVICE.replace(
        '<li><a href="localoffer.page?localofferchannel=0">SEND Local Offer</a></li>',
        '<li><a href="localoffer.page?localofferchannel=0">SEND Local Offer</a></li>'
        '<li><a href="localoffer.page?localofferchannel=future-me">Future Me</a></li>',
    )
    young = extract(fetched(f"{BASE}advice.page?id=yp", future))
    parent = extract(fetched(f"{BASE}advice.page?id=ehc", ADVICE))
    assert young is not None
    assert parent is not None
    assert young.audience == "young_person"
    assert parent.audience == "all"
    assert {c.audience for c in chunk_document(young)} == {"young_person"}


def test_a_sentence_after_a_list_does_not_run_onto_its_last_item() -> None:
    section = Section(
        ("Mediation", "Step 2"),
        "At the meeting you will find:\n- you and your child\n- the mediator\n"
        "You can bring a friend. The aim is to agree.",
    )
    doc = Document(url=f"{BASE}advice.page?id=m", title="Mediation", page_type="advice", sections=(section,))
    (chunk,) = chunk_document(doc)
    assert split_sentences(chunk.text) == [
        "At the meeting you will find:",
        "- you and your child",
        "- the mediator",
        "You can bring a friend.",
        "The aim is to agree.",
    ]
