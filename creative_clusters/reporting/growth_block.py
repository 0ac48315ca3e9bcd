"""Section 3 "wider area" block: creative employment growth in the NUTS2 (2013) area
containing the place, from BRES employment by NUTS2 × SIC class (pure).

Creative enterprise counts by LAD exist for one year only, so the pack's only
creative *trend* is BRES employment by NUTS 2013 level-2 area, 2015–2018
(dataset ``bres_nuts2``, measure ``employment``, all 525 classes, so real
all-industry denominators). For the NUTS2 area(s) containing the place this
block gives employment by DCMS sub-sector at both ends, growth (absolute, %,
CAGR), the employment LQ at both ends and a shift-share decomposition against
Great Britain, computed with :mod:`creative_clusters.indicators`.

Shift-share (classic form, :func:`creative_clusters.indicators.shift_share`) is
computed per creative sub-sector; the all-creative row is the **sum of the
sub-sector rows**, so its industry mix reflects the area's mix of creative
sub-sectors. National share + industry mix + competitive effect = change,
exactly, in every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._counts import BRES_ROUNDING, rounding_half_step
from creative_clusters.classifications import dcms
from creative_clusters.errors import ParameterError
from creative_clusters.indicators import aggregate_counts, growth, location_quotient, shift_share
from creative_clusters.reporting import sentences_growth as SG
from creative_clusters.reporting._model import _table
from creative_clusters.reporting.sentences import join_and

__all__ = ["CAVEATS", "group_employment", "growth_block", "wider_area_growth"]

AREA = "_AREA"
ALL = "_T"
OTHER = "other"
SUB_NAMES = {dcms.subsector_short(s): s for s in dcms.SUBSECTORS}

#: Standing caveats of the block (the place-specific first one is added by :func:`growth_block`).
def _band_words(bands: Sequence[tuple[float, int]]) -> str:
    """The rounding bands in words, from the one table of them (``_counts.BRES_ROUNDING``).

    >>> _band_words(((50, 5), (500, 25), (float("inf"), 1_000)))
    'to 5 below 50, to 25 up to 499, to 1,000 above'
    """
    words, low = [], None
    for below, step in bands:
        if below == float("inf"):
            words.append(f"to {step:,} above")
        elif low is None:
            words.append(f"to {step:,} below {below:,}")
        else:
            words.append(f"to {step:,} up to {int(below) - 1:,}")
        low = below
    return ", ".join(words)


CAVEATS = [
    "Great Britain, not the UK: BRES covers Great Britain only (Northern Ireland is absent), so "
    "location quotients and shift-share use Great Britain as the reference.",
    "BRES 'employment' counts employees plus working owners (sole traders and partners of businesses "
    "registered for VAT or PAYE). Self-employed people without such a registration are not counted, so "
    "freelance-heavy sub-sectors are under-stated.",
    f"BRES figures are rounded by Nomis in bands ({_band_words(BRES_ROUNDING)}) and sums over SIC classes "
    "add the rounding; small sub-sectors and small "
    "changes can be rounding noise, so a change no bigger than the rounding of the figures it adds is not "
    "called a rise or a fall.",
    "All 31 DCMS creative SIC classes are included (museums and libraries too, unlike UK Business "
    "Counts); the DCMS definition applied to 4-digit classes overstates sub-sectors such as IT, "
    "software and computer services where a class is only partly creative.",
]


def group_employment(emp: pd.DataFrame) -> pd.DataFrame:
    """SIC classes → creative sub-sector short codes, everything else ``other`` (counts summed).

    Idempotent: codes that are already sub-sector short codes or ``other`` are kept,
    so a table grouped once (e.g. in the evidence workflow) can be passed again. The column
    ``rounding`` is how far each sum can be from the true count: the sum of half the rounding step
    of every published cell it adds (:func:`creative_clusters._counts.rounding_half_step`; carried through
    a second grouping).

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 3, "industry_code": ["5811", "5813", "0111"],
    ...                   "period": ["2015"] * 3, "value": [5.0, 10.0, 85.0]})
    >>> group_employment(t).sort_values("industry_code")[["industry_code", "value"]].values.tolist()
    [['other', 85.0], ['publishing', 15.0]]
    """
    codes = emp["industry_code"].astype(str).unique()

    def group(c: str) -> str:
        if c in SUB_NAMES or c == OTHER:
            return c
        return dcms.subsector_short(dcms.subsector_of(c)) if dcms.is_creative_sic(c) else OTHER

    mapping = {c: group(c) for c in codes}
    frame = emp[["geo_code", "industry_code", "period", "value"]].copy()
    frame["disclosure_flag"] = emp["disclosure_flag"] if "disclosure_flag" in emp.columns else "as-published"
    out = aggregate_counts(frame, mapping, column="industry_code")
    # how far each sum can be from the true one: the half-steps of the published cells it adds
    half = frame.assign(value=emp["rounding"] if "rounding" in emp.columns else frame["value"].map(rounding_half_step))
    out["rounding"] = aggregate_counts(half, mapping, column="industry_code")["value"].to_numpy()
    return out


def _with_area(g: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Replace the rows of ``codes`` by one summed area ``_AREA`` (counts, never ratios)."""
    mapping = {c: (AREA if c in set(codes) else c) for c in g["geo_code"].astype(str).unique()}
    return aggregate_counts(g, mapping, column="geo_code")


def wider_area_growth(emp: pd.DataFrame, nuts2_codes: Sequence[str], *, start: str | None = None,
                      end: str | None = None) -> pd.DataFrame:
    """Creative employment growth, LQs and shift-share for the union of ``nuts2_codes``.

    Parameters
    ----------
    emp : DataFrame
        BRES employment by area × SIC class × period (``geo_code``,
        ``industry_code``, ``period``, ``value``, optional ``disclosure_flag``)
        for **every** GB NUTS2 area and every class (the national totals are
        the sums over the table).
    nuts2_codes : sequence of str
        The NUTS2 area(s) of the place; several are summed into one area.
    start, end : str, optional
        Periods; default the first and last in the table.

    Returns
    -------
    DataFrame
        One row per creative sub-sector present plus ``_T`` (all creative):
        ``industry_code, start_value, end_value, change, change_pct, cagr_pct,
        gb_start, gb_end, gb_change_pct, lq_start, lq_end, national_share,
        industry_mix, competitive, national_growth_pct, rounding``, with
        ``national_share + industry_mix + competitive == change``; ``rounding``
        is how far the change can be off through Nomis's rounding alone (the
        half-steps of every cell summed at both ends).

    Raises
    ------
    ParameterError
        When no code is given or a code is not in the table.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A", "A", "B", "B"] * 2,
    ...     "industry_code": ["5811", "0111", "5811", "0111"] * 2,
    ...     "period": ["2015"] * 4 + ["2018"] * 4, "value": [10, 90, 20, 80, 15, 99, 22, 84]})
    >>> r = wider_area_growth(t, ["A"]).set_index("industry_code")
    >>> r.loc["_T", ["change", "national_share", "industry_mix", "competitive"]].round(2).tolist()
    [5.0, 1.0, 1.33, 2.67]
    """
    periods = sorted(emp["period"].astype(str).unique())
    start = str(start or periods[0])
    end = str(end or periods[-1])
    missing = [c for c in nuts2_codes if c not in set(emp["geo_code"].astype(str))]
    if missing or not nuts2_codes:
        raise ParameterError(
            f"wider_area_growth(): NUTS2 code(s) {list(missing) or list(nuts2_codes)} are not in the "
            f"employment table; it has {sorted(emp['geo_code'].astype(str).unique())[:5]}… "
            "Give codes from the table (BRES covers the 39 GB NUTS 2013 areas).")
    sel = emp[emp["period"].astype(str).isin([start, end])]
    g = group_employment(sel.assign(period=sel["period"].astype(str)))
    # rounding noise of each change: the half-steps of every cell summed at both ends
    cells = g[g["geo_code"].astype(str).isin(set(nuts2_codes)) & (g["industry_code"] != OTHER)]
    noise = cells.groupby("industry_code")["rounding"].sum()
    noise.loc[ALL] = noise.sum()
    g = _with_area(g.drop(columns="rounding"), nuts2_codes)
    ss = shift_share(g, start=start, end=end)
    ss = ss[(ss["geo_code"] == AREA) & (ss["industry_code"] != OTHER)].set_index("industry_code")
    subs = [s for s in SUB_NAMES if s in ss.index]
    ss = ss.loc[subs]
    cols = ["start_value", "end_value", "change", "national_share", "industry_mix", "competitive"]
    out = ss[cols].copy()
    out.loc[ALL] = ss[cols].sum()
    # growth (absolute, %, CAGR) of the area and of GB, through indicators.growth
    body = g[g["industry_code"] != OTHER]
    area_t = body[body["geo_code"] == AREA]
    area_t = pd.concat([area_t, area_t.groupby(["geo_code", "period"], as_index=False)
                        .agg(value=("value", "sum"), disclosure_flag=("disclosure_flag", "first"))
                        .assign(industry_code=ALL)], ignore_index=True)
    gr = growth(area_t, start=start, end=end).set_index("industry_code")
    gb = body.assign(geo_code="GB")
    gb = gb.groupby(["geo_code", "industry_code", "period"], as_index=False)["value"].sum()
    gb = pd.concat([gb, gb.groupby(["geo_code", "period"], as_index=False)["value"].sum()
                    .assign(industry_code=ALL)], ignore_index=True)
    gg = growth(gb, start=start, end=end).set_index("industry_code")
    out["change_pct"] = gr["change_pct"].reindex(out.index)
    out["cagr_pct"] = 100 * gr["cagr"].reindex(out.index)
    out["gb_start"] = gg["start_value"].reindex(out.index)
    out["gb_end"] = gg["end_value"].reindex(out.index)
    out["gb_change_pct"] = gg["change_pct"].reindex(out.index)
    # employment LQs (whole-economy denominators from all classes), both periods
    lq_sub = location_quotient(g, min_count=10)
    # "_T" rows would be read as area totals, so all creative is "creative" here
    two = g.assign(industry_code=np.where(g["industry_code"] == OTHER, OTHER, "creative"))
    two = two.groupby(["geo_code", "industry_code", "period"], as_index=False).agg(
        value=("value", "sum"), disclosure_flag=("disclosure_flag", "first"))
    lq_all = location_quotient(two, min_count=10).replace({"industry_code": {"creative": ALL}})
    lq = pd.concat([lq_sub, lq_all], ignore_index=True)
    lq = lq[lq["geo_code"] == AREA].pivot_table(index="industry_code", columns="period", values="lq")
    out["lq_start"] = lq[start].reindex(out.index) if start in lq.columns else np.nan
    out["lq_end"] = lq[end].reindex(out.index) if end in lq.columns else np.nan
    out["national_growth_pct"] = 100 * float(ss["national_growth"].iloc[0]) if len(ss) else np.nan
    out["rounding"] = noise.reindex(out.index)
    out["period_start"], out["period_end"] = start, end
    return out.reset_index().rename(columns={"index": "industry_code"})


#: An in-between year lies this far (a share of the larger end year) outside the two end years' range:
#: the change between the ends is not a trend (BRES small-area estimates swing from year to year).
SWING_SHARE = 0.10


def employment_paths(emp: pd.DataFrame, nuts2_codes: Sequence[str], *, start: str, end: str) -> pd.DataFrame:
    """Creative employment of the union of ``nuts2_codes`` in every year from ``start`` to ``end``.

    One row per creative sub-sector present plus ``_T`` (all creative), one column per period.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 6, "industry_code": ["5811", "0111"] * 3,
    ...                   "period": ["2015", "2015", "2016", "2016", "2017", "2017"],
    ...                   "value": [10, 90, 30, 70, 12, 88]})
    >>> employment_paths(t, ["A"], start="2015", end="2017").loc["_T"].tolist()
    [10.0, 30.0, 12.0]
    """
    per = emp["period"].astype(str)
    g = group_employment(emp[(per >= str(start)) & (per <= str(end))].assign(period=lambda f: f["period"].astype(str)))
    g = g[g["geo_code"].astype(str).isin(set(nuts2_codes)) & (g["industry_code"] != OTHER)]
    wide = g.pivot_table(index="industry_code", columns="period", values="value", aggfunc="sum")
    wide.loc[ALL] = wide.sum(min_count=1)
    return wide.astype("float64")


def swings(path: Sequence[float], share: float = SWING_SHARE) -> bool:
    """True when an in-between value lies outside the end values' range by more than ``share`` of the larger
    end (:data:`SWING_SHARE`): the change from end to end is then not a trend.

    Examples
    --------
    >>> swings([13_245, 17_545, 26_870, 16_755])  # East Wales: 2017 far above both ends
    True
    >>> swings([31_450, 25_010, 25_745, 23_410]), swings([100, 120])
    (False, False)
    """
    v = [float(x) for x in path if x == x]
    if len(v) < 3:
        return False
    lo, hi = min(v[0], v[-1]), max(v[0], v[-1])
    tol = share * max(abs(v[0]), abs(v[-1]))
    return any(x > hi + tol or x < lo - tol for x in v[1:-1])


def growth_block(emp: pd.DataFrame | None, nuts2_codes: Sequence[str], *, place: str,
                 nuts2_names: dict[str, str] | None = None, n_lads: int | None = None,
                 focus: Sequence[str] = (), start: str | None = None,
                 end: str | None = None, n_members: int | None = None,
                 rows: pd.DataFrame | None = None, population_share: float | None = None,
                 paths: pd.DataFrame | None = None) -> dict[str, Any]:
    """Sentences, one table and caveats for section 3 (pure).

    Parameters
    ----------
    emp : DataFrame or None
        BRES employment by NUTS2 × SIC class × period (all GB areas, all classes).
    nuts2_codes : sequence of str
        NUTS2 (2013) area(s) containing the place (see
        :func:`creative_clusters.geography.nuts2.place_nuts2`).
    place : str
        The place's name, for the sentences.
    nuts2_names : dict, optional
        NUTS2 code → name.
    n_lads : int, optional
        Number of local authorities in the wider area (for the size caveat).
    focus : sequence of str
        Sub-sector short codes to list first and mark "(focus)" in the table.
    n_members : int, optional
        Number of the place's local authorities; when it reaches ``n_lads`` the
        place *is* the wider area and the sentences and caveat say so.
    population_share : float, optional
        The place's share (0-1) of the wider area's population (Census 2021
        usual residents). At 0.9 or more the wider area is treated as the
        place; below 0.5 it is "much larger"; in between, "larger", with the share.
    rows : DataFrame, optional
        A precomputed :func:`wider_area_growth` result for the same codes (a cache).
    paths : DataFrame, optional
        A precomputed :func:`employment_paths` result for the same codes and periods (a cache).

    Returns
    -------
    dict
        ``sentences`` (list of str), ``tables`` (list of ``_table`` dicts),
        ``caveats`` (list of str), ``sources`` (the dataset kind ``employment_nuts2``),
        ``missing`` (list of str), ``nuts2_codes``, ``area_name`` and ``rows``
        (the :func:`wider_area_growth` frame, or None).
    """
    names = nuts2_names or {}
    res: dict[str, Any] = {"sentences": [], "tables": [], "caveats": [], "sources": [], "missing": [],
                           "nuts2_codes": list(nuts2_codes), "area_name": "", "rows": None}
    if emp is None or emp.empty:
        res["missing"].append("This pack does not include employment by NUTS2 (2013) area, so there is no "
                              "wider-area creative trend; ONS publishes it in the Business Register and "
                              "Employment Survey, on Nomis. Add it with `creative-clusters data import DIR`.")
        return res
    have = set(emp["geo_code"].astype(str))
    codes = [c for c in nuts2_codes if c in have]
    if not codes:
        res["missing"].append(
            f"No wider-area creative trend for {place}: BRES (Great Britain only) has no employment for its "
            f"NUTS2 (2013) area{'s' if len(nuts2_codes) != 1 else ''} {', '.join(nuts2_codes) or '(none found)'}.")
        return res
    if rows is None:
        rows = wider_area_growth(emp, codes, start=start, end=end)
    res["rows"] = rows
    same = bool(n_lads and n_members and n_members >= n_lads) or (population_share is not None
                                                                  and population_share >= 0.9)
    parts = [names.get(c, c) for c in codes]
    # "plus" keeps areas whose names hold "and" apart: "Tees Valley and Durham plus Northumberland and Tyne and Wear"
    area = " plus ".join(parts) if any(" and " in n for n in parts) else " and ".join(parts)
    res["area_name"] = area
    res["sources"].append(kinds.EMPLOYMENT_NUTS2)
    r = rows.set_index("industry_code")
    a = r.loc[ALL]
    p0, p1 = str(a["period_start"]), str(a["period_end"])
    res["sentences"].append(SG.wider_area_growth_sentence(None if same else place, area, p0, p1, a["start_value"],
                                                          a["end_value"], a["cagr_pct"], a["gb_change_pct"],
                                                          n_areas=len(codes)))
    if paths is None:
        paths = employment_paths(emp, codes, start=p0, end=p1)
    swung = ALL in paths.index and swings(paths.loc[ALL].tolist())
    if swung:
        path_text = "; ".join(f"{y}: {SG.fmt_int(v)}" for y, v in paths.loc[ALL].items() if v == v)
        res["sentences"].append(
            f"That change rests on its two end years: in between, creative employment in {area} swung ({path_text}), "
            f"so it is not a trend, and the shift-share below splits a difference between two years, not a "
            "path. Cite the levels, with the year-by-year table.")
    res["sentences"].append(SG.wider_area_lq_sentence(area, p0, p1, a["lq_start"], a["lq_end"]))
    if not swung:
        res["sentences"].append(SG.shift_share_sentence(area, p0, p1, a["change"], a["national_share"],
                                                        a["industry_mix"], a["competitive"],
                                                        a["national_growth_pct"]))
    subs = [s for s in r.index if s != ALL]
    res["sentences"].append(SG.subsector_change_sentence(
        area, [SUB_NAMES[s] for s in subs], [float(r.loc[s, "change"]) for s in subs],
        [r.loc[s, "change_pct"] for s in subs],
        noise=[float(r.loc[s, "rounding"]) for s in subs] if "rounding" in r.columns else None))
    res["sentences"] = [s for s in res["sentences"] if s]
    table_rows = []
    fset = set(focus)
    for s in [*sorted(subs, key=lambda x: (x not in fset, subs.index(x))), ALL]:  # focus first
        x = r.loc[s]
        label = "All creative industries" if s == ALL else SUB_NAMES[s] + (" (focus)" if s in fset else "")
        table_rows.append([label, x["start_value"], x["end_value"], x["change"], x["change_pct"], x["cagr_pct"],
                           x["gb_change_pct"], x["lq_start"], x["lq_end"], x["national_share"],
                           x["industry_mix"], x["competitive"]])
    plural = "s" if len(codes) > 1 else ""
    lads = f"{n_lads} local authorit{'ies' if n_lads != 1 else 'y'}" if n_lads else ""
    share = "" if population_share is None else f"{place} holds {SG.fmt_share(population_share)} of its population"
    if same and n_members is not None and n_lads and n_members >= n_lads:
        size = ((f"The NUTS2 2013 area of the same name ({', '.join(codes)}) covers the same {lads}, "
                 "on NUTS 2013 boundaries.") if area == place else
                (f"{area} (NUTS2 2013 area{plural} {', '.join(codes)}) covers the same {lads} as {place}, "
                 "on NUTS 2013 boundaries."))
    elif same:
        size = (f"{area} (NUTS2 2013 area{plural} {', '.join(codes)}; {lads}) is essentially {place}: "
                f"{share}, so these figures describe {place} closely.")
    else:
        # "much" only on a measured population share: without one (no population for the nation) just "larger"
        much = "much larger" if population_share is not None and population_share < 0.5 else "larger"
        size = (f"{area} (NUTS2 2013 area{plural} {', '.join(codes)}" + (f"; {lads}" if lads else "")
                + f") is {much} than {place}" + (f" ({share})" if share else "")
                + f": these figures describe the wider area, not {place} itself.")
    caveats = [size, *CAVEATS]
    res["caveats"] = caveats
    res["same_area"] = bool(same)  # the NUTS2 area is (essentially) the place: its figures are the place's
    notes = ["Shift-share against Great Britain: national share = the change had each creative sub-sector "
             f"grown at the all-industry rate of Great Britain ({SG.fmt_pct(a['national_growth_pct'])}); "
             "industry mix = the extra from each sub-sector's Great Britain growth differing from that rate; "
             "competitive effect = the rest (the area's own performance). The three sum to the change; the "
             "all-creative row is the sum of the sub-sector rows.",
             "Employment LQ = the area's creative share of all employment (all 525 BRES classes) over the Great "
             "Britain share.", *caveats]
    res["tables"].append(_table(
        f"Creative employment growth and shift-share, {area} (NUTS2 2013"
        + ("" if same else f", the wider area of {place}") + f"), {p0}–{p1}",
        ["Sub-sector", f"Employment {p0}", f"Employment {p1}", "Change", "Change (%)", "CAGR (%)",
         "Great Britain change (%)", f"Employment LQ {p0}", f"Employment LQ {p1}", "National share",
         "Industry mix", "Competitive effect"],
        table_rows,
        ["text", "int", "int", "int", "pct", "pct", "pct", "num2", "num2", "int", "int", "int"], notes))
    years = [str(c) for c in paths.columns]
    if len(years) > 2:  # the in-between years the change skips, so a reader sees the path
        swinging = [SUB_NAMES[s] for s in paths.index if s != ALL and swings(paths.loc[s].tolist())]
        path_rows = [["All creative industries" if s == ALL else SUB_NAMES[s], *paths.loc[s].tolist()]
                     for s in [*[x for x in paths.index if x != ALL], ALL]]
        res["tables"].insert(len(res["tables"]) - 1, _table(  # before the shift-share table, which it explains
            f"Creative employment by year, {area} (NUTS2 2013), {p0}–{p1}", ["Sub-sector", *years], path_rows,
            ["text", *["int"] * len(years)],
            [f"A series swings when a year between the ends lies more than {SWING_SHARE:.0%} (of the larger end) "
             "outside the ends' range: " + (join_and(swinging) + " swing" + ("s" if len(swinging) == 1 else "")
                                             if swinging else "no sub-sector swings")
             + "; its change from end to end is not a trend."]))  # the BRES caveats: once, under the shift-share
    return res
