"""An area's own ad-hoc creative profile in the pack (section 3): a table by year and one sentence.

Some areas commissioned ONS analyses of their creative industries (West Yorkshire, 2018–2023: enterprises,
employment, employees and turnover from the business register). Where the warehouse holds one for the
place (kind ``area_creative_profile``), the pack shows it beside the national series, and the benchmark's
creative-employment gap points to it (it is not ranked: no other place has the same analysis).
The numbers come from :func:`creative_clusters.workflows.evidence_stats.area_profile`.
"""

from __future__ import annotations

from typing import Any

from creative_clusters.reporting._model import EvidenceInputs, _table, source_label
from creative_clusters.reporting.formatting import fmt_int, fmt_num, join_and
from creative_clusters.reporting.pack_types import Table

__all__ = ["profile_block"]

_COLUMNS = {"enterprises": ("Enterprises", "int"), "employment": ("Employment", "int"),
            "employees": ("Employees", "int"), "turnover_gbp_m": ("Turnover (£ million)", "int")}


def profile_block(inp: EvidenceInputs) -> tuple[list[str], list[Table], list[str]]:
    """``(sentences, tables, dataset ids)`` for the place's ad-hoc profile; empty without one."""
    t = inp.area_profile
    if t is None or t.empty:
        return [], [], []
    dataset = str(t.attrs.get("dataset", ""))
    change: dict[str, float] = t.attrs.get("change_pct", {})
    first, last = str(t.index[0]), str(t.index[-1])
    end = t.iloc[-1]
    parts = []
    if "enterprises" in t.columns:
        parts.append(f"{fmt_int(end['enterprises'])} creative enterprises")
    if "employment" in t.columns:
        parts.append(f"{fmt_int(end['employment'])} in employment")
    if "turnover_gbp_m" in t.columns:
        parts.append(f"£{fmt_int(end['turnover_gbp_m'])} million of turnover")
    moves = [f"{_words(m)} {_change(change[m])}" for m in ("employment", "enterprises", "turnover_gbp_m")
             if m in change]
    label = source_label(inp.sources, dataset)
    sentence = (f"An ONS analysis made for {inp.place.name} ({label}) counts {join_and(parts)} in its creative "
                f"industries in {last}" + (f"; since {first}, {join_and(moves)}" if moves else "") + ".")
    rows: list[list[Any]] = [[p, *[r[c] for c in t.columns]] for p, r in t.iterrows()]
    table = _table(f"Creative industries in {inp.place.name}, {first}–{last} ({label})",
                   ["Year", *[_COLUMNS.get(c, (c, "int"))[0] for c in t.columns]], rows,
                   ["text", *[_COLUMNS.get(c, (c, "int"))[1] for c in t.columns]],
                   ["The business register (IDBR) as at March: enterprises registered for VAT or PAYE, counts "
                    "rounded by ONS; employment = employees plus working proprietors. The place's own analysis, "
                    "not ranked against other places (none has the same one)."])
    table["sources"] = [dataset]
    return [sentence], [table], [dataset]


def _words(measure: str) -> str:
    return {"employment": "employment", "enterprises": "the number of enterprises",
            "turnover_gbp_m": "turnover (in current prices)"}.get(measure, measure)


def _change(pct: float) -> str:
    return f"rose by {fmt_num(pct, 1)}%" if pct >= 0 else f"fell by {fmt_num(-pct, 1)}%"
