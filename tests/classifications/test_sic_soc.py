"""SIC 2007 hierarchy and lookups, SOC lookups, sub-sector aliases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.classifications import dcms, sic, soc
from creative_clusters.errors import ImportFormatError, UnknownCodeError
from creative_clusters.sources.classifications import read_sic_hierarchy

HIER = "classifications/sic2007_hierarchy.csv"


@pytest.fixture(scope="module")
def table(data_root: Path):
    return read_sic_hierarchy(data_root / HIER)


def test_hierarchy_shape(table) -> None:
    assert list(table.columns) == [
        "subclass5",
        "subclass5_title",
        "class4",
        "class4_title",
        "group3",
        "group3_title",
        "division2",
        "division2_title",
        "section",
        "section_title",
    ]
    assert table["subclass5"].is_unique
    assert table["division2"].nunique() == 88  # SIC 2007 has 88 divisions
    assert table["section"].nunique() == 21  # A-U
    # latin-1 decoded, prefix "NN : " stripped
    assert (
        table.loc[table.division2 == "59", "division2_title"]
        .iloc[0]
        .startswith("Motion picture")
    )


def test_every_creative_class_maps_to_its_division(table) -> None:
    classes = set(table["class4"])
    for code in dcms.creative_classes():
        assert code in classes, code
        rows = table[table["class4"] == code]
        assert set(rows["division2"]) == {code[:2]}
        assert set(rows["section"]) == {sic.sic_parent(code, "section")}
    r = table[table["class4"] == "5911"].iloc[0]
    assert (r["division2"], r["section"]) == ("59", "J")
    r = table[table["class4"] == "3212"].iloc[0]
    assert (r["division2"], r["section"]) == ("32", "C")
    assert (
        sic.sic_title("3212", table) == "Manufacture of jewellery and related articles"
    )


def test_pure_parents_agree_with_table(table) -> None:
    for row in table.itertuples(index=False):
        assert sic.sic_parent(row.subclass5, "group") == row.group3
        assert sic.sic_parent(row.subclass5, "division") == row.division2
        assert sic.sic_parent(row.subclass5, "section") == row.section


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("59.11", "5911"),
        ("5911", "5911"),
        ("59111", "59111"),
        (" 59111 ", "59111"),
        ("62012 - Business and domestic software development", "62012"),
        ("90030 : Artistic creation", "90030"),
        ("59.11/1", "59111"),
        ("01.11", "0111"),
        ("74.1", "741"),
        (74.1, "7410"),
        (59.2, "5920"),
        (70.21, "7021"),
        (5911, "5911"),
        ("59", "59"),
        ("j", "J"),
        ("62012 Business and domestic software", "62012"),
    ],
)
def test_normalise_sic(raw, expected) -> None:
    assert sic.normalise_sic(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "5", "599111", None, float("nan"), "Z", "59.111"]
)
def test_normalise_sic_rejects(raw) -> None:
    with pytest.raises(UnknownCodeError):
        sic.normalise_sic(raw)


def test_sic_parent_errors() -> None:
    with pytest.raises(UnknownCodeError, match="coarser"):
        sic.sic_parent("59", "class")
    with pytest.raises(UnknownCodeError, match="unknown SIC level"):
        sic.sic_parent("5911", "sector")
    with pytest.raises(UnknownCodeError):
        sic.section_of_division("04")
    assert set(sic.SIC_LEVELS) == {"section", "division", "group", "class", "subclass"}


@given(st.integers(min_value=1, max_value=99), st.integers(0, 99), st.integers(0, 9))
def test_normalise_roundtrip(div, cls, sub) -> None:
    dotted = f"{div:02d}.{cls:02d}/{sub}"
    code = sic.normalise_sic(dotted)
    assert code == f"{div:02d}{cls:02d}{sub}"
    assert sic.normalise_sic(code) == code
    assert (
        sic.normalise_sic(f"{div:02d}.{cls:02d}")
        == code[:4]
        == sic.sic_parent(code, "class")
    )


def test_hierarchy_bad_file(tmp_path: Path) -> None:
    p = tmp_path / "h.csv"
    p.write_bytes(b"SIC_2DIGIT_CODE,SIC_2DIGIT_NAME\n01,x\n")
    with pytest.raises(ImportFormatError, match="SIC_3DIGIT_CODE"):
        read_sic_hierarchy(p)
    cols = (
        "SIC_2DIGIT_CODE,SIC_2DIGIT_NAME,SIC_3DIGIT_CODE,SIC_3DIGIT_NAME,SIC_5DIGIT_CODE,"
        "SIC_5DIGIT_NAME,SIC_SECTION_LETTER,SIC_SECTION_NAME\n"
    )
    p.write_bytes(
        (cols + "59,59 : M,591,591 : M,59111,59111 : M,C,Caf\xe9\n").encode("latin-1")
    )
    with pytest.raises(ImportFormatError, match="section J") as e:
        read_sic_hierarchy(p)
    assert e.value.row == 2


def test_soc_lookups() -> None:
    assert soc.is_creative_soc("2136", "SOC2010") and not soc.is_creative_soc(
        "2136", "SOC2020"
    )
    assert soc.is_creative_soc(3411, "soc 2020")
    assert not soc.is_creative_soc("12", "SOC2020")
    assert soc.soc_group_of("2493", "SOC2020") == "Publishing"  # as published
    with pytest.raises(UnknownCodeError, match="not a DCMS creative occupation"):
        soc.soc_group_of("9999", "SOC2010")
    with pytest.raises(UnknownCodeError, match="SOC2010"):
        soc.is_creative_soc("2136", "SOC2000")
    assert sum(map(len, soc.DCMS_CO_SOC2010.values())) == 30
    assert sum(map(len, soc.DCMS_CO_SOC2020.values())) == 31
    assert "2020" in soc.SOC2020_VERSION


@pytest.mark.parametrize(
    "alias, short",
    [
        ("film", "film_tv"),
        ("tv", "film_tv"),
        ("screen", "film_tv"),
        ("games", "it_software"),
        ("software", "it_software"),
        ("music", "music_arts"),
        ("performing arts", "music_arts"),
        ("museums", "museums"),
        ("design", "design"),
        ("fashion", "design"),
        ("advertising", "advertising"),
        ("architecture", "architecture"),
        ("publishing", "publishing"),
        ("crafts", "crafts"),
        ("Design: product, graphic and fashion design", "design"),
    ],
)
def test_aliases_resolve(alias, short) -> None:
    assert dcms.subsector_short(alias) == short
