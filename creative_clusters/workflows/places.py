"""Resolve what a user typed into a place whose member LADs match the data.

The creative business counts and most LAD statistics in the reference bundle
are on 2023 LAD codes, so aggregates (combined authorities, regions,
countries) get their member LADs from the 2023 hierarchy when it has the
place, and from the place's own vintage otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from creative_clusters.errors import ParameterError, PlaceNotFoundError
from creative_clusters.geography.resolver import (
    Place,
    load_areas,
    members_of,
    normalise_name,
    resolve_place,
)
from creative_clusters.warehouse import Warehouse

__all__ = ["DATA_LAD_VINTAGE", "other_meanings", "resolve", "user_group"]

#: The LAD vintage of the reference bundle's LAD statistics.
DATA_LAD_VINTAGE = "2023"


def resolve(wh: Warehouse, query: str, *, types: Sequence[str] | None = None) -> Place:
    """Resolve ``query`` against the warehouse's areas, with member LADs.

    Raises
    ------
    PlaceNotFoundError
        With the closest matches as suggestions.
    """
    areas = load_areas(wh)
    place = resolve_place(query, areas, types=types, vintage=int(DATA_LAD_VINTAGE))
    if place.geo_type in ("lad", "cauth", "rgn", "ctry", "uk", "utla", "cty"):
        hierarchy = wh.table("lad_hierarchy")
        members: tuple[str, ...] = ()
        for vintage in (DATA_LAD_VINTAGE, place.vintage):
            try:
                members = members_of(place, hierarchy, vintage=vintage)
            except ParameterError:
                continue
            if members:
                break
        if place.geo_type == "lad" and not members:
            members = _predecessors(wh, place.code, hierarchy)
        return Place(place.code, place.name, place.geo_type, place.vintage, members)
    if place.geo_type == "ttwa" and wh.has_table("lad_ttwa_overlap"):
        ov = wh.table("lad_ttwa_overlap")
        code_col = next(c for c in ov.columns if "ttwa" in c and "code" in c)
        lad_col = next(c for c in ov.columns if "lad" in c and "code" in c)
        members = tuple(sorted(ov.loc[ov[code_col] == place.code, lad_col].astype(str).unique()))
        return Place(place.code, place.name, place.geo_type, place.vintage, members)
    return place


def _predecessors(wh: Warehouse, code: str, hierarchy) -> tuple[str, ...]:
    """A LAD's codes on the data vintage: itself, or the codes it replaced."""
    data_lads = set(hierarchy.loc[hierarchy["vintage"].astype(str) == DATA_LAD_VINTAGE, "lad_code"])
    if code in data_lads or not wh.has_table("code_changes"):
        return (code,)
    changes = wh.table("code_changes")
    found: set[str] = set()
    frontier = {code}
    for _ in range(5):
        prev = set(changes.loc[changes["newcd"].isin(frontier), "oldcd"].astype(str))
        found |= prev & data_lads
        frontier = prev - data_lads
        if not frontier:
            break
    return tuple(sorted(found)) or (code,)


def user_group(wh: Warehouse, name: str, codes: Sequence[str]) -> Place:
    """A user-defined group of LADs (e.g. a bid's partnership area).

    Every code must resolve to a LAD; the group's code is ``custom:`` plus a
    slug of the name.
    """
    if not codes:
        raise ParameterError("a user-defined group needs at least one LAD code in --places")
    members = []
    for code in codes:
        place = resolve(wh, code.strip())
        if place.geo_type != "lad":
            raise PlaceNotFoundError(
                f"--places expects LAD codes or names; {code!r} resolved to {place.name} "
                f"({place.geo_type}). Give its member LADs instead."
            )
        members.append(place.code)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "group"
    return Place(f"custom:{slug}", name, "custom", DATA_LAD_VINTAGE, tuple(sorted(set(members))))


def other_meanings(wh: Warehouse, query: str, place: Place) -> list[str]:
    """Other areas with exactly the name typed (e.g. "West Midlands": region and CA).

    Returns notes like ``"West Midlands (cauth, E47000007): type cauth:West Midlands"``
    so a user sees which meaning was chosen and how to get the other.
    """
    if ":" in query:
        return []
    key = normalise_name(query)
    areas = load_areas(wh)
    same = areas[(areas["geo_name"].map(normalise_name) == key)
                 & (areas["geo_type"] != place.geo_type)
                 & ~areas["geo_type"].isin(["utla", "itl3", "nuts2"])]
    notes = []
    for rec in same.drop_duplicates(["geo_code", "geo_type"]).to_dict("records"):
        notes.append(f"{rec['geo_name']} ({rec['geo_type']}, {rec['geo_code']}): "
                     f"type {rec['geo_type']}:{query}")
    return notes
