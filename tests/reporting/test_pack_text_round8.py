"""Eighth review of the packs' text (rev_1, items 11 to 16): each test failed before its fix.

Real bundle; expected values come from the source files (or the workflow's own tables), never from a pack.
"""

from __future__ import annotations

import collections
import re

import pandas as pd
import pytest

from creative_clusters.classifications import dcms
from creative_clusters.indicators.lq_over_time import NEAR_ONE
from creative_clusters.workflows import evidence as E
from tests.reporting._helpers import pack_context, section

pytestmark = pytest.mark.realdata

PLACES = ("Brighton and Hove", "Middlesbrough", "Cardiff", "Isles of Scilly", "Belfast")
GAPS = "Filling the gaps"



@pytest.fixture(scope="module")
def packs(nd):
    return {q: pack_context(nd, q) for q in PLACES}


def _body(ctx):
    """(section id, where, text) of every reader-facing string but the Filling the gaps table."""
    for s in ctx["sections"]:
        for k in ("sentences", "missing", "methods"):
            for x in s.get(k) or []:
                yield s["id"], k, str(x)
        for t in s["tables"]:
            if t["title"] == GAPS:
                continue
            for n in t["notes"]:
                yield s["id"], t["title"], str(n)
            for r in t["rows"]:
                yield from ((s["id"], t["title"], v) for v in r if isinstance(v, str))


def _gaps(ctx):
    return next((t for t in section(ctx, "sources")["tables"] if t["title"] == GAPS), None)


# --- 11: internal jargon, commands and handles in the body ---------------------------------------------

def test_the_body_carries_no_command(packs):
    # was: the Sources table's note ended "(`creative-clusters data status --json`)", a command outside
    # the Filling the gaps table, which the README says is the only place for them
    for q, ctx in packs.items():
        bad = [(sid, where, x[:90]) for sid, where, x in _body(ctx) if "creative-clusters " in x]
        assert not bad, q


def test_body_text_names_no_extract_handle_or_nomis_code(packs):
    # was: "Nomis employment status 4, the measure Nesta's beis-indicators extract requested" (BRES notes) and
    # "(…, via Nomis; extract by debs4451/creative-industries-atlas)" under the annual series table; the
    # extracts are credited where provenance belongs, the Sources section's "Datasets used" table
    for q, ctx in packs.items():
        bad = [(sid, where, x[:90]) for sid, where, x in _body(ctx)
               if where != "Datasets used" and re.search(r"debs4451|status 4|beis-indicators", x)]
        assert not bad, q
        credited = " ".join(str(v) for t in section(ctx, "sources")["tables"] if t["title"] == "Datasets used"
                            for r in t["rows"] for v in r)
        assert "debs4451/creative-industries-atlas" in credited, q  # the provenance stays


def test_missing_anchors_and_microclusters_say_what_the_pack_lacks(nd, packs):
    # was: "No microclusters in the warehouse. …", "Higher-education providers are not in the warehouse
    # (dataset anchors_hei)."; a reader is told what the pack does not include (and who publishes it)
    inp = E.gather_inputs(nd, E.resolve_evidence_place(nd, "Brighton and Hove"), png=False)
    missing = " ".join(section(packs["Brighton and Hove"], "microclusters")["missing"])
    assert "warehouse" not in missing and "anchors_hei" not in missing and "anchors_museums" not in missing
    if inp.microclusters is None:  # the bundle has no microcluster run: the gap is said plainly
        assert "This pack does not include creative microclusters" in missing


def test_the_body_speaks_to_bid_readers(packs):
    # was (all packs): "No data in the warehouse." 16 times in Brighton's, "(the command is under Filling the
    # gaps, section 9)", "in the warehouse for one year only (the annual series above …)"
    for q, ctx in packs.items():
        bad = [(sid, where, x[:90]) for sid, where, x in _body(ctx)
               if re.search(r"warehouse|the command is under|evidence gates|series above", x)]
        assert not bad, q


def test_every_gap_sent_to_filling_the_gaps_is_there_with_a_way(packs):
    # the body points readers to the table: then it exists, and every row gives a way (a command; each command
    # is listed once, under the first section that needs it)
    for q, ctx in packs.items():
        table = _gaps(ctx)
        rows = table["rows"] if table else []
        assert all(str(r[1]).strip() and str(r[2]).strip() for r in rows), q
        pointed = [s["title"] for s in ctx["sections"] if s["id"] != "sources"
                   and any(GAPS in x for _sid, _w, x in _body({"sections": [s]}))]
        assert not pointed or rows, (q, pointed)
        assert not pointed or set(pointed) & {r[0] for r in rows}, q


# --- 12: notes said once per section --------------------------------------------------------------------

def test_no_note_is_repeated_within_a_section(packs):
    # was: the five BRES paragraphs ("Great Britain, not the UK: BRES covers Great Britain only …", …) under
    # both the by-year table and the shift-share table of section 3, word for word
    for q, ctx in packs.items():
        for s in ctx["sections"]:
            said = [*s.get("missing", []), *(n for t in s["tables"] for n in t["notes"])]
            twice = [x[:80] for x, n in collections.Counter(map(str, said)).items() if n > 1 and len(x) > 40]
            assert not twice, (q, s["id"])


def test_the_bres_notes_stay_with_the_shift_share(packs):
    growth = section(packs["Brighton and Hove"], "growth")
    notes = [n for t in growth["tables"] for n in t["notes"]]
    assert sum(n.startswith("Great Britain, not the UK") for n in notes) == 1
    shift = next(t for t in growth["tables"] if t["title"].startswith("Creative employment growth and shift-share"))
    assert any(n.startswith("Great Britain, not the UK") for n in shift["notes"])


# --- 13: no talk of a change of side where the LQ never changes side ----------------------------------

@pytest.mark.parametrize("query", ["Cardiff", "Glasgow City"])
def test_no_near_one_sentence_for_a_series_on_one_side_of_1(nd, query):
    # was: Cardiff (LQ 1.03, 1.00, 1.01, …, 1.11) "In 2018, 2019, 2021 and 2022 the LQ moved to or from 1.00
    # (within 0.005 of 1, …): too close to 1 to call a change of side."; Glasgow the same for 2021 and 2023
    inp = E.gather_inputs(nd, E.resolve_evidence_place(nd, query), png=False)
    t = inp.trajectory
    lqs = [y.lq for y in t.series if y.lq is not None]
    assert not any(v < 1 - NEAR_ONE for v in lqs)  # the premise: never clearly below 1
    assert any(why == "near-one" for _p, why, _a, _b in t.lq_crossings_set_aside)  # …though moves touch 1.00
    text = " ".join(x for s in pack_context(nd, query)["sections"] for x in s["sentences"])
    assert "moved to or from 1.00" not in text


# --- 14: a share that is not 0 never prints as 0% --------------------------------------------------------

def test_a_small_population_share_keeps_its_digits(nd, packs):
    # was: "Isles of Scilly holds 0% of its population" (of Cornwall and the Isles of Scilly's)
    pop = nd.population
    share = float(pop["E06000053"] / (pop["E06000053"] + pop["E06000052"]))
    assert 0 < share < 0.005  # the premise: it rounds to 0 at whole percents
    notes = " ".join(n for t in section(packs["Isles of Scilly"], "growth")["tables"] for n in t["notes"])
    assert f"Isles of Scilly (which holds {share * 100:.1f}% of its population)" in notes
    assert not re.search(r"holds 0% of", notes)


# --- 16: rounding noise is not "the largest rise" ---------------------------------------------------------

#: Nomis's banded rounding of BRES cells, from the data's README / the importer's notes (below, step).
BANDS = ((50, 5), (500, 25), (1000, 100), (5000, 250), (float("inf"), 1000))


def _bres_changes(data_root, nuts2: str, start: str, end: str) -> pd.DataFrame:
    """Each DCMS sub-sector's change of employment in ``nuts2`` and its rounding noise, from the files."""
    frames = []
    for y in (start, end):
        raw = pd.read_csv(data_root / "bres_nuts2" / f"nomis_BRES_{y}_TYPE450.csv", dtype={"SIC4": str})
        raw = raw[(raw["geo_cd"] == nuts2) & raw["SIC4"].map(dcms.is_creative_sic)]
        frames.append(raw.assign(sub=raw["SIC4"].map(dcms.subsector_of), year=y,
                                 half=raw["value"].map(lambda v: next(s for b, s in BANDS if v < b) / 2)))
    t = pd.concat(frames)
    by = t.pivot_table(index="sub", columns="year", values="value", aggfunc="sum", fill_value=0)
    return pd.DataFrame({"change": by[end] - by[start], "noise": t.groupby("sub")["half"].sum()})


def test_a_largest_rise_or_fall_is_beyond_rounding_noise(data_root, packs):
    # was: "In the Tees Valley and Durham the largest rise was in Advertising and marketing (+35, 12.3%)",
    # a change inside the rounding of the six published cells it adds
    growth = section(packs["Middlesbrough"], "growth")
    table = next(t for t in growth["tables"] if t["title"].startswith("Creative employment growth and shift-share"))
    start, end = re.search(r"(\d{4})–(\d{4})$", table["title"]).groups()
    ch = _bres_changes(data_root, "UKC1", start, end)
    adv = ch.loc["Advertising and marketing"]
    assert 0 < adv["change"] <= adv["noise"]  # the premise
    assert ch["change"].max() == adv["change"]  # … and it is the largest rise
    said = next(x for x in growth["sentences"] if x.startswith(("In the Tees Valley and Durham the largest",
                                                                 "In the Tees Valley and Durham no sub-sector")))
    assert "largest rise was in" not in said
    fall = ch["change"].idxmin()
    if -ch.loc[fall, "change"] > ch.loc[fall, "noise"]:
        assert f"largest fall was in {fall}" in said
    # round 15: a sub-sector whose path swings is named with the others that swing, not weighed for the largest
    # rise (the prose and the year-by-year note list the same sub-sectors); otherwise the rise is within rounding
    swung = " ".join(x for x in growth["sentences"] if "swung between the end years" in x)
    assert "Advertising and marketing" in swung or "rounding" in said
