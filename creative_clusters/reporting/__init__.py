"""Reporting: the evidence pack's context, generated sentences, figures and renderers."""

from creative_clusters.reporting._model import EvidenceInputs, PlaceInfo
from creative_clusters.reporting.context import build_context

__all__ = ["EvidenceInputs", "PlaceInfo", "build_context"]
