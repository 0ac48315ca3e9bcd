"""Sixth review of the packs (helper 3): each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse.
"""

from __future__ import annotations

import pytest

from creative_clusters.reporting._model import source_label
from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def nd(full_home):
    return E.load_national(full_home)


def _cited_labels(ctx) -> set[str]:
    """Every dataset a table names in a 'Source' column (comma-separated reader labels)."""
    out: set[str] = set()
    for sec in ctx["sections"]:
        for t in sec["tables"]:
            if "Source" in t["columns"]:
                i = t["columns"].index("Source")
                out |= {x.strip() for r in t["rows"] for x in str(r[i] or "").split(",") if x.strip()}
    return out


@pytest.mark.parametrize("query", ["Belfast", "Cardiff", "Dundee City", "Highland", "Sheffield"])
def test_every_dataset_a_table_cites_is_in_datasets_used(nd, query):
    # was: Belfast's baseline cited "Local context indicators (2025)" for GVA and museums, but
    # local_indicators was missing from "Datasets used" (no attribution, licence or checksum)
    ctx = pack_context(nd, query)
    listed = {source_label(ctx["sources"], s["id"]) for s in ctx["sources"]}
    used = {r[0] for t in section(ctx, "sources")["tables"] if t["title"] == "Datasets used" for r in t["rows"]}
    assert {s["id"] for s in ctx["sources"]} == used
    assert _cited_labels(ctx) <= listed, query
