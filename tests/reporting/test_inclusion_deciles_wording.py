"""The deprivation-decile sentence agrees in number with the place's local authorities.

Was: a travel-to-work area made of one local authority (Harrogate's, North Yorkshire) read "Harrogate's
local authorities are in deciles 7 of English local authorities".
"""

from __future__ import annotations

from creative_clusters.people.inclusion import DecileRow, InclusionEvidence
from creative_clusters.reporting.inclusion_block import _decile_part

INDEX = "English Indices of Deprivation 2025"


def _sentences(place, rows):
    ev = InclusionEvidence(place_name=place, deciles=rows, deciles_index=INDEX,
                           deciles_unit="creative enterprises per 1,000 active enterprises")
    block = {"sentences": [], "tables": [], "figures": [], "sources": [], "missing": []}
    _decile_part(ev, block)
    return block["sentences"]


def test_one_lad_named_otherwise_is_one_local_authority():
    rows = [DecileRow(6, 30, 101.0), DecileRow(7, 29, 118.26, ("North Yorkshire",))]
    [s] = _sentences("the Harrogate travel-to-work area", rows)
    assert "deciles 7" not in s and "local authorities are" not in s
    assert s.startswith(f"On the {INDEX}, the Harrogate travel-to-work area's local authority, North Yorkshire, "
                        "is in decile 7 of English local authorities")
    assert "the 29 local authorities of that decile together have 118.3" in s


def test_several_lads_in_one_decile_are_all_in_it():
    rows = [DecileRow(2, 30, 90.0, ("Barnsley", "Doncaster")), DecileRow(3, 29, 95.0)]
    [s] = _sentences("the Barnsley group", rows)
    assert "all 2 of the Barnsley group's local authorities are in decile 2" in s


def test_lads_in_several_deciles_are_listed():
    rows = [DecileRow(2, 30, 90.0, ("Barnsley",)), DecileRow(5, 29, 95.0, ("Harrogate",))]
    [s] = _sentences("the Group", rows)
    assert "the Group's local authorities are in deciles 2 and 5" in s
