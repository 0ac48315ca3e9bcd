"""Resolve a place the way people write it to one GSS area.

``resolve_place("Bristol", areas)`` → ``Place(code="E06000023", name="Bristol, City of", ...)``.

Accepted queries
----------------
- GSS / ITL / NUTS codes, any case (``"e06000023"``, ``"TLD33"``);
- official names, case- and punctuation-insensitive (``"bristol,city of"``,
  ``"KINGSTON-UPON-HULL"``, ``"St. Helens"``, ``"&"`` = ``"and"``, accents ignored);
- derived forms: ``"X, City of"`` / ``"X, County of"`` → ``"X"`` and
  ``"City of X"``; ``"X City"`` → ``"X"`` (Glasgow City);
- everyday names from a short hand list (:data:`EVERYDAY_NAMES`: Hull,
  Brighton, Newcastle, Stoke, BCP, Edinburgh …);
- a type prefix ``"ttwa:Bristol"``, ``"cauth:West Midlands"``, ``"lad:…"``.

Tie rule (documented, tested)
-----------------------------
Among areas matching a name, pick in this order:

1. the geography type, by :data:`TYPE_PRIORITY`: ``lad`` first, then
   ``ctry``, ``rgn``, ``cauth``, ``utla``, ``cty``, ``mcty``, ``itl3``,
   ``nuts2``, ``ttwa``, ``uk`` — so "Manchester" is the LAD E08000003,
   "Greater Manchester" the combined authority E47000001 (not the metropolitan
   county), "North East" and "West Midlands" the **regions** (ask for
   ``cauth:`` to get the CAs), "Wales" the country, "Durham" the LAD County
   Durham (not the ITL3 area "Durham");
2. the match kind: exact official name > derived form or former name >
   everyday alias;
3. areas in force in ``vintage`` (default: current, i.e. no ``end``), then
   the latest ``start``: "Sheffield" is E08000039 (2025) by default and
   E08000019 with ``vintage=2023``.

TTWAs (and LSOA/MSOA) are searched only when asked for with ``types`` or a
``ttwa:`` prefix, since most TTWAs share a name with a LAD. Two different
areas left after these rules raise :class:`PlaceNotFoundError` as ambiguous.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import unicodedata
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from creative_clusters.errors import ParameterError, PlaceNotFoundError

__all__ = [
    "EVERYDAY_NAMES",
    "TYPE_PRIORITY",
    "Place",
    "load_areas",
    "members_of",
    "normalise_name",
    "resolve_place",
    "search_places",
]

#: Geography types in tie-break order (earlier wins).
TYPE_PRIORITY: tuple[str, ...] = (
    "lad",
    "ctry",
    "rgn",
    "cauth",
    "utla",
    "cty",
    "mcty",
    "itl3",
    "nuts2",
    "ttwa",
    "uk",
    "lsoa",
    "msoa",
)
_DEFAULT_EXCLUDED = {"ttwa", "lsoa", "msoa"}

#: Everyday names (normalised) → official name (normalised) they stand for.
EVERYDAY_NAMES: dict[str, str] = {
    "hull": "kingston upon hull city of",
    "brighton": "brighton and hove",
    "hove": "brighton and hove",
    "newcastle": "newcastle upon tyne",
    "stoke": "stoke on trent",
    "bcp": "bournemouth christchurch and poole",
    "bournemouth": "bournemouth christchurch and poole",
    "poole": "bournemouth christchurch and poole",
    "durham": "county durham",
    "edinburgh": "city of edinburgh",
    "southend": "southend on sea",
    "derry": "derry city and strabane",
    "londonderry": "derry city and strabane",
    "greater london": "london",
    "uk": "united kingdom",
    "yorkshire": "yorkshire and the humber",
    "anglesey": "isle of anglesey",
    "western isles": "na h eileanan siar",
    "windsor": "windsor and maidenhead",
    "telford": "telford and wrekin",
}

_CODE = re.compile(
    r"^([EWSNK]\d{8}|TL[A-N][A-Z0-9]{0,3}|UK[A-N][A-Z0-9]{0,3}|\d{2}[A-Z]{2}\d{2}S\d)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    code, name, geo_type : str
        GSS code, official name and geography type (``lad``, ``cauth`` …).
    vintage : str
        The boundary year the code is valid for (the requested vintage, the
        last year of an ended area, the latest year for a current one, or the
        fixed vintage of TTWA 2011 / ITL3 2021 / NUTS2 2013).
    members : tuple of str
        LAD codes making up the place when a hierarchy was given (a LAD's own
        code for a LAD); empty otherwise.
    """

    code: str
    name: str
    geo_type: str
    vintage: str
    members: tuple[str, ...] = ()


def normalise_name(text: str) -> str:
    """Lower-case, strip accents and punctuation, ``&`` → ``and``, ``saint`` → ``st``.

    Examples
    --------
    >>> normalise_name("Bristol, City of"), normalise_name("KINGSTON-UPON-HULL"), normalise_name("St. Helens")
    ('bristol city of', 'kingston upon hull', 'st helens')
    """
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    t = t.replace("&", " and ").replace("'", "").replace("\u2019", "")
    t = re.sub(r"[^a-z0-9]+", " ", t).strip()
    t = re.sub(r"\bsaint\b", "st", t)
    return re.sub(r"\s+", " ", t)


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


def _current_year(areas: pd.DataFrame) -> int:
    years = pd.concat([areas["start"], areas["end"]]).dropna()
    return int(years.max()) if len(years) else 0


_CACHE: dict[int, tuple[weakref.ref, int, list[tuple[str, int, dict[str, Any]]]]] = {}


def _index(areas: pd.DataFrame) -> list[tuple[str, int, dict[str, Any]]]:
    """(normalised key, match kind 0/1/2, area record) for every name form.

    Cached per ``areas`` object (by identity and length), so repeated calls
    with the same table are cheap; a new or changed-length table is re-indexed.
    """
    hit = _CACHE.get(id(areas))
    if hit is not None and hit[1] == len(areas) and hit[0]() is areas:
        return hit[2]
    rows = _build_index(areas)
    with contextlib.suppress(TypeError):  # not weak-referenceable: skip caching
        _CACHE[id(areas)] = (weakref.ref(areas), len(areas), rows)
    if len(_CACHE) > 16:
        for key in [k for k, v in _CACHE.items() if v[0]() is None]:
            _CACHE.pop(key, None)
    return rows


def _build_index(areas: pd.DataFrame) -> list[tuple[str, int, dict[str, Any]]]:
    rows = []
    recs = areas.to_dict("records")
    by_name: dict[str, list[dict[str, Any]]] = {}
    for r in recs:
        names = [
            r["geo_name"],
            *[x for x in str(r.get("other_names") or "").split(";") if x.strip()],
        ]
        for i, nm in enumerate(names):
            key = normalise_name(nm)
            rows.append((key, 0 if i == 0 else 1, r))
            by_name.setdefault(key, []).append(r)
            rows.extend((v, 1, r) for v in _variants(nm))
    for alias, target in EVERYDAY_NAMES.items():
        for r in by_name.get(target, []):
            rows.append((alias, 2, r))
    return rows


def _active(r: dict[str, Any], year: int) -> bool:
    s, e = r.get("start"), r.get("end")
    s = None if s is None or pd.isna(s) else int(s)
    e = None if e is None or pd.isna(e) else int(e)
    return (s is None or s <= year) and (e is None or e >= year)


def _place_vintage(r: dict[str, Any], vintage: int | None, current: int) -> str:
    if r.get("vintage"):
        return str(r["vintage"])
    if vintage is not None:
        return str(vintage)
    e = r.get("end")
    return str(int(e)) if e is not None and not pd.isna(e) else str(current)


def _rank(r: dict[str, Any], vintage: int | None, current: int, kind: int = 0) -> tuple:
    t = r["geo_type"]
    tpos = TYPE_PRIORITY.index(t) if t in TYPE_PRIORITY else len(TYPE_PRIORITY)
    year = current if vintage is None else vintage
    fixed = bool(r.get("vintage"))
    active = fixed or _active(r, year)
    start = r.get("start")
    start = -1 if start is None or pd.isna(start) else int(start)
    return (tpos, kind, 0 if active else 1, -start)


def _label(r: dict[str, Any]) -> str:
    return f"{r['geo_name']} ({r['geo_code']}, {r['geo_type']})"


def _suggest(query: str, index: list[tuple[str, int, dict[str, Any]]], n: int = 5) -> list[str]:
    keys = sorted({k for k, _, _ in index})
    close = difflib.get_close_matches(normalise_name(query), keys, n=n, cutoff=0.6)
    out: list[str] = []
    seen: set[str] = set()
    for k in close:
        hits = sorted(
            (r for key, _, r in index if key == k),
            key=lambda r: (
                TYPE_PRIORITY.index(r["geo_type"]) if r["geo_type"] in TYPE_PRIORITY else 99
            ),
        )
        for r in hits:
            if r["geo_code"] not in seen:
                seen.add(r["geo_code"])
                out.append(_label(r))
    return out[: n * 2]


def resolve_place(
    query: str,
    areas: pd.DataFrame,
    *,
    types: Sequence[str] | None = None,
    vintage: int | str | None = None,
    hierarchy: pd.DataFrame | None = None,
    warehouse: Any = None,
) -> Place:
    """Resolve a code, official name or everyday name to one :class:`Place`.

    Parameters
    ----------
    query : str
        ``"Bristol"``, ``"E06000023"``, ``"greater manchester"``, ``"ttwa:Leeds"``.
    areas : DataFrame
        Ref table ``areas`` (``geo_code, geo_name, geo_type, start, end`` and
        optionally ``vintage``, ``other_names``); see :func:`load_areas`.
    types : sequence of str, optional
        Restrict to these geography types (default: all but ttwa/lsoa/msoa).
    vintage : int or str, optional
        Boundary year: prefer areas in force then (default: the current ones).
    hierarchy : DataFrame, optional
        Ref table ``lad_hierarchy``; when given, ``members`` lists LAD codes.
    warehouse : Warehouse, optional
        Read ``lad_hierarchy`` from here when ``hierarchy`` is not given (if
        the warehouse has it).

    Raises
    ------
    PlaceNotFoundError
        Unknown or ambiguous; ``.suggestions`` lists the closest matches.

    Examples
    --------
    >>> areas = pd.DataFrame({"geo_code": ["E06000023"], "geo_name": ["Bristol, City of"],
    ...     "geo_type": ["lad"], "start": [None], "end": [None]})
    >>> resolve_place("bristol", areas).code
    'E06000023'
    """
    if not isinstance(query, str) or not query.strip():
        raise PlaceNotFoundError(f"expected a place name or code, got {query!r}")
    q = query.strip()
    types_l = [t.lower() for t in types] if types else None
    m = re.match(r"^([a-z0-9]+)\s*:\s*(.+)$", q, re.IGNORECASE)
    if m and m.group(1).lower() in TYPE_PRIORITY:
        types_l, q = [m.group(1).lower()], m.group(2).strip()
    year = None if vintage is None else int(vintage)
    current = _current_year(areas)
    if hierarchy is None and warehouse is not None and warehouse.has_table("lad_hierarchy"):
        hierarchy = warehouse.table("lad_hierarchy")
    index = _index(areas)

    def allowed(r: dict[str, Any]) -> bool:
        return r["geo_type"] in types_l if types_l else r["geo_type"] not in _DEFAULT_EXCLUDED

    if _CODE.match(q):
        same = areas["geo_code"].astype(str).str.upper() == q.upper()
        hits = areas[same.to_numpy(dtype=bool)].to_dict("records")
        hits = [r for r in hits if allowed(r)] if types_l else hits
        if not hits:
            codes = sorted(set(areas["geo_code"].astype(str)))
            close = difflib.get_close_matches(q.upper(), codes, n=5, cutoff=0.7)
            raise PlaceNotFoundError(
                f"no area has the code {q!r}"
                + (f" among types {types_l}" if types_l else "")
                + (
                    f"; did you mean {close}?"
                    if close
                    else "; check the code or import the geography datasets"
                ),
                suggestions=close,
            )
        top = min(hits, key=lambda r: _rank(r, year, current))
        return _make_place(top, year, current, hierarchy)

    key = normalise_name(q)
    cands = [(kind, r) for k, kind, r in index if k == key and allowed(r)]
    if not cands:
        sugg = _suggest(q, [row for row in index if allowed(row[2])])
        raise PlaceNotFoundError(
            f"no place called {query!r}"
            + (f" among types {types_l}" if types_l else "")
            + (f"; closest matches: {', '.join(sugg)}" if sugg else "; try a GSS code")
            + (
                ". TTWAs are searched only with types=['ttwa'] or a 'ttwa:' prefix."
                if not types_l
                else ""
            ),
            suggestions=sugg,
        )
    best: dict[tuple[str, str], tuple[tuple, dict[str, Any]]] = {}
    for kind, r in cands:
        rk = _rank(r, year, current, kind)
        ident = (r["geo_code"], r["geo_type"])
        if ident not in best or rk < best[ident][0]:
            best[ident] = (rk, r)
    ranked = sorted(best.values(), key=lambda x: x[0])
    top_rank, top = ranked[0]
    ties = [r for rk, r in ranked[1:] if rk == top_rank and r["geo_code"] != top["geo_code"]]
    if ties:
        labels = [_label(r) for r in [top, *ties]]
        raise PlaceNotFoundError(
            f"{query!r} is ambiguous: {', '.join(labels)}; give the code or a type prefix such as "
            f"'{top['geo_type']}:'",
            suggestions=labels,
        )
    return _make_place(top, year, current, hierarchy)


def _make_place(
    r: dict[str, Any], year: int | None, current: int, hierarchy: pd.DataFrame | None
) -> Place:
    place = Place(
        code=str(r["geo_code"]),
        name=str(r["geo_name"]),
        geo_type=str(r["geo_type"]),
        vintage=_place_vintage(r, year, current),
    )
    if hierarchy is not None and place.geo_type in {
        "lad",
        "cauth",
        "rgn",
        "ctry",
        "uk",
        "utla",
        "cty",
    }:
        return Place(**{**place.__dict__, "members": members_of(place, hierarchy)})
    return place


def members_of(
    place: Place, hierarchy: pd.DataFrame, *, vintage: int | str | None = None
) -> tuple[str, ...]:
    """LAD codes making up a LAD, CA, county, UTLA, region, country or the UK.

    ``vintage`` defaults to the place's vintage when the hierarchy has it,
    else the latest hierarchy vintage.

    Examples
    --------
    >>> h = pd.DataFrame({"lad_code": ["E08000003", "E08000001"], "vintage": ["2024"] * 2,
    ...     "cauth_code": ["E47000001"] * 2, "rgn_code": ["E12000002"] * 2,
    ...     "ctry_code": ["E92000001"] * 2, "utla_code": ["E08000003", "E08000001"], "cty_code": ["", ""]})
    >>> members_of(Place("E47000001", "Greater Manchester", "cauth", "2024"), h)
    ('E08000001', 'E08000003')
    """
    vints = sorted(hierarchy["vintage"].astype(str).unique())
    v = (
        str(vintage)
        if vintage is not None
        else (place.vintage if place.vintage in vints else vints[-1])
    )
    if v not in vints:
        raise ParameterError(f"the hierarchy has no vintage {v!r}; it has {vints}")
    h = hierarchy[hierarchy["vintage"].astype(str) == v]
    col = {
        "lad": "lad_code",
        "cauth": "cauth_code",
        "rgn": "rgn_code",
        "ctry": "ctry_code",
        "utla": "utla_code",
        "cty": "cty_code",
    }.get(place.geo_type)
    if place.geo_type == "uk":
        return tuple(sorted(h["lad_code"].astype(str)))
    if col is None:
        raise ParameterError(
            f"{place.geo_type} areas are not unions of LADs; use an LSOA lookup "
            "(e.g. ref table 'lsoa21_ttwa11') instead"
        )
    return tuple(sorted(h.loc[h[col].astype(str) == place.code, "lad_code"].astype(str)))


def load_areas(warehouse: Any, *, types: Iterable[str] | None = None) -> pd.DataFrame:
    """Read the ref table ``areas`` from a warehouse (optionally only some types)."""
    areas = warehouse.table("areas")
    if types is not None:
        areas = areas[areas["geo_type"].isin(list(types))].reset_index(drop=True)
    return areas


def search_places(
    query: str,
    areas: pd.DataFrame,
    *,
    types: Sequence[str] | None = None,
    limit: int = 10,
) -> list[dict[str, str]]:
    """Places whose name or code matches ``query`` best, for a search box.

    Ranking: exact name or code, then names starting with the query, then
    names containing it as a word, then fuzzy (difflib) matches; within each,
    :data:`TYPE_PRIORITY` and current areas first. One entry per code.
    ``types`` as in :func:`resolve_place` (TTWAs only when asked for).

    Returns
    -------
    list of dict
        ``{"code", "name", "geo_type", "vintage"}``.

    Examples
    --------
    >>> areas = pd.DataFrame({"geo_code": ["E06000023", "E07000083"],
    ...     "geo_name": ["Bristol, City of", "Tewkesbury"], "geo_type": ["lad", "lad"],
    ...     "start": [None, None], "end": [None, None]})
    >>> [r["code"] for r in search_places("bris", areas)]
    ['E06000023']
    """
    if not isinstance(query, str) or not query.strip() or limit < 1:
        return []
    q = query.strip()
    types_l = [t.lower() for t in types] if types else None
    m = re.match(r"^([a-z0-9]+)\s*:\s*(.*)$", q, re.IGNORECASE)
    if m and m.group(1).lower() in TYPE_PRIORITY:
        types_l, q = [m.group(1).lower()], m.group(2).strip()
    key, code_q = normalise_name(q), q.upper()
    if not key:
        return []
    current = _current_year(areas)
    best: dict[str, tuple[tuple, dict[str, Any]]] = {}
    for k, kind, r in _index(areas):
        t = r["geo_type"]
        if (types_l and t not in types_l) or (not types_l and t in _DEFAULT_EXCLUDED):
            continue
        code = str(r["geo_code"])
        if k == key or code.upper() == code_q:
            score = 0.0
        elif code.upper().startswith(code_q) and len(code_q) >= 3:
            score = 0.5
        elif k.startswith(key):
            score = 1.0
        elif f" {key}" in f" {k}":
            score = 2.0
        else:
            ratio = difflib.SequenceMatcher(None, key, k).ratio()
            if ratio < 0.75:
                continue
            score = 3.0 + (1 - ratio)
        rk = (score, *_rank(r, None, current, kind), str(r["geo_name"]))
        if code not in best or rk < best[code][0]:
            best[code] = (rk, r)
    ranked = sorted(best.values(), key=lambda x: x[0])[:limit]
    return [
        {"code": str(r["geo_code"]), "name": str(r["geo_name"]), "geo_type": str(r["geo_type"]),
         "vintage": _place_vintage(r, None, current)}
        for _, r in ranked
    ]
