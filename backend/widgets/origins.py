"""Portal origins (scheme, host, optional port) that may frame a city's widget.

An origin is exactly what a browser compares with ``frame-ancestors``: no path, no
query, no wildcard. Plain ``http`` is accepted only for this machine (a local demo
portal); a public portal serves its pages over ``https``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
# One DNS label: letters, digits, inner hyphens (after IDNA encoding).
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
LOOPBACK_NAMES = {"localhost"}


class OriginError(ValueError):
    """An origin that cannot be registered, with the reason (English; ``de``: German)."""

    def __init__(self, message: str, de: str) -> None:
        super().__init__(message)
        self.de = de


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_host(host: str, raw: str) -> str:
    if "*" in host:
        raise _wildcard(raw)
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    try:  # as browsers do (UTS 46), so "staßfurt.de" keeps its ß
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
    except idna.IDNAError as exc:
        raise _bad_host(raw, host) from exc
    labels = ascii_host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise _bad_host(raw, host)
    return ascii_host


def _wildcard(raw: str) -> OriginError:
    return OriginError(f"'{raw}': wildcards are not allowed; register each origin.",
                       f"„{raw}“: Platzhalter (*) sind nicht erlaubt; bitte jede Adresse einzeln "
                       "eintragen.")  # fmt: skip


def _bad_host(raw: str, host: str) -> OriginError:
    return OriginError(f"'{raw}': '{host}' is not a valid host name.",
                       f"„{raw}“: „{host}“ ist kein gültiger Rechnername.")  # fmt: skip


def _bad_port(raw: str) -> OriginError:
    return OriginError(f"'{raw}': the port must be a number from 1 to 65535.",
                       f"„{raw}“: Der Port muss eine Zahl von 1 bis 65535 sein.")  # fmt: skip


def normalise_origin(raw: str) -> str:
    """The canonical form of ``raw`` (``https://www.halberstadt.de``) or :class:`OriginError`.

    Lower-cases scheme and host, encodes international host names (IDNA) and drops a
    default port and a lone trailing slash; everything else beyond an origin is refused.
    """
    text = raw.strip()
    if not text:
        raise OriginError("The origin is empty: give e.g. https://www.halberstadt.de",
                          "Die Adresse ist leer: z. B. https://www.halberstadt.de")  # fmt: skip
    if "*" in text:
        raise _wildcard(raw)
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        raise OriginError(
            f"'{raw}' is not an origin: give scheme and host, e.g. https://www.halberstadt.de",
            f"„{raw}“ ist keine Portal-Adresse: bitte Schema und Rechner angeben, "
            "z. B. https://www.halberstadt.de",
        )
    if parts.username is not None or parts.password is not None:
        raise OriginError(f"'{raw}': an origin has no user name or password.",
                          f"„{raw}“: Eine Portal-Adresse hat keinen Benutzernamen und kein "
                          "Passwort.")  # fmt: skip
    if parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith(("?", "#")):
        raise OriginError(
            f"'{raw}': an origin has no path, query or fragment; "
            f"register {scheme}://{parts.netloc.lower()}",
            f"„{raw}“: Eine Portal-Adresse hat keinen Pfad, keine Abfrage und keinen Anker; "
            f"bitte {scheme}://{parts.netloc.lower()} eintragen.",
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise _bad_port(raw) from exc
    if port == 0:
        raise _bad_port(raw)
    host = (parts.hostname or "").lower()
    if not host:
        raise OriginError(f"'{raw}' has no host name.", f"„{raw}“ hat keinen Rechnernamen.")
    host = _check_host(host, raw)
    if scheme == "http" and not _is_loopback(host):
        raise OriginError(
            f"'{raw}': portals are served over https; plain http is accepted only for "
            "this machine (localhost, 127.0.0.1).",
            f"„{raw}“: Portale werden über https ausgeliefert; http gilt nur für diesen "
            "Rechner (localhost, 127.0.0.1).",
        )
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    origin = f"{scheme}://{host}"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        origin += f":{port}"
    return origin
