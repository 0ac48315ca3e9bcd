"""The curated research library: reports and data sources to cite in a bid."""

from creative_clusters.research.library import (
    THEMES,
    LibraryEntry,
    format_citation,
    load_library,
    search_library,
    validate_library,
)

__all__ = [
    "THEMES",
    "LibraryEntry",
    "format_citation",
    "load_library",
    "search_library",
    "validate_library",
]
