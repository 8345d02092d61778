"""What happens to one chat message between the widget and Rasa: safety first, then privacy.

For every message, in this order:

1. ``safety.assess`` reads the raw text. Nothing else has seen it yet, and nothing logs it.
2. ``privacy.redact`` replaces names, phone numbers, emails and the like with placeholders. Only
   the redacted text goes further: to Rasa (and so to Rasa's tracker store), to logs and to the
   app database.
3. ``language.detect_language`` reads the raw text (placeholders are English words and would
   pull a Polish message towards English). A family writing in another language we have a notice
   for gets that notice, in their language and in English.
4. At risk: the safety message comes first, before the notice and everything else, and it is
   the gateway's own: it never waits for Rasa or the database longer than ``safety_wait_seconds``.
   An urgent escalation is written to the outbox on local disk, then stored in the app database
   (or replayed into it later, app_store/outbox.py), and Rasa gets the payload ``/safety_concern``
   instead of the message, so the dialogue neither answers a question it should not nor forgets
   the turn. Rasa's follow-up line is added if it comes in time; if Rasa is down, slow or hung,
   the family still gets the safety message at once.
   Not at risk: Rasa gets the redacted text with the audience in its metadata.
5. A last guard (``privacy.IdentifierGuard``): no identifier that step 2 removed may appear in any
   outgoing text. Rasa only ever saw placeholders, so this should never fire; if a bug ever lets
   one through, the reply shows the placeholder instead and the log says which kind it was.
6. The turn goes into the question log for Local Offer editors (gateway.question_log): the
   redacted question, what the reply did, the page it cited. 'That didn't help' is asked why;
   the reason buttons' answers are kept by the gateway and never go to Rasa.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from app_store import AppStore, EscalationIn, TranscriptTurn
from app_store.outbox import Outbox
from gateway.question_log import (
    QuestionLog,
    RiskBefore,
    reason_of,
    should_ask_why,
    thanks_message,
    why_message,
)
from gateway.rasa_client import RasaClient, RasaUnavailable
from gateway.schemas import Button, ChatMessage, ChatRequest
from language import bilingual_notice, detect_language
from language import warm_up as warm_up_language
from privacy import IdentifierGuard, Redaction, public_numbers, redact
from privacy import warm_up as warm_up_privacy
from safety import SafetyAssessment, assess, carried_quietly, carry_on, get_classifier, safety_message
from safety import warm_up as warm_up_safety
from settings import Settings

log = logging.getLogger(__name__)

SAFETY_CONCERN_PAYLOAD: Final = "/safety_concern"
# How long an ordinary turn waits for its question-log row (a locked database must not hold up replies).
QUESTION_LOG_WAIT_SECONDS: Final = 1.0
# Past this many remembered at-risk conversations, the ones older than the carry-on window are dropped.
RISK_MEMORY_SIZE: Final = 10_000
"""What Rasa receives instead of an at-risk message (the ``safety_concern`` intent)."""


class MessagePipeline:
    """Turns one chat request into the reply's messages; see the module docstring for the steps."""

    def __init__(self, settings: Settings, rasa: RasaClient, store: AppStore) -> None:
        self._settings = settings
        self._rasa = rasa
        self._store = store
        self._outbox = Outbox(settings.outbox_dir)
        # Work that outlives the reply (a slow Rasa follow-up, a slow database): held here so the
        # event loop does not drop the tasks before they finish.
        self._background: set[asyncio.Task[Any]] = set()
        self._questions = QuestionLog(store)
        # Conversations whose last turn here was at risk: when (time.monotonic()), and whether only quietly.
        self._risk_at: dict[str, tuple[float, bool]] = {}
        # Helplines the reply gives out: redaction keeps them, so the bot can repeat them.
        self._public_numbers = public_numbers(settings.public_phones)

    def warm_up(self) -> None:
        """Load every detector now, so the first family to write does not wait.

        Blocking: call it off the event loop. It also fixes the language detector's mode, so it
        must run before the first message. The accurate mode (the default) holds about 450 MB
        and takes a few seconds to load; SIGNPOST_LANGUAGE_LOW_MEMORY=true keeps it at about
        30 MB for deployments running many gateway processes, at the cost of a few misses
        (393 of 396 foreign messages found in the language package's checks, no English flagged).
        """
        # Raises safety.model_file.SafetyModelError when the classifier has not been trained (it is
        # trained at build time, by `python -m signposting train`).
        warm_up_safety(get_classifier(self._settings.models_dir))
        warm_up_privacy()
        warm_up_language(low_memory=self._settings.language_low_memory)

    async def handle(self, request: ChatRequest) -> list[ChatMessage]:
        """The reply to one message: safety message, language notice, then Rasa's messages.

        Raises :class:`RasaUnavailable` when Rasa does not answer, except for an at-risk message,
        whose safety message is returned anyway.
        """
        # About 20 ms of CPU (the safety classifier embeds the message): a worker thread keeps the
        # event loop, and every other family's request, moving meanwhile.
        assessment, redaction, language = await asyncio.to_thread(self._read, request.message)
        # After a turn at risk, safety.carry_on owns the decision: the message carries the risk on, or
        # says the matter is in hand (then even a rule's match, 'rang 999, they're sending an ambulance',
        # is not a new alarm).
        before = await self._risk_before(request.sender_id)
        if before != "none":
            assessment = carry_on(assessment, request.message, quietly_before=before == "quietly")
        quietly = carried_quietly(assessment)
        self._remember_risk(request.sender_id, assessment.at_risk, quietly)
        # Kinds and categories only: the message itself is never logged.
        log.info(
            "chat message: at_risk=%s categories=%s redacted=%s language=%s",
            assessment.at_risk,
            ",".join(assessment.categories) or "-",
            ",".join(redaction.kinds) or "-",
            language or "en",
        )
        reason = None if assessment.at_risk else reason_of(redaction.text)
        if reason is not None:
            await asyncio.to_thread(self._questions.record_reason, request.sender_id, reason)
            return [thanks_message(reason)]
        messages: list[ChatMessage] = []
        if assessment.at_risk:
            young_person = request.audience == "young_person"
            messages.append(ChatMessage(text=safety_message(assessment, self._settings, young_person), kind="safety"))
        notice = bilingual_notice(language, self._settings.sendiass_phone) if language else None
        if notice:
            messages.append(ChatMessage(text=notice, kind="language"))
        if assessment.at_risk:
            messages += await self._safety_follow_up(request, redaction.text, assessment)
        else:
            replies = await self._rasa.send(request.sender_id, redaction.text, request.audience)
            if not replies:
                # Rasa carries on with no reply when it cannot reach the action server.
                actions_ok, detail = await self._rasa.probe("/health", base_url=self._settings.action_url)
                if not actions_ok:
                    raise RasaUnavailable(f"no reply from Rasa; the action server is not answering ({detail})")
            messages += replies
        # The question log must never hold up a reply: at most a moment for an ordinary turn (so a
        # 'That didn't help' that follows finds its turn logged), not at all for one at risk.
        logging_turn = self._in_background(
            asyncio.to_thread(
                self._questions.record,
                request.sender_id,
                redaction.text,
                request.audience,
                list(messages),
                assessment.at_risk,
                quietly,
            )
        )
        if not assessment.at_risk:
            await asyncio.wait({logging_turn}, timeout=QUESTION_LOG_WAIT_SECONDS)
        if should_ask_why(redaction.text, messages, assessment.at_risk):
            messages.append(why_message())
        return self._guarded(messages, IdentifierGuard(request.message, redaction, self._public_numbers))

    async def _risk_before(self, conversation_id: str) -> RiskBefore:
        """Whether the conversation's turn before this one got the safety response, not long ago, and
        whether only quietly.

        This process remembers its own at-risk turns (the question log's row for one is written in
        the background and may not be there yet); another node's are read from the question log,
        for at most ``QUESTION_LOG_WAIT_SECONDS``.
        """
        within = timedelta(minutes=self._settings.risk_carries_on_minutes)
        seen = self._risk_at.get(conversation_id)
        if seen is not None:
            at, quietly = seen
            if time.monotonic() - at >= within.total_seconds():
                return "none"
            return "quietly" if quietly else "at_risk"
        reading = asyncio.to_thread(self._questions.risk_before, conversation_id, within)
        try:
            return await asyncio.wait_for(reading, timeout=QUESTION_LOG_WAIT_SECONDS)
        except TimeoutError:
            log.warning(
                "conversation %s: question log too slow to say whether the last turn was at risk", conversation_id
            )
            return "none"

    def _remember_risk(self, conversation_id: str, at_risk: bool, quietly: bool) -> None:
        if not at_risk:
            self._risk_at.pop(conversation_id, None)
            return
        now = time.monotonic()
        self._risk_at[conversation_id] = (now, quietly)
        if len(self._risk_at) > RISK_MEMORY_SIZE:
            horizon = now - self._settings.risk_carries_on_minutes * 60
            self._risk_at = {c: seen for c, seen in self._risk_at.items() if seen[0] >= horizon}

    def _read(self, message: str) -> tuple[SafetyAssessment, Redaction, str | None]:
        assessment = assess(message, get_classifier(self._settings.models_dir))
        return assessment, redact(message, self._public_numbers), detect_language(message)

    async def _safety_follow_up(
        self, request: ChatRequest, redacted_text: str, assessment: SafetyAssessment
    ) -> list[ChatMessage]:
        """Store the escalation and tell Rasa, waiting for neither longer than ``safety_wait_seconds``."""
        escalating = self._in_background(self._escalate(request, redacted_text, assessment))
        following = self._in_background(self._rasa.send(request.sender_id, SAFETY_CONCERN_PAYLOAD, request.audience))
        await asyncio.wait({escalating, following}, timeout=self._settings.safety_wait_seconds)
        if following.done() and following.exception() is None:
            replies: list[ChatMessage] = following.result()
            return replies
        reason = "still waiting" if not following.done() else str(following.exception())
        log.warning("conversation %s: safety message sent without Rasa's follow-up (%s)", request.sender_id, reason)
        return []

    def _in_background(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None and not isinstance(task.exception(), RasaUnavailable):
            log.error("background work failed: %r", task.exception())

    async def _escalate(self, request: ChatRequest, redacted_text: str, assessment: SafetyAssessment) -> None:
        escalation = EscalationIn(
            conversation_id=request.sender_id,
            reason="safety",
            urgent=True,
            transcript=[TranscriptTurn(speaker="user", text=redacted_text, at=datetime.now(UTC).isoformat())],
            audience=request.audience,
            safety_categories=list(assessment.categories),
        )
        categories = ",".join(assessment.categories)
        # Local disk first: whatever the database does next, the escalation is not lost.
        try:
            waiting = await asyncio.to_thread(self._outbox.put, escalation)
        except OSError as exc:
            log.error(
                "conversation %s: urgent escalation could not be written to the outbox (%s)", request.sender_id, exc
            )
            waiting = None
        try:
            # The store's driver blocks; a thread keeps other conversations moving meanwhile.
            if waiting is not None:
                stored = await asyncio.to_thread(self._outbox.deliver, self._store, waiting)
            else:
                stored = await asyncio.to_thread(self._store.create_escalation, escalation)
        except Exception as exc:
            kept = "kept in the outbox, to be stored when the app database is back" if waiting else "LOST"
            log.error(
                "conversation %s: urgent safety escalation (%s) not stored in the app database (%s): %s",
                request.sender_id,
                categories,
                exc.__class__.__name__,
                kept,
            )
        else:
            if stored is not None:
                log.warning(
                    "conversation %s: urgent safety escalation %s stored (%s)", request.sender_id, stored.id, categories
                )

    @staticmethod
    def _guarded(messages: list[ChatMessage], guard: IdentifierGuard) -> list[ChatMessage]:
        if not guard.active:
            return messages
        cleaned = [
            message.model_copy(
                update={
                    "text": guard.clean(message.text),
                    "buttons": [Button(title=guard.clean(b.title), payload=b.payload) for b in message.buttons],
                }
            )
            for message in messages
        ]
        if guard.kinds_replaced:
            log.error("reply repeated the user's %s; replaced with placeholders", ",".join(guard.kinds_replaced))
        return cleaned
