"""Helpers of the browser tests (Playwright)."""

from __future__ import annotations

from typing import Any


def rgb(hex_colour: str) -> str:
    """``#rrggbb`` as the browser's computed style writes it: ``rgb(r, g, b)``.

    >>> rgb("#e3e3e3")
    'rgb(227, 227, 227)'
    """
    return "rgb(" + ", ".join(str(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)) + ")"


def api(page: Any, path: str) -> Any:
    """The JSON of ``path`` fetched by the page itself (same origin, same server as the map)."""
    return page.evaluate("(p) => fetch(p).then(r => r.json())", path)


def assert_places_drawn_in_api_classes(page: Any, body: Any) -> None:
    """Every place the map has drawn carries the class ``body`` (an ``/api/indicators`` answer) gave it.

    The page's ``cls`` property is the class number the API sent (-1: none), so the map's colours
    come from the API's classes, not from a rule of the page's own.
    """
    page.wait_for_function("() => window.creativeClustersMap.querySourceFeatures('places').length > 0")
    drawn = page.evaluate("() => Object.fromEntries(window.creativeClustersMap.querySourceFeatures('places')"
                          ".map(f => [f.properties.geo_code, f.properties.cls]))")
    expected = {r["geo_code"]: (-1 if r["class"] is None else r["class"]) for r in body["rows"]}
    assert drawn and all(drawn[c] == expected.get(c, -1) for c in drawn)
