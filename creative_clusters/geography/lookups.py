"""Code changes and roll-ups: pure functions on DataFrames.

- :func:`harmonise_codes` puts LAD data published on different boundary
  vintages (e.g. 2019, 2021, 2023 codes) onto one vintage by following the
  chain in ``changes.csv`` (ref table ``code_changes``).
- :func:`lad_to` maps LADs to their parent CA / region / country / county.
- :func:`roll_up` sums LAD (or LSOA → TTWA) counts to a higher level (through the one
  count sum, :func:`creative_clusters._counts.sum_by`).

Only **counts** can be added up. A ratio (a rate, share, LQ, rank, score)
of a merged area is not the mean of its parts' ratios; recompute it from the
summed numerator and denominator instead. Both functions refuse measures whose
names look like ratios, and :func:`harmonise_codes` refuses ``how="mean"``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable

import pandas as pd

from creative_clusters._counts import sum_by
from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError
from creative_clusters.geography.hierarchy import is_lad_code
from creative_clusters.kinds import LAD_VINTAGE

__all__ = [
    "ITL1_TO_GSS",
    "LEVELS",
    "check_count_measures",
    "harmonise_codes",
    "lad_to",
    "looks_like_ratio",
    "map_codes",
    "roll_up",
    "to_lad_vintage",
]

#: Levels a LAD can be rolled up to, and the hierarchy column holding the parent code.
LEVELS: dict[str, str] = {
    "cauth": "cauth_code",
    "rgn": "rgn_code",
    "ctry": "ctry_code",
    "utla": "utla_code",
    "cty": "cty_code",
    "uk": "",
}
UK_CODE = "K02000001"
#: ITL1 (International Territorial Levels, 2021) codes and the GSS code of the same area: since 2021 the
#: ITL1 areas are England's nine regions, England itself (TLB) and the three other nations (ONS, "ITL1 to
#: region" lookup). Sources such as ONS's subnational indicators publish regions under their ITL1 codes only.
ITL1_TO_GSS: dict[str, str] = {
    "TLB": "E92000001", "TLC": "E12000001", "TLD": "E12000002", "TLE": "E12000003", "TLF": "E12000004",
    "TLG": "E12000005", "TLH": "E12000006", "TLI": "E12000007", "TLJ": "E12000008", "TLK": "E12000009",
    "TLL": "W92000004", "TLM": "S92000003", "TLN": "N92000002",
}

_RATIO = re.compile(
    r"(pct|percent|rate|ratio|share|_per_|per_|_per$|lq|quotient|rank|score|index|mean|median|"
    r"average|avg|density|decile|quintile|propor|prop_|%)",
    re.IGNORECASE,
)


def looks_like_ratio(measure: str) -> bool:
    """True when a measure name reads as a ratio, rate, share, rank or score.

    Examples
    --------
    >>> looks_like_ratio("enterprises"), looks_like_ratio("rate_pct"), looks_like_ratio("lq_employment")
    (False, True, True)
    """
    return bool(_RATIO.search(str(measure)))


def check_count_measures(
    table: pd.DataFrame, *, measure: str = "measure", action: str = "sum"
) -> None:
    """Raise :class:`ParameterError` when ``table`` holds ratio-like measures.

    Tables without a ``measure`` column are taken to be counts.
    """
    if measure not in table.columns:
        return
    bad = sorted({str(m) for m in table[measure].dropna().unique() if looks_like_ratio(m)})
    if bad:
        raise ParameterError(
            f"cannot {action} measure(s) {bad} across areas: they look like ratios, rates, "
            "shares, ranks or scores, and the value of a merged area is not the sum or mean of "
            "its parts. Filter the table to count measures (e.g. enterprises, employment), "
            "aggregate those, then recompute the ratio from the summed numerator and denominator."
        )


def _changes_frame(changes: pd.DataFrame) -> pd.DataFrame:
    need = ["oldcd", "newcd", "type", "start"]
    missing = [c for c in need if c not in changes.columns]
    if missing:
        raise SchemaError(
            f"changes table needs columns {need}; missing {missing} "
            "(use the ref table 'code_changes')"
        )
    ch = changes[need].copy()
    ch["start"] = pd.to_numeric(ch["start"]).astype(int)
    keep = [
        (t in ("merger", "new_code", "new_geo") and is_lad_code(o) and is_lad_code(n))
        or (t in ("merger", "new_code") and str(o)[:3] == str(n)[:3] == "E47")
        for o, n, t in zip(ch["oldcd"], ch["newcd"], ch["type"], strict=True)
    ]
    return ch[pd.Series(keep, index=ch.index, dtype=bool)]


def map_codes(codes: Iterable[str], *, to_vintage: int, changes: pd.DataFrame) -> dict[str, str]:
    """Map LAD (or combined-authority) codes of any vintage to their ``to_vintage`` code.

    Forward through mergers and recodes that started on or before
    ``to_vintage``; backward only through one-to-one recodes made after it
    (e.g. Sheffield E08000039 (2025) → E08000019 for 2023). Mergers of
    combined authorities (North East + North of Tyne → E47000014 in 2024) are
    followed too. Other codes, or codes with no change, map to themselves.

    Raises
    ------
    ParameterError
        When a code would have to be **split**: going back before a merger
        (e.g. Somerset E06000066 to 2022), since counts cannot be divided among
        the old districts without weights.

    Examples
    --------
    >>> ch = pd.DataFrame({"oldcd": ["E07000187", "E07000188"], "newcd": ["E06000066"] * 2,
    ...                    "type": ["merger"] * 2, "start": [2023, 2023]})
    >>> map_codes(["E07000187", "E09000001"], to_vintage=2023, changes=ch)
    {'E07000187': 'E06000066', 'E09000001': 'E09000001'}
    """
    ch = _changes_frame(changes)
    fwd: dict[str, list[tuple[str, int]]] = {}
    back: dict[str, list[tuple[str, int]]] = {}
    for o, n, s in zip(ch["oldcd"], ch["newcd"], ch["start"], strict=True):
        fwd.setdefault(o, []).append((n, s))
        back.setdefault(n, []).append((o, s))
    out: dict[str, str] = {}
    for code in dict.fromkeys(str(c) for c in codes):
        cur, seen = code, set()
        while cur not in seen:
            seen.add(cur)
            nxt = sorted({n for n, s in fwd.get(cur, []) if s <= to_vintage})
            if len(nxt) > 1:
                raise ParameterError(
                    f"{cur} was split into {nxt}; its counts cannot be put on "
                    f"{to_vintage} codes without apportioning weights."
                )
            if nxt:
                cur = nxt[0]
                continue
            prev = [(o, s) for o, s in back.get(cur, []) if s > to_vintage]
            if not prev:
                break
            if len(prev) > 1:
                raise ParameterError(
                    f"{cur} was formed in {prev[0][1]} by merging {sorted(o for o, _ in prev)}; "
                    f"data on {cur} cannot be split back onto {to_vintage} codes without "
                    f"apportioning weights. Harmonise to {prev[0][1]} or later instead."
                )
            cur = prev[0][0]
        out[code] = cur
    return out


def _sum_groups(table: pd.DataFrame, geo: str, value: str) -> pd.DataFrame:
    keys = [c for c in table.columns if c not in (value, "disclosure_flag")]
    out = sum_by(table, keys, value=value)
    if "disclosure_flag" in out.columns:
        out["disclosure_flag"] = out["disclosure_flag"].astype(table["disclosure_flag"].dtype)
    return out[list(table.columns)]


def harmonise_codes(
    table: pd.DataFrame,
    *,
    to_vintage: int | str,
    changes: pd.DataFrame,
    geo: str = "geo_code",
    value: str = "value",
    how: str = "sum",
) -> pd.DataFrame:
    """Put LAD-level counts onto the LAD codes of one vintage.

    Rows whose codes were merged into one area are summed (all other columns
    being equal); a suppressed part (NaN) makes the merged total NaN and
    ``suppressed``; otherwise the merged flag is the most cautious of the
    parts' flags. ``geo_vintage`` (if present) is set to ``to_vintage``.

    Parameters
    ----------
    table : DataFrame
        Tidy table with a code column ``geo`` and a numeric ``value`` column.
    to_vintage : int or str
        Target LAD vintage (year).
    changes : DataFrame
        The code changes (ref table ``code_changes``: ``oldcd, newcd, type, start``).
    how : {"sum"}
        Only sums are meaningful. ``"mean"`` is refused: averaging ratios of
        merged areas gives wrong answers (recompute from summed counts).

    Raises
    ------
    ParameterError
        For ``how`` other than ``"sum"``, ratio-like measures, or splits.

    Examples
    --------
    >>> ch = pd.DataFrame({"oldcd": ["E07000187", "E07000188"], "newcd": ["E06000066"] * 2,
    ...                    "type": ["merger"] * 2, "start": [2023, 2023]})
    >>> t = pd.DataFrame({"geo_code": ["E07000187", "E07000188"], "value": [10.0, 5.0]})
    >>> harmonise_codes(t, to_vintage=2023, changes=ch).values.tolist()
    [['E06000066', 15.0]]
    """
    if how == "mean":
        raise ParameterError(
            "how='mean' is refused: the ratio of a merged area is not the mean of its parts' "
            "ratios (it weights a small district like a big one). Harmonise the numerator and "
            "denominator counts with how='sum' and recompute the ratio."
        )
    if how != "sum":
        raise ParameterError(f"how must be 'sum'; got {how!r}")
    for col in (geo, value):
        if col not in table.columns:
            raise SchemaError(f"table needs a {col!r} column; it has {list(table.columns)}")
    check_count_measures(table, action="harmonise")
    year = int(to_vintage)
    mapping = map_codes(table[geo].astype(str).unique(), to_vintage=year, changes=changes)
    out = table.copy()
    out[geo] = out[geo].astype(str).map(mapping).astype(table[geo].dtype)
    if "geo_vintage" in out.columns:
        out["geo_vintage"] = pd.Series(str(year), index=out.index, dtype=table["geo_vintage"].dtype)
    return _sum_groups(out, geo, value)


def _hier_for(hierarchy: pd.DataFrame, vintage: int | str | None) -> pd.DataFrame:
    vints = sorted(hierarchy["vintage"].astype(str).unique())
    if vintage is None:
        raise ParameterError(f"give the LAD vintage of the codes (one of {vints})")
    h = hierarchy[hierarchy["vintage"].astype(str) == str(vintage)]
    if h.empty:
        raise ParameterError(f"the hierarchy has no vintage {vintage!r}; it has {vints}")
    return h


def lad_to(
    level: str, lads: Iterable[str], hierarchy: pd.DataFrame, vintage: int | str | None
) -> pd.Series:
    """Parent code at ``level`` of each LAD (``""`` where there is none, e.g. no CA).

    Examples
    --------
    >>> h = pd.DataFrame({"lad_code": ["E08000003"], "vintage": ["2024"], "cauth_code": ["E47000001"],
    ...                   "rgn_code": ["E12000002"], "ctry_code": ["E92000001"]})
    >>> lad_to("cauth", ["E08000003"], h, 2024).tolist()
    ['E47000001']
    """
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {sorted(LEVELS)}; got {level!r}")
    lads = [str(c) for c in lads]
    h = _hier_for(hierarchy, vintage)
    known = set(h["lad_code"])
    unknown = sorted(set(lads) - known)
    if unknown:
        raise UnknownCodeError(
            f"{len(unknown)} code(s) are not {vintage} LADs: {unknown[:5]}. Harmonise them first "
            f"with harmonise_codes(..., to_vintage={vintage})."
        )
    if level == "uk":
        return pd.Series(UK_CODE, index=lads, dtype="string")
    m = dict(zip(h["lad_code"], h[LEVELS[level]].fillna(""), strict=True))
    return pd.Series([m[c] for c in lads], index=lads, dtype="string")


def roll_up(
    table: pd.DataFrame,
    *,
    to: str,
    hierarchy: pd.DataFrame | None = None,
    vintage: int | str | None = None,
    geo: str = "geo_code",
    value: str = "value",
    lsoa_ttwa: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sum LAD counts to CA / region / country / UK, or LSOA counts to TTWAs.

    Parameters
    ----------
    table : DataFrame
        Tidy counts with codes in ``geo``; other columns are kept as group keys.
    to : {"cauth", "rgn", "ctry", "uk", "utla", "cty", "ttwa"}
        Target level. LADs outside every CA (or county) are left out of
        ``cauth`` (``cty``) totals.
    hierarchy : DataFrame
        Ref table ``lad_hierarchy`` (needed for every level but ``ttwa``).
    vintage : int or str, optional
        LAD vintage of the codes; defaults to the table's single ``geo_vintage``.
    lsoa_ttwa : DataFrame, optional
        For ``to="ttwa"``: ref table ``lsoa21_ttwa11`` (``lsoa21_code, ttwa11_code``).
        LADs do not nest in TTWAs, so only LSOA 2021 data can be summed to TTWAs.

    Warns
    -----
    UserWarning
        When an aggregate is missing some of its member LADs (e.g. an
        England-only table rolled up to the UK).

    Examples
    --------
    >>> h = pd.DataFrame({"lad_code": ["A", "B"], "vintage": ["2023"] * 2,
    ...                   "rgn_code": ["R", "R"], "ctry_code": ["C", "C"], "cauth_code": ["", ""]})
    >>> t = pd.DataFrame({"geo_code": ["A", "B"], "value": [1.0, 2.0]})
    >>> roll_up(t, to="rgn", hierarchy=h, vintage=2023).values.tolist()
    [['R', 3.0]]
    """
    for col in (geo, value):
        if col not in table.columns:
            raise SchemaError(f"table needs a {col!r} column; it has {list(table.columns)}")
    check_count_measures(table, action="aggregate")
    out = table.copy()
    if to == "ttwa":
        if lsoa_ttwa is None:
            raise ParameterError("to='ttwa' needs lsoa_ttwa (ref table 'lsoa21_ttwa11')")
        codes = out[geo].astype(str)
        if codes.map(is_lad_code).any():
            raise ParameterError(
                "LADs do not nest in TTWAs, so LAD counts cannot be summed to TTWAs. Use LSOA 2021 "
                "data with the 'lsoa21_ttwa11' lookup, or a best-fit LAD→TTWA assignment from the "
                "ref table 'lad_ttwa_overlap' stated as an approximation."
            )
        m = dict(zip(lsoa_ttwa["lsoa21_code"], lsoa_ttwa["ttwa11_code"], strict=True))
        unknown = sorted(set(codes) - set(m))
        if unknown:
            raise UnknownCodeError(f"{len(unknown)} code(s) are not LSOA 2021 codes: {unknown[:5]}")
        out[geo] = codes.map(m).astype(table[geo].dtype)
        new_vintage = "2011"
    else:
        if to not in LEVELS:
            raise ParameterError(f"to must be one of {sorted([*LEVELS, 'ttwa'])}; got {to!r}")
        if hierarchy is None:
            raise ParameterError(f"to={to!r} needs hierarchy (ref table 'lad_hierarchy')")
        if vintage is None and "geo_vintage" in out.columns:
            vs = sorted(out["geo_vintage"].astype(str).unique())
            if len(vs) != 1:
                raise ParameterError(f"the table mixes LAD vintages {vs}; harmonise_codes first")
            vintage = vs[0]
        parents = lad_to(to, out[geo].astype(str), hierarchy, vintage)
        out[geo] = parents.to_numpy()
        out = out[out[geo].astype(str) != ""]
        h = _hier_for(hierarchy, vintage)
        members = lad_to(to, h["lad_code"], hierarchy, vintage)
        have = set(table[geo].astype(str))
        short = sorted(
            {p for lad, p in members.items() if p and lad not in have and p in set(out[geo])}
        )
        if short:
            warnings.warn(
                f"aggregate(s) {short[:5]} miss some of their {vintage} member LADs in the table; "
                "their totals cover only the LADs present.",
                stacklevel=2,
            )
        new_vintage = str(vintage)
    if "geo_type" in out.columns:
        out["geo_type"] = pd.Series(to, index=out.index, dtype=table["geo_type"].dtype)
    if "geo_vintage" in out.columns:
        out["geo_vintage"] = pd.Series(
            new_vintage, index=out.index, dtype=table["geo_vintage"].dtype
        )
    return _sum_groups(out.reset_index(drop=True), geo, value)


def to_lad_vintage(obs: pd.DataFrame, changes: pd.DataFrame, vintage: int | str = LAD_VINTAGE) -> pd.DataFrame:
    """Put the LAD rows of a tidy table on ``vintage`` codes.

    Count measures on codes that changed are summed into the ``vintage`` area
    with :func:`creative_clusters.geography.lookups.harmonise_codes` (unless the
    table already has that area for the same period and breakdown). Ratio-like
    measures on changed codes cannot be summed; they are left on their old
    codes, which fall outside the ``vintage`` universe, so a merged area has
    no value for such a measure (stated in the pack) rather than a wrong one.

    Examples
    --------
    >>> ch = pd.DataFrame({"oldcd": ["E07000187", "E07000188"], "newcd": ["E06000066"] * 2,
    ...                    "type": ["merger"] * 2, "start": [2023, 2023]})
    >>> t = pd.DataFrame({"geo_code": ["E07000187", "E07000188", "E07000187"], "geo_type": ["lad"] * 3,
    ...                   "period": ["2019"] * 3, "measure": ["active_enterprises"] * 2 + ["birth_rate_pct"],
    ...                   "value": [10.0, 5.0, 12.0]})
    >>> to_lad_vintage(t, ch).values.tolist()
    [['E07000187', 'lad', '2019', 'birth_rate_pct', 12.0], ['E06000066', 'lad', '2019', 'active_enterprises', 15.0]]
    """
    if obs is None or obs.empty:
        return obs
    lad = (obs["geo_type"].astype(str) == "lad") if "geo_type" in obs.columns else pd.Series(True, obs.index)
    codes = obs.loc[lad, "geo_code"].astype(str)
    mapping = map_codes(codes.unique(), to_vintage=int(vintage), changes=changes)
    moved_codes = [c for c, n in mapping.items() if n != c]
    changed = lad & obs["geo_code"].astype(str).isin(moved_codes)
    if "measure" in obs.columns:
        ratios = [m for m in obs["measure"].astype(str).unique() if looks_like_ratio(m)]
        ratio = obs["measure"].astype(str).isin(ratios)
    else:
        ratio = pd.Series(False, index=obs.index)
    move = changed & ~ratio
    if not move.any():
        return obs
    keep = obs[~move]
    moved = harmonise_codes(obs[move].astype({"geo_code": str}), to_vintage=vintage, changes=changes)
    keys = [c for c in ("geo_code", "period", "measure", "status", "industry_scheme", "industry_code",
                        "occupation_scheme", "occupation_code") if c in obs.columns]
    have = pd.MultiIndex.from_frame(keep[keys].astype(str))
    moved = moved[~pd.MultiIndex.from_frame(moved[keys].astype(str)).isin(have)]
    return pd.concat([keep, moved], ignore_index=True)
