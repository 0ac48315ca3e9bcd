"""The PNG map's cheaper encoding and the matplotlib import steps the CLI runs while it waits (issue 13)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from creative_clusters.microclusters import outputs
from creative_clusters.microclusters.outputs import detect_microclusters


def _firms() -> pd.DataFrame:
    """SYNTHETIC: one tight group of 60 firms and 30 scattered ones, BNG metres."""
    rng = np.random.default_rng(3)
    xy = np.r_[rng.normal(0, 120, (60, 2)), rng.uniform(-8000, 8000, (30, 2))] + np.array([435000, 387000])
    return pd.DataFrame({"firm_id": [f"F{i}" for i in range(len(xy))], "easting": xy[:, 0],
                         "northing": xy[:, 1], "subsector": "design", "subsectors": "design"})


def _zlib_flevel(png: bytes) -> int:
    """FLEVEL (bits 6-7 of the zlib header's FLG byte) of the PNG's first IDAT chunk: 1 = fast, 2 = default."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        if kind == b"IDAT":
            return png[pos + 9] >> 6
        pos += 12 + length
    raise AssertionError("no IDAT chunk")


def _pixels(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA"))


def test_png_is_encoded_at_the_fast_zlib_level_with_the_same_pixels(tmp_path, monkeypatch):
    res = detect_microclusters(_firms(), eps=400, min_firms=40, stability_reps=2)
    fast = tmp_path / "fast.png"
    outputs._plot(res, fast, None)
    # zlib's header records the level class: levels 2-5 are "fast" (1), PIL's default 6 is "default" (2)
    assert outputs.PNG_COMPRESS_LEVEL == 3 and _zlib_flevel(fast.read_bytes()) == 1
    monkeypatch.setattr(outputs, "PNG_COMPRESS_LEVEL", 6)
    default = tmp_path / "default.png"
    outputs._plot(res, default, None)
    assert _zlib_flevel(default.read_bytes()) == 2
    # a lossless re-encoding: every pixel the same, only the bytes differ
    assert fast.read_bytes() != default.read_bytes()
    a, b = _pixels(fast), _pixels(default)
    assert a.shape == b.shape and (a == b).all()


def test_map_import_steps_import_everything_the_map_draws_with(tmp_path):
    """After the CLI's steps, drawing the map imports no further matplotlib module (in a fresh process)."""
    code = f"""
import sys
import numpy as np, pandas as pd
from pathlib import Path
from creative_clusters.microclusters.outputs import detect_microclusters, map_import_steps, _plot
rng = np.random.default_rng(3)
xy = np.r_[rng.normal(0, 120, (60, 2)), rng.uniform(-8000, 8000, (30, 2))] + 400000
firms = pd.DataFrame({{"firm_id": [str(i) for i in range(90)], "easting": xy[:, 0], "northing": xy[:, 1],
                      "subsector": "design", "subsectors": "design"}})
res = detect_microclusters(firms, eps=400, min_firms=40, stability_reps=0)
assert "matplotlib" not in sys.modules
for step in map_import_steps():
    step()
before = {{m for m in sys.modules if m.split(".")[0] in ("matplotlib", "mpl_toolkits")}}
_plot(res, Path({str(tmp_path / "map.png")!r}), None)
after = {{m for m in sys.modules if m.split(".")[0] in ("matplotlib", "mpl_toolkits")}}
print(len(before), sorted(after - before))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    n_before, new = run.stdout.split(" ", 1)
    assert int(n_before) > 50 and new.strip() == "[]", run.stdout
    assert (tmp_path / "map.png").stat().st_size > 1000


def test_cli_waits_with_the_map_imports_as_its_last_steps(tmp_path, monkeypatch):
    """The CLI hands the clustering its own import steps, then the map's (skipped once the labels are in)."""
    from typer.testing import CliRunner

    from creative_clusters.cli import app

    made: list[list] = []
    real_steps = outputs.map_import_steps

    def steps():
        made.append(real_steps())
        return made[-1]

    seen: list[tuple] = []

    def detect(table, **kw):
        seen.append(tuple(kw["meanwhile"]))
        raise RuntimeError("stopped by the test")

    monkeypatch.setattr(outputs, "map_import_steps", steps)
    monkeypatch.setattr(outputs, "detect_microclusters", detect)
    p = tmp_path / "firms.csv"  # SYNTHETIC plain list with BNG coordinates
    _firms().assign(name="x")[["name", "easting", "northing", "subsector"]].to_csv(p, index=False)
    r = CliRunner().invoke(app, ["microclusters", str(p), "--out", str(tmp_path / "out"), "--no-load",
                                 "--home", str(tmp_path / "home")])
    assert "stopped by the test" in r.output or isinstance(r.exception, RuntimeError), r.output
    assert len(made) == 1 and len(seen) == 1
    k = len(outputs.MAP_MODULES)
    assert len(made[0]) == k and list(seen[0][-k:]) == made[0] and len(seen[0]) > k
    assert not (tmp_path / "out").exists()
