"""Helpers shared by the pack-review tests: build one place's context from national data, pick a section."""

from __future__ import annotations

from typing import Any

from creative_clusters.reporting.context import build_context
from creative_clusters.workflows import evidence as E


def pack_context(nd: Any, query: str, subsectors: tuple[str, ...] | list[str] = ()) -> Any:
    """The pack context of ``query`` (text only: no PNGs), with its workforce tables, as ``evidence`` builds it."""
    pl = E.resolve_evidence_place(nd, query)
    return build_context(E.gather_inputs(nd, pl, subsectors=subsectors, png=False,
                                         workforce=E._workforce(nd, pl)))


def section(ctx: Any, sid: str) -> Any:
    """The section of ``ctx`` with id ``sid``."""
    return next(s for s in ctx["sections"] if s["id"] == sid)
