"""Round 20: the pack's figures read once by a screen reader, the web page's language, and the web
addresses of the datasets in print (each test failed before its fix).

Was: every figure's SVG was named by its long alt text (``aria-label``) and its caption gave the same text
under the title, so a screen reader read the description twice; the map page said ``lang="en"`` while the
pack says ``en-GB``; the "Datasets used" table had nine columns, the URL one of them, squeezed in the PDF to
a tenth of a landscape line, so an address broke every few characters over five lines or more.
"""

from __future__ import annotations

import html as htmllib
import io
import re
import shutil
from pathlib import Path

import pytest

from creative_clusters.reporting.render_html import column_widths, render_html
from tests.reporting.test_office_round7 import _ctx

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "creative_clusters" / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
#: an alt text with characters that are escaped in HTML, as the real ones have ("Sheffield's", "&")
ALT = "Bar chart of LQs for Placeville's sub-sectors: Crafts 2.13 & Design 0.83 (England = 1)."
TITLE = "Creative business LQs, Placeville"
URLS = ["https://www.ons.gov.uk/businessindustryandtrade/business/activitysizeandlocation/bulletins/"
        "businessdemography/previousreleases", "https://www.nomisweb.co.uk/datasets/idbrent"]


def _figure() -> dict:
    """A pack figure drawn as the pack draws them (its SVG named by its alt text)."""
    from creative_clusters.reporting.figure_render import _new_figure, _render

    fig, ax = _new_figure((3, 2))
    ax.bar(["Crafts", "Design"], [2.13, 0.83])
    return _render(fig, TITLE, ALT, False)


def _figure_ctx() -> dict:
    ctx = _ctx()
    scale = next(s for s in ctx["sections"] if s["id"] == "scale")
    scale["figures"] = [_figure()]
    return ctx


def _text(fragment: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded, spaces squeezed)."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_a_figure_is_named_by_its_title_and_its_description_is_read_once():
    page = render_html(_figure_ctx())
    figures = re.findall(r"<figure\b[^>]*>(.*?)</figure>", page, re.S)
    assert len(figures) == 1
    fig = figures[0]
    svg_tag = re.search(r"<svg\b[^>]*>", fig).group(0)
    assert 'role="img"' in svg_tag
    # the image's accessible name: what aria-labelledby points at (or its own aria-label)
    label = re.search(r'\saria-label="([^"]*)"', svg_tag)
    ids = re.search(r'\saria-labelledby="([^"]*)"', svg_tag)
    assert ids is not None and label is None, svg_tag
    names = [_text(re.search(rf'<[^>]+\bid="{re.escape(i)}"[^>]*>(.*?)</', page, re.S).group(1))
             for i in ids.group(1).split()]
    assert " ".join(names) == TITLE
    # what a screen reader reads of the figure: the image's name, then the caption; the long text once
    caption = _text(re.search(r"<figcaption>(.*?)</figcaption>", fig, re.S).group(1))
    assert caption == f"{TITLE}. {ALT}"
    assert f"{' '.join(names)} {caption}".count(ALT) == 1
    assert ALT not in htmllib.unescape(svg_tag)


def test_the_pdf_still_gives_each_figure_its_full_description():
    """The PDF's tagged figure had the alt text from the SVG's aria-label: it keeps the whole description."""
    import pypdf

    from creative_clusters.reporting.render_pdf import _figures_as_images, render_pdf

    page = render_html(_figure_ctx())
    img = re.findall(r'<img class="svg" alt="([^"]*)"', _figures_as_images(page))
    assert [htmllib.unescape(a) for a in img] == [ALT]
    assert re.search(r"<svg\b[^>]*\saria-labelledby=", page)  # the page's SVG is named by its title
    root = pypdf.PdfReader(io.BytesIO(render_pdf(None, page))).trailer["/Root"]
    alts: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            walk(node.get("/K"))
        elif isinstance(node, list):
            for k in node:
                walk(k)

    walk(root["/StructTreeRoot"])
    assert alts == [ALT]


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="chromium not installed")
def test_axe_core_and_chromium_name_the_figure_by_its_title():
    """axe-core (WCAG 2 A/AA and best practice) on the pack's HTML in Chromium: no serious violation, and
    the browser's accessible name of each figure's image is its title, not the description again."""
    if not AXE.exists():
        pytest.skip("axe-core not installed: run scripts/setup.sh (npm install in creative_clusters/web/frontend)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.web.conftest import CHROMIUM, FLAGS

    page_html = render_html(_figure_ctx())
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            pg = browser.new_page()
            pg.set_content(page_html)
            pg.add_script_tag(path=str(AXE))
            names = pg.evaluate("() => { axe.setup(document); const n = [...document.querySelectorAll('figure svg')]"
                                ".map(e => axe.commons.text.accessibleText(e)); axe.teardown(); return n; }")
            report = pg.evaluate("() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        finally:
            browser.close()
    assert names == [TITLE]
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in report["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_the_map_page_is_in_british_english_as_the_pack_is():
    page = (ROOT / "creative_clusters" / "web" / "static" / "index.html").read_text(encoding="utf-8")
    pack = (ROOT / "creative_clusters" / "reporting" / "templates" / "pack.html").read_text(encoding="utf-8")
    lang = re.compile(r"<html\b[^>]*\blang=\"([^\"]+)\"")
    assert lang.search(page).group(1) == lang.search(pack).group(1) == "en-GB"


# --- the datasets' web addresses --------------------------------------------------------------------------


def _sources_ctx() -> dict:
    """The Sources section as the pack builds it, for two catalogue records with long addresses."""
    from types import SimpleNamespace

    from creative_clusters.reporting.section_sources import sources_section

    records = [{"id": "business_demography_2024", "title": "Business demography: active enterprises, births, "
                "deaths, high growth and survival by area, UK, 2019-2024", "publisher": "Office for National "
                "Statistics (via ONS Explore Local Statistics)", "vintage": "2025-11-20",
                "licence": "Open Government Licence v3.0", "attribution": "Contains public sector information "
                "licensed under the Open Government Licence v3.0", "source_url": URLS[0],
                "imported_at": "2026-12-07T10:00:00", "checksum": "9c2c281a0add3e83" * 4},
               {"id": "business_counts_2025", "title": "UK Business Counts: creative enterprises by LAD and SIC "
                "2007 class, March 2025", "publisher": "Office for National Statistics (Inter-Departmental "
                "Business Register)", "vintage": "2025", "licence": "Open Government Licence v3.0",
                "attribution": "Contains public sector information licensed under the Open Government "
                "Licence v3.0", "source_url": URLS[1], "imported_at": "2026-12-07T10:00:00",
                "checksum": "1b75f795b5f8ac2b" * 4}]
    place = SimpleNamespace(members=["E08000019"], geo_type="lad", name="Sheffield")
    inp = SimpleNamespace(sources=records, microcluster_run=None, peer_choice=None, place=place, lq=None,
                          series_lads=None, series_scale=None, trajectory=None, subsectors=(), focus=None,
                          indicators=None, missing={}, framework=SimpleNamespace(id="growth_potential", version="1.5"))
    st = SimpleNamespace(benchmark=None, peers=["E08000035"])
    return sources_section(inp, st, [r["id"] for r in records], "DCMS 2023")


@pytest.fixture(scope="module")
def sources():
    try:
        return _sources_ctx()
    except (AttributeError, TypeError) as exc:  # a field the section reads that the stand-in lacks
        pytest.fail(f"the stand-in inputs of sources_section need updating: {exc}")


def _url_cells(tables: list[dict]) -> list[tuple[int, float]]:
    """Per table holding a URL column: (its number of columns, the URL column's share of the line, %)."""
    out = []
    for t in tables:
        if "URL" in t["columns"]:
            out.append((len(t["columns"]), column_widths(t)[t["columns"].index("URL")]))
    return out


def test_the_addresses_are_not_a_column_of_the_wide_datasets_table(sources):
    shown = [t for t in sources["tables"] if t.get("html", True)]
    with_urls = _url_cells(shown)
    assert with_urls, "the pack still gives every dataset's address"
    for n_cols, share in with_urls:
        # a URL column with at least half the line: a long address takes two or three lines, not eight
        assert n_cols <= 3 and share >= 50, (n_cols, share)
    urls = [r for t in shown if "URL" in t["columns"] for r in t["rows"]]
    assert sorted(u for _, u in urls) == sorted(URLS)  # the full address, not a shortened one
    used = next(t for t in shown if t["title"] == "Datasets used")
    assert [r[0] for r in used["rows"]] == [r[0] for r in urls]  # every dataset listed in both, in one order


def _pack_page(sources: dict) -> str:
    ctx = _ctx()
    ctx["sections"][-1] = {**ctx["sections"][-1], "tables": sources["tables"]}
    return render_html(ctx)


def test_no_address_breaks_over_more_than_three_lines_in_the_pdf(sources):
    """Was: "https:// / www.ons.gov / .uk/busin / essindustr / …" over eight lines of a 9% column."""
    import pypdf

    from creative_clusters.reporting.render_pdf import render_pdf

    reader = pypdf.PdfReader(io.BytesIO(render_pdf(None, _pack_page(sources))))
    lines = [ln.strip() for p in reader.pages for ln in p.extract_text().splitlines()]
    for url in URLS:
        # the lines of the page that hold a piece of the address, from its start
        start = next(i for i, ln in enumerate(lines) if ln.endswith("https://") or url[:20] in ln)
        joined, k = "", start
        while url not in joined and k < len(lines) and k - start < 10:
            piece = lines[k]
            joined += piece[piece.index("https://"):] if k == start and "https://" in piece else piece
            k += 1
        assert url in joined, (url, lines[start:k])
        assert k - start <= 3, (url, lines[start:k])


def test_word_gives_the_addresses_as_links_in_a_table_of_their_own(sources):
    from docx import Document
    from docx.oxml.ns import qn

    from creative_clusters.reporting.render_docx import render_docx

    ctx = _ctx()
    ctx["sections"][-1] = {**ctx["sections"][-1], "tables": sources["tables"]}
    doc = Document(io.BytesIO(render_docx(ctx)))
    targets = {r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert set(URLS) <= targets
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if "URL" not in head:
            continue
        assert len(head) <= 3, head
        j = head.index("URL")
        width = table.columns[j].width
        assert width is not None and width >= 0.5 * sum(c.width for c in table.columns)
        links = ["".join(t.text or "" for t in row.cells[j]._tc.iter(qn("w:t"))) for row in table.rows[1:]]
        assert sorted(links) == sorted(URLS)
