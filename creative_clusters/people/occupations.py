"""Creative occupations from SOC 2020 minor groups (3-digit), and self-employment.

Census 2021 occupation tables below national level are often published only at
SOC 2020 *minor group* (3 digits), while the DCMS creative-occupation list is
31 *unit groups* (4 digits, :data:`creative_clusters.classifications.soc.DCMS_CO_SOC2020`).
A minor group is used here when it contains **any** creative unit group.

Minor groups fall in two kinds:

``whole``
    every unit group in the minor group is creative (SOC 2020 structure):
    214 web and multimedia design professionals (2141, 2142), 247 librarians
    and related professionals (2471, 2472), 249 media professionals
    (2491-2494), 341 artistic, literary and media occupations (3411-3417),
    342 design occupations (3421, 3422, 3429). Counting these is exact.
``partial``
    the minor group also holds non-creative unit groups, so counting it
    **over-counts**: 113 functional managers and directors (only 1132, 1133,
    1137 creative; finance, HR, purchasing directors are not), 125 managers and
    proprietors in other services (only 1255), 213 IT professionals (2133,
    2134; not IT managers, cyber security, testing, network professionals),
    245 architects, planners and surveyors (2451, 2452; not surveyors or
    construction project managers), 355 sales and marketing associate
    professionals (3554 only), 531 construction and building trades (5312
    stonemasons only: a large over-count), 544 other skilled trades (5441,
    5442, 5449; not florists).

:func:`creative_occupation_bounds` therefore returns a **lower bound** (whole
groups only: every person counted is creative, creative people in partial
groups are missed) and an **upper bound** (all groups holding a creative unit
group: every creative person is counted, plus non-creative people in partial
groups). The DCMS count lies between them.

Examples
--------
>>> sorted(creative_minor_groups())[:3]
['113', '125', '213']
"""

from __future__ import annotations

import re

import pandas as pd

from creative_clusters.classifications.soc import DCMS_CO_SOC2020, SOC2020_MINOR, SOC2020_VERSION
from creative_clusters.errors import SchemaError, UnknownCodeError

__all__ = [
    "SELF_EMPLOYED_KINDS",
    "WHOLE_MINOR_GROUPS",
    "check_soc2020_codes",
    "creative_minor_groups",
    "creative_occupation_bounds",
    "minor_group_table",
    "self_employment",
]

#: Minor groups whose unit groups are all DCMS creative occupations (SOC 2020).
WHOLE_MINOR_GROUPS: frozenset[str] = frozenset({"214", "247", "249", "341", "342"})

#: Self-employment kinds in Census 2021 economic-activity status codes.
SELF_EMPLOYED_KINDS: tuple[str, ...] = (
    "self_employed_with_employees",
    "self_employed_without_employees",
)


def creative_minor_groups() -> dict[str, list[str]]:
    """SOC 2020 minor group → the creative unit groups it contains.

    Examples
    --------
    >>> creative_minor_groups()["341"]
    ['3411', '3412', '3413', '3414', '3415', '3416', '3417']
    """
    out: dict[str, list[str]] = {}
    for codes in DCMS_CO_SOC2020.values():
        for c in codes:
            out.setdefault(c[:3], []).append(c)
    return {k: sorted(v) for k, v in sorted(out.items())}


def minor_group_table() -> pd.DataFrame:
    """One row per creative minor group: ``minor_group``, ``creative_units``, ``coverage``, ``risk``.

    ``coverage`` is ``whole`` or ``partial`` (see the module notes); ``risk``
    says what counting the group does to the creative total.

    Examples
    --------
    >>> t = minor_group_table()
    >>> t.loc[t["minor_group"] == "531", "coverage"].item()
    'partial'
    """
    rows = []
    for g, units in creative_minor_groups().items():
        whole = g in WHOLE_MINOR_GROUPS
        rows.append(
            {
                "minor_group": g,
                "creative_units": ",".join(units),
                "coverage": "whole" if whole else "partial",
                "risk": "exact" if whole else "over-counts: holds non-creative unit groups",
            }
        )
    return pd.DataFrame(rows)


def check_soc2020_codes(codes: pd.Series, *, level: str = "minor") -> None:
    """Raise :class:`UnknownCodeError` for codes that are not SOC 2020 groups of ``level``.

    ``level`` is ``"minor"`` (3 digits, one of the 104 SOC 2020 minor groups)
    or ``"unit"`` (4 digits whose first three are a SOC 2020 minor group).
    ``"_T"`` (total) is allowed.

    Examples
    --------
    >>> check_soc2020_codes(pd.Series(["341", "_T"]))
    >>> check_soc2020_codes(pd.Series(["999"]))
    Traceback (most recent call last):
    ...
    creative_clusters.errors.UnknownCodeError: ...
    """
    width = {"minor": 3, "unit": 4}.get(level)
    if width is None:
        raise SchemaError(f"level must be 'minor' or 'unit', got {level!r}.")
    s = codes.astype(str)
    s = s[s != "_T"]
    ok = s.str.fullmatch(rf"\d{{{width}}}") & s.str[:3].isin(set(SOC2020_MINOR))
    if not ok.all():
        bad = sorted(set(s[~ok]))[:5]
        raise UnknownCodeError(
            f"{int((~ok).sum())} occupation code(s) are not SOC 2020 {level} groups, e.g. {bad}; "
            f"expected {width}-digit SOC 2020 codes whose minor group is one of the 104 SOC 2020 "
            "minor groups (SOC 2010 codes such as '2136' or '5211' are a different classification: "
            "recode to SOC 2020 first)."
        )


def creative_occupation_bounds(
    minor: pd.DataFrame,
    /,
    *,
    geo: str = "geo_code",
    occupation: str = "occupation_code",
    value: str = "value",
) -> pd.DataFrame:
    """Lower/upper bounds of DCMS creative-occupation workers from minor groups.

    Parameters
    ----------
    minor : DataFrame
        Workers by place × SOC 2020 minor group (3-digit codes; ``_T`` rows,
        if any, give the all-occupation total).

    Returns
    -------
    DataFrame
        ``geo_code``, ``lower`` (whole groups), ``upper`` (all groups with a
        creative unit group), ``total`` (sum of minor groups, or ``_T``),
        ``lower_pct``, ``upper_pct``, ``definition``.

    Raises
    ------
    UnknownCodeError
        For codes that are not SOC 2020 minor groups.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 3, "occupation_code": ["341", "213", "111"],
    ...                   "value": [10.0, 50.0, 40.0]})
    >>> creative_occupation_bounds(t)[["lower", "upper", "total"]].values.tolist()
    [[10.0, 60.0, 100.0]]
    """
    for col in (geo, occupation, value):
        if col not in minor.columns:
            raise SchemaError(
                f"creative_occupation_bounds() needs column {col!r}; the table has {list(minor.columns)}."
            )
    codes = minor[occupation].astype(str)
    check_soc2020_codes(codes, level="minor")
    groups = set(creative_minor_groups())
    t = pd.DataFrame({"g": minor[geo].astype(str), "c": codes, "v": minor[value].astype(float)})
    body = t[t["c"] != "_T"]
    tot_rows = t[t["c"] == "_T"].groupby("g")["v"].sum()
    out = pd.DataFrame(
        {
            "lower": body[body["c"].isin(WHOLE_MINOR_GROUPS)].groupby("g")["v"].sum(),
            "upper": body[body["c"].isin(groups)].groupby("g")["v"].sum(),
            "total": body.groupby("g")["v"].sum(),
        }
    ).fillna({"lower": 0.0, "upper": 0.0})
    out.loc[tot_rows.index, "total"] = tot_rows
    out["lower_pct"] = 100 * out["lower"] / out["total"]
    out["upper_pct"] = 100 * out["upper"] / out["total"]
    out["definition"] = SOC2020_VERSION
    return out.rename_axis("geo_code").reset_index()


_SE = re.compile(r"^(student_)?in_employment_(employee|self_employed_with_employees|self_employed_without_employees)_")


def self_employment(
    activity: pd.DataFrame, /, *, geo: str = "geo_code", status: str = "status", value: str = "value"
) -> pd.DataFrame:
    """Self-employed residents (with / without employees) from Census economic activity.

    Sums the full- and part-time rows and the economically active full-time
    students in employment (``student_in_employment_*``), as the Census
    "in employment" total does.

    Returns
    -------
    DataFrame
        ``geo_code``, ``employees``, ``self_employed_with_employees``,
        ``self_employed_without_employees``, ``self_employed``,
        ``in_employment``, ``self_employed_pct``.

    Examples
    --------
    >>> t = pd.DataFrame({"geo_code": ["A"] * 4, "status": [
    ...     "in_employment_employee_full_time", "in_employment_self_employed_with_employees_full_time",
    ...     "student_in_employment_self_employed_without_employees_part_time", "unemployed"],
    ...     "value": [80.0, 5.0, 15.0, 9.0]})
    >>> self_employment(t)[["self_employed", "in_employment", "self_employed_pct"]].values.tolist()
    [[20.0, 100.0, 20.0]]
    """
    for col in (geo, status, value):
        if col not in activity.columns:
            raise SchemaError(
                f"self_employment() needs column {col!r}; the table has {list(activity.columns)}."
            )
    kind = activity[status].astype(str).str.extract(_SE, expand=True)[1]
    t = pd.DataFrame({"g": activity[geo].astype(str), "k": kind, "v": activity[value].astype(float)})
    t = t.dropna(subset=["k"])
    if t.empty:
        raise SchemaError(
            "self_employment() found no 'in_employment_<kind>_<hours>' statuses; expected the Census "
            "2021 economic-activity table (dataset census2021_gm, measure residents_16_plus)."
        )
    w = t.pivot_table(index="g", columns="k", values="v", aggfunc="sum", fill_value=0.0)
    for k in ("employee", *SELF_EMPLOYED_KINDS):
        if k not in w.columns:
            w[k] = 0.0
    out = pd.DataFrame(
        {
            "employees": w["employee"],
            "self_employed_with_employees": w["self_employed_with_employees"],
            "self_employed_without_employees": w["self_employed_without_employees"],
        }
    )
    out["self_employed"] = out["self_employed_with_employees"] + out["self_employed_without_employees"]
    out["in_employment"] = out["employees"] + out["self_employed"]
    out["self_employed_pct"] = 100 * out["self_employed"] / out["in_employment"]
    return out.rename_axis("geo_code").reset_index()
