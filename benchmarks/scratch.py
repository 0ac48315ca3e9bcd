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

__all__ = ["compile_bytecode", "scratch_folder"]


def scratch_folder(prefix: str, *, keep: bool = False) -> Path:
    """A new temporary folder; removed (with its contents) at exit unless ``keep``."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if keep:
        atexit.register(lambda: print(f"scratch files kept in {path} (delete when done)"))
    else:
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def compile_bytecode(checkout: Path) -> None:
    """Compile ``checkout``'s package bytecode (``__pycache__``, ignored by git) as ``scripts/setup.sh`` does.

    Where ``PYTHONDONTWRITEBYTECODE`` is set (sandbox containers, CI) a checkout whose modules changed since
    they were compiled compiles every module it imports again in each process (about 0.6 s of CPU), which an
    installed copy does not spend: a benchmark measures the installed state.
    """
    import compileall

    compileall.compile_dir(str(Path(checkout) / "creative_clusters"), quiet=2)
