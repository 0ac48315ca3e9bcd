"""DCMS creative industries definition (SIC 2007, 31 classes in 9 sub-sectors).

The list is DCMS's own (DCMS Sectors Economic Estimates), and is checked at
import time against the official ``Industry_classification`` sheet of the ONS
ad-hoc workbooks (see :mod:`creative_clusters.sources.classifications`).
Every output that uses it carries :data:`DEFINITION_VERSION`.
"""

from __future__ import annotations

import re

from creative_clusters.errors import UnknownCodeError

__all__ = [
    "DCMS_CI_SIC2007",
    "DEFINITION_VERSION",
    "SUBSECTORS",
    "SUBSECTOR_ALIASES",
    "creative_classes",
    "is_creative_sic",
    "resolve_subsector",
    "subsector_of",
    "subsector_short",
]

#: Version tag carried by every output that uses the creative definition.
DEFINITION_VERSION = "DCMS-CI-SIC2007-v2016"

DCMS_CI_SIC2007: dict[str, tuple[str, ...]] = {
    "Advertising and marketing": ("7021", "7311", "7312"),
    "Architecture": ("7111",),
    "Crafts": ("3212",),
    "Design and designer fashion": ("7410",),
    "Film, TV, video, radio and photography": (
        "5911", "5912", "5913", "5914", "6010", "6020", "7420",
    ),
    "IT, software and computer services": ("5821", "5829", "6201", "6202"),
    "Publishing": ("5811", "5812", "5813", "5814", "5819", "7430"),
    "Museums, galleries and libraries": ("9101", "9102"),
    "Music, performing and visual arts": ("5920", "8552", "9001", "9002", "9003", "9004"),
}

#: The nine sub-sectors in DCMS order.
SUBSECTORS: tuple[str, ...] = tuple(DCMS_CI_SIC2007)

_SHORT = {
    "Advertising and marketing": "advertising",
    "Architecture": "architecture",
    "Crafts": "crafts",
    "Design and designer fashion": "design",
    "Film, TV, video, radio and photography": "film_tv",
    "IT, software and computer services": "it_software",
    "Publishing": "publishing",
    "Museums, galleries and libraries": "museums",
    "Music, performing and visual arts": "music_arts",
}

#: Everyday words people type → official sub-sector name.
SUBSECTOR_ALIASES: dict[str, str] = {
    "advertising": "Advertising and marketing",
    "marketing": "Advertising and marketing",
    "pr": "Advertising and marketing",
    "architecture": "Architecture",
    "crafts": "Crafts",
    "craft": "Crafts",
    "jewellery": "Crafts",
    "design": "Design and designer fashion",
    "fashion": "Design and designer fashion",
    # the name used in the ONS ad-hoc workbooks' Industry_classification sheets
    "Design: product, graphic and fashion design": "Design and designer fashion",
    "film": "Film, TV, video, radio and photography",
    "tv": "Film, TV, video, radio and photography",
    "television": "Film, TV, video, radio and photography",
    "screen": "Film, TV, video, radio and photography",
    "radio": "Film, TV, video, radio and photography",
    "photography": "Film, TV, video, radio and photography",
    "video": "Film, TV, video, radio and photography",
    "film_tv": "Film, TV, video, radio and photography",
    "games": "IT, software and computer services",
    "software": "IT, software and computer services",
    "it": "IT, software and computer services",
    "it_software": "IT, software and computer services",
    "publishing": "Publishing",
    "books": "Publishing",
    "translation": "Publishing",
    "museums": "Museums, galleries and libraries",
    "galleries": "Museums, galleries and libraries",
    "libraries": "Museums, galleries and libraries",
    "heritage": "Museums, galleries and libraries",
    "music": "Music, performing and visual arts",
    "performing arts": "Music, performing and visual arts",
    "arts": "Music, performing and visual arts",
    "visual arts": "Music, performing and visual arts",
    "music_arts": "Music, performing and visual arts",
}

_SIC_TO_SUB = {sic: sub for sub, codes in DCMS_CI_SIC2007.items() for sic in codes}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _bare(key: str) -> str:
    """A normalised name without its "and" (names typed as identifiers drop it)."""
    return " ".join(w for w in key.split() if w != "and")


def creative_classes() -> list[str]:
    """The 31 creative SIC 2007 4-digit classes, sorted.

    Examples
    --------
    >>> len(creative_classes())
    31
    """
    return sorted(_SIC_TO_SUB)


def _sic4(code: str) -> str:
    digits = re.sub(r"\D", "", str(code))
    if len(digits) < 4:
        raise UnknownCodeError(
            f"SIC code {code!r} has fewer than 4 digits; expected a class like '5911' "
            "or a subclass like '59111'."
        )
    return digits[:4]


def is_creative_sic(code: str) -> bool:
    """True when a 4- or 5-digit SIC 2007 code (dots allowed) is a creative class.

    Examples
    --------
    >>> is_creative_sic("62012"), is_creative_sic("59.11"), is_creative_sic("4711")
    (True, True, False)
    """
    try:
        return _sic4(code) in _SIC_TO_SUB
    except UnknownCodeError:
        return False


def subsector_of(code: str) -> str:
    """The DCMS sub-sector of a creative SIC code; raises for non-creative codes.

    Examples
    --------
    >>> subsector_of("90030")
    'Music, performing and visual arts'
    """
    sic = _sic4(code)
    if sic not in _SIC_TO_SUB:
        raise UnknownCodeError(
            f"SIC class {sic!r} is not in the DCMS creative industries definition "
            f"({DEFINITION_VERSION}); creative classes are {creative_classes()}."
        )
    return _SIC_TO_SUB[sic]


def subsector_short(name: str) -> str:
    """A short machine name for a sub-sector (``'film_tv'``)."""
    return _SHORT[resolve_subsector(name)]


def resolve_subsector(text: str) -> str:
    """Resolve an official name, short name or everyday alias to the sub-sector name.

    An activity narrower than a sub-sector (``animation``, ``vfx``, ``video
    games``: :mod:`creative_clusters.classifications.focus`) resolves to the
    sub-sector that holds its SIC classes, so every command accepts the words
    the evidence pack accepts; the pack alone also counts the activity's own
    classes. An unknown word gets suggestions related by meaning
    (:func:`creative_clusters.classifications.focus.suggest`) before those
    by spelling.

    Examples
    --------
    >>> resolve_subsector("Games")
    'IT, software and computer services'
    >>> resolve_subsector("performing-arts")
    'Music, performing and visual arts'
    >>> resolve_subsector("Animation")
    'Film, TV, video, radio and photography'
    >>> resolve_subsector("music_performing_visual_arts")
    'Music, performing and visual arts'
    """
    from creative_clusters.classifications.focus import focus_activity, suggest

    key = _norm(text)
    for sub in SUBSECTORS:
        if _norm(sub) == key:
            return sub
    bare = _bare(key)  # a name typed as an identifier, "and" dropped: "music_performing_visual_arts"
    for sub in SUBSECTORS:
        if _bare(_norm(sub)) == bare:
            return sub
    for alias, sub in SUBSECTOR_ALIASES.items():
        if _norm(alias) == key:
            return sub
    act = focus_activity(text)
    if act is not None:
        return act.subsector
    import difflib

    related = suggest(text)
    options = sorted({*SUBSECTOR_ALIASES, *SUBSECTORS})
    # spelling only when no word relates by meaning ("animaton" is animation, not "translation")
    close = [] if related else difflib.get_close_matches(key, [_norm(o) for o in options], n=3, cutoff=0.5)
    raise UnknownCodeError(
        f"unknown creative sub-sector {text!r}. Use one of the DCMS names "
        f"({'; '.join(SUBSECTORS)}) or an alias such as film, games, animation, music"
        + (f"; related: {', '.join(related)}" if related else "")
        + (f"; closest spelling: {', '.join(close)}" if close else "")
        + "."
    )
