"""Download the Companies House Free Company Data Product (``data fetch companies-house``).

The product page :data:`PRODUCT_PAGE` links the current month's file,
``BasicCompanyDataAsOneFile-YYYY-MM-DD.zip`` (about 500 MB zipped), and the
same data as monthly parts ``BasicCompanyData-YYYY-MM-DD-partN_M.zip``
(about 70 MB each), all under :data:`BASE_URL`. The page lists one month only
(the latest); :func:`product_links` reads the links from it, :func:`choose_file`
picks the whole-file zip of the requested month and :func:`choose_parts` its
parts (all ``M`` of them, or an error naming the missing ones).

:func:`download` streams one file to ``<name>.part`` and only renames it to
``<name>`` when it is whole and checked:

- **resume**: an interrupted download continues with an HTTP ``Range``
  request from the bytes already on disk, guarded by ``If-Range`` (the
  ``ETag`` or ``Last-Modified`` of the first response, kept in
  ``<name>.part.json``): a server whose file changed, or that ignores ranges,
  answers ``200`` and the file is read from the start again;
- **length**: the bytes received must equal ``Content-Length`` (or the total
  of ``Content-Range``);
- **checksum**: Companies House publishes no checksum of its files, so a zip
  is checked against its own CRC-32 of every member (``ZipFile.testzip``);
  a zip that fails is deleted (a resumed download must not build on it) and
  the error says to run the command again. The SHA-256 of the finished file
  is written beside it as ``<name>.sha256`` (``sha256sum`` format), so a
  later run can check the copy (:func:`verify_download`);
- **atomic**: the ``.part`` file is renamed into place only after the checks,
  so ``<name>`` is either absent or complete.

The client comes from :func:`creative_clusters.sources._http.make_client`, so
tests run it on a ``httpx.MockTransport`` with recorded responses and no
network.

Examples
--------
>>> html = ('<a href="BasicCompanyDataAsOneFile-2024-11-01.zip">whole file</a>'
...         '<a href="BasicCompanyData-2024-11-01-part1_2.zip">1</a>'
...         '<a href="BasicCompanyData-2024-11-01-part2_2.zip">2</a>')
>>> choose_file(product_links(html), month="2024-11")
'BasicCompanyDataAsOneFile-2024-11-01.zip'
>>> choose_parts(product_links(html))
['BasicCompanyData-2024-11-01-part1_2.zip', 'BasicCompanyData-2024-11-01-part2_2.zip']
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import httpx

from creative_clusters.errors import DataSourceError, OfflineError, ParameterError

__all__ = ["BASE_URL", "OFFLINE_HINT", "PRODUCT_PAGE", "choose_file", "choose_parts", "download",
           "fetch_companies_house", "fetch_plan", "product_links", "sha256_of", "verify_download"]

BASE_URL = "https://download.companieshouse.gov.uk/"
PRODUCT_PAGE = BASE_URL + "en_output.html"
_LINK = re.compile(r'href="([^"]*BasicCompanyData(?:AsOneFile)?-\d{4}-\d{2}-\d{2}(?:-part\d+_\d+)?\.zip)"', re.I)
_PART = re.compile(r"BasicCompanyData-(\d{4}-\d{2}-\d{2})-part(\d+)_(\d+)\.zip$", re.I)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CHUNK = 1 << 20

#: What to do without a network (the end of every :class:`OfflineError` of this module).
OFFLINE_HINT = (
    f"download BasicCompanyDataAsOneFile-YYYY-MM-DD.zip from Companies House's download page {PRODUCT_PAGE} "
    "on a connected machine, copy it here and pass its path to `creative-clusters microclusters FILE --out DIR`"
)

Progress = Callable[[int, int | None], None]


def product_links(html: str) -> list[str]:
    """File names of the product linked from the page, in page order (duplicates dropped)."""
    return list(dict.fromkeys(Path(h).name for h in _LINK.findall(html)))


def _check_month(month: str | None) -> None:
    if month is not None and not _MONTH.match(month):
        raise ParameterError(f"--month must look like YYYY-MM (e.g. 2024-11); got {month!r}")


def _offered(names: list[str]) -> str:
    return ", ".join(sorted({m.group(0) for f in names if (m := re.search(r"\d{4}-\d{2}", f))}))


def choose_file(links: list[str], *, month: str | None = None) -> str:
    """The whole-file zip for ``month`` (``YYYY-MM``; default: the latest on the page)."""
    _check_month(month)
    whole = sorted(f for f in links if "AsOneFile" in f)
    if not whole:
        raise DataSourceError(f"the Companies House page {PRODUCT_PAGE} links no BasicCompanyDataAsOneFile "
                              "zip; the page layout may have changed")
    if month is None:
        return whole[-1]
    got = [f for f in whole if f"-{month}-" in f]
    if not got:
        raise DataSourceError(f"Companies House offers only the latest month ({_offered(whole)}) at "
                              f"{PRODUCT_PAGE}, not {month}; fetch without --month, or use a copy of that "
                              "month's file")
    return got[-1]


def choose_parts(links: list[str], *, month: str | None = None) -> list[str]:
    """All monthly parts (``partN_M``, N = 1..M) of one product date, in part order.

    Raises :class:`DataSourceError` when the page links no parts for the
    month, or not all ``M`` of them.
    """
    _check_month(month)
    parts = [(m.group(1), int(m.group(2)), int(m.group(3)), f) for f in links if (m := _PART.search(f))]
    if not parts:
        raise DataSourceError(f"the Companies House page {PRODUCT_PAGE} links no BasicCompanyData-…-partN_M.zip "
                              "files; the page layout may have changed (fetch the whole file without --parts)")
    dates = sorted({d for d, *_ in parts})
    date = dates[-1] if month is None else next((d for d in reversed(dates) if d.startswith(month)), None)
    if date is None:
        raise DataSourceError(f"Companies House offers only the latest month ({_offered([p[3] for p in parts])}) "
                              f"at {PRODUCT_PAGE}, not {month}")
    mine = sorted((n, m, f) for d, n, m, f in parts if d == date)
    totals = {m for _, m, _ in mine}
    if len(totals) != 1:
        raise DataSourceError(f"the parts of {date} on {PRODUCT_PAGE} disagree on their count ({sorted(totals)}); "
                              "fetch the whole file without --parts")
    total = totals.pop()
    missing = sorted(set(range(1, total + 1)) - {n for n, _, _ in mine})
    if missing:
        raise DataSourceError(f"the page links only {len(mine)} of the {total} parts of {date} (missing parts "
                              f"{', '.join(map(str, missing))}); fetch the whole file without --parts")
    return list(dict.fromkeys(f for _, _, f in mine))


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 1 MB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _checksum_file(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _check_zip(path: Path, url: str) -> None:
    """Every member's CRC-32 (the zip's own checksums); the file is deleted when it fails."""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        bad = f"not a readable zip ({exc})"
    if bad is not None:
        path.unlink(missing_ok=True)
        raise DataSourceError(f"Companies House download {url} failed its zip check ({bad}); the damaged file was "
                              "deleted: run the command again to download it afresh")


def verify_download(dest: str | Path) -> bool:
    """True when ``dest`` matches the SHA-256 recorded beside it at download (``<name>.sha256``).

    Raises :class:`DataSourceError` when there is no record to check against.
    """
    dest = Path(dest)
    record = _checksum_file(dest)
    if not dest.exists() or not record.exists():
        raise DataSourceError(f"no download record to verify: expected {dest} and {record.name} beside it "
                              "(written by `creative-clusters data fetch companies-house`)")
    return record.read_text(encoding="utf-8").split()[0] == sha256_of(dest)


def download(client: httpx.Client, url: str, dest: Path, *, progress: Progress | None = None,
             check_zip: bool = True) -> Path:
    """Stream ``url`` to ``dest`` (via ``dest.part``), resuming a partial download (module notes).

    Returns ``dest``; writes ``dest.sha256``. Raises :class:`DataSourceError`
    on HTTP errors, a short body or a damaged zip, and :class:`OfflineError`
    without a network.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    meta_path = dest.with_name(dest.name + ".part.json")
    meta: dict[str, str] = {}
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
    have = part.stat().st_size if part.exists() else 0
    if have and meta.get("url") not in (None, url):  # a part of another file: start again
        have = 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    validator = meta.get("etag") or meta.get("last_modified")
    if have and validator:
        headers["If-Range"] = validator
    total: int | None = None
    done = have
    try:
        with client.stream("GET", url, headers=headers) as r:
            if r.status_code == 416 and have:  # nothing left to send: the part is whole
                total = have
            elif r.status_code not in (200, 206):
                raise DataSourceError(f"Companies House download {url} failed: HTTP {r.status_code}")
            else:
                if r.status_code == 206:
                    m = re.match(r"bytes (\d+)-\d+/(\d+|\*)", r.headers.get("Content-Range", ""))
                    if not m or int(m.group(1)) != have:
                        raise DataSourceError(f"Companies House download {url}: the server resumed at "
                                              f"{r.headers.get('Content-Range')!r}, not at byte {have:,}; "
                                              f"delete {part} and fetch again")
                    total = int(m.group(2)) if m.group(2) != "*" else None
                    mode = "ab"
                else:  # 200: the whole file (changed, or ranges not honoured); start again
                    have = done = 0
                    mode = "wb"
                    length = r.headers.get("Content-Length")
                    total = int(length) if length is not None else None
                    meta = {"url": url, "etag": r.headers.get("ETag", ""),
                            "last_modified": r.headers.get("Last-Modified", "")}
                    _write_atomic(meta_path, json.dumps(meta))
                with open(part, mode) as fh:
                    for chunk in r.iter_bytes(CHUNK):
                        fh.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
    except httpx.ConnectError as exc:
        raise OfflineError(f"cannot reach {httpx.URL(url).host} ({exc}); you appear to be offline. To work "
                           f"offline, {OFFLINE_HINT}.") from exc
    except httpx.HTTPError as exc:
        raise DataSourceError(f"Companies House download {url} interrupted ({exc}); run the command again "
                              f"to resume from {part.stat().st_size if part.exists() else 0:,} bytes") from exc
    if total is not None and done != total:
        raise DataSourceError(f"Companies House download {url} ended at {done:,} of {total:,} bytes; run the "
                              "command again to resume")
    if check_zip and dest.suffix.lower() == ".zip":
        try:
            _check_zip(part, url)
        except DataSourceError:
            meta_path.unlink(missing_ok=True)
            raise
    _write_atomic(_checksum_file(dest), f"{sha256_of(part)}  {dest.name}\n")
    part.replace(dest)
    meta_path.unlink(missing_ok=True)
    return dest


def _have(dest: Path, url: str) -> bool:
    """A complete earlier download: present, and checked now if it has no record yet."""
    if not dest.exists():
        return False
    if not _checksum_file(dest).exists():
        _check_zip(dest, url)
        _write_atomic(_checksum_file(dest), f"{sha256_of(dest)}  {dest.name}\n")
    return True


def fetch_plan(out_dir: str | Path, *, month: str | None = None, parts: bool = False) -> list[str]:
    """What :func:`fetch_companies_house` would read and write, without touching the network (``--dry-run``).

    The exact file names are listed on :data:`PRODUCT_PAGE` only, so the plan
    names their pattern; ``month`` is checked as the real fetch checks it.

    Examples
    --------
    >>> fetch_plan("ch", month="2024-11")[1]
    'would download: https://download.companieshouse.gov.uk/BasicCompanyDataAsOneFile-2024-11-DD.zip (about 500 MB)'
    """
    _check_month(month)
    out = Path(out_dir).resolve()
    date = f"{month}-DD" if month else "YYYY-MM-DD"
    when = f"the {month} file" if month else "the latest month's file"
    if parts:
        what = f"{BASE_URL}BasicCompanyData-{date}-partN_M.zip (all M parts, about 70 MB each)"
        target = out / f"BasicCompanyData-{date}"
    else:
        what = f"{BASE_URL}BasicCompanyDataAsOneFile-{date}.zip (about 500 MB)"
        target = out
    return [f"would read: {PRODUCT_PAGE} (the page naming {when})",
            f"would download: {what}",
            f"into: {target}{'/' if parts else ''} (checked: zip CRCs, SHA-256 written beside it)",
            "dry run: nothing was downloaded and no network was used"]


def fetch_companies_house(out_dir: str | Path, *, month: str | None = None, parts: bool = False,
                          client: httpx.Client | None = None, progress: Progress | None = None) -> Path:
    """Find the month's product on the page and download it into ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Folder for the download (created).
    month : str, optional
        ``YYYY-MM``; default the latest (the page offers no other).
    parts : bool
        Download the monthly parts instead of the whole file, into a folder
        ``BasicCompanyData-YYYY-MM-DD`` under ``out_dir`` (the reader takes
        the folder as one file).

    Returns
    -------
    pathlib.Path
        The whole-file zip, or the folder of parts. Files already complete
        are not downloaded again.
    """
    from creative_clusters.sources._http import get_with_retries, make_client

    own = client is None
    client = client or make_client()
    try:
        page = get_with_retries(client, PRODUCT_PAGE, source="Companies House product page",
                                offline_hint=OFFLINE_HINT)
        links = product_links(page.text)
        out = Path(out_dir)
        if not parts:
            name = choose_file(links, month=month)
            dest = out / name
            if _have(dest, BASE_URL + name):
                return dest
            dest.parent.mkdir(parents=True, exist_ok=True)
            return download(client, BASE_URL + name, dest, progress=progress)
        names = choose_parts(links, month=month)
        folder = out / f"BasicCompanyData-{_PART.search(names[0]).group(1)}"  # type: ignore[union-attr]
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            if not _have(folder / name, BASE_URL + name):
                download(client, BASE_URL + name, folder / name, progress=progress)
        return folder
    finally:
        if own:
            client.close()
