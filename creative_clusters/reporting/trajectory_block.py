"""Section 3's opening block: the place's own creative-enterprise series (pure rendering).

Every number comes from the workflow's typed
:class:`~creative_clusters.workflows.trajectory.PlaceTrajectory` (counts, ranks,
LQ over time, windows with their comparison sentences, outlier notes, the
trajectory class); this module only words and lays them out.

Examples
--------
>>> block = trajectory_block(None, place="Nowhere")
>>> block["tables"], block["missing"][0][:40]
([], 'No creative-enterprise series for Nowher')
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from creative_clusters import kinds
from creative_clusters.geography.place import NATIONS
from creative_clusters.reporting._model import _table, common_name
from creative_clusters.reporting.charts import trend_figure
from creative_clusters.reporting.formatting import fmt_int, fmt_lq, fmt_num, join_and, joint_ordinal
from creative_clusters.reporting.pack_types import Block
from creative_clusters.reporting.trajectory_text import near_one_touches

if TYPE_CHECKING:  # the type only: reporting never imports workflows at run time
    from creative_clusters.workflows.trajectory import PlaceTrajectory

__all__ = ["trajectory_block"]

#: The windows the pack words, in this order (names from ``indicators.trajectory.standard_windows``);
#: the last year's change is in the table, not the prose.
_WINDOWS = ("full", "ten_year", "since_2019")
#: A crossing of LQ 1 counts as "close to 1" (within the noise of two sources) when both LQs are this near.
_NEAR_ONE = 0.1


def nation_caveats(caveats: tuple[str, ...] | list[str], codes: tuple[str, ...] | list[str]) -> list[str]:
    """The catalogue caveats that concern the nations of ``codes`` only, other than England.

    A dataset's caveat led by nation names and a colon ("Scotland, Wales and Northern Ireland: ...") is about
    those nations' rows; a place there shows it where the dataset is the source.

    Examples
    --------
    >>> cav = ("UK, all LADs (296 England, 22 Wales).", "Scotland, Wales and Northern Ireland: not yet checked.")
    >>> nation_caveats(cav, ["W06000015"]), nation_caveats(cav, ["E08000019"])
    (['Scotland, Wales and Northern Ireland: not yet checked.'], [])
    """
    mine = {NATIONS[c[:1]] for c in codes if c[:1] in NATIONS and c[:1] != "E"}
    out = []
    for c in caveats:
        lead, sep, _ = str(c).partition(":")
        named = [n.strip() for n in re.split(r",| and ", lead)] if sep else []
        if named and all(n in NATIONS.values() for n in named) and mine & set(named):
            out.append(str(c))
    return out


def _minus(text: str) -> str:
    """House style: a true minus sign before a number that follows a space or bracket.

    >>> _minus("against England -1.7% a year (2019–2025), pre-pandemic")
    'against England −1.7% a year (2019–2025), pre-pandemic'
    """
    return re.sub(r"(?<=[\s(])-(?=\d)", "\u2212", text)


def _rank_sentence(t: PlaceTrajectory) -> str:
    w = t.window("full") or (t.windows[0] if t.windows else None)
    if w is None or w.rank_uk_start is None or w.rank_uk_end is None or t.level in ("ctry", "uk", "custom"):
        return ""
    if any(y.value == 0 for y in t.series if y.period in (w.start, w.end)):
        return ""  # a published zero (0 to 2 firms) ties with every other zero: never a rank (see the methods)
    among = {"lad": "local authorities", "utla": "upper-tier authorities", "cauth": "combined authorities",
             "rgn": "regions", "ttwa": "travel-to-work areas"}.get(t.level, "places")
    which = ""
    if t.level == "ttwa":  # not every TTWA: only those that hold a local authority under the majority rule
        which = (" that hold at least one local authority (each counted wholly in the TTWA holding most of its "
                 "LSOAs" + ("" if t.rank_base == "the UK" else
                            f"; the lookup from local authorities to TTWAs covers {t.rank_base} only") + "),")
    one_nation = bool(w.n_nation) and w.n_nation == w.n_uk and bool(t.nation_name)  # e.g. combined authorities
    where = f" (all of them in {t.nation_name})" if one_nation else f" of {t.rank_base}"
    uk = (f"among the {w.n_uk} {among}{where}{which} it ranked {joint_ordinal(w.rank_uk_start, w.tied_uk_start)} by "
          f"creative enterprises in {w.start} and {joint_ordinal(w.rank_uk_end, w.tied_uk_end)} in {w.end}")
    if (w.rank_nation_start is not None and w.rank_nation_end is not None and w.n_nation
            and w.n_uk is not None and w.n_nation < w.n_uk):
        uk += (f"; among the {w.n_nation} of {t.nation_name}, "
               f"{joint_ordinal(w.rank_nation_start, w.tied_nation_start)} and "
               f"{joint_ordinal(w.rank_nation_end, w.tied_nation_end)}")
    return f"By size, {uk} (1st = most)."


def _class_caveat(t: PlaceTrajectory) -> str:
    """For an ``established`` place whose LQ interval includes 1: the rule reads the point LQ, so say that
    the specialisation it implies is not supported (no specialisation claim whose interval includes 1)."""
    if t.trajectory != "established":
        return ""
    last = next((y for y in reversed(t.series) if y.lq is not None and y.lq_lower is not None
                 and y.lq_upper is not None), None)
    if last is None or not (last.lq_lower <= 1.0 <= last.lq_upper):  # type: ignore[operator]
        return ""
    return (f" The rule reads the LQ's point estimate; its 95% interval in {last.period} "
            f"({fmt_num(last.lq_lower)} to {fmt_num(last.lq_upper)}) includes 1, so the class says the place is "
            "large, not that it is specialised.")


def _crossing_sentence(t: PlaceTrajectory) -> str:
    """The LQ's crossings of 1 as the workflow counted them, and the moves it set aside (one rule for all)."""
    bits = [f"{'above' if d == 'above' else 'below'} 1 in {p} ({fmt_lq(a)} to {fmt_lq(b)})"
            for p, d, a, b in t.lq_crossings]
    touches = near_one_touches(t)
    doubtful = list(dict.fromkeys(p for p, why, _a, _b in t.lq_crossings_set_aside if why == "outlier"))
    out = []
    if bits:
        near = all(abs(a - 1) < _NEAR_ONE and abs(b - 1) < _NEAR_ONE for _p, _d, a, b in t.lq_crossings)
        out.append(f"The creative business LQ of {t.name} against the UK (creative over all active enterprises) "
                   "moved " + ", then ".join(bits)
                   + ("; movements this close to 1 are within the noise of two different sources." if near else "."))
    if touches:
        out.append(f"In {join_and(touches)} the LQ moved to or from 1.00 (within 0.005 of 1, as the table "
                   "shows it): too close to 1 to call a change of side.")
    if doubtful:
        out.append("An apparent crossing of LQ 1 in " + " and ".join(doubtful) + " rests on a value flagged as an "
                   "outlier, so it is not read as a change.")
    return " ".join(out)


#: A series flag (machine-readable, in ``YearValue.flags``) as the pack's note says it; ``{year}`` is the year.
FLAG_WORDS = {"denominator-break": "Break in the LQ denominator in {year}.",
              "outlier": "Outlier in {year}.", "break": "Break in the series in {year}.",
              "suppressed": "Not published for {year}."}


def flag_words(flag: str, year: str) -> str:
    """A series flag in words for the growth table's note (the flag itself stays on the series for code).

    >>> flag_words("denominator-break", "2018"), flag_words("new-flag", "2018")
    ('Break in the LQ denominator in 2018.', 'New flag in 2018.')
    """
    text = FLAG_WORDS.get(flag) or flag.replace("-", " ").capitalize() + " in {year}."
    return text.format(year=year)


def trajectory_block(t: PlaceTrajectory | None, *, place: str, png: bool | str = True,
                     reason: str = "") -> Block:
    """``sentences``, ``tables``, ``figures``, ``sources``, ``missing`` for the place's series.

    ``t`` None (no series in the warehouse, or a place the series does not
    cover) gives only a ``missing`` line saying why and how to get it.
    """
    out: Block = {"sentences": [], "tables": [], "figures": [], "sources": [], "missing": []}
    if t is None or not t.series:
        out["missing"].append(
            f"No creative-enterprise series for {place}{': ' + reason.rstrip('.') if reason else ''}. Import the "
            "UK Business Counts series (business_counts_timeseries) with `creative-clusters data import DIR`.")
        return out
    official = t.name
    if official != place:  # the pack's everyday name ("Bristol"), not the register's ("Bristol, City of")
        t = replace(t, name=place)
    out["sources"].append(kinds.CREATIVE_ENTERPRISES_SERIES)
    first, last = t.series[0], t.series[-1]
    seen: set[str] = set()
    for name in _WINDOWS:
        w = t.window(name)
        if w is None or not w.sentence or w.sentence in seen:
            continue
        seen.add(w.sentence)
        s = w.sentence.replace(official, place)
        if "outlier" in w.flags:
            s += (" This window starts or ends in a year whose published value is flagged as an outlier, so read it "
                  "with care.")
        out["sentences"].append(_minus(s))
    out["sentences"].append(_rank_sentence(t))
    if t.trajectory:
        out["sentences"].append(_minus(f"On the trajectory rules ({t.trajectory_year}) {t.name} is {t.trajectory}: "
                                       f"{t.trajectory_reason.split(': ', 1)[-1]}.{_class_caveat(t)}"))
    out["sentences"].append(_crossing_sentence(t))
    ranked = t.level not in ("ctry", "uk", "custom")
    # a rank within the nation, then within the base of the UK-wide rank, unless that is the same
    # base (a combined authority is ranked among England's in both: one column, not two alike)
    ranks = ([("rank_nation", f"Rank in {t.nation_name}")] if ranked and t.nation_name else [])
    if ranked and f"Rank in {t.rank_base}" not in [label for _, label in ranks]:
        ranks.append(("rank_uk", f"Rank in {t.rank_base}"))
    rows = []
    for y in t.series:
        joint = [f"{label}: {joint_ordinal(int(getattr(y, a)), tie)}, tied with {tie} other "
                 f"place{'s' if tie > 1 else ''} on the same count." for a, label in ranks
                 if getattr(y, a) is not None and (tie := getattr(y, a.replace("rank_", "tied_"), 0))]
        note = _minus(" ".join([*(flag_words(f, y.period) for f in y.flags if f not in ("rounded", "")),
                                *([y.note] if y.note else []), *joint]))
        rows.append([y.period, y.value, *(getattr(y, a) for a, _ in ranks), y.lq, note])
    cols = ["Year", "Creative enterprises", *(label for _, label in ranks), "LQ (UK = 1)", "Note"]
    fmts = ["text", "int", *(["int"] * len(ranks)), "num2", "text"]
    if not any(r[-1] for r in rows):  # no year has a note: no empty column
        cols, fmts, rows = cols[:-1], fmts[:-1], [r[:-1] for r in rows]
    # the publisher, without the third-party extract it came through (credited in the Sources section)
    publisher = t.source.publisher.split("; extract by")[0]
    notes = [f"{t.source.title or t.source.id} ({publisher}); values rounded to 5 by ONS and shown as "
             "published, outliers included.",
             "LQ = creative enterprises over active enterprises of all industries (ONS Business Demography) "
             "against the UK, in the years both exist; indicative, as the two sources differ in coverage and timing."]
    if len(t.members) > 1:
        # the names people use, as a list ("Bristol and South Gloucestershire"): the register's "Bristol, City
        # of" in a comma-joined list read as three places
        notes.append(f"Sum over {len(t.members)} local authorities: "
                     + join_and([common_name(n) for n in t.member_names]) + ".")
    if t.coverage_note:
        notes.append(t.coverage_note)
    notes.extend(nation_caveats(t.source.caveats, t.members or (t.code,)))  # e.g. rows not cross-checked
    out["tables"].append(_table(f"Creative enterprises, {t.name}, {first.period}–{last.period}", cols, rows,
                                fmts, notes))
    values = [y.value for y in t.series if y.value is not None]
    if len(values) == len(t.series) >= 2 and values[0]:
        lines: dict[str, list[float]] = {t.name: values}
        comp = [v for v in t.comparison_series if v is not None]
        if t.comparison_name and len(comp) == len(values) and comp[0]:  # the area the text compares it with
            # "UK", as the active-enterprise chart beside it names it, not "United Kingdom"
            lines["UK" if t.comparison_name == "United Kingdom" else t.comparison_name] = comp
        out["figures"].append(trend_figure([y.period for y in t.series], lines,
                                                what="Creative enterprises", place=t.name, png=png))
    if last.value is not None:
        count = ("fewer than 3 creative enterprises (published as 0)" if last.value == 0 else
                 f"{fmt_int(last.value)} creative enterprises")
        out["sentences"].insert(0, f"{t.name} had {count} in {last.period} "
                                   f"(UK Business Counts, every year since {first.period}).")
    return out
