"""Importer for the firm points in the reference data: Companies House, South Yorkshire.

Dataset ``firms_companies_house`` stores the file's **creative** firms (any of
the four SIC codes in the DCMS creative classes; all company statuses, so
users filter on ``company_status``) as ref table ``firms_companies_house``,
one row per firm with BNG ``easting``/``northing`` from the file's ``X``/``Y``
and the columns of :data:`creative_clusters.sources.firm_files.FIRM_COLUMNS`.
No observations: the microclusters themselves come from the
``creative-clusters microclusters`` command (dataset ``microclusters``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from creative_clusters import kinds
from creative_clusters.sources._base import OGL, OGL_ATTRIBUTION, DatasetSpec, ImportResult
from creative_clusters.sources.firm_files import UnlocatedFirmsWarning, prepare_firms, read_firm_file

#: The bundle's folder of firm files (lists of firms the ``microclusters`` command clusters).
FIRMS_DIR = "firms"
CH_SOUTH_YORKSHIRE = f"{FIRMS_DIR}/companieshouse_southyorkshire_2024-11-01.csv.gz"


def read_companies_house_south_yorkshire(root: Path) -> ImportResult:
    """Creative firms of the South Yorkshire Companies House extract (ref table only)."""
    raw = read_firm_file(Path(root) / CH_SOUTH_YORKSHIRE)
    with warnings.catch_warnings():
        # rows without X/Y are counted in the coverage line; every other warning reaches the caller
        warnings.filterwarnings("ignore", category=UnlocatedFirmsWarning)
        firms, rep = prepare_firms(raw, status="all")
    for c in firms.columns:
        if firms[c].dtype == object:
            firms[c] = firms[c].astype("string")
    return ImportResult(
        tables={"firms_companies_house": firms},
        coverage=(f"{rep.n_located:,} creative firms (of {rep.n_rows:,} companies) in South "
                  "Yorkshire, all statuses, BNG points"),
    )


DATASETS: list[DatasetSpec] = [
    DatasetSpec(
        id="firms_companies_house",
        kind=kinds.FIRMS,
        title="Companies House creative firms, South Yorkshire (registered offices)",
        publisher="Companies House (Free Company Data Product); OS Code-Point Open",
        licence=OGL,
        source_url="https://download.companieshouse.gov.uk/en_output.html",
        vintage="2024-11-01",
        files=(CH_SOUTH_YORKSHIRE,),
        reader=read_companies_house_south_yorkshire,
        attribution=OGL_ATTRIBUTION + "; Companies House; Ordnance Survey Code-Point Open",
        caveats=(
            "Registered-office addresses, not trading sites; formation agents' and accountants' "
            "addresses gather many firms.",
            "Prepared by a third party: a column subset with X/Y and local authority added.",
        ),
    )
]
