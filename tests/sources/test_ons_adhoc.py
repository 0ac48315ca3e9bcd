"""ONS ad-hoc creative-economy workbooks: generic xlsx table reader + parsers.

Known values below were read by hand from the published workbooks (sheet and
cell named in each case, opened in a spreadsheet viewer / openpyxl dump);
marker counts are re-counted here with plain openpyxl, independently of the
parser.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles import PatternFill

from creative_clusters._schema import validate_observations
from creative_clusters.classifications import dcms, ons_labels
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import _xlsx, ons_adhoc, ons_adhoc_layouts

ADHOC = "ons_adhoc"


# ----------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def datasets(data_root: Path) -> dict[str, pd.DataFrame]:
    """Each ons_adhoc dataset read once and validated against the schema."""
    out = {}
    for spec in ons_adhoc.DATASETS:
        res = spec.reader(data_root)
        out[spec.id] = validate_observations(res.observations, source=spec.id)
    return out


def one(frame: pd.DataFrame, **where: str) -> pd.Series:
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"expected one row for {where}, got {len(sel)}"
    return sel.iloc[0]


# --------------------------------------------------------- real workbooks
def test_dataset_ids_and_files(data_root: Path) -> None:
    ids = [s.id for s in ons_adhoc.DATASETS]
    assert ids == [
        "ons_creative_industry_jobs_2010_2023",
        "ons_creative_subsector_jobs_2010_2022",
        "ons_creative_industry_jobs_demographics_2010_2023",
        "ons_creative_subsector_jobs_demographics_2010_2022",
        "ons_job_quality_creative_2021_2022",
        "wyca_creative_industries_2018_2023",
    ]
    for spec in ons_adhoc.DATASETS:
        for rel in spec.files:
            assert (data_root / rel).exists(), rel


def test_industry_jobs_known_cells(datasets) -> None:
    d = datasets["ons_creative_industry_jobs_2010_2023"]
    # JH_by_ind!O7: London, "Creative industry", 2023 = 437463 (whole jobs despite
    # the "(thousands)" label)
    r = one(
        d,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2023",
        status="",
        occupation_scheme="",
    )
    assert r["value"] == 437463 and r["disclosure_flag"] == "as-published"
    assert r["geo_type"] == "rgn" and r["industry_scheme"] == "DCMS_CI"
    # JH_by_ind!B13: "All other regions of the United Kingdom", 2010 = 702099
    r = one(
        d,
        geo_code="K02000001-xLDN",
        industry_code="total_excl_it_software",
        period="2010",
        status="",
        occupation_scheme="",
    )
    assert r["value"] == 702099 and r["geo_type"] == "custom"
    # JH_by_ind!N9: London "All industries total" 2022 = 5327652
    r = one(
        d,
        geo_code="E12000007",
        industry_scheme="SIC2007",
        industry_code="_T",
        period="2022",
        status="",
        occupation_scheme="",
    )
    assert r["value"] == 5327652
    # JH_by_ind_by_major_SOC!L10: London creative, Elementary, 2020 = ".." → NaN, suppressed
    r = one(
        d,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2020",
        occupation_scheme="SOC2010_MAJOR",
        occupation_code="9",
    )
    assert math.isnan(r["value"]) and r["disclosure_flag"] == "suppressed"
    # ...!C10 = 8517, highlighted grey (sample <= 25) → kept, low-reliability
    r = one(
        d,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2011",
        occupation_scheme="SOC2010_MAJOR",
        occupation_code="9",
    )
    assert r["value"] == 8517 and r["disclosure_flag"] == "low-reliability"
    # ...!M8 (header "2021,9"): Associate professional ("...Occupations9"), 2021 = 199372, SOC 2020
    r = one(
        d,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2021",
        occupation_scheme="SOC2020_MAJOR",
        occupation_code="3",
    )
    assert r["value"] == 199372
    # JH_by_ind_by_skill!C7: London creative, skill group 1 (low), 2011 = 8517
    r = one(
        d,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2011",
        status="skill_level=low",
    )
    assert r["value"] == 8517


def test_subsector_jobs_known_cells(datasets) -> None:
    d = datasets["ons_creative_subsector_jobs_2010_2022"]
    base = {"status": "", "occupation_scheme": ""}
    # JH_by_sub-sec!N12: London IT, software and computer services 2022 = 259386
    assert (
        one(
            d, geo_code="E12000007", industry_code="it_software", period="2022", **base
        )["value"]
        == 259386
    )
    # JH_by_sub-sec!N29: rest of UK "Creative industries total" 2022 = 1670411
    assert (
        one(d, geo_code="K02000001-xLDN", industry_code="_T", period="2022", **base)[
            "value"
        ]
        == 1670411
    )
    # JH_by_sub-sec!M9: London Crafts 2021 = ".."
    r = one(d, geo_code="E12000007", industry_code="crafts", period="2021", **base)
    assert math.isnan(r["value"]) and r["disclosure_flag"] == "suppressed"
    # JH_by_sub-sec!B9: London Crafts 2010 = 936, grey (Darker 25%)
    r = one(d, geo_code="E12000007", industry_code="crafts", period="2010", **base)
    assert (r["value"], r["disclosure_flag"]) == (936, "low-reliability")
    # JH_by_sub-sec!B10: "Design: product, graphic and fashion design" → design
    assert (
        one(d, geo_code="E12000007", industry_code="design", period="2010", **base)[
            "value"
        ]
        == 32221
    )


def test_excluding_it_total_matches_subsector_workbook(datasets) -> None:
    """The 2010-2023 workbook's "Creative industry" = sub-sector total - IT (London 2022)."""
    a = datasets["ons_creative_industry_jobs_2010_2023"]
    b = datasets["ons_creative_subsector_jobs_2010_2022"]
    excl = one(
        a,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2022",
        status="",
        occupation_scheme="",
    )["value"]
    tot = one(
        b,
        geo_code="E12000007",
        industry_code="_T",
        period="2022",
        status="",
        occupation_scheme="",
    )["value"]
    it = one(
        b,
        geo_code="E12000007",
        industry_code="it_software",
        period="2022",
        status="",
        occupation_scheme="",
    )["value"]
    assert excl == tot - it == 461717


def test_demographics_known_cells(datasets) -> None:
    d = datasets["ons_creative_industry_jobs_demographics_2010_2023"]
    # JH_by_ind_by_sex!P7: London creative industry, Female, 2023 = 218512
    r = one(
        d,
        geo_code="E12000007",
        industry_code="total_excl_it_software",
        period="2023",
        status="sex=female",
    )
    assert r["value"] == 218512
    # JH_by_ind_by_dis!C7: London creative, Disabled, 2014 = 42139
    assert (
        one(
            d,
            geo_code="E12000007",
            industry_code="total_excl_it_software",
            period="2014",
            status="disability=disabled",
        )["value"]
        == 42139
    )
    dims = {s.split("=")[0] for s in d["status"]}
    assert dims == {
        "sex",
        "age",
        "ethnicity",
        "disability",
        "qualification",
        "sub_regional_partnership",
        "country_of_birth",
        "employment_type",
    }
    s = datasets["ons_creative_subsector_jobs_demographics_2010_2022"]
    # JH_by_ind_by_age!C7: London Advertising and marketing, 16 - 29, 2010 = 16893
    assert (
        one(
            s,
            geo_code="E12000007",
            industry_code="advertising",
            period="2010",
            status="age=16_29",
        )["value"]
        == 16893
    )


def test_job_quality_known_cells(datasets) -> None:
    d = datasets["ons_job_quality_creative_2021_2022"]
    # '2021'!D7: London Advertising and marketing, Paid Overtime = "*" → NaN low-reliability
    r = one(
        d,
        geo_code="E12000007",
        industry_code="advertising",
        period="2021",
        measure="jobs_paid_overtime",
    )
    assert math.isnan(r["value"]) and r["disclosure_flag"] == "low-reliability"
    # '2021'!B17: London All industries total, Satisfactory Hours = 4006211
    assert (
        one(
            d,
            geo_code="E12000007",
            industry_scheme="SIC2007",
            period="2021",
            measure="jobs_satisfactory_hours",
        )["value"]
        == 4006211
    )
    # '2021'!B27: block labelled "UK " = rest of UK; IT satisfactory hours = 554462
    assert (
        one(
            d,
            geo_code="K02000001-xLDN",
            industry_code="it_software",
            period="2021",
            measure="jobs_satisfactory_hours",
        )["value"]
        == 554462
    )
    assert set(d["measure"]) == set(ons_labels.JOB_QUALITY_MEASURES.values())


def test_wyca_known_cells(datasets) -> None:
    d = datasets["wyca_creative_industries_2018_2023"]
    assert set(d["geo_code"]) == {"E47000003"} and set(d["geo_type"]) == {"cauth"}
    # 'Analysis 1'!B13: 2018 Advertising and Marketing count = 620 (control-rounded)
    r = one(d, industry_code="advertising", period="2018", measure="enterprises")
    assert (r["value"], r["disclosure_flag"]) == (620, "rounded")
    # 'Analysis 1'!E82: 2023 Total turnover (£'000s) = 3209586
    r = one(d, industry_code="_T", period="2023", measure="turnover_gbp_thousands")
    assert (r["value"], r["disclosure_flag"]) == (3209586, "as-published")
    # 'Analysis 1'!C20: 2018 Museums Galleries employment = 2111
    assert (
        one(d, industry_code="museums", period="2018", measure="employment")["value"]
        == 2111
    )
    # the published totals are sums of the nine sub-sector counts (2023: 5905)
    ent = d[(d.measure == "enterprises") & (d.period == "2023")]
    assert ent.loc[ent.industry_code != "_T", "value"].sum() == 5905
    assert len(d) == 6 * 10 * 4


def _count_markers(path: Path, sheets: tuple[str, ...], marker: str) -> int:
    wb = openpyxl.load_workbook(path, data_only=True)
    n = 0
    for name in sheets:
        for row in wb[name].iter_rows(values_only=True):
            n += sum(1 for v in row if isinstance(v, str) and v.strip() == marker)
    return n


def test_every_marker_comes_through_as_nan(data_root: Path, datasets) -> None:
    sub = data_root / ADHOC / "creativesubsectorsjobs20102022.xlsx"
    n = _count_markers(sub, ons_adhoc._SUBSECTOR_SHEETS, "..")
    d = datasets["ons_creative_subsector_jobs_2010_2022"]
    assert n == 875  # counted by hand-run openpyxl scan; all in the three tables
    assert int((d["disclosure_flag"] == "suppressed").sum()) == n
    assert d.loc[d["disclosure_flag"] == "suppressed", "value"].isna().all()

    jq = data_root / ADHOC / "jobqualitycreativesubsectorscounts20212022.xlsx"
    n_star = _count_markers(jq, ("2021", "2022"), "*")
    q = datasets["ons_job_quality_creative_2021_2022"]
    assert n_star == 24
    assert int(q["value"].isna().sum()) == n_star
    assert (q.loc[q["value"].isna(), "disclosure_flag"] == "low-reliability").all()


def test_no_marker_becomes_zero(datasets) -> None:
    for frame in datasets.values():
        flagged = frame[frame["disclosure_flag"].isin(["suppressed"])]
        assert flagged["value"].isna().all()
        assert not (frame["value"] == 0).any()


def test_imports_into_warehouse(data_root: Path, tmp_path: Path) -> None:
    from creative_clusters.warehouse import Warehouse

    with Warehouse(tmp_path) as wh:
        wh.import_datasets(ons_adhoc.DATASETS[-2:], data_root)
        got = wh.observations(
            dataset="wyca_creative_industries_2018_2023",
            measure="enterprises",
            period="2018",
            industry_code="_T",
        )
    assert got["value"].tolist() == [6345]  # 'Analysis 1'!B22


# ------------------------------------------------------ synthetic workbook
def _synthetic(
    path: Path, *, anchor: str = "Industry group", cell_c8: object = ".."
) -> Path:
    """SYNTHETIC test workbook in the ONS layout: notes rows, a 2-row header with a
    merged label over the years, a breakdown column and each marker."""
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb["Notes"]["A1"] = "Synthetic workbook for tests; not real data"
    ws = wb.create_sheet("JH_by_ind_by_sex")
    ws["A1"] = "Job holder characteristics:"
    ws["A2"] = "Synthetic table"
    ws["A3"] = "Back to contents"
    ws["A5"] = "London"
    ws["C5"] = "Number of jobs (thousands) [note 2]"
    ws.merge_cells("C5:F5")
    ws.append([])
    for c, v in enumerate(
        [anchor, "Sex", 2020, "2021,9", "2022 [note 3]", "2023/24"], start=1
    ):
        ws.cell(6, c, v)
    rows = [
        ["Creative industry", "Female", 100, "[c]", "*", 5],
        [None, "Male", 200, cell_c8, "[u]", "7 [u]"],
        ["All industries", "Female", 1000, 1100, 1200, 1300],
        [None, "Male", 2000, 2100, 2200, 2300],
    ]
    for i, row in enumerate(rows):
        for c, v in enumerate(row, start=1):
            ws.cell(7 + i, c, v)
    ws["C10"].fill = PatternFill("solid", fgColor="FFD9D9D9")  # grey: small sample
    ws["A12"] = "Notes:"
    ws["A13"] = "1. Synthetic."
    wb.save(path)
    return path


def test_extract_table_synthetic(tmp_path: Path) -> None:
    wb = _xlsx.open_workbook(_synthetic(tmp_path / "s.xlsx"))
    t = _xlsx.extract_table(
        wb["JH_by_ind_by_sex"], 6, file="s.xlsx", header_depth=2, label_cols=2
    )
    assert t.header_rows == [5, 6]
    assert t.names[:2] == ["Industry group", "Sex"]
    # merged label forward-filled over the year columns, note marker stripped
    assert t.levels[2] == ("Number of jobs (thousands)", "2020")
    assert t.levels[5][0] == "Number of jobs (thousands)"
    assert [_xlsx.clean_period(v) for v in t.raw_names[2:]] == [
        "2020",
        "2021",
        "2022",
        "2023-2024",
    ]
    assert [r for r, _ in t.rows] == [
        7,
        8,
        9,
        10,
    ]  # stops at the blank row before Notes
    assert t.rows[1][1][0] == "Creative industry"  # grouped label filled down


def test_synthetic_sheet_markers(tmp_path: Path) -> None:
    wb = _xlsx.open_workbook(_synthetic(tmp_path / "s.xlsx"))
    rows = ons_adhoc_layouts.parse_jobs_sheet(
        wb["JH_by_ind_by_sex"],
        file="s.xlsx",
        base={"dataset": "x", "dataset_vintage": "t", "measure": "jobs"},
        industry_labels=ons_labels.INDUSTRY_LABELS,
    )
    got = {
        (r["industry_code"], r["status"], r["period"]): (
            r["value"],
            r["disclosure_flag"],
        )
        for r in rows
        if r["industry_scheme"] == "DCMS_CI"
    }
    assert len(rows) == 16
    assert got[("_T", "sex=female", "2020")] == (100, "as-published")
    v, f = got[("_T", "sex=female", "2021")]  # [c]
    assert math.isnan(v) and f == "suppressed"
    v, f = got[("_T", "sex=female", "2022")]  # *
    assert math.isnan(v) and f == "low-reliability"
    v, f = got[("_T", "sex=male", "2021")]  # ..
    assert math.isnan(v) and f == "suppressed"
    v, f = got[("_T", "sex=male", "2022")]  # [u]
    assert math.isnan(v) and f == "low-reliability"
    assert got[("_T", "sex=male", "2023-2024")] == (7, "low-reliability")  # "7 [u]"
    assert got[("_T", "sex=male", "2020")] == (200, "as-published")
    all_ind = [
        r for r in rows if r["industry_scheme"] == "SIC2007" and r["period"] == "2020"
    ]
    assert {(r["status"], r["value"], r["disclosure_flag"]) for r in all_ind} == {
        ("sex=female", 1000, "as-published"),
        ("sex=male", 2000, "low-reliability"),
    }  # grey C10


# ------------------------------------------------------- malformed inputs
def _read(path: Path, sheets=("JH_by_ind_by_sex",)) -> pd.DataFrame:
    return ons_adhoc_layouts.parse_jobs_workbook(
        path,
        dataset="x",
        vintage="t",
        sheets=sheets,
        industry_labels=ons_labels.INDUSTRY_LABELS,
    )


def test_malformed_missing_sheet(tmp_path: Path) -> None:
    p = _synthetic(tmp_path / "s.xlsx")
    with pytest.raises(ImportFormatError) as e:
        _read(p, sheets=("JH_by_ind",))
    assert e.value.column == "JH_by_ind!A1" and "JH_by_ind_by_sex" in str(e.value)
    assert e.value.file == str(p)


def test_malformed_header_moved(tmp_path: Path) -> None:
    p = _synthetic(tmp_path / "s.xlsx", anchor="Industry grp")
    with pytest.raises(ImportFormatError, match="Industry group") as e:
        _read(p)
    assert e.value.file == str(p) and e.value.column == "JH_by_ind_by_sex!A1"
    assert e.value.row == 1


def test_label_maps_cover_every_subsector() -> None:
    codes = {c for s, c in ons_labels.INDUSTRY_LABELS.values() if s == "DCMS_CI"}
    shorts = {dcms.subsector_short(s) for s in dcms.SUBSECTORS}
    assert shorts <= codes
    assert codes - shorts == {"_T", "non_creative"}


def test_malformed_text_in_numeric_cell(tmp_path: Path) -> None:
    p = _synthetic(tmp_path / "s.xlsx", cell_c8="n/a")
    with pytest.raises(ImportFormatError) as e:
        _read(p)
    assert e.value.row == 8 and e.value.column == "JH_by_ind_by_sex!D8"
    assert "'n/a'" in str(e.value)


def test_malformed_unknown_industry(tmp_path: Path) -> None:
    p = _synthetic(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(p)
    wb["JH_by_ind_by_sex"]["A9"] = "Creative widgets"
    wb.save(p)
    with pytest.raises(ImportFormatError, match="Creative widgets") as e:
        _read(p)
    assert e.value.column == "JH_by_ind_by_sex!A9"


def test_malformed_empty_workbook(tmp_path: Path) -> None:
    p = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(p)
    with pytest.raises(ImportFormatError, match="expected a sheet named"):
        _read(p)
    with pytest.raises(ImportFormatError, match="expected a sheet named 'Analysis 1'"):
        ons_adhoc_layouts.parse_wyca_workbook(p, dataset="x", vintage="t")


def test_malformed_not_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "fake.xlsx"
    p.write_text("Industry group,2020\nCreative industry,1\n")
    with pytest.raises(ImportFormatError, match="not an Excel"):
        _read(p)
    z = tmp_path / "zero.xlsx"
    z.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="empty"):
        _read(z)
    with pytest.raises(ImportFormatError, match="not found"):
        _read(tmp_path / "missing.xlsx")


def test_clean_helpers() -> None:
    assert _xlsx.clean_label("Total [note 3] ") == "Total"
    assert _xlsx.clean_label("Level 4") == "Level 4"
    assert _xlsx.clean_period("2021/22") == "2021-2022"
    assert _xlsx.clean_period(2019.0) == "2019"
    with pytest.raises(ValueError):
        _xlsx.clean_period("2021/23")
    with pytest.raises(ValueError):
        _xlsx.clean_period("Sex")


@given(
    st.floats(min_value=0.5, max_value=1e9, allow_nan=False),
    st.sampled_from(["*", "[u]", "[low]"]),
)
def test_flagged_numbers_keep_value(x: float, mark: str) -> None:
    text = f"{x:.2f} {mark}"
    v, f = _xlsx.parse_cell(text, file="f", sheet="S", row=1, col=1)
    assert v == pytest.approx(round(x, 2)) and f == "low-reliability"


@given(st.sampled_from(["..", "[c]", "[x]", "*", "[u]"]), st.booleans())
def test_markers_never_zero(mark: str, grey: bool) -> None:
    v, f = _xlsx.parse_cell(f" {mark} ", file="f", sheet="S", row=1, col=1, grey=grey)
    assert math.isnan(v) and f in ("suppressed", "low-reliability")
