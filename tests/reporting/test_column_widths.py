"""PDF table column widths: numbers keep their line, the widths fill the table."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from creative_clusters.reporting.render_html import column_widths

_words = st.lists(st.sampled_from(["creative", "enterprises", "in", "the", "place", "annual", "UK"]),
                  min_size=1, max_size=12).map(" ".join)


@given(texts=st.lists(_words, min_size=1, max_size=4), value=st.integers(0, 10**7),
       n_rows=st.integers(1, 6))
def test_numbers_get_their_width_and_widths_fill_the_table(texts, value, n_rows):
    cols = [f"Text {i}" for i in range(len(texts))] + ["Value"]
    rows = [[*texts, value] for _ in range(n_rows)]
    w = column_widths({"columns": cols, "rows": rows, "formats": ["text"] * len(texts) + ["int"]})
    assert len(w) == len(cols) and all(x > 0 for x in w)
    assert abs(sum(w) - 100) < 0.5
    shown = f"{value:,}"
    # the number column has room for its digits (a line holds about 100 characters)
    assert w[-1] >= len(shown), (w, shown)


def test_a_long_note_does_not_take_the_table():
    rows = [["Short", 1.0, "x " * 200], ["Short", 2.0, "y"], ["Short", 3.0, "z"]]
    w = column_widths({"columns": ["Name", "LQ", "Note"], "rows": rows, "formats": ["text", "num2", "text"]})
    assert w[2] < 90
