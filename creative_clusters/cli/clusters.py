"""CLI commands: ``map``, ``clusters`` and ``corridors``.

Each command parses options, calls :mod:`creative_clusters.workflows.detection`
and formats the result; no statistics live here.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer

from creative_clusters._text import count_words
from creative_clusters.classifications.dcms import DEFINITION_VERSION
from creative_clusters.cli._common import (
    HomeOption,
    JsonOption,
    echo_as_list,
    echo_json,
    examples,
    fit_widths,
    handle_errors,
    lower_choice,
)

SubsectorOpt = Annotated[
    str | None,
    typer.Option(
        "--subsector",
        help="DCMS sub-sector or alias (e.g. film, games, music); default all creative.",
    ),
]
MeasureOpt = Annotated[
    str,
    typer.Option(
        "--measure",
        callback=lower_choice,
        help="lad/cauth/rgn/ttwa: businesses; nuts2: employment, businesses or local_units. The LQ of the measure "
        "is always computed.",
    ),
]
MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        callback=lower_choice,
        help="threshold (Nesta), strong (US Cluster Mapping), hotspot (Gi*/LISA) or trajectory (established / "
        "emerging / stable / declining from the annual series: every UK place, any --year; rules in "
        "clusters/trajectory_rules.yaml).",
    ),
]
LevelOpt = Annotated[
    str,
    typer.Option(
        "--level",
        callback=lower_choice,
        help="lad, cauth, rgn or ttwa (England, business counts summed from LADs; ttwa = 2011 travel-to-work "
        "areas, LAD-approximated) or nuts2 (GB, BRES/IDBR employment and local units).",
    ),
]
MapLevelOpt = Annotated[
    str,
    typer.Option(
        "--level",
        callback=lower_choice,
        help="lad, cauth, rgn or ttwa (2011 TTWAs, LAD-approximated). nuts2 cannot be mapped: the bundle has no "
        "NUTS2 boundaries (use `clusters --level nuts2` for the table).",
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        help="Data year (default: the latest year the warehouse holds for the level's data; `data status` lists "
        "them). trajectory: any year of the annual UK series; a class needs several years of growth before the "
        "year (ten once the series has them), so the series' first years have none and say why.",
    ),
]
MinSizeOpt = Annotated[
    str,
    typer.Option(
        "--min-size",
        help="Size floor of the threshold rule (businesses or jobs): a number, or q25 (default) = the bottom "
        "quartile of the places' size at this level and sub-sector (US Cluster Mapping size rule; Nesta's "
        "floor was never published, docs/methods.md §1), computed afresh for each run; the title of the "
        "results prints it (e.g. businesses>=277).",
    ),
]
ScopeOpt = Annotated[
    str,
    typer.Option(
        "--scope",
        callback=lower_choice,
        help="Places tested by threshold/strong/hotspot. england (default): English places from the SIC-level "
        "UK Business Counts (sub-sectors available). uk: every UK place from the annual series, business LQ "
        "against the UK (and against its nation, shown). scotland, wales, northern-ireland (or england-series): "
        "that nation's places from the series, LQ against the nation. Series years need an active-enterprise "
        "denominator (Business Demography); the default is the latest such year.",
    ),
]
WeightsOpt = Annotated[str, typer.Option(
    "--weights", callback=lower_choice,
    help="queen or knn (hotspot). queen: places whose boundaries touch or come within 1 km (the gaps the "
    "simplified boundaries leave across estuaries); knn: the 6 nearest.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the hotspot permutations.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]

_SHOW = ["geo_code", "geo_name", "industry_code", "businesses", "employment", "establishments",
         "business_lq", "employment_lq", "lq_lower", "lq_upper", "hotspot", "small_count",
         "disclosure_flag"]


_SHOW_SERIES = ["geo_code", "geo_name", "nation_name", "businesses", "business_lq", "lq_lower", "lq_upper",
                "business_lq_uk", "business_lq_nation", "rank_nation", "hotspot", "outlier_flag"]
#: --scope values that test places from the annual series, and the nation each keeps (None: the UK).
_SERIES_SCOPES: dict[str, str | None] = {"uk": None, "scotland": "scotland", "wales": "wales",
                                         "northern-ireland": "northern ireland", "england-series": "england"}


_SHOW_TRAJECTORY = ["geo_code", "geo_name", "nation", "nation_name", "businesses", "trajectory", "window", "cagr",
                    "relative_cagr_pp", "business_lq", "lq_year", "outlier_flag"]


#: The measure of an LQ as it qualifies "location quotient".
_LQ_NOUN = {"businesses": "business", "enterprises": "business", "employment": "employment",
            "establishments": "local units"}


def _lq_map_title(meta: dict, sub: str, level: str, year: object) -> str:
    """A map's title: the LQ's measure, what it is against (the result's ``benchmark``), sub-sector, level, year.

    >>> _lq_map_title({"measure": "businesses", "benchmark": "England"}, "all creative industries", "lad", "2025")
    'Creative business location quotient against England, all creative industries, LAD 2025'
    >>> _lq_map_title({"measure": "businesses", "benchmark": "UK"}, "all creative industries", "lad", "2024")[:52]
    'Creative business location quotient against the UK, '
    """
    from creative_clusters._text import with_article

    bench = str(meta.get("benchmark") or "")
    bench = {"UK": "the UK"}.get(bench, with_article(bench))
    against = f" against {bench}" if bench else ""
    noun = _LQ_NOUN.get(str(meta.get("measure")), str(meta.get("measure")))
    return f"Creative {noun} location quotient{against}, {sub}, {level.upper()} {year}"


def _interval_after_lq(show: list[str], lq: str) -> list[str]:
    """``show`` with ``lq_lower``/``lq_upper`` right after the LQ they belong to.

    >>> _interval_after_lq(["business_lq", "employment_lq", "lq_lower", "lq_upper", "x"], "business_lq")
    ['business_lq', 'lq_lower', 'lq_upper', 'employment_lq', 'x']
    """
    rest = [c for c in show if c not in ("lq_lower", "lq_upper")]
    at = rest.index(lq) + 1 if lq in rest else len(rest)
    return [*rest[:at], "lq_lower", "lq_upper", *rest[at:]]


def _load(home, level, measure, subsector, year, method, min_size, seed, weights, travel=None, scope="england"):
    from creative_clusters.errors import ParameterError, WarehouseError
    from creative_clusters.warehouse import Warehouse
    from creative_clusters.workflows import business_counts, detection, place_geometry

    if scope != "england" and scope not in _SERIES_SCOPES:
        raise ParameterError(f"--scope must be england, {', '.join(_SERIES_SCOPES)}; got {scope!r}.")
    methods = (*detection.METHODS, "trajectory")  # run_method's detectors, and the series' classes
    if method not in methods:
        raise ParameterError(f"--method must be one of {', '.join(methods[:-1])} or {methods[-1]}; "
                             f"got {method!r}.")
    note = business_counts.subsector_note(subsector)
    if note:
        typer.echo(note, err=True)
    wh = Warehouse(home, read_only=True)
    if method == "trajectory":
        try:
            return _load_trajectory(wh, level, subsector, year, travel, scope)
        finally:
            wh.close()
    try:
        if scope == "england":
            try:
                table, meta = detection.place_table(wh, level=level, measure=measure, subsector=subsector,
                                                    year=year)
            except WarehouseError as exc:  # a year England's SIC-level table lacks: say the offline route too
                from creative_clusters.workflows._series_places import series_route_for_year

                route = series_route_for_year(wh, year) if year is not None and not subsector else ""
                if not route:
                    raise
                raise WarehouseError(f"{exc} {route}") from None
            if meta.get("note"):
                typer.echo(f"Note: {meta['note']}", err=True)
        else:
            table, meta = _series_table(wh, level, measure, subsector, year, scope)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result, det = detection.run_method(wh, table, meta, method=method, min_size=min_size,
                                           seed=seed, weights=weights)
        for w in caught:
            typer.echo(f"Warning: {w.message}", err=True)
        geometry = place_geometry.level_geometry(wh, level) if level in business_counts.LAD_LEVELS else None
    finally:
        wh.close()
    if travel is not None:
        return result, det, meta, geometry, detection.read_travel_time(travel, result["geo_code"])
    return result, det, meta, geometry


def _series_table(wh, level, measure, subsector, year, scope):
    """Places from the annual series (workflows.trajectory) with their centroids; notes to stderr."""
    from creative_clusters.errors import ParameterError
    from creative_clusters.workflows import business_counts, place_geometry
    from creative_clusters.workflows.trajectory import series_place_table

    if subsector:
        raise ParameterError(f"--scope {scope} uses the annual series of all creative industries, which has no "
                             "sub-sector split; drop --subsector (sub-sectors exist for England: --scope england).")
    if measure not in ("businesses", "enterprises"):
        raise ParameterError(f"--scope {scope} measures creative businesses only; drop --measure {measure}.")
    if level not in business_counts.LAD_LEVELS:
        raise ParameterError(f"--scope {scope} works at levels {list(business_counts.LAD_LEVELS)}; got {level!r}.")
    table, meta = series_place_table(wh, level, year=year, nation=_SERIES_SCOPES[scope])
    for n in meta["notes"]:
        typer.echo(f"Note: {n}", err=True)
    geometry = place_geometry.level_geometry(wh, level)
    table = table.merge(place_geometry.place_centroids(wh, level=level, geometry=geometry), on="geo_code",
                        how="left")
    return table, meta


def _load_trajectory(wh, level, subsector, year, travel=None, scope="england"):
    """Trajectory classes of every UK place of ``level`` in ``year`` (from workflows.trajectory)."""
    from creative_clusters.errors import ParameterError
    from creative_clusters.workflows import business_counts, detection, place_geometry
    from creative_clusters.workflows.trajectory import cluster_table

    if subsector:
        raise ParameterError("trajectory classes use the annual series of all creative industries, which has "
                             "no sub-sector split; drop --subsector.")
    if level not in business_counts.LAD_LEVELS:
        raise ParameterError(f"trajectory classes are computed for levels {list(business_counts.LAD_LEVELS)}; "
                             f"got {level!r}.")
    nation = _SERIES_SCOPES.get(scope)
    if nation is not None:  # classified within the nation: its places' size floors (cluster_table)
        from creative_clusters.workflows.trajectory import nation_code

        nation = nation_code(nation)
    result, meta = cluster_table(wh, level, year=year, nation=nation)
    geometry = place_geometry.level_geometry(wh, level)
    result = result.merge(place_geometry.place_centroids(wh, level=level, geometry=geometry), on="geo_code",
                          how="left")
    if travel is not None:
        return result, None, meta, geometry, detection.read_travel_time(travel, result["geo_code"])
    return result, None, meta, geometry


#: Headers of the printed table; --csv and --json keep the column names.
_HEADERS = {
    "geo_code": "code", "geo_name": "place", "nation": "nation", "nation_name": "nation",
    "industry_code": "sub-sector", "businesses": "enterprises", "employment": "jobs",
    "establishments": "local units", "business_lq": "LQ", "employment_lq": "jobs LQ",
    "lq_lower": "LQ low", "lq_upper": "LQ high", "business_lq_uk": "LQ vs UK",
    "business_lq_nation": "LQ vs nation", "rank_nation": "rank in nation", "hotspot": "hotspot class",
    "trajectory": "class", "window": "growth window", "cagr": "growth % a year",
    "relative_cagr_pp": "vs nation, points a year", "lq_year": "LQ year", "outlier_flag": "flag",
    "cluster": "cluster", "small_count": "small count", "disclosure_flag": "published as",
    "corridor": "corridor", "n_members": "places", "member_names": "members",
    "total_businesses": "enterprises", "total_creative_businesses": "creative enterprises",
    "total_employment": "jobs", "length_m": "length (km)", "span_m": "span (km)",
    "dominant_subsectors": "main sub-sectors", "mean_similarity": "mix similarity",
}
#: Columns whose values are fractions, printed as signed percentages; and signed points.
_PERCENT_A_YEAR = {"cagr"}
_SIGNED = {"relative_cagr_pp"}
#: Columns in metres, printed in kilometres (the headers say km).
_METRES = {"length_m", "span_m"}


def _subsector_names(text: object) -> object:
    """``"it_software (38%); film_tv (18%)"`` with the DCMS sub-sector names instead of the short ids.

    >>> _subsector_names("it_software (38%); film_tv (18%)")
    'IT, software and computer services (38%); Film, TV, video, radio and photography (18%)'
    >>> _subsector_names(None) is None
    True
    """
    if not isinstance(text, str):
        return text
    import re

    from creative_clusters.classifications.dcms import SUBSECTORS, subsector_short

    names = {subsector_short(n): n for n in SUBSECTORS}
    return re.sub(r"\b[a-z_]+\b", lambda m: names.get(m.group(0), m.group(0)), text)


def _fmt(v: object, col: str = "") -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if v is None:
        return "–"
    if isinstance(v, float):
        if v != v:  # NaN
            return "–"
        if col in _METRES:  # distances in km: 427,502 m reads as 428 km
            km = v / 1000
            return f"{km:,.0f}" if abs(km) >= 100 else f"{km:.1f}"
        if col in _PERCENT_A_YEAR or col in _SIGNED:
            from creative_clusters._text import fmt_signed

            return fmt_signed(100 * v if col in _PERCENT_A_YEAR else v, 1)
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
    return str(v)


def _readable(frame):
    """The frame as printed: no machine-only columns, and none every row shares a dull value of.

    Codes, sub-sector code ``_T`` (all creative), ``small_count`` all False,
    ``disclosure_flag`` all rounded and ``cluster`` all True say nothing in a
    table; they stay in --csv and --json.
    """
    drop = {"method", "caveat", "geo_code"}
    if "nation_name" in frame.columns:
        drop.add("nation")
    for col, dull in (("industry_code", {"_T"}), ("small_count", {False}),
                      ("disclosure_flag", {"rounded", "as-published", ""}), ("cluster", {True}),
                      ("outlier_flag", {""})):
        if col in frame.columns:
            seen = set(frame[col].dropna().map(lambda x: x if isinstance(x, bool) else str(x)))
            if seen <= dull:
                drop.add(col)
    return frame.drop(columns=[c for c in frame.columns if c in drop])


def _print(frame, as_json: bool, as_csv: bool, *, title: str = "", names: dict[str, str] | None = None) -> None:
    if as_json:
        echo_json(frame.to_dict("records"))
    elif as_csv:
        frame.to_csv(sys.stdout, index=False)
    else:
        from rich.console import Console
        from rich.table import Table

        shown = _readable(frame)
        caption = "--csv gives every column, with GSS codes" if len(shown.columns) < len(frame.columns) else ""
        named = {**_HEADERS, **(names or {})}
        headers = [named.get(str(c), str(c).replace("_", " ")) for c in shown.columns]
        rows = [[_fmt(v, c) for v, c in zip(row, shown.columns, strict=True)]
                for row in shown.itertuples(index=False)]
        console = Console()  # the terminal's width (COLUMNS when set; 80 in a pipe)
        widths = fit_widths(headers, rows, console.width)
        if widths is None:  # too narrow for the columns' words: one block per place
            echo_as_list(headers, rows, console.width, title=title, caption=caption)
            return
        t = Table(title=title or None, title_justify="left", caption=caption or None, caption_justify="left")
        for header, w in zip(headers, widths, strict=True):
            t.add_column(header, overflow="fold", width=w)  # a word longer than 24 characters folds, never "…"
        for cells in rows:
            t.add_row(*cells)
        console.print(t)


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register ``map``, ``clusters`` and ``corridors``."""

    @app.command("map", epilog=examples(
        "creative-clusters map --out maps/lad",
        "creative-clusters map --out maps/ttwa --level ttwa --subsector film",
        "creative-clusters map --out maps/trajectory --method trajectory"))
    @handle_errors
    def map_(
        out: Annotated[Path, typer.Option("--out", help="Output directory (written atomically).")],
        subsector: SubsectorOpt = None,
        measure: MeasureOpt = "businesses",
        method: MethodOpt = "threshold",
        level: MapLevelOpt = "lad",
        year: YearOpt = None,
        min_size: MinSizeOpt = "q25",
        seed: SeedOpt = 0,
        weights: WeightsOpt = "queen",
        scope: ScopeOpt = "england",
        home: HomeOption = None,
    ) -> None:
        """Map every place's LQ and cluster label: GeoPackage, GeoJSON, CSV, PNG and SVG."""
        from creative_clusters.errors import ParameterError
        from creative_clusters.workflows.cluster_maps import write_map

        if level == "nuts2":
            raise ParameterError(
                "no boundaries for NUTS2 in the reference bundle, so NUTS2 cannot be mapped; use "
                "`creative-clusters clusters --level nuts2` for the table.")
        from creative_clusters.workflows.business_counts import LAD_LEVELS

        if level not in LAD_LEVELS:
            raise ParameterError(f"--level must be one of {', '.join(LAD_LEVELS)} for a map; got {level!r}.")

        result, _det, meta, geometry = _load(home, level, measure, subsector, year, method,
                                            min_size, seed, weights, scope=scope)
        if geometry is None:
            raise ParameterError(
                f"no boundaries for level {level!r} in the warehouse, so no map can be drawn; "
                "use `creative-clusters clusters --level nuts2 --csv` for the table."
            )
        caveats = sorted({c for c in result.get("caveat", []) if c})
        if method == "trajectory" and not result["trajectory"].fillna("").astype(str).str.strip().any():
            # a map of places with no class would read as "no clusters": say why there are none instead
            why = next((c[c.index("no trajectory classes"):] for c in caveats if "no trajectory classes" in c),
                       f"no place has a trajectory class in {meta.get('period', year)}")
            raise ParameterError(f"nothing to map: {why}; choose such a year with --year.")
        for c in caveats:  # as `clusters` prints them: the map's file carries only its source line
            typer.echo(f"Caveat: {c}", err=True)
        sub = subsector or "all creative industries"
        shown_year = meta.get("period", year)
        if method == "trajectory":
            title = f"Creative enterprises: trajectory classes, {level.upper()} {shown_year}"
            paths = write_map(result, geometry, out, value="trajectory", title=title, source=meta["source"],
                              method=result["method"].iloc[0], label="trajectory class", basename="clusters")
        else:
            title = _lq_map_title(meta, sub, level, shown_year)
            paths = write_map(result, geometry, out, value=meta["lq"], title=title,
                              source=meta["source"], method=result["method"].iloc[0],
                              label=f"{meta['measure']} LQ")
        n = int(result["cluster"].sum())
        typer.echo(f"{count_words(n, 'cluster')} among {count_words(len(result), 'place')}; wrote " + ", ".join(
            str(p) for p in paths.values()))

    @app.command("clusters", epilog=examples(
        "creative-clusters clusters",
        "creative-clusters clusters --level ttwa --subsector games",
        "creative-clusters clusters --method trajectory --scope scotland",
        "creative-clusters clusters --scope uk --all --csv > places.csv",
        "creative-clusters clusters --level nuts2 --measure employment --year 2018"))
    @handle_errors
    def clusters(
        method: MethodOpt = "threshold",
        level: LevelOpt = "lad",
        subsector: SubsectorOpt = None,
        measure: MeasureOpt = "businesses",
        year: YearOpt = None,
        min_size: MinSizeOpt = "q25",
        seed: SeedOpt = 0,
        weights: WeightsOpt = "queen",
        all_places: Annotated[bool, typer.Option("--all", help="Print every place, not only clusters.")] = False,
        scope: ScopeOpt = "england",
        as_json: JsonOption = False,
        as_csv: CsvOpt = False,
        home: HomeOption = None,
    ) -> None:
        """Print the detected clusters (largest first)."""
        result, _det, meta, _ = _load(home, level, measure, subsector, year, method, min_size,
                                     seed, weights, scope=scope)
        rows = result if all_places else result[result["cluster"]]
        rows = rows.sort_values(meta["size"], ascending=False)
        show = (_SHOW_TRAJECTORY if method == "trajectory" else _SHOW_SERIES if scope in _SERIES_SCOPES
                else _interval_after_lq(_SHOW, meta["lq"]))
        if method == "trajectory" and (as_json or as_csv):  # why each class, its floors' places named
            show = [*show, "trajectory_reason"]
        cols = [c for c in show if c in rows.columns] + ["cluster", "method"]
        if level == "nuts2" and meta.get("lq") == "employment_lq":  # BRES is a survey: no interval (the caveat)
            cols = [c for c in cols if c not in ("lq_lower", "lq_upper")]
        if "caveat" in rows.columns:
            cols.append("caveat")
        caveats = sorted({c for c in result.get("caveat", []) if c})
        if (not as_json and not as_csv) or rows.empty:  # an empty CSV still says why it is empty
            for c in caveats:
                typer.echo(f"Caveat: {c}", err=True)
        bench = f"; {meta.get('period', '')}, business LQ against {meta['benchmark']}" if "benchmark" in meta else ""
        nuts2: dict[str, str] = {}
        if level == "nuts2":  # which LQ is which, against which area, of which year and source
            bases = {"employment_lq": ("jobs LQ", "employment_lq_base", "BRES"),
                     "business_lq": ("local units LQ", "business_lq_base", "IDBR")}
            order = [meta["lq"], *(k for k in bases if k != meta.get("lq"))]
            said = []
            for k in order:
                label, col, src = bases[k]
                base = next((str(b) for b in result.get(col, []) if isinstance(b, str) and b), "")
                if base:
                    said.append(f"{label} against {base} ({src})")
            bench = f"; {meta.get('period', '')}; {meta.get('source', '')}; " + "; ".join(said)
            nuts2 = {"business_lq": "local units LQ"}
            if meta.get("lq") == "business_lq":  # the interval is the measure's own
                nuts2 |= {"lq_lower": "local units LQ low", "lq_upper": "local units LQ high"}
        title = (f"{len(rows)} of {len(result)} places ({level}{bench}); method: {result['method'].iloc[0]}; "
                 f"definitions {DEFINITION_VERSION}")
        _print(rows[cols], as_json, as_csv, title=title, names=nuts2)

    @app.command("corridors", epilog=examples(
        "creative-clusters corridors",
        "creative-clusters corridors --level ttwa --touching",
        "creative-clusters corridors --max-distance 30000 --out maps/corridors"))
    @handle_errors
    def corridors(
        method: MethodOpt = "threshold",
        level: Annotated[
            str,
            typer.Option(
                "--level",
                callback=lower_choice,
                help="lad or ttwa (2011 TTWAs, LAD-approximated); cauth and rgn also work.",
            ),
        ] = "lad",
        subsector: SubsectorOpt = None,
        year: YearOpt = None,
        min_size: MinSizeOpt = "q25",
        max_distance: Annotated[
            float,
            typer.Option(
                "--max-distance",
                help="Join clusters whose centroids are within this many metres (ignored with --travel-time).",
            ),
        ] = 20_000.0,
        travel_time: Annotated[
            Path | None,
            typer.Option(
                "--travel-time",
                help="CSV of travel times with columns origin, destination, minutes (place codes of --level; one row "
                    "per pair, used both ways; pairs not listed = unreachable). Replaces the distance rule.",
            ),
        ] = None,
        max_minutes: Annotated[
            float,
            typer.Option(
                "--max-minutes",
                help="With --travel-time: join clusters at most this many minutes apart.",
            ),
        ] = 60.0,
        touching: Annotated[
            bool,
            typer.Option(
                "--touching",
                help="Also join clusters whose boundaries touch (queen contiguity: within 1 km, bridging the gaps the "
                    "simplified boundaries leave across estuaries), whatever the distance; useful for large areas "
                    "such as TTWAs.",
            ),
        ] = False,
        min_corridor: Annotated[
            float,
            typer.Option(
                "--min-corridor",
                help="Smallest combined creative businesses of a corridor.",
            ),
        ] = 1_000.0,
        seed: SeedOpt = 0,
        scope: ScopeOpt = "england",
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                help="Also write a corridor map into this directory.",
            ),
        ] = None,
        as_json: JsonOption = False,
        as_csv: CsvOpt = False,
        home: HomeOption = None,
    ) -> None:
        """Find corridors of connected clusters (LADs or TTWAs) and print (and optionally map) them.

        With --travel-time FILE.csv (columns origin, destination, minutes; codes of
        --level), clusters at most --max-minutes apart are joined instead of the
        --max-distance centroid rule.
        """
        from creative_clusters.workflows import detection, place_geometry

        if level == "nuts2":
            from creative_clusters.errors import ParameterError

            raise ParameterError("corridors need centroids; the bundle has no NUTS2 boundaries. Use "
                                 "--level lad or ttwa.")
        loaded = _load(home, level, "businesses", subsector, year, method, min_size, seed, "queen",
                       travel=travel_time, scope=scope)
        result, _det, meta, geometry = loaded[:4]
        matrix = loaded[4] if travel_time is not None else None
        connectivity = None
        if touching and geometry is not None:
            gdf = geometry[geometry["geo_code"].isin(set(result["geo_code"]))].reset_index(drop=True)
            connectivity = place_geometry.build_connectivity(gdf, kind="queen")
        places, cor = detection.find_corridors(result, mass="businesses", max_distance=max_distance,
                                           min_size=min_corridor, travel_time=matrix,
                                           max_minutes=max_minutes, connectivity=connectivity)
        reach = (f"within {max_minutes:g} minutes ({travel_time.name})" if travel_time is not None
                 else f"within {max_distance:g} m") + (" or touching" if touching else "")
        table = cor.corridors_
        if out is not None:
            from creative_clusters.workflows.cluster_maps import write_map

            shown = places.assign(corridor_id=places["corridor"].where(places["corridor"] >= 0))
            write_map(shown.assign(cluster=places["corridor"] >= 0), geometry, out,
                      value=meta["lq"], title="Creative corridors (outlined) over business LQ",
                      source=meta["source"], method=f"corridors({reach}) of "
                      + result["method"].iloc[0], basename="corridors", label="business LQ",
                      outline_label="corridor member", tables={"corridor_summary": table})
        if not as_json and not as_csv:  # the printed table: numbered from 1, sub-sectors by their DCMS names
            table = table.drop(columns=["members", "total_creative_businesses"], errors="ignore")
            if len(table):
                table = table.assign(corridor=table["corridor"] + 1,
                                     dominant_subsectors=table["dominant_subsectors"].map(_subsector_names))
        caveats = sorted({c for c in result.get("caveat", []) if c and "TTWA" in c})
        if len(cor.corridors_) and cor.corridors_["mean_similarity"].isna().all():
            caveats.append("no sub-sector counts for these places (the annual series has none), so the "
                           "corridors have no main sub-sectors and no mix similarity")
        if not as_json and not as_csv:
            for c in caveats:
                typer.echo(f"Caveat: {c}", err=True)
        title = (f"{count_words(len(cor.corridors_), 'corridor')} ({level}): clusters by {result['method'].iloc[0]}, "
                 f"joined {reach}; at least {min_corridor:g} creative businesses")
        _print(table, as_json, as_csv, title=title)
