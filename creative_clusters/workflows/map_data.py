"""One value per place for the web map and its table view.

Built on :func:`creative_clusters.workflows.detection.place_table` (counts summed
from LADs to larger areas, LQs on the summed counts) and
:func:`~creative_clusters.workflows.detection.run_method` (threshold clusters,
Gi*/LISA hotspots). Nothing is computed here that the library does not do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.errors import ParameterError
from creative_clusters.warehouse import Warehouse
from creative_clusters.workflows._notes import with_notes
from creative_clusters.workflows.business_counts import business_source_line, subsector_note, ttwa_note
from creative_clusters.workflows.cluster_maps import CLUSTER_FLAG
from creative_clusters.workflows.detection import (
    DEFAULT_MIN_SIZE,
    hotspot_method_words,
    island_caveat,
    place_table,
    run_method,
)
from creative_clusters.workflows.placestats import level_table, published_zero_lq_note

__all__ = ["MEASURE_LEVELS", "map_indicator"]

#: Measures computed at some levels only: the levels, and why not at the others (for error messages and
#: for front ends that offer measures by level).
MEASURE_LEVELS: dict[str, tuple[tuple[str, ...], str]] = {
    "hotspot_class": (("lad", "ttwa"), "Hotspot classes are computed for local authorities and travel-to-work "
                      "areas only: the neighbour weights need areas of similar size."),
}

MIXED = ("LQ and share divide creative enterprises (UK Business Counts, March snapshot) by active "
         "enterprises of all industries (Business Demography, any activity in the year): different sources "
         "and dates.")

#: Headline statistics carried beside the mapped value (the same numbers as the profile, pack and API).
HEADLINE = ("businesses", "share_of_national", "creative_share_of_active", "business_lq", "lq_lower",
            "lq_upper", "rank_businesses", "rank_business_lq", "n_places", "creative_resident_share")


def map_indicator(
    wh: Warehouse, *, level: str, subsector: str, measure: str, seed: int = 0,
    min_size: float | str = DEFAULT_MIN_SIZE, year: int | str | None = None,
) -> tuple[pd.DataFrame, str, list[str]]:
    """Return ``(table, source, caveats)``; table has geo_code, geo_name, value, flag.

    ``business_lq`` also has ``note``: why a place has no LQ (a published 0,
    :func:`~creative_clusters.workflows.placestats.published_zero_lq_note`, as the
    profile says), else None; such a place's value is missing, never 0.

    The detection measures (``cluster_label``, ``hotspot_class``) also have
    ``outlined``: the detector's own flag (:data:`~creative_clusters.workflows.cluster_maps.CLUSTER_FLAG`;
    hot spots: Gi* hot or local Moran HH), the places every map outlines as clusters.

    ``level`` is ``lad``, ``cauth``, ``rgn`` or ``ttwa`` (2011 TTWAs built from
    whole LADs, see :func:`~creative_clusters.geography.membership.lad_ttwa_assignment`).
    ``min_size`` is the threshold rule's size floor for ``cluster_label``
    (default: bottom quartile of the places, as in the CLI). ``year`` is the year of the
    creative business counts (default: the library's default; see
    :func:`creative_clusters.workflows.periods.business_count_years`).
    """
    sub = None if subsector == "all" else subsector
    table, meta = place_table(wh, level=level, subsector=sub, year=year)
    stats, smeta = level_table(wh, level=level, subsector=sub, year=year)
    caveats = [*smeta["numerator"].caveats[:1], "enterprises control-rounded to 5; small counts are uncertain",
               *smeta["notes"]]
    if level == "ttwa":
        caveats.append(ttwa_note(wh, year=year))
    elif level != "lad":
        caveats.append("counts summed over member LADs (2023 boundaries)")
    note = subsector_note(sub)
    if note:
        caveats.append(note)
    flag = np.where(table["small_count"], "small count", table["disclosure_flag"])
    source = meta["source"]
    if measure == "business_count":
        value = table["businesses"]
        # a plain count: its own dataset only, no active-enterprise denominator
        source = business_source_line(wh, year=year, level=level, denominator=False)
    elif measure == "business_lq":
        value = table["business_lq"]
        caveats.append(MIXED)
    elif measure == "business_share":
        value = 100 * table["geo_code"].map(stats.set_index("geo_code")["creative_share_of_active"])
        caveats.append(MIXED)
    elif measure in ("cluster_label", "hotspot_class"):
        if measure in MEASURE_LEVELS and level not in MEASURE_LEVELS[measure][0]:
            raise ParameterError(f"{MEASURE_LEVELS[measure][1]} Choose one of those levels, or another measure.")
        method = "threshold" if measure == "cluster_label" else "hotspot"
        (res, det), notes = with_notes(run_method, wh, table, meta, method=method, seed=seed, min_size=min_size)
        caveats.extend(notes)
        if method == "threshold":
            value = res["cluster"].map({True: "cluster", False: "not a cluster"})
        else:
            value = res["lisa_quadrant"].where(res["lisa_quadrant"] != "ns", "not significant")
        table = res
        if method == "hotspot":  # the classes mapped are local Moran's I quadrants: say that, in words
            words = hotspot_method_words(meta["lq"], seed=seed, statistic="lisa")
            caveats.append(words[0].upper() + words[1:])
            island = island_caveat(res, getattr(det, "islands_", []))
            if island:
                caveats.append(island)
        else:
            caveats.append(str(res["method"].iloc[0]))
        flag = np.where(res["small_count"], "small count", res["disclosure_flag"])
    else:
        raise ParameterError(f"unknown measure {measure!r}")
    out = pd.DataFrame({
        "geo_code": table["geo_code"].astype(str),
        "geo_name": table["geo_name"].astype(str),
        "value": value.to_numpy() if hasattr(value, "to_numpy") else value,
        "flag": flag,
    })
    if CLUSTER_FLAG in table.columns:  # the places the detector flags, outlined on the maps (cluster_maps.CLUSTER_FLAG)
        out["outlined"] = table[CLUSTER_FLAG].fillna(False).astype(bool).to_numpy()
    out = out.merge(stats[["geo_code", *HEADLINE]], on="geo_code", how="left")
    if measure == "business_lq":
        # a published 0 has no LQ (0 to 2 enterprises), only its upper bound: the profile's rule and words
        out["note"] = [published_zero_lq_note(n, hi) for n, hi in zip(out["businesses"], out["lq_upper"], strict=True)]
        out["value"] = out["value"].where(out["note"].isna())
    return out.reset_index(drop=True), source, list(dict.fromkeys(caveats))
