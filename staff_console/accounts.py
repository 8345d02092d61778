"""Staff accounts, as ``python -m signposting staff ...`` manages them. Every change is audited.

Admins must use an authenticator app (TOTP). It is set up in the console at their first sign-in,
so its secret is shown only to them, on a page that is never cached, and never printed here.
``reset`` gives a new password, unlocks the account, removes the authenticator (to be set up
again at the next sign-in) and signs the person out everywhere.
"""

from __future__ import annotations

import getpass
import os
import re

from app_store import AppStore
from app_store.staff_models import ROLES, StaffUser
from app_store.tables import utc_now
from staff_console.security import hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class AccountError(ValueError):
    """A request the account commands cannot carry out; the message says why in plain words."""


def cli_actor() -> str:
    """Who ran the command, for the audit log."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = str(os.getuid())
    return f"cli:{name}"[:64]


def create_account(store: AppStore, username: str, display_name: str, role: str, password: str) -> StaffUser:
    if not USERNAME.match(username):
        raise AccountError("A username is 2-63 lower-case letters, digits, dots, dashes or underscores.")
    if role not in ROLES:
        raise AccountError(f"The role must be one of: {', '.join(ROLES)}.")
    display_name = display_name.strip() or username
    user = store.create_staff_user(username, display_name[:100], role, hash_password(password))
    store.audit(cli_actor(), "account_created", target=username, detail=f"role {role}")
    return user


def _find(store: AppStore, username: str) -> StaffUser:
    user = store.find_staff_user(username)
    if user is None:
        raise AccountError(f"There is no account called {username!r}.")
    return user


def disable_account(store: AppStore, username: str) -> None:
    user = _find(store, username)
    store.set_staff_disabled(user.id, True)
    store.audit(cli_actor(), "account_disabled", target=username)


def enable_account(store: AppStore, username: str) -> None:
    user = _find(store, username)
    store.set_staff_disabled(user.id, False)
    store.audit(cli_actor(), "account_enabled", target=username)


def reset_account(store: AppStore, username: str, password: str) -> None:
    user = _find(store, username)
    store.reset_staff_user(user.id, hash_password(password))
    store.audit(cli_actor(), "account_reset", target=username, detail="new password, authenticator removed")


def account_table(store: AppStore) -> str:
    users = store.list_staff_users()
    if not users:
        return "No staff accounts yet. Create one with: python -m signposting staff create USERNAME --role admin"
    rows = [("username", "name", "role", "state", "authenticator", "last sign-in")]
    now = utc_now()
    for user in users:
        locked = user.locked_until is not None and user.locked_until > now
        state = "disabled" if user.disabled else ("locked" if locked else "active")
        rows.append(
            (
                user.username,
                user.display_name,
                user.role,
                state,
                "set up" if user.has_totp else ("needed at next sign-in" if user.is_admin else "-"),
                user.last_sign_in_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_sign_in_at else "never",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows)
