"""On-disk cache of raw web responses, keyed by the canonical request.

A cached response is the exact bytes the server sent, so a cached fetch parses
exactly like a live one. Keys hash the method, URL and *sorted* parameters,
so parameter order does not matter but any parameter value does. Writes are
atomic (temporary file in the same folder, then ``os.replace``): an
interrupted download never leaves a half-written entry behind.

Layout::

    <root>/<key[:2]>/<key>.body   raw response bytes
    <root>/<key[:2]>/<key>.json   the request (method, url, params) and when stored
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["ResponseCache", "request_key"]


def request_key(method: str, url: str, params: Mapping[str, Any] | None = None) -> str:
    """SHA-256 hex key of a request; parameter order does not matter.

    Examples
    --------
    >>> a = request_key("GET", "https://x/y", {"a": "1", "b": "2"})
    >>> a == request_key("get", "https://x/y", {"b": "2", "a": "1"})
    True
    >>> a == request_key("GET", "https://x/y", {"a": "1", "b": "3"})
    False
    """
    canon = {
        "method": method.upper(),
        "url": url,
        "params": sorted((str(k), str(v)) for k, v in (params or {}).items()),
    }
    text = json.dumps(canon, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResponseCache:
    """Raw response bytes on disk.

    Parameters
    ----------
    root : path-like
        Cache directory; default for Nomis is
        :func:`creative_clusters.config.nomis_cache_dir`.
    refresh : bool
        When true, :meth:`get` always misses (responses are re-downloaded and
        overwrite the cached copy).

    Examples
    --------
    >>> import tempfile
    >>> c = ResponseCache(tempfile.mkdtemp())
    >>> c.get("GET", "https://x/y", {"a": "1"}) is None
    True
    >>> c.put("GET", "https://x/y", {"a": "1"}, b"data")
    >>> c.get("GET", "https://x/y", {"a": "1"})
    b'data'
    """

    def __init__(self, root: str | os.PathLike[str], *, refresh: bool = False) -> None:
        self.root = Path(root)
        self.refresh = refresh

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.body", folder / f"{key}.json"

    def path_for(
        self, method: str, url: str, params: Mapping[str, Any] | None = None
    ) -> Path:
        """Where the body of this request is (or would be) stored."""
        return self._paths(request_key(method, url, params))[0]

    def get(
        self, method: str, url: str, params: Mapping[str, Any] | None = None
    ) -> bytes | None:
        """Cached bytes for the request, or ``None`` (always when refreshing)."""
        if self.refresh:
            return None
        body, _meta = self._paths(request_key(method, url, params))
        try:
            return body.read_bytes()
        except FileNotFoundError:
            return None

    def put(
        self, method: str, url: str, params: Mapping[str, Any] | None, content: bytes
    ) -> None:
        """Store ``content`` for the request, atomically."""
        body, meta = self._paths(request_key(method, url, params))
        _atomic_write(body, content)
        info = {
            "method": method.upper(),
            "url": url,
            "params": {str(k): str(v) for k, v in sorted((params or {}).items())},
            "stored_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "bytes": len(content),
        }
        _atomic_write(meta, json.dumps(info, indent=2).encode("utf-8"))

    def clear(self) -> int:
        """Delete every cached entry; returns how many bodies were removed."""
        n = 0
        if not self.root.exists():
            return 0
        for p in self.root.glob("*/*.body"):
            p.unlink(missing_ok=True)
            p.with_suffix(".json").unlink(missing_ok=True)
            n += 1
        return n
