"""`map`, `clusters`, `corridors` and the area workflows on a small SYNTHETIC warehouse.

Every number below is made up (labelled synthetic); the datasets use the agreed
ids and measures so the workflows read them exactly as they read the real ones.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from creative_clusters.clusters import load_esda

load_esda()

from creative_clusters.cli import app  # noqa: E402
from creative_clusters.sources._base import DatasetSpec, ImportResult  # noqa: E402
from creative_clusters.warehouse import Warehouse  # noqa: E402

CODES = [f"E060000{i:02d}" for i in range(1, 13)]  # 12 synthetic places on a 3 x 4 grid
SIC = {"5911": "film_tv", "6201": "it_software", "7111": "architecture", "9003": "music_arts"}


def _obs(**cols):
    n = len(next(iter(cols.values())))
    base = {"dataset_vintage": "synthetic", "geo_type": "lad", "geo_vintage": "2023",
            "industry_scheme": "", "industry_code": "", "occupation_scheme": "",
            "occupation_code": "", "status": "", "disclosure_flag": "as-published"}
    return pd.DataFrame({**{k: [v] * n for k, v in base.items()}, **cols})


def synthetic_counts(root):
    rng = np.random.default_rng(0)
    rows = []
    for i, code in enumerate(CODES):
        hot = i in (0, 1, 4, 5)  # a synthetic creative corner
        for sic in SIC:
            rows.append((code, sic, float(5 * rng.integers(8 if hot else 1, 20 if hot else 6))))
    c, s, v = zip(*rows, strict=True)
    obs = _obs(dataset=["business_counts_2025"] * len(c), geo_code=list(c),
               industry_scheme=["SIC2007"] * len(c), industry_code=list(s), period=["2025"] * len(c),
               measure=["enterprises"] * len(c), value=list(v))
    obs["disclosure_flag"] = "rounded"
    return ImportResult(observations=obs, coverage="synthetic")


def synthetic_demography(root):
    return ImportResult(observations=_obs(
        dataset=["business_demography_2024"] * 12, geo_code=CODES, period=["2024"] * 12,
        measure=["active_enterprises"] * 12, value=[1000.0] * 12), coverage="synthetic")


def synthetic_geometry(root):
    import geopandas as gpd
    from shapely.geometry import box

    geoms = [box(400_000 + 15_000 * (i % 4), 300_000 + 15_000 * (i // 4),
                 415_000 + 15_000 * (i % 4), 315_000 + 15_000 * (i // 4)) for i in range(12)]
    gdf = gpd.GeoDataFrame({"geo_code": CODES, "geo_name": [f"Synthetic {i + 1}" for i in range(12)],
                            "geo_type": "lad"}, geometry=geoms, crs=27700).to_crs(4326)
    areas = pd.DataFrame({"geo_code": CODES, "geo_name": gdf["geo_name"], "geo_type": "lad"})
    return ImportResult(tables={"areas": areas}, geometries={"lad_2023": gdf}, coverage="synthetic")


def synthetic_nuts2(kind):
    def read(root):
        years = ["2015", "2016", "2017", "2018"] if kind == "bres" else ["2016", "2017", "2018"]
        rows = []
        for y in years:
            for r, (cre, other) in enumerate([(100.0, 900.0), (50.0, 950.0), (10.0, 990.0)]):
                rows += [(f"UKX{r}", "5911", cre + int(y) - 2015), (f"UKX{r}", "4711", other)]
        g, s, v = zip(*rows, strict=True)
        n = len(g)
        return ImportResult(observations=_obs(
            dataset=[f"{kind}_nuts2" if kind == "bres" else "idbr_nuts2"] * n, geo_code=list(g),
            geo_type=["nuts2"] * n, geo_vintage=["2013"] * n, industry_scheme=["SIC2007"] * n,
            industry_code=list(s), period=[y for y in years for _ in range(6)],
            measure=["employment" if kind == "bres" else "local_units"] * n, value=list(v)),
            coverage="synthetic")
    return read


def _spec(i, reader):
    return DatasetSpec(id=i, title=f"SYNTHETIC {i}", publisher="test", licence="none",
                       source_url="", vintage="synthetic", files=(), reader=reader)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h = tmp_path_factory.mktemp("synthetic-home")
    with Warehouse(h) as wh:
        wh.import_datasets([
            _spec("geography_boundaries", synthetic_geometry),
            _spec("business_counts_2025", synthetic_counts),
            _spec("business_demography_2024", synthetic_demography),
            _spec("bres_nuts2", synthetic_nuts2("bres")),
            _spec("idbr_nuts2", synthetic_nuts2("idbr")),
        ], h)
    return h


@pytest.fixture()
def wh(home):
    w = Warehouse(home, read_only=True)
    yield w
    w.close()


runner = CliRunner()


# ---------------------------------------------------------------- workflows
def test_lad_business_table_hand_check(wh):
    from creative_clusters.workflows import business_counts

    t = business_counts.lad_business_table(wh)
    assert len(t) == 12 and t["geo_code"].is_unique
    counts = wh.observations(dataset="business_counts_2025")
    per_lad = counts.groupby("geo_code")["value"].sum()
    # every LAD has 1000 active enterprises, so LQ = creative / mean creative
    expected = per_lad / per_lad.mean()
    np.testing.assert_allclose(t.set_index("geo_code")["business_lq"], expected.loc[t["geo_code"]])
    assert t["caveat"].str.startswith("mixed-source denominator").all()
    assert t[["x", "y"]].notna().all().all()
    assert {"biz_film_tv", "biz_it_software", "biz_architecture", "biz_music_arts"} <= set(t.columns)
    assert t["geo_name"].iloc[0] == "Synthetic 1"
    film = business_counts.lad_business_table(wh, subsector="film")
    film_counts = counts[counts["industry_code"] == "5911"].set_index("geo_code")["value"]
    np.testing.assert_allclose(film.set_index("geo_code")["businesses"], film_counts.loc[film["geo_code"]])


def test_nuts2_employment_table_hand_check(wh):
    from creative_clusters.workflows import nuts2_tables

    t = nuts2_tables.nuts2_employment_table(wh, year=2015).set_index("geo_code")
    # 2015: creative 100/50/10 of 1000 each → reference 160/3000; LQ_0 = .1 / (160/3000)
    assert t.loc["UKX0", "employment_lq"] == pytest.approx(0.1 / (160 / 3000))
    assert np.isnan(t.loc["UKX0", "business_lq"])  # IDBR has no 2015
    t18 = nuts2_tables.nuts2_employment_table(wh, year=2018).set_index("geo_code")
    assert t18.loc["UKX0", "establishments"] == 103


def test_workflow_errors(wh):
    from creative_clusters.errors import ParameterError, SchemaError, WarehouseError
    from creative_clusters.workflows import business_counts, detection, nuts2_tables

    with pytest.raises(SchemaError, match="absent"):
        business_counts.lad_business_table(wh, subsector="museums")
    with pytest.raises(ParameterError, match="not available at level 'lad'") as err:
        detection.place_table(wh, level="lad", measure="employment")
    # the message lists what each level does have
    assert "nuts2: employment" in str(err.value) and "ttwa: businesses" in str(err.value)
    with pytest.raises(WarehouseError, match="years available: 2025") as err:
        business_counts.lad_business_counts(wh, year=2024)
    assert "data fetch business_counts_enterprises --geography lad --date 2024" in str(err.value)
    with pytest.raises(SchemaError, match="years"):
        nuts2_tables.nuts2_employment_table(wh, year=2012)


# ---------------------------------------------------------------- commands
def test_clusters_csv_and_json(home):
    r = runner.invoke(app, ["clusters", "--home", str(home), "--csv", "--min-size", "0"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("geo_code,geo_name")
    assert len(lines) >= 2
    r = runner.invoke(app, ["clusters", "--home", str(home), "--json", "--all"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 12 and {"business_lq", "cluster", "method"} <= set(rows[0])


def test_clusters_hotspot_and_strong(home):
    for method in ("hotspot", "strong"):
        r = runner.invoke(app, ["clusters", "--home", str(home), "--method", method, "--json", "--all"])
        assert r.exit_code == 0, r.output
        rows = json.loads(r.stdout)
        assert len(rows) == 12
        assert method in rows[0]["method"]


def test_clusters_nuts2_employment(home):
    r = runner.invoke(app, ["clusters", "--home", str(home), "--level", "nuts2", "--measure",
                            "employment", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["geo_code"] for x in rows] == ["UKX0"]  # LQ 1.875 ≥ 1; others below
    # the printed table says which LQ is which, against which area and of which year (was "LQ", "jobs LQ");
    # the jobs LQ has no interval (BRES is a survey; tests/workflows/test_nuts2_basis.py)
    r = runner.invoke(app, ["clusters", "--home", str(home), "--level", "nuts2", "--measure", "employment"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "jobs LQ" in text and "local units LQ" in text and "2018" in text and "jobs LQ low" not in text
    # these synthetic areas include no Northern Ireland, so both sources' LQs are against Great Britain
    assert "jobs LQ against Great Britain (BRES); local units LQ against Great Britain (IDBR)" in text


def test_map_writes_every_output_atomically(home, tmp_path):
    out = tmp_path / "map"
    r = runner.invoke(app, ["map", "--home", str(home), "--out", str(out), "--subsector", "film",
                            "--method", "threshold"])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["clusters.csv", "clusters.geojson", "clusters.gpkg", "clusters.png", "clusters.svg"]
    csv = pd.read_csv(out / "clusters.csv")
    assert len(csv) == 12 and "business_lq" in csv and csv["definitions"].iloc[0].startswith("DCMS")
    svg = (out / "clusters.svg").read_text()
    assert "DCMS-CI-SIC2007" in svg and "threshold" in svg
    # a second run into the same directory replaces files and leaves no temp dirs
    r = runner.invoke(app, ["map", "--home", str(home), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    import geopandas as gpd

    assert len(gpd.read_file(out / "clusters.gpkg")) == 12


def test_map_failure_leaves_nothing(home, tmp_path):
    out = tmp_path / "map"
    r = runner.invoke(app, ["map", "--home", str(home), "--out", str(out), "--level", "nuts2",
                            "--measure", "employment"])
    assert r.exit_code == 1
    assert "Error:" in r.stderr and "no boundaries" in r.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_corridors_command(home, tmp_path):
    r = runner.invoke(app, ["corridors", "--home", str(home), "--json", "--min-size", "0",
                            "--min-corridor", "0", "--out", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows and rows[0]["n_members"] >= 2
    assert (tmp_path / "c" / "corridor_summary.csv").exists()
    assert (tmp_path / "c" / "corridors.png").exists()


@pytest.mark.parametrize(("args", "match"), [
    (["clusters", "--measure", "employment"], "not available at level 'lad'"),
    (["map", "--measure", "lq", "--out", "unused"], "Valid measures: lad/cauth/rgn/ttwa: businesses; nuts2:"),
    (["clusters", "--year", "2019"], "years available: 2025"),
    (["clusters", "--min-size", "big"], "min_size must be a number"),
    (["clusters", "--method", "magic"], "method must be one of"),
    (["clusters", "--subsector", "nonsense"], "unknown creative sub-sector"),
    (["clusters", "--level", "nuts2", "--method", "hotspot", "--measure", "employment"], "hotspot detection needs"),
])
def test_bad_options_give_one_line_errors(home, args, match):
    r = runner.invoke(app, [*args, "--home", str(home)])
    assert r.exit_code == 1
    assert match in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_dataset_error(tmp_path):
    empty = tmp_path / "empty"
    Warehouse(empty).close()
    r = runner.invoke(app, ["clusters", "--home", str(empty)])
    assert r.exit_code == 1 and "data import" in r.stderr


# ---------------------------------------------------------------- travel time, notes, defaults
def _tt(tmp_path, text, name="tt.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_corridors_travel_time_replaces_distance(home, tmp_path):
    """Hand-typed SYNTHETIC times: only pairs listed within --max-minutes are joined."""
    tt = _tt(tmp_path, "origin,destination,minutes\nE06000001,E06000002,10\nE06000005,E06000006,90\n")
    base = ["corridors", "--home", str(home), "--json", "--min-size", "0", "--min-corridor", "0",
            "--travel-time", str(tt)]
    r = runner.invoke(app, [*base, "--max-minutes", "60"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [sorted(x["members"].split("; ")) for x in rows] == [["E06000001", "E06000002"]]
    r = runner.invoke(app, [*base, "--max-minutes", "120"])
    rows = json.loads(r.stdout)
    assert sorted(sorted(x["members"].split("; ")) for x in rows) == [["E06000001", "E06000002"],
                                                          ["E06000005", "E06000006"]]


@pytest.mark.parametrize(("text", "match"), [
    ("from,to,minutes\nE06000001,E06000002,10\n", "origin"),
    ("origin,destination,minutes\nE06000001,E06000002,10\nE06000001,W06000099,5\n",
     "row 3.*column destination|column destination.*row 3|'W06000099'"),
    ("origin,destination,minutes\nE06000001,E06000002,ten\n", "expected a number"),
    ("origin,destination,minutes\nE06000001,E06000002,-4\n", ">= 0"),
    ("origin,destination,minutes\nE06000001,E06000002,4\nE06000001,E06000002,5\n", "listed twice"),
])
def test_travel_time_file_errors_name_file_row_column(home, tmp_path, text, match):
    tt = _tt(tmp_path, text, name="bad_times.csv")
    r = runner.invoke(app, ["corridors", "--home", str(home), "--min-size", "0", "--travel-time", str(tt)])
    assert r.exit_code == 1, r.output
    assert "bad_times.csv" in r.stderr and "Traceback" not in r.stderr
    import re

    assert re.search(match, r.stderr), r.stderr


def test_read_travel_time_matrix(tmp_path):
    from creative_clusters.workflows.detection import read_travel_time

    codes = ["A", "B", "C"]
    p = _tt(tmp_path, "origin,destination,minutes,mode\nA,B,30,car\nB,A,20,rail\nA,C,,car\n")
    m = read_travel_time(p, codes)
    assert list(m.index) == codes and list(m.columns) == codes
    assert m.loc["A", "B"] == m.loc["B", "A"] == 20  # both ways, shorter wins
    assert np.isnan(m.loc["A", "C"]) and np.isnan(m.loc["B", "C"])


def test_alias_note_and_default_size_floor(home):
    r = runner.invoke(app, ["clusters", "--home", str(home), "--subsector", "games", "--json", "--all"])
    assert r.exit_code == 0, r.output
    assert "'games' is counted as the whole DCMS sub-sector 'IT, software and computer services'" in r.stderr
    rows = json.loads(r.stdout)
    sizes = sorted(x["businesses"] for x in rows)
    q25 = float(np.quantile(sizes, 0.25))  # numpy's linear quantile = pandas' default
    assert f"businesses>={q25:g}" in rows[0]["method"]
    r = runner.invoke(app, ["clusters", "--home", str(home), "--subsector", "it", "--json"])
    # no alias note (the synthetic table's note that it holds 4 of the 29 creative classes is not one)
    assert "is counted as the whole DCMS sub-sector" not in r.stderr
    # the default floor is the same in clusters and corridors (and configurable)
    r = runner.invoke(app, ["corridors", "--home", str(home), "--json", "--min-corridor", "0"])
    assert r.exit_code == 0, r.output
    r2 = runner.invoke(app, ["corridors", "--home", str(home), "--json", "--min-corridor", "0",
                             "--min-size", "q25"])
    assert r.stdout == r2.stdout


def test_map_help_says_nuts2_has_no_boundaries():
    r = runner.invoke(app, ["map", "--help"], env={"COLUMNS": "200"})
    assert "no NUTS2 boundaries" in r.stdout and "clusters --level nuts2" in r.stdout


def test_corridor_summary_is_put_in_place_with_the_map(home, tmp_path, monkeypatch):
    """The summary is written inside the map's swap: if it fails, `--out` keeps the previous run's files."""
    out = tmp_path / "c"
    args = ["corridors", "--home", str(home), "--json", "--min-size", "0", "--min-corridor", "0", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    before = {p.name: p.stat().st_ino for p in out.iterdir()}
    assert "corridor_summary.csv" in before and "corridors.png" in before
    real = pd.DataFrame.to_csv

    def to_csv(self, path=None, *a, **kw):
        if path is not None and str(path).endswith("corridor_summary.csv"):
            raise OSError("disk full")
        return real(self, path, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)
    r = runner.invoke(app, args)
    assert r.exit_code != 0
    assert {p.name: p.stat().st_ino for p in out.iterdir()} == before  # not one file of the failed run
    assert [p.name for p in tmp_path.iterdir()] == ["c"]
