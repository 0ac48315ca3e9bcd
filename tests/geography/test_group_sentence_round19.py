"""A group whose entries include a county reads as one sentence in the pack: "Kent and Medway is made of 13 local
authorities from the user's list: Kent (upper-tier authority, E10000016), taken as its 12 … and Medway." It
read "The local authorities the user listed, 13 in all: Kent … as its 12 local authorities (…); Medway.", and a
group built through the library without a name was called "Custom area" in every sentence."""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


def _summary(nd, places):
    pl = E.resolve_evidence_place(nd, None, places=places)
    return pl, build_context(E.gather_inputs(nd, pl, png=TEXT_ONLY))["sections"][0]["sentences"]


def test_an_expanded_county_reads_as_one_members_sentence(nd):
    pl, said = _summary(nd, ["Kent", "Medway"])
    assert pl.name == "Kent and Medway"
    first = said[0]
    assert first.startswith("Kent and Medway is made of 13 local authorities from the user's list: Kent (")
    assert "taken as its 12 local authorities (Ashford, " in first and first.endswith(") and Medway.")
    assert "user listed" not in first


def test_an_unnamed_group_is_named_after_its_entries_not_custom_area(nd):
    pl, said = _summary(nd, ["Sheffield", "Rotherham"])
    assert pl.name == "Sheffield and Rotherham"
    assert not [s for s in said if "Custom area" in s]
    assert said[0] == ("Sheffield and Rotherham is made of 2 local authorities: Rotherham and Sheffield "
                       "(as given by the user).")
