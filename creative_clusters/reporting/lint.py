"""The pack linter: text faults a reader would notice, found in a built context or its rendered HTML.

Checks every string the pack shows (title, sentences, findings and their bid notes, table titles and text
cells, notes, "missing" notes, figure titles and alt text, the methods and caveats) for:
``nan``/``None`` leaking from data, internal codes and ids (``custom-``, a framework's file id),
a signed zero ("+0.0 points"), zero or one
with the wrong noun ("0 higher-education", "1 of them", "1 providers"),
sentences said twice, and unbalanced brackets.

Said once
---------
The house rule is that every sentence is said once: the summary summarises, the sections explain and the
methods define, each in its own words, and a part that needs a rule another part defines refers to it
("see its definition in section 9"). The check splits the pack's prose into sentences (at ``.``, ``!`` or
``?``, perhaps closing a bracket or quote, followed by a space and a capital; not after "e.g." and the like)
and flags every sentence of at least :data:`MIN_WORDS` words that appears more than once anywhere in the
body, after normalising whitespace, case, backticks and the final stop: within one paragraph, across
paragraphs and sections, and between a paragraph and a table's caption or note, a figure's caption, a
finding or its bid note, a "missing" note, the summary, the methods and the caveats. Shorter sentences
("No data.") may recur; a body paragraph repeated whole is flagged at any length, as before.

Not compared: table cells (data, where a label or "no data" recurs row after row by design), the notes of a
table no format shows, and the reference list: a bibliography's entries are records, and two works may share
a title, a publisher or a "why relevant" line. The Sources section's ``sentences`` (a copy of its methods
that no format shows) are skipped too. :func:`lint_html` runs the same check on the rendered HTML
(paragraphs, list items, captions and table notes of the body; not the header, contents, footer, cells,
headings, SVG or ``<ol class="refs">``), so text a template adds is covered too.

Examples
--------
>>> ctx = {"title": "T", "sections": [{"id": "a", "title": "A", "sentences": ["X has 1 providers.", "Y (z."],
...        "tables": [], "figures": [], "missing": []}]}
>>> [p.split(":")[0] for p in lint_pack(ctx)]
['wrong plural', 'unbalanced brackets']
>>> said = "The rule flags a place whose business LQ is at least one."
>>> ctx = {"title": "T", "sections": [{"id": "a", "title": "A", "sentences": ["Intro. " + said],
...        "tables": [{"title": "T", "notes": [said], "rows": []}], "figures": [], "missing": []}]}
>>> [p.split(":")[0] for p in lint_pack(ctx)]
['repeated sentence']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

from creative_clusters.reporting.pack_types import PackContext

__all__ = ["MIN_WORDS", "html_strings", "lint_html", "lint_pack", "pack_strings", "repeated_sentences",
           "split_sentences"]

#: A sentence this long or longer is said once in a pack (shorter ones, "No data.", may recur).
MIN_WORDS = 8

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
#: Where a sentence ends: a stop (and a closing bracket or quote), then space, then a capital (perhaps after an
#: opening bracket or quote); not after "e.g.", "i.e.", "vs.", "cf." or "St.".
_SENTENCE_END = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<!vs\.)(?<!cf\.)(?<!St\.)(?:(?<=[.!?])|(?<=[.!?][)\"”’]))\s+"
                           r"(?=[\"“‘(\[]?[A-Z])")
#: The parts :func:`pack_strings` names that the said-once check does not compare (see the module's notes).
_NOT_PROSE = ("/cell", "/reference", "sources/sentence")


def pack_strings(ctx: PackContext) -> Iterator[tuple[str, str]]:
    """Every shown string of a pack with where it is (``section/part``).

    A table the HTML does not show (``html`` false, the summary's ranked findings) gives its notes as
    ``section/hidden-note``.
    """
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
                if f.get("so_what"):
                    yield f"{sid}/finding-note:{kind}", str(f["so_what"])
        for t in s.get("tables", []):
            shown = t.get("html", True) and not (sid == "summary" and t.get("title") == "Key findings, ranked")
            yield f"{sid}/table", str(t.get("title", ""))
            for n in t.get("notes", []):
                yield f"{sid}/{'table-note' if shown else 'hidden-note'}", str(n)
            for r in t.get("rows", []):
                for v in r:
                    if isinstance(v, str):
                        yield f"{sid}/cell", v
        for fig in s.get("figures", []):
            yield f"{sid}/figure", f"{fig.get('title', '')}. {fig.get('alt', '')}"
        for m in s.get("missing", []):
            yield f"{sid}/missing", str(m)
        for ref in s.get("references", []):
            yield f"{sid}/reference", " ".join(str(ref.get(k, "")) for k in ("citation", "summary", "why"))
        if sid == "sources":
            for m in s.get("methods", []):
                yield "sources/method", str(m)
            for c in ctx.get("caveats", []):
                yield "sources/caveat", str(c)


def split_sentences(text: str) -> list[str]:
    """``text``'s sentences, each normalised for comparison (whitespace, case, backticks, the final stop).

    >>> split_sentences("It rests on `counts`.  So  it can differ! (See section 9.) More")
    ['it rests on counts', 'so it can differ!', '(see section 9.)', 'more']
    >>> split_sentences("An LQ of 1.5 vs. 0.9, e.g. Leeds. 2,825 enterprises.")
    ['an lq of 1.5 vs. 0.9, e.g. leeds. 2,825 enterprises']
    """
    flat = " ".join(text.replace("`", "").split())
    return [s.casefold().removesuffix(".") for s in _SENTENCE_END.split(flat) if s.strip()]


def repeated_sentences(items: Iterable[tuple[str, str]], min_words: int = MIN_WORDS) -> list[str]:
    """Each sentence of ``items`` (``(where, text)``) of at least ``min_words`` words said more than once, as
    ``"repeated sentence: WHERE and WHERE: sentence"`` (first and each later place), in order of the repeat.

    >>> s = "This sentence has more than eight words in it, so it counts."
    >>> repeated_sentences([("a/sentence", s), ("b/table-note", "Short. " + s), ("c/sentence", "Short.")])
    ['repeated sentence: b/table-note and a/sentence: this sentence has more than eight words in it, so it counts']
    """
    first: dict[str, str] = {}
    out = []
    for where, text in items:
        for s in split_sentences(text):
            if len(s.split()) < min_words:
                continue
            if s in first:
                out.append(f"repeated sentence: {where} and {first[s]}: {s[:160]}")
            else:
                first[s] = where
    return out


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
    strings = list(pack_strings(ctx))
    for where, text in strings:
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
    problems += repeated_sentences((w, t) for w, t in strings
                                   if not (w.endswith(_NOT_PROSE) or "/reference" in w or "hidden-note" in w))
    return problems


class _Body(HTMLParser):
    """The prose of a rendered pack: ``(section/tag, text)`` for each paragraph, list item, caption and
    figure caption of the body, outside the header, contents, footer, SVG, tables' cells and references."""

    _BLOCKS = frozenset({"p", "li", "caption", "figcaption", "td", "th", "h1", "h2", "h3", "h4"})
    _SKIP = frozenset({"head", "header", "nav", "footer", "svg", "style", "script"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skips its content)
        self._text: list[str] = []
        self._kind = ""
        self._section = "?"

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._open)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if text and self._kind in ("p", "li", "caption", "figcaption"):
            self.items.append((f"{self._section}/{self._kind}", text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self._section = str(a.get("id") or "?").removeprefix("s-")
        if tag in ("br", "hr", "img", "meta", "link", "col", "input"):  # void: nothing to close
            return
        skip = tag in self._SKIP or (tag == "ol" and "refs" in str(a.get("class") or "").split())
        if tag in self._BLOCKS and not self._skipping():
            self._flush()
            self._kind = tag
        self._open.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS and not self._skipping():
            self._flush()
            self._kind = ""
        for k in range(len(self._open) - 1, -1, -1):
            if self._open[k][0] == tag:
                del self._open[k:]
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._text.append(data)


def html_strings(html: str) -> list[tuple[str, str]]:
    """The prose blocks of a rendered pack as ``(section/tag, text)`` (see :class:`_Body`).

    >>> html_strings('<header><p>Title</p></header><section id="s-a"><p>One <b>two</b>.</p>'
    ...              '<table><caption>Cap</caption><tr><td>cell</td></tr></table><p class="note">Note.</p>'
    ...              '<ol class="refs"><li>Ref.</li></ol></section>')
    [('a/p', 'One two.'), ('a/caption', 'Cap'), ('a/p', 'Note.')]
    """
    body = _Body()
    body.feed(html)
    body.close()
    body._flush()
    return body.items


def lint_html(html: str, min_words: int = MIN_WORDS) -> list[str]:
    """Sentences a rendered pack says more than once (:func:`repeated_sentences` over :func:`html_strings`)."""
    return repeated_sentences(html_strings(html), min_words)
