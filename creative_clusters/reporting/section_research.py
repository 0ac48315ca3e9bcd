"""Section 8 of the evidence pack: the research and data to cite for the place (pure)."""

from __future__ import annotations

from typing import Any

from creative_clusters import kinds
from creative_clusters.reporting._model import (
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    latest_source,
)
from creative_clusters.reporting.pack_types import Section
from creative_clusters.reporting.sentences_people import (
    research_sentence,
)

__all__ = [
    "current_editions",
    "dated_by_catalogue",
    "research_section",
]


def current_editions(entries: list[Any], sources: list[dict[str, Any]]) -> list[Any]:
    """Drop the library's data-source entries for an edition the pack does not use.

    An entry with ``dataset_kind`` and ``edition`` (say the English Indices of
    Deprivation 2019) is kept only when the catalogue's latest dataset of that
    kind (the one the pack's figures come from) has that vintage; with no
    dataset of the kind imported, only the newest edition in the library stays.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> lib = [E(id="a", extra={"dataset_kind": "k", "edition": "2019"}),
    ...        E(id="b", extra={"dataset_kind": "k", "edition": "2025"}), E(id="c", extra={})]
    >>> [e.id for e in current_editions(lib, [{"kind": "k", "vintage": "2019"}])]
    ['a', 'c']
    >>> [e.id for e in current_editions(lib, [])]
    ['b', 'c']
    """
    from creative_clusters.kinds import vintage_key

    def edition(e: Any) -> tuple[str, str] | None:
        x = getattr(e, "extra", None) or {}
        return (str(x["dataset_kind"]), str(x["edition"])) if "dataset_kind" in x and "edition" in x else None

    newest: dict[str, str] = {}
    for e in entries:
        ed = edition(e)
        if ed and (ed[0] not in newest or vintage_key(ed[1]) > vintage_key(newest[ed[0]])):
            newest[ed[0]] = ed[1]
    keep = []
    for e in entries:
        ed = edition(e)
        used = str(latest_source(sources, ed[0]).get("vintage", "")) if ed else ""
        if ed is None or ed[1] == (used or newest[ed[0]]):
            keep.append(e)
    return keep


def dated_by_catalogue(entries: list[Any], sources: list[dict[str, Any]],
                       periods: dict[str, str] | None = None) -> list[Any]:
    """Date the library's data-source entries by the dataset the pack's figures come from.

    An entry with ``dataset_kind`` and no ``edition`` (one entry for every
    release, such as UK Business Counts) is cited with the catalogue vintage of
    that kind's dataset: the one whose vintage is ``periods[kind]`` when given
    (the pack's year), else the latest. A newer import is cited as itself,
    never by the year the library was written in. Other entries are unchanged.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> lib = [E(id="a", date="2025", extra={"dataset_kind": "k"}), E(id="b", date="2019", extra={})]
    >>> srcs = [{"kind": "k", "vintage": "2025"}, {"kind": "k", "vintage": "2026"}]
    >>> [e.date for e in dated_by_catalogue(lib, srcs)]
    ['2026', '2019']
    >>> [e.date for e in dated_by_catalogue(lib, srcs, {"k": "2025"})]
    ['2025', '2019']
    >>> [e.date for e in dated_by_catalogue(lib, [])]  # the kind not imported: the library's date
    ['2025', '2019']
    >>> [e.date for e in dated_by_catalogue(lib, [{"kind": "k", "vintage": "test"}])]  # no year: the library's
    ['2025', '2019']
    >>> [e.date for e in dated_by_catalogue(lib, [{"kind": "k", "vintage": "2024/25"}])]
    ['2024', '2019']
    """
    import dataclasses

    from creative_clusters.research.library import LibraryEntry

    out = []
    for e in entries:
        x = getattr(e, "extra", None) or {}
        kind = str(x.get("dataset_kind", "")) if "edition" not in x else ""
        mine = [r for r in sources if str(r.get("kind", "")) == kind] if kind else []
        want = (periods or {}).get(kind, "")
        rec = next((r for r in mine if want and str(r.get("vintage", "")) == want), None) \
            or (latest_source(sources, kind) if mine else {})
        # the vintage's year (kinds.vintage_key: "2024/25" -> 2024); one with no year (a test import's label)
        # leaves the date
        year = kinds.vintage_key(str(rec.get("vintage", "") or ""))[0]
        vintage = str(year) if year else ""
        if vintage and vintage != getattr(e, "date", None):
            e = dataclasses.replace(e, date=vintage) if isinstance(e, LibraryEntry) else _with_date(e, vintage)
        out.append(e)
    return out


def _with_date(entry: Any, date: str) -> Any:
    """A copy of a non-dataclass entry (a namespace) with ``date`` set."""
    import copy

    new = copy.copy(entry)
    new.date = date
    return new


def research_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 8: library entries for the place, its region and nation, and its sub-sectors."""
    from creative_clusters.research.library import (
        BROAD_AREAS,
        NO_LINK,
        citation_status,
        format_citation,
        local_areas,
        relevance,
        search_library,
        why_relevant,
    )

    sec = _section("research", 8)
    place = inp.place
    entries = inp.research if inp.research is not None else search_library(place_chain=place.chain)
    entries = current_editions(entries, inp.sources)
    # a data source is cited by the release the pack's figures come from (its year's counts by SIC class)
    entries = dated_by_catalogue(entries, inp.sources, {kinds.CREATIVE_ENTERPRISES_SIC: str(inp.enterprises_period)})
    subs = frozenset(inp.subsectors)
    chain = list(place.chain)
    # the library's one order and reasons (as the CLI and the web give them)
    entries = sorted(entries, key=lambda e: relevance(e, place_chain=chain, subsectors=subs))
    rows = [[format_citation(e), "; ".join(e.themes), e.summary, why_relevant(e, place_chain=chain, subsectors=subs),
             e.url or NO_LINK, citation_status(e)] for e in entries]
    n_local = sum(1 for e in entries if local_areas(e, chain))
    names = [c for c in place.chain if c.lower() not in BROAD_AREAS and not c[:1].isdigit() and not c[1:3].isdigit()
             and not c.startswith("custom:")]  # a user's group is named, never shown by its internal code
    sec["sentences"].append(research_sentence(n_local, len(entries), " or ".join(names[:3]) or place.name))
    sec["tables"].append(_table("Research and data to cite", ["Reference", "Themes", "Summary", "Why relevant",
                                                              "URL", "Status"], rows, ["text"] * 6,
                                ["Summaries are ours. Entries marked 'check before citing' have details not yet "
                                 "confirmed against the publisher's page."]))
    sec["tables"][-1]["html"] = False  # shown as the reference list in HTML/PDF
    sec["references"] = [{"citation": r[0], "url": r[4], "link": r[4] != NO_LINK, "themes": r[1], "summary": r[2],
                          "why": r[3], "verified": r[5]} for r in rows]
    return _finish(sec, inp.missing.get("research"))
