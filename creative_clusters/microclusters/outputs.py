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

import contextlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._files import swap_folder, swap_target
from creative_clusters._schema import text_from_codes
from creative_clusters._text import firm_words
from creative_clusters.errors import ParameterError, WarehouseError
from creative_clusters.microclusters.describe import FirmCodes, describe_clusters, firm_codes, size_distribution
from creative_clusters.microclusters.hierarchy import DEFAULT_MAX_EXTENT_KM2
from creative_clusters.microclusters.hubs import (
    HUB_CAP,
    HUB_MIN_COMPANIES,
    HUB_POLICIES,
    clustering_rows,
    hub_mask,
)
from creative_clusters.microclusters.hulls import DEFAULT_HULL_RATIO
from creative_clusters.microclusters.methods import (
    DEFAULT_METHOD,
    METHODS,
    Labelling,
    cluster_points,
    compare_methods,
    spread_labels,
    spread_values,
)
from creative_clusters.microclusters.sweep import parameter_sweep, sweep_firm_stability

__all__ = [
    "DATASET_ID",
    "MicroclusterResult",
    "OutputWriter",
    "attach_areas",
    "check_parameters",
    "detect_microclusters",
    "map_import_steps",
    "unlocated_note",
    "warehouse_spec",
    "write_outputs",
    "write_unlocated",
]

DATASET_ID = "microclusters"
#: Microclusters labelled on the PNG map (the largest by firms).
MAP_LABELS = 40
CRS = "EPSG:27700"
#: Boundary levels looked up for containing areas (also the output prefixes), in layers written by
#: ``creative_clusters.sources.geography`` (columns geo_code, geo_name): LADs on the business counts'
#: vintage (:data:`creative_clusters.kinds.LAD_VINTAGE`), combined authorities as now (the newest
#: ``cauth_YYYY`` imported, as the rest of the product sums them), regions and TTWAs.
AREA_LAYERS = ("lad", "cauth", "rgn", "ttwa")



#: Below this many firms clustered, the stability draws run while the clusters are described (one
#: thread: a DBSCAN run's draws are threaded from :data:`.stability.THREADED_MIN_POINTS` on, the same
#: number, not imported here, as that module loads numba). From it on they run first, on every core,
#: and the firm layer is written while the clusters are described: its writer no longer starts last.
#: At 245k SYNTHETIC firms on 2 cores the draws beside the description (two draw threads and the
#: description on two cores) left the firm GeoPackage's child running alone for 0.4 s at the end.
#: It also bounds the peak: on 5M SYNTHETIC firms the overlap took it from 3.8 to 4.1 GB.
BACKGROUND_MAX_POINTS = 20_000


@dataclass
class MicroclusterResult:
    """Labelled firms, one row per microcluster, and the run's parameters."""

    firms: pd.DataFrame
    microclusters: Any  # geopandas.GeoDataFrame, EPSG:27700
    params: dict[str, Any] = field(default_factory=dict)
    sweep: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    hierarchy: pd.DataFrame | None = None
    methods: pd.DataFrame | None = None
    hub_sensitivity: pd.DataFrame | None = None
    #: Firms of the file that could not be located and were left out (``source_row, name, postcode, reason``,
    #: the firm report's ``failed_rows``): written as :data:`UNLOCATED_CSV` when there are any.
    unlocated: pd.DataFrame | None = None


def check_parameters(eps: float, min_firms: int, method: str, max_extent_km2: float | None = None) -> None:
    """Raise :class:`ParameterError` unless eps > 0 m, min_firms >= 2, method is known and (when given; the
    split method's bound) max_extent_km2 > 0 km²."""
    if max_extent_km2 is not None and not (np.isfinite(max_extent_km2) and max_extent_km2 > 0):
        raise ParameterError(f"--max-extent must be a positive area in km²; got {max_extent_km2}")
    if not (isinstance(eps, (int, float)) and np.isfinite(eps) and eps > 0):
        raise ParameterError(f"--eps must be a positive distance in metres; got {eps}")
    if int(min_firms) != min_firms or min_firms < 2:
        raise ParameterError(f"--min-firms must be a whole number >= 2; got {min_firms}")
    if method not in METHODS:
        raise ParameterError(f"--method must be one of {', '.join(METHODS)}; got {method!r}")


def detect_microclusters(
    firms: pd.DataFrame,
    *,
    eps: float = 1000.0,
    min_firms: int = 50,
    method: str = DEFAULT_METHOD,
    stability_reps: int = 50,
    seed: int = 20241101,
    sweep: bool = False,
    hull_ratio: float = DEFAULT_HULL_RATIO,
    max_extent_km2: float = DEFAULT_MAX_EXTENT_KM2,
    hubs: str = "downweight",
    hub_min_companies: int = HUB_MIN_COMPANIES,
    hub_cap: int = HUB_CAP,
    address_kind: str = "registered",
    all_creative: bool = False,
    on_firms: Callable[[pd.DataFrame], None] | None = None,
    clusterer: Callable[..., Labelling] | None = None,
    meanwhile: Sequence[Callable[[], None]] = (),
) -> MicroclusterResult:
    """Cluster located firms and describe each microcluster.

    Parameters
    ----------
    firms : pandas.DataFrame
        At least ``easting``, ``northing`` (BNG metres) and ``subsector``;
        ``subsectors`` (";"-joined), ``lad_code``, ``firm_id``, ``postcode``,
        ``postcode_companies`` used when present.
    eps : float
        DBSCAN radius in metres (level 0 of ``"split"``; ignored by HDBSCAN).
    min_firms : int
        DBSCAN ``min_samples`` (the firm itself counted), or HDBSCAN
        ``min_cluster_size``.
    method : {"split", "dbscan", "hdbscan"}
        See :mod:`.methods`; ``"split"`` (default) gives neighbourhood-scale
        microclusters and the hierarchy, ``"dbscan"`` exact DBSCAN at one radius.
    stability_reps : int
        Resampling draws for stability (0 to skip).
    sweep : bool
        Also run the eps × min-size sweep, per-firm sweep stability, the
        methods side by side and the hub-policy sensitivity.
    max_extent_km2 : float
        ``"split"``: clusters whose convex hull is larger are split.
    hubs : {"downweight", "exclude", "keep"}
        Registered-office hubs (:mod:`.hubs`).
    address_kind, all_creative : str, bool
        What the firm file's addresses are (``FirmsReport.address_kind``) and whether every firm was taken
        to be creative: only the notes' words change (:func:`~creative_clusters._text.firm_words`: trading
        premises are not called registered offices).
    on_firms : callable, optional
        Called once with the labelled firm table (the result's ``firms``) as
        soon as it is final: before the microclusters are described when the
        stability draws are done by then (from :data:`BACKGROUND_MAX_POINTS`
        firms on), else as soon as they finish: during the description
        (which looks between its steps and between chunks of hulls), or
        after it. Not called with a sweep (it adds a column at the end).
        :meth:`OutputWriter.start_firm_layer` starts writing the firm points
        then.
    clusterer : callable, optional
        Runs the clustering in place of :func:`~.methods.cluster_points`
        (same arguments, same result), e.g.
        :meth:`~.engine.ClusterEngine.cluster_points`, whose kernels were
        loaded in a forked child while the firms were read. It is also given
        ``meanwhile=``, steps (no-argument callables) to run while the
        clustering runs elsewhere, as many as fit before the labels are in
        (the engine does: this process factorises the firms' text columns for
        the description then, :func:`~.describe.firm_codes`, or after the
        clustering if not); one that runs none is fine.
    meanwhile : sequence of callables, optional
        The caller's own steps of work that does not need the result (no
        arguments; e.g. importing what the outputs are written with), given
        to the ``clusterer`` after the description's: each runs while it
        clusters, or not at all.

    Returns
    -------
    MicroclusterResult
        ``firms`` gains ``microcluster_id`` ("" = not clustered),
        ``top_cluster_id`` (level-0 cluster), ``is_core``, ``stability``,
        ``is_hub`` and ``hub_role``; ``microclusters`` has one row per
        microcluster (:func:`~.describe.describe_clusters` plus the hierarchy
        columns); ``hierarchy`` every cluster at every level.
    """
    check_parameters(eps, min_firms, method)
    if firms.empty:
        raise ParameterError("no firms to cluster")
    X = firms[["easting", "northing"]].to_numpy(float)
    use, rep = clustering_rows(firms, policy=hubs, min_companies=hub_min_companies, cap=hub_cap)
    # the stability draws run in a thread while the clusters are described (numba releases the GIL);
    # from BACKGROUND_MAX_POINTS firms on, one after the other: the draws then take every core, and the
    # firm layer's writer starts before the description instead of after it
    kwargs: dict[str, Any] = {"method": method, "eps": eps, "min_firms": int(min_firms),
                              "max_extent_km2": max_extent_km2, "stability_reps": stability_reps, "seed": seed,
                              "background": int(use.sum()) < BACKGROUND_MAX_POINTS}
    codes: list[FirmCodes] = []

    def prepare() -> None:  # what the description needs whatever the labels
        if not codes:
            codes.append(firm_codes(firms))

    lab = (cluster_points(X[use], **kwargs) if clusterer is None
           else clusterer(X[use], meanwhile=[prepare, *meanwhile], **kwargs))
    prepare()  # (if the clusterer did not)
    early = lab.pending is None and not sweep and on_firms is not None  # the firm table is final at once
    started = [False]  # on_firms called

    def final() -> None:  # the draws are in (before, or during the description): on_firms now
        out["stability"] = spread_values(lab.firm_stability, use, rep)
        started[0] = True
        if on_firms is not None:
            on_firms(out)

    def draws_in() -> None:  # called during the description: on_firms as soon as the draws are in
        if not started[0] and lab.pending is not None and lab.pending.done() and lab.pending.exception() is None:
            lab.wait()
            final()

    try:
        labels, core, top, _ = spread_labels(lab, use, rep)
        out, hub_notes = _label_firms(firms, lab, use, rep, labels, core, top, hub_min_companies, hubs, hub_cap,
                                      firm_words(address_kind, all_creative))
        if early:
            final()
        watch = draws_in if not early and not sweep and on_firms is not None else None
        mc = _describe(out, labels, lab.ids, np.full(len(lab.ids), np.nan), hull_ratio, int(min_firms), codes[0],
                       watch)
        mc = _add_hierarchy(mc, lab.nodes, out, labels)
    finally:
        lab.wait()
    if not started[0]:
        out["stability"] = spread_values(lab.firm_stability, use, rep)
        if not sweep and on_firms is not None:  # final now the draws are in
            on_firms(out)
    mc["stability"] = np.asarray(lab.stability, dtype=float)
    notes = list(lab.notes) + hub_notes
    sweep_t = None
    if sweep:
        sweep_t = parameter_sweep(X, use=use, rep=rep)
        sw = np.full(len(X), np.nan)
        sw[use] = sweep_firm_stability(X[use])
        out["sweep_stability"] = np.where(rep >= 0, sw[np.maximum(rep, 0)], np.nan)
    params = {"eps_m": float(eps), "min_firms": int(min_firms), "method": method,
              "stability_reps": int(stability_reps), "seed": int(seed), "hull_ratio": hull_ratio,
              "max_extent_km2": float(max_extent_km2) if method == "split" else None,
              "hubs": hubs, "hub_min_companies": int(hub_min_companies), "hub_cap": int(hub_cap),
              "n_firms": len(out), "n_microclusters": len(lab.ids)}
    res = MicroclusterResult(out, mc, params, sweep_t, notes, hierarchy=lab.nodes)
    if sweep:
        res.methods = compare_methods(X, eps=eps, min_firms=int(min_firms), max_extent_km2=max_extent_km2,
                                      use=use, rep=rep)
        res.hub_sensitivity = hub_sensitivity(firms, method=method, eps=eps, min_firms=int(min_firms),
                                              max_extent_km2=max_extent_km2, hub_min_companies=hub_min_companies,
                                              hub_cap=hub_cap)
    return res


def _label_firms(firms: pd.DataFrame, lab: Labelling, use: np.ndarray, rep: np.ndarray,
                 labels: np.ndarray, core: np.ndarray, top: np.ndarray, hub_min_companies: int, hubs: str,
                 hub_cap: int, words: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """The firms with their cluster columns (``stability`` NaN, filled in later), and hub notes (``words``:
    :func:`~creative_clusters._text.firm_words` of the file's addresses)."""
    notes = []
    is_hub = hub_mask(firms, hub_min_companies)
    if is_hub.any():
        notes.append(f"{words['hubs']} (postcodes with >= {hub_min_companies} {words['members']} in the file): "
                     f"{int(is_hub.sum()):,} {words['points']} at "
                     f"{firms.loc[is_hub, 'postcode'].nunique():,} postcodes; policy {hubs}"
                     + (f" (each hub counts as at most {hub_cap} {words['count']})" if hubs == "downweight"
                        else "") + (f"; {words['hub_what']}" if words["hub_what"] else ""))
    out = firms.copy(deep=False)  # copy-on-write (pandas 3): new columns and changes stay in `out`
    ids = lab.ids
    # text columns from codes (no Python string per firm; 2 s a column at 5M firms the other way)
    out["microcluster_id"] = text_from_codes([*ids, ""], np.where(labels >= 0, labels, len(ids)), out.index)
    top_codes, top_ids = pd.factorize(top)
    out["top_cluster_id"] = text_from_codes([str(t) for t in top_ids], top_codes, out.index)
    out["is_core"] = core
    out["stability"] = np.nan  # filled in when the draws finish
    out["is_hub"] = is_hub
    role = np.where(~is_hub, 0, np.where(rep < 0, 1, np.where(use, 2, 3)))
    out["hub_role"] = text_from_codes(["", "excluded", "clustered", "downweighted"], role, out.index)
    return out, notes


def _add_hierarchy(mc: Any, nodes: pd.DataFrame, firms: pd.DataFrame, labels: np.ndarray) -> Any:
    """Hierarchy and hub columns of each microcluster (leaf)."""
    k = len(mc)
    sel = labels >= 0
    mc["n_hub_firms"] = np.bincount(labels[sel], weights=firms["is_hub"].to_numpy(float)[sel],
                                    minlength=k).astype(int) if k else []
    info = nodes.set_index("cluster_id")
    for col in ("parent_id", "level", "eps_m", "extent_km2", "over_extent_bound"):
        mc[col] = mc["microcluster_id"].map(info[col]).to_numpy() if k else []
    mc["top_cluster_id"] = [str(i).split("-")[0] for i in mc["microcluster_id"]]
    return mc


def hub_sensitivity(firms: pd.DataFrame, *, method: str, eps: float, min_firms: int,
                    max_extent_km2: float, hub_min_companies: int = HUB_MIN_COMPANIES,
                    hub_cap: int = HUB_CAP) -> pd.DataFrame:
    """The result under each hub policy (no stability): microclusters, firms clustered, largest."""
    X = firms[["easting", "northing"]].to_numpy(float)
    rows = []
    for policy in HUB_POLICIES:
        use, rep = clustering_rows(firms, policy=policy, min_companies=hub_min_companies, cap=hub_cap)
        lab = cluster_points(X[use], method=method, eps=eps, min_firms=min_firms, stability_reps=0,
                             max_extent_km2=max_extent_km2)
        labels = spread_labels(lab, use, rep)[0]
        sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.array([0])
        rows.append({"hubs": policy, "n_microclusters": len(lab.ids),
                     "firms_clustered": int((labels >= 0).sum()), "largest": int(sizes.max()),
                     "firms_at_hubs": int(hub_mask(firms, hub_min_companies).sum())})
    return pd.DataFrame(rows)


def _describe(firms: pd.DataFrame, labels: np.ndarray, ids: np.ndarray, cl_stab: np.ndarray, hull_ratio: float,
              min_firms: int, prepared: FirmCodes | None = None, between: Callable[[], None] | None = None) -> Any:
    """One row per microcluster: see :func:`~.describe.describe_clusters`."""
    return describe_clusters(firms, labels, ids=ids, stability=cl_stab, hull_ratio=hull_ratio,
                             min_firms=min_firms, prepared=prepared, between=between)


def attach_areas(result: MicroclusterResult, warehouse: Any | None = None) -> MicroclusterResult:
    """Add containing-area codes/names by centroid-in-polygon on warehouse layers.

    For each level of :data:`AREA_LAYERS` whose layer
    (:func:`~creative_clusters.geography.boundaries.count_layer`) is in the warehouse (columns
    ``geo_code``/``geo_name`` or ``areacd``/``areanm``, any CRS), adds ``<prefix>_code``/``<prefix>_name`` (for LAD:
    ``lad23_code``/``lad23_name``, beside ``lad_code`` from the firm records).
    Missing layers (:class:`~creative_clusters.errors.WarehouseError` from
    ``read_geometry``) or empty ones leave their columns empty and add a note
    saying why; any other error reading a layer is raised.
    """
    import geopandas as gpd

    mc = result.microclusters
    pts = gpd.GeoDataFrame(
        mc[["microcluster_id"]],
        geometry=gpd.points_from_xy(mc["centroid_easting"], mc["centroid_northing"]),
        crs=CRS,
    )
    from creative_clusters.geography.boundaries import count_layer

    available = warehouse.geometry_layers() if warehouse is not None else []
    for prefix in AREA_LAYERS:
        layer = count_layer(prefix, available)
        pre = "lad23" if prefix == "lad" else prefix
        mc[f"{pre}_code"] = None
        mc[f"{pre}_name"] = None
        if len(mc) == 0:  # nothing to place: the layer is not missing
            continue
        g, why = None, "no warehouse"
        if warehouse is not None:
            try:
                g = warehouse.read_geometry(layer)
            except WarehouseError as exc:  # the layer is not imported; any other error is a bug and raises
                why = str(exc)
            else:
                why = "the layer is empty"
        if g is None or len(g) == 0:
            result.notes.append(f"{pre}_code/{pre}_name empty: warehouse geometry layer "
                                f"'{layer}' not available ({why})")
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


def _boundary_lines(geoms: Any) -> list[np.ndarray]:
    """Each ring of each polygon (or line) in ``geoms`` as an (m, 2) coordinate array."""
    import shapely

    parts = shapely.get_parts(shapely.boundary(np.asarray(geoms, dtype=object)))
    parts = shapely.get_parts(parts)  # multi-line boundaries (polygons with holes) into lines
    xy, which = shapely.get_coordinates(parts, return_index=True)
    cut = np.flatnonzero(np.diff(which)) + 1
    return np.split(xy, cut) if len(xy) else []


#: What :func:`_plot` draws with, in import order: steps of about 0.1 s CPU each (0.4 s in all).
MAP_MODULES = ("matplotlib", "matplotlib.text", "matplotlib.axes", "matplotlib.figure",
               "matplotlib.backends.backend_agg")


def map_import_steps() -> list[Callable[[], None]]:
    """One step (no arguments) per module of :data:`MAP_MODULES`, importing it.

    The CLI runs them as ``meanwhile`` steps while it waits for the
    clustering's labels (each only if the labels are not in yet: small steps
    keep the wait short), so the PNG's forked child, which inherits this
    process's modules, starts drawing at once.

    Examples
    --------
    >>> steps = map_import_steps()
    >>> len(steps) == len(MAP_MODULES)
    True
    """
    import importlib

    def step(name: str) -> Callable[[], None]:
        def run() -> None:
            importlib.import_module(name)
        return run

    return [step(m) for m in MAP_MODULES]


#: zlib level of the PNG map (PIL's default is 6). The pixels are the same at any level; at 3 the
#: 245k-firm map (1350 × 1440 RGBA) encodes in half the CPU (0.10 s against 0.19 s) and is a little
#: smaller (486 kB against 491 kB).
PNG_COMPRESS_LEVEL = 3


def _plot(result: MicroclusterResult, path: Path, lads: Any | None) -> None:
    """The PNG map: firms (clustered or not), microcluster boundaries, the largest labelled.

    Drawn with matplotlib's object API (no pyplot state, no geopandas
    plotting): one marker line per group and one line collection per
    boundary layer, rendered once (fixed margins, no tight-bbox pass);
    saved at zlib level :data:`PNG_COMPRESS_LEVEL`.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 9.6))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.09, 0.1, 0.89, 0.85))
    f = result.firms
    e, n = f["easting"].to_numpy(float), f["northing"].to_numpy(float)
    x0, x1 = e.min(), e.max()
    y0, y1 = n.min(), n.max()
    if lads is not None and len(lads):
        ax.add_collection(LineCollection(_boundary_lines(lads.to_crs(CRS).geometry), colors="#999999",
                                         linewidths=0.6))
    clustered = (f["microcluster_id"] != "").to_numpy(bool)
    one = run_words(result.params)["one"]
    # one Line2D of pixel-sized markers per group: far cheaper than scatter for 10^5-10^6 points
    ax.plot(e[~clustered], n[~clustered], ls="none", marker=".", ms=1.5, mew=0, color="#bbbbbb",
            label=f"{one}, not clustered")
    ax.plot(e[clustered], n[clustered], ls="none", marker=".", ms=2, mew=0, color="#1f5fa8",
            label=f"{one} in a microcluster")
    mc = result.microclusters
    if len(mc):
        ax.add_collection(LineCollection(_boundary_lines(mc.geometry), colors="#d6604d", linewidths=1.2))
        # label the largest (up to MAP_LABELS) so a national map stays legible; a label that would overlap
        # one already placed (a larger cluster's) is left out
        span = max(x1 - x0, y1 - y0, 1.0)
        top = mc.nlargest(MAP_LABELS, "n_firms")
        for i in label_positions(top["centroid_easting"].to_numpy(float), top["centroid_northing"].to_numpy(float),
                                 width=0.13 * span, height=0.022 * span):
            r = top.iloc[i]
            ax.annotate(f"{r.microcluster_id} ({r.n_firms})", (r.centroid_easting, r.centroid_northing),
                        fontsize=7, color="#8b1a1a")
    pad = 0.03 * max(x1 - x0, y1 - y0, 1.0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    title, source, synthetic = map_texts(result.params)
    ax.set_title(title, color="#b2182b" if synthetic else "black")
    ax.set_xlabel("Easting (m, EPSG:27700)")
    ax.set_ylabel("Northing (m)")
    ax.legend(loc="lower left", fontsize=8, markerscale=6)
    fig.text(0.01, 0.01, source, fontsize=6)
    fig.savefig(path, dpi=150, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})


def label_positions(x: np.ndarray, y: np.ndarray, *, width: float, height: float) -> list[int]:
    """Indices of the labels to draw, in order, none overlapping one drawn before it.

    Each label is a box ``width`` × ``height`` (map units) starting at its
    point and extending right and up; points come in priority order (the
    largest cluster first), so a smaller cluster's label gives way.

    Examples
    --------
    >>> label_positions(np.array([0.0, 5.0, 50.0]), np.array([0.0, 1.0, 0.0]), width=10, height=2)
    [0, 2]
    """
    kept: list[int] = []
    for i in range(len(x)):
        if all(abs(x[i] - x[j]) >= width or abs(y[i] - y[j]) >= height for j in kept):
            kept.append(i)
    return kept


def run_words(params: dict[str, Any]) -> dict[str, str]:
    """:func:`~creative_clusters._text.firm_words` of a run from its parameters (``provenance.address_kind``,
    ``all_creative``): a run on trading premises names them premises, not creative firms.

    Examples
    --------
    >>> run_words({"provenance": {"address_kind": "trading"}, "all_creative": True})["one"]
    'premises'
    >>> run_words({})["one"]
    'creative firm'
    """
    kind = (params.get("provenance") or {}).get("address_kind") or "registered"
    return firm_words(str(kind), bool(params.get("all_creative")))


def map_texts(params: dict[str, Any]) -> tuple[str, str, bool]:
    """The PNG map's title and source line, and whether the run's firm file is synthetic.

    A synthetic file (flagged by its reader or by ``--synthetic``) is named as
    such in both, so a picture taken out of its folder still says so.

    Examples
    --------
    >>> p = {"method": "dbscan", "eps_m": 1000.0, "min_firms": 50, "n_microclusters": 3,
    ...      "provenance": {"synthetic": True}}
    >>> print(map_texts(p)[0])
    SYNTHETIC FIRMS (invented, not official data)
    Creative microclusters: dbscan, eps 1000 m, min 50 firms — 3 microclusters
    >>> map_texts({**p, "provenance": {"synthetic": False}})[1].startswith("Contains public sector information")
    True
    >>> map_texts({**p, "provenance": {"address_kind": "trading"}, "all_creative": True})[0]
    'Clusters of business premises of all kinds (no industry codes): dbscan, eps 1000 m, min 50 premises — 3 clusters'
    """
    synthetic = bool((params.get("provenance") or {}).get("synthetic"))
    every = bool(params.get("all_creative"))  # no industry codes: premises of all kinds, not creative clusters
    title = (("SYNTHETIC FIRMS (invented, not official data)\n" if synthetic else "")
             + ("Clusters of business premises of all kinds (no industry codes)" if every
                else "Creative microclusters")
             + f": {params['method']}, eps {params['eps_m']:.0f} m, "
             f"min {params['min_firms']} {run_words(params)['count']} — {params['n_microclusters']} "
             + ("clusters" if every else "microclusters"))
    places = "Ordnance Survey Code-Point Open / ONS Postcode Directory"
    source = (f"SYNTHETIC firm file: invented firms, for testing and benchmarks only. Postcode locations: {places}."
              if synthetic else "Contains public sector information licensed under the Open Government Licence "
              f"v3.0 (firm file's publisher; {places})")
    return title, source, synthetic


def _arrow_table(table: pd.DataFrame) -> Any:
    """``table`` as a pyarrow Table; columns of nothing but missing values become strings (GDAL has no null type)."""
    import pyarrow as pa

    t = pa.Table.from_pandas(table, preserve_index=False)
    for i, fld in enumerate(t.schema):
        if pa.types.is_null(fld.type):
            t = t.set_column(i, fld.with_type(pa.string()), t.column(i).cast(pa.string()))
    return t


def _wkb_points(x: np.ndarray, y: np.ndarray) -> Any:
    """2-D points as an Arrow binary array of little-endian WKB (21 bytes each), without shapely objects.

    Examples
    --------
    >>> import shapely
    >>> w = _wkb_points(np.array([1.5]), np.array([-2.0]))
    >>> shapely.from_wkb(w.to_pylist()[0]).wkt
    'POINT (1.5 -2)'
    """
    import pyarrow as pa

    n = len(x)
    rec = np.empty(n, dtype=[("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
    rec["order"], rec["type"] = 1, 1  # little-endian, wkbPoint
    rec["x"], rec["y"] = x, y
    offsets = np.arange(0, rec.itemsize * (n + 1), rec.itemsize, dtype=np.int32)
    return pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(rec)])


#: SQLite page cache (MB) while the firm layer and its R-tree are written. SQLite's default
#: (2 MB) makes the R-tree build thrash from about a million points: measured on 1M random
#: points, 7.8 s CPU with the default, 4.2-4.4 s with 64 MB or more (3M points: 26.3 s, and
#: 19.6-19.9 s with 64 or 512 MB). Memory is taken only as pages are touched.
GPKG_CACHE_MB = 64


def _write_point_layer(firms: pd.DataFrame, path: Path, layer: str) -> None:
    """Firms as a point layer (``easting``/``northing``, EPSG:27700) of a GeoPackage, through pyogrio's Arrow path.

    The same layer geopandas' ``to_file(..., engine="pyogrio", use_arrow=True)``
    writes (fields, types, geometry column ``geom``, spatial index), without
    making a shapely point per firm first.
    """
    import pyarrow as pa
    from pyogrio import get_gdal_config_option, set_gdal_config_options, write_arrow

    t = _arrow_table(firms)
    geom = pa.field("geometry", pa.binary(), metadata={"ARROW:extension:name": "geoarrow.wkb"})
    t = t.append_column(geom, _wkb_points(firms["easting"].to_numpy(float), firms["northing"].to_numpy(float)))
    before = get_gdal_config_option("OGR_SQLITE_CACHE")
    set_gdal_config_options({"OGR_SQLITE_CACHE": str(GPKG_CACHE_MB)})
    try:
        write_arrow(t, path, layer=layer, driver="GPKG", geometry_name="geometry", geometry_type="Point",
                    crs=CRS)
    finally:
        set_gdal_config_options({"OGR_SQLITE_CACHE": before})


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """CSV through pyarrow's multithreaded writer (the same text pandas writes for these types)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pacsv.write_csv(pa.Table.from_pandas(table, preserve_index=False), path)


#: The output files' names (in the run's output folder).
GPKG = "microclusters.gpkg"
FIRM_GPKG = "microcluster_firms.gpkg"
UNLOCATED_CSV = "unlocated_firms.csv"
#: Every entry a microclusters run may write (single machine or ``--scheduler``): an earlier run's that this
#: run does not write is dropped when the folder is replaced; anything else in it (a user's files) is kept.
RUN_ENTRIES = frozenset({GPKG, FIRM_GPKG, "microclusters.geojson", "microclusters.csv", "microcluster_firms.csv",
                         "sweep.csv", "microcluster_hierarchy.csv", "microcluster_methods.csv",
                         "microcluster_hub_sensitivity.csv", "run.json", "microclusters_map.png", UNLOCATED_CSV,
                         "points"})
#: Its columns (``postcode`` empty for a file without postcodes).
UNLOCATED_COLUMNS = ("source_row", "name", "postcode", "reason")


def write_unlocated(unlocated: pd.DataFrame | None, folder: Path) -> dict[str, Any] | None:
    """Write the firms that could not be located as :data:`UNLOCATED_CSV` in ``folder`` (columns
    :data:`UNLOCATED_COLUMNS`) when there are any; the ``unlocated_firms`` entry of ``run.json``, or None.

    Both the single-machine run (:class:`OutputWriter`) and the Dask run
    (:func:`creative_clusters.distributed.points.microclusters_distributed`) write it with this.
    """
    if unlocated is None or not len(unlocated):
        return None
    table = unlocated.reindex(columns=list(UNLOCATED_COLUMNS))
    table.to_csv(folder / UNLOCATED_CSV, index=False)
    return {"file": UNLOCATED_CSV, "n": len(table), "columns": list(UNLOCATED_COLUMNS)}


def unlocated_note(n: int, address_kind: str, all_creative: bool = False) -> str:
    """The run note on ``n`` firms that could not be located (CLI, ``run.json``; both paths).

    >>> print(*unlocated_note(3, "registered").split(": "), sep="\\n")
    3 creative firms could not be located and were left out
    unlocated_firms.csv lists them (source_row, name, postcode, reason)
    """
    return (f"{n:,} {firm_words(address_kind, all_creative)['points']} could not be located and were left out: "
            f"{UNLOCATED_CSV} lists them ({', '.join(UNLOCATED_COLUMNS)})")


class OutputWriter:
    """One run's output folder: written into a temporary sibling, renamed into place by :meth:`commit`.

    The firm points are a GeoPackage of their own (``microcluster_firms.gpkg``),
    apart from the boundaries (``microclusters.gpkg``), so they can be written
    as soon as the labelled firm table is final: :meth:`start_firm_layer`,
    given to :func:`detect_microclusters` as ``on_firms``, forks a child that
    writes them while this process goes on: while it describes the
    microclusters from :data:`BACKGROUND_MAX_POINTS` firms on, where the
    stability draws finish first (at 5M firms the firm layer and the
    description each take about 30 s); below that, as soon as the draws
    finish: during the description (it looks between hull chunks) or after
    it, while the areas are attached and the other files written.
    Otherwise :meth:`commit` starts it.

    Examples
    --------
    >>> import tempfile
    >>> rng = np.random.default_rng(1)  # SYNTHETIC firms
    >>> xy = rng.normal(400000, 80, (60, 2))
    >>> firms = pd.DataFrame({"firm_id": [str(i) for i in range(60)], "easting": xy[:, 0],
    ...                       "northing": xy[:, 1], "subsector": ["design"] * 60})
    >>> w = OutputWriter(Path(tempfile.mkdtemp()) / "out", parallel=False)
    >>> res = detect_microclusters(firms, eps=300, min_firms=20, stability_reps=2, on_firms=w.start_firm_layer)
    >>> sorted(p.name for p in w.commit(res).glob("*.gpkg"))
    ['microcluster_firms.gpkg', 'microclusters.gpkg']
    """

    def __init__(self, out_dir: str | Path, *, parallel: bool = True) -> None:
        self.out_dir = swap_target(out_dir)
        self.parallel = parallel
        # folders made for OUT's parent, removed again by abort() if they are still empty
        self._made = [d for d in (self.out_dir.parent, *self.out_dir.parent.parents) if not d.exists()]
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.tmp-", dir=self.out_dir.parent))
        self._firms: pd.DataFrame | None = None  # the table the firm layer was started from
        self._firm_child: int | None = None

    def start_firm_layer(self, firms: pd.DataFrame) -> None:
        """Start writing ``firms`` (final: no column changes after this) as the firm point layer.

        With ``parallel`` and ``os.fork``, a child process writes it now;
        otherwise :meth:`commit` writes it here.
        """
        self._firms = firms
        if self.parallel:
            path = self.tmp / FIRM_GPKG
            self._firm_child = _forked(lambda: _write_point_layer(firms, path, "microcluster_firms"))

    def commit(self, result: MicroclusterResult, *, lads: Any | None = None,
               before_commit: Callable[[], None] | None = None) -> Path:
        """Write every other file, wait for the children, run ``before_commit``, then rename into place.

        If anything fails (a child's failure is repaired by writing its file
        here), the temporary folder is removed and ``out_dir`` is untouched.
        """
        painter: int | None = None
        try:
            mc, firms, tmp = result.microclusters, result.firms, self.tmp
            if self._firms is not firms:  # not started, or from another table: (re)start from this one
                if self._firm_child is not None:
                    _wait(self._firm_child)
                    self._firm_child = None
                (tmp / FIRM_GPKG).unlink(missing_ok=True)
                self.start_firm_layer(firms)
            # the PNG (matplotlib's import and one draw) in a second child, drawn here if it fails
            png = tmp / "microclusters_map.png"
            painter = _forked(lambda: _plot(result, png, lads)) if self.parallel else None
            mc.to_file(tmp / GPKG, layer="microclusters", driver="GPKG", engine="pyogrio", use_arrow=True)
            mc.to_crs(4326).to_file(tmp / "microclusters.geojson", driver="GeoJSON", engine="pyogrio",
                                    use_arrow=True)
            _write_csv(pd.DataFrame(mc.drop(columns="geometry")), tmp / "microclusters.csv")
            _write_csv(firms, tmp / "microcluster_firms.csv")
            if result.sweep is not None:
                result.sweep.to_csv(tmp / "sweep.csv", index=False)
            for name in ("hierarchy", "methods", "hub_sensitivity"):
                extra = getattr(result, name)
                if extra is not None:
                    _write_csv(extra, tmp / f"microcluster_{name}.csv")
            record: dict[str, Any] = {"params": result.params, "notes": result.notes,
                                      "size_distribution": size_distribution(mc)}
            entry = write_unlocated(result.unlocated, tmp)
            if entry is not None:
                record["unlocated_firms"] = entry
            (tmp / "run.json").write_text(json.dumps(record, indent=2))
            drawn = painter is not None and _wait(painter)
            painter = None
            if not drawn:
                png.unlink(missing_ok=True)
                _plot(result, png, lads)
            child, self._firm_child = self._firm_child, None
            if not (child is not None and _wait(child)):
                (tmp / FIRM_GPKG).unlink(missing_ok=True)
                _write_point_layer(firms, tmp / FIRM_GPKG, "microcluster_firms")
            if before_commit is not None:
                before_commit()
            swap_folder(tmp, self.out_dir, owned=RUN_ENTRIES.__contains__)
        except BaseException:
            if painter is not None:
                _stop(painter)
            self.abort()
            raise
        return self.out_dir

    def abort(self) -> None:
        """Stop a running child and remove the temporary folder (``out_dir`` is untouched).

        The child is terminated, not waited for: after a failure or Ctrl-C its
        file is not wanted (at 5M firms it would take half a minute more).
        """
        if self._firm_child is not None:
            _stop(self._firm_child)
            self._firm_child = None
        shutil.rmtree(self.tmp, ignore_errors=True)
        for folder in self._made:  # innermost first
            try:
                folder.rmdir()
            except OSError:  # not empty (something else wrote there) or already gone
                break


def write_outputs(
    result: MicroclusterResult,
    out_dir: str | Path,
    *,
    lads: Any | None = None,
    before_commit: Callable[[], None] | None = None,
    parallel: bool = True,
) -> Path:
    """Write GeoPackages, GeoJSON, CSVs and a PNG map into ``out_dir`` atomically.

    Files: ``microclusters.gpkg`` (layer ``microclusters``: boundaries),
    ``microcluster_firms.gpkg`` (layer ``microcluster_firms``: the firm
    points), ``microclusters.geojson`` (WGS84), ``microclusters.csv``,
    ``microcluster_firms.csv``, ``sweep.csv`` (if run), ``unlocated_firms.csv``
    (the firms that could not be located, if any: ``result.unlocated``),
    ``run.json`` (the parameters, the notes, the
    :func:`~creative_clusters.microclusters.describe.size_distribution` and,
    with unlocated firms, ``unlocated_firms``: the file and its row count) and
    ``microclusters_map.png``. Everything is written into a temporary sibling
    directory first, then renamed into place, so a failed run leaves
    ``out_dir`` untouched. ``before_commit`` (a no-argument callable, e.g. the
    warehouse load) runs after every file is written and before the rename;
    if it raises, nothing is moved into place.

    With ``parallel`` (default) and where ``os.fork`` exists, one child process
    writes the firm GeoPackage and another draws the PNG while this one writes
    the other files (GDAL and matplotlib hold the GIL, so threads would not
    overlap); if a child fails, its file is written again here. The files are
    the same either way. :class:`OutputWriter` can start the firm layer
    earlier.
    """
    return OutputWriter(out_dir, parallel=parallel).commit(result, lads=lads, before_commit=before_commit)


def _forked(job: Callable[[], None]) -> int | None:
    """Run ``job`` in a forked child process; its process id, or None where ``os.fork`` is missing or fails.

    The child runs nothing but ``job`` and leaves with ``os._exit`` (status 0
    when ``job`` returned), so no cleanup of this process runs twice.
    """
    fork = getattr(os, "fork", None)
    if fork is None:
        return None
    try:
        pid = fork()
    except OSError:
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = 1
        try:
            job()
            code = 0
        finally:
            os._exit(code)
    return pid


def _stop(pid: int) -> None:
    """Terminate child ``pid`` (if it is still running) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    _wait(pid)


def _wait(pid: int) -> bool:
    """Wait for child ``pid``; True when it exited with status 0."""
    try:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    except ChildProcessError:
        return False


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
            coverage=f"{len(mc)} microclusters from {len(firms):,} {run_words(result.params)['points']}",
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
