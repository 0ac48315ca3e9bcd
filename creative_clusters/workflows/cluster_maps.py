"""Write cluster maps: GeoPackage, GeoJSON, CSV and a choropleth (PNG + SVG).

Everything is written into a temporary folder next to ``out``, which then
replaces ``out`` whole (:func:`creative_clusters._files.swap_folder`), so a
failure never leaves half a map and a reader never sees old and new files mixed.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from creative_clusters._map_style import NO_DATA, NoDataStyle
from creative_clusters.classifications.dcms import DEFINITION_VERSION
from creative_clusters.errors import ParameterError, SchemaError

__all__ = [
    "CATEGORY_CLASSES",
    "CATEGORY_COLOURS",
    "CATEGORY_LABELS",
    "CLUSTER_FLAG",
    "CLUSTER_OUTLINE",
    "LQ_CLASS_COLOURS",
    "LQ_CLASS_EDGES",
    "MAP_CLASSES",
    "NO_DATA",
    "QUANTILE_COLOURS",
    "Category",
    "NoDataStyle",
    "atomic_dir",
    "category_scale",
    "choropleth",
    "class_breaks",
    "classify",
    "classify_categories",
    "fixed_class_bins",
    "no_data_patch",
    "quantile_classes",
    "quantile_colours",
    "write_map",
]

OGL_LINE = "Contains public sector information licensed under the Open Government Licence v3.0."


class atomic_dir:
    """Context manager yielding a temporary folder that replaces ``out`` whole on success.

    Entries already in ``out`` that the run does not write (a user's notes,
    another command's map) are carried into the new folder first (hard links,
    else copies), so they stay, as they always have; the files the run writes
    replace their old versions all at once (:func:`~creative_clusters._files.swap_folder`):
    a reader sees the old set or the new one, never a mix. On any failure,
    before or during the swap, the temporary folder is removed and ``out`` is
    left as it was.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "out").mkdir(); _ = (root / "out" / "notes.txt").write_text("mine")
    >>> with atomic_dir(root / "out") as tmp:
    ...     _ = (tmp / "map.csv").write_text("new")
    >>> sorted(p.name for p in (root / "out").iterdir()), sorted(p.name for p in root.iterdir())
    (['map.csv', 'notes.txt'], ['out'])
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.given = out
        self.out = Path(os.path.abspath(out))
        self.tmp = self.out.parent / f".{self.out.name}.{uuid.uuid4().hex}.tmp"

    def __enter__(self) -> Path:
        from creative_clusters._files import swap_target

        swap_target(self.given)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir()
        return self.tmp

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        from creative_clusters._files import swap_folder

        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        try:
            swap_folder(self.tmp, self.out)  # the user's other entries in out carried over
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise


#: How many quantile classes a choropleth of a numeric measure has (the exported maps and the web map).
MAP_CLASSES = 5


def _floats(values: Any) -> np.ndarray:
    """``values`` as floats, anything not a number (None, text) as NaN."""
    return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(dtype=float)


def class_breaks(values: Any, k: int = MAP_CLASSES) -> list[float]:
    """Upper edges of the quantile classes of ``values``: the one rule of every numeric choropleth.

    The edges are the ``1/k, 2/k, ..., 1`` quantiles of the finite values
    (NumPy's linear rule), duplicates dropped, so skewed or tied data may give
    fewer than ``k`` classes. The last edge is the largest value. A value
    belongs to the first class whose edge is at least the value (see
    :func:`classify`). Used by :func:`choropleth` and by the web map's
    ``/api/indicators`` payload (``classes``), so both classify a layer alike.

    Parameters
    ----------
    values : array-like of float
        The map's values; ``None``, NaN and infinities are ignored (no data).
    k : int
        Number of classes asked for (at least 1).

    Returns
    -------
    list of float
        Ascending upper edges; empty when no value is finite.

    Raises
    ------
    ParameterError
        ``k`` below 1.

    Examples
    --------
    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=5)
    [2.8, 4.6, 6.4, 8.2, 10.0]
    >>> class_breaks([0, 0, 0, 0, 0, 5, 5, 5, 5, 5], k=5)  # ties: fewer classes
    [0.0, 5.0]
    >>> class_breaks([None, float("nan")])
    []
    """
    if k < 1:
        raise ParameterError(f"k {k!r} is not a number of classes; give k >= 1 (the maps use {MAP_CLASSES})")
    vals = _floats(values)
    vals = vals[np.isfinite(vals)]
    if not len(vals):
        return []
    return [float(b) for b in np.unique(np.quantile(vals, np.linspace(0, 1, k + 1)[1:]))]


def classify(values: Any, breaks: list[float]) -> list[int | None]:
    """The class of each value under the upper edges ``breaks`` (from :func:`class_breaks`); None for no data.

    Class ``i`` holds the values above ``breaks[i-1]`` up to and including
    ``breaks[i]``; values beyond the last edge go to the last class.

    Examples
    --------
    >>> classify([1, 2.8, 3, 10, None], [2.8, 4.6, 10.0])
    [0, 0, 1, 2, None]
    """
    vals = _floats(values)
    ok = np.isfinite(vals)
    if not breaks:
        return [None] * len(vals)
    cls = np.searchsorted(np.asarray(breaks, dtype=float), vals, side="left").clip(0, len(breaks) - 1)
    return [int(c) if o else None for c, o in zip(cls, ok, strict=True)]


#: Colours of quantile classes, lightest first, on the exported maps and the web map alike: teal to navy,
#: each with at least 3:1 contrast against the white legend and page (WCAG 1.4.11), and apart from the
#: LQ maps' purple and orange, so a count is never read as a location quotient.
QUANTILE_COLOURS = ("#35978f", "#2d8a84", "#1b6f8a", "#0b5394", "#08306b")
#: Outline of the places a detection method flags, over any fill (the web map's hotspot outline).
CLUSTER_OUTLINE = "#d7191c"
#: The column of a detection result (:func:`~creative_clusters.workflows.detection.run_method`) that says
#: which places are outlined in :data:`CLUSTER_OUTLINE`: the detector's own flag (hot spots:
#: ``HotspotClusters.is_cluster_``, Gi* hot or local Moran HH), never a rule of the map's. The exported
#: maps outline it (:func:`choropleth`); the web map's hotspot layer outlines the rows ``/api/indicators``
#: marks ``outlined``, which :func:`~creative_clusters.workflows.map_data.map_indicator` copies from it.
CLUSTER_FLAG = "cluster"
# No value: NO_DATA (defined in creative_clusters._map_style, re-exported here), hatched grey with its legend
# label, on the exported maps, the evidence pack's maps and the web map (/api/meta `no_data`).


def quantile_colours(n: int) -> list[str]:
    """The colours of ``n`` quantile classes (:data:`QUANTILE_COLOURS`; classes past the last take the last).

    Examples
    --------
    >>> quantile_colours(2)
    ['#35978f', '#2d8a84']
    """
    return [QUANTILE_COLOURS[min(i, len(QUANTILE_COLOURS) - 1)] for i in range(n)]


def quantile_classes(values: Any, k: int = MAP_CLASSES) -> dict[str, Any]:
    """The quantile classes of ``values`` as a map legend needs them (the web map's ``classes``).

    Returns a dict with ``scheme`` ("quantiles"), ``breaks`` (:func:`class_breaks`),
    ``lowest`` (the smallest finite value, where the first class starts; None
    when there is none), ``colours`` (:func:`quantile_colours`, one per class)
    and ``classes`` (:func:`classify`, one per value).

    Examples
    --------
    >>> q = quantile_classes([1, 2, 3, None], k=2)
    >>> q["scheme"], q["breaks"], q["lowest"], q["classes"]
    ('quantiles', [2.0, 3.0], 1.0, [0, 0, 1, None])
    >>> q["colours"]
    ['#35978f', '#2d8a84']
    """
    vals = _floats(values)
    breaks = class_breaks(vals, k)
    finite = vals[np.isfinite(vals)]
    return {"scheme": "quantiles", "breaks": breaks, "lowest": float(finite.min()) if len(finite) else None,
            "colours": quantile_colours(len(breaks)), "classes": classify(vals, breaks)}


#: Upper edges of the classes of an LQ map below its largest value: symmetric around 1 on a ratio scale
#: (1/1.5, 1/1.25, 1/1.1, 1.1, 1.25, 1.5), so no class holds LQs on both sides of 1. The web map draws
#: these classes too (served by ``/api/meta`` ``map_classes`` and ``/api/indicators`` ``classes``).
LQ_CLASS_EDGES = (0.67, 0.8, 0.91, 1.1, 1.25, 1.5)
#: Their colours: purple below 1, grey about 1, orange above (the web map's too).
LQ_CLASS_COLOURS = ("#2d004b", "#542788", "#8073ac", "#7a7a7a", "#e08214", "#b35806", "#7f3b08")


def fixed_class_bins(values: Any, edges: Any) -> list[float]:
    """Upper edges of the classes of ``values`` on a fixed scale ``edges`` (the LQ maps' rule).

    The edges below the largest finite value, then that value: class ``i``
    (:func:`classify`) keeps the colour of the scale's class ``i``, and a map
    whose values stop early has no empty classes above them. Used by
    :func:`choropleth` for LQs and by the web map's ``/api/indicators``
    payload, so both put a value on an edge in the same class (the lower one).

    Parameters
    ----------
    values : array-like of float
        The map's values; ``None``, NaN and infinities are ignored (no data).
    edges : sequence of float
        The scale's ascending upper edges, e.g. :data:`LQ_CLASS_EDGES`.

    Returns
    -------
    list of float
        Ascending upper edges; empty when no value is finite.

    Examples
    --------
    >>> fixed_class_bins([0.5, 1.0, 1.3], LQ_CLASS_EDGES)
    [0.67, 0.8, 0.91, 1.1, 1.25, 1.3]
    >>> classify([0.5, 0.91, 1.0, 1.3, 2.0], fixed_class_bins([0.5, 2.0], LQ_CLASS_EDGES))
    [0, 2, 3, 5, 6]
    >>> fixed_class_bins([None], LQ_CLASS_EDGES)
    []
    """
    vals = _floats(values)
    vals = vals[np.isfinite(vals)]
    if not len(vals):
        return []
    top = float(vals.max())
    return [float(b) for b in edges if b < top] + [top]


def is_lq_measure(value: str, label: str | None = None) -> bool:
    """True for a location quotient column (``business_lq``, ``lq``, ``*_lq`` or a label naming an LQ).

    Examples
    --------
    >>> is_lq_measure("business_lq"), is_lq_measure("businesses"), is_lq_measure("v", "Creative LQ")
    (True, False, True)
    """
    v = value.lower()
    return v == "lq" or v.endswith("_lq") or "lq" in re.findall(r"[a-z]+", (label or "").lower())


def choropleth(
    gdf: Any, value: str, *, title: str, source: str, method: str, png: Path, svg: Path,
    cluster: str | None = CLUSTER_FLAG, k: int = MAP_CLASSES, label: str | None = None,
    outline_label: str = "detected cluster",
) -> str:
    """Draw a quantile choropleth of ``value`` with clusters outlined.

    Places whose ``cluster`` column (:data:`CLUSTER_FLAG`) is true are outlined
    in :data:`CLUSTER_OUTLINE`; places without a value are drawn in the
    :data:`NO_DATA` style (hatched grey) with its legend label.

    LQs and counts are right-skewed (London boroughs at 2–2.6 against a median
    near 0.75), so classes are quantiles — equal numbers of places per class,
    the rule of ``mapclassify.Quantiles`` — computed with NumPy (importing
    mapclassify costs several seconds of numba/scikit-learn start-up). Returns
    the classification used (e.g. ``"quantiles k=5"``).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    g = gdf.to_crs(27700) if gdf.crs is not None else gdf
    if g[value].dtype.kind in "OSU" or str(g[value].dtype) in ("string", "str"):
        return _categorical(g, value, title=title, source=source, method=method, png=png, svg=svg,
                            label=label or value, plt=plt, patch=Patch)
    vals = pd.to_numeric(g[value], errors="coerce").to_numpy(dtype=float)
    ok = ~np.isnan(vals)
    if ok.sum() == 0:
        raise SchemaError(f"nothing to map: column {value!r} has no values.")
    if is_lq_measure(value, label):  # classes that never straddle 1: above and below the benchmark apart
        scheme = "diverging around 1"
        bins = np.asarray(fixed_class_bins(vals, LQ_CLASS_EDGES))
        fill = [to_rgba(c) for c in LQ_CLASS_COLOURS[:len(bins)]]  # at most one class per colour
    else:
        scheme = "quantiles"
        bins = np.asarray(class_breaks(vals, k))
        fill = [to_rgba(c) for c in quantile_colours(len(bins))]
    cls = np.array([-1 if c is None else c for c in classify(vals, list(bins))])
    fig, ax = plt.subplots(figsize=(8, 10))
    g[ok].plot(ax=ax, color=[fill[c] for c in cls[ok]], edgecolor="white", linewidth=0.2)
    _draw_no_data(g[~ok], ax)
    handles = []
    lo = vals[ok].min()
    for i, b in enumerate(bins):
        if scheme == "quantiles" or (cls == i).any() or lo < b:
            handles.append(Patch(facecolor=fill[i], label=f"{lo:.2f} – {b:.2f}"))
        lo = b
    if (~ok).any():
        handles.append(no_data_patch(Patch))
    if cluster and cluster in g.columns and g[cluster].fillna(False).astype(bool).any():
        g[g[cluster].fillna(False).astype(bool)].boundary.plot(ax=ax, color=CLUSTER_OUTLINE, linewidth=1.0)
        handles.append(Patch(facecolor="none", edgecolor=CLUSTER_OUTLINE, label=outline_label))
    ax.legend(handles=handles, title=label or value, loc="upper left", fontsize=8, title_fontsize=9)
    ax.set_axis_off()
    ax.set_title(title, fontsize=12)
    foot = (f"Source: {source}. {OGL_LINE}\nDefinitions: {DEFINITION_VERSION}. Method: {method}. "
            f"Classes: {scheme} k={len(bins)}.")
    fig.text(0.02, 0.01, foot, fontsize=6, wrap=True, va="bottom")
    fig.savefig(png, dpi=150, bbox_inches="tight")
    fig.savefig(svg, bbox_inches="tight")
    plt.close(fig)
    return f"{scheme} k={len(bins)}"


def _draw_no_data(g: Any, ax: Any) -> None:
    """Draw the places of ``g`` (those without a value) in the :data:`NO_DATA` style on ``ax``."""
    if len(g):
        g.plot(ax=ax, facecolor=NO_DATA.fill, edgecolor=NO_DATA.hatch_colour, hatch=NO_DATA.hatch, linewidth=0.2)


def no_data_patch(patch: Any, label: str | None = None) -> Any:
    """The legend entry of :data:`NO_DATA` (``patch``: ``matplotlib.patches.Patch``), labelled ``label`` or its own."""
    return patch(facecolor=NO_DATA.fill, edgecolor=NO_DATA.hatch_colour, hatch=NO_DATA.hatch,
                 label=NO_DATA.label if label is None else label)


class Category(NamedTuple):
    """One class of a categorical map: the value as the data hold it, its colour and its legend label."""

    value: str
    colour: str
    label: str


#: The classes of every categorical map measure, in legend order: the one palette and set of labels
#: of the exported maps (:func:`choropleth`) and the web map (``/api/meta`` ``category_classes``,
#: ``/api/indicators`` ``classes``). Trajectory classes in Okabe-Ito colours (colour-blind safe; a
#: pale blue for "stable", the class of most places, so the others stand out); hotspot quadrants and
#: cluster labels in the LQ classes' colours (ColorBrewer PuOr, colour-blind safe): high orange, low
#: purple, not significant grey, as on the LQ map; islands (no neighbours, so no test) light grey.
#: A value in none of them (a trajectory's "" before its window, a hotspot's "no data") has no
#: class: it is drawn as no data.
CATEGORY_CLASSES: dict[str, tuple[Category, ...]] = {
    "trajectory_class": (
        Category("established", "#0072B2", "established"),
        Category("emerging", "#E69F00", "emerging"),
        Category("stable", "#BFD3E6", "stable"),
        Category("declining", "#D55E00", "declining"),
    ),
    "hotspot_class": (
        Category("HH", LQ_CLASS_COLOURS[6], "HH: high, neighbours high (hotspot)"),
        Category("HL", LQ_CLASS_COLOURS[4], "HL: high, neighbours low"),
        Category("LH", LQ_CLASS_COLOURS[2], "LH: low, neighbours high"),
        Category("LL", LQ_CLASS_COLOURS[0], "LL: low, neighbours low (coldspot)"),
        Category("not significant", LQ_CLASS_COLOURS[3], "not significant"),
        Category("island", "#bdbdbd", "island: no neighbours, not tested"),
    ),
    "cluster_label": (
        Category("cluster", LQ_CLASS_COLOURS[6], "cluster"),
        Category("not a cluster", LQ_CLASS_COLOURS[3], "not a cluster"),
    ),
}
#: Colour of every categorical map value (trajectory classes first), from :data:`CATEGORY_CLASSES`.
CATEGORY_COLOURS: dict[str, str] = {c.value: c.colour for cats in CATEGORY_CLASSES.values() for c in cats}
#: Legend label of every categorical map value, from :data:`CATEGORY_CLASSES`.
CATEGORY_LABELS: dict[str, str] = {c.value: c.label for cats in CATEGORY_CLASSES.values() for c in cats}


def category_scale(measure: str) -> dict[str, Any]:
    """The classes of the categorical ``measure`` as the web map's legend needs them (JSON).

    Class ``i`` is the value ``values[i]``, drawn in ``colours[i]`` and
    labelled ``labels[i]`` (:data:`CATEGORY_CLASSES`, legend order).

    Raises
    ------
    ParameterError
        ``measure`` is not a categorical map measure.

    Examples
    --------
    >>> s = category_scale("cluster_label")
    >>> s["scheme"], s["values"], s["labels"][0]
    ('categories', ['cluster', 'not a cluster'], 'cluster')
    """
    if measure not in CATEGORY_CLASSES:
        raise ParameterError(f"{measure!r} is not a categorical map measure; those are {sorted(CATEGORY_CLASSES)}")
    cats = CATEGORY_CLASSES[measure]
    return {"scheme": "categories", "values": [c.value for c in cats], "colours": [c.colour for c in cats],
            "labels": [c.label for c in cats]}


def classify_categories(values: Any, measure: str) -> list[int | None]:
    """The class of each value of the categorical ``measure`` (its index in :func:`category_scale`); None for none.

    Examples
    --------
    >>> classify_categories(["stable", "", None, "emerging"], "trajectory_class")
    [2, None, None, 1]
    """
    index = {v: i for i, v in enumerate(category_scale(measure)["values"])}
    return [index.get(v) if isinstance(v, str) else None for v in values]


def _categorical(g: Any, value: str, *, title: str, source: str, method: str, png: Path, svg: Path,
                 label: str, plt: Any, patch: Any) -> str:
    """Draw a categorical map (e.g. trajectory classes) in :data:`CATEGORY_COLOURS`; empty values as :data:`NO_DATA`.

    Legend labels are :data:`CATEGORY_LABELS` (the web map's); a value none of
    :data:`CATEGORY_CLASSES` knows gets a ``tab10`` colour and its own text.
    """
    cats = g[value].fillna("").astype(str)
    present = [c for c in CATEGORY_COLOURS if (cats == c).any()]
    others = sorted(set(cats) - set(CATEGORY_COLOURS) - {""})
    extra = plt.get_cmap("tab10")
    colour = {**{c: CATEGORY_COLOURS[c] for c in present}, **{c: extra(i % 10) for i, c in enumerate(others)}}
    fig, ax = plt.subplots(figsize=(8, 10))
    from matplotlib.colors import to_rgba

    blank = (cats == "").to_numpy()
    if (~blank).any():
        g[~blank].plot(ax=ax, color=np.array([to_rgba(colour[c]) for c in cats[~blank]]), edgecolor="white",
                       linewidth=0.2)
    _draw_no_data(g[blank], ax)
    handles = [patch(facecolor=colour[c], label=f"{CATEGORY_LABELS.get(c, c)} ({int((cats == c).sum())})")
               for c in [*present, *others]]
    if blank.any():
        handles.append(no_data_patch(patch, f"{NO_DATA.label} ({int(blank.sum())})"))
    ax.legend(handles=handles, title=label, loc="upper left", fontsize=8, title_fontsize=9)
    ax.set_axis_off()
    ax.set_title(title, fontsize=12)
    foot = f"Source: {source}. {OGL_LINE}\nDefinitions: {DEFINITION_VERSION}. Method: {method}. Classes: categories."
    fig.text(0.02, 0.01, foot, fontsize=6, wrap=True, va="bottom")
    fig.savefig(png, dpi=150, bbox_inches="tight")
    fig.savefig(svg, bbox_inches="tight")
    plt.close(fig)
    return "categories"


def write_map(
    places: pd.DataFrame, geometry: Any, out: str | os.PathLike[str], *, value: str,
    title: str, source: str, method: str, basename: str = "clusters", label: str | None = None,
    outline_label: str = "detected cluster", tables: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, Path]:
    """Join ``places`` to ``geometry`` on ``geo_code`` and write all outputs into ``out``.

    Writes ``<basename>.gpkg``, ``.geojson``, ``.csv`` (every place with its
    indicators and labels; places without geometry are kept in the CSV), and
    ``.png``/``.svg`` choropleths, plus each of ``tables`` as a CSV named by
    its key (e.g. ``{"corridor_summary": table}``), all put in place in one
    swap (:class:`atomic_dir`). Returns the final paths, keyed by extension
    and by the ``tables`` keys.

    Raises
    ------
    ParameterError
        A ``tables`` key that is not a plain name or clashes with ``basename``.
    SchemaError
        No place has a boundary in ``geometry``.
    """
    import geopandas as gpd

    tables = dict(tables or {})
    for key in tables:
        if not key or key != Path(key).name or key.startswith(".") or key == basename:
            raise ParameterError(f"table name {key!r} is not a plain file name other than {basename!r}; "
                                 "give a name such as 'corridor_summary' (written as corridor_summary.csv)")

    geo = geometry[["geo_code", "geometry"]]
    gdf = gpd.GeoDataFrame(places.merge(geo, on="geo_code", how="inner"), geometry="geometry",
                           crs=geometry.crs)
    if gdf.empty:
        raise SchemaError("none of the places has a boundary in the geometry layer; check the vintage.")
    out = Path(out)
    names = {ext: f"{basename}.{ext}" for ext in ("gpkg", "geojson", "csv", "png", "svg")}
    flat = gdf.copy()
    for c in flat.columns:
        if c != "geometry" and flat[c].dtype == bool:
            flat[c] = flat[c].astype(bool)
        elif c != "geometry" and flat[c].dtype.kind == "O":
            flat[c] = flat[c].astype(str)
    with atomic_dir(out) as tmp:
        places.assign(definitions=DEFINITION_VERSION, method=method).to_csv(tmp / names["csv"], index=False)
        flat.to_file(tmp / names["gpkg"], driver="GPKG", layer=basename)
        flat.to_crs(4326).to_file(tmp / names["geojson"], driver="GeoJSON")
        choropleth(gdf, value, title=title, source=source, method=method,
                   png=tmp / names["png"], svg=tmp / names["svg"], label=label,
                   outline_label=outline_label)
        for key, table in tables.items():
            table.to_csv(tmp / f"{key}.csv", index=False)
    return {**{ext: out / n for ext, n in names.items()}, **{key: out / f"{key}.csv" for key in tables}}
