"""A user's group of local authorities on the map page: picked in the panel, profiled and downloaded there.

Was: the group endpoints (``/api/groups/profile``, ``/api/groups/evidence.{fmt}``) had no control on the
page, so a bid team could profile its cluster of local authorities only with the CLI or by writing the
URL by hand. Each test drives Debian's Chromium through Playwright against the session's warehouse.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from tests._raw_series import read_raw

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

THURROCK, SOUTHEND = "E06000034", "E06000033"


def _add(pg, query, name):
    """Find ``query`` with the search box, open it and press its "Add to a group" button."""
    pg.fill("#search", query)
    pg.wait_for_selector("#search-results li")
    pg.keyboard.press("Enter")
    expect(pg.locator("#panel h2")).to_contain_text(name, timeout=60000)
    pg.click("#panel [data-group-toggle]")


def test_a_group_is_built_in_the_panel_profiled_and_kept_in_the_link(open_page, data_root):
    series, _nation, _active = read_raw(data_root)
    latest = int(series.index.get_level_values("Year").max())
    expected = int(series[("Thurrock", latest)] + series[("Southend-on-Sea", latest)])

    pg = open_page("#place=" + THURROCK)
    expect(pg.locator("#panel h2")).to_contain_text("Thurrock", timeout=60000)
    assert pg.is_hidden("#group-tray")  # no group yet, no tray
    pg.click("#panel [data-group-toggle]")
    expect(pg.locator("#panel [data-group-toggle]")).to_have_text("Remove from the group")
    expect(pg.locator("#group-tray")).to_be_visible()
    assert pg.is_disabled("#group-show")  # one local authority is not a group
    _add(pg, "Southend", "Southend")
    expect(pg.locator("#group-members li")).to_have_count(2)
    assert pg.is_enabled("#group-show")
    pg.fill("#group-name", "Thames Estuary")

    link = urllib.parse.parse_qs(pg.evaluate("() => location.hash.slice(1)"))
    assert link["group"] == [f"{THURROCK},{SOUTHEND}"] and link["gname"] == ["Thames Estuary"]

    pg.click("#group-show")
    expect(pg.locator("#panel h2")).to_have_text("Thames Estuary", timeout=120000)
    text = pg.locator("#panel").inner_text()
    # the series total the server sums for the group, checked against the raw file by hand
    assert f"{expected:,}\nin {latest}" in text or f"{expected:,} in {latest}" in text
    assert "Sum of 2 local authorities" in text
    assert pg.locator("#panel [data-group-pack]").count() == 1 and pg.locator("#panel [data-pack]").count() == 0
    assert pg.errors == []


def test_a_link_restores_the_group_and_its_pack_downloads(open_page):
    name = urllib.parse.quote("Thames Estuary")
    pg = open_page(f"#group={THURROCK},{SOUTHEND},E99999999&gname={name}")
    expect(pg.locator("#group-members li")).to_have_count(2, timeout=60000)
    members = pg.locator("#group-members").inner_text()
    assert "Thurrock" in members and "Southend-on-Sea" in members
    expect(pg.locator("#notice")).to_contain_text("E99999999")  # an unknown code is reported, not kept
    assert pg.input_value("#group-name") == "Thames Estuary"

    pg.click("#group-show")
    expect(pg.locator("#panel h2")).to_have_text("Thames Estuary", timeout=120000)
    pg.select_option("#pack-format", "html")
    with pg.expect_download(timeout=300000) as dl:
        pg.click("#panel [data-group-pack]")
    download = dl.value
    assert download.suggested_filename.endswith(".html")
    body = Path(download.path()).read_text(encoding="utf-8")
    assert "Thames Estuary" in body and "Thurrock" in body and "Southend-on-Sea" in body

    # removing a member from the tray takes it out of the link; one member left cannot be shown as a group
    pg.click(f"#group-members button[data-group-remove='{SOUTHEND}']")
    expect(pg.locator("#group-members li")).to_have_count(1)
    assert urllib.parse.parse_qs(pg.evaluate("() => location.hash.slice(1)"))["group"] == [THURROCK]
    assert pg.is_disabled("#group-show")
    pg.click("#group-clear")
    assert pg.is_hidden("#group-tray") and "group=" not in pg.evaluate("() => location.hash")
