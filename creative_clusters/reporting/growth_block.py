"""Section 3 "wider area" block: creative employment growth in the NUTS2 (2013) area
containing the place, from BRES employment by NUTS2 × SIC class (pure formatting).

The figures (employment by DCMS sub-sector at both ends, growth, CAGR, the
employment LQ at both ends and a shift-share against Great Britain, and the
year-by-year path) are computed once in
:mod:`creative_clusters.workflows.wider_area` and handed in as a
:class:`~creative_clusters.workflows.wider_area.WiderAreaGrowth`; this module
only turns them into sentences, tables and caveats.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from creative_clusters import kinds
from creative_clusters._counts import BRES_ROUNDING
from creative_clusters.classifications import dcms
from creative_clusters.reporting import sentences_growth as SG
from creative_clusters.reporting._model import _table
from creative_clusters.reporting.formatting import join_apart

if TYPE_CHECKING:  # the type only: reporting renders results and never imports workflows at run time
    import pandas as pd

    from creative_clusters.workflows.wider_area import WiderAreaGrowth

__all__ = ["CAVEATS", "growth_block"]

ALL = "_T"
SUB_NAMES = {dcms.subsector_short(s): s for s in dcms.SUBSECTORS}

#: Standing caveats of the block (the place-specific first one is added by :func:`growth_block`).
def _band_words(bands: Sequence[tuple[float, int]]) -> str:
    """The rounding bands in words, from the one table of them (``_counts.BRES_ROUNDING``).

    >>> _band_words(((50, 5), (500, 25), (float("inf"), 1_000)))
    'to 5 below 50, to 25 up to 499, to 1,000 above'
    >>> _band_words(((50.0, 5), (float("inf"), 1_000)))  # a float bound is said as the whole number it is
    'to 5 below 50, to 1,000 above'
    """
    words, low = [], None
    for below, step in bands:
        if below == float("inf"):
            words.append(f"to {step:,} above")
        elif low is None:
            words.append(f"to {step:,} below {int(below):,}")
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


#: An in-between year lies this far (a share of the larger end year) outside the two end years' range:
#: the change between the ends is not a trend (BRES small-area estimates swing from year to year).
SWING_SHARE = 0.10


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


def _listed(names: list[str]) -> str:
    """Sub-sector names in a list, kept apart by semicolons (their names hold commas and "and").

    >>> _listed(["Museums, galleries and libraries", "Music, performing and visual arts"])
    'Museums, galleries and libraries; and Music, performing and visual arts'
    """
    return join_apart(names)


def _swinging(subs: list[str], paths: pd.DataFrame) -> list[str]:
    """The sub-sectors whose own path swings between the end years (East Wales's IT: 2,665, 7,055, 14,185,
    4,765): none of their changes is cited as a rise or a fall, and the prose and the year-by-year table's
    note name the same list (Cornwall's prose named 2 where the note named 4)."""
    return [s for s in subs if s in paths.index and swings(paths.loc[s].tolist())]


def growth_block(wider: WiderAreaGrowth | None, nuts2_codes: Sequence[str], *, place: str,
                 nuts2_names: dict[str, str] | None = None, n_lads: int | None = None,
                 focus: Sequence[str] = (), n_members: int | None = None,
                 population_share: float | None = None, share_holder: str = "") -> dict[str, Any]:
    """Sentences, one table and caveats for section 3 (pure formatting).

    Parameters
    ----------
    wider : WiderAreaGrowth or None
        The place's wider-area figures
        (:func:`creative_clusters.workflows.wider_area.wider_area`); None when the
        pack has no BRES employment by NUTS2.
    nuts2_codes : sequence of str
        NUTS2 (2013) area(s) containing the place (see
        :func:`creative_clusters.geography.nuts2.place_nuts2`), for the note when BRES covers none.
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
    share_holder : str, optional
        Whose population ``population_share`` measures, when not the place's as named: a travel-to-work area
        stood for by one local authority ("the Isles of Scilly" for the Penzance TTWA).

    Returns
    -------
    dict
        ``sentences`` (list of str), ``tables`` (list of ``_table`` dicts),
        ``caveats`` (list of str), ``sources`` (the dataset kind ``employment_nuts2``),
        ``missing`` (list of str), ``nuts2_codes``, ``area_name`` and ``rows``
        (the :func:`~creative_clusters.workflows.wider_area.wider_area_growth` frame, or None).
    """
    names = nuts2_names or {}
    res: dict[str, Any] = {"sentences": [], "tables": [], "caveats": [], "sources": [], "missing": [],
                           "nuts2_codes": list(nuts2_codes), "area_name": "", "rows": None}
    if wider is None:
        res["missing"].append("This pack does not include employment by NUTS2 (2013) area, so there is no "
                              "wider-area creative trend; ONS publishes it in the Business Register and "
                              "Employment Survey, on Nomis. Add it with `creative-clusters data import DIR`.")
        return res
    codes = list(wider.codes)
    rows, paths = wider.rows, wider.paths
    if not codes or rows is None or paths is None:
        res["missing"].append(
            f"No wider-area creative trend for {place}: BRES (Great Britain only) has no employment for its "
            f"NUTS2 (2013) area{'s' if len(nuts2_codes) != 1 else ''} {', '.join(nuts2_codes) or '(none found)'}.")
        return res
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
                                                          n_areas=len(codes), change_pct=a["change_pct"]))
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
    # a sub-sector whose own path swings between the end years has no change to cite either (East Wales's IT:
    # 2,665, 7,055, 14,185, 4,765): it is named as such, not ranked as the largest rise
    swung_subs = _swinging(subs, paths)
    steady = [s for s in subs if s not in swung_subs]
    res["sentences"].append(SG.subsector_change_sentence(
        area, [SUB_NAMES[s] for s in steady], [float(r.loc[s, "change"]) for s in steady],
        [r.loc[s, "change_pct"] for s in steady],
        noise=[float(r.loc[s, "rounding"]) for s in steady] if "rounding" in r.columns else None))
    if swung_subs:
        names_ = [SUB_NAMES[s] for s in swung_subs]
        who = _listed(names_)
        res["sentences"].append(
            (f"{who} swung between the end years in {area}, so its change is" if len(names_) == 1 else
             f"{len(names_)} sub-sectors swung between the end years in {area} ({who}), so their changes are")
            + " not cited as a rise or a fall; the year-by-year table shows the path.")
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
    # ``share_holder``: whose population the share measures when it is not the place's as named (a TTWA stood
    # for by one local authority: the Penzance TTWA's share is the Isles of Scilly's)
    holder = share_holder or place
    share = "" if population_share is None else f"{holder} holds {SG.fmt_share(population_share)} of its population"
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
                + f") is {much} than {place}"  # "(which holds …)": the place named once
                + ((f" (which holds {SG.fmt_share(population_share)} of its population)" if not share_holder else
                    f" (whose local authority here, {share_holder}, holds {SG.fmt_share(population_share)} of "
                    f"{area}'s population)")
                   if population_share is not None else "")
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
        swinging = [SUB_NAMES[s] for s in swung_subs]  # the prose's list
        path_rows = [["All creative industries" if s == ALL else SUB_NAMES[s], *paths.loc[s].tolist()]
                     for s in [*[x for x in paths.index if x != ALL], ALL]]
        res["tables"].insert(len(res["tables"]) - 1, _table(  # before the shift-share table, which it explains
            f"Creative employment by year, {area} (NUTS2 2013), {p0}–{p1}", ["Sub-sector", *years], path_rows,
            ["text", *["int"] * len(years)],
            [f"A series swings when a year between the ends lies more than {SWING_SHARE:.0%} (of the larger end) "
             "outside the ends' range, and its change from end to end is not a trend. "
             + (f"Swinging here: {_listed(swinging)}." if swinging else "No sub-sector swings here.")]))
    # the BRES caveats: once, under the shift-share
    return res
