"""Options that do not apply to a call stop it with a reason instead of being ignored (review D, L7).

Was: ``evidence Sheffield --workers 3 --level cauth`` built Sheffield's pack as if
neither were given; ``evidence --all --composite`` built every pack without the
composite; ``evidence Sheffield --name Foo`` built Sheffield's pack unnamed.
"""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from creative_clusters.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("args", "says"), [
    (["Sheffield", "--workers", "3"], "--workers applies only with --all"),
    (["Sheffield", "--level", "cauth", "--workers", "3"], "--level and --workers apply only with --all"),
    (["--all", "--composite"], "--composite applies to one place's pack"),
    (["--all", "--peers", "include-london"], "--peers applies to one place's pack"),
    (["Sheffield", "--name", "Foo"], "names a group given by --places, and no --places came"),
    (["Sheffield", "--places", "Rotherham"], "give either PLACE ('Sheffield') or --places, not both"),
])
def test_an_option_that_does_not_apply_is_refused_before_any_work(tmp_path, args, says):
    out = tmp_path / "packs"
    # an empty home: refused before the warehouse is read (no data needed to say so)
    res = runner.invoke(app, ["evidence", *args, "--format", "html", "--out", str(out),
                              "--home", str(tmp_path / "empty")])
    assert res.exit_code == 1, res.output
    assert says in res.output
    assert not out.exists()


def test_the_same_options_where_they_apply_are_not_refused(tmp_path):
    from creative_clusters.cli._common import refuse_unused  # the rule, on a command's own context

    seen = []
    probe = typer.Typer()

    @probe.command()
    def cmd(ctx: typer.Context, workers: int = 2, level: str = "lad") -> None:
        refuse_unused(ctx, "only with --all", "workers", "level")
        seen.append((workers, level))

    assert runner.invoke(probe, []).exit_code == 0  # defaults are not "given"
    res = runner.invoke(probe, ["--workers", "2"])  # given, even at the default value
    assert res.exit_code != 0 and "--workers applies only with --all" in str(res.exception)
    assert seen == [(2, "lad")]
