"""``creative-clusters profile`` on the real reference data."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def _profile(home, *args):
    return runner.invoke(app, ["profile", *args, "--home", str(home)])


def test_westminster_profile_has_published_total(full_home):
    res = _profile(full_home, "Westminster", "--json")
    assert res.exit_code == 0, res.output
    prof = json.loads(res.stdout)
    assert prof["creative_enterprises"]["total"]["value"] == 10350  # data README check
    assert prof["creative_enterprises"]["total"]["source"] == "business_counts_2025"
    subs = prof["creative_enterprises"]["by_subsector"]
    museums = next(r for r in subs if r["subsector"].startswith("Museums"))
    assert museums["enterprises"] is None  # absent from the table: never a zero
    assert any(c.startswith("England only") for c in prof["creative_enterprises"]["total"]["caveats"])
    stats = prof["statistics"]["figures"]
    assert stats["creative_enterprises"]["value"] == 10350
    assert stats["creative_enterprises"]["rank"] == 1  # the most creative enterprises of any English LAD
    lq = stats["business_lq"]
    assert lq["lower"] < lq["value"] < lq["upper"]


def test_new_2025_code_uses_data_on_2023_code(full_home):
    old = json.loads(_profile(full_home, "E08000019", "--json").stdout)
    new = json.loads(_profile(full_home, "E08000039", "--json").stdout)  # Sheffield's 2025 code
    assert old["creative_enterprises"]["total"]["value"] == new["creative_enterprises"]["total"]["value"] > 0


def test_combined_authority_sums_member_lads(full_home, full_warehouse):
    prof = json.loads(_profile(full_home, "Greater Manchester", "--json").stdout)
    members = prof["place"]["member_lads"]
    assert sorted(members) == [f"E080000{i:02d}" for i in range(1, 11)]
    obs = full_warehouse.observations(dataset="business_counts_2025", industry_scheme="SIC2007")
    expected = obs[obs["geo_code"].isin(members)]["value"].sum()
    assert prof["creative_enterprises"]["total"]["value"] == expected
    assert any("member local authorities" in c for c in prof["creative_enterprises"]["total"]["caveats"])


def test_user_group_profile(full_home):
    res = _profile(full_home, "--name", "Sheffield City Region core",
                   "--places", "E08000019,E08000018", "--json")
    assert res.exit_code == 0, res.output
    prof = json.loads(res.stdout)
    assert prof["place"]["geo_type"] == "custom"
    assert len(prof["place"]["member_lads"]) == 2


def test_mixed_denominator_is_caveated(full_home):
    prof = json.loads(_profile(full_home, "Bristol", "--json").stdout)
    assert prof["place"]["code"] == "E06000023"
    share = prof["creative_share_of_active"]
    assert "different sources" in share["caveats"][0]
    assert 0 < share["value"] < 100


def test_unknown_place_suggests_and_exits_1(full_home):
    res = _profile(full_home, "Sheffeld")
    assert res.exit_code == 1
    assert "Sheffield" in res.stderr
    assert "Traceback" not in res.output


def test_text_profile_lists_sources_and_licence(full_home):
    res = _profile(full_home, "Brighton")
    assert res.exit_code == 0
    assert "Brighton and Hove" in res.stdout
    assert "Open Government Licence" in res.stdout


def test_empty_warehouse_says_how_to_import(tmp_path):
    res = _profile(tmp_path / "empty", "Sheffield")
    assert res.exit_code == 1
    assert "data import" in res.stderr


def test_ambiguous_name_says_which_meaning_was_chosen(full_home):
    res = _profile(full_home, "West Midlands")
    assert res.exit_code == 0
    assert "E12000005" in res.stdout  # the region, by the documented tie rule
    assert "cauth:West Midlands" in res.stderr  # and how to get the combined authority
    ca = _profile(full_home, "cauth:West Midlands", "--json")
    import json as _json

    assert _json.loads(ca.stdout)["place"]["code"] == "E47000007"


def test_rural_place_lists_nearest_universities(full_home):
    prof = json.loads(_profile(full_home, "West Devon", "--json").stdout)
    hei = prof["anchors"]["hei"]
    assert hei["count"] == 0  # no university in West Devon
    near = [n["name"] for n in hei["nearest_outside"]]
    assert any("Plymouth" in n for n in near)  # Plymouth borders West Devon
    kms = [n["km"] for n in hei["nearest_outside"]]
    assert kms == sorted(kms) and kms[0] < 20


def test_places_without_place_and_no_silent_replacement(full_home):
    """Review round 7: the README's `profile --name "Thames Estuary" --places ...` failed with 'Missing argument
    PLACE'; `profile Sheffield --places E06000034,E06000033` printed Southend and Thurrock labelled Sheffield;
    `profile Sheffield --name Foo` ignored --name."""
    res = _profile(full_home, "--name", "Thames Estuary", "--places", "E06000034,E06000033,E06000035", "--json")
    assert res.exit_code == 0, res.output
    prof = json.loads(res.stdout)
    assert prof["place"]["name"] == "Thames Estuary" and len(prof["place"]["member_lads"]) == 3
    both = _profile(full_home, "Sheffield", "--places", "E06000034,E06000033")
    assert both.exit_code != 0 and "either PLACE ('Sheffield') or --places, not both" in both.output
    lone = _profile(full_home, "Sheffield", "--name", "Foo")
    assert lone.exit_code != 0 and "--name 'Foo'" in lone.output and "--places" in lone.output
    none = _profile(full_home)
    assert none.exit_code != 0 and "no place given" in none.output
