"""The series LQ against the UK on the map page, in a real browser: the legend and its explanation name the UK.

The LQ against England (the SIC-level counts) and the LQ of the annual series (every UK LAD, against the UK)
share classes and colours but not their reference; the page takes the reference from the scale the server
sends with the measure (``classes.reference``), never from a word of its own.
"""

from __future__ import annotations

import re

import pytest

from tests.web._browser import api

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_series_lq_legend_and_help_name_the_uk_and_the_default_year_has_an_lq(open_page):
    pg = open_page("#measure=series_lq&view=table")
    legend = pg.locator("#legend")
    expect(legend).to_contain_text("about the same as the UK", timeout=20000)
    expect(legend).to_contain_text("compared with the UK")
    assert "England" not in legend.inner_text()
    res = api(pg, "/api/indicators?measure=series_lq&level=lad")
    expect(legend).to_contain_text(f"({res['year']})")
    lq_meta = next(m for m in api(pg, "/api/meta")["measures"] if m["id"] == "series_lq")
    assert res["year"] == lq_meta["year_list"][-1]  # the latest year with an LQ, not the series' latest
    footer = pg.inner_text("#sources")
    assert "Enterprises rounded to 5 by ONS" in footer  # the caveats read as a sentence after the source's
    assert not re.search(r"\. [a-z]", footer), footer
    pg.evaluate("() => { location.hash = '#measure=business_lq'; }")
    expect(legend).to_contain_text("compared with England", timeout=20000)
    assert pg.errors == []


def test_the_legend_has_the_cluster_outline_while_the_hotspot_layer_is_on(open_page):
    """The red outline is explained in the legend, in the server's colour and words, only while it is drawn."""
    from tests.web._browser import rgb

    pg = open_page("#measure=business_lq")
    legend = pg.locator("#legend")
    expect(legend).to_contain_text("no data", timeout=20000)
    outline = api(pg, "/api/meta")["cluster_outline"]
    assert outline["label"] not in legend.inner_text()
    pg.check("#lyr-hotspots")
    expect(legend).to_contain_text(outline["label"], timeout=20000)
    border = pg.eval_on_selector("#legend .sw.outline", "e => getComputedStyle(e).borderTopColor")
    assert border == rgb(outline["colour"])
    pg.uncheck("#lyr-hotspots")
    expect(legend).not_to_contain_text(outline["label"], timeout=20000)
    assert pg.errors == []
