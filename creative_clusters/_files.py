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

import os
import shutil
from pathlib import Path

__all__ = ["check_out_folder", "swap_folder"]


def check_out_folder(out: str | os.PathLike[str], option: str = "--out") -> Path:
    """``out`` as a Path, after checking it can be an output folder: missing (it is created) or a folder.

    Called before any work, so a wrong ``--out`` costs nothing and leaves nothing behind.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "notes.csv"; _ = f.write_text("x")
    >>> check_out_folder(f.parent / "new") == f.parent / "new"
    True
    >>> check_out_folder(f)
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: --out .../notes.csv is a file, not a folder: ...
    """
    from creative_clusters.errors import ParameterError

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"{option} {out} is a file, not a folder: give a folder for the outputs "
                             "(it is created if missing)")
    for parent in out.parents:  # a file where a parent folder should be
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError(f"{option} {out}: {parent} is a file, so no folder can be made under it")
            break
    return out


def swap_folder(tmp: Path, out: Path) -> Path:
    """Move the finished folder ``tmp`` to ``out`` (a sibling), replacing any folder there.

    The old folder is first renamed aside, then removed once ``tmp`` is in
    place, so ``out`` is never missing parts: a reader sees the old files or
    the new ones. If ``tmp`` cannot be moved, the old folder is put back
    before the error is raised. Returns ``out``.
    """
    check_out_folder(out, "the output folder")
    if out.exists():
        old = out.with_name(f".{out.name}.old-{tmp.name[-8:]}")
        out.rename(old)
        try:
            tmp.rename(out)
        except BaseException:
            old.rename(out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
    return out
