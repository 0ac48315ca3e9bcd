"""Download the Companies House Free Company Data Product (``data fetch companies-house``).

The product page :data:`PRODUCT_PAGE` links the current month's file,
``BasicCompanyDataAsOneFile-YYYY-MM-DD.zip`` (about 500 MB zipped), and its
monthly parts ``BasicCompanyData-YYYY-MM-DD-partN_M.zip``. The page lists one
month only (the latest); :func:`product_links` reads the links from it and
:func:`choose_file` picks the whole-file zip of the requested month, or says
which month is on offer.

:func:`download` streams the file to ``<name>.part`` and renames it when
complete; an interrupted download resumes with an HTTP ``Range`` request
from the bytes already on disk (a server that answers ``200`` instead of
``206`` is read from the start again). The client comes from
:func:`creative_clusters.sources._http.make_client`, so tests run it on a
``httpx.MockTransport`` with recorded responses and no network.

Examples
--------
>>> html = '<a href="BasicCompanyDataAsOneFile-2024-11-01.zip">whole file</a>'
>>> choose_file(product_links(html), month="2024-11")
'BasicCompanyDataAsOneFile-2024-11-01.zip'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx

from creative_clusters.errors import DataSourceError, OfflineError, ParameterError

__all__ = ["BASE_URL", "PRODUCT_PAGE", "choose_file", "download", "fetch_companies_house", "product_links"]

BASE_URL = "https://download.companieshouse.gov.uk/"
PRODUCT_PAGE = BASE_URL + "en_output.html"
_LINK = re.compile(r'href="([^"]*BasicCompanyData(?:AsOneFile)?-\d{4}-\d{2}-\d{2}(?:-part\d+_\d+)?\.zip)"', re.I)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CHUNK = 1 << 20


def product_links(html: str) -> list[str]:
    """File names of the product linked from the page, in page order (duplicates dropped)."""
    return list(dict.fromkeys(Path(h).name for h in _LINK.findall(html)))


def choose_file(links: list[str], *, month: str | None = None) -> str:
    """The whole-file zip for ``month`` (``YYYY-MM``; default: the latest on the page)."""
    if month is not None and not _MONTH.match(month):
        raise ParameterError(f"--month must look like YYYY-MM (e.g. 2024-11); got {month!r}")
    whole = sorted(f for f in links if "AsOneFile" in f)
    if not whole:
        raise DataSourceError(f"the Companies House page {PRODUCT_PAGE} links no BasicCompanyDataAsOneFile "
                              "zip; the page layout may have changed")
    if month is None:
        return whole[-1]
    got = [f for f in whole if f"-{month}-" in f]
    if not got:
        offered = ", ".join(re.search(r"\d{4}-\d{2}", f).group(0) for f in whole)  # type: ignore[union-attr]
        raise DataSourceError(f"Companies House offers only the latest month ({offered}) at {PRODUCT_PAGE}, "
                              f"not {month}; fetch without --month, or use a copy of that month's file")
    return got[-1]


def download(client: httpx.Client, url: str, dest: Path, *,
             progress: Callable[[int, int | None], None] | None = None) -> Path:
    """Stream ``url`` to ``dest`` (via ``dest.part``), resuming a partial download.

    Returns ``dest``. Raises :class:`DataSourceError` on HTTP errors and
    :class:`OfflineError` without a network.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with client.stream("GET", url, headers=headers) as r:
            if r.status_code == 416 and have:  # nothing left to send: the part is whole
                part.replace(dest)
                return dest
            if r.status_code not in (200, 206):
                raise DataSourceError(f"Companies House download {url} failed: HTTP {r.status_code}")
            if r.status_code == 206:
                m = re.match(r"bytes (\d+)-", r.headers.get("Content-Range", ""))
                if not m or int(m.group(1)) != have:
                    raise DataSourceError(f"Companies House download {url}: the server resumed at "
                                          f"{r.headers.get('Content-Range')!r}, not at byte {have}; "
                                          f"delete {part} and fetch again")
                mode = "ab"
            else:  # 200: the server sent the whole file; start again
                have, mode = 0, "wb"
            length = r.headers.get("Content-Length")
            total = have + int(length) if length is not None else None
            done = have
            with open(part, mode) as fh:
                for chunk in r.iter_bytes(CHUNK):
                    fh.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    except httpx.ConnectError as exc:
        raise OfflineError(f"cannot reach {httpx.URL(url).host} ({exc}); download the product on a connected "
                           f"machine from {PRODUCT_PAGE} and pass its path to `microclusters`") from exc
    except httpx.HTTPError as exc:
        raise DataSourceError(f"Companies House download {url} interrupted ({exc}); run the command again "
                              f"to resume from {part.stat().st_size if part.exists() else 0:,} bytes") from exc
    if total is not None and done != total:
        raise DataSourceError(f"Companies House download {url} ended at {done:,} of {total:,} bytes; run the "
                              "command again to resume")
    part.replace(dest)
    return dest


def fetch_companies_house(out_dir: str | Path, *, month: str | None = None,
                          client: httpx.Client | None = None,
                          progress: Callable[[int, int | None], None] | None = None) -> Path:
    """Find the month's whole-file zip on the product page and download it into ``out_dir``.

    An already complete file is not downloaded again.
    """
    from creative_clusters.sources._http import get_with_retries, make_client

    own = client is None
    client = client or make_client()
    try:
        page = get_with_retries(client, PRODUCT_PAGE, source="Companies House product page")
        name = choose_file(product_links(page.text), month=month)
        dest = Path(out_dir) / name
        if dest.exists():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        return download(client, BASE_URL + name, dest, progress=progress)
    finally:
        if own:
            client.close()
