"""Tests for the Census 2021 importers (TS060 and the Greater Manchester tables).

Synthetic inputs are hand-made and labelled as such. Real-data checks use the
published figures: the README's England and Wales in-employment total
(27,773,743) and 331 LADs, and ONS's rounded Census 2021 populations.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.errors import ImportFormatError, UnknownCodeError
from creative_clusters.sources import census2021 as cz
from creative_clusters.sources import census2021_codes as cc
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects

TS060_HEADER = list(cz._TS060_COLS)


def _ts060_label(code: str, title: str) -> str:
    if code == "41-43":
        return (
            "41 Construction of buildings; 42 Civil engineering; "
            "43 Specialised construction activities"
        )
    return f"{code} {title}"


def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def ts060_rows(lads: dict[str, str]) -> list[list[object]]:
    """Synthetic TS060: every category c carries value 10*c (+ LAD offset)."""
    rows: list[list[object]] = [TS060_HEADER]
    for k, (code, name) in enumerate(lads.items()):
        rows.append([code, name, -8, "Does not apply", 1000 + k])
        for c, d, t in cc.CENSUS_INDUSTRY_CATEGORIES:
            rows.append([code, name, c, _ts060_label(d, t), 10 * c + k])
    return rows


SYN_LADS = {"E06000001": "Hartlepool", "W06000001": "Isle of Anglesey"}


def make_ts060_root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "census2021_ew").mkdir(parents=True)
    (root / cz.TS060_FILE).write_text(_csv(ts060_rows(SYN_LADS)))
    return root


def gm_frames() -> dict[str, list[list[object]]]:
    """Synthetic GM tables for two LADs, every value 1 except population."""
    lads = ["E08000001", "E08000003"]
    head = ["area_code", "area_name", "geography", "period", "indicator"]
    out: dict[str, list[list[object]]] = {}
    cats = {
        "economic_activity": list(cc.ECONOMIC_ACTIVITY),
        "hours_worked": list(cc.HOURS_WORKED),
        "occupation_major": list(cc.SOC2020_MAJOR.values()),
        "occupation_minor": list(cc.SOC2020_MINOR.values()),
        "industry": [t for _c, _d, t in cc.CENSUS_INDUSTRY_CATEGORIES],
    }
    for table, labels in cats.items():
        col = cz.GM_TABLES[table][1]
        rows: list[list[object]] = [[*head, col, "measure", "unit", "value"]]
        for lad in lads:
            for lab in labels:
                rows.append(
                    [
                        lad,
                        "x",
                        "Local authority",
                        "2021-03-21",
                        "i",
                        lab,
                        "Count",
                        "Persons",
                        1,
                    ]
                )
        out[table] = rows
    rows = [[*head, "measure", "unit", "value"]]
    for lad in lads:
        for lab, v in (("All persons", 30), ("Female", 16), ("Male", 14)):
            rows.append(
                [lad, "x", "Local authority", "2021-03-21", lab, "Count", "Persons", v]
            )
    out["population_by_sex"] = rows
    return out


def make_gm_root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    folder = root / cz.GM_FOLDER
    folder.mkdir(parents=True)
    for table, rows in gm_frames().items():
        (folder / cz.GM_TABLES[table][0]).write_text(_csv(rows))
    (folder / "README.md").write_text("synthetic test README\n")
    return root


# ---------------------------------------------------------------- known values
def test_synthetic_ts060_totals_and_does_not_apply(tmp_path: Path) -> None:
    obs = cz.read_census2021_ts060(make_ts060_root(tmp_path)).observations
    tot = obs[obs["industry_code"] == "_T"].set_index("geo_code")["value"]
    # hand-worked: sum_{c=1..87} 10c = 38,280; the second LAD adds 87 x 1
    assert tot.to_dict() == {"E06000001": 38280.0, "W06000001": 38367.0}
    dna = obs[obs["status"] == "does_not_apply"]
    assert dna[["geo_code", "measure", "industry_code", "value"]].values.tolist() == [
        ["E06000001", "usual_residents", "", 1000.0],
        ["W06000001", "usual_residents", "", 1001.0],
    ]
    div = obs[(obs["geo_code"] == "E06000001") & (obs["industry_code"] == "59")]
    assert div["value"].item() == 10.0 * 51  # category 51 is division 59
    assert set(obs.loc[obs["industry_code"] != "", "industry_scheme"]) == {
        "SIC2007_DIV"
    }
    assert set(obs["period"]) == {"2021-03-21"}


def test_industry_division_codes() -> None:
    assert len(cc.CENSUS_INDUSTRY_CATEGORIES) == 87
    codes = [d for _c, d, _t in cc.CENSUS_INDUSTRY_CATEGORIES]
    assert codes[0] == "01" and codes[-1] == "99" and "41-43" in codes
    assert len(set(codes)) == 87
    assert (
        cc.industry_division("90 Creative, arts and entertainment activities") == "90"
    )
    with pytest.raises(UnknownCodeError):
        cc.industry_division("Manufacture of spaceships")


def test_soc2020_lists() -> None:
    assert len(cc.SOC2020_MAJOR) == 9
    assert len(cc.SOC2020_MINOR) == 104
    assert all(c[0] in cc.SOC2020_MAJOR for c in cc.SOC2020_MINOR)
    assert cc.soc2020_code("Media Professionals", level="minor") == "249"
    assert (
        cc.soc2020_code("librarians  &  related professionals", level="minor") == "247"
    )
    assert cc.soc2020_code("Professional occupations", level="major") == "2"
    with pytest.raises(UnknownCodeError, match="SOC 2020 minor"):
        cc.soc2020_code("Wizards", level="minor")


def test_economic_activity_statuses() -> None:
    assert len(cc.ECONOMIC_ACTIVITY) == 19
    assert len(set(cc.ECONOMIC_ACTIVITY.values())) == 19
    assert len(cc.IN_EMPLOYMENT_STATUSES) == 12
    assert len(cc.SELF_EMPLOYED_STATUSES) == 8
    assert "in_employment_self_employed_with_employees_full_time" in (
        cc.SELF_EMPLOYED_STATUSES
    )
    assert all(s == s.lower() and " " not in s for s in cc.ECONOMIC_ACTIVITY.values())


def test_synthetic_gm_tables(tmp_path: Path) -> None:
    obs = cz.read_census2021_gm(make_gm_root(tmp_path)).observations
    assert set(obs["geo_code"]) == {"E08000001", "E08000003"}
    minor = obs[obs["occupation_scheme"] == "SOC2020_MINOR"]
    assert minor.loc[minor["occupation_code"] == "_T", "value"].tolist() == [104.0] * 2
    ind = obs[obs["industry_scheme"] == "SIC2007_DIV"]
    assert ind.loc[ind["industry_code"] == "_T", "value"].tolist() == [87.0] * 2
    sex = obs[obs["measure"] == "usual_residents"].set_index(["geo_code", "status"])
    assert sex.loc[("E08000001", "female"), "value"] == 16.0
    econ = obs[obs["measure"] == "residents_16_plus"]
    assert set(econ["status"]) == set(cc.ECONOMIC_ACTIVITY.values())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=87, max_size=87))
def test_ts060_total_is_sum_of_divisions(values: list[int]) -> None:
    rows = ts060_rows({"E09000033": "Westminster"})
    for row, v in zip(rows[2:], values, strict=True):
        row[4] = v
    frame = pd.read_csv(io.StringIO(_csv(rows)), dtype=str)
    obs = cz.parse_ts060(frame, file="synthetic.csv")
    assert obs.loc[obs["industry_code"] == "_T", "value"].item() == float(sum(values))


# ---------------------------------------------------------------- bad input
def _corrupt(
    path: Path, how: str, *, value_col: int, unknown: tuple[int, str] = (0, "")
) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text())))
    if how == "header":
        rows[0][value_col] = "Count"
    elif how == "ragged":
        rows[3].append("extra")
    elif how == "truncated":
        rows[4] = rows[4][:2]
    elif how == "text":
        rows[3][value_col] = "twelve"
    elif how == "unknown":
        rows[3][unknown[0]] = unknown[1]
    elif how == "duplicate":
        rows.insert(5, list(rows[4]))
    if how == "encoding":
        text = (
            _csv(rows)
            .replace("Isle of Anglesey", "Ynys Môn")
            .replace("Local authority", "Awdurdod lleol Môn")
        )
        path.write_bytes(text.encode("latin-1"))
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.write_text(_csv(rows))


CASES = [
    ("header", 1, None),
    ("ragged", 4, None),
    ("truncated", 5, None),
    ("text", 4, "value"),
    ("unknown", 4, "code"),
    ("duplicate", 6, None),
    ("encoding", None, None),
    ("empty", None, None),
]


@pytest.mark.parametrize(("how", "row", "column"), CASES)
def test_ts060_bad_input(tmp_path: Path, how: str, row: int | None, column) -> None:
    root = make_ts060_root(tmp_path)
    path = root / cz.TS060_FILE
    _corrupt(path, how, value_col=4, unknown=(2, "88"))
    expected_col = {
        "value": "Observation",
        "code": "Industry (current) (88 categories) Code",
    }.get(column)
    assert_rejects(cz.read_census2021_ts060, root, path.name, row, expected_col)


@pytest.mark.parametrize(("how", "row", "column"), CASES)
def test_gm_bad_input(tmp_path: Path, how: str, row: int | None, column) -> None:
    root = make_gm_root(tmp_path)
    path = root / cz.GM_FOLDER / cz.GM_TABLES["occupation_minor"][0]
    _corrupt(path, how, value_col=8, unknown=(0, "E08999999"))
    expected_col = {"value": "value", "code": "area_code"}.get(column)
    assert_rejects(cz.read_census2021_gm, root, path.name, row, expected_col)


def test_gm_unknown_occupation_title_is_an_import_error(tmp_path: Path) -> None:
    root = make_gm_root(tmp_path)
    path = root / cz.GM_FOLDER / cz.GM_TABLES["occupation_minor"][0]
    path.write_text(
        path.read_text().replace("Design Occupations", "Dezign Occupations")
    )
    with pytest.raises(ImportFormatError, match="Dezign") as info:
        cz.read_census2021_gm(root)
    assert info.value.column == "occupation"
    assert info.value.row == 2 + list(cc.SOC2020_MINOR).index("342")


def test_ts060_label_must_match_its_code(tmp_path: Path) -> None:
    root = make_ts060_root(tmp_path)
    path = root / cz.TS060_FILE
    path.write_text(path.read_text().replace("59 Motion picture", "60 Motion picture"))
    with pytest.raises(ImportFormatError, match="division 59"):
        cz.read_census2021_ts060(root)


def test_failed_gm_import_leaves_warehouse_unchanged(tmp_path: Path) -> None:
    root = make_gm_root(tmp_path)
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(cz.DATASETS[1:], root)
        before = wh.query("SELECT * FROM observations ORDER BY ALL")
        cat = wh.query("SELECT id, checksum, row_count FROM catalogue")
        _corrupt(root / cz.GM_FOLDER / cz.GM_TABLES["industry"][0], "text", value_col=8)
        with pytest.raises(ImportFormatError):
            wh.import_datasets(cz.DATASETS[1:], root)
        after = wh.query("SELECT * FROM observations ORDER BY ALL")
        pd.testing.assert_frame_equal(after, before)
        pd.testing.assert_frame_equal(
            wh.query("SELECT id, checksum, row_count FROM catalogue"), cat
        )
    assert len(before) > 0


# ---------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def ts060(data_root: Path) -> pd.DataFrame:
    return cz.read_census2021_ts060(data_root).observations


@pytest.fixture(scope="module")
def gm(data_root: Path) -> pd.DataFrame:
    return cz.read_census2021_gm(data_root).observations


@pytest.mark.realdata
def test_real_ts060_published_total_and_lads(ts060: pd.DataFrame) -> None:
    total = ts060.loc[ts060["industry_code"] == "_T", "value"].sum()
    assert total == 27_773_743  # README check
    assert ts060["geo_code"].nunique() == 331
    emp = ts060[ts060["measure"] == "residents_in_employment"]
    assert set(emp["industry_code"].str.len()) <= {2, 5}
    assert emp["industry_code"].nunique() == 88  # 87 categories + _T


@pytest.mark.realdata
def test_real_gm_lads(gm: pd.DataFrame) -> None:
    assert sorted(gm["geo_code"].unique()) == [f"E0800000{i}" for i in range(1, 10)] + [
        "E08000010"
    ]
    assert set(gm["geo_code"]) == set(cz.GM_LADS)


@pytest.mark.realdata
def test_real_gm_population_by_sex_and_published_totals(gm: pd.DataFrame) -> None:
    pop = gm[gm["measure"] == "usual_residents"].pivot(
        index="geo_code", columns="status", values="value"
    )
    assert (pop["female"] + pop["male"] == pop["_T"]).all()
    # ONS Census 2021 first results (rounded): Greater Manchester 2,867,800;
    # Manchester 552,000.
    assert round(pop["_T"].sum(), -2) == 2_867_800
    assert round(pop.loc["E08000003", "_T"], -3) == 552_000


@pytest.mark.realdata
def test_real_gm_employment_totals_agree_up_to_perturbation(gm: pd.DataFrame) -> None:
    econ = gm[gm["measure"] == "residents_16_plus"]
    in_emp = (
        econ[econ["status"].isin(cc.IN_EMPLOYMENT_STATUSES)]
        .groupby("geo_code")["value"]
        .sum()
    )
    self_emp = (
        econ[econ["status"].isin(cc.SELF_EMPLOYED_STATUSES)]
        .groupby("geo_code")["value"]
        .sum()
    )
    emp = gm[gm["measure"] == "residents_in_employment"]
    totals = {
        "occupation_major": emp[
            (emp["occupation_scheme"] == "SOC2020_MAJOR")
            & (emp["occupation_code"] == "_T")
        ],
        "occupation_minor": emp[
            (emp["occupation_scheme"] == "SOC2020_MINOR")
            & (emp["occupation_code"] == "_T")
        ],
        "industry": emp[
            (emp["industry_scheme"] == "SIC2007_DIV") & (emp["industry_code"] == "_T")
        ],
        "hours": emp[emp["status"] != ""]
        .groupby("geo_code", as_index=False)["value"]
        .sum(),
    }
    exact = 0
    for name, t in totals.items():
        diff = (t.set_index("geo_code")["value"] - in_emp).abs()
        # Tables are perturbed independently: equal up to a few persons.
        assert diff.max() <= 10, (name, diff.max())
        exact += int((diff == 0).sum())
    assert exact < 40  # not all identical: perturbation is real
    # Self-employed (with + without employees, part + full time, students too)
    # is a plausible share of those in employment (UK about 13-15%).
    share = self_emp / in_emp
    assert share.between(0.10, 0.20).all()


@pytest.mark.realdata
def test_real_gm_minor_groups_add_up_to_major_groups(gm: pd.DataFrame) -> None:
    minor = gm[
        (gm["occupation_scheme"] == "SOC2020_MINOR") & (gm["occupation_code"] != "_T")
    ].copy()
    minor["major"] = minor["occupation_code"].str[0]
    summed = minor.groupby(["geo_code", "major"])["value"].sum()
    major = gm[
        (gm["occupation_scheme"] == "SOC2020_MAJOR") & (gm["occupation_code"] != "_T")
    ].set_index(["geo_code", "occupation_code"])["value"]
    diff = summed.to_numpy() - major.to_numpy()
    # Every minor group sits under the right major group: only perturbation noise.
    assert abs(diff).max() <= 10
    assert len(summed) == 90


@pytest.mark.realdata
def test_real_gm_industry_equals_ts060_for_gm(gm: pd.DataFrame, ts060) -> None:
    ind = gm[gm["industry_scheme"] == "SIC2007_DIV"].set_index(
        ["geo_code", "industry_code"]
    )["value"]
    ts = ts060[
        ts060["geo_code"].isin(list(cz.GM_LADS))
        & (ts060["industry_scheme"] == "SIC2007_DIV")
    ].set_index(["geo_code", "industry_code"])["value"]
    pd.testing.assert_series_equal(ind.sort_index(), ts.sort_index())
