"""The need, age, district and audience slots have one owner: actions.details, never Rasa's entities."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.details import DETAIL_SLOTS, READ_DETAILS, ActionReadDetails, details_of
from settings import REPO_ROOT


def domain() -> dict[str, Any]:
    slots: dict[str, Any] = {}
    actions: list[str] = []
    for path in sorted((REPO_ROOT / "bot" / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        slots |= part.get("slots") or {}
        actions += part.get("actions") or []
    return {"slots": slots, "actions": actions}


@pytest.mark.parametrize("slot", DETAIL_SLOTS)
def test_only_the_read_details_action_fills_the_slot(slot: str) -> None:
    # A from_entity (or from_text) mapping here would make Rasa a second filler that can disagree.
    assert domain()["slots"][slot]["mappings"] == [{"type": "custom", "action": READ_DETAILS}]


def test_the_read_details_action_is_declared() -> None:
    assert READ_DETAILS in domain()["actions"]
    assert ActionReadDetails().name() == READ_DETAILS


def test_no_other_slot_is_filled_from_the_detail_entities() -> None:
    from_details = {
        name
        for name, slot in domain()["slots"].items()
        for mapping in slot.get("mappings") or []
        if mapping.get("entity") in DETAIL_SLOTS
    }
    assert from_details == set()


def tracker(text: str, entities: list[dict[str, Any]] | None = None, **slots: Any) -> Tracker:
    message = {"text": text, "intent": {"name": "inform"}, "entities": entities or []}
    return Tracker("test", dict(slots), message, [], False, None, {}, "")


@pytest.mark.parametrize(
    ("text", "details"),
    [
        ("any autism groups in cheltnam for my 7 year old", {"need": "autism", "age": "7", "district": "Cheltenham"}),
        ("what about year 9", {"age": "13"}),
        ("hi im a young person", {"audience": "young_person"}),
        ("as a foster carer what help is there", {"audience": "parent"}),
        # 'glos' may be Gloucester or the whole county: the service finder asks, nothing is set.
        ("anything in glos", {}),
        ("hello", {}),
    ],
)
def test_a_typed_message_is_read_by_the_projects_understanding(text: str, details: dict[str, str]) -> None:
    assert details_of(tracker(text)) == details


def test_a_typed_message_ignores_rasas_entities() -> None:
    rasa_thought = [{"entity": "district", "value": "Stroud"}, {"entity": "need", "value": "adhd"}]
    assert details_of(tracker("autism groups please", rasa_thought)) == {"need": "autism"}


@pytest.mark.parametrize(
    ("slot", "value", "details"),
    [
        ("district", "Forest of Dean", {"district": "Forest of Dean"}),
        ("district", "anywhere", {"district": "anywhere"}),
        ("need", "speech and language", {"need": "speech and language"}),
        ("need", "any", {"need": "any"}),
        # A payload can set only what a typed answer could.
        ("district", "Bristol", {}),
        ("age", "40", {}),
        ("audience", "teacher", {}),
    ],
)
def test_a_button_payload_sets_its_own_values_through_the_same_readers(
    slot: str, value: str, details: dict[str, str]
) -> None:
    payload = f'/inform{{"{slot}":"{value}"}}'
    assert details_of(tracker(payload, [{"entity": slot, "value": value}])) == details


def test_a_payload_with_no_entities_sets_nothing() -> None:
    assert details_of(tracker("/change_area")) == {}


def test_the_action_returns_one_slot_event_per_detail() -> None:
    events = asyncio.run(ActionReadDetails().run(CollectingDispatcher(), tracker("adhd clubs in stroud"), {}))
    assert {(event["name"], event["value"]) for event in events} == {("need", "adhd"), ("district", "Stroud")}
