"""Trajectory classes: the packaged rules, each rule at its threshold, precedence and bad configuration."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creative_clusters.clusters import TrajectoryClasses, load_trajectory_rules
from creative_clusters.clusters.trajectory import TRAJECTORY_CLASSES
from creative_clusters.errors import ParameterError


def test_packaged_rules_are_the_documented_ones():
    r = load_trajectory_rules()
    assert (r.window_years, r.min_window_years, r.compare_with) == (10, 5, "nation")
    assert r.precedence == ("declining", "established", "emerging", "stable")
    assert (r.declining_max_cagr, r.declining_max_relative_pp) == (0.0, -1.5)
    assert (r.established_min_lq, r.established_min_size_quantile) == (1.0, 0.5)
    assert r.established_without_lq_min_size_quantile == 0.75
    assert (r.emerging_min_relative_pp, r.emerging_min_base_quantile) == (1.5, 0.25)
    text = " ".join(r.describe())
    assert "1.5 points a year" in text and "LQ ≥ 1" in text


def table(**cols) -> pd.DataFrame:
    base = {"cagr": [0.0] * 4, "relative_cagr_pp": [0.0] * 4, "start_value": [100.0, 200, 300, 400],
            "end_value": [100.0, 200, 300, 400], "lq": [0.5] * 4}
    base.update({k: list(v) for k, v in cols.items()})
    return pd.DataFrame(base)


def test_declining_needs_both_a_fall_and_lagging_its_nation():
    # row 0: fell and −1.5 pp (at both thresholds) → declining; row 1: −2 pp but grew → not declining
    t = table(cagr=[0.0, 0.001, 0.0, 0.0], relative_cagr_pp=[-1.5, -2.0, -1.49, 0.0])
    assert TrajectoryClasses().fit_predict(t).tolist() == ["declining", "stable", "stable", "stable"]


def test_established_needs_lq_and_median_size():
    # median of end values = 250: rows 2, 3 pass size; LQ ≥ 1 on rows 0, 2
    t = table(lq=[1.2, 0.9, 1.0, 0.99])
    assert TrajectoryClasses().fit_predict(t).tolist() == ["stable", "stable", "established", "stable"]


def test_established_without_lq_uses_top_quartile_size():
    t = table(lq=[float("nan")] * 4)  # q75 of 100..400 = 325
    assert TrajectoryClasses().fit_predict(t).tolist() == ["stable", "stable", "stable", "established"]
    assert TrajectoryClasses(lq=None).fit_predict(t.drop(columns="lq")).tolist()[-1] == "established"


def test_emerging_needs_fast_growth_from_a_base_above_the_floor():
    # q25 of start values = 175: row 0 is below the floor
    t = table(relative_cagr_pp=[3.0, 1.5, 1.49, 2.0])
    assert TrajectoryClasses().fit_predict(t).tolist() == ["stable", "emerging", "stable", "emerging"]


def test_precedence_declining_then_established_then_emerging():
    t = table(cagr=[-0.02, 0.05, 0.0, 0.0], relative_cagr_pp=[-3.0, 4.0, 0.0, 0.0], lq=[1.5, 1.5, 0.5, 0.5],
              end_value=[500.0, 500, 100, 100])
    labels = TrajectoryClasses().fit_predict(t).tolist()
    assert labels[:2] == ["declining", "established"]


def test_no_growth_no_class_and_reasons_carry_numbers():
    t = table(cagr=[float("nan"), 0.02, 0.0, 0.0], relative_cagr_pp=[float("nan"), 2.0, 0.0, 0.0])
    det = TrajectoryClasses().fit(t)
    assert det.labels_.tolist()[0] == ""
    assert det.reasons_.iloc[1].startswith("emerging: CAGR +2.0% a year, +2.0 points")
    assert det.counts_ == {"established": 0, "emerging": 1, "stable": 2, "declining": 0}
    assert set(det.labels_) <= {*TRAJECTORY_CLASSES, ""}


def test_quantiles_within_groups():
    t = pd.concat([table(relative_cagr_pp=[2.0] * 4).assign(level="a"),
                   table(relative_cagr_pp=[2.0] * 4, start_value=[1000.0, 2000, 3000, 4000]).assign(level="b")],
                  ignore_index=True)
    labels = TrajectoryClasses(by=["level"]).fit_predict(t).tolist()
    assert labels == ["stable", "emerging", "emerging", "emerging"] * 2


def test_rules_from_a_file_and_bad_rules(tmp_path: Path):
    p = tmp_path / "rules.yaml"
    text = (Path(__file__).parents[2] / "creative_clusters/clusters/trajectory_rules.yaml").read_text("utf-8")
    p.write_text(text.replace("min_relative_cagr_pp: 1.5", "min_relative_cagr_pp: 2.5"), "utf-8")
    t = table(relative_cagr_pp=[0.0, 2.0, 0.0, 3.0])
    assert TrajectoryClasses(rules=p).fit_predict(t).tolist() == ["stable", "stable", "stable", "emerging"]
    with pytest.raises(ParameterError, match="not found"):
        load_trajectory_rules(tmp_path / "nope.yaml")
    p.write_text(text.replace("min_lq: 1.0", "min_lq: high"), "utf-8")
    with pytest.raises(ParameterError, match="'min_lq' must be a number"):
        load_trajectory_rules(p)
    p.write_text(text.replace("precedence: [declining, established, emerging, stable]",
                              "precedence: [stable, declining, established, emerging]"), "utf-8")
    with pytest.raises(ParameterError, match="'stable' last"):
        load_trajectory_rules(p)
