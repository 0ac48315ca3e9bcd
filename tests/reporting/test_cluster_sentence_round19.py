"""A place no detection method finds names the methods after a colon, not inside brackets: the methods' own names
hold brackets, so the sentence read "None of the 3 detection methods (Nesta-style threshold rule (business
counts), US Cluster Mapping rule and hot-spot analysis (Getis-Ord Gi* and local Moran)) finds a creative cluster
in Middlesbrough." (brackets two deep, and the verb far from its subject)."""

from __future__ import annotations

from creative_clusters.reporting.sentences_clusters import clusters_summary_sentence

METHODS = ["Nesta-style threshold rule (business counts)", "US Cluster Mapping rule",
           "hot-spot analysis (Getis-Ord Gi* and local Moran)"]


def _depth(s: str) -> int:
    deepest = depth = 0
    for ch in s:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    assert depth == 0, s
    return deepest


def test_no_method_finds_a_cluster_reads_in_one_level_of_brackets():
    s = clusters_summary_sentence("Middlesbrough", [], METHODS)
    assert s == ("None of the 3 detection methods finds a creative cluster in Middlesbrough: the Nesta-style "
                 "threshold rule (business counts), the US Cluster Mapping rule and the hot-spot analysis "
                 "(Getis-Ord Gi* and local Moran).")
    assert _depth(s) == 1


def test_every_form_of_the_sentence_keeps_brackets_one_deep():
    for yes, no in ((METHODS[:1], METHODS[1:]), (METHODS, []), ([], METHODS[:1]), (METHODS[1:], METHODS[:1])):
        assert _depth(clusters_summary_sentence("X", yes, no)) <= 1
