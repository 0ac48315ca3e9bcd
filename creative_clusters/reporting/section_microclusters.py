"""Section 6 of the evidence pack: the place's microclusters (with the run they come from and their map)
and its anchor institutions, higher-education providers and museums (pure)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import firm_words, fmt_year_range, microcluster_run_words
from creative_clusters.people.anchors import open_museums
from creative_clusters.reporting._model import (
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    latest_source,
)
from creative_clusters.reporting._national import full_size
from creative_clusters.reporting.formatting import fmt_int, join_and
from creative_clusters.reporting.pack_types import Section, Table
from creative_clusters.reporting.sentences_clusters import microclusters_sentence
from creative_clusters.reporting.sentences_people import (
    anchors_sentence,
)

__all__ = [
    "BOUNDARY_SOURCE",
    "HUB_DOMINATED_SHARE",
    "MUSEUM_ROWS",
    "YEAR_RANGE_NOTE",
    "microcluster_map_source",
    "microclusters_section",
]


def _pick_cols(df: pd.DataFrame, wanted: list[str]) -> list[str]:
    return [c for c in wanted if c in df.columns]


#: Readable labels and formats for microcluster columns, in display order.
_MC_COLUMNS = (
    ("microcluster_id", "Microcluster", "text"),
    ("n_firms", "Firms", "int"),
    ("national_rank", "Rank in the UK (by firms)", "int"),
    ("dominant_subsector", "Dominant sub-sector", "text"),
    ("dominant_share", "Dominant share (%)", "pct"),
    ("area_km2", "Area (km²)", "num2"),
    ("density_per_km2", "Density (firms/km²)", "int"),
    ("stability", "Stability", "num2"),
    ("in_area_cluster", "Inside an area-level cluster", "text"),
    ("top_postcode_share", "Top postcode share (%)", "pct"),
)
_SMALL_WORDS = {"and", "of", "the", "for", "in", "at", "on", "de", "upon", "under"}


def _title_case(v: Any) -> Any:
    """'UNIVERSITY OF SHEFFIELD' -> 'University of Sheffield' (acronyms of 2-4 letters kept).

    Examples
    --------
    >>> _title_case("THE UNIVERSITY OF THE ARTS, LONDON (UAL)")
    'The University of the Arts, London (UAL)'

    A register's inverted article comes first, as the name is said:

    >>> _title_case("University of Salford, the")
    'The University of Salford'
    """
    if not isinstance(v, str) or not v.strip():
        return v
    head, sep, tail = v.rstrip().rpartition(",")
    if sep and tail.strip().lower() == "the" and head.strip():
        v = "The " + head.strip()
    words = v.split()
    out = []
    for i, w in enumerate(words):
        core = w.strip("(),.&-")
        if w.startswith("(") and core.isupper() and 2 <= len(core) <= 5:
            out.append(w)
        elif i > 0 and core.lower() in _SMALL_WORDS:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def _yes_no(v: Any) -> Any:
    """True/False (or 1/0, "true"/"false") -> "yes"/"no"; missing stays missing."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("true", "1", "yes", "y", "t"):
            return "yes"
        if low in ("false", "0", "no", "n", "f"):
            return "no"
        return v
    return "yes" if bool(v) else "no"


#: a microcluster is "hub-dominated" when at least this share of its firms sit at hub postcodes
HUB_DOMINATED_SHARE = 0.5


def _run_coverage(run: dict[str, Any] | None, members: Sequence[str], *, holds: bool = False) -> tuple[str, bool]:
    """``(coverage, national)`` of the place under the run's firm file: ``"covered"`` when the file covers
    any of its LADs or the place holds one of the run's microclusters (``holds``: a run with a firm floor
    under the coverage rule's firm count can find one in a LAD it does not count as covered),
    ``"not_covered"``, or ``"unknown"`` without a run record.

    >>> _run_coverage({"coverage_lads": "E1;E2", "scope": "partial"}, ["E2", "E3"])
    ('covered', False)
    >>> _run_coverage({"coverage_lads": "E1", "scope": "national"}, ["E3"])
    ('not_covered', True)
    >>> _run_coverage({"coverage_lads": "E1", "scope": "partial"}, ["E3"], holds=True)
    ('covered', False)
    >>> _run_coverage(None, ["E1"])
    ('unknown', False)
    """
    if run is None:
        return "unknown", False
    covered = {c for c in str(run.get("coverage_lads") or "").split(";") if c}
    return ("covered" if holds or covered & set(members) else "not_covered"), run.get("scope") == "national"


#: run parameters said in words (``{v}`` is the value; ``{points}`` and ``{hubs}`` the run's words,
#: :func:`~creative_clusters._text.firm_words`)
_RUN_PARAMS = {"eps_m": "radius {v} m", "min_firms": "at least {v} {points}",
               "max_extent_km2": "clusters over {v} km² split", "hubs": "{hubs} {v}"}


def _params(run: dict[str, Any] | None) -> dict[str, Any]:
    """The run's stored parameters (its ``params`` JSON); empty without a run or readable parameters."""
    if run is None:
        return {}
    try:
        out = json.loads(str(run.get("params") or "{}"))
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def _run_words(run: dict[str, Any] | None) -> tuple[dict[str, str], bool, int]:
    """``(words, all_creative, hub_min)`` of a run: how it names its points and hubs
    (:func:`~creative_clusters._text.firm_words`), whether every business of its file was taken as creative
    (``--all-creative``), and its hub rule's threshold (``--hub-min-companies``; the default when a run did
    not store it).

    >>> w, every, hub = _run_words({"address_kind": "trading", "params": '{"all_creative": true, '
    ...                             '"hub_min_companies": 50}'})
    >>> w["hubs"], every, hub
    ('shared-postcode hubs', True, 50)
    """
    # imported here: a pack without microclusters never loads the microclusters package (tests/reporting/
    # test_speed_figures.py)
    from creative_clusters.microclusters.hubs import HUB_MIN_COMPANIES

    params = _params(run)
    every = bool(params.get("all_creative", False))
    kind = str((run or {}).get("address_kind") or "registered")
    try:
        hub = int(params.get("hub_min_companies", HUB_MIN_COMPANIES))
    except (TypeError, ValueError):
        hub = HUB_MIN_COMPANIES
    return firm_words(kind, every), every, hub


#: said of a run on a list without industry codes (``--all-creative``)
ALL_CREATIVE_WORDS = ("The firm file {file} has no industry codes, so the run took every business on it as "
                      "creative (--all-creative): these groups are clusters of business premises of all kinds"
                      "{where}, not evidence of creative clustering. Cite them as where businesses are "
                      "concentrated; evidence about creative businesses needs a file with SIC codes (such as "
                      "Companies House's).")


#: the clustering methods of ``microclusters.methods`` in words
_METHOD_WORDS = {"dbscan": "exact DBSCAN", "split": "DBSCAN with over-large clusters split",
                 "hdbscan": "HDBSCAN"}


def _run_sentence(run: dict[str, Any], place: Any) -> str:
    """Where the microclusters come from: firm file, checksum, method and parameters, coverage."""
    params = _params(run)
    names, _, _ = _run_words(run)
    covered = [c for c in str(run.get("coverage_lads") or "").split(";") if c]
    inside = [m for m in place.members if m in covered]
    part = ""
    if len(place.members) > 1 and covered:
        part = f" ({len(inside)} of the {len(place.members)} local authorities of {place.name})"
    words = {"downweight": "down-weighted", "exclude": "left out", "keep": "kept as they are"}
    how = ", ".join(text.format(v=fmt_int(params[k]) if isinstance(params[k], int | float)
                                else words.get(str(params[k]), params[k]),
                                points=names["count"], hubs=names["hubs"])
                    for k, text in _RUN_PARAMS.items() if k in params)
    kind = str(run.get("address_kind") or "")
    method = _METHOD_WORDS.get(str(run.get("method") or ""), str(run.get("method") or "density-based clustering"))
    unlocated = run.get("rows_unlocated")  # None: a run stored before it was counted (nothing said)
    left_out = ""
    if unlocated is not None and not pd.isna(unlocated) and int(unlocated) > 0:
        left_out = (f" ({fmt_int(int(unlocated))} more could not be located and were left out; the run's output "
                    "folder lists them in unlocated_firms.csv)")
    return (f"The microclusters come from the firm file {run.get('firm_file')} (SHA-256 "
            f"{str(run.get('firm_file_sha256') or '')[:12]}…{_dated(run)}): {fmt_int(run.get('rows_located'))} located "
            f"{names['points']}{left_out}, grouped by {method}" + (f" ({how})" if how else "")
            + _ADDRESS_CLAUSE.get(kind, f", {kind} addresses" if kind else "")
            + f"; the file covers {len(covered)} local authorit{'y' if len(covered) == 1 else 'ies'}{part}"
            + (", the whole country." if run.get("scope") == "national" else ", not the whole country."))


def _stored_count(run: Mapping[str, Any], key: str) -> int | None:
    """A count of the run record, None when the run did not store it (a run stored before it was counted)."""
    v = run.get(key)
    return None if v is None or pd.isna(v) else int(v)


def _unclassed_sentence(run: Mapping[str, Any]) -> list[str]:
    """The firms of the run's file that had no usable SIC code, as its reader counted them (the run record's
    ``rows_no_sic`` and ``rows_sic_unclassified``): none at all, or none of a SIC 2007 class. They could not
    be classed, so no count of the pack holds them. Nothing when there were none or the run did not count them.

    >>> _unclassed_sentence({"rows_no_sic": 449, "rows_sic_unclassified": 34})[0].split(" (")[0]
    '449 firms of the firm file had no SIC code and 34 only codes that are not SIC 2007 classes'
    >>> _unclassed_sentence({"rows_no_sic": 1, "rows_sic_unclassified": 0})[0].split(", so ")[0]
    '1 firm of the firm file had no SIC code'
    >>> _unclassed_sentence({"rows_no_sic": 0, "rows_sic_unclassified": 1})[0].split(", so ")[1][:35]
    'it could not be classed as creative'
    >>> _unclassed_sentence({"rows_no_sic": None, "rows_sic_unclassified": 0}), _unclassed_sentence({})
    ([], [])
    """
    none, other = _stored_count(run, "rows_no_sic") or 0, _stored_count(run, "rows_sic_unclassified") or 0
    if not none and not other:
        return []
    word = firm_words(str(run.get("address_kind") or "registered"))["count"]

    def n(k: int) -> str:
        return f"{fmt_int(k)} {'firm' if k == 1 and word == 'firms' else word}"

    other_words = "only codes that are not SIC 2007 classes (SIC 2003 codes, or values that are no code)"
    if none and other:
        what = f"{n(none)} of the firm file had no SIC code and {fmt_int(other)} {other_words}"
    elif none:
        what = f"{n(none)} of the firm file had no SIC code"
    else:
        what = f"{n(other)} of the firm file had {other_words}"
    tail = ("it could not be classed as creative or not and is" if none + other == 1
            else "they could not be classed as creative or not and are")
    return [f"{what}, so {tail} not counted in this section."]


def _dated(run: dict[str, Any]) -> str:
    """The firm file's date as the provenance sentence gives it, after its checksum ("" when not recorded).

    >>> _dated({"firm_file_date": "2024-11-01", "firm_file_date_source": "file name"})
    ', dated 2024-11-01 by its name'
    >>> _dated({"firm_file_date": "2026-12-07", "firm_file_date_source": "file modification date"})
    ', last modified 2026-12-07 (its name gives no date)'
    >>> _dated({})
    ''
    """
    day = str(run.get("firm_file_date") or "")
    if not day or day == "None":
        return ""
    if str(run.get("firm_file_date_source") or "") == "file name":
        return f", dated {day} by its name"
    return f", last modified {day} (its name gives no date)"


#: What the run's firm file says its addresses are, as the provenance sentence puts it (trading premises are
#: named with the firms already).
_ADDRESS_CLAUSE = {
    "registered": ", at their registered-office addresses (not necessarily where they work)",
    "trading": "",
    "unknown": (", at addresses the firm file does not say are registered offices or trading premises (a run "
                "states it with --address-kind)"),
}


def _hub_dominated(mc: pd.DataFrame) -> list[str]:
    """Ids of microclusters with at least :data:`HUB_DOMINATED_SHARE` of their firms at hub postcodes."""
    if not {"n_hub_firms", "n_firms", "microcluster_id"} <= set(mc.columns) or not len(mc):
        return []
    share = pd.to_numeric(mc["n_hub_firms"], errors="coerce") / pd.to_numeric(mc["n_firms"], errors="coerce")
    return [str(i) for i in mc.loc[share >= HUB_DOMINATED_SHARE, "microcluster_id"]]


def _microcluster_block(sec: Section, st: PackState, inp: EvidenceInputs,
                        mc: pd.DataFrame) -> None:
    """Sentence, table and map for the place's microclusters that meet the minimum size."""
    from creative_clusters.reporting.maps import microcluster_map_figure

    place = inp.place
    mc, n_small = full_size(mc)
    if "n_firms" in mc.columns:
        mc = mc.sort_values("n_firms", ascending=False, kind="mergesort")
    n_firms = mc["n_firms"].sum() if "n_firms" in mc.columns and len(mc) else None
    best = int(mc["national_rank"].min()) if "national_rank" in mc.columns and len(mc) else None
    n_nat = inp.microclusters_national
    run = inp.microcluster_run
    coverage, national = _run_coverage(run, place.members, holds=len(mc) > 0)
    st.microcluster_coverage = coverage
    if run is not None and bool(run.get("synthetic")):
        sec["sentences"].append(
            f"SYNTHETIC DATA: the microclusters in this pack come from {run.get('firm_file')}, a firm file "
            "marked synthetic. They show how the method works and are not evidence about this place; do not "
            "cite them.")
    names, every, hub_min = _run_words(run)
    points = "premises" if names["count"] == "premises" else "firms"
    params = _params(run)
    n_groups = run.get("n_groups") if run is not None else None
    n_groups = None if n_groups is None or pd.isna(n_groups) else int(n_groups)
    min_firms = params.get("min_firms") if isinstance(params.get("min_firms"), int) else None
    sec["sentences"].append(microclusters_sentence(
        place.name, len(mc), n_firms, best, n_nat, coverage=coverage, national=national, all_creative=every,
        points=points, min_firms=min_firms, n_groups=n_groups,
        firm_file=str(run.get("firm_file")) if run is not None else None))
    if coverage == "not_covered":
        _gap_routes(sec, inp)
    if every and coverage == "covered":
        kind = str(run.get("address_kind") or "") if run is not None else ""
        sec["sentences"].append(ALL_CREATIVE_WORDS.format(
            file=run.get("firm_file") if run is not None else "",
            where=" (trading addresses)" if kind == "trading" else ""))
    if run is not None and coverage == "covered":  # outside the file's coverage its details say nothing here
        sec["sentences"].append(_run_sentence(run, place))
        if not every:  # a run that took every business as creative read no SIC code
            sec["sentences"].extend(_unclassed_sentence(run))
    hubs = _hub_dominated(mc)
    trading = run is not None and str(run.get("address_kind") or "") == "trading"
    if hubs and trading:  # premises where businesses trade: a crowded postcode is a shared building
        sec["sentences"].append(
            f"In {join_and(hubs)} at least half the premises are at postcodes shared by {fmt_int(hub_min)} or "
            f"more businesses ({names['hubs']}: a shopping centre, market or office block, the hub rule in the "
            "methods): cite "
            f"{'it' if len(hubs) == 1 else 'them'} as the businesses of that building rather than a wider "
            "cluster.")
    elif hubs:
        sec["sentences"].append(
            f"In {join_and(hubs)} at least half the firms are registered at postcodes that hold "
            f"{fmt_int(hub_min)} or more companies (registered-office or formation-agent addresses, the hub rule "
            "in the methods): "
            f"{'this group is' if len(hubs) == 1 else 'these groups are'} more likely an address than firms "
            "working side by side, so do not cite "
            f"{'it' if len(hubs) == 1 else 'them'} as a cluster without checking trading addresses.")
    if n_small:
        sec["sentences"].append(
            (f"{n_small} further, smaller groups" if n_small != 1 else "One further, smaller group")
            + f" of {'premises' if every else names['points']} in {place.name} did not reach the minimum "
            "microcluster size and "
            f"{'are' if n_small != 1 else 'is'} set aside.")
    if not len(mc):
        return
    view = mc.copy()
    if every:  # no industry codes: every sub-sector "unknown", and a creative area-level cluster is no context
        view = view.drop(columns=["dominant_subsector", "dominant_share", "in_area_cluster"], errors="ignore")
    if "dominant_subsector" in view.columns:
        view["dominant_subsector"] = view["dominant_subsector"].map(lambda c: SUBSECTOR_NAMES.get(c, c))
    for c in ("dominant_share", "top_postcode_share"):
        if c in view.columns:
            view[c] = pd.to_numeric(view[c], errors="coerce") * 100
    if "in_area_cluster" in view.columns:
        view["in_area_cluster"] = view["in_area_cluster"].map(_yes_no)
    if not national:  # a rank among a partial file's microclusters is no rank a panel can use
        view = view.drop(columns=["national_rank"], errors="ignore")
    relabel = {"Firms": "Premises", "Density (firms/km²)": "Density (premises/km²)",
               "Rank in the UK (by firms)": "Rank in the UK (by premises)"} if points == "premises" else {}
    spec = [(c, relabel.get(lab, lab), f) for c, lab, f in _MC_COLUMNS if c in view.columns]
    notes = [f"Only microclusters that meet the minimum number of {points}"
             + (f" ({fmt_int(min_firms)})" if min_firms else "") + " are listed"
             + (f" ({n_small} smaller group{'s' if n_small != 1 else ''} set aside)." if n_small else ".")]
    if "national_rank" in view.columns:
        notes.append("Rank in the UK: position by number of firms among all microclusters the firm file gives "
                     "(1 = largest); the file covers the whole country.")
    if every:
        notes.append("No sub-sector columns and no comparison with creative area-level clusters: the firm file "
                     "has no industry codes (every business taken as creative, --all-creative).")
    if run is not None:
        notes.append(f"From the {microcluster_run_words(run)} (run id {run.get('run_id')}).")
    if "n_hub_firms" in view.columns:
        view["hub_share"] = pd.to_numeric(view["n_hub_firms"], errors="coerce") / pd.to_numeric(
            view["n_firms"], errors="coerce") * 100
        spec.append(("hub_share", f"{points.capitalize()} at hub postcodes (%)", "pct"))
        notes.append(f"Premises at hub postcodes: share at a postcode shared by {fmt_int(hub_min)} or more "
                     f"businesses of any industry ({names['hubs']}; trading addresses, so a shared building)."
                     if trading else
                     f"Firms at hub postcodes: share registered at a postcode holding {fmt_int(hub_min)} or more "
                     "companies of any industry (registered-office hub rule).")
    if "stability" in view.columns:
        notes.append("Stability: share of resampled runs in which the microcluster is found again (1 = always).")
    if "top_postcode_share" in view.columns:
        notes.append("Top postcode share: share of the microcluster's premises at its single commonest postcode "
                     "(trading addresses: a high share is one building)." if trading else
                     "Top postcode share: share of the microcluster's firms registered at its single commonest "
                     "postcode. A high share suggests a registered-office or company-formation-agent address "
                     "rather than firms working side by side.")
    what = "Clusters of business premises" if every else "Creative microclusters"
    sec["tables"].append(_table(f"{what} in {place.name}", [lab for _, lab, _ in spec],
                                view[[c for c, _, _ in spec]].values.tolist(), [f for _, _, f in spec], notes))
    hulls = inp.microcluster_hulls
    if hulls is not None and inp.geometry is not None and len(hulls):
        if "microcluster_id" in hulls.columns and "microcluster_id" in mc.columns:
            hulls = hulls[hulls["microcluster_id"].isin(set(mc["microcluster_id"]))]
        lad = inp.geometry[inp.geometry["geo_code"].isin(list(place.members))]
        if len(lad) and len(hulls):
            sec["figures"].append(microcluster_map_figure(
                lad, hulls, place=place.name, png=inp.png, source=microcluster_map_source(run), points=points,
                what=("cluster of business premises", "clusters of business premises") if every else
                ("creative microcluster", "creative microclusters")))


def _covers(run: dict[str, Any], members: Sequence[str]) -> bool:
    return bool({c for c in str(run.get("coverage_lads") or "").split(";") if c} & set(members))


def _gap_routes(sec: Section, inp: EvidenceInputs) -> None:
    """What fills the gap of a place the current run's firm file does not cover, as commands (the pack's
    'Filling the gaps' rows): a stored run that covers it, a run on a firm file that covers it, the
    national Companies House file."""
    place, run = inp.place, inp.microcluster_run or {}
    others = [r for r in inp.microcluster_runs if r.get("run_id") != run.get("run_id")
              and _covers(r, place.members)]
    others.sort(key=lambda r: str(r.get("created_at") or ""), reverse=True)  # the newest real run first
    others.sort(key=lambda r: bool(r.get("synthetic")))
    if others:
        o = others[0]
        sec["missing"].append(
            f"A stored microcluster run covers {place.name}: run {o.get('run_id')} on {o.get('firm_file')}"
            + (" (SYNTHETIC)" if bool(o.get("synthetic")) else "")
            + (" (a list without industry codes: its groups are clusters of business premises of all kinds, "
               "not creative microclusters)" if _run_words(o)[1] else "")
            + f"; make it the current run with `creative-clusters microclusters-runs --use {o.get('run_id')}`.")
    sec["missing"].append(
        f"Microclusters for {place.name} need a firm file that covers it (a Companies House extract, or a list "
        "of firms with postcodes and SIC codes); run them with `creative-clusters microclusters FILE --out DIR`.")
    sec["missing"].append(
        "The national Companies House file (Free Company Data Product, OGL) covers every place; download it "
        "with `creative-clusters data fetch companies-house`.")


#: The boundaries every pack map draws, as its source line names them.
BOUNDARY_SOURCE = (f"Boundaries: ONS, local authority districts (December {kinds.LAD_VINTAGE}), generalised; "
                   "contains OS data © Crown copyright and database right.")


def microcluster_map_source(run: Any) -> str:
    """The microcluster map's source line: the boundaries (as on the place map) and the run the hulls come from.

    Parameters
    ----------
    run : mapping or None
        The microcluster run's record (``created_at``, ``firm_file``, ``run_id``), if known.

    Returns
    -------
    str
        The source line.

    Examples
    --------
    >>> microcluster_map_source({"created_at": "2026-01-05T10:00", "firm_file": "firms.csv", "run_id": "r1"})[-68:]
    'Microclusters: microcluster run of 2026-01-05 on firms.csv (run r1).'
    """
    out = f"{BOUNDARY_SOURCE} Microclusters: "
    if run is None:
        return out + "a microcluster run whose provenance was not recorded."
    return out + f"{microcluster_run_words(run)} (run {run.get('run_id')})."


def microclusters_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 6: microclusters (hook) and anchor institutions in the place."""
    sec = _section("microclusters", 6)
    place = inp.place
    mc = inp.microclusters
    if mc is not None:
        _microcluster_block(sec, st, inp, mc)
        if st.microcluster_coverage != "not_covered":  # the run's file says nothing about the place
            sec["sources"].append(kinds.MICROCLUSTERS)
    else:
        sec["missing"].append(
            "This pack does not include creative microclusters: they are detected from the locations of "
            "individual firms with `creative-clusters microclusters FIRMS --out DIR`.")
    n_hei = n_mus = None
    hei_vintage = str(latest_source(inp.sources, kinds.ANCHORS_HEI).get("vintage") or "")  # the catalogue's date
    if inp.hei is not None:
        n_hei = len(inp.hei)
        cols = _pick_cols(inp.hei, ["provider_name", "town", "postcode", "creative_specialist"])
        if n_hei:
            hei = inp.hei[cols].copy()
            for c in ("provider_name", "town"):
                if c in hei.columns:
                    hei[c] = hei[c].map(_title_case)
            if "creative_specialist" in hei.columns:
                hei["creative_specialist"] = hei["creative_specialist"].map(_yes_no)
            labels = {"provider_name": "Provider", "town": "Town", "postcode": "Postcode",
                      "creative_specialist": "Creative specialist"}
            sec["tables"].append(_table(f"Higher-education providers in {place.name}",
                                        [labels.get(c, c.replace("_", " ").capitalize()) for c in cols],
                                        hei.sort_values(cols[0]).values.tolist() if cols else [],
                                        ["text"] * len(cols),
                                        [f"Learning Providers Plus list, about {hei_vintage}: some names are "
                                         "out of date."]))
        sec["sources"].append("anchors_hei")
    else:
        sec["missing"].append("This pack does not include higher-education providers; Jisc publishes them as "
                              "open data (learning-provider.data.ac.uk).")
    if inp.museums is not None:
        mus = open_museums(inp.museums)
        n_mus = len(mus)
        # the accreditation once: the source's text column, else its yes/no flag
        accr = ["accreditation"] if "accreditation" in mus.columns else ["accredited"]
        if {"year_opened_low", "year_opened_high"} <= set(mus.columns):  # both ends: a range where unsure
            mus = mus.assign(year_opened=[fmt_year_range(lo, hi) for lo, hi in
                                          zip(mus["year_opened_low"], mus["year_opened_high"], strict=True)])
        cols = _pick_cols(mus, ["name_of_museum", "name", "governance", "subject_matter", *accr, "year_opened"])
        if n_mus:
            sec["tables"].extend(_museum_tables(mus, cols, place.name,
                                                str(latest_source(inp.sources, kinds.ANCHORS_MUSEUMS)
                                                    .get("vintage") or "")))
        sec["sources"].append("anchors_museums")
    else:
        sec["missing"].append("This pack does not include museums; the Mapping Museums project (Birkbeck, "
                              "University of London) publishes them.")
    sec["sentences"].append(anchors_sentence(place.name, n_hei, n_mus, hei_vintage=hei_vintage))
    return _finish(sec, inp.missing.get("microclusters"))


#: Most museums listed in the HTML, PDF and Word pack; the Excel annex lists them all.
MUSEUM_ROWS = 20

#: Under a museum table whose "Year opened" shows a range.
YEAR_RANGE_NOTE = ("Year opened: a range (such as 1960–2017) is the Mapping Museums project's uncertainty about "
                   "when the museum opened, its earliest and latest possible years; a museum is listed as open only "
                   "when even its latest possible opening year is no later than the list's year.")


def _museum_tables(mus: pd.DataFrame, cols: list[str], place: str, vintage: str) -> list[Table]:
    """The museums of a place: every one in one table, or (over :data:`MUSEUM_ROWS`) the arts and accredited
    museums first in a shorter table for the pack and the full list for the Excel annex only.

    Examples
    --------
    >>> mus = pd.DataFrame({"name": [f"M{i:02d}" for i in range(25)],
    ...                     "subject_matter": ["Arts" if i % 5 == 0 else "Transport" for i in range(25)]})
    >>> short, full = _museum_tables(mus, ["name", "subject_matter"], "Place", "2021")
    >>> [r[0] for r in short["rows"][:6]], len(short["rows"]), len(full["rows"]), short["annex"], full["html"]
    (['M00', 'M05', 'M10', 'M15', 'M20', 'M01'], 20, 25, False, False)
    """
    title = f"Museums open in {vintage} in {place}" if vintage else f"Museums in {place}"
    cite = "Data from the Mapping Museums project, Birkbeck, University of London (www.mappingmuseums.org), CC BY 4.0."
    names = mus[cols[0]].astype(str) if cols else pd.Series("", index=mus.index)
    arts = (mus["subject_matter"].astype(str).str.startswith("Arts") if "subject_matter" in mus.columns
            else pd.Series(False, index=mus.index))
    accredited = next((mus[c].astype(str).str.lower().isin(["accredited", "true", "yes"])
                       for c in ("accreditation", "accredited") if c in mus.columns),
                      pd.Series(False, index=mus.index))
    order = pd.DataFrame({"arts": ~arts, "acc": ~accredited, "name": names}).sort_values(["arts", "acc", "name"])

    def rows(index: pd.Index) -> list[list[Any]]:
        return [["Yes" if v is True else "No" if v is False else v for v in r]  # not True/False
                for r in mus.loc[index, cols].values.tolist()]

    heads, formats = [c.replace("_", " ").capitalize() for c in cols], ["text"] * len(cols)

    def ranges(index: pd.Index) -> list[str]:  # said only under a table that shows a range
        shown = mus.loc[index, "year_opened"].astype(str) if "year_opened" in cols else pd.Series(dtype=str)
        return [YEAR_RANGE_NOTE] if shown.str.contains("–", regex=False).any() else []

    full_index = names.sort_values().index
    full = _table(title, heads, rows(full_index), formats, [*ranges(full_index), cite])
    if len(mus) <= MUSEUM_ROWS:
        return [full]
    short = _table(f"{title}: arts and accredited museums first", heads, rows(order.index[:MUSEUM_ROWS]), formats,
                   [f"{MUSEUM_ROWS} of {len(mus)} museums: those whose subject is the arts first, then accredited "
                    "ones, each by name; the Excel annex lists all of them.", *ranges(order.index[:MUSEUM_ROWS]),
                    cite])
    short["annex"] = False
    full["html"] = False
    return [short, full]
