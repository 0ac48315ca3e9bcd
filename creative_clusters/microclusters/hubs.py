"""Registered-office hubs: postcodes where implausibly many companies are registered.

Companies House records registered offices, not trading sites. Formation
agents, accountants and virtual-office providers register hundreds or
thousands of companies at one postcode (on the South Yorkshire file, 1,602
companies at S11 9PA). DBSCAN sees such a postcode as the densest place in
the region.

**Rule.** A postcode is a *hub* when the firm file registers at least
``min_companies`` companies there (default :data:`HUB_MIN_COMPANIES` = 100),
counted over all the file's rows that pass the status filter, of every
industry. A postcode unit averages about 15 delivery points (Royal Mail), so
100 companies is several times what even a full office building at one
postcode plausibly trades from. On the South Yorkshire file (75,740
companies, 17,034 postcodes, median 2 per postcode) 85 postcodes qualify.

**Policies** (``--hubs``):

- ``downweight`` (default): a hub counts as at most ``cap`` firms
  (default :data:`HUB_CAP` = 15, one postcode's worth of addresses) when
  clusters are found: the first ``cap`` of its firms (file order) are
  clustered and every other firm there takes the cluster of the hub's first
  firm (they share its location). Hub firms stay in the results, flagged.
- ``exclude``: hub firms are left out of the clustering (flagged, no cluster).
- ``keep``: no special treatment (flagged only).

:func:`clustering_rows` turns a policy into the rows to cluster and, for
each other row, the row whose cluster it takes.

Examples
--------
>>> firms = pd.DataFrame({"postcode": ["S1 1AA"] * 4 + ["S2 2BB"], "postcode_companies": [120] * 4 + [3]})
>>> use, rep = clustering_rows(firms, policy="downweight", cap=2)
>>> use.tolist(), rep.tolist()
([True, True, False, False, True], [0, 1, 0, 0, 4])
>>> clustering_rows(firms, policy="exclude")[0].tolist()
[False, False, False, False, True]

**Hub-weighted counts.** When a microcluster is described, its firms are
also counted by :func:`hub_weights`: the down-weighting's own rule (a hub
counts as at most ``cap`` firms) spread evenly over the hub's firms, so a
hub of ``N`` firms gives each ``min(cap, N) / N``; other firms count 1 and
excluded hub firms 0 (they are in no cluster). The hub's total, ``min(cap,
N)``, is what the clustering saw, and no firm of the hub is preferred by its
place in the file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError

__all__ = ["HUB_CAP", "HUB_MIN_COMPANIES", "HUB_POLICIES", "clustering_rows", "hub_mask", "hub_weights",
           "postcode_key"]

HUB_MIN_COMPANIES = 100
HUB_CAP = 15
HUB_POLICIES = ("downweight", "exclude", "keep")


def postcode_key(values: pd.Series) -> pd.Series:
    """Postcodes reduced to upper-case letters and digits (``"s1 1aa"`` → ``"S11AA"``); NA stays NA."""
    return values.astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)


def hub_mask(firms: pd.DataFrame, min_companies: int = HUB_MIN_COMPANIES) -> np.ndarray:
    """True for firms at a hub postcode (``postcode_companies >= min_companies``)."""
    if "postcode_companies" not in firms:
        return np.zeros(len(firms), dtype=bool)
    return (pd.to_numeric(firms["postcode_companies"], errors="coerce") >= min_companies).fillna(
        False).to_numpy(bool)


def clustering_rows(
    firms: pd.DataFrame,
    *,
    policy: str = "downweight",
    min_companies: int = HUB_MIN_COMPANIES,
    cap: int = HUB_CAP,
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are clustered, and whose cluster each row takes.

    Returns
    -------
    use : numpy.ndarray of bool
        Rows that enter the clustering.
    rep : numpy.ndarray of int64
        For each row, the row whose cluster it takes: itself when clustered,
        the hub's first firm when down-weighted out, ``-1`` when excluded.
    """
    if policy not in HUB_POLICIES:
        raise ParameterError(f"--hubs must be one of {', '.join(HUB_POLICIES)}; got {policy!r}")
    if int(cap) != cap or cap < 1:
        raise ParameterError(f"--hub-cap must be a whole number >= 1; got {cap!r}")
    if int(min_companies) != min_companies or min_companies < 2:
        raise ParameterError(f"--hub-min-companies must be a whole number >= 2; got {min_companies!r}")
    n = len(firms)
    rows = np.arange(n, dtype=np.int64)
    hub = hub_mask(firms, min_companies)
    if policy == "keep" or not hub.any():
        return np.ones(n, dtype=bool), rows
    if policy == "exclude":
        return ~hub, np.where(hub, -1, rows)
    key = postcode_key(firms["postcode"]).to_numpy(object)
    h = np.flatnonzero(hub)
    groups = pd.Series(h).groupby(key[h], sort=False)
    rank = groups.cumcount().to_numpy()
    first = groups.transform("first").to_numpy(np.int64)
    use = np.ones(n, dtype=bool)
    use[h[rank >= cap]] = False
    rep = rows.copy()
    rep[h[rank >= cap]] = first[rank >= cap]
    return use, rep


def hub_weights(firms: pd.DataFrame) -> np.ndarray:
    """Each firm's weight under its hub role (module notes): 1, ``min(cap, N) / N`` at a hub, 0 if excluded.

    Read from the ``hub_role`` column the clustering writes ("clustered",
    "downweighted", "excluded" or empty) and the firms' ``postcode``: at a
    hub postcode with ``c`` clustered and ``d`` down-weighted firms each
    counts ``c / (c + d)`` (``c`` is ``min(cap, N)``). Without a
    ``hub_role`` column every firm counts 1.

    Examples
    --------
    >>> firms = pd.DataFrame({"postcode": ["S1 1AA"] * 4 + ["S2 2BB", "S3 3CC"],
    ...                       "hub_role": ["clustered"] * 2 + ["downweighted"] * 2 + ["", "excluded"]})
    >>> hub_weights(firms).tolist()
    [0.5, 0.5, 0.5, 0.5, 1.0, 0.0]
    """
    w = np.ones(len(firms))
    if "hub_role" not in firms or len(firms) == 0:
        return w
    role = firms["hub_role"].astype("string").fillna("").to_numpy(object)
    w[role == "excluded"] = 0.0
    h = np.flatnonzero((role == "clustered") | (role == "downweighted"))
    if len(h) == 0:
        return w
    key = postcode_key(firms["postcode"].iloc[h]).fillna("").to_numpy(object)
    clustered = pd.Series(role[h] == "clustered").groupby(key, sort=False).transform("mean").to_numpy(float)
    w[h] = clustered
    return w
