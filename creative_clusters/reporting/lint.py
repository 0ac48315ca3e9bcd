"""The pack linter: text faults a reader would notice, found in a built context.

Checks every string the pack shows (title, sentences, findings, table titles
and text cells, notes, "missing" notes, figure titles and alt text) for:
``nan``/``None`` leaking from data, internal codes and ids (``custom-``, a framework's file id),
a signed zero ("+0.0 points"), zero or one
with the wrong noun ("0 higher-education", "1 of them", "1 providers"),
sentences said twice, and unbalanced brackets.

Examples
--------
>>> ctx = {"title": "T", "sections": [{"id": "a", "title": "A", "sentences": ["X has 1 providers.", "Y (z."],
...        "tables": [], "figures": [], "missing": []}]}
>>> [p.split(":")[0] for p in lint_pack(ctx)]
['wrong plural', 'unbalanced brackets']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from creative_clusters.reporting.pack_types import PackContext

__all__ = ["lint_pack", "pack_strings"]

_RULES = (
    ("nan", re.compile(r"\bnan\b|\bNaN\b")),
    ("None", re.compile(r"\bNone\b(?! of)")),
    ("internal code", re.compile(r"custom-|custom:")),
    ("zero count", re.compile(r"\b0 higher-education")),
    ("one of them", re.compile(r"\b1 of them\b")),
    ("wrong plural", re.compile(r"\b1 (providers|enterprises|museums|microclusters|peers|local authorities|"
                                r"indicators|firms|sub-sectors|places|groups)\b")),
    ("internal note", re.compile(r"README does not|TODO|FIXME")),
    ("internal id", re.compile(r"growth_potential_v\d|from run r[0-9a-f]|Rank in the warehouse")),
    ("tool command", re.compile(r"`creative-clusters ")),
    ("signed zero", re.compile(r"(?<![\d.])[+−]0\.0+(?!\d)")),
)
_PAIRS = (("(", ")"), ("[", "]"))


def pack_strings(ctx: PackContext) -> Iterator[tuple[str, str]]:
    """Every shown string of a pack with where it is (``section/part``)."""
    yield "title", str(ctx.get("title", ""))
    for h in ctx.get("headline", []):
        yield "headline", f"{h.get('label', '')} {h.get('value', '')} {h.get('note', '')}"
    for s in ctx.get("sections", []):
        sid = s.get("id", "?")
        for x in s.get("sentences", []):
            yield f"{sid}/sentence", str(x)
        for kind, items in (s.get("findings") or {}).items():
            for f in items:
                yield f"{sid}/finding:{kind}", str(f.get("claim", ""))
        for t in s.get("tables", []):
            yield f"{sid}/table", str(t.get("title", ""))
            for n in t.get("notes", []):
                yield f"{sid}/table-note", str(n)
            for r in t.get("rows", []):
                for v in r:
                    if isinstance(v, str):
                        yield f"{sid}/cell", v
        for fig in s.get("figures", []):
            yield f"{sid}/figure", f"{fig.get('title', '')}. {fig.get('alt', '')}"
        for m in s.get("missing", []):
            yield f"{sid}/missing", str(m)


def _balanced(text: str) -> bool:
    for o, c in _PAIRS:
        depth = 0
        for ch in text:
            depth += (ch == o) - (ch == c)
            if depth < 0:
                return False
        if depth:
            return False
    return True


def lint_pack(ctx: PackContext) -> list[str]:
    """Problems found in a pack's text (empty when clean), each as ``"rule: where: text"``."""
    problems = []
    seen: dict[str, str] = {}
    for where, text in pack_strings(ctx):
        for rule, rx in _RULES:
            if rule in ("internal id", "tool command") and where.startswith("sources/"):
                continue  # the methods appendix names the framework file and the commands, for the analyst
            if rx.search(text):
                problems.append(f"{rule}: {where}: {text[:160]}")
        if not _balanced(text):
            problems.append(f"unbalanced brackets: {where}: {text[:160]}")
        if where.endswith("/sentence") and not where.startswith("sources/"):
            key = text.strip()
            if key and key in seen:
                problems.append(f"duplicate sentence: {where} and {seen[key]}: {text[:160]}")
            seen.setdefault(key, where)
    return problems
