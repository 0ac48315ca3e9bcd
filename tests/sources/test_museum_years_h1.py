"""Museums' opening years as Mapping Museums knows them: a range where it is unsure, never the low end alone.

Was: ``year_opened`` was the range's low end, so the Gwynedd pack listed "Oriel Plas Glyn Y Weddw ... 1960"
where the project gives 1960-2017, and "Compton Down Railway Museum ... 2012" for 2012-2016.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from creative_clusters._text import fmt_year_range
from creative_clusters.sources import anchors as an
from tests.sources._helpers import write_files

HEADER = ("museum_id,museum_name,postcode,latitude,longitude,admin_area_1,accreditation,governance_type,"
          "governance_subtype,subject_matter,year_opened_low,year_opened_high,year_closed_low,year_closed_high")
ROWS = [  # synthetic rows
    "mm.h.1,Unsure Opening,LL53 7TT,52.88,-4.41,Wales,Unaccredited,Independent,Not for profit,Arts,1960,2017,na,na",
    "mm.h.2,Known Opening,LL55 1AA,53.14,-4.27,Wales,Accredited,Government,Local Authority,Arts,1975,1975,na,na",
    "mm.h.3,Opened Late,LL55 1AB,53.14,-4.27,Wales,Unaccredited,Independent,Private,Transport,2019,2022,na,na",
    "mm.h.4,Closed Unsure,LL55 1AC,53.14,-4.27,Wales,Unaccredited,Independent,Private,Transport,1980,1980,"
    "2015,2019",
]


def _museums(tmp_path: Path):
    root = write_files(tmp_path, {an.MUSEUMS_FILE: "\n".join([HEADER, *ROWS]) + "\n"})
    return an.read_anchors_museums(root).tables["museums"]


def test_year_opened_says_the_range_where_the_ends_differ(tmp_path: Path) -> None:
    m = _museums(tmp_path)
    assert m["year_opened"].tolist() == ["1960–2017", "1975", "2019–2022", "1980"]
    assert m["year_opened_low"].tolist() == [1960, 1975, 2019, 1980]  # both ends carried, as integers
    assert m["year_opened_high"].tolist() == [2017, 1975, 2022, 1980]
    assert m["year_closed"].isna().tolist() == [True, True, True, False]
    assert m["year_closed"].iloc[3] == "2015–2019"


def test_open_in_2021_keeps_its_definitely_open_rule(tmp_path: Path) -> None:
    # opened by 2021 even at the latest possible year, and not closed: a range opening by 2017 counts; one
    # that may have opened in 2022 does not; a museum closed by 2019 at the latest does not
    m = _museums(tmp_path)
    assert m["open_2021"].tolist() == [True, True, False, False]
    assert an.open_in_year(m, 2017).tolist() == [True, True, False, False]
    assert an.open_in_year(m, 2016).tolist() == [False, True, False, False]  # 1960-2017: not surely open yet


def test_year_range_text() -> None:
    assert fmt_year_range(1960, 2017) == "1960–2017"
    assert fmt_year_range(2012, 2012) == "2012"
    assert fmt_year_range(None, None) == ""
    import pandas as pd

    assert fmt_year_range(pd.NA, 1990) == "1990"


@pytest.mark.realdata
def test_real_museums_carry_the_projects_ranges(data_root: Path) -> None:
    with open(data_root / an.MUSEUMS_FILE, newline="", encoding="utf-8") as f:
        raw = {r["museum_id"]: r for r in csv.DictReader(f)}
    m = an.read_anchors_museums(data_root).tables["museums"].set_index("museum_id")
    ranges = {k for k, r in raw.items() if r["year_opened_low"] != r["year_opened_high"]}
    assert len(ranges) == int(m["year_opened"].str.contains("–", regex=False).sum()) > 0
    for name in ("Oriel Plas Glyn Y Weddw", "Compton Down Railway Museum"):
        key = next(k for k, r in raw.items() if r["museum_name"] == name)
        lo, hi = raw[key]["year_opened_low"], raw[key]["year_opened_high"]
        assert lo != hi and m.at[key, "year_opened"] == f"{lo}–{hi}"
    # the count of museums open in 2021 follows the rule on the file's own columns
    def surely_open(r: dict[str, str]) -> bool:
        closed = r["year_closed_low"]
        return int(r["year_opened_high"]) <= 2021 and (closed in ("", "na") or int(closed) > 2021)

    assert int(m["open_2021"].sum()) == sum(surely_open(r) for r in raw.values())


@pytest.mark.realdata
def test_the_pack_shows_the_range_and_says_what_it_means(full_home: Path) -> None:
    from creative_clusters.reporting.section_microclusters import YEAR_RANGE_NOTE
    from creative_clusters.workflows import evidence as E
    from tests.reporting._helpers import pack_context, section

    ctx = pack_context(E.load_national(full_home), "Gwynedd")
    tables = [t for t in section(ctx, "microclusters")["tables"] if t["title"].startswith("Museums")]
    assert tables
    for t in tables:
        col = t["columns"].index("Year opened")
        years = {r[0]: r[col] for r in t["rows"]}
        if "Oriel Plas Glyn Y Weddw" in years:
            assert years["Oriel Plas Glyn Y Weddw"] == "1960–2017"
        if "Compton Down Railway Museum" in years:
            assert years["Compton Down Railway Museum"] == "2012–2016"
        assert (YEAR_RANGE_NOTE in t["notes"]) == any("–" in str(v) for v in years.values())
    full = next(t for t in tables if t.get("annex", True))
    assert {"Oriel Plas Glyn Y Weddw", "Compton Down Railway Museum"} <= {r[0] for r in full["rows"]}
