"""Round 18: a group's panel says when its pack cannot measure the sub-sector chosen, as a place's does.

Was: ``packFocusHtml(pl.geo_type === "custom" ? null : p)`` skipped the coverage check for groups, so the
panel of Cardiff and Newport promised a film focus the pack then said it could not measure.
"""

from __future__ import annotations

import urllib.parse

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CARDIFF, NEWPORT, BRISTOL, LEEDS, BRADFORD = "W06000015", "W06000022", "E06000023", "E08000035", "E08000032"


def _group_panel(open_page, codes, name):
    pg = open_page(f"#subsector=film_tv&group={','.join(codes)}&gname={urllib.parse.quote(name)}")
    expect(pg.locator("#group-members li")).to_have_count(len(codes), timeout=60000)
    pg.click("#group-show")
    expect(pg.locator("#panel h2")).to_have_text(name, timeout=120000)
    return pg


def test_a_welsh_groups_panel_says_its_pack_cannot_measure_the_subsector(open_page):
    pg = _group_panel(open_page, [CARDIFF, NEWPORT], "Cardiff and Newport")
    focus = pg.locator("#pack-focus")
    expect(focus).to_contain_text("cannot measure Film")
    expect(focus).to_contain_text("Cardiff and Newport")
    assert "focuses on" not in focus.inner_text()
    assert pg.errors == []
    # an English group's panel still promises the focus its pack has
    pg = _group_panel(open_page, [LEEDS, BRADFORD], "Leeds and Bradford")
    expect(pg.locator("#pack-focus")).to_contain_text("focuses on Film, TV")


def test_a_mixed_group_names_only_its_members_outside_england(open_page):
    pg = _group_panel(open_page, [CARDIFF, BRISTOL], "Severn")
    text = pg.locator("#pack-focus").inner_text()
    assert "cannot measure Film" in text and "Cardiff is outside it" in text and "Bristol" not in text

