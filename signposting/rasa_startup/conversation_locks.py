"""Rasa's Redis lock store with every change to a conversation's lock made atomically.

Loaded by the Rasa server's process only (endpoints.yml names ``conversation_locks.AtomicRedisLockStore``
when a Redis lock store is configured; see signposting/stack.py). Rasa 3.6's own RedisLockStore
reads a conversation's ticket queue, changes it in Python and writes it back. With one Rasa server
that is safe (one event loop, blocking Redis calls), but two servers working on one conversation
at the same moment can both read the queue before either writes it: one server's ticket is then
lost, or both get the same ticket number. The first lets a turn run beside another or end in a
LockError (the family's message is dropped and never stored); the second lets two turns write one
tracker at once. Rasa's own fix (ConcurrentRedisLockStore, RasaHQ/rasa#11256) was reverted
from Rasa Open Source and is not in 3.6; RasaHQ/rasa#9213 reports the race.

Here each read-change-write runs in a Redis transaction on the lock's key (WATCH, then MULTI/EXEC,
retried by redis-py when another server changed the key in between), so the queue is never
changed by two servers at once. Waiting turns look at the queue every 0.1 s rather than every
second: a family who sends two messages in a row waits for the first turn, not for a poll.
See docs/decisions/0016-atomic-conversation-locks.md.

This runs in .venv-rasa (Python 3.10), against Rasa's libraries.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

WAIT_BETWEEN_LOOKS_SECONDS = 0.1


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket queue changes are Redis transactions."""

    def __init__(self, endpoint_config: Any) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], TicketLock | None]) -> Any:
        """Apply ``change`` to the stored lock in one transaction; a lock ``change`` returns with no
        tickets left, or None, is deleted. Returns what ``change`` returned."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> TicketLock | None:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            changed = change(lock)
            pipe.multi()
            if changed is None or not changed.is_someone_waiting():
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps())
            return changed

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def add_ticket(lock: TicketLock | None) -> TicketLock:
            lock = lock or TicketLock(conversation_id)
            lock.issue_ticket(lock_lifetime)
            return lock

        try:
            # The new ticket is the queue's last, as stored by the transaction that succeeded.
            return int(self._change(conversation_id, add_ticket).last_issued)
        except Exception as e:  # as Rasa's own issue_ticket: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def drop_ticket(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, drop_ticket)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Removing the ticket and deleting an empty queue are one step: Rasa's two (remove, then
        # delete if no one waits) can delete a ticket another server issued in between.
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_LOOKS_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as held:
            yield held
