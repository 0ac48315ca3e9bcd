"""One place model: what a place is, at every geography level, with the rule that picks its LADs.

A :class:`Place` is what every command, map, pack and API response talks
about: a code, its official name, its level, its nation, its **member LADs**
on the data's LAD vintage (2023) and the rule that chose them
(:data:`MEMBER_RULES`, one per level, implemented in
:mod:`creative_clusters.geography.membership`), plus the everyday names it
answers to. It is built by one resolver
(:func:`creative_clusters.workflows.places.resolve_place`).

Examples
--------
>>> p = Place("E06000023", "Bristol, City of", "lad", "2023", ("E06000023",), nation="England",
...           member_rule=MEMBER_RULES["lad"], aliases=("Bristol",))
>>> p.geo_type, p.display_name, p.to_ref().members
('lad', 'Bristol', ('E06000023',))
>>> LEVEL_NAMES["ttwa"]
'travel-to-work area'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from creative_clusters._text import possessive
from creative_clusters.results import PlaceRef

__all__ = [
    "CA_OFFICIAL_NAMES",
    "CUSTOM",
    "LEVEL_NAMES",
    "MEMBER_RULES",
    "NATIONS",
    "Place",
    "common_name",
    "group_code",
    "nation_of",
    "nations_in",
    "places_words",
    "sentence_name",
]

#: The level of a user's group of LADs; its places have codes ``custom:<slug>``.
CUSTOM = "custom"

#: Each level in the user's words (messages, labels, suggestions).
LEVEL_NAMES: dict[str, str] = {
    "lad": "local authority",
    "utla": "upper-tier authority",
    "cty": "county",
    "mcty": "metropolitan county",
    "cauth": "combined authority",
    "rgn": "region",
    "ctry": "nation",
    "uk": "United Kingdom",
    "ttwa": "travel-to-work area",
    "itl3": "ITL3 area",
    "nuts2": "NUTS2 area",
    CUSTOM: "group of local authorities",
}

#: How the member LADs of a place of each level are chosen (one documented rule per level).
MEMBER_RULES: dict[str, str] = {
    "lad": "the local authority itself (a code that replaced it, e.g. Sheffield's 2025 code, maps back to the "
           "2023 code the data uses)",
    "utla": "the LADs in the upper-tier authority in the 2023 LAD hierarchy",
    "cty": "the districts in the county in the 2023 LAD hierarchy",
    "mcty": "the metropolitan districts in the metropolitan county in the 2023 LAD hierarchy",
    "cauth": "the 2023 LADs in the combined authority as it stands in the latest year of the LAD hierarchy (2025: "
             "15 authorities, built from ONS's 2014 LAD lookup replayed through ONS's code-change records, which "
             "create the authorities of 2024 and 2025, and checked against ONS's May 2024 LAD-to-CA lookup); a "
             "LAD recoded since 2023 is mapped back to its 2023 code",
    "rgn": "the LADs in the region in the 2023 LAD hierarchy",
    "ctry": "the LADs in the nation in the 2023 LAD hierarchy",
    "uk": "every LAD in the 2023 LAD hierarchy",
    "ttwa": "majority rule: each LAD belongs wholly to the 2011 travel-to-work area holding most of its LSOAs "
            "(a TTWA holding no LAD's majority gets the LAD with most LSOAs in it); figures are LAD-approximated",
    "itl3": "the LADs whose representative point lies in the ITL3 2021 area",
    "nuts2": "the LADs whose representative point lies in the NUTS2 2013 area (through ITL3 2021)",
    CUSTOM: "the local authorities the user listed",
}

#: Combined authorities whose ONS name (``cauth_name``) is also an English region's, by their full official
#: names (the orders that created them), so a sentence about the authority never reads as one about the region.
CA_OFFICIAL_NAMES: dict[str, str] = {
    "North East": "North East Combined Authority",
    "West Midlands": "West Midlands Combined Authority",
    "East Midlands": "East Midlands Combined County Authority",
}

#: First letter of a GSS code → nation.
NATIONS: dict[str, str] = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    code : str
        GSS, ITL or NUTS code; ``custom:<slug>`` for a user's group.
    name : str
        Official name (the group's name for a user's group).
    level : str
        ``lad``, ``cauth``, ``rgn``, ``ctry``, ``uk``, ``utla``, ``cty``,
        ``mcty``, ``ttwa``, ``itl3``, ``nuts2`` or ``custom``.
    vintage : str
        The boundary year of the code (the data's LAD vintage for LADs and
        hierarchy levels in force then; 2011 for TTWAs, 2021 ITL3, 2013 NUTS2).
    members : tuple of str
        Member LAD codes on the data's LAD vintage (the place itself for a LAD).
    nation : str
        ``England``, ``Wales``, ``Scotland``, ``Northern Ireland``, or ``""``
        for a place spanning several (the UK, a cross-border group).
    member_rule : str
        How ``members`` were chosen (:data:`MEMBER_RULES`).
    aliases : tuple of str
        Everyday names that resolve to this place ("Bristol", "Anglesey").
    also : tuple of str
        Other kinds of place the query's name also names, as queries that ask
        for them (``"cauth:West Midlands"`` beside the region "West Midlands").
    """

    code: str
    name: str
    level: str
    vintage: str = ""
    members: tuple[str, ...] = ()
    nation: str = ""
    member_rule: str = ""
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    @property
    def geo_type(self) -> str:
        """The level (the name older code and the ``areas`` table use)."""
        return self.level

    @property
    def level_name(self) -> str:
        """The level in words ("local authority", "travel-to-work area")."""
        return LEVEL_NAMES.get(self.level, self.level)

    @property
    def common_name(self) -> str:
        """The name for sentences: "Bristol" for "Bristol, City of"; a combined authority whose ONS name is
        also a region's, its full official name ("North East Combined Authority", never "the North East")."""
        return sentence_name(self.name, self.level)

    @property
    def display_name(self) -> str:
        """Same as :attr:`common_name`."""
        return self.common_name

    @property
    def label(self) -> str:
        """Name and level in words, e.g. ``"Sheffield (local authority)"`` (suggestions, notes)."""
        return f"{self.name} ({self.level_name})"

    def to_ref(self, names: Mapping[str, str] | None = None) -> PlaceRef:
        """The :class:`~creative_clusters.results.PlaceRef` that typed results carry.

        ``names`` (code → name) fills ``member_names``.
        """
        member_names = tuple(names.get(m, m) for m in self.members) if names is not None else ()
        return PlaceRef(code=self.code, name=self.name, level=self.level, common_name=self.common_name,
                        nation=self.nation, members=self.members, member_rule=self.member_rule,
                        member_names=member_names)


def common_name(name: str) -> str:
    """``"Bristol, City of"`` → ``"Bristol"``; ``"Herefordshire, County of"`` → ``"Herefordshire"``.

    Examples
    --------
    >>> common_name("Kingston upon Hull, City of"), common_name("Leeds")
    ('Kingston upon Hull', 'Leeds')
    """
    return re.sub(r",\s*(City|County) of$", "", str(name)).strip()


def sentence_name(name: str, level: str) -> str:
    """A place's name for sentences: :func:`common_name`, and a combined authority whose name is also a
    region's by its full official name (:data:`CA_OFFICIAL_NAMES`).

    >>> sentence_name("North East", "cauth"), sentence_name("North East", "rgn")
    ('North East Combined Authority', 'North East')
    >>> sentence_name("Bristol, City of", "lad")
    'Bristol'
    """
    if level == "cauth" and name in CA_OFFICIAL_NAMES:
        return CA_OFFICIAL_NAMES[name]
    return common_name(name)


def nation_of(members: Iterable[str]) -> str:
    """The nation of LAD codes, or ``""`` when they span several (or none is a GSS code).

    Examples
    --------
    >>> nation_of(["W06000015"]), nation_of(["E08000019", "E08000018"]), nation_of(["E06000001", "W06000015"])
    ('Wales', 'England', '')
    """
    found = {NATIONS.get(str(m)[:1], "") for m in members}
    return found.pop() if len(found) == 1 else ""


def nations_in(codes: Iterable[str]) -> str:
    """The nations GSS ``codes`` lie in, in words: "the UK" when all four, else their names ("England and
    Wales"); for the base of a rank, read from the places ranked, never assumed.

    Examples
    --------
    >>> nations_in(["E92000001", "W92000004", "S92000003", "N92000002"]), nations_in(["E30000234", "W22000001"])
    ('the UK', 'England and Wales')
    >>> nations_in(["S12000042"]), nations_in([])
    ('Scotland', 'the UK')
    """
    found = [n for k, n in NATIONS.items() if k in {str(c)[:1] for c in codes}]
    if not found or len(found) == len(NATIONS):
        return "the UK"
    return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]


#: Places of each level in the plural, as a sentence counts them; LADs as each nation calls them.
_PLURAL: dict[str, str] = {
    "lad": "local authorities", "utla": "upper-tier authorities", "cty": "counties",
    "mcty": "metropolitan counties", "cauth": "combined authorities", "rgn": "regions", "ctry": "nations",
    "ttwa": "travel-to-work areas", "itl3": "ITL3 areas", "nuts2": "NUTS2 areas",
}
_LAD_PLURAL = {"Scotland": "council areas", "Northern Ireland": "local government districts"}


def places_words(level: str, n: int, among: str) -> str:
    """``n`` places of ``level`` in ``among`` (a nation's name, or "the UK"), as a sentence names them.

    Examples
    --------
    >>> places_words("lad", 32, "Scotland"), places_words("lad", 361, "the UK")
    ("Scotland's 32 council areas", "the UK's 361 local authorities")
    >>> places_words("ttwa", 1, "England and Wales")
    "England and Wales's 1 travel-to-work area"
    """
    words = _LAD_PLURAL.get(among, _PLURAL["lad"]) if level == "lad" else _PLURAL.get(level, f"{level} areas")
    if n == 1:
        words = LEVEL_NAMES.get(level, words) if level != "lad" else words[:-3] + "y" if words.endswith(
            "ies") else words[:-1]
    return f"{possessive(among)} {n} {words}"


def group_code(name: str) -> str:
    """The code of a user's group: ``custom:`` and a slug of its name.

    Examples
    --------
    >>> group_code("Thames Estuary"), group_code("  ")
    ('custom:thames-estuary', 'custom:group')
    """
    slug = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "group"
    return f"{CUSTOM}:{slug}"
