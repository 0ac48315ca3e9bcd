"""docs/methods.md: the method notes the outputs cite exist, and every citation names a section they have."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
METHODS = ROOT / "docs" / "methods.md"
#: Where citations live: the package (help, titles, caveats, docstrings, framework YAML), the docs, the README.
SEARCHED = [ROOT / "creative_clusters", ROOT / "docs", ROOT / "README.md"]
#: The research library cites the shared research notes (a different file), not the project's method notes.
NOT_OURS = {ROOT / "creative_clusters" / "research" / "library.yaml"}
#: Files allowed to say "methods.md" without the folder (none).
SHORT_FORM_PENDING: set[Path] = set()
CITE = re.compile(r"(?<![\w/])(docs/)?methods\.md(?:[^\n§]{0,12}?§\s*(\d+)(?:\.(\d+))?)?")


def _cited_files() -> list[Path]:
    out: list[Path] = []
    for base in SEARCHED:
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.suffix in (".py", ".md", ".yaml")]
        out += [p for p in files if p not in NOT_OURS and p != METHODS]
    return out


def _sections() -> set[str]:
    heads = re.findall(r"^#{2,3} (\d+)(?:\.(\d+))?\.? ", METHODS.read_text(encoding="utf-8"), flags=re.M)
    return {f"{a}.{b}" if b else a for a, b in heads}


def test_methods_md_exists_with_numbered_sections():
    assert METHODS.is_file(), "docs/methods.md is cited by the outputs but missing"
    assert {"1", "3", "4", "13", "14", "14.1", "14.7"} <= _sections()


def test_every_citation_names_the_file_and_an_existing_section():
    sections = _sections()
    bad = []
    for path in _cited_files():
        for m in CITE.finditer(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(ROOT)}: {m.group(0)!r}"
            if not m.group(1) and path not in SHORT_FORM_PENDING:
                bad.append(f"{where} (say docs/methods.md: the project has no methods.md at its root)")
            if m.group(2):
                sec = f"{m.group(2)}.{m.group(3)}" if m.group(3) else m.group(2)
                if sec not in sections:
                    bad.append(f"{where} (no section {sec} in docs/methods.md)")
    assert not bad, "\n".join(bad)


def test_threshold_title_cites_the_method_notes():
    from creative_clusters.workflows.detection import detect

    t = pd.DataFrame({"geo_code": ["A", "B", "C", "D"], "business_lq": [1.5, 0.5, 1.2, 2.0],
                      "businesses": [300, 200, 100, 400]})
    for method, section in (("threshold", "§1"), ("strong", "§13")):
        out, _ = detect(t, method=method, lq="business_lq", size="businesses", min_size=150)
        assert out["method"].iloc[0].endswith(f"; docs/methods.md {section})"), out["method"].iloc[0]
