"""A name that starts several official local-authority names names them all (review D, M7).

"Newcastle" resolves to Newcastle upon Tyne (its everyday name) but must say that
Newcastle-under-Lyme starts with it too; "Kingston", which names no place, must
offer both Kingstons before any look-alike spelling.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creative_clusters.errors import PlaceNotFoundError
from creative_clusters.geography.resolver import PlaceBook, find_area, normalise_name


@pytest.fixture(scope="module")
def book(areas, hierarchy):
    return PlaceBook(areas, hierarchy, data_vintage="2023")


def _lads_starting(areas: pd.DataFrame, words: str) -> set[str]:
    """Codes of LADs in force whose official name starts with ``words`` as whole words."""
    lads = areas[(areas["geo_type"] == "lad") & areas["end"].isna()]
    return set(lads.loc[lads["geo_name"].map(normalise_name).str.startswith(normalise_name(words) + " "),
                        "geo_code"])


def test_an_exact_name_also_lists_the_lads_its_words_start(areas, book):
    place = book.resolve("Newcastle")
    notes = book.other_meanings("Newcastle", place)
    others = _lads_starting(areas, "Newcastle") - {place.code}
    assert others, "the reference data should hold a second Newcastle"
    for code in others:
        assert any(code in n for n in notes), (code, notes)
    assert not any(place.code in n for n in notes)  # the place chosen is not offered again
    under_lyme = next(n for n in notes if "under" in n)
    typed = under_lyme.split(": type ", 1)[1]
    assert book.resolve(typed).code in others  # the hint resolves as printed


def test_a_name_no_place_has_suggests_the_names_it_starts_first(areas):
    starting = _lads_starting(areas, "Kingston")
    assert len(starting) >= 2
    with pytest.raises(PlaceNotFoundError) as exc:
        find_area("Kingston", areas)
    first = exc.value.suggestions[:len(starting)]
    names = set(areas.loc[areas["geo_code"].isin(starting), "geo_name"])
    assert {s.rsplit(" (", 1)[0] for s in first} == names
    assert all(n in str(exc.value) for n in names)


def test_the_prefix_is_whole_words(areas, book):
    # "Richmond" starts "Richmond upon Thames" but not "Richmondshire"
    with pytest.raises(PlaceNotFoundError) as exc:
        find_area("Richmond", areas)
    assert exc.value.suggestions[0].startswith("Richmond upon Thames")
    notes = book.other_meanings("Sheffield", book.resolve("Sheffield"))
    assert all("local authority" not in n for n in notes)  # no LAD name starts with "Sheffield "
