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
    """An origin that cannot be registered, with the reason for the operator."""


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_host(host: str, raw: str) -> str:
    if "*" in host:
        raise OriginError(f"'{raw}': wildcards are not allowed; register each origin.")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    try:  # as browsers do (UTS 46), so "staßfurt.de" keeps its ß
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
    except idna.IDNAError as exc:
        raise OriginError(f"'{raw}': '{host}' is not a valid host name.") from exc
    labels = ascii_host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise OriginError(f"'{raw}': '{host}' is not a valid host name.")
    return ascii_host


def normalise_origin(raw: str) -> str:
    """The canonical form of ``raw`` (``https://www.halberstadt.de``) or :class:`OriginError`.

    Lower-cases scheme and host, encodes international host names (IDNA) and drops a
    default port and a lone trailing slash; everything else beyond an origin is refused.
    """
    text = raw.strip()
    if not text:
        raise OriginError("The origin is empty: give e.g. https://www.halberstadt.de")
    if "*" in text:
        raise OriginError(f"'{raw}': wildcards are not allowed; register each origin.")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        raise OriginError(
            f"'{raw}' is not an origin: give scheme and host, e.g. https://www.halberstadt.de"
        )
    if parts.username is not None or parts.password is not None:
        raise OriginError(f"'{raw}': an origin has no user name or password.")
    if parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith(("?", "#")):
        raise OriginError(
            f"'{raw}': an origin has no path, query or fragment; "
            f"register {scheme}://{parts.netloc.lower()}"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise OriginError(f"'{raw}': the port must be a number from 1 to 65535.") from exc
    if port == 0:
        raise OriginError(f"'{raw}': the port must be a number from 1 to 65535.")
    host = (parts.hostname or "").lower()
    if not host:
        raise OriginError(f"'{raw}' has no host name.")
    host = _check_host(host, raw)
    if scheme == "http" and not _is_loopback(host):
        raise OriginError(
            f"'{raw}': portals are served over https; plain http is accepted only for "
            "this machine (localhost, 127.0.0.1)."
        )
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    origin = f"{scheme}://{host}"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        origin += f":{port}"
    return origin
