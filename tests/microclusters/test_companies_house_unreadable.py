"""The national Companies House reader counts rows it leaves out with a SIC cell that is no SIC code, and
numbers rows by their line in the file.

Was: ``read_companies_house`` kept rows whose first four characters were a creative class and dropped the
rest uncounted, so "5911X - typo" or "59 11" vanished from every report, while the regional reader
(``firm_files``) counted such cells and named the first. And the firm table's ``source_row`` was the
position among the creative rows kept, not the row of the file, so a message "row 3" pointed elsewhere.
All rows are SYNTHETIC, in the official layout.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from creative_clusters.sources.companies_house import OFFICIAL_HEADER, read_companies_house
from creative_clusters.sources.firm_files import MalformedFirmValuesWarning, load_creative_firms

HEADER = [c.strip() for c in OFFICIAL_HEADER]  # the official header has " CompanyNumber" with its space
SIC1 = HEADER.index("SICCode.SicText_1")
SIC2 = HEADER.index("SICCode.SicText_2")


def _row(number, sic1, sic2="", status="Active", postcode="S1 2BX"):
    row = [""] * len(OFFICIAL_HEADER)
    row[HEADER.index("CompanyName")] = f"SYNTHETIC {number} LTD"
    row[HEADER.index("CompanyNumber")] = f"{number:08d}"
    row[HEADER.index("RegAddress.PostCode")] = postcode
    row[HEADER.index("CompanyStatus")] = status
    row[SIC1], row[SIC2] = sic1, sic2
    return ",".join(f'"{v}"' for v in row)


ROWS = [  # file rows 2..9
    _row(1, "59111 - Motion picture production activities"),  # creative
    _row(2, "5911X - typo"),  # unreadable, left out
    _row(3, "47110 - Retail", "62O12 - letter O"),  # unreadable second cell, left out
    _row(4, "None Supplied"),  # no code given: not unreadable, not creative
    _row(5, "47110 - Retail"),  # not creative
    _row(6, "sixtytwo", status="Dissolved"),  # outside the status filter: not counted
    _row(7, "5911X - typo", "62012 - Business and domestic software development"),  # creative by its 2nd cell
    _row(8, "90030 - Artistic creation"),  # creative
]


@pytest.fixture
def product(tmp_path):
    p = tmp_path / "SYNTHETIC_BasicCompanyDataAsOneFile-2024-11-01.csv"
    p.write_text(",".join(OFFICIAL_HEADER) + "\n" + "\n".join(ROWS) + "\n")
    return p


def test_the_reader_counts_and_names_left_out_unreadable_rows(product):
    t = read_companies_house(product)
    assert t["CompanyNumber"].tolist() == ["00000001", "00000007", "00000008"]
    assert t["source_row"].tolist() == [2, 8, 9]  # their lines in the file (header = 1)
    assert t.attrs["rows_sic_unreadable_dropped"] == 2  # companies 2 and 3
    assert t.attrs["sic_unreadable_examples"] == [("SICCode.SicText_1", 3, "5911X - typo"),
                                                  ("SICCode.SicText_2", 4, "62O12 - letter O")]


def test_the_firm_report_adds_them_to_its_own_count(product, monkeypatch):
    import creative_clusters.sources.firm_files as firms_mod

    d = pd.DataFrame({"key": ["S12BX"], "easting": [435000.0], "northing": [387000.0],
                      "lad_code": ["E08000039"], "terminated": [False]})
    monkeypatch.setattr(firms_mod, "load_postcode_directory", lambda *a, **k: d)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        firms, rep = load_creative_firms(product)
    assert rep.n_creative == 3 and sorted(firms["source_row"]) == [2, 8, 9]
    # company 7's unreadable first cell (kept by its second) and the two left out
    assert rep.n_sic_unreadable == 3 and rep.n_sic_unreadable_dropped == 2
    # the reader dropped companies 4 and 5 before the report saw them: it still counts them as not creative
    assert rep.n_not_creative == 2
    assert rep.sic_unreadable_rows["source_row"].tolist() == [3, 4, 8]
    msg = " ".join(str(w.message) for w in caught if issubclass(w.category, MalformedFirmValuesWarning))
    assert "3 rows" in msg and "row 3, SICCode.SicText_1: '5911X - typo'" in msg
    assert "2 of those rows had no other creative code" in msg
