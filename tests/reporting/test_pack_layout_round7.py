"""Print and screen layout of the pack (a visual review of eight packs, round 7).

The print rules are tested on small documents through the pack's own
stylesheet and :func:`render_pdf`, so each test shows the rule it needs.
"""

from __future__ import annotations

import shutil

import pytest

from creative_clusters.reporting.render_html import column_widths, pack_css
from creative_clusters.reporting.render_pdf import render_pdf


def _pages(body: str) -> list[tuple[str, str]]:
    """(orientation, text) of each page of ``body`` printed with the pack's stylesheet."""
    pypdf = pytest.importorskip("pypdf")
    import io

    pdf = render_pdf(None, f"<html lang='en-GB'><head><style>{pack_css()}</style></head><body>{body}</body></html>")
    out = []
    for p in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        w, h = float(p.mediabox.width), float(p.mediabox.height)
        out.append(("L" if w > h else "P", " ".join(p.extract_text().split())))
    return out


def _table(caption: str, n: int, cols: int = 2, wide: bool = False, prefix: str = "r") -> str:
    head = "".join(f"<th>H{j}</th>" for j in range(cols))
    rows = "".join("<tr>" + "".join(f"<td>{prefix}{i}c{j}</td>" for j in range(cols)) + "</tr>" for i in range(n))
    return (f"<div class='tbl{' wide' if wide else ''}'><table><caption>{caption}</caption><thead><tr>{head}</tr>"
            f"</thead><tbody>{rows}</tbody></table></div>")


def test_text_after_a_wide_table_returns_to_portrait_pages():
    """After a landscape table, the next section's heading and paragraphs ran on landscape pages
    (Sheffield p7, p16, p26)."""
    pages = _pages("<section><h2>1. One</h2><p>Before the wide table.</p>"
                   + _table("Wide", 5, cols=9, wide=True)
                   + "<p>After the wide table.</p></section><section><h2>2. Two</h2><p>Next section.</p></section>")
    where = {text: o for o, t in pages for text in ("Before", "Wide", "After", "Next section") if text in t}
    assert where == {"Before": "P", "Wide": "L", "After": "P", "Next section": "P"}, pages


def test_a_caption_is_never_left_alone_at_the_foot_of_a_page():
    """'Baselines to set targets against' sat alone at the foot of Cardiff's first page, its table overleaf."""
    for filler in range(50, 62):  # move the table's start down the first page, past its foot
        body = "".join(f"<p>Filler line {i}.</p>" for i in range(filler)) + _table("Baselines caption", 30)
        pages = _pages(body)
        page = next(i for i, (_, t) in enumerate(pages) if "Baselines caption" in t)
        # the caption's page holds the header and at least the first two rows
        assert "r0c0" in pages[page][1] and "r1c0" in pages[page][1], (filler, pages[page][1][-200:])


def test_a_long_table_leaves_at_least_three_rows_on_its_last_page():
    """Two rows of 'Creative employment by year' sat alone at the top of a page (Greater Manchester p10)."""
    for n in range(39, 46):  # the table grows past one page
        pages = _pages(_table("Long table", n) + "<p>After.</p>")
        last = next(i for i, (_, t) in enumerate(pages) if f"r{n - 1}c0" in t)
        rows_there = sum(f"r{i}c0 " in pages[last][1] + " " for i in range(n))
        if last > 0:
            assert rows_there >= 3, (n, pages[last][1][:200])


def test_a_wide_table_gives_spare_room_to_its_headers_not_its_label_column():
    """The sub-sector table (landscape) gave 38% of its width to names of at most 38 characters while
    'Rank among place and 10 peers' wrapped over five lines."""
    cols = ["Sub-sector", "Enterprises", "Share of place's creative enterprises (%)", "Share of England (%)",
            "Business LQ", "LQ 95% low", "LQ 95% high", "Rank among English LADs", "Rank among place and 10 peers"]
    rows = [["Film, TV, video, radio and photography", 200, 12.4, 0.55, 0.75, 0.65, 0.87, 42, 7],
            ["Crafts", 20, 1.2, 1.56, 2.13, 1.30, 3.29, 6, 1]] * 4
    w = column_widths({"columns": cols, "rows": rows,
                       "formats": ["text", "int", "pct", "pct2", "num2", "num2", "num2", "int", "int"]})
    line = 150  # characters on a landscape line in the wide tables' font
    assert w[0] * line / 100 <= 38 + 6  # the names, with their padding, and no more
    # the last header ("Rank among place and 10 peers", 29 characters) wraps over at most three lines
    assert w[-1] * line / 100 >= 29 / 3 + 3


def test_identifiers_and_checksums_keep_one_line_and_urls_wrap():
    """'business_counts_202 / 5' and a SHA-256 broken mid-token in 'Datasets used'."""
    cols = ["Dataset", "Title", "URL", "SHA-256 (first 16)"]
    rows = [["business_demography_2024", "Business demography, UK: 2024 " * 3,
             "https://www.ons.gov.uk/businessindustryandtrade/business/activitysizeandlocation/datasets/x",
             "838c012df2fe08a0"]] * 5
    w = column_widths({"columns": cols, "rows": rows, "formats": ["text"] * 4})
    line = 100
    assert w[0] * line / 100 >= len("business_demography_2024")
    assert w[3] * line / 100 >= 16
    assert w[2] * line / 100 < 60  # a URL is running text: it wraps


def test_a_seven_column_table_with_long_notes_goes_landscape_and_its_notes_get_the_room():
    """The Welsh benchmark table's Note (up to 238 characters) had 13-16% of a portrait line and ran to
    20 lines a row over five pages, its other columns taken by numbers and header words."""
    from creative_clusters.reporting._layout import is_wide

    note = "Not ranked within Wales: the counts by SIC class cover English local authorities only; " * 2
    rows = [["Scale and concentration", "Creative business location quotient", 45.1, 62, 22, "higher is better",
             note]] * 20
    t = {"columns": ["Dimension", "Indicator", "Value", "Percentile in Wales", "Places with data", "Direction",
                     "Note"], "rows": rows, "formats": ["text", "text", "num1", "int", "int", "text", "text"]}
    assert is_wide(t)
    w = column_widths(t)
    assert w[6] >= 30 and w[6] > 2 * max(w[0], w[5]), w
    # a short table of few columns stays portrait
    assert not is_wide({"columns": ["Quadrant", "Item", "Basis"], "rows": [["Strength", note, "data"]],
                        "formats": ["text"] * 3})


def test_the_pdf_is_tagged_for_screen_readers():
    """The PDF had no structure tree (/MarkInfo absent): a screen reader met one run of text."""
    pypdf = pytest.importorskip("pypdf")
    import io

    pdf = render_pdf(None, f"<html lang='en-GB'><head><style>{pack_css()}</style></head><body><h1>Pack</h1>"
                           "<p>Text.</p>" + _table("A table", 3) + "</body></html>")
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root


@pytest.mark.browser
def test_the_pack_does_not_scroll_sideways_on_a_phone(tmp_path):
    """On a 390 px screen the whole pack scrolled sideways to 1,032 px (a long URL in the references),
    and the charts' labels shrank to 4-5 px."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed")
    svg = ("<svg role='img' aria-label='chart' width='584pt' height='300pt' viewBox='0 0 584 300'>"
           "<text x='10' y='20' font-size='9'>label</text></svg>")
    url = "https://www.ons.gov.uk/businessindustryandtrade/business/activitysizeandlocation/datasets/businessdemographyreferencetable"
    html = (f"<html><head><meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<style>{pack_css()}</style></head><body><h1>Pack</h1><p>Text.</p>"
            f"<ol class='refs'><li>Reference. <a href='{url}'>{url}</a></li></ol>"
            f"<p class='note'>Source: {url}</p><figure>{svg}<figcaption>Caption</figcaption></figure>"
            + _table("A table", 3, cols=9) + "</body></html>")
    path = tmp_path / "pack.html"
    path.write_text(html, "utf-8")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = b.new_page(viewport={"width": 390, "height": 800})
            page.goto(path.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            # the chart keeps at least 34em (about 500 px in the pack's 11 pt type), scrolling inside its figure,
            # where the page's 390 px had shrunk it to 346 px
            width, em = page.evaluate("[document.querySelector('figure svg').getBoundingClientRect().width,"
                                      " parseFloat(getComputedStyle(document.querySelector('figure svg')).fontSize)]")
            assert width >= 34 * em - 1 > 390
        finally:
            b.close()
