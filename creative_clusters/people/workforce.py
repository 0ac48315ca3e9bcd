"""Creative workforce from Census 2021 industry divisions (2-digit SIC).

Census 2021 TS060 counts residents in employment by SIC 2007 *division*
(2 digits), but the DCMS creative industries are defined on 31 *classes*
(4 digits). A division is either wholly creative (58 publishing, 59 film and
music, 60 broadcasting, 90 arts), partly creative (62 computer programming:
6201/6202 are creative but 6203/6209 are not; 74: design, photography and
translation but not 7490; 91: libraries and museums but not historic sites,
zoos), or mostly not creative (32, 70, 71, 73, 85, which each hold one or two
creative classes among much larger non-creative ones).

Two estimates are offered, both using the national 4-digit employment mix
from BRES to measure how creative each division is:

``division_sum``
    Sum the divisions whose national creative share is at least
    ``threshold`` (default 0.5). Simple, transparent, and what most people do.
``share_weighted``
    Weight every division that holds a creative class by its national
    creative share. Assumes each place has the national class mix inside a
    division, which is an assumption, not a fact; it removes the systematic
    over/under-count of ``division_sum`` at national level.

:func:`division_error` reports, nationally, how far ``division_sum``
over-counts (non-creative jobs in the chosen divisions) and under-counts
(creative jobs in divisions left out).
"""

from __future__ import annotations

import pandas as pd

from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.errors import SchemaError

__all__ = [
    "DEFAULT_DIVISIONS",
    "approximate_divisions",
    "creative_residents",
    "division_creative_shares",
    "division_error",
]


#: Divisions at least 50% creative by GB BRES employment (4-digit classes) in
#: every year 2015-2018, from :func:`division_creative_shares` and
#: :func:`approximate_divisions`; ``tests/people`` re-derives it from the real
#: BRES data. Used where BRES is not at hand (e.g. the evidence pack).
DEFAULT_DIVISIONS: tuple[str, ...] = ("58", "59", "60", "62", "73", "90", "91")


def division_creative_shares(
    class_employment: pd.DataFrame, /, *, industry: str = "industry_code", value: str = "value"
) -> pd.DataFrame:
    """Share of each SIC division's employment that is in creative classes.

    Parameters
    ----------
    class_employment : DataFrame
        Employment by 4-digit SIC class (any geography; rows are summed), e.g.
        BRES GB totals. Codes are 4-character strings.

    Returns
    -------
    DataFrame
        One row per division that holds at least one creative class, with
        ``division``, ``creative``, ``total``, ``share`` and ``classes``
        (the creative classes in it).

    Examples
    --------
    >>> t = pd.DataFrame({"industry_code": ["6201", "6209", "5911"],
    ...                   "value": [30.0, 10.0, 5.0]})
    >>> division_creative_shares(t)[["division", "share"]].to_dict("records")
    [{'division': '59', 'share': 1.0}, {'division': '62', 'share': 0.75}]
    """
    for col in (industry, value):
        if col not in class_employment.columns:
            raise SchemaError(
                f"division_creative_shares() needs column {col!r}; the table has "
                f"{list(class_employment.columns)}."
            )
    codes = class_employment[industry].astype(str)
    if not codes.str.fullmatch(r"\d{4}").all():
        bad = codes[~codes.str.fullmatch(r"\d{4}")].head(3).tolist()
        raise SchemaError(
            f"division_creative_shares() expects 4-digit SIC classes as strings, got {bad}."
        )
    t = pd.DataFrame({"cls": codes, "v": class_employment[value].astype(float)})
    t["division"] = t["cls"].str[:2]
    creative = set(creative_classes())
    t["is_creative"] = t["cls"].isin(creative)
    divs = sorted({c[:2] for c in creative})
    g = t[t["division"].isin(divs)].groupby("division")
    out = pd.DataFrame(
        {
            "creative": g.apply(lambda d: d.loc[d["is_creative"], "v"].sum(), include_groups=False),
            "total": g["v"].sum(),
        }
    ).reset_index()
    out["share"] = out["creative"] / out["total"]
    out["classes"] = out["division"].map(
        lambda d: ",".join(sorted(c for c in creative if c.startswith(d)))
    )
    return out


def approximate_divisions(shares: pd.DataFrame, /, *, threshold: float = 0.5) -> list[str]:
    """Divisions whose national creative share is at least ``threshold``.

    Examples
    --------
    >>> s = pd.DataFrame({"division": ["59", "62", "71"], "share": [1.0, 0.8, 0.1]})
    >>> approximate_divisions(s)
    ['59', '62']
    """
    if not 0 < threshold <= 1:
        raise SchemaError(f"threshold must be in (0, 1], got {threshold!r}.")
    return sorted(shares.loc[shares["share"] >= threshold, "division"].astype(str))


def division_error(shares: pd.DataFrame, /, divisions: list[str]) -> dict[str, float]:
    """National over- and under-count of summing ``divisions`` instead of classes.

    Returns ``creative`` (true creative employment), ``approximation``,
    ``overcount`` (non-creative jobs inside the chosen divisions),
    ``undercount`` (creative jobs in divisions left out) and ``net_pct``.

    Examples
    --------
    >>> s = pd.DataFrame({"division": ["59", "62", "71"], "creative": [5.0, 30.0, 2.0],
    ...                   "total": [5.0, 40.0, 20.0], "share": [1.0, 0.75, 0.1]})
    >>> division_error(s, ["59", "62"])["net_pct"]
    21.62...
    """
    chosen = shares["division"].astype(str).isin(divisions)
    creative = float(shares["creative"].sum())
    approx = float(shares.loc[chosen, "total"].sum())
    over = float((shares.loc[chosen, "total"] - shares.loc[chosen, "creative"]).sum())
    under = float(shares.loc[~chosen, "creative"].sum())
    return {
        "creative": creative,
        "approximation": approx,
        "overcount": over,
        "undercount": under,
        "net_pct": 100.0 * (approx - creative) / creative if creative else float("nan"),
    }


def creative_residents(
    divisions_table: pd.DataFrame,
    /,
    shares: pd.DataFrame,
    *,
    method: str = "division_sum",
    threshold: float = 0.5,
    geo: str = "geo_code",
    industry: str = "industry_code",
    value: str = "value",
) -> pd.DataFrame:
    """Residents working in the creative industries by place, from 2-digit divisions.

    Parameters
    ----------
    divisions_table : DataFrame
        Residents in employment by place × 2-digit division (Census TS060).
    shares : DataFrame
        Output of :func:`division_creative_shares`.
    method : {"division_sum", "share_weighted"}
        See the module notes.

    Returns
    -------
    DataFrame
        ``geo_code``, ``creative_residents``, ``method``, ``divisions``.

    Examples
    --------
    >>> d = pd.DataFrame({"geo_code": ["A", "A", "B"], "industry_code": ["59", "62", "62"],
    ...                   "value": [10.0, 100.0, 40.0]})
    >>> s = pd.DataFrame({"division": ["59", "62"], "share": [1.0, 0.75]})
    >>> creative_residents(d, s, method="share_weighted")["creative_residents"].tolist()
    [85.0, 30.0]
    """
    if method not in ("division_sum", "share_weighted"):
        raise SchemaError(
            f"method must be 'division_sum' or 'share_weighted', got {method!r}."
        )
    t = divisions_table[[geo, industry, value]].copy()
    t[industry] = t[industry].astype(str).str.zfill(2)
    share_map = dict(zip(shares["division"].astype(str), shares["share"].astype(float), strict=True))
    if method == "division_sum":
        divs = approximate_divisions(shares, threshold=threshold)
        weight = t[industry].map(lambda d: 1.0 if d in divs else 0.0)
        label = ",".join(divs)
    else:
        weight = t[industry].map(share_map).fillna(0.0)
        label = ",".join(sorted(share_map))
    t["w"] = t[value].astype(float) * weight
    out = t.groupby(geo, as_index=False)["w"].sum().rename(columns={"w": "creative_residents", geo: "geo_code"})
    out["method"] = method
    out["divisions"] = label
    return out


