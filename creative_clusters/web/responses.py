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
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["NO_CACHE", "Cached", "dumps", "make_cached", "read_index", "respond", "write_index"]

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
    #: The file name a download is saved under (its ``Content-Disposition``), None for a page or JSON.
    filename: str | None = None
    #: The name as written when the ASCII ``filename`` had to drop letters ("Môn_a_Gwynedd.html"): sent as
    #: RFC 6266's ``filename*``, which browsers prefer.
    utf8_filename: str | None = None


def make_cached(body: bytes, media_type: str, *, headers: dict[str, str] | None = None,
                filename: str | None = None, utf8_filename: str | None = None) -> Cached:
    """Compress ``body`` once (gzip level 6) and tag it with a hash of its bytes.

    With ``filename`` (ASCII) the response is a download saved under that name; ``utf8_filename``, when it
    differs, is the name as written, sent as RFC 6266's ``filename*`` (percent-encoded UTF-8).

    Examples
    --------
    >>> c = make_cached(b"a,b", "text/csv", filename="x.csv")
    >>> dict(c.headers)["Content-Disposition"], c.filename
    ('attachment; filename="x.csv"', 'x.csv')
    >>> c = make_cached(b"", "text/html", filename="Mon.html", utf8_filename="Môn.html")
    >>> print(dict(c.headers)["Content-Disposition"])
    attachment; filename="Mon.html"; filename*=UTF-8''M%C3%B4n.html
    """
    gz = gzip.compress(body, compresslevel=6, mtime=0) if len(body) > 512 else None
    if gz is not None and len(gz) >= len(body):
        gz = None
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    head = dict(headers or {})
    utf8 = utf8_filename if utf8_filename and filename is not None and utf8_filename != filename else None
    if filename is not None:
        head["Content-Disposition"] = f'attachment; filename="{filename}"' + (
            f"; filename*=UTF-8''{quote(utf8, safe='')}" if utf8 else "")
    return Cached(body, gz, etag, media_type, tuple(head.items()), filename, utf8)


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


#: First line of a saved index: what the file is (data only: JSON text, never pickles or code).
INDEX_FORMAT = "creative-clusters web body index"
INDEX_VERSION = 1


def write_index(path: Path, bodies: dict[tuple[str, str], Cached], alias: dict[str, str], *,
                complete: bool) -> None:
    """Save ``bodies`` (JSON bodies keyed by ``(kind, code)``) and ``alias`` as gzip JSON lines, atomically.

    The file holds data only (JSON text), so a file planted in the cache folder
    can at worst be ignored, never run. It is written beside its final name and
    renamed into place, so a reader never sees half a file.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "profiles.jsonl.gz"
    >>> write_index(p, {("profile", "E1"): make_cached(b'{"a":1}', "application/json")}, {"X": "E1"},
    ...             complete=True)
    >>> bodies, alias, complete = read_index(p)
    >>> bodies[("profile", "E1")].body, alias, complete
    (b'{"a":1}', {'X': 'E1'}, True)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as fh:
            head = {"format": INDEX_FORMAT, "version": INDEX_VERSION, "complete": complete, "alias": alias}
            fh.write(json.dumps(head, ensure_ascii=False) + "\n")
            for key, c in bodies.items():
                if c.media_type != "application/json" or c.headers:
                    continue  # only plain JSON bodies are saved
                fh.write(json.dumps({"key": list(key), "body": c.body.decode("utf-8")}, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_index(path: Path) -> tuple[dict[tuple[str, str], Cached], dict[str, str], bool]:
    """Read a file written by :func:`write_index`: ``(bodies, alias, complete)``.

    Raises ``ValueError`` naming the file and line when it is not such a file.
    """
    bodies: dict[tuple[str, str], Cached] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        head = json.loads(fh.readline() or "null")
        if not isinstance(head, dict) or head.get("format") != INDEX_FORMAT or head.get("version") != INDEX_VERSION:
            raise ValueError(f"{path}: line 1 is not a {INDEX_FORMAT!r} header of version {INDEX_VERSION}")
        alias = {str(k): str(v) for k, v in dict(head.get("alias") or {}).items()}
        for n, line in enumerate(fh, start=2):
            rec = json.loads(line)
            key = rec.get("key") if isinstance(rec, dict) else None
            if not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key)
                    and isinstance(rec.get("body"), str)):
                raise ValueError(f"{path}: line {n} is not a {{'key': [kind, code], 'body': text}} record")
            bodies[(key[0], key[1])] = make_cached(rec["body"].encode("utf-8"), "application/json")
    return bodies, alias, bool(head.get("complete"))
