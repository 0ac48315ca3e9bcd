"""Growth-aware detection: established, emerging, stable and declining places.

The rules and thresholds live in configuration
(``clusters/trajectory_rules.yaml``, read by :func:`load_trajectory_rules`);
this module only applies them. The inputs (growth over a window, growth
relative to the nation, size, LQ) are computed by
:mod:`creative_clusters.indicators.trajectory` and assembled per place by the
workflows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from creative_clusters._text import digits_beside, fmt_signed
from creative_clusters._yaml import safe_load
from creative_clusters.clusters._base import ClusterDetector
from creative_clusters.errors import ParameterError
from creative_clusters.indicators._checks import check_columns, check_not_empty

__all__ = ["NOT_EMERGING", "TRAJECTORY_CLASSES", "TrajectoryClasses", "TrajectoryRules", "load_trajectory_rules",
           "not_emerging_reason"]

#: The classes, in the order outputs list them.
TRAJECTORY_CLASSES: tuple[str, ...] = ("established", "emerging", "stable", "declining")


@dataclass(frozen=True)
class TrajectoryRules:
    """The thresholds of the trajectory classes (see ``trajectory_rules.yaml``).

    Attributes
    ----------
    window_years, min_window_years : int
        Growth is measured over the ``window_years`` to the class year; a
        place with fewer than ``min_window_years`` of history gets no class.
    compare_with : str
        The reference of relative growth (``"nation"``).
    precedence : tuple of str
        Order in which classes are tested (``stable`` last).
    declining_max_cagr, declining_max_relative_pp : float
    established_min_lq, established_min_size_quantile, established_without_lq_min_size_quantile : float
    emerging_min_relative_pp, emerging_min_base_quantile : float
    floors_nation_min_places : int
        When classified within one nation, size floors are that nation's places' quantiles if it has at
        least this many places of the level, else every UK place's.
    source : str
        Where the rules were read from.
    """

    window_years: int
    min_window_years: int
    compare_with: str
    precedence: tuple[str, ...]
    declining_max_cagr: float
    declining_max_relative_pp: float
    established_min_lq: float
    established_min_size_quantile: float
    established_without_lq_min_size_quantile: float
    emerging_min_relative_pp: float
    emerging_min_base_quantile: float
    floors_nation_min_places: int = 4
    source: str = "trajectory_rules.yaml"

    @property
    def reference(self) -> str:
        """The reference of relative growth in words: ``"its nation"``, or ``"the UK"`` for ``compare_with: uk``.

        >>> load_trajectory_rules().reference
        'its nation'
        """
        return "the UK" if self.compare_with == "uk" else f"its {self.compare_with}"

    def window_words(self, start: str, end: str) -> str:
        """The growth window as it really is, said plainly when shorter than the configured one.

        ``start`` is where the window began: the configured number of years
        before ``end``, or the series' first year when it holds fewer.

        Examples
        --------
        >>> r = load_trajectory_rules()
        >>> r.window_words("2015", "2025")
        '2015–2025 (10 years)'
        >>> r.window_words("2010", "2015")
        '2010–2015 (5 years; shorter than the usual 10, as the series starts in 2010)'
        """
        n = int(end) - int(start)
        short = (f"; shorter than the usual {self.window_years}, as the series starts in {start}"
                 if n < self.window_years else "")
        return f"{start}–{end} ({n} year{'' if n == 1 else 's'}{short})"

    def no_class_words(self, year: str, first_year: str) -> str:
        """Why a year before the first classifiable one has no classes.

        Examples
        --------
        >>> load_trajectory_rules().no_class_words("2012", "2010")[:80]
        'No trajectory classes for 2012: a class needs at least 5 years of growth and the'
        """
        return (f"No trajectory classes for {year}: a class needs at least {self.min_window_years} years of "
                f"growth and the series starts in {first_year}, so the first year with classes is "
                f"{int(first_year) + self.min_window_years}.")

    def describe(self, window: tuple[str, str] | None = None) -> list[str]:
        """The rules in words, for outputs' method notes.

        Parameters
        ----------
        window : (str, str), optional
            The growth window actually used (start, end), named as such (say its
            length with :meth:`window_words`); without it the rules speak of the
            configured window.

        Examples
        --------
        >>> load_trajectory_rules().describe()[-1]
        'stable: none of the above'
        >>> load_trajectory_rules().describe(("2010", "2015"))[0][:56]
        'declining: creative enterprises fell over 2010–2015 (CAG'
        """
        w = f"{window[0]}–{window[1]}" if window else f"the {self.window_years} years to the year shown"
        text = {
            "declining": (
                f"declining: creative enterprises fell over {w} (CAGR ≤ {100 * self.declining_max_cagr:g}%) and "
                f"grew at least {abs(self.declining_max_relative_pp):g} points a year slower than "
                f"{self.reference}"
            ),
            "established": (
                f"established: LQ ≥ {self.established_min_lq:g} (the year's, or the latest earlier year's with "
                "a denominator) and at least as many creative enterprises as "
                f"{_q(self.established_min_size_quantile)} of places of its level (with no LQ up to that year: "
                f"{_q(self.established_without_lq_min_size_quantile)})"
            ),
            "emerging": (
                f"emerging: grew at least {self.emerging_min_relative_pp:g} points a year faster than "
                f"{self.reference} over {w}, from a base at or above {_q(self.emerging_min_base_quantile)} "
                "of places of its level"
            ),
            "stable": "stable: none of the above",
        }
        return [text[c] for c in self.precedence]


def _q(q: float) -> str:
    names = {0.25: "the bottom-quartile floor", 0.5: "the median", 0.75: "the top-quartile floor"}
    return names.get(q, f"the {100 * q:g}th percentile")


#: Who the size floors are taken among, when the table does not say (``TrajectoryClasses(floor_of=...)``).
PLACES_OF_LEVEL = "places of its level"


def _floor_words(q: float, among: str) -> str:
    """The floor's quantile and the places it is taken among.

    >>> _floor_words(0.25, "Scotland's 32 council areas"), _floor_words(0.5, PLACES_OF_LEVEL)
    ("the bottom quartile of Scotland's 32 council areas", 'the median of places of its level')
    """
    names = {0.25: "the bottom quartile", 0.5: "the median", 0.75: "the top quartile"}
    return f"{names.get(q, f'the {100 * q:g}th percentile')} of {among}"


def _floor(x: float) -> str:
    """A floor as computed (a quantile may fall between two counts): ``225``, ``122.5``, never rounded across.

    >>> _floor(225.0), _floor(122.5), _floor(1234.25)
    ('225', '122.5', '1,234.25')
    """
    return f"{x:,.2f}".rstrip("0").rstrip(".") if np.isfinite(x) else "–"


def _num(block: Mapping[str, Any], key: str, where: str, *, lo: float | None = None,
         hi: float | None = None) -> float:
    if key not in block:
        raise ParameterError(f"{where}: missing {key!r}; see the package's trajectory_rules.yaml for the fields.")
    v = block[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ParameterError(f"{where}: {key!r} must be a number, got {v!r}.")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ParameterError(f"{where}: {key!r} must lie in [{lo}, {hi}], got {v!r}.")
    return float(v)


def load_trajectory_rules(source: str | Path | Mapping[str, Any] | None = None) -> TrajectoryRules:
    """Read and check the trajectory rules (default: the package's ``trajectory_rules.yaml``).

    Parameters
    ----------
    source : path, mapping or None
        A YAML file, an already-parsed mapping, or None for the packaged rules.

    Raises
    ------
    ParameterError
        Naming the missing or bad field.

    Examples
    --------
    >>> r = load_trajectory_rules()
    >>> r.window_years, r.precedence
    (10, ('declining', 'established', 'emerging', 'stable'))
    """
    if source is None:
        text = resources.files("creative_clusters.clusters").joinpath("trajectory_rules.yaml").read_text("utf-8")
        raw, where = safe_load(text), "trajectory_rules.yaml"
    elif isinstance(source, Mapping):
        raw, where = dict(source), "trajectory rules"
    else:
        p = Path(source)
        if not p.exists():
            raise ParameterError(f"trajectory rules file {p} not found; give a YAML file like the package's "
                                 "clusters/trajectory_rules.yaml.")
        raw, where = safe_load(p.read_text("utf-8")), str(p)
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{where}: expected a mapping of rule blocks, got {type(raw).__name__}.")
    blocks = {}
    for name in ("window", "declining", "established", "emerging"):
        b = raw.get(name)
        if not isinstance(b, Mapping):
            raise ParameterError(f"{where}: missing the {name!r} block.")
        blocks[name] = b
    prec = tuple(raw.get("precedence") or ())
    if sorted(prec) != sorted(TRAJECTORY_CLASSES) or prec[-1] != "stable":
        raise ParameterError(
            f"{where}: 'precedence' must list {sorted(TRAJECTORY_CLASSES)} once each, with 'stable' last; got {prec}."
        )
    w = blocks["window"]
    years = int(_num(w, "years", f"{where} window", lo=1))
    min_years = int(_num(w, "min_years", f"{where} window", lo=1, hi=years))
    compare = str(w.get("compare_with", "nation"))
    if compare not in ("nation", "uk"):
        raise ParameterError(f"{where} window: 'compare_with' must be 'nation' or 'uk', got {compare!r}.")
    d, e, m = blocks["declining"], blocks["established"], blocks["emerging"]
    fl = raw.get("floors") or {}
    if not isinstance(fl, Mapping):
        raise ParameterError(f"{where}: 'floors' must be a mapping, got {type(fl).__name__}.")
    min_places = int(_num(fl, "nation_min_places", f"{where} floors", lo=1)) if "nation_min_places" in fl else 4
    return TrajectoryRules(
        window_years=years,
        min_window_years=min_years,
        compare_with=compare,
        precedence=prec,
        declining_max_cagr=_num(d, "max_cagr", f"{where} declining"),
        declining_max_relative_pp=_num(d, "max_relative_cagr_pp", f"{where} declining"),
        established_min_lq=_num(e, "min_lq", f"{where} established", lo=0),
        established_min_size_quantile=_num(e, "min_size_quantile", f"{where} established", lo=0, hi=1),
        established_without_lq_min_size_quantile=_num(e, "without_lq_min_size_quantile",
                                                      f"{where} established", lo=0, hi=1),
        emerging_min_relative_pp=_num(m, "min_relative_cagr_pp", f"{where} emerging"),
        emerging_min_base_quantile=_num(m, "min_base_quantile", f"{where} emerging", lo=0, hi=1),
        floors_nation_min_places=min_places,
        source=where,
    )


class TrajectoryClasses(ClusterDetector):
    """Classify places as established, emerging, stable or declining.

    Rules and thresholds come from ``rules`` (default: the packaged
    ``trajectory_rules.yaml``; see :meth:`TrajectoryRules.describe`). Classes
    are tested in the configured precedence (declining, established, emerging,
    then stable); size floors are quantiles over the rows of each ``by`` group
    (pass one level at a time, or ``by=["level"]``). A row without growth
    (no history for the window, or a zero base) gets ``""`` (no class).

    Parameters
    ----------
    rules : path, mapping or None
        Where the thresholds come from (see :func:`load_trajectory_rules`).
    cagr, relative, start, end : str
        Columns: CAGR over the window (a fraction), CAGR relative to the
        reference in points a year, counts at the start and end of the window.
    lq : str or None, default "lq"
        Column with the LQ in the class year; None or NaN uses the size-only
        rule for ``established``.
    by : sequence of str, optional
        Grouping columns for the size quantiles.
    floor_of : str or None
        Column naming, for each row, the places its size floors are taken
        among ("the UK's 361 local authorities", "Scotland's 32 council
        areas"), said in the reasons; without it they say "places of its level".
    compare_with : str or None
        Column giving, for each row, what its relative growth was measured
        against (``"nation"`` or ``"uk"``), said in its reason: a region
        that is a nation (Scotland among the regions) is compared with the
        UK, not with itself. Without it every row uses the rules'.

    Attributes
    ----------
    labels_ : pandas.Series of str
        The class of each row (``""`` when none), aligned with the input.
    is_cluster_ : pandas.Series of bool
        Established or emerging.
    reasons_ : pandas.Series of str
        Why each row got its class, in words with its numbers.
    thresholds_ : pandas.DataFrame
        The size floors used, one row per group.
    counts_ : dict
        Rows per class.
    n_clusters_ : int
        Established plus emerging rows.

    Examples
    --------
    >>> t = pd.DataFrame({"cagr": [-0.03, 0.01, 0.05, 0.004], "relative_cagr_pp": [-3.4, 0.6, 4.6, 0.0],
    ...                   "start_value": [200, 900, 300, 100], "end_value": [150, 1000, 490, 104],
    ...                   "lq": [0.8, 1.3, 0.9, 0.7]})
    >>> TrajectoryClasses().fit_predict(t).tolist()
    ['declining', 'established', 'emerging', 'stable']
    """

    def __init__(
        self,
        *,
        rules: str | Path | Mapping[str, Any] | None = None,
        cagr: str = "cagr",
        relative: str = "relative_cagr_pp",
        start: str = "start_value",
        end: str = "end_value",
        lq: str | None = "lq",
        by: Sequence[str] | None = None,
        floor_of: str | None = None,
        compare_with: str | None = None,
    ) -> None:
        self.rules = rules
        self.cagr = cagr
        self.relative = relative
        self.start = start
        self.end = end
        self.lq = lq
        self.by = by
        self.floor_of = floor_of
        self.compare_with = compare_with

    def fit(self, table: pd.DataFrame, /) -> Self:
        """Classify every row of ``table``."""
        owner = f"{type(self).__name__}.fit()"
        r = load_trajectory_rules(self.rules)
        by = list(self.by or [])
        lq_col = self.lq if self.lq is not None and self.lq in table.columns else None
        among_col = [self.floor_of] if self.floor_of else []
        ref_col = [self.compare_with] if self.compare_with else []
        check_columns(table, [self.cagr, self.relative, self.start, self.end, *by, *among_col, *ref_col],
                      caller=owner)
        check_not_empty(table, caller=owner)
        num = {c: pd.to_numeric(table[c], errors="coerce").astype(float)
               for c in (self.cagr, self.relative, self.start, self.end)}
        cagr, rel, start, end = num[self.cagr], num[self.relative], num[self.start], num[self.end]
        lq = (pd.to_numeric(table[lq_col], errors="coerce").astype(float) if lq_col
              else pd.Series(np.nan, index=table.index))
        keys: Any = [table[c] for c in by] if by else np.zeros(len(table), dtype=int)

        def q(s: pd.Series, level: float) -> pd.Series:
            return s.groupby(keys).transform(lambda x: x.quantile(level))

        size_floor = q(end, r.established_min_size_quantile)
        size_floor_no_lq = q(end, r.established_without_lq_min_size_quantile)
        base_floor = q(start, r.emerging_min_base_quantile)
        has_growth = cagr.notna() & rel.notna()
        rule = {
            "declining": has_growth & cagr.le(r.declining_max_cagr) & rel.le(r.declining_max_relative_pp),
            "established": has_growth & (
                (lq.notna() & lq.ge(r.established_min_lq) & end.ge(size_floor))
                | (lq.isna() & end.ge(size_floor_no_lq))
            ),
            "emerging": has_growth & rel.ge(r.emerging_min_relative_pp) & start.ge(base_floor),
            "stable": has_growth,
        }
        labels = pd.Series("", index=table.index, dtype=object)
        for name in reversed(r.precedence):
            labels = labels.mask(rule[name], name)
        self.labels_ = labels.astype(str).rename("trajectory")
        self.is_cluster_ = self.labels_.isin(["established", "emerging"]).rename("cluster")
        refs = table[self.compare_with].astype(str).unique() if self.compare_with else []
        bad = sorted(set(refs) - {"nation", "uk"})
        if bad:
            raise ParameterError(f"{owner}: column {self.compare_with!r} must hold 'nation' or 'uk'; got {bad}.")
        rules_of = {c: (r if c == r.compare_with else replace(r, compare_with=c)) for c in refs}
        self.reasons_ = pd.Series(
            [_reason(c, a, b, s, e, x, rules_of.get(ref, r), bf, sf, among)
             for c, a, b, s, e, x, bf, sf, among, ref in
             zip(self.labels_, cagr, rel, start, end, lq, base_floor, size_floor,
                 table[self.floor_of].astype(str) if self.floor_of else [PLACES_OF_LEVEL] * len(table),
                 table[self.compare_with].astype(str) if self.compare_with else [r.compare_with] * len(table),
                 strict=True)],
            index=table.index, name="reason", dtype=object,
        )
        grp = pd.DataFrame({"size_floor": size_floor, "size_floor_without_lq": size_floor_no_lq,
                            "base_floor": base_floor})
        if by:
            grp = pd.concat([table[by], grp], axis=1).drop_duplicates(by)
        self.thresholds_ = grp.drop_duplicates().reset_index(drop=True)
        self.counts_ = {c: int((self.labels_ == c).sum()) for c in TRAJECTORY_CLASSES}
        self.n_clusters_ = int(self.is_cluster_.sum())
        return self


def _reason(cls: str, cagr: float, rel: float, start: float, end: float, lq: float,
            r: TrajectoryRules, base_floor: float = np.nan, size_floor: float = np.nan,
            among: str = PLACES_OF_LEVEL) -> str:
    """The class in words, and for a ``stable`` place that meets a rule's growth or LQ test, the floor it missed.

    >>> rules = load_trajectory_rules()
    >>> _reason("stable", 0.033, 2.8, 145, 200, 0.47, rules, base_floor=190.0, size_floor=400.0)
    'stable: CAGR +3.3% a year, +2.8 points against its nation; 145 → 200 enterprises, LQ 0.47; not emerging: its base
    of 145 is below the floor of 190 enterprises (the bottom quartile of places of its level)'
    >>> _reason("stable", 0.049, 1.3, 140, 225, 0.44, rules, base_floor=100.0).split("; ")[-1]
    'not emerging: it grew +1.3 points a year against its nation, under the 1.5 points the rule asks'
    >>> _reason("stable", 0.004, 0.03, 100, 104, 0.9, rules)[:62]
    'stable: CAGR +0.4% a year, level with its nation (within 0.05 '
    """
    if not cls:
        return "no class: no growth figure over the window (too short a history or a zero base)"
    vs = (f"level with {r.reference} (within 0.05 points)" if abs(rel) < 0.05 else  # never "+0.0 points"
          f"{fmt_signed(rel, digits_beside(rel, r.emerging_min_relative_pp))} points against {r.reference}")
    g = f"CAGR {fmt_signed(100 * cagr, 1, '%')} a year, {vs}"
    # an LQ just under the established rule's bar is printed so ("LQ 0.998", never "LQ 1.00")
    lq_text = f", LQ {lq:.{digits_beside(lq, r.established_min_lq, 2)}f}" if np.isfinite(lq) else ", no LQ"
    why = ""
    if cls == "stable" and np.isfinite(lq) and lq >= r.established_min_lq and end < size_floor:
        why = (f"; not established: {end:,.0f} enterprises is below {_floor(size_floor)} "
               f"({_floor_words(r.established_min_size_quantile, among)})")
    elif cls == "stable" and np.isfinite(lq) and lq < r.established_min_lq and end >= size_floor:
        # large enough, missed on specialisation alone (Cardiff 2018: LQ 0.998)
        why = (f"; not established: its LQ of {lq:.{digits_beside(lq, r.established_min_lq, 2)}f} is under the "
               f"{r.established_min_lq:g} the rule asks")
    if cls in ("stable", "established") and rel > 0:  # growing faster than the nation: why it is not emerging
        why += "; " + not_emerging_reason(cls, rel, start, r, base_floor, among)
    if cls == "established" and cagr < 0:
        why = ("; established on its size and specialisation, although its count fell over the window (the class "
               "does not test growth)")
    return f"{cls}: {g}; {start:,.0f} → {end:,.0f} enterprises{lq_text}{why}"


#: The clause of a class's reason (:func:`_reason`) that says why a place growing faster than its nation is not
#: ``emerging``; a report quotes it (``NOT_EMERGING.search(reason)``) rather than say the reason again.
NOT_EMERGING = re.compile(r"not emerging: ([^;]+)")


def not_emerging_reason(cls: str, rel: float, start: float, r: TrajectoryRules, base_floor: float = np.nan,
                        among: str = PLACES_OF_LEVEL) -> str:
    """Why a place of class ``cls`` that grew ``rel`` points a year faster than its nation is not ``emerging``:
    the growth under the rule's lead, the base under its floor, or, for a class tested before ``emerging``
    (``established``), that order.

    >>> rules = load_trajectory_rules()
    >>> not_emerging_reason("established", 3.7, 280, rules, base_floor=225.0)
    'not emerging: it meets the emerging rule too, but the rules test established first'
    >>> not_emerging_reason("stable", 1.8, 45, rules, base_floor=122.5, among="Scotland's 32 council areas")[14:]
    "its base of 45 is below the floor of 122.5 enterprises (the bottom quartile of Scotland's 32 council areas)"
    >>> not_emerging_reason("stable", 2.8, 145, rules, base_floor=225.0)
    'not emerging: its base of 145 is below the floor of 225 enterprises (the bottom quartile of places of its level)'
    """
    if rel < r.emerging_min_relative_pp:
        why = (f"it grew {fmt_signed(rel, digits_beside(rel, r.emerging_min_relative_pp))} points a year against "
               f"{r.reference}, under the {r.emerging_min_relative_pp:g} points the rule asks")
    elif not start >= base_floor:
        why = (f"its base of {start:,.0f} is below the floor of {_floor(base_floor)} enterprises "
               f"({_floor_words(r.emerging_min_base_quantile, among)})")
    else:
        why = f"it meets the emerging rule too, but the rules test {cls} first"
    first = cls in r.precedence and "emerging" in r.precedence and (
        r.precedence.index(cls) < r.precedence.index("emerging"))
    if first and not why.startswith("it meets"):
        why = f"the rules test {cls} first (and {why})"
    return f"not emerging: {why}"
