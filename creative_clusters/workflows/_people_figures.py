"""What the people reports share: figure dicts, dataset look-ups and a place's LADs on a vintage.

Every figure is a dict with ``label``, ``value``, ``unit``, ``source``,
``vintage``, ``basis`` (``residence``: where people live; ``workplace``: where
jobs are; ``register``: enterprise register location; ``point``: institution
address), ``caveats`` and ``flag``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from creative_clusters import kinds
from creative_clusters.errors import ParameterError
from creative_clusters.geography.place import Place
from creative_clusters.warehouse import Warehouse

__all__ = [
    "LONDON",
    "RESIDENCE",
    "REST_OF_UK",
    "WORKPLACE",
    "dataset_id",
    "figure",
    "has_kind",
    "members_on",
    "no_lads",
    "place_dict",
    "value_of",
]


LONDON = "E12000007"


REST_OF_UK = "K02000001-xLDN"


RESIDENCE = "residence"


WORKPLACE = "workplace"


def dataset_id(wh: Warehouse, kind: str) -> str:
    """The id of the dataset serving ``kind`` (latest vintage), or "" when none is imported."""
    ref = wh.find_dataset(kind)
    return ref.id if ref is not None else ""


def has_kind(wh: Warehouse, kind: str) -> bool:
    return wh.find_dataset(kind) is not None


def figure(label: str, value: Any, unit: str, source: str, vintage: str, basis: str,
         caveats: list[str] | None = None, flag: str = "as-published") -> dict[str, Any]:
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        value = None
    return {"label": label, "value": None if value is None else (float(value) if not isinstance(value, int)
            else value), "unit": unit, "source": source, "vintage": vintage, "basis": basis,
            "caveats": list(caveats or []), "flag": flag}


def members_on(wh: Warehouse, place: Place, vintage: int) -> list[str]:
    """The place's LADs on ``vintage`` codes (the data's LAD vintage: the place's own members)."""
    from creative_clusters.geography.membership import hierarchy_members

    if str(vintage) == kinds.LAD_VINTAGE:
        return list(place.members)
    try:
        m = list(hierarchy_members(wh.table("lad_hierarchy"), place.level, place.code, vintage=str(vintage)))
    except ParameterError:
        m = []
    if not m and (place.level == "lad" or (place.level == "ttwa" and place.members)):
        # a LAD formed since ``vintage`` (North Yorkshire, 2023) or a TTWA's best-fit LADs: their LADs of then
        m = _back_on(wh, tuple(place.members) or (place.code,), vintage)
    return m


def _back_on(wh: Warehouse, members: tuple[str, ...], vintage: int) -> list[str]:
    """The LADs of ``vintage`` that make up ``members`` (LADs on the data's vintage, e.g. a TTWA's best-fit
    LADs): every LAD of ``vintage`` whose code leads to a member (North Yorkshire's seven 2021 districts for
    E06000065), so a place built from whole LADs is the same area on either vintage."""
    from creative_clusters.geography.lookups import map_codes

    h = wh.table("lad_hierarchy")
    old = sorted(set(h.loc[h["vintage"].astype(str) == str(vintage), "lad_code"].astype(str)))
    if not old or not wh.has_table("code_changes"):
        return list(members) if not old else [c for c in old if c in set(members)]
    ahead = map_codes(old, to_vintage=int(kinds.LAD_VINTAGE), changes=wh.table("code_changes"))
    return [c for c in old if ahead[c] in set(members)]


def no_lads(place: Any) -> str:
    return (f"{place.name} is a {place.geo_type} area, which is not a union of LADs; these figures are built "
            "from LADs: ask for a LAD, combined authority, region or country")


def place_dict(place: Any, lads: list[str]) -> dict[str, Any]:
    out = {"code": place.code, "name": place.name, "geo_type": place.geo_type, "member_lads": lads}
    if place.level == "ttwa" and lads:  # LAD-approximated: say how
        out["member_rule"] = place.member_rule
    return out


def value_of(fig: Any) -> float | None:
    if isinstance(fig, dict):
        v = fig.get("value")
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)
    return None
