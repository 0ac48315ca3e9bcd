"""Sections 2-4 of the evidence pack: scale, growth, benchmark (pure)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.percentiles import percentiles, sensitivity
from creative_clusters.reporting import figures as figs
from creative_clusters.reporting import sentences as S
from creative_clusters.reporting._model import (
    SUBSECTOR_NAMES,
    UK,
    EvidenceInputs,
    PlaceInfo,
    _finish,
    _section,
    _table,
)
from creative_clusters.reporting.metrics import lq_with_interval, national_rank


# ------------------------------------------------------------------ data prep
def _with_group_row(wide: pd.DataFrame, place: PlaceInfo) -> pd.DataFrame:
    """Add the place as a row (sum of members) when it is not a single row already."""
    if place.code in wide.index:
        return wide
    mem = [m for m in place.members if m in wide.index]
    if not mem:
        return wide
    row = wide.loc[mem].sum(min_count=1).to_frame(place.code).T
    return pd.concat([wide, row])


def _active_latest(demog: pd.DataFrame | None) -> tuple[pd.Series, str | None]:
    if demog is None or demog.empty:
        return pd.Series(dtype="float64"), None
    a = demog[(demog["measure"] == "active_enterprises") & (demog["status"].fillna("") == "")]
    if a.empty:
        return pd.Series(dtype="float64"), None
    p = a["period"].max()
    return a[a["period"] == p].set_index("geo_code")["value"].astype(float), p


def _lq_tables(ent: pd.DataFrame, active: pd.Series) -> tuple[pd.DataFrame, pd.Series, float]:
    """LQ wide (place x sub-sector + 'all'), national counts and national active enterprises.

    National = the sum over LADs that have both counts and active enterprises,
    so numerator and denominator cover the same places.
    """
    lads = [c for c in ent.index if str(c)[:3] in LAD_PREFIXES and c in active.index and active[c] > 0]
    full = ent.copy()
    full["all"] = ent.sum(axis=1, min_count=1)
    nat = full.loc[lads].sum()
    nat_active = float(active.loc[lads].sum())
    a = active.reindex(full.index)
    lq = full.div(a.where(a > 0), axis=0) / (nat / nat_active)
    return lq, nat, nat_active


SIZE_UNITS = ("enterprises", "providers", "jobs", "graduates", "GBP")
LAD_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")


def _name(inputs: EvidenceInputs, code: str) -> str:
    return inputs.names.get(code, code)


# ------------------------------------------------------------------ sections
def _scale_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    sec = _section("scale", 2)
    place = inp.place
    if inp.enterprises is None or inp.enterprises.empty:
        sec["missing"].append(
            "No creative business counts in the warehouse. Run `creative-clusters data import DIR` "
            "to load UK Business Counts 2025 (dataset business_counts_2025).")
        return _finish(sec, inp.missing.get("scale"))
    ent = _with_group_row(inp.enterprises.astype(float), place)
    if place.code not in ent.index:
        sec["missing"].append(
            f"UK Business Counts 2025 has no creative enterprise counts for {place.name} ({place.code}); "
            "it covers English local authorities on 2023 boundaries only.")
        return _finish(sec, inp.missing.get("scale"))
    sec["sources"].append("business_counts_2025")
    active = st["active"]
    active = active.copy()
    if place.code not in active.index:
        mem = [m for m in place.members if m in active.index]
        if mem:
            active[place.code] = active.loc[mem].sum()
    subs = [c for c in SUBSECTOR_NAMES if c in ent.columns]
    counts = ent.loc[place.code, subs]
    total = float(counts.sum(min_count=1))
    nat_counts = inp.enterprises[subs].sum()
    nat_total = float(nat_counts.sum())
    st["ent_total"] = ent[subs].sum(axis=1, min_count=1)
    st["creative_enterprises"] = total
    st["share_england"] = total / nat_total * 100 if nat_total else np.nan
    sec["sentences"].append(S.enterprises_sentence(place.name, total, st["share_england"],
                                                   period=f"March {inp.enterprises_period}"))
    lq = pd.DataFrame()
    peers = st.get("peers", [])
    if place.code in active.index and len(active):
        sec["sources"].append("business_demography_2024")
        lq, nat, nat_active = _lq_tables(ent, active)
        st["lq_table"] = lq
        st["nat_active"] = nat_active
    ranks_lad = inp.enterprises[subs].sum(axis=1, min_count=1)
    rows, fig_rows = [], []
    focus = set(inp.subsectors)
    order = sorted(subs, key=lambda s: (s not in focus, subs.index(s)))
    for s in [*order, "all"]:
        c = total if s == "all" else float(counts[s])
        label = "All creative industries" if s == "all" else SUBSECTOR_NAMES[s]
        if s in focus:
            label += " (focus)"
        nat_c = nat_total if s == "all" else float(nat_counts[s])
        lqi = {"lq": np.nan, "lo": np.nan, "hi": np.nan}
        if not lq.empty and place.code in lq.index:
            lqi = lq_with_interval(c, float(active[place.code]), float(nat[s]), float(st["nat_active"]))
        col = ranks_lad if s == "all" else inp.enterprises[s]
        rank, n = national_rank(col, place.code) if place.is_single else (None, int(col.notna().sum()))
        prank = None
        if peers and not lq.empty:
            pset = [p for p in [place.code, *peers] if p in lq.index]
            vals = lq.loc[pset, s].dropna()
            if place.code in vals.index:
                prank = int(vals.rank(ascending=False, method="min")[place.code])
        share = c / total * 100 if total and s != "all" else (100.0 if s == "all" else np.nan)
        rows.append([label, c, share, c / nat_c * 100 if nat_c else np.nan,
                     lqi["lq"], lqi["lo"], lqi["hi"], rank, prank])
        if s != "all":
            fig_rows.append((SUBSECTOR_NAMES[s], lqi["lq"], lqi["lo"], lqi["hi"], c))
        else:
            st["lq_all"] = lqi
            st["rank_all"] = (rank, n)
            st["peer_rank_all"] = prank
    sec["tables"].append(_table(
        f"Creative enterprises and business location quotients by sub-sector, {place.name}, March {inp.enterprises_period}",
        ["Sub-sector", "Enterprises", "Share of place's creative enterprises (%)",
         "Share of England (%)", "Business LQ", "LQ 95% low", "LQ 95% high",
         "Rank among English LADs", f"Rank among place and {len(peers)} peers"],
        rows, ["text", "int", "pct", "pct2", "num2", "num2", "num2", "int", "int"],
        ["Enterprises are UK Business Counts (IDBR, March 2025), rounded to 5; England only. "
         "Museums, galleries and libraries (SIC 9101/9102) are not in the source.",
         "LQ = creative share of active enterprises (Business Demography 2024) relative to England: "
         "two sources and years, so treat the level with care. Interval: exact Poisson on the count.",
         "" if place.is_single else "Ranks are given for single local authorities only."]))
    top = max(fig_rows, key=lambda r: (-1 if np.isnan(r[4]) else r[4]), default=None)
    if top and total:
        sec["sentences"].append(S.top_subsector_sentence(place.name, top[0], top[4] / total * 100))
    la = st.get("lq_all", {})
    sec["sentences"].append(S.lq_sentence(place.name, la.get("lq"), la.get("lo"), la.get("hi")))
    rank, n = st.get("rank_all", (None, 0))
    sec["sentences"].append(S.rank_sentence(place.name, rank, n, "creative enterprises",
                                            "English local authorities"))
    if peers and st.get("peer_rank_all"):
        sec["sentences"].append(S.peer_rank_sentence(place.name, st["peer_rank_all"], len(peers),
                                                     "creative business location quotient"))
    spec = [(r[0], r[1]) for r in fig_rows if not np.isnan(r[1]) and r[1] > 1]
    if fig_rows and not np.isnan(fig_rows[0][1]):
        spec.sort(key=lambda t: -t[1])
        sec["sentences"].append(S.subsector_lq_sentence(place.name, [a for a, _ in spec], [b for _, b in spec]))
        st["subsector_lq"] = fig_rows
        sec["figures"].append(figs.lq_bar_figure([r[0] for r in fig_rows], [r[1] for r in fig_rows],
                                                 [r[2] for r in fig_rows], [r[3] for r in fig_rows],
                                                 place=place.name, png=inp.png))
    else:
        sec["missing"].append("No active-enterprise denominators (Business Demography 2024), so no "
                              "location quotients. Import business_demography_2024.")
    # map of the place among its neighbours
    if inp.geometry is not None and len(inp.geometry):
        g = inp.geometry
        inside = g["geo_code"].isin(place.members)
        if inside.any():
            shape = g[inside].union_all() if hasattr(g, "union_all") else g[inside].unary_union
            near = g[g.intersects(shape.buffer(0.001))].copy()
            if not lq.empty:
                near["Creative business LQ"] = near["geo_code"].map(lq["all"])
            st["neighbours"] = [c for c in near["geo_code"] if c not in place.members]
            sec["figures"].append(figs.place_map_figure(
                near, place.members, place=place.name,
                value_col="Creative business LQ" if not lq.empty else None, png=inp.png))
    else:
        sec["missing"].append("No boundaries for a map. Import the geography files with "
                              "`creative-clusters data import DIR` (layer lad_2023).")
    return _finish(sec, inp.missing.get("scale"))


def _demog_values(demog: pd.DataFrame, place: PlaceInfo, active_by_period: pd.DataFrame) -> pd.DataFrame:
    """Place values by period x measure: published for the code, else aggregated from members."""
    d = demog[~demog["measure"].str.endswith(("_lci95", "_uci95"))]
    own = d[d["geo_code"] == place.code]
    if len(own):
        return own.pivot_table(index="period", columns=["measure", "status"], values="value", aggfunc="first")
    mem = d[d["geo_code"].isin(place.members)]
    if mem.empty:
        return pd.DataFrame()
    out = {}
    for (m, s), g in mem.groupby(["measure", "status"]):
        if m == "active_enterprises" or m.endswith("_enterprises") or not m.endswith("_pct"):
            out[(m, s)] = g.groupby("period")["value"].sum(min_count=1)
        else:  # rates: weight by active enterprises (exact for birth/death rates)
            w = g.merge(active_by_period, on=["geo_code", "period"], how="left")
            w = w.dropna(subset=["value", "active"])
            out[(m, s)] = w.groupby("period").apply(
                lambda x: np.average(x["value"], weights=x["active"]) if x["active"].sum() > 0 else np.nan,
                include_groups=False)
    return pd.DataFrame(out)


def _growth_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    """Business demography, then the wider-area (NUTS2) creative employment block when given."""
    sec = _growth_demography(inp, st)
    block = inp.nuts2_growth
    if not block:
        return sec
    sec["sentences"].extend(block.get("sentences", []))
    sec["tables"].extend(block.get("tables", []))
    sec["sources"].extend(block.get("sources", []))
    if block.get("tables"):
        msg = sec["missing"][0] if sec["missing"] and "one year only" in sec["missing"][0] else None
        if msg is not None:
            sec["missing"][0] = msg.replace("so there is no creative trend or shift-share yet",
                                            "so the creative trend and shift-share above are for the wider "
                                            "NUTS2 (2013) area in this section (BRES employment), not the place itself")
    sec["missing"].extend(block.get("missing", []))
    sec["status"] = "ok"
    return _finish(sec)


def _growth_demography(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    sec = _section("growth", 3)
    place = inp.place
    sec["missing"].append(
        "Creative enterprise counts are in the warehouse for one year only, so there is no creative "
        "trend or shift-share yet. Fetch earlier UK Business Counts with "
        "`creative-clusters data fetch business_counts_enterprises --date YEAR`.")
    d = inp.demography
    if d is None or d.empty:
        sec["missing"].append("No business demography in the warehouse. Run `creative-clusters data import DIR` "
                              "(dataset business_demography_2024).")
        return _finish(sec, inp.missing.get("growth"))
    d = d.copy()
    d["status"] = d["status"].fillna("")
    act = d[(d["measure"] == "active_enterprises") & (d["status"] == "")][["geo_code", "period", "value"]]
    act = act.rename(columns={"value": "active"})
    pv = _demog_values(d, place, act)
    if pv.empty:
        sec["missing"].append(f"Business demography has no rows for {place.name}.")
        return _finish(sec, inp.missing.get("growth"))
    sec["sources"].append("business_demography_2024")
    ref_code = UK if (d["geo_code"] == UK).any() else None
    ref = d[d["geo_code"] == ref_code].pivot_table(index="period", columns=["measure", "status"],
                                                   values="value", aggfunc="first") if ref_code else pd.DataFrame()
    ref_name = "the UK"

    def col(frame: pd.DataFrame, m: str, s: str = "") -> pd.Series:
        return frame[(m, s)] if (m, s) in frame.columns else pd.Series(dtype=float)

    a = col(pv, "active_enterprises").dropna()
    ra = col(ref, "active_enterprises").dropna()
    periods = sorted(a.index)
    if len(periods) >= 2:
        p0, p1 = periods[0], periods[-1]
        rg = (ra[p1] / ra[p0] - 1) * 100 if p0 in ra.index and p1 in ra.index else None
        sec["sentences"].append(S.growth_sentence(place.name, "Active enterprises (all industries)",
                                                  p0, p1, a[p0], a[p1], ref_name, rg))
        series = {place.name: [a[p] for p in periods]}
        if len(ra) and all(p in ra.index for p in periods):
            series["UK"] = [ra[p] for p in periods]
        sec["figures"].append(figs.trend_figure(periods, series, what="Active enterprises, all industries",
                                                place=place.name, png=inp.png))
    b, dd = col(pv, "birth_rate_pct").dropna(), col(pv, "death_rate_pct").dropna()
    if len(b) and len(dd):
        p = max(set(b.index) & set(dd.index))
        sec["sentences"].append(S.births_deaths_sentence(
            place.name, p, b[p], dd[p], ref_name,
            col(ref, "birth_rate_pct").get(p), col(ref, "death_rate_pct").get(p)))
    surv_status = sorted({s for (m, s) in pv.columns if m == "survival_rate_pct"})
    surv_rows = []
    for s in surv_status:
        v = col(pv, "survival_rate_pct", s).dropna()
        if len(v):
            p = v.index.max()
            surv_rows.append([f"{s} survival (cohort {p})", v[p], col(ref, "survival_rate_pct", s).get(p)])
    pick = [r for r in surv_rows if r[0].startswith("3-year")] or surv_rows[:1]
    if pick:
        sec["sentences"].append(S.survival_sentence(place.name, pick[0][1], f"{pick[0][0].split(' (')[0]} rate",
                                                    ref_name, pick[0][2]))
    measures = [("active_enterprises", "Active enterprises", "int"), ("birth_rate_pct", "Birth rate (%)", "pct"),
                ("death_rate_pct", "Death rate (%)", "pct"), ("high_growth_rate_pct", "High-growth rate (%)", "pct"),
                ("high_growth_enterprises", "High-growth enterprises", "int")]
    measures = [m for m in measures if (m[0], "") in pv.columns]
    rows = []
    for p in sorted(pv.index):
        rows.append([p, *[col(pv, m)[p] if p in col(pv, m).index else None for m, _, _ in measures],
                     *([col(ref, "active_enterprises").get(p)] if len(ref) else [])])
    cols = ["Year", *[lab for _, lab, _ in measures], *(["UK active enterprises"] if len(ref) else [])]
    fmts = ["text", *[f for _, _, f in measures], *(["int"] if len(ref) else [])]
    notes = ["All industries (ONS Business Demography, released 2025-11-20). 'Active' means any "
             "turnover or employment in the year, so it runs above the March snapshot of UK Business Counts."]
    if place.code not in set(d["geo_code"]):
        notes.append("Not published for this area: counts are sums over its local authorities and rates are "
                     "means weighted by active enterprises (exact for birth and death rates, approximate for the others).")
    sec["tables"].append(_table(f"Business demography, {place.name}", cols, rows, fmts, notes))
    if surv_rows:
        sec["tables"].append(_table(f"Business survival rates, {place.name}", ["Measure", place.name, "UK"],
                                    surv_rows, ["text", "pct", "pct"]))
    return _finish(sec, inp.missing.get("growth"))


#: How the percentile base is kept on one LAD vintage (see ``workflows.evidence.to_lad_vintage``).
BASE_NOTE = ("One base for every indicator: English local authorities on 2023 boundaries (296). Counts "
             "published on older boundaries are summed for areas merged since; rates published only on older "
             "boundaries are not averaged, so a merged area has no value for them. 'Places with data' gives "
             "the base of each percentile.")


def _benchmark_section(inp: EvidenceInputs, st: dict[str, Any]) -> dict[str, Any]:
    sec = _section("benchmark", 4)
    fw, place = inp.framework, inp.place
    vals = inp.indicators
    if vals is None or vals.empty:
        sec["missing"].append("No benchmark indicators could be computed: the warehouse lacks the datasets "
                              f"{', '.join(fw.datasets)}. Run `creative-clusters data import DIR`.")
        return _finish(sec, inp.missing.get("benchmark"))
    vals = _aggregate_indicators(vals, place, inp, st) if place.code not in vals.index else vals
    if place.code not in vals.index:
        sec["missing"].append(f"No benchmark values for {place.name}.")
        return _finish(sec, inp.missing.get("benchmark"))
    peers = st.get("peers", [])
    peers = [p for p in peers if p in vals.index]
    table = percentiles(vals, place=place.code, peers=peers, framework=fw)
    if not place.is_single:  # sizes of a group are not comparable with single local authorities
        size = table["unit"].isin(SIZE_UNITS) & (table["status"] == "ok")
        table.loc[size, ["pct_all", "pct_peers"]] = np.nan
        table.loc[size, "note"] = (f"Not ranked: a total over {len(place.members)} local authorities is not "
                                   "comparable with single ones.")
    st["benchmark"] = table
    dims = {d.id: d.title for d in fw.dimensions}
    rows = [[dims[r.dimension], r.label, r.value, r.pct_all, r.pct_peers, r.n_all,
             "gap" if r.status == "gap" else ("higher is better" if r.direction == "higher" else "lower is better"),
             r.note] for r in table.itertuples()]
    compare = "local authorities" if place.is_single else "local authorities (and this area)"
    sec["tables"].append(_table(
        f"Growth-potential benchmark ({fw.title}, version {fw.version}), {place.name}",
        ["Dimension", "Indicator", "Value", "Percentile: all places", "Percentile: peers",
         "Places with data", "Direction", "Note"], rows,
        ["text", "text", "auto", "num0", "num0", "int", "text", "text"],
        [fw.method_note, f"All places = {compare} with data for the indicator; 100 = best.",
         BASE_NOTE]))
    ok = table[table["status"] == "ok"]
    for r in ok.dropna(subset=["pct_all"]).sort_values("pct_all", ascending=False).head(3).itertuples():
        sec["sentences"].append(S.percentile_sentence(place.name, r.label, r.pct_all, r.n_all,
                                                      r.pct_peers, len(peers) + 1 if peers else 0))
    gaps = table[table["status"] == "gap"]
    sec["sentences"].append(S.gaps_sentence(list(gaps["label"])))
    if peers:
        method = "given by the user" if inp.peers else (
            f"the {len(peers)} local authorities most similar in size (log creative enterprises) and "
            "creative sub-sector mix (standardised shares), by Euclidean distance")
        sec["tables"].append(_table(f"Peer places ({method})", ["Code", "Name", "Creative enterprises"],
                                    [[p, _name(inp, p), st.get("ent_total", pd.Series(dtype=float)).get(p)]
                                     for p in peers], ["text", "text", "int"]))
    else:
        sec["missing"].append("No peers: creative enterprise counts are needed to choose them.")
    sec["figures"].append(figs.percentile_figure(table, place=place.name, png=inp.png))
    if inp.composite:
        res = sensitivity(vals, fw, place.code, n_draws=100, seed=inp.seed)
        sec["sentences"].append(res.note)
        sec["tables"].append(_table("Composite score under alternative weightings", ["Scenario", "Composite", "Rank"],
                                    res.scenarios.values.tolist(), ["text", "num1", "int"],
                                    [f"Rank out of {res.n_places}; 1 = best."]))
    sec["sources"].extend(d for d in fw.datasets)
    return _finish(sec, inp.missing.get("benchmark"))


def _aggregate_indicators(vals: pd.DataFrame, place: PlaceInfo, inp: EvidenceInputs,
                          st: dict[str, Any]) -> pd.DataFrame:
    """Add an indicator row for a multi-LAD place: counts summed, the LQ recomputed, others
    averaged (weighted by active enterprises where known)."""
    mem = [m for m in place.members if m in vals.index]
    if not mem:
        return vals
    sub = vals.loc[mem]
    row = {}
    act = inp.demography
    w = pd.Series(1.0, index=mem)
    if act is not None and not act.empty:
        a, _ = _active_latest(act)
        w = a.reindex(mem).fillna(0.0)
        if w.sum() == 0:
            w = pd.Series(1.0, index=mem)
    for ind in inp.framework.indicators:
        s = sub[ind.id].dropna()
        if s.empty:
            row[ind.id] = np.nan
        elif ind.unit in ("enterprises", "providers", "jobs", "graduates", "GBP") and ind.id != "gva_per_hour":
            row[ind.id] = s.sum()
        elif ind.id == "subsector_diversity":
            row[ind.id] = np.nan
        else:
            ww = w.reindex(s.index).fillna(0.0)
            row[ind.id] = float(np.average(s, weights=ww)) if ww.sum() > 0 else float(s.mean())
    st_lq = st.get("lq_table")
    if st_lq is not None and place.code in st_lq.index:
        lq = st_lq.loc[place.code, "all"]
        row["creative_business_lq"] = lq
        row["subsector_diversity"] = float((st_lq.loc[place.code].drop("all") > 1).sum())
    return pd.concat([vals, pd.DataFrame(row, index=[place.code])])
