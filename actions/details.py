"""The one place the dialogue's details are filled: the child's need, age and area, and who is writing.

Rasa does not fill these slots from its own entities. Their domain mapping is ``custom`` with
``action: action_read_details``, so Rasa calls :class:`ActionReadDetails` after every user message
(as it would have applied an entity mapping) and the project's own understanding
(:func:`knowledge_base.understanding.understand`, the rules the search uses) decides what the
message said: the form, the search and the slots cannot disagree about what 'the forest' or
'year 9' means. A button the bot itself showed (``/inform{"district": "Stroud"}``) carries its
value as an entity of the payload; that value goes through the same readers, so a payload can
only set what a typed answer could.
See docs/decisions/0017-slots-and-settings-have-one-owner.md.
"""

from __future__ import annotations

from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from knowledge_base.understanding import understand
from vocabulary.ages import LOCAL_OFFER_MAX, LOCAL_OFFER_MIN
from vocabulary.audiences import AUDIENCES
from vocabulary.needs import ANY_NEED, ANY_NEED_WORDS, NEEDS
from vocabulary.places import ANYWHERE, ANYWHERE_WORDS, DISTRICTS

# The slots this module owns; tests/unit/test_slot_owner.py checks the domain maps each to the action.
DETAIL_SLOTS: Final = ("need", "age", "district", "audience")
READ_DETAILS: Final = "action_read_details"


def read_district(value: str) -> str | None:
    """A district name, 'anywhere', or None when the words name no district."""
    lowered = value.lower().strip()
    for name in DISTRICTS:
        if lowered == name.lower():
            return name
    facts = understand(value)
    if not facts.districts:
        # An answer to 'which area?' is a place even when it is a word that needs context
        # elsewhere ('the forest', 'cam').
        facts = understand(f"we live in {value}")
    if len(facts.districts) == 1:
        return facts.districts[0]
    if any(w in lowered for w in ANYWHERE_WORDS) and not facts.ambiguous_places:
        return ANYWHERE
    return None


def read_need(value: str) -> str | None:
    """A need group of vocabulary.needs, 'any' for 'something else', or None."""
    lowered = value.lower().strip()
    if lowered in NEEDS:
        return lowered
    facts = understand(value)
    if facts.needs:
        return facts.needs[0]
    if any(lowered == w or lowered.startswith(w + " ") for w in ANY_NEED_WORDS):
        return ANY_NEED
    return None


def read_age(value: Any) -> float | None:
    """An age in years the Local Offer covers, from a number or words ('7', 'year 9'), or None."""
    if isinstance(value, int | float):
        age = float(value)
    else:
        text = str(value).strip()
        try:
            age = float(text)
        except ValueError:
            found = understand(text).age
            if found is None:
                return None
            age = found
    return age if LOCAL_OFFER_MIN <= age <= LOCAL_OFFER_MAX else None


def age_slot(age: float) -> str:
    """How the age slot holds an age: '7', or '7.5' where a school year implies a half."""
    return str(int(age)) if age.is_integer() else str(age)


def payload_entities(tracker: Tracker) -> dict[str, str] | None:
    """The entities of a button payload ('/inform{"need": "autism"}'); None when the message was typed."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text.startswith("/"):
        return None
    return {
        str(entity["entity"]): str(entity["value"])
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") in DETAIL_SLOTS and entity.get("value") is not None
    }


def details_of(tracker: Tracker) -> dict[str, str]:
    """What the latest message says about need, age, area and the writer, as slot values.

    Only what it names: a detail it does not mention keeps its earlier value. A place word that
    could be two things ('glos') names no district; the service finder asks about it.
    """
    given = payload_entities(tracker)
    if given is not None:
        return _from_payload(given)
    text = (tracker.latest_message.get("text") or "").strip()
    if not text:
        return {}
    facts = understand(text)
    found: dict[str, str] = {}
    if facts.needs:
        found["need"] = facts.needs[0]
    if facts.age is not None:
        found["age"] = age_slot(facts.age)
    if len(facts.districts) == 1:
        found["district"] = facts.districts[0]
    if facts.audience is not None:
        found["audience"] = facts.audience
    return found


def _from_payload(given: dict[str, str]) -> dict[str, str]:
    readers = {"need": read_need, "district": read_district}
    found = {slot: value for slot, read in readers.items() if slot in given and (value := read(given[slot]))}
    age = read_age(given["age"]) if "age" in given else None
    if age is not None:
        found["age"] = age_slot(age)
    if given.get("audience") in AUDIENCES:
        found["audience"] = given["audience"]
    return found


class ActionReadDetails(Action):
    """Rasa's slot mapping for the detail slots: runs after every user message (see the module docstring)."""

    def name(self) -> str:
        return READ_DETAILS

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return [SlotSet(slot, value) for slot, value in details_of(tracker).items()]
