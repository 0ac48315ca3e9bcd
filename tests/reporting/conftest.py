"""A small SYNTHETIC warehouse for the evidence-pack tests (made-up numbers).

Twelve fictional English LADs (codes E0900009x / E0800009x are real-looking
but the values are invented), imported through the real Warehouse API with
in-memory readers, so no reference file is copied or read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from creative_clusters.classifications import dcms
from creative_clusters.sources._base import OGL, DatasetSpec, ImportResult

LADS = [f"E0900009{i}" for i in range(6)] + [f"E0800009{i}" for i in range(6)]
NAMES = {c: f"Synthetic Borough {k}" for k, c in enumerate(LADS)}
NAMES["E09000090"] = "Alphaville"


def _obs(**cols):
    n = len(next(iter(cols.values())))
    base = {"dataset_vintage": "test", "geo_type": "lad", "geo_vintage": "2023", "industry_scheme": "",
            "industry_code": "", "occupation_scheme": "", "occupation_code": "", "status": "",
            "disclosure_flag": "as-published"}
    return pd.DataFrame({**{k: [v] * n for k, v in base.items()}, **cols})


def synthetic_frames(seed: int = 1) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    classes = dcms.creative_classes()
    classes = [c for c in classes if c not in ("9101", "9102")]
    rows = []
    for lad in LADS:
        scale = 3.0 if lad == "E09000090" else 1.0
        for c in classes:
            rows.append((lad, c, float(5 * round(rng.integers(1, 60) * scale / 5 + 1))))
    bc = _obs(dataset=["business_counts_2025"] * len(rows), geo_code=[r[0] for r in rows],
              industry_scheme=["SIC2007"] * len(rows), industry_code=[r[1] for r in rows],
              period=["2025"] * len(rows), measure=["enterprises"] * len(rows),
              value=[r[2] for r in rows])
    bc["disclosure_flag"] = "rounded"
    d = []
    for k, lad in enumerate(LADS):
        base = 4000 + 500 * k
        for y in range(2019, 2025):
            d.append((lad, str(y), "active_enterprises", "", float(base + 50 * (y - 2019) * (k % 3))))
            d.append((lad, str(y), "birth_rate_pct", "", 10.0 + k * 0.3))
            d.append((lad, str(y), "death_rate_pct", "", 9.0 + (k % 4) * 0.4))
            d.append((lad, str(y), "high_growth_rate_pct", "", 3.0 + (k % 5) * 0.2))
        d.append((lad, "2021", "survival_rate_pct", "3-year", 50.0 + k))
    for y in range(2019, 2025):
        d.append(("K02000001", str(y), "active_enterprises", "", 2_700_000.0 + 30_000 * (y - 2019)))
        d.append(("K02000001", str(y), "birth_rate_pct", "", 11.0))
        d.append(("K02000001", str(y), "death_rate_pct", "", 10.0))
    d.append(("K02000001", "2021", "survival_rate_pct", "3-year", 53.0))
    bd = _obs(dataset=["business_demography_2024"] * len(d), geo_code=[r[0] for r in d],
              period=[r[1] for r in d], measure=[r[2] for r in d], status=[r[3] for r in d],
              value=[r[4] for r in d])
    bd.loc[bd["geo_code"] == "K02000001", "geo_type"] = "uk"
    c = []
    for lad in LADS:
        tot = 0.0
        for dv in ("58", "59", "60", "62", "73", "74", "90", "91", "10", "47", "85"):
            v = float(rng.integers(100, 3000)) if dv in ("10", "47", "85") else float(rng.integers(10, 500))
            c.append((lad, dv, v))
            tot += v
        c.append((lad, "_T", tot))
    ce = _obs(dataset=["census2021_ts060"] * len(c), geo_code=[r[0] for r in c],
              industry_scheme=["SIC2007_DIV"] * len(c), industry_code=[r[1] for r in c],
              period=["2021-03-21"] * len(c), measure=["residents_in_employment"] * len(c),
              value=[r[2] for r in c])
    li = _obs(dataset=["local_indicators"] * len(LADS) * 2, geo_code=LADS * 2,
              period=["2023"] * len(LADS) * 2,
              measure=["gross_value_added_per_hour_worked_gbp"] * len(LADS) + ["employment_rate_pct"] * len(LADS),
              value=[30.0 + k for k in range(len(LADS))] + [70.0 + k / 2 for k in range(len(LADS))])
    # one place lacks GVA: it must show as a gap, never a zero
    li.loc[(li["geo_code"] == "E08000095") & (li["measure"].str.startswith("gross")), "value"] = np.nan
    li.loc[(li["geo_code"] == "E08000095") & (li["measure"].str.startswith("gross")), "disclosure_flag"] = "suppressed"
    return {"business_counts_2025": bc, "business_demography_2024": bd, "census2021_ts060": ce,
            "local_indicators": li}


def _spec(ds: str, frame: pd.DataFrame, tables: dict | None = None) -> DatasetSpec:
    return DatasetSpec(id=ds, title=f"Synthetic {ds}", publisher="Synthetic test publisher", licence=OGL,
                       source_url="https://example.org/synthetic", vintage="test", files=(),
                       reader=lambda root: ImportResult(observations=frame, tables=tables or {},
                                                        coverage="synthetic"))


def make_synthetic_home(home: Path) -> Path:
    from creative_clusters.warehouse import Warehouse

    frames = synthetic_frames()
    specs = [_spec(k, v) for k, v in frames.items()]
    areas = pd.DataFrame({"geo_code": LADS, "geo_name": [NAMES[c] for c in LADS], "geo_type": "lad",
                          "start": np.nan, "end": np.nan, "vintage": "", "other_names": ""})
    hei = pd.DataFrame({"provider_name": ["Synthetic University", "Synthetic College of Art"],
                        "town": ["Alphaville", "Alphaville"], "postcode": ["", ""],
                        "creative_specialist": [False, True], "lad_code": ["E09000090", "E09000090"]})
    specs.append(DatasetSpec(id="synthetic_refs", title="Synthetic reference tables", publisher="Synthetic",
                             licence=OGL, source_url="https://example.org/synthetic", vintage="test", files=(),
                             reader=lambda root: ImportResult(tables={"areas": areas, "hei": hei},
                                                              coverage="synthetic")))
    with Warehouse(home) as wh:
        wh.import_datasets(specs, home)
    return home


@pytest.fixture(scope="session")
def synthetic_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Warehouse home with the synthetic datasets imported (session-wide)."""
    return make_synthetic_home(tmp_path_factory.mktemp("synthetic-home"))


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The matplotlib figure each figure function draws (kept before it is rendered)."""
    from creative_clusters.reporting import charts, figure_render, maps

    seen: dict[str, Any] = {}
    keep = figure_render._render

    def grab(fig, title, alt, png):
        seen["fig"] = fig
        return keep(fig, title, alt, png)

    for drawer in (charts, maps):  # each calls the _render it imported
        monkeypatch.setattr(drawer, "_render", grab)
    return seen
