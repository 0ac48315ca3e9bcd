"""A CSV cut off inside a quoted field, or with a stray delimiter, is reported at the file's line, with the cause.

Was: a truncated Nomis download said "row 3" (pandas counts from 0) for the
record on line 4, named no cause beyond pandas' own words, while every other
import error counts lines from the header (= 1). Hand-typed files, no extracts.
"""

from __future__ import annotations

import pytest

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import read_csv_strict
from creative_clusters.sources._nomis_parse import read_csv_bytes

TRUNCATED = 'GEOGRAPHY_CODE,OBS_VALUE\nE06000001,10\nE06000002,20\n"E06000003,3'  # cut inside line 4
STRAY = "GEOGRAPHY_CODE,OBS_VALUE\nE06000001,10\nE06000002,2,0\n"  # line 3 has a third field


def test_a_truncated_nomis_download_names_its_last_line_and_says_truncated():
    with pytest.raises(ImportFormatError) as e:
        read_csv_bytes(TRUNCATED.encode(), "nomis.csv")
    assert e.value.row == 4 and e.value.file == "nomis.csv"
    assert "truncated" in str(e.value) and "Nomis CSV" in str(e.value)


def test_a_stray_delimiter_names_its_line_and_the_field_counts(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text(STRAY, encoding="utf-8")
    with pytest.raises(ImportFormatError) as e:
        read_csv_strict(path, required=["GEOGRAPHY_CODE", "OBS_VALUE"])
    assert e.value.row == 3
    assert "3 fields where the header has 2" in str(e.value)


def test_a_truncated_reference_file_names_its_line(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text(TRUNCATED, encoding="utf-8")
    with pytest.raises(ImportFormatError) as e:
        read_csv_strict(path, required=["GEOGRAPHY_CODE"])
    assert e.value.row == 4 and "truncated" in str(e.value)
