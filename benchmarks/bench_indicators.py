"""Benchmark: every indicator and all four detection methods on the real data.

Scope (issue 3): every English LAD × every DCMS sub-sector with business counts
(plus all creative), and every NUTS2 region × every BRES/IDBR year. Prints the
total compute time (target: under 10 s on a 2-core machine; the warehouse
import and the one-off esda/numba import are reported apart) and the time of
the Gi*/LISA step against esda called directly on the same arrays (ratio).

Usage::

    .venv/bin/python benchmarks/bench_indicators.py --data ../shared/data
    .venv/bin/python benchmarks/bench_indicators.py --home DIR   # already imported
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

NEEDED = ("geography_boundaries", "business_counts_2025", "business_demography_2024",
          "bres_nuts2", "idbr_nuts2")


class Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float]] = []

    def __call__(self, name: str):  # type: ignore[no-untyped-def]
        timer = self

        class _T:
            def __enter__(self) -> None:
                self.t0 = time.perf_counter()

            def __exit__(self, *exc: object) -> None:
                timer.rows.append((name, time.perf_counter() - self.t0))

        return _T()


def run(home: Path) -> None:
    t_imp = time.perf_counter()
    from creative_clusters.clusters import load_esda

    esda = load_esda()
    import pandas as pd

    from creative_clusters.clusters import Corridors, HotspotClusters, StrongClusters, ThresholdClusters
    from creative_clusters.clusters.hotspot import _subset
    from creative_clusters.indicators import (
        growth,
        hoover_index,
        krugman_dissimilarity,
        location_quotient,
        locational_gini,
        period_mean_growth,
        shares,
        shift_share,
        specialisation,
    )
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows import business_counts, nuts2_tables, place_geometry

    import_s = time.perf_counter() - t_imp
    warnings.simplefilter("ignore")
    T = Timer()
    with Warehouse(home, read_only=True) as wh:
        with T("read warehouse tables"):
            counts = business_counts.lad_business_counts(wh)
            den = business_counts.active_enterprises(wh)
            den = den[den["geo_code"].isin(set(counts["geo_code"]))]
            emp = nuts2_tables.nuts2_counts(wh, measure="employment")
            units = nuts2_tables.nuts2_counts(wh, measure="local_units")
            geom = place_geometry.lad_geometry(wh)
            cent = place_geometry.place_centroids(wh, geometry=geom)
        with T("LAD indicators (LQ+CI, shares, specialisation, concentration)"):
            lq = pd.concat([location_quotient(p.drop(columns="geo_vintage"), denominator=den,
                                              allow_mixed_sources=True)
                            for _, p in counts.groupby("industry_code")], ignore_index=True)
            subs = lq[lq["industry_code"] != "_T"]
            shares(subs.drop(columns=["area_total"]).iloc[:, :7])
            _ = specialisation(subs[["geo_code", "industry_code", "value", "lq"]], lq="lq", period=None)
            conc_kw = {"denominator": den, "allow_mixed_sources": True, "period": None}
            sub_counts = counts[counts["industry_code"] != "_T"].drop(columns=["geo_vintage", "period"])
            hoover_index(sub_counts, **conc_kw)
            locational_gini(sub_counts, **conc_kw)
            krugman_dissimilarity(sub_counts, **conc_kw)
        with T("NUTS2 indicators, every year (LQ, specialisation, concentration)"):
            for frame in (emp, units):
                g = nuts2_tables.group_classes(frame, by_subsector=True).drop(columns="geo_vintage")
                nlq = location_quotient(g)
                specialisation(g[g["industry_code"] != "other"], period="period")
                hoover_index(g)
                locational_gini(g)
                krugman_dissimilarity(g)
        with T("NUTS2 growth, period-mean growth, shift-share 2015→2018"):
            ge = nuts2_tables.group_classes(emp, by_subsector=True).drop(columns="geo_vintage")
            growth(ge, start="2015", end="2018")
            period_mean_growth(ge, base=["2015", "2016"], current=["2017", "2018"])
            shift_share(ge, start="2015", end="2018")
        places = lq.rename(columns={"lq": "business_lq", "value": "businesses"}).merge(cent, on="geo_code", how="left")
        with T("Threshold + Strong, LAD × sub-sector and NUTS2 × year"):
            ThresholdClusters(employment_lq=None, size="businesses", min_size=50).fit(places)
            StrongClusters(lq="business_lq", employment=None, establishments="businesses",
                           by=["industry_code"]).fit(places)
            n_emp = nlq[nlq["industry_code"] != "other"]
            ThresholdClusters(employment_lq="lq", business_lq=None, size="value", min_size=1000).fit(n_emp)
            StrongClusters(lq="lq", employment="value", establishments=None,
                           by=["industry_code", "period"]).fit(n_emp)
        g_lad = geom[geom["geo_code"].isin(set(places["geo_code"]))].reset_index(drop=True)
        with T("queen weights"):
            w = place_geometry.build_connectivity(g_lad)
        with T("Gi* + LISA (HotspotClusters, 9 groups x 999 permutations)"):
            hs = HotspotClusters(w, value="business_lq", by=["industry_code"], seed=0).fit(places)
        with T("Corridors on all-creative threshold clusters"):
            allc = places[places["industry_code"] == "_T"].copy()
            allc["cluster"] = ThresholdClusters(employment_lq=None, size="businesses",
                                                min_size=250).fit_predict(allc)
            Corridors(mass="businesses", min_size=1000).fit(allc)
        # esda directly on the same arrays (same weights without the two islands, same seed)
        t0 = time.perf_counter()
        for _, part in places.groupby("industry_code"):
            ids = [i for i in w.id_order if i not in set(hs.islands_)]
            y = part.set_index("geo_code").loc[ids, "business_lq"].to_numpy(dtype=float)
            ws = _subset(w, ids)
            esda.G_Local(y, ws, transform="B", star=True, permutations=999, seed=0, n_jobs=1)
            esda.Moran_Local(y, ws, permutations=999, seed=0, n_jobs=1)
        direct = time.perf_counter() - t0
    total = sum(s for _, s in T.rows)  # the direct-esda comparison is not counted
    n_lad = places["geo_code"].nunique()
    n_sub = places["industry_code"].nunique()
    print(f"creative-clusters indicator benchmark: {n_lad} LADs x {n_sub} industry groups "
          f"(8 sub-sectors with counts + all creative; museums are absent from Business Counts), "
          f"{emp['geo_code'].nunique()} NUTS2 x {emp['period'].nunique()} BRES years / "
          f"{units['period'].nunique()} IDBR years")
    for name, s in T.rows:
        print(f"  {s:7.2f} s  {name}")
    print(f"  total compute: {total:.2f} s  (target < 10 s)  [{'OK' if total < 10 else 'OVER'}]")
    print(f"  one-off import of toolkit + esda: {import_s:.2f} s (not in the total)")
    gi = dict(T.rows)["Gi* + LISA (HotspotClusters, 9 groups x 999 permutations)"]
    print(f"  Gi*/LISA: toolkit {gi:.2f} s vs esda direct {direct:.2f} s  ratio {gi / direct:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="reference-data directory (imports the needed datasets into a temp home)")
    parser.add_argument("--home", help="an already-imported warehouse home")
    args = parser.parse_args()
    if args.home:
        run(Path(args.home))
        return
    data = args.data or os.environ.get("CREATIVE_CLUSTERS_DATA") or str(
        Path(__file__).resolve().parents[1].parent / "shared" / "data")
    from creative_clusters.sources.registry import get_dataset
    from creative_clusters.warehouse import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Warehouse(tmp) as wh:
            wh.import_datasets([get_dataset(d) for d in NEEDED], data)
        print(f"(imported {len(NEEDED)} datasets in {time.perf_counter() - t0:.1f} s, not counted)",
              file=sys.stderr)
        run(Path(tmp))


if __name__ == "__main__":
    main()
