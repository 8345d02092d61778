"""How the service finder reads what families type into its form, and how it shows a service."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.details import read_age, read_district, read_need
from actions.messages import service_card
from actions.services import GLOS_QUESTION, ValidateServiceFinderForm
from ingestion.models import ServiceRecord
from knowledge_base.models import SearchHit


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("Stroud", "Stroud"),
        ("stroud", "Stroud"),
        ("we live in cirencester", "Cotswold"),
        ("cheltnam", "Cheltenham"),
        ("the forest", "Forest of Dean"),
        ("anywhere", "anywhere"),
        ("Anywhere in Gloucestershire", "anywhere"),
        ("glos", None),  # Gloucester or the county? The form asks.
        ("Bristol", None),
    ],
)
def test_districts(typed: str, district: str | None) -> None:
    assert read_district(typed) == district


@pytest.mark.parametrize(
    ("typed", "need"),
    [
        ("autism", "autism"),
        ("he's autistic", "autism"),
        ("ASD", "autism"),
        ("speech and language", "speech and language"),
        ("dyslexic", "dyslexia"),
        ("something else", "any"),
        ("not sure", "any"),
        ("purple", None),
    ],
)
def test_needs(typed: str, need: str | None) -> None:
    assert read_need(typed) == need


@pytest.mark.parametrize(
    ("typed", "age"),
    [("7", 7.0), ("he's 7", 7.0), ("seven year old", 7.0), ("year 9", 13.0), (12, 12.0), ("30", None), ("old", None)],
)
def test_ages(typed: object, age: float | None) -> None:
    assert read_age(typed) == age


def test_a_service_card_says_what_a_family_needs_to_act() -> None:
    record = ServiceRecord(
        name="Stroud Chatter Club (example)",
        description="A weekly group for children who find talking hard. Run by speech therapists.",
        phone="01632 960123",
        website="https://www.example.org/chatter",
        area_served="Stroud",
        age_range="5-11 years",
        cost="Free",
        referral="Self-referral",
    )
    hit = SearchHit("c", 0.7, "", record.name, "u", "u", "", None, "service", record)
    card = service_card(hit)
    assert card.splitlines()[0] == "Stroud Chatter Club (example)"
    for part in (
        "A weekly group for children who find talking hard.",
        "Ages: 5-11 years.",
        "Area: Stroud.",
        "Cost: Free.",
        "How to get it: Self-referral.",
        "Phone: 01632 960123.",
        "https://www.example.org/chatter",
    ):
        assert part in card
    assert "Run by speech therapists" not in card  # what it offers, in one sentence


def test_glos_typed_for_the_area_is_asked_about_and_the_area_asked_again() -> None:
    form = ValidateServiceFinderForm()
    message = {"text": "glos", "intent": {"name": "inform"}, "entities": []}
    form_running = {"name": "service_finder_form"}
    tracker = Tracker("t", {"requested_slot": "district"}, message, [], False, None, form_running, "")
    dispatcher = CollectingDispatcher()
    # A candidate, not a refusal: the form goes on (and asks for the area again) instead of being rejected.
    assert asyncio.run(form.extract_district(dispatcher, tracker, {})) == {"district": "glos"}
    assert form.validate_district("glos", dispatcher, tracker, {}) == {"district": None}
    assert [m["text"] for m in dispatcher.messages] == [GLOS_QUESTION]
