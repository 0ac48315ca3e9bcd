"""Sixth review of the packs (helper 3): each test failed before its fix.

Real bundle; expected values come from the source files through the warehouse.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.reporting._model import source_label
from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata



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


_RUN = {"run_id": "rd192179d6b", "created_at": "2026-12-05T10:00:00", "firm_file": "companieshouse_sy.csv.gz",
        "firm_file_sha256": "ab" * 32, "rows_located": 1000, "method": "split",
        "params": '{"eps_m": 1000, "min_firms": 50}', "synthetic": False, "address_kind": "registered-office",
        "coverage_lads": "E08000019", "scope": "partial"}


def _with_run(nd, query: str, mc: pd.DataFrame):
    """The pack of ``query`` as if the warehouse held :data:`_RUN` (covering Sheffield) and its catalogue
    record (titled as the importer wrote it before)."""
    from creative_clusters.reporting.context import build_context

    pl = E.resolve_evidence_place(nd, query)
    inp = E.gather_inputs(nd, pl, png=False)
    inp.microclusters, inp.microcluster_run = mc, dict(_RUN)
    inp.sources = [*inp.sources, {"id": "microclusters", "kind": "microclusters", "vintage": "2026-12-05",
                                  "title": "Creative microclusters (split, eps 1000 m, min 50) from "
                                           "companieshouse_sy.csv.gz, run rd192179d6b",
                                  "publisher": "creative-clusters (derived from the firm file)"}]
    return build_context(inp)


def test_the_microcluster_run_is_listed_only_where_it_covers_the_place(nd):
    # was: every pack listed "Creative microclusters ... from companieshouse_southyorkshire_...csv.gz, run r..."
    # in Datasets used, also Belfast's, whose section 6 says the firm file does not cover it
    empty = pd.DataFrame({"microcluster_id": [], "n_firms": []})
    belfast = _with_run(nd, "Belfast", empty)
    assert "does not cover Belfast" in " ".join(section(belfast, "microclusters")["sentences"])
    assert "microclusters" not in {s["id"] for s in belfast["sources"]}
    mc = pd.DataFrame({"microcluster_id": ["MC0001"], "n_firms": [120], "lad_code": ["E08000019"]})
    sheffield = _with_run(nd, "Sheffield", mc)
    rec = next(s for s in sheffield["sources"] if s["id"] == "microclusters")
    # the run said in words (its date and file), its id kept and labelled as such
    assert rec["title"] == ("Creative microclusters (split, eps 1000 m, min 50): microcluster run of 2026-12-05 "
                            "on companieshouse_sy.csv.gz, run id rd192179d6b")
    used = next(t for t in section(sheffield, "sources")["tables"] if t["title"] == "Datasets used")
    assert [r[1] for r in used["rows"] if r[0] == "microclusters"] == [rec["title"]]


@pytest.mark.parametrize("query", ["ttwa:Reading", "ttwa:Cambridge"])
def test_a_ttwa_rank_names_the_nations_the_lad_lookup_covers(nd, full_warehouse, query):
    # was: "among the 134 travel-to-work areas of the UK ... it ranked 11th" and a "Rank in the UK" column,
    # although the LAD-to-TTWA lookup holds no Scottish or Northern Irish LAD (the UK has 228 TTWAs)
    from creative_clusters.geography.place import NATIONS

    lads = full_warehouse.table("lad_ttwa_overlap")["lad24_code"].astype(str)
    nations = [n for k, n in NATIONS.items() if k in set(lads.str[:1])]
    assert nations == ["England", "Wales"]  # what the lookup covers, read from it
    base = " and ".join(nations)
    growth = section(pack_context(nd, query), "growth")
    text = " ".join(growth["sentences"])
    assert f"travel-to-work areas of {base} that hold" in text
    assert "travel-to-work areas of the UK" not in text
    cols = [c for t in growth["tables"] for c in t["columns"] if c.startswith("Rank in")]
    assert f"Rank in {base}" in cols and "Rank in the UK" not in cols


def test_an_unmeasurable_focus_is_named_in_the_summary(nd):
    # was: Dundee's games pack never named games in its summary (docs/evidence.md: "the bid's focus is always
    # named in the summary"); Scotland has no counts by SIC class, so the focus cannot be measured there
    ctx = pack_context(nd, "Dundee City", ("games",))
    text = " ".join(section(ctx, "summary")["sentences"])
    assert "The bid's focus, games (SIC 5821), cannot be measured for Dundee City" in text
    assert "by SIC class" in text
    # one focus and the sub-sector it is measured within, not two focuses
    assert ctx["title"].endswith("Games (SIC 5821, within IT, software and computer services)")
    sheffield = pack_context(nd, "Sheffield", ("games",))  # counted by SIC class: no such sentence
    assert "cannot be measured" not in " ".join(section(sheffield, "summary")["sentences"])
