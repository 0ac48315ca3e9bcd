"""Load, validate and search the curated research library (``library.yaml``).

Each entry holds bibliographic facts (title, authors, publisher, date, URL),
the themes it speaks to, the geographies and DCMS sub-sectors it covers and a
one-line summary in our own words. The file ships inside the package.

Place matching never calls the place resolver itself: callers pass a
``place_chain``, the place and the areas containing it from small to large
(e.g. ``["Sheffield", "South Yorkshire", "Yorkshire and The Humber",
"England", "UK"]``), and an entry matches when any of its geographies equals
any name or code in the chain. The chain should end with the nation and
``"UK"`` so that UK-wide reports match every UK place.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from creative_clusters._yaml import safe_load
from creative_clusters.errors import ParameterError, SchemaError, UnknownCodeError

__all__ = [
    "BROAD_AREAS",
    "THEMES",
    "LibraryEntry",
    "citation_status",
    "format_citation",
    "load_library",
    "local_areas",
    "relevance",
    "search_library",
    "subsector_code",
    "validate_library",
    "why_relevant",
]

#: The seed list of themes; every entry's themes come from it.
THEMES: tuple[str, ...] = (
    "foundational",
    "mapping",
    "case studies",
    "co-location and spillovers",
    "inclusive growth",
    "FDI and trade",
    "access to finance",
    "workforce",
    "R&D and innovation",
)

KINDS = ("research", "data_source", "policy")
URL_KINDS = ("report", "landing", "summary", "code", "data", "copy", "none")

#: Hosts a library URL may point to: the publishers' (and authors' institutional
#: repositories') own sites. Third-party copies, blogs and news pages are not
#: allowed; where the notes give no publisher URL the entry has ``url: null``
#: and ``url_kind: none`` and renderers say "no verified link".
PUBLISHER_DOMAINS = (
    "nesta.org.uk", "pec.ac.uk", "gov.uk", "ons.gov.uk", "nomisweb.co.uk",
    "thersa.org", "birmingham.ac.uk", "nber.org", "mit.edu", "ukri.org",
    "escoe.ac.uk", "rau.repository.guildhe.ac.uk", "mappingmuseums.org",
)
NO_LINK = "no verified link"
#: Geographies too broad to make an entry about a particular place: a report on the UK, Great Britain or a
#: nation matches every place in it, but is not "about" the place (lower case, as matched).
BROAD_AREAS = frozenset({"uk", "england", "wales", "scotland", "northern ireland", "great britain",
                         "england and wales"})


def citation_status(entry: Any) -> str:
    """One consistent status for a reference: details checked or not, link or not.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> citation_status(N(verified=True, url="https://x")), citation_status(N(verified=True, url=None))
    ('verified, with publisher link', 'details verified; no publisher link recorded')
    >>> citation_status(N(verified=False, url="https://x"))
    'check before citing'
    """
    if not entry.verified:
        return "check before citing"
    return "verified, with publisher link" if entry.url else "details verified; no publisher link recorded"
SUBSECTOR_CODES = (
    "all", "advertising", "architecture", "crafts", "design", "film_tv",
    "it_software", "publishing", "museums", "music_arts",
)
_REQUIRED = (
    "id", "kind", "title", "authors", "publisher", "date", "url", "url_kind",
    "themes", "geographies", "subsectors", "summary", "verified",
)
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/[^\s]*)?$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LibraryEntry:
    """One report or data source in the library."""

    id: str
    kind: str
    title: str
    authors: tuple[str, ...]
    publisher: str
    date: str | None
    url: str
    url_kind: str
    themes: tuple[str, ...]
    geographies: tuple[str, ...]
    subsectors: tuple[str, ...]
    summary: str
    verified: bool
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (lists, not tuples) for JSON and templates."""
        d = asdict(self)
        d.pop("extra")
        for k in ("authors", "themes", "geographies", "subsectors"):
            d[k] = list(d[k])
        d["citation"] = format_citation(self)
        d["link_text"] = self.url or NO_LINK
        return d


def url_host_allowed(url: str) -> bool:
    """True when ``url`` is empty or its host is (a subdomain of) a :data:`PUBLISHER_DOMAINS` entry.

    Examples
    --------
    >>> url_host_allowed("https://www.gov.uk/x"), url_host_allowed("https://slidepub.com/x")
    (True, False)
    >>> url_host_allowed("")
    True
    """
    if not url:
        return True
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in PUBLISHER_DOMAINS)


def link_text(entry: LibraryEntry) -> str:
    """The entry's URL, or ``"no verified link"`` when the library has none.

    Examples
    --------
    >>> e = [x for x in load_library() if x.id == "dcms2023_sector_vision"][0]
    >>> link_text(e)
    'no verified link'
    """
    return entry.url or NO_LINK


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def validate_library(raw: Any, *, source: str = "library.yaml") -> list[LibraryEntry]:
    """Check the parsed YAML and return the entries.

    Raises :class:`~creative_clusters.errors.SchemaError` naming the entry
    and field when a required field is missing, a theme is not in
    :data:`THEMES`, a URL or date is malformed, or an id repeats.

    Examples
    --------
    >>> e = validate_library({"entries": [{"id": "x", "kind": "research",
    ...     "title": "T", "authors": ["A"], "publisher": "P", "date": "2020",
    ...     "url": "https://www.gov.uk/t", "url_kind": "report",
    ...     "themes": ["mapping"], "geographies": ["UK"], "subsectors": ["all"],
    ...     "summary": "S", "verified": True}]})
    >>> e[0].id
    'x'
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        raise SchemaError(f"{source}: expected a mapping with an 'entries' list")
    out: list[LibraryEntry] = []
    seen: set[str] = set()
    for i, rec in enumerate(raw["entries"]):
        where = f"{source}: entry {i + 1} ({rec.get('id', '?') if isinstance(rec, dict) else '?'})"
        if not isinstance(rec, dict):
            raise SchemaError(f"{where}: expected a mapping")
        missing = [k for k in _REQUIRED if k not in rec]
        if missing:
            raise SchemaError(f"{where}: missing field(s) {missing}")
        if not isinstance(rec["id"], str) or not _ID.match(rec["id"]):
            raise SchemaError(f"{where}: id must be snake_case, got {rec['id']!r}")
        if rec["id"] in seen:
            raise SchemaError(f"{where}: duplicate id {rec['id']!r}")
        seen.add(rec["id"])
        for k in ("title", "publisher", "summary"):
            if not isinstance(rec[k], str) or not rec[k].strip():
                raise SchemaError(f"{where}: {k} must be non-empty text")
        if rec["kind"] not in KINDS:
            raise SchemaError(f"{where}: kind {rec['kind']!r} not in {list(KINDS)}")
        if rec["url_kind"] not in URL_KINDS:
            raise SchemaError(f"{where}: url_kind {rec['url_kind']!r} not in {list(URL_KINDS)}")
        if rec["url"] in (None, ""):
            if rec["url_kind"] != "none":
                raise SchemaError(f"{where}: url is empty, so url_kind must be 'none' (got {rec['url_kind']!r})")
        elif not isinstance(rec["url"], str) or not _URL.match(rec["url"]):
            raise SchemaError(f"{where}: url {rec['url']!r} is not a well-formed http(s) URL")
        elif rec["url_kind"] == "none":
            raise SchemaError(f"{where}: url_kind 'none' needs an empty url, got {rec['url']!r}")
        elif not url_host_allowed(rec["url"]):
            raise SchemaError(f"{where}: url host of {rec['url']!r} is not a publisher domain in "
                              f"PUBLISHER_DOMAINS; give the publisher's own page or leave url empty "
                              "with url_kind: none")
        if rec["date"] is not None and not _DATE.match(str(rec["date"])):
            raise SchemaError(f"{where}: date {rec['date']!r} must be YYYY, YYYY-MM, YYYY-MM-DD or null")
        for k in ("authors", "themes", "geographies", "subsectors"):
            if not isinstance(rec[k], list) or not all(isinstance(v, str) for v in rec[k]):
                raise SchemaError(f"{where}: {k} must be a list of strings")
        bad = [t for t in rec["themes"] if t not in THEMES]
        if bad or not rec["themes"]:
            raise SchemaError(f"{where}: themes {bad or '[]'} not in the seed list {list(THEMES)}")
        bad = [s for s in rec["subsectors"] if s not in SUBSECTOR_CODES]
        if bad:
            raise SchemaError(f"{where}: subsectors {bad} not in {list(SUBSECTOR_CODES)}")
        if not rec["geographies"]:
            raise SchemaError(f"{where}: geographies must not be empty (use 'UK')")
        if not isinstance(rec["verified"], bool):
            raise SchemaError(f"{where}: verified must be true or false")
        extra = {k: v for k, v in rec.items() if k not in _REQUIRED}
        out.append(
            LibraryEntry(
                id=rec["id"], kind=rec["kind"], title=rec["title"].strip(),
                authors=tuple(rec["authors"]), publisher=rec["publisher"].strip(),
                date=None if rec["date"] is None else str(rec["date"]),
                url=rec["url"] or "", url_kind=rec["url_kind"], themes=tuple(rec["themes"]),
                geographies=tuple(rec["geographies"]), subsectors=tuple(rec["subsectors"]),
                summary=" ".join(rec["summary"].split()), verified=rec["verified"], extra=extra,
            )
        )
    return out


@lru_cache(maxsize=4)
def _load_cached(path: str | None) -> tuple[LibraryEntry, ...]:
    if path is None:
        text = resources.files("creative_clusters.research").joinpath("library.yaml").read_text("utf-8")
        source = "library.yaml"
    else:
        text = Path(path).read_text("utf-8")
        source = path
    return tuple(validate_library(safe_load(text), source=source))


def load_library(path: str | Path | None = None) -> list[LibraryEntry]:
    """Read and validate the library (the packaged one unless ``path`` is given).

    Examples
    --------
    >>> len(load_library()) > 10
    True
    """
    return list(_load_cached(None if path is None else str(path)))


def subsector_code(text: str) -> str:
    """The DCMS short name (``it_software``) of a sub-sector name, short name or alias (``games``).

    >>> subsector_code("games"), subsector_code("film_tv")
    ('it_software', 'film_tv')
    """
    from creative_clusters.classifications import dcms

    if text in SUBSECTOR_CODES:
        return text
    try:
        return dcms.subsector_short(dcms.resolve_subsector(text))
    except UnknownCodeError as exc:
        raise ParameterError(
            f"unknown sub-sector {text!r}; use one of {list(SUBSECTOR_CODES[1:])} or an alias "
            "such as 'film', 'games', 'music'"
        ) from exc


def search_library(
    *,
    place: str | None = None,
    place_chain: list[str] | None = None,
    subsector: str | None = None,
    theme: str | None = None,
    text: str | None = None,
    kind: str | None = None,
    entries: list[LibraryEntry] | None = None,
) -> list[LibraryEntry]:
    """Entries matching every filter given, most relevant first (:func:`relevance`).

    Parameters
    ----------
    place : str, optional
        A place name or code matched as text (case/punctuation-insensitive)
        against entry geographies; use ``place_chain`` for matching up to
        region and nation.
    place_chain : list of str, optional
        The place and the areas that contain it; an entry matches when any of
        its geographies equals any item.
    subsector : str, optional
        DCMS short name or alias ("film", "games"); entries marked ``all``
        also match, after those that name the sub-sector.
    theme : str, optional
        One of :data:`THEMES` (case-insensitive).
    text : str, optional
        Words that must all appear in the title, summary, publisher or authors.
    kind : str, optional
        ``research``, ``data_source`` or ``policy``.

    Examples
    --------
    >>> hits = search_library(place_chain=["Sheffield", "Yorkshire and The Humber",
    ...     "England", "UK"], theme="inclusive growth")
    >>> "pec2024_beyond_growth" in [h.id for h in hits]
    True
    """
    pool = load_library() if entries is None else entries
    if theme is not None:
        match = [t for t in THEMES if t.lower() == theme.strip().lower()]
        if not match:
            raise ParameterError(f"unknown theme {theme!r}; themes are {list(THEMES)}")
        pool = [e for e in pool if match[0] in e.themes]
    if kind is not None:
        if kind not in KINDS:
            raise ParameterError(f"unknown kind {kind!r}; use one of {list(KINDS)}")
        pool = [e for e in pool if e.kind == kind]
    names: set[str] = set()
    if place is not None:
        names.add(_norm(place))
    if place_chain:
        names.update(_norm(p) for p in place_chain if p)
    if place is not None or place_chain:
        pool = [e for e in pool if names & {_norm(g) for g in e.geographies}]
    codes: frozenset[str] = frozenset()
    if subsector is not None:
        code = subsector_code(subsector)
        codes = frozenset({code})
        pool = [e for e in pool if code in e.subsectors or "all" in e.subsectors]
    if text:
        words = _norm(text).split()
        pool = [
            e for e in pool
            if all(w in _norm(" ".join([e.title, e.summary, e.publisher, *e.authors])) for w in words)
        ]
    chain = [*(place_chain or ()), *([place] if place is not None else [])]
    return sorted(pool, key=lambda e: relevance(e, place_chain=chain, subsectors=codes))


def local_areas(entry: LibraryEntry, place_chain: list[str] | tuple[str, ...] | None) -> list[str]:
    """The entry's geographies that are the place or an area containing it narrower than a nation.

    >>> e = validate_library({"entries": [{"id": "a", "kind": "research", "title": "T", "authors": ["A"],
    ...     "publisher": "P", "date": "2020", "url": None, "url_kind": "none", "themes": ["mapping"],
    ...     "geographies": ["UK", "Sheffield"], "subsectors": ["all"], "summary": "S.", "verified": True}]})[0]
    >>> local_areas(e, ["Sheffield", "South Yorkshire", "England", "UK"]), local_areas(e, ["Leeds", "UK"])
    (['Sheffield'], [])
    """
    chain = {c.lower() for c in place_chain or ()}
    return [g for g in entry.geographies if g.lower() in chain and g.lower() not in BROAD_AREAS]


def relevance(entry: LibraryEntry, *, place_chain: list[str] | tuple[str, ...] | None = None,
              subsectors: set[str] | frozenset[str] = frozenset()) -> tuple[Any, ...]:
    """Sort key of an entry, most relevant first (the order of the pack's references, the CLI and the web).

    About the place or an area containing it (narrower than a nation: :func:`local_areas`), then naming one
    of ``subsectors`` (DCMS short names), then with checked details before those to check before citing,
    then research before data sources and policy, then the newest, then by id.
    """
    return (not local_areas(entry, place_chain), not (subsectors & set(entry.subsectors)), not entry.verified,
            entry.kind != "research", -(int(entry.date[:4]) if entry.date else 0), entry.id)


def why_relevant(entry: LibraryEntry, *, place_chain: list[str] | tuple[str, ...] | None = None,
                 subsectors: set[str] | frozenset[str] = frozenset(), asked: bool = False) -> str:
    """Why an entry was offered: "covers Sheffield; sub-sector: Publishing", or "UK-wide".

    ``subsectors`` are DCMS short names; an entry covering all creative industries matches any sub-sector
    but is not said to be about one: with ``asked`` (the reader asked for the sub-sectors) it says "all
    creative industries" instead.

    >>> e = validate_library({"entries": [{"id": "a", "kind": "research", "title": "T", "authors": ["A"],
    ...     "publisher": "P", "date": "2020", "url": None, "url_kind": "none", "themes": ["mapping"],
    ...     "geographies": ["UK", "Sheffield"], "subsectors": ["all", "publishing"], "summary": "S.",
    ...     "verified": True}]})[0]
    >>> why_relevant(e, place_chain=["Sheffield", "UK"], subsectors={"publishing"})
    'covers Sheffield; sub-sector: Publishing'
    >>> why_relevant(e, subsectors={"crafts"}, asked=True), why_relevant(e)
    ('all creative industries', 'UK-wide')
    """
    from creative_clusters.classifications import dcms

    names = {dcms.subsector_short(n): n for n in dcms.SUBSECTORS}
    why = []
    covered = local_areas(entry, place_chain)
    if covered:
        why.append("covers " + ", ".join(covered))
    hit = sorted(subsectors & set(entry.subsectors))
    if hit:
        why.append("sub-sector: " + ", ".join(names.get(h, h) for h in hit))
    elif asked and subsectors:
        why.append("all creative industries")
    return "; ".join(why) or "UK-wide"


def format_citation(entry: LibraryEntry) -> str:
    """A short reference: Authors (year). Title. Publisher.

    Examples
    --------
    >>> e = [x for x in load_library() if x.id == "rsa2024_creative_corridors"][0]
    >>> format_citation(e).startswith("Jolyon Miles-Wilson, Hayley Sims")
    True
    """
    authors = ", ".join(entry.authors) if entry.authors else entry.publisher
    year = entry.date[:4] if entry.date else "n.d."
    return f"{authors} ({year}). {entry.title}. {entry.publisher}."
