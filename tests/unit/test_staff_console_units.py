"""Units of the staff console: working hours, targets, the weekly share, references, passwords,
authenticator codes, the secret box and the CSV's guard against spreadsheet formulas."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from app_store import Escalation
from settings import Settings
from signposting.stack import StackError, tracker_store_block
from staff_console.lifecycle import _cell, parse_reference  # _cell: the CSV guard itself
from staff_console.security import (
    SecretBox,
    WeakPassword,
    hash_password,
    same,
    totp_step,
    verify_password,
    verify_totp,
)
from staff_console.sla import format_hours, wait_of, weekly_shares, working_hours_between

SETTINGS = Settings(working_holidays=[date(2026, 12, 25)])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def escalation(created: str, urgent: bool = False, answered: str | None = None) -> Escalation:
    return Escalation.model_validate(
        {
            "id": 1,
            "conversation_id": "c1",
            "reason": "safety" if urgent else "personal_case",
            "urgent": urgent,
            "status": "new",
            "created_at": at(created),
            "updated_at": at(created),
            "first_response_at": at(answered) if answered else None,
        }
    )


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-12-01T10:00", "2026-12-01T12:30", 2.5),  # a Tuesday (London is on UTC in winter)
        ("2026-12-04T16:00", "2026-12-07T10:00", 2.0),  # Friday 16:00 to Monday 10:00
        ("2026-12-05T09:00", "2026-12-06T18:00", 0.0),  # a weekend
        ("2026-12-24T16:00", "2026-12-28T09:30", 1.5),  # Christmas Day is a holiday
        ("2026-12-01T18:00", "2026-12-02T08:00", 0.0),  # overnight
        ("2026-12-01T12:00", "2026-12-01T11:00", 0.0),  # end before start
    ],
)
def test_working_hours_between(start: str, end: str, hours: float) -> None:
    assert working_hours_between(SETTINGS, at(start), at(end)) == pytest.approx(hours)


def test_summer_time_is_counted_in_local_hours() -> None:
    # 1 July: London is UTC+1, so 08:00-16:00 UTC is the working day.
    assert working_hours_between(SETTINGS, at("2026-07-01T07:00"), at("2026-07-01T09:00")) == pytest.approx(1.0)


def test_waits_and_breaches() -> None:
    now = at("2026-12-01T12:00")
    urgent = wait_of(SETTINGS, escalation("2026-12-01T10:00", urgent=True), now)
    assert urgent.breached
    assert urgent.hours == pytest.approx(2.0)
    assert not urgent.answered
    standard = wait_of(SETTINGS, escalation("2026-12-01T10:00"), now)
    assert not standard.breached
    answered = wait_of(SETTINGS, escalation("2026-12-01T10:00", True, answered="2026-12-01T10:30"), now)
    assert answered.answered
    assert not answered.breached
    assert format_hours(0.5) == "30 min"
    assert format_hours(2.25) == "2 h 15 min"


def test_weekly_share() -> None:
    now = at("2026-12-09T12:00")  # Wednesday
    cases = [
        escalation("2026-12-01T10:00", urgent=True, answered="2026-12-01T10:20"),  # met
        escalation("2026-12-01T10:00", urgent=True, answered="2026-12-01T15:00"),  # missed
        escalation("2026-12-02T10:00", answered="2026-12-03T10:00"),  # met (8 working hours)
        escalation("2026-12-09T11:00"),  # this week, still within target: pending
    ]
    weeks = weekly_shares(SETTINGS, cases, now, weeks=3)
    assert [w.week_start for w in weeks] == [date(2026, 12, 7), date(2026, 11, 30), date(2026, 11, 23)]
    assert (weeks[0].met, weeks[0].missed, weeks[0].pending, weeks[0].share) == (0, 0, 1, None)
    assert (weeks[1].met, weeks[1].missed) == (2, 1)
    assert weeks[1].share == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("text", "expected"), [("SEND-12", 12), ("send-7", 7), (" 42 ", 42), ("SEND-", None), ("x", None), ("1" * 20, None)]
)
def test_parse_reference(text: str, expected: int | None) -> None:
    assert parse_reference(text) == expected


def test_csv_cells_cannot_become_formulas() -> None:
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("+44") == "'+44"
    assert _cell("plain") == "plain"


def test_passwords() -> None:
    hashed = hash_password("a long enough password")
    assert hashed.startswith("$argon2id$")
    assert "a long enough password" not in hashed
    assert verify_password(hashed, "a long enough password")
    assert not verify_password(hashed, "a long enough passwore")
    assert not verify_password(None, "anything at all here")
    for weak in ("short", "aaaaaaaaaaaaaaaa", "x" * 300):
        with pytest.raises(WeakPassword):
            hash_password(weak)


def test_totp_codes() -> None:
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).now()
    assert verify_totp(secret, code)
    assert verify_totp(secret, f"{code[:3]} {code[3:]}")
    assert not verify_totp(secret, "12345")
    assert not verify_totp(secret, "abcdef")
    old = pyotp.TOTP(secret).at(datetime.now(UTC) - timedelta(minutes=5))
    assert not verify_totp(secret, old) or old == code


def test_totp_step_names_the_step_a_code_belongs_to() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = datetime(2026, 12, 1, 10, 0, 10, tzinfo=UTC)
    step = int(now.timestamp()) // 30
    assert totp_step(secret, totp.at(now), now) == step
    assert totp_step(secret, totp.at(now - timedelta(seconds=30)), now) == step - 1  # clock drift
    assert totp_step(secret, totp.at(now + timedelta(seconds=30)), now) == step + 1
    assert totp_step(secret, totp.at(now - timedelta(seconds=60)), now) is None  # too old
    assert totp_step(secret, "12345", now) is None


def test_secret_box_key_file_is_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    box = SecretBox.from_settings(settings)
    sealed = box.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    key_file = tmp_path / "staff" / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert SecretBox.from_settings(settings).decrypt(sealed) == "JBSWY3DPEHPK3PXP"
    other = SecretBox.from_settings(Settings(var_dir=tmp_path / "other"))
    assert other.decrypt(sealed) is None


def test_same_is_false_for_missing_tokens() -> None:
    assert same("abc", "abc")
    assert not same("abc", "abd")
    assert not same(None, "abc")
    assert not same("", "")


def test_rasa_is_given_the_tracker_store_from_settings_without_its_password(tmp_path: Path) -> None:
    default = Settings(var_dir=tmp_path)
    block, env = tracker_store_block(default)
    assert block == f'  type: SQL\n  dialect: "sqlite"\n  db: "{(tmp_path / "rasa" / "tracker.sqlite").resolve()}"\n'
    assert env == {}
    assert default.tracker_url == f"sqlite:///{(tmp_path / 'rasa' / 'tracker.sqlite').resolve()}"
    production = Settings(
        var_dir=tmp_path, tracker_store_url="postgresql+psycopg://rasa:s3cr%40t@db.internal:5433/rasa?sslmode=require"
    )
    block, env = tracker_store_block(production)
    assert block.splitlines() == [
        "  type: SQL",
        '  dialect: "postgresql"',
        '  url: "db.internal"',
        "  port: 5433",
        '  db: "rasa"',
        '  username: "rasa"',
        "  password: ${RASA_TRACKER_STORE_PASSWORD}",
        "  query:",
        '    "sslmode": "require"',
    ]
    assert env == {"RASA_TRACKER_STORE_PASSWORD": "s3cr@t"}
    assert "s3cr" not in repr(production)
    with pytest.raises(StackError):
        tracker_store_block(Settings(var_dir=tmp_path, tracker_store_url="mysql://rasa@db/rasa"))
