"""The one producer of place statistics.

Every figure the product states about a place - creative enterprises, their
share of the nation's, their share of all active enterprises, the business
location quotient with its exact interval and flags, ranks among places of the
same level, the sub-sector mix and the Census 2021 creative workforce - is
computed here, once, from the ``indicators`` formulas, on the datasets the
warehouse catalogue says serve them (:mod:`creative_clusters.kinds`: the latest
vintage by default, any other on request). ``cli``, ``web`` and ``reporting``
render these results; they never compute a statistic.

Two shapes, one computation:

- :func:`level_table`: one row per place of a level (``lad``, ``cauth``,
  ``rgn``, ``ttwa``) with every headline column - what maps, tables, ranks
  and the benchmark read;
- :func:`place_statistics`: the typed :class:`~creative_clusters.results.PlaceStatistics`
  of one place, read from that table (or, for a user-defined group, from the
  same formulas on its members' summed counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import possessive
from creative_clusters.classifications import dcms
from creative_clusters.errors import ClusterToolkitError, ParameterError, WarehouseError
from creative_clusters.indicators.lq import aggregate_counts, location_quotient, share_of
from creative_clusters.indicators.ranking import MIN_RANK_COUNT, supported_rank
from creative_clusters.results import (
    NOT_APPLICABLE,
    DatasetRef,
    MissingItem,
    PlaceRef,
    PlaceStatistics,
    Statistic,
    SubsectorStatistics,
)
from creative_clusters.workflows import gaps
from creative_clusters.workflows._notes import with_notes

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = [
    "HEADLINE_COLUMNS",
    "LEVELS",
    "level_table",
    "place_statistics",
    "published_zero_lq_note",
    "subsector_table",
]

#: Levels with a national table (LAD counts summed to the level; TTWAs by the majority rule).
LEVELS = ("lad", "cauth", "rgn", "ttwa")

#: The headline columns of :func:`level_table`, in order.
HEADLINE_COLUMNS = (
    "geo_code", "geo_name", "businesses", "share_of_national", "active_enterprises",
    "creative_share_of_active", "business_lq", "lq_lower", "lq_upper", "small_count",
    "disclosure_flag", "rank_businesses", "rank_business_lq", "n_places",
    "creative_residents", "residents_in_employment", "creative_resident_share",
)

_MIXED = ("creative enterprises (UK Business Counts, March snapshot) over active enterprises of all "
          "industries (Business Demography, any activity in the year): different sources and dates")

# one national table per (warehouse version, level, year, subsector); tables are small
_CACHE: dict[tuple[str, str, str, str], tuple[pd.DataFrame, dict[str, Any]]] = {}


def _key(wh: Warehouse, *parts: object) -> tuple[str, str, str, str]:
    p = [str(x) for x in parts] + [""] * 3
    return (wh.version() + str(wh.home), p[0], p[1], p[2])


def _census_by_lad(wh: Warehouse) -> tuple[pd.DataFrame | None, DatasetRef | None]:
    """Creative residents and residents in employment per LAD on the business LAD vintage."""
    ref = wh.find_dataset(kinds.CENSUS_INDUSTRY)
    if ref is None or wh.find_dataset(kinds.EMPLOYMENT_NUTS2) is None:
        return None, ref
    from creative_clusters.geography.lookups import to_lad_vintage
    from creative_clusters.workflows.workforce_report import creative_residents_by_lad

    by = creative_residents_by_lad(wh)
    long = pd.concat([
        pd.DataFrame({"geo_code": by["geo_code"], "geo_type": "lad", "period": ref.vintage,
                      "measure": m, "value": by[m].astype(float)})
        for m in ("creative_residents", "residents_in_employment")
    ], ignore_index=True)
    if wh.has_table("code_changes"):
        long = to_lad_vintage(long, wh.table("code_changes"), vintage=kinds.LAD_VINTAGE)
    wide = long.pivot_table(index="geo_code", columns="measure", values="value", aggfunc="sum")
    return wide.reset_index(), ref


def level_table(
    wh: Warehouse, *, level: str = "lad", year: int | str | None = None, subsector: str | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One row per place of ``level`` with every headline statistic, and its provenance.

    Parameters
    ----------
    wh : Warehouse
    level : {"lad", "cauth", "rgn", "ttwa"}
    year : int or str, optional
        Period of the creative business counts; the latest in the catalogue by default.
    subsector : str, optional
        A DCMS sub-sector (or alias); all creative industries by default.

    Returns
    -------
    table : DataFrame
        :data:`HEADLINE_COLUMNS` plus the business table's mix columns
        (``biz_*``, ``hhi``, ...). Shares are fractions (0-1). Ranks are 1 =
        largest among the level's places with a value, ties sharing the best rank.
    meta : dict
        ``numerator`` / ``denominator`` / ``census`` (:class:`DatasetRef` or
        ``None``), ``period``, ``denominator_period``, ``national_total``,
        ``national_share_of_active``, ``national_resident_share``, ``notes``.
    """
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {list(LEVELS)} for place statistics. Got {level!r}.")
    key = _key(wh, level, year, subsector)
    if key in _CACHE:
        table, meta = _CACHE[key]
        return table.copy(), dict(meta)
    from creative_clusters.workflows.business_counts import (
        ALL,
        active_enterprises,
        denominator_period_for,
        lad_business_counts,
        lad_business_table,
        to_level,
    )

    table, notes = with_notes(lad_business_table, wh, year=year, subsector=subsector, level=level,
                              centroids=False)
    counts = lad_business_counts(wh, year=year)
    num_ref = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year, measure="enterprises")
    period = str(counts["period"].iloc[0])
    code = str(table["industry_code"].iloc[0])
    national = float(counts.loc[counts["industry_code"] == code, "value"].sum())
    den = active_enterprises(wh, period=denominator_period_for(wh, period))
    den_period = str(den["period"].iloc[0])
    den = den[den["geo_code"].isin(set(counts["geo_code"]))]
    nat_active = float(den["value"].sum())
    # the share formula the evidence pack uses too (indicators.lq.share_of)
    table["share_of_national"] = share_of(table["businesses"], national)
    table["creative_share_of_active"] = share_of(table["businesses"], table["active_enterprises"])
    # the pack's rule, for every output: a published 0 (0 to 2 firms) is never ranked, nor is one
    # sub-sector's count under MIN_RANK_COUNT (a rank of rounding noise)
    floor = MIN_RANK_COUNT if code != ALL else 0
    table["rank_businesses"] = supported_rank(table["businesses"], table["businesses"], min_count=floor)
    table["rank_business_lq"] = supported_rank(table["business_lq"], table["businesses"], min_count=floor)
    table["n_places"] = int(table["businesses"].notna().sum())
    census, census_ref = _census_by_lad(wh)
    nat_res = np.nan
    if census is not None:
        nat_res = float(census["creative_residents"].sum() / census["residents_in_employment"].sum())
        long = census.melt(id_vars="geo_code", var_name="measure", value_name="value").assign(
            geo_type="lad", period=census_ref.vintage if census_ref is not None else "",
            disclosure_flag="as-published")
        if level != "lad":
            long, more = with_notes(to_level, wh, long[long["geo_code"].isin(set(counts["geo_code"]))], level)
            notes.extend(more)
        wide = long.pivot_table(index="geo_code", columns="measure", values="value", aggfunc="sum")
        for m in ("creative_residents", "residents_in_employment"):
            table[m] = table["geo_code"].map(wide[m]).astype(float) if m in wide else np.nan
        table["creative_resident_share"] = table["creative_residents"] / table["residents_in_employment"]
    else:
        table["creative_residents"] = table["residents_in_employment"] = np.nan
        table["creative_resident_share"] = np.nan
    cols = [c for c in HEADLINE_COLUMNS if c in table.columns]
    table = table[cols + [c for c in table.columns if c not in cols]].reset_index(drop=True)
    meta = {
        "numerator": num_ref,
        "denominator": wh.require_dataset(kinds.ACTIVE_ENTERPRISES, period=den_period,
                                          measure="active_enterprises"),
        "census": census_ref if census is not None else None,
        "period": period, "denominator_period": den_period, "national_total": national,
        "national_share_of_active": national / nat_active if nat_active > 0 else np.nan,
        "national_resident_share": nat_res, "industry_code": code, "level": level,
        "notes": tuple(n for n in notes if n),
    }
    _CACHE[key] = (table, meta)
    return table.copy(), dict(meta)


def subsector_table(
    wh: Warehouse, *, level: str = "lad", year: int | str | None = None,
) -> pd.DataFrame:
    """Place × sub-sector: enterprises, share of the place's creative enterprises, business LQ.

    One row per place of ``level`` and DCMS sub-sector (short code), from the
    same LQ computation as :func:`level_table`.
    """
    from creative_clusters.workflows.business_counts import lad_business_lq

    key = _key(wh, "subsectors", level, year)
    hit = _CACHE.get(key)
    if hit is not None:  # one table per warehouse version: a place's profile reads its rows
        return hit[0].copy()
    lq, _notes = with_notes(lad_business_lq, wh, year=year, level=level)
    subs = lq[lq["industry_code"] != "_T"].copy()
    tot = lq[lq["industry_code"] == "_T"].set_index("geo_code")["value"]
    subs["share_of_creative"] = share_of(subs["value"], subs["geo_code"].map(tot))
    subs = subs.reset_index(drop=True)
    _CACHE[key] = (subs, {})
    return subs.copy()


# ---------------------------------------------------------------- one place
def _stat(key: str, label: str, value: Any, unit: str, period: str, source: DatasetRef,
          **kw: Any) -> Statistic:
    v = None if value is None or (isinstance(value, float) and not np.isfinite(value)) else float(value)
    return Statistic(key, label, v, unit, period, source, **kw)


#: The flag of an LQ not given because its count is a published 0 (0 to 2 enterprises in truth).
PUBLISHED_ZERO = "published-zero"


def published_zero_lq_note(count: Any, upper: Any) -> str | None:
    """Why no business LQ is given for a place: its count is a published 0 (None when the LQ is given).

    The rule of the profile's LQ (:func:`_lq_stat`) and of the map's
    (:func:`~creative_clusters.workflows.map_data.map_indicator`): a published 0
    is 0 to 2 enterprises, so the LQ is unknown; only its upper bound stands.

    >>> published_zero_lq_note(0, 0.22)
    'published as 0 (0 to 2 enterprises, counts rounded to 5), so no LQ is given; it is below 0.22 whatever the 0 hides'
    >>> published_zero_lq_note(40, 1.5) is None
    True
    """
    if _f(count) != 0:
        return None
    hi = _f(upper)
    return ("published as 0 (0 to 2 enterprises, counts rounded to 5), so no LQ is given"
            + (f"; it is below {hi:.2f} whatever the 0 hides" if hi is not None else ""))


def _lq_stat(count: Any, lq: Any, lower: Any, upper: Any, period: str, source: DatasetRef, *,
             flags: tuple[str, ...], notes: tuple[str, ...] = (), **kw: Any) -> Statistic:
    """The business LQ as a statistic; on a published 0 no value, only its upper bound.

    ONS rounds the counts to 5, so a published 0 is 0 to 2 enterprises, and a
    place published as 0 in every class may be one the extract does not capture:
    an LQ of 0.00 with an interval from 0 would read as "far below the
    benchmark" when the count is unknown. Its upper bound stands: the LQ is
    below it whatever the 0 hides.

    Examples
    --------
    >>> ref = DatasetRef("d", "creative_enterprises_sic", "2025")
    >>> s = _lq_stat(0, 0.0, 0.0, 0.22, "2025", ref, flags=())
    >>> s.value, s.upper, PUBLISHED_ZERO in s.flags
    (None, 0.22, True)
    >>> _lq_stat(40, 1.1, 0.8, 1.5, "2025", ref, flags=()).value
    1.1
    """
    zero = published_zero_lq_note(count, upper)
    if zero is not None:
        hi = _f(upper)
        return _stat("business_lq", "Business location quotient", None, "ratio", period, source, upper=hi,
                     flags=(*flags, PUBLISHED_ZERO), notes=(zero, *notes[1:]), comparison=1.0,
                     comparison_label="England", **{k: v for k, v in kw.items() if k not in ("rank", "rank_of")})
    return _stat("business_lq", "Business location quotient", lq, "ratio", period, source, lower=_f(lower),
                 upper=_f(upper), flags=flags, notes=notes, comparison=1.0, comparison_label="England", **kw)


def _flags(row: pd.Series) -> tuple[str, ...]:
    out = [str(row.get("disclosure_flag") or "as-published")]
    if bool(row.get("small_count", False)):
        out.append("small-count")
    return tuple(dict.fromkeys(out))


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _i(x: Any) -> int | None:
    v = _f(x)
    return None if v is None else int(v)


def _row_for_group(wh: Warehouse, members: Sequence[str], year: int | str | None,
                   subsector: str | None) -> pd.Series:
    """Headline figures of a user-defined group from its members' summed counts (same formulas)."""
    lad, meta = level_table(wh, level="lad", year=year, subsector=subsector)
    inside = lad["geo_code"].isin(set(members))
    if not inside.any():
        return pd.Series(dtype=object)
    group = dict(zip(lad["geo_code"], np.where(inside, "GROUP", "REST"), strict=True))
    num = aggregate_counts(pd.DataFrame({
        "geo_code": lad["geo_code"], "industry_code": "creative", "value": lad["businesses"],
        "disclosure_flag": lad["disclosure_flag"]}), group)
    den = aggregate_counts(pd.DataFrame({
        "geo_code": lad["geo_code"], "value": lad["active_enterprises"], "disclosure_flag": "rounded"}), group)
    lq = location_quotient(num, denominator=den, period=None, dataset="_")
    g = lq.set_index("geo_code").loc["GROUP"]
    sel = lad[inside]
    residents, employed = (float(sel["creative_residents"].sum(min_count=1)),
                           float(sel["residents_in_employment"].sum(min_count=1)))
    census = _census_by_lad(wh)[0] if not set(members) <= set(sel["geo_code"]) else None
    if census is not None:  # a member outside the table (Wales): the census reaches it, so sum every member it holds
        mine = census[census["geo_code"].isin(set(members))]
        if len(mine):
            residents = float(mine["creative_residents"].sum())
            employed = float(mine["residents_in_employment"].sum())
    row = pd.Series({
        "businesses": float(g["value"]),
        "active_enterprises": float(g["area_total"]),
        "business_lq": g["lq"], "lq_lower": g["lq_lower"], "lq_upper": g["lq_upper"],
        "small_count": bool(g["small_count"]), "disclosure_flag": str(g["disclosure_flag"]),
        "creative_residents": residents, "residents_in_employment": employed,
        "members_covered": int(inside.sum()),
    })
    row["share_of_national"] = share_of(row["businesses"], meta["national_total"])
    row["creative_share_of_active"] = row["businesses"] / row["active_enterprises"]
    row["creative_resident_share"] = row["creative_residents"] / row["residents_in_employment"]
    return row


def _member_names(wh: Warehouse, members: Sequence[str]) -> tuple[str, ...]:
    """The member LADs' official names, in the members' order (a code the areas table lacks as itself)."""
    from creative_clusters.workflows.places import place_book

    try:
        names = place_book(wh).lad_names()
    except ClusterToolkitError:  # no geography imported: the codes stand for themselves
        return tuple(members)
    return tuple(names.get(m, m) for m in members)


def _level_of(place: Any) -> str:
    return str(getattr(place, "geo_type", None) or getattr(place, "level", "custom"))


def place_statistics(
    wh: Warehouse, place: Any, *, year: int | str | None = None, subsector: str | None = None,
) -> PlaceStatistics:
    """Every headline statistic of one resolved place, typed and sourced.

    The SIC-level table (England) serves ``creative_enterprises``, the shares,
    the business LQ and the sub-sectors; the 2010–2025 series (every UK LAD)
    serves ``creative_enterprises_series``, ``creative_enterprises_growth`` and
    ``business_lq_series`` (:func:`creative_clusters.workflows.trajectory.trajectory_statistics`),
    so places in Wales, Scotland and Northern Ireland get their counts, trend and LQ.
    """
    stats = _sic_place_statistics(wh, place, year=year, subsector=subsector)
    return _with_employment(wh, _with_series(wh, place, stats, year))


def _with_employment(wh: Warehouse, stats: PlaceStatistics) -> PlaceStatistics:
    """Add creative workplace employment with its bounds and the employment LQ (BRES by LAD) when a dataset of
    kind ``employment_lad`` is imported (:mod:`creative_clusters.workflows.employment_lad`)."""
    from dataclasses import replace

    from creative_clusters.workflows.employment_lad import place_employment_statistics

    members = stats.place.members or (stats.place.code,)
    figs, source, missing = place_employment_statistics(wh, members, stats.place.display_name)
    if not figs and missing is None:
        return stats
    items = [*stats.missing_items, *([missing] if missing is not None else [])]
    used = (source,) if figs and source is not None else ()
    return replace(stats, figures={**stats.figures, **figs}, sources=tuple(dict.fromkeys((*stats.sources, *used))),
                   **_gaps(*items))


def _with_series(wh: Warehouse, place: Any, stats: PlaceStatistics, year: int | str | None) -> PlaceStatistics:
    """Add the series' figures (count, ten-year growth, LQ over time) to the place's statistics."""
    from dataclasses import replace

    from creative_clusters.workflows.trajectory import (
        as_of_year,
        load_trajectory_data,
        place_trajectory,
        trajectory_statistics,
    )

    if wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SERIES) is None:
        return replace(stats, **_gaps(*stats.missing_items,
                                      gaps.not_imported(kinds.CREATIVE_ENTERPRISES_SERIES, gaps.TOPIC_SERIES)))
    try:
        data = load_trajectory_data(wh)
    except ClusterToolkitError as exc:
        return replace(stats, **_gaps(*stats.missing_items, gaps.unavailable(gaps.TOPIC_SERIES, str(exc))))
    as_of = as_of_year(data, year)  # a year outside the series is the user's to correct, not a gap
    try:
        traj = place_trajectory(wh, place, data=data, year=as_of)
    except ClusterToolkitError as exc:
        return replace(stats, **_gaps(*stats.missing_items, gaps.unavailable(gaps.TOPIC_SERIES, str(exc))))
    figs = {**stats.figures, **trajectory_statistics(traj)}
    sources = tuple(dict.fromkeys((*stats.sources, traj.source, *traj.denominator_sources)))
    items = list(stats.missing_items)
    english = all(str(m).startswith("E") for m in (stats.place.members or (stats.place.code,)))
    if "creative_enterprises" not in stats.figures and not english:  # (an English place: the year is missing)
        # what stands in for the sub-sector counts: the series' total, trend and LQ
        stand_in = (f"{possessive(stats.place.display_name)} total, trend and LQ come from the annual series "
                    f"({traj.source.title or traj.source.id})")
        sic = next((i for i, m in enumerate(items) if m.topic == gaps.TOPIC_SIC and m.status == NOT_APPLICABLE), None)
        if sic is None:
            items.append(gaps.not_applicable(gaps.TOPIC_SIC, "covers England only", detail=stand_in))
        else:
            items[sic] = replace(items[sic], detail=stand_in)
    return replace(stats, figures=figs, sources=sources, **_gaps(*items))


def _gaps(*items: MissingItem) -> dict[str, Any]:
    """``missing`` (one line each) and ``missing_items`` of :class:`PlaceStatistics`, from the records."""
    kept = gaps.dedupe(items)
    return {"missing": gaps.texts(kept), "missing_items": kept}


def _counts_gap(wh: Warehouse, year: int | str | None, exc: Exception) -> MissingItem:
    """Why the business-count table could not be built: a dataset or year not imported, or the error."""
    if wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC) is None:
        return gaps.not_imported(kinds.CREATIVE_ENTERPRISES_SIC, gaps.TOPIC_SIC)
    if year is not None and wh.find_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year,
                                            measure="enterprises") is None:
        have = sorted({p for e in wh.catalogue_entries(kinds.CREATIVE_ENTERPRISES_SIC)
                       for p in wh.periods(e.id, measure="enterprises")}, key=kinds.vintage_key)
        return gaps.not_imported(kinds.CREATIVE_ENTERPRISES_SIC, gaps.TOPIC_SIC, period=year, available=have)
    if wh.find_dataset(kinds.ACTIVE_ENTERPRISES) is None:
        return gaps.not_imported(kinds.ACTIVE_ENTERPRISES, "Active enterprises (all industries)")
    return gaps.unavailable(gaps.TOPIC_SIC, str(exc))


def _sic_place_statistics(
    wh: Warehouse, place: Any, *, year: int | str | None = None, subsector: str | None = None,
) -> PlaceStatistics:
    """The statistics served by the SIC-level table (and Census), for :func:`place_statistics`.

    Parameters
    ----------
    wh : Warehouse
    place
        A resolved place with ``code``, ``name``, ``geo_type`` (or ``level``)
        and ``members`` (member LAD codes), e.g. from
        :func:`creative_clusters.workflows.places.resolve_place`.
    year : int or str, optional
        Period of the creative business counts (latest by default).
    subsector : str, optional
        Restrict the headline to one DCMS sub-sector.

    Returns
    -------
    PlaceStatistics
        Figures ``creative_enterprises``, ``share_of_national_creative``,
        ``active_enterprises``, ``creative_share_of_active``, ``business_lq``
        (with interval, flags, rank), ``creative_residents`` and
        ``creative_resident_share`` (Census 2021, England and Wales), one
        :class:`SubsectorStatistics` per sub-sector, sources and what is missing.
    """
    level = _level_of(place)
    members = tuple(str(m) for m in (getattr(place, "members", ()) or ())) or (str(place.code),)
    ref = PlaceRef(code=str(place.code), name=str(place.name), level=level,
                   common_name=str(getattr(place, "common_name", "") or ""),
                   nation=str(getattr(place, "nation", "") or ""), members=members,
                   member_rule=str(getattr(place, "member_rule", "") or ""),
                   member_names=_member_names(wh, members))
    missing: list[MissingItem] = []
    try:
        table, meta = level_table(wh, level=level if level in LEVELS else "lad", year=year, subsector=subsector)
    except WarehouseError as exc:
        if year is None:
            return PlaceStatistics(place=ref, **_gaps(_counts_gap(wh, year, exc)))
        # no business counts for that year; the census does not depend on it: its figures still stand
        missing.append(_counts_gap(wh, year, exc))
        try:
            _t, meta = level_table(wh, level="lad", subsector=subsector)
        except WarehouseError:
            return PlaceStatistics(place=ref, **_gaps(*missing))
        census_figs, census_ref = _census_only(wh, members, meta, ref, missing)
        return PlaceStatistics(place=ref, figures=census_figs, sources=() if census_ref is None else (census_ref,),
                               **_gaps(*missing))
    sub_level = level  # the level whose table gives the sub-sectors ("custom": summed from the members)
    notes = list(meta["notes"])
    if level in LEVELS:
        hit = table[table["geo_code"] == ref.code]
        if hit.empty and level == "lad" and len(members) == 1:  # a newer code for the same LAD
            hit = table[table["geo_code"] == members[0]]
        row = hit.iloc[0] if len(hit) else pd.Series(dtype=object)
        code = str(hit["geo_code"].iloc[0]) if len(hit) else ref.code
        ranked = True
        if hit.empty and level == "ttwa" and members != (ref.code,):
            # a TTWA that holds no LAD's majority, approximated by the LAD its member rule names:
            # that LAD's figures, unranked (among TTWAs they would count the LAD twice)
            row, ranked, sub_level = _row_for_group(wh, members, year, subsector), False, "custom"
        elif hit.empty and level == "cauth" and members != (ref.code,):
            # a combined authority not in the table's list (abolished or renamed since, e.g. North of Tyne,
            # part of North East CA from 2024): its member local authorities' figures summed, unranked
            row, ranked, sub_level = _row_for_group(wh, members, year, subsector), False, "custom"
            notes.append(gaps.former_ca_note(ref.display_name, len(members)))
    else:
        row = _row_for_group(wh, members, year, subsector)
        code = ref.code
        ranked = False
    num: DatasetRef = meta["numerator"]
    den: DatasetRef = meta["denominator"]
    period = meta["period"]
    covered = _i(row.get("members_covered")) if not row.empty else None
    if covered is not None and covered < len(set(members)):
        # a group straddling the SIC-level counts' coverage (England): a sum over part of it is a smaller place,
        # not this one, so no figure from them (the UK-wide annual series covers every member)
        missing.append(gaps.not_applicable(
            gaps.TOPIC_SIC, f"covers {covered} of the {len(set(members))} local authorities of {ref.display_name} "
            "(England only)", num, detail="a sum over those alone would describe part of the place, so no count, "
            "share or LQ from it is given; the UK-wide annual series covers every member"))
        census_figs, census_ref = _census_only(wh, members, meta, ref, missing)
        return PlaceStatistics(place=ref, figures=census_figs,
                               sources=tuple(s for s in (num, census_ref) if s is not None),
                               notes=tuple(notes), **_gaps(*missing))
    if row.empty:
        if all(m.startswith("E") for m in members):  # an English place the table lacks: say so, with its title
            missing.append(gaps.unavailable(gaps.TOPIC_SIC, f"{num.title or num.id} ({num.vintage}) does not cover "
                                            f"{ref.display_name}", num))
        else:
            missing.append(gaps.not_applicable(gaps.TOPIC_SIC, "covers England only", num))
        census_figs, census_ref = _census_only(wh, members, meta, ref, missing)
        return PlaceStatistics(place=ref, figures=census_figs,
                               sources=tuple(s for s in (num, census_ref) if s is not None),
                               notes=tuple(notes), **_gaps(*missing))
    n_places = _i(row.get("n_places")) if ranked else None
    flags = _flags(row)
    rounded = ("enterprises control-rounded to 5 by ONS; a published 0 can mean 0-2",)
    sum_note = (f"sum of {len(members)} member local authorities' rounded counts",) if len(members) > 1 else ()
    figs: dict[str, Statistic] = {}
    figs["creative_enterprises"] = _stat(
        "creative_enterprises", "Creative enterprises", row.get("businesses"), "count", period, num,
        flags=flags, notes=rounded + sum_note,
        rank=_i(row.get("rank_businesses")) if ranked else None, rank_of=n_places)
    figs["share_of_national_creative"] = _stat(
        "share_of_national_creative", "Share of the nation's creative enterprises",
        row.get("share_of_national"), "share", period, num, flags=flags)
    figs["active_enterprises"] = _stat(
        "active_enterprises", "Active enterprises (all industries)", row.get("active_enterprises"), "count",
        meta["denominator_period"], den, notes=sum_note)
    figs["creative_share_of_active"] = _stat(
        "creative_share_of_active", "Creative enterprises as a share of all active enterprises",
        row.get("creative_share_of_active"), "share", period, num, flags=(*flags, "mixed-sources"),
        notes=(_MIXED,), comparison=_f(meta["national_share_of_active"]), comparison_label="England",
        denominator_source=den)
    figs["business_lq"] = _lq_stat(
        row.get("businesses"), row.get("business_lq"), row.get("lq_lower"), row.get("lq_upper"), period, num,
        flags=(*flags, "mixed-sources"), notes=("95% exact Poisson interval", _MIXED),
        rank=_i(row.get("rank_business_lq")) if ranked else None, rank_of=n_places, denominator_source=den)
    census: DatasetRef | None = meta["census"]
    if census is not None and _f(row.get("residents_in_employment")):
        figs.update(_census_figures(row.get("creative_residents"), row.get("creative_resident_share"), census,
                                    meta))
    elif census is None:
        missing.append(_census_gap(wh))
    else:
        missing.append(_census_na(census))
    subs = _subsectors(wh, code, sub_level, year, members) if subsector is None else ()
    sources = tuple(dict.fromkeys(s for s in (num, den, census) if s is not None))
    return PlaceStatistics(place=ref, figures=figs, subsectors=subs, sources=sources,
                           notes=tuple(dict.fromkeys(notes)), **_gaps(*missing))


def _census_only(wh: Warehouse, members: Sequence[str], meta: dict[str, Any], ref: PlaceRef,
                 missing: list[MissingItem]) -> tuple[dict[str, Statistic], DatasetRef | None]:
    """Census 2021 creative workforce of a place the business table does not cover (e.g. in Wales)."""
    census, census_ref = _census_by_lad(wh)
    if census is None or census_ref is None:
        return {}, None
    mine = census[census["geo_code"].isin(set(members))]
    if len(mine) < len(set(members)):
        missing.append(_census_na(census_ref))
        return {}, census_ref
    residents = float(mine["creative_residents"].sum())
    employed = float(mine["residents_in_employment"].sum())
    return _census_figures(residents, residents / employed if employed > 0 else None, census_ref, meta), census_ref


def _census_gap(wh: Warehouse) -> MissingItem:
    """The census workforce's gap when no creative residents can be read: which dataset is not imported."""
    missing = next((k for k in (kinds.CENSUS_INDUSTRY, kinds.EMPLOYMENT_NUTS2) if wh.find_dataset(k) is None),
                   kinds.CENSUS_INDUSTRY)  # the residents by division are split into SIC classes by BRES (NUTS2)
    return gaps.not_imported(missing, f"{gaps.TOPIC_CENSUS} (census)")


def _census_na(census: DatasetRef) -> MissingItem:
    """The census workforce of a place outside its coverage (Scotland, Northern Ireland)."""
    return gaps.not_applicable(f"{gaps.TOPIC_CENSUS} (Census {census.vintage})", "covers England and Wales only",
                               census)


def _census_figures(residents: Any, share: Any, census: DatasetRef, meta: dict[str, Any]) -> dict[str, Statistic]:
    """The census creative-workforce statistics of a place, for the census's vintage in the catalogue."""
    cnote = ("residents counted where they live, not where they work",
             "2-digit SIC approximation of the DCMS definition (docs/workforce.md)")
    return {
        "creative_residents": _stat("creative_residents", "Residents working in creative industries", residents,
                                    "count", census.vintage, census, notes=cnote),
        "creative_resident_share": _stat(
            "creative_resident_share", "Share of residents in employment working in creative industries",
            share, "share", census.vintage, census, notes=cnote,
            comparison=_f(meta["national_resident_share"]), comparison_label="England and Wales"),
    }


def _group_subsectors(wh: Warehouse, subs: pd.DataFrame, members: Sequence[str],
                      year: int | str | None) -> pd.DataFrame:
    """The sub-sector rows of a group of LADs from its members' summed counts (empty unless all have rows)."""
    lad, _meta = level_table(wh, level="lad", year=year)
    if not members or not set(members) <= set(subs["geo_code"]):
        return subs.iloc[0:0]
    group = dict(zip(lad["geo_code"], np.where(lad["geo_code"].isin(set(members)), "GROUP", "REST"), strict=True))
    num = aggregate_counts(subs[subs["geo_code"].isin(list(group))][
        ["geo_code", "industry_code", "value", "disclosure_flag"]], group)
    den = aggregate_counts(pd.DataFrame({"geo_code": lad["geo_code"], "value": lad["active_enterprises"],
                                         "disclosure_flag": "rounded"}), group)
    lq = location_quotient(num, denominator=den, period=None, dataset="_")
    mine = lq[lq["geo_code"] == "GROUP"].copy()
    mine["share_of_creative"] = share_of(mine["value"], float(mine["value"].sum()))
    mine["period"] = str(subs["period"].iloc[0]) if len(subs) else ""
    return mine[["geo_code", "industry_code", "value", "disclosure_flag", "small_count", "share_of_creative", "lq",
                 "lq_lower", "lq_upper", "period"]]


def _subsectors(wh: Warehouse, code: str, level: str, year: int | str | None,
                members: Sequence[str] = ()) -> tuple[SubsectorStatistics, ...]:
    try:
        subs = subsector_table(wh, level=level if level in LEVELS else "lad", year=year)
    except ClusterToolkitError:
        return ()
    src = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year, measure="enterprises")
    if level not in LEVELS:  # a group: its members' summed counts, by the same formulas (or none if partial)
        mine = _group_subsectors(wh, subs, members, year)
        code = "GROUP"
    else:
        mine = subs[subs["geo_code"] == code]
    out = []
    name_of = {dcms.subsector_short(s): s for s in dcms.SUBSECTORS}
    for r in mine.itertuples(index=False):
        short = str(r.industry_code)
        period = str(r.period)
        flags = (str(r.disclosure_flag),) + (("small-count",) if bool(r.small_count) else ())
        out.append(SubsectorStatistics(
            subsector=name_of.get(short, short), short=short,
            enterprises=_stat("enterprises", "Creative enterprises", r.value, "count", period, src, flags=flags),
            share_of_creative=_stat("share_of_creative", "Share of the place's creative enterprises",
                                    r.share_of_creative, "share", period, src, flags=flags),
            business_lq=_lq_stat(r.value, r.lq, r.lq_lower, r.lq_upper, period, src, flags=(*flags, "mixed-sources")),
        ))
    return tuple(out)
