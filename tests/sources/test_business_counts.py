"""Tests for the UK Business Counts importer (``business_counts_2025``).

Real-data checks use figures published in the data README; bad-input tests
write small synthetic files (hand-typed, not extracts) to ``tmp_path``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters._schema import validate_observations
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources import business_counts as bc
from creative_clusters.warehouse import Warehouse
from tests.sources._helpers import assert_rejects, unreadable_cases, write_files

# --------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def obs(data_root: Path):
    result = bc.read_business_counts(data_root)
    return validate_observations(result.observations, source=bc.DATASET_ID)


@pytest.fixture(scope="module")
def classes(obs):
    return obs[obs["industry_scheme"] == "SIC2007"]


def test_published_totals(classes):
    """Figures from the data README's check list."""
    by_lad = classes.groupby("geo_code")["value"].sum()
    assert classes["value"].sum() == 246_790
    assert by_lad["E09000033"] == 10_350  # Westminster
    assert by_lad["E09000007"] == 8_465  # Camden
    assert by_lad["E09000012"] == 7_560  # Hackney
    assert by_lad[by_lad.index.str.startswith("E09")].sum() == 92_385  # London


def test_london_via_region_column_of_with_codes_file(data_root: Path, classes):
    """Independent parse (csv module) of the with-codes file's region column."""
    with open(data_root / bc.CODES_FILE, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    london_codes = {r["lad23cd"] for r in rows if r["region"] == "London"}
    assert sum(int(r["enterprises"]) for r in rows if r["region"] == "London") == 92_385
    assert len(london_codes) == 33
    assert classes.loc[classes["geo_code"].isin(london_codes), "value"].sum() == 92_385


def test_all_296_lads_resolve_to_2023_codes(data_root: Path, classes):
    with open(data_root / bc.LAD_FILE, encoding="utf-8-sig", newline="") as fh:
        lad23 = {r["areacd"] for r in csv.DictReader(fh)}
    codes = set(classes["geo_code"])
    assert len(codes) == 296
    assert codes <= lad23
    assert all(c.startswith("E") for c in codes)
    assert set(classes["geo_vintage"]) == {"2023"}
    assert set(classes["geo_type"]) == {"lad"}


def test_29_classes_without_museums(classes):
    from creative_clusters.classifications.dcms import creative_classes

    got = set(classes["industry_code"])
    assert len(got) == 29
    assert got == set(creative_classes()) - {"9101", "9102"}
    # every LAD × class cell is present once
    assert len(classes) == 296 * 29


def test_la_totals_equal_sum_of_class_rows(obs, classes):
    """Checked on the real files: the totals file equals the class sums exactly."""
    totals = obs[(obs["industry_scheme"] == "DCMS_CI") & (obs["industry_code"] == "_T")]
    assert len(totals) == 296
    t = totals.set_index("geo_code")["value"]
    s = classes.groupby("geo_code")["value"].sum()
    assert (t.sort_index() == s.sort_index()).all()


def test_flags_period_measure(obs):
    assert set(obs["disclosure_flag"]) == {"rounded"}
    assert set(obs["period"]) == {"2025"}
    assert set(obs["measure"]) == {"enterprises"}
    assert (obs["value"] % 5 == 0).all()
    assert obs["value"].notna().all()


# ------------------------------------------------------------------ pure helpers


def test_parse_sic_description_dashes():
    assert bc.parse_sic_description("5911 \u2013 Motion picture") == (
        "5911",
        "Motion picture",
    )
    assert bc.parse_sic_description("5911 - Motion picture") == (
        "5911",
        "Motion picture",
    )
    with pytest.raises(ValueError, match="4-digit"):
        bc.parse_sic_description("Motion picture production")


def test_name_variants_resolve():
    names = {
        bc.normalise_place_name("Bristol, City of"): "E06000023",
        bc.normalise_place_name("King's Lynn and West Norfolk"): "E07000146",
    }
    assert names[bc.normalise_place_name("BRISTOL CITY OF")] == "E06000023"
    assert names[bc.normalise_place_name("Kings Lynn & West Norfolk")] == "E07000146"


@given(st.text(max_size=40))
def test_normalise_is_idempotent(text):
    once = bc.normalise_place_name(text)
    assert bc.normalise_place_name(once) == once
    assert once == once.strip()


# ------------------------------------------------------------- synthetic root
# All values below are SYNTHETIC, hand-typed for the tests.

LADS = 'areacd,areanm\nE09000033,Westminster\nE06000023,"Bristol, City of"\nE07000146,King\'s Lynn and West Norfolk\n'
FACT = (
    "Location,Industry Group,Description,Value\n"
    "Westminster,Architecture,7111 \u2013 Architectural activities,630\n"
    "Westminster,Crafts,3212 \u2013 Manufacture of jewellery,25\n"
    '"Bristol, City of",Architecture,7111 \u2013 Architectural activities,105\n'
    '"Bristol, City of",Crafts,3212 \u2013 Manufacture of jewellery,0\n'
)
CODES = (
    "lad23cd,lad_name,region,industry_group,sic2007_4,description,enterprises\n"
    "E09000033,Westminster,London,Architecture,7111,Architectural activities,630\n"
    "E09000033,Westminster,London,Crafts,3212,Manufacture of jewellery,25\n"
    'E06000023,"Bristol, City of",South West,Architecture,7111,Architectural activities,105\n'
    'E06000023,"Bristol, City of",South West,Crafts,3212,Manufacture of jewellery,0\n'
)
TOTALS = 'Region,Enterprise Count,Region_1\nWestminster,655,London\n"Bristol, City of",105,South West\n'


def make_root(tmp: Path, **override: str | bytes) -> Path:
    files = {
        bc.LAD_FILE: LADS,
        bc.FACT_FILE: FACT,
        bc.CODES_FILE: CODES,
        bc.TOTALS_FILE: TOTALS,
    }
    files.update(dict(override.items()))
    return write_files(tmp, files)


def test_synthetic_root_reads(tmp_path: Path):
    res = bc.read_business_counts(make_root(tmp_path))
    o = res.observations
    assert len(o) == 4 + 2
    w = o[(o["geo_code"] == "E09000033") & (o["industry_code"] == "7111")]
    assert w["value"].tolist() == [630.0]


_BAD_FACT = {
    "wrong_header": (FACT.replace("Location,", "Place,"), 1, None),
    # a cut last line: a row with fewer fields than the header (not an empty Value, which is a suppressed cell)
    "truncated": (FACT + "Westminster,Architecture,7111 \u2013 Archi", 6, None),
    "ragged_extra_field": (
        FACT + "Westminster,Crafts,3212 \u2013 Manufacture of jewellery,5,extra\n",
        6,
        None,
    ),
    "text_in_numeric": (FACT.replace(",630\n", ",six hundred\n"), 2, "Value"),
    "unknown_place": (
        FACT.replace("Westminster,Crafts", "Westminister,Crafts"),
        3,
        "Location",
    ),
    "duplicate_row": (
        FACT + "Westminster,Crafts,3212 \u2013 Manufacture of jewellery,25\n",
        6,
        None,
    ),
    "unknown_sic_class": (
        FACT.replace(
            "3212 \u2013 Manufacture of jewellery,25", "4711 \u2013 Retail,25"
        ),
        3,
        "Description",
    ),
    **unreadable_cases(FACT.replace("\u2013", "-").replace("Architectural", "Architectural\u00e9")),
}


@pytest.mark.parametrize("case", sorted(_BAD_FACT))
def test_bad_fact_file(tmp_path: Path, case: str):
    text, row, column = _BAD_FACT[case]
    root = make_root(tmp_path, **{bc.FACT_FILE: text})
    assert_rejects(bc.read_business_counts, root, "business_counts_fact_long_2025.csv", row, column)


def test_codes_file_disagreement_is_an_error(tmp_path: Path):
    root = make_root(
        tmp_path, **{bc.CODES_FILE: CODES.replace("E09000033,", "E09000001,", 1)}
    )
    with pytest.raises(ImportFormatError, match=r"with_codes\.csv"):
        bc.read_business_counts(root)
    root = make_root(tmp_path, **{bc.CODES_FILE: CODES.replace(",630\n", ",635\n")})
    with pytest.raises(ImportFormatError, match="enterprises"):
        bc.read_business_counts(root)


def test_unknown_place_in_totals(tmp_path: Path):
    root = make_root(
        tmp_path, **{bc.TOTALS_FILE: TOTALS.replace("Westminster,655", "Narnia,655")}
    )
    with pytest.raises(ImportFormatError) as info:
        bc.read_business_counts(root)
    assert info.value.row == 2 and info.value.column == "Region"
    assert "la_totals_2025.csv" in str(info.value)


def test_failed_import_leaves_warehouse_unchanged(tmp_path: Path):
    root = make_root(tmp_path / "data")
    with Warehouse(tmp_path / "home") as wh:
        wh.import_datasets(bc.DATASETS, root)
        before = int(wh.query("SELECT count(*) AS n FROM observations")["n"][0])
        assert before == 6
        (root / bc.FACT_FILE).write_text(
            FACT.replace(",630\n", ",x\n"), encoding="utf-8"
        )
        with pytest.raises(ImportFormatError):
            wh.import_datasets(bc.DATASETS, root)
        after = int(wh.query("SELECT count(*) AS n FROM observations")["n"][0])
        assert after == before
        assert wh.observations(geo_code="E09000033", industry_code="7111")[
            "value"
        ].tolist() == [630.0]
