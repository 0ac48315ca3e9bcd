"""Round 18 audit of the trajectory wording in the packs (each test failed before its fix).

Expected values are read here from the series file in ``$CREATIVE_CLUSTERS_DATA``, never from a pack's output.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest

from creative_clusters.reporting import findings as F
from creative_clusters.reporting.place_findings import _growth_caveats


def _bromsgrove(data_root: Path) -> dict[str, float]:
    path = data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return {r["Year"]: float(r["Enterprise Count"]) for r in csv.DictReader(fh) if r["Region"] == "Bromsgrove"}


def _strength(s: dict[str, float], flagged: set[str]) -> F.Finding:
    gf = F.growth_finding("Bromsgrove", window="2015–2025", start=s["2015"], end=s["2025"],
                          cagr=(s["2025"] / s["2015"]) ** 0.1 - 1, nation="England", nation_cagr=0.0,
                          flagged=False, source="s", years=10.0)
    assert gf is not None and gf.kind == "strength"  # the premise: a growth strength
    series = [SimpleNamespace(period=y, value=v, flags=("outlier",) if y in flagged else ())
              for y, v in sorted(s.items())]
    t = SimpleNamespace(trajectory="", trajectory_reason="", series=series)
    _growth_caveats(gf, t, SimpleNamespace(start="2015", end="2025"), "Bromsgrove")
    return gf


def test_bromsgroves_flagged_2018_is_not_the_peak_of_its_growth_strength(data_root):
    # was: "Creative enterprises 380 to 470 (2015–2025) …; but it peaked at 1,360 in 2018 and is 65.4% below that
    # now", on the value the same pack calls probably an error in the source
    s = _bromsgrove(data_root)
    assert s["2018"] == 1360 and s["2015"] < s["2025"]
    claim = _strength(s, {"2018"}).claim
    assert "1,360" not in claim and "2018" not in claim
    rest = {y: v for y, v in s.items() if "2015" < y < "2025" and y != "2018"}
    peak_year, peak = max(rest.items(), key=lambda kv: kv[1])
    if peak > s["2025"] * 1.05:  # a real fall of 5% or more from an unflagged peak is still said
        assert f"peaked at {peak:,.0f} in {peak_year}" in claim
    else:
        assert "peaked at" not in claim


def test_an_unflagged_peak_is_still_named(data_root):
    # the same series with nothing flagged keeps the clause (the fix skips flagged values only)
    s = _bromsgrove(data_root)
    assert "peaked at 1,360 in 2018" in _strength(s, set()).claim


# ------------------------------------------------------------------ 5. a TTWA its one local authority hardly covers

def test_penzance_ttwa_says_first_that_its_figures_are_the_isles_of_scillys(nd, data_root):
    # was: headline "0 Creative enterprises" for the Penzance TTWA, which the majority rule represents by the Isles
    # of Scilly alone (Cornwall is counted in another TTWA), said nowhere plainly
    import pandas as pd

    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows import evidence as E

    lk = pd.read_csv(data_root / "geography" / "ttwa" / "lsoa21_to_ttwa11_derived.csv", dtype=str)
    pz = lk[lk["TTWA11NM"] == "Penzance"]
    scilly = int(pz["lsoa21_code"].isin(_scilly_lsoas(data_root)).sum())
    assert 0 < scilly < len(pz) / 2  # the premise: Scilly holds a small part of the TTWA
    pl = E.resolve_evidence_place(nd, "ttwa:Penzance")
    assert pl.members == ["E06000053"]  # the Isles of Scilly
    ctx = build_context(E.gather_inputs(nd, pl, png=False))
    first = ctx["sections"][0]["sentences"][0]
    assert first.startswith("The Penzance travel-to-work area is represented here by its one local authority, "
                            "the Isles of Scilly")
    assert f"only {scilly} of its {len(pz)} small areas" in first and "Cornwall" in first
    # the population share names whose share it is
    text = " ".join(n for s in ctx["sections"] for t in s["tables"] for n in t.get("notes", []))
    text += " ".join(x for s in ctx["sections"] for x in s["sentences"])
    assert "whose local authority here, the Isles of Scilly, holds" in text
    assert "Penzance travel-to-work area (which holds" not in text


def _scilly_lsoas(data_root):
    import pandas as pd

    lsoa = pd.read_csv(data_root / "geography" / "lsoa21.csv", dtype=str)
    return set(lsoa.loc[lsoa["areanm"].str.startswith("Isles of Scilly"), "areacd"])


def test_a_leeds_like_ttwa_keeps_the_usual_sentence(nd):
    from creative_clusters.workflows import evidence as E

    assert E.resolve_evidence_place(nd, "ttwa:Leeds").member_rule == ""


# ------------------------------------------------------------------ 6. section 3 and the gaps of a devolved LAD

def test_derry_pack_has_no_one_year_claim_and_no_nomis_command(nd):
    # was: "This pack has creative enterprise counts by sub-sector (SIC class) for one year only" (it has none:
    # they cover England), and "Filling the gaps" offered `data import-nomis` for NI's census occupations
    from creative_clusters.reporting.context import OR_INSTEAD, build_context
    from creative_clusters.workflows import evidence as E

    for q in ("Derry City and Strabane", "Glasgow City", "Cardiff"):
        pl = E.resolve_evidence_place(nd, q)
        ctx = build_context(E.gather_inputs(nd, pl, png=False))
        growth = next(s for s in ctx["sections"] if s["id"] == "growth")
        assert not any("for one year only" in m for m in growth["missing"]), q
        assert any("cover England only" in m for m in growth["missing"]), q
        if q != "Cardiff":  # Wales is on Nomis (Census 2021 England and Wales)
            rows = next(t for t in ctx["sections"][-1]["tables"] if t["title"] == "Filling the gaps")["rows"]
            # Nomis holds BRES for Great Britain (Glasgow's workplace employment may be imported from it), not
            # Scotland's or Northern Ireland's census occupations; and nothing at all for Northern Ireland's BRES
            said = [str(r[1]) for r in rows]  # a second command for the same gap says "Or instead:" (round 21)
            for i in range(1, len(said)):
                said[i] = said[i - 1] if said[i] == OR_INSTEAD else said[i]
            assert not any("import-nomis" in str(r[2]) and "(BRES" not in w for r, w in zip(rows, said, strict=True)), (
                q, rows)
            if q.startswith("Derry"):
                assert not any("bres" in str(r[2]) for r in rows), (q, rows)
                scale = next(s for s in ctx["sections"] if s["id"] == "scale")
                assert any("(BRES) covers Great Britain only" in m for m in scale["missing"]), scale["missing"]
            bench = next(s for s in ctx["sections"] if s["id"] == "benchmark")
            notes = " ".join(str(r[-1]) for t in bench["tables"] for r in t["rows"])
            assert ("NISRA's Census 2021" if q.startswith("Derry") else "Scotland's Census 2022") in notes


# ------------------------------------------------------------------ 7. an authority created in 2023; a zero base

def _bench_and_growth(nd, q):
    from creative_clusters.reporting.context import build_context
    from creative_clusters.workflows import evidence as E

    ctx = build_context(E.gather_inputs(nd, E.resolve_evidence_place(nd, q), png=False))
    by = {s["id"]: s for s in ctx["sections"]}
    return by["benchmark"], by["growth"]


def test_north_yorkshire_says_why_its_earlier_rates_are_blank(nd, data_root):
    # was: survival rate listed under "no data yet" and the demography table's blank 2019–2023 rates unexplained
    import pandas as pd

    cc = pd.read_csv(data_root / "geography" / "changes.csv", dtype=str, encoding="utf-8-sig")
    olds = sorted(cc.loc[(cc["newcd"] == "E06000065") & (cc["type"] == "merger"), "oldnm"])
    year = cc.loc[cc["newcd"] == "E06000065", "start"].max()
    bench, growth = _bench_and_growth(nd, "North Yorkshire")
    said = f"North Yorkshire was created in {year}, merging {len(olds)} local authorities"
    assert any(m.startswith(said) and olds[0] in m and "no rates for its code before" in m
               for m in growth["missing"])
    no_data_yet = next(s for s in bench["sentences"] if "no data yet" in s)
    assert "survival" not in no_data_yet.lower()
    assert any("Three-year business survival rate" in s and said in s for s in bench["sentences"])


def test_isles_of_scilly_ten_year_growth_is_a_published_zero_base_not_no_data(nd, series_file):
    s = series_file
    assert s[("Isles of Scilly", "2015")] == 0  # the premise, from the file
    bench, _ = _bench_and_growth(nd, "Isles of Scilly")
    no_data_yet = next(x for x in bench["sentences"] if "no data yet" in x)
    assert "Growth in creative enterprises over ten years" not in no_data_yet
    assert any("Growth in creative enterprises over ten years (%) (its base count was published as 0" in x
               for x in bench["sentences"])


@pytest.fixture(scope="module")
def series_file(data_root):
    path = data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return {(r["Region"], r["Year"]): float(r["Enterprise Count"]) for r in csv.DictReader(fh)}
