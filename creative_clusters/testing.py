"""Helpers for tests and benchmarks: SYNTHETIC data in the layouts the toolkit reads.

Nothing in the toolkit itself uses this module. Its functions invent data
(every row they write says SYNTHETIC) so tests and benchmarks can exercise
the readers at any size without the real files.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from creative_clusters.sources.companies_house import read_companies_house
>>> p = write_synthetic_product(Path(tempfile.mkdtemp()) / "SYNTHETIC_BasicCompanyData.csv", 2_000, seed=3)
>>> t = read_companies_house(p)
>>> t.attrs["rows_read"], bool(t["CompanyName"].str.startswith("SYNTHETIC COMPANY").all())
(2000, True)
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from creative_clusters.sources.companies_house import OFFICIAL_HEADER

__all__ = ["write_synthetic_product"]

#: The columns every synthetic company shares, with their invented values.
_FIXED = (
    ("RegAddress.AddressLine1", "1 SYNTHETIC STREET"), ("RegAddress.PostTown", "SYNTHETIC TOWN"),
    ("RegAddress.County", "SYNTHETIC COUNTY"), ("RegAddress.Country", "UNITED KINGDOM"),
    ("CompanyCategory", "Private Limited Company"), ("CountryOfOrigin", "United Kingdom"),
    ("IncorporationDate", "01/01/2020"), ("Accounts.AccountRefDay", "31"), ("Accounts.AccountRefMonth", "3"),
    ("Accounts.NextDueDate", "31/12/2025"), ("Accounts.LastMadeUpDate", "31/03/2024"),
    ("Accounts.AccountCategory", "MICRO ENTITY"), ("Mortgages.NumMortCharges", "0"),
    ("Mortgages.NumMortOutstanding", "0"), ("Mortgages.NumMortPartSatisfied", "0"),
    ("Mortgages.NumMortSatisfied", "0"), ("LimitedPartnerships.NumGenPartners", "0"),
    ("LimitedPartnerships.NumLimPartners", "0"), ("ConfStmtNextDueDate", "01/06/2025"),
    ("ConfStmtLastMadeUpDate", "01/06/2024"),
)


def write_synthetic_product(path: str | Path, n: int, *, seed: int = 0, postcodes: np.ndarray | None = None,
                            creative_share: float = 0.07, chunk: int = 500_000) -> Path:
    """Write a SYNTHETIC file in the Companies House product's layout (all 55 columns), ``n`` invented companies.

    For tests and the reader benchmark only: company names ``SYNTHETIC COMPANY n``,
    addresses ``1 SYNTHETIC STREET``, ``SYNTHETIC TOWN``. Give the file a name
    containing "SYNTHETIC" so the firm readers flag runs on it as synthetic
    (:func:`creative_clusters.sources.firm_files.is_synthetic`).

    Parameters
    ----------
    path : str or Path
        The CSV to write. It is written beside itself under a temporary name
        and renamed into place when complete, so ``path`` is either absent,
        the old file, or the whole new one; a failure removes the temporary file.
    n : int
        Number of companies (rows).
    seed : int, default 0
        Seed of the random postcodes, SIC codes and statuses.
    postcodes : array of str, optional
        Postcodes to draw from (default three invented Sheffield/Doncaster ones).
    creative_share : float, default 0.07
        Share of rows whose first SIC code is a DCMS creative class; the others
        get a non-creative code. 90% of rows are Active, the rest in liquidation.
    chunk : int, default 500_000
        Rows generated and written at a time, so memory stays small for
        millions of rows.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> p = write_synthetic_product(folder / "SYNTHETIC_ch.csv", 10)
    >>> p.read_text().splitlines()[1].split(",")[:2], [f.name for f in folder.iterdir()]
    (['"SYNTHETIC COMPANY 0"', '"00000000"'], ['SYNTHETIC_ch.csv'])
    """
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    pcs = np.asarray(postcodes if postcodes is not None else ["S1 2BX", "S11 9PA", "DN1 1AA"], dtype=object)
    path = Path(path)
    # beside PATH under a temporary name, renamed into place when complete: a failure (or a full disk) leaves
    # no partial file that a reader would take for the whole product
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write((",".join(OFFICIAL_HEADER) + "\r\n").encode())
            for start in range(0, n, chunk):
                buf = io.BytesIO()
                pacsv.write_csv(_companies(start, min(chunk, n - start), rng, pcs, creative_share), buf,
                                pacsv.WriteOptions(include_header=False))
                fh.write(buf.getvalue())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _companies(start: int, m: int, rng: np.random.Generator, postcodes: np.ndarray, creative_share: float) -> Any:
    """Rows ``start .. start + m - 1`` of :func:`write_synthetic_product` as a pyarrow table of strings."""
    import pyarrow as pa

    from creative_clusters.classifications import dcms

    creative = np.array([c + "0 - synthetic creative class" for c in dcms.creative_classes()], dtype=object)
    other = np.array(["47110 - Retail sale", "68209 - Other letting", "82990 - Other business support",
                      "99999 - Dormant Company"], dtype=object)
    names = [c.strip() for c in OFFICIAL_HEADER]
    idx = np.arange(start, start + m)
    cols: dict[str, Any] = dict.fromkeys(names)
    cols["CompanyName"] = np.char.add("SYNTHETIC COMPANY ", idx.astype(str)).astype(object)
    cols["CompanyNumber"] = np.char.zfill(idx.astype(str), 8).astype(object)
    for c, v in _FIXED:
        cols[c] = np.full(m, v, dtype=object)
    # the random draws in the order the generator has always made them (the same seed, the same file)
    cols["RegAddress.PostCode"] = postcodes[rng.integers(0, len(postcodes), m)]
    cols["CompanyStatus"] = np.where(rng.random(m) < 0.9, "Active", "Liquidation").astype(object)
    is_cr = rng.random(m) < creative_share
    cols["SICCode.SicText_1"] = np.where(is_cr, creative[rng.integers(0, len(creative), m)],
                                         other[rng.integers(0, len(other), m)]).astype(object)
    cols["URI"] = np.char.add("http://business.data.gov.uk/id/company/",
                              cols["CompanyNumber"].astype(str)).astype(object)
    return pa.table({c: pa.array(cols[c] if cols[c] is not None else np.full(m, None), type=pa.string())
                     for c in names})
