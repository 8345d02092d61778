"""Hand the family over to SENDIASS with contact details from configuration."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from signposting.settings import Settings, get_settings


def sendiass_message(settings: Settings) -> str:
    """Plain words about SENDIASS and how to reach them; only configured contacts are named."""
    lines = [
        f"{settings.sendiass_name} can help. "
        "They give free information, advice and support about SEND. "
        "They are impartial. This means they are not on the side of the school or the council.",
        f"Call them on {settings.sendiass_phone}.",
    ]
    if settings.sendiass_email:
        lines.append(f"Or email {settings.sendiass_email}.")
    if settings.sendiass_hours:
        lines.append(f"They are open {settings.sendiass_hours}.")
    lines.append("If a child or adult is in danger right now, call 999.")
    return "\n".join(lines)


class ActionHandoffSendiass(Action):
    """Tell the family how to reach SENDIASS now (consent and escalation come with issue 5)."""

    def name(self) -> str:
        return "action_handoff_sendiass"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=sendiass_message(get_settings()))
        return []
