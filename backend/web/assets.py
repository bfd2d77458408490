"""The app shell files under pwa/, loaded once, versioned by a content hash, pre-compressed.

Text files may contain the placeholder ``__BUILD__``; it is replaced by the build id, a
hash of every served file (and of anything else that changes the shell, such as the
operator block shown on the legal pages). Versioned URLs (``app.js?v=<build>``) can then
be cached for a year, and a new build changes ``sw.js`` so the service worker updates.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

PLACEHOLDER = b"__BUILD__"

MIMETYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
# Files whose text may carry the build id; JSON and images are served as they are.
TEMPLATED = {".html", ".js", ".css", ".webmanifest"}
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".webmanifest", ".svg", ".txt"}


@dataclass(frozen=True)
class Asset:
    """One servable file: its bytes, an optional gzip variant and a strong ETag."""

    path: str
    mimetype: str
    body: bytes
    gzipped: bytes | None
    etag: str


def compress(body: bytes) -> bytes | None:
    """Gzip ``body`` reproducibly; ``None`` when that would not make it smaller."""
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) < len(body) else None


def make_asset(path: str, mimetype: str, body: bytes, compressible: bool = True) -> Asset:
    """Build an :class:`Asset` with its ETag (a hash of the body) and gzip variant."""
    etag = hashlib.sha256(body).hexdigest()[:20]
    return Asset(path, mimetype, body, compress(body) if compressible else None, etag)


class AssetStore:
    """All servable files below ``root``, keyed by their path relative to it (``i18n/de.json``).

    With ``auto_reload`` (debug mode) the files are read again whenever one of them changes.
    """

    def __init__(self, root: Path, extra: bytes = b"", auto_reload: bool = False) -> None:
        self.root = root
        self.extra = extra
        self.auto_reload = auto_reload
        self.build = ""
        self._assets: dict[str, Asset] = {}
        self._stamp: tuple = ()
        self.load()

    def _files(self) -> list[Path]:
        return sorted(
            p
            for p in self.root.rglob("*")
            if p.is_file()
            and p.suffix in MIMETYPES
            and not any(part.startswith(".") for part in p.relative_to(self.root).parts)
        )

    def _current_stamp(self) -> tuple:
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self._files())

    def load(self) -> None:
        """Read every file, compute the build id and prepare the served variants."""
        files = self._files()
        sources = {p.relative_to(self.root).as_posix(): p.read_bytes() for p in files}
        digest = hashlib.sha256(self.extra)
        for name, data in sources.items():
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        self.build = digest.hexdigest()[:12]
        assets = {}
        for name, data in sources.items():
            suffix = Path(name).suffix
            if suffix in TEMPLATED:
                data = data.replace(PLACEHOLDER, self.build.encode())
            assets[name] = make_asset(name, MIMETYPES[suffix], data, suffix in COMPRESSIBLE)
        self._assets = assets
        self._stamp = self._current_stamp() if self.auto_reload else ()

    def get(self, path: str) -> Asset | None:
        """The asset at ``path``, or ``None``; reloads first in debug mode if files changed."""
        if self.auto_reload and self._current_stamp() != self._stamp:
            self.load()
        return self._assets.get(path)

    def names(self) -> list[str]:
        """Paths of every servable file."""
        return sorted(self._assets)

    def url(self, path: str) -> str:
        """The versioned, long-cacheable URL of ``path``."""
        return f"/{path}?v={self.build}"
