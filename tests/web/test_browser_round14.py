"""Web audit round 14, in a real browser: the compare table's LQ percentile says its base; the panel cites
every dataset behind its figures.

Was: the compare row "LQ percentile (all places)" showed the percentile within the place's nation (Cardiff 98
among Wales's 22 local authorities, Belfast 95 among Northern Ireland's 11), and the panel's "Sources:" line
the first 6 datasets of the whole warehouse, alphabetical. Each test drives Debian's Chromium through
Playwright against the session's warehouse.
"""

from __future__ import annotations

import pytest

from tests._raw_series import read_raw
from tests.web._browser import api

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def _percentiles(data_root, name):
    """A LAD's mid-rank percentile (100 × (places below + ½) / places) of creative ÷ active enterprises in 2024,
    within its nation and across the UK's 361 LADs, from the raw series and Business Demography files (an LQ
    against any reference orders places as this ratio does)."""
    series, nation, active = read_raw(data_root)
    ratio = series.xs(2024, level="Year") / active
    mine = ratio[name]
    own = ratio[[n for n in ratio.index if nation[n] == nation[name]]]
    return (round(100 * ((own < mine).sum() + 0.5) / len(own)), round(100 * ((ratio < mine).sum() + 0.5) / len(ratio)))


def test_compare_lq_percentile_names_its_base(open_page, data_root):
    cardiff, belfast = _percentiles(data_root, "Cardiff"), _percentiles(data_root, "Belfast")
    assert (cardiff, belfast) == ((98, 78), (95, 77))  # the audit's figures
    pg = open_page("#place=W06000015")
    expect(pg.locator("#panel h2")).to_contain_text("Cardiff", timeout=60000)
    pg.click("#panel [data-compare]")
    pg.keyboard.type("Belfast")
    pg.wait_for_selector("#search-results li")
    pg.keyboard.press("Enter")
    expect(pg.locator("#panel h2")).to_contain_text("Compare", timeout=60000)
    rows = pg.eval_on_selector_all("#panel table.compare tr", "rows => rows.slice(1).map(r => "
                                   "[...r.cells].map(c => c.innerText.trim()))")
    label, a, b = next(r for r in rows if "percentile" in r[0])
    assert "all places" not in label
    assert a == f"{cardiff[0]} within Wales; {cardiff[1]} across the UK"
    assert b == f"{belfast[0]} within Northern Ireland; {belfast[1]} across the UK"


def test_panel_sources_line_lists_every_dataset_behind_the_figures(open_page):
    pg = open_page("#place=W06000015")
    expect(pg.locator("#panel h2")).to_contain_text("Cardiff", timeout=60000)
    sources = api(pg, "/api/places/W06000015/profile")["sources"]
    assert len(sources) > 6  # the old line showed 6 at most
    line = pg.locator("#panel p.caveat", has_text="Sources:").inner_text()
    for s in sources:
        assert s["title"] in line
    assert "Census 2021" in line and "Welsh Index of Multiple Deprivation" in line
    assert "Greater Manchester" not in line
