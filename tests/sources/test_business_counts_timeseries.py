"""Tests for the creative-enterprise series importer (``business_counts_series``).

Real-data checks use the figures in the data README's ``business_counts_timeseries/``
section and an independent parse of the file with the ``csv`` module; bad-input
tests write small hand-typed files (not extracts) to ``tmp_path``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from creative_clusters import kinds
from creative_clusters._schema import validate_observations
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import business_counts_timeseries as bts
from creative_clusters.sources.registry import get_dataset
from tests.sources._helpers import assert_names, write_files


@pytest.fixture(scope="module")
def obs(data_root: Path):
    result = bts.read_business_counts_series(data_root)
    return validate_observations(result.observations, source=bts.DATASET_ID)


@pytest.fixture(scope="module")
def file_rows(data_root: Path) -> list[dict[str, str]]:
    with open(data_root / bts.SERIES_FILE, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_registered_with_its_kind_and_no_year_in_the_id():
    spec = get_dataset(bts.DATASET_ID)
    assert spec.kind == kinds.CREATIVE_ENTERPRISES_SERIES
    assert not any(ch.isdigit() for ch in spec.id)
    assert any("Bromsgrove 2018" in c for c in spec.caveats)
    assert any("Isles of Scilly" in c for c in spec.caveats)


def test_rows_years_and_nations(obs):
    assert len(obs) == 5_776
    per_year = obs.groupby("period")["geo_code"].nunique()
    assert per_year.index.tolist() == [str(y) for y in range(2010, 2026)]
    assert (per_year == 361).all()
    nations = obs.drop_duplicates("geo_code")["geo_code"].str[0].value_counts().to_dict()
    assert nations == {"E": 296, "S": 32, "W": 22, "N": 11}
    assert set(obs["dataset"]) == {"business_counts_series"}
    assert set(obs["geo_vintage"]) == {"2023"}
    assert set(obs["disclosure_flag"]) == {"rounded"}


def test_uk_totals_from_the_readme(obs):
    totals = obs.groupby("period")["value"].sum()
    assert totals["2010"] == 190_245
    assert totals["2015"] == 255_210
    assert totals["2020"] == 294_815
    assert totals["2025"] == 266_735


def test_every_code_is_a_2023_lad(data_root: Path, obs):
    with open(data_root / bts.LAD_FILE, encoding="utf-8-sig", newline="") as fh:
        lad23 = {r["areacd"] for r in csv.DictReader(fh)}
    assert set(obs["geo_code"]) == lad23


def test_sheffield_16_values_equal_the_file(obs, file_rows):
    ours = obs[obs["geo_code"] == "E08000019"].set_index("period")["value"]
    theirs = {r["Year"]: float(r["Enterprise Count"]) for r in file_rows if r["Region"] == "Sheffield"}
    assert len(theirs) == 16
    assert ours.to_dict() == theirs


def test_every_value_is_the_published_one(obs, file_rows):
    """Values are never altered: the file's (name, year) → value multiset equals ours."""
    by_year: dict[str, list[float]] = defaultdict(list)
    for r in file_rows:
        by_year[r["Year"]].append(float(r["Enterprise Count"]))
    for year, vals in by_year.items():
        assert sorted(obs.loc[obs["period"] == year, "value"]) == sorted(vals)


def test_known_cases_kept_as_published(obs):
    scilly = obs[obs["geo_code"] == "E06000053"]
    assert len(scilly) == 16 and (scilly["value"] == 0).all()
    bromsgrove = obs[obs["geo_code"] == "E07000234"].set_index("period")["value"]
    assert (bromsgrove["2017"], bromsgrove["2018"], bromsgrove["2019"]) == (415, 1_360, 425)


def test_nomis_spellings_resolve(obs):
    codes = set(obs["geo_code"])
    assert {"E08000013", "E06000023", "W06000015", "S12000049", "N09000003"} <= codes  # St. Helens, Bristol …


# ------------------------------------------------------------------ bad input
LADS = "areacd,areanm\nE08000013,St. Helens\nE06000023,\"Bristol, City of\"\nW06000015,Cardiff\n"
HEAD = "Region,Enterprise Count,Region_1,Year,Nation\n"


#: The hand-typed file holds 2024-2025 and is named so (a series file's name gives the years it holds).
SMALL_FILE = "business_counts_timeseries/creative_enterprises_lad_2024_2025.csv"


def _root(tmp_path: Path, body: str) -> Path:
    return write_files(tmp_path, {bts.LAD_FILE: LADS, SMALL_FILE: HEAD + body})


GOOD = (
    "St. Helens,100,North West,2024,England\n\"Bristol, City of\",200,South West,2024,England\n"
    "Cardiff,300,Wales,2024,Wales\nSt Helens,105,North West,2025,England\n"
    "\"Bristol, City of\",210,South West,2025,England\nCardiff,0,Wales,2025,Wales\n"
)


def test_small_file_reads(tmp_path: Path):
    res = bts.read_business_counts_series(_root(tmp_path, GOOD))
    o = res.observations
    assert len(o) == 6
    assert o.loc[(o.geo_code == "W06000015") & (o.period == "2025"), "value"].item() == 0
    assert "3 UK LADs" in res.coverage and "2024–2025" in res.coverage


def test_a_one_year_file_says_one_year(tmp_path: Path):
    """Was: "× 1 years 2026–2026" in `data status`."""
    one = "St. Helens,100,North West,2026,England\nCardiff,300,Wales,2026,Wales\n"
    root = write_files(tmp_path, {bts.LAD_FILE: LADS,
                                  "business_counts_timeseries/creative_enterprises_lad_2026.csv": HEAD + one})
    res = bts.read_business_counts_series(root)
    assert res.coverage.endswith("× 1 year, 2026") and "1 years" not in res.coverage


def test_unknown_name_fails_naming_row_and_name(tmp_path: Path):
    body = GOOD + "Gotham,5,Wales,2025,Wales\n"
    with pytest.raises(ImportFormatError) as e:
        bts.read_business_counts_series(_root(tmp_path, body))
    assert_names(e.value, "creative_enterprises_lad_2024_2025.csv", row=8, column="Region")
    assert "Gotham" in str(e.value)


def test_nation_must_match_the_code(tmp_path: Path):
    body = GOOD.replace("Cardiff,300,Wales,2024,Wales", "Cardiff,300,Wales,2024,England")
    with pytest.raises(ImportFormatError) as e:
        bts.read_business_counts_series(_root(tmp_path, body))
    assert_names(e.value, "creative_enterprises_lad_2024_2025.csv", row=4, column="Nation")


def test_duplicate_place_year_fails(tmp_path: Path):
    with pytest.raises(ImportFormatError, match="appears twice for 2025"):
        bts.read_business_counts_series(_root(tmp_path, GOOD + "Cardiff,5,Wales,2025,Wales\n"))


def test_text_count_and_negative_count_fail(tmp_path: Path):
    with pytest.raises(ImportFormatError) as e:
        bts.read_business_counts_series(_root(tmp_path, GOOD.replace(",200,", ",many,")))
    assert_names(e.value, "creative_enterprises_lad_2024_2025.csv", row=3, column="Enterprise Count")
    with pytest.raises(ImportFormatError, match="non-negative"):
        bts.read_business_counts_series(_root(tmp_path, GOOD.replace(",200,", ",-5,")))


def test_years_must_cover_the_same_places(tmp_path: Path):
    body = GOOD.replace("Cardiff,0,Wales,2025,Wales\n", "")
    with pytest.raises(ImportFormatError, match="every year must cover the same LADs"):
        bts.read_business_counts_series(_root(tmp_path, body))


def test_value_not_multiple_of_five_warns_and_is_not_flagged_rounded(tmp_path: Path):
    with pytest.warns(UserWarning, match="not multiples of 5"):
        res = bts.read_business_counts_series(_root(tmp_path, GOOD.replace(",105,", ",104,")))
    o = res.observations
    assert o.loc[o.value == 104, "disclosure_flag"].item() == "as-published"


def test_missing_column_fails(tmp_path: Path):
    root = write_files(tmp_path, {bts.LAD_FILE: LADS, bts.SERIES_FILE: "Region,Year\nCardiff,2025\n"})
    with pytest.raises(ImportFormatError, match="expected column"):
        bts.read_business_counts_series(root)
