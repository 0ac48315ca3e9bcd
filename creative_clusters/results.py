"""Typed results: what the statistics layer hands to every renderer.

``workflows`` builds these; ``cli``, ``web`` and ``reporting`` render them and
never compute a statistic themselves. This module is deliberately low (it
imports nothing from the package), so renderers can import it without
importing ``workflows``.

- :class:`DatasetRef`: one catalogue entry (dataset id, kind, vintage,
  publisher, licence, checksum) - where a figure came from.
- :class:`Statistic`: one number with its unit, period, source, interval,
  disclosure flags, notes and (where it makes sense) its comparison and rank.
- :class:`SubsectorStatistics`: the same figures for one DCMS sub-sector.
- :class:`PlaceRef`: the place the figures describe (code, name, level, members).
- :class:`MissingItem`: one thing missing for a place, in plain words (what,
  why, the dataset, and the command that fills it where an import would).
- :class:`PlaceStatistics`: everything the product says with numbers about
  one place, plus what is missing and why.

Examples
--------
>>> src = DatasetRef("business_counts_2025", "creative_enterprises_sic", "2025",
...                  title="UK Business Counts")
>>> s = Statistic("creative_enterprises", "Creative enterprises", 10350.0, "count", "2025",
...               src, flags=("rounded",))
>>> s.available, s.is_rounded, s.source.vintage
(True, True, '2025')
>>> Statistic("lq", "LQ", None, "ratio", "2025", src).available
False
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "NOT_APPLICABLE",
    "NOT_IMPORTED",
    "UNAVAILABLE",
    "DatasetRef",
    "MissingItem",
    "PlaceRef",
    "PlaceStatistics",
    "Statistic",
    "SubsectorStatistics",
    "to_jsonable",
]

@dataclass(frozen=True)
class DatasetRef:
    """One dataset in the warehouse catalogue.

    Attributes
    ----------
    id : str
        Catalogue id (an import, e.g. one year's table).
    kind : str
        What it serves (:mod:`creative_clusters.kinds`).
    vintage : str
        The publication vintage recorded in the catalogue.
    title, publisher, licence, source_url, attribution : str
        Provenance for source lines.
    checksum, imported_at : str
        Combined SHA-256 of its files and the import time (traceability).
    caveats : tuple of str
        The dataset's caveats from the catalogue.
    synthetic : bool
        True for generated data (benchmarks, property tests); renderers must
        label it so.
    """

    id: str
    kind: str
    vintage: str
    title: str = ""
    publisher: str = ""
    licence: str = ""
    source_url: str = ""
    attribution: str = ""
    checksum: str = ""
    imported_at: str = ""
    caveats: tuple[str, ...] = ()
    synthetic: bool = False

    @property
    def label(self) -> str:
        """``"Title (Publisher), vintage"`` for source lines."""
        pub = f" ({self.publisher})" if self.publisher else ""
        syn = "SYNTHETIC - " if self.synthetic else ""
        return f"{syn}{self.title or self.id}{pub}, {self.vintage}"


@dataclass(frozen=True)
class Statistic:
    """One number about a place, with everything needed to state it honestly.

    Attributes
    ----------
    key : str
        Stable machine name (``creative_enterprises``, ``business_lq``, ...).
    label : str
        Human label.
    value : float or None
        ``None`` when not available (never a silent zero).
    unit : str
        ``count``, ``share`` (a fraction 0-1), ``ratio`` (e.g. an LQ), ``rank``,
        ``percent`` (published as a percentage), ``gbp`` ...
    period : str
        The period the value refers to (e.g. ``"2025"``, ``"2021"``).
    source : DatasetRef
        The dataset that served it (for ratios: the numerator's).
    lower, upper : float or None
        Interval bounds (95% unless ``notes`` say otherwise).
    flags : tuple of str
        Disclosure and quality flags: ``rounded``, ``suppressed``,
        ``low-reliability``, ``small-count``, ``outlier``, ``mixed-sources``.
    notes : tuple of str
        Data-quality notes and caveats that must travel with the number.
    comparison : float or None
        The same statistic for the comparator area (``comparison_label``).
    rank, rank_of : int or None
        Rank among places of the same level (1 = highest) and how many.
    denominator_source : DatasetRef or None
        For ratios from two datasets, the denominator's dataset.
    """

    key: str
    label: str
    value: float | None
    unit: str
    period: str
    source: DatasetRef
    lower: float | None = None
    upper: float | None = None
    flags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    comparison: float | None = None
    comparison_label: str = ""
    rank: int | None = None
    rank_of: int | None = None
    denominator_source: DatasetRef | None = None

    @property
    def available(self) -> bool:
        """True when there is a finite value."""
        return self.value is not None and math.isfinite(self.value)

    @property
    def is_rounded(self) -> bool:
        """True when the published value was rounded."""
        return "rounded" in self.flags

    @property
    def interval_excludes(self) -> float | None:
        """Helper for claims: returns the interval's lower bound if above 1 (or upper if below 1).

        ``None`` when there is no interval or it includes 1 (an LQ claim is
        then not supported).
        """
        if self.lower is None or self.upper is None:
            return None
        if self.lower > 1:
            return self.lower
        if self.upper < 1:
            return self.upper
        return None


@dataclass(frozen=True)
class SubsectorStatistics:
    """The figures of one DCMS sub-sector in a place."""

    subsector: str
    short: str
    enterprises: Statistic
    share_of_creative: Statistic
    business_lq: Statistic


@dataclass(frozen=True)
class PlaceRef:
    """The place figures describe.

    Attributes
    ----------
    code, name : str
        GSS (or other official) code and official name.
    level : str
        ``lad``, ``cauth``, ``rgn``, ``ctry``, ``ttwa``, ``itl3``, ``custom`` ...
    common_name : str
        The name for prose ("Bristol" for "Bristol, City of").
    nation : str
        ``England``, ``Wales``, ``Scotland``, ``Northern Ireland`` or ``""`` (several).
    members : tuple of str
        Member LAD codes (one, the place itself, for a LAD).
    member_rule : str
        How members were chosen (e.g. the TTWA majority-of-LSOAs rule).
    """

    code: str
    name: str
    level: str
    common_name: str = ""
    nation: str = ""
    members: tuple[str, ...] = ()
    member_rule: str = ""
    member_names: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        """The name to use in sentences."""
        return self.common_name or self.name


#: :attr:`MissingItem.status`: not published for this kind of area or nation (nothing to import).
NOT_APPLICABLE = "not_applicable"
#: :attr:`MissingItem.status`: published, but not imported into this warehouse (:attr:`MissingItem.fix` says how).
NOT_IMPORTED = "not_imported"
#: :attr:`MissingItem.status`: imported, but no figure could be read for this place (the detail says why).
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class MissingItem:
    """One thing missing for a place, and why, in plain words.

    Built once, by the statistics layer; the terminal shows :attr:`text`
    (with the command), the web shows ``topic`` and ``reason`` and keeps
    ``fix`` out of the headline.

    Attributes
    ----------
    topic : str
        What is missing, in plain words ("Business births and deaths").
    reason : str
        Why, in plain words ("not published for combined authorities",
        "not imported into this warehouse", "covers England and Wales only").
    status : str
        :data:`NOT_APPLICABLE`, :data:`NOT_IMPORTED` or :data:`UNAVAILABLE`.
    dataset : str
        The dataset id (catalogue, or the dataset registry when not imported); ``""`` if none.
    dataset_title : str
        That dataset's title, from the warehouse catalogue (or the registry).
    fix : str
        The command that fills the gap; only for :data:`NOT_IMPORTED`, ``""`` otherwise.
    detail : str
        More plain words (what stands in for it, the error behind it).

    Examples
    --------
    >>> m = MissingItem("Museums", "not imported into this warehouse", NOT_IMPORTED,
    ...                 dataset="anchors_museums", fix="creative-clusters data import DIR")
    >>> m.text
    'Museums: not imported into this warehouse. To add it: `creative-clusters data import DIR`.'
    >>> MissingItem("Deprivation rank", "published for single local authorities", NOT_APPLICABLE).text
    'Deprivation rank: published for single local authorities.'
    """

    topic: str
    reason: str
    status: str
    dataset: str = ""
    dataset_title: str = ""
    fix: str = ""
    detail: str = ""

    @property
    def text(self) -> str:
        """One line for the terminal: topic, reason, detail and (where there is one) the command."""
        out = f"{self.topic}: {self.reason.rstrip('.')}"
        if self.detail:
            out += f"; {self.detail.rstrip('.')}"
        out += "."
        if self.fix:
            out += f" To add it: `{self.fix}`."
        return out


@dataclass(frozen=True)
class PlaceStatistics:
    """Everything the product states with numbers about one place.

    Attributes
    ----------
    place : PlaceRef
    figures : dict of str to Statistic
        Headline figures by key (``creative_enterprises``,
        ``share_of_national_creative``, ``creative_share_of_active``,
        ``business_lq``, ``active_enterprises``, ``creative_residents``,
        ``creative_resident_share``, ...).
    subsectors : tuple of SubsectorStatistics
        One per DCMS sub-sector with data.
    sources : tuple of DatasetRef
        Every dataset used, for the sources section.
    missing : tuple of str
        What is missing and how to get it, one line each (the ``text`` of ``missing_items``).
    missing_items : tuple of MissingItem
        The same, as records (topic, reason, status, dataset, fix).
    notes : tuple of str
        Data-quality notes for the place as a whole (warnings from the
        library arrive here, never silenced).
    """

    place: PlaceRef
    figures: dict[str, Statistic] = field(default_factory=dict)
    subsectors: tuple[SubsectorStatistics, ...] = ()
    sources: tuple[DatasetRef, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    missing_items: tuple[MissingItem, ...] = ()

    def get(self, key: str) -> Statistic | None:
        """The figure called ``key``, or ``None``."""
        return self.figures.get(key)


def to_jsonable(obj: Any) -> Any:
    """Dataclasses → plain JSON-ready structures (NaN and inf → ``None``).

    Examples
    --------
    >>> to_jsonable({"a": float("nan"), "b": (1, 2.5)})
    {'a': None, 'b': [1, 2.5]}
    """
    if hasattr(obj, "__dataclass_fields__"):
        return to_jsonable(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return to_jsonable(obj.item())
    return obj
