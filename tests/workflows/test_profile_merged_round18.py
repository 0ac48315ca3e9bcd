"""A local authority created by merger says why it has no survival rate (real bundle): `profile "North
Yorkshire"` left the survival rate out with no line under "Missing or not applicable", while its pack said why."""

from __future__ import annotations

import pytest

from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.profile import build_profile

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize("name", ["North Yorkshire", "Cumberland"])
def test_a_merged_authority_says_why_its_survival_rate_is_missing(full_warehouse, name):
    prof = build_profile(full_warehouse, resolve_place(full_warehouse, name))
    labels = [f.label for f in prof["business_demography"]]
    assert labels and not any(x.startswith("Survival rate") for x in labels)  # the premise
    said = [m for m in prof["missing"] if f"{name} was created in 2023, merging" in m]
    assert said and "no rates for its code before 20" in said[0]


def test_an_authority_with_survival_rates_gets_no_such_line(full_warehouse):
    prof = build_profile(full_warehouse, resolve_place(full_warehouse, "Sheffield"))
    assert any(f.label.startswith("Survival rate") for f in prof["business_demography"])
    assert not [m for m in prof["missing"] if "was created in" in m]
