"""Code-change harmonisation and roll-ups (hand-worked examples + invariants)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import ParameterError, UnknownCodeError
from creative_clusters.geography.lookups import (
    harmonise_codes,
    lad_to,
    map_codes,
    roll_up,
)


@pytest.fixture(scope="module")
def changes(data_root):
    from creative_clusters.sources._geography_files import read_changes

    return read_changes(data_root)


# 2022 districts that became Cumberland, Westmorland and Furness, North Yorkshire, Somerset in 2023
CUMBERLAND = {
    "E07000026": 10.0,
    "E07000028": 25.0,
    "E07000029": 5.0,
}  # Allerdale, Carlisle, Copeland
WESTMORLAND = {"E07000027": 3.0, "E07000030": 4.0, "E07000031": 8.0}  # Barrow, Eden, South Lakeland
NORTH_YORKS = dict.fromkeys(
    ["E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169"], 1.0
)
SOMERSET = {"E07000187": 2.0, "E07000188": 3.0, "E07000189": 4.0, "E07000246": 6.0}


def _obs(values: dict[str, float], **extra) -> pd.DataFrame:
    t = pd.DataFrame({"geo_code": list(values), "value": list(values.values())})
    t["geo_vintage"] = "2022"
    t["measure"] = "enterprises"
    t["disclosure_flag"] = "rounded"
    for k, v in extra.items():
        t[k] = v
    return t


def test_2023_mergers_sum_to_the_merged_totals(changes):
    t = _obs({**CUMBERLAND, **WESTMORLAND, **NORTH_YORKS, **SOMERSET, "E09000033": 100.0})
    out = harmonise_codes(t, to_vintage=2023, changes=changes).set_index("geo_code")["value"]
    assert out.to_dict() == {
        "E06000063": 40.0,
        "E06000064": 15.0,
        "E06000065": 7.0,
        "E06000066": 15.0,
        "E09000033": 100.0,
    }
    assert out.sum() == t["value"].sum()


def test_other_columns_stay_group_keys_and_vintage_is_updated(changes):
    a = _obs(CUMBERLAND, industry_code="5911")
    b = _obs(CUMBERLAND, industry_code="6201")
    b["value"] *= 2
    out = harmonise_codes(pd.concat([a, b]), to_vintage=2023, changes=changes)
    assert sorted(out["value"]) == [40.0, 80.0]
    assert set(out["geo_vintage"]) == {"2023"} and set(out["disclosure_flag"]) == {"rounded"}


def test_chain_of_changes_is_followed(changes):
    # Taunton Deane -> Somerset West and Taunton (2019) -> Somerset (2023)
    assert map_codes(["E07000190"], to_vintage=2023, changes=changes) == {"E07000190": "E06000066"}
    assert map_codes(["E07000190"], to_vintage=2020, changes=changes) == {"E07000190": "E07000246"}
    assert map_codes(["E07000190"], to_vintage=2018, changes=changes) == {"E07000190": "E07000190"}


def test_one_to_one_recodes_map_back(changes):
    # Sheffield's 2025 code back to the 2023 code
    assert map_codes(["E08000039"], to_vintage=2023, changes=changes) == {"E08000039": "E08000019"}
    assert map_codes(["E08000019"], to_vintage=2025, changes=changes) == {"E08000019": "E08000039"}


def test_split_back_before_a_merger_is_refused(changes):
    t = _obs({"E06000066": 15.0})
    with pytest.raises(ParameterError, match="cannot be split"):
        harmonise_codes(t, to_vintage=2022, changes=changes)


def test_suppressed_part_suppresses_the_merged_total(changes):
    t = _obs({"E07000187": 2.0, "E07000188": np.nan, "E07000189": 4.0, "E07000246": 6.0})
    t.loc[1, "disclosure_flag"] = "suppressed"
    out = harmonise_codes(t, to_vintage=2023, changes=changes)
    assert len(out) == 1 and np.isnan(out["value"].item())
    assert out["disclosure_flag"].item() == "suppressed"


def test_ratios_are_never_averaged(changes):
    t = _obs(SOMERSET)
    with pytest.raises(ParameterError, match="ratio"):
        harmonise_codes(t, to_vintage=2023, changes=changes, how="mean")
    t["measure"] = "rate_pct"
    with pytest.raises(ParameterError, match="ratio"):
        harmonise_codes(t, to_vintage=2023, changes=changes)
    with pytest.raises(ParameterError, match="ratio"):
        roll_up(
            t.assign(geo_vintage="2023"),
            to="rgn",
            hierarchy=pd.DataFrame({"lad_code": [], "vintage": []}),
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=4, max_size=4),
    st.sampled_from([2019, 2021, 2023, 2025]),
)
def test_harmonising_preserves_the_total(values, year):
    """Invariant: the sum over all areas does not change (pure mergers forward in time)."""
    ch = pd.DataFrame(
        {
            "oldcd": ["E07000001", "E07000002", "E07000003"],
            "newcd": ["E06000901", "E06000901", "E06000902"],
            "type": ["merger", "merger", "new_code"],
            "start": [2021, 2021, 2024],
        }
    )
    t = pd.DataFrame(
        {"geo_code": ["E07000001", "E07000002", "E07000003", "E09000001"], "value": values}
    )
    out = harmonise_codes(t, to_vintage=year, changes=ch)
    assert out["value"].sum() == pytest.approx(sum(values))
    assert len(out) == (4 if year < 2021 else 3)


HIER = pd.DataFrame(
    {
        "lad_code": ["L1", "L2", "L3", "L4"],
        "vintage": ["2023"] * 4,
        "cauth_code": ["C1", "C1", "", ""],
        "rgn_code": ["R1", "R1", "R1", "R2"],
        "ctry_code": ["E"] * 4,
        "utla_code": ["L1", "L2", "L3", "L4"],
        "cty_code": [""] * 4,
    }
)


def test_roll_up_hand_worked():
    t = pd.DataFrame(
        {
            "geo_code": ["L1", "L2", "L3", "L4"],
            "geo_type": "lad",
            "geo_vintage": "2023",
            "measure": "enterprises",
            "value": [1.0, 2.0, 4.0, 8.0],
        }
    )
    rgn = roll_up(t, to="rgn", hierarchy=HIER).set_index("geo_code")["value"]
    assert rgn.to_dict() == {"R1": 7.0, "R2": 8.0}
    ca = roll_up(t, to="cauth", hierarchy=HIER)
    assert ca[["geo_code", "geo_type", "value"]].values.tolist() == [["C1", "cauth", 3.0]]
    assert roll_up(t, to="uk", hierarchy=HIER)["value"].item() == 15.0


def test_roll_up_warns_on_missing_members():
    t = pd.DataFrame({"geo_code": ["L1", "L3"], "value": [1.0, 4.0]})
    with pytest.warns(UserWarning, match="miss some"):
        out = roll_up(t, to="rgn", hierarchy=HIER, vintage=2023)
    assert out["value"].item() == 5.0


def test_roll_up_to_ttwa_needs_lsoas():
    lk = pd.DataFrame(
        {
            "lsoa21_code": ["E01000001", "E01000002", "E01000003"],
            "ttwa11_code": ["E30000234", "E30000234", "E30000266"],
        }
    )
    t = pd.DataFrame(
        {"geo_code": ["E01000001", "E01000002", "E01000003"], "value": [1.0, 2.0, 3.0]}
    )
    out = roll_up(t, to="ttwa", lsoa_ttwa=lk).set_index("geo_code")["value"]
    assert out.to_dict() == {"E30000234": 3.0, "E30000266": 3.0}
    with pytest.raises(ParameterError, match="do not nest"):
        roll_up(
            pd.DataFrame({"geo_code": ["E06000023"], "value": [1.0]}), to="ttwa", lsoa_ttwa=lk
        )


def test_lad_to_rejects_codes_of_another_vintage():
    assert lad_to("cauth", ["L1", "L3"], HIER, 2023).tolist() == ["C1", ""]
    with pytest.raises(UnknownCodeError, match="harmonise"):
        lad_to("rgn", ["E07000187"], HIER, 2023)


def test_real_hierarchy_rollup_matches_membership(hierarchy):
    h24 = hierarchy[hierarchy["vintage"] == "2024"]
    t = pd.DataFrame({"geo_code": h24["lad_code"], "value": 1.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ctry = roll_up(t, to="ctry", hierarchy=hierarchy, vintage=2024).set_index(
            "geo_code"
        )["value"]
    # LAD counts per nation (2024): England 296, Scotland 32, Wales 22, Northern Ireland 11
    assert ctry.to_dict() == {
        "E92000001": 296.0,
        "S92000003": 32.0,
        "W92000004": 22.0,
        "N92000002": 11.0,
    }


def test_census_2021_onto_2023_lads_keeps_the_published_total(changes, data_root):
    """Census 2021 TS060 (331 LADs on 2021 codes) harmonised to 2023: README total preserved,
    and the LAD set becomes the published 2023 England & Wales list."""
    raw = pd.read_csv(data_root / "census2021_ew" / "TS060-2021-1.csv", dtype=str)
    raw = raw[raw["Industry (current) (88 categories) Code"] != "-8"]  # "Does not apply"
    t = pd.DataFrame({
        "geo_code": raw["Lower Tier Local Authorities Code"],
        "industry_code": raw["Industry (current) (88 categories) Code"],
        "measure": "persons",
        "value": raw["Observation"].astype(float),
    })
    assert t["geo_code"].nunique() == 331
    assert t["value"].sum() == 27_773_743  # data README check
    out = harmonise_codes(t, to_vintage=2023, changes=changes)
    assert out["value"].sum() == 27_773_743
    ltla23 = pd.read_csv(data_root / "geography" / "ltla23.csv", dtype=str)["areacd"]
    assert set(out["geo_code"]) == {c for c in ltla23 if c[0] in "EW"}
    assert len(set(out["geo_code"])) == 318


def test_combined_authority_merger_is_followed(changes):
    # North East (E47000010) + North of Tyne (E47000011) -> North East (E47000014), 2024
    t = pd.DataFrame({"geo_code": ["E47000010", "E47000011", "E47000001"], "value": [4.0, 3.0, 10.0]})
    out = harmonise_codes(t, to_vintage=2024, changes=changes).set_index("geo_code")["value"]
    assert out.to_dict() == {"E47000014": 7.0, "E47000001": 10.0}
    # membership changes (new_geo LAD -> CA) are not code changes
    assert map_codes(["E06000014"], to_vintage=2024, changes=changes) == {"E06000014": "E06000014"}
