"""Round 18 audit of ``evidence --all`` and the trajectory / four-nations commands (each test failed before its
fix). Expected values are worked from the series file in ``$CREATIVE_CLUSTERS_DATA`` (read here with pandas)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.clusters.trajectory import TrajectoryClasses


@pytest.fixture(scope="module")
def series(data_root: Path) -> pd.DataFrame:
    t = pd.read_csv(data_root / "business_counts_timeseries" / "creative_enterprises_lad_2010_2025.csv")
    t.columns = ["name", "n", "region", "year", "nation"]
    return t


# ------------------------------------------------------------------ 2. a nation among the regions: against the UK

def test_a_nation_among_the_regions_is_compared_with_the_uk_not_itself(wh, series) -> None:
    # was: Northern Ireland "stable: CAGR +3.5% a year, level with its nation (within 0.05 points)",
    # relative_cagr_pp 0.0 (Scotland and Wales the same)
    from creative_clusters.workflows.trajectory import cluster_table

    t, _ = cluster_table(wh, "rgn")
    uk = series.groupby("year")["n"].sum()
    uk_cagr = (uk[2025] / uk[2015]) ** 0.1 - 1
    rows = t.set_index("geo_name")
    for name in ("Scotland", "Wales", "Northern Ireland"):
        s = series[series["nation"] == name].groupby("year")["n"].sum()
        cagr = (s[2025] / s[2015]) ** 0.1 - 1
        assert rows.loc[name, "relative_cagr_pp"] == pytest.approx(100 * (cagr - uk_cagr), abs=1e-9)
        assert abs(rows.loc[name, "relative_cagr_pp"]) > 0.05
        reason = rows.loc[name, "trajectory_reason"]
        assert "against the UK" in reason and "its nation" not in reason
    # an English region is still compared with England
    assert "against its nation" in rows.loc["London", "trajectory_reason"] \
        or "level with its nation" in rows.loc["London", "trajectory_reason"]


def test_the_classifier_names_each_rows_reference() -> None:
    t = pd.DataFrame({"cagr": [0.035, 0.035], "relative_cagr_pp": [3.1, 3.1], "start_value": [2430.0, 2430.0],
                      "end_value": [3435.0, 3435.0], "lq": [0.5, 0.5], "ref": ["uk", "nation"]})
    det = TrajectoryClasses(compare_with="ref").fit(t)
    assert "+3.1 points against the UK" in det.reasons_.iloc[0]
    assert "+3.1 points against its nation" in det.reasons_.iloc[1]
    with pytest.raises(Exception, match="'nation' or 'uk'"):
        TrajectoryClasses(compare_with="ref").fit(t.assign(ref="region"))


# ------------------------------------------------------------------ 9. a one-nation run says what it covers

def test_a_wales_only_run_does_not_say_all_uk_local_authorities(wh) -> None:
    from creative_clusters.workflows.trajectory import cluster_table

    t, _ = cluster_table(wh, "lad", nation="W92000004")
    assert len(t) == 22
    assert "all UK local authorities" not in t["caveat"].iloc[0]
    assert "Wales's local authorities only" in t["caveat"].iloc[0]
    u, _ = cluster_table(wh, "lad")
    assert "all UK local authorities" in u["caveat"].iloc[0]


# ------------------------------------------------------------------ 3. --all builds every place of the level

def test_all_regions_and_ttwas_include_the_devolved_nations_and_wales(wh) -> None:
    # was: `evidence --all --level rgn` built the 9 English regions, `--level ttwa` 121 of the 134 TTWAs
    from creative_clusters.workflows import evidence as E
    from creative_clusters.workflows.trajectory import cluster_table

    nd = E.load_national(wh.home)
    rgns = E.level_codes(nd, "rgn")
    assert {"W92000004", "S92000003", "N92000002"} <= set(rgns) and len(rgns) == 12
    ttwa = E.level_codes(nd, "ttwa")
    listed, _ = cluster_table(wh, "ttwa")  # what `clusters --method trajectory --level ttwa` lists
    assert set(ttwa) == set(listed["geo_code"])
    assert any(c.startswith("W22") for c in ttwa)
    assert E.lint_codes(nd)["rgn"] == rgns and E.lint_codes(nd)["ttwa"] == ttwa
    # a TTWA left out says why (no LAD has most of its LSOAs in it)
    gone = E.level_left_out(nd, "ttwa")
    assert not set(gone) & set(ttwa)
    assert all("no local authority has most of its LSOAs" in why for why in gone.values())


# ------------------------------------------------------------------ 4 and 8. checked before anything is built

def test_bad_out_level_and_workers_fail_before_the_warehouse_is_read(tmp_path) -> None:
    from creative_clusters.errors import ParameterError
    from creative_clusters.workflows import evidence as E

    f = tmp_path / "f"
    f.write_text("x")
    nowhere = tmp_path / "no-warehouse"  # reading it would fail with another error
    with pytest.raises(ParameterError, match="is a file, not a folder"):
        E.build_all(level="rgn", home=nowhere, out=f, formats=("html",))
    with pytest.raises(ParameterError, match="--workers must be 1 or more"):
        E.build_all(level="rgn", home=nowhere, out=tmp_path / "o", workers=0)
    with pytest.raises(ParameterError, match="--level must be one of"):
        E.build_all(level="region-typo", home=nowhere, out=tmp_path / "o")
    assert E.check_level("region") == "rgn" and E.check_level("ca") == "cauth"


def test_cli_checks_level_and_workers_before_loading(tmp_path) -> None:
    from typer.testing import CliRunner

    from creative_clusters.cli import app

    empty = tmp_path / "empty-home"
    r = CliRunner().invoke(app, ["evidence", "--all", "--level", "regoin", "--home", str(empty),
                                 "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "--level must be one of" in r.output, r.output
    r = CliRunner().invoke(app, ["evidence", "--all", "--workers", "0", "--home", str(empty),
                                 "--out", str(tmp_path / "o")])
    assert r.exit_code == 1 and "--workers must be 1 or more" in r.output, r.output


def test_batch_failures_name_the_places_once_per_reason() -> None:
    from creative_clusters.workflows import evidence as E

    err = E.PackBatchError({"E12000001": "Not a directory: f/x.html", "E12000002": "Not a directory: f/x.html"},
                           9, [], names={"E12000001": "North East", "E12000002": "North West"})
    text = str(err)
    assert "North East (E12000001), North West (E12000002): Not a directory" in text
    assert text.count("Not a directory") == 1
    assert "NotADirectoryError" not in E._reason(NotADirectoryError(20, "Not a directory", "f/x.html"))
    assert "KeyError" not in E._reason(KeyError("boom")) and "boom" in E._reason(KeyError("boom"))


def test_interrupted_batch_says_how_many_were_written_and_subsector_is_passed(wh, tmp_path) -> None:
    from creative_clusters.workflows import evidence as E

    nd = E.load_national(wh.home)
    seen: list[str] = []

    def stop_after_first(i: int, n: int, code: str) -> None:
        seen.append(code)
        raise KeyboardInterrupt

    with pytest.raises(E.PacksInterrupted) as stop:
        E.build_all(level="rgn", out=tmp_path, formats=("html",), workers=1, national=nd, limit=3,
                    progress=stop_after_first, subsectors=("film",))
    assert (stop.value.written, stop.value.n) == (1, 3) and len(stop.value.paths) == 1
    # --subsector with --all: the pack carries the focus (its file is named after it, as a single pack's)
    assert "film" in stop.value.paths[0].name.lower() and seen == [E.level_codes(nd, "rgn")[0]]
