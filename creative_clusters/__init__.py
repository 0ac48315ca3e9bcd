"""creative-clusters: turn official UK statistics into evidence about creative clusters.

Map, measure, benchmark, connect and explain creative clusters from ONS, Nomis
and DCMS statistics held in an embedded DuckDB warehouse.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
