"""A cache of dataclasses of tables on disk, as data only (Parquet + JSON), never as code.

Used for the evidence packs' national tables: reading and detecting them
costs seconds, and each ``evidence`` command is a new process. The cache
holds DataFrames and Series as Parquet, GeoDataFrames as GeoParquet and
plain values (str, numbers, lists, dicts, sets) as JSON, in one folder per
key, written to a temporary folder and renamed into place (atomic). Loading
reads data; nothing is unpickled or executed, so a file planted in the
folder can at worst give wrong tables, which the key (warehouse content
fingerprint + package version + arguments) makes as unlikely as a stale
cache. A field of another type is simply not cached (recomputed).

Examples
--------
>>> import tempfile
>>> from dataclasses import dataclass, field
>>> @dataclass
... class T:
...     a: pd.DataFrame | None = None
...     names: dict = field(default_factory=dict)
>>> d = tempfile.mkdtemp()
>>> save(Path(d), "k1", T(pd.DataFrame({"x": [1, 2]}), {"E1": "Here"}))
True
>>> got = load(Path(d), "k1", T)
>>> got.a["x"].tolist(), got.names
([1, 2], {'E1': 'Here'})
>>> load(Path(d), "missing", T) is None
True

Containers holding tables are kept too, their tables as Parquet beside the JSON:

>>> @dataclass
... class U:
...     by_kind: dict = field(default_factory=dict)
>>> save(Path(d), "k2", U({"imd": ("imd_2025", "2025", pd.DataFrame({"r": [3]}))}))
True
>>> kind_id, vintage, rows = load(Path(d), "k2", U).by_kind["imd"]
>>> kind_id, vintage, rows["r"].tolist()
('imd_2025', '2025', [3])
"""

from __future__ import annotations

import json
import os
import shutil
import types
import uuid
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import pandas as pd

__all__ = ["load", "save"]

T = TypeVar("T")

_PLAIN = (str, int, float, bool, type(None))


def _plain(v: Any) -> bool:
    if isinstance(v, _PLAIN):
        return True
    if isinstance(v, list | tuple | frozenset | set):
        return all(_plain(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _plain(x) for k, x in v.items())
    return False


def save(root: Path, key: str, obj: Any, *, skip: tuple[str, ...] = ()) -> bool:
    """Write ``obj``'s fields under ``root/key`` atomically; returns False when it could not."""
    final = root / key
    if final.exists():
        return True
    tmp = root / f".{key}.{uuid.uuid4().hex}.tmp"
    try:
        tmp.mkdir(parents=True)
        manifest: dict[str, Any] = {}
        for f in fields(obj):
            if f.name in skip:
                continue
            v = getattr(obj, f.name)
            if v is None:
                manifest[f.name] = {"type": "none"}
            elif hasattr(v, "geometry") and hasattr(v, "to_parquet") and hasattr(v, "crs"):
                v.to_parquet(tmp / f"{f.name}.parquet")
                manifest[f.name] = {"type": "geo"}
            elif isinstance(v, pd.DataFrame):
                v.to_parquet(tmp / f"{f.name}.parquet")
                manifest[f.name] = {"type": "frame"}
            elif isinstance(v, pd.Series):
                v.rename("value").to_frame().to_parquet(tmp / f"{f.name}.parquet")
                manifest[f.name] = {"type": "series", "name": v.name if isinstance(v.name, str) else None}
            elif _plain(v):
                kind = "frozenset" if isinstance(v, frozenset) else "set" if isinstance(v, set) else "json"
                manifest[f.name] = {"type": kind, "value": sorted(v) if kind != "json" else v}
            elif is_dataclass(v) and not isinstance(v, type):
                if _dataclass_of(get_type_hints(type(obj)).get(f.name)) is None:  # load could not rebuild it
                    raise TypeError(f"field {f.name!r} holds a dataclass but its type hint does not name one")
                if not save(tmp, f.name, v):
                    raise TypeError(f"field {f.name!r} could not be cached")
                manifest[f.name] = {"type": "dataclass"}
            elif isinstance(v, dict | list | tuple):  # containers of frames, e.g. kind -> (id, vintage, rows)
                manifest[f.name] = {"type": "tree", "value": _encode(v, tmp, f.name)}
            else:  # a field the cache cannot hold as data: no cache at all (never a silently missing field)
                raise TypeError(f"field {f.name!r} of type {type(v).__name__} cannot be cached as data")
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        os.replace(tmp, final)
        return True
    except (OSError, ValueError, TypeError, ImportError):  # pyarrow cannot store a column: no cache
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def load(root: Path, key: str, cls: type[T], **given: Any) -> T | None:
    """Rebuild a ``cls`` from ``root/key`` (fields not cached come from ``given`` or defaults)."""
    folder = root / key
    man = folder / "manifest.json"
    if not man.exists():
        return None
    try:
        manifest = json.loads(man.read_text())
        hints = get_type_hints(cls)
        values: dict[str, Any] = dict(given)
        for name, meta in manifest.items():
            t = meta["type"]
            if t == "none":
                values[name] = None
            elif t == "geo":
                import geopandas as gpd

                values[name] = gpd.read_parquet(folder / f"{name}.parquet")
            elif t == "frame":
                values[name] = pd.read_parquet(folder / f"{name}.parquet")
            elif t == "series":
                values[name] = pd.read_parquet(folder / f"{name}.parquet")["value"].rename(meta.get("name"))
            elif t == "frozenset":
                values[name] = frozenset(meta["value"])
            elif t == "set":
                values[name] = set(meta["value"])
            elif t == "tree":
                values[name] = _coerce(_decode(meta["value"], folder), hints.get(name))
            elif t == "dataclass":
                sub = _dataclass_of(hints.get(name))
                if sub is None:
                    return None
                got = load(folder, name, sub)
                if got is None:
                    return None
                values[name] = got
            else:
                values[name] = _coerce(meta["value"], hints.get(name))
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in values.items() if k in known})
    except (OSError, ValueError, KeyError, TypeError, NameError):  # unreadable or another layout: recompute
        return None


def _encode(v: Any, folder: Path, stem: str) -> Any:
    """``v`` as JSON, its DataFrames written beside it as Parquet (``{"$frame": file}``)."""
    if isinstance(v, pd.DataFrame):
        name = f"{stem}.parquet"
        v.to_parquet(folder / name)
        return {"$frame": name}
    if isinstance(v, dict):
        if not all(isinstance(k, str) and not k.startswith("$") for k in v):
            raise TypeError("only dicts with text keys can be cached as data")
        return {k: _encode(x, folder, f"{stem}.{i}") for i, (k, x) in enumerate(v.items())}
    if isinstance(v, list | tuple):
        items = [_encode(x, folder, f"{stem}.{i}") for i, x in enumerate(v)]
        return {"$tuple": items} if isinstance(v, tuple) else items
    if isinstance(v, _PLAIN):
        return v
    if is_dataclass(v) and not isinstance(v, type):  # e.g. a tuple of catalogue entries
        return {"$dataclass": {f.name: _encode(getattr(v, f.name), folder, f"{stem}.{f.name}") for f in fields(v)}}
    raise TypeError(f"a {type(v).__name__} cannot be cached as data")


def _decode(v: Any, folder: Path) -> Any:
    """The inverse of :func:`_encode`."""
    if isinstance(v, dict):
        if "$frame" in v:
            return pd.read_parquet(folder / Path(v["$frame"]).name)
        if "$tuple" in v:
            return tuple(_decode(x, folder) for x in v["$tuple"])
        return {k: _decode(x, folder) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode(x, folder) for x in v]
    return v


def _coerce(v: Any, hint: Any) -> Any:
    """``v`` (decoded JSON) in the shape its field's type hint names.

    JSON has no tuples and no dataclasses: a list under a ``tuple[...]`` hint
    becomes a tuple, a ``{"$dataclass": ...}`` under a dataclass hint that
    dataclass (its fields coerced the same way). Anything else is returned as is.

    Examples
    --------
    >>> _coerce(["a", "b"], tuple[str, ...])
    ('a', 'b')
    >>> _coerce(None, tuple[str, ...] | None) is None
    True
    """
    if v is None or hint is None:
        return v
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        return _coerce(v, options[0]) if len(options) == 1 else v
    if isinstance(v, dict) and "$dataclass" in v:
        cls = _dataclass_of(hint)
        if cls is None:
            raise TypeError(f"a cached dataclass sits under the type hint {hint!r}, which names none")
        hints = get_type_hints(cls)
        return cls(**{k: _coerce(x, hints.get(k)) for k, x in v["$dataclass"].items()})
    if origin is tuple and isinstance(v, list | tuple):
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(x, args[0]) for x in v)
        return tuple(_coerce(x, a) for x, a in zip(v, args, strict=False)) if args else tuple(v)
    return v


def _dataclass_of(hint: Any) -> type | None:
    """The dataclass in a field's type hint (``X`` or ``X | None``)."""
    for t in (hint, *get_args(hint)):
        if isinstance(t, type) and is_dataclass(t):
            return t
    return None


def prune(root: Path, keep: str) -> None:
    """Remove every cached key under ``root`` but ``keep``."""
    if not root.is_dir():
        return
    for p in root.iterdir():
        if p.name != keep and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
