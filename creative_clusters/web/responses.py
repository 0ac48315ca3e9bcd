"""Immutable, pre-compressed response bodies with ETags, and JSON encoding for the web app.

Every body the app serves from memory is built once per warehouse version as a
:class:`Cached` (raw bytes, gzip bytes when that is smaller, a strong ETag).
:func:`respond` answers ``If-None-Match`` with 304 and picks gzip when the
client accepts it, so a body is never compressed per request.

Examples
--------
>>> c = make_cached(b'{"a": 1}' * 500, "application/json")
>>> c.etag.startswith('"') and len(c.gz) < len(c.body)
True
>>> dumps({"x": float("nan"), "y": [1.5]})
b'{"x":null,"y":[1.5]}'
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["NO_CACHE", "Cached", "dumps", "make_cached", "respond"]

#: Revalidate every time (cheap: the ETag answers 304 with no body).
NO_CACHE = "no-cache"


@dataclass(frozen=True)
class Cached:
    """A response body built once: raw, gzip (or None when not smaller) and its ETag."""

    body: bytes
    gz: bytes | None
    etag: str
    media_type: str
    headers: tuple[tuple[str, str], ...] = ()


def make_cached(body: bytes, media_type: str, *, headers: dict[str, str] | None = None) -> Cached:
    """Compress ``body`` once (gzip level 6) and tag it with a hash of its bytes."""
    gz = gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 512 else None
    if gz is not None and len(gz) >= len(body):
        gz = None
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return Cached(body, gz, etag, media_type, tuple((headers or {}).items()))


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def respond(request: Request, cached: Cached, *, cache_control: str = NO_CACHE) -> Response:
    """The response for ``cached``: 304 when the client has it, else gzip or raw bytes."""
    headers = {"ETag": cached.etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding", **dict(cached.headers)}
    inm = request.headers.get("if-none-match", "")
    if inm and cached.etag in [t.strip().removeprefix("W/") for t in inm.split(",")]:
        return Response(status_code=304, headers=headers)
    if cached.gz is not None and _accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        return Response(cached.gz, media_type=cached.media_type, headers=headers)
    return Response(cached.body, media_type=cached.media_type, headers=headers)


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if (np.isnan(f) or np.isinf(f)) else f
    if isinstance(obj, np.bool_):
        return bool(obj)
    if obj is not None and not isinstance(obj, (str, int, bool)):
        try:
            import pandas as pd

            if pd.isna(obj):
                return None
        except (TypeError, ValueError):
            pass
    return obj


def dumps(obj: Any) -> bytes:
    """Compact JSON bytes; NaN, NA and infinities become null."""
    return json.dumps(_clean(obj), separators=(",", ":"), default=str, allow_nan=False,
                      ensure_ascii=False).encode()
