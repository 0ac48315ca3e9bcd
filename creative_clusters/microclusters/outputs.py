"""Detect microclusters, describe each one, and write/load the results.

The pipeline is :func:`detect_microclusters` (pure: firms table → labelled
firms + one row per microcluster), :func:`attach_areas` (LAD/CA/region/TTWA
by point-in-polygon on warehouse layers when they exist), then the edges:
:func:`write_outputs` (GeoPackage, GeoJSON, CSV, PNG map; atomically) and
:func:`warehouse_spec` (an on-the-fly :class:`DatasetSpec` for
``Warehouse.import_datasets``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)  # SYNTHETIC firms
>>> xy = np.r_[rng.normal(0, 100, (60, 2)), rng.uniform(-9000, 9000, (20, 2))] + 400000
>>> firms = pd.DataFrame({"firm_id": [str(i) for i in range(80)], "easting": xy[:, 0],
...                       "northing": xy[:, 1], "subsector": ["music_arts"] * 80,
...                       "subsectors": ["music_arts"] * 80, "lad_code": ["E08000019"] * 80})
>>> res = detect_microclusters(firms, eps=300, min_firms=50, stability_reps=5)
>>> res.microclusters[["microcluster_id", "n_firms", "dominant_subsector"]].values.tolist()
[['MC0001', 60, 'music_arts']]
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters.errors import ParameterError
from creative_clusters.microclusters.dbscan import dbscan
from creative_clusters.microclusters.describe import describe_clusters
from creative_clusters.microclusters.hulls import DEFAULT_HULL_RATIO
from creative_clusters.microclusters.stability import bootstrap_stability
from creative_clusters.microclusters.sweep import parameter_sweep, sweep_firm_stability

__all__ = [
    "DATASET_ID",
    "MicroclusterResult",
    "attach_areas",
    "check_parameters",
    "detect_microclusters",
    "warehouse_spec",
    "write_outputs",
]

DATASET_ID = "microclusters"
#: Microclusters labelled on the PNG map (the largest by firms).
MAP_LABELS = 40
CRS = "EPSG:27700"
#: Warehouse geometry layers looked up for containing areas (layer, output prefix).
#: Layers written by ``creative_clusters.geography.importers`` (columns geo_code, geo_name).
AREA_LAYERS = (("lad_2023", "lad"), ("cauth_2024", "cauth"), ("rgn", "rgn"), ("ttwa_2011", "ttwa"))


@dataclass
class MicroclusterResult:
    """Labelled firms, one row per microcluster, and the run's parameters."""

    firms: pd.DataFrame
    microclusters: Any  # geopandas.GeoDataFrame, EPSG:27700
    params: dict[str, Any] = field(default_factory=dict)
    sweep: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def check_parameters(eps: float, min_firms: int, method: str) -> None:
    """Raise :class:`ParameterError` unless eps > 0 m, min_firms >= 2 and method is known."""
    if not (isinstance(eps, (int, float)) and np.isfinite(eps) and eps > 0):
        raise ParameterError(f"--eps must be a positive distance in metres; got {eps}")
    if int(min_firms) != min_firms or min_firms < 2:
        raise ParameterError(f"--min-firms must be a whole number >= 2; got {min_firms}")
    if method not in ("dbscan", "hdbscan"):
        raise ParameterError(f"--method must be 'dbscan' or 'hdbscan'; got {method!r}")


def _hdbscan(X: np.ndarray, min_firms: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import HDBSCAN

    model = HDBSCAN(min_cluster_size=int(min_firms), min_samples=int(min_firms), copy=True).fit(X)
    return model.labels_.astype(np.int64), model.probabilities_


def detect_microclusters(
    firms: pd.DataFrame,
    *,
    eps: float = 1000.0,
    min_firms: int = 50,
    method: str = "dbscan",
    stability_reps: int = 50,
    seed: int = 20241101,
    sweep: bool = False,
    hull_ratio: float = DEFAULT_HULL_RATIO,
) -> MicroclusterResult:
    """Cluster located firms and describe each microcluster.

    Parameters
    ----------
    firms : pandas.DataFrame
        At least ``easting``, ``northing`` (BNG metres) and ``subsector``;
        ``subsectors`` (";"-joined), ``lad_code``, ``firm_id``, ``postcode`` used when present.
    eps : float
        DBSCAN radius in metres (also the stability runs'; ignored by HDBSCAN).
    min_firms : int
        DBSCAN ``min_samples`` (the firm itself counted), or HDBSCAN
        ``min_cluster_size``.
    method : {"dbscan", "hdbscan"}
    stability_reps : int
        Resampling draws for stability (DBSCAN only; 0 to skip).
    sweep : bool
        Also run the eps × min-size sweep and per-firm sweep stability.

    Returns
    -------
    MicroclusterResult
        ``firms`` gains ``microcluster_id`` ("" = not clustered), ``is_core``,
        ``stability``; ``microclusters`` has one row per microcluster (see
        :func:`_describe`).
    """
    check_parameters(eps, min_firms, method)
    if firms.empty:
        raise ParameterError("no firms to cluster")
    X = firms[["easting", "northing"]].to_numpy(float)
    notes: list[str] = []
    if method == "dbscan":
        labels, core = dbscan(X, eps, int(min_firms))
        if stability_reps:
            firm_stab, cl_stab = bootstrap_stability(
                X, labels, eps=eps, min_samples=int(min_firms), reps=stability_reps, seed=seed
            )
        else:
            firm_stab, cl_stab = np.full(len(X), np.nan), np.full(labels.max() + 1, np.nan)
    else:
        labels, prob = _hdbscan(X, int(min_firms))
        core = prob >= 1.0
        firm_stab = prob
        cl_stab = np.array([prob[labels == k].mean() for k in range(labels.max() + 1)])
        notes.append("HDBSCAN (scikit-learn): stability = mean membership probability")
    out = firms.copy()
    n_cl = int(labels.max()) + 1 if len(labels) else 0
    ids = np.array([f"MC{k + 1:04d}" for k in range(n_cl)], dtype=object)
    out["microcluster_id"] = np.where(labels >= 0, ids[np.maximum(labels, 0)] if n_cl else "", "")
    out["is_core"] = core
    out["stability"] = firm_stab
    sweep_t = None
    if sweep:
        sweep_t = parameter_sweep(X)
        out["sweep_stability"] = sweep_firm_stability(X)
    mc = _describe(out, labels, ids, cl_stab, hull_ratio, int(min_firms))
    params = {"eps_m": float(eps), "min_firms": int(min_firms), "method": method,
              "stability_reps": int(stability_reps), "seed": int(seed), "hull_ratio": hull_ratio,
              "n_firms": len(out), "n_microclusters": n_cl}
    return MicroclusterResult(out, mc, params, sweep_t, notes)


def _describe(firms: pd.DataFrame, labels: np.ndarray, ids: np.ndarray,
              cl_stab: np.ndarray, hull_ratio: float, min_firms: int) -> Any:
    """One row per microcluster: see :func:`~.describe.describe_clusters`."""
    return describe_clusters(firms, labels, ids=ids, stability=cl_stab, hull_ratio=hull_ratio,
                             min_firms=min_firms)


def attach_areas(result: MicroclusterResult, warehouse: Any | None = None) -> MicroclusterResult:
    """Add containing-area codes/names by centroid-in-polygon on warehouse layers.

    For each of :data:`AREA_LAYERS` present in the warehouse (columns
    ``geo_code``/``geo_name`` or ``areacd``/``areanm``, any CRS), adds ``<prefix>_code``/``<prefix>_name`` (for LAD:
    ``lad23_code``/``lad23_name``, beside ``lad_code`` from the firm records).
    Missing layers leave their columns empty and add a note.
    """
    import geopandas as gpd

    mc = result.microclusters
    pts = gpd.GeoDataFrame(
        mc[["microcluster_id"]],
        geometry=gpd.points_from_xy(mc["centroid_easting"], mc["centroid_northing"]),
        crs=CRS,
    )
    for layer, prefix in AREA_LAYERS:
        pre = "lad23" if prefix == "lad" else prefix
        mc[f"{pre}_code"] = None
        mc[f"{pre}_name"] = None
        g = None
        if warehouse is not None:
            try:
                g = warehouse.read_geometry(layer)
            except Exception:
                g = None
        if g is None or len(g) == 0 or len(mc) == 0:
            result.notes.append(f"{pre}_code/{pre}_name empty: warehouse geometry layer "
                                f"'{layer}' not available")
            continue
        cd = next((c for c in g.columns if c.lower() in ("geo_code", "areacd", "code")), None)
        nm = next((c for c in g.columns if c.lower() in ("geo_name", "areanm", "name")), None)
        if cd is None:
            result.notes.append(f"layer '{layer}' has no areacd column; {pre}_code left empty")
            continue
        g = g.to_crs(CRS) if g.crs is not None else g.set_crs(4326).to_crs(CRS)
        j = gpd.sjoin(pts, g[[cd] + ([nm] if nm else []) + ["geometry"]], how="left",
                      predicate="within").drop_duplicates("microcluster_id")
        mc[f"{pre}_code"] = j[cd].to_numpy()
        if nm:
            mc[f"{pre}_name"] = j[nm].to_numpy()
    return result


def _plot(result: MicroclusterResult, path: Path, lads: Any | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 9))
    f = result.firms
    x0, x1 = f["easting"].min(), f["easting"].max()
    y0, y1 = f["northing"].min(), f["northing"].max()
    if lads is not None and len(lads):
        lads.to_crs(CRS).boundary.plot(ax=ax, color="#999999", linewidth=0.6)
    clustered = f["microcluster_id"] != ""
    # one Line2D of pixel-sized markers per group: far cheaper than scatter for 10^5-10^6 points
    ax.plot(f.loc[~clustered, "easting"], f.loc[~clustered, "northing"], ls="none", marker=".",
            ms=1.5, mew=0, color="#bbbbbb", label="creative firm, not clustered", rasterized=True)
    ax.plot(f.loc[clustered, "easting"], f.loc[clustered, "northing"], ls="none", marker=".",
            ms=2, mew=0, color="#1f5fa8", label="creative firm in a microcluster", rasterized=True)
    mc = result.microclusters
    if len(mc):
        mc.boundary.plot(ax=ax, color="#d6604d", linewidth=1.2)
        # label the largest (up to MAP_LABELS) so a national map stays legible
        for r in mc.nlargest(MAP_LABELS, "n_firms").itertuples():
            ax.annotate(f"{r.microcluster_id} ({r.n_firms})", (r.centroid_easting, r.centroid_northing),
                        fontsize=7, color="#8b1a1a")
    pad = 0.03 * max(x1 - x0, y1 - y0, 1.0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    p = result.params
    ax.set_title(f"Creative microclusters: {p['method']}, eps {p['eps_m']:.0f} m, "
                 f"min {p['min_firms']} firms — {p['n_microclusters']} microclusters")
    ax.set_xlabel("Easting (m, EPSG:27700)")
    ax.set_ylabel("Northing (m)")
    ax.legend(loc="lower left", fontsize=8, markerscale=6)
    ax.text(0.0, -0.12, "Contains public sector information licensed under the Open Government "
            "Licence v3.0 (firm file's publisher; Ordnance Survey Code-Point Open / ONS Postcode "
            "Directory)", fontsize=6, transform=ax.transAxes)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """CSV through pyarrow's multithreaded writer (the same text pandas writes for these types)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pacsv.write_csv(pa.Table.from_pandas(table, preserve_index=False), path)


def write_outputs(
    result: MicroclusterResult,
    out_dir: str | Path,
    *,
    lads: Any | None = None,
    before_commit: Any | None = None,
) -> Path:
    """Write GeoPackage, GeoJSON, CSVs and a PNG map into ``out_dir`` atomically.

    Files: ``microclusters.gpkg`` (layers ``microclusters`` and
    ``microcluster_firms``), ``microclusters.geojson`` (WGS84),
    ``microclusters.csv``, ``microcluster_firms.csv``, ``sweep.csv`` (if run),
    ``run.json`` and ``microclusters_map.png``. Everything is written into a
    temporary sibling directory first, then renamed into place, so a failed
    run leaves ``out_dir`` untouched. ``before_commit`` (a no-argument
    callable, e.g. the warehouse load) runs after every file is written and
    before the rename; if it raises, nothing is moved into place.
    """
    import geopandas as gpd

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        mc = result.microclusters
        firms = result.firms
        fg = gpd.GeoDataFrame(firms, geometry=gpd.points_from_xy(firms.easting, firms.northing),
                              crs=CRS)
        gpkg = tmp / "microclusters.gpkg"
        # pyogrio's Arrow path writes a whole table per call, without per-row Python
        mc.to_file(gpkg, layer="microclusters", driver="GPKG", engine="pyogrio", use_arrow=True)
        fg.to_file(gpkg, layer="microcluster_firms", driver="GPKG", engine="pyogrio", use_arrow=True)
        mc.to_crs(4326).to_file(tmp / "microclusters.geojson", driver="GeoJSON", engine="pyogrio",
                                use_arrow=True)
        _write_csv(pd.DataFrame(mc.drop(columns="geometry")), tmp / "microclusters.csv")
        _write_csv(firms, tmp / "microcluster_firms.csv")
        if result.sweep is not None:
            result.sweep.to_csv(tmp / "sweep.csv", index=False)
        (tmp / "run.json").write_text(json.dumps({"params": result.params, "notes": result.notes},
                                                 indent=2))
        _plot(result, tmp / "microclusters_map.png", lads)
        if before_commit is not None:
            before_commit()
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{tmp.name[-8:]}")
            out_dir.rename(old)
            tmp.rename(out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def warehouse_spec(result: MicroclusterResult, source_file: str | Path) -> Any:
    """An on-the-fly DatasetSpec storing the run as ref tables ``microclusters`` and
    ``microcluster_firms`` and geometry layer ``microclusters`` (EPSG:27700).

    ``files`` is the firm file's name relative to its folder, so pass that
    folder as ``root`` to ``Warehouse.import_datasets``.
    """
    from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult

    source_file = Path(source_file)
    mc = result.microclusters
    tab = pd.DataFrame(mc.drop(columns="geometry"))
    for k, v in result.params.items():
        if k not in ("n_firms", "n_microclusters"):
            tab[k] = v
    firms = result.firms.copy()
    for c in firms.columns:
        if firms[c].dtype == object:
            firms[c] = firms[c].astype("string")

    def _reader(root: Path) -> ImportResult:
        return ImportResult(
            tables={"microclusters": tab, "microcluster_firms": firms},
            geometries={"microclusters": mc},
            coverage=f"{len(mc)} microclusters from {len(firms):,} creative firms",
        )

    p = result.params
    return DatasetSpec(
        id=DATASET_ID,
        kind=kinds.MICROCLUSTERS,
        title=f"Creative microclusters ({p['method']}, eps {p['eps_m']:.0f} m, min {p['min_firms']})",
        publisher="creative-clusters (derived from the firm file)",
        licence=OGL,
        source_url="",
        vintage=pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d"),
        files=(source_file.name,),
        reader=_reader,
        caveats=("Registered-office addresses are not trading sites; accountants' addresses "
                 "can create false clusters.",),
    )
