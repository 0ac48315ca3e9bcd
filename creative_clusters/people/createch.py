"""A createch flag for firms from their (up to four) SIC codes.

Rule (documented, testable; version :data:`CREATECH_RULE_VERSION`)
------------------------------------------------------------------
A firm is **createch** when, among its SIC codes (Companies House gives up to
four 5-digit codes; 4-digit classes also accepted):

1. ``games``: it has a games code — 58210 publishing of computer games, or
   62011 ready-made interactive leisure and entertainment software
   development (4-digit class 5821); games development is creative content
   made with technology by definition; or
2. ``creative+tech``: it has a **creative content** class (a DCMS creative
   class outside IT/software: film/TV/video/radio/photography, music and
   performing arts, publishing, design, advertising, architecture, crafts,
   museums) **and** a **technology** class (:data:`TECH_CLASSES`: software
   publishing 5829, computer programming and consultancy 6201/6202/6209, data
   processing and hosting 6311, web portals 6312, other R&D in natural
   sciences and engineering 7219, computers and electronics manufacture
   2620/2640).

What it can and cannot capture (vs docs/methods.md §10)
--------------------------------------------------
- It sees only what firms declare at Companies House. Creative firms that do
  technology R&D without declaring a tech SIC (the Nesta/PEC definition: a
  creative firm with tech keywords, web-classified activity or a GtR/Innovate
  UK R&D grant) are **missed**; so are createch firms whose only code is
  6201 (most software houses serving creative clients): the rule cannot tell
  them from other software firms.
- It cannot see R&D, real-time engines, virtual production or user-centred
  design use, which the PEC Createch R&D survey found to be the distinctive
  feature; nor unincorporated firms and sole traders.
- It will count multi-code firms whose codes are administrative
  (registered-office SIC lists are self-reported and rarely updated).
- It is therefore a **lower-bound, register-based proxy**, useful for
  comparing places, not a count of createch firms. The PEC/Nesta headline
  (~8% of UK companies, 57% in London) comes from CrunchBase/web data and is
  not comparable.

Examples
--------
>>> t = pd.DataFrame({"sic1": ["59111", "62011", "62012", "74100"], "sic2": ["62012", None, None, "73110"]})
>>> createch_flag(t, sic_columns=["sic1", "sic2"])["createch_reason"].tolist()
['creative+tech', 'games', '', '']
"""

from __future__ import annotations

import pandas as pd

from creative_clusters.classifications.dcms import DCMS_CI_SIC2007
from creative_clusters.errors import SchemaError

__all__ = [
    "CONTENT_CLASSES",
    "CREATECH_RULE_VERSION",
    "GAMES_CODES",
    "TECH_CLASSES",
    "createch_counts",
    "createch_flag",
    "sic_codes_of",
]

CREATECH_RULE_VERSION = "createch-sic-v1 (games code, or creative content class + tech class)"

#: Codes that are createch on their own (5-digit Companies House codes or the 4-digit class).
GAMES_CODES: frozenset[str] = frozenset({"58210", "62011", "5821"})

#: Technology classes (4-digit SIC 2007).
TECH_CLASSES: frozenset[str] = frozenset({"5829", "6201", "6202", "6209", "6311", "6312", "7219", "2620", "2640"})

#: DCMS creative classes outside "IT, software and computer services".
CONTENT_CLASSES: frozenset[str] = frozenset(
    c for sub, codes in DCMS_CI_SIC2007.items() if sub != "IT, software and computer services" for c in codes
)

_CH_SIC = [f"SICCode.SicText_{i}" for i in range(1, 5)]


def sic_codes_of(values: pd.Series) -> pd.Series:
    """Leading 4- or 5-digit code of each cell (``"62012 - Business ..."`` → ``"62012"``), None if none."""
    s = values.astype("string").str.strip().str.replace(".", "", regex=False)
    code = s.str.extract(r"^(\d{4,5})\b", expand=False)
    return code.astype(object).where(code.notna(), None)


def createch_flag(firms: pd.DataFrame, /, *, sic_columns: list[str] | None = None) -> pd.DataFrame:
    """Add ``createch`` (bool) and ``createch_reason`` (``games``, ``creative+tech`` or ``""``).

    Parameters
    ----------
    firms : DataFrame
        One row per firm with SIC code columns (default: Companies House
        ``SICCode.SicText_1..4``).
    sic_columns : list of str, optional
        The SIC columns to read.
    """
    cols = sic_columns or [c for c in _CH_SIC if c in firms.columns]
    if not cols or any(c not in firms.columns for c in cols):
        raise SchemaError(
            f"createch_flag() needs SIC code columns (default {_CH_SIC}); the table has {list(firms.columns)}. "
            "Pass sic_columns=[...] for another layout."
        )
    codes = pd.DataFrame({c: sic_codes_of(firms[c]) for c in cols}, index=firms.index)
    reasons = []
    for row in codes.itertuples(index=False):
        full = {v for v in row if isinstance(v, str)}
        cls = {v[:4] for v in full}
        if full & GAMES_CODES or (cls & {"5821"}):
            reasons.append("games")
        elif cls & CONTENT_CLASSES and cls & TECH_CLASSES:
            reasons.append("creative+tech")
        else:
            reasons.append("")
    out = firms.copy()
    out["createch_reason"] = reasons
    out["createch"] = out["createch_reason"] != ""
    return out


def createch_counts(flagged: pd.DataFrame, /, *, place: str = "localauthority_code",
                    place_name: str | None = "localauthority_name") -> pd.DataFrame:
    """Createch firms by place and reason, with all firms for the share.

    Firms without a place are counted under ``place = "(unknown)"`` rather than dropped.
    """
    if place not in flagged.columns or "createch" not in flagged.columns:
        raise SchemaError(f"createch_counts() needs columns {place!r} and 'createch' (run createch_flag first).")
    t = flagged.copy()
    t[place] = t[place].fillna("(unknown)")
    keys = [place] + ([place_name] if place_name and place_name in t.columns else [])
    if len(keys) > 1:
        t[keys[1]] = t[keys[1]].fillna("(unknown)")
    g = t.groupby(keys)
    out = pd.DataFrame({
        "firms": g.size(),
        "createch": g["createch"].sum(),
        "games": g["createch_reason"].apply(lambda s: int((s == "games").sum())),
        "creative_plus_tech": g["createch_reason"].apply(lambda s: int((s == "creative+tech").sum())),
    }).reset_index()
    out["createch_per_1000_firms"] = 1000 * out["createch"] / out["firms"]
    out["rule"] = CREATECH_RULE_VERSION
    return out.rename(columns={place: "geo_code", **({place_name: "geo_name"} if place_name else {})})
