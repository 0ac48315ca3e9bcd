"""Automatic peer places by size, creative sector structure and urban density.

Method (``size_structure``, the default): describe every place by

- the natural log of its size (e.g. creative enterprises),
- the shares of its creative activity in each DCMS sub-sector, and, when a
  ``density`` column is given,
- the natural log of its business density (active enterprises of all
  industries per km² of the local authority, area from the 2023 LAD
  boundaries in EPSG:27700), an urban/rural term: a city and a rural county
  of similar creative size have densities an order of magnitude apart;

standardise every feature to mean 0 and standard deviation 1 across places,
give the size feature, the sub-sector block and the density feature equal
total weight (each share is scaled by ``1/sqrt(number of shares)``), and take
the ``k`` places nearest to the place in Euclidean distance. Ties are broken
by code, so the choice is deterministic. ``size`` or ``structure`` use only
that block (``structure`` keeps density when present, so groups of places are
matched with places of similar urban character). Places with any missing
feature are left out. A user-given peer list always overrides.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError

__all__ = ["PEER_METHODS", "business_density", "choose_peers", "peer_distances", "peer_features"]

PEER_METHODS = ("size_structure", "size", "structure")
#: Weight of the density feature relative to the size feature (and to the whole sub-sector block).
DENSITY_WEIGHT = 1.0


def peer_features(counts: pd.DataFrame, density: pd.Series | None = None) -> pd.DataFrame:
    """Features from a wide table of counts (places x sub-sectors): ``size`` + ``share_<sub>``
    (+ ``density`` when given, e.g. active enterprises per km²; places without it get NaN).

    Examples
    --------
    >>> c = pd.DataFrame({"film_tv": [10.0, 30.0], "music_arts": [30.0, 10.0]}, index=["A", "B"])
    >>> peer_features(c).loc["A"].tolist()
    [40.0, 0.25, 0.75]
    >>> peer_features(c, pd.Series({"A": 120.0})).loc["A", "density"]
    np.float64(120.0)
    """
    size = counts.sum(axis=1, min_count=1)
    shares = counts.div(size.where(size > 0), axis=0).add_prefix("share_")
    parts = [size.rename("size"), shares]
    if density is not None:
        parts.append(pd.to_numeric(density, errors="coerce").reindex(counts.index).rename("density"))
    return pd.concat(parts, axis=1)


def business_density(active: pd.Series, area_km2: pd.Series) -> pd.Series:
    """Active enterprises per km² for places with both figures (area > 0).

    Examples
    --------
    >>> business_density(pd.Series({"A": 1000.0, "B": 50.0}), pd.Series({"A": 10.0, "B": 0.0})).to_dict()
    {'A': 100.0}
    """
    a = pd.to_numeric(area_km2, errors="coerce")
    d = pd.to_numeric(active, errors="coerce") / a.where(a > 0).reindex(active.index)
    return d.dropna()


def choose_peers(
    features: pd.DataFrame,
    place: str,
    *,
    k: int = 10,
    method: str = "size_structure",
    peers: Iterable[str] | None = None,
    density_weight: float = DENSITY_WEIGHT,
) -> list[str]:
    """The ``k`` places most like ``place`` (never the place itself).

    Parameters
    ----------
    features : DataFrame
        Indexed by place code, with a ``size`` column (> 0) and share columns.
    place : str
    k : int
    method : {"size_structure", "size", "structure"}
    peers : iterable of str, optional
        User-given peers; returned as given (minus the place itself), in order.

    Examples
    --------
    >>> f = pd.DataFrame({"size": [100, 110, 1000, 95], "share_a": [.5, .5, .5, .1]},
    ...                  index=["P", "Q", "R", "S"])
    >>> choose_peers(f, "P", k=2)
    ['Q', 'S']
    """
    if peers is not None:
        given = [p for p in dict.fromkeys(peers) if p != place]
        unknown = [p for p in given if p not in features.index]
        if unknown:
            raise ParameterError(
                f"peer code(s) {unknown} have no data to compare; give codes of places in "
                "the warehouse (e.g. E08000019)"
            )
        return given
    if method not in PEER_METHODS:
        raise ParameterError(f"unknown peer method {method!r}; use one of {list(PEER_METHODS)}")
    if k < 1:
        raise ParameterError(f"k must be at least 1, got {k}")
    if place not in features.index:
        raise ParameterError(f"place {place!r} has no features to choose peers from")
    if "size" not in features.columns:
        raise ParameterError("features need a 'size' column")
    dist = peer_distances(features, place, method=method, density_weight=density_weight)
    order = sorted(dist.items(), key=lambda kv: (kv[1], kv[0]))
    return [code for code, _ in order[:k]]


def peer_distances(features: pd.DataFrame, place: str, *, method: str = "size_structure",
                   density_weight: float = DENSITY_WEIGHT) -> pd.Series:
    """Distance of every other place to ``place`` on the standardised features (0 = identical).

    Examples
    --------
    >>> f = pd.DataFrame({"size": [100, 110, 1000, 95], "share_a": [.5, .5, .5, .1]},
    ...                  index=["P", "Q", "R", "S"])
    >>> peer_distances(f, "P").round(2).to_dict()
    {'Q': 0.1, 'R': 2.32, 'S': 2.31}
    """
    if method not in PEER_METHODS:
        raise ParameterError(f"unknown peer method {method!r}; use one of {list(PEER_METHODS)}")
    if place not in features.index:
        raise ParameterError(f"place {place!r} has no features to choose peers from")
    share_cols = [c for c in features.columns if c not in ("size", "density")]
    dens = ["density"] if "density" in features.columns else []
    f = features.copy()
    f = f[f["size"] > 0]
    f["size"] = np.log(f["size"].astype("float64"))
    if dens:
        f = f[f["density"] > 0]
        f["density"] = np.log(f["density"].astype("float64"))
    cols = {"size_structure": ["size", *share_cols, *dens], "size": ["size"],
            "structure": [*share_cols, *dens]}[method]
    if not cols:
        raise ParameterError(f"method {method!r} needs share columns in features")
    f = f[cols].astype("float64").dropna()
    if place not in f.index:
        raise ParameterError(f"place {place!r} lacks complete features (size > 0 and all shares)")
    sd = f.std(ddof=0).replace(0, 1.0)
    z = (f - f.mean()) / sd
    if method != "size" and share_cols:
        z[share_cols] = z[share_cols] / np.sqrt(len(share_cols))
    if dens and method != "size":
        z["density"] = z["density"] * float(density_weight)
    return np.sqrt(((z - z.loc[place]) ** 2).sum(axis=1)).drop(place)
