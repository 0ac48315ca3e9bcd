"""CLI commands: ``workforce PLACE``, ``inclusion PLACE``, ``anchors PLACE``, ``createch FILE``, ``fdi FILE``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from creative_clusters.cli._common import HomeOption, JsonOption, echo_json, examples, handle_errors

PlaceArg = Annotated[str, typer.Argument(help="Place name or GSS code, e.g. 'Manchester', 'E47000001'.")]


#: The workforce report's two estimates of creative residents (people.workforce), in words.
_METHOD_WORDS = {
    "division_sum": "1, whole SIC divisions (residents of every 2-digit division at least half creative "
                    "nationally)",
    "share_weighted": "2, divisions weighted (each division holding a creative class counted at its national "
                      "creative share)",
}


def _open(home: Any):
    from creative_clusters.warehouse import Warehouse

    return Warehouse(home, read_only=True)


def _line(fig: dict[str, Any] | None) -> str:
    if not fig:
        return "not available"
    v = fig.get("value")
    if v is None:
        return f"{fig['label']}: not available ({fig.get('flag', '')})"
    txt = f"{v:,.2f}" if fig["unit"] == "ratio" else f"{v:,.1f}" if fig["unit"] in ("%", "per 100k") else f"{v:,.0f}"
    unit = "%" if fig["unit"] == "%" else "" if fig["unit"] == "ratio" else f" {fig['unit']}"  # an LQ has no unit
    return f"{fig['label']}: {txt}{unit}  [{fig['source']}, {fig['vintage']}, {fig['basis']}]"


def _missing(rep: dict[str, Any]) -> None:
    for m in rep.get("missing", []):
        typer.echo(f"  (missing) {m}")


def _header(rep: dict[str, Any], title: str) -> None:
    p = rep["place"]
    typer.echo(f"{title}: {p['name']} ({p['code']}, {p['geo_type']})")
    if len(p.get("member_lads", [])) > 1:
        typer.echo(f"  sum of {len(p['member_lads'])} member LADs")
    if p.get("member_rule"):
        typer.echo(f"  members: {p['member_rule']}")


def _place_report(
    producer: Callable[[Any, Any], dict[str, Any]],
    place: str,
    home: Any,
    *,
    json_: bool,
    title: str,
) -> dict[str, Any] | None:
    """Run a place report on the warehouse; print it as JSON, or print its header.

    Parameters
    ----------
    producer : callable
        The workflow's report producer, called as ``producer(warehouse, resolved_place)``.
    place : str
        The place as the user typed it (name or GSS code).
    home : path or None
        The warehouse home (``--home``).
    json_ : bool
        Print the whole report as JSON and stop.
    title : str
        The heading of the text output.

    Returns
    -------
    dict or None
        The report, for the command to print its body; ``None`` when it was printed as JSON.
    """
    from creative_clusters.workflows.places import resolve_place

    with _open(home) as wh:
        rep = producer(wh, resolve_place(wh, place))
    if json_:
        echo_json(rep)
        return None
    _header(rep, title)
    return rep


def register(app: typer.Typer, data_app: typer.Typer) -> None:
    """Register the people commands."""

    @app.command("workforce", epilog=examples("creative-clusters workforce Sheffield",
                                              "creative-clusters workforce \"Greater Manchester\" --json"))
    @handle_errors
    def workforce(place: PlaceArg, json_: JsonOption = False, home: HomeOption = None) -> None:
        """Creative workforce: Census residents, occupations, self-employment, SE-inclusive LQ."""
        from creative_clusters.workflows.workforce_report import workforce_report

        rep = _place_report(workforce_report, place, home, json_=json_, title="Creative workforce")
        if rep is None:
            return
        ts = rep.get("census_ts060", {})
        for method in ("division_sum", "share_weighted"):
            if method in ts:
                typer.echo(f"  Estimate {_METHOD_WORDS[method]}:")
                for k in ("creative_residents", "share_pct", "residence_lq_vs_ew"):
                    typer.echo("    " + _line(ts[method][k]).replace(f" ({method})", ""))
        d = rep["division_approximation"]
        typer.echo(f"  divisions summed: {', '.join(d['divisions'])}; GB net error vs 4-digit "
                   f"{d['gb_bres']['net_pct']:+.1f}% (BRES {d['gb_bres']['period']})")
        if "occupations" in rep:
            o = rep["occupations"]
            typer.echo("  " + _line(o["lower"]))
            typer.echo("  " + _line(o["upper"]))
        if "self_employment_gm" in rep:
            for k in ("self_employed_with_employees", "self_employed_without_employees", "self_employed_pct"):
                typer.echo("  " + _line(rep["self_employment_gm"][k]))
        se = rep.get("se_inclusive_lq_gm")
        if se:
            typer.echo("  Self-employment-inclusive LQ (ESTIMATE; reference: Greater Manchester):")
            for r in se["rows"]:
                typer.echo(f"    {r.get('geo_name') or r['geo_code']}: LQ {r['lq']:.2f}  "
                           f"LQ incl. self-employed {r['lq_se']:.2f}  "
                           f"gap {r['gap']:+.2f}")
        typer.echo("  " + rep["trident"])
        _missing(rep)

    @app.command("inclusion", epilog=examples("creative-clusters inclusion Sheffield"))
    @handle_errors
    def inclusion(place: PlaceArg, json_: JsonOption = False, home: HomeOption = None) -> None:
        """Deprivation rank, creative activity by deprivation decile, workforce composition, job quality."""
        from creative_clusters.workflows.inclusion_report import inclusion_report

        rep = _place_report(inclusion_report, place, home, json_=json_, title="Inclusion and job quality")
        if rep is None:
            return
        for r in rep["deprivation_ranks"]:
            who = r.get("lad_name") or r["lad"]
            if r.get("rank") is not None:
                typer.echo(f"  {who}, {r['index']}: rank {r['rank']} of {r['of']} (1 = most deprived)")
            else:
                typer.echo(f"  {who}, {r['index']}: {100 * r['share_most_deprived_10pct']:.1f}% of small "
                           "areas in the nation's most deprived 10% (no LAD rank published)")
        dd = rep.get("creative_by_deprivation_decile")
        if dd:
            typer.echo(f"  {dd['unit'][:1].upper() + dd['unit'][1:]}, by decile of English local authorities on "
                       f"the {dd['index']} (1 = most deprived):")
            typer.echo(f"    numerator: creative enterprises, March {dd['period']} snapshot (UK Business Counts); "
                       f"denominator: enterprises active in {dd['denominator_period']} (Business Demography)")
            mine: dict[int, list[str]] = {}
            for p in dd.get("place_deciles", []):
                mine.setdefault(int(p["decile"]), []).append(p.get("geo_name") or p["geo_code"])
            for r in dd["rows"]:
                here = f"  ← {', '.join(mine[int(r['decile'])])}" if int(r["decile"]) in mine else ""
                typer.echo(f"    decile {r['decile']:>2}: {r['rate']:.1f} ({r['lads']} LADs){here}")
        jq = rep.get("job_quality")
        if jq:
            area = rep["job_quality_area"]
            typer.echo(f"  Job quality {jq['vintage']}, {area['name']} (creative vs all industries):")
            for r in jq["rows"]:
                if r["geo_code"] == area["code"] and r["industry_code"] == "_T" and r["industry_scheme"] == "DCMS_CI":
                    share = "n/a" if r["share_pct"] is None else f"{r['share_pct']:.1f}%"
                    typer.echo(f"    {r.get('label') or r['indicator']}: {share} vs {r['all_industries_pct']:.1f}% "
                               f"[{r['disclosure_flag']}]")
        wc = rep.get("workforce_composition")
        if wc and wc.get("rows"):
            rows = [r for r in wc["rows"] if r["geo_code"] == rep.get("job_quality_area", {}).get("code")]
            rows = rows or wc["rows"]
            first = rows[0]
            typer.echo(f"  Workforce composition {first['period']}, {first.get('area_name') or first['geo_code']} "
                       f"(creative industries excl. IT vs all industries, percentage points):")
            for r in rows:
                share = "n/a" if r["share_pct"] is None else f"{r['share_pct']:.1f}%"
                diff = "" if r.get("vs_all_industries_pp") is None else f" ({r['vs_all_industries_pp']:+.1f} pp)"
                typer.echo(f"    {r.get('label') or r['status']}: {share}{diff} [{r['disclosure_flag']}]")
        _missing(rep)

    @app.command("anchors", epilog=examples("creative-clusters anchors Manchester"))
    @handle_errors
    def anchors(place: PlaceArg, json_: JsonOption = False, home: HomeOption = None) -> None:
        """Higher-education providers and museums in a place; nearest anchors to microclusters."""
        from creative_clusters.workflows.anchors_report import anchors_report

        rep = _place_report(anchors_report, place, home, json_=json_, title="Anchor institutions")
        if rep is None:
            return
        if rep.get("population"):
            typer.echo("  " + _line(rep["population"]))
        h = rep.get("hei")
        if h:
            typer.echo("  " + _line(h["count"]) + f"; creative specialists: {h['creative_specialists']}")
            for n in h["names"]:
                typer.echo(f"    - {n}")
        m = rep.get("museums")
        if m:
            typer.echo("  " + _line(m["open_2021"]) + f"; accredited: {m['accredited_open_2021']}")
            if m.get("per_100k") is not None:
                typer.echo(f"    per 100k people: {m['per_100k']:.1f}")
            if m.get("ons_museums_per_100k"):
                typer.echo("    " + _line(m["ons_museums_per_100k"]))
            typer.echo("    by governance: " + ", ".join(f"{r['governance_type']} {r['open_2021']}"
                                                         for r in m["by_governance"]))
            typer.echo(f"    {m['attribution']} ({m['licence']})")
        na = rep.get("nearest_anchors")
        if na and na.get("coverage") != "unplaced":
            rows = f"; {len(na['rows'])} rows (use --json)" if na["rows"] else ""
            typer.echo(f"  Nearest anchors to microclusters: {na['note']}{rows}")
        _missing(rep)

    _register_extra(app)


def _register_extra(app: typer.Typer) -> None:
    @app.command("createch")
    @handle_errors
    def createch(
        firms_file: Annotated[str, typer.Argument(help="Companies House extract (CSV/CSV.gz/Excel) with SIC code "
                                                        "columns SICCode.SicText_1..4 and a localauthority_code "
                                                        "column.")],
        json_: JsonOption = False,
    ) -> None:
        """Createch firms by place in your Companies House extract (rule createch-sic-v1; see docs/workforce.md)."""
        from creative_clusters.workflows.createch_report import createch_by_place

        t = createch_by_place(firms_file)
        if json_:
            echo_json(t.to_dict("records"))
            return
        typer.echo(f"Createch firms (active companies), rule: {t['rule'].iloc[0] if len(t) else ''}")
        for r in t.sort_values("createch", ascending=False).itertuples():
            typer.echo(f"  {getattr(r, 'geo_name', r.geo_code)} ({r.geo_code}): {r.createch:,} of {r.firms:,} firms "
                       f"({r.createch_per_1000_firms:.1f} per 1,000; games {r.games}, creative+tech "
                       f"{r.creative_plus_tech})")
        typer.echo("  Register-based lower bound: SIC codes cannot show R&D or technology use.")

    @app.command("fdi")
    @handle_errors
    def fdi(
        projects_file: Annotated[str, typer.Argument(help="Your FDI project list (CSV/Excel).")],
        jobs: Annotated[bool, typer.Option("--jobs", help="Weight projects by jobs.")] = False,
        json_: JsonOption = False,
        home: HomeOption = None,
    ) -> None:
        """FDI location quotient by English region against creative enterprises."""
        from creative_clusters.workflows.fdi_report import fdi_report

        with _open(home) as wh:
            rep = fdi_report(wh, projects_file, weight="jobs" if jobs else None)
        if json_:
            echo_json(rep)
            return
        r = rep["report"]
        typer.echo(f"FDI projects: {r['rows']} rows, {r['valid']} used, {r['set_aside']} set aside "
                   f"(unknown place {r['unknown_place']}, outside base {r['outside_base']}, unknown sector "
                   f"{r['unknown_sector']}, bad year {r['bad_year']}, bad type {r['bad_type']})")
        for x in rep["lq"]:
            typer.echo(f"  {x['geo_name']} ({x['geo_code']}): {x['projects']:g} {rep['weight']}, "
                       f"FDI LQ {x['fdi_lq']:.2f}")
        for x in rep["set_aside_rows"]:
            typer.echo(f"  set aside row {x['source_row']}: {x['issue']}")
        typer.echo(f"  Base: {rep['base']}")
