"""The Nesta co-location rule: employment and/or business LQ plus a size floor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import pandas as pd

from creative_clusters.clusters._base import ClusterDetector
from creative_clusters.indicators._checks import check_columns, check_not_empty, check_param

__all__ = ["ThresholdClusters"]


class ThresholdClusters(ClusterDetector):
    """Flag places where creative activity is both concentrated and large.

    A row is a cluster when its LQ(s) reach ``min_lq`` and its size reaches
    ``min_size``. This reconstructs the rule of Nesta's *Geography of
    Creativity* (2016): creative **employment and business** LQs above 1,
    plus a minimum size that drops small places with high LQs (docs/methods.md
    §1, steps 2–4).

    Parameters
    ----------
    employment_lq, business_lq : str or None
        Columns holding the two LQs; set one to None to use the other alone
        (e.g. business counts by LAD have no employment).
    rule : {"both", "either"}, default "both"
        Both LQs must pass (Nesta's co-location) or either may.
    min_lq : float, default 1.0
        τ of docs/methods.md §1 step 3 (default τ = 1.0 there).
    size : str or None, default "employment"
        Column holding the size used for the floor.
    min_size : float, default 0.0
        s_min of docs/methods.md §1 step 3. The report's own value was **not
        verified** ([U], "to be calibrated"), so the estimator's default
        switches the floor off; the CLI (``clusters``, ``map``, ``corridors``),
        the web map and :func:`creative_clusters.workflows.detection.run_method`
        default to the bottom quartile of the places' size (``"q25"``, see
        :func:`creative_clusters.workflows.detection.resolve_min_size`).
    growth : str or None, default None
        Optional growth column; with it, ``emerging_`` flags rows with growth
        above the median and LQ still below 1 (docs/methods.md §1 step 4).
    by : sequence of str, optional
        Grouping columns for the growth median (e.g. ``["industry_code"]``).

    Attributes
    ----------
    labels_ : pandas.Series of bool
        True for clusters; aligned with the input index.
    scores_ : pandas.Series
        The smallest LQ used by the rule (for ranking).
    emerging_ : pandas.Series of bool
        Emerging places (all False without ``growth``).
    n_clusters_ : int

    Examples
    --------
    >>> t = pd.DataFrame({"employment_lq": [1.4, 1.2, 0.8], "business_lq": [1.1, 0.9, 1.3],
    ...                   "employment": [5000, 8000, 400]})
    >>> ThresholdClusters(min_size=1000).fit_predict(t).tolist()
    [True, False, False]
    >>> ThresholdClusters(rule="either", min_size=1000).fit_predict(t).tolist()
    [True, True, False]
    """

    def __init__(
        self,
        *,
        employment_lq: str | None = "employment_lq",
        business_lq: str | None = "business_lq",
        rule: str = "both",
        min_lq: float = 1.0,
        size: str | None = "employment",
        min_size: float = 0.0,
        growth: str | None = None,
        by: Sequence[str] | None = None,
    ) -> None:
        self.employment_lq = employment_lq
        self.business_lq = business_lq
        self.rule = rule
        self.min_lq = min_lq
        self.size = size
        self.min_size = min_size
        self.growth = growth
        self.by = by

    def fit(self, table: pd.DataFrame, /) -> Self:
        """Apply the rule to every row of ``table``."""
        owner = type(self).__name__
        check_param("rule", self.rule, self.rule in ("both", "either"), "'both' or 'either'", owner=owner)
        check_param("min_lq", self.min_lq, isinstance(self.min_lq, (int, float)) and self.min_lq > 0,
                    "a number > 0", owner=owner)
        check_param("min_size", self.min_size,
                    isinstance(self.min_size, (int, float)) and self.min_size >= 0,
                    "a number >= 0", owner=owner)
        lq_cols = [c for c in (self.employment_lq, self.business_lq) if c is not None]
        check_param("employment_lq/business_lq", lq_cols, bool(lq_cols),
                    "at least one LQ column name", owner=owner)
        by = list(self.by or [])
        check_columns(table, [*lq_cols, self.size, self.growth, *by], caller=f"{owner}.fit()")
        check_not_empty(table, caller=f"{owner}.fit()")
        lqs = table[lq_cols].apply(pd.to_numeric).astype(float)
        passed = lqs.ge(self.min_lq)
        ok = passed.all(axis=1) if self.rule == "both" else passed.any(axis=1)
        ok &= lqs.notna().all(axis=1) if self.rule == "both" else True
        if self.size is not None:
            ok &= pd.to_numeric(table[self.size]).astype(float).ge(self.min_size)
        self.labels_ = ok.astype(bool).rename("cluster")
        self.scores_ = lqs.min(axis=1).rename("score")
        if self.growth is not None:
            gr = pd.to_numeric(table[self.growth]).astype(float)
            med = gr.groupby([table[c] for c in by]).transform("median") if by else gr.median()
            below = lqs.lt(1.0).all(axis=1) if self.rule == "both" else lqs.lt(1.0).any(axis=1)
            self.emerging_ = (gr.gt(med) & below & ~self.labels_).rename("emerging")
        else:
            self.emerging_ = pd.Series(False, index=table.index, name="emerging")
        self.n_clusters_ = int(self.labels_.sum())
        return self
