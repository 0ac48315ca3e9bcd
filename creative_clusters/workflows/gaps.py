"""What a place's figures lack, as typed records (:class:`~creative_clusters.results.MissingItem`).

The statistics layer (:mod:`creative_clusters.workflows.placestats`) and the
profile (:mod:`creative_clusters.workflows.profile`) say what is missing
through these helpers only, so every gap has the same shape: what is missing
(``topic``), why in plain words (``reason``), whether it is *not applicable*
(not published for this kind of area or nation), *not imported* (published,
absent from this warehouse: ``fix`` names the command) or *unavailable*
(imported, but no figure for this place), and the dataset with its title
from the warehouse catalogue (or, when not imported, the dataset registry).
Renderers choose the words: the terminal shows :attr:`MissingItem.text`
with the command, the web the topic and reason with the command tucked away.

Examples
--------
>>> m = not_applicable("Deprivation rank", "not published for combined authorities")
>>> m.status, m.fix
('not_applicable', '')
>>> texts([m])
('Deprivation rank: not published for combined authorities.',)
>>> areas_word("cauth"), areas_word("custom")
('combined authorities', 'groups of places')
"""

from __future__ import annotations

from collections.abc import Iterable

from creative_clusters import kinds
from creative_clusters.results import NOT_APPLICABLE, NOT_IMPORTED, UNAVAILABLE, DatasetRef, MissingItem

__all__ = [
    "TOPIC_ANCHORS",
    "TOPIC_CENSUS",
    "TOPIC_DEMOGRAPHY",
    "TOPIC_DEPRIVATION",
    "TOPIC_SERIES",
    "TOPIC_SIC",
    "areas_word",
    "dedupe",
    "former_ca_note",
    "not_applicable",
    "not_imported",
    "registry_entry",
    "texts",
    "unavailable",
]

#: Kinds of place in words, plural ("not published for combined authorities").
_AREAS = {"lad": "local authorities", "cauth": "combined authorities", "rgn": "regions",
          "ctry": "countries", "uk": "the United Kingdom", "ttwa": "travel-to-work areas",
          "utla": "upper-tier authorities", "cty": "counties", "mcty": "metropolitan counties",
          "itl3": "ITL3 areas", "nuts2": "NUTS2 areas", "custom": "groups of places"}

#: What is missing, in plain words (one topic per figure group, so renderers and tests can find an item).
TOPIC_SIC = "Creative enterprises by sub-sector"
TOPIC_SERIES = "Creative enterprises year by year"
TOPIC_CENSUS = "Residents working in creative industries"
TOPIC_DEMOGRAPHY = "Business births, deaths and survival"
TOPIC_DEPRIVATION = "Deprivation rank"
TOPIC_ANCHORS = "Universities and museums in the place"

#: The reason of every not-imported item.
NOT_IMPORTED_REASON = "not imported into this warehouse"


def areas_word(level: str) -> str:
    """A kind of place in plural words; the level code itself when unknown.

    Examples
    --------
    >>> areas_word("ttwa")
    'travel-to-work areas'
    """
    return _AREAS.get(level, level)


def former_ca_note(name: str, n_members: int) -> str:
    """Why a combined authority's figures are its members' sum: it is not in the current list of authorities.

    Examples
    --------
    >>> former_ca_note("North of Tyne", 3)[:78]
    'North of Tyne is not in the current list of combined authorities (abolished or'
    """
    return (f"{name} is not in the current list of combined authorities (abolished or renamed since); its "
            f"figures are the sum of its {n_members} member local authorities', not ranked among combined "
            "authorities")


def registry_entry(kind_or_id: str) -> tuple[str, str]:
    """The id and title of the registered dataset that serves ``kind_or_id`` (its latest vintage).

    ``kind_or_id`` is a dataset kind (:mod:`creative_clusters.kinds`) or a
    dataset id; ``("", "")`` when the registry has neither.

    Examples
    --------
    >>> registry_entry("census_industry")[0]
    'census2021_ts060'
    >>> registry_entry("anchors_museums")[1][:15]
    'Mapping Museums'
    """
    from creative_clusters.sources.registry import all_datasets

    specs = [s for s in all_datasets() if s.kind == kind_or_id or s.id == kind_or_id]
    if not specs:
        return "", ""
    spec = max(specs, key=lambda s: kinds.vintage_key(s.vintage))
    return spec.id, spec.title


def not_imported(kind_or_id: str, topic: str, *, period: str | int | None = None,
                 available: Iterable[str] = ()) -> MissingItem:
    """A dataset the place needs that this warehouse has not imported (``fix``: the command).

    Parameters
    ----------
    kind_or_id : str
        The dataset kind (or registry id) that would serve the figure.
    topic : str
        What is missing, in plain words.
    period : str or int, optional
        A year asked for that the warehouse lacks (others of the kind are imported): the fix fetches
        that year where the kind has a fetch command.
    available : iterable of str
        The years the warehouse has instead (for ``period``).

    Examples
    --------
    >>> m = not_imported("anchors_museums", "Museums")
    >>> m.reason, m.dataset, m.fix
    ('not imported into this warehouse', 'anchors_museums', 'creative-clusters data import DIR --only anchors_museums')
    """
    dataset, title = registry_entry(kind_or_id)
    fix = f"creative-clusters data import DIR --only {dataset}" if dataset else "creative-clusters data import DIR"
    if period is None:
        return MissingItem(topic, NOT_IMPORTED_REASON, NOT_IMPORTED, dataset=dataset, dataset_title=title, fix=fix)
    k = kinds.kind_of(kind_or_id)
    if k.fetch:
        fix = k.fetch.format(period=period)
    have = ", ".join(available)
    return MissingItem(topic, f"{period} {NOT_IMPORTED_REASON}", NOT_IMPORTED, dataset=dataset, dataset_title=title,
                       fix=fix, detail=f"years imported: {have}" if have else "")


def not_applicable(topic: str, reason: str, source: DatasetRef | None = None, *, detail: str = "") -> MissingItem:
    """A figure not published for this kind of place or nation (nothing to import).

    Examples
    --------
    >>> not_applicable("Creative workforce", "covers England and Wales only").status
    'not_applicable'
    """
    return MissingItem(topic, reason, NOT_APPLICABLE, dataset="" if source is None else source.id,
                       dataset_title="" if source is None else (source.title or source.id), detail=detail)


def unavailable(topic: str, detail: str, source: DatasetRef | None = None,
                *, reason: str = "no figure for this place in the imported data") -> MissingItem:
    """An imported dataset that gives no figure for this place (``detail``: the error behind it).

    Examples
    --------
    >>> unavailable("Trend", "no rows for E99999999").reason
    'no figure for this place in the imported data'
    """
    return MissingItem(topic, reason, UNAVAILABLE, dataset="" if source is None else source.id,
                       dataset_title="" if source is None else (source.title or source.id), detail=detail)


def dedupe(items: Iterable[MissingItem]) -> tuple[MissingItem, ...]:
    """The items in order, each (topic, status, dataset) once.

    Examples
    --------
    >>> m = not_applicable("A", "b")
    >>> len(dedupe([m, m]))
    1
    """
    seen: dict[tuple[str, str, str], MissingItem] = {}
    for m in items:
        seen.setdefault((m.topic, m.status, m.dataset), m)
    return tuple(seen.values())


def texts(items: Iterable[MissingItem]) -> tuple[str, ...]:
    """The terminal lines of ``items`` (:attr:`MissingItem.text`), for ``missing`` lists of strings."""
    return tuple(m.text for m in items)
