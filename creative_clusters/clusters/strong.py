"""The US Cluster Mapping "strong cluster" rule (Delgado, Porter & Stern)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np
import pandas as pd

from creative_clusters.clusters._base import ClusterDetector
from creative_clusters.indicators._checks import check_columns, check_not_empty, check_param

__all__ = ["StrongClusters"]


class StrongClusters(ClusterDetector):
    """Places in the top quartile of specialisation that also have real mass.

    A row is a strong cluster when its LQ is at or above the ``lq_quantile``
    quantile of all places (top quartile by default) **and** at least
    ``min_lq``, and its employment and establishment counts are above the
    ``size_quantile`` quantile (bottom quartile excluded). This is the US
    Cluster Mapping Project's region-cluster screen (docs/methods.md §13; the
    quartile cut-offs are the Project's published convention, [U] in
    docs/methods.md). Quantiles are taken within each ``by`` group (e.g.
    sub-sector), over the places whose value is known.

    Parameters
    ----------
    lq : str, default "lq"
    employment, establishments : str or None
        Size columns; None skips that criterion (e.g. no employment by LAD).
    lq_quantile : float, default 0.75
    min_lq : float, default 1.0
    size_quantile : float, default 0.25
    by : sequence of str, optional

    Attributes
    ----------
    labels_ : pandas.Series of bool
    thresholds_ : pandas.DataFrame
        The cut-offs used, one row per group.
    n_clusters_ : int

    Examples
    --------
    >>> t = pd.DataFrame({"lq": [0.5, 0.9, 1.2, 2.0, 3.0, 1.6, 0.7, 1.1],
    ...     "employment": [10, 20, 30, 40, 1, 50, 60, 70],
    ...     "establishments": [5, 5, 5, 5, 5, 5, 5, 6]})
    >>> # LQ cut = 1.7 (75th percentile), employment cut = 17.5 (25th)
    >>> StrongClusters(establishments=None).fit_predict(t).tolist()
    [False, False, False, True, False, False, False, False]
    """

    def __init__(
        self,
        *,
        lq: str = "lq",
        employment: str | None = "employment",
        establishments: str | None = "establishments",
        lq_quantile: float = 0.75,
        min_lq: float = 1.0,
        size_quantile: float = 0.25,
        by: Sequence[str] | None = None,
    ) -> None:
        self.lq = lq
        self.employment = employment
        self.establishments = establishments
        self.lq_quantile = lq_quantile
        self.min_lq = min_lq
        self.size_quantile = size_quantile
        self.by = by

    def fit(self, table: pd.DataFrame, /) -> Self:
        """Apply the quartile screens within each group."""
        owner = type(self).__name__
        for name in ("lq_quantile", "size_quantile"):
            v = getattr(self, name)
            check_param(name, v, isinstance(v, (int, float)) and 0 <= v <= 1, "in [0, 1]", owner=owner)
        by = list(self.by or [])
        sizes = [c for c in (self.employment, self.establishments) if c is not None]
        check_columns(table, [self.lq, *sizes, *by], caller=f"{owner}.fit()")
        check_not_empty(table, caller=f"{owner}.fit()")
        frame = table[[self.lq, *sizes]].apply(pd.to_numeric).astype(float)
        keys = [table[c] for c in by] if by else [np.zeros(len(table))]
        cuts = {self.lq: frame[self.lq].groupby(keys).transform(lambda s: s.quantile(self.lq_quantile))}
        ok = frame[self.lq].ge(cuts[self.lq]) & frame[self.lq].ge(self.min_lq)
        for col in sizes:
            cuts[col] = frame[col].groupby(keys).transform(lambda s: s.quantile(self.size_quantile))
            ok &= frame[col].gt(cuts[col])
        self.labels_ = ok.astype(bool).rename("cluster")
        th = pd.DataFrame({f"{c}_cut": v for c, v in cuts.items()})
        if by:
            th = pd.concat([table[by], th], axis=1).drop_duplicates(by).reset_index(drop=True)
        else:
            th = th.head(1).reset_index(drop=True)
        self.thresholds_ = th
        self.n_clusters_ = int(self.labels_.sum())
        return self
