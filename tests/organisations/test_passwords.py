"""argon2id password hashes, TOTP steps and recovery codes."""

from __future__ import annotations

import pyotp
from werkzeug.security import generate_password_hash

from backend.organisations import mfa
from backend.organisations.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)


def test_argon2id_hash_verifies_and_older_werkzeug_hashes_still_work(app_context):
    hashed = hash_password("ein langes Passwort")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "ein langes Passwort")
    assert not verify_password(hashed, "ein langes passwort")
    assert not verify_password("", "x") and not verify_password("garbage", "x")
    legacy = generate_password_hash("alt und lang genug")
    assert verify_password(legacy, "alt und lang genug") and needs_rehash(legacy)
    assert not needs_rehash(hashed)


def test_password_rules_say_what_is_wrong():
    assert "mindestens 12" in password_problem("kurz")[0]
    assert "E-Mail-Adresse" in password_problem("anna.schmidt 2026!", email="anna.schmidt@x.de")[0]
    assert password_problem("x" * 129)[1].startswith("The password may have at most")
    assert password_problem("ein Satz aus Wörtern") is None


def test_totp_accepts_one_step_of_clock_drift_and_never_the_same_step_twice():
    secret = mfa.new_totp_secret()
    totp = pyotp.TOTP(secret)
    now = 1_800_000_000.0
    step = int(now) // 30
    assert mfa.accepted_step(secret, totp.at(now), None, now) == step
    assert mfa.accepted_step(secret, totp.at(now - 30), None, now) == step - 1
    assert mfa.accepted_step(secret, totp.at(now - 90), None, now) is None
    assert mfa.accepted_step(secret, totp.at(now), step, now) is None  # replay
    assert mfa.accepted_step(secret, "12 34 5x", None, now) is None
    assert mfa.accepted_step(secret, " ".join(totp.at(now)), None, now) == step


def test_recovery_codes_are_random_and_hashed_without_case_or_hyphens():
    codes = mfa.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(c) == 14 for c in codes)
    typed = codes[0].upper().replace("-", " ")
    assert mfa.hash_recovery_code(codes[0]) == mfa.hash_recovery_code(typed)
    assert mfa.hash_recovery_code(codes[0]) != mfa.hash_recovery_code(codes[1])
