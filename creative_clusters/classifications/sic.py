"""UK SIC 2007: code normalisation, parents, and the hierarchy table.

Pure functions need no data: :func:`normalise_sic` cleans any way people and
files write a code, :func:`sic_parent` walks up the hierarchy (the section
comes from the fixed division ranges in :data:`SECTION_DIVISIONS`). Titles
need the hierarchy table that the warehouse stores as ``ref_sic2007`` (read
from ``classifications/sic2007_hierarchy.csv`` by
:func:`creative_clusters.sources.classifications.read_sic_hierarchy`);
functions that need titles take that table as an argument (it is not part of
the repository).

Examples
--------
>>> normalise_sic("59.11"), normalise_sic("62012 - Business and domestic software development")
('5911', '62012')
>>> sic_parent("59111", "division"), sic_parent("3212", "section")
('59', 'C')
"""

from __future__ import annotations

import re

import pandas as pd

from creative_clusters.errors import UnknownCodeError

__all__ = [
    "SECTION_DIVISIONS",
    "SIC_LEVELS",
    "normalise_sic",
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


def sic_title(code: object, table: pd.DataFrame) -> str:
    """Title of a SIC code from the ``ref_sic2007`` hierarchy table.

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
