"""Section 3 wider-area block: hand-worked shift-share, growth and LQs on a SYNTHETIC table
(computed in ``workflows.wider_area``, formatted by ``reporting.growth_block``),
invariants, sentence wording, the pack integration, and a check on the real BRES data."""

from __future__ import annotations

import dataclasses
import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creative_clusters.reporting import growth_block as GB
from creative_clusters.reporting import sentences_growth as SG
from creative_clusters.reporting._model import _table
from creative_clusters.workflows import wider_area as WA


@pytest.mark.parametrize("module", [GB, SG, WA])
def test_docstring_examples(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)  # as pyproject.toml
    assert res.failed == 0 and res.attempted > 0


def _hand_table() -> pd.DataFrame:
    """SYNTHETIC: areas A and B = the whole economy; 5811 publishing, 6201 IT, 0111 other.

    A: publishing 10 -> 12, IT 20 -> 30, other 70 -> 70 (total 100 -> 112)
    B: publishing 30 -> 30, IT 20 -> 22, other 150 -> 160 (total 200 -> 212)
    """
    rows = [("A", "5811", 10, 12), ("A", "6201", 20, 30), ("A", "0111", 70, 70),
            ("B", "5811", 30, 30), ("B", "6201", 20, 22), ("B", "0111", 150, 160)]
    out = []
    for geo, sic, v0, v1 in rows:
        out += [(geo, sic, "2015", float(v0)), (geo, sic, "2018", float(v1))]
    return pd.DataFrame(out, columns=["geo_code", "industry_code", "period", "value"]).assign(
        disclosure_flag="rounded")


def _area(codes: list[str]) -> tuple[WA.WiderAreaGrowth | None, list[str]]:
    """The block's inputs for ``codes`` of the hand table: its wider-area figures and the codes."""
    return WA.wider_area(_hand_table(), codes), codes


def test_shift_share_growth_and_lq_worked_by_hand():
    r = WA.wider_area_growth(_hand_table(), ["A"]).set_index("industry_code")
    # g = 324/300 - 1 = 0.08; g_pub = 42/40 - 1 = 0.05; g_IT = 52/40 - 1 = 0.30
    pub, it, tot = r.loc["publishing"], r.loc["it_software"], r.loc["_T"]
    assert pub[["national_share", "industry_mix", "competitive"]].tolist() == pytest.approx([0.8, -0.3, 1.5])
    assert it[["national_share", "industry_mix", "competitive"]].tolist() == pytest.approx([1.6, 4.4, 4.0])
    assert tot[["start_value", "end_value", "change"]].tolist() == [30.0, 42.0, 12.0]
    assert tot[["national_share", "industry_mix", "competitive"]].tolist() == pytest.approx([2.4, 4.1, 5.5])
    assert tot["national_growth_pct"] == pytest.approx(8.0)
    assert tot["change_pct"] == pytest.approx(40.0)
    assert tot["cagr_pct"] == pytest.approx(100 * (1.4 ** (1 / 3) - 1))
    assert tot["gb_change_pct"] == pytest.approx(17.5)          # GB creative 80 -> 94
    assert tot["lq_start"] == pytest.approx((30 / 100) / (80 / 300))
    assert tot["lq_end"] == pytest.approx((42 / 112) / (94 / 324))
    assert it["lq_start"] == pytest.approx((20 / 100) / (40 / 300))


def test_two_areas_are_summed_and_the_whole_country_has_no_competitive_effect():
    r = WA.wider_area_growth(_hand_table(), ["A", "B"]).set_index("industry_code")
    assert r.loc["_T", "start_value"] == 80.0 and r.loc["_T", "end_value"] == 94.0
    assert r["competitive"].to_numpy() == pytest.approx(np.zeros(len(r)), abs=1e-9)
    assert r["lq_start"].to_numpy() == pytest.approx(np.ones(len(r)))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 5000), min_size=24, max_size=24))
def test_parts_sum_exactly_to_the_change(values):
    t = _hand_table()
    extra = t.assign(geo_code="C")
    t = pd.concat([t, extra], ignore_index=True)
    t.loc[t["geo_code"] != "C", "value"] = values[:12]
    t.loc[t["geo_code"] == "C", "value"] = [v + 1 for v in values[12:]]  # C keeps every total > 0
    r = WA.wider_area_growth(t, ["A"])
    parts = r["national_share"] + r["industry_mix"] + r["competitive"]
    assert parts.to_numpy() == pytest.approx(r["change"].to_numpy(), abs=1e-6)


def test_block_sentences_table_and_caveats():
    b = GB.growth_block(*_area(["A"]), place="Smallville", nuts2_names={"A": "Area A"}, n_lads=7,
                        focus=["publishing"])
    s = " ".join(b["sentences"])
    assert "Area A, the NUTS2 (2013) area that contains Smallville, rose by 40.0% between 2015 and 2018" in s
    assert "from 30 to 42" in s and "against a rise of 17.5% across Great Britain" in s
    assert "change of +12 jobs" in s and "+2 would have come" in s and "+4 from the mix" in s
    assert "+6 is the competitive effect" in s or "+5 is the competitive effect" in s  # 5.5 rounds to even
    t = b["tables"][0]
    assert set(t) == set(_table("x", ["a"], [[1]]))
    assert all(len(row) == len(t["columns"]) == len(t["formats"]) for row in t["rows"])
    assert t["rows"][0][0] == "Publishing (focus)" and t["rows"][-1][0] == "All creative industries"
    last = dict(zip(t["columns"], t["rows"][-1], strict=True))
    assert last["National share"] + last["Industry mix"] + last["Competitive effect"] == pytest.approx(last["Change"])
    cav = " ".join(b["caveats"])
    # no population share given: "larger", never "much larger" on no evidence
    assert "is larger than Smallville" in cav and "much larger" not in cav and "7 local authorities" in cav
    small = GB.growth_block(*_area(["A"]), place="Smallville", nuts2_names={"A": "Area A"}, n_lads=7,
                            population_share=0.2)
    assert "much larger than Smallville (which holds 20% of its population)" in " ".join(small["caveats"])
    assert "Great Britain, not the UK" in cav and "working owners" in cav and "rounded" in cav
    assert b["sources"] == ["employment_nuts2"] and not b["missing"]  # a kind: the pack cites the latest dataset of it


def test_block_when_the_place_is_the_whole_area():
    b = GB.growth_block(*_area(["A"]), place="Area A", nuts2_names={"A": "Area A"}, n_lads=3, n_members=3)
    assert b["sentences"][0].startswith("Creative industries employment in Area A (a NUTS2 2013 area) rose")
    assert "covers the same 3 local authorities" in b["caveats"][0]


def test_block_missing_inputs_say_what_to_do():
    b = GB.growth_block(None, ["UKE3"], place="P")
    # what the pack lacks, who publishes it, and the command (moved to Filling the gaps); no dataset id in the body
    assert not b["tables"] and "Business Register and Employment Survey" in b["missing"][0]
    assert "`creative-clusters data import DIR`" in b["missing"][0]
    b = GB.growth_block(*_area(["UKN0"]), place="Belfast")
    assert not b["tables"] and "Great Britain only" in b["missing"][0]


def test_sentence_signs_and_wording():
    assert SG.fmt_signed(-1234.4) == "−1,234"
    neg = SG.shift_share_sentence("A", "2015", "2018", -940, 1581, 2715, -5236, 3.45)
    assert "change of −940 jobs" in neg and "−5,236 is the competitive effect" in neg
    assert "grew more slowly in the area" in neg
    assert SG.shift_share_sentence("A", "2015", "2018", None, 1, 2, 3) == ""
    assert SG.wider_area_lq_sentence("A", "2015", "2018", float("nan"), 1.0) == ""
    fall = SG.subsector_change_sentence("A", ["Crafts", "Design"], [-5.0, -50.0], [-2.0, -10.0])
    assert fall == "In A the largest fall was in Design (−50, −10.0%)."


def test_pack_growth_section_carries_the_block(synthetic_home):
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(synthetic_home)
    inp = gather_inputs(nd, resolve_evidence_place(nd, "Alphaville"), png=False)
    assert inp.nuts2_growth is None  # the synthetic warehouse has no BRES: section unchanged
    block = GB.growth_block(*_area(["A"]), place="Alphaville", nuts2_names={"A": "Area A"})
    ctx = build_context(dataclasses.replace(inp, nuts2_growth=block))
    sec = next(s for s in ctx["sections"] if s["id"] == "growth")
    assert sec["tables"][0]["title"].startswith("Business demography")  # existing table stays first
    assert sec["tables"][-1]["title"].startswith("Creative employment growth and shift-share, Area A")
    assert any("Area A, the NUTS2 (2013) area that contains Alphaville" in s for s in sec["sentences"])
    assert "employment_nuts2" in sec["sources"]  # no BRES in this warehouse: the section cites the kind
    assert any("wider NUTS2 (2013) area" in m for m in sec["missing"])


@pytest.mark.realdata
def test_real_sheffield_and_westminster_blocks(full_home):
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(full_home, detect_clusters=False)
    # README check: the GB BRES total lies between 29 and 31 million in each year
    tot = nd.bres_groups.groupby("period")["value"].sum()
    assert ((tot > 29e6) & (tot < 31e6)).all() and sorted(tot.index) == ["2015", "2016", "2017", "2018"]
    for query, area in (("Sheffield", "South Yorkshire"), ("Westminster", "Inner London - West")):
        ctx = build_context(gather_inputs(nd, resolve_evidence_place(nd, query), png=False))
        sec = next(s for s in ctx["sections"] if s["id"] == "growth")
        t = sec["tables"][-1]
        assert area in t["title"]
        for row in t["rows"]:
            r = dict(zip(t["columns"], row, strict=True))
            assert r["Change"] == r["Employment 2018"] - r["Employment 2015"]
            assert r["National share"] + r["Industry mix"] + r["Competitive effect"] == pytest.approx(r["Change"])
        assert any(f"{area}, the NUTS2 (2013) area that contains" in s for s in sec["sentences"])


def test_unknown_area_code_is_a_clear_error():
    from creative_clusters.errors import ParameterError

    with pytest.raises(ParameterError, match="UKN0"):
        WA.wider_area_growth(_hand_table(), ["UKN0"])
