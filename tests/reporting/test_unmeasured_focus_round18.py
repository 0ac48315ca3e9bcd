"""A group whose focus cannot be measured names only its members outside England's counts by SIC class (real
bundle): for Cardiff and Bristol the pack said counts "for Cardiff and Bristol's local authorities" would measure
it, though Bristol's counts are in the warehouse."""

from __future__ import annotations

import pytest

from creative_clusters.reporting.context import _unmeasured_focus_sentence
from creative_clusters.workflows import evidence as E

pytestmark = pytest.mark.realdata


def _sentence(nd, places):
    pl = E.resolve_evidence_place(nd, name="Bid area", places=places)
    return _unmeasured_focus_sentence(E.gather_inputs(nd, pl, subsectors=["film"], png="text"))


def test_a_mixed_group_names_only_its_member_outside_england(nd):
    s = _sentence(nd, ["Cardiff", "Bristol"])
    assert "cannot be measured" in s  # the premise: a group across nations reads the UK-wide series
    assert "for Cardiff (UK Business Counts" in s and "Bristol" not in s.split("Counts of enterprises")[1]


def test_a_group_wholly_outside_england_is_named_as_a_whole(nd):
    s = _sentence(nd, ["Cardiff", "Newport"])
    assert "for Bid area's local authorities (UK Business Counts" in s
