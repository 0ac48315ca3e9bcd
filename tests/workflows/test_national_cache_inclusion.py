"""Section 5's national inclusion tables are read with the national tables and kept in their disk cache.

Was: every new process (each `evidence PLACE` run) opened the warehouse again to read them, about a quarter
of a second of the one-place time. Real bundle.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows import pack_data
from creative_clusters.workflows.inclusion_report import inclusion_national

pytestmark = pytest.mark.realdata


def test_the_inclusion_tables_come_back_from_the_disk_cache_as_read(full_home):
    pack_data._NATIONAL_CACHE.clear()
    first = pack_data.load_national(full_home)
    pack_data._NATIONAL_CACHE.clear()  # the next load is a new process's: from the disk cache
    again = pack_data.load_national(full_home)
    assert again is not first and again.inclusion is not None
    with Warehouse(full_home, read_only=True) as wh:
        fresh = inclusion_national(wh)
    pd.testing.assert_frame_equal(again.inclusion.job_quality.reset_index(drop=True),
                                  fresh.job_quality.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(again.inclusion.composition.reset_index(drop=True),
                                  fresh.composition.reset_index(drop=True), check_dtype=False)
    assert again.inclusion.deciles["rows"] == fresh.deciles["rows"]
    pd.testing.assert_frame_equal(again.inclusion.deciles["lad_deciles"].reset_index(drop=True),
                                  fresh.deciles["lad_deciles"].reset_index(drop=True), check_dtype=False)


def test_job_quality_and_composition_rows_are_not_rounded_before_they_are_shown(wh):
    """Was: the report rounded each share to 2 decimals and the terminal then printed 1 (15.951 -> 15.95 ->
    "15.9"), while the pack printed 16.0 from the same cell. The producer keeps the published values."""
    from creative_clusters.workflows.inclusion_report import inclusion_national, inclusion_report
    from creative_clusters.workflows.places import resolve_place

    nat = inclusion_national(wh)
    rep = inclusion_report(wh, resolve_place(wh, "Sheffield"))
    assert nat.job_quality is not None and rep["job_quality"] is not None
    shown = [r["share_pct"] for r in rep["job_quality"]["rows"] if r.get("share_pct") is not None]
    published = nat.job_quality["share_pct"].dropna().tolist()
    assert shown == published
    assert any(round(v, 2) != v for v in shown)  # the workbook has more than 2 decimals to keep


def test_every_ethnic_group_and_partnership_of_the_workbook_has_its_written_name(wh):
    """Was: "ethnicity: bangladeshi", "chinese", "indian" beside "Black, African, Caribbean or Black British"."""
    from creative_clusters.workflows.inclusion_report import _STATUS_WORDS, inclusion_national, status_label

    keys = set(inclusion_national(wh).composition["status"].astype(str))
    named = {k for k in keys if k.startswith(("ethnicity=", "sub_regional_partnership="))}
    assert named and named <= set(_STATUS_WORDS)
    assert status_label("ethnicity=bangladeshi") == "ethnicity: Bangladeshi"
