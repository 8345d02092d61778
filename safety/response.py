"""What the user is told first when a message suggests someone may be at risk.

Every contact comes from settings, so a deployment changes numbers without touching code. The text
is plain, short and honest: it never promises secrecy (staff may have to act to keep someone safe)
and it says the assistant is a computer program that cannot call anyone.
"""

from __future__ import annotations

from safety.models import SafetyAssessment
from settings import Settings


def safety_message(assessment: SafetyAssessment, settings: Settings, young_person: bool) -> str:
    """The safety response as plain text, one short sentence or two per line.

    The first line is always about calling the emergency number. ``young_person`` selects the
    version that speaks to the young person as "you". The caller decides when to send it (normally
    when ``assessment.at_risk``); the assessment only changes the first line for a medical emergency.
    """
    ill = "medical_emergency" in assessment.categories
    if young_person:
        danger = "in danger or hurt now" if ill else "in danger now"
        first = f"If you or anyone else is {danger}, call"
        lines = [
            f"{first} {settings.emergency_phone}.",
            f"If you are being hurt or are not safe at home, call {settings.front_door_name} "
            f"on {settings.front_door_phone}.",
            f"When they are closed, call {settings.out_of_hours_name} on {settings.out_of_hours_phone}.",
            f"If you feel like hurting yourself, call {settings.crisis_line_name} on {settings.crisis_line_phone}.",
            f"Or call Childline on {settings.childline_phone}, or Samaritans on {settings.samaritans_phone}.",
            "I am a computer program. I cannot call anyone for you. Tell someone you trust.",
        ]
    else:
        danger = "in danger or very ill now" if ill else "in danger now"
        first = f"If anyone is {danger}, call"
        lines = [
            f"{first} {settings.emergency_phone}.",
            f"If a child is at risk of harm, call {settings.front_door_name} on {settings.front_door_phone}.",
            f"When they are closed, call {settings.out_of_hours_name} on {settings.out_of_hours_phone}.",
            f"For a mental health crisis, call {settings.crisis_line_name} on {settings.crisis_line_phone}.",
            f"You can also call Samaritans on {settings.samaritans_phone}.",
            "I am a computer program, so I cannot call anyone for you.",
        ]
    return "\n".join(lines)
