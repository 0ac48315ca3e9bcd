"""Write cluster maps: GeoPackage, GeoJSON, CSV and a choropleth (PNG + SVG).

Everything is written into a temporary directory next to ``out`` and moved
into place only when all files exist, so a failure never leaves half a map.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.classifications.dcms import DEFINITION_VERSION
from creative_clusters.errors import SchemaError

__all__ = ["CATEGORY_COLOURS", "atomic_dir", "choropleth", "write_map"]

OGL_LINE = "Contains public sector information licensed under the Open Government Licence v3.0."


class atomic_dir:
    """Context manager yielding a temp dir whose files are moved into ``out`` on success."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.tmp = self.out.parent / f".{self.out.name}.{uuid.uuid4().hex}.tmp"

    def __enter__(self) -> Path:
        from creative_clusters._files import check_out_folder

        check_out_folder(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir()
        return self.tmp

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        if not self.out.exists():
            os.replace(self.tmp, self.out)
            return
        for f in self.tmp.iterdir():
            os.replace(f, self.out / f.name)
        self.tmp.rmdir()


def choropleth(
    gdf: Any, value: str, *, title: str, source: str, method: str, png: Path, svg: Path,
    cluster: str | None = "cluster", k: int = 5, label: str | None = None,
    outline_label: str = "detected cluster",
) -> str:
    """Draw a quantile choropleth of ``value`` with clusters outlined.

    LQs and counts are right-skewed (London boroughs at 2–2.6 against a median
    near 0.75), so classes are quantiles — equal numbers of places per class,
    the rule of ``mapclassify.Quantiles`` — computed with NumPy (importing
    mapclassify costs several seconds of numba/scikit-learn start-up). Returns
    the classification used (e.g. ``"quantiles k=5"``).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    g = gdf.to_crs(27700) if gdf.crs is not None else gdf
    if g[value].dtype.kind in "OSU" or str(g[value].dtype) in ("string", "str"):
        return _categorical(g, value, title=title, source=source, method=method, png=png, svg=svg,
                            label=label or value, plt=plt, patch=Patch)
    vals = pd.to_numeric(g[value], errors="coerce").to_numpy(dtype=float)
    ok = ~np.isnan(vals)
    if ok.sum() == 0:
        raise SchemaError(f"nothing to map: column {value!r} has no values.")
    scheme = "quantiles"
    bins = np.unique(np.quantile(vals[ok], np.linspace(0, 1, k + 1)[1:]))
    cls = np.full(len(vals), -1)
    cls[ok] = np.searchsorted(bins, vals[ok], side="left").clip(0, len(bins) - 1)
    cmap = plt.get_cmap("YlOrRd", len(bins))
    colours = np.array([cmap(i) for i in range(len(bins))] + [(0.85, 0.85, 0.85, 1.0)], dtype=object)
    fig, ax = plt.subplots(figsize=(8, 10))
    g.plot(ax=ax, color=[colours[c] for c in cls], edgecolor="white", linewidth=0.2)
    handles = []
    lo = vals[ok].min()
    for i, b in enumerate(bins):
        handles.append(Patch(facecolor=cmap(i), label=f"{lo:.2f} – {b:.2f}"))
        lo = b
    if (~ok).any():
        handles.append(Patch(facecolor=(0.85, 0.85, 0.85), label="no data"))
    if cluster and cluster in g.columns and g[cluster].fillna(False).astype(bool).any():
        g[g[cluster].fillna(False).astype(bool)].boundary.plot(ax=ax, color="#1f3b73", linewidth=1.0)
        handles.append(Patch(facecolor="none", edgecolor="#1f3b73", label=outline_label))
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


#: Colours of categorical map values (trajectory classes first), colour-blind-safe (Okabe-Ito).
CATEGORY_COLOURS: dict[str, str] = {
    "established": "#0072B2", "emerging": "#E69F00", "stable": "#BFD3E6", "declining": "#D55E00",
}


def _categorical(g: Any, value: str, *, title: str, source: str, method: str, png: Path, svg: Path,
                 label: str, plt: Any, patch: Any) -> str:
    """Draw a categorical map (e.g. trajectory classes); empty values are 'no class'."""
    cats = g[value].fillna("").astype(str)
    present = [c for c in CATEGORY_COLOURS if (cats == c).any()]
    others = sorted(set(cats) - set(CATEGORY_COLOURS) - {""})
    extra = plt.get_cmap("tab10")
    colour = {**{c: CATEGORY_COLOURS[c] for c in present}, **{c: extra(i % 10) for i, c in enumerate(others)}}
    fig, ax = plt.subplots(figsize=(8, 10))
    from matplotlib.colors import to_rgba

    rgba = np.array([to_rgba(colour.get(c, (0.85, 0.85, 0.85, 1.0))) for c in cats])
    g.plot(ax=ax, color=rgba, edgecolor="white", linewidth=0.2)
    handles = [patch(facecolor=colour[c], label=f"{c} ({int((cats == c).sum())})") for c in [*present, *others]]
    if (cats == "").any():
        handles.append(patch(facecolor=(0.85, 0.85, 0.85), label=f"no class ({int((cats == '').sum())})"))
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
    outline_label: str = "detected cluster",
) -> dict[str, Path]:
    """Join ``places`` to ``geometry`` on ``geo_code`` and write all outputs into ``out``.

    Writes ``<basename>.gpkg``, ``.geojson``, ``.csv`` (every place with its
    indicators and labels; places without geometry are kept in the CSV), and
    ``.png``/``.svg`` choropleths. Returns the final paths.
    """
    import geopandas as gpd

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
    return {ext: out / n for ext, n in names.items()}
