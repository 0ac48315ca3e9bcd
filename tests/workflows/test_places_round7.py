"""Places a user asks for that the data cannot measure as such (reviews of the CLI and web, round 7)."""

from __future__ import annotations

import csv

import pytest

from creative_clusters.errors import PlaceNotFoundError

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def series(data_root):
    path = data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return {(r["Region"], r["Year"]): float(r["Enterprise Count"]) for r in csv.DictReader(fh)}


def test_a_ttwa_approximated_by_a_lad_shows_that_lads_figures_in_every_section(full_warehouse, series):
    """Salisbury's TTWA holds no LAD's majority, so it is approximated by Wiltshire: its workforce, demography
    and deprivation were Wiltshire's while its enterprise counts and series said 'does not cover Salisbury'."""
    from creative_clusters.workflows.places import resolve_place
    from creative_clusters.workflows.placestats import place_statistics
    from creative_clusters.workflows.trajectory import place_trajectory

    sal = resolve_place(full_warehouse, "ttwa:Salisbury")
    assert sal.members == ("E06000054",) and "approximated by Wiltshire" in sal.member_rule
    wilts = place_statistics(full_warehouse, resolve_place(full_warehouse, "Wiltshire"))
    st = place_statistics(full_warehouse, sal)
    ce = st.get("creative_enterprises")
    assert ce is not None and ce.value == wilts.get("creative_enterprises").value
    assert ce.rank is None  # among TTWAs it would count Wiltshire twice (it is Trowbridge's member)
    assert [s.enterprises.value for s in st.subsectors] == [s.enterprises.value for s in wilts.subsectors]
    assert not any("does not cover Salisbury" in m or "no creative-enterprise series" in m for m in st.missing)
    t = place_trajectory(full_warehouse, sal)
    assert {y.period: y.value for y in t.series} == {
        y: series[("Wiltshire", y)] for y in (str(v) for v in range(2010, 2026))}
    assert t.trajectory == "" and "travel-to-work area" in t.trajectory_reason


def test_a_scottish_ttwa_is_refused_with_the_local_authority_to_ask_for(full_warehouse):
    """`anchors ttwa:Glasgow` printed 0 universities and 0 museums (Glasgow City alone has 5 and 27)."""
    from creative_clusters.workflows.places import resolve_place

    with pytest.raises(PlaceNotFoundError, match=r"cannot be measured.*council area.*Glasgow City \(S12000049\)"):
        resolve_place(full_warehouse, "ttwa:Glasgow")
    with pytest.raises(PlaceNotFoundError, match=r"Belfast \(N09000003\)"):
        resolve_place(full_warehouse, "ttwa:Belfast")
    assert resolve_place(full_warehouse, "ttwa:Sheffield").members  # English TTWAs are unchanged


def test_the_north_east_as_the_packs_write_it(full_warehouse):
    from creative_clusters.workflows.places import resolve_place

    assert resolve_place(full_warehouse, "the North East").code == resolve_place(full_warehouse, "North East").code


def test_a_lad_merged_before_the_datas_boundaries_names_its_successor(full_warehouse):
    """'Bournemouth' picked E06000028 (merged into Bournemouth, Christchurch and Poole in 2019): an empty
    profile, and a pack saying no strength passes the evidence gates."""
    from creative_clusters.workflows.places import resolve_place

    with pytest.raises(PlaceNotFoundError, match=r"merged into Bournemouth, Christchurch and Poole \(E06000058\) "
                                                 r"in 2019") as err:
        resolve_place(full_warehouse, "Bournemouth")
    assert err.value.suggestions == ["Bournemouth, Christchurch and Poole"]
    assert resolve_place(full_warehouse, "Bournemouth, Christchurch and Poole").members == ("E06000058",)


def test_the_web_benchmark_ranks_a_welsh_lad_among_the_lads_of_wales(full_home):
    """The web told Cardiff that percentiles are 'shown for single local authorities' (it is one), while its
    pack ranks it among the 22 local authorities of Wales."""
    from creative_clusters.workflows.benchmark import place_benchmark
    from creative_clusters.workflows.pack_data import load_national

    nd = load_national(full_home)
    r = place_benchmark(nd, "Cardiff")
    assert r.table is not None and "22 local authorities of Wales" in r.note
    ok = r.table[r.table["status"] == "ok"]
    assert len(ok) and (ok["n_all"] <= 22).all() and ok["pct_all"].between(0, 100).all()
    assert r.table["pct_peers"].isna().all()
