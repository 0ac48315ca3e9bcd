"""The evidence pack's context as typed records: what :func:`~creative_clusters.reporting.context.build_context`
returns and every renderer (HTML, PDF, Word, Excel) and the pack linter read.

They are ``TypedDict`` s, so the context stays plain data (JSON-serialisable,
picklable for worker processes, readable in Jinja templates as ``sec.tables``)
while mypy checks every key the builders write and the renderers read.

Examples
--------
>>> t: Table = {"title": "T", "columns": ["a"], "rows": [[1]], "formats": ["int"], "notes": []}
>>> sorted(Table.__required_keys__)
['columns', 'formats', 'notes', 'rows', 'title']
"""


from typing import Any, NotRequired, TypedDict

__all__ = ["Block", "Figure", "Headline", "PackContext", "Section", "SourceRecord", "Table"]


class Table(TypedDict):
    """A table: ``formats`` per column (``text``, ``int``, ``pct``, ``num2``, ``auto`` ...), notes under it."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    formats: list[str]
    notes: list[str]
    html: NotRequired[bool]  # False: shown otherwise in HTML/PDF (e.g. the reference list)
    annex: NotRequired[bool]  # False: a shorter view for HTML/PDF/Word of a table the Excel annex holds in full
    cell_formats: NotRequired[list[list[str]]]  # a format per cell where a column mixes units
    sources: NotRequired[list[str]]  # dataset ids (or kinds) of the figures in the table, for Sources


class Figure(TypedDict):
    """A chart or map: inline SVG, a PNG (base64) for Word/PDF, its title and alt text."""

    title: str
    alt: str
    svg: str
    png_base64: str
    _fig: NotRequired[Any]  # the matplotlib figure while its PNG is still to be drawn


class Block(TypedDict):
    """Parts a sub-builder hands to its section (sentences, tables, figures, sources, missing)."""

    sentences: list[str]
    tables: list[Table]
    figures: list[Figure]
    sources: list[str]
    missing: list[str]


class Section(TypedDict):
    """One numbered section of the pack; ``status`` is ``ok``, ``partial`` or ``missing``."""

    id: str
    number: int
    title: str
    status: str
    sentences: list[str]
    tables: list[Table]
    figures: list[Figure]
    missing: list[str]
    sources: list[str]
    findings: NotRequired[dict[str, list[dict[str, Any]]]]
    references: NotRequired[list[dict[str, Any]]]
    methods: NotRequired[list[str]]


class Headline(TypedDict):
    """A headline figure of the pack's first page."""

    label: str
    value: str
    raw: NotRequired[float]  # absent where the figure has no number (an LQ on a published 0: its bound in words)
    note: str
    format: str


class SourceRecord(TypedDict):
    """A dataset the pack cites, from the warehouse catalogue."""

    id: str
    title: str
    publisher: str
    vintage: str
    licence: str
    attribution: str
    source_url: str


class PackContext(TypedDict):
    """Everything a renderer needs; built once per pack by ``build_context``."""

    title: str
    place: dict[str, Any]
    subsectors: list[dict[str, str]]
    peers: list[dict[str, str]]
    headline: list[Headline]
    sections: list[Section]
    sources: list[SourceRecord]
    definitions_version: str
    framework_version: str
    caveats: list[str]
    build_date: str | None
    generator: str
