"""A benchmark framework of the user's own, from a YAML file (``evidence --framework FILE``; real bundle).

The brief asks for a *configurable* growth-potential framework. A bid team's file
changes which indicators the pack ranks and what the benchmark is called; editing
the file changes the next pack (the national tables' cache is keyed by the file's
content, not its name); a missing or broken file is a clear error.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from typer.testing import CliRunner

from creative_clusters.cli import app
from creative_clusters.workflows import evidence as W

pytestmark = pytest.mark.realdata

runner = CliRunner()


def _packaged() -> dict:
    res = resources.files("creative_clusters.benchmarking").joinpath("frameworks", "growth_potential_v1.yaml")
    return yaml.safe_load(res.read_text("utf-8"))


def _write(path, title: str, drop: str, survival: str = "3-year") -> None:
    raw = _packaged()
    raw["title"], raw["version"] = title, "bid-1"
    for d in raw["dimensions"]:
        d["indicators"] = [i for i in d["indicators"] if i["id"] != drop]
        for i in d["indicators"]:
            if i["id"] == "survival_rate":
                i["source"]["filters"]["status"] = survival
    path.write_text(yaml.safe_dump(raw, sort_keys=False), "utf-8")


def _benchmark_table(ctx):
    sec = next(s for s in ctx["sections"] if s["id"] == "benchmark")
    return sec["tables"][0]


def test_a_users_framework_file_sets_what_the_pack_ranks_and_an_edit_is_seen(full_home, tmp_path):
    own = tmp_path / "our_framework.yaml"
    _write(own, "Sheffield bid framework", drop="imd_score")
    ctx, _ = W.build_pack("Sheffield", home=full_home, out=tmp_path / "a", formats=["html"], framework=str(own))
    table = _benchmark_table(ctx)
    labels = [r[1] for r in table["rows"]]
    assert "Sheffield bid framework (version bid-1)" in table["title"]
    assert "Index of Multiple Deprivation 2025, average score" not in labels
    assert "Business birth rate (%)" in labels
    three = next(r for r in table["rows"] if r[1].startswith("Three-year business survival"))[2]
    # an edit of the same file is read, not served from the cache of the first build: its values are computed
    # again (five-year survival of an older cohort: fewer of its businesses still trade than after three years)
    _write(own, "Sheffield bid framework, revised", drop="birth_rate", survival="5-year")
    ctx, _ = W.build_pack("Sheffield", home=full_home, out=tmp_path / "c", formats=["html"], framework=str(own))
    table = _benchmark_table(ctx)
    assert "revised" in table["title"]
    labels = [r[1] for r in table["rows"]]
    assert "Business birth rate (%)" not in labels and "Index of Multiple Deprivation 2025, average score" in labels
    five = next(r for r in table["rows"] if r[1].startswith("Three-year business survival"))[2]  # label unedited
    assert 0 < five < three
    # the packaged framework still ranks what the file dropped
    ctx, _ = W.build_pack("Sheffield", home=full_home, out=tmp_path / "b", formats=["html"])
    assert "Index of Multiple Deprivation 2025, average score" in [r[1] for r in _benchmark_table(ctx)["rows"]]


def test_a_missing_or_broken_framework_file_is_a_clear_error(full_home, tmp_path):
    res = runner.invoke(app, ["evidence", "Sheffield", "--format", "html", "--out", str(tmp_path),
                              "--home", str(full_home), "--framework", str(tmp_path / "nope.yaml")])
    assert res.exit_code != 0 and "no framework file" in res.output and "nope.yaml" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\ntitle: [unclosed\n", "utf-8")
    res = runner.invoke(app, ["evidence", "Sheffield", "--format", "html", "--out", str(tmp_path),
                              "--home", str(full_home), "--framework", str(bad)])
    assert res.exit_code != 0 and "not a readable YAML framework" in res.output and "bad.yaml" in res.output
    assert not list(tmp_path.glob("*.html"))  # nothing written


def test_an_unknown_uk_series_column_is_refused_when_the_framework_loads(tmp_path):
    from creative_clusters.benchmarking.framework import load_framework
    from creative_clusters.errors import SchemaError

    raw = _packaged()
    raw["dimensions"][0]["indicators"][0]["uk_series"] = "nonexistent"
    bad = tmp_path / "bad_series.yaml"
    bad.write_text(yaml.safe_dump(raw, sort_keys=False), "utf-8")
    with pytest.raises(SchemaError, match="uk_series must be one of"):
        load_framework(bad)
