"""The question log for Local Offer editors, written by the gateway after each turn.

The gateway is the one place that sees every turn whole: the redacted message it sent to Rasa and
the kinds and sources of the reply. So it writes one row per family question (never the raw
text), and turns the family's 'That helped' / 'That didn't help' into feedback on the last row.

'That didn't help' (pressed, or typed and read so by the dialogue) gets one more message: why,
with five buttons. Their payloads are the gateway's own and never reach Rasa; the reason is kept
with the turn it is about.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from app_store import AppStore, TurnIn
from app_store.insights_models import FeedbackReason, QuestionOutcome
from gateway.schemas import Button, ChatMessage
from ingestion.urls import normalise_url
from vocabulary.audiences import Audience

log = logging.getLogger(__name__)

HELPED_PAYLOAD: Final = "/answer_helped"
NOT_HELPFUL_PAYLOAD: Final = "/answer_not_helpful"
REASON_PREFIX: Final = "/feedback_reason:"
SAFETY_QUESTION: Final = "[safety concern: not kept in the question log]"
"""What the log keeps of an at-risk message: editors need to know a turn happened, not what it said."""
RiskBefore = Literal["none", "at_risk", "quietly"]
"""The conversation's turn before: not at risk (or too long ago), at risk, or at risk only quietly
(carried on from the turn before it with no danger named: safety.carried_quietly)."""

REASONS: Final[dict[FeedbackReason, str]] = {
    "off_topic": "Not about what I asked",
    "not_answered": "Did not answer my question",
    "hard_to_understand": "Hard to understand",
    "out_of_date": "Out of date",
    "something_else": "Something else",
}
WHY_QUESTION: Final = "Can you tell us what was wrong? It helps the people who write the Local Offer pages."
THANKS: Final = "Thank you. The people who write the Local Offer pages will see this."
THANKS_SOMETHING_ELSE: Final = (
    "Thank you. If you like, type what was wrong in your own words. Please do not include names or phone numbers."
)

_ANSWERED: Final = frozenset({"answer", "definition", "services"})
_SIGNPOSTED: Final = frozenset({"handoff", "consent"})


def outcome_of(kinds: Sequence[str | None]) -> QuestionOutcome:
    """What the assistant did in a turn, from the kinds of its reply's messages (docs/contracts.md)."""
    present = {kind for kind in kinds if kind}
    if "safety" in present:
        return "safety"
    # Tentative first: an answer given without confidence is what editors most need to see.
    if "tentative" in present:
        return "tentative"
    if present & _ANSWERED:
        return "answer_and_signpost" if present & _SIGNPOSTED else "answer"
    if "not_sure" in present:
        return "not_sure"
    if present & _SIGNPOSTED:
        return "handoff"
    if "out_of_scope" in present:
        return "out_of_scope"
    if "small_talk" in present:
        return "small_talk"
    return "fallback"


def reason_buttons() -> list[Button]:
    return [Button(title=title, payload=f"{REASON_PREFIX}{code}") for code, title in REASONS.items()]


def reason_of(message: str) -> FeedbackReason | None:
    """The feedback reason a reason button's payload names, or None for anything else."""
    if not message.startswith(REASON_PREFIX):
        return None
    code = message[len(REASON_PREFIX) :].strip()
    for reason in REASONS:
        if reason == code:
            return reason
    return None


def is_button_payload(message: str) -> bool:
    """A button's payload ('/affirm', '/inform{...}'): an answer to the bot, not a question."""
    return message.startswith("/")


def turn_of(
    conversation_id: str,
    question: str,
    audience: Audience,
    messages: Sequence[ChatMessage],
    at_risk: bool,
    risk_carried_quietly: bool = False,
) -> TurnIn:
    """The question-log row of one turn: the redacted question and what the reply did."""
    page = next((source for message in messages for source in message.sources), None)
    confidence = next((m._confidence for m in messages if m._confidence is not None), None)
    return TurnIn(
        conversation_id=conversation_id,
        question=SAFETY_QUESTION if at_risk else question,
        audience=audience,
        outcome=outcome_of([m.kind for m in messages]),
        kinds=[m.kind for m in messages if m.kind],
        # The page itself, without the text fragment that points at a section: editors count pages.
        page_url=normalise_url(page.url)[:1000] if page else None,
        page_title=page.title[:300] if page else None,
        confidence=min(max(confidence, 0.0), 1.0) if confidence is not None else None,
        risk_carried_quietly=at_risk and risk_carried_quietly,
    )


class QuestionLog:
    """Writes the log through the app store; a failure is logged, never shown to the family."""

    def __init__(self, store: AppStore) -> None:
        self._store = store

    def record(
        self,
        conversation_id: str,
        redacted_message: str,
        audience: Audience,
        messages: Sequence[ChatMessage],
        at_risk: bool,
        risk_carried_quietly: bool = False,
    ) -> None:
        """Log the turn, or the feedback it gives on the one before. Blocking: run it in a thread."""
        try:
            if redacted_message == HELPED_PAYLOAD:
                self._store.record_turn_feedback(conversation_id, helpful=True)
            elif redacted_message == NOT_HELPFUL_PAYLOAD or any(m._not_helpful for m in messages):
                self._store.record_turn_feedback(conversation_id, helpful=False)
            elif at_risk or not is_button_payload(redacted_message):
                turn = turn_of(conversation_id, redacted_message, audience, messages, at_risk, risk_carried_quietly)
                self._store.log_turn(turn)
        except Exception as exc:
            log.error("question log not written (%s): check the app database", exc.__class__.__name__)

    def risk_before(self, conversation_id: str, within: timedelta) -> RiskBefore:
        """Whether the conversation's last logged turn got the safety response, less than ``within`` ago,
        and whether only quietly (``RiskBefore``).

        Blocking: run it in a thread. A database that cannot answer counts as no (the message is
        still judged on its own words).
        """
        try:
            last = self._store.last_turn_of(conversation_id)
        except Exception as exc:
            log.error("question log not read (%s): check the app database", exc.__class__.__name__)
            return "none"
        if last is None or last.outcome != "safety":
            return "none"
        asked = last.asked_at if last.asked_at.tzinfo else last.asked_at.replace(tzinfo=UTC)
        if datetime.now(UTC) - asked >= within:
            return "none"
        return "quietly" if last.risk_carried_quietly else "at_risk"

    def record_reason(self, conversation_id: str, reason: FeedbackReason) -> None:
        try:
            self._store.record_turn_feedback(conversation_id, helpful=False, reason=reason)
        except Exception as exc:
            log.error("feedback reason not written (%s): check the app database", exc.__class__.__name__)


def should_ask_why(redacted_message: str, messages: Sequence[ChatMessage], at_risk: bool) -> bool:
    """Whether to follow the reply with the 'what was wrong?' buttons.

    Only after 'That didn't help', and not when the reply ends by asking whether to pass the
    conversation to SENDIASS (the second 'That didn't help' in a row): one question at a time.
    """
    if at_risk or any(m.kind == "consent" for m in messages):
        return False
    return redacted_message == NOT_HELPFUL_PAYLOAD or any(m._not_helpful for m in messages)


def why_message() -> ChatMessage:
    """The question that follows 'That didn't help'."""
    return ChatMessage(text=WHY_QUESTION, buttons=reason_buttons(), kind="feedback")


def thanks_message(reason: FeedbackReason) -> ChatMessage:
    return ChatMessage(text=THANKS_SOMETHING_ELSE if reason == "something_else" else THANKS, kind="feedback")
