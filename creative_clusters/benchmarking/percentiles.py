"""Percentile ranks against all places and against peers; an optional composite
with a sensitivity analysis.

**Percentile rank** (direction-aware, "better" is always high): for a place
with value ``x`` among ``n`` places with data (the place included),

    pct = 100 * (#{worse than x} + 0.5 * #{equal to x}) / n

where "worse" means lower for ``higher``-is-better indicators and higher for
``lower``-is-better ones.

**Published zeros** (one rule for every base): a count of creative enterprises
published as 0 means 0 to 2 firms. Such a place is never ranked itself; it stays
in the bases of counts (a published 0 is below any positive rounded count), but
it has no location quotient to speak of, so it is left out of the base of the
business LQ (``transform: creative_lq``): Glasgow's UK LQ percentile is taken
among the 360 local authorities with a positive count, not 361 with the Isles
of Scilly's 0 at the bottom. A growth rate from a first count of 0 is undefined
and missing already. An indicator's own base ("places with data", ``n_all``)
is said wherever it differs from the headline base. This is ``scipy.stats.percentileofscore(kind="mean")``
on the direction-signed values. A place without a value for an indicator has
no percentile: it is reported as a gap, never scored as zero.

**Composite** (only on request): the weighted mean of an indicator's
percentiles within each dimension, then the weighted mean of dimensions, each
mean taken over the indicators/dimensions that have data for that place,
with weights renormalised over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.framework import Framework, weights_vector
from creative_clusters.errors import ParameterError

__all__ = [
    "ROUNDED_ZERO_TRANSFORMS",
    "SensitivityResult",
    "composite_score",
    "percentile_rank",
    "percentile_table",
    "percentiles",
    "sensitivity",
    "tie_span",
]


#: Transforms of a count published rounded to 5 (UK Business Counts' creative enterprises), and of a ratio on it:
#: a value of 0 there is 0 to 2 firms, not a level to rank (the place is "not ranked", like a list with none).
ROUNDED_ZERO_TRANSFORMS = ("sum_creative", "creative_lq")


def percentile_rank(values: Iterable[float], x: float, *, direction: str = "higher") -> float:
    """Mid-rank percentile of ``x`` among ``values`` (NaNs ignored), better = high.

    Examples
    --------
    >>> percentile_rank([1, 2, 3, 4], 3)
    62.5
    >>> percentile_rank([1, 2, 3, 4], 3, direction="lower")
    37.5
    """
    if direction not in ("higher", "lower"):
        raise ParameterError(f"direction must be 'higher' or 'lower', got {direction!r}")
    v = np.asarray([float(a) for a in values], dtype="float64")
    v = v[~np.isnan(v)]
    if np.isnan(x) or v.size == 0:
        return float("nan")
    if direction == "lower":
        v, x = -v, -x
    below = float(np.sum(v < x))
    equal = float(np.sum(v == x))
    return 100.0 * (below + 0.5 * equal) / v.size


def percentile_table(values: pd.DataFrame, directions: Mapping[str, str]) -> pd.DataFrame:
    """Percentile of every place on every indicator (wide in, wide out; NaN stays NaN).

    Examples
    --------
    >>> t = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]}, index=list("pqrs"))
    >>> percentile_table(t, {"a": "higher"})["a"].tolist()
    [12.5, 37.5, 62.5, 87.5]
    """
    out = {}
    for col in values.columns:
        d = directions.get(col, "higher")
        s = values[col].astype("float64")
        s = -s if d == "lower" else s
        n = s.notna().sum()
        out[col] = (s.rank(method="average") - 0.5) / n * 100.0 if n else s * np.nan
    return pd.DataFrame(out, index=values.index)


def percentiles(
    values: pd.DataFrame,
    *,
    place: str,
    peers: Iterable[str],
    framework: Framework | None = None,
    directions: Mapping[str, str] | None = None,
    intervals: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """One row per indicator: the place's value and percentiles among all places and peers.

    Parameters
    ----------
    values : DataFrame
        Wide table, places x indicators (see :func:`indicator_table`). "All
        places" means every row of this table.
    place : str
        The place's code (a row of ``values``).
    peers : iterable of str
        Peer codes; the place itself is added to (and counted in) the peer set.
    framework, directions
        Where directions come from (``framework`` also adds labels, dimensions
        and the reason a gap is a gap).

    intervals : mapping, optional
        Indicator id -> the place's published 95% interval ``(lo, hi)`` (survey
        estimates). For those, ``pct_all_min``/``pct_all_max`` give the
        percentiles the place would have at either end of its interval (the
        other places at their values): how far the sampling error alone could
        move its rank. NaN elsewhere.

    Returns
    -------
    DataFrame with columns ``dimension, indicator_id, label, direction, value,
    pct_all, n_all, pct_peers, n_peers, status, note, pct_all_min, pct_all_max``.
    ``status`` is ``ok``, or ``gap`` when the place has no value (``note`` says why).
    Then ``tied_all`` and ``tied_peers``: how many other places (peers) have exactly the place's value, the
    "equal" of :func:`percentile_rank`'s mid-rank (0 without a percentile), for the words to say "joint" and
    :func:`tie_span` to say how far the tie reaches.

    Examples
    --------
    >>> v = pd.DataFrame({"employment_rate": [70.0, 72.0, 74.0, 76.0, 88.3]}, index=list("ABCDE"))
    >>> t = percentiles(v, place="E", peers=[], intervals={"employment_rate": (75.2, 100.0)})
    >>> t[["pct_all", "pct_all_min", "pct_all_max"]].iloc[0].tolist()
    [90.0, 70.0, 90.0]

    A count of institutions in a list (``transform: count_in_place``) of 0 is "none listed", not ranked
    (the pack's section 6 says to check before saying a place has none):

    >>> from creative_clusters.benchmarking.framework import load_framework
    >>> fw = load_framework()
    >>> v = pd.DataFrame({"hei_count": [0.0, 0.0, 2.0, 5.0]}, index=list("ABCD"))
    >>> t = percentiles(v, place="A", peers=[], framework=fw).set_index("indicator_id").loc["hei_count"]
    >>> bool(np.isnan(t["pct_all"])), t["note"].startswith("No institution in the list")
    (True, True)

    Without a peer that has a value, there is no peer percentile (the place alone is not a median of itself):

    >>> v = pd.DataFrame({"x": [1.0, 2.0, np.nan]}, index=list("ABC"))
    >>> [bool(percentiles(v, place="A", peers=p)["pct_peers"].isna().all()) for p in ([], ["C"], ["B"])]
    [True, True, False]
    """
    if place not in values.index:
        raise ParameterError(f"place {place!r} is not among the {len(values)} places compared")
    peers = [p for p in dict.fromkeys(peers) if p != place]
    missing_peers = [p for p in peers if p not in values.index]
    if missing_peers:
        raise ParameterError(f"peer code(s) {missing_peers} are not among the places compared")
    if directions is None:
        directions = framework.directions if framework is not None else {}
    inds = framework.indicators if framework is not None else None
    cols = [i.id for i in inds] if inds is not None else list(values.columns)
    # one float matrix, positions for the place and its peers (no per-column pandas indexing)
    arr = values.reindex(columns=cols).to_numpy(dtype="float64")
    pos = {c: i for i, c in enumerate(values.index)}
    pi = pos[place]
    peer_pos = [pos[p] for p in [place, *peers]]
    by_id = {i.id: i for i in framework.indicators} if framework is not None else {}
    rows = []
    for j, col in enumerate(cols):
        ind = by_id.get(col)
        d = directions.get(col, "higher")
        s = arr[:, j]
        x = float(s[pi])
        transform = (ind.source or {}).get("transform") if ind is not None else None
        if transform == "creative_lq":  # a published zero count has no LQ to rank others against (module doc)
            s = np.where(s == 0, np.nan, s)
        sp = s[peer_pos]
        if np.isnan(x) and not (transform == "creative_lq" and arr[pi, j] == 0):
            status = "gap"
            if ind is not None and not ind.has_source:
                note = f"No data for this indicator in this pack. {ind.how_to_get}".strip()
            elif (~np.isnan(s)).any():
                note = "No value for this place in the source."
            else:
                note = ("No data for this indicator: its source was not imported. "
                        + (ind.how_to_get if ind else "")).strip()
        else:
            x = float(arr[pi, j])
            status, note = "ok", (ind.caveat if ind is not None else "")
        listed_none = x == 0 and transform == "count_in_place"
        if listed_none:  # "none in the list" is not a level to rank: a provider may serve it from elsewhere
            note = ("No institution in the list for this place, so not ranked: one may serve it from an address "
                    "elsewhere (a campus of a provider registered in another place).")
        elif x == 0 and transform in ROUNDED_ZERO_TRANSFORMS:  # a published 0 is 0 to 2 firms: unknown, not last
            listed_none = True
            note = ("Published as 0 creative enterprises (0 to 2, counts rounded to 5), so not ranked: the true "
                    "level is unknown, not the lowest.")
            if transform == "creative_lq":  # and no LQ is given for it, only an upper bound (the profile's rule)
                x = float("nan")
        rows.append({
            "dimension": ind.dimension if ind else "",
            "indicator_id": col,
            "label": ind.label if ind else col,
            "unit": ind.unit if ind else "",
            "direction": d,
            "value": x,
            "pct_all": np.nan if listed_none else percentile_rank(s, x, direction=d),
            "n_all": int((~np.isnan(s)).sum()),
            # the place alone is no peer group: without a peer's value there is no peer percentile (not 50)
            "pct_peers": np.nan if listed_none or (~np.isnan(sp)).sum() < 2 else percentile_rank(sp, x, direction=d),
            "n_peers": int((~np.isnan(sp)).sum()),
            "status": status,
            "note": note,
            **_interval_percentiles(s, pi, (intervals or {}).get(col), d),
            "tied_all": 0 if listed_none else _others_equal(s, x),
            "tied_peers": 0 if listed_none or (~np.isnan(sp)).sum() < 2 else _others_equal(sp, x),
        })
    return pd.DataFrame(rows)


def _others_equal(s: np.ndarray, x: float) -> int:
    """How many values of ``s`` other than the place's own equal ``x`` (0 for a missing ``x``)."""
    return 0 if np.isnan(x) else max(int(np.sum(s == x)) - 1, 0)


def tie_span(pct: float, tied: int, n: int) -> tuple[float, float]:
    """The percentiles of a tie's first and last members, were it broken: the mid-rank ``pct`` of a value
    ``tied`` other places share among ``n`` puts the tie at its middle, its ``tied + 1`` members from
    ``pct - 50 tied / n`` to ``pct + 50 tied / n`` (``(pct, pct)`` for no tie).

    Examples
    --------
    Four of 10 places share the lowest value: each is at the 20th percentile; broken, the tie's members would
    be at the 5th, 15th, 25th and 35th.

    >>> p = percentile_rank([1, 1, 1, 1, 2, 3, 4, 5, 6, 7], 1)
    >>> p, tie_span(p, 3, 10)
    (20.0, (5.0, 35.0))
    """
    half = 50.0 * tied / n if n else float("nan")
    return pct - half, pct + half


def _interval_percentiles(s: np.ndarray, pi: int, interval: tuple[float, float] | None,
                          direction: str) -> dict[str, float]:
    """The place's percentile at each end of its interval, the other places at their values (see
    :func:`percentiles`)."""
    if interval is None or np.isnan(s[pi]):
        return {"pct_all_min": np.nan, "pct_all_max": np.nan}
    at = []
    for bound in interval:
        t = s.copy()
        t[pi] = bound
        at.append(percentile_rank(t, float(bound), direction=direction))
    return {"pct_all_min": min(at), "pct_all_max": max(at)}


def _composite_arrays(pct: np.ndarray, dim_of: np.ndarray, ind_w: np.ndarray,
                      dim_w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Composite from a percentile matrix (places x indicators); NaN = gap, left out.

    Returns composite (NaN when nothing usable), indicators used, dimensions used.
    """
    have = ~np.isnan(pct)
    p0 = np.where(have, pct, 0.0)
    n_dim = dim_w.size
    onehot = (dim_of[:, None] == np.arange(n_dim)[None, :]).astype(float)  # ind x dim
    w = ind_w[:, None] * onehot
    num = p0 @ w
    den = have.astype(float) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        dscore = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    dhave = ~np.isnan(dscore) & (dim_w[None, :] > 0)
    dnum = np.where(dhave, np.nan_to_num(dscore), 0.0) @ dim_w
    dden = dhave.astype(float) @ dim_w
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = np.where(dden > 0, dnum / np.where(dden > 0, dden, 1.0), np.nan)
    n_ind = (have & (ind_w[None, :] > 0) & (dim_w[dim_of][None, :] > 0)).sum(axis=1)
    return comp, n_ind, dhave.sum(axis=1)


def _rank_desc(comp: np.ndarray) -> np.ndarray:
    """1 = best; ties share the best rank; NaN stays NaN."""
    s = pd.Series(comp)
    return s.rank(ascending=False, method="min").to_numpy()


def _prepare(values: pd.DataFrame, framework: Framework) -> tuple[np.ndarray, np.ndarray, list[str]]:
    ids = [i.id for i in framework.indicators]
    pct = percentile_table(values.reindex(columns=ids), framework.directions).to_numpy(dtype=float)
    dims = [d.id for d in framework.dimensions]
    dim_of = np.array([dims.index(i.dimension) for i in framework.indicators])
    return pct, dim_of, dims


def composite_score(
    values: pd.DataFrame,
    framework: Framework,
    *,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Composite of direction-aware percentiles for every place (only on request).

    Gaps are left out and the weights renormalised over what each place has.

    Returns
    -------
    DataFrame indexed by place: ``composite`` (0-100), ``rank`` (1 = best,
    ties share the best rank), ``n_indicators`` used and ``n_dimensions`` used.

    Examples
    --------
    >>> from creative_clusters.benchmarking.framework import load_framework
    >>> fw = load_framework()
    >>> v = pd.DataFrame({"birth_rate": [1.0, 2.0], "death_rate": [5.0, 3.0]}, index=["A", "B"])
    >>> composite_score(v, fw)["rank"].to_dict()
    {'A': 2, 'B': 1}
    """
    dim_w, ind_w = weights_vector(framework, weights)
    pct, dim_of, dims = _prepare(values, framework)
    iw = np.array([ind_w[i.id] for i in framework.indicators], dtype=float)
    dw = np.array([dim_w[d] for d in dims], dtype=float)
    comp, n_ind, n_dim = _composite_arrays(pct, dim_of, iw, dw)
    out = pd.DataFrame({"composite": comp, "n_indicators": n_ind.astype(int),
                        "n_dimensions": n_dim.astype(int)}, index=values.index)
    out["rank"] = pd.array(_rank_desc(comp), dtype="Int64")
    return out


@dataclass
class SensitivityResult:
    """Composite rank of one place under alternative weightings."""

    place: str
    baseline_rank: int | None
    n_places: int
    rank_min: int | None
    rank_max: int | None
    scenarios: pd.DataFrame
    gaps: list[str] = field(default_factory=list)
    note: str = ""


def sensitivity(
    values: pd.DataFrame,
    framework: Framework,
    place: str,
    *,
    weights: Mapping[str, float] | None = None,
    n_draws: int = 100,
    concentration: float = 20.0,
    seed: int = 0,
) -> SensitivityResult:
    """Rank range of ``place``'s composite under alternative weightings.

    Scenarios: the configured (or given) weights; equal weights for every
    indicator and dimension; each dimension dropped in turn; and ``n_draws``
    dimension weightings drawn from a Dirichlet distribution centred on the
    base weights (``concentration`` x base shares; smaller = wider spread),
    with ``seed`` for reproducibility.

    Examples
    --------
    >>> from creative_clusters.benchmarking.framework import load_framework
    >>> v = pd.DataFrame({"birth_rate": [1.0, 2.0, 3.0], "gva_per_hour": [3.0, 2.0, 1.0]},
    ...                  index=["A", "B", "C"])
    >>> r = sensitivity(v, load_framework(), "B", n_draws=10)
    >>> r.rank_min <= r.baseline_rank <= r.rank_max
    True
    """
    if place not in values.index:
        raise ParameterError(f"place {place!r} is not among the places compared")
    dim_w, _ = weights_vector(framework, weights)
    scen: list[tuple[str, dict[str, float]]] = [("configured weights", dict(weights or {}))]
    eq = {d.id: 1.0 for d in framework.dimensions}
    eq.update({i.id: 1.0 for i in framework.indicators})
    scen.append(("equal weights", eq))
    for d in framework.dimensions:
        w = dict(weights or {})
        w[d.id] = 0.0
        scen.append((f"without {d.title.lower()}", w))
    rng = np.random.default_rng(seed)
    base = np.array([dim_w[d.id] for d in framework.dimensions], dtype="float64")
    share = base / base.sum() if base.sum() > 0 else np.full(base.size, 1 / base.size)
    alpha = np.maximum(share * concentration, 1e-3)
    for k, draw in enumerate(rng.dirichlet(alpha, size=n_draws)):
        w = dict(weights or {})
        w.update({d.id: float(x) for d, x in zip(framework.dimensions, draw, strict=True)})
        scen.append((f"random weights {k + 1}", w))
    pct, dim_of, dims = _prepare(values, framework)
    pos = values.index.get_loc(place)
    rows: list[dict[str, Any]] = []
    for name, w in scen:
        dw_map, iw_map = weights_vector(framework, w)
        iw = np.array([iw_map[i.id] for i in framework.indicators], dtype=float)
        dw = np.array([dw_map[d] for d in dims], dtype=float)
        comp, _, _ = _composite_arrays(pct, dim_of, iw, dw)
        r = _rank_desc(comp)[pos]
        rows.append({"scenario": name, "composite": float(comp[pos]),
                     "rank": None if np.isnan(r) else int(r)})
    table = pd.DataFrame(rows)
    ranks = table["rank"].dropna().astype(int)
    gaps = [i.label for i in framework.indicators
            if i.id not in values.columns or pd.isna(values.loc[place].get(i.id, np.nan))]
    base_rank = rows[0]["rank"]
    n = len(values)
    lo = int(ranks.min()) if len(ranks) else None
    hi = int(ranks.max()) if len(ranks) else None
    note = (
        f"Composite rank {base_rank} of {n} places with the configured weights; across "
        f"{len(scen) - 1} alternative weightings (equal weights, each dimension dropped in turn, "
        f"{n_draws} random weightings, seed {seed}) the rank ranges from {lo} to {hi}."
    )
    if gaps:
        note += (
            f" {len(gaps)} indicator(s) have no data for this place and are left out, with the "
            f"weights renormalised over the indicators that have data: {', '.join(gaps)}."
        )
    return SensitivityResult(place, base_rank, n, lo, hi, table, gaps, note)
