"""Creative business counts by place: LAD tables, their sums to larger areas, and the business LQ.

Each function reads the warehouse and returns plain DataFrames:

- :func:`lad_business_counts`: creative enterprises by LAD × DCMS sub-sector
  (UK Business Counts, the latest year in the catalogue unless asked);
- :func:`active_enterprises`: all-industry active enterprises by LAD (Business
  Demography), the denominator, from the latest year not after the counts';
- :func:`to_level`: LAD counts summed to combined authorities, regions or
  2011 TTWAs (the majority rule of
  :func:`creative_clusters.geography.membership.lad_ttwa_assignment`; counts, never ratios);
- :func:`lad_business_lq` / :func:`lad_business_table`: the **mixed-source**
  business LQ of every place, carried with a caveat, and the detectors' place table;
- :func:`subsector_code`, :func:`subsector_note`: what a sub-sector option means.

Datasets come from the catalogue by kind (:mod:`creative_clusters.kinds`):
``creative_enterprises_sic`` (measure ``enterprises``, scheme ``SIC2007``,
geo_type ``lad``) and ``business_demography`` (measure ``active_enterprises``).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications import dcms
from creative_clusters.classifications.focus import focus_activity
from creative_clusters.errors import ParameterError, SchemaError, WarehouseError
from creative_clusters.geography.membership import lad_ttwa_assignment, ttwa_lsoa_coverage, ttwas_without_members
from creative_clusters.indicators.lq import aggregate_counts, location_quotient
from creative_clusters.indicators.specialisation import specialisation
from creative_clusters.workflows._notes import with_notes
from creative_clusters.workflows.place_geometry import level_geometry, place_centroids

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = [
    "ALL",
    "LAD_LEVELS",
    "SUBSECTOR_CODES",
    "active_enterprises",
    "area_names",
    "business_source_line",
    "current_hierarchy",
    "denominator_period_for",
    "lad_business_counts",
    "lad_business_lq",
    "lad_business_table",
    "subsector_code",
    "subsector_note",
    "to_level",
    "ttwa_caveat",
    "ttwa_note",
]


#: Industry code for "all creative industries" in the DCMS_CI scheme.
ALL = "_T"


#: Short codes of the DCMS sub-sectors.
SUBSECTOR_CODES = tuple(dcms.subsector_short(s) for s in dcms.SUBSECTORS)


REST = "_REST"  # remainder of England outside every parent area (internal only)


#: Levels LAD counts can be summed to (through the geography layer's lookups).
LAD_LEVELS = ("lad", "cauth", "rgn", "ttwa")


# ---------------------------------------------------------------- sub-sectors
def subsector_code(subsector: str | None) -> str:
    """``None``/"all" → ``"_T"``; otherwise the short code of a sub-sector or alias."""
    if subsector is None or str(subsector).lower() in ("all", "_t", "creative", ""):
        return ALL
    return dcms.subsector_short(subsector)


#: Aliases that name a whole DCMS sub-sector (no note needed).
_WHOLE_GROUP_ALIASES = frozenset({"it", "it software", "film tv", "music arts", "craft", "crafts",
                                  "architecture", "design", "advertising", "publishing", "museums"})


def subsector_note(subsector: str | None) -> str:
    """A one-line note when an everyday alias stands for a broader DCMS sub-sector, else ``""``.

    DCMS counts whole sub-sectors: ``games`` has no SIC class of its own, so it
    means all of "IT, software and computer services".

    Examples
    --------
    >>> subsector_note("games")[:40]
    "Note: 'games' is counted as the whole DC"
    >>> subsector_note("it"), subsector_note(None)
    ('', '')
    >>> subsector_note("animation").split("; ")[1][:72]
    'the evidence pack (`evidence PLACE --subsector animation`) also counts i'

    """
    if subsector is None or subsector_code(subsector) == ALL:
        return ""
    name = dcms.resolve_subsector(subsector)

    def norm(t: str) -> str:
        return " ".join("".join(ch if ch.isalnum() else " " for ch in t.lower()).split())

    whole = {norm(name), norm(dcms.subsector_short(name)), *_WHOLE_GROUP_ALIASES}
    if norm(str(subsector)) in whole:
        return ""
    classes = ", ".join(dcms.DCMS_CI_SIC2007[name])
    act = focus_activity(str(subsector))
    word = norm(str(subsector))
    own = (f"; the evidence pack (`evidence PLACE --subsector {word if ' ' not in word else repr(word)}`) also "
           "counts its own "
           f"SIC class{'es' if len(act.classes) > 1 else ''} {', '.join(act.classes)} ({act.name})"
           if act is not None else "")
    return (f"Note: {subsector!r} is counted as the whole DCMS sub-sector {name!r} "
            f"(SIC {classes}), not {subsector} alone{own}.")


# ---------------------------------------------------------------- counts and denominators
def lad_business_counts(wh: Warehouse, *, year: int | str | None = None, note_absent: bool = False) -> pd.DataFrame:
    """Creative enterprises by LAD × DCMS sub-sector, plus an all-creative row.

    The dataset is the latest of kind ``creative_enterprises_sic`` in the
    catalogue that covers ``year`` (the latest period by default). Returns a
    long table (``geo_code``, ``industry_code`` = sub-sector short code or
    ``_T``, ``value``, ``disclosure_flag``, ``dataset``, ``period``,
    ``geo_vintage``), summed from the SIC classes (counts summed, never ratios)
    of the rows for all size bands and legal statuses.

    ``note_absent`` warns (in plain words) when creative classes are absent
    from the dataset, or from some areas: missing from the file, not
    suppressed (a partial import). :func:`lad_business_lq` asks for it, so one
    table gives one note.
    """
    ref = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year, measure="enterprises")
    period = str(year) if year is not None else wh.latest_period(ref.id, measure="enterprises")
    obs = wh.observations(dataset=ref.id, measure="enterprises", industry_scheme="SIC2007",
                          geo_type="lad", period=period)
    if obs.empty:
        raise WarehouseError(f"{ref.id} has no SIC2007 enterprise rows by LAD for {period}.")
    # the cells of all size bands / legal statuses only (a Nomis download may add the size bands as
    # further rows, with their own suppressed cells: summing them in would double-count)
    obs = obs[obs["industry_code"].map(dcms.is_creative_sic) & obs["status"].isin(("", "_T"))]
    if note_absent:
        _warn_absent_classes(obs, ref.id, period)
    cols = ["dataset", "geo_code", "geo_vintage", "industry_code", "period", "value",
            "disclosure_flag"]
    frame = obs[cols].copy()
    mapping = {c: dcms.subsector_short(dcms.subsector_of(c)) for c in frame["industry_code"].unique()}
    by_sub = aggregate_counts(frame, mapping, column="industry_code")
    total = aggregate_counts(frame, dict.fromkeys(mapping, ALL), column="industry_code")
    out = pd.concat([by_sub, total], ignore_index=True)
    out["industry_scheme"] = "DCMS_CI"
    return out.sort_values(["geo_code", "industry_code"]).reset_index(drop=True)


#: Creative SIC classes absent from the published UK Business Counts table (museums and libraries).
_UNPUBLISHED_CLASSES = frozenset({"9101", "9102"})


def _warn_absent_classes(obs: pd.DataFrame, dataset: str, period: str) -> None:
    """Warn, in plain words, of creative SIC classes absent from the file (missing, not suppressed)."""
    expected = {c for v in dcms.DCMS_CI_SIC2007.values() for c in v} - _UNPUBLISHED_CLASSES
    held = set(obs["industry_code"])
    lacking = sorted(expected - held)
    if lacking:
        shown = ", ".join(lacking[:5]) + (f" and {len(lacking) - 5} more" if len(lacking) > 5 else "")
        warnings.warn(
            f"{dataset} ({period}) holds {len(held & expected)} of the {len(expected)} creative SIC classes "
            f"UK Business Counts publishes; {len(lacking)} ({shown}) are absent from the file (missing, not "
            "suppressed), so its creative totals and sub-sector counts cover only the classes it holds. "
            "Import the whole table for complete counts.", stacklevel=4)
    per_area = obs.groupby("geo_code")["industry_code"].nunique()
    short = per_area[per_area < len(held)]
    if len(short):
        ex = ", ".join(str(c) for c in sorted(short.index)[:5])
        warnings.warn(
            f"{dataset} ({period}): {len(short)} area(s) lack rows for some of the classes other areas have "
            f"(e.g. {ex}); those cells are absent from the file (missing, not suppressed), so these areas' "
            "creative totals count only the classes present.", stacklevel=4)


def active_enterprises(wh: Warehouse, *, period: str | int | None = None) -> pd.DataFrame:
    """All-industry active enterprises by LAD (Business Demography), the LQ denominator.

    The latest dataset of kind ``business_demography`` covering ``period`` (the
    latest period by default).
    """
    ref = wh.require_dataset(kinds.ACTIVE_ENTERPRISES, period=period, measure="active_enterprises")
    p = str(period) if period is not None else wh.latest_period(ref.id, measure="active_enterprises")
    obs = wh.observations(dataset=ref.id, measure="active_enterprises", period=p, geo_type="lad")
    if obs.empty:
        raise WarehouseError(f"{ref.id} has no active_enterprises rows by LAD for {p}.")
    return obs[["dataset", "geo_code", "geo_vintage", "period", "value", "disclosure_flag"]].reset_index(drop=True)


def denominator_period_for(wh: Warehouse, period: str) -> str:
    """The latest Business Demography period not after ``period`` (the counts' year)."""
    ref = wh.require_dataset(kinds.ACTIVE_ENTERPRISES)
    periods = [p for p in wh.periods(ref.id, measure="active_enterprises") if p <= str(period)]
    if not periods:
        raise WarehouseError(f"no active-enterprise denominator for {period} or earlier in {ref.id}; "
                             f"it covers {', '.join(wh.periods(ref.id, measure='active_enterprises'))}.")
    return periods[-1]


def area_names(wh: Warehouse, codes: pd.Series) -> pd.Series:
    """Official names of ``codes`` from the ``areas`` table ("" where unknown or not imported)."""
    try:
        areas = wh.table("areas")
        m = dict(zip(areas["geo_code"].astype(str), areas["geo_name"].astype(str), strict=False))
    except WarehouseError:
        m = {}
    return codes.astype(str).map(m).fillna("")


# ---------------------------------------------------------------- TTWAs from LADs
def ttwa_caveat(coverage: float) -> str:
    """The plain-words caveat carried by every TTWA figure."""
    return (f"TTWA figures are LAD-approximated: each LAD is assigned wholly to the 2011 TTWA holding "
            f"most of its LSOAs ({coverage:.1%} of England's LSOAs fall in their LAD's assigned TTWA), "
            "and counts (never ratios) are summed.")


def ttwa_note(wh: Warehouse, *, year: int | str | None = None) -> str:
    """The TTWA caveat with the national LSOA coverage measured on the warehouse's LADs."""
    lads = lad_business_counts(wh, year=year)["geo_code"].astype(str).unique()
    assign = _ttwa_assignment_for(wh, lads)
    note = ttwa_caveat(ttwa_lsoa_coverage(assign))
    hollow = ttwas_without_members(wh.table("lad_ttwa_overlap"), assign)
    if hollow:
        names = area_names(wh, pd.Series(hollow[:3]))
        note += (f" {len(hollow)} TTWAs reached by these LADs are not the main TTWA of any of them (e.g. "
                 f"{', '.join(str(n) for n in names)}), so they have no LAD-approximated total and show as no "
                 "data; a profile or pack of one of them uses the LAD with most of its LSOAs instead.")
    return note


def _ttwa_assignment_for(wh: Warehouse, lad_codes: Any) -> pd.DataFrame:
    if not wh.has_table("lad_ttwa_overlap"):
        raise WarehouseError("level 'ttwa' needs the ref table 'lad_ttwa_overlap'; import the geography "
                             "data with `creative-clusters data import DIR`.")
    cc = wh.table("code_changes") if wh.has_table("code_changes") else None
    return lad_ttwa_assignment(wh.table("lad_ttwa_overlap"), code_changes=cc, lad_codes=lad_codes)


# ---------------------------------------------------------------- levels and LQs
def to_level(wh: Warehouse, frame: pd.DataFrame, level: str, *, vintage: str = kinds.LAD_VINTAGE) -> pd.DataFrame:
    """Sum LAD counts to combined authorities or regions (counts, never ratios).

    Uses :func:`creative_clusters.geography.lookups.roll_up` with the
    ``lad_hierarchy`` reference table, combined authorities as they are now
    (:func:`creative_clusters.geography.membership.current_cauth`); LADs outside
    every combined authority are left out of ``cauth`` totals.
    """
    if level == "lad":
        return frame
    if level == "ttwa":
        assign = _ttwa_assignment_for(wh, frame["geo_code"].astype(str).unique())
        mapping = dict(zip(assign["lad_code"], assign["ttwa11_code"], strict=True))
        kept = frame[frame["geo_code"].astype(str).isin(mapping)]
        out = aggregate_counts(kept.drop(columns=["geo_vintage"], errors="ignore"), mapping)
        return out.assign(geo_vintage="2011")
    if level not in LAD_LEVELS:
        raise ParameterError(f"level must be one of {list(LAD_LEVELS)} for business counts. Got {level!r}.")
    from creative_clusters.geography.lookups import roll_up

    return roll_up(frame.assign(geo_vintage=vintage), to=level, hierarchy=current_hierarchy(wh, vintage=vintage),
                   vintage=vintage)


def current_hierarchy(wh: Warehouse, *, vintage: str = kinds.LAD_VINTAGE) -> pd.DataFrame:
    """Ref table ``lad_hierarchy`` with the ``vintage`` LADs' combined authorities as they are now.

    :func:`creative_clusters.geography.membership.current_cauth`, with the
    warehouse's ``code_changes`` when it has them.
    """
    from creative_clusters.geography.membership import current_cauth

    changes = wh.table("code_changes") if wh.has_table("code_changes") else None
    return current_cauth(wh.table("lad_hierarchy"), vintage=vintage, code_changes=changes)


def lad_business_lq(wh: Warehouse, *, year: int | str | None = None, denominator_period: str | None = None,
                    min_count: float = 10, level: str = "lad") -> pd.DataFrame:
    """Business LQ of every place × sub-sector (and all creative), mixed-source caveat included.

    ``level`` is ``"lad"`` or a larger area (``"cauth"``, ``"rgn"``) to which the
    LAD counts and denominators are summed first.
    """
    counts = lad_business_counts(wh, year=year, note_absent=True)
    period = str(counts["period"].iloc[0])
    den = active_enterprises(wh, period=denominator_period or denominator_period_for(wh, period))
    den = den[den["geo_code"].isin(set(counts["geo_code"]))]
    if set(counts["geo_code"]) <= set(den["geo_code"]):
        # every numerator code is in the denominator, so the two agree on these areas' boundaries
        den = den.assign(geo_vintage=counts["geo_vintage"].iloc[0])
    if level != "lad":
        # Parents that do not cover England (combined authorities) get an explicit
        # remainder area, so the reference share stays England's, then it is dropped.
        n_tot = counts.groupby("industry_code")["value"].sum()
        d_tot = den["value"].sum()
        counts = to_level(wh, counts, level)
        den = to_level(wh, den, level)
        rest_c = n_tot - counts.groupby("industry_code")["value"].sum().reindex(n_tot.index).fillna(0)
        rest_d = d_tot - den["value"].sum()
        if rest_d > 0:
            proto = counts.iloc[:1]
            counts = pd.concat([counts, pd.DataFrame({
                **{c: proto[c].iloc[0] for c in counts.columns if c not in ("geo_code", "industry_code", "value")},
                "geo_code": REST, "industry_code": rest_c.index, "value": rest_c.to_numpy()})],
                ignore_index=True)
            den = pd.concat([den, pd.DataFrame({
                **{c: den[c].iloc[0] for c in den.columns if c not in ("geo_code", "value")},
                "geo_code": [REST], "value": [rest_d]})], ignore_index=True)
    parts = []
    notes: list[str] = []
    for _code, part in counts.groupby("industry_code", sort=True):
        lq, more = with_notes(location_quotient, part.drop(columns=["geo_vintage"]), denominator=den,
                              allow_mixed_sources=True, min_count=min_count)
        parts.append(lq)
        notes.extend(more)
    # one plain note per kind of problem, not one per sub-sector (the LQ is computed sub-sector by sub-sector)
    for note in _lq_notes(notes, counts, den, level=level):
        warnings.warn(note, stacklevel=2)
    out = pd.concat(parts, ignore_index=True)
    return out[out["geo_code"] != REST].reset_index(drop=True)


def _lq_notes(notes: list[str], counts: pd.DataFrame, den: pd.DataFrame, *, level: str) -> list[str]:
    """The LQ function's warnings over all sub-sectors as one plain note each (areas without a total named).

    Examples
    --------
    >>> counts = pd.DataFrame({"geo_code": ["E09000033", "E09999999"], "dataset": "counts"})
    >>> den = pd.DataFrame({"geo_code": ["E09000033"], "dataset": "demography", "period": "2024"})
    >>> _lq_notes(["location_quotient(): 1 area(s) have no total (e.g. ['E09999999'])"] * 2,
    ...           counts, den, level="lad")[0][:60]
    '1 area in counts has no active-enterprise total in demograph'
    """
    out: list[str] = []
    no_total = [n for n in notes if "have no total" in n]
    if no_total:
        codes = sorted(set(counts["geo_code"].astype(str)) - set(den["geo_code"].astype(str)) - {REST})
        num = ", ".join(sorted(set(counts["dataset"].astype(str))))
        den_id = ", ".join(sorted(set(den["dataset"].astype(str))))
        period = f" ({den['period'].iloc[0]})" if "period" in den and len(den) else ""
        n = len(codes)
        shown = ", ".join(codes[:5]) + (f" and {n - 5} more" if n > 5 else "")
        where = "area" if level == "lad" else f"{level} area"
        out.append(f"{n} {where}{'' if n == 1 else 's'} in {num} {'has' if n == 1 else 'have'} no "
                   f"active-enterprise total in {den_id}{period}: {shown or 'unknown'}; "
                   f"{'its' if n == 1 else 'their'} business LQ is not computed (check the code"
                   f"{'' if n == 1 else 's'} and boundary vintage).")
    suppressed = [n for n in notes if "suppressed cell(s) in areas with a known total" in n]
    if suppressed:
        out.append("Suppressed cells are left out of the national totals of their sub-sectors, so the "
                   "reference shares (and LQs) are slightly off where cells are suppressed.")
    out.extend(n for n in dict.fromkeys(notes) if n not in no_total and n not in suppressed)
    return out


def lad_business_table(
    wh: Warehouse, *, year: int | str | None = None, subsector: str | None = None,
    denominator_period: str | None = None, min_count: float = 10, centroids: bool = True,
    level: str = "lad",
) -> pd.DataFrame:
    """One row per English LAD (or CA / region): creative businesses, business LQ, mix, centroid.

    Columns: ``geo_code``, ``geo_name``, ``industry_code`` (the sub-sector
    or ``_T``), ``businesses`` (creative enterprises of that sub-sector),
    ``creative_businesses`` (all creative), ``active_enterprises``,
    ``business_lq`` with ``lq_lower``/``lq_upper``, ``small_count``,
    ``disclosure_flag``, ``caveat``, ``biz_<sub-sector>`` counts, ``hhi``,
    ``shannon_entropy``, ``n_lq_above_1`` and, with ``centroids``, ``x``/``y``
    (British National Grid metres).
    """
    code = subsector_code(subsector)
    lq = lad_business_lq(wh, year=year, denominator_period=denominator_period, min_count=min_count,
                         level=level)
    sel = lq[lq["industry_code"] == code]
    if sel.empty:
        raise SchemaError(
            f"no business counts for sub-sector {subsector!r} ({code}); museums and libraries "
            "(9101/9102) are absent from the published UK Business Counts table."
        )
    table = pd.DataFrame({
        "geo_code": sel["geo_code"].astype(str).to_numpy(),
        "industry_code": code,
        "businesses": sel["value"].to_numpy(dtype=float),
        "active_enterprises": sel["area_total"].to_numpy(dtype=float),
        "business_lq": sel["lq"].to_numpy(dtype=float),
        "lq_lower": sel["lq_lower"].to_numpy(dtype=float),
        "lq_upper": sel["lq_upper"].to_numpy(dtype=float),
        "small_count": sel["small_count"].to_numpy(dtype=bool),
        "disclosure_flag": sel["disclosure_flag"].to_numpy(),
        "caveat": sel["caveat"].to_numpy(),
    })
    allc = lq[lq["industry_code"] == ALL].set_index("geo_code")["value"]
    table["creative_businesses"] = table["geo_code"].map(allc).astype(float)
    subs = lq[lq["industry_code"] != ALL]
    mix = subs.pivot_table(index="geo_code", columns="industry_code", values="value", aggfunc="sum")
    for c in mix.columns:
        table[f"biz_{c}"] = table["geo_code"].map(mix[c]).astype(float)
    spec = specialisation(subs.rename(columns={"lq": "_lq"}), lq="_lq", period=None)
    spec = spec.set_index("geo_code")
    for c in ("hhi", "shannon_entropy", "n_lq_above_1"):
        table[c] = table["geo_code"].map(spec[c])
    table.insert(1, "geo_name", area_names(wh, table["geo_code"]).to_numpy())
    geom = None
    if centroids or level == "ttwa":
        try:
            geom = level_geometry(wh, level)
        except WarehouseError:
            geom = None
    if level == "ttwa":
        lads = lad_business_counts(wh, year=year)["geo_code"].astype(str).unique()
        assign = _ttwa_assignment_for(wh, lads)
        note = ttwa_caveat(ttwa_lsoa_coverage(assign))
        table["caveat"] = [f"{c}; {note}" if c else note for c in table["caveat"].fillna("")]
        table["n_lads"] = table["geo_code"].map(assign.groupby("ttwa11_code").size()).astype("Int64")
        if geom is not None:
            gn = dict(zip(geom["geo_code"].astype(str), geom["geo_name"].astype(str), strict=False))
            table["geo_name"] = [n or gn.get(c, "") for c, n in zip(table["geo_code"], table["geo_name"],
                                                                    strict=True)]
    if centroids and (geom is not None or level == "lad"):
        cen = place_centroids(wh, level=level, geometry=geom)
        table = table.merge(cen, on="geo_code", how="left")
    return table


_LEVEL_NOTE = {
    "lad": "",
    "cauth": ", LAD counts summed to combined authorities",
    "rgn": ", LAD counts summed to regions",
    "ttwa": ", LAD counts summed to 2011 TTWAs (best-fit, approximate)",
}


def business_source_line(wh: Warehouse, *, year: int | str | None = None, level: str = "lad",
                         denominator: bool = True) -> str:
    """The source line of business-count tables, from the catalogue (datasets, vintages, periods).

    ``denominator=False`` for a plain count (creative enterprises): the numerator's dataset only, since no
    active-enterprise total enters it.
    """
    num = wh.require_dataset(kinds.CREATIVE_ENTERPRISES_SIC, period=year, measure="enterprises")
    period = str(year) if year is not None else wh.latest_period(num.id, measure="enterprises")
    pub = num.publisher.split(" (")[0] if num.publisher else "ONS"
    if not denominator:
        return f"{pub}: {num.title or num.id} ({period}){_LEVEL_NOTE.get(level, '')}"
    den_period = denominator_period_for(wh, period)
    den = wh.require_dataset(kinds.ACTIVE_ENTERPRISES, period=den_period, measure="active_enterprises")
    return (f"{pub}: {num.title or num.id} ({period}) over {den.title or den.id} "
            f"({den_period}){_LEVEL_NOTE.get(level, '')}")
