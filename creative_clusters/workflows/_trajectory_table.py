"""Trajectory tables: every place of a level × every year, and growth over any window (private).

Public names are re-exported by :mod:`creative_clusters.workflows.trajectory`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from creative_clusters.clusters.trajectory import TrajectoryClasses, TrajectoryRules, load_trajectory_rules
from creative_clusters.errors import ParameterError
from creative_clusters.geography.place import nations_in, places_words
from creative_clusters.indicators.lq_over_time import lq_series
from creative_clusters.indicators.trajectory import (
    Window,
    rank_table,
    relative_cagr,
    sum_members,
    window_changes,
)
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._trajectory_data import (
    LEVELS,
    UK_CODE,
    TrajectoryData,
    _level_series,
    _nation_of,
    _reference_tables,
    level_groups,
    load_trajectory_data,
    memo_on,
)
from creative_clusters.workflows.placestats import published_zero_lq_note

__all__ = ["cluster_table", "growth_table", "rules_mapping", "trajectory_table"]


def _class_window(years: Sequence[str], year: str, rules: TrajectoryRules) -> Window | None:
    y = int(year)
    start = max(int(years[0]), y - rules.window_years)
    if y - start < rules.min_window_years or str(start) not in years:
        return None
    return Window("class", str(start), str(y))


#: Tables by (id of the data object, level, years, floors); the data object is kept alive with its tables.
_TABLES: dict[tuple[Any, ...], tuple[TrajectoryData, pd.DataFrame]] = {}

#: Where the classes' size floors are taken: among every UK place of the level, or each nation's own.
FLOORS = ("uk", "nation")


def trajectory_table(
    wh: Warehouse | None = None,
    level: str = "lad",
    *,
    data: TrajectoryData | None = None,
    years: Sequence[str | int] | None = None,
    rules: str | Path | Mapping[str, Any] | None = None,
    cache: bool = True,
    floors: str = "uk",
) -> pd.DataFrame:
    """All places of ``level`` × all years: counts, ranks, LQ, flags and trajectory classes.

    Parameters
    ----------
    wh : Warehouse, optional
        Read with :func:`load_trajectory_data` unless ``data`` is given.
    level : str
        One of :data:`LEVELS`.
    years : sequence, optional
        Restrict the rows (and the classes computed) to these years; ranks,
        outlier tests and growth still use the whole series.
    rules : optional
        Trajectory rules (default: the packaged YAML).
    cache : bool, default True
        Reuse a table already computed for the same data object, level and years
        (benchmarks switch it off).
    floors : {"uk", "nation"}, default "uk"
        Where the classes' size floors (quantiles of the places' counts) are
        taken: among every UK place of the level (the product's default), or
        among the place's own nation's places, for a classification
        benchmarked within one nation (``clusters --scope scotland``; a
        nation with fewer places than the rules' ``floors.nation_min_places``
        keeps the UK's). The column ``floor_of`` names them ("Scotland's 32
        council areas"), as each reason does.

    Returns
    -------
    pandas.DataFrame
        One row per place × year: ``geo_code, geo_name, level, nation, period,
        value, disclosure_flag, n_members, rank_uk, n_uk, tied_uk, rank_nation, n_nation, tied_nation,
        lq, lq_lower, lq_upper, outlier_flag, outlier_note, lq_flag, lq_note,
        window_start, cagr, relative_cagr_pp, trajectory, trajectory_reason``.
        ``rank_uk`` ranks places of the level across the UK, or across the nations in
        ``rank_base`` (e.g. "England and Wales" for TTWAs); ``rank_nation``
        within the nation; ``tied_uk`` / ``tied_nation``: how many other places
        share that rank (the same count), said as "joint". Tables with the packaged rules are cached per data
        object (a copy is returned).
    """
    if data is None:
        if wh is None:
            raise ParameterError("trajectory_table() needs a warehouse or data=.")
        data = load_trajectory_data(wh)
    if floors not in FLOORS:
        raise ParameterError(f"floors must be one of {list(FLOORS)}; got {floors!r}.")
    if rules is not None or not cache:
        return _trajectory_table(level=level, data=data, years=years, rules=rules, floors=floors)
    key: tuple[Any, ...] = (id(data), level, None if years is None else tuple(str(y) for y in years))
    if floors != "uk":
        key = (*key, floors)
    return memo_on(_TABLES, data, key, lambda: _trajectory_table(level=level, data=data, years=years,
                                                                 floors=floors)).copy()


def rank_base(table: pd.DataFrame) -> str:
    """What ``rank_uk`` ranks among, in words: the nations of the places ranked ("the UK" for LADs,
    "England and Wales" for TTWAs, whose LAD lookup covers those two). Read from a ``rank_base`` column when
    the table has one (an older cached table may not), else from the ``nation`` of the rows with a rank.

    >>> rank_base(pd.DataFrame({"nation": ["E92000001", "W92000004", None], "rank_uk": [1, 2, None]}))
    'England and Wales'
    """
    if "rank_base" in table.columns and len(table):
        return str(table["rank_base"].iloc[0])
    return nations_in(table.loc[table["rank_uk"].notna(), "nation"].dropna().unique())


def remember_table(data: TrajectoryData, level: str, table: pd.DataFrame) -> None:
    """Make ``table`` (computed earlier by :func:`trajectory_table` from these ``data`` with the
    packaged rules, e.g. read back from a disk cache) the cached table of ``level``."""
    if len(_TABLES) > 64:
        _TABLES.clear()
    _TABLES[(id(data), level, None)] = (data, table)


def has_table(data: TrajectoryData, level: str) -> bool:
    """True when ``level``'s table for these ``data`` is already in this process's cache."""
    hit = _TABLES.get((id(data), level, None))
    return hit is not None and hit[0] is data


def _trajectory_table(
    wh: Warehouse | None = None,
    level: str = "lad",
    *,
    data: TrajectoryData | None = None,
    years: Sequence[str | int] | None = None,
    rules: str | Path | Mapping[str, Any] | None = None,
    floors: str = "uk",
) -> pd.DataFrame:
    """:func:`trajectory_table` without the cache."""
    if data is None:
        if wh is None:
            raise ParameterError("trajectory_table() needs a warehouse or data=.")
        data = load_trajectory_data(wh)
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {list(LEVELS)}; got {level!r}.")
    r = load_trajectory_rules(rules)
    groups = level_groups(data, level)
    table = _level_series(data, groups, level)
    nation = {g: (_nation_of(m) if level not in ("uk",) else UK_CODE) for g, m in groups.items()}
    if level == "ctry":
        nation = {g: g for g in groups}
    all_years = data.years
    want = [str(y) for y in years] if years is not None else all_years
    bad = sorted(set(want) - set(all_years))
    if bad:
        raise ParameterError(f"the series {data.source.id} has no year(s) {bad}; it covers "
                             f"{all_years[0]}–{all_years[-1]}.")
    ranks = rank_table(table, groups=nation)
    out = table.merge(ranks[["geo_code", "period", "rank_all", "n_all", "tied_all", "rank_group", "n_group",
                             "tied_group"]], on=["geo_code", "period"], how="left")
    out = out.rename(columns={"rank_all": "rank_uk", "n_all": "n_uk", "tied_all": "tied_uk",
                              "rank_group": "rank_nation", "n_group": "n_nation", "tied_group": "tied_nation"})
    out.insert(1, "geo_name", out["geo_code"].map(data.names).fillna(out["geo_code"]))
    out.insert(2, "level", level)
    out.insert(3, "nation", out["geo_code"].map(nation))
    out["rank_base"] = rank_base(out)
    out = out.merge(_level_lq(data, table, level), on=["geo_code", "period"], how="left")
    out = out.merge(_level_outliers(data, groups, level), on=["geo_code", "period"], how="left")
    out = out.merge(_level_outliers(data, groups, level, denominator=True), on=["geo_code", "period"], how="left")
    for c in ("outlier_flag", "outlier_note", "lq_flag", "lq_note"):
        out[c] = out[c].fillna("").astype(str)
    # every year's LQ: a class may use an earlier one
    classes = _classes(data, table, nation, out, want, r, floors=floors, level=level)
    out = out[out["period"].isin(want)]
    out = out.merge(classes, on=["geo_code", "period"], how="left")
    out["trajectory"] = out["trajectory"].fillna("")
    out["trajectory_reason"] = out["trajectory_reason"].fillna("")
    out["floor_of"] = out["floor_of"].fillna("").astype(str)
    return out.sort_values(["geo_code", "period"]).reset_index(drop=True)


def _level_lq(data: TrajectoryData, table: pd.DataFrame, level: str) -> pd.DataFrame:
    cols = ["geo_code", "period", "lq", "lq_lower", "lq_upper"]
    if data.active.empty:
        return pd.DataFrame(columns=cols)
    creative = data.series.assign(measure="enterprises")
    active = data.active
    if level == "lad":
        res = lq_series(creative, active)
        return res[cols]
    groups = level_groups(data, level)
    num = table[["geo_code", "period", "value"]].assign(dataset=data.source.id, measure="enterprises")
    den = sum_members(active, groups).assign(dataset="+".join(sorted(set(active["dataset"]))),
                                             measure="active_enterprises")
    ref = pd.DataFrame({
        "period": sorted(set(active["period"])),
    })
    ref["creative"] = ref["period"].map(creative.groupby("period")["value"].sum())
    ref["active"] = ref["period"].map(active.groupby("period")["value"].sum())
    res = lq_series(num, den) if level == "uk" else lq_series(num, den, reference=ref)
    return res[cols]


def _level_outliers(data: TrajectoryData, groups: Mapping[str, Sequence[str]], level: str,
                    *, denominator: bool = False) -> pd.DataFrame:
    """Flags of the place's own values (or, with ``denominator``, of its LQ denominator), members named."""
    src = data.denominator_breaks if denominator else data.outliers
    flag_col, note_col = ("lq_flag", "lq_note") if denominator else ("outlier_flag", "outlier_note")
    cols = ["geo_code", "period", flag_col, note_col]
    if src is None or src.empty or not (src["flag"] != "").any():
        return pd.DataFrame(columns=cols)
    f = src[src["flag"] != ""]
    what = "active enterprises (the LQ denominator)" if denominator else "value"
    rows = []
    flagged = set(f["geo_code"])
    for g, members in groups.items():
        for m in sorted(set(members) & flagged):
            for rec in f[f["geo_code"] == m].to_dict("records"):
                label = ("denominator-break" if denominator else rec["flag"])
                who = "" if level == "lad" else f"Includes {data.names.get(m, m)} ({m}), whose "
                text = (f"{who}{what} {'are' if denominator else 'is'} flagged: {rec['note']}" if who
                        else (f"Active enterprises (the LQ denominator) are flagged: {rec['note']} The LQ "
                              "moves with them." if denominator else rec["note"]))
                rows.append({"geo_code": g, "period": rec["period"], flag_col: label, note_col: text})
    if not rows:
        return pd.DataFrame(columns=cols)
    res = pd.DataFrame(rows)
    return res.groupby(["geo_code", "period"], as_index=False).agg(
        **{flag_col: (flag_col, "first"), note_col: (note_col, " ".join)})


def _floor_groups(data: TrajectoryData, ch: pd.DataFrame, nation: Mapping[str, str], level: str, floors: str,
                  min_places: int) -> tuple[pd.Series, pd.Series]:
    """Each row's floor group and, in words, the places of that group ("Scotland's 32 council areas")."""
    nat = ch["geo_code"].map(nation).astype(str)
    n_nat = ch.groupby(["period", nat])["geo_code"].transform("size")
    own = (nat if floors == "nation" else pd.Series("", index=ch.index)).where(n_nat >= min_places, "")
    if floors == "nation" and level == "ctry":
        own = pd.Series("", index=ch.index)  # a nation is its own only place: the nations are one group
    uk_base = nations_in(nation.values())
    n = ch.groupby(["period", own])["geo_code"].transform("size")
    words = [places_words(level, int(k), data.names.get(o, o) if o else uk_base)
             for o, k in zip(own, n, strict=True)]
    return own, pd.Series(words, index=ch.index, dtype=object)


def _classes(data: TrajectoryData, table: pd.DataFrame, nation: Mapping[str, str], rows: pd.DataFrame,
             want: Sequence[str], rules: TrajectoryRules, *, floors: str = "uk", level: str = "lad") -> pd.DataFrame:
    cols = ["geo_code", "period", "window_start", "cagr", "relative_cagr_pp", "trajectory", "trajectory_reason",
            "floor_of"]
    wins = [w for w in (_class_window(data.years, y, rules) for y in want) if w is not None]
    if not wins or (set(nation.values()) == {UK_CODE} and len(nation) == 1):
        return pd.DataFrame(columns=cols)  # no window, or the UK itself (the reference)
    wins = [Window(f"class_{w.end}", w.start, w.end) for w in wins]
    ref_series, _ = _reference_tables(data)
    ch = window_changes(table, wins)
    ref_ch = window_changes(ref_series, wins)
    if all(g == n for g, n in nation.items()):  # the nations themselves: a nation is level with itself, so the UK
        rules = replace(rules, compare_with="uk")
    # a place that is a nation (Scotland, Wales, Northern Ireland among the regions) is compared with the UK, as
    # the nations are: never with itself ("level with its nation", +0.0 points)
    ref_of = {g: ("uk" if rules.compare_with == "uk" or nation.get(g) == g else "nation")
              for g in ch["geo_code"].unique()}
    parent = {g: (nation[g] if ref == "nation" else UK_CODE) for g, ref in ref_of.items()}
    ch["relative_cagr_pp"] = relative_cagr(ch, ref_ch, parent)
    ch["compare_with"] = ch["geo_code"].map(ref_of)
    ch["period"] = ch["period_end"]
    # The LQ of the class year, or of the latest earlier year with a denominator (2024 for 2025).
    lq = rows[["geo_code", "period", "lq"]].dropna(subset=["lq"]).assign(lq_period=lambda f: f["period"])
    lq = lq.sort_values("period")
    ch = ch.sort_values("period")
    ch = pd.merge_asof(ch.assign(_y=ch["period"].astype(int)), lq.assign(_y=lq["period"].astype(int))
                       .drop(columns="period"), on="_y", by="geo_code", direction="backward")
    ch["floor_group"], ch["floor_of"] = _floor_groups(data, ch, nation, level, floors,
                                                      rules.floors_nation_min_places)
    det = TrajectoryClasses(rules=rules_mapping(rules), by=["period", "floor_group"], floor_of="floor_of",
                            compare_with="compare_with").fit(ch)
    # the LQ named with its reference and year: a pack also shows an LQ against England from the counts by
    # SIC class (Brighton and Hove: 1.90 there, 1.99 here), so an unlabelled one reads as a contradiction
    year = ch["lq_period"].fillna("").astype(str)
    other_year = (", " + year).where(year != ch["period"].astype(str), "")  # the LQ's year when not the class's
    # named beside the LQ it labels, not after the reason's last clause (which a summary quotes: "not emerging: ...")
    reason = det.reasons_.where(ch["lq_period"].isna(), pd.Series(
        [_LQ_FIGURE.sub(rf"\g<0> against the UK (annual series{y})", x, count=1)
         for x, y in zip(det.reasons_, other_year, strict=True)], index=det.reasons_.index))
    labels = pd.Series(det.labels_, index=ch.index).astype(object)
    # a class resting on a count flagged as a likely error in the source (Bromsgrove 2018: 1,360 between 415 and
    # 425) is withheld: the value is shown as published, but no claim is built on it
    own = rows[(rows["outlier_flag"] == "outlier") & ~rows["outlier_note"].str.startswith("Includes ")] \
        if "outlier_flag" in rows.columns else rows.iloc[0:0]
    if len(own):
        bad = {(str(g), str(y)): float(v) for g, y, v in zip(own["geo_code"], own["period"], own["value"],
                                                             strict=True)}
        for i, g, a, b in zip(ch.index, ch["geo_code"], ch["period_start"], ch["period"], strict=True):
            hit = next(((y, bad[(str(g), str(y))]) for y in (b, a) if (str(g), str(y)) in bad), None)
            if hit is not None:
                labels[i] = ""
                reason[i] = (f"no class: its {hit[0]} count ({hit[1]:,.0f}) is flagged as a likely error in the "
                             "source (see the year's note), and a class over the window would rest on it")
    return pd.DataFrame({
        "geo_code": ch["geo_code"], "period": ch["period"], "window_start": ch["period_start"],
        "cagr": ch["cagr"], "relative_cagr_pp": ch["relative_cagr_pp"],
        "trajectory": labels, "trajectory_reason": reason, "floor_of": ch["floor_of"],
    })


#: The LQ figure in a class's reason (``"…, LQ 0.47; not emerging: …"``).
_LQ_FIGURE = re.compile(r"\bLQ \d[\d.]*")


def rules_mapping(rules: TrajectoryRules) -> dict[str, Any]:
    """The rules back as the YAML's mapping (so a loaded rule set can be passed to the classifier)."""
    return {
        "window": {"years": rules.window_years, "min_years": rules.min_window_years,
                   "compare_with": rules.compare_with},
        "precedence": list(rules.precedence),
        "declining": {"max_cagr": rules.declining_max_cagr,
                      "max_relative_cagr_pp": rules.declining_max_relative_pp},
        "established": {"min_lq": rules.established_min_lq,
                        "min_size_quantile": rules.established_min_size_quantile,
                        "without_lq_min_size_quantile": rules.established_without_lq_min_size_quantile},
        "emerging": {"min_relative_cagr_pp": rules.emerging_min_relative_pp,
                     "min_base_quantile": rules.emerging_min_base_quantile},
        "floors": {"nation_min_places": rules.floors_nation_min_places},
    }




def growth_table(
    wh: Warehouse | None = None,
    level: str = "lad",
    *,
    start: str | int,
    end: str | int,
    data: TrajectoryData | None = None,
) -> pd.DataFrame:
    """Change in creative enterprises between two years for every place of a level.

    The growth measure of maps and the web map: any window of the series,
    compared with the place's nation (a nation with the UK).

    Returns
    -------
    pandas.DataFrame
        ``geo_code, geo_name, level, nation, period_start, period_end, start_value,
        end_value, change, change_pct, cagr`` (fraction a year), ``nation_cagr``,
        ``relative_to_nation_pp`` (points a year), ``disclosure_flag``,
        ``outlier_flag`` (``outlier`` / ``break`` when the value at either end
        is flagged) and ``note``.
    """
    if data is None:
        if wh is None:
            raise ParameterError("growth_table() needs a warehouse or data=.")
        data = load_trajectory_data(wh)
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {list(LEVELS)}; got {level!r}.")
    a, b = str(start), str(end)
    years = data.years
    if a not in years or b not in years or int(a) >= int(b):
        raise ParameterError(f"growth needs two years of the series ({years[0]}–{years[-1]}) with start before "
                             f"end; got {a}–{b}.")
    groups = level_groups(data, level)
    table = _level_series(data, groups, level)
    w = Window("growth", a, b)
    ch = window_changes(table, [w])
    ref_series, _ = _reference_tables(data)
    ref = window_changes(ref_series, [w]).set_index("geo_code")["cagr"]
    nation = {g: (g if level == "ctry" else UK_CODE if level == "uk" else _nation_of(m)) for g, m in groups.items()}
    # a nation (and a region that is one: Wales among the regions) is compared with the UK, never with itself
    nation = {g: (UK_CODE if n == g else n) for g, n in nation.items()}
    ch.insert(1, "geo_name", ch["geo_code"].map(data.names).fillna(ch["geo_code"]))
    ch.insert(2, "level", level)
    ch.insert(3, "nation", ch["geo_code"].map(nation))
    ch["nation_cagr"] = ch["nation"].map(ref).astype(float)
    ch["relative_to_nation_pp"] = 100 * (ch["cagr"] - ch["nation_cagr"])
    flags = _level_outliers(data, groups, level)
    flags = flags[flags["period"].isin([a, b])] if len(flags) else flags
    if len(flags):
        f = flags.groupby("geo_code").agg(outlier_flag=("outlier_flag", "first"), note=("outlier_note", " ".join))
        ch = ch.merge(f, left_on="geo_code", right_index=True, how="left")
    else:
        ch["outlier_flag"], ch["note"] = "", ""
    ch["outlier_flag"] = ch["outlier_flag"].fillna("").astype(str)
    ch["note"] = ch["note"].fillna("").astype(str)
    return ch.drop(columns=["window", "label", "years"]).sort_values("geo_code").reset_index(drop=True)


def cluster_table(
    wh: Warehouse | None = None,
    level: str = "lad",
    *,
    year: str | int | None = None,
    data: TrajectoryData | None = None,
    nation: str | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Trajectory classes of every place of a level in one year, shaped like the detectors' results.

    For ``clusters --method trajectory`` and ``map --method trajectory``: every
    UK place (the series covers all 361 LADs), ``cluster`` True for
    established and emerging places; with ``nation`` (a nation's GSS code,
    ``--scope scotland``), that nation's places only, classified within it:
    growth against the nation as always, and size floors from the nation's
    own places (:func:`trajectory_table` ``floors="nation"``), which the
    method line and every reason name.

    Returns
    -------
    table : pandas.DataFrame
        ``geo_code, geo_name, nation, nation_name, businesses, business_lq`` (of the year, or of
        ``lq_year``, the latest earlier year with a denominator), ``lq_lower, lq_upper,
        trajectory, cluster, cagr, relative_cagr_pp, window, disclosure_flag,
        outlier_flag, note, trajectory_reason, floor_of, method, caveat``.
    meta : dict
        ``lq``, ``size``, ``measure``, ``level``, ``source`` (source line), ``period``, ``floor_of`` (the places
        the size floors come from, in words; "" when no class).
    """
    if data is None:
        if wh is None:
            raise ParameterError("cluster_table() needs a warehouse or data=.")
        data = load_trajectory_data(wh)
    y = str(year) if year is not None else data.years[-1]
    if y not in data.years:
        raise ParameterError(f"the series {data.source.id} covers {data.years[0]}–{data.years[-1]}; no year {y}.")
    rules = load_trajectory_rules()
    floors = "nation" if nation else "uk"
    t = trajectory_table(level=level, data=data, years=[y], floors=floors)
    if nation:
        t = t[t["nation"] == nation].reset_index(drop=True)
    # the LQ the class used: the year's, or the latest earlier year's with a denominator
    lq = trajectory_table(level=level, data=data).dropna(subset=["lq"])
    lq = lq[lq["period"] <= y].sort_values("period").drop_duplicates("geo_code", keep="last")
    lq = lq.set_index("geo_code")
    # a published 0 (0 to 2 enterprises) has no LQ, only its upper bound: the profile's and the map's rule
    zero = lq["value"] == 0
    lq = lq.assign(lq=lq["lq"].mask(zero), lq_lower=lq["lq_lower"].mask(zero),
                   zero_note=[published_zero_lq_note(0, hi) if z else "" for z, hi in zip(zero, lq["lq_upper"],
                                                                                          strict=True)])
    out = pd.DataFrame({
        "geo_code": t["geo_code"], "geo_name": t["geo_name"], "nation": t["nation"],
        "nation_name": t["nation"].map(lambda c: data.names.get(c, c)),
        "businesses": t["value"], "business_lq": t["geo_code"].map(lq["lq"]),
        "lq_year": t["geo_code"].map(lq["period"]).astype(object).fillna(""),
        "lq_lower": t["geo_code"].map(lq["lq_lower"]), "lq_upper": t["geo_code"].map(lq["lq_upper"]),
        "trajectory": t["trajectory"], "cluster": t["trajectory"].isin(["established", "emerging"]),
        "cagr": t["cagr"], "relative_cagr_pp": t["relative_cagr_pp"],
        "window": [f"{a}–{y}" if isinstance(a, str) and a else "" for a in t["window_start"]],
        "disclosure_flag": t["disclosure_flag"],
        "outlier_flag": [" ".join(x for x in (a, b) if x) for a, b in zip(t["outlier_flag"], t["lq_flag"],
                                                                         strict=True)],
        "note": [" ".join(x for x in (a, b, c) if x) for a, b, c in
                 zip(t["outlier_note"], t["lq_note"], t["geo_code"].map(lq["zero_note"]).fillna(""), strict=True)],
        "trajectory_reason": t["trajectory_reason"], "floor_of": t["floor_of"],
    })
    win = _class_window(data.years, y, rules)
    among = sorted({x for x in t["floor_of"] if x})
    is_nation = (t["nation"] == t["geo_code"]).any()  # Scotland among the regions: compared with the UK
    out["method"] = (f"trajectory classes: growth {rules.window_words(win.start, win.end)} against the place's "
                     f"nation{' (a nation against the UK)' if is_nation else ''}; size floors among "
                     f"{' / '.join(among) or 'places of its level'}"
                     if win is not None else "trajectory classes: none for this year")
    # what the run covers: every UK local authority, or one nation's (--scope wales)
    covers = f"{data.names.get(nation, nation)}'s local authorities only" if nation else "all UK local authorities"
    caveats = [f"enterprises rounded to 5 by ONS; {covers} ({data.years[0]}–{data.years[-1]} series)"]
    if win is None:
        words = rules.no_class_words(y, data.years[0]).rstrip(".")
        caveats.append(words[0].lower() + words[1:])
    elif y not in set(data.active["period"]):
        have = sorted(set(data.active["period"]))
        span = f"{have[0]}–{have[-1]}" if len(have) > 1 else (have[0] if have else "no year")
        caveats.append(f"no LQ for {y}: active enterprises (Business Demography), the LQ's denominator, cover "
                       f"{span} only, so the LQ shown, and used for the class 'established', is that of the "
                       "latest earlier year with one"
                       + (f"; before {have[0]} there is none, and 'established' rests on size alone"
                          if have and y < have[0] else ""))
    if level == "ttwa":
        caveats.append("TTWAs of England and Wales only, LAD-approximated (each LAD wholly in the TTWA holding "
                       "most of its LSOAs)")
    out["caveat"] = "; ".join(caveats)
    src = data.source
    meta = {"lq": "business_lq", "size": "businesses", "measure": "businesses", "level": level, "period": y,
            "source": f"{src.title or src.id} ({src.publisher}), {y}", "floor_of": " / ".join(among)}
    return out.sort_values("geo_code").reset_index(drop=True), meta
