"""Evidence-pack workflow: read the warehouse once, resolve the place, build
the context and render HTML / PDF / Word / Excel.

I/O lives here and in the renderers; :func:`creative_clusters.reporting.build_context`
is pure. Whatever is not in the warehouse becomes a section status
``missing``/``partial`` with plain words on how to get it, never an error.

Hooks for modules other layers provide (used when present):

- ``creative_clusters.workflows.business_counts`` (``lad_business_table``) and
  ``creative_clusters.workflows.detection`` (``detect``, ``find_corridors``): cluster detection
  under each method and corridors;
- reference table ``microclusters`` (LAD column ``lad23_code``, else ``geo_code`` or
  ``lad_code``; optionally ``microcluster_id, n_firms, meets_min_firms,
  dominant_subsector, dominant_share, area_km2, density_per_km2, stability,
  in_area_cluster, top_postcode_share``; ``national_rank`` by firms is added
  over the whole table) and geometry layer ``microclusters`` (EPSG:27700) for
  the section 6 map over ``lad_2023``;
- ``creative_clusters.people.evidence_workforce(wh, members) -> dict`` with
  ``sentences``, ``tables``, ``sources``, ``missing`` for section 5.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters._files import check_out_folder
from creative_clusters.benchmarking.framework import (
    lad_column,
    load_framework,
)
from creative_clusters.config import DEFAULT_FRAMEWORK
from creative_clusters.errors import ClusterToolkitError, ParameterError, WarehouseError
from creative_clusters.geography.place import nation_of, sentence_name
from creative_clusters.geography.resolver import PlaceBook
from creative_clusters.reporting._model import EvidenceInputs, PlaceInfo
from creative_clusters.reporting._national import (
    LAD_VINTAGE,
    micro_in_place,
    n_qualifying,
)
from creative_clusters.reporting.pack_types import PackContext
from creative_clusters.workflows.evidence_stats import (
    BUSINESS_RATES,
    area_profile,
    census_divisions,
    choose_place_peers,
    demography_rate_how,
    demography_values,
    deprivation,
    focus_figure,
    group_growth,
    growth_bases,
    is_lad_code,
    merger_note,
    neighbours,
    pack_intervals,
    peer_pool,
    place_indicator_row,
    rate_bases,
    rate_weights,
    with_group,
)
from creative_clusters.workflows.pack_data import (
    IMPORT_HINT,
    NationalData,
    load_national,
    nuts2_growth,
)
from creative_clusters.workflows.pack_series import (
    NationTables,
    load_series,
    nation_benchmark_tables,
    pack_series_lads,
    pack_series_scale,
    pack_trajectory,
)

__all__ = [
    "FORMATS",
    "LEVEL_ALIASES",
    "PackBatchError",
    "PacksInterrupted",
    "build_all",
    "build_pack",
    "check_level",
    "check_subsectors",
    "gather_inputs",
    "level_codes",
    "level_left_out",
    "lint_codes",
    "place_chain",
    "place_peers",
    "resolve_evidence_place",
    "write_pack",
]

FORMATS = ("html", "pdf", "docx", "xlsx")


def _chain(nd: NationalData, place: PlaceInfo) -> list[str]:
    chain = [place.name, place.code]
    h = nd.hierarchy
    if h is not None and len(place.members):
        hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if "vintage" in h.columns else h
        r = hv[hv["lad_code"].astype(str).isin(place.members)]
        # the combined authority in force now (Newcastle: North East, not North of Tyne, abolished 2024)
        ca = [c for c, ms in _current_cauths(nd).items() if set(place.members) <= set(ms) and c != place.code]
        if len(ca) == 1:
            chain += [nd.names.get(ca[0], ca[0]), ca[0]]
        for col in ("rgn_name", "rgn_code", "ctry_name", "ctry_code"):
            if col in r.columns:
                vals = [v for v in r[col].dropna().astype(str).unique() if v]
                if len(vals) == 1:
                    chain.append(vals[0])
    if len(place.members) == 1 and place.members[0] != place.code:
        chain.append(nd.names.get(place.members[0], place.members[0]))
    chain.append("UK")
    return list(dict.fromkeys(chain))


def _place_book(nd: NationalData) -> PlaceBook:
    """The place book over the pack's national tables (the same resolver as every command)."""
    if nd.areas is None:
        raise WarehouseError("evidence packs need the geography datasets to find places; "
                             "run `creative-clusters data import DIR`.")
    hit = _BOOKS.get(id(nd))
    if hit is not None and hit[0] is nd.areas:
        return hit[1]
    from creative_clusters.workflows.places import book_from_tables

    book = book_from_tables(nd.areas, nd.hierarchy, nd.ttwa_overlap, lad_lookup=nd.lad_nuts2)
    if len(_BOOKS) > 8:
        _BOOKS.clear()
    _BOOKS[id(nd)] = (nd.areas, book)
    return book


_BOOKS: dict[int, tuple[pd.DataFrame, PlaceBook]] = {}


def resolve_evidence_place(nd: NationalData, query: str | None = None, *, name: str | None = None,
                           places: Sequence[str] | None = None) -> PlaceInfo:
    """Resolve a place query, or build a user's group (code ``custom:<slug>``) from LAD codes or names.

    Uses :class:`~creative_clusters.geography.resolver.PlaceBook`, the resolver of
    :func:`creative_clusters.workflows.places.resolve_place`, on the pack's national tables.
    """
    book = _place_book(nd)
    if places:
        pl = book.group(name or "", places)  # unnamed: named after its entries ("Kent and Medway")
    elif not query:
        raise ParameterError("give a PLACE, or --name with --places CODE,CODE,...")
    else:
        pl = book.resolve(query)
    # the name people use ("Bristol", not the register's "Bristol, City of") in every block built from it
    # and a combined authority that shares a region's name by its official name ("North East Combined Authority")
    p = PlaceInfo(code=pl.code, name=sentence_name(pl.name, pl.level), geo_type=pl.level,
                  members=list(pl.members) or [pl.code], also=list(pl.also),
                  member_rule=_unusual_rule(pl) or _thin_ttwa_rule(nd, pl))
    p.chain = _chain(nd, p)
    return p


#: A TTWA whose assigned local authorities hold less than this share of its small areas (LSOAs) is not
#: represented by them: its pack says so first (the Penzance TTWA: the Isles of Scilly, 1 of its 32 LSOAs).
THIN_TTWA_SHARE = 0.5


def _thin_ttwa_rule(nd: NationalData, pl: Any) -> str:
    """For a TTWA whose member LADs (the majority rule) hold under :data:`THIN_TTWA_SHARE` of its LSOAs, the
    sentence saying whose figures the pack shows and what the rest of the TTWA is; ``""`` otherwise."""
    ov = nd.ttwa_overlap
    if str(pl.level) != "ttwa" or ov is None or not {"lad24_code", "ttwa11_code", "lsoa_count"} <= set(ov.columns):
        return ""
    mine = ov[ov["ttwa11_code"].astype(str) == str(pl.code)]
    lsoas = pd.to_numeric(mine["lsoa_count"], errors="coerce").fillna(0)
    total = float(lsoas.sum())
    members = {str(m) for m in pl.members}
    held = float(lsoas[mine["lad24_code"].astype(str).isin(members)].sum())
    if total <= 0 or held / total >= THIN_TTWA_SHARE:
        return ""
    from creative_clusters._text import with_article
    from creative_clusters.geography.membership import lad_ttwa_assignment
    from creative_clusters.reporting.formatting import join_and

    names = [with_article(nd.names.get(m, m)) for m in sorted(pl.members)]
    who = join_and(names)
    others = mine.loc[~mine["lad24_code"].astype(str).isin(members)].sort_values("lsoa_count", ascending=False)
    owner = lad_ttwa_assignment(ov).set_index("lad_code")["ttwa11_code"].astype(str)
    rest = []
    for lad in others["lad24_code"].astype(str).head(3):
        t = owner.get(lad)
        rest.append(with_article(nd.names.get(lad, lad))
                    + (f" (counted in the {nd.names.get(t, t)} travel-to-work area)" if t else ""))
    label = f"the {pl.name} travel-to-work area"
    one = "its one local authority" if len(names) == 1 else "its local authorities"
    return (f"{label} is represented here by {one}, {who}, which hold{'s' if len(names) == 1 else ''} only "
            f"{held:,.0f} of its {total:,.0f} small areas (LSOAs); most of it is in {join_and(rest)}. "
            f"Every figure in this pack is {who}'s, not the travel-to-work area's as a whole (local authorities "
            "are assigned whole to the travel-to-work area holding most of their LSOAs)")


def _unusual_rule(pl: Any) -> str:
    """The resolver's member rule of ``pl`` when it is not its level's usual one, else ``""``."""
    from creative_clusters.geography.place import MEMBER_RULES

    rule = str(getattr(pl, "member_rule", "") or "")
    return rule if rule and rule != MEMBER_RULES.get(str(pl.level), rule) else ""


def place_chain(query: str, home: str | os.PathLike[str] | None = None) -> list[str]:
    """The place and the areas containing it (names and codes, up to region, nation and "UK"),
    read from the warehouse's ``areas`` and ``lad_hierarchy`` tables; for the research search."""
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.places import resolve_place

    with Warehouse(home, read_only=True) as wh:
        pl = resolve_place(wh, query)
        nd = NationalData(framework=load_framework())
        a = wh.table("areas").drop_duplicates("geo_code", keep="first")
        nd.names = dict(zip(a["geo_code"].astype(str), a["geo_name"].astype(str), strict=False))
        if wh.has_table("lad_hierarchy"):
            nd.hierarchy = wh.table("lad_hierarchy")
    p = PlaceInfo(code=pl.code, name=pl.name, geo_type=pl.level, members=list(pl.members) or [pl.code])
    return _chain(nd, p)


def _in_place(table: pd.DataFrame | None, members: Iterable[str]) -> pd.DataFrame | None:
    if table is None:
        return None
    col = lad_column(table)
    if col is None:
        return None
    return table[table[col].astype(str).isin(set(members))].reset_index(drop=True)


def gather_inputs(nd: NationalData, place: PlaceInfo, *, subsectors: Sequence[str] = (),
                  peers: Sequence[str] | None = None, composite: bool = False,
                  build_date: str | None = None, png: bool | str = True, seed: int = 0,
                  workforce: dict[str, Any] | None = None) -> EvidenceInputs:
    """The place's :class:`EvidenceInputs` from national data."""
    micro = micro_in_place(nd.microclusters, place.members)
    hulls = None
    if micro is not None and nd.microcluster_hulls is not None and "microcluster_id" in micro.columns \
            and "microcluster_id" in nd.microcluster_hulls.columns:
        hulls = nd.microcluster_hulls[nd.microcluster_hulls["microcluster_id"].isin(set(micro["microcluster_id"]))]
    missing = {k: list(v) for k, v in nd.missing.items()}
    created = created_note(nd, place)
    if created:  # North Yorkshire, Cumberland, Somerset: why its earlier rates are blank
        missing.setdefault("growth", []).append(created)
    choice = place_peers(nd, place, peers)
    stats = _place_stats(nd, place, choice)
    subsectors, focus = _focus(nd, place, subsectors, stats["lq"])
    if nd.microclusters is not None and micro is None:
        missing.setdefault("microclusters", []).append(
            "The microclusters table has no LAD code column (geo_code or lad_code).")
    employment = _place_employment(nd, place, missing)
    trajectory, why = pack_trajectory(nd, place)
    nation = nation_benchmark_tables(nd, place)  # a LAD outside England: its nation's base and the UK's
    series_scale = pack_series_scale(nd, place)
    if nation is not None and not place.is_single:
        nation = _with_group(nd, place, nation, series_scale)
        stats["indicator_how"] = {**stats["indicator_how"], **nation.how}  # the row section 4 ranks
    return EvidenceInputs(
        trajectory=trajectory, trajectory_missing=why, series_scale=series_scale,
        place=place, framework=nd.framework, subsectors=subsectors, enterprises=nd.enterprises,
        enterprises_period=nd.enterprises_period, enterprise_years=list(nd.enterprise_years),
        demography=_demography_rows(nd, place), census=nd.census,
        active_latest=nd.active_latest,
        indicator_periods=nd.indicator_periods,
        growth_bases=growth_bases(nd.growth_ends, place.members),
        rate_bases=rate_bases(nd.rate_counts, place.members),
        rate_intervals=pack_intervals(nd, place.members),
        area_profile=area_profile(nd.area_profiles, place.code),
        enterprise_classes=0 if nd.class_counts is None else len(nd.class_counts.columns),
        series_lads=pack_series_lads(nd),
        indicators=nd.indicators, names=nd.names, peers=list(peers) if peers else None,
        nation_indicators=nation.nation if nation is not None else None,
        uk_indicators=nation.uk if nation is not None else None,
        nation_notes=nation.notes if nation is not None else {},
        hei=_in_place(nd.hei, place.members) if nd.hei is not None else None,
        museums=_in_place(nd.museums, place.members) if nd.museums is not None else None,
        microclusters=micro,
        microclusters_national=n_qualifying(nd.microclusters), microcluster_hulls=hulls,
        microcluster_run=nd.microcluster_run, microcluster_runs=nd.microcluster_runs,
        lad_area_km2=nd.lad_area_km2,
        clusters=nd.clusters, corridors=nd.corridors, workforce=workforce, inclusion=_inclusion(nd, place),
        geometry=nd.geometry, nuts2_growth=nuts2_growth(nd, place, subsectors), sources=nd.sources,
        missing=missing, composite=composite, seed=seed, employment=employment,
        build_date=build_date, png=png, focus=focus, peer_choice=choice, **stats)


_PEER_TOKENS = {"include-london": False, "exclude-london": True}


def _peer_groups(nd: NationalData, kind: str) -> dict[str, list[str]]:
    """Every place of ``kind`` as its member LADs (the same membership rules as the packs; kept on ``nd``)."""
    if kind not in nd.peer_groups:
        nd.peer_groups[kind] = _peer_groups_uncached(nd, kind)
    return nd.peer_groups[kind]


def _peer_groups_uncached(nd: NationalData, kind: str) -> dict[str, list[str]]:
    if nd.enterprises is None:
        return {}
    lads = [str(c) for c in nd.enterprises.index]
    if kind in ("lad", "custom"):
        return {c: [c] for c in lads}
    if kind == "ttwa" and nd.ttwa_overlap is not None:
        from creative_clusters.geography.membership import lad_ttwa_assignment

        a = lad_ttwa_assignment(nd.ttwa_overlap)
        a = a[a["lad_code"].astype(str).isin(set(lads))]
        return {str(t): sorted(g["lad_code"].astype(str)) for t, g in a.groupby("ttwa11_code")}
    if kind == "cauth" and nd.hierarchy is not None:
        return {c: sorted(m for m in ms if m in set(lads)) for c, ms in _current_cauths(nd).items()}
    col = {"rgn": "rgn_code"}.get(kind)
    h = nd.hierarchy
    if col is None or h is None:
        return {}
    hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if "vintage" in h.columns else h
    hv = hv[hv["lad_code"].astype(str).isin(set(lads)) & hv[col].notna() & (hv[col].astype(str) != "")]
    return {str(c): sorted(g["lad_code"].astype(str)) for c, g in hv.groupby(col)}


def _current_cauths(nd: NationalData) -> dict[str, list[str]]:
    """The combined authorities in force now, each as its member LADs on the data's codes
    (:func:`creative_clusters.geography.membership.current_cauth`): the peers, ``--all --level cauth``,
    a place's chain and the lint set. Computed once per national tables."""
    if nd.current_cauths is None:
        from creative_clusters.geography.membership import current_cauth

        h = nd.hierarchy
        out: dict[str, list[str]] = {}
        if h is not None and {"cauth_code", "vintage"} <= set(h.columns):
            h = current_cauth(h, vintage=LAD_VINTAGE, code_changes=nd.code_changes)
            h = h[(h["vintage"].astype(str) == LAD_VINTAGE) & (h["cauth_code"].fillna("").astype(str) != "")]
            out = {str(c): sorted(g["lad_code"].astype(str)) for c, g in h.groupby("cauth_code")}
        nd.current_cauths = out
    return nd.current_cauths


def place_peers(nd: NationalData, place: PlaceInfo, peers: Sequence[str] | None) -> Any:
    """The place's peers of the same kind and nation (see ``evidence_stats.choose_place_peers``).

    The one peer chooser: the evidence pack and the web benchmark (:func:`~creative_clusters.workflows.
    benchmark.place_benchmark`) both call it, so a place has the same peers and peer percentiles in
    both. ``peers`` are the user's (codes or names, and ``auto`` / ``include-london``); None when the
    national tables lack the counts it compares.
    """
    tokens = [p for p in (peers or []) if p.strip().lower() in _PEER_TOKENS]
    given = [p for p in (peers or []) if p not in tokens] or None
    exclude = _PEER_TOKENS[tokens[-1].strip().lower()] if tokens else None
    kind = place.geo_type if place.geo_type in ("lad", "cauth", "rgn", "ttwa") else "custom"
    if kind == "lad" and not place.is_single:
        kind = "custom"
    beyond = [g for g in (given or []) if is_lad_code(g) and not str(g).strip().upper().startswith("E")]
    if (any(not str(m).startswith("E") for m in place.members) or beyond) and place.geo_type not in ("ctry", "uk"):
        # outside England's counts by SIC class: compared on the measures the annual series has for every LAD
        return _series_peers(nd, place, given, kind)
    if nd.enterprises is None or nd.active_latest is None:
        return None
    if kind not in nd.peer_pools:
        nd.peer_pools[kind] = peer_pool(nd.enterprises.astype(float), nd.active_latest, nd.lad_area_km2,
                                        _peer_groups(nd, kind))
    pool = nd.peer_pools[kind]
    if place.code not in pool.index:
        extra = peer_pool(nd.enterprises.astype(float), nd.active_latest, nd.lad_area_km2,
                          {place.code: list(place.members)})
        if extra.empty:
            return None
        pool = pd.concat([pool, extra])
    method = "structure" if kind == "custom" else "size_structure"
    return choose_place_peers(pool, place.code, kind=kind, place_name=place.label, members=place.members,
                              given=given, exclude_london=exclude, method=method)


def _series_peers(nd: NationalData, place: PlaceInfo, given: Sequence[str] | None, kind: str) -> Any:
    """:func:`~creative_clusters.workflows.evidence_stats.choose_series_peers` on the annual series' measures of
    every UK LAD (a group's row from its members' summed counts and its own LQ against the UK); None without
    the series."""
    from creative_clusters.workflows.evidence_stats import choose_series_peers, series_peer_pool

    load_series(nd)
    lads = pack_series_lads(nd)
    if lads is None:
        return None
    pool = nd.peer_pools.get("series")
    if pool is None:
        pool = series_peer_pool(lads, nd.trajectory.series)
        nd.peer_pools["series"] = pool
    if place.code not in pool.index and given:
        row = pack_series_scale(nd, place) or {}
        mem = [m for m in place.members if m in pool.index]
        series = nd.trajectory.series.assign(period=lambda f: f["period"].astype(str))
        window = str(pool.attrs.get("growth_window", ""))
        first, last = [*window.split("–"), ""][:2] if window else ("", "")
        sums = series[series["geo_code"].isin(mem)].groupby("period")["value"].sum()
        if len(mem) == len(place.members) and mem:
            growth = (float(sums.get(last, np.nan)) / float(sums.get(first, np.nan)) - 1.0) * 100.0 \
                if float(sums.get(first, 0.0)) > 0 else np.nan
            extra = pd.DataFrame({"size": [float(pool.loc[mem, "size"].sum())],
                                  "lq_uk": [float(row.get("business_lq_uk", np.nan))], "growth": [growth]},
                                 index=[place.code])
            attrs = dict(pool.attrs)
            pool = pd.concat([pool, extra])
            pool.attrs.update(attrs)
    return choose_series_peers(pool, place.code, place_name=place.label, members=place.members,
                               names=nd.names, given=given, kind=kind)


def _focus(nd: NationalData, place: PlaceInfo, terms: Sequence[str], lq: Any) -> tuple[list[str], list[Any]]:
    """Split ``--subsector`` words into DCMS sub-sectors and focus activities (exact SIC classes).

    An unknown word raises :class:`ParameterError` with suggestions related by meaning.
    """
    from creative_clusters.classifications.focus import focus_activity

    subs: list[str] = []
    figs = []
    for term in terms:
        act = focus_activity(term)
        if act is not None:
            subs.append(act.subsector)
            if nd.class_counts is not None and lq is not None:
                f = focus_figure(term, act, nd.class_counts, lq, code=place.code, members=place.members)
                if f is not None:
                    figs.append(f)
            continue
        subs.append(_subsector_or_fail(term))
    return list(dict.fromkeys(subs)), figs


def _subsector_or_fail(term: str) -> str:
    """The DCMS sub-sector ``term`` names; :class:`ParameterError` with suggestions related by meaning if none."""
    from creative_clusters.classifications import dcms
    from creative_clusters.classifications.focus import suggest
    from creative_clusters.errors import UnknownCodeError

    try:
        return dcms.resolve_subsector(term)
    except UnknownCodeError as exc:
        hints = suggest(term)
        raise ParameterError(
            f"unknown creative sub-sector or activity {term!r}"
            + (f"; related: {', '.join(hints)}" if hints else "")
            + f". Use a DCMS sub-sector ({', '.join(dcms.SUBSECTORS)}) or one of the activities "
            "games, animation, vfx, music.") from exc


def created_note(nd: NationalData, place: PlaceInfo) -> str:
    """For one local authority created by merging others (ref table ``code_changes``, type ``merger``: North
    Yorkshire, 2023), why Business Demography's rates are blank before a year
    (:func:`~creative_clusters.workflows.evidence_stats.merger_note`); ``""`` otherwise."""
    if nd.code_changes is None or len(place.members) != 1:
        return ""
    code = place.members[0]
    return merger_note(nd.code_changes, nd.demography, code, nd.names.get(code, place.name))


def _demography_rows(nd: NationalData, place: PlaceInfo) -> pd.DataFrame | None:
    """Business demography rows of the place, its members and the UK (what section 3 shows)."""
    from creative_clusters.reporting._model import UK

    d = nd.demography
    if d is None:
        return None
    return d[d["geo_code"].isin({place.code, *place.members, UK})]


def _group_row(nd: NationalData, code: str, geo_type: str, members: Sequence[str], lq: Any,
               values: pd.DataFrame | None = None) -> tuple[Any, dict]:
    """The benchmark row of a place made of LADs (see ``evidence_stats.place_indicator_row``), from ``values``
    (the members' indicator values; default England's base)."""
    latest = nd.active_latest if nd.active_latest is not None else pd.Series(dtype=float)
    vals = nd.indicators if values is None else values
    row, how = place_indicator_row(nd.framework, vals, code=code, geo_type=geo_type, members=members,
                                   published=nd.published, lq=lq, census=census_divisions(nd.census_wide, members),
                                   active=latest, population=nd.population,
                                   growth=group_growth(nd.growth_ends, members),
                                   bases=rate_weights(nd.demography, nd.indicator_periods or {}))
    d = nd.demography
    if d is not None:  # the business rates section 3 shows for the group, for the place and its group peers alike
        dp = demography_values(d[d["geo_code"].isin({code, *members})], code, members)
        if len(dp):
            row, how = _same_business_rates(nd, row, how, dp)
    return row, how


def _with_group(nd: NationalData, place: PlaceInfo, tabs: NationTables,
                series_scale: dict[str, Any] | None) -> NationTables:
    """The nation's and the UK's tables with the row of a group of LADs outside England added.

    Its values as for a group in England (counts summed over the members, rates weighted by their bases,
    business rates from its business demography, growth and the Census share from summed counts), read from
    the members' rows of the UK table (the annual series where the framework says so); its business LQ is
    the series' LQ of the group itself (section 2's, from :func:`pack_series_scale`), not a mean of its
    members'.
    """
    members = list(place.members)
    row, how = _group_row(nd, place.code, place.geo_type, members, None, values=tabs.uk)
    # (a member without the series leaves the sum empty: place_indicator_row's coverage rule)
    for ind in nd.framework.indicators:
        if ind.uk_series == "business_lq_uk" and tabs.notes:
            lq = (series_scale or {}).get("business_lq_uk")
            row[ind.id] = float(lq) if lq is not None else float("nan")
            how[ind.id] = "recomputed from summed counts"
    one = row.to_frame().T
    # a group of one LAD (a TTWA the lookup represents by one LAD) stands in for that LAD: never beside it
    alias = members if len(members) == 1 else []
    nation = pd.concat([tabs.nation.drop(index=alias, errors="ignore"), one.reindex(columns=tabs.nation.columns)])
    uk = None if tabs.uk is None else pd.concat([tabs.uk.drop(index=alias, errors="ignore"),
                                                 one.reindex(columns=tabs.uk.columns)])
    return replace(tabs, nation=nation, uk=uk, how=how)


def _same_business_rates(nd: NationalData, row: pd.Series, how: dict[str, str],
                         demography: pd.DataFrame) -> tuple[pd.Series, dict[str, str]]:
    """A group's business rates in its benchmark row taken from its business demography (section 3's
    values), so each rate has one value in the pack; published values for the area are kept."""
    row, how = row.copy(), dict(how)
    for ind in nd.framework.indicators:
        src = ind.source or {}
        key = (str(src.get("measure", "")), str((src.get("filters") or {}).get("status", "")))
        if ind.id not in BUSINESS_RATES or key not in demography.columns or how.get(ind.id) == "published for the area":
            continue
        s = demography[key].dropna()
        if len(s):
            row[ind.id] = float(s.iloc[-1])
            how[ind.id] = demography_rate_how(ind.id, demography)
    return row, how


def _place_employment(nd: NationalData, place: PlaceInfo, missing: dict[str, list[str]]) -> Any:
    """The place's creative workplace employment (BRES by LAD) with its bounds, or None with the reason added
    to section 2's ``missing``: no table imported, the table lacks the place, or the place lies in Northern
    Ireland (BRES covers Great Britain only)."""
    from creative_clusters.workflows.employment_lad import missing_note, place_employment

    members = place.members or [place.code]
    in_gb = nation_of(members) != "Northern Ireland"
    if nd.employment_lad_meta is None or nd.employment_lad is None or not in_gb:
        missing.setdefault("scale", []).append(str(missing_note(nd.employment_lad_meta, place.name,
                                                                great_britain=in_gb)))
        return None
    got = place_employment(nd.employment_lad, nd.employment_lad_meta, members)
    why = missing_note(nd.employment_lad_meta, place.name, covered=got is not None, single=place.is_single)
    if why:
        missing.setdefault("scale", []).append(why)
    return got


def _place_stats(nd: NationalData, place: PlaceInfo, choice: Any = None) -> dict[str, Any]:
    """The place's statistics for the pack, computed once here (the renderers only show them)."""
    lq = with_group(nd.lq, place.code, place.members) if nd.lq is not None else None
    cen = census_divisions(nd.census_wide, place.members)
    rows: list[pd.Series] = []
    how: dict[str, str] = {}
    vals = nd.indicators
    if vals is not None and place.code not in vals.index and any(m in vals.index for m in place.members):
        row, how = _group_row(nd, place.code, place.geo_type, place.members, lq)
        rows.append(row)
    if vals is not None and choice is not None:  # peers that are groups of LADs get their rows the same way
        kind = place.geo_type if place.geo_type in ("cauth", "rgn", "ttwa") else None
        groups = _peer_groups(nd, kind) if kind else {}
        for p in choice.codes:
            if p not in vals.index and p in groups:
                if lq is not None:
                    lq = with_group(lq, p, groups[p])
                if p not in nd.group_rows:  # a peer's row is the same in every pack: computed once
                    nd.group_rows[p] = _group_row(nd, p, kind or "custom", groups[p], lq)[0]
                rows.append(nd.group_rows[p])
    extra = pd.DataFrame(rows) if rows else None
    near = neighbours(nd.geometry, place.members) if nd.geometry is not None else None
    dep = deprivation(nd.deprivation, place.members) if nd.deprivation else None
    dp: Any = None
    dr: Any = None
    if nd.demography is not None:
        from creative_clusters.reporting._model import UK

        drows = _demography_rows(nd, place)
        dp = demography_values(drows, place.code, place.members)
        dr = demography_values(drows, UK, [])
    return {"lq": lq, "census_divisions": cen, "place_indicators": extra, "indicator_how": how, "neighbours": near,
            "deprivation": dep, "demography_place": dp, "demography_ref": dr}


def _stem(place: PlaceInfo, subsectors: Sequence[str] = (), year: str | int | None = None, *,
          unicode: bool = False) -> str:
    """The packs' file name: the place's name and code (a group's code repeats its name: the name alone),
    then the pack's focus and the year of its counts when they were asked for (``--subsector``, ``--year``),
    so a focused pack never has the all-industries pack's name. The CLI and the web name files by it.

    A sub-sector is named by its short id whatever word asked for it (``film`` and ``film_tv`` are
    ``film_tv``); an activity narrower than its sub-sector (``games``: SIC 5821) by its own word.

    The name is ASCII: accents are dropped ("Môn" → "Mon"); a group whose name leaves nothing ("?", "東京")
    is "group" and its members' codes. ``unicode`` keeps the name's letters as written (the web's RFC 6266
    ``filename*``).

    >>> _stem(PlaceInfo("E08000019", "Sheffield"))
    'Sheffield_E08000019'
    >>> _stem(PlaceInfo("E08000019", "Sheffield"), ["film"]) == _stem(PlaceInfo("E08000019", "Sheffield"), ["film_tv"])
    True
    >>> _stem(PlaceInfo("E08000019", "Sheffield"), ["Film"], "2019")
    'Sheffield_E08000019_film_tv_2019'
    >>> _stem(PlaceInfo("E08000019", "Sheffield"), ["games"])
    'Sheffield_E08000019_games'
    >>> _stem(PlaceInfo("custom:sheffield_and_rotherham", "Sheffield and Rotherham"))
    'Sheffield_and_Rotherham'
    >>> _stem(PlaceInfo("custom:x", "Môn a Gwynedd")), _stem(PlaceInfo("custom:x", "Môn a Gwynedd"), unicode=True)
    ('Mon_a_Gwynedd', 'Môn_a_Gwynedd')
    >>> _stem(PlaceInfo("custom:x", "é")), _stem(PlaceInfo("custom:x", "東京", members=["W06000001"]), ["film"])
    ('e', 'group_W06000001_film_tv')
    """
    import unicodedata

    # letters NFKD does not split into a base letter and a mark, spelt in ASCII
    ascii_letters = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                                   "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})

    def words(text: str) -> str:
        """``text`` as file-name words joined by ``_``: accents dropped (NFKD, combining marks removed, a few
        letters spelt out: ß ss, æ ae, ø o, ł l ...) and every other character a separator; with ``unicode``,
        letters and digits of any script kept as written (NFC)."""
        if unicode:
            return "_".join(w for w in re.split(r"[\W_]+", unicodedata.normalize("NFC", str(text))) if w)
        text = unicodedata.normalize("NFKD", str(text).translate(ascii_letters))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")

    from creative_clusters.classifications import dcms
    from creative_clusters.classifications.focus import focus_activity

    focus: list[str] = []
    for term in subsectors:
        if focus_activity(term) is not None:
            focus.append(str(term).lower())
        else:
            try:
                focus.append(dcms.subsector_short(dcms.resolve_subsector(term)))
            except ClusterToolkitError:
                focus.append(str(term))
    group = place.code.startswith("custom")
    label = words(place.name if group else f"{place.name}_{place.code}")
    if not label:  # nothing left of the name: "group" and the members' codes (the first 4), readable and unique
        codes = list(dict.fromkeys(place.members or [place.code]))
        label = "_".join(["group", *codes[:4], *([f"and_{len(codes) - 4}_more"] if len(codes) > 4 else [])])
    parts = [label, *(words(f) for f in dict.fromkeys(focus)), *([] if year is None else [str(year)])]
    return "_".join(p for p in parts if p)


def write_pack(ctx: PackContext, out_dir: str | os.PathLike[str], stem: str,
               formats: Sequence[str] = FORMATS, *, html: str | None = None) -> list[Path]:
    """Render ``ctx`` in each format into ``out_dir`` (each file written atomically).

    ``html`` is the already rendered HTML of ``ctx``, when the caller has it.
    """
    from creative_clusters.reporting.render_html import render_html

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ParameterError(f"unknown format(s) {bad}; use some of {list(FORMATS)}")
    out = check_out_folder(out_dir)
    paths = []
    if html is None and ("html" in formats or "pdf" in formats):
        html = render_html(ctx)
    if "html" in formats:
        from creative_clusters.reporting._io import atomic_write_text

        assert html is not None  # rendered just above whenever html is asked for
        paths.append(atomic_write_text(out / f"{stem}.html", html))
    if "pdf" in formats:
        from creative_clusters.reporting.render_pdf import write_pdf

        paths.append(write_pdf(ctx, out / f"{stem}.pdf", html))
    if "docx" in formats:
        from creative_clusters.reporting.render_docx import write_docx

        paths.append(write_docx(ctx, out / f"{stem}.docx"))
    if "xlsx" in formats:
        from creative_clusters.reporting.render_xlsx import write_xlsx

        paths.append(write_xlsx(ctx, out / f"{stem}.xlsx"))
    return paths


def _workforce(nd: NationalData, place: PlaceInfo) -> dict[str, Any] | None:
    """Occupations and self-employment for a place whose members have those tables (else ``None``:
    the pack says where they exist and how to fetch them). Used by single and batch packs alike."""
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows.workforce_report import evidence_workforce

    if not nd.workforce_lads & set(place.members):
        return None

    try:
        with Warehouse(nd.home, read_only=True) as wh:
            return evidence_workforce(wh, list(place.members), code=place.code, name=place.name,
                                      geo_type=place.geo_type)
    except ClusterToolkitError:
        return None


def _inclusion(nd: NationalData, place: PlaceInfo) -> Any:
    """Section 5's inclusion and good-work results for ``place`` (the national tables read once, on ``nd``)."""
    from creative_clusters.workflows.inclusion_report import inclusion_evidence, inclusion_national

    if nd.inclusion is None:
        if nd.home is None:
            return None
        from creative_clusters.warehouse import Warehouse

        with Warehouse(nd.home, read_only=True) as wh:
            nd.inclusion = inclusion_national(wh)
    return inclusion_evidence(nd.inclusion, name=place.name, members=list(place.members))


def _pdf_worker(conn: Any) -> None:
    """Forked PDF renderer: import WeasyPrint, then render the one job sent (``None`` = quit).

    While the parent builds the context, the worker also lays out a few lines
    in the pack's stylesheet (thrown away): WeasyPrint's first document pays
    for its user-agent stylesheet, fontconfig and the pack's fonts, and the
    worker would otherwise only be waiting.
    """
    from creative_clusters.reporting.render_pdf import render_pdf, write_pdf

    with contextlib.suppress(Exception):  # a warm-up only: the real job reports its own errors
        from creative_clusters.reporting.render_html import pack_css

        render_pdf(None, f"<html><head><style>{pack_css()}</style></head><body><h1>A</h1><p>a <b>b</b> "
                         "<code>c</code></p><table><tr><th>h</th><td class=\"num\">1</td></tr></table></body></html>")
    job = conn.recv()
    if job is not None:
        path, html = job
        write_pdf(None, path, html)


def build_pack(place: str | None = None, *, home: str | os.PathLike[str] | None = None,
               out: str | os.PathLike[str] = ".", formats: Sequence[str] = FORMATS,
               subsectors: Sequence[str] = (), peers: Sequence[str] | None = None,
               name: str | None = None, places: Sequence[str] | None = None, year: str | None = None,
               build_date: str | None = None, composite: bool = False,
               national: NationalData | None = None,
               framework: str = DEFAULT_FRAMEWORK) -> tuple[PackContext, list[Path]]:
    """Build one pack: resolve, gather, build the context, render. Returns (context, paths).

    The context is built once (each figure drawn once, SVG and, for Word, PNG).
    When the PDF and another format are asked for, the PDF (WeasyPrint, the
    slowest step) is rendered in a forked child process while the parent
    writes the other formats, on separate cores; and the figures are drawn
    by a second child (:class:`~creative_clusters.reporting.figure_worker.FigureWorker`)
    while the parent works out the rest of the pack, so the HTML the PDF
    waits for comes about 0.3 s sooner (matplotlib is imported and warmed up
    there, not on the way to the HTML). Python's cyclic garbage
    collector is paused while the pack is built (``_io.gc_paused``: its passes
    over the pack's many live objects cost about 0.3 s before the HTML and a
    fifth of the PDF, for nothing) and switched back on once it is written.

    ``framework`` is the benchmark framework: a packaged name or a YAML file of
    the user's (:func:`~creative_clusters.benchmarking.framework.load_framework`);
    ignored when ``national`` tables are given (they were read with theirs).
    """
    from creative_clusters.reporting._io import gc_paused

    with gc_paused():
        return _build_pack(place, home=home, out=out, formats=formats, subsectors=subsectors, peers=peers,
                           name=name, places=places, year=year, build_date=build_date, composite=composite,
                           national=national, framework=framework)


def _build_pack(place: str | None, *, home: str | os.PathLike[str] | None, out: str | os.PathLike[str],
                formats: Sequence[str], subsectors: Sequence[str], peers: Sequence[str] | None,
                name: str | None, places: Sequence[str] | None, year: str | None, build_date: str | None,
                composite: bool, national: NationalData | None,
                framework: str = DEFAULT_FRAMEWORK) -> tuple[PackContext, list[Path]]:
    import multiprocessing as mp

    from creative_clusters.reporting.context import build_context, figure_articles
    from creative_clusters.reporting.figure_render import finish_pngs
    from creative_clusters.reporting.figure_worker import FigureWorker

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ParameterError(f"unknown format(s) {bad}; use some of {list(FORMATS)}")
    check_out_folder(out)
    parallel = ("pdf" in formats and len(formats) > 1 and "fork" in mp.get_all_start_methods()
                and not mp.current_process().daemon)
    child = conn = None
    figures = FigureWorker()
    ctx: PackContext | None = None
    sent = False
    if parallel:
        # fork the PDF worker first: it imports WeasyPrint (~1 s) while this process reads the
        # warehouse and builds the context
        conn, child_conn = mp.get_context("fork").Pipe()
        child = mp.get_context("fork").Process(target=_pdf_worker, args=(child_conn,))
        child.start()
        child_conn.close()
        # and a figure worker: matplotlib draws the figures there while this process works out the
        # rest of the pack (reporting.figure_worker)
        figures.start()
    try:
        nd = national or load_national(home, year=year, framework=framework)
        pl = resolve_evidence_place(nd, place, name=name, places=places)
        # one context for every format: each figure is drawn once, as SVG (HTML/PDF) and, when Word
        # is asked for, PNG from the same figure; with the PDF on another core the PNGs are drawn
        # after the HTML has been handed over ("defer")
        png: bool | str = ("defer" if child is not None else True) if "docx" in formats else False
        inp = gather_inputs(nd, pl, subsectors=subsectors, peers=peers, composite=composite,
                            build_date=build_date, png=png, workforce=_workforce(nd, pl))
        ctx = build_context(inp)
        stem = _stem(pl, subsectors, year)
        out = Path(out)
        if child is None:
            return ctx, write_pack(ctx, out, stem, formats)
        assert conn is not None  # the pipe is opened with the child process
        from creative_clusters.reporting.render_html import render_html

        figures.collect()
        figure_articles(ctx)  # the figures' text came from the worker after the context's articles were put in
        html = render_html(ctx)
        pdf_path = out / f"{stem}.pdf"
        out.mkdir(parents=True, exist_ok=True)
        conn.send((str(pdf_path), html))
        sent = True
        figures.collect_pngs()
        finish_pngs(ctx)
        paths = write_pack(ctx, out, stem, [f for f in formats if f != "pdf"], html=html)
    finally:
        figures.close()
        if ctx is not None:
            finish_pngs(ctx, draw=False)  # close any figure left open by an error
        if child is not None and conn is not None:
            if not sent:  # failed before the PDF was asked for: let the worker exit
                with contextlib.suppress(OSError):
                    conn.send(None)
            child.join()
            conn.close()
    if child.exitcode != 0:
        from creative_clusters.errors import DataSourceError

        raise DataSourceError(f"rendering the PDF failed (exit code {child.exitcode}); "
                              "try --format html,docx,xlsx and report the problem")
    order = {f: i for i, f in enumerate(FORMATS)}
    paths.append(pdf_path)
    return ctx, sorted(paths, key=lambda p: order[p.suffix[1:]])


_NATIONAL: NationalData | None = None


def _init_worker(nd: NationalData) -> None:
    global _NATIONAL
    _NATIONAL = nd


#: Cyclic-GC thresholds of a batch worker (Python's default is 700, 10, 10).
BATCH_GC_THRESHOLDS = (20_000, 20, 20)


def _init_batch_worker(nd: NationalData) -> None:
    """A pool worker of :func:`build_all`: the national tables, then the collector settled.

    The tables every pack reads are frozen out of the cyclic collector (as the
    web service's ``settle_heap`` does), and young objects are collected less
    often (the figures make many short-lived objects). Measured on 30 LADs in
    one process (``gc.callbacks``): 1,454 collections taking 0.047 s a pack with
    the defaults, 40 taking 0.021 s with these (about 4% of a pack's time). Only
    in the pool's own processes, never in the caller's.
    """
    import gc

    _init_worker(nd)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)


def _one(code: str, out: str, formats: tuple[str, ...], build_date: str | None,
         subsectors: tuple[str, ...] = ()) -> list[str]:
    from creative_clusters.reporting.context import build_context

    nd = _NATIONAL
    assert nd is not None
    if nd.enterprises is not None and code in nd.enterprises.index:
        pl = PlaceInfo(code=code, name=nd.names.get(code, code))
        pl.chain = _chain(nd, pl)
    else:
        pl = resolve_evidence_place(nd, code)
    # the same inputs as a single pack (build_pack): the batch must not build a different pack
    inp = gather_inputs(nd, pl, subsectors=subsectors, build_date=build_date, png="docx" in formats,
                        workforce=_workforce(nd, pl))
    ctx = build_context(inp)
    return [str(p) for p in write_pack(ctx, out, _stem(pl, subsectors), formats)]


LEVELS = {"lad": "lad_code", "cauth": "cauth_code", "rgn": "rgn_code", "ttwa": "ttwa11_code"}

#: Other spellings ``--level`` accepts for a level of :data:`LEVELS`.
LEVEL_ALIASES = {"ca": "cauth", "combined-authority": "cauth", "region": "rgn", "lads": "lad", "la": "lad"}


def check_level(level: str) -> str:
    """``level`` as a key of :data:`LEVELS` (an alias such as ``region`` or ``ca`` taken as its level), checked
    before any table is read.

    >>> check_level("region"), check_level("CA")
    ('rgn', 'cauth')
    """
    lv = LEVEL_ALIASES.get(str(level).strip().lower(), str(level).strip().lower())
    if lv not in LEVELS:
        raise ParameterError(f"--level must be one of {list(LEVELS)} (or region, ca), got {level!r}")
    return lv


def _pack_lads(nd: NationalData) -> set[str]:
    """Every LAD a pack can be built for: those with creative counts by SIC class (England) and every UK LAD of
    the pack's boundaries (Wales, Scotland and Northern Ireland have the annual series and the other sources)."""
    lads = set(nd.enterprises.index) if nd.enterprises is not None else set()
    h = nd.hierarchy
    if h is not None and "vintage" in h.columns:
        lads |= set(h.loc[h["vintage"].astype(str) == LAD_VINTAGE, "lad_code"].astype(str))
    return lads


def level_codes(nd: NationalData, level: str) -> list[str]:
    """Codes of every place at ``level`` a single pack can be built for: every UK LAD (2023 boundaries), the
    combined authorities in force (England; the devolved nations have none in the hierarchy), the UK's 12
    regions (Wales, Scotland and Northern Ireland as one each), or the TTWAs of England and Wales with a
    local authority assigned to them (:func:`level_left_out` names the others)."""
    level = check_level(level)
    if nd.enterprises is None:
        raise ParameterError(f"no creative business counts in the warehouse. {IMPORT_HINT}")
    lads = _pack_lads(nd)
    if level == "lad":  # every UK LAD on the pack's boundaries (those without creative counts say so)
        return sorted(lads)
    if level == "ttwa":
        if nd.ttwa_overlap is None:
            raise ParameterError(f"--level ttwa needs ref table lad_ttwa_overlap. {IMPORT_HINT}")
        from creative_clusters.geography.membership import lad_ttwa_assignment

        a = lad_ttwa_assignment(nd.ttwa_overlap)
        return sorted(a.loc[a["lad_code"].astype(str).isin(lads), "ttwa11_code"].astype(str).unique())
    h = nd.hierarchy
    if h is None:
        raise ParameterError(f"--level {level} needs the LAD hierarchy (ref table lad_hierarchy). {IMPORT_HINT}")
    if level == "cauth":
        return sorted(c for c, ms in _current_cauths(nd).items() if set(ms) & lads)
    hv = h[h["vintage"].astype(str) == LAD_VINTAGE] if "vintage" in h.columns else h
    hv = hv[hv["lad_code"].astype(str).isin(lads)]
    return sorted(c for c in hv[LEVELS[level]].dropna().astype(str).unique() if c)


def level_left_out(nd: NationalData, level: str) -> dict[str, str]:
    """The places of ``level`` in the reference tables that :func:`level_codes` leaves out, each with why: the
    TTWAs no local authority has most of its LSOAs in (a pack of one alone is approximated by a local authority
    another TTWA counts, so a batch would repeat that TTWA's figures). Empty for the other levels."""
    level = check_level(level)
    if level != "ttwa" or nd.ttwa_overlap is None or "ttwa11_code" not in nd.ttwa_overlap.columns:
        return {}
    have = set(level_codes(nd, level))
    every = set(nd.ttwa_overlap["ttwa11_code"].dropna().astype(str))
    return dict.fromkeys(sorted(every - have), "no local authority has most of its LSOAs in it, so --all leaves "
                         "it out (`evidence ttwa:NAME` builds it alone, approximated by the local authority with "
                         "most LSOAs in it, which another travel-to-work area counts)")


def lint_codes(nd: NationalData) -> dict[str, list[str]]:
    """Every place a pack can be built for: UK LADs (2023 boundaries), combined authorities,
    regions (and the devolved nations' equivalents in the hierarchy) and the TTWAs of England and Wales."""
    out: dict[str, list[str]] = {"lad": sorted(nd.geometry["geo_code"].astype(str)) if nd.geometry is not None else []}
    out["cauth"] = sorted(_current_cauths(nd))
    h = nd.hierarchy
    out["rgn"] = level_codes(nd, "rgn") if h is not None and nd.enterprises is not None else []
    out["ttwa"] = level_codes(nd, "ttwa") if nd.ttwa_overlap is not None else []
    return out


class PackBatchError(ClusterToolkitError):
    """Some packs of a batch failed; the others were written. ``failures`` maps code -> reason; ``names`` maps
    code -> the place's name, said beside its code. Places that failed for the same reason are listed on one
    line."""

    def __init__(self, failures: dict[str, str], n: int, paths: list[Path],
                 names: Mapping[str, str] | None = None) -> None:
        self.failures, self.paths = failures, paths
        names = names or {}
        by_reason: dict[str, list[str]] = {}
        for c in sorted(failures, key=lambda c: (names.get(c, c), c)):
            by_reason.setdefault(failures[c], []).append(f"{names[c]} ({c})" if names.get(c, c) != c else c)
        lines = []
        for reason, who in list(by_reason.items())[:30]:
            shown = ", ".join(who[:10]) + (f" and {len(who) - 10} more" if len(who) > 10 else "")
            lines.append(f"  {shown}: {reason}")
        more = f"\n  ... and {len(by_reason) - 30} more reasons" if len(by_reason) > 30 else ""
        super().__init__(f"{len(failures)} of {n} packs failed ({n - len(failures)} written):\n"
                         + "\n".join(lines) + more)


class PacksInterrupted(KeyboardInterrupt):
    """``build_all`` stopped by the user (Ctrl-C): ``written`` packs of ``n`` were written, in ``paths``."""

    def __init__(self, written: int, n: int, paths: list[Path]) -> None:
        super().__init__(f"interrupted: {written} of {n} written")
        self.written, self.n, self.paths = written, n, paths


def _reason(exc: BaseException) -> str:
    """A failed pack's reason in words, without the exception's class name (which means nothing to a user): the
    toolkit's own message, or the system's for a path it refuses."""
    if isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
    else:
        text = str(exc) or "an unexpected error (no message)"
    return text.splitlines()[0][:300]


def check_subsectors(terms: Sequence[str]) -> None:
    """Raise :class:`ParameterError` for a ``--subsector`` word that is neither a DCMS sub-sector nor a focus
    activity, before any table is read (the same check and message as a pack's)."""
    from creative_clusters.classifications.focus import focus_activity

    for term in terms:
        if focus_activity(term) is None:
            _subsector_or_fail(term)


def build_all(*, level: str = "lad", home: str | os.PathLike[str] | None = None,
              out: str | os.PathLike[str] = ".", formats: Sequence[str] = ("html", "xlsx"),
              workers: int = 2, build_date: str | None = None, limit: int | None = None,
              progress: Callable[[int, int, str], None] | None = None,
              national: NationalData | None = None, subsectors: Sequence[str] = ()) -> list[Path]:
    """Packs for every place at ``level`` in parallel (:func:`level_codes`): ``lad`` (every UK LAD),
    ``cauth`` (combined authorities), ``rgn`` (the UK's 12 regions, the devolved nations as one each) or
    ``ttwa`` (England and Wales), each with the focus ``subsectors`` if given.

    ``level``, ``workers`` (at least 1) and ``out`` (a folder) are checked before the tables are read. Every
    place is attempted; when any fails, :class:`PackBatchError` lists each failure (place, code and reason) after
    the others are written, so the command exits non-zero with a summary. Ctrl-C raises
    :class:`PacksInterrupted` saying how many were written.
    """
    level = check_level(level)
    if int(workers) < 1:
        raise ParameterError(f"--workers must be 1 or more, got {workers}")
    check_out_folder(out)  # a file given as --out fails here, not after every pack
    subs = tuple(subsectors)
    check_subsectors(subs)
    nd = national or load_national(home)
    codes = level_codes(nd, level)[:limit]
    paths: list[Path] = []
    failures: dict[str, str] = {}
    done = 0
    try:
        if workers <= 1:
            _init_worker(nd)
            for i, c in enumerate(codes, 1):
                try:
                    paths += [Path(p) for p in _one(c, str(out), tuple(formats), build_date, subs)]
                except Exception as exc:
                    failures[c] = _reason(exc)
                done = i
                if progress:
                    progress(i, len(codes), c)
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_batch_worker,
                                     initargs=(nd,)) as ex:
                futs = {ex.submit(_one, c, str(out), tuple(formats), build_date, subs): c for c in codes}
                for i, f in enumerate(as_completed(futs), 1):
                    try:
                        paths += [Path(p) for p in f.result()]
                    except Exception as exc:
                        failures[futs[f]] = _reason(exc)
                    done = i
                    if progress:
                        progress(i, len(codes), futs[f])
    except KeyboardInterrupt:
        raise PacksInterrupted(done - len(failures), len(codes), sorted(paths)) from None
    if failures:
        raise PackBatchError(failures, len(codes), sorted(paths), names=nd.names)
    return sorted(paths)
