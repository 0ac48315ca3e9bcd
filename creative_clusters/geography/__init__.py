"""Geography: boundaries, lookups, code changes and the place resolver.

- :mod:`~creative_clusters.sources.geography` — the geography datasets
  (``geography_boundaries``, ``geography_lookups``, ``geography_ttwa``,
  ``geography_itl3``, ``geography_centroids``);
- :mod:`~creative_clusters.geography.boundaries` — :func:`read_boundaries`
  (the only geometry I/O) and :func:`build_weights` (libpysal ``Graph``);
- :mod:`~creative_clusters.geography.lookups` — :func:`harmonise_codes`,
  :func:`lad_to`, :func:`roll_up` (counts only, never ratios);
- :mod:`~creative_clusters.geography.place` — :class:`Place` and its member rules;
- :mod:`~creative_clusters.geography.membership` — the member rule of each level;
- :mod:`~creative_clusters.geography.resolver` — :class:`PlaceBook`, the one resolver;
- :mod:`~creative_clusters.geography.topojson` — a TopoJSON decoder.
"""

from __future__ import annotations

from creative_clusters.geography.boundaries import (
    build_weights,
    layer_name,
    read_boundaries,
)
from creative_clusters.geography.lookups import (
    harmonise_codes,
    lad_to,
    map_codes,
    roll_up,
)
from creative_clusters.geography.place import MEMBER_RULES, Place
from creative_clusters.geography.resolver import PlaceBook, find_area

__all__ = [
    "MEMBER_RULES",
    "Place",
    "PlaceBook",
    "build_weights",
    "find_area",
    "harmonise_codes",
    "lad_to",
    "layer_name",
    "map_codes",
    "read_boundaries",
    "roll_up",
]
