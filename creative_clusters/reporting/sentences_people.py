"""Sentences on the place's people and institutions: the Census workforce in creative divisions, its
deprivation, its anchor institutions and the research to cite (numbers in, text out)."""

from __future__ import annotations

from creative_clusters.reporting.formatting import _bad, fmt_int, fmt_pct, ordinal

__all__ = [
    "anchors_sentence",
    "census_sentence",
    "deprivation_sentence",
    "no_deprivation_sentence",
    "research_sentence",
]


def census_sentence(place: str, n: float | None, share_pct: float | None,
                    ref_share_pct: float | None, ref_name: str = "England and Wales", year: str = "") -> str:
    """Census residents in creative divisions; ``year`` is the census's vintage in the catalogue.

    Examples
    --------
    >>> census_sentence("X", 12000, 5.0, 4.0, year="2021")
    'At the 2021 Census, 12,000 residents of X in employment (5.0%) worked in industry divisions that hold most creative
    activity, against 4.0% across England and Wales.'
    >>> census_sentence("X", 12000, 5.0, None)[:30]
    'At the Census, 12,000 resident'
    """
    if _bad(n, share_pct):
        return ""
    s = (f"At the {f'{year} ' if year else ''}Census, {fmt_int(n)} residents of {place} in employment "
         f"({fmt_pct(share_pct)}) "
         "worked in industry divisions that hold most creative activity")
    if not _bad(ref_share_pct):
        s += f", against {fmt_pct(ref_share_pct)} across {ref_name}"
    return s + "."


def anchors_sentence(place: str, n_hei: int | None, n_museums: int | None, *, hei_vintage: str = "") -> str:
    """Anchor institutions in the place.

    A provider list records head offices only, on its date (``hei_vintage``): none in the list is not "no
    university here" (a branch campus, or a provider founded since, is missing), and the sentence says so.

    Examples
    --------
    >>> anchors_sentence("X", 2, 15)
    'X is home to 2 higher-education providers and 15 museums.'
    >>> anchors_sentence("X", 0, 1, hei_vintage="2015")
    'X is home to 1 museum. No higher-education provider in the reference lists has its head office in X; the
    provider list dates from about 2015 and records head offices only, so a branch campus or a newer provider
    there would not appear: check before saying X has none.'
    """
    parts: list[str] = []
    if n_hei:
        parts.append(f"{n_hei} higher-education provider{'s' if n_hei != 1 else ''}")
    if n_museums:
        parts.append(f"{n_museums} museum{'s' if n_museums != 1 else ''}")
    out = []
    if parts:
        out.append(f"{place} is home to " + " and ".join(parts) + ".")
    if n_museums == 0:
        out.append(f"No museum in the reference lists is located in {place}.")
    if n_hei == 0:
        when = f"dates from about {hei_vintage} and " if hei_vintage else ""
        out.append(f"No higher-education provider in the reference lists has its head office in {place}; the "
                   f"provider list {when}records head offices only, so a branch campus or a newer provider there "
                   f"would not appear: check before saying {place} has none.")
    return " ".join(out)


def research_sentence(n_place: int, n_total: int, chain_label: str) -> str:
    """How many library entries match the place.

    Examples
    --------
    >>> research_sentence(3, 20, "Sheffield or Yorkshire and The Humber")
    '20 reports and data sources are relevant; 3 of them deal with Sheffield or Yorkshire and The Humber specifically.'
    """
    if n_place == 0:
        return f"{n_total} reports and data sources are relevant; none deals with {chain_label} specifically."
    if n_place == 1:
        return f"{n_total} reports and data sources are relevant; one deals with {chain_label} specifically."
    return (f"{n_total} reports and data sources are relevant; {n_place} of them deal with "
            f"{chain_label} specifically.")


def deprivation_sentence(place: str, index: str, rank: int | None = None, of: int | None = None,
                         share: float | None = None, k: int | None = None, n: int | None = None) -> str:
    """Deprivation on the place's own nation's index.

    Examples
    --------
    >>> deprivation_sentence("Middlesbrough", "English Indices of Deprivation 2025 (IMD)", rank=1, of=296)
    'On the English Indices of Deprivation 2025 (IMD), Middlesbrough ranks 1st of 296 local authorities (1 = most
    deprived).'
    >>> deprivation_sentence("G", "IMD", k=0, n=10, of=296)
    'On the IMD, none of the 10 local authorities in G is among the most deprived tenth of the 296.'
    """
    if rank is not None and of:
        return (f"On the {index}, {place} ranks {ordinal(int(rank))} of {of} local authorities "
                "(1 = most deprived).")
    if share is not None and not _bad(share):
        return (f"On the {index}, {fmt_pct(share * 100 if share <= 1 else share)} of {place}'s small areas are "
                "among the nation's most deprived 10%.")
    if k is not None and n:
        who = "none" if k == 0 else (f"{k}" if k > 1 else "one")
        verb = "is" if k <= 1 else "are"
        return (f"On the {index}, {who} of the {n} local authorities in {place} {verb} among the most "
                f"deprived tenth of the {of}.")
    return ""


def no_deprivation_sentence(place: str, index: str, *, nation: bool = False, group: bool = False) -> str:
    """Why the pack gives no deprivation figure for the place on its nation's index.

    Examples
    --------
    >>> no_deprivation_sentence("Wales", "Welsh Index of Multiple Deprivation 2019", nation=True)[:101]
    'The Welsh Index of Multiple Deprivation 2019 ranks small areas within Wales against each other, so it'
    >>> no_deprivation_sentence("Cardiff Capital Region", "WIMD", group=True)[:95]
    'The WIMD publishes no ranks of local authorities, so the pack does not count which of Cardiff C'
    """
    if nation:
        return (f"The {index} ranks small areas within {place} against each other, so it gives no figure for "
                f"{place} as a whole, and the pack does not average one from them; each local authority's pack gives "
                "the share of its small areas among the nation's most deprived 10%.")
    if group:
        return (f"The {index} publishes no ranks of local authorities, so the pack does not count which of "
                f"{place}'s local authorities are among the most deprived; each local authority's pack gives the "
                "share of its small areas among the nation's most deprived 10%.")
    return f"{place} is not on the boundaries of the {index}."
