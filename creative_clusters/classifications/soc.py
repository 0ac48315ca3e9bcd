"""DCMS creative occupations (SOC 2010: 30 unit groups; SOC 2020: 31).

Typed from the official ``Industry_classification`` sheet of the ONS ad-hoc
workbook ``ons_adhoc/creativesubsectorsjobs20102022.xlsx`` (columns E-G for
SOC 2010, I-K for SOC 2020; published July 2023, OGL). The importer
:mod:`creative_clusters.sources.classifications` re-reads the sheet and
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
    "SOC2020_MAJOR",
    "SOC2020_MINOR",
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


# ------------------------------------------- SOC 2020 group titles (Census 2021)
#: SOC 2020 major groups (1 digit).
SOC2020_MAJOR: dict[str, str] = {
    "1": "Managers, directors and senior officials",
    "2": "Professional occupations",
    "3": "Associate professional and technical occupations",
    "4": "Administrative and secretarial occupations",
    "5": "Skilled trades occupations",
    "6": "Caring, leisure and other service occupations",
    "7": "Sales and customer service occupations",
    "8": "Process, plant and machine operatives",
    "9": "Elementary occupations",
}

#: SOC 2020 minor groups (3 digits, 104), titles as in Census 2021 outputs.
SOC2020_MINOR: dict[str, str] = {
    "111": "Chief Executives and Senior Officials",
    "112": "Production Managers and Directors",
    "113": "Functional Managers and Directors",
    "114": "Directors in Logistics, Warehousing and Transport",
    "115": "Managers and Directors in Retail and Wholesale",
    "116": "Senior Officers in Protective Services",
    "117": "Health and Social Services Managers and Directors",
    "121": "Managers and Proprietors in Agriculture Related Services",
    "122": "Managers and Proprietors in Hospitality and Leisure Services",
    "123": "Managers and Proprietors in Health and Care Services",
    "124": "Managers in Logistics, Warehousing and Transport",
    "125": "Managers and Proprietors in Other Services",
    "211": "Natural and Social Science Professionals",
    "212": "Engineering Professionals",
    "213": "Information Technology Professionals",
    "214": "Web and Multimedia Design Professionals",
    "215": "Conservation and Environment Professionals",
    "216": "Research and Development (R&D) and Other Research Professionals",
    "221": "Medical Practitioners",
    "222": "Therapy Professionals",
    "223": "Nursing and Midwifery Professionals",
    "224": "Veterinarians",
    "225": "Other Health Professionals",
    "231": "Teaching and other Educational Professionals",
    "232": "Other Educational Professionals",
    "241": "Legal Professionals",
    "242": "Finance Professionals",
    "243": "Business, Research and Administrative Professionals",
    "244": "Business and Financial Project Management Professionals",
    "245": (
        "Architects, Chartered Architectural Technologists, Planning Officers, "
        "Surveyors and Construction Professionals"
    ),
    "246": "Welfare Professionals",
    "247": "Librarians and Related Professionals",
    "248": "Quality and Regulatory Professionals",
    "249": "Media Professionals",
    "311": "Science, Engineering and Production Technicians",
    "312": "CAD, Drawing and Architectural Technicians",
    "313": "Information Technology Technicians",
    "321": "Health Associate Professionals",
    "322": "Welfare and Housing Associate Professionals",
    "323": "Teaching and Childcare Associate Professionals",
    "324": "Veterinary Nurses",
    "331": "Protective Service Occupations",
    "341": "Artistic, Literary and Media Occupations",
    "342": "Design Occupations",
    "343": "Sports and Fitness Occupations",
    "351": "Transport Associate Professionals",
    "352": "Legal Associate Professionals",
    "353": "Finance Associate Professionals",
    "354": "Business Associate Professionals",
    "355": "Sales, Marketing and Related Associate Professionals",
    "356": "Public Services Associate Professionals",
    "357": "HR, Training and Other Vocational Guidance Professionals",
    "358": "Regulatory Associate Professionals",
    "411": "Administrative Occupations: Government and Related Organisations",
    "412": "Administrative Occupations: Finance",
    "413": "Administrative Occupations: Records",
    "414": "Administrative Occupations: Office Managers and Supervisors",
    "415": "Other Administrative Occupations",
    "421": "Secretarial and Related Occupations",
    "511": "Agricultural and Related Trades",
    "521": "Metal Forming, Welding and Related Trades",
    "522": "Metal Machining, Fitting and Instrument Making Trades",
    "523": "Vehicle Trades",
    "524": "Electrical and Electronic Trades",
    "525": "Skilled Metal, Electrical and Electronic Trades Supervisors",
    "531": "Construction and Building Trades",
    "532": "Building Finishing Trades",
    "533": "Construction and Building Trades Supervisors",
    "541": "Textiles and Garments Trades",
    "542": "Printing Trades",
    "543": "Food Preparation and Hospitality Trades",
    "544": "Other Skilled Trades",
    "611": "Teaching and Childcare Support Occupations",
    "612": "Animal Care and Control Services",
    "613": "Caring Personal Services",
    "621": "Leisure and Travel Services",
    "622": "Hairdressers and Related Services",
    "623": "Housekeeping and Related Services",
    "624": "Cleaning and Housekeeping Managers and Supervisors",
    "625": "Bed and Breakfast and Guest House Owners and Proprietors",
    "631": "Community and Civil Enforcement Occupations",
    "711": "Sales Assistants and Retail Cashiers",
    "712": "Sales Related Occupations",
    "713": "Shopkeepers and Sales Supervisors",
    "721": "Customer Service Occupations",
    "722": "Customer Service Supervisors",
    "811": "Process Operatives",
    "812": "Metal Working Machine Operatives",
    "813": "Plant and Machine Operatives",
    "814": "Assemblers and Routine Operatives",
    "815": "Construction Operatives",
    "816": "Production, Factory and Assembly Supervisors",
    "821": "Road Transport Drivers",
    "822": "Mobile Machine Drivers and Operatives",
    "823": "Other Drivers and Transport Operatives",
    "911": "Elementary Agricultural Occupations",
    "912": "Elementary Construction Occupations",
    "913": "Elementary Process Plant Occupations",
    "921": "Elementary Administration Occupations",
    "922": "Elementary Cleaning Occupations",
    "923": "Elementary Security Occupations",
    "924": "Elementary Sales Occupations",
    "925": "Elementary Storage Occupations",
    "926": "Other Elementary Services Occupations",
}
