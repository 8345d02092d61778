"""Escalations that could not reach the app database yet, kept on local disk until they can.

An urgent safety escalation or a consented handoff must never be lost because the database was
locked, full or down. Each one waiting is a JSON file in the outbox directory (written to a
temporary name, flushed to disk, then renamed, so a crash leaves either the whole file or none).
Whoever sends one first claims it by renaming it, so two processes (the gateway's replayer and
the process that wrote it) never store the same escalation twice; a claim left by a process that
died is taken back after ``stale_claim_seconds``. See docs/decisions/0007-escalation-outbox.md.

The texts in it are already redacted (they are what the database would hold); the directory is
readable by its owner only. The log lines name the conversation (a random id), never its words.
They are written here, in the worker thread that does the disk and database work, so they appear
even when the request that asked for them was cancelled meanwhile (a gateway giving up on Rasa
cancels Rasa's call of the action server, and with it the action's own ``except`` clause).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from pathlib import Path

from app_store.models import Escalation, EscalationIn
from app_store.store import AppStore

log = logging.getLogger(__name__)

_WAITING = ".json"
_CLAIMED = ".sending"


class Outbox:
    """A directory of escalations waiting for the app database."""

    def __init__(self, directory: Path, stale_claim_seconds: float = 120.0, writer_first_seconds: float = 15.0) -> None:
        """``writer_first_seconds``: how long a new file is left to the process that wrote it, which
        sends it at once and needs the stored row (a handoff's reference number)."""
        self.directory = directory
        self._stale_claim_seconds = stale_claim_seconds
        self._writer_first_seconds = writer_first_seconds

    def put(self, escalation: EscalationIn) -> Path:
        """Keep ``escalation`` on disk, durably, and return its file."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"
        temporary = self.directory / f".{name}.tmp"
        final = self.directory / f"{name}{_WAITING}"
        data = escalation.model_dump_json().encode()
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, final)
        self._sync_directory()
        log.info(
            "conversation %s: escalation written to the outbox (urgent=%s)",
            escalation.conversation_id,
            escalation.urgent,
        )
        return final

    def deliver(self, store: AppStore, path: Path) -> Escalation | None:
        """Store the escalation in ``path`` and remove the file; None if another process has it or the database failed.

        On a database failure the file is put back for the next replay, and the error is raised.
        """
        claimed = path.with_name(f"{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}{_CLAIMED}")
        try:
            os.replace(path, claimed)  # atomic: exactly one claimant wins
        except FileNotFoundError:
            return None
        os.utime(claimed)  # the claim's age, not the escalation's, decides when it is stale
        conversation = f"(file {path.name})"  # until the file has been read
        try:
            escalation = EscalationIn.model_validate_json(claimed.read_bytes())
            conversation = escalation.conversation_id
            stored = store.create_escalation(escalation)
        except Exception as exc:
            with contextlib.suppress(FileNotFoundError):
                os.replace(claimed, path)
            log.warning(
                "conversation %s: escalation kept in the outbox; the app database did not take it (%s)",
                conversation,
                exc.__class__.__name__,
            )
            raise
        claimed.unlink()
        self._sync_directory()
        return stored

    def waiting(self) -> list[Path]:
        """The files waiting for a replay, oldest first.

        Stale claims (their claimant died) are put back first; files newer than
        ``writer_first_seconds`` are left to their writer.
        """
        if not self.directory.is_dir():
            return []
        now = time.time()
        for claimed in self.directory.glob(f"*{_CLAIMED}"):
            with contextlib.suppress(FileNotFoundError):
                if now - claimed.stat().st_mtime > self._stale_claim_seconds:
                    original = claimed.name.split(".", 1)[0] + _WAITING
                    os.replace(claimed, self.directory / original)
        return sorted(
            path
            for path in self.directory.glob(f"*{_WAITING}")
            if now - _mtime(path, default=now) >= self._writer_first_seconds
        )

    def pending(self) -> int:
        """How many escalations are not in the database yet: waiting, or being sent right now."""
        if not self.directory.is_dir():
            return 0
        return sum(1 for p in self.directory.iterdir() if p.name.endswith((_WAITING, _CLAIMED)))

    def replay(self, store: AppStore) -> int:
        """Store every waiting escalation; stop at the first database failure. Returns how many were stored."""
        stored = 0
        for path in self.waiting():
            escalation = self.deliver(store, path)
            if escalation is not None:
                stored += 1
                log.warning(
                    "conversation %s: escalation stored from the outbox as %s (urgent=%s)",
                    escalation.conversation_id,
                    escalation.id,
                    escalation.urgent,
                )
        return stored

    def _sync_directory(self) -> None:
        # The rename is durable only once the directory entry itself is on disk.
        with contextlib.suppress(OSError):
            descriptor = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def _mtime(path: Path, default: float) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # sent by another process meanwhile
        return default
