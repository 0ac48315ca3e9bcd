"""The one place resolver: what a user typed → one :class:`~creative_clusters.geography.place.Place`.

:class:`PlaceBook` holds the reference tables (``areas``, ``lad_hierarchy``,
``lad_ttwa_overlap``, ``code_changes`` and, for ITL3/NUTS2, the LAD → ITL3
lookup) and answers :meth:`PlaceBook.resolve`, :meth:`PlaceBook.search` and
:meth:`PlaceBook.group`. Workflows build it once per warehouse version
(:func:`creative_clusters.workflows.places.resolve_place` is the entry point);
this module reads nothing.

Accepted queries
----------------
- GSS / ITL / NUTS codes, any case (``"e06000023"``, ``"TLE32"``);
- official names, ignoring case, accents and punctuation (``"bristol,city of"``,
  ``"KINGSTON-UPON-HULL"``, ``"St. Helens"``, ``"&"`` = ``"and"``, ``"Ynys Mon"``);
- derived forms: ``"X, City of"`` → ``"X"``, ``"City of X"``, ``"X City"``;
  ``"X City"`` → ``"X"`` (Glasgow City → Glasgow);
- everyday names from ``place_names.yaml`` (Hull, Derry, Ynys Môn, Inverness …);
- a level first: ``"ttwa:Bristol"``, ``"cauth:West Midlands"``, ``"region:North East"``
  (:data:`LEVEL_WORDS`), or the ``level`` argument.

Tie rule (documented, tested)
-----------------------------
Among areas matching a name, pick in this order:

1. the level, by :data:`LEVEL_PRIORITY`: local authority first, then nation,
   region, combined authority, upper-tier authority, county, metropolitan
   county, ITL3, NUTS2, travel-to-work area, UK - so "Manchester" is the LAD,
   "Greater Manchester" the combined authority, "West Midlands" the region
   (``cauth:West Midlands`` for the CA), "Leeds" the LAD (``ttwa:Leeds`` for the
   TTWA) and a name only a TTWA has ("Newry and Banbridge") the TTWA;
2. the match: official name > derived or former name > everyday alias;
3. the code in force in the data's LAD vintage (2023), then the latest:
   "Sheffield" is E08000019, the code of the data; its 2025 code E08000039
   resolves to the same place.

Two different areas left after these rules raise :class:`PlaceNotFoundError`
("ambiguous"); an unknown name suggests the closest places, each once.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from creative_clusters._text import join_names, possessive
from creative_clusters._yaml import safe_load
from creative_clusters.errors import ParameterError, PlaceNotFoundError, SchemaError
from creative_clusters.geography import membership as mb
from creative_clusters.geography.place import (
    CUSTOM,
    LEVEL_NAMES,
    MEMBER_RULES,
    Place,
    group_code,
    nation_of,
)
from creative_clusters.kinds import LAD_VINTAGE

__all__ = [
    "CURRENT_LEVELS",
    "GROUP_EXPANDS",
    "LEVEL_PRIORITY",
    "LEVEL_WORDS",
    "Area",
    "PlaceBook",
    "find_area",
    "load_place_names",
    "normalise_name",
    "other_kinds",
    "parse_level",
]

#: Levels in tie-break order (earlier wins).
LEVEL_PRIORITY: tuple[str, ...] = (
    "lad", "ctry", "rgn", "cauth", "utla", "cty", "mcty", "itl3", "nuts2", "ttwa", "uk",
)

#: What a user may write before a colon (or pass as ``level``), normalised → level.
LEVEL_WORDS: dict[str, str] = {
    **{lv: lv for lv in LEVEL_PRIORITY},
    "la": "lad", "local authority": "lad", "district": "lad", "council": "lad",
    "ca": "cauth", "combined authority": "cauth",
    "region": "rgn", "nation": "ctry", "country": "ctry",
    "county": "cty", "metropolitan county": "mcty", "upper tier authority": "utla",
    "travel to work area": "ttwa", "itl": "itl3", "nuts": "nuts2",
}

#: Levels that describe the same place when they share a name (a unitary LAD, its
#: upper-tier authority and its ITL3 area; a CA and its metropolitan county).
_FAMILY: dict[str, str] = {
    "lad": "local", "utla": "local", "cty": "local", "itl3": "local",
    "cauth": "ca", "mcty": "ca", "rgn": "region", "ctry": "region", "uk": "region", "nuts2": "region",
    "ttwa": "ttwa",
}
_HIERARCHY_LEVELS = ("utla", "cty", "mcty", "cauth", "rgn", "ctry")

#: Levels an entry of a user's group may name, taken as its local authorities (each place is a union of
#: LADs in the LAD hierarchy): a bid's partnership "Kent, Medway" is common. A travel-to-work area (majority
#: rule over small areas), an ITL3 or NUTS2 area (representative points) is refused: its LADs approximate it.
GROUP_EXPANDS: tuple[str, ...] = _HIERARCHY_LEVELS

def _listing(names: Sequence[str], most: int = 12) -> str:
    """Names separated by commas, at most ``most`` of them, then how many more.

    >>> _listing(["A", "B"]), _listing(list("ABCD"), most=2)
    ('A, B', 'A, B and 2 more')
    """
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


#: One real code per level, for messages that ask for a code (a TTWA code is not a council code).
_EXAMPLE_CODES: dict[str, tuple[str, str]] = {
    "lad": ("E08000019", "Sheffield"), "utla": ("E10000014", "Hampshire"), "cty": ("E10000014", "Hampshire"),
    "mcty": ("E11000003", "South Yorkshire"), "cauth": ("E47000002", "South Yorkshire"),
    "rgn": ("E12000003", "Yorkshire and The Humber"), "ctry": ("E92000001", "England"),
    "uk": ("K02000001", "United Kingdom"), "ttwa": ("E30000261", "Sheffield"), "itl3": ("TLE32", "Sheffield"),
    "nuts2": ("UKE3", "South Yorkshire"),
}


def _code_hint(level: str | None) -> str:
    """How to give a code instead of a name, with a real code of the level asked for.

    Examples
    --------
    >>> _code_hint("ttwa")
    'give its code (travel-to-work area codes look like E30000261, Sheffield)'
    >>> _code_hint(None)
    'give its code (e.g. E08000019, Sheffield local authority)'
    """
    if level in _EXAMPLE_CODES:
        code, name = _EXAMPLE_CODES[level]
        return f"give its code ({LEVEL_NAMES[level]} codes look like {code}, {name})"
    return "give its code (e.g. E08000019, Sheffield local authority)"

_CODE = re.compile(
    r"^([EWSNK]\d{8}|TL[A-N][A-Z0-9]{0,3}|UK[A-N][A-Z0-9]{0,3}|\d{2}[A-Z]{2}\d{2}S\d)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Area:
    """One row of the ``areas`` table a query matched (no members yet).

    Attributes
    ----------
    code, name, level, vintage : str
    start, end : int or None
        Years the code was in force (None = open).
    """

    code: str
    name: str
    level: str
    vintage: str = ""
    start: int | None = None
    end: int | None = None


def normalise_name(text: str) -> str:
    """Lower-case, strip accents and punctuation, ``&`` → ``and``, ``saint`` → ``st``.

    Examples
    --------
    >>> normalise_name("Bristol, City of"), normalise_name("KINGSTON-UPON-HULL"), normalise_name("St. Helens")
    ('bristol city of', 'kingston upon hull', 'st helens')
    >>> normalise_name("Ynys Môn")
    'ynys mon'
    """
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    t = t.replace("&", " and ").replace("'", "").replace("\u2019", "")
    t = re.sub(r"[^a-z0-9]+", " ", t).strip()
    t = re.sub(r"\bsaint\b", "st", t)
    return re.sub(r"\s+", " ", t)


def parse_level(level: str) -> str:
    """A level code from a code or words (``"ttwa"``, ``"region"``, ``"combined authority"``).

    Raises
    ------
    ParameterError
        Naming the levels one can ask for.

    Examples
    --------
    >>> parse_level("Region"), parse_level("travel-to-work area"), parse_level("cauth")
    ('rgn', 'ttwa', 'cauth')
    """
    key = normalise_name(level)
    if key in LEVEL_WORDS:
        return LEVEL_WORDS[key]
    words = ", ".join(f"{lv} ({LEVEL_NAMES[lv]})" for lv in LEVEL_PRIORITY)
    raise ParameterError(f"{level!r} is not a kind of place; use one of: {words}.")


def _split_prefix(query: str) -> tuple[str | None, str]:
    m = re.match(r"^\s*([A-Za-z0-9 \-]+?)\s*:\s*(.*)$", query)
    if m and normalise_name(m.group(1)) in LEVEL_WORDS:
        return LEVEL_WORDS[normalise_name(m.group(1))], m.group(2).strip()
    return None, query.strip()


@lru_cache(maxsize=1)
def load_place_names() -> dict[str, str]:
    """The everyday names of ``place_names.yaml``: alias (as written) → target (``[level:]official name``).

    Examples
    --------
    >>> names = load_place_names()
    >>> names["Ynys Môn"], names["Derry"], len(names) >= 50
    ('Isle of Anglesey', 'Derry City and Strabane', True)
    """
    text = resources.files("creative_clusters.geography").joinpath("place_names.yaml").read_text("utf-8")
    raw = safe_load(text)
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise SchemaError("place_names.yaml must map each everyday name to an official name (text: text).")
    return dict(raw)


def _variants(name: str) -> set[str]:
    n = normalise_name(name)
    out = set()
    for suffix in (" city of", " county of"):
        if n.endswith(suffix):
            base = n[: -len(suffix)]
            kind = suffix.strip().split()[0]  # "city" / "county"
            out |= {base, f"{suffix.strip()} {base}", f"{base} {kind}"}
    if n.endswith(" city") and len(n) > 5:
        out.add(n[:-5])
    return out - {n}


def _inverted(name: str) -> set[str]:
    """The comma-inverted form of a "City of X" name, as lists such as Nomis's write it ("Edinburgh, City of"
    for "City of Edinburgh"); never the bare base, which may be another place ("London" beside "City of
    London"). Found when typed, never offered or matched as a prefix.

    >>> _inverted("City of Edinburgh"), _inverted("Leeds")
    ({'edinburgh city of'}, set())
    """
    n = normalise_name(name)
    return {f"{n[len(p):]} {p.strip()}" for p in ("city of ", "county of ") if n.startswith(p) and len(n) > len(p)}


#: Words people add to a name to say its kind ("West Midlands Combined Authority", "Leeds TTWA").
_LEVEL_SUFFIXES: dict[str, tuple[str, ...]] = {
    "cauth": ("combined authority", "mayoral combined authority", "combined county authority", "ca"),
    "rgn": ("region",),
    "ttwa": ("ttwa", "travel to work area"),
}


#: Match kind of a name with its kind's words added or removed (after official 0, derived 1, everyday 2).
_LEVEL_WORDED = 3


def _level_variants(name: str, level: str) -> set[str]:
    """``name`` with the words that say its kind added or removed (see :data:`_LEVEL_SUFFIXES`).

    Examples
    --------
    >>> sorted(_level_variants("West Midlands", "cauth"))[:2]
    ['west midlands ca', 'west midlands combined authority']
    >>> sorted(_level_variants("Greater Manchester Combined Authority", "cauth"))[0]
    'greater manchester'
    """
    n = normalise_name(name)
    out: set[str] = set()
    for suffix in _LEVEL_SUFFIXES.get(level, ()):
        if n.endswith(" " + suffix):
            n = n[: -len(suffix) - 1]
            break
    out.add(n)
    out |= {f"{n} {suffix}" for suffix in _LEVEL_SUFFIXES.get(level, ())}
    return out - {normalise_name(name)}


def _int(v: Any) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _area(r: dict[str, Any]) -> Area:
    return Area(str(r["geo_code"]), str(r["geo_name"]), str(r["geo_type"]), str(r.get("vintage") or ""),
                _int(r.get("start")), _int(r.get("end")))


@dataclass
class _Index:
    rows: list[tuple[str, int, Area]]
    aliases: dict[str, tuple[str, ...]]
    current: int


_CACHE: dict[int, tuple[weakref.ref, int, _Index]] = {}


def _index(areas: pd.DataFrame) -> _Index:
    """(normalised key, match kind 0/1/2/3, area) for every name form; cached per ``areas`` object."""
    hit = _CACHE.get(id(areas))
    if hit is not None and hit[1] == len(areas) and hit[0]() is areas:
        return hit[2]
    idx = _build_index(areas)
    with contextlib.suppress(TypeError):  # not weak-referenceable: skip caching
        _CACHE[id(areas)] = (weakref.ref(areas), len(areas), idx)
    if len(_CACHE) > 16:
        for key in [k for k, v in _CACHE.items() if v[0]() is None]:
            _CACHE.pop(key, None)
    return idx


def _close_ratio(a: str, b: str, cutoff: float) -> float | None:
    """``difflib.SequenceMatcher(None, a, b).ratio()`` when it is at least ``cutoff``, else None.

    The length bound and ``quick_ratio`` are upper bounds of the ratio, so most
    names are ruled out without the full match (the ratio itself is unchanged).

    Examples
    --------
    >>> _close_ratio("sheffeld", "sheffield", 0.75)
    0.9411764705882353
    >>> _close_ratio("york", "north yorkshire", 0.75) is None
    True
    """
    if 2 * min(len(a), len(b)) < cutoff * (len(a) + len(b)):
        return None
    sm = difflib.SequenceMatcher(None, a, b)
    if sm.quick_ratio() < cutoff:
        return None
    ratio = sm.ratio()
    return ratio if ratio >= cutoff else None


def _build_index(areas: pd.DataFrame) -> _Index:
    need = {"geo_code", "geo_name", "geo_type"}
    if not need <= set(areas.columns):
        raise SchemaError(f"the areas table needs columns {sorted(need)}; it has {list(areas.columns)}.")
    rows: list[tuple[str, int, Area]] = []
    by_name: dict[str, list[Area]] = {}
    for r in areas.to_dict("records"):
        a = _area(r)
        names = [a.name, *[x for x in str(r.get("other_names") or "").split(";") if x.strip()]]
        for i, nm in enumerate(names):
            key = normalise_name(nm)
            rows.append((key, 0 if i == 0 else 1, a))
            by_name.setdefault(key, []).append(a)
            rows.extend((v, 1, a) for v in _variants(nm))
            # "X Combined Authority": found when typed, never offered as a suggestion (kind 3)
            rows.extend((v, _LEVEL_WORDED, a) for v in _level_variants(nm, a.level) - _variants(nm))
            rows.extend((v, _LEVEL_WORDED, a) for v in _inverted(nm))
    aliases: dict[str, list[str]] = {}
    for alias, target in load_place_names().items():
        level, name = _split_prefix(target)
        for a in by_name.get(normalise_name(name), []):
            if level is None or a.level == level:
                rows.append((normalise_name(alias), 2, a))
                aliases.setdefault(a.code, []).append(alias)
    years = pd.concat([areas.get("start", pd.Series(dtype=float)), areas.get("end", pd.Series(dtype=float))])
    years = pd.to_numeric(years, errors="coerce").dropna()
    current = int(years.max()) if len(years) else 0
    return _Index(rows, {c: tuple(dict.fromkeys(v)) for c, v in aliases.items()}, current)


def _active(a: Area, year: int) -> bool:
    return bool(a.vintage) or ((a.start is None or a.start <= year) and (a.end is None or a.end >= year))


def _rank(a: Area, year: int, kind: int = 0) -> tuple[int, int, int, int]:
    tpos = LEVEL_PRIORITY.index(a.level) if a.level in LEVEL_PRIORITY else len(LEVEL_PRIORITY)
    return (tpos, kind, 0 if _active(a, year) else 1, -(a.start if a.start is not None else -1))


def _plural(level: str) -> str:
    """``"local authority"`` → ``"local authorities"``; ``"county"`` → ``"counties"``."""
    name = {"uk": "United Kingdom", CUSTOM: "groups of local authorities"}.get(level, LEVEL_NAMES.get(level, level))
    if level in ("uk", CUSTOM):
        return name
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


def _label(a: Area) -> str:
    return f"{a.name} ({LEVEL_NAMES.get(a.level, a.level)})"


def _best_per_place(hits: Iterable[tuple[Any, Area]]) -> list[Area]:
    """Areas in rank order, one per place (same family and same name = the same place)."""
    seen: set[tuple[str, str]] = set()
    out: list[Area] = []
    for _, a in sorted(hits, key=lambda h: h[0]):
        ident = (_FAMILY.get(a.level, a.level), normalise_name(a.name))
        if ident not in seen and a.code not in {o.code for o in out}:
            seen.add(ident)
            out.append(a)
    return out


def _prefix_matches(key: str, idx: _Index, level: str | None, year: int) -> list[Area]:
    """Areas in force whose official or derived name starts with the words ``key`` (tie-rule order).

    "Newcastle" starts "Newcastle upon Tyne" and "Newcastle-under-Lyme";
    "Kingston" starts "Kingston upon Thames" and "Kingston upon Hull, City of".
    The match is at a word boundary: "Richmond" does not start "Richmondshire".
    """
    if not key:
        return []
    start = key + " "
    hits = [(_rank(a, year, kind), a) for k, kind, a in idx.rows
            if kind < 2 and k.startswith(start) and _active(a, year) and (level is None or a.level == level)]
    return _best_per_place(hits)


def _suggest(key: str, idx: _Index, level: str | None, year: int, n: int = 5) -> list[str]:
    """Labels of the places a mistyped ``key`` may mean: word prefixes of names first, then close spellings."""
    rows = [(k, kind, a) for k, kind, a in idx.rows if (level is None or a.level == level) and kind != _LEVEL_WORDED]
    keys = sorted({k for k, _, _ in rows})
    close = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
    hits = []
    for pos, k in enumerate(close):
        best = min(((_rank(a, year, kind), a) for kk, kind, a in rows if kk == k), key=lambda h: h[0])
        hits.append(((pos, *best[0]), best[1]))
    prefixed = _prefix_matches(key, idx, level, year)[:_MAX_PREFIX_SUGGESTIONS]
    labels = list(dict.fromkeys(_label(a) for a in [*prefixed, *_best_per_place(hits)]))
    return labels[:max(n, len(prefixed))]


#: At most this many places whose names start with the words typed are suggested ("North" starts dozens).
_MAX_PREFIX_SUGGESTIONS = 8


#: Levels the place book resolves as they are now rather than in the data's LAD vintage: combined
#: authorities change more often than LADs (:func:`creative_clusters.geography.membership.current_cauth`).
CURRENT_LEVELS = ("cauth",)


def _rank_year(a: Area, year: int, current: int, levels: Iterable[str] = CURRENT_LEVELS) -> int:
    """The year ``a`` is ranked in: the latest year (``current``) for ``levels``, else ``year``."""
    return current if a.level in levels and current else year


def find_area(query: str, areas: pd.DataFrame, *, level: str | None = None,
              vintage: int | str | None = None, current_levels: Iterable[str] = ()) -> Area:
    """The one area a code, name or everyday name means (no members; see :class:`PlaceBook`).

    Parameters
    ----------
    query : str
        ``"Bristol"``, ``"E06000023"``, ``"greater manchester"``, ``"ttwa:Leeds"``.
    areas : DataFrame
        Ref table ``areas`` (``geo_code, geo_name, geo_type`` and optionally
        ``start, end, vintage, other_names``).
    level : str, optional
        Only this level (a code or words, :func:`parse_level`); a prefix in
        ``query`` does the same.
    vintage : int or str, optional
        Prefer codes in force in this year (default: the latest year in ``areas``).
    current_levels : iterable of str, optional
        Levels whose areas are preferred as they are now, whatever ``vintage``
        (the place book passes ``cauth``: "North East" is the authority created in
        2024, E47000014, not the 2018-2023 one, even on 2023 LAD data).

    Raises
    ------
    PlaceNotFoundError
        Unknown or ambiguous, in plain words; ``.suggestions`` lists the closest
        places, each once ("Sheffield (local authority)").

    Examples
    --------
    >>> areas = pd.DataFrame({"geo_code": ["E06000023"], "geo_name": ["Bristol, City of"],
    ...     "geo_type": ["lad"], "start": [None], "end": [None]})
    >>> find_area("bristol", areas).code
    'E06000023'
    """
    if not isinstance(query, str) or not query.strip():
        raise PlaceNotFoundError("type a place name or code, e.g. 'Sheffield' or 'E08000019'.")
    prefix, q = _split_prefix(query)
    lv = parse_level(level) if level else prefix
    idx = _index(areas)
    year = int(vintage) if vintage is not None else idx.current
    among = f" among {_plural(lv)}" if lv else ""
    if _CODE.match(q):
        hits = [a for _, kind, a in idx.rows if kind == 0 and a.code.upper() == q.upper()
                and (lv is None or a.level == lv)]
        if not hits:
            # codes of the level asked for, never the code typed (it is there, at another level)
            codes = sorted({a.code for _, _, a in idx.rows if (lv is None or a.level == lv)} - {q.upper()})
            close = difflib.get_close_matches(q.upper(), codes, n=5, cutoff=0.7)
            raise PlaceNotFoundError(
                f"no place has the code {q!r}{among}; "
                + (f"did you mean {', '.join(close)}?" if close else
                   "check the code, or import the geography datasets (`creative-clusters data import DIR`)."),
                suggestions=close)
        return min(hits, key=lambda a: _rank(a, _rank_year(a, year, idx.current, current_levels)))
    key = normalise_name(q)
    cands = [(kind, a) for k, kind, a in idx.rows if k == key and (lv is None or a.level == lv)]
    if not cands and key.startswith("the "):  # "the North East", as the packs write it
        key = key[4:]
        cands = [(kind, a) for k, kind, a in idx.rows if k == key and (lv is None or a.level == lv)]
    if not key or not cands:
        sugg = _suggest(key, idx, lv, year) if key else []
        hint = "" if lv else " To ask for one kind of place, put it first, e.g. 'ttwa:Leeds' or 'region:North East'."
        raise PlaceNotFoundError(
            f"no place called {query.strip()!r}{among}; "
            + (f"did you mean {', '.join(sugg)}?" if sugg else f"check the spelling or {_code_hint(lv)}.")
            + hint, suggestions=sugg)
    best: dict[tuple[str, str], tuple[tuple[int, int, int, int], Area]] = {}
    for kind, a in cands:
        rk = _rank(a, _rank_year(a, year, idx.current, current_levels), kind)
        if (a.code, a.level) not in best or rk < best[(a.code, a.level)][0]:
            best[(a.code, a.level)] = (rk, a)
    ranked = sorted(best.values(), key=lambda x: x[0])
    top_rank, top = ranked[0]
    ties = [a for rk, a in ranked[1:] if rk == top_rank and a.code != top.code]
    if ties:
        labels = [f"{a.name} ({a.code})" for a in [top, *ties]]
        raise PlaceNotFoundError(
            f"{query.strip()!r} is ambiguous: it names {len(labels)} {_plural(top.level)} "
            f"({', '.join(labels)}); type the code instead.", suggestions=labels)
    return top


def other_kinds(query: str, areas: pd.DataFrame, chosen: Area,
                keep: Callable[[Area], bool] | None = None) -> tuple[str, ...]:
    """Other kinds of place the name ``query`` also names, each as the query that asks for it.

    ``keep`` (optional) says which of those areas may be offered.

    The tie rule picks one area silently ("West Midlands" is the region); this
    says what else the name means, so a caller can tell the user
    ("cauth:West Midlands" for the combined authority). Nothing for a code or
    a query that already names its level.

    Examples
    --------
    >>> areas = pd.DataFrame({"geo_code": ["E12000005", "E47000007"], "geo_name": ["West Midlands"] * 2,
    ...                       "geo_type": ["rgn", "cauth"]})
    >>> other_kinds("West Midlands", areas, find_area("West Midlands", areas))
    ('cauth:West Midlands',)
    """
    prefix, q = _split_prefix(query)
    if prefix is not None or _CODE.match(q):
        return ()
    key = normalise_name(q)
    family = _FAMILY.get(chosen.level, chosen.level)
    hits = {(a.level, a.name) for k, kind, a in _index(areas).rows
            if k == key and kind < 2 and _FAMILY.get(a.level, a.level) != family and a.level != "uk"
            and (keep is None or keep(a))}
    order = {lv: i for i, lv in enumerate(LEVEL_PRIORITY)}
    return tuple(f"{lv}:{name}" for lv, name in sorted(hits, key=lambda h: (order.get(h[0], 99), h[1])))


def ttwa_unmeasurable(name: str, code: str, instead: str) -> str:
    """Why a Scottish or Northern Irish TTWA has no figures: what the bundle lacks, and what would supply it.

    England's and Wales's TTWAs take their local authorities by the majority rule over small areas (the ONS
    LSOA → TTWA lookup and the LSOA → LAD lookup). The bundle's TTWA lookup
    (``geography/ttwa/LSOA11_TTWA11_UK_LU.csv``) also places Scotland's data zones and Northern Ireland's super
    output areas, but no file says which council area or district each lies in; the TTWA polygons are
    generalised, and the bundle's README says they are not fit for area sums, so no overlap is computed.

    >>> m = ttwa_unmeasurable("Glasgow", "S22000065", "the local authority Glasgow City (S12000049)")
    >>> "data zone" in m and "council area" in m and "Glasgow City" in m
    True
    """
    if code.startswith("N"):
        small, parent, need = ("super output areas", "local government district",
                               "an SOA 2001 → local government district 2014 lookup (NISRA)")
    else:
        small, parent, need = ("2011 data zones", "council area",
                               "a Data Zone 2011 → council area lookup (Scottish Government / National Records of "
                               "Scotland, e.g. DataZone2011lookup.csv)")
    return (f"the {name} travel-to-work area ({code}) cannot be measured: the bundle's TTWA lookup "
            f"(geography/ttwa/LSOA11_TTWA11_UK_LU.csv) places {small} in travel-to-work areas, but no file in the "
            f"bundle says which {parent} each lies in, so the majority rule that makes England's and Wales's "
            "TTWAs from their local authorities (through the LSOA → LAD lookup) cannot be applied; the TTWA "
            "polygons are generalised and, as the bundle's README says, not fit for area overlaps. Adding "
            f"{need} to geography/ttwa/ would make it possible. Ask for {instead} instead.")


# ---------------------------------------------------------------- the place book
@dataclass
class PlaceBook:
    """The reference tables places are built from, and the one resolver over them.

    Parameters
    ----------
    areas : DataFrame
        Ref table ``areas``.
    hierarchy : DataFrame, optional
        Ref table ``lad_hierarchy`` (``lad_code, vintage, utla_code, cty_code,
        mcty_code, cauth_code, rgn_code, ctry_code`` …); without it every place
        is its own single member.
    ttwa_overlap : DataFrame, optional
        Ref table ``lad_ttwa_overlap`` (TTWA members by the majority rule).
    code_changes : DataFrame, optional
        Ref table ``code_changes`` (``oldcd, newcd, type``): maps a LAD's newer
        code back to the data's.
    lad_lookup : DataFrame or callable, optional
        LAD → ITL3/NUTS2 lookup (``lad_code, itl3_code, nuts2_code``) or a
        function building it on first need (ITL3 and NUTS2 members).
    data_vintage : str
        The LAD vintage of the data; members are LAD codes of this vintage.
    """

    areas: pd.DataFrame
    hierarchy: pd.DataFrame | None = None
    ttwa_overlap: pd.DataFrame | None = None
    code_changes: pd.DataFrame | None = None
    lad_lookup: pd.DataFrame | Callable[[], pd.DataFrame] | None = None
    data_vintage: str = LAD_VINTAGE
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    # ------------------------------------------------------------ resolve
    def resolve(self, query: str, level: str | None = None) -> Place:
        """The :class:`Place` ``query`` means, with its member LADs (see the module's tie rule).

        Raises
        ------
        PlaceNotFoundError
            Unknown, ambiguous, or a place with no LADs in the data.
        """
        area = find_area(query, self.areas, level=level, vintage=self.data_vintage, current_levels=CURRENT_LEVELS)
        also = other_kinds(query, self.areas, area, keep=self.can_measure) if level is None else ()
        return replace(self.measurable(self.place(area)), also=also)

    def can_measure(self, area: Area) -> bool:
        """Whether ``area`` has figures: :meth:`measurable` does not refuse it (a Scottish or Northern Irish
        travel-to-work area does). Suggestions of other places offer only these."""
        try:
            self.measurable(self.place(area))
        except PlaceNotFoundError:
            return False
        return True

    def measurable(self, place: Place) -> Place:
        """``place``, unless it is a travel-to-work area no local authority can be assigned to.

        Raises
        ------
        PlaceNotFoundError
            A travel-to-work area in Scotland or Northern Ireland (the LAD-to-TTWA
            assignment is built from England's and Wales's small areas), saying
            which local authority to ask for instead.
        """
        if place.level != "ttwa" or place.members:
            return place
        try:
            lad = find_area(place.name, self.areas, level="lad", vintage=self.data_vintage,
                            current_levels=CURRENT_LEVELS)
            instead = f"the local authority {lad.name} ({lad.code})"
        except PlaceNotFoundError:
            instead = "the local authorities it spans, by name or code"
        raise PlaceNotFoundError(ttwa_unmeasurable(place.name, place.code, instead))

    def place(self, area: Area) -> Place:
        """The place of one matched area: members on the data's LAD vintage and their rule."""
        aliases = _index(self.areas).aliases.get(area.code, ())
        vintage = area.vintage or self.data_vintage
        lv = area.level
        if lv == "lad":
            return self._lad(area, aliases)
        if lv == "uk":
            members = tuple(sorted(self._data_lads())) if self.hierarchy is not None else ()
        elif lv in _HIERARCHY_LEVELS and self.hierarchy is not None:
            members = mb.hierarchy_members(self.hierarchy, lv, area.code, vintage=self.data_vintage)
            if not members:  # a newer area: its own vintage's LADs, on the data's codes
                own = self._own_vintage(area)
                members = self._to_data(mb.hierarchy_members(self.hierarchy, lv, area.code, vintage=own))
                vintage = own
            else:
                vintage = self.data_vintage
        elif lv == "ttwa" and self.ttwa_overlap is not None:
            members = tuple(mb.ttwa_members(self.ttwa_overlap, area.code, assignment=self._ttwa_assignment(),
                                            code_changes=self.code_changes))
        elif lv in ("itl3", "nuts2") and self.lad_lookup is not None:
            members = mb.lookup_members(self._lookup(), lv, area.code,
                                        lad_codes=self._data_lads() if self.hierarchy is not None else None)
        else:
            members = ()
        nation = "" if lv == "uk" else nation_of(members or (area.code,))
        rule = MEMBER_RULES.get(lv, "")
        if lv == "ttwa" and members:
            rule = self._ttwa_fallback_rule(area, members) or rule
        return Place(area.code, area.name, lv, vintage, members, nation, rule, aliases)

    def _ttwa_fallback_rule(self, area: Area, members: Sequence[str]) -> str:
        """For a TTWA holding no LAD's majority: which LAD stands in for it and which TTWA that LAD belongs to
        (so the two show the same figures); ``""`` for a TTWA with majority members."""
        a = self._ttwa_assignment()
        mine = a[a["ttwa11_code"].astype(str) == area.code]
        if len(mine):
            return ""
        owner = a[a["lad_code"].astype(str).isin(members)]["ttwa11_code"].astype(str)
        other = ""
        if len(owner):
            hit = self.areas[self.areas["geo_code"].astype(str) == owner.iloc[0]]
            other = str(hit["geo_name"].iloc[0]) if len(hit) else owner.iloc[0]
        lad = self.areas[self.areas["geo_code"].astype(str) == members[0]]
        lad_name = str(lad["geo_name"].iloc[0]) if len(lad) else members[0]
        return (f"no local authority has most of its LSOAs in the {area.name} travel-to-work area, so it is "
                f"approximated by {lad_name}, the local authority with most LSOAs in it"
                + (f", which the majority rule counts in the {other} travel-to-work area: the two show the same "
                   "figures" if other and other != area.name else "") + "; figures are LAD-approximated")

    def group(self, name: str, codes: Sequence[str], *, option: str = "--places") -> Place:
        """A user's group of LADs (a bid's partnership area); code ``custom:<slug>``.

        Each entry is a local authority, or a county, upper-tier authority, metropolitan county, combined
        authority, region or nation taken as its local authorities (:data:`GROUP_EXPANDS`; the member rule
        says which entry was expanded into which). Raises as :meth:`group_members` does.

        A group that comes to one local authority ("Sheffield,E08000019"; "Derry,Strabane", one council) is
        that local authority, with a member rule saying so: a group of one would be benchmarked and
        ranked apart from the place it is. Likewise a group that is one county, combined authority, region
        or nation ("E10000016"; "Kent, Ashford") is that place.
        """
        entries = self._group_entries(codes, option)
        mem = tuple(sorted({m for _, ms in entries for m in ms}))
        label = name.strip() or self._entries_name(entries)
        expanded = [(pl, ms) for pl, ms in entries if pl.level != "lad"]
        if len(expanded) == 1 and set(mem) == set(expanded[0][1]):  # "Kent" (or "Kent, Ashford"): Kent itself
            return expanded[0][0]
        if len(mem) == 1:
            lad = self.resolve(mem[0], level="lad")
            given = ", ".join(c.strip() for c in codes if c and c.strip())
            return replace(lad, member_rule=(f"the group asked for ({given}) is one local authority, {lad.name}: "
                                             f"its figures are {possessive(lad.name)} own"))
        rule = MEMBER_RULES[CUSTOM]
        if expanded:
            names = self._lad_names()
            parts = []
            for pl, ms in entries:
                if pl.level == "lad":
                    parts.append(names.get(pl.code, pl.name))
                    continue
                shown = [names.get(m, m) for m in sorted(ms, key=lambda m: names.get(m, m))]
                parts.append(f"{pl.name} ({pl.level_name}, {pl.code}), taken as its {len(ms)} local "
                             f"{'authority' if len(ms) == 1 else 'authorities'} ({_listing(shown)})")
            # reads on its own ("Members: …") and after "<group> is made of" in the pack
            parts = list(dict.fromkeys(parts))  # (a part holds commas: the parts are joined by semicolons)
            rule = (f"{len(mem)} local authorities from the user's list: "
                    + ("; ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]))
        return Place(group_code(label), label, CUSTOM, self.data_vintage, mem, nation_of(mem), rule)

    def group_name(self, codes: Sequence[str], *, option: str = "--places") -> str:
        """A group's name from its entries' names, in the order given: "Sheffield and Rotherham", "Kent and
        Medway" (an expanded county by its own name), "Leeds, Bradford and 3 more"."""
        return self._entries_name(self._group_entries(codes, option))

    def _entries_name(self, entries: Sequence[tuple[Place, tuple[str, ...]]]) -> str:
        from creative_clusters.geography.place import sentence_name

        return join_names(list(dict.fromkeys(sentence_name(pl.name, pl.level) for pl, _ in entries)))

    def group_members(self, codes: Sequence[str], *, option: str = "--places") -> list[str]:
        """The LAD codes of a user's list of codes or names, in the order given, each once.

        ``option`` is how the caller's user gave the list, for messages (the web: "the places parameter").

        An entry that is no local authority but makes one with the entry before it (a comma-separated list
        splits "Bristol, City of" in two) is taken with it. An entry naming a county, upper-tier authority,
        metropolitan county, combined authority, region or nation ("Kent", "E12000001", "cauth:West
        Midlands") stands for its local authorities (:data:`GROUP_EXPANDS`).

        Raises
        ------
        ParameterError
            No codes given.
        PlaceNotFoundError
            An entry that is no place, or a place that is not a union of local authorities (a travel-to-work
            area, a NUTS2 or ITL3 area, whose members are approximations) or is the whole UK.
        """
        return list(dict.fromkeys(m for _, ms in self._group_entries(codes, option) for m in ms))

    def _group_entries(self, codes: Sequence[str], option: str) -> list[tuple[Place, tuple[str, ...]]]:
        """Each entry of a group's list as the place it names and its member LADs, in the order given."""
        given = [c.strip() for c in codes if c and c.strip()]
        if not given:
            raise ParameterError(f"a group needs at least one local authority: give {option} CODE,CODE,...")
        found = [self._lad_or_none(c) for c in given]
        out: list[tuple[Place, tuple[str, ...]]] = []
        i = 0
        while i < len(given):
            if i + 1 < len(given) and found[i + 1] is None:
                joined = self._lad_or_none(f"{given[i]}, {given[i + 1]}")
                if joined is not None:
                    out.append((joined, joined.members))
                    i += 2
                    continue
            hit = found[i]
            if hit is None:
                hit = self._group_entry(given[i], option)
            out.append((hit, hit.members))
            i += 1
        return out

    def _group_entry(self, text: str, option: str) -> Place:
        """The place an entry that is no local authority names, when a group may take its local authorities."""
        prefix, q = _split_prefix(text)
        lad_error: PlaceNotFoundError | None = None
        if prefix in (None, "lad"):
            try:  # for the resolver's own message and suggestions
                return self.resolve(q, level="lad")
            except PlaceNotFoundError as exc:
                lad_error = exc
        err: PlaceNotFoundError | None = lad_error
        try:
            place = self.resolve(text) if prefix != "lad" else None
        except PlaceNotFoundError as exc:
            place, err = None, (exc if lad_error is None else lad_error)
        if place is None:
            assert err is not None
            raise PlaceNotFoundError(f"{option} takes local authorities, or counties, combined authorities, "
                                     f"regions and nations as their local authorities (codes or names); {err}",
                                     suggestions=err.suggestions) from None
        if place.level == "lad" or (place.level in GROUP_EXPANDS and place.members):
            return place
        if place.level == "uk":
            raise PlaceNotFoundError(f"{text!r} is the United Kingdom, every local authority: a group of part of "
                                     "it lists its local authorities; for the whole UK ask for 'UK' itself.")
        names = self._lad_names()
        shown = sorted(names.get(m, m) for m in place.members)
        listing = _listing(shown)
        why = {"ttwa": "its boundary follows small areas, not local authorities (each local authority is given "
                       "wholly to the travel-to-work area holding most of its small areas)",
               "nuts2": "its boundary is not made of today's local authorities (each is placed by its "
                        "representative point)",
               "itl3": "its boundary is not made of today's local authorities (each is placed by its "
                       "representative point)"}.get(place.level, "it is not made of local authorities")
        raise PlaceNotFoundError(
            f"{place.name} ({place.level_name}, {place.code}) cannot be part of a group: {why}, so its local "
            f"authorities are an approximation of it. List the local authorities you mean"
            + (f" (the approximation takes {listing})" if listing else "")
            + f", or ask for {place.level}:{place.name} itself.", suggestions=shown[:12])

    def lad_names(self) -> dict[str, str]:
        """Each local authority's official name by code (a group's and an area's members by name)."""
        return dict(self._lad_names())

    def _lad_names(self) -> dict[str, str]:
        """Each LAD's name by code (official names)."""
        if "lad_names" not in self._cache:
            a = self.areas[self.areas["geo_type"].astype(str) == "lad"]
            names = {str(c): str(n) for c, n in zip(a["geo_code"], a["geo_name"], strict=True)}
            self._cache["lad_names"] = names
        out: dict[str, str] = self._cache["lad_names"]
        return out

    def _lad_or_none(self, text: str) -> Place | None:
        if _split_prefix(text)[0] not in (None, "lad"):  # "ttwa:Leeds" is not the local authority Leeds
            return None
        try:
            return self.resolve(text, level="lad")
        except PlaceNotFoundError:
            return None

    # ------------------------------------------------------------ search
    def search(self, query: str, *, level: str | None = None, limit: int = 10) -> list[dict[str, str]]:
        """Places whose name or code matches ``query`` best, each place once, for a search box.

        Ranking: exact name or code, then names starting with the query, then
        names containing it as a word, then close spellings; within each, the
        tie rule. Returns ``{"code", "name", "geo_type", "level_name", "vintage"}``.
        """
        if not isinstance(query, str) or not query.strip() or limit < 1:
            return []
        prefix, q = _split_prefix(query)
        lv = parse_level(level) if level else prefix
        key, code_q = normalise_name(q), q.upper()
        if not key:
            return []
        idx = _index(self.areas)
        year = int(self.data_vintage)
        renamed = self._renamed()
        scored: dict[str, tuple[tuple[Any, ...], Area]] = {}
        for k, kind, found in idx.rows:
            if lv is not None and found.level != lv:
                continue
            a = found
            if found.level == "lad" and found.code in renamed:  # a later code of a LAD: the data's code
                a = replace(found, code=renamed[found.code], start=None, end=None)
            if k == key or found.code.upper() == code_q or a.code.upper() == code_q:
                score = 0.0
            elif found.code.upper().startswith(code_q) and len(code_q) >= 3:
                score = 0.5
            elif k.startswith(key):
                score = 1.0
            elif f" {key}" in f" {k}":
                score = 2.0
            else:
                ratio = _close_ratio(key, k, 0.75)
                if ratio is None:
                    continue
                score = 3.0 + (1 - ratio)
            rk = (score, *_rank(a, _rank_year(a, year, idx.current), kind), a.name)
            if a.code not in scored or rk < scored[a.code][0]:
                scored[a.code] = (rk, a)
        out = []
        for a in _best_per_place(scored.values())[:limit]:
            out.append({"code": a.code, "name": a.name, "geo_type": a.level,
                        "level_name": LEVEL_NAMES.get(a.level, a.level),
                        "vintage": a.vintage or (self.data_vintage if _active(a, year) else str(a.end or ""))})
        return out

    def other_meanings(self, query: str, place: Place) -> list[str]:
        """Other places the name typed may mean, and how to ask for them.

        Other kinds of place with exactly that name (``"West Midlands (combined
        authority, E47000007): type cauth:West Midlands"``), then local
        authorities whose official name starts with its words ("Newcastle" →
        ``"Newcastle-under-Lyme (local authority, E07000195): type
        Newcastle-under-Lyme"``). A place :meth:`measurable` refuses (a Scottish
        or Northern Irish travel-to-work area) is not offered.
        """
        prefix, q = _split_prefix(query)
        if prefix is not None or _CODE.match(q):
            return []
        key = normalise_name(q)
        year = int(self.data_vintage)
        own = _FAMILY.get(place.level, place.level)
        idx = _index(self.areas)
        hits = [(_rank(a, _rank_year(a, year, idx.current), kind), a) for k, kind, a in idx.rows
                if k == key and kind < 2 and _FAMILY.get(a.level, a.level) != own and a.level != "nuts2"]
        notes, seen = [], set()
        for a in _best_per_place(hits):
            fam = _FAMILY.get(a.level, a.level)
            if fam in seen or not self.can_measure(a):  # never suggest a place that cannot be measured
                continue
            seen.add(fam)
            notes.append(f"{a.name} ({LEVEL_NAMES.get(a.level, a.level)}, {a.code}): type {a.level}:{a.name}")
        chosen = {place.code, *(place.members if place.level == "lad" else ())}
        for a in _prefix_matches(key, idx, "lad", year):  # "Newcastle" also starts Newcastle-under-Lyme
            if a.code not in chosen and normalise_name(a.name) != normalise_name(place.name):
                notes.append(f"{a.name} ({LEVEL_NAMES['lad']}, {a.code}): type {a.name}")
        return notes

    # ------------------------------------------------------------ members
    def _data_lads(self) -> set[str]:
        if "data_lads" not in self._cache:
            if self.hierarchy is None:
                lads = self.areas.loc[self.areas["geo_type"] == "lad", "geo_code"].astype(str)
            else:
                h = self.hierarchy
                lads = h.loc[h["vintage"].astype(str) == self.data_vintage, "lad_code"].astype(str)
            self._cache["data_lads"] = set(lads)
        out: set[str] = self._cache["data_lads"]
        return out

    def _renamed(self) -> dict[str, str]:
        """A LAD's later code → its code in the data's vintage (same LAD, new code)."""
        if "renamed" in self._cache:
            return dict(self._cache["renamed"])
        data = self._data_lads()
        out: dict[str, str] = {}
        if self.code_changes is not None and {"oldcd", "newcd"} <= set(self.code_changes.columns):
            cc = self.code_changes
            same = cc[cc["type"].astype(str) == "new_code"] if "type" in cc.columns else cc.iloc[0:0]
            out.update({str(n): str(o) for o, n in zip(same["oldcd"], same["newcd"], strict=True) if str(o) in data})
        if self.hierarchy is not None:
            h = self.hierarchy
            cur = h[h["vintage"].astype(str) == self.data_vintage]
            by_name: dict[str, list[str]] = {}
            for c, n in zip(cur["lad_code"].astype(str), cur["lad_name"].astype(str), strict=True):
                by_name.setdefault(normalise_name(n), []).append(c)
            other = h[~h["lad_code"].astype(str).isin(data)].drop_duplicates("lad_code")
            for c, n in zip(other["lad_code"].astype(str), other["lad_name"].astype(str), strict=True):
                same_name = by_name.get(normalise_name(n), [])
                if len(same_name) == 1 and c not in out:
                    out[c] = same_name[0]
        self._cache["renamed"] = out
        return dict(out)

    def _to_data(self, codes: Iterable[str]) -> tuple[str, ...]:
        ren = self._renamed()
        return tuple(sorted({ren.get(c, c) for c in codes}))

    def _own_vintage(self, area: Area) -> str:
        vints = sorted(self.hierarchy["vintage"].astype(str).unique()) if self.hierarchy is not None else []
        if area.start is not None and str(area.start) in vints and int(area.start) > int(self.data_vintage):
            return str(area.start)
        if area.end is not None and str(area.end) in vints:
            return str(area.end)
        return vints[-1] if vints else self.data_vintage

    def _lad(self, area: Area, aliases: tuple[str, ...]) -> Place:
        data = self._data_lads()
        rule = MEMBER_RULES["lad"]
        if area.code in data or self.hierarchy is None:
            return Place(area.code, area.name, "lad", self.data_vintage, (area.code,),
                         nation_of([area.code]), rule, aliases)
        same = self._renamed().get(area.code)
        if same is not None:  # e.g. Sheffield's 2025 code: the same LAD as the data's E08000019
            idx = _index(self.areas)
            name = next((a.name for _, kind, a in idx.rows if kind == 0 and a.code == same), area.name)
            more = idx.aliases.get(same, ())
            return Place(same, name, "lad", self.data_vintage, (same,), nation_of([same]), rule,
                         tuple(dict.fromkeys((*more, *aliases))))
        members = self._predecessors(area.code)
        if not members:
            self._check_not_merged(area)
            members = (area.code,)
        return Place(area.code, area.name, "lad", area.vintage or self._own_vintage(area), members,
                     nation_of(members), rule, aliases)

    def _check_not_merged(self, area: Area) -> None:
        """Raise when ``area`` is a LAD merged into one of the data's LADs (Bournemouth, 2019): the data
        hold no figures under its old code, and its successor is a different, larger place."""
        if self.code_changes is None:
            return
        cc = self.code_changes
        later = cc[(cc["oldcd"].astype(str) == area.code) & cc["newcd"].astype(str).isin(self._data_lads())]
        if later.empty:
            return
        r = later.iloc[0]
        when = f" in {r['start']}" if "start" in later.columns and str(r["start"]) not in ("", "nan") else ""
        raise PlaceNotFoundError(
            f"{area.name} ({area.code}) was merged into {r['newnm']} ({r['newcd']}){when}, and the data are on "
            f"{self.data_vintage} boundaries, so they hold no figures for {area.name} alone: ask for "
            f"{r['newnm']!r} (the whole new authority) instead.", suggestions=[str(r["newnm"])])

    def _predecessors(self, code: str) -> tuple[str, ...]:
        """The data-vintage LADs a newer LAD (e.g. a merger after the data's vintage) replaced."""
        if self.code_changes is None:
            return ()
        data, cc = self._data_lads(), self.code_changes
        found: set[str] = set()
        frontier = {code}
        for _ in range(5):
            prev = set(cc.loc[cc["newcd"].astype(str).isin(frontier), "oldcd"].astype(str))
            found |= prev & data
            frontier = prev - data
            if not frontier:
                break
        return tuple(sorted(found))

    def _ttwa_assignment(self) -> pd.DataFrame:
        if "ttwa" not in self._cache:
            assert self.ttwa_overlap is not None
            # TTWAs are built from LSOAs of England and Wales: LADs outside the overlap table belong to none.
            known = set(self.ttwa_overlap["lad24_code"].astype(str))
            if self.code_changes is not None:
                cc = self.code_changes
                known |= {str(o) for o, n in zip(cc["oldcd"], cc["newcd"], strict=True) if str(n) in known}
            lads = sorted(self._data_lads() & known) if self.hierarchy is not None else None
            self._cache["ttwa"] = mb.lad_ttwa_assignment(self.ttwa_overlap, code_changes=self.code_changes,
                                                         lad_codes=lads)
        out: pd.DataFrame = self._cache["ttwa"]
        return out

    def _lookup(self) -> pd.DataFrame:
        if "lookup" not in self._cache:
            lk = self.lad_lookup
            self._cache["lookup"] = lk() if callable(lk) else lk
        out: pd.DataFrame = self._cache["lookup"]
        return out
