"""Password hashing with argon2id (argon2-cffi); cost parameters from the configuration."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash

# Minimum length (ASVS 2.1.1); no composition rules (ASVS 2.1.9).
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


def _hasher() -> PasswordHasher:
    """A hasher with ``PASSWORD_ARGON2_*`` costs (the tests make them cheap)."""
    config = current_app.config if has_app_context() else {}
    return PasswordHasher(
        time_cost=int(config.get("PASSWORD_ARGON2_TIME_COST", 3)),
        memory_cost=int(config.get("PASSWORD_ARGON2_MEMORY_KIB", 65536)),
        parallelism=int(config.get("PASSWORD_ARGON2_PARALLELISM", 1)),
    )


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; werkzeug hashes of older accounts are still accepted."""
    if not stored_hash:
        return False
    if stored_hash.startswith(("scrypt:", "pbkdf2:")):
        return check_password_hash(stored_hash, password)
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash should be replaced (older scheme or weaker costs)."""
    if not stored_hash.startswith("$argon2"):
        return True
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def one_time_password() -> str:
    """A random password to hand over once; it must be changed at the first sign-in."""
    return secrets.token_urlsafe(12)


def dummy_verify(password: str) -> None:
    """Spend the time a real check takes, so that unknown accounts answer as fast as known."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("password_dummy_hash", {})
    key = repr(_hasher())
    if key not in cache:
        cache[key] = hash_password(secrets.token_hex(16))
    return cache[key]


def password_problem(password: str, *, email: str = "") -> tuple[str, str] | None:
    """Why ``password`` is not acceptable, as (German, English), or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.",
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return (
            f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein.",
            f"The password may have at most {MAX_PASSWORD_LENGTH} characters.",
        )
    local = email.split("@", 1)[0].lower()
    if local and len(local) >= 4 and local in password.lower():
        return (
            "Das Passwort darf die E-Mail-Adresse nicht enthalten.",
            "The password must not contain the e-mail address.",
        )
    return None
