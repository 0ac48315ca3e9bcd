"""Creative workplace employment per local authority from BRES (Nomis ``NM_189_1``), with honest bounds.

The statistics layer's reading of the dataset kind
:data:`~creative_clusters.kinds.EMPLOYMENT_LAD` (fetched with ``data fetch
bres --geography lad`` or imported from a saved Nomis CSV): the creative SIC
classes (:func:`creative_clusters.classifications.dcms.creative_classes`)
summed per LAD, the all-industry total, the creative share and the
employment LQ against every LAD of the table, each with the range the
rounding and suppression of the cells leave open
(:mod:`creative_clusters.indicators.employment_bounds` states the rule).
The dataset and its year are the catalogue's (the latest of the kind); the
reference data has none (its README lists BRES by LAD among the known
gaps), so without an import the figures are said to be missing, with the
command that fetches them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.classifications.dcms import creative_classes
from creative_clusters.geography.place import nation_of
from creative_clusters.indicators.employment_bounds import employment_lq, employment_sums, reference_totals, sum_places
from creative_clusters.results import NOT_IMPORTED, DatasetRef, MissingItem, Statistic
from creative_clusters.workflows import gaps

if TYPE_CHECKING:
    from creative_clusters.warehouse import Warehouse

__all__ = [
    "FETCH_EMPLOYMENT",
    "IMPORT_EMPLOYMENT",
    "TOPIC_EMPLOYMENT",
    "PlaceEmployment",
    "lad_employment",
    "missing_note",
    "place_employment",
    "place_employment_statistics",
]

#: What the figures are, in the pack's and the profile's missing notes.
TOPIC_EMPLOYMENT = "Creative workplace employment and employment LQ (BRES by local authority)"
#: The command that fetches the creative classes and the all-industry total for every LAD (``YEAR``: the year).
FETCH_EMPLOYMENT = kinds.KINDS[kinds.EMPLOYMENT_LAD].fetch.format(period="YEAR")
#: The command that imports the same table saved from Nomis.
IMPORT_EMPLOYMENT = "creative-clusters data import-nomis FILE --nomis-dataset bres"
#: The measures read, in order of preference: employees plus working owners, else employees.
_MEASURES = ("employment", "employees")
_NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


def _reference_label(codes: Sequence[str]) -> str:
    """The comparator's name from the nations of the table's LADs.

    >>> _reference_label(["E09000033", "W06000015", "S12000036"]), _reference_label(["E09000033"])
    ('Great Britain', 'England')
    """
    have = {str(c)[:1] for c in codes} & set(_NATIONS)
    if have == set(_NATIONS):
        return "the UK"
    if have == {"E", "W", "S"}:
        return "Great Britain"
    if len(have) == 1:
        return _NATIONS[next(iter(have))]
    return "the local authorities in the table"


#: :func:`lad_employment`'s result per warehouse version (the profile asks once per place).
_CACHE: dict[str, tuple[pd.DataFrame, dict[str, Any]] | None] = {}


def lad_employment(wh: Warehouse) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    """Creative and total workplace employment per LAD with bounds, share and employment LQ, and provenance.

    Returns
    -------
    tuple or None
        ``None`` when no dataset of kind ``employment_lad`` is imported. Otherwise the per-LAD table
        (:func:`~creative_clusters.indicators.employment_bounds.employment_sums` columns plus ``share*``,
        ``employment_lq``, ``lq_lower``, ``lq_upper``) and a dict of plain values: the dataset (``id``,
        ``kind``, ``vintage``, ``title``, ``publisher``), the ``period`` and ``measure`` read,
        ``reference_label`` and the comparator's totals (``reference``).
    """
    key = wh.version() + str(wh.home)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _lad_employment(wh)
    return _CACHE[key]


def _lad_employment(wh: Warehouse) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    ref = wh.find_dataset(kinds.EMPLOYMENT_LAD)
    if ref is None:
        return None
    obs = wh.observations(dataset=ref.id, geo_type="lad")
    measures = set(obs["measure"].astype(str))
    measure = next((m for m in _MEASURES if m in measures), None)
    meta: dict[str, Any] = {"id": ref.id, "kind": ref.kind, "vintage": str(ref.vintage), "title": ref.title,
                            "publisher": ref.publisher, "period": "", "measure": measure or "",
                            "reference_label": "", "reference": {}, "has_total": False}
    if measure is None or obs.empty:
        return pd.DataFrame(), meta
    obs = obs[obs["measure"].astype(str) == measure]
    period = str(max(obs["period"].astype(str), key=kinds.vintage_key))
    obs = obs[(obs["period"].astype(str) == period) & (obs["status"].fillna("").astype(str).isin(["", "_T"]))]
    sums = employment_sums(pd.DataFrame({"geo_code": obs["geo_code"].astype(str),
                                         "industry_code": obs["industry_code"].astype(str),
                                         "value": obs["value"].astype("float64"),
                                         "disclosure_flag": obs["disclosure_flag"].astype(str)}),
                           creative=creative_classes())
    reference = reference_totals(sums)
    n = int(sums["total"].notna().sum())
    label = f"{_reference_label(sums['geo_code'].tolist())} ({n} local authorit{'y' if n == 1 else 'ies'} in the table)"
    meta.update(period=period, reference_label=label, reference=reference,
                has_total=bool(sums["total"].notna().any()))
    return employment_lq(sums, reference), meta


@dataclass(frozen=True)
class PlaceEmployment:
    """A place's creative workplace employment (BRES) with its bounds, share and employment LQ.

    Attributes
    ----------
    source : DatasetRef
        The dataset (kind ``employment_lad``) the figures come from.
    period, measure : str
        The BRES year and the measure read (``employment``: employees plus working owners).
    reference_label : str
        What the LQ compares with (every LAD of the table: e.g. "Great Britain").
    creative, creative_lower, creative_upper : float
        The sum of the published creative cells, and the range the true sum lies in.
    classes_suppressed, classes : int
        Creative class cells suppressed or missing, and how many there are (31 per LAD).
    total, total_lower, total_upper : float or None
        All-industry employment and its range (None: not in the table).
    share, share_lower, share_upper, lq, lq_lower, lq_upper : float or None
        The creative share of employment and the employment LQ, with their ranges.
    """

    source: DatasetRef
    period: str
    measure: str
    reference_label: str
    creative: float
    creative_lower: float
    creative_upper: float
    classes_suppressed: int
    classes: int
    total: float | None = None
    total_lower: float | None = None
    total_upper: float | None = None
    share: float | None = None
    share_lower: float | None = None
    share_upper: float | None = None
    lq: float | None = None
    lq_lower: float | None = None
    lq_upper: float | None = None

    @property
    def suppressed(self) -> bool:
        """True when a creative cell is suppressed or missing: the point is then a sum of the published ones."""
        return self.classes_suppressed > 0

    @property
    def specialised(self) -> bool:
        """True only when the whole employment LQ range lies above 1."""
        return self.lq_lower is not None and self.lq_lower > 1

    @property
    def verdict(self) -> str:
        """What the LQ range allows one to say: a specialisation only when all of it lies above 1."""
        if self.lq is None:
            return ""
        if self.specialised:
            return f"the whole range lies above 1: more concentrated than in {self.reference_label}"
        if self.lq_upper is not None and self.lq_upper < 1:
            return f"the whole range lies below 1: less concentrated than in {self.reference_label}"
        return "the range includes 1: no specialisation can be claimed"

    @property
    def caveat(self) -> str:
        """The caveat that travels with the figures."""
        return ("Workplace-based (people counted where they work, employees plus working owners); BRES rounds "
                f"and suppresses small cells; {self.classes_suppressed} of the {self.classes} creative class "
                f"cells {'is' if self.classes_suppressed == 1 else 'are'} suppressed or missing here")

    def statistics(self) -> dict[str, Statistic]:
        """The figures as typed statistics (``creative_employment``, ``total_employment``,
        ``creative_employment_share``, ``employment_lq``), bounds in ``lower``/``upper``."""
        flags = ("suppressed",) if self.suppressed else ("rounded",)
        notes = (self.caveat, "range: every rounding error at its extreme, suppressed cells 0 upwards")
        out = {
            "creative_employment": Statistic(
                "creative_employment", "Creative workplace employment (BRES)", self.creative, "count",
                self.period, self.source, lower=self.creative_lower, upper=_finite(self.creative_upper),
                flags=flags, notes=notes),
        }
        if self.total is not None:
            out["total_employment"] = Statistic(
                "total_employment", "Workplace employment, all industries (BRES)", self.total, "count",
                self.period, self.source, lower=self.total_lower, upper=self.total_upper, flags=("rounded",),
                notes=notes[:1])
            out["creative_employment_share"] = Statistic(
                "creative_employment_share", "Creative share of workplace employment", self.share, "share",
                self.period, self.source, lower=self.share_lower, upper=self.share_upper, flags=flags,
                notes=notes)
            out["employment_lq"] = Statistic(
                "employment_lq", "Employment location quotient", self.lq, "ratio", self.period, self.source,
                lower=self.lq_lower, upper=_finite(self.lq_upper), flags=flags, notes=(self.verdict, *notes),
                comparison=1.0,
                comparison_label=self.reference_label)
        return out


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def place_employment(table: pd.DataFrame, meta: Mapping[str, Any], members: Sequence[str]) -> PlaceEmployment | None:
    """The figures of a place (one LAD, or its member LADs summed) from :func:`lad_employment`'s result.

    ``None`` when the table lacks a member (a sum over part of a place would describe a smaller one).
    """
    if table is None or table.empty:
        return None
    row = sum_places(table, members)
    if row is None:
        return None
    got = employment_lq(row.to_frame().T, meta["reference"]).iloc[0]
    source = _source(meta)
    has_total = _finite(got["total"]) is not None
    return PlaceEmployment(
        source=source, period=str(meta["period"]), measure=str(meta["measure"]),
        reference_label=str(meta["reference_label"]), creative=float(got["creative"]),
        creative_lower=float(got["creative_lower"]), creative_upper=float(got["creative_upper"]),
        classes_suppressed=int(got["classes_suppressed"]), classes=int(got["classes"]),
        **({k: _finite(got[c]) for k, c in (("total", "total"), ("total_lower", "total_lower"),
                                            ("total_upper", "total_upper"), ("share", "share"),
                                            ("share_lower", "share_lower"), ("share_upper", "share_upper"),
                                            ("lq", "employment_lq"), ("lq_lower", "lq_lower"))}
           if has_total else {}),
        lq_upper=float(got["lq_upper"]) if has_total else None,
    )


def missing_note(meta: Mapping[str, Any] | None, place_name: str = "", *, covered: bool = True,
                 single: bool = True, great_britain: bool = True) -> str | None:
    """What the pack says once when the figures cannot be given (None when they can).

    ``great_britain``: whether the place lies (at least partly) in Great Britain; BRES covers Great Britain
    only, so a place in Northern Ireland is told so, with no command that could not fill the gap.

    Examples
    --------
    >>> missing_note(None).startswith("No workplace employment by local authority")
    True
    >>> missing_note(None, "Derry City and Strabane", great_britain=False)[:62]
    'Workplace employment by local authority and SIC class (BRES) c'
    """
    if not great_britain:
        return (f"Workplace employment by local authority and SIC class (BRES) covers Great Britain only, so there "
                f"is no creative workplace employment or employment LQ for {place_name}.")
    if meta is None:
        return ("No workplace employment by local authority (BRES) is in the data this pack was built from (the "
                "reference data does not include it), so there is no creative workplace employment or employment "
                "LQ here. Fetch it from Nomis or import a Nomis NM_189_1 CSV saved from there with "
                f"`{FETCH_EMPLOYMENT}` and `{IMPORT_EMPLOYMENT}`.")
    named = f"{meta['id']} ({meta.get('period') or meta.get('vintage')})"
    if not meta.get("measure"):
        return (f"The BRES table {named} has no employment or employees measure, so there is no creative "
                f"workplace employment here. Fetch it with `{FETCH_EMPLOYMENT}`.")
    if not covered:
        return (f"The BRES table {named} does not cover {place_name}"
                + ("" if single else " (not every one of its local authorities)")
                + f", so there is no creative workplace employment for it. Fetch every LAD with `{FETCH_EMPLOYMENT}`.")
    if not meta.get("has_total"):
        return (f"The BRES table {named} has no all-industry total, so there is no creative share of employment "
                f"or employment LQ (the creative employment is given). Fetch the total too with "
                f"`{FETCH_EMPLOYMENT}`.")
    return None


def place_employment_statistics(wh: Warehouse, members: Sequence[str], name: str
                                ) -> tuple[dict[str, Statistic], DatasetRef | None, MissingItem | None]:
    """The place's employment statistics for :func:`~creative_clusters.workflows.placestats.place_statistics`:
    (figures, their dataset, what is missing: None when nothing is).

    Without a BRES table the item says it is not imported, with the command that fetches it, or, for a place
    wholly in Northern Ireland, that BRES covers Great Britain only; with one that gives no full figures, why.
    """
    got = lad_employment(wh)
    if got is None:
        if nation_of(members) == "Northern Ireland":
            return {}, None, gaps.not_applicable(TOPIC_EMPLOYMENT, "BRES covers Great Britain only")
        return {}, None, MissingItem(
            TOPIC_EMPLOYMENT, gaps.NOT_IMPORTED_REASON, NOT_IMPORTED, fix=FETCH_EMPLOYMENT,
            detail="the reference data does not include it; a BRES CSV saved from Nomis (NM_189_1) can be imported "
                   "instead (data import-nomis)")
    table, meta = got
    pe = place_employment(table, meta, members)
    why = missing_note(meta, name, covered=pe is not None, single=len(set(members)) == 1)
    source = _source(meta)
    item = None if why is None else gaps.unavailable(TOPIC_EMPLOYMENT, why[:1].lower() + why[1:], source,
                                                     reason="incomplete in the imported BRES table")
    return ({} if pe is None else pe.statistics()), source, item


def _source(meta: Mapping[str, Any]) -> DatasetRef:
    """The dataset of :func:`lad_employment`'s provenance dict."""
    return DatasetRef(str(meta["id"]), str(meta["kind"]), str(meta["vintage"]), title=str(meta.get("title") or ""),
                      publisher=str(meta.get("publisher") or ""))
