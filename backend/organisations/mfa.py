"""Second factor: TOTP (RFC 6238, pyotp) with a locally drawn QR code, and recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno

ISSUER = "Handwerker-Schnellruf"
RECOVERY_CODE_COUNT = 10
# One step either side: a phone clock 30 s off still works.
VALID_WINDOW = 1


def new_totp_secret() -> str:
    """A new random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The QR code of ``uri`` as inline SVG (drawn here: no third-party service sees it)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")
    # An accessible name for the image; the secret is shown as text next to it too.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def grouped_secret(secret: str) -> str:
    """The secret in groups of four characters, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def accepted_step(secret: str, code: str, last_step: int | None, now: float | None = None):
    """The time step ``code`` belongs to, if valid and newer than ``last_step``; else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now) // totp.interval
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None  # replayed
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Fresh recovery codes, shown once, e.g. ``k3f9-2m7q-x8p4``."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def hash_recovery_code(code: str) -> str:
    """SHA-256 of a recovery code, ignoring case, spaces and hyphens."""
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()
