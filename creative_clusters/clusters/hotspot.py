"""Local spatial statistics: Getis-Ord Gi* hot spots and LISA quadrants (via esda)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Self

import numpy as np
import pandas as pd

from creative_clusters._text import count_words
from creative_clusters.clusters._base import ClusterDetector
from creative_clusters.errors import ParameterError, UnknownCodeError
from creative_clusters.indicators._checks import check_columns, check_not_empty, check_param, warn

__all__ = ["HotspotClusters", "as_weights", "load_esda"]

_QUAD = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def load_esda() -> Any:
    """Import esda, by default with numba's JIT switched off for esda's kernels.

    esda's permutation kernels are numba functions that are compiled afresh in
    every process (esda does not cache them): about 45 s on a 2-core machine
    before the first Gi*/LISA result, against about 0.1 s to run the same
    kernels as plain NumPy for a few hundred places × 999 permutations. So,
    when esda has not been imported yet, it is imported with
    ``numba.config.DISABLE_JIT`` set (restored afterwards) and esda runs its
    own Python code paths. Statistics are identical; permutation draws then
    come from NumPy's generator, so p-values for a given seed equal esda's in
    the same mode (not a JIT-compiled esda's). Set the environment variable
    ``CREATIVE_CLUSTERS_NUMBA_JIT=1`` to keep the JIT (e.g. for tens of
    thousands of places), or import esda yourself first.
    """
    import os
    import sys

    if "esda" in sys.modules or os.environ.get("CREATIVE_CLUSTERS_NUMBA_JIT") == "1":
        import esda

        return esda
    try:
        import numba
    except ImportError:  # pragma: no cover - esda works without numba
        import esda

        return esda
    config: Any = numba.config  # DISABLE_JIT is set at run time, not declared
    old = config.DISABLE_JIT
    config.DISABLE_JIT = True
    try:
        import esda
        import esda.crand
    finally:
        config.DISABLE_JIT = old
    if not hasattr(esda.crand.compute_chunk, "py_func"):
        # numba's type object is not a NumPy dtype outside compiled code.
        esda.crand.boolean = bool
    return esda


def as_weights(connectivity: Any) -> Any:
    """Return a libpysal ``W`` for a ``W`` or a ``libpysal.graph.Graph``."""
    try:
        from libpysal.graph import Graph
        from libpysal.weights import W
    except ImportError as err:  # pragma: no cover - spatial extra missing
        raise ImportError(
            "HotspotClusters needs libpysal and esda; install them with: "
            "pip install 'creative-clusters[spatial]'"
        ) from err
    if isinstance(connectivity, Graph):
        return connectivity.to_W()
    if isinstance(connectivity, W):
        return connectivity
    raise ParameterError(
        "The 'connectivity' parameter of HotspotClusters must be a libpysal W or Graph "
        f"(e.g. libpysal.weights.Queen.from_dataframe(gdf, ids='geo_code')). Got "
        f"{type(connectivity).__name__} instead."
    )


def _subset(w: Any, ids: list[Any]) -> Any:
    from libpysal.weights import W

    keep = set(ids)
    neighbors = {i: [j for j in w.neighbors[i] if j in keep] for i in ids}
    weights = {i: [wt for j, wt in zip(w.neighbors[i], w.weights[i], strict=True) if j in keep]
               for i in ids}
    return W(neighbors, weights, id_order=list(ids), silence_warnings=True)


class HotspotClusters(ClusterDetector):
    """Hot spots by Getis-Ord Gi* and local Moran's I (LISA), with FDR control.

    Both statistics are esda's own (``esda.G_Local(star=True)`` and
    ``esda.Moran_Local``) run on the same values, weights and ``seed``, so
    their statistics and pseudo p-values equal a direct esda call
    (``tests/clusters`` checks this). Significance uses the
    Benjamini–Hochberg false-discovery rate (``esda.fdr``) at ``alpha`` when
    ``fdr=True``, else the raw pseudo p-value (docs/methods.md §14.6–7).

    Parameters
    ----------
    connectivity : libpysal W or Graph
        Spatial weights whose ids are the table's ``geo`` codes (queen
        contiguity for LADs/TTWAs, kNN for points; docs/methods.md §14.6).
    value : str, default "lq"
        Column analysed.
    geo : str, default "geo_code"
        Column of place codes matched to the weights' ids (the index if absent).
    statistic : {"both", "gi", "lisa"}, default "both"
    permutations : int, default 999
    seed : int or None, default None
        Seed of the permutations; fix it for reproducible p-values.
    alpha : float, default 0.05
    fdr : bool, default True
    by : sequence of str, optional
        Run separately per group (e.g. per sub-sector).
    n_jobs : int, default 1
        Passed to esda; results with a seed are reproducible for a fixed n_jobs.
    warn_islands : bool, default True
        Warn when places have no neighbours. Workflows that say so in their
        own words (``workflows.detection.hotspot_caveats``) turn it off.

    Notes
    -----
    Gi* uses binary weights with a self-weight of 1 (``transform="B"``, the
    Getis & Ord 1992 form); LISA uses row-standardised weights (esda's
    default). Pseudo p-values are esda 2.9's default one-sided ("directed")
    ones, ``(M + 1) / (R + 1)``. Quadrants: HH hot spot, LL cold spot, HL a
    high value among low neighbours (a candidate "incipient cluster"), LH the
    reverse (docs/methods.md §14.7).

    Attributes
    ----------
    results_ : pandas.DataFrame
        Aligned with the input: ``gi_star``, ``gi_z``, ``gi_p``, ``gi_label``
        (hot/cold/not significant), ``lisa_i``, ``lisa_p``, ``lisa_quadrant``
        (HH/HL/LH/LL or ns), ``is_cluster`` (Gi* hot or LISA HH).
    labels_ : pandas.Series
        ``gi_label`` (or ``lisa_quadrant`` with ``statistic="lisa"``);
        ``"island"`` for places with no neighbours, ``"no data"`` for NaN values.
    is_cluster_ : pandas.Series of bool
    islands_ : list
        Place codes left out because they had no neighbours.
    parts_ : list of list of list
        For each group (``by``) whose places (islands left out) fall into
        separate parts with no neighbour across them, the parts' place codes,
        largest first (e.g. Great Britain and Northern Ireland); empty when
        every group is connected.

    Examples
    --------
    A 6 × 6 grid of places whose top-left 3 × 3 block has three times the LQ
    of the rest (SYNTHETIC values):

    >>> import numpy as np
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(6, 6, id_type="string")
    >>> lq = np.ones(36)
    >>> lq[[0, 1, 2, 6, 7, 8, 12, 13, 14]] = 3.0
    >>> table = pd.DataFrame({"geo_code": w.id_order, "lq": lq})
    >>> hs = HotspotClusters(w, permutations=99, seed=1).fit(table)
    >>> sorted(table.loc[hs.is_cluster_.to_numpy(), "geo_code"])
    ['id1', 'id13', 'id6', 'id7', 'id8']
    >>> hs.results_["gi_label"].value_counts().to_dict()  # the block is hot, its surroundings cold
    {'cold': 21, 'not significant': 10, 'hot': 5}
    """

    def __init__(
        self,
        connectivity: Any,
        *,
        value: str = "lq",
        geo: str = "geo_code",
        statistic: str = "both",
        permutations: int = 999,
        seed: int | None = None,
        alpha: float = 0.05,
        fdr: bool = True,
        by: Sequence[str] | None = None,
        n_jobs: int = 1,
        warn_islands: bool = True,
    ) -> None:
        self.connectivity = connectivity
        self.value = value
        self.geo = geo
        self.statistic = statistic
        self.permutations = permutations
        self.seed = seed
        self.alpha = alpha
        self.fdr = fdr
        self.by = by
        self.n_jobs = n_jobs
        self.warn_islands = warn_islands

    def fit(self, table: pd.DataFrame, /) -> Self:
        """Compute Gi* and/or LISA for every place (per group)."""
        owner = type(self).__name__
        check_param("statistic", self.statistic, self.statistic in ("both", "gi", "lisa"),
                    "'both', 'gi' or 'lisa'", owner=owner)
        check_param("alpha", self.alpha, isinstance(self.alpha, float) and 0 < self.alpha < 1,
                    "a float in (0, 1)", owner=owner)
        check_param("permutations", self.permutations,
                    isinstance(self.permutations, int) and self.permutations >= 9,
                    "an int >= 9", owner=owner)
        by = list(self.by or [])
        check_columns(table, [self.value, *by], caller=f"{owner}.fit()")
        check_not_empty(table, caller=f"{owner}.fit()")
        w = as_weights(self.connectivity)
        codes = table[self.geo] if self.geo in table.columns else table.index.to_series()
        codes = pd.Series(codes.to_numpy(), index=table.index)
        known = set(w.id_order)
        unknown = sorted({str(c) for c in codes if c not in known})
        if unknown:
            raise UnknownCodeError(
                f"{owner}.fit(): {count_words(len(unknown), 'place')} not in the connectivity weights, "
                f"e.g. {', '.join(unknown[:5])}. Build the weights from the same places and boundary "
                "vintage as the table."
            )
        res = pd.DataFrame(index=table.index, columns=[
            "gi_star", "gi_z", "gi_p", "lisa_i", "lisa_z", "lisa_p"], dtype="float64")
        res["gi_label"] = "not significant"
        res["lisa_quadrant"] = "ns"
        self.islands_: list[Any] = []
        self.parts_: list[list[list[Any]]] = []
        groups = table.groupby(by if len(by) > 1 else by[0], sort=True).groups if by else {None: table.index}
        for _key, idx in groups.items():
            self._fit_group(table.loc[idx], codes.loc[idx], w, res)
        labels = res["lisa_quadrant"].copy() if self.statistic == "lisa" else res["gi_label"].copy()
        nodata = res["gi_label"].eq("no data")
        isl = res["gi_label"].eq("island")
        labels[nodata] = "no data"
        labels[isl] = "island"
        res["is_cluster"] = (
            (res["gi_label"].eq("hot") if self.statistic != "lisa" else False)
            | (res["lisa_quadrant"].eq("HH") if self.statistic != "gi" else False)
        )
        self.results_ = res
        self.labels_ = labels.rename("hotspot")
        self.is_cluster_ = res["is_cluster"].astype(bool).rename("cluster")
        self.n_clusters_ = int(self.is_cluster_.sum())
        return self

    def _fit_group(self, part: pd.DataFrame, codes: pd.Series, w: Any, res: pd.DataFrame) -> None:
        esda = load_esda()

        if codes.duplicated().any():
            dup = sorted({str(c) for c in codes[codes.duplicated()]})[:5]
            raise ParameterError(
                f"{type(self).__name__}.fit(): places {dup} appear more than once in one "
                "group; pass by=[...] naming the column that separates them (e.g. industry_code)."
            )
        y_all = pd.to_numeric(part[self.value]).astype(float)
        nan = y_all.isna().to_numpy()
        res.loc[part.index[nan], "gi_label"] = "no data"
        res.loc[part.index[nan], "lisa_quadrant"] = "no data"
        if nan.any():
            warn(f"{type(self).__name__}: {count_words(int(nan.sum()), 'place')} with no {self.value!r} "
                 "value (suppressed or missing); they are left out of the weights.", stacklevel=4)
        pos = dict(zip(codes[~nan], part.index[~nan], strict=True))
        ids = [i for i in w.id_order if i in pos]
        islands: list[Any] = []
        while True:
            ws = _subset(w, ids)
            isl = list(ws.islands)
            if not isl:
                break
            islands += isl
            ids = [i for i in ids if i not in set(isl)]
        if islands:
            if self.warn_islands:
                shown = ", ".join(str(i) for i in islands[:3]) + (", …" if len(islands) > 3 else "")
                warn(f"{type(self).__name__}: {len(islands)} "
                     f"{'place has' if len(islands) == 1 else 'places have'} no neighbours ({shown}) and get no "
                     "statistic; k-nearest-neighbour weights would connect them.", stacklevel=4)
            self.islands_ += islands
            res.loc[[pos[i] for i in islands], ["gi_label", "lisa_quadrant"]] = "island"
        if len(ids) < 3:
            warn(f"{type(self).__name__}: fewer than 3 connected places; nothing to test.",
                 stacklevel=4)
            return
        if ws.n_components > 1:  # e.g. Northern Ireland and Great Britain: no neighbour across them
            comp = pd.Series(ws.component_labels, index=ws.id_order)
            parts = sorted((list(g.index) for _, g in comp.groupby(comp, sort=False)), key=lambda g: (-len(g), g))
            self.parts_ += [parts]
            if self.warn_islands:
                warn(f"{type(self).__name__}: the places fall into {len(parts)} groups with no neighbour across "
                     f"them (sizes {', '.join(str(len(g)) for g in parts)}); each place is compared only with "
                     "its own group, and no hot spot spans two groups.", stacklevel=4)
        y = y_all.loc[[pos[i] for i in ids]].to_numpy()
        rows = [pos[i] for i in ids]
        with warnings.catch_warnings():
            # esda 2.9 announces a future change of its default alternative; we keep
            # its current default (the "directed"/folded pseudo p-value) and say so.
            warnings.filterwarnings("ignore", message="The alternative hypothesis", category=DeprecationWarning)
            # libpysal's "not fully connected" notice when esda rebuilds the weights: parts_ says it in words
            warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
            self._run(esda, y, ws, rows, res)

    def _run(self, esda: Any, y: np.ndarray, ws: Any, rows: list[Any], res: pd.DataFrame) -> None:
        if self.statistic in ("both", "gi"):
            g = esda.G_Local(y, ws, transform="B", star=True, permutations=self.permutations,
                             seed=self.seed, n_jobs=self.n_jobs)
            p = np.asarray(g.p_sim, dtype=float)
            sig = self._significant(p)
            res.loc[rows, "gi_star"] = np.asarray(g.Gs, dtype=float)
            res.loc[rows, "gi_z"] = np.asarray(g.Zs, dtype=float)
            res.loc[rows, "gi_p"] = p
            res.loc[rows, "gi_label"] = np.select(
                [sig & (np.asarray(g.Zs) > 0), sig & (np.asarray(g.Zs) < 0)],
                ["hot", "cold"], default="not significant")
        if self.statistic in ("both", "lisa"):
            m = esda.Moran_Local(y, ws, permutations=self.permutations,
                                 seed=self.seed, n_jobs=self.n_jobs)
            p = np.asarray(m.p_sim, dtype=float)
            sig = self._significant(p)
            res.loc[rows, "lisa_i"] = np.asarray(m.Is, dtype=float)
            res.loc[rows, "lisa_z"] = np.asarray(m.z_sim, dtype=float)
            res.loc[rows, "lisa_p"] = p
            quad = np.array([_QUAD.get(int(q), "ns") for q in m.q], dtype=object)
            res.loc[rows, "lisa_quadrant"] = np.where(sig, quad, "ns")

    def _significant(self, p: np.ndarray) -> np.ndarray:
        if self.fdr:
            esda = load_esda()
            return np.asarray(p < esda.fdr(p, self.alpha), dtype=bool)
        return p < self.alpha
