"""Round 17: the profile prints a place's share of the nation with the pack's decimals."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from creative_clusters.cli import app


def test_share_of_the_nation_has_the_packs_two_decimals(full_home, data_root):
    """Sheffield's share printed 0.7% in `profile` and 0.65% in its pack: one figure, one rounding."""
    from creative_clusters.reporting.formatting import SHARE_DIGITS

    raw = pd.read_csv(data_root / "business_counts" / "business_counts_la_totals_2025.csv")
    assert SHARE_DIGITS == 2
    r = CliRunner().invoke(app, ["profile", "Sheffield", "--home", str(full_home)])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("Share of the nation's creative enterprises"))
    share = 100 * raw.set_index("Region").loc["Sheffield", "Enterprise Count"] / raw["Enterprise Count"].sum()
    assert line.split(": ", 1)[1].startswith(f"{share:.2f}%"), (line, share)
