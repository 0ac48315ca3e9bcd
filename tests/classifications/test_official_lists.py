"""The official DCMS lists in the ONS workbooks vs the code constants.

Counts asserted here were read from the ``Industry_classification`` sheet of
``ons_adhoc/creativesubsectorsjobs20102022.xlsx`` (SIC in columns A-C, SOC 2010
in E-G, SOC 2020 in I-K) and are also the counts in docs/codes.md §1 and §3.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.classifications import dcms, soc
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import classifications as importers

SUB = "ons_adhoc/creativesubsectorsjobs20102022.xlsx"
JOBS = "ons_adhoc/creativeindustryjobs20102023.xlsx"


@pytest.fixture(scope="module")
def sheet(data_root: Path) -> dict[str, pd.DataFrame]:
    return importers.parse_industry_classification(data_root / SUB)


def test_sic_31_classes_in_9_subsectors(sheet) -> None:
    sic = sheet["SIC2007"]
    assert len(sic) == 31 and sic["code"].is_unique
    counts = sic["group"].map(importers.OFFICIAL_GROUPS).value_counts().to_dict()
    # docs/codes.md §1: Adv 3; Arch 1; Crafts 1; Design 1; Film 7; IT 4; Publishing 6;
    # Museums 2; Music 6
    assert counts == {
        "Advertising and marketing": 3,
        "Architecture": 1,
        "Crafts": 1,
        "Design and designer fashion": 1,
        "Film, TV, video, radio and photography": 7,
        "IT, software and computer services": 4,
        "Publishing": 6,
        "Museums, galleries and libraries": 2,
        "Music, performing and visual arts": 6,
    }
    # the sheet stores 74.1 / 59.2 / 60.1 as numbers without the trailing zero
    assert {"7410", "5920", "6010", "6020", "7420", "7430"} <= set(sic["code"])
    official = {
        c: importers.OFFICIAL_GROUPS[g]
        for c, g in zip(sic["code"], sic["group"], strict=True)
    }
    assert official == {c: s for s, cs in dcms.DCMS_CI_SIC2007.items() for c in cs}


def test_soc2010_has_30_unit_groups_matching_constant(sheet) -> None:
    s = sheet["SOC2010"]
    assert len(s) == 30 and s["code"].is_unique
    got = {g: tuple(s.loc[s["group"] == g, "code"]) for g in dict.fromkeys(s["group"])}
    assert got == soc.DCMS_CO_SOC2010


def test_soc2020_has_31_unit_groups_matching_constant(sheet) -> None:
    # 31 = 30 codes in the nine industry sub-sector groups + 1255 "Managers and
    # directors in the Creative Industries" (its own group, row 45 of the sheet)
    s = sheet["SOC2020"]
    assert len(s) == 31 and s["code"].is_unique
    got = {g: tuple(s.loc[s["group"] == g, "code"]) for g in dict.fromkeys(s["group"])}
    assert got == soc.DCMS_CO_SOC2020
    assert (
        soc.soc_group_of("1255", "SOC2020")
        == "Managers and directors in the Creative Industries"
    )


def test_soc_titles_match_sheet_up_to_typos(sheet) -> None:
    for scheme in ("SOC2010", "SOC2020"):
        for code, title in zip(
            sheet[scheme]["code"], sheet[scheme]["title"], strict=True
        ):
            ours = soc.SOC_TITLES[scheme][code]
            assert difflib.SequenceMatcher(None, ours, title).ratio() > 0.9, (
                code,
                ours,
                title,
            )


def test_jobs_workbook_lists_creative_industries_without_it(data_root: Path) -> None:
    t = importers.parse_industry_classification(data_root / JOBS)
    assert set(t) == {"SIC2007"}  # SIC only in this workbook
    assert len(t["SIC2007"]) == 27
    it = set(dcms.DCMS_CI_SIC2007["IT, software and computer services"])
    assert set(t["SIC2007"]["code"]) == set(dcms.creative_classes()) - it
    importers.check_sic_list(t["SIC2007"], file="x", exclude_it=True)  # accepted
    with pytest.raises(
        ImportFormatError, match=r"missing \['5821', '5829', '6201', '6202'\]"
    ):
        importers.check_sic_list(t["SIC2007"], file="x")


def test_disagreement_names_the_codes(sheet) -> None:
    bad = sheet["SIC2007"].copy()
    bad.loc[bad["code"] == "7410", "code"] = "7490"
    bad.loc[bad["code"] == "3212", "group"] = "Architecture"
    with pytest.raises(ImportFormatError) as e:
        importers.check_sic_list(bad, file="wb.xlsx")
    msg = str(e.value)
    assert "missing ['7410']" in msg and "extra ['7490']" in msg and "3212" in msg
    bad_soc = {**sheet, "SOC2020": sheet["SOC2020"][sheet["SOC2020"]["code"] != "1255"]}
    with pytest.raises(ImportFormatError, match=r"SOC2020.*missing \['1255'\]"):
        importers.check_soc_lists(bad_soc, file="wb.xlsx")


def test_reader_tables(data_root: Path) -> None:
    res = importers.read_dcms_classifications(data_root)
    ci = res.tables["dcms_ci_sic"]
    assert list(ci.columns) == [
        "definition_version",
        "sic4",
        "title",
        "subsector",
        "subsector_short",
    ]
    assert len(ci) == 31 and set(ci["definition_version"]) == {dcms.DEFINITION_VERSION}
    row = ci.set_index("sic4").loc["5911"]
    assert row["subsector_short"] == "film_tv"
    assert (
        row["title"]
        == "Motion picture, video and television programme production activities"
    )
    so = res.tables["dcms_creative_soc"]
    assert list(so.columns) == ["scheme", "soc4", "title", "group", "subsector_short"]
    assert so.groupby("scheme").size().to_dict() == {"SOC2010": 30, "SOC2020": 31}
    assert so.loc[so["soc4"] == "1255", "subsector_short"].tolist() == [""]


def test_warehouse_import(data_root: Path, tmp_path: Path) -> None:
    from creative_clusters.warehouse import Warehouse

    with Warehouse(tmp_path) as wh:
        wh.import_datasets(importers.DATASETS, data_root)
        assert len(wh.table("dcms_ci_sic")) == 31
        assert len(wh.table("dcms_creative_soc")) == 61
        sic = wh.table("sic2007")
        assert set(sic["section"]) == set("ABCDEFGHIJKLMNOPQRSTU")


def test_sheet_header_moved(tmp_path: Path) -> None:
    import openpyxl

    p = tmp_path / "c.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Industry_classification"
    ws["A5"] = "Creative Industries Group"  # one row too low (synthetic)
    wb.save(p)
    with pytest.raises(ImportFormatError) as e:
        importers.parse_industry_classification(p)
    assert e.value.column == "Industry_classification!A4" and e.value.row == 4
