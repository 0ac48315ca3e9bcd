"""Build the LAD → CA / county / region / country hierarchy for each vintage.

Pure functions on DataFrames. The method replays the published code changes
year by year:

1. start from the 2014 lookup (``ltla14-lookup.csv``: LAD14 → county,
   metropolitan county, combined authority, region, country);
2. for each year 2015 … 2025 apply the rows of ``changes.csv`` whose
   ``start`` is that year, in this order:

   - **recodes** (``new_code``, and ``new_geo`` between two LAD codes, as for
     Glasgow City S12000046 → S12000049 in 2019): the LAD keeps its parents;
   - **mergers** of LADs: the new LAD inherits region and country (which all
     predecessors share), the combined authority when all predecessors share
     it, and the county only when the new code is still a district (E07);
   - **combined-authority membership** (``new_geo`` to an E47 code): from a
     LAD, or from a county (E10), meaning every LAD in it; ``merger`` between
     two E47 codes moves all member LADs;
   - **county terminations** clear the county of any LAD left in it;

3. snapshot the state for the requested vintages.

A vintage ``y`` means "areas in force during year ``y``" (the ``start``/``end``
convention of the ONS TopoJSON, where ``end`` is the last year inclusive).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["LAD_PREFIXES", "build_lad_hierarchy", "is_lad_code", "name_for_year"]

#: GSS prefixes of local-authority districts (lower-tier and unitary).
LAD_PREFIXES: tuple[str, ...] = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")

_PARENTS = ("cty", "mcty", "cauth", "rgn", "ctry")


def is_lad_code(code: object) -> bool:
    """True when ``code`` looks like a LAD GSS code (E06/E07/E08/E09/W06/S12/N09).

    Examples
    --------
    >>> is_lad_code("E06000023"), is_lad_code("E47000001")
    (True, False)
    """
    return isinstance(code, str) and len(code) == 9 and code[:3] in LAD_PREFIXES


def _apply_year(state: dict[str, dict[str, str]], changes: pd.DataFrame, year: int) -> None:
    rows = changes[changes["start"] == year]
    # 1. recodes
    for r in rows.itertuples(index=False):
        recode = r.type in ("new_code", "new_geo") and is_lad_code(r.oldcd) and is_lad_code(r.newcd)
        if recode and r.oldcd in state:
            rec = state.pop(r.oldcd)
            state[r.newcd] = {**rec, "name": r.newnm or rec["name"]}
    # 2. LAD mergers
    is_merge = [
        t == "merger" and is_lad_code(c) for t, c in zip(rows["type"], rows["newcd"], strict=True)
    ]
    merges = rows[pd.Series(is_merge, index=rows.index, dtype=bool)]
    for new, grp in merges.groupby("newcd", sort=True):
        olds = [c for c in grp["oldcd"] if c in state]
        if not olds:
            continue
        parents = [state[c] for c in olds]
        rec = {"name": str(grp["newnm"].iloc[0])}
        for key in _PARENTS:
            vals = {p[key] for p in parents}
            rec[key] = vals.pop() if len(vals) == 1 else ""
        if len({p["rgn"] for p in parents}) > 1:
            warnings.warn(f"merged LAD {new} has predecessors in several regions", stacklevel=3)
        if not str(new).startswith("E07"):
            rec["cty"] = ""
        for c in olds:
            state.pop(c)
        if new in state:  # absorbing an existing LAD (not seen so far, kept for safety)
            rec = {**state[new], "name": rec["name"]}
        state[str(new)] = rec
    # 3. combined-authority membership
    for r in rows.itertuples(index=False):
        new = str(r.newcd)
        if not new.startswith("E47"):
            continue
        old = str(r.oldcd)
        if r.type == "new_geo":
            for rec_code, rec in state.items():
                if rec_code == old or (old.startswith("E10") and rec["cty"] == old):
                    rec["cauth"] = new
        elif r.type == "merger" and old.startswith("E47"):
            for rec in state.values():
                if rec["cauth"] == old:
                    rec["cauth"] = new
    # 4. county terminations
    for r in rows.itertuples(index=False):
        if r.type == "termination":
            for rec in state.values():
                if rec["cty"] == r.oldcd:
                    rec["cty"] = ""


def name_for_year(
    code: str, vintage: int, names_by_year: Mapping[int, Mapping[str, str]], fallback: str
) -> str:
    years = sorted(names_by_year)
    order = [y for y in reversed(years) if y <= vintage] + [y for y in years if y > vintage]
    for y in order:
        nm = names_by_year[y].get(code)
        if nm:
            return nm
    return fallback


def build_lad_hierarchy(
    ltla14: pd.DataFrame,
    changes: pd.DataFrame,
    *,
    vintages: Iterable[int] = range(2019, 2026),
    lad_names: Mapping[int, Mapping[str, str]] | None = None,
    cauth_names: Mapping[int, Mapping[str, str]] | None = None,
    cty_names: Mapping[str, str] | None = None,
    rgn_names: Mapping[str, str] | None = None,
    ctry_names: Mapping[str, str] | None = None,
    cauth_override: Mapping[int, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """One row per (LAD, vintage) with its county, CA, region and country.

    Parameters
    ----------
    ltla14 : DataFrame
        Columns ``ltlacd, ltlanm, ctycd, ctynm, mctycd, mctynm, cauthcd,
        cauthnm, rgncd, rgnnm, ctrycd, ctrynm`` (2014 LADs).
    changes : DataFrame
        Columns ``oldcd, oldnm, newcd, newnm, type, start`` (``start`` int).
    vintages : iterable of int
        Years to snapshot (2015 or later).
    lad_names, cauth_names : {year: {code: name}}, optional
        Official names from code lists; the list of the nearest earlier year is
        used first, then later ones, then the name carried by the changes.
    cty_names, rgn_names, ctry_names : {code: name}, optional
        Names for the other levels; default to the names in ``ltla14``.
    cauth_override : {year: {lad_code: cauth_code}}, optional
        An authoritative LAD → CA lookup for a year (e.g. the May 2024 ONS
        lookup). Where it disagrees with the replayed changes it wins and a
        warning names the LADs.

    Returns
    -------
    DataFrame
        Columns ``lad_code, lad_name, vintage, utla_code, cty_code, cty_name,
        mcty_code, cauth_code, cauth_name, rgn_code, rgn_name, ctry_code,
        ctry_name``; ``vintage`` is a string such as ``"2023"``; ``""`` where a
        LAD has no county or CA.

    Examples
    --------
    >>> l14 = pd.DataFrame({"ltlacd": ["E07000001", "E07000002"], "ltlanm": ["A", "B"],
    ...     "ctycd": ["E10000001"] * 2, "ctynm": ["Shire"] * 2, "mctycd": [""] * 2,
    ...     "mctynm": [""] * 2, "cauthcd": [""] * 2, "cauthnm": [""] * 2,
    ...     "rgncd": ["E12000001"] * 2, "rgnnm": ["North East"] * 2,
    ...     "ctrycd": ["E92000001"] * 2, "ctrynm": ["England"] * 2})
    >>> ch = pd.DataFrame({"oldcd": ["E07000001", "E07000002"], "oldnm": ["A", "B"],
    ...     "newcd": ["E06000099"] * 2, "newnm": ["AB"] * 2, "type": ["merger"] * 2,
    ...     "start": [2020, 2020]})
    >>> h = build_lad_hierarchy(l14, ch, vintages=[2019, 2020])
    >>> h[["lad_code", "vintage", "cty_code"]].values.tolist()
    [['E07000001', '2019', 'E10000001'], ['E07000002', '2019', 'E10000001'], ['E06000099', '2020', '']]
    """
    l14 = ltla14.fillna("")
    ch = changes.copy()
    ch["start"] = pd.to_numeric(ch["start"]).astype(int)
    for col in ("oldcd", "oldnm", "newcd", "newnm", "type"):
        ch[col] = ch[col].fillna("").astype(str)
    state: dict[str, dict[str, str]] = {
        r.ltlacd: {
            "name": r.ltlanm,
            "cty": r.ctycd,
            "mcty": r.mctycd,
            "cauth": r.cauthcd,
            "rgn": r.rgncd,
            "ctry": r.ctrycd,
        }
        for r in l14.itertuples(index=False)
    }
    cty_names = dict(cty_names or {}) or {}
    for r in l14.itertuples(index=False):
        cty_names.setdefault(r.ctycd, r.ctynm)
    rgn_names = {**dict(zip(l14["rgncd"], l14["rgnnm"], strict=True)), **dict(rgn_names or {})}
    ctry_names = {**dict(zip(l14["ctrycd"], l14["ctrynm"], strict=True)), **dict(ctry_names or {})}
    cauth_fallback = dict(zip(l14["cauthcd"], l14["cauthnm"], strict=True))
    for r in ch.itertuples(index=False):
        if r.newcd.startswith("E47"):
            cauth_fallback[r.newcd] = r.newnm
    vintages = sorted({int(v) for v in vintages})
    rows = []
    for year in range(2015, max(vintages) + 1):
        _apply_year(state, ch, year)
        if year not in vintages:
            continue
        override = (cauth_override or {}).get(year)
        if override:
            diff = sorted(c for c in state if override.get(c, "") != state[c]["cauth"])
            if diff:
                warnings.warn(
                    f"{year}: the published LAD→CA lookup differs from the replayed changes "
                    f"for {diff}; using the published lookup.",
                    stacklevel=2,
                )
            for c, rec in state.items():
                rec["cauth"] = override.get(c, "")
        for code, rec in sorted(state.items()):
            cauth = rec["cauth"]
            rows.append(
                {
                    "lad_code": code,
                    "lad_name": name_for_year(code, year, lad_names or {}, rec["name"]),
                    "vintage": str(year),
                    "utla_code": rec["cty"] or code,
                    "cty_code": rec["cty"],
                    "cty_name": cty_names.get(rec["cty"], "") if rec["cty"] else "",
                    "mcty_code": rec["mcty"],
                    "cauth_code": cauth,
                    "cauth_name": name_for_year(
                        cauth, year, cauth_names or {}, cauth_fallback.get(cauth, "")
                    )
                    if cauth
                    else "",
                    "rgn_code": rec["rgn"],
                    "rgn_name": rgn_names.get(rec["rgn"], ""),
                    "ctry_code": rec["ctry"],
                    "ctry_name": ctry_names.get(rec["ctry"], ""),
                }
            )
    return pd.DataFrame(rows, dtype="string")
