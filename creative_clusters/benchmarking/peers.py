"""Automatic peer places by size and creative sector structure.

Method (``size_structure``, the default): describe every place by

- the natural log of its size (e.g. creative enterprises), and
- the shares of its creative activity in each DCMS sub-sector;

standardise every feature to mean 0 and standard deviation 1 across places,
give the size feature and the sub-sector block equal total weight (each share
is scaled by ``1/sqrt(number of shares)``), and take the ``k`` places nearest
to the place in Euclidean distance. Ties are broken by code, so the choice is
deterministic. ``size`` or ``structure`` use only one block. Places with any
missing feature are left out. A user-given peer list always overrides.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError

__all__ = ["PEER_METHODS", "choose_peers", "peer_features"]

PEER_METHODS = ("size_structure", "size", "structure")


def peer_features(counts: pd.DataFrame) -> pd.DataFrame:
    """Features from a wide table of counts (places x sub-sectors): ``size`` + ``share_<sub>``.

    Examples
    --------
    >>> c = pd.DataFrame({"film_tv": [10.0, 30.0], "music_arts": [30.0, 10.0]}, index=["A", "B"])
    >>> peer_features(c).loc["A"].tolist()
    [40.0, 0.25, 0.75]
    """
    size = counts.sum(axis=1, min_count=1)
    shares = counts.div(size.where(size > 0), axis=0).add_prefix("share_")
    return pd.concat([size.rename("size"), shares], axis=1)


def choose_peers(
    features: pd.DataFrame,
    place: str,
    *,
    k: int = 10,
    method: str = "size_structure",
    peers: Iterable[str] | None = None,
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
    share_cols = [c for c in features.columns if c != "size"]
    f = features.copy()
    f = f[f["size"] > 0]
    f["size"] = np.log(f["size"].astype("float64"))
    cols = {"size_structure": ["size", *share_cols], "size": ["size"], "structure": share_cols}[method]
    if not cols:
        raise ParameterError(f"method {method!r} needs share columns in features")
    f = f[cols].astype("float64").dropna()
    if place not in f.index:
        raise ParameterError(f"place {place!r} lacks complete features (size > 0 and all shares)")
    sd = f.std(ddof=0).replace(0, 1.0)
    z = (f - f.mean()) / sd
    if method == "size_structure" and share_cols:
        z[share_cols] = z[share_cols] / np.sqrt(len(share_cols))
    dist = np.sqrt(((z - z.loc[place]) ** 2).sum(axis=1)).drop(place)
    order = sorted(dist.items(), key=lambda kv: (kv[1], kv[0]))
    return [code for code, _ in order[:k]]
