"""Section 6 on SYNTHETIC inputs (round 16): a run on a premises list without industry codes
(``--all-creative``) is said as clusters of business premises, not creative clusters; the hub rule is the
run's own; an uncovered place gets a route to fill the gap; the count of microclusters is defined."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creative_clusters.reporting.context import build_context
from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
from creative_clusters.workflows.pack_data import load_national


@pytest.fixture(scope="module")
def national(synthetic_home):
    return load_national(synthetic_home)


def _section(ctx, sid):
    return next(s for s in ctx["sections"] if s["id"] == sid)


def _mc(**extra):
    """SYNTHETIC microclusters of Alphaville (E09000090): two full size, one below a floor of 50."""
    return pd.DataFrame({
        "microcluster_id": ["MC1", "MC2", "MC3"], "n_firms": [300, 80, 40], "meets_min_firms": [True, True, False],
        "area_km2": [1.0, 0.2, 0.1], "density_per_km2": [300.0, 400.0, 400.0], "stability": [1.0, 0.9, 0.5],
        "top_postcode_share": [0.4, 0.05, 0.1], "n_hub_firms": [200, 0, 0],
        "lad23_code": ["E09000090"] * 3, **extra})


def _run(**kw):
    params = {"eps_m": 1000.0, "min_firms": 50, "max_extent_km2": 5.0, "hubs": "downweight",
              "hub_min_companies": 100, **kw.pop("params", {})}
    return {"run_id": "rSYNTH00001", "created_at": "2026-12-07T10:00", "firm_file": "SYNTHETIC_premises.xlsx",
            "firm_file_sha256": "0" * 64, "rows_located": 11151, "rows_unlocated": 0, "method": "split",
            "params": json.dumps(params), "synthetic": True, "address_kind": "trading",
            "coverage_lads": "E09000090", "scope": "partial", "n_microclusters": 2, **kw}


def _pack(national, mc, run, **inp_kw):
    pl = resolve_evidence_place(national, "Alphaville")
    inp = gather_inputs(national, pl, png=False)
    inp.microclusters, inp.microclusters_national, inp.microcluster_run = mc, 2, run
    inp.microcluster_hulls = None
    for k, v in inp_kw.items():
        setattr(inp, k, v)
    ctx = build_context(inp)
    return ctx, _section(ctx, "microclusters")


def _text(sec):
    return " ".join([*sec["sentences"], *sec["missing"],
                     *(n for t in sec["tables"] for n in [t["title"], *t["columns"], *t["notes"]])])


def test_all_creative_run_is_premises_of_all_kinds_not_creative_clusters(national):
    mc = _mc(dominant_subsector=["unknown"] * 3, dominant_share=[1.0] * 3, in_area_cluster=[True] * 3)
    _, sec = _pack(national, mc, _run(params={"all_creative": True}))
    text = _text(sec)
    assert "creative microcluster" not in text.lower() and "creative firms" not in text
    assert "registered-office" not in text and "shared-postcode hubs" in text
    assert "not evidence of creative clustering" in text and "no industry codes" in text
    assert "--all-creative" in text
    t = sec["tables"][0]
    assert "Dominant sub-sector" not in t["columns"] and "Dominant share (%)" not in t["columns"]
    assert "Inside an area-level cluster" not in t["columns"]
    assert "unknown" not in [str(v) for r in t["rows"] for v in r]
    assert t["columns"][1] == "Premises" and "Density (premises/km²)" in t["columns"]
    assert not t["title"].lower().startswith("creative")


def test_trading_run_names_shared_postcode_hubs(national):
    mc = _mc(dominant_subsector=["design", "design", "film_tv"], dominant_share=[0.5, 0.6, 0.7])
    _, sec = _pack(national, mc, _run())
    run_sentence = next(s for s in sec["sentences"] if s.startswith("The microclusters come from"))
    assert "shared-postcode hubs down-weighted" in run_sentence and "registered-office" not in run_sentence
    assert "premises (trading addresses, creative by SIC code)" in run_sentence


@pytest.mark.parametrize("kind", ["registered", "trading"])
def test_hub_rule_is_the_runs_own(national, kind):
    mc = _mc(dominant_subsector=["design"] * 3, dominant_share=[0.5] * 3)
    _, sec = _pack(national, mc, _run(address_kind=kind, params={"hub_min_companies": 50}))
    text = _text(sec)
    assert "50 or more" in text and "100 or more" not in text


def test_uncovered_place_gets_a_route_to_fill_the_gap(national):
    mc = _mc(dominant_subsector=["design"] * 3, dominant_share=[0.5] * 3).iloc[:0]
    other = _run(run_id="rOTHER00002", firm_file="SYNTHETIC_alpha.csv", is_current=False)
    ctx, sec = _pack(national, mc, _run(coverage_lads="E09000091", firm_file="SYNTHETIC_elsewhere.csv"),
                     microcluster_runs=[other])
    assert any("SYNTHETIC_elsewhere.csv" in s and "does not cover Alphaville" in s for s in sec["sentences"])
    gaps = next(t for s in ctx["sections"] for t in s["tables"] if t["title"] == "Filling the gaps")
    cmds = [r[2] for r in gaps["rows"]]
    assert any(c.startswith("creative-clusters microclusters FILE") for c in cmds)
    assert "creative-clusters data fetch companies-house" in cmds
    assert "creative-clusters microclusters-runs --use rOTHER00002" in cmds


def test_count_of_microclusters_is_defined_with_the_groups_below_the_floor(national):
    mc = _mc(dominant_subsector=["design"] * 3, dominant_share=[0.5] * 3, national_rank=[1, 2, 3])
    _, sec = _pack(national, mc, _run(n_microclusters=2, n_groups=3, address_kind="registered", synthetic=False))
    first = sec["sentences"][0]
    assert "of the 2 microclusters of at least 50 firms found in the firm file" in first
    assert "3 groups found, 1 below that floor" in first
