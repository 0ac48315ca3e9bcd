"""The national (chunked, pyarrow) Companies House reader on a file that is not UTF-8.

Every file here is SYNTHETIC (:func:`creative_clusters.testing.write_synthetic_product`), written in a
temporary folder; one company's name is changed to "SYNTHETIC CAFÉ …" and the file saved as
Windows-1252 (cp1252), as a spreadsheet on Windows would save it. The reader must read it as the
regional reader reads such a list (as Windows-1252, saying so), not stop with pyarrow's raw
"invalid UTF8 data".
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.errors import ImportFormatError
from creative_clusters.sources.companies_house import read_companies_house
from creative_clusters.sources.firm_files import NotUtf8FirmFileWarning, load_creative_firms
from creative_clusters.testing import write_synthetic_product

#: Small blocks, so the byte that is not UTF-8 comes many blocks into the file (after rows were kept).
BLOCK = 16 << 10


def _with_cafe(tmp_path: Path, n: int = 3000, seed: int = 1) -> tuple[str, str, str]:
    """A SYNTHETIC product as text, the same text with a kept company late in the file renamed
    "SYNTHETIC CAFÉ …", and that new name."""
    utf8 = write_synthetic_product(tmp_path / "SYNTHETIC_source.csv", n, seed=seed)
    text = utf8.read_text(encoding="utf-8")
    kept = read_companies_house(utf8, block_bytes=BLOCK)
    old = str(kept["CompanyName"].iloc[int(len(kept) * 0.8)])
    new = old.replace("SYNTHETIC COMPANY", "SYNTHETIC CAFÉ")
    assert text.count(f'"{old}"') == 1
    return text, text.replace(f'"{old}"', f'"{new}"'), new


def test_a_windows_1252_product_file_is_read_as_such(tmp_path: Path) -> None:
    _, text, cafe = _with_cafe(tmp_path)
    data = text.encode("cp1252")
    p = tmp_path / "SYNTHETIC_BasicCompanyData-2024-11-01-part1_1.csv"
    p.write_bytes(data)
    (tmp_path / "SYNTHETIC_utf8.csv").write_text(text, encoding="utf-8")

    got = read_companies_house(p, block_bytes=BLOCK)
    want = read_companies_house(tmp_path / "SYNTHETIC_utf8.csv", block_bytes=BLOCK)
    # the same rows, counts and postcode counts as the same text in UTF-8: nothing read twice on the re-read
    pd.testing.assert_frame_equal(got, want)
    assert cafe in set(got["CompanyName"])
    assert (got.attrs["rows_read"], got.attrs["rows_status_kept"]) == (want.attrs["rows_read"],
                                                                         want.attrs["rows_status_kept"])
    at = data.index("É".encode("cp1252"))
    assert got.attrs["encoding"] == "cp1252"
    assert (got.attrs["encoding_offset"], got.attrs["encoding_line"]) == (at, data.count(b"\n", 0, at) + 1)
    assert got.attrs["encoding_files"] == [p.name]
    assert want.attrs.get("encoding", "utf-8") == "utf-8"


def test_zipped_part_of_a_folder_is_read_and_the_warning_names_it(tmp_path: Path) -> None:
    plain, text, cafe = _with_cafe(tmp_path)
    folder = tmp_path / "SYNTHETIC_parts"
    folder.mkdir()
    (folder / "BasicCompanyData-2024-11-01-part1_2.csv").write_text(plain, encoding="utf-8")
    with zipfile.ZipFile(folder / "BasicCompanyData-2024-11-01-part2_2.zip", "w") as zf:
        zf.writestr("BasicCompanyData-2024-11-01-part2_2.csv", text.encode("cp1252"))
    got = read_companies_house(folder, block_bytes=BLOCK)
    assert cafe in set(got["CompanyName"])
    assert got.attrs["encoding_files"] == ["BasicCompanyData-2024-11-01-part2_2.zip:"
                                           "BasicCompanyData-2024-11-01-part2_2.csv"]
    assert got.attrs["rows_read"] == 2 * (plain.count("\n") - 1)

    # the firm reader says which encoding it used, and where the first byte that is not UTF-8 is
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _firms, rep = load_creative_firms(folder)
    assert rep.encoding == "cp1252" and "read as Windows-1252" in rep.summary()
    msg = next(str(w.message) for w in caught if issubclass(w.category, NotUtf8FirmFileWarning))
    assert "part2_2.csv, byte offset" in msg and "Windows-1252" in msg


def test_bytes_that_are_neither_utf8_nor_windows_1252_name_file_offset_and_fix(tmp_path: Path) -> None:
    _, text, cafe = _with_cafe(tmp_path)
    data = text.encode("cp1252").replace(cafe.encode("cp1252"), cafe.encode("cp1252").replace(b"\xc9", b"\x81"))
    p = tmp_path / "SYNTHETIC_BasicCompanyData-2024-11-01-part1_1.csv"
    p.write_bytes(data)
    at = data.index(b"\x81")
    with pytest.raises(ImportFormatError) as err:
        read_companies_house(p, block_bytes=BLOCK)
    msg = str(err.value)
    assert p.name in msg and f"byte offset {at:,}" in msg and "0x81" in msg
    assert "iconv" in msg and "UTF-8" in msg


def test_a_stream_that_cannot_be_read_again_says_how_to_convert(tmp_path: Path) -> None:
    _, text, _ = _with_cafe(tmp_path, n=200)

    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._b = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:  # type: ignore[no-untyped-def]
            chunk = self._b.read(len(buf))
            buf[: len(chunk)] = chunk
            return len(chunk)

    with pytest.raises(ImportFormatError, match="iconv -f CP1252 -t UTF-8"):
        read_companies_house(OneWay(text.encode("cp1252")))
    # a seekable stream is read again
    assert "CAFÉ" in " ".join(read_companies_house(io.BytesIO(text.encode("cp1252")))["CompanyName"])
