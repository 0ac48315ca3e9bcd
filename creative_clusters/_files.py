"""Output folders put in place whole: a finished temporary sibling replaces the old folder.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> root = Path(tempfile.mkdtemp())
>>> (root / "out").mkdir(); (root / "out" / "old.txt").write_text("old")
3
>>> tmp = Path(tempfile.mkdtemp(prefix=".out.tmp-", dir=root)); (tmp / "new.txt").write_text("new")
3
>>> sorted(p.name for p in swap_folder(tmp, root / "out").iterdir()), sorted(p.name for p in root.iterdir())
(['new.txt'], ['out'])
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["swap_folder"]


def swap_folder(tmp: Path, out: Path) -> Path:
    """Move the finished folder ``tmp`` to ``out`` (a sibling), replacing any folder there.

    The old folder is first renamed aside, then removed once ``tmp`` is in
    place, so ``out`` is never missing parts: a reader sees the old files or
    the new ones. Returns ``out``.
    """
    if out.exists():
        old = out.with_name(f".{out.name}.old-{tmp.name[-8:]}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
    return out
