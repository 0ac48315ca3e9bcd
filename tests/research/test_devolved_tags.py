"""Research library place tags for the devolved nations' cities, as the sources name them (methods.md sections 1
and 4), matched by the local authorities' own names (the packs' place chains)."""

from __future__ import annotations

import pytest

from creative_clusters.research.library import load_library, search_library

NESTA, RSA = "nesta2016_geography_of_creativity", "rsa2024_creative_corridors"
_BROAD = {"uk", "england", "wales", "scotland", "northern ireland"}


def _local(chain: list[str]) -> set[str]:
    """Entries tagged with the place itself or an area in its chain finer than a nation (as section 8 reads)."""
    names = {c.lower() for c in chain} - _BROAD
    return {e.id for e in search_library(place_chain=chain) if names & {g.lower() for g in e.geographies}}


@pytest.mark.parametrize(("chain", "want"), [
    (["Glasgow City", "S12000049", "Scotland", "S92000003", "UK"], {NESTA, RSA}),
    (["City of Edinburgh", "S12000036", "Scotland", "S92000003", "UK"], {NESTA, RSA}),
    (["Dundee City", "S12000042", "Scotland", "S92000003", "UK"], {RSA}),
    (["Cardiff", "W06000015", "Wales", "W92000004", "UK"], {NESTA, RSA}),
    (["Newport", "W06000022", "Wales", "W92000004", "UK"], {RSA}),
    (["Belfast", "N09000003", "Northern Ireland", "N92000002", "UK"], {NESTA}),
    (["Bristol, City of", "E06000023", "West of England", "South West", "England", "UK"], {RSA}),
    (["Bath and North East Somerset", "E06000022", "West of England", "South West", "England", "UK"], {RSA}),
])
def test_the_sources_clusters_and_corridors_tag_their_places(chain, want):
    """M8: Glasgow's pack said "none deals with Glasgow City specifically", although Nesta (2016) names Glasgow
    among its clusters and RSA (2024) names the Edinburgh-Glasgow-Dundee corridor: the tags read "Glasgow", the
    place chain "Glasgow City"."""
    assert want <= _local(chain), chain[0]


def test_only_what_the_sources_say():
    nesta = next(e for e in load_library() if e.id == NESTA)
    assert "Swansea" not in nesta.geographies and "Aberdeen City" not in nesta.geographies
    assert NESTA not in _local(["Derry City and Strabane", "N09000005", "Northern Ireland", "UK"])
