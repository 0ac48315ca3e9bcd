"""Resolve what a user typed into a place, the same way for every command, map, pack and API call.

:func:`resolve_place` is the only entry point: ``profile``, ``map``/``clusters``
place lookups, the evidence pack, the people commands and the web service all
call it (or, for the pack's cached national tables, the same
:class:`~creative_clusters.geography.resolver.PlaceBook` built by
:func:`book_from_tables`). Member LADs are on the data's LAD vintage
(:data:`creative_clusters.kinds.LAD_VINTAGE`) and follow one rule per level
(:data:`creative_clusters.geography.place.MEMBER_RULES`).

The book is built once per warehouse content (``Warehouse.version()``), so
resolving many places costs milliseconds each.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import join_names
from creative_clusters.errors import WarehouseError
from creative_clusters.geography.place import Place
from creative_clusters.geography.resolver import CURRENT_LEVELS, PlaceBook, find_area
from creative_clusters.warehouse import Warehouse

__all__ = [
    "DATA_LAD_VINTAGE",
    "book_from_tables",
    "group_members",
    "group_name",
    "join_names",
    "other_meanings",
    "place_book",
    "resolve_place",
    "search_places",
    "user_group",
]

#: The LAD vintage of the reference bundle's LAD statistics.
DATA_LAD_VINTAGE = kinds.LAD_VINTAGE

_BOOKS: dict[tuple[str, str], PlaceBook] = {}
_LOCK = threading.Lock()


def book_from_tables(areas: pd.DataFrame, hierarchy: pd.DataFrame | None = None,
                     ttwa_overlap: pd.DataFrame | None = None, code_changes: pd.DataFrame | None = None,
                     lad_lookup: pd.DataFrame | None = None) -> PlaceBook:
    """A place book over tables already read (e.g. the evidence pack's national data)."""
    return PlaceBook(areas=areas, hierarchy=hierarchy, ttwa_overlap=ttwa_overlap, code_changes=code_changes,
                     lad_lookup=lad_lookup, data_vintage=DATA_LAD_VINTAGE)


def place_book(wh: Warehouse) -> PlaceBook:
    """The warehouse's place book (reference tables read once per warehouse content).

    Raises
    ------
    WarehouseError
        When the geography datasets are not imported.
    """
    if not wh.has_table("areas"):
        raise WarehouseError("places need the geography datasets; run `creative-clusters data import DIR`.")
    key = (str(wh.home), wh.version())
    book = _BOOKS.get(key)
    if book is not None:
        return book

    def opt(name: str) -> pd.DataFrame | None:
        return wh.table(name) if wh.has_table(name) else None

    book = book_from_tables(wh.table("areas"), opt("lad_hierarchy"), opt("lad_ttwa_overlap"), opt("code_changes"))
    with _LOCK:
        if len(_BOOKS) >= 8:
            _BOOKS.clear()
        return _BOOKS.setdefault(key, book)


def resolve_place(wh: Warehouse, query: str, level: str | None = None) -> Place:
    """The place ``query`` means, with its member LADs on the data's LAD vintage.

    Parameters
    ----------
    wh : Warehouse
    query : str
        A code (``"E08000019"``, ``"TLE32"``), an official or everyday name
        (``"Sheffield"``, ``"Ynys Môn"``, ``"Derry"``) or a level and a name
        (``"ttwa:Sheffield"``, ``"region:North East"``).
    level : str, optional
        Only places of this level (``"lad"``, ``"ttwa"``, ``"region"`` …).

    Returns
    -------
    Place
        See :class:`~creative_clusters.geography.place.Place`.

    Raises
    ------
    PlaceNotFoundError
        Unknown or ambiguous, with the closest places as suggestions.
    WarehouseError
        The geography datasets (or, for ITL3/NUTS2 areas, their boundaries) are missing.
    """
    book = place_book(wh)
    area = find_area(query, book.areas, level=level, vintage=book.data_vintage, current_levels=CURRENT_LEVELS)
    if area.level in ("itl3", "nuts2") and book.lad_lookup is None:
        from creative_clusters.geography.nuts2 import load_lad_nuts2

        lookup = load_lad_nuts2(wh, vintage=DATA_LAD_VINTAGE)
        with _LOCK:
            book.lad_lookup = lookup
    return book.measurable(book.place(area))


def user_group(wh: Warehouse, name: str, codes: Sequence[str]) -> Place:
    """A user's group of local authorities (a bid's partnership area), code ``custom:<slug>``.

    Every entry (a code or a name) must resolve to a local authority.
    """
    return place_book(wh).group(name, codes)


def group_members(wh: Warehouse, codes: Sequence[str], *, option: str = "--places") -> list[str]:
    """The LAD codes of a user's list of codes or names, in the order given (see :meth:`PlaceBook.group_members`;
    ``option`` names the list in messages)."""
    return place_book(wh).group_members(codes, option=option)


def group_name(wh: Warehouse, codes: Sequence[str]) -> str:
    """A group's name from its entries' names, in the order given: "Sheffield and Rotherham", "Kent and Medway"
    (a county taken as its districts, by its own name), "Leeds, Bradford and 3 more" (``evidence --places``
    without ``--name``, and the web app's groups; :meth:`PlaceBook.group_name`).

    Raises
    ------
    PlaceNotFoundError
        An entry that is not a local authority (see :func:`group_members`).
    """
    return place_book(wh).group_name(codes)


def search_places(wh: Warehouse, query: str, *, level: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Places matching ``query`` for a search box, each place once (see :meth:`PlaceBook.search`)."""
    return place_book(wh).search(query, level=level, limit=limit)


def other_meanings(wh: Warehouse, query: str, place: Place) -> list[str]:
    """Other kinds of place with exactly the name typed (e.g. "West Midlands": region and CA).

    Returns notes like ``"West Midlands (combined authority, E47000007): type cauth:West Midlands"``
    so a user sees which meaning was chosen and how to get the other.
    """
    return place_book(wh).other_meanings(query, place)
