"""Data model of the evidence pack: the place, the inputs, section helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.framework import Framework
from creative_clusters.classifications import dcms
from creative_clusters.people.inclusion import InclusionEvidence
from creative_clusters.reporting.pack_types import Section, Table

if TYPE_CHECKING:  # findings imports this module
    from creative_clusters.reporting.findings import Finding

__all__ = [
    "ARTICLE_NAMES",
    "DIVISION_TITLES",
    "SECTION_TITLES",
    "SUBSECTOR_NAMES",
    "BusinessLQ",
    "CensusDivisions",
    "Deprivation",
    "EvidenceInputs",
    "FocusFigure",
    "LQInterval",
    "PackState",
    "PeerChoice",
    "PlaceInfo",
    "RateBase",
    "SeriesLQ",
    "SubsectorLQ",
    "common_name",
    "common_names_in",
    "n_english_lads",
    "shown_datasets",
    "with_articles",
]

SECTION_TITLES = {
    "summary": "Summary",
    "scale": "Scale and specialisation",
    "growth": "Growth and dynamism",
    "benchmark": "Growth-potential benchmark",
    "workforce": "Workforce, inclusion and good work",
    "microclusters": "Microclusters and anchors",
    "connections": "Connections",
    "research": "Research to cite",
    "sources": "Sources and methods",
}

SUBSECTOR_NAMES = {dcms.subsector_short(s): s for s in dcms.SUBSECTORS}

DIVISION_TITLES = {
    "58": "Publishing activities",
    "59": "Motion picture, video and television programme production, sound recording and music publishing",
    "60": "Programming and broadcasting activities",
    "62": "Computer programming, consultancy and related activities",
    "73": "Advertising and market research",
    "74": "Other professional, scientific and technical activities",
    "90": "Creative, arts and entertainment activities",
    "91": "Libraries, archives, museums and other cultural activities",
}

UK, ENGLAND = "K02000001", "E92000001"

#: How each kind of place is named in a pack's title.
_TYPE_LABELS = {"ttwa": "{name} travel-to-work area", "cauth": "{name}", "rgn": "{name}", "custom": "{name}"}


def common_name(name: str) -> str:
    """The name people use: 'Bristol, City of' -> 'Bristol'; 'Herefordshire, County of' -> 'Herefordshire'.

    Examples
    --------
    >>> common_name("Bristol, City of"), common_name("Kingston upon Hull, City of"), common_name("Leeds")
    ('Bristol', 'Kingston upon Hull', 'Leeds')
    """
    for suffix in _OFFICIAL_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_OFFICIAL_SUFFIXES = (", City and County of", ", City of", ", County of")


def common_names_in(text: str) -> str:
    """Every official LAD name in running text replaced by its common name (a list of names joined by commas
    is otherwise ambiguous: "Bristol, City of, Bath and North East Somerset").

    >>> common_names_in("the corridor of Bristol, City of, Bath and North East Somerset")
    'the corridor of Bristol, Bath and North East Somerset'
    """
    for suffix in _OFFICIAL_SUFFIXES:
        text = text.replace(suffix, "")
    return text


#: Place names said with "the" in running text (regions, combined authorities and a few local authorities).
ARTICLE_NAMES = ("North East", "North West", "South East", "South West", "East Midlands", "West Midlands",
                 "East of England", "West of England", "Liverpool City Region", "Tees Valley", "North of Tyne",
                 "Isles of Scilly", "Vale of Glamorgan", "Scottish Borders", "Orkney Islands", "Shetland Islands",
                 "United Kingdom", "North East Combined Authority", "West Midlands Combined Authority",
                 "East Midlands Combined County Authority",
                 # NUTS2 (2013) areas, the wider areas of section 3's employment ("employment in the Highlands and
                 # Islands", not "in Highlands and Islands")
                 "Highlands and Islands", "Gloucestershire, Wiltshire and Bath/Bristol area")


def with_articles(text: str, names: Iterable[str] = ARTICLE_NAMES) -> str:
    """``text`` with "the" before each of ``names`` where English needs it ("The North East had").

    Left alone: a name already after "the", one that is part of a longer name ("North East Lincolnshire",
    "Bath and North East Somerset") and one in brackets or quotes as a label. A plural name's possessive
    loses its second s ("the Orkney Islands'").

    Examples
    --------
    >>> with_articles("North East had 4,360; in North East Lincolnshire and the North East, of North East.")
    'The North East had 4,360; in North East Lincolnshire and the North East, of the North East.'
    >>> with_articles("Bath and North East Somerset is in South West England; in Isles of Scilly.")
    'Bath and North East Somerset is in South West England; in the Isles of Scilly.'
    >>> with_articles("Map of North East (outlined in black); no counts for Orkney Islands (S12000023).")
    'Map of the North East (outlined in black); no counts for the Orkney Islands (S12000023).'
    >>> with_articles("Orkney Islands's small areas; of Orkney Islands's.")
    "The Orkney Islands' small areas; of the Orkney Islands'."
    """
    for name in names:
        if name not in text:
            continue
        rx = re.compile(r"(?<![\w(\"'-])(?<!\bthe )(?<!\bThe )" + re.escape(name)
                        + r"(?! [A-Z0-9])(?![\w-])")

        def add(m: re.Match[str], text: str = text) -> str:
            before = text[:m.start()].rstrip()
            start = not before or before.endswith((".", "!", "?"))
            return ("The " if start else "the ") + m.group(0)

        text = rx.sub(add, text)
        if name.endswith("s"):  # a plural name's possessive: "the Orkney Islands' small areas"
            text = text.replace(f"{name}'s", f"{name}'")
    return text


class RateBase(NamedTuple):
    """The count a place's rate rests on, its base (NaN when unknown, ``inf`` for a population), what they
    count, and how far the published count can be from the true one (2 for counts rounded to 5)."""

    counted: float
    base: float
    noun: str = ""
    of_noun: str = ""
    rounding: float = 0.0


@dataclass
class PlaceInfo:
    """The place a pack is about: a LAD, an area made of LADs, or a user group."""

    code: str
    name: str
    geo_type: str = "lad"
    members: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    #: other kinds of place the query's name also names, as queries ("cauth:West Midlands")
    also: list[str] = field(default_factory=list)
    #: how the members were chosen, when not by the level's usual rule (a travel-to-work area that holds
    #: no local authority's majority, approximated by one); "" for the usual rule
    member_rule: str = ""

    def __post_init__(self) -> None:
        if not self.members:
            self.members = [self.code]
        if not self.chain:
            self.chain = [self.name, self.code, "UK"]

    @property
    def label(self) -> str:
        """The place as a pack's title names it (e.g. 'Sheffield travel-to-work area').

        Examples
        --------
        >>> PlaceInfo("E30000261", "Sheffield", "ttwa", ["E08000019", "E08000018"]).label
        'Sheffield travel-to-work area'
        """
        if self.geo_type == "ttwa" and self.name.endswith("travel-to-work area"):  # already the label
            return self.name
        return _TYPE_LABELS.get(self.geo_type, "{name}").format(name=self.name)

    @property
    def is_single(self) -> bool:
        """True for a single LAD (ranks among LADs make sense)."""
        return self.geo_type == "lad" and self.members == [self.code]


@dataclass
class BusinessLQ:
    """Creative enterprise counts and business LQs, wide (place x sub-sector short code + ``all``).

    Built by :func:`creative_clusters.workflows.evidence_stats.business_lq`. ``count``,
    ``lq``, ``lo`` and ``hi`` share one index (every LAD with an active-enterprise
    count, plus a group place's own row); ``reference_share`` is England's
    creative share of active enterprises by column.

    A published 0 (0 to 2 enterprises, counts rounded to 5) has no LQ and no
    lower bound (``lq`` and ``lo`` are NaN), only its upper bound ``hi``: the
    rule of the profile and the map
    (:func:`creative_clusters.workflows.placestats.published_zero_lq_note`).
    """

    count: pd.DataFrame
    lq: pd.DataFrame
    lo: pd.DataFrame
    hi: pd.DataFrame
    active: pd.Series
    reference_share: pd.Series
    notes: list[str] = field(default_factory=list)


@dataclass
class CensusDivisions:
    """Residents in employment in the creative divisions (Census 2021 TS060), place and England and Wales.

    Built by :func:`creative_clusters.workflows.evidence_stats.census_divisions`;
    ``place`` and ``reference`` are by division code plus ``_T`` (all residents in
    employment); ``share`` and ``reference_share`` are percentages.
    """

    place: pd.Series
    reference: pd.Series
    members_found: int
    members: int
    total: float
    share: float
    reference_share: float


@dataclass
class Deprivation:
    """Deprivation of the place on its own nation's index (indices are never compared across nations).

    ``rank``/``of`` for a single LAD on an index with LAD ranks (1 = most
    deprived); ``share_most_deprived`` (%) of its small areas in the nation's
    most deprived 10% where the index publishes only that; for a group,
    ``members_most_deprived_decile`` of ``members_ranked`` members rank in the
    most deprived tenth of the nation's local authorities.
    """

    index: str
    dataset: str
    rank: int | None = None
    of: int | None = None
    share_most_deprived: float | None = None
    members_most_deprived_decile: int | None = None
    members_ranked: int | None = None


@dataclass
class FocusFigure:
    """A focus activity's exact SIC classes in the place: count, England count, LQ and interval."""

    term: str
    name: str
    classes: tuple[str, ...]
    subsector: str
    note: str
    count: float
    england: float
    lq: float
    lo: float
    hi: float


@dataclass
class PeerChoice:
    """The place's peers, how far each is (standardised distance, 0 = identical) and the rule, said once."""

    codes: list[str]
    distance: dict[str, float]
    rule: str
    given: bool = False
    size: dict[str, float] = field(default_factory=dict)
    #: Where the peers were compared on the UK-wide annual series (a place or peer outside England's counts by
    #: SIC class): the place's and each peer's measures (index code; columns ``size``, ``lq_uk``, ``growth``),
    #: with ``attrs`` naming their years (``size_year``, ``lq_year``, ``growth_window``); None otherwise.
    measures: pd.DataFrame | None = None


@dataclass
class EvidenceInputs:
    """Everything :func:`build_context` needs; absent data is ``None``.

    Attributes
    ----------
    enterprises : DataFrame
        Creative enterprises, LAD x DCMS sub-sector short code (wide), every LAD.
    demography : DataFrame
        ``[geo_code, period, measure, status, value]`` from business demography,
        every area (LADs plus UK/England rows where published).
    census : DataFrame
        ``[geo_code, industry_code, value]``: Census 2021 residents in employment
        by SIC 2007 division, ``_T`` the total, every LAD.
    indicators : DataFrame
        Wide benchmark values (LAD x indicator, see ``indicator_table``).
    hei, museums, microclusters : DataFrame
        Rows inside the place (already filtered).
    clusters : DataFrame
        Hook for :mod:`creative_clusters.clusters`: ``[method, geo_code, is_cluster, detail]``.
    corridors : DataFrame
        Hook: ``[corridor, members, detail]`` (members: comma-separated codes).
    workforce : dict
        Hook for :mod:`creative_clusters.people`: ``{"sentences": [...], "tables": [...]}``.
    microclusters_national : int
        Microclusters in the whole warehouse table that meet the minimum size
        (all rows when there is no ``meets_min_firms`` column).
    microcluster_hulls : GeoDataFrame
        The place's microcluster polygons (EPSG:27700), for the section 6 map.
    lad_area_km2 : Series
        LAD area in km² (2023 boundaries, EPSG:27700), for the peers' density term.
    geometry : GeoDataFrame
        LAD polygons (``geo_code``, ``geo_name``) for the neighbourhood map.
    lq : BusinessLQ
        Business LQs with intervals for every LAD and the place (computed in ``workflows``).
    census_divisions : CensusDivisions
        The place's Census 2021 residents in creative divisions (one value for every section).
    nation_indicators : DataFrame
        For a LAD outside England: the framework's indicators for every LAD of
        its nation (percentiles within the nation); None in England.
    uk_indicators : DataFrame
        For a LAD outside England: the framework's indicators for every UK LAD
        (England's benchmark base and the other nations'), for its percentiles
        across the UK (:func:`creative_clusters.benchmarking.nations.nation_percentiles`).
    nation_notes : dict
        Indicator id -> where its values in those two tables come from, for the indicators the
        framework reads from the UK-wide annual series outside England (and their year).
    place_indicators : DataFrame
        Benchmark rows of a group place and of its group peers (published where
        they exist), with ``indicator_how`` saying how the place's values were obtained.
    trajectory : PlaceTrajectory
        The place's creative-enterprise series with its windows, ranks, LQ over
        time and class (:func:`creative_clusters.workflows.trajectory.place_trajectory`);
        ``trajectory_missing`` says why there is none.
    series_scale : dict
        The place's row of the annual-series scale table
        (:func:`creative_clusters.workflows.trajectory.series_place_table`): creative
        enterprises, ranks in its nation and the UK, business LQ against the UK and
        against its nation with 95% intervals, ``period``. Used where the SIC-level
        counts do not cover the place (Scotland, Wales, Northern Ireland).
    nuts2_growth : dict
        Section 3 "wider area" block from
        :func:`creative_clusters.reporting.growth_block.growth_block`
        (``sentences``, ``tables``, ``caveats``, ``sources``, ``missing``).
    """

    place: PlaceInfo
    framework: Framework
    subsectors: list[str] = field(default_factory=list)
    enterprises: pd.DataFrame | None = None
    #: the period of the creative enterprise counts, from the catalogue (set by ``gather_inputs``)
    enterprises_period: str = ""
    #: every year of creative enterprise counts by SIC class in the catalogue, ascending (set by
    #: ``gather_inputs``; the pack reads ``enterprises_period``'s snapshot only)
    enterprise_years: list[str] = field(default_factory=list)
    demography: pd.DataFrame | None = None
    census: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    names: dict[str, str] = field(default_factory=dict)
    peers: list[str] | None = None
    peer_k: int = 10
    hei: pd.DataFrame | None = None
    museums: pd.DataFrame | None = None
    microclusters: pd.DataFrame | None = None
    microclusters_national: int | None = None
    microcluster_hulls: Any = None
    #: provenance and coverage of the run the microclusters come from (a ``RunRecord`` as a dict), or None
    microcluster_run: dict[str, Any] | None = None
    #: every stored microcluster run (``RunRecord`` dicts), so a place outside the current run can be
    #: pointed to a stored run that covers it
    microcluster_runs: list[dict[str, Any]] = field(default_factory=list)
    lad_area_km2: pd.Series | None = None
    clusters: pd.DataFrame | None = None
    corridors: pd.DataFrame | None = None
    workforce: dict[str, Any] | None = None
    #: section 5's inclusion and good-work results (:func:`creative_clusters.workflows.inclusion_report.
    #: inclusion_evidence`), or None
    inclusion: InclusionEvidence | None = None
    geometry: Any = None
    nuts2_growth: dict[str, Any] | None = None
    trajectory: Any = None  # PlaceTrajectory (workflows.trajectory) or None
    #: the place's creative workplace employment with bounds and employment LQ (BRES by LAD):
    #: ``workflows.employment_lad.PlaceEmployment``, or None (section 2's missing notes say why)
    employment: Any = None
    trajectory_missing: str = ""
    series_scale: dict[str, Any] | None = None
    research: list[Any] | None = None
    lq: BusinessLQ | None = None
    census_divisions: CensusDivisions | None = None
    nation_indicators: pd.DataFrame | None = None
    uk_indicators: pd.DataFrame | None = None
    nation_notes: dict[str, str] = field(default_factory=dict)
    place_indicators: pd.DataFrame | None = None
    indicator_how: dict[str, str] = field(default_factory=dict)
    neighbours: list[str] | None = None
    deprivation: Deprivation | None = None
    focus: list[FocusFigure] = field(default_factory=list)
    active_latest: pd.Series | None = None
    #: indicator id -> the period its benchmark values are for ("2024", "2020–2025")
    indicator_periods: dict[str, str] = field(default_factory=dict)
    #: growth indicator id -> the smaller of the place's base and latest counts (small bases are gated)
    growth_bases: dict[str, float] = field(default_factory=dict)
    #: how many creative SIC classes the counts by class hold (29 in UK Business Counts: no 9101/9102)
    enterprise_classes: int = 0
    #: rate indicator id -> (the count the place's rate rests on, its base; NaN when not read)
    rate_bases: dict[str, RateBase] = field(default_factory=dict)
    #: survey indicator id -> the place's published 95% interval (lo, hi); a single LAD's only
    rate_intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: the place's own ad-hoc creative profile by year (``workflows.evidence_stats.area_profile``), or None
    area_profile: pd.DataFrame | None = None
    #: every LAD's creative enterprises and business LQ against the UK from the annual series (columns
    #: businesses, business_lq_uk, period): the neighbour map and table of a place outside England's counts;
    #: and its count in the series' latest year (latest, latest_period): an English place's neighbours
    #: beyond England's counts by SIC class
    series_lads: pd.DataFrame | None = None
    peer_choice: PeerChoice | None = None
    demography_place: pd.DataFrame | None = None
    demography_ref: pd.DataFrame | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    composite: bool = False
    seed: int = 0
    build_date: str | None = None
    png: bool | str = True  # True, False, or "defer" (see figure_render.finish_pngs)
    generator: str = "creative-clusters"


@dataclass(frozen=True)
class LQInterval:
    """A business location quotient and its 95% interval (NaN where the place has none)."""

    lq: float
    lo: float
    hi: float


@dataclass(frozen=True)
class SeriesLQ:
    """A business LQ from the UK-wide annual series (places outside England's counts by SIC class).

    ``lq``, ``lo`` and ``hi`` are as the series gives them (None where it has no value); ``count`` is the
    place's creative enterprises and ``period`` the year; ``nation`` names the reference area of an LQ
    against the place's nation ("" for the LQ against the UK).
    """

    lq: float | None
    lo: float | None
    hi: float | None
    count: float
    period: str
    nation: str = ""


#: A sub-sector's row of the LQ chart: name, LQ, 95% low, 95% high, enterprises.
SubsectorLQ = tuple[str, float, float, float, float]


@dataclass
class PackState:
    """What the pack's sections compute and hand on to later sections, the summary and the headline.

    Filled in order by :func:`~creative_clusters.reporting.context.build_context`: ``peers`` before
    any section; scale (section 2) its counts, LQs and ranks; benchmark (4) its table; workforce (5)
    the Census share; microclusters (6) the run's coverage of the place; the summary its ranked findings.
    A field left at its default means the section had no such figure.
    """

    #: Peer places (codes) the pack compares with.
    peers: list[str] = field(default_factory=list)
    #: Neighbouring local authorities (codes) of the place map.
    neighbours: list[str] = field(default_factory=list)
    #: Focus activities counted by their exact SIC classes.
    focus: list[FocusFigure] = field(default_factory=list)
    #: Creative enterprises of the place by SIC class, and its share (%) of England's.
    creative_enterprises: float | None = None
    share_england: float | None = None
    #: Creative enterprises summed over sub-sectors, every LAD (and the place as a group).
    ent_total: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    #: Business LQs by sub-sector (places x sub-sectors), when the place has them.
    lq_table: pd.DataFrame | None = None
    #: All creative industries: the LQ against England, and the rank among English LADs ``(rank, n)``.
    lq_all: LQInterval | None = None
    rank_all: tuple[int | None, int] = (None, 0)
    rank_all_tied: int = 0
    #: The rank of the LQ among the place and its peers, and how many share it.
    peer_rank_all: int | None = None
    peer_rank_all_tied: int = 0
    #: Each sub-sector's LQ row (as in the LQ chart).
    subsector_lq: list[SubsectorLQ] = field(default_factory=list)
    #: Outside England's counts by SIC class: the annual series' LQs and ``(count, year)``.
    series_lq: SeriesLQ | None = None
    series_lq_nation: SeriesLQ | None = None
    series_enterprises: tuple[float, str] | None = None
    #: The benchmark's percentile table and the words for its base ("local authorities of Wales").
    benchmark: pd.DataFrame | None = None
    benchmark_base: str | None = None
    #: Census 2021 share (%) of employed residents in creative divisions.
    census_share: float | None = None
    #: ``"covered"``, ``"not_covered"`` or ``"unknown"``: the microcluster run's firm file and the place.
    microcluster_coverage: str | None = None
    #: The pack's findings by kind (``strength``, ``weakness``, ``inconclusive``, ...), most salient first.
    findings: dict[str, list[Finding]] = field(default_factory=dict)


def _table(title: str, columns: list[str], rows: list[list[Any]], formats: list[str] | None = None,
           notes: list[str] | None = None) -> Table:
    clean = [[_plain(v) for v in r] for r in rows]
    return {"title": title, "columns": columns, "rows": clean,
            "formats": formats or ["text"] * len(columns), "notes": [n for n in (notes or []) if n]}


def _plain(v: Any) -> Any:
    """Python scalars only (NaN/NA -> None), so renderers and JSON see one type per value."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    return str(v)


def _section(sid: str, number: int) -> Section:
    return {"id": sid, "number": number, "title": SECTION_TITLES[sid], "status": "ok",
            "sentences": [], "tables": [], "figures": [], "missing": [], "sources": []}


def _finish(sec: Section, extra_missing: list[str] | None = None) -> Section:
    sec["sentences"] = [s for s in sec["sentences"] if s]
    sec["missing"] = list(dict.fromkeys([*sec["missing"], *(extra_missing or [])]))
    has_content = bool(sec["sentences"] or sec["tables"] or sec["figures"])
    if not has_content:
        sec["status"] = "missing"
    elif sec["missing"]:
        sec["status"] = "partial"
    sec["sources"] = sorted(set(sec["sources"]))
    return sec


def shown_datasets(fw: Framework, table: pd.DataFrame) -> list[str]:
    """The datasets (kinds; a reference table as the kind that writes it) behind the benchmark rows that
    show a value (``status == "ok"``), numerators and denominators: the ones Sources and methods must list.

    Examples
    --------
    >>> from creative_clusters.benchmarking import load_framework
    >>> fw = load_framework()
    >>> ind = next(i for i in fw.indicators if i.dataset == "local_indicators")
    >>> shown_datasets(fw, pd.DataFrame({"indicator_id": [ind.id], "status": ["ok"]}))
    ['local_indicators']
    >>> shown_datasets(fw, pd.DataFrame({"indicator_id": [ind.id], "status": ["gap"]}))
    []
    """
    from creative_clusters.kinds import kind_of_table

    ok = set(table.loc[table["status"] == "ok", "indicator_id"].astype(str)) if len(table) else set()
    out: set[str] = set()
    for ind in fw.indicators:
        if ind.id in ok and ind.source:
            out.add(ind.source["dataset"])
            den = ind.source.get("denominator")
            if den:
                out.add(den["dataset"])
    return sorted(kind_of_table(d) for d in out)


def source_label(sources: list[dict[str, Any]], ref: str) -> str:
    """A reader's name for a dataset id or kind: the catalogue title's lead and the vintage.

    The Sources section lists each dataset with its id, title and checksum; tables elsewhere name it so.

    Examples
    --------
    >>> recs = [{"id": "local_indicators", "kind": "local_indicators", "vintage": "2025",
    ...          "title": "Local context indicators: employment rate, GVA per hour"}]
    >>> source_label(recs, "local_indicators"), source_label(recs, "unknown_kind")
    ('Local context indicators (2025)', 'unknown_kind')
    """
    rec = next((r for r in sources if str(r.get("id", "")) == ref), None) or latest_source(sources, ref)
    title = str(rec.get("title") or "").split(":")[0].strip()
    if not title:
        return ref
    vintage = str(rec.get("vintage") or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage):  # a release date, not a data year
        vintage = f"released {vintage}"
    return f"{title} ({vintage})" if vintage and vintage not in title else title


def latest_source(sources: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The catalogue record of the latest dataset of ``kind`` in ``sources`` (``{}`` when none).

    Examples
    --------
    >>> recs = [{"id": "a", "kind": "k", "vintage": "2024"}, {"id": "b", "kind": "k", "vintage": "2025-11-20"}]
    >>> latest_source(recs, "k")["id"], latest_source(recs, "other")
    ('b', {})
    """
    from creative_clusters.kinds import vintage_key

    mine = [r for r in sources if str(r.get("kind", "")) == kind]
    if not mine:
        return {}
    return max(mine, key=lambda r: (vintage_key(str(r.get("vintage", ""))), str(r.get("imported_at", ""))))


def latest_period(table: pd.DataFrame | None, measure: str) -> str:
    """The latest ``period`` of ``measure`` in a long observations table ("" when none).

    Examples
    --------
    >>> latest_period(pd.DataFrame({"measure": ["m", "m"], "period": ["2023", "2024"]}), "m")
    '2024'
    """
    if table is None or table.empty or "measure" not in table.columns:
        return ""
    p = table.loc[table["measure"] == measure, "period"]
    return str(p.max()) if len(p) else ""


def n_english_lads(indicators: pd.DataFrame | None) -> int:
    """How many English local authorities the benchmark's base holds (its rows with an ``E`` LAD code).

    >>> n_english_lads(pd.DataFrame(index=["E06000001", "E08000019", "W06000015", "custom:x"]))
    2
    """
    if indicators is None:
        return 0
    return sum(1 for c in indicators.index if str(c).startswith("E") and len(str(c)) == 9)


def uses_series_lqs(inp: EvidenceInputs) -> bool:
    """True for a place outside England's counts by SIC class (Wales, Scotland, Northern Ireland) whose
    LADs the annual series covers: its map and neighbours show the series' counts and LQs against the UK."""
    place = inp.place
    english = inp.lq is not None and all(m in inp.lq.lq.index for m in place.members)
    series = inp.series_lads
    return not english and series is not None and any(m in series.index for m in place.members)

