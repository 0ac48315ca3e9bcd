"""The workforce / inclusion / anchors commands on the session warehouse."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


def test_inclusion_json_middlesbrough(full_home, full_warehouse):
    r = runner.invoke(app, ["inclusion", "Middlesbrough", "--json", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    ranks = {x["dataset"]: x["rank"] for x in d["deprivation_ranks"]}
    # the latest English index in the catalogue serves the rank (IMD 2025), as published
    obs = full_warehouse.observations(dataset="imd2025_england", measure="imd_rank_of_average_score",
                                      geo_code="E06000002")
    assert ranks == {"imd2025_england": obs["value"].item()}


def test_workforce_text_and_json(full_home):
    r = runner.invoke(app, ["workforce", "Salford", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    assert "residence" in r.stdout and "ESTIMATE" in r.stdout and "trident" in r.stdout
    j = json.loads(runner.invoke(app, ["workforce", "E08000006", "--json", "--home", str(full_home)]).stdout)
    fig = j["census_ts060"]["division_sum"]["creative_residents"]
    assert {"source", "vintage", "basis", "caveats"} <= set(fig)


def test_anchors_carries_museum_attribution(full_home):
    r = runner.invoke(app, ["anchors", "Manchester", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    assert "Mapping Museums project, Birkbeck" in r.stdout
    j = json.loads(runner.invoke(app, ["anchors", "Manchester", "--json", "--home", str(full_home)]).stdout)
    assert "CC BY 4.0" in j["museums"]["licence"]  # the catalogue's licence of the museums dataset


def test_unknown_place_one_line_error(full_home):
    r = runner.invoke(app, ["anchors", "Narnia", "--home", str(full_home)])
    assert r.exit_code == 1
    assert "Narnia" in r.output and "Traceback" not in r.output


def test_fdi_command_sets_aside_and_counts(full_home, tmp_path):
    p = tmp_path / "projects.csv"  # hand-typed synthetic project list
    p.write_text("destination,sector,year,type,jobs\nLondon,film,2019,greenfield,50\n"
                 "Manchester,games,2020,M&A,20\nManchester,design,2021,greenfield,10\n"
                 "Glasgow,design,2021,greenfield,5\nAtlantis,film,2020,greenfield,1\n")
    r = runner.invoke(app, ["fdi", str(p), "--json", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    rep = d["report"]
    assert (rep["rows"], rep["valid"], rep["unknown_place"], rep["outside_base"]) == (5, 3, 1, 1)
    lq = {x["geo_code"]: x for x in d["lq"]}
    assert lq["E12000002"]["projects"] == 2  # Manchester -> North West
    base = sum(x["base"] for x in d["lq"])
    nw = lq["E12000002"]
    assert abs(nw["fdi_lq"] - (2 / 3) / (nw["base"] / base)) < 1e-3
    assert {x["source_row"] for x in d["set_aside_rows"]} == {5, 6}


def test_createch_command(data_root):
    f = data_root / "firms" / "companieshouse_southyorkshire_2024-11-01.csv.gz"
    r = runner.invoke(app, ["createch", str(f), "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {x["geo_name"] for x in rows} >= {"Sheffield", "Doncaster", "Rotherham", "Barnsley"}
    assert all(x["createch"] <= x["firms"] for x in rows)


def test_nearest_anchors_with_microclusters_in_warehouse(full_home, tmp_path):
    import shutil

    import pandas as pd

    from creative_clusters.sources._base import DatasetSpec, ImportResult
    from creative_clusters.warehouse import Warehouse

    home = tmp_path / "home"
    shutil.copytree(full_home, home)
    (tmp_path / "mc.csv").write_text("synthetic\n")
    mc = pd.DataFrame({"microcluster_id": ["mc1"], "centroid_easting": [384_000.0],
                       "centroid_northing": [398_000.0]})  # synthetic centroid in central Manchester
    spec = DatasetSpec(id="microclusters_test", title="t", publisher="test", licence="OGL", source_url="",
                       vintage="2025", files=("mc.csv",),
                       reader=lambda root: ImportResult(tables={"microclusters": mc}))
    with Warehouse(home) as wh:
        wh.import_datasets([spec], tmp_path)
    r = runner.invoke(app, ["anchors", "Manchester", "--json", "--home", str(home)])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["nearest_anchors"]["rows"]
    hei = [x for x in rows if x["kind"] == "hei"]
    assert len(hei) == 3 and hei[0]["distance_km"] < 3
    assert {"hei", "museum"} == {x["kind"] for x in rows}
