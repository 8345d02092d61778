"""The stretches a redaction replaced, and the outgoing guard that looks for them in replies."""

from __future__ import annotations

import pytest

from privacy import IdentifierGuard, Span, public_numbers, redact

HELPLINES = public_numbers(["0800 158 3603", "01452 426565", "116 123", "999"])


def stretches(raw: str) -> list[tuple[str, str]]:
    """Each replaced stretch of ``raw`` as (text, placeholder)."""
    return [(raw[span.start : span.end], span.placeholder) for span in redact(raw, HELPLINES).spans]


def test_each_span_is_the_stretch_it_replaced() -> None:
    message = "Hi, my name is Sarah Jones, call 07700 900123 or email sarah@example.org. Thanks, Sarah"

    assert stretches(message) == [
        ("Sarah Jones", "[name]"),
        ("07700 900123", "[phone number]"),
        ("sarah@example.org", "[email]"),
        ("Sarah", "[name]"),
    ]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # Two identifiers with only a space between them: each keeps its own stretch.
        ("07700 900123 07700 900456", [("07700 900123", "[phone number]"), ("07700 900456", "[phone number]")]),
        ("my son Jack 07700 900123", [("Jack", "[name]"), ("07700 900123", "[phone number]")]),
        # Touching: a date of birth in brackets straight after a name.
        ("Mia (14/02/2012) has ADHD", [("14/02/2012", "[date of birth]")]),
        ("my son Jack(03/04/2015)", [("Jack", "[name]"), ("03/04/2015", "[date of birth]")]),
        # An address and its postcode side by side.
        ("12 Acacia Road, Stroud GL5 1AA", [("12 Acacia Road", "[address]"), ("GL5 1AA", "[postcode]")]),
    ],
)
def test_adjacent_identifiers_keep_separate_spans(message: str, expected: list[tuple[str, str]]) -> None:
    assert stretches(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # An email holds a name and digits; the email detector wins the whole stretch.
        ("write to jack.smith07700900123@example.org", [("jack.smith07700900123@example.org", "[email]")]),
        # Ten digits near 'NHS' are an NHS number, not a phone number.
        ("NHS no 943 476 5919", [("943 476 5919", "[NHS number]")]),
        # A date of birth is not taken as part of a phone number.
        ("dob 03/04/2015 07700 900123", [("03/04/2015", "[date of birth]"), ("07700 900123", "[phone number]")]),
    ],
)
def test_where_detectors_overlap_one_span_wins(message: str, expected: list[tuple[str, str]]) -> None:
    assert stretches(message) == expected


def test_a_helpline_is_kept_and_has_no_span() -> None:
    redaction = redact("I rang 0800 158 3603 and 07700 900123", HELPLINES)

    assert redaction.text == "I rang 0800 158 3603 and [phone number]"
    assert redaction.spans == (Span(25, 37, "phone"),)
    # The same number is redacted for a deployment that does not give it out.
    assert redact("I rang 0800 158 3603", frozenset()).text == "I rang [phone number]"


def test_the_guard_replaces_what_was_removed_and_nothing_else() -> None:
    raw = "my son is Jack, ring me on +44 7700 900123 or 0800 158 3603 about his EHCP"
    guard = IdentifierGuard(raw, redact(raw, HELPLINES), HELPLINES)

    reply = guard.clean("Thanks JACK. We will call 07700900123. Ask Jackie at SENDIASS on 0800 158 3603.")

    assert reply == "Thanks [name]. We will call [phone number]. Ask Jackie at SENDIASS on 0800 158 3603."
    assert guard.kinds_replaced == ["name", "phone"]
    assert guard.active


def test_the_guard_finds_each_of_two_adjacent_identifiers() -> None:
    raw = "my son Jack 07700 900123"
    guard = IdentifierGuard(raw, redact(raw, HELPLINES), HELPLINES)

    assert guard.clean("Jack, or 07700 900123?") == "[name], or [phone number]?"


def test_a_message_with_nothing_removed_needs_no_guard() -> None:
    raw = "what is [name] for, and can I ring 01452 426565?"
    guard = IdentifierGuard(raw, redact(raw, HELPLINES), HELPLINES)

    assert not guard.active
    assert guard.clean("[name] 01452 426565") == "[name] 01452 426565"
