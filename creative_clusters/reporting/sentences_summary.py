"""Sentences of the pack's summary: which places make up a group, what the findings let a bid claim and
how many more pass the gates (numbers and topics in, text out)."""

from __future__ import annotations

import re

from creative_clusters.kinds import LAD_VINTAGE
from creative_clusters.reporting.formatting import _join, _lower_name, join_and

__all__ = [
    "MEMBER_RULES",
    "bid_case_sentence",
    "members_sentence",
    "more_findings_sentence",
]


#: How finding topics are grouped in running text: (match, group lead, preposition repeated between names).
_TOPIC_GROUPS = ((lambda t: t.endswith(" specialisation"), lambda t: t[: -len(" specialisation")],
                  "specialisation in ", "in"),
                 (lambda t: t.endswith(" concentration"), lambda t: t[: -len(" concentration")],
                  "the concentration of ", "of"),
                 (lambda t: t.startswith("Its standing on "), lambda t: t[len("Its standing on "):],
                  "its standing on ", "on"))


def _topics(items: list[str]) -> list[str]:
    """Finding topics in running text, specialisations, concentrations and percentile standings grouped.

    Examples
    --------
    >>> _topics(["Detected cluster", "All creative industries specialisation", "Crafts specialisation",
    ...          "Music, performing and visual arts specialisation", "Its standing on business birth rate (%)",
    ...          "Its standing on GVA per hour worked (GBP)"])  # doctest: +NORMALIZE_WHITESPACE
    ['its detection as a creative cluster', 'specialisation in the creative industries as a whole, in crafts and in
    music, performing and visual arts', 'its standing on business birth rate and on GVA per hour worked']
    """
    out: list[str] = []
    groups: dict[str, list[str]] = {}
    for t in items:
        for match, name_of, lead, _prep in _TOPIC_GROUPS:
            if match(t):
                name = re.sub(r"^All creative industries", "the creative industries as a whole", name_of(t))
                # units belong in tables, not in running text: "birth rate (%)" -> "birth rate"
                name = re.sub(r" \((?:%|GBP|count)\)$", "", name).replace(" (%, ", " (")
                if lead not in groups:
                    groups[lead] = []
                    out.append(lead)
                groups[lead].append(_lower_name(name))
                break
        else:
            out.append("its detection as a creative cluster" if t == "Detected cluster" else _lower_name(t))
    preps = {lead: prep for _m, _n, lead, prep in _TOPIC_GROUPS}
    done = []
    for o in out:
        names = groups.get(o)
        if names is None:
            done.append(o)
        else:  # the preposition repeated keeps names with commas apart: "in crafts, in film, TV… and in …"
            p = preps[o]
            done.append(o + (names[0] if len(names) == 1 else
                             f", {p} ".join(names[:-1]) + f" and {p} " + names[-1]))
    return done



def more_findings_sentence(more: dict[str, int]) -> str:
    """Where the summary's lists stop short of every finding that passes the gates, say how many more.

    Examples
    --------
    >>> more_findings_sentence({"strength": 3, "weakness": 1, "inconclusive": 0})
    'Beyond those listed, 3 further strengths and 1 further weakness pass the same gates; the key findings sheet of
    the Excel annex (format xlsx) lists every finding.'
    >>> more_findings_sentence({"strength": 0, "weakness": 0, "inconclusive": 2})
    ''
    """
    words = {"strength": ("strength", "strengths"), "weakness": ("weakness", "weaknesses")}
    parts = [f"{n} further {words[k][0] if n == 1 else words[k][1]}" for k, n in more.items()
             if k in words and n > 0]
    if not parts:
        return ""
    verb = "passes" if len(parts) == 1 and parts[0].startswith("1 ") else "pass"
    return (f"Beyond those listed, {' and '.join(parts)} {verb} the same gates; the key findings sheet of the "
            "Excel annex (format xlsx) lists every finding.")

def bid_case_sentence(place: str, strengths: list[str], weaknesses: list[str], inconclusive: list[str]) -> str:
    """What the evidence lets a bid for the place claim, in one or two sentences.

    Examples
    --------
    >>> bid_case_sentence("X", ["Crafts specialisation"], [], ["Design concentration"])
    'For a bid, the evidence supports specialisation in crafts. The concentration of design is inconclusive on these
    data and should not be claimed.'
    >>> bid_case_sentence("X", [], ["All creative industries concentration"], [])
    'For a bid, no strength of X meets the tests of evidence and the weakness to address is the concentration of the
    creative industries as a whole, so the case must rest on ambition and evidence beyond these statistics.'
    """
    unsure = ""
    if inconclusive:
        t = _topics(inconclusive)
        many = len(t) > 1
        unsure = (" " + _join(t)[:1].upper() + _join(t)[1:] + f" {'are' if many else 'is'} inconclusive on these "
                  "data and should not be claimed.")
    if strengths:
        s = f"For a bid, the evidence supports {_join(_topics(strengths))}"
        if weaknesses:
            s += f". The weakness{'es' if len(weaknesses) > 1 else ''} to address " \
                 f"{'are' if len(weaknesses) > 1 else 'is'} {_join(_topics(weaknesses))}"
        return s + "." + unsure
    s = f"For a bid, no strength of {place} meets the tests of evidence"
    if weaknesses:
        s += f" and the weakness{'' if len(weaknesses) == 1 else 'es'} to address " \
             f"{'is' if len(weaknesses) == 1 else 'are'} {_join(_topics(weaknesses))}"
    return s + ", so the case must rest on ambition and evidence beyond these statistics." + unsure


MEMBER_RULES = {
    "ttwa": "each local authority assigned to the 2011 travel-to-work area that holds most of its small areas",
    # the authority as it is now, its members on the data's LAD boundaries (North East, E47000014, did not
    # exist in 2023: "(2023)" read as its 2023 membership)
    "cauth": f"the combined authority's constituent local authorities, on {LAD_VINTAGE} boundaries",
    "rgn": f"the region's local authorities, on {LAD_VINTAGE} boundaries",
    "ctry": f"the nation's local authorities, on {LAD_VINTAGE} boundaries",
    "uk": f"every local authority of the UK, on {LAD_VINTAGE} boundaries",
    "utla": f"the upper-tier authority's local authority districts, on {LAD_VINTAGE} boundaries",
    "cty": f"the county's districts, on {LAD_VINTAGE} boundaries",
    "mcty": f"the metropolitan county's districts, on {LAD_VINTAGE} boundaries",
    "itl3": "the local authorities whose representative point lies in the ITL3 (2021) area",
    "nuts2": "the local authorities whose representative point lies in the NUTS2 (2013) area",
    "custom": "as given by the user",
}


def members_sentence(label: str, names: list[str], geo_type: str = "custom", rule: str = "") -> str:
    """Which local authorities make up a group place, and by what rule.

    ``rule`` is the place's own member rule when it is not its level's usual one (a travel-to-work
    area that holds no local authority's majority, approximated by one): then it is the sentence.

    Examples
    --------
    >>> members_sentence("Sheffield travel-to-work area", ["Sheffield", "Rotherham"], "ttwa")
    'Sheffield travel-to-work area is made of 2 local authorities: Rotherham and Sheffield (each local authority
    assigned to the 2011 travel-to-work area that holds most of its small areas).'
    >>> members_sentence("Wales", ["Cardiff", "Newport"], "ctry")
    "Wales is made of 2 local authorities: Cardiff and Newport (the nation's local authorities, on 2023 boundaries)."
    >>> members_sentence("Leeds travel-to-work area", ["Leeds"], "ttwa")[:75]
    'Leeds travel-to-work area is represented here by one local authority, Leeds'
    >>> members_sentence("Salisbury travel-to-work area", ["Wiltshire"], "ttwa",
    ...                  rule="no local authority has most of its LSOAs in it, so it is approximated by Wiltshire")
    'No local authority has most of its LSOAs in it, so it is approximated by Wiltshire.'
    >>> members_sentence("Kent and Medway", ["Ashford", "Medway"], "custom",
    ...                  rule="2 local authorities from the user's list: Kent, taken as Ashford, and Medway")
    "Kent and Medway is made of 2 local authorities from the user's list: Kent, taken as Ashford, and Medway."
    """
    if rule and geo_type == "custom":  # the resolver's own list of what the user's entries stood for
        return f"{label} is made of {rule}."
    if rule:
        return f"{rule[:1].upper()}{rule[1:]}."
    rule = MEMBER_RULES.get(geo_type, MEMBER_RULES["custom"] if geo_type == "custom" else "")
    rule = f" ({rule})" if rule else ""
    if len(names) == 1:
        return (f"{label} is represented here by one local authority, {names[0]}{rule}, so its figures are "
                f"{names[0]}'s own.")
    shown = sorted(names)
    listing = join_and(shown) if len(shown) <= 12 else ", ".join(shown[:12]) + f" and {len(shown) - 12} more"
    return f"{label} is made of {len(names)} local authorities: {listing}{rule}."
