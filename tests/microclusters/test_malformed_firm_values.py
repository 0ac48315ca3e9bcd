"""Malformed firm values are counted and reported, never read as something else (SYNTHETIC firm files).

Every file here is invented (SYNTHETIC rows in the Companies House extract's layout or a plain list).
The point of S1 2BX, 435645 E 386820 N, is the South Yorkshire extract's own X/Y for its companies at
that postcode (e.g. 2131 LTD., 09344885), which the postcode directory gives too.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources.firm_files import MalformedFirmValuesWarning, prepare_firms

_S1_2BX = (435645.0, 386820.0)


def _ch(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """SYNTHETIC Companies House rows: (name, postcode, SIC 1, SIC 2, X/Y as "x y"; "" for an empty cell)."""
    out = []
    for i, (name, pc, s1, s2, xy) in enumerate(rows):
        x, y = (xy.split() if xy else (None, None))
        out.append({"CompanyName": name, "CompanyNumber": f"{i:08d}", "Postcode": pc or None, "CompanyStatus": "Active",
                    "SICCode.SicText_1": s1, "SICCode.SicText_2": s2 or None, "X": x, "Y": y})
    t = pd.DataFrame(out)
    t.attrs["file"] = "SYNTHETIC_firms.csv"
    return t


def _prepare(raw: pd.DataFrame) -> tuple[pd.DataFrame, object, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms, rep = prepare_firms(raw)
    return firms, rep, caught


def test_a_sic_value_with_a_typo_is_not_cut_to_its_leading_digits():
    raw = _ch([("Studio", "S1 2BX", "59111 - Motion picture production", "", "435000 387000"),
               ("Typo", "S1 2BX", "6201X - typo", "", "435100 387100"),
               ("Shop", "S1 2BX", "47110 - Retail sale", "", "435200 387200"),
               ("Both", "S1 2BX", "6201X - typo", "90030 - Artistic creation", "435300 387300"),
               ("Nothing", "S1 2BX", "None Supplied", "", "435400 387400")])
    firms, rep, caught = _prepare(raw)
    # the old reader took "6201X - typo" for 6201 (computer programming, creative): Typo was kept
    assert firms["name"].tolist() == ["Studio", "Both"]
    assert firms.set_index("name").loc["Both", "sic_codes"] == "9003"
    # two rows with an unreadable value; Typo (nothing else readable) left out, Both kept by its other code;
    # Shop and Nothing ("None Supplied" is no code, not a malformed one) are the non-creative rows
    assert (rep.n_sic_unreadable, rep.n_sic_unreadable_dropped, rep.n_not_creative) == (2, 1, 2)
    assert rep.sic_unreadable_rows[["source_row", "column", "value"]].values.tolist() == [
        [3, "SICCode.SicText_1", "6201X - typo"], [5, "SICCode.SicText_1", "6201X - typo"]]
    msg = [str(w.message) for w in caught if w.category is MalformedFirmValuesWarning]
    assert len(msg) == 1 and "SYNTHETIC_firms.csv" in msg[0] and "row 3, SICCode.SicText_1: '6201X - typo'" in msg[0]
    assert "'62012 - Business and domestic software development'" in msg[0]
    assert "not SIC codes: 2 rows" in rep.summary() and "not creative: 2" in rep.summary()


def test_an_unreadable_sic_word_is_counted_apart_from_non_creative_firms():
    raw = pd.DataFrame({"name": ["A", "B", "C", "D"], "easting": ["435000", "435100", "435200", "435300"],
                        "northing": ["387000"] * 4, "sic": ["62012", "sixtytwo", "47110", "59.11"]})
    firms, rep, caught = _prepare(raw)
    assert firms["name"].tolist() == ["A", "D"] and firms["sic_codes"].tolist() == ["6201", "5911"]
    assert (rep.n_sic_unreadable, rep.n_sic_unreadable_dropped, rep.n_not_creative) == (1, 1, 1)
    assert rep.sic_unreadable_rows["value"].tolist() == ["sixtytwo"]
    assert any(w.category is MalformedFirmValuesWarning and "row 3, sic: 'sixtytwo'" in str(w.message)
               for w in caught)


def test_an_unknown_sub_sector_name_is_counted_as_unreadable():
    raw = pd.DataFrame({"name": ["A", "B"], "easting": ["435000", "435100"], "northing": ["387000"] * 2,
                        "subsector": ["music", "musik"]})
    firms, rep, _ = _prepare(raw)
    assert firms["name"].tolist() == ["A"]
    assert (rep.n_sic_unreadable, rep.n_not_creative) == (1, 0)


def test_only_unreadable_codes_is_an_error_that_says_so():
    raw = pd.DataFrame({"name": ["A"], "easting": ["435000"], "northing": ["387000"], "sic": ["sixtytwo"]})
    with pytest.raises(ImportFormatError, match=r"no creative firms.*1 row with SIC values that are not"):
        _prepare(raw)


def test_longitude_latitude_in_the_x_y_columns_is_refused_with_the_fix():
    raw = _ch([("Studio", "S1 2BX", "59111 - Motion picture production", "", "-1.4701 53.3811"),
               ("Coder", "S1 2BX", "62012 - Business and domestic software development", "", "-1.46 53.38")])
    with pytest.raises(ImportFormatError) as err:
        _prepare(raw)
    e = err.value
    assert (e.file, e.row, e.column) == ("SYNTHETIC_firms.csv", 2, "X")
    assert "longitude/latitude" in str(e) and "rename them lon and lat" in str(e)


def test_a_row_outside_the_grid_falls_back_to_its_postcode_and_is_reported():
    raw = _ch([("Studio", "S1 2BX", "59111 - Motion picture production", "", "435000 387000"),
               ("Stray", "S1 2BX", "62012 - Business and domestic software development", "", "-1.47 53.38"),
               ("Text", "S1 2BX", "90030 - Artistic creation", "", "abc 387000"),
               ("Lost", "", "90030 - Artistic creation", "", "-1.47 53.38")])
    firms, rep, caught = _prepare(raw)
    f = firms.set_index("name")
    # the old reader clustered Stray at (-1.47, 53.38) metres, beside the grid's origin
    assert (f.loc["Stray", "easting"], f.loc["Stray", "northing"]) == _S1_2BX
    assert (f.loc["Text", "easting"], f.loc["Text", "northing"]) == _S1_2BX
    assert f.loc["Stray", "coord_source"] != "file_bng" and f.loc["Studio", "coord_source"] == "file_bng"
    assert "Lost" not in f.index
    assert (rep.n_bad_coordinates, rep.n_bad_coordinates_by_postcode) == (3, 2)
    assert rep.failed_rows[["source_row", "reason"]].values.tolist() == [[5, "bad_coordinates"]]
    # Y = 53.38 alone lies inside the grid (53 m north of its origin): the row is caught by its X
    assert rep.bad_coordinate_rows[["source_row", "column", "value"]].values.tolist() == [
        [3, "X", "-1.47"], [4, "X", "abc"], [5, "X", "-1.47"]]
    msg = [str(w.message) for w in caught if w.category is MalformedFirmValuesWarning]
    assert len(msg) == 1 and "row 4, X: 'abc'" in msg[0] and "easting 0-700,000" in msg[0]
    assert "coordinates not in the British National Grid: 3 rows" in rep.summary()
