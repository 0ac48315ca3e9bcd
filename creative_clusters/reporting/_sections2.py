"""Sections 5-9 of the evidence pack: workforce, microclusters and anchors,
connections, research, sources and methods (pure)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creative_clusters import kinds
from creative_clusters._text import fmt_year_range, microcluster_run_words
from creative_clusters.benchmarking.framework import CREATIVE_DIVISIONS
from creative_clusters.indicators.lq import lq_ratio, share_of
from creative_clusters.people.anchors import open_museums
from creative_clusters.reporting._model import (
    DIVISION_TITLES,
    SUBSECTOR_NAMES,
    EvidenceInputs,
    PackState,
    _finish,
    _section,
    _table,
    common_names_in,
    latest_source,
    n_english_lads,
    uses_series_lqs,
)
from creative_clusters.reporting._national import full_size
from creative_clusters.reporting.findings import MODEST_LQ, SMALL_SPECIALISATION
from creative_clusters.reporting.formatting import fmt_int, join_and
from creative_clusters.reporting.inclusion_block import inclusion_block
from creative_clusters.reporting.pack_types import Section, Table
from creative_clusters.reporting.sentences_clusters import corridor_sentence, microclusters_sentence
from creative_clusters.reporting.sentences_people import (
    anchors_sentence,
    census_sentence,
    deprivation_sentence,
    no_deprivation_sentence,
    research_sentence,
)

__all__ = ["connections_section", "dataset_record", "microclusters_section", "pack_caveats", "research_section",
           "sources_section", "workforce_section"]


def deprivation_text(inp: EvidenceInputs) -> str:
    """The place on its nation's deprivation index in one sentence, or "" when the index gives it no figure.

    A nation gets none: its index ranks areas within it against each other, so counting its own local
    authorities in its own most deprived tenth says nothing of it.
    """
    dep = inp.deprivation
    if dep is None or inp.place.geo_type == "ctry":
        return ""
    return deprivation_sentence(inp.place.name, dep.index, rank=dep.rank, of=dep.of, share=dep.share_most_deprived,
                                  k=dep.members_most_deprived_decile, n=dep.members_ranked)


def workforce_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 5: Census 2021 residents in creative divisions, the people hook, then inclusion and good work
    (:func:`~creative_clusters.reporting.inclusion_block.inclusion_block`) and what the pack cannot show."""
    sec = _section("workforce", 5)
    place = inp.place
    cd = inp.census_divisions
    year = str(latest_source(inp.sources, kinds.CENSUS_INDUSTRY).get("vintage") or "")  # the catalogue's
    census = f"Census {year}".strip()
    if cd is not None:
        pl, ref = cd.place, cd.reference
        rows = []
        for dv in CREATIVE_DIVISIONS:
            if dv not in pl.index:
                continue
            share, rshare = share_of(pl[dv], pl["_T"]) * 100, share_of(ref[dv], ref["_T"]) * 100
            lq = lq_ratio(pl[dv], pl["_T"], ref[dv], ref["_T"])
            rows.append([dv, DIVISION_TITLES.get(dv, dv), pl[dv], share, rshare, None if np.isnan(lq) else lq])
        rows.append(["", "Creative divisions together", cd.total, cd.share, cd.reference_share,
                     lq_ratio(cd.share, 100.0, cd.reference_share, 100.0)])
        st.census_share = cd.share
        sec["sentences"].append(census_sentence(place.name, cd.total, cd.share, cd.reference_share, year=year))
        sec["tables"].append(_table(
            f"Residents in employment in creative industry divisions, {place.name}, {census}",
            ["Division", "Title", "Residents in employment", "Share (%)",
             "Share, England and Wales (%)", "Residence-based LQ"], rows,
            ["text", "text", "int", "pct", "pct", "num2"],
            [f"{census} TS060: residents counted where they live, not where they work. SIC 2007 "
             "divisions only approximate the DCMS creative industries (they include non-creative "
             "activities, e.g. division 62 includes IT facilities management, division 91 historic sites and zoos).",
             f"Only {cd.members_found} of {cd.members} member areas are on the {year} boundaries used by "
             "the census table." if cd.members_found < cd.members else ""]))
        sec["sources"].append(kinds.CENSUS_INDUSTRY)
    elif inp.census is not None and not inp.census.empty:
        outside = {str(m)[:1] for m in place.members} - {"E", "W"}
        if outside:  # TS060 is England and Wales's census; Scotland and Northern Ireland hold their own
            where = " and ".join(sorted({"S": "Scotland", "N": "Northern Ireland"}.get(c, c) for c in outside))
            own = " and ".join(kinds.OTHER_CENSUSES[c] for c in sorted(outside) if c in kinds.OTHER_CENSUSES)
            sec["missing"].append(
                f"{census} TS060 covers England and Wales only; "
                + (f"{where}'s own census" if place.name == where else f"{place.name} is in {where}, whose own census")
                + f" ({own}) publishes its industry tables, which are not in the reference data. Import them in the "
                "same long format to add this section.")
        else:
            sec["missing"].append(f"{census} TS060 has no rows for {place.name} on {year} boundaries.")
    else:
        sec["missing"].append("This pack does not include the Census 2021 industry table (TS060, ONS): import it "
                              "with `creative-clusters data import DIR`.")
    dep = inp.deprivation
    if dep is not None:
        sent = deprivation_text(inp)
        if sent:
            sec["sentences"].append(sent)
            sec["sources"].append(dep.dataset)
        else:
            sec["missing"].append(no_deprivation_sentence(place.name, dep.index, nation=place.geo_type == "ctry",
                                                            group=len(place.members) > 1))
    wf = inp.workforce
    if wf:
        sec["sentences"].extend(wf.get("sentences", []))
        sec["tables"].extend(_table(t["title"], list(t["columns"]), [list(r) for r in t["rows"]],
                                    t.get("formats") or ["text", *["num2"] * (len(t["columns"]) - 1)],
                                    list(t.get("notes", []))) for t in wf.get("tables", []))
        sec["sources"].extend(wf.get("sources", []))
        sec["missing"].extend(wf.get("missing", []))
    elif {str(m)[:1] for m in place.members} <= {"E", "W"}:
        sec["missing"].append(
            "Creative occupations and self-employment by local authority are in the reference data for the "
            "ten Greater Manchester boroughs only. Creative occupations need Census 2021 occupations at 3 digits "
            "(SOC 2020 minor groups) by local authority: Census 2021 TS063 has the 9 major groups only, too "
            "coarse; import a 3-digit table in Nomis CSV layout with `creative-clusters data import-nomis FILE "
            "--nomis-dataset NM_ID` and section 5 then shows it.")
    else:  # TS063/TS066 are England and Wales tables: point to the place's own census instead
        own = " and ".join(v for c, v in sorted(kinds.OTHER_CENSUSES.items())
                           if c in {str(m)[:1] for m in place.members})
        sec["missing"].append(
            "Creative occupations and self-employment by local authority are in the reference data for the ten "
            f"Greater Manchester boroughs only. For {place.name}, they come from {own} (occupation and economic "
            "activity tables), not from the England and Wales tables TS063/TS066; import them "
            "in the same long format.")
    if inp.inclusion is not None:  # inclusion and good work: rendered from the inclusion workflow's results
        part = inclusion_block(inp.inclusion)
        sec["sentences"].extend(part["sentences"])
        sec["tables"].extend(part["tables"])
        sec["sources"].extend(part["sources"])
        sec["missing"].extend(part["missing"])
    return _finish(sec, inp.missing.get("workforce"))


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
    """
    if not isinstance(v, str) or not v.strip():
        return v
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


def _run_coverage(run: dict[str, Any] | None, members: Sequence[str]) -> tuple[str, bool]:
    """``(coverage, national)`` of the place under the run's firm file: ``"covered"`` when the file covers
    any of its LADs, ``"not_covered"``, or ``"unknown"`` without a run record.

    >>> _run_coverage({"coverage_lads": "E1;E2", "scope": "partial"}, ["E2", "E3"])
    ('covered', False)
    >>> _run_coverage({"coverage_lads": "E1", "scope": "national"}, ["E3"])
    ('not_covered', True)
    >>> _run_coverage(None, ["E1"])
    ('unknown', False)
    """
    if run is None:
        return "unknown", False
    covered = {c for c in str(run.get("coverage_lads") or "").split(";") if c}
    return ("covered" if covered & set(members) else "not_covered"), run.get("scope") == "national"


#: run parameters said in words (``{v}`` is the value)
_RUN_PARAMS = {"eps_m": "radius {v} m", "min_firms": "at least {v} firms",
               "max_extent_km2": "clusters over {v} km² split", "hubs": "registered-office hubs {v}"}


#: the clustering methods of ``microclusters.methods`` in words
_METHOD_WORDS = {"dbscan": "exact DBSCAN", "split": "DBSCAN with over-large clusters split",
                 "hdbscan": "HDBSCAN"}


def _run_sentence(run: dict[str, Any], place: Any) -> str:
    """Where the microclusters come from: firm file, checksum, method and parameters, coverage."""
    try:
        params = json.loads(str(run.get("params") or "{}"))
    except ValueError:
        params = {}
    covered = [c for c in str(run.get("coverage_lads") or "").split(";") if c]
    inside = [m for m in place.members if m in covered]
    part = ""
    if len(place.members) > 1 and covered:
        part = f" ({len(inside)} of the {len(place.members)} local authorities of {place.name})"
    words = {"downweight": "down-weighted", "exclude": "left out", "keep": "kept as they are"}
    how = ", ".join(text.format(v=fmt_int(params[k]) if isinstance(params[k], int | float)
                                else words.get(str(params[k]), params[k]))
                    for k, text in _RUN_PARAMS.items() if k in params)
    kind = str(run.get("address_kind") or "")
    method = _METHOD_WORDS.get(str(run.get("method") or ""), str(run.get("method") or "density-based clustering"))
    return (f"The microclusters come from the firm file {run.get('firm_file')} (SHA-256 "
            f"{str(run.get('firm_file_sha256') or '')[:12]}…): {fmt_int(run.get('rows_located'))} located creative "
            f"firms, grouped by {method}" + (f" ({how})" if how else "")
            + (f", {kind} addresses" if kind else "")
            + f"; the file covers {len(covered)} local authorit{'y' if len(covered) == 1 else 'ies'}{part}"
            + (", the whole country." if run.get("scope") == "national" else ", not the whole country."))


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
    coverage, national = _run_coverage(run, place.members)
    st.microcluster_coverage = coverage
    if run is not None and bool(run.get("synthetic")):
        sec["sentences"].append(
            f"SYNTHETIC DATA: the microclusters in this pack come from {run.get('firm_file')}, a firm file "
            "marked synthetic. They show how the method works and are not evidence about this place; do not "
            "cite them.")
    sec["sentences"].append(microclusters_sentence(place.name, len(mc), n_firms, best, n_nat,
                                                     coverage=coverage, national=national))
    if run is not None and coverage == "covered":  # outside the file's coverage its details say nothing here
        sec["sentences"].append(_run_sentence(run, place))
    hubs = _hub_dominated(mc)
    if hubs:
        sec["sentences"].append(
            f"In {join_and(hubs)} at least half the firms are registered at postcodes that hold 100 or more "
            "companies (registered-office or formation-agent addresses, the hub rule in the methods): "
            f"{'this group is' if len(hubs) == 1 else 'these groups are'} more likely an address than firms "
            "working side by side, so do not cite "
            f"{'it' if len(hubs) == 1 else 'them'} as a cluster without checking trading addresses.")
    if n_small:
        sec["sentences"].append(
            (f"{n_small} further, smaller groups" if n_small != 1 else "One further, smaller group")
            + f" of creative firms in {place.name} did not reach the minimum microcluster size and "
            f"{'are' if n_small != 1 else 'is'} set aside.")
    if not len(mc):
        return
    view = mc.copy()
    if "dominant_subsector" in view.columns:
        view["dominant_subsector"] = view["dominant_subsector"].map(lambda c: SUBSECTOR_NAMES.get(c, c))
    for c in ("dominant_share", "top_postcode_share"):
        if c in view.columns:
            view[c] = pd.to_numeric(view[c], errors="coerce") * 100
    if "in_area_cluster" in view.columns:
        view["in_area_cluster"] = view["in_area_cluster"].map(_yes_no)
    if not national:  # a rank among a partial file's microclusters is no rank a panel can use
        view = view.drop(columns=["national_rank"], errors="ignore")
    spec = [(c, lab, f) for c, lab, f in _MC_COLUMNS if c in view.columns]
    notes = ["Only microclusters that meet the minimum number of firms are listed"
             + (f" ({n_small} smaller group{'s' if n_small != 1 else ''} set aside)." if n_small else ".")]
    if "national_rank" in view.columns:
        notes.append("Rank in the UK: position by number of firms among all microclusters the firm file gives "
                     "(1 = largest); the file covers the whole country.")
    if run is not None:
        notes.append(f"From the {microcluster_run_words(run)} (run id {run.get('run_id')}).")
    if "n_hub_firms" in view.columns:
        view["hub_share"] = pd.to_numeric(view["n_hub_firms"], errors="coerce") / pd.to_numeric(
            view["n_firms"], errors="coerce") * 100
        spec.append(("hub_share", "Firms at hub postcodes (%)", "pct"))
        notes.append("Firms at hub postcodes: share registered at a postcode holding 100 or more companies of "
                     "any industry (registered-office hub rule).")
    if "stability" in view.columns:
        notes.append("Stability: share of resampled runs in which the microcluster is found again (1 = always).")
    if "top_postcode_share" in view.columns:
        notes.append("Top postcode share: share of the microcluster's firms registered at its single commonest "
                     "postcode. A high share suggests a registered-office or company-formation-agent address "
                     "rather than firms working side by side.")
    sec["tables"].append(_table(f"Creative microclusters in {place.name}", [lab for _, lab, _ in spec],
                                view[[c for c, _, _ in spec]].values.tolist(), [f for _, _, f in spec], notes))
    hulls = inp.microcluster_hulls
    if hulls is not None and inp.geometry is not None and len(hulls):
        if "microcluster_id" in hulls.columns and "microcluster_id" in mc.columns:
            hulls = hulls[hulls["microcluster_id"].isin(set(mc["microcluster_id"]))]
        lad = inp.geometry[inp.geometry["geo_code"].isin(list(place.members))]
        if len(lad) and len(hulls):
            sec["figures"].append(microcluster_map_figure(lad, hulls, place=place.name, png=inp.png,
                                                          source=microcluster_map_source(run)))


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


def connections_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 7: neighbouring places, detected clusters nearby and corridors (hooks)."""
    sec = _section("connections", 7)
    place = inp.place
    neigh = st.neighbours
    lq = st.lq_table
    if neigh:
        # outside England's counts by SIC class: the annual series' counts and LQs against the UK (as the map)
        series = inp.series_lads if uses_series_lqs(inp) else None
        if series is not None:
            ents = series["businesses"]
            lqs = series["business_lq_uk"]
            heads = [f"Creative enterprises ({series['period'].iloc[0]}, annual series)",
                     "Creative business LQ (UK = 1)"]
        else:
            ents = st.ent_total
            lqs = lq["all"] if lq is not None else pd.Series(dtype=float)
            heads = ["Creative enterprises", "Creative business LQ"]
        beyond = _series_neighbours(inp, [c for c in neigh if pd.isna(ents.get(c)) and pd.isna(lqs.get(c))])
        if beyond is not None:  # beyond England's counts by SIC class: the annual series' count, said so
            ents = pd.concat([ents, beyond["latest"]])
        cl = inp.clusters if inp.clusters is not None else pd.DataFrame(columns=["geo_code", "method", "is_cluster"])
        assessed = set(cl["geo_code"])
        rows = []
        for code in sorted(neigh, key=lambda c: -(lqs.get(c) if pd.notna(lqs.get(c)) else -1)):
            flagged = "not assessed"  # outside the detection methods' places, not "none"
            if code in assessed:
                m = cl[(cl["geo_code"] == code) & cl["is_cluster"].astype(bool)]
                flagged = ", ".join(sorted(set(m["method"]))) or "none"
            rows.append([code, inp.names.get(code, code), ents.get(code), lqs.get(code), flagged])
        notes = (["Not assessed: the cluster detection methods run on England's counts by SIC class."]
                 if any(r[4] == "not assessed" for r in rows) else [])
        if beyond is not None:
            notes.insert(0, _series_neighbours_note(inp, beyond))
            sec["sources"].append(kinds.CREATIVE_ENTERPRISES_SERIES)
        sec["tables"].append(_table(f"Neighbouring local authorities of {place.name}",
                                    ["Code", "Name", *heads, "Cluster under"], rows,
                                    ["text", "text", "int", "num2", "text"], notes))
    elif inp.geometry is None:
        sec["missing"].append("Neighbours need the LAD boundaries (geometry layer lad_2023).")
    elif inp.neighbours is not None:
        sec["sentences"].append(f"No other local authority's boundary comes within 1 km of {place.name}, so it "
                                "has no neighbours to compare with.")
    if inp.clusters is not None and "detail" in inp.clusters.columns:
        cut_off = inp.clusters[inp.clusters["geo_code"].isin(place.members)
                               & (inp.clusters["detail"] == kinds.NO_NEIGHBOUR)]
        if len(cut_off):
            who = sorted({inp.names.get(c, c) for c in cut_off["geo_code"]})
            sec["missing"].append(f"The hot-spot analysis gives no statistic to {' and '.join(who)}: it compares "
                                  "each area with the areas it shares a boundary with, and "
                                  + ("it has none." if len(who) == 1 else "they have none."))
    if inp.clusters is None:
        sec["missing"].append("Cluster detection results are not available: run `creative-clusters clusters` "
                              "(module creative_clusters.clusters) to mark neighbouring clusters.")
    if inp.corridors is not None and len(inp.corridors):
        cor = inp.corridors
        mine = cor[cor["members"].astype(str).apply(lambda m: any(x in m.split(",") for x in place.members))]
        for r in mine.itertuples():
            sec["sentences"].append(corridor_sentence(place.name, common_names_in(str(r.corridor)),
                                                        getattr(r, "detail", "") or ""))
        assessed_any = inp.clusters is not None and inp.clusters["geo_code"].isin(place.members).any()
        if mine.empty and assessed_any:
            sec["sentences"].append(corridor_sentence(place.name, None))
        elif mine.empty:  # outside the detection methods' places: not "no corridor", unknown
            sec["sentences"].append(f"Corridors join neighbouring clusters found by the detection methods, which run "
                                    f"on England's counts by SIC class, so {place.name} is not assessed for one.")
    else:
        sec["missing"].append("Corridors are not available: run `creative-clusters corridors` "
                              "(module creative_clusters.clusters).")
    return _finish(sec, inp.missing.get("connections"))


def _series_neighbours(inp: EvidenceInputs, codes: list[str]) -> pd.DataFrame | None:
    """The rows of the annual series (``latest``, ``latest_period``) for neighbours the counts by SIC class do
    not reach (an English place's Scottish or Welsh neighbours), or None when there are none or no series."""
    s = inp.series_lads
    if not codes or s is None or "latest" not in s.columns:
        return None
    rows = s.loc[[c for c in codes if c in s.index]]
    rows = rows[rows["latest"].notna()]
    return rows if len(rows) else None


def _series_neighbours_note(inp: EvidenceInputs, rows: pd.DataFrame) -> str:
    """Where the counts of neighbours beyond England's counts by SIC class come from, and why they have no LQ.

    >>> from creative_clusters.benchmarking import load_framework
    >>> from creative_clusters.reporting._model import PlaceInfo
    >>> inp = EvidenceInputs(place=PlaceInfo("E12000001", "North East", "rgn"), framework=load_framework(),
    ...                      names={"S12000026": "Scottish Borders"}, enterprises_period="2025")
    >>> _series_neighbours_note(inp, pd.DataFrame({"latest": [235.0], "latest_period": ["2025"]},
    ...                                           index=["S12000026"])).split(",")[0]
    "Scottish Borders: creative enterprises from UK Business Counts' annual series (2025"
    """
    who = join_and([inp.names.get(c, c) for c in rows.index])
    years = sorted(set(rows["latest_period"].astype(str)))
    other = "" if years == [str(inp.enterprises_period)] else f" (the other counts are for {inp.enterprises_period})"
    return (f"{who}: creative enterprises from UK Business Counts' annual series ({', '.join(years)}, all creative "
            f"industries, rounded to 5), which covers every UK local authority{other}; England's counts by SIC "
            "class, which give the other rows' counts and their LQs against England, do not reach "
            f"{'it' if len(rows) == 1 else 'them'}, so there is no LQ against England to show.")


_BROAD = {"uk", "england", "wales", "scotland", "northern ireland", "great britain", "england and wales"}


def current_editions(entries: list[Any], sources: list[dict[str, Any]]) -> list[Any]:
    """Drop the library's data-source entries for an edition the pack does not use.

    An entry with ``dataset_kind`` and ``edition`` (say the English Indices of
    Deprivation 2019) is kept only when the catalogue's latest dataset of that
    kind (the one the pack's figures come from) has that vintage; with no
    dataset of the kind imported, only the newest edition in the library stays.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> lib = [E(id="a", extra={"dataset_kind": "k", "edition": "2019"}),
    ...        E(id="b", extra={"dataset_kind": "k", "edition": "2025"}), E(id="c", extra={})]
    >>> [e.id for e in current_editions(lib, [{"kind": "k", "vintage": "2019"}])]
    ['a', 'c']
    >>> [e.id for e in current_editions(lib, [])]
    ['b', 'c']
    """
    from creative_clusters.kinds import vintage_key

    def edition(e: Any) -> tuple[str, str] | None:
        x = getattr(e, "extra", None) or {}
        return (str(x["dataset_kind"]), str(x["edition"])) if "dataset_kind" in x and "edition" in x else None

    newest: dict[str, str] = {}
    for e in entries:
        ed = edition(e)
        if ed and (ed[0] not in newest or vintage_key(ed[1]) > vintage_key(newest[ed[0]])):
            newest[ed[0]] = ed[1]
    keep = []
    for e in entries:
        ed = edition(e)
        used = str(latest_source(sources, ed[0]).get("vintage", "")) if ed else ""
        if ed is None or ed[1] == (used or newest[ed[0]]):
            keep.append(e)
    return keep


def research_section(inp: EvidenceInputs, st: PackState) -> Section:
    """Section 8: library entries for the place, its region and nation, and its sub-sectors."""
    from creative_clusters.research.library import NO_LINK, citation_status, format_citation, search_library

    sec = _section("research", 8)
    place = inp.place
    entries = inp.research if inp.research is not None else search_library(place_chain=place.chain)
    entries = current_editions(entries, inp.sources)
    subs = set(inp.subsectors)
    chain = {c.lower() for c in place.chain}

    def local(e: Any) -> bool:
        return any(g.lower() in chain and g.lower() not in _BROAD for g in e.geographies)

    def score(e: Any) -> tuple:
        # as relevant, then checked details before those to check before citing, then research before data
        return (not local(e), not (subs & set(e.subsectors)), not e.verified, e.kind != "research",
                -(int(e.date[:4]) if e.date else 0), e.id)

    entries = sorted(entries, key=score)
    rows = []
    for e in entries:
        why = []
        if local(e):
            covered = [g for g in e.geographies if g.lower() in chain and g.lower() not in _BROAD]
            why.append("covers " + ", ".join(covered))
        hit = sorted(subs & set(e.subsectors))
        if hit:
            why.append("sub-sector: " + ", ".join(SUBSECTOR_NAMES.get(h, h) for h in hit))
        rows.append([format_citation(e), "; ".join(e.themes), e.summary,
                     "; ".join(why) or "UK-wide", e.url or NO_LINK, citation_status(e)])
    n_local = sum(1 for e in entries if local(e))
    names = [c for c in place.chain if c.lower() not in _BROAD and not c[:1].isdigit() and not c[1:3].isdigit()]
    sec["sentences"].append(research_sentence(n_local, len(entries), " or ".join(names[:3]) or place.name))
    sec["tables"].append(_table("Research and data to cite", ["Reference", "Themes", "Summary", "Why relevant",
                                                              "URL", "Status"], rows, ["text"] * 6,
                                ["Summaries are ours. Entries marked 'check before citing' have details not yet "
                                 "confirmed against the publisher's page."]))
    sec["tables"][-1]["html"] = False  # shown as the reference list in HTML/PDF
    sec["references"] = [{"citation": r[0], "url": r[4], "link": r[4] != NO_LINK, "themes": r[1], "summary": r[2],
                          "why": r[3], "verified": r[5]} for r in rows]
    return _finish(sec, inp.missing.get("research"))


def _peer_method(inp: EvidenceInputs, st: PackState) -> str:
    """The peer rule as the methods state it: the chosen rule, the user's list, or why there are none."""
    if inp.peer_choice is not None:
        return inp.peer_choice.rule
    if st.peers:
        return "Peers: given by the user."
    if any(not str(m).startswith("E") for m in inp.place.members):
        return ("Peers: none. Peers are matched on creative sub-sector mix, and the counts by sub-sector (UK "
                "Business Counts by SIC class) cover England only; the place is compared with every local "
                "authority of its nation instead.")
    return "Peers: none: no place of the same kind had the data to be compared on."


def _series_nation(inp: EvidenceInputs) -> str | None:
    """The nation a place outside England's counts by SIC class is measured against ("" if unnamed), or None
    for a place whose LQs come from those counts (against England)."""
    return str((inp.series_scale or {}).get("nation_name") or "") if uses_series_lqs(inp) else None


def _lq_rank_methods(inp: EvidenceInputs) -> list[str]:
    """How the pack's location quotients and ranks were made: from the counts by SIC class against England, or
    (outside England) from the annual series against the UK and the place's nation."""
    interval = "95% interval from exact Poisson limits on the place's count, denominators taken as fixed."
    nation = _series_nation(inp)
    if nation is not None and inp.place.geo_type == "ctry":  # a nation against itself would be 1
        return [
            "Location quotient: the nation's creative enterprises (UK Business Counts, annual series, all creative "
            "industries) over its active enterprises (ONS Business Demography, the same year), divided by the same "
            "ratio for the UK; " + interval,
            "Ranks: 1 = most creative enterprises (annual series) among the nations of the UK.",
        ]
    if nation is not None:
        nation = nation or "its nation"
        return [
            "Location quotient: the place's creative enterprises (UK Business Counts, annual series, all creative "
            "industries) over its active enterprises (ONS Business Demography, the same year), divided by the same "
            f"ratio for the UK and for {nation}; " + interval,
            f"Ranks: 1 = most creative enterprises (annual series) among the local authorities of {nation} and "
            "of the UK.",
        ]
    return [
        "Location quotient: the place's creative share of active enterprises divided by England's; " + interval,
        f"Ranks: 1 = most creative enterprises among English local authorities ({kinds.LAD_VINTAGE} boundaries).",
    ]


def _benchmark_base(inp: EvidenceInputs) -> str:
    """The places the benchmark's percentiles are taken among, as the boundaries method names them."""
    nation = _series_nation(inp)
    if nation is not None and inp.place.geo_type == "ctry":
        return (f"this pack has no percentiles; a local authority of {nation} is ranked among the local "
                f"authorities of {nation} in its own pack")
    if nation is not None:
        nation = nation or "the place's nation"
        return f"this place's percentiles are among the local authorities of {nation}"
    return f"{n_english_lads(inp.indicators)} English local authorities"


def _trajectory_method(inp: EvidenceInputs) -> list[str]:
    """The trajectory classes as the rules that made them define them (from the place's trajectory), and how
    they differ from the growth findings' test."""
    t = inp.trajectory
    rules = next((n for n in (getattr(t, "notes", None) or []) if str(n).startswith("Trajectory class rules")), "")
    if not rules:
        return []
    from creative_clusters.reporting.findings import GROWTH_GAP_PP

    return [f"{rules} The classes are tested in that order; a growth strength in the findings asks for "
            f"{GROWTH_GAP_PP:g} point{'' if GROWTH_GAP_PP == 1 else 's'} a year faster than the nation, so a place "
            "can show growth as a strength and still be 'stable'."]


def dataset_record(inp: EvidenceInputs, sid: str) -> dict[str, Any] | None:
    """The catalogue record of dataset ``sid`` as the pack lists it (None when not in the catalogue): a
    microcluster run titled in words (:func:`run_title`: its date and firm file, then its run id)."""
    rec = next((r for r in inp.sources if r.get("id") == sid), None)
    if rec is not None and rec.get("kind") == kinds.MICROCLUSTERS and inp.microcluster_run is not None:
        from creative_clusters.microclusters.runs import run_title  # numba only where microclusters are read

        rec = {**rec, "title": run_title(inp.microcluster_run)}
    return rec


def sources_section(inp: EvidenceInputs, st: PackState, used: list[str],
                    definitions_version: str) -> Section:
    """Section 9: every dataset used with publisher, vintage, licence, attribution; methods; caveats."""
    sec = _section("sources", 9)
    known = {s["id"]: s for s in inp.sources}
    rows = []
    for sid in used:
        s = known.get(sid)
        if s is None:
            continue
        s = dataset_record(inp, sid) or s
        rows.append([sid, s.get("title", ""), s.get("publisher", ""), s.get("vintage", ""),
                     s.get("licence", ""), s.get("attribution", ""), s.get("source_url", ""),
                     str(s.get("imported_at", "") or "")[:10], str(s.get("checksum", "") or "")[:16]])
    sec["tables"].append(_table("Datasets used", ["Dataset", "Title", "Publisher", "Vintage", "Licence",
                                                  "Attribution", "URL", "Imported", "SHA-256 (first 16)"], rows,
                                ["text"] * 9,
                                ["Imported: the date the file was read in for this pack's data. SHA-256: the "
                                 "first 16 hex digits of the checksum of the files imported; the full value is "
                                 "in the data catalogue the pack was built from."]))
    fw = inp.framework
    sec["methods"] = [
        f"Creative industries: DCMS definition {definitions_version} (31 SIC 2007 classes in 9 sub-sectors).",
        *_lq_rank_methods(inp),
        _peer_method(inp, st),
        f"Benchmark: framework {fw.id} version {fw.version}; percentile = share of places doing worse plus half "
        "of ties (100 = best), direction-aware; gaps are never scored.",
        f"Boundaries: every local-authority indicator is put on {kinds.LAD_VINTAGE} boundaries "
        f"({_benchmark_base(inp)}) before percentiles are taken; counts on "
        "older codes are summed for merged areas, rates on older codes are dropped for merged areas rather than "
        "averaged.",
        "Groups of places: counts are summed over member local authorities and ratios recomputed, never averaged.",
        "Findings: a specialisation is claimed only when the location quotient's 95% interval lies wholly above "
        "1 and rests on at least 10 enterprises, and stays above 1 with the count at the low edge of its rounding "
        "(published counts are rounded to 5, so 2 fewer; a weakness: wholly below 1, also with 2 more; a single "
        "sub-sector below 1 is a weakness, or in doubt a warning, only when it is the pack's focus); "
        "otherwise it is reported as "
        "inconclusive with the reason. A zero count (0 to 2 firms after rounding) is never a strength or a rank. "
        "A benchmark percentile is a strength at the 80th or above among at least 30 places (a weakness at the "
        "20th or below), never for a count under 10, nor for a rate resting on fewer than 10 counted (museums, "
        "high-growth firms), nor for a business-demography rank whose period holds a break in the place's "
        "series of active enterprises. Growth of creative enterprises is a strength (a weakness) "
        "when, over ten years, it runs at least 1 point a year faster (slower) than the place's nation from a base "
        "of at least 50 enterprises, and neither end of the window is a value flagged as an outlier. A "
        f"specialisation on fewer than {SMALL_SPECIALISATION} enterprises is called a small one, and one with an "
        f"LQ under {MODEST_LQ} a modest one (supporting evidence, not the lead). Findings are "
        "ordered by the size of the effect" + ("; the pack's focus comes first." if inp.subsectors or inp.focus
                                               else "."),
        "Outliers: a year-on-year change of a place's creative enterprises is flagged when its robust z-score "
        "(median absolute deviation of log changes across all places) passes the configured threshold; the "
        "published value is shown as it is, with a note.",
        *_trajectory_method(inp),
        "Sentences are generated from the numbers by fixed templates; none is written by hand.",
    ]
    sec["sentences"] = list(sec["methods"])
    sec["sources"] = list(used)
    return _finish(sec, inp.missing.get("sources"))


def pack_caveats(period: str, denominator_year: str) -> list[str]:
    """The pack's general caveats, with the periods of the data it was built from.

    Examples
    --------
    >>> pack_caveats("2025", "2024")[3].split(", ")[-1]
    'a different source and year.'
    >>> pack_caveats("2024", "2024")[3].split(", ")[-1]  # the annual series: one year, two sources
    'a different source.'
    """
    return [
        "Small counts: UK Business Counts are rounded to 5, so counts under about 20 are approximate; "
        "location quotients for small sub-sectors have wide intervals.",
        "Rounding and suppression: suppressed cells are shown as missing, never as zero.",
        "Coverage: creative enterprise counts by sub-sector and SIC class cover English local authorities only; "
        "the annual series of all creative industries covers every UK local authority.",
        f"Mixed denominators: creative counts (March {period} snapshot) are divided by active enterprises from "
        f"Business Demography {denominator_year}, a different source"
        + ("." if period == denominator_year else " and year."),
        "Residence vs workplace: Census 2021 counts people where they live; business counts are where firms are "
        "registered, which for some firms is an accountant's address.",
        "Deprivation indices are not comparable across the four nations.",
    ]
