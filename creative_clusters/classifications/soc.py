"""DCMS creative occupations (SOC 2010: 30 unit groups; SOC 2020: 31).

Typed from the official ``Industry_classification`` sheet of the ONS ad-hoc
workbook ``ons_adhoc/creativesubsectorsjobs20102022.xlsx`` (columns E-G for
SOC 2010, I-K for SOC 2020; published July 2023, OGL). The importer
:mod:`creative_clusters.classifications.importers` re-reads the sheet and
raises if these constants ever disagree with it; the tests do the same.
Group names are as published (the sheet calls design "Design: product,
graphic and fashion design").

Where the official sheet differs from the reconstruction in ``docs/codes.md``
----------------------------------------------------------------------------
SOC 2010: identical (same 30 codes, same groups).

SOC 2020 (codes.md §4 was a reconstruction, ~37 codes; the official list has 31):

- **Not in the official list**: 3120 (CAD/architectural technicians), 5211
  (smiths), 5411/5419 (textile trades), 2135, 2136, 2137, 2139 (other IT
  professionals).
- **In the official list but not in codes.md**: 5312 (stonemasons and related
  trades, Crafts).
- **Different group**: 2141 web design professionals is *Design* (codes.md:
  IT); 2493 public relations professionals is *Publishing* (codes.md:
  Advertising and marketing); 3412 authors, writers and translators is
  *Music, performing and visual arts* (codes.md: Publishing); 1255 is its own
  group "Managers and directors in the Creative Industries" (codes.md: "?").
  The 2493/3412 placements look like a shifted column in the published sheet
  but are kept as published; compare sub-sector occupation totals with care.
- **Titles**: the sheet writes 3554 "Marketing associate professionals",
  2491 "Newspaper and periodical editors", 2472 "Archivists and curators".

Examples
--------
>>> is_creative_soc("2136", "SOC2010"), is_creative_soc("2136", "SOC2020")
(True, False)
>>> soc_group_of("1255", "SOC2020")
'Managers and directors in the Creative Industries'
"""

from __future__ import annotations

import re

from creative_clusters.errors import UnknownCodeError

__all__ = [
    "DCMS_CO_SOC2010",
    "DCMS_CO_SOC2020",
    "SOC2010_VERSION",
    "SOC2020_VERSION",
    "SOC_SCHEMES",
    "SOC_TITLES",
    "creative_soc_codes",
    "is_creative_soc",
    "soc_group_of",
]

#: Version tags carried by outputs that use the creative-occupation lists.
SOC2010_VERSION = (
    "DCMS-CO-SOC2010 (ONS ad hoc creativesubsectorsjobs20102022, 2023-07-21)"
)
SOC2020_VERSION = (
    "DCMS-CO-SOC2020 (ONS ad hoc creativesubsectorsjobs20102022, 2023-07-21)"
)

#: group → SOC 2010 unit groups, in the sheet's order.
DCMS_CO_SOC2010: dict[str, tuple[str, ...]] = {
    "Advertising and marketing": ("1132", "1134", "2472", "2473", "3543"),
    "Architecture": ("2431", "2432", "2435", "3121"),
    "Crafts": ("5211", "5411", "5441", "5442", "5449"),
    "Design: product, graphic and fashion design": ("3421", "3422"),
    "Film, TV, video, radio and photography": ("3416", "3417"),
    "IT, software and computer services": ("1136", "2135", "2136", "2137"),
    "Publishing": ("2471", "3412"),
    "Museums, galleries and libraries": ("2451", "2452"),
    "Music, performing and visual arts": ("3411", "3413", "3414", "3415"),
}

#: group → SOC 2020 unit groups, in the sheet's order.
DCMS_CO_SOC2020: dict[str, tuple[str, ...]] = {
    "Advertising and marketing": ("1132", "1133", "2494", "3554"),
    "Architecture": ("2451", "2452"),
    "Crafts": ("5312", "5441", "5442", "5449"),
    "Design: product, graphic and fashion design": (
        "2141",
        "2142",
        "3421",
        "3422",
        "3429",
    ),
    "Film, TV, video, radio and photography": ("3416", "3417"),
    "IT, software and computer services": ("1137", "2133", "2134"),
    "Publishing": ("2491", "2492", "2493"),
    "Museums, galleries and libraries": ("2471", "2472"),
    "Music, performing and visual arts": ("3411", "3412", "3413", "3414", "3415"),
    "Managers and directors in the Creative Industries": ("1255",),
}

#: Titles as printed in the official sheet (its typos corrected: "Pubic",
#: "technoologists", "Architecutral", "sofrware", "tradees").
SOC_TITLES: dict[str, dict[str, str]] = {
    "SOC2010": {
        "1132": "Marketing and sales directors",
        "1134": "Advertising and public relations directors",
        "2472": "Public relations professionals",
        "2473": "Advertising accounts managers and creative directors",
        "3543": "Marketing associate professionals",
        "2431": "Architects",
        "2432": "Town planning officers",
        "2435": "Chartered architectural technologists",
        "3121": "Architectural and town planning technicians",
        "5211": "Smiths and forge workers",
        "5411": "Weavers and knitters",
        "5441": "Glass and ceramics makers, decorators and finishers",
        "5442": "Furniture makers and other craft woodworkers",
        "5449": "Other skilled trades not elsewhere classified",
        "3421": "Graphic designers",
        "3422": "Product, clothing and related designers",
        "3416": "Arts officers, producers and directors",
        "3417": "Photographers, audio-visual and broadcasting equipment operators",
        "1136": "Information technology and telecommunications directors",
        "2135": "IT business analysts, architects and system designers",
        "2136": "Programmers and software development professionals",
        "2137": "Web design and development professionals",
        "2471": "Journalists, newspaper and periodical editors",
        "3412": "Authors, writers and translators",
        "2451": "Librarians",
        "2452": "Archivists and curators",
        "3411": "Artists",
        "3413": "Actors, entertainers and presenters",
        "3414": "Dancers and choreographers",
        "3415": "Musicians",
    },
    "SOC2020": {
        "1132": "Marketing, sales and advertising directors",
        "1133": "Public relations and communications directors",
        "2494": "Advertising accounts managers and creative directors",
        "3554": "Marketing associate professionals",
        "2451": "Architects",
        "2452": "Chartered architectural technologists, planning officers and consultants",
        "5312": "Stonemasons and related trades",
        "5441": "Glass and ceramics makers, decorators and finishers",
        "5442": "Furniture makers and other craft woodworkers",
        "5449": "Other skilled trades nec",
        "2141": "Web design professionals",
        "2142": "Graphic and multimedia designers",
        "3421": "Interior designers",
        "3422": "Clothing, fashion and accessories designers",
        "3429": "Design occupations nec",
        "3416": "Arts officers, producers and directors",
        "3417": "Photographers, audio-visual and broadcasting equipment operators",
        "1137": "Information technology directors",
        "2133": "IT business analysts, architects and system designers",
        "2134": "Programmers and software development professionals",
        "2491": "Newspaper and periodical editors",
        "2492": "Newspaper and periodical journalists and reporters",
        "2493": "Public relations professionals",
        "2471": "Librarians",
        "2472": "Archivists and curators",
        "3411": "Artists",
        "3412": "Authors, writers and translators",
        "3413": "Actors, entertainers and presenters",
        "3414": "Dancers and choreographers",
        "3415": "Musicians",
        "1255": "Managers and directors in the Creative Industries",
    },
}

#: scheme name → its group → codes constant.
SOC_SCHEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "SOC2010": DCMS_CO_SOC2010,
    "SOC2020": DCMS_CO_SOC2020,
}

_INDEX = {
    scheme: {code: group for group, codes in groups.items() for code in codes}
    for scheme, groups in SOC_SCHEMES.items()
}


def _scheme(scheme: str) -> str:
    key = re.sub(r"[^A-Z0-9]", "", str(scheme).upper())
    if key in ("SOC2010", "SOC10"):
        return "SOC2010"
    if key in ("SOC2020", "SOC20"):
        return "SOC2020"
    raise UnknownCodeError(
        f"unknown occupation scheme {scheme!r}; use 'SOC2010' or 'SOC2020' "
        "(SOC 2010 and SOC 2020 codes are different classifications and never compare directly)."
    )


def _soc4(code: object) -> str:
    digits = re.sub(
        r"\D", "", str(code).split(" ")[0] if isinstance(code, str) else str(code)
    )
    if len(digits) != 4:
        raise UnknownCodeError(
            f"SOC code {code!r} is not a 4-digit unit group; expected e.g. '2136' or '3411'."
        )
    return digits


def creative_soc_codes(scheme: str) -> list[str]:
    """All creative unit groups of a scheme, sorted.

    Examples
    --------
    >>> len(creative_soc_codes("SOC2010")), len(creative_soc_codes("SOC2020"))
    (30, 31)
    """
    return sorted(_INDEX[_scheme(scheme)])


def is_creative_soc(code: object, scheme: str) -> bool:
    """True when a 4-digit SOC unit group is a DCMS creative occupation in ``scheme``.

    Malformed codes are simply not creative; an unknown scheme raises.

    Examples
    --------
    >>> is_creative_soc("3411", "SOC2020"), is_creative_soc("9999", "SOC2020")
    (True, False)
    """
    s = _scheme(scheme)
    try:
        return _soc4(code) in _INDEX[s]
    except UnknownCodeError:
        return False


def soc_group_of(code: object, scheme: str) -> str:
    """The published DCMS creative-occupation group of a creative SOC code.

    Raises
    ------
    UnknownCodeError
        For a code that is not creative in ``scheme``.

    Examples
    --------
    >>> soc_group_of("2141", "SOC2020")
    'Design: product, graphic and fashion design'
    """
    s = _scheme(scheme)
    soc = _soc4(code)
    if soc not in _INDEX[s]:
        raise UnknownCodeError(
            f"{s} unit group {soc!r} is not a DCMS creative occupation; creative "
            f"{s} codes are {creative_soc_codes(s)}."
        )
    return _INDEX[s][soc]
