"""A place's growth-potential percentiles as a table, for the web map and other front ends.

The evidence pack's benchmark section (``reporting``) draws figures and writes
sentences around the same table; front ends that only show the numbers call
:func:`place_benchmark` instead, which runs the same steps (the pack's peer
choice, :func:`creative_clusters.benchmarking.percentiles.percentiles`) on the
national data without rendering anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from creative_clusters.benchmarking.nations import nation_percentiles
from creative_clusters.benchmarking.percentiles import percentiles
from creative_clusters.geography.place import NATIONS
from creative_clusters.reporting.nation_benchmark import base_words, england_words, source_names
from creative_clusters.workflows.evidence import place_peers, resolve_evidence_place
from creative_clusters.workflows.evidence_stats import pack_intervals
from creative_clusters.workflows.pack_data import NationalData
from creative_clusters.workflows.pack_series import nation_benchmark_tables

__all__ = ["BenchmarkResult", "place_benchmark"]


@dataclass
class BenchmarkResult:
    """Percentiles of one place (``table`` is ``None`` when they are not available, ``note`` says why).

    ``table`` has the columns of :func:`~creative_clusters.benchmarking.percentiles.percentiles`
    plus ``dimension_title``.
    """

    code: str
    name: str
    table: pd.DataFrame | None
    peers: list[str] = field(default_factory=list)
    framework: str = ""
    note: str = ""


def place_benchmark(nd: NationalData, query: str | None, *, name: str | None = None,
                    places: Sequence[str] | None = None) -> BenchmarkResult:
    """The growth-potential percentiles of a local authority among all LADs and its peers.

    ``name`` and ``places`` give a user's group instead of ``query``, as
    :func:`~creative_clusters.workflows.evidence.resolve_evidence_place` takes them.

    Areas made of several LADs (combined authorities, regions, TTWAs) are
    benchmarked in the evidence pack only, which rebuilds their location
    quotient from summed counts; here they get ``table=None`` and a note.

    Examples
    --------
    >>> from creative_clusters.benchmarking import load_framework
    >>> areas = pd.DataFrame({"geo_code": ["E09000001", "E09000002"], "geo_name": ["A", "B"], "geo_type": "lad"})
    >>> nd = NationalData(framework=load_framework(), names={"E09000001": "A", "E09000002": "B"}, areas=areas,
    ...                   indicators=pd.DataFrame({"creative_business_lq": [1.5, 0.5]},
    ...                                           index=["E09000001", "E09000002"]))
    >>> res = place_benchmark(nd, "E09000001")
    >>> row = res.table.set_index("indicator_id").loc["creative_business_lq"]
    >>> float(row["pct_all"]), row["status"]
    (75.0, 'ok')
    """
    place = resolve_evidence_place(nd, query, name=name, places=places)
    fw = nd.framework
    framework = f"{fw.id} {fw.version}"
    vals = nd.indicators
    if vals is None or vals.empty:
        return BenchmarkResult(place.code, place.name, None, framework=framework,
                               note="No benchmark indicators: the warehouse lacks the datasets "
                                    f"{', '.join(fw.datasets)}. Run `creative-clusters data import DIR`.")
    if place.code not in vals.index:
        tabs = nation_benchmark_tables(nd, place) if place.is_single else None  # groups: in the pack only
        if tabs is not None:  # a LAD in Scotland, Wales or Northern Ireland: among its own nation's LADs
            nat = tabs.nation
            nation = NATIONS.get(place.code[:1], "its nation")
            table = nation_percentiles(nat, place.code, fw, uk=tabs.uk, intervals=pack_intervals(nd, place.members),
                                       source_names=source_names(nd.sources), notes=tabs.notes, names=nd.names)
            uk_rows = table[table["pct_uk"].notna()]
            n_uk = int(uk_rows["n_uk"].max()) if len(uk_rows) else 0
            return BenchmarkResult(place.code, place.name, _titled(table, fw), framework=framework, note=(
                f"Percentiles {base_words(len(nat), nation, len(uk_rows), n_uk)} (the \"Across the UK\" column). "
                + england_words(int(table["england_only"].sum()))
                + "No peer column: peers are chosen among English local authorities."))
        return BenchmarkResult(place.code, place.name, None, framework=framework, note=(
            f"No benchmark indicators for {place.name}." if place.is_single else
            "Percentiles are shown for single local authorities; the evidence pack benchmarks areas made of "
            "several of them."))
    # the pack's peers (same kind and nation, London left out unless the place is in it): one chooser
    choice = place_peers(nd, place, None)
    peers = [p for p in (choice.codes if choice is not None else ()) if p in vals.index]
    table = percentiles(vals, place=place.code, peers=peers, framework=fw)
    return BenchmarkResult(place.code, place.name, _titled(table, fw), peers=peers, framework=framework)


def _titled(table: pd.DataFrame, fw: Any) -> pd.DataFrame:
    """``table`` with the dimensions' titles beside their ids (``dimension_title``)."""
    titles = {d.id: d.title for d in fw.dimensions}
    table.insert(1, "dimension_title", table["dimension"].map(titles).fillna(table["dimension"]))
    return table
