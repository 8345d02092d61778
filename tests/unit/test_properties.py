"""Property-based tests (hypothesis) of the redactor and the age parser: any input, not only the cases we thought of."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.ages import parse_age_range
from privacy import PLACEHOLDERS, Span, redact

# The first call loads spaCy; later ones are quick. No deadline: a shared 2-core machine is noisy.
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz  ,.?"), max_size=60)


@PROPERTY
@given(st.text(max_size=1000))
def test_the_redactor_takes_any_text_and_a_second_pass_changes_nothing(text: str) -> None:
    once = redact(text)
    twice = redact(once.text)
    assert twice.text == once.text
    assert twice.kinds == ()
    placeholders = re.findall("|".join(re.escape(p) for p in PLACEHOLDERS.values()), once.text)
    assert len(placeholders) >= len(once.kinds)


def placed(raw: str, spans: tuple[Span, ...]) -> str:
    """``raw`` with each span's stretch swapped for its placeholder, working from the end."""
    text = raw
    for span in sorted(spans, reverse=True):
        text = text[: span.start] + span.placeholder + text[span.end :]
    return text


# Text with identifiers of every kind mixed in, so that spans meet, touch and sit side by side.
IDENTIFIERS = st.sampled_from(
    [
        "07700 900123",
        "+44 7700 900456",
        "jo.smith@example.org",
        "943 476 5919",
        "03/04/2015",
        "GL5 1AA",
        "12 Acacia Road",
        "my son Jack",
        "Mrs Patel",
        "0800 158 3603",
        "[name]",
    ]
)
MIXED = st.lists(st.one_of(IDENTIFIERS, WORDS, st.sampled_from([" ", ", ", "", "\n"])), max_size=12).map("".join)


@PROPERTY
@given(st.one_of(st.text(max_size=400), MIXED))
def test_the_spans_placeholders_put_into_the_raw_text_give_the_redacted_text(raw: str) -> None:
    redaction = redact(raw)
    assert placed(raw, redaction.spans) == redaction.text
    assert list(redaction.spans) == sorted(redaction.spans)
    for before, after in zip(redaction.spans, redaction.spans[1:], strict=False):
        assert before.end <= after.start
    assert all(0 <= span.start < span.end <= len(raw) for span in redaction.spans)


@PROPERTY
@given(WORDS, WORDS, st.integers(min_value=0, max_value=999))
def test_a_mobile_number_anywhere_in_a_message_is_removed(before: str, after: str, tail: int) -> None:
    number = f"07700 900{tail:03d}"
    redaction = redact(f"{before} call me on {number} {after}")
    assert number not in redaction.text
    assert f"900{tail:03d}" not in redaction.text
    assert "phone" in redaction.kinds


@PROPERTY
@given(WORDS, WORDS, st.from_regex(r"[a-z]{2,10}\.[a-z]{2,10}", fullmatch=True))
def test_an_email_address_anywhere_in_a_message_is_removed(before: str, after: str, local: str) -> None:
    address = f"{local}@example.org"
    redaction = redact(f"{before} my email is {address} {after}")
    assert address not in redaction.text
    assert "email" in redaction.kinds


@PROPERTY
@given(st.text(max_size=300))
def test_the_age_parser_takes_any_text_and_returns_a_real_range_or_none(text: str) -> None:
    found = parse_age_range(text)
    if found is not None:
        assert 0 <= found.min_years <= found.max_years


@PROPERTY
@given(
    st.integers(min_value=0, max_value=25),
    st.integers(min_value=0, max_value=25),
    st.sampled_from(["-", " - ", " to ", "–"]),
)
def test_a_written_range_of_ages_is_read_as_written(a: int, b: int, dash: str) -> None:
    low, high = min(a, b), max(a, b)
    found = parse_age_range(f"Ages {low}{dash}{high} years")
    assert found is not None
    assert (found.min_years, found.max_years) == (low, high)
