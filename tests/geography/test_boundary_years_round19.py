"""Which boundary years a warehouse holds is read from its layers, never written into the code.

A small in-memory stand-in for the warehouse: its layer names only (no data).
"""

from __future__ import annotations

import pytest

from creative_clusters.errors import ParameterError
from creative_clusters.geography.boundaries import read_boundaries


class _Layers:
    """A warehouse holding the named geometry layers; reading one returns its name."""

    def __init__(self, *names: str) -> None:
        self.names = sorted(names)

    def geometry_layers(self) -> list[str]:
        return self.names

    def read_geometry(self, name: str) -> str:
        return name


def test_the_newest_imported_lad_boundaries_are_read_by_default():
    # was lad_2025 (the last year written in the code) although the warehouse held 2026's
    wh = _Layers("lad_2024", "lad_2025", "lad_2026", "cauth_2026", "rgn")
    assert read_boundaries(wh, "lad") == "lad_2026"
    assert read_boundaries(wh, "cauth") == "cauth_2026"


def test_a_newer_year_can_be_asked_for():
    # was ParameterError "lad boundaries exist for 2019–2025; got 2026"
    wh = _Layers("lad_2025", "lad_2026")
    assert read_boundaries(wh, "lad", 2026) == "lad_2026"
    assert read_boundaries(wh, "lad", "2025") == "lad_2025"


def test_a_year_the_warehouse_lacks_names_the_years_it_holds():
    with pytest.raises(ParameterError, match="exist for 2025, 2026; got 2019"):
        read_boundaries(_Layers("lad_2025", "lad_2026"), "lad", 2019)


def test_levels_of_one_vintage_are_unchanged():
    wh = _Layers("lad_2025", "rgn", "ttwa_2011")
    assert read_boundaries(wh, "rgn") == "rgn"
    assert read_boundaries(wh, "ttwa") == "ttwa_2011"
