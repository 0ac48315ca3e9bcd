"""Dataset kinds: the one registry that says what each kind of dataset serves.

A *dataset* is one import (a catalogue row, e.g. the UK Business Counts table
published for March 2025). A *kind* is what the product needs from it (e.g.
"creative enterprises by LAD and SIC class"). Code asks the warehouse for
"the latest dataset of kind K" (or a requested vintage) and reads its
periods from the observations; no dataset id, year or LAD vintage is written
anywhere else. A user who imports a newer year of a kind gets it in every
command, map, pack and API response without a code change.

Kinds are plain strings so that importers (``sources``), the warehouse and
the workflows can share them without importing each other.

Examples
--------
>>> KINDS[CREATIVE_ENTERPRISES_SIC].serves[:38]
'creative enterprises by sub-sector and'
>>> vintage_key("2025-11-20") > vintage_key("2025") > vintage_key("2019")
True
>>> latest_vintage(["2019", "2025", "2017"])
'2025'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ACTIVE_ENTERPRISES",
    "ANCHORS_HEI",
    "ANCHORS_MUSEUMS",
    "AREA_CREATIVE_PROFILE",
    "BUSINESS_DEMOGRAPHY_HISTORY",
    "CENSUS_GM_WORKFORCE",
    "CENSUS_INDUSTRY",
    "CORRIDOR_MAX_DISTANCE_M",
    "CREATIVE_ENTERPRISES_SERIES",
    "CREATIVE_ENTERPRISES_SIC",
    "DEPRIVATION_ENGLAND",
    "DEPRIVATION_NORTHERN_IRELAND",
    "DEPRIVATION_SCOTLAND",
    "DEPRIVATION_UK_LSOA",
    "DEPRIVATION_WALES",
    "EMPLOYMENT_LAD",
    "EMPLOYMENT_NUTS2",
    "FIRMS",
    "KINDS",
    "LAD_VINTAGE",
    "LOCAL_INDICATORS",
    "LOCAL_UNITS_NUTS2",
    "LQ_RULES",
    "MICROCLUSTERS",
    "NO_NEIGHBOUR",
    "ONS_JOBS",
    "ONS_JOBS_DEMOGRAPHICS",
    "ONS_JOB_QUALITY",
    "ONS_SUBSECTOR_JOBS",
    "ONS_SUBSECTOR_JOBS_DEMOGRAPHICS",
    "OTHER_CENSUSES",
    "SERIES_STRONG_RULE",
    "SERIES_THRESHOLD_RULE",
    "STRONG_RULE",
    "THRESHOLD_RULE",
    "DatasetKind",
    "kind_of",
    "kind_of_table",
    "latest_vintage",
    "vintage_key",
]


@dataclass(frozen=True)
class DatasetKind:
    """What one kind of dataset is and which figures it serves.

    Attributes
    ----------
    name : str
        The kind's identifier (``snake_case``), stored in the catalogue.
    serves : str
        The figures it serves, in words (shown by ``data status``).
    measures : tuple of str
        The observation measures the product reads from it.
    fetch : str
        The command that fetches another period (``{period}`` filled in), if any.
    cadence : str
        How often the publisher releases a new period (for baselines a bid sets targets against).
    tables : tuple of str
        The reference tables it writes (a framework indicator may name one as its dataset).
    unread : str
        Why no figure of this version reads the kind yet ("" for a kind figures read): said when one is
        imported, so a user does not wait for figures that will not change.
    """

    name: str
    serves: str
    measures: tuple[str, ...] = ()
    #: A command that fetches another period online (``{period}`` is filled in), or "".
    fetch: str = ""
    cadence: str = ""
    tables: tuple[str, ...] = ()
    unread: str = ""


CREATIVE_ENTERPRISES_SIC = "creative_enterprises_sic"
CREATIVE_ENTERPRISES_SERIES = "creative_enterprises_series"
ACTIVE_ENTERPRISES = "business_demography"
BUSINESS_DEMOGRAPHY_HISTORY = "business_demography_history"
CENSUS_INDUSTRY = "census_industry"
CENSUS_GM_WORKFORCE = "census_gm_workforce"
DEPRIVATION_ENGLAND = "deprivation_england"
DEPRIVATION_WALES = "deprivation_wales"
DEPRIVATION_SCOTLAND = "deprivation_scotland"
DEPRIVATION_NORTHERN_IRELAND = "deprivation_northern_ireland"
DEPRIVATION_UK_LSOA = "deprivation_uk_lsoa"
EMPLOYMENT_NUTS2 = "employment_nuts2"
EMPLOYMENT_LAD = "employment_lad"
LOCAL_UNITS_NUTS2 = "local_units_nuts2"
LOCAL_INDICATORS = "local_indicators"
ANCHORS_HEI = "anchors_hei"
ANCHORS_MUSEUMS = "anchors_museums"
ONS_JOBS = "ons_creative_jobs"
ONS_SUBSECTOR_JOBS = "ons_creative_subsector_jobs"
ONS_JOBS_DEMOGRAPHICS = "ons_creative_jobs_demographics"
ONS_SUBSECTOR_JOBS_DEMOGRAPHICS = "ons_creative_subsector_jobs_demographics"
ONS_JOB_QUALITY = "ons_creative_job_quality"
AREA_CREATIVE_PROFILE = "area_creative_profile"
FIRMS = "firms"
MICROCLUSTERS = "microclusters"

#: The LAD boundary vintage the business statistics are published on (April
#: 2023 codes: UK Business Counts 2025 and the 2010-2025 series). Boundary
#: vintages of other tables travel in their observations' ``geo_vintage``.
LAD_VINTAGE = "2023"

#: ``detail`` of a cluster-flag row whose place the hot-spot analysis cannot test (no land neighbour).
NO_NEIGHBOUR = "no land neighbour"
#: The name the pack gives the threshold detection rule run on business counts by local authority: Nesta's 2016
#: rule asked for co-located creative employment and businesses (both LQs), but by LAD there are business counts
#: only, so it is "Nesta-style", never "co-location".
THRESHOLD_RULE = "Nesta-style threshold rule (business counts)"
#: The same rule run on the UK-wide annual series (all creative industries, business LQ against the UK): the
#: pack's cluster test for local authorities outside England, whose counts by SIC class are not published.
SERIES_THRESHOLD_RULE = "Nesta-style threshold rule (UK-wide annual series)"
#: The US Cluster Mapping rule run on business counts by local authority.
STRONG_RULE = "US Cluster Mapping rule"
#: Detected clusters whose centroids are at most this many metres apart are joined into a corridor
#: (:class:`creative_clusters.clusters.Corridors`; the calibration is in docs/corridors.md).
CORRIDOR_MAX_DISTANCE_M = 20_000.0
#: The US Cluster Mapping rule run on that series.
SERIES_STRONG_RULE = "US Cluster Mapping rule (UK-wide annual series)"
#: The rules that test the same business LQ (the US rule's cut, the top quartile, is the stricter): their
#: agreement is one result, not independent confirmation.
LQ_RULES = (THRESHOLD_RULE, STRONG_RULE, SERIES_THRESHOLD_RULE, SERIES_STRONG_RULE)

_ALL = (
    DatasetKind(CREATIVE_ENTERPRISES_SIC,
                "creative enterprises by sub-sector and SIC 2007 class per LAD (UK Business Counts); "
                "business LQs and the sub-sector mix", ("enterprises",),
                "creative-clusters data fetch business_counts_enterprises --geography lad --date {period}",
                "annual (UK Business Counts, March snapshot, released in the autumn)"),
    DatasetKind(CREATIVE_ENTERPRISES_SERIES,
                "creative enterprises per UK LAD, one value a year (UK Business Counts series); "
                "trends, growth and four-nation counts", ("enterprises",),
                cadence="annual (UK Business Counts, March snapshot, released in the autumn)"),
    DatasetKind(ACTIVE_ENTERPRISES,
                "active enterprises of all industries, births, deaths, high growth and survival "
                "(Business Demography); LQ denominators and dynamism", ("active_enterprises",),
                cadence="annual (ONS Business Demography, released each November)"),
    DatasetKind(BUSINESS_DEMOGRAPHY_HISTORY,
                "business demography counts on an earlier LAD set (earlier years)", ("active_enterprises",)),
    DatasetKind(CENSUS_INDUSTRY, "residents in employment by industry division (Census 2021 TS060); "
                "creative workforce by residence", ("residents_in_employment",),
                "creative-clusters data fetch census2021_ts060 --geography lad",
                "every ten years (Census; the next is due in 2031)"),
    DatasetKind(CENSUS_GM_WORKFORCE, "creative occupations and self-employment (Census 2021, Greater "
                "Manchester tables)"),
    DatasetKind(DEPRIVATION_ENGLAND, "English Indices of Deprivation",
                cadence="irregular, every four to six years (MHCLG)"),
    DatasetKind(DEPRIVATION_WALES, "Welsh Index of Multiple Deprivation"),
    DatasetKind(DEPRIVATION_SCOTLAND, "Scottish Index of Multiple Deprivation"),
    DatasetKind(DEPRIVATION_NORTHERN_IRELAND, "Northern Ireland Multiple Deprivation Measure"),
    DatasetKind(DEPRIVATION_UK_LSOA, "UK-comparable small-area deprivation"),
    DatasetKind(EMPLOYMENT_NUTS2, "employment by NUTS2 and SIC class (BRES); employment LQs, shift-share",
                ("employment",)),
    DatasetKind(EMPLOYMENT_LAD, "workplace employment by LAD and SIC class (BRES, fetched from Nomis or imported "
                "from a saved Nomis CSV); creative workplace employment with its rounding and suppression bounds, "
                "its share of all employment and the employment LQ (evidence pack, section 2)",
                ("employment",),
                "creative-clusters data fetch bres --geography lad --industry creative,total --date {period}",
                "annual (BRES, provisional each autumn, revised a year later)"),
    DatasetKind(LOCAL_UNITS_NUTS2, "local units by NUTS2 and SIC class (IDBR)", ("local_units",)),
    DatasetKind(LOCAL_INDICATORS, "local indicators (productivity, skills, pay) by area",
                cadence="varies by indicator, mostly annual (ONS Explore Local Statistics)"),
    DatasetKind(ANCHORS_HEI, "higher-education providers",
                cadence="a one-off list, not updated since", tables=("hei",)),
    DatasetKind(ANCHORS_MUSEUMS, "museums",
                cadence="a research dataset, no fixed release cadence", tables=("museums",)),
    DatasetKind(ONS_JOBS, "creative industry jobs, London and rest of UK (ONS ad-hoc, APS)"),
    DatasetKind(ONS_SUBSECTOR_JOBS, "creative jobs by sub-sector (ONS ad-hoc, APS)"),
    DatasetKind(ONS_JOBS_DEMOGRAPHICS, "creative industry jobs by sex, age, ethnicity, employment type "
                "(ONS ad-hoc, APS)"),
    DatasetKind(ONS_SUBSECTOR_JOBS_DEMOGRAPHICS, "creative sub-sector jobs by demographics (ONS ad-hoc, APS)"),
    DatasetKind(ONS_JOB_QUALITY, "job-quality indicators, creative and all industries (ONS ad-hoc)"),
    DatasetKind(AREA_CREATIVE_PROFILE, "one area's creative enterprises, employment and turnover by sub-sector "
                "and year (ONS ad-hoc, IDBR)"),
    DatasetKind(FIRMS, "firm-level records with postcodes (Companies House)"),
    DatasetKind(MICROCLUSTERS, "microclusters detected from a firm file"),
)

#: The censuses of the nations TS060 (England and Wales) does not cover, named where a pack says why a
#: Scottish or Northern Irish place has no census rows (their tables are not in the reference data).
OTHER_CENSUSES: dict[str, str] = {"S": "Scotland's Census 2022", "N": "NISRA's Census 2021"}

#: Every registered kind by name.
KINDS: dict[str, DatasetKind] = {k.name: k for k in _ALL}


def kind_of_table(name: str) -> str:
    """The kind whose datasets write reference table ``name``; ``name`` itself when none does.

    Examples
    --------
    >>> kind_of_table("hei"), kind_of_table("business_demography")
    ('anchors_hei', 'business_demography')
    """
    return next((k.name for k in _ALL if name in k.tables), name)


def kind_of(name: str) -> DatasetKind:
    """The registered kind called ``name``; a kind not in the registry is its own, undescribed kind.

    Examples
    --------
    >>> kind_of("geography_ttwa").serves
    'geography_ttwa'
    """
    return KINDS.get(name) or DatasetKind(name, name)


_DATE = re.compile(r"(?<!\d)(\d{4})(?:-(0[1-9]|1[0-2])(?!\d))?(?:-(\d{2})(?!\d))?")


def vintage_key(vintage: str | None) -> tuple[int, int, int, str]:
    """A sort key for catalogue vintages such as ``"2025"``, ``"2025-11-20"``, ``"2015-2018"``.

    The *last* date in the string counts (a range ``2015-2018`` sorts as 2018);
    a vintage without a year sorts first.

    Examples
    --------
    >>> sorted(["2025-11-20", "2019", "2015-2018", "SIC 2007"], key=vintage_key)
    ['SIC 2007', '2015-2018', '2019', '2025-11-20']
    """
    text = str(vintage or "")
    found = [m for m in _DATE.finditer(text) if 1900 <= int(m.group(1)) <= 2999]
    if not found:
        return (0, 0, 0, text)
    m = found[-1]
    month = int(m.group(2)) if m.group(2) else 0
    day = int(m.group(3)) if m.group(3) else 0
    return (int(m.group(1)), month, day, text)


def latest_vintage(vintages: Iterable[str]) -> str | None:
    """The latest of ``vintages`` by :func:`vintage_key`, or ``None`` when there are none."""
    vs = list(vintages)
    return max(vs, key=vintage_key) if vs else None
