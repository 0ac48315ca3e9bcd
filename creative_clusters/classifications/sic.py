"""UK SIC 2007: code normalisation, parents, and the hierarchy table.

Pure functions need no data: :func:`normalise_sic` cleans any way people and
files write a code, :func:`sic_parent` walks up the hierarchy (the section
comes from the fixed division ranges in :data:`SECTION_DIVISIONS`). Titles
need the hierarchy table: :func:`read_sic_hierarchy` reads
``classifications/sic2007_hierarchy.csv`` (latin-1) into the tidy table that
the warehouse stores as ``ref_sic2007``; functions that need titles take that
table as an argument (it is not part of the repository).

Examples
--------
>>> normalise_sic("59.11"), normalise_sic("62012 - Business and domestic software development")
('5911', '62012')
>>> sic_parent("59111", "division"), sic_parent("3212", "section")
('59', 'C')
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from creative_clusters.errors import ImportFormatError, UnknownCodeError

__all__ = [
    "SECTION_DIVISIONS",
    "SIC_LEVELS",
    "normalise_sic",
    "read_sic_hierarchy",
    "section_of_division",
    "sic_level",
    "sic_parent",
    "sic_title",
]

#: The levels of SIC 2007, coarse to fine: name → (digits, description).
SIC_LEVELS: dict[str, tuple[int, str]] = {
    "section": (0, "Section: a letter A-U (e.g. 'J' Information and communication)"),
    "division": (2, "Division: 2 digits (e.g. '59' Motion picture, video and TV ...)"),
    "group": (3, "Group: 3 digits, written 59.1 (e.g. '591')"),
    "class": (
        4,
        "Class: 4 digits, written 59.11 (e.g. '5911'); the DCMS definition's level",
    ),
    "subclass": (
        5,
        "Subclass: 5 digits, written 59.11/1 (e.g. '59111'); Companies House level",
    ),
}

#: Section letter → (first division, last division), SIC 2007.
SECTION_DIVISIONS: dict[str, tuple[int, int]] = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}

_LEN_TO_LEVEL = {2: "division", 3: "group", 4: "class", 5: "subclass"}


def normalise_sic(code: object) -> str:
    """Canonical SIC 2007 code: digits only, or a section letter.

    Accepts ``"59.11"`` / ``"5911"`` → ``"5911"`` (class); ``"59111"`` /
    ``"59.11/1"`` → ``"59111"`` (subclass); ``"59.1"`` → ``"591"`` (group, SIC
    notation); ``"59"`` → division; ``"J"`` → section; Companies House text
    ``"62012 - Business and domestic software development"`` → ``"62012"``;
    ``"01.11"`` keeps its leading zero. A *number* (not text) from a
    spreadsheet has lost trailing zeros, so a float with one or two decimals
    is read as a class: ``74.1`` → ``"7410"``, ``59.2`` → ``"5920"``.

    Raises
    ------
    UnknownCodeError
        When no 2-5 digit code or section letter can be read.

    Examples
    --------
    >>> normalise_sic(74.1), normalise_sic("74.1"), normalise_sic(" 01.11 ")
    ('7410', '741', '0111')
    >>> normalise_sic("59.11/1"), normalise_sic("j")
    ('59111', 'J')
    """
    if isinstance(code, bool) or code is None:
        raise UnknownCodeError(
            f"SIC code {code!r} is empty; expected e.g. '5911' or '59.11'."
        )
    if isinstance(code, float):
        if code != code:
            raise UnknownCodeError("SIC code is NaN; expected e.g. '5911' or '59.11'.")
        whole, _, frac = f"{code:.2f}".partition(".")
        return whole.zfill(2) + frac if frac != "00" else whole.zfill(2)
    text = str(code) if isinstance(code, int) else str(code).strip()
    # drop a title after the code: "62012 - Business ...", "59111 : Motion ..."
    m = re.match(
        r"^\s*([0-9][0-9.\s/]*[0-9]|[A-Za-z])(?=$|\s*[-:\u2013]\s|\s+[A-Za-z])", text
    )
    if not m:
        raise UnknownCodeError(
            f"cannot read a SIC 2007 code from {code!r}; expected e.g. '5911', '59.11', "
            "'59111' or '62012 - Business and domestic software development'."
        )
    head = m.group(1).replace(" ", "")
    if re.fullmatch(r"[A-Za-z]", head):
        letter = head.upper()
        if letter not in SECTION_DIVISIONS:
            raise UnknownCodeError(f"{code!r} is not a SIC 2007 section (A-U).")
        return letter
    sub = re.fullmatch(r"(\d{1,2})\.(\d{2})/(\d)", head)
    if sub:
        return sub.group(1).zfill(2) + sub.group(2) + sub.group(3)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", head)
    if dotted:
        return dotted.group(1).zfill(2) + dotted.group(2)
    if re.fullmatch(r"\d{2,5}", head):
        return head
    raise UnknownCodeError(
        f"cannot read a SIC 2007 code from {code!r}; expected 2-5 digits such as '5911' "
        "or dotted notation such as '59.11'."
    )


def sic_level(code: object) -> str:
    """The level name of a code (``"class"`` for ``"5911"``).

    Examples
    --------
    >>> sic_level("59.11"), sic_level("J")
    ('class', 'section')
    """
    c = normalise_sic(code)
    return "section" if c.isalpha() else _LEN_TO_LEVEL[len(c)]


def section_of_division(division: object) -> str:
    """Section letter of a 2-digit division (``"59"`` → ``"J"``)."""
    try:
        d = int(str(division)[:2])
    except ValueError:
        raise UnknownCodeError(f"{division!r} is not a SIC 2007 division") from None
    for letter, (lo, hi) in SECTION_DIVISIONS.items():
        if lo <= d <= hi:
            return letter
    raise UnknownCodeError(
        f"division {division!r} does not exist in SIC 2007 (divisions run 01-99 with gaps, "
        "e.g. no 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89)."
    )


def sic_parent(code: object, level: str) -> str:
    """The ancestor of ``code`` at ``level`` (section, division, group, class).

    Raises
    ------
    UnknownCodeError
        When ``level`` is not coarser than (or equal to) the code's own level.

    Examples
    --------
    >>> sic_parent("62012", "class"), sic_parent("5911", "group"), sic_parent("5911", "section")
    ('6201', '591', 'J')
    """
    if level not in SIC_LEVELS:
        raise UnknownCodeError(
            f"unknown SIC level {level!r}; use one of {list(SIC_LEVELS)}"
        )
    c = normalise_sic(code)
    if level == "section":
        return c if c.isalpha() else section_of_division(c[:2])
    digits = SIC_LEVELS[level][0]
    if c.isalpha() or len(c) < digits:
        raise UnknownCodeError(
            f"SIC code {c!r} ({sic_level(c)}) has no parent at level {level!r}; "
            "a parent must be coarser than the code."
        )
    return c[:digits]


# ---------------------------------------------------------------- the table
_HIER_COLUMNS = (
    "SIC_2DIGIT_CODE",
    "SIC_2DIGIT_NAME",
    "SIC_3DIGIT_CODE",
    "SIC_3DIGIT_NAME",
    "SIC_5DIGIT_CODE",
    "SIC_5DIGIT_NAME",
    "SIC_SECTION_LETTER",
    "SIC_SECTION_NAME",
)


def _strip_code(title: str) -> str:
    return re.sub(r"^\s*\S+\s*:\s*", "", str(title)).strip()


def read_sic_hierarchy(path: str | Path) -> pd.DataFrame:
    """Read ``sic2007_hierarchy.csv`` (latin-1) into the ``ref_sic2007`` shape.

    Columns: ``subclass5, subclass5_title, class4, class4_title, group3,
    group3_title, division2, division2_title, section, section_title``.
    The file has no 4-digit level: ``class4`` is the first four digits of the
    subclass, and ``class4_title`` is the subclass title when the class has a
    single subclass, else ``""`` (the file does not give class titles).

    Raises
    ------
    ImportFormatError
        On a missing file, a missing column, or a row whose codes disagree
        (subclass not starting with its group, section not matching the
        division).
    """
    from creative_clusters.sources._base import read_csv_strict

    path = Path(path)
    raw = read_csv_strict(path, required=_HIER_COLUMNS, encoding="latin-1")
    out = pd.DataFrame(
        {
            "subclass5": raw["SIC_5DIGIT_CODE"].str.strip(),
            "subclass5_title": raw["SIC_5DIGIT_NAME"].map(_strip_code),
            "group3": raw["SIC_3DIGIT_CODE"].str.strip(),
            "group3_title": raw["SIC_3DIGIT_NAME"].map(_strip_code),
            "division2": raw["SIC_2DIGIT_CODE"].str.strip(),
            "division2_title": raw["SIC_2DIGIT_NAME"].map(_strip_code),
            "section": raw["SIC_SECTION_LETTER"].str.strip(),
            "section_title": raw["SIC_SECTION_NAME"].str.strip(),
        }
    )
    bad = ~out["subclass5"].str.fullmatch(r"\d{5}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise ImportFormatError(
            f"expected a 5-digit subclass code, got {out['subclass5'].iloc[i]!r}",
            file=str(path),
            row=i + 2,
            column="SIC_5DIGIT_CODE",
        )
    mismatch = (out["subclass5"].str[:3] != out["group3"]) | (
        out["group3"].str[:2] != out["division2"]
    )
    if mismatch.any():
        i = int(mismatch.to_numpy().nonzero()[0][0])
        raise ImportFormatError(
            f"subclass {out['subclass5'].iloc[i]} does not sit under group "
            f"{out['group3'].iloc[i]} / division {out['division2'].iloc[i]}",
            file=str(path),
            row=i + 2,
            column="SIC_3DIGIT_CODE",
        )
    expected_section = out["division2"].map(section_of_division)
    wrong = expected_section != out["section"]
    if wrong.any():
        i = int(wrong.to_numpy().nonzero()[0][0])
        raise ImportFormatError(
            f"division {out['division2'].iloc[i]} is in section {expected_section.iloc[i]} in "
            f"SIC 2007, but the file says {out['section'].iloc[i]!r}",
            file=str(path),
            row=i + 2,
            column="SIC_SECTION_LETTER",
        )
    out["class4"] = out["subclass5"].str[:4]
    n_sub = out.groupby("class4")["subclass5"].transform("size")
    out["class4_title"] = out["subclass5_title"].where(n_sub == 1, "")
    cols = [
        "subclass5",
        "subclass5_title",
        "class4",
        "class4_title",
        "group3",
        "group3_title",
        "division2",
        "division2_title",
        "section",
        "section_title",
    ]
    return out[cols].reset_index(drop=True)


def sic_title(code: object, table: pd.DataFrame) -> str:
    """Title of a SIC code from the hierarchy table (:func:`read_sic_hierarchy`).

    Classes with several subclasses have no title in that file; for them the
    group title is returned with "(class)" appended, so a caller can tell.
    """
    c = normalise_sic(code)
    level = sic_level(c)
    col = {
        "section": "section",
        "division": "division2",
        "group": "group3",
        "class": "class4",
        "subclass": "subclass5",
    }[level]
    hit = table.loc[table[col] == c]
    if hit.empty:
        raise UnknownCodeError(f"SIC 2007 {level} {c!r} is not in the hierarchy table.")
    row = hit.iloc[0]
    if level == "class":
        return row["class4_title"] or f"{row['group3_title']} (class)"
    return str(row[f"{col}_title"])
