"""The place panel says what is missing in plain words; the import command only in a closed <details>.

Drives Debian's Chromium through Playwright against the session's warehouse; the words expected are read
from the API (or from the one producer, ``workflows.gaps``) in the same test, never written down here.
"""

from __future__ import annotations

import json

import pytest

from tests.web._browser import api

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_not_applicable_items_show_their_plain_words_and_no_command(open_page):
    pg = open_page("#place=E47000001")
    expect(pg.locator("#panel h2")).to_contain_text("Greater Manchester", timeout=20000)
    prof = api(pg, "/api/places/E47000001/profile")
    section = pg.locator('#panel section.missing[data-status="not_applicable"]')
    expect(section.locator("h3")).to_have_text("Not applicable here")
    shown = section.locator("li")
    not_applicable = [m for m in prof["missing_items"] if m["status"] == "not_applicable"]
    assert shown.count() == len(not_applicable)
    for i, m in enumerate(not_applicable):
        line = shown.nth(i).inner_text()
        assert m["topic"] in line and m["reason"] in line
        if m["dataset_title"]:
            assert m["dataset_title"] in line
    # the one thing the reference data lacks (round 21: BRES by LAD, fetched from Nomis) is in its own list,
    # its command folded away in a closed details
    to_add = pg.locator('#panel section.missing[data-status="not_imported"] li')
    assert [m["topic"] for m in prof["missing_items"] if m["status"] == "not_imported"] == [
        "Creative workplace employment and employment LQ (BRES by local authority)"]
    assert to_add.count() == 1
    text = pg.inner_text("#panel")
    assert "creative-clusters" not in text and "`" not in text
    assert not pg.errors


def test_a_not_imported_item_keeps_its_command_in_a_closed_details(open_page):
    from creative_clusters.sources.registry import get_dataset

    # a profile whose warehouse lacks the museums list (tests/workflows/test_missing_items.py checks the producer
    # makes this record for it), as the server sends it
    fix = "creative-clusters data import DIR --only anchors_museums"
    record = {"topic": "Museums", "reason": "not imported into this warehouse", "status": "not_imported",
              "dataset": "anchors_museums", "dataset_title": get_dataset("anchors_museums").title, "fix": fix,
              "detail": "", "text": f"Museums: not imported into this warehouse. To add it: `{fix}`."}

    def without_museums(page):
        def handle(route):
            resp = route.fetch()
            body = resp.json()
            body["missing_items"] = [*body.get("missing_items", []), record]
            body["missing"] = [*body["missing"], record["text"]]
            route.fulfill(response=resp, body=json.dumps(body), headers={**resp.headers, "content-encoding": ""})
        page.route("**/api/places/E08000019/profile", handle)

    pg = open_page("#place=E08000019", before=without_museums)
    expect(pg.locator("#panel h2")).to_contain_text("Sheffield", timeout=20000)
    section = pg.locator('#panel section.missing[data-status="not_imported"]')
    expect(section.locator("h3")).to_have_text("Not imported")
    li = section.locator("li").filter(has_text=record["topic"])
    expect(li.locator(".missing-reason")).to_have_text(record["reason"])
    expect(li.locator(".missing-source")).to_contain_text(record["dataset_title"])
    details = li.locator("details")
    assert details.count() == 1 and details.get_attribute("open") is None  # collapsed
    fix = details.locator("code", has_text=record["fix"])
    expect(fix).to_be_hidden()
    # the headline (the item without its details) has no command
    headline = li.evaluate("e => { const c = e.cloneNode(true); c.querySelector('details').remove(); "
                           "return c.innerText; }")
    assert "creative-clusters" not in headline and record["fix"] not in headline
    details.locator("summary").click()
    expect(fix).to_be_visible()
    assert not pg.errors
