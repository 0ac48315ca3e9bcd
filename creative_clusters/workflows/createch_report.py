"""Createch firms by place from a user's firm file (the ``createch`` command)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from creative_clusters.people.createch import createch_counts, createch_flag

__all__ = [
    "createch_by_place",
]


def createch_by_place(firms_file: str | Path) -> pd.DataFrame:
    """Createch firms by LAD from a Companies House extract (see :mod:`creative_clusters.people.createch`)."""
    from creative_clusters.sources.firm_files import read_firm_file

    raw = read_firm_file(firms_file)
    status = raw.get("CompanyStatus")
    if status is not None:
        raw = raw[status.fillna("").str.lower().str.startswith("active")]
    return createch_counts(createch_flag(raw))
