"""The offer of SENDIASS: its contacts at once, then the question whether to pass the conversation on.

Used by the handoff action and by answers that signpost SENDIASS beside what the pages say.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import asker_of
from actions.messages import (
    CONSENT,
    CONSENT_BUTTONS,
    CONSENT_QUESTION,
    HANDOFF,
    handoff_opener,
    sendiass_message,
    with_kind,
)
from actions.startup import server_settings
from knowledge_base.models import SearchHit


def offer_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, closest: list[SearchHit] | None = None
) -> list[dict[str, Any]]:
    """Give SENDIASS's contacts now (with the closest pages, if any), then ask whether to pass the conversation on."""
    asker = asker_of(tracker)
    settings = server_settings()
    dispatcher.utter_message(
        text=f"{handoff_opener(reason, asker)}\n{sendiass_message(settings, asker)}",
        json_message=with_kind(HANDOFF, closest),
    )
    dispatcher.utter_message(text=CONSENT_QUESTION, buttons=CONSENT_BUTTONS, json_message=with_kind(CONSENT))
    return [SlotSet("handoff_reason", reason), SlotSet("handoff_offered", True)]
