"""Talk to Rasa's REST channel and turn its replies into the widget's message shape."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from gateway.schemas import Button, ChatMessage, Source
from vocabulary.audiences import Audience

log = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or answered with an error."""


def fold_replies(raw: list[dict[str, Any]]) -> list[ChatMessage]:
    """Rasa's REST channel sends a custom payload as its own message: fold its sources and kind into the text before."""
    messages: list[ChatMessage] = []
    for item in raw:
        custom = item.get("custom")
        if isinstance(custom, dict) and "feedback" in custom and "text" not in item:
            # The 'that didn't help' mark has nothing to show: it marks the turn for the question log.
            if messages:
                messages[-1]._not_helpful = custom["feedback"] == "not_helpful"
            continue
        if isinstance(custom, dict) and ("sources" in custom or "kind" in custom) and "text" not in item:
            sources = [Source.model_validate(s) for s in custom.get("sources") or []]
            kind = custom.get("kind") if isinstance(custom.get("kind"), str) else None
            if not messages:
                messages.append(ChatMessage())
            messages[-1].sources.extend(sources)
            messages[-1].kind = messages[-1].kind or kind
            confidence = custom.get("confidence")
            if isinstance(confidence, int | float) and messages[-1]._confidence is None:
                messages[-1]._confidence = float(confidence)
            continue
        text = item.get("text")
        if not isinstance(text, str):
            continue
        buttons = [Button(title=b["title"], payload=b["payload"]) for b in item.get("buttons") or []]
        messages.append(ChatMessage(text=text, buttons=buttons))
    return messages


class RasaClient:
    """Rasa's REST channel: a reply within ``timeout_seconds``, or :class:`RasaUnavailable`.

    A reply that comes later is not waited for, but its request is not dropped either: Rasa stores
    a turn only when it finishes it, and a closed connection can stop it half way, losing the
    family's message from the conversation. So the request runs on, for up to ``finish_seconds``.
    """

    def __init__(self, base_url: str, timeout_seconds: float, finish_seconds: float | None = None) -> None:
        self._timeout = timeout_seconds
        self._client = httpx.AsyncClient(base_url=base_url, timeout=max(finish_seconds or 0.0, timeout_seconds))
        self._finishing: set[asyncio.Future[httpx.Response]] = set()

    async def close(self) -> None:
        if self._finishing:
            await asyncio.wait(self._finishing, timeout=2)  # shutting down: a short grace, not the whole finish time
        await self._client.aclose()

    async def send(self, sender_id: str, message: str, audience: Audience) -> list[ChatMessage]:
        request = asyncio.ensure_future(
            self._client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender_id, "message": message, "metadata": {"audience": audience}},
            )
        )
        try:
            response = await asyncio.wait_for(asyncio.shield(request), self._timeout)
        except TimeoutError:
            raise RasaUnavailable("Rasa did not answer in time") from None
        except httpx.HTTPError as exc:
            what = "in time" if isinstance(exc, httpx.TimeoutException) else f"({exc.__class__.__name__})"
            raise RasaUnavailable(f"Rasa did not answer {what}") from exc
        finally:
            if not request.done():
                self._finishing.add(request)
                request.add_done_callback(self._finished)
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered {response.status_code}")
        return fold_replies(response.json())

    def _finished(self, request: asyncio.Future[httpx.Response]) -> None:
        self._finishing.discard(request)
        if request.cancelled():
            return
        error = request.exception()
        if error is not None:
            log.warning("a turn Rasa answered late did not finish either (%s)", error.__class__.__name__)

    async def probe(self, path: str, base_url: str | None = None, timeout: float = 3.0) -> tuple[bool, str]:
        """GET a health URL; (ok, detail)."""
        url = f"{base_url}{path}" if base_url else path
        try:
            response = await self._client.get(url, timeout=timeout)
        except httpx.HTTPError as exc:
            return False, f"not reachable ({exc.__class__.__name__})"
        return response.status_code == 200, f"HTTP {response.status_code}"
