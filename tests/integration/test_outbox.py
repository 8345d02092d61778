"""The escalation outbox on a real directory and a real SQLite app database."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app_store import AppStore, EscalationIn, TranscriptTurn
from app_store.outbox import Outbox


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AppStore]:
    app_store = AppStore(f"sqlite:///{tmp_path / 'app.sqlite'}")
    app_store.list_escalations()  # creates the schema
    yield app_store
    app_store.close()


def escalation(conversation: str = "conversation-1") -> EscalationIn:
    return EscalationIn(
        conversation_id=conversation,
        reason="safety",
        urgent=True,
        transcript=[TranscriptTurn(speaker="user", text="[name] is not safe at home", at="2026-12-03T10:00:00+00:00")],
        safety_categories=["child_abuse_neglect"],
    )


def test_an_escalation_waits_on_disk_for_its_owner_only_and_is_stored_once(tmp_path: Path, store: AppStore) -> None:
    outbox = Outbox(tmp_path / "outbox", writer_first_seconds=0)
    path = outbox.put(escalation())

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.directory.stat().st_mode) == 0o700
    stored = outbox.deliver(store, path)
    assert stored is not None
    assert stored.conversation_id == "conversation-1"
    assert outbox.deliver(store, path) is None  # already sent: nothing happens twice
    assert outbox.waiting() == []
    assert [e.conversation_id for e in store.list_escalations()] == ["conversation-1"]


def test_a_locked_database_keeps_the_escalation_until_a_replay_succeeds(
    tmp_path: Path, store: AppStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app_store.outbox")
    outbox = Outbox(tmp_path / "outbox", writer_first_seconds=0)
    path = outbox.put(escalation())
    assert "conversation conversation-1: escalation written to the outbox (urgent=True)" in caplog.messages
    locker = sqlite3.connect(tmp_path / "app.sqlite")
    locker.execute("PRAGMA busy_timeout = 0")
    locker.execute("BEGIN EXCLUSIVE")
    slow = AppStore(f"sqlite:///{tmp_path / 'app.sqlite'}")
    try:
        with pytest.raises(Exception, match="locked"):
            outbox.deliver(slow, path)
        assert outbox.waiting() == [path]  # put back for the next try
        # Said by the thread doing the work, so it is logged even if the asking request was cancelled.
        [kept] = [m for m in caplog.messages if "kept in the outbox" in m]
        assert kept == (
            "conversation conversation-1: escalation kept in the outbox; the app database did not take it "
            "(OperationalError)"
        )
        assert "not safe" not in " ".join(caplog.messages)  # the family's words never go to the log
    finally:
        locker.rollback()
        locker.close()
        slow.close()

    assert outbox.replay(store) == 1
    assert outbox.waiting() == []
    assert len(store.list_escalations()) == 1


def test_a_claim_left_by_a_process_that_died_is_taken_back(tmp_path: Path, store: AppStore) -> None:
    outbox = Outbox(tmp_path / "outbox", stale_claim_seconds=60, writer_first_seconds=0)
    path = outbox.put(escalation())
    claimed = path.with_name(f"{path.stem}.99999-deadbeef.sending")
    os.replace(path, claimed)  # what a process that crashed mid-send leaves
    assert outbox.waiting() == []  # a fresh claim is left alone: its owner may still be sending

    old = claimed.stat().st_mtime - 3600
    os.utime(claimed, (old, old))
    assert outbox.waiting() == [path]
    assert outbox.replay(store) == 1


def test_a_new_escalation_is_left_to_its_writer_for_a_while(tmp_path: Path, store: AppStore) -> None:
    outbox = Outbox(tmp_path / "outbox", writer_first_seconds=60)
    path = outbox.put(escalation())
    assert outbox.replay(store) == 0  # the writer is sending it now and needs the stored row itself
    assert outbox.pending() == 1
    old = path.stat().st_mtime - 120
    os.utime(path, (old, old))  # the writer died before sending
    assert outbox.replay(store) == 1
    assert outbox.pending() == 0


def test_waiting_escalations_keep_their_order(tmp_path: Path, store: AppStore) -> None:
    outbox = Outbox(tmp_path / "outbox", writer_first_seconds=0)
    for n in range(3):
        outbox.put(escalation(f"conversation-{n}"))
    assert outbox.replay(store) == 3
    stored = sorted(store.list_escalations(), key=lambda e: e.id)
    assert [e.conversation_id for e in stored] == ["conversation-0", "conversation-1", "conversation-2"]
