"""``workforce`` for a travel-to-work area: its best-fit LADs, as ``profile`` builds the same area.

Was: ``workforce ttwa:Sheffield`` answered "Sheffield is a ttwa area, which is not a union of LADs … ask
for a LAD" while ``profile ttwa:Sheffield`` gave its Census 2021 creative residents from the same LADs
(a TTWA is LAD-approximated by the majority rule, ``geography.membership.lad_ttwa_assignment``).
The census table is on 2021 LAD codes and the TTWA's members on the data's LAD vintage, so a member
formed by a merger (North Yorkshire, E06000065, 2023) stands for its 2021 districts.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.workflows.places import resolve_place
from creative_clusters.workflows.workforce_report import workforce_report

pytestmark = pytest.mark.usefixtures("data_root")


def _residents(rep):
    ts = rep["census_ts060"]
    return ts["division_sum"]["creative_residents"]["value"], ts["residents_in_employment"]["value"]


def test_a_ttwa_is_the_sum_of_its_best_fit_lads(full_warehouse):
    ttwa = workforce_report(full_warehouse, resolve_place(full_warehouse, "ttwa:Sheffield"))
    assert not any("not a union of LADs" in m for m in ttwa["missing"])
    assert sorted(ttwa["place"]["member_lads"]) == ["E08000018", "E08000019"]  # Rotherham, Sheffield
    assert "majority rule" in ttwa["place"]["member_rule"]
    parts = [_residents(workforce_report(full_warehouse, resolve_place(full_warehouse, c)))
             for c in ("E08000018", "E08000019")]
    n, d = _residents(ttwa)
    assert n == sum(p[0] for p in parts) and d == sum(p[1] for p in parts)
    share = ttwa["census_ts060"]["division_sum"]["share_pct"]["value"]
    assert share == pytest.approx(100 * n / d)


def test_a_member_formed_by_a_merger_stands_for_its_2021_districts(full_warehouse):
    """Harrogate's TTWA (E30000214) is North Yorkshire's by the LAD with most of its LSOAs (E06000065, 2023),
    which the 2021 census counts as seven districts (E07000163–E07000169)."""
    ttwa = workforce_report(full_warehouse, resolve_place(full_warehouse, "E30000214"))
    lad = workforce_report(full_warehouse, resolve_place(full_warehouse, "E06000065"))
    assert ttwa["place"]["member_lads"] == [f"E0700016{i}" for i in range(3, 10)]
    assert ttwa["place"]["member_lads"] == lad["place"]["member_lads"]
    assert _residents(ttwa) == _residents(lad)


def test_a_lad_report_names_no_member_rule(full_warehouse):
    assert "member_rule" not in workforce_report(full_warehouse, resolve_place(full_warehouse, "Sheffield"))["place"]


def test_a_lad_formed_by_a_merger_has_its_census_workforce(full_warehouse, data_root):
    """Was: ``workforce "North Yorkshire"`` said "Census 2021 TS060 covers England and Wales LADs (2021
    boundaries) only" while ``profile`` gave its creative residents from its seven 2021 districts.

    By hand from the raw TS060 file: the residents of the seven districts in the report's whole divisions,
    and all their residents in employment (every category but "Does not apply")."""
    wh = full_warehouse
    lad = workforce_report(wh, resolve_place(wh, "E06000065"))
    districts = [f"E0700016{i}" for i in range(3, 10)]
    assert lad["place"]["member_lads"] == districts
    raw = pd.read_csv(data_root / "census2021_ew" / "TS060-2021-1.csv")
    raw.columns = ["code", "name", "category", "label", "residents"]
    mine = raw[raw["code"].isin(districts)]
    divisions = lad["division_approximation"]["divisions"]
    creative = mine.loc[mine["label"].str[:2].isin(divisions), "residents"].sum()
    employed = mine.loc[mine["category"] != -8, "residents"].sum()
    assert _residents(lad) == (creative, employed)
    assert not any("2021 boundaries" in m for m in lad["missing"])
