"""A new user's audit of the docs and messages (round 17): what the CLI suggests and names."""

from __future__ import annotations

from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def _run(home, *args: str) -> str:
    res = runner.invoke(app, [*args, "--home", str(home)])
    assert res.exit_code == 0, res.output
    return res.output


def test_profile_does_not_suggest_a_place_it_cannot_measure(full_home, full_warehouse):
    """Was: 'also matches Derry (travel-to-work area, N12000006): type ttwa:Derry', and `ttwa:Glasgow`, which
    then failed with 'cannot be measured'."""
    from creative_clusters.workflows.places import other_meanings, resolve_place

    for name in ("Derry", "Glasgow"):
        out = _run(full_home, "profile", name)
        assert f"ttwa:{name}" not in out and "travel-to-work area" not in out.split("\n", 1)[0]
        place = resolve_place(full_warehouse, name)
        assert not any(m.startswith("ttwa:") or "travel-to-work" in m
                       for m in [*other_meanings(full_warehouse, name, place), *place.also])
    # a TTWA that can be measured is still offered
    assert "type ttwa:Newcastle" in _run(full_home, "profile", "Newcastle")


def test_an_unnamed_profile_group_is_named_as_evidence_names_it(full_home, full_warehouse):
    """Was: 'User-defined group (custom:user-defined-group, custom)' where `evidence --places` says 'Sheffield and
    Rotherham'."""
    from creative_clusters.workflows.places import group_name

    first = _run(full_home, "profile", "--places", "Sheffield,Rotherham").splitlines()[0]
    assert group_name(full_warehouse, ["Sheffield", "Rotherham"]) == "Sheffield and Rotherham"
    assert first.startswith("Sheffield and Rotherham (custom:sheffield-and-rotherham")
    named = _run(full_home, "profile", "--name", "South Yorkshire pair", "--places", "Sheffield,Rotherham")
    assert named.splitlines()[0].startswith("South Yorkshire pair (")


def test_user_messages_say_in_words_what_internal_names_said(full_home):
    """Was: "the DCMS_CI '_T' total is a 29-class total" (profile) and the module path
    `creative_clusters.people.trident.creative_trident` (workforce)."""
    prof = _run(full_home, "profile", "Sheffield")
    assert "_T'" not in prof and "DCMS_CI" not in prof
    assert "the all-creative-industries total counts 29 classes, not 31" in prof
    work = _run(full_home, "workforce", "Cardiff")
    assert "creative_clusters." not in work
    assert "jobs by 4-digit industry class and 4-digit occupation together" in work


def test_a_year_still_to_come_is_not_offered_for_fetching(full_warehouse):
    """Was: `evidence Sheffield --year 2030` suggested `data fetch business_counts_enterprises … --date 2030`."""
    import datetime

    import pytest

    from creative_clusters.errors import WarehouseError
    from creative_clusters.kinds import CREATIVE_ENTERPRISES_SIC

    later = datetime.date.today().year + 5
    with pytest.raises(WarehouseError) as err:
        full_warehouse.require_dataset(CREATIVE_ENTERPRISES_SIC, period=later)
    msg = str(err.value)
    assert f"--date {later}" not in msg and "data fetch" not in msg
    assert "years available: 2025" in msg and f"{later} is after the current year" in msg
    with pytest.raises(WarehouseError, match=r"--date 2019` \(needs internet\)"):  # a past year can be fetched
        full_warehouse.require_dataset(CREATIVE_ENTERPRISES_SIC, period=2019)


def test_hotspots_say_in_words_which_places_are_cut_off(full_home):
    """Was: libpysal's raw 'Warning: The weights matrix is not fully connected: \\n There are 2 disconnected
    components.' under `clusters --method hotspot --scope uk` (Northern Ireland has no neighbour in Great
    Britain)."""
    res = runner.invoke(app, ["clusters", "--method", "hotspot", "--scope", "uk", "--home", str(full_home)])
    assert res.exit_code == 0, res.output
    assert "not fully connected" not in res.output and "disconnected components" not in res.output
    assert ("The places fall into 2 parts with no neighbouring place across them (the 11 places in Northern "
            "Ireland; the other 345 places)") in res.output
    assert "Isles of Scilly" in res.output  # the islands are still named


def test_parts_of_a_connected_map_get_no_caveat():
    import pandas as pd
    from libpysal.weights import lat2W

    from creative_clusters.clusters import HotspotClusters
    from creative_clusters.workflows.detection import parts_caveat

    w = lat2W(3, 3, id_type="string")
    t = pd.DataFrame({"geo_code": w.id_order, "lq": [float(i) for i in range(9)]})
    assert HotspotClusters(w, permutations=9, seed=0).fit(t).parts_ == []
    assert parts_caveat(t, []) == ""
