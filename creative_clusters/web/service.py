"""What the web app serves, computed from a read-only warehouse and cached.

No statistics are computed in request handlers: this module calls the library
(workflows, indicators) once per distinct request and caches the result; the
warehouse is opened read-only and guarded by a lock because one DuckDB
connection must not be used from several threads at once.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.classifications.dcms import DEFINITION_VERSION, SUBSECTORS, subsector_short
from creative_clusters.errors import ClusterToolkitError, ParameterError, WarehouseError
from creative_clusters.warehouse import Warehouse

__all__ = ["LEVELS", "MEASURES", "WebService"]

LEVELS = {
    "lad": ("Local authority", "lad_2023"),
    "cauth": ("Combined authority", "cauth_2023"),
    "rgn": ("Region", "rgn"),
    "ttwa": ("Travel-to-work area (2011)", "ttwa_2011"),
}
MEASURES = {
    "business_count": ("Creative enterprises (count)", "count"),
    "business_lq": ("Business location quotient", "ratio"),
    "business_share": ("Creative share of active enterprises (%)", "pct"),
    "cluster_label": ("Cluster (Nesta-style threshold rule)", "category"),
    "hotspot_class": ("Hotspot class (local Moran, FDR 5%)", "category"),
}




def _clean(v: Any) -> Any:
    if isinstance(v, float) and (np.isnan(v) or np.isinf(v)):
        return None
    return v


def _deep_clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _deep_clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_deep_clean(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if (np.isnan(f) or np.isinf(f)) else f
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    return obj


def dumps(obj: Any) -> bytes:
    """Compact JSON bytes; NaN and infinities become null."""
    return json.dumps(_deep_clean(obj), separators=(",", ":"), default=str, allow_nan=False).encode()


class WebService:
    """Cached, read-only access to the warehouse for the web app."""

    def __init__(self, home: str | Path | None = None) -> None:
        self.wh = Warehouse(home, read_only=True)
        self.lock = threading.RLock()
        self._profiles: dict[str, dict[str, Any]] = {}
        self._indicators: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._geometry: dict[str, bytes] = {}
        self._areas: pd.DataFrame | None = None
        self._packs: dict[str, str] = {}
        self._bytes: dict[tuple[str, ...], bytes] = {}
        self._national: Any = None

    # ---------------------------------------------------------------- places
    def areas(self) -> pd.DataFrame:
        """Every area the resolver knows."""
        if self._areas is None:
            from creative_clusters.geography.resolver import load_areas

            with self.lock:
                self._areas = load_areas(self.wh)
        return self._areas

    def resolve(self, query: str) -> Any:
        """Resolve a code or name to a place (with member LADs)."""
        from creative_clusters.workflows.places import resolve

        with self.lock:
            return resolve(self.wh, query)

    def search(self, q: str, limit: int = 10) -> list[dict[str, str]]:
        """Fuzzy place search over names and codes (current vintages first)."""
        from creative_clusters.geography.resolver import search_places

        return search_places(q, self.areas(), limit=limit)

    # ---------------------------------------------------------------- profile
    def profile(self, code: str) -> dict[str, Any]:
        """The place profile (cached)."""
        if code not in self._profiles:
            from creative_clusters.workflows.profile import build_profile, profile_json

            place = self.resolve(code)
            with self.lock:
                prof = profile_json(build_profile(self.wh, place))
                prof["benchmark"] = self._benchmark(place.code)
            self._profiles[code] = json.loads(dumps(prof))
        return self._profiles[code]

    def cached_json(self, key: tuple[str, ...], build: Any) -> bytes:
        """Serialised JSON for ``key``, built once by ``build()`` (responses are immutable)."""
        hit = self._bytes.get(key)
        if hit is None:
            hit = dumps(build())
            self._bytes[key] = hit
        return hit

    # ---------------------------------------------------------------- indicators
    def meta(self) -> dict[str, Any]:
        """Levels, sub-sectors and measures the map offers."""
        return {
            "levels": [{"id": k, "label": v[0]} for k, v in LEVELS.items()],
            "subsectors": [{"id": "all", "name": "All creative industries"}]
            + [{"id": subsector_short(s), "name": s} for s in SUBSECTORS],
            "measures": [{"id": k, "label": v[0], "kind": v[1]} for k, v in MEASURES.items()],
            "definitions_version": DEFINITION_VERSION,
        }

    def indicators(self, level: str, subsector: str, measure: str) -> dict[str, Any]:
        """One value per place for the map and table (cached)."""
        if level not in LEVELS:
            raise ParameterError(f"level must be one of {list(LEVELS)}, got {level!r}")
        if measure not in MEASURES:
            raise ParameterError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
        valid_subs = {"all"} | {subsector_short(s) for s in SUBSECTORS}
        if subsector not in valid_subs:
            raise ParameterError(f"subsector must be one of {sorted(valid_subs)}, got {subsector!r}")
        key = (level, subsector, measure)
        if key not in self._indicators:
            from creative_clusters.workflows.map_data import map_indicator

            with self.lock:
                table, source, caveats = map_indicator(
                    self.wh, level=level, subsector=subsector, measure=measure
                )
            rows = [
                {k: _clean(v) for k, v in rec.items()}
                for rec in table[["geo_code", "geo_name", "value", "flag"]].to_dict("records")
            ]
            self._indicators[key] = {
                "level": level, "subsector": subsector, "measure": measure,
                "label": MEASURES[measure][0], "kind": MEASURES[measure][1],
                "rows": rows, "source": source, "caveats": caveats,
                "definitions_version": DEFINITION_VERSION,
            }
        return self._indicators[key]

    # ---------------------------------------------------------------- geometry
    def geometry(self, level: str) -> bytes:
        """Simplified boundaries of a level as GeoJSON bytes (cached)."""
        if level not in LEVELS:
            raise ParameterError(f"level must be one of {list(LEVELS)}, got {level!r}")
        if level not in self._geometry:
            with self.lock:
                gdf = self.wh.read_geometry(LEVELS[level][1])
            gdf = gdf[["geo_code", "geo_name", "geometry"]].copy()
            gdf["geometry"] = gdf.geometry.simplify(0.001, preserve_topology=True)
            self._geometry[level] = gdf.to_json(drop_id=True, to_wgs84=True).encode()
        return self._geometry[level]

    def layer(self, name: str) -> bytes:
        """An optional overlay layer (microclusters, corridors) as GeoJSON bytes."""
        if name not in ("microclusters", "microcluster_firms", "corridors"):
            raise ParameterError(f"unknown layer {name!r}")
        key = f"layer:{name}"
        if key not in self._geometry:
            try:
                with self.lock:
                    if name == "corridors":
                        from creative_clusters.workflows.corridor_layer import corridor_polygons

                        gdf = corridor_polygons(self.wh)
                    elif name == "microcluster_firms":
                        import geopandas as gpd

                        if not self.wh.has_table("microcluster_firms"):
                            raise WarehouseError("no microcluster firms loaded")
                        t = self.wh.table("microcluster_firms")
                        t = t[t["microcluster_id"].notna() & (t["microcluster_id"].astype(str) != "")]
                        gdf = gpd.GeoDataFrame(
                            t[["microcluster_id", "subsector"]].astype(str),
                            geometry=gpd.points_from_xy(t["easting"], t["northing"]), crs=27700,
                        )
                    else:
                        gdf = self.wh.read_geometry(name)
                gdf = gdf.copy()
                if name != "microcluster_firms":
                    gdf["geometry"] = gdf.geometry.simplify(0.001 if name == "corridors" else 0)
                self._geometry[key] = gdf.to_json(drop_id=True, to_wgs84=True).encode()
            except WarehouseError:
                self._geometry[key] = b'{"type": "FeatureCollection", "features": []}'
        return self._geometry[key]

    # ---------------------------------------------------------------- clusters
    def clusters(self, method: str, subsector: str) -> dict[str, Any]:
        """Places detected as clusters by ``method`` on LAD business LQs (cached)."""
        if method not in ("threshold", "strong", "hotspot"):
            raise ParameterError(f"method must be threshold, strong or hotspot, got {method!r}")
        valid_subs = {"all"} | {subsector_short(s) for s in SUBSECTORS}
        if subsector not in valid_subs:
            raise ParameterError(f"subsector must be one of {sorted(valid_subs)}, got {subsector!r}")
        key = ("clusters", method, subsector)
        if key not in self._indicators:
            import warnings

            from creative_clusters.workflows.areas import place_table, run_method

            with self.lock, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                table, meta = place_table(self.wh, level="lad", subsector=None if subsector == "all" else subsector)
                res, _ = run_method(self.wh, table, meta, method=method, seed=0)
            hits = res[res["cluster"].astype(bool)]
            cols = [c for c in ("geo_code", "geo_name", "businesses", "business_lq", "lq_lower",
                                "lq_upper", "small_count", "hotspot") if c in hits.columns]
            self._indicators[key] = {
                "method": str(res["method"].iloc[0]), "subsector": subsector, "level": "lad",
                "clusters": [{k: _clean(v) for k, v in r.items()} for r in hits[cols].to_dict("records")],
                "source": meta["source"], "definitions_version": DEFINITION_VERSION,
            }
        return self._indicators[key]

    # ---------------------------------------------------------------- research
    def research(self, *, theme: str | None, subsector: str | None, place: str | None,
                 text: str | None) -> dict[str, Any]:
        """Search the curated research library."""
        from creative_clusters.research.library import search_library

        chain = None
        if place:
            p = self.resolve(place)
            chain = [p.name, p.code]
            h = self.wh.table("lad_hierarchy")
            row = h[(h["lad_code"] == (p.members[0] if p.members else p.code)) & (h["vintage"].astype(str) == "2023")]
            if len(row):
                r = row.iloc[0]
                chain += [str(r.get("cauth_name") or ""), str(r["rgn_name"]), str(r["ctry_name"]), "UK"]
            chain = [c for c in chain if c]
        try:
            entries = search_library(place_chain=chain, subsector=subsector, theme=theme, text=text)
        except (KeyError, ValueError) as exc:
            raise ParameterError(str(exc)) from None
        return {"count": len(entries), "results": [e.to_dict() for e in entries]}

    def _national_data(self) -> Any:
        if self._national is None:
            from creative_clusters.workflows.evidence import load_national

            self._national = load_national(self.wh.home)
        return self._national

    def _benchmark(self, code: str) -> list[dict[str, Any]]:
        """Growth-potential percentiles of a place (the evidence pack's section 4 table)."""
        from creative_clusters.reporting.context import build_context
        from creative_clusters.workflows.evidence import gather_inputs, resolve_evidence_place

        try:
            nd = self._national_data()
            ctx = build_context(gather_inputs(nd, resolve_evidence_place(nd, code), png=False))
        except ClusterToolkitError:
            return []
        rows: list[dict[str, Any]] = []
        for sec in ctx["sections"]:
            for table in sec.get("tables", []):
                cols = table["columns"]
                if "Percentile: all places" not in cols:
                    continue
                ix = {c: i for i, c in enumerate(cols)}
                for r in table["rows"]:
                    rows.append({
                        "dimension": r[ix["Dimension"]], "label": r[ix["Indicator"]],
                        "value": r[ix["Value"]], "percentile": r[ix["Percentile: all places"]],
                        "percentile_peers": r[ix["Percentile: peers"]],
                    })
        return rows

    # ---------------------------------------------------------------- evidence
    def evidence_html(self, code: str) -> str:
        """The place's evidence pack as one self-contained HTML page (generated once, cached).

        The pack is written to a private temporary directory and read back; no
        request value becomes a path (the file name comes from the resolved code).
        """
        place = self.resolve(code)
        if place.code not in self._packs:
            import tempfile

            from creative_clusters.workflows.evidence import build_pack

            with self.lock, tempfile.TemporaryDirectory() as tmp:
                _ctx, paths = build_pack(place.code, home=self.wh.home, out=tmp, formats=("html",),
                                         national=self._national_data())
                self._packs[place.code] = Path(paths[0]).read_text(encoding="utf-8")
        return self._packs[place.code]
