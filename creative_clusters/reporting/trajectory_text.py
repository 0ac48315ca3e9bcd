"""Plain-text rendering of a place's trajectory (:class:`~creative_clusters.workflows.trajectory.PlaceTrajectory`).

Rendering only: every number comes from the workflow's typed result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creative_clusters.indicators.lq_over_time import NEAR_ONE
from creative_clusters.reporting.formatting import joint_ordinal

if TYPE_CHECKING:  # the type only: reporting renders results and never imports workflows at run time
    from creative_clusters.workflows.trajectory import PlaceTrajectory

__all__ = ["near_one_touches", "trajectory_lines"]


def _n(v: float | None, fmt: str = "{:,.0f}") -> str:
    return "–" if v is None else fmt.format(v)


def _rank(r: int | None, n: int | None, tied: int = 0) -> str:
    """A rank as "5th of 296", or "joint 5th of 296" when ``tied`` other places share it (the same count).

    Tied and untied ranks read alike ("62nd → joint 52nd", not "62 → joint 52nd").

    >>> _rank(5, 296), _rank(5, 296, tied=2), _rank(5, None, tied=1), _rank(None, 296), _rank(2, None)
    ('5th of 296', 'joint 5th of 296', 'joint 5th', '–', '2nd')
    """
    if r is None:
        return "–"
    return joint_ordinal(r, tied) + (f" of {n}" if n else "")


def _rank_move(change: int) -> str:
    """A change of rank in words: a smaller rank number is a rise.

    ``change`` is the start rank minus the end rank (positive: the place climbed).

    >>> _rank_move(10), _rank_move(-1), _rank_move(0)
    ('up 10', 'down 1', 'unchanged')
    """
    return f"up {change}" if change > 0 else f"down {-change}" if change < 0 else "unchanged"


def near_one_touches(t: PlaceTrajectory) -> list[str]:
    """Years of the moves to or from 1.00 that ``lq_crossings`` set aside as ``near-one``, worth a word only
    when the series has years clearly on both sides of 1 (beyond its ``NEAR_ONE`` band): a series that never
    leaves one side has no change of side to rule out.

    >>> from types import SimpleNamespace as N
    >>> ys = lambda *v: [N(lq=x) for x in v]
    >>> near_one_touches(N(series=ys(1.03, 0.998, 1.01), lq_crossings_set_aside=(("2018", "near-one", 1.03, 0.998),)))
    []
    >>> near_one_touches(N(series=ys(0.9, 0.998, 1.05), lq_crossings_set_aside=(("2018", "near-one", 0.9, 0.998),)))
    ['2018']
    """
    lqs = [y.lq for y in t.series if y.lq is not None]
    if not (any(v > 1 + NEAR_ONE for v in lqs) and any(v < 1 - NEAR_ONE for v in lqs)):
        return []
    return list(dict.fromkeys(p for p, why, _a, _b in t.lq_crossings_set_aside if why == "near-one"))


def trajectory_lines(t: PlaceTrajectory) -> list[str]:
    """The trajectory section of ``profile``: series table, growth windows, ranks, LQ, class, notes."""
    first, last = t.series[0], t.series[-1]
    nation = t.nation_name if t.level not in ("ctry", "uk") else "UK"
    lines = [
        f"Creative enterprises {first.period}–{last.period}",
        "-" * 20,
        f"{last.period}: {_n(last.value)} creative enterprises  [{t.source.id}, {last.period}]",
    ]
    # a level whose places all lie in one nation (combined authorities: England) has one ranking, not two
    one_base = t.rank_base == nation or (bool(t.windows) and t.windows[0].n_nation == t.windows[0].n_uk)
    if t.level not in ("custom",) and last.rank_uk is not None:
        within = (f"; {_rank(last.rank_nation, t.windows[0].n_nation if t.windows else None, last.tied_nation)} "
                  f"in {nation}") if t.level not in ("ctry", "uk") and not one_base else ""
        lines.append("  rank by size among places of its level: "
                     f"{_rank(last.rank_uk, t.windows[0].n_uk, last.tied_uk)} in {t.rank_base}" + within)
    if len(t.members) > 1:
        shown = ", ".join(t.member_names[:12]) + (" …" if len(t.members) > 12 else "")
        lines.append(f"  sum of {len(t.members)} member LADs: {shown}")
    rank_head = f"rank in {nation}"
    width = max(len(rank_head), 8)
    lines.append(f"  {'year':>6} {'enterprises':>12} {rank_head:>{width}} {'LQ':>6}  flags")
    uk_col = t.level in ("ctry", "uk")  # a nation's column ranks it among the UK's nations, not within itself
    for y in t.series:
        flags = ", ".join(f for f in y.flags if f != "rounded")
        rank = _rank(y.rank_uk, None, y.tied_uk) if uk_col else _rank(y.rank_nation, None, y.tied_nation)
        lines.append(f"  {y.period:>6} {_n(y.value):>12} {rank:>{width}} "
                     f"{_n(y.lq, '{:.2f}'):>6}  {flags}")
    lq_years = [y.period for y in t.series if y.lq is not None]
    lq_span = f" ({lq_years[0]}–{lq_years[-1]})" if len(lq_years) > 1 else f" ({lq_years[0]})" if lq_years else ""
    lines.append(f"  values rounded to 5 by ONS; LQ = creative / active enterprises against the UK{lq_span}")
    lines += ["", "Growth"]
    for w in t.windows:
        lines.append(f"  {w.sentence}")
        if w.rank_nation_change is not None and t.level not in ("ctry", "uk"):
            uk = ("" if one_base or w.rank_uk_change is None else
                  f"; in {t.rank_base} {_rank(w.rank_uk_start, None, w.tied_uk_start)} → "
                  f"{_rank(w.rank_uk_end, None, w.tied_uk_end)} ({_rank_move(w.rank_uk_change)})")
            lines.append(f"    rank in {nation} {_rank(w.rank_nation_start, None, w.tied_nation_start)} → "
                         f"{_rank(w.rank_nation_end, None, w.tied_nation_end)} "
                         f"({_rank_move(w.rank_nation_change)}){uk}")
        if "outlier" in w.flags:
            lines.append("    (starts or ends in a year whose value is flagged as an outlier)")
    if t.trajectory:
        growth = f", growth {t.trajectory_window}" if t.trajectory_window else ""
        lines += ["", f"Trajectory ({t.trajectory_year}): {t.trajectory}{growth}", f"  {t.trajectory_reason}"]
    elif t.trajectory_reason.startswith("no class: its "):  # withheld on a flagged count: say so
        lines += ["", f"Trajectory ({t.trajectory_year}): {t.trajectory_reason}"]
    if t.lq_crossings:
        lines.append("LQ crossed 1 in: " + ", ".join(f"{p} ({a:.2f} → {b:.2f})" for p, _d, a, b in t.lq_crossings))
    near = near_one_touches(t)  # only when the series is clearly on both sides of 1 at some point
    odd = [p for p, why, _a, _b in t.lq_crossings_set_aside if why == "outlier"]
    if near:
        lines.append(f"LQ moved to or from 1.00 in {', '.join(near)}: within 0.005 of 1, not a change of side")
    if odd:
        lines.append(f"LQ moved across 1 in {', '.join(odd)} into or out of a year flagged as an outlier: "
                     "not read as a change")
    if t.notes:
        lines += ["Notes:"] + [f"  - {n}" for n in dict.fromkeys(t.notes)]
    return lines
