"""Importer for ONS UK Business Counts: creative enterprises by English LAD and SIC class, one March snapshot a year.

Each snapshot is three files named by its year ``YYYY`` (the bundle holds 2025):
``business_counts/business_counts_fact_long_YYYY.csv``, its ``..._with_codes``
variant and ``business_counts_la_totals_YYYY.csv``. The years are discovered
from the files present (:func:`snapshot_years`) and each snapshot is its own
dataset, ``business_counts_YYYY`` with vintage and period ``YYYY``, all of kind
:data:`creative_clusters.kinds.CREATIVE_ENTERPRISES_SIC`: readers take the
latest from the catalogue, so a user who drops in the next year's files and
imports them gets that year everywhere without a code change. A file that
carries a year column (``Year``, ``period`` or ``date``) must agree with the
year in its name.

The official-name file names places by their 2023 LAD *name*; names are
resolved to LAD 2023 codes with the official code list ``geography/ltla23.csv``
from the same data root, then cross-checked against the ``..._with_codes.csv``
variant (every code and value must agree).

Rows produced (dataset ``business_counts_YYYY``):

- one per LAD × SIC 2007 class: ``industry_scheme="SIC2007"``,
  ``industry_code`` the 4-digit class, ``measure="enterprises"``;
- one per LAD from the LA totals file: ``industry_scheme="DCMS_CI"``,
  ``industry_code="_T"`` (the 29-class total; 9101/9102 are absent).

All values are control-rounded to 5 (``disclosure_flag="rounded"``); a published
0 can mean 0–2 enterprises.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from creative_clusters import kinds
from creative_clusters._schema import TOTAL
from creative_clusters.classifications import dcms
from creative_clusters.errors import ImportFormatError
from creative_clusters.sources._base import (
    OGL,
    DatasetSpec,
    ImportResult,
    fail_first,
    first_position,
    read_csv_strict,
    to_numeric_marked,
)

__all__ = [
    "DATASETS",
    "DATASET_ID",
    "check_year_column",
    "dataset_id",
    "discover_datasets",
    "load_lad_names",
    "normalise_place_name",
    "parse_business_counts",
    "parse_la_totals",
    "parse_sic_description",
    "read_business_counts",
    "snapshot_files",
    "snapshot_spec",
    "snapshot_years",
]

#: The snapshot the bundled reference data holds: the default spec when no data folder is at hand
#: (``all_datasets()`` without a root). An import discovers the years in the folder instead
#: (:func:`discover_datasets`), and readers ask the catalogue for the latest, never for this.
BUNDLE_YEAR = "2025"
#: The file names of the snapshot for ``{year}`` (relative to the data root).
FACT_PATTERN = "business_counts/business_counts_fact_long_{year}.csv"
CODES_PATTERN = "business_counts/business_counts_fact_long_{year}_with_codes.csv"
TOTALS_PATTERN = "business_counts/business_counts_la_totals_{year}.csv"
LAD_FILE = "geography/ltla23.csv"
#: How each of a snapshot's files names its year (the folder is ``business_counts/``).
_NAME_YEAR = {
    FACT_PATTERN: re.compile(r"business_counts_fact_long_(\d{4})\.csv"),
    CODES_PATTERN: re.compile(r"business_counts_fact_long_(\d{4})_with_codes\.csv"),
    TOTALS_PATTERN: re.compile(r"business_counts_la_totals_(\d{4})\.csv"),
}
#: Columns that, when a file has one, say which year its rows are for (compared case-insensitively).
_YEAR_COLUMNS = ("year", "period", "date")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def dataset_id(year: str | int) -> str:
    """The dataset id of the snapshot for ``year``.

    Examples
    --------
    >>> dataset_id(2026)
    'business_counts_2026'
    """
    return f"business_counts_{year}"


def snapshot_files(year: str | int) -> tuple[str, str, str]:
    """The fact, with-codes and LA-totals files of the snapshot for ``year``.

    Examples
    --------
    >>> snapshot_files(2026)[2]
    'business_counts/business_counts_la_totals_2026.csv'
    """
    return (FACT_PATTERN.format(year=year), CODES_PATTERN.format(year=year),
            TOTALS_PATTERN.format(year=year))


#: The bundle's snapshot: its id, kept by the tests, the docs and every warehouse imported so far.
DATASET_ID = dataset_id(BUNDLE_YEAR)
FACT_FILE, CODES_FILE, TOTALS_FILE = snapshot_files(BUNDLE_YEAR)

_FACT_COLUMNS = ["Location", "Industry Group", "Description", "Value"]
_CODES_COLUMNS = [
    "lad23cd",
    "lad_name",
    "region",
    "industry_group",
    "sic2007_4",
    "enterprises",
]
_TOTALS_COLUMNS = ["Region", "Enterprise Count"]
_DESCRIPTION = re.compile(r"^\s*(\d{4})\s*[\u2013\u2014-]\s*(\S.*?)\s*$")


def normalise_place_name(name: str) -> str:
    """Normalise a place name for matching: case, ``&``, punctuation, spaces.

    Examples
    --------
    >>> normalise_place_name("Bristol, City of")
    'bristol city of'
    >>> normalise_place_name("  Brighton &  Hove ")
    'brighton and hove'
    >>> normalise_place_name("King's Lynn and West Norfolk")
    'kings lynn and west norfolk'
    """
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"['\u2019`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def load_lad_names(path: Path) -> dict[str, str]:
    """Map normalised LAD name → LAD code from an ``areacd,areanm`` code list.

    Raises :class:`ImportFormatError` if two codes share a normalised name.
    """
    frame = read_csv_strict(path, required=["areacd", "areanm"])
    out: dict[str, str] = {}
    for i, (code, name) in enumerate(
        zip(frame["areacd"], frame["areanm"], strict=True)
    ):
        key = normalise_place_name(name)
        if key in out and out[key] != code:
            raise ImportFormatError(
                f"LAD name {name!r} is ambiguous ({out[key]} and {code}); expected "
                "unique names in the code list",
                file=str(path),
                row=i + 2,
                column="areanm",
            )
        out[key] = str(code).strip()
    return out


def parse_sic_description(text: str) -> tuple[str, str]:
    """Split a UK Business Counts industry description into class and label.

    Raises ``ValueError`` when the text does not start with a 4-digit class.

    Examples
    --------
    >>> parse_sic_description("7021 \u2013 Public relations and communication activities")
    ('7021', 'Public relations and communication activities')
    """
    m = _DESCRIPTION.match(str(text))
    if not m:
        raise ValueError(
            f"expected '<4-digit SIC class> \u2013 <label>' such as "
            f"'5911 \u2013 Motion picture production activities', got {text!r}"
        )
    return m.group(1), m.group(2)


def _resolve_names(
    names: pd.Series, lookup: dict[str, str], *, file: str, column: str
) -> pd.Series:
    codes = names.map(lambda n: lookup.get(normalise_place_name(n)))
    missing = codes.isna()
    if missing.any():
        pos = first_position(missing)
        import difflib

        bad = names.iloc[pos]
        close = difflib.get_close_matches(
            normalise_place_name(bad), list(lookup), n=3, cutoff=0.6
        )
        raise ImportFormatError(
            f"place name {bad!r} is not a 2023 LAD name in {LAD_FILE}"
            + (f"; closest: {close}" if close else "")
            + ". Expected official LAD 2023 names such as 'Bristol, City of'.",
            file=file,
            row=pos + 2,
            column=column,
        )
    return codes.astype("string")


def _observations(
    codes: pd.Series, scheme: str, industry: pd.Series | str, values: pd.Series, *, year: str,
    flags: pd.Series | None = None,
) -> pd.DataFrame:
    n = len(codes)
    return pd.DataFrame(
        {
            "dataset": [dataset_id(year)] * n,
            "dataset_vintage": [year] * n,
            "geo_code": codes.to_numpy(),
            "geo_type": ["lad"] * n,
            "geo_vintage": ["2023"] * n,
            "industry_scheme": [scheme] * n,
            "industry_code": industry.to_numpy()
            if isinstance(industry, pd.Series)
            else [industry] * n,
            "occupation_scheme": [""] * n,
            "occupation_code": [""] * n,
            "status": [""] * n,
            "period": [year] * n,
            "measure": ["enterprises"] * n,
            "value": values.to_numpy(dtype="float64"),
            # a suppressed or unreliable cell (ONS/Nomis marker, or empty) is NaN with its flag, never 0
            "disclosure_flag": ["rounded"] * n if flags is None
            else flags.where(flags.ne(""), "rounded").to_numpy(dtype=object),
        }
    )


def _check_values(values: pd.Series, *, file: str, column: str) -> None:
    neg = values < 0
    fail_first(
        neg,
        lambda pos: f"expected a non-negative enterprise count, found {values.iloc[pos]:g}",
        file=file,
        column=column,
    )
    off = values.notna() & ((values % 5) != 0)
    if off.any():
        warnings.warn(
            f"{file}: {int(off.sum())} value(s) are not multiples of 5, although UK "
            "Business Counts are control-rounded to 5; check the file.",
            stacklevel=3,
        )


def parse_business_counts(
    frame: pd.DataFrame, lad_names: dict[str, str], *, file: str, year: str
) -> pd.DataFrame:
    """Turn the official-name long file into observation rows (LAD × SIC class).

    Parameters
    ----------
    frame : DataFrame
        Columns ``Location, Industry Group, Description, Value`` (as text).
    lad_names : dict
        Normalised LAD 2023 name → code (:func:`load_lad_names`).
    file : str
        File name used in error messages.
    year : str
        The snapshot's year (from the file name): the rows' period and vintage.

    Examples
    --------
    >>> f = pd.DataFrame({"Location": ["Westminster"], "Industry Group": ["Architecture"],
    ...     "Description": ["7111 \u2013 Architectural activities"], "Value": ["630"]})
    >>> parse_business_counts(f, {"westminster": "E09000033"}, file="x.csv", year="2025")[
    ...     ["dataset", "geo_code", "industry_code", "period", "value"]].values.tolist()
    [['business_counts_2025', 'E09000033', '7111', '2025', 630.0]]
    """
    codes = _resolve_names(frame["Location"], lad_names, file=file, column="Location")
    sic = []
    for i, (desc, group) in enumerate(
        zip(frame["Description"], frame["Industry Group"], strict=True)
    ):
        try:
            code, _label = parse_sic_description(desc)
        except ValueError as exc:
            raise ImportFormatError(
                str(exc), file=file, row=i + 2, column="Description"
            ) from None
        if not dcms.is_creative_sic(code):
            raise ImportFormatError(
                f"SIC class {code!r} is not one of the DCMS creative classes "
                f"{dcms.creative_classes()}",
                file=file,
                row=i + 2,
                column="Description",
            )
        if dcms.subsector_of(code) != str(group).strip():
            raise ImportFormatError(
                f"industry group {group!r} does not match SIC class {code}, which DCMS "
                f"puts in {dcms.subsector_of(code)!r}",
                file=file,
                row=i + 2,
                column="Industry Group",
            )
        sic.append(code)
    sic_s = pd.Series(sic, index=frame.index, dtype="string")
    values, flags = to_numeric_marked(frame["Value"], file=file, column="Value")
    _check_values(values, file=file, column="Value")
    key = pd.DataFrame({"c": codes, "s": sic_s})
    dup = key.duplicated(keep="first")
    fail_first(
        dup,
        lambda pos: (
            f"duplicate row: {frame['Location'].iloc[pos]!r} × SIC {sic[pos]} appears "
            "more than once; expected one row per place and class"
        ),
        file=file,
    )
    return _observations(codes, "SIC2007", sic_s, values, year=year, flags=flags)


def parse_la_totals(
    frame: pd.DataFrame, lad_names: dict[str, str], *, file: str, year: str
) -> pd.DataFrame:
    """Turn the LA totals file (``Region``=LAD name, ``Enterprise Count``) into rows.

    Rows carry ``industry_scheme="DCMS_CI"``, ``industry_code="_T"``.
    """
    codes = _resolve_names(frame["Region"], lad_names, file=file, column="Region")
    values, flags = to_numeric_marked(
        frame["Enterprise Count"], file=file, column="Enterprise Count"
    )
    _check_values(values, file=file, column="Enterprise Count")
    dup = codes.duplicated()
    fail_first(
        dup,
        lambda pos: (
            f"duplicate row: {frame['Region'].iloc[pos]!r} appears more than once; "
            "expected one total per LAD"
        ),
        file=file,
    )
    return _observations(codes, "DCMS_CI", TOTAL, values, year=year, flags=flags)


def cross_check_codes(
    obs: pd.DataFrame, with_codes: pd.DataFrame, *, file: str, fact_file: str
) -> None:
    """Check the name-resolved rows against the ``..._with_codes`` file.

    Every (code, class) must be present in both with the same value; the
    code the file gives for each name must equal the one resolved from names.
    """
    wc = with_codes.assign(
        _code=with_codes["lad23cd"].str.strip(),
        _sic=with_codes["sic2007_4"].str.strip().str.zfill(4),
        _v=to_numeric_marked(
            with_codes["enterprises"], file=file, column="enterprises"
        )[0],
    )
    ours = obs.loc[obs["industry_scheme"] == "SIC2007"]
    merged = ours.merge(
        wc,
        left_on=["geo_code", "industry_code"],
        right_on=["_code", "_sic"],
        how="outer",
        indicator=True,
    )
    only = merged[merged["_merge"] != "both"]
    if not only.empty:
        r = only.iloc[0]
        side = "name file" if r["_merge"] == "left_only" else "with-codes file"
        code = r["geo_code"] if r["_merge"] == "left_only" else r["_code"]
        sic = r["industry_code"] if r["_merge"] == "left_only" else r["_sic"]
        raise ImportFormatError(
            f"LAD {code} × SIC {sic} is only in the {side}; the name file resolved "
            "through geography/ltla23.csv and the with-codes file must agree "
            f"({len(only)} mismatching row(s))",
            file=file,
            column="lad23cd",
        )
    # both suppressed (NaN) agree; a value on one side and a marker on the other does not
    diff = merged["value"].ne(merged["_v"]) & ~(merged["value"].isna() & merged["_v"].isna())
    if diff.any():
        r = merged[diff].iloc[0]
        def shown(v: float) -> str:
            return "a suppression marker or an empty cell (no value)" if pd.isna(v) else f"{v:g}"

        raise ImportFormatError(
            f"value for {r['geo_code']} × SIC {r['industry_code']} is {shown(r['_v'])} here but "
            f"{shown(r['value'])} in {fact_file}; the two files must agree cell by cell (mark a suppressed "
            "cell in both)",
            file=file,
            column="enterprises",
        )



def check_year_column(frame: pd.DataFrame, year: str, *, file: str) -> None:
    """Check that a year column, where the file has one, agrees with the year in the file's name.

    The bundle's files carry no year column (the name says the year); a file
    that does (``Year``, ``period`` or ``date``, any case) must name the same
    year in every row, or the snapshot would be catalogued under the wrong year.

    Raises
    ------
    ImportFormatError
        Naming the file, the first disagreeing row and the column.

    Examples
    --------
    >>> check_year_column(pd.DataFrame({"Year": ["2026", "March 2026"]}), "2026", file="x_2026.csv")
    >>> check_year_column(pd.DataFrame({"Year": ["2026", "2025"]}), "2026", file="x_2026.csv")
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ImportFormatError: file x_2026.csv, row 3, column 'Year': the file name says 2026
    but this row's Year is '2025'; a snapshot's rows must all be for the year in its file names (rename the
    files, or fix the column)
    """
    for col in frame.columns:
        if str(col).strip().lower() not in _YEAR_COLUMNS:
            continue
        text = frame[col].fillna("").astype(str)
        bad = text.map(lambda v: set(_YEAR_IN_TEXT.findall(v)) != {year})
        if bad.any():
            pos = first_position(bad)
            fail_first(
                bad,
                f"the file name says {year} but this row's {col} is {text.iloc[pos]!r}; a snapshot's rows must "
                "all be for the year in its file names (rename the files, or fix the column)",
                file=file,
                column=str(col),
            )


def snapshot_years(root: Path) -> list[str]:
    """The years of the UK Business Counts snapshots under ``root``, from the file names, ascending.

    A year any of a snapshot's three files names counts (an incomplete
    snapshot is then reported by its import, naming the file it lacks).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "business_counts").mkdir()
    >>> for f in ("business_counts_fact_long_2025.csv", "business_counts_fact_long_2026_with_codes.csv"):
    ...     _ = (root / "business_counts" / f).write_text("x")
    >>> snapshot_years(root)
    ['2025', '2026']
    """
    folder = Path(root) / Path(FACT_PATTERN).parent
    if not folder.is_dir():
        return []
    years: set[str] = set()
    for path in folder.iterdir():
        for pattern in _NAME_YEAR.values():
            m = pattern.fullmatch(path.name)
            if m and path.is_file():
                years.add(m.group(1))
    return sorted(years)


def read_business_counts(root: Path, year: str | int | None = None) -> ImportResult:
    """Read the UK Business Counts snapshot for ``year`` under ``root`` (the latest there when None).

    Returns SIC-class rows and DCMS_CI ``_T`` rows (296 English LADs in the
    2025 snapshot), labelled ``business_counts_<year>`` with period and vintage
    ``year``, and the catalogue title and vintage of that year.
    """
    root = Path(root)
    if year is None:
        found = snapshot_years(root)
        if not found:
            raise ImportFormatError(
                "no UK Business Counts snapshot found; expected files named "
                f"{', '.join(Path(p).name.replace('{year}', 'YYYY') for p in _NAME_YEAR)}",
                file=str(root / Path(FACT_PATTERN).parent),
            )
        year = found[-1]
    year = str(year)
    fact_rel, codes_rel, totals_rel = snapshot_files(year)
    lad_names = load_lad_names(root / LAD_FILE)
    fact_path = root / fact_rel
    fact = read_csv_strict(fact_path, required=_FACT_COLUMNS)
    check_year_column(fact, year, file=str(fact_path))
    obs = parse_business_counts(fact, lad_names, file=str(fact_path), year=year)

    codes_path = root / codes_rel
    with_codes = read_csv_strict(codes_path, required=_CODES_COLUMNS)
    check_year_column(with_codes, year, file=str(codes_path))
    cross_check_codes(obs, with_codes, file=str(codes_path), fact_file=fact_rel)

    totals_path = root / totals_rel
    totals_frame = read_csv_strict(totals_path, required=_TOTALS_COLUMNS)
    check_year_column(totals_frame, year, file=str(totals_path))
    totals = parse_la_totals(totals_frame, lad_names, file=str(totals_path), year=year)

    class_sum = obs.groupby("geo_code")["value"].sum()
    t = totals.set_index("geo_code")["value"]
    gap = (t - class_sum.reindex(t.index)).abs()
    if (gap.fillna(float("inf")) > 0).any():
        warnings.warn(
            f"{totals_path}: the LA total differs from the sum of class rows for "
            f"{int((gap.fillna(1) > 0).sum())} LAD(s); both are kept as published.",
            stacklevel=2,
        )
    out = pd.concat([obs, totals], ignore_index=True)
    n_lad = obs["geo_code"].nunique()
    n_cls = obs["industry_code"].nunique()
    return ImportResult(
        observations=out,
        coverage=f"{n_lad} English LADs (2023) × {n_cls} DCMS creative SIC classes, March {year}; "
        f"plus {len(totals)} LAD totals",
        title=title_for(year),
        vintage=year,
    )


def title_for(year: str | int) -> str:
    """The catalogue title of the snapshot for ``year``.

    Examples
    --------
    >>> title_for(2026)
    'UK Business Counts: creative enterprises by LAD and SIC 2007 class, March 2026'
    """
    return f"UK Business Counts: creative enterprises by LAD and SIC 2007 class, March {year}"


def snapshot_spec(year: str | int) -> DatasetSpec:
    """The catalogue entry of the snapshot for ``year``: dataset ``business_counts_<year>``, vintage ``year``.

    Examples
    --------
    >>> s = snapshot_spec(2026)
    >>> s.id, s.vintage, s.kind, s.files[0]
    ('business_counts_2026', '2026', 'creative_enterprises_sic', 'business_counts/business_counts_fact_long_2026.csv')
    """
    y = str(year)

    def read(root: Path) -> ImportResult:
        return read_business_counts(root, y)

    return DatasetSpec(
        id=dataset_id(y),
        kind=kinds.CREATIVE_ENTERPRISES_SIC,
        title=title_for(y),
        publisher="Office for National Statistics (Inter-Departmental Business Register)",
        licence=OGL,
        source_url="https://www.nomisweb.co.uk/datasets/idbrent",
        vintage=y,
        files=(*snapshot_files(y), LAD_FILE),
        reader=read,
        caveats=(
            "England only: English LADs on 2023 boundaries (the coverage gives their number).",
            "29 of the 31 DCMS creative classes: 9101/9102 (museums, libraries) are absent, "
            "so the all-creative-industries total counts 29 classes, not 31.",
            "Enterprises, control-rounded to 5 by ONS; a published 0 can mean 0-2 enterprises, "
            "and sums of rounded cells are not exact.",
            f"IDBR snapshot in March {y}: counts VAT/PAYE-registered enterprises; very small "
            "unregistered businesses and most freelancers are missing.",
        ),
    )


def discover_datasets(root: Path) -> list[DatasetSpec]:
    """One dataset per snapshot year found under ``root`` (:func:`snapshot_years`).

    With none found, the bundle's snapshot, whose import then names the file
    it lacks (as before discovery).
    """
    return [snapshot_spec(y) for y in snapshot_years(root) or [BUNDLE_YEAR]]


#: Without a data folder at hand: the bundle's snapshot. ``data import`` lists the folder's instead
#: (:func:`creative_clusters.sources.registry.all_datasets` with a root calls :func:`discover_datasets`).
DATASETS: list[DatasetSpec] = [snapshot_spec(BUNDLE_YEAR)]
