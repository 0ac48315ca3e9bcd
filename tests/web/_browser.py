"""Helpers of the browser tests (Playwright)."""

from __future__ import annotations

from typing import Any


def api(page: Any, path: str) -> Any:
    """The JSON of ``path`` fetched by the page itself (same origin, same server as the map)."""
    return page.evaluate("(p) => fetch(p).then(r => r.json())", path)
