"""Createch firms by place from a user's firm file (the ``createch`` command)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from creative_clusters.people.createch import createch_counts, createch_flag

__all__ = [
    "PLACE_COLUMN",
    "SIC_COLUMNS",
    "createch_by_place",
]

#: SIC code columns of a Companies House file (``createch_flag``'s default layout).
SIC_COLUMNS = [f"SICCode.SicText_{i}" for i in range(1, 5)]
#: The LAD code (and name) of each firm, as in the reference bundle's Companies House extract.
PLACE_COLUMN = "localauthority_code"
PLACE_NAME_COLUMN = "localauthority_name"


def _check_columns(raw: pd.DataFrame, firms_file: str | Path) -> None:
    """The columns the ``createch`` command reads, named with what the file has and how to fix it."""
    from creative_clusters.errors import ImportFormatError

    has = list(raw.columns)
    if not any(c in raw.columns for c in SIC_COLUMNS):
        raise ImportFormatError(
            f"no SIC code column: createch reads the Companies House columns {', '.join(SIC_COLUMNS)} (one or more; "
            f"cells like '62012 - Business and domestic software development' or '62012'); the file "
            f"has {has}. Rename the column holding each firm's SIC code to {SIC_COLUMNS[0]} (further codes to "
            f"{SIC_COLUMNS[1]} ... {SIC_COLUMNS[-1]})", file=str(firms_file))
    if PLACE_COLUMN not in raw.columns:
        raise ImportFormatError(
            f"no {PLACE_COLUMN!r} column: createch counts firms by local authority from the column "
            f"{PLACE_COLUMN} (the LAD code of each firm, e.g. E08000019) and, if present, "
            f"{PLACE_NAME_COLUMN}; the file has {has}. Add or rename that column (Companies House's own "
            "BasicCompanyData file has no local authority: look it up from each firm's postcode)",
            file=str(firms_file))


def createch_by_place(firms_file: str | Path) -> pd.DataFrame:
    """Createch firms by LAD from a Companies House extract (see :mod:`creative_clusters.people.createch`).

    The file needs at least ``SICCode.SicText_1`` (SIC codes, as Companies House
    writes them) and ``localauthority_code``; otherwise an
    :class:`~creative_clusters.errors.ImportFormatError` names the columns it
    looked for and those it found.
    """
    from creative_clusters.sources.firm_files import read_firm_file

    raw = read_firm_file(firms_file)
    _check_columns(raw, firms_file)
    status = raw.get("CompanyStatus")
    if status is not None:
        raw = raw[status.fillna("").str.lower().str.startswith("active")]
    return createch_counts(createch_flag(raw))
