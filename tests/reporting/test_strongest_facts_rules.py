"""Strongest-facts rules on hand-made (SYNTHETIC) inputs: no LQ fact rests on fewer than 50 enterprises."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creative_clusters.benchmarking.framework import load_framework
from creative_clusters.reporting._model import EvidenceInputs, PlaceInfo
from creative_clusters.reporting.context import MIN_LQ_ENTERPRISES, strongest_facts


def _bench(pct_lq: float) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": ["creative_business_lq", "birth_rate"],
                         "label": ["Creative business location quotient", "Business birth rate"],
                         "status": ["ok", "ok"], "pct_all": [pct_lq, 80.0], "n_all": [296, 296],
                         "pct_peers": [95.0, 40.0], "n_peers": [1, 1], "dimension": ["scale", "dynamism"],
                         "direction": ["higher", "higher"]})


def _inp() -> EvidenceInputs:
    return EvidenceInputs(place=PlaceInfo("E07000999", "Smallton"), framework=load_framework("growth_potential_v1"))


def test_lq_facts_need_fifty_enterprises():
    assert MIN_LQ_ENTERPRISES == 50
    st = {"benchmark": _bench(97.0), "creative_enterprises": 45.0,
          "subsector_lq": [("Crafts", 4.0, 2.1, 7.0, 12.0), ("Design and designer fashion", 1.6, 1.2, 2.0, 49.0)]}
    rules = [f["rule"] for f in strongest_facts(st, _inp())]
    assert "top-decile LQ" not in rules and "sub-sector specialisation" not in rules
    # the fallback may not use an LQ indicator either, but may use others
    texts = " ".join(f["text"] for f in strongest_facts(st, _inp()))
    assert "location quotient" not in texts.lower()


def test_lq_facts_used_at_fifty_or_more():
    st = {"benchmark": _bench(97.0), "creative_enterprises": 400.0,
          "subsector_lq": [("Crafts", 4.0, 2.1, 7.0, 12.0), ("Design and designer fashion", 1.6, 1.2, 2.0, 50.0),
                           ("Publishing", np.nan, np.nan, np.nan, np.nan)]}
    facts = strongest_facts(st, _inp())
    rules = [f["rule"] for f in facts]
    assert "top-decile LQ" in rules
    spec = [f["text"] for f in facts if f["rule"] == "sub-sector specialisation"]
    assert len(spec) == 1 and "Design" in spec[0]                  # crafts (12 firms) left out
