"""Run records (round 16): the count of microclusters is those meeting the floor (the groups below it kept
apart), and the catalogue entry's vintage and licence are the firm file's, not the run's (SYNTHETIC files)."""

from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace

import pandas as pd
import pytest

from creative_clusters.microclusters.runs import build_run_record, run_spec
from creative_clusters.sources._base import OGL


def _result():
    mc = pd.DataFrame({"microcluster_id": ["MC1", "MC2", "MC3"], "n_firms": [80, 60, 30],
                       "meets_min_firms": [True, True, False]})
    firms = pd.DataFrame({"lad_code": ["E08000019"] * 170})
    return SimpleNamespace(params={"method": "split", "eps_m": 1000.0, "min_firms": 50, "n_microclusters": 3},
                           firms=firms, microclusters=mc, hierarchy=None, notes=[])


def _report(layout="plain list"):
    return SimpleNamespace(n_rows=170, n_status_kept=170, n_creative=170, n_located=170, synthetic=True,
                           address_kind="registered", layout=layout, failed_rows=())


def test_count_is_microclusters_meeting_the_floor_and_groups_are_kept(tmp_path):
    f = tmp_path / "SYNTHETIC_firms.csv"
    f.write_text("x\n")
    rec = build_run_record(_result(), _report(), f)
    assert rec.n_microclusters == 2 and rec.n_groups == 3


@pytest.mark.parametrize(("name", "layout", "date", "how", "licence"), [
    ("SYNTHETIC_companieshouse_2024-11-01.csv", "Companies House", "2024-11-01", "file name", OGL),
    ("SYNTHETIC_premises_2025_04.xlsx", "business-rates premises list", "2025-04", "file name", "licence not stated"),
    ("SYNTHETIC_firms.csv", "plain list", "2020-03-04", "file modification date", "licence not stated"),
])
def test_vintage_and_licence_are_the_firm_files(tmp_path, name, layout, date, how, licence):
    f = tmp_path / name
    f.write_text("x\n")
    stamp = dt.datetime(2020, 3, 4, 12, tzinfo=dt.UTC).timestamp()
    os.utime(f, (stamp, stamp))
    rec = build_run_record(_result(), _report(layout), f)
    assert (rec.firm_file_date, rec.firm_file_date_source, rec.licence) == (date, how, licence)

    class W:  # an empty warehouse: the run becomes current
        home = tmp_path

        def has_table(self, name):
            return False

        def has_dataset(self, name):
            return False

    res = _result()
    res.microclusters = res.microclusters.assign(geometry=None)
    spec, _ = run_spec(res, rec, f, W())
    assert spec.vintage == date and spec.licence == licence
    assert rec.created_at[:10] in spec.title  # the run's date kept, apart from the vintage
    if licence != OGL:
        assert "Open Government Licence" not in spec.attribution


def test_map_and_catalogue_titles_of_an_all_creative_run_claim_no_creative_clusters():
    from creative_clusters.microclusters.outputs import map_texts
    from creative_clusters.microclusters.runs import run_title

    cat = run_title({"method": "split", "params": '{"eps_m": 1000, "min_firms": 50, "all_creative": true}',
                     "created_at": "2026-12-07T10:00", "firm_file": "SYNTHETIC_list.xlsx", "run_id": "r1"})
    assert "creative" not in cat.lower() and "no industry codes" in cat

    title = map_texts({"method": "split", "eps_m": 1000.0, "min_firms": 50, "n_microclusters": 25,
                       "all_creative": True, "provenance": {"address_kind": "trading"}})[0]
    assert "creative" not in title.lower() and "premises" in title and "no industry codes" in title
