"""Passwords, authenticator codes, tokens and the key that encrypts TOTP secrets at rest.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory
profile). A TOTP secret has to be read back to check a code, so it is encrypted (Fernet) with a
key that lives outside the database: SIGNPOST_STAFF_SECRET_KEY, or a file made once under
var/staff/ with owner-only permissions. A stolen database alone gives neither passwords nor
authenticator secrets. Session cookies hold a random token; the database keeps only its SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from settings import Settings

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256
TOTP_ISSUER = "SENDIASS console"

_hasher = PasswordHasher()
# Checked against when the username is unknown, so a wrong username takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class WeakPassword(ValueError):
    """The password does not meet the minimum."""


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise WeakPassword(f"A password needs at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise WeakPassword(f"A password can have at most {MAX_PASSWORD_CHARS} characters.")
    if len(set(password)) < 5:
        raise WeakPassword("A password needs more different characters.")


def hash_password(password: str) -> str:
    check_new_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always does the same work, even with no account."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password[:MAX_PASSWORD_CHARS]) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def totp_step(secret: str, code: str, at: datetime | None = None) -> int | None:
    """The time step (Unix time // 30) a 6-digit authenticator code belongs to, or None if it is wrong.

    The step before and the step after the current one are accepted too (one 30-second step of
    clock drift either way). The caller must refuse a step at or before the last one the account
    accepted (``AppStore.accept_totp_step``), so a code works once only.
    """
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at or datetime.now(UTC))
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(secret: str, code: str) -> bool:
    """True if the code is right now (give or take one step); it does not mark the code as used."""
    return totp_step(secret, code) is not None


def new_token() -> str:
    """A random value for a session cookie or a CSRF token."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens (False when either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


class SecretBox:
    """Encrypts and decrypts TOTP secrets with the console's key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretBox:
        if settings.staff_secret_key:
            return cls(settings.staff_secret_key.encode())
        return cls(_key_file(settings.staff_dir / "secret.key"))

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str | None:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None


def _key_file(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # Created with owner-only permissions from the start, and never overwritten if another
    # process made it first.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
