"""A benchmark's scratch folder: a new temporary folder, removed when the benchmark exits.

The generated SYNTHETIC files reach 2.5 GB (5M firms); left behind by every
run they fill the disk. ``--keep`` keeps the folder (its path is printed).

Examples
--------
>>> d = scratch_folder("bench_example_", keep=True)
>>> d.is_dir()
True
>>> d.rmdir()
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

__all__ = ["scratch_folder"]


def scratch_folder(prefix: str, *, keep: bool = False) -> Path:
    """A new temporary folder; removed (with its contents) at exit unless ``keep``."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if keep:
        atexit.register(lambda: print(f"scratch files kept in {path} (delete when done)"))
    else:
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path
