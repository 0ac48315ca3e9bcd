"""Input checks for the people indicators: geography level and census vintage.

Examples
--------
>>> t = pd.DataFrame({"geo_type": ["lad"], "period": ["2021-03-21"], "dataset_vintage": ["2021"]})
>>> check_people_table(t, geo_type="lad", what="TS060")
"""

from __future__ import annotations

import pandas as pd

from creative_clusters.errors import SchemaError

__all__ = ["check_people_table"]


def check_people_table(obs: pd.DataFrame, /, *, geo_type: str | tuple[str, ...] = "lad", what: str = "table") -> None:
    """Raise :class:`SchemaError` for rows at another geography or a mix of census vintages.

    Parameters
    ----------
    obs : DataFrame
        Observations (columns ``geo_type`` and ``period``/``dataset_vintage`` are checked when present).
    geo_type : str or tuple of str
        Allowed geography types.
    what : str
        Name of the table for the message.
    """
    allowed = (geo_type,) if isinstance(geo_type, str) else tuple(geo_type)
    if "geo_type" in obs.columns:
        bad = sorted(set(obs["geo_type"].astype(str)) - set(allowed))
        if bad:
            n = int((~obs["geo_type"].isin(allowed)).sum())
            raise SchemaError(
                f"{what}: {n} row(s) are at geography {bad}, expected {list(allowed)}; select the "
                f"{'/'.join(allowed)} rows (or aggregate with creative_clusters.geography.lookups) first."
            )
    for col in ("dataset_vintage", "period"):
        if col in obs.columns:
            vals = sorted(set(obs[col].astype(str)))
            if len(vals) > 1:
                raise SchemaError(
                    f"{what}: rows from several {col}s {vals} are mixed; census and survey vintages are not "
                    "comparable cell by cell. Filter to one vintage (e.g. period='2021-03-21')."
                )
