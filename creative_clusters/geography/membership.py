"""Which LADs make up a place: one documented rule per geography level, as pure functions on tables.

Every figure about an aggregate place (a combined authority, a region, a TTWA,
an ITL3 area, a user's group) is a sum over its **member LADs** on the data's
LAD vintage. The rules (also in :data:`creative_clusters.geography.place.MEMBER_RULES`):

- ``lad``: the LAD itself;
- ``utla``, ``cty``, ``mcty``, ``cauth``, ``rgn``, ``ctry``, ``uk``: the LADs the
  ``lad_hierarchy`` table puts in the place in the data's LAD vintage
  (:func:`hierarchy_members`);
- ``ttwa``: the **majority rule** (:func:`lad_ttwa_assignment`): each LAD belongs
  wholly to the 2011 TTWA holding most of its LSOAs, so a TTWA is the LADs
  assigned to it; a small TTWA that holds no LAD's majority gets the one LAD
  with most LSOAs in it (:func:`ttwa_members`);
- ``itl3``, ``nuts2``: the LADs whose representative point lies in the area
  (the LAD → ITL3 → NUTS2 lookup of :mod:`creative_clusters.geography.nuts2`;
  :func:`lookup_members`);
- ``custom``: the LADs the user listed.

These functions read nothing: tables in, tuples of codes out.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from creative_clusters.errors import ParameterError, SchemaError

__all__ = [
    "HIERARCHY_COLUMNS",
    "current_cauth",
    "hierarchy_members",
    "lad_ttwa_assignment",
    "lookup_members",
    "ttwa_lsoa_coverage",
    "ttwa_members",
    "ttwas_without_members",
]

#: ``lad_hierarchy`` column holding the parent code of each level built from it.
HIERARCHY_COLUMNS: dict[str, str] = {
    "lad": "lad_code",
    "utla": "utla_code",
    "cty": "cty_code",
    "mcty": "mcty_code",
    "cauth": "cauth_code",
    "rgn": "rgn_code",
    "ctry": "ctry_code",
}


def hierarchy_members(hierarchy: pd.DataFrame, level: str, code: str, *, vintage: str) -> tuple[str, ...]:
    """LAD codes the hierarchy of ``vintage`` puts in the place ``code`` of ``level`` (sorted).

    ``level`` ``uk`` means every LAD of the vintage. An empty tuple means the
    place is not in that vintage.

    Raises
    ------
    ParameterError
        For a level the hierarchy does not describe (``ttwa``, ``itl3`` …).

    Examples
    --------
    >>> h = pd.DataFrame({"lad_code": ["E08000003", "E08000001", "E06000001"], "vintage": ["2023"] * 3,
    ...     "cauth_code": ["E47000001", "E47000001", ""]})
    >>> hierarchy_members(h, "cauth", "E47000001", vintage="2023")
    ('E08000001', 'E08000003')
    >>> hierarchy_members(h, "uk", "K02000001", vintage="2023")
    ('E06000001', 'E08000001', 'E08000003')
    """
    h = hierarchy[hierarchy["vintage"].astype(str) == str(vintage)]
    if level == "uk":
        return tuple(sorted(h["lad_code"].astype(str)))
    col = HIERARCHY_COLUMNS.get(level)
    if col is None:
        raise ParameterError(f"{level} areas are not described by the LAD hierarchy; their members come from "
                             "their own rule (see MEMBER_RULES).")
    if col not in h.columns:
        return ()
    return tuple(sorted(h.loc[h[col].astype(str) == str(code), "lad_code"].astype(str)))


def current_cauth(hierarchy: pd.DataFrame, *, vintage: str, code_changes: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """``hierarchy`` with the ``vintage`` rows' combined authority replaced by the one **in force now**.

    Combined authorities change more often than LAD boundaries (May 2024: North
    East and North of Tyne became one North East authority, E47000014, and York
    and North Yorkshire and the East Midlands were created; 2025: four more), so
    the data's LAD vintage would show abolished authorities and miss new ones.
    Each LAD of ``vintage`` takes the ``cauth_code``/``cauth_name`` of the
    hierarchy's latest vintage, its codes brought back to ``vintage`` through
    ``code_changes`` (one-to-one recodes such as Sheffield E08000039 → E08000019);
    a LAD in no current authority gets ``""``. Other vintages' rows are unchanged.

    Examples
    --------
    >>> h = pd.DataFrame({"lad_code": ["A", "B", "A", "B"], "vintage": ["2023", "2023", "2025", "2025"],
    ...                   "cauth_code": ["C1", "", "C2", "C2"], "cauth_name": ["Old", "", "New", "New"]})
    >>> current_cauth(h, vintage="2023").query("vintage == '2023'")["cauth_code"].tolist()
    ['C2', 'C2']
    """
    if "cauth_code" not in hierarchy.columns or "vintage" not in hierarchy.columns or hierarchy.empty:
        return hierarchy
    v = hierarchy["vintage"].astype(str)
    latest = max(v.unique(), key=lambda x: int(x) if x.isdigit() else -1)
    if latest == str(vintage):
        return hierarchy
    now = hierarchy[v == latest]
    codes = now["lad_code"].astype(str)
    if code_changes is not None and len(code_changes):
        from creative_clusters.geography.lookups import map_codes

        back = map_codes(codes, to_vintage=int(vintage), changes=code_changes)
        codes = codes.map(back)
    ca = dict(zip(codes, now["cauth_code"].fillna("").astype(str), strict=False))
    names = (dict(zip(codes, now["cauth_name"].fillna("").astype(str), strict=False))
             if "cauth_name" in now.columns else {})
    out = hierarchy.copy()
    mine = (v == str(vintage)).to_numpy()
    lads = out.loc[mine, "lad_code"].astype(str)
    out.loc[mine, "cauth_code"] = lads.map(ca).fillna("").to_numpy()
    if "cauth_name" in out.columns:
        out.loc[mine, "cauth_name"] = lads.map(names).fillna("").to_numpy()
    return out


def lad_ttwa_assignment(overlap: pd.DataFrame, *, code_changes: pd.DataFrame | None = None,
                        lad_codes: Any = None) -> pd.DataFrame:
    """Assign each LAD wholly to the TTWA (2011) holding most of its LSOAs (the majority rule).

    LADs do not nest in TTWAs; this best-fit rule is the one approximation
    used everywhere (map, clusters, profile, pack, web): a LAD with the largest
    share of its LSOAs in a TTWA is a member of it; ties go to the smaller
    TTWA code. Counts summed over the assigned LADs are therefore
    **LAD-approximated** TTWA figures (see :func:`ttwa_lsoa_coverage`).

    Parameters
    ----------
    overlap : DataFrame
        Ref table ``lad_ttwa_overlap`` (``lad24_code, ttwa11_code, lsoa_count,
        share_of_lad_lsoas``; LAD 2024 codes).
    code_changes : DataFrame, optional
        Ref table ``code_changes`` (``oldcd, newcd``); with ``lad_codes``, codes
        of ``lad_codes`` missing from ``overlap`` are mapped through it.
    lad_codes : iterable of str, optional
        The LAD codes to assign (e.g. the 2023 codes of the counts); codes with
        no TTWA are left out with a warning naming them.

    Returns
    -------
    DataFrame
        ``lad_code``, ``ttwa11_code``, ``lsoa_count`` (LSOAs in the assigned
        TTWA), ``lad_lsoas`` (all the LAD's LSOAs), ``share_of_lad_lsoas``.

    Raises
    ------
    SchemaError
        When ``overlap`` lacks a needed column.

    Examples
    --------
    >>> ov = pd.DataFrame({"lad24_code": ["A", "A", "B"], "ttwa11_code": ["T1", "T2", "T2"],
    ...                    "lsoa_count": [3, 7, 5], "share_of_lad_lsoas": [0.3, 0.7, 1.0]})
    >>> lad_ttwa_assignment(ov)[["lad_code", "ttwa11_code"]].values.tolist()
    [['A', 'T2'], ['B', 'T2']]
    """
    need = {"lad24_code", "ttwa11_code", "lsoa_count"}
    if not need <= set(overlap.columns):
        raise SchemaError(f"lad_ttwa_overlap needs columns {sorted(need)}; it has {list(overlap.columns)}.")
    ov = overlap.assign(lad_code=overlap["lad24_code"].astype(str),
                        ttwa11_code=overlap["ttwa11_code"].astype(str),
                        lsoa_count=pd.to_numeric(overlap["lsoa_count"]).astype(float))
    totals = ov.groupby("lad_code")["lsoa_count"].sum().rename("lad_lsoas")
    best = (ov.sort_values(["lad_code", "lsoa_count", "ttwa11_code"], ascending=[True, False, True])
              .drop_duplicates("lad_code")[["lad_code", "ttwa11_code", "lsoa_count"]])
    best = best.merge(totals, left_on="lad_code", right_index=True)
    best["share_of_lad_lsoas"] = best["lsoa_count"] / best["lad_lsoas"]
    if lad_codes is not None:
        wanted = pd.Index(pd.Series(list(lad_codes), dtype=str).unique())
        missing = wanted.difference(best["lad_code"])
        if len(missing) and code_changes is not None:
            cc = code_changes.astype({"oldcd": str, "newcd": str})
            fwd = dict(zip(cc["oldcd"], cc["newcd"], strict=False))
            extra = best.set_index("lad_code").reindex([fwd.get(c, c) for c in missing])
            extra.index = missing
            best = pd.concat([best, extra.dropna(subset=["ttwa11_code"]).rename_axis("lad_code").reset_index()])
        best = best[best["lad_code"].isin(wanted)]
        left = sorted(set(wanted) - set(best["lad_code"]))
        if left:
            warnings.warn(f"{len(left)} LAD code(s) have no TTWA in lad_ttwa_overlap and are left out of "
                          f"TTWA totals: {left[:5]}", stacklevel=2)
    return best.sort_values("lad_code").reset_index(drop=True)


def ttwa_lsoa_coverage(assignment: pd.DataFrame) -> float:
    """Share of the LADs' LSOAs that fall inside their assigned TTWA (0–1).

    The complement is the share of small areas whose counts the LAD
    approximation puts in the wrong TTWA.

    Examples
    --------
    >>> a = pd.DataFrame({"lsoa_count": [7.0, 5.0], "lad_lsoas": [10.0, 5.0]})
    >>> round(ttwa_lsoa_coverage(a), 3)
    0.8
    """
    return float(assignment["lsoa_count"].sum() / assignment["lad_lsoas"].sum())


def ttwas_without_members(overlap: pd.DataFrame, assignment: pd.DataFrame) -> list[str]:
    """TTWAs the assigned LADs reach but that hold no whole LAD under the majority rule.

    A small TTWA inside larger LADs (most of each LAD's LSOAs lie in a
    neighbouring TTWA) gets no LAD-approximated total: on a map of TTWA
    totals it has no value, which must be said, not left to read as
    suppression. ``assignment`` is :func:`lad_ttwa_assignment`'s result.

    Examples
    --------
    >>> ov = pd.DataFrame({"lad24_code": ["A", "A", "B"], "ttwa11_code": ["T1", "T2", "T2"],
    ...                    "lsoa_count": [3, 7, 5]})
    >>> ttwas_without_members(ov, lad_ttwa_assignment(ov))
    ['T1']
    """
    lads = set(assignment["lad_code"].astype(str))
    reached = set(overlap.loc[overlap["lad24_code"].astype(str).isin(lads), "ttwa11_code"].astype(str))
    return sorted(reached - set(assignment["ttwa11_code"].astype(str)))


def ttwa_members(overlap: pd.DataFrame, ttwa_code: str, *, assignment: pd.DataFrame | None = None,
                 code_changes: pd.DataFrame | None = None) -> list[str]:
    """LAD codes that make up one TTWA under the majority rule.

    The LADs whose largest share of LSOAs lies in ``ttwa_code`` (from
    ``assignment`` when given, e.g. one built on the data's LAD codes by
    :func:`lad_ttwa_assignment`; else on ``overlap``'s own codes). When none
    does (a small TTWA inside larger LADs), the one LAD with most LSOAs in it,
    so a place always has a member; with ``code_changes`` that LAD is given on
    the assignment's codes.

    Examples
    --------
    >>> ov = pd.DataFrame({"lad24_code": ["A", "A", "B", "C", "C"], "ttwa11_code": ["T1", "T2", "T2", "T3", "T1"],
    ...                    "lsoa_count": [3, 7, 5, 5, 5]})
    >>> ttwa_members(ov, "T2"), ttwa_members(ov, "T3")
    (['A', 'B'], ['C'])
    """
    a = assignment if assignment is not None else lad_ttwa_assignment(overlap)
    members = sorted(a.loc[a["ttwa11_code"].astype(str) == str(ttwa_code), "lad_code"].astype(str))
    if members:
        return members
    ov = overlap[overlap["ttwa11_code"].astype(str) == str(ttwa_code)]
    top = ov.sort_values(["lsoa_count", "lad24_code"], ascending=[False, True])["lad24_code"].astype(str).head(1)
    out = top.tolist()
    if out and assignment is not None and out[0] not in set(a["lad_code"].astype(str)) and code_changes is not None:
        back = code_changes[code_changes["newcd"].astype(str) == out[0]]["oldcd"].astype(str)
        known = [c for c in back if c in set(a["lad_code"].astype(str))]
        out = known[:1] or out
    return out


def lookup_members(lookup: pd.DataFrame, level: str, code: str, *, lad_codes: Iterable[str] | None = None,
                   ) -> tuple[str, ...]:
    """LADs an ITL3 or NUTS2 area holds by the LAD → ITL3 → NUTS2 lookup (representative point rule).

    Parameters
    ----------
    lookup : DataFrame
        ``lad_code``, ``itl3_code``, ``nuts2_code`` (from
        :func:`creative_clusters.geography.nuts2.lad_nuts2_lookup`).
    level : {"itl3", "nuts2"}
    code : str
    lad_codes : iterable of str, optional
        Keep only these LADs (the data's LAD vintage).

    Examples
    --------
    >>> lk = pd.DataFrame({"lad_code": ["A", "B", "C"], "itl3_code": ["TLE32", "TLE31", "TLE31"],
    ...                    "nuts2_code": ["UKE3", "UKE3", "UKE3"]})
    >>> lookup_members(lk, "itl3", "TLE31"), lookup_members(lk, "nuts2", "UKE3", lad_codes=["A"])
    (('B', 'C'), ('A',))
    """
    col = {"itl3": "itl3_code", "nuts2": "nuts2_code"}.get(level)
    if col is None:
        raise ParameterError(f"lookup_members() takes level 'itl3' or 'nuts2', got {level!r}.")
    if col not in lookup.columns or "lad_code" not in lookup.columns:
        raise SchemaError(f"the LAD lookup needs columns lad_code and {col}; it has {list(lookup.columns)}.")
    hit = lookup.loc[lookup[col].astype(str) == str(code), "lad_code"].astype(str)
    if lad_codes is not None:
        keep = set(lad_codes)
        hit = hit[hit.isin(keep)]
    return tuple(sorted(set(hit)))
