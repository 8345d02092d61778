"""Per-conversation and per-client rate limits for the chat endpoint (moving window)."""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class ChatRateLimiter:
    """Refuses a message when its conversation or its client has sent too many recently."""

    def __init__(self, per_conversation: str, per_client: str, storage_uri: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._per_conversation = parse(per_conversation)
        self._per_client = parse(per_client)

    def retry_after(self, sender_id: str, client: str) -> int | None:
        """None when the message may go through; otherwise seconds to wait."""
        for item, key in (
            (self._per_conversation, f"conversation:{sender_id}"),
            (self._per_client, f"client:{client}"),
        ):
            if not self._limiter.hit(item, "chat", key):
                reset_at = self._limiter.get_window_stats(item, "chat", key).reset_time
                return max(1, math.ceil(reset_at - time.time()))
        return None
