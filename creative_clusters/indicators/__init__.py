"""Indicators: pure functions on tidy tables (DataFrame in, new DataFrame out).

Location quotients with exact Poisson intervals and disclosure flags,
shares, growth, shift-share, specialisation and concentration indices, and
count aggregation (sum counts, never ratios). Formulas: docs/methods.md §14.
"""

from creative_clusters.indicators.concentration import (
    hoover_index,
    krugman_dissimilarity,
    locational_gini,
)
from creative_clusters.indicators.growth import growth, period_mean_growth
from creative_clusters.indicators.lq import (
    aggregate_counts,
    location_quotient,
    poisson_lq_interval,
    shares,
)
from creative_clusters.indicators.shift_share import shift_share
from creative_clusters.indicators.specialisation import specialisation

__all__ = [
    "aggregate_counts",
    "growth",
    "hoover_index",
    "krugman_dissimilarity",
    "location_quotient",
    "locational_gini",
    "period_mean_growth",
    "poisson_lq_interval",
    "shares",
    "shift_share",
    "specialisation",
]
