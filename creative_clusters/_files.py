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
(['new.txt', 'old.txt'], ['out'])

An entry the command owns (an earlier run's output that this run did not
write) is dropped instead, so no stale output lies beside the new ones:

>>> tmp = Path(tempfile.mkdtemp(prefix=".out.tmp-", dir=root)); (tmp / "new.txt").write_text("newer")
5
>>> sorted(p.name for p in swap_folder(tmp, root / "out", owned={"old.txt"}.__contains__).iterdir())
['new.txt']
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = ["check_out_folder", "swap_folder", "swap_target"]


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


def swap_target(out: str | os.PathLike[str], option: str = "--out") -> Path:
    """``out`` as an absolute path, checked (:func:`check_out_folder`) to be replaced whole by :func:`swap_folder`.

    The folder is renamed aside and a new one put in its place, so it cannot
    be the folder the command runs in, nor one holding it (``--out .``): that
    would pull the folder from under the user's shell.

    Examples
    --------
    >>> swap_target("out").is_absolute()
    True
    >>> swap_target(".")
    Traceback (most recent call last):
    ...
    creative_clusters.errors.ParameterError: --out ... is the folder this command runs in (or holds it): ...
    """
    from creative_clusters.errors import ParameterError

    out = Path(os.path.abspath(check_out_folder(out, option)))
    here = Path(os.path.abspath(Path.cwd()))
    if out == here or out in here.parents:
        raise ParameterError(f"{option} {out} is the folder this command runs in (or holds it): the outputs "
                             "replace their folder whole, so give a folder of their own, e.g. "
                             f"{option} ./microclusters (files already there that the command does not write "
                             "are kept)")
    return out


def _link_or_copy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
    """Hard-link ``src`` at ``dst`` (instant, no extra space); copy it where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _carry(out: Path, tmp: Path, owned: Callable[[str], bool] | None) -> None:
    """Carry the entries of ``out`` that ``tmp`` lacks and the command does not own into ``tmp``."""
    for f in out.iterdir():
        dst = tmp / f.name
        if dst.exists() or dst.is_symlink():
            continue  # written by this run: the new version
        if owned is not None and owned(f.name):
            continue  # an earlier run's output this run did not write: stale, dropped
        if f.is_symlink():
            os.symlink(os.readlink(f), dst)
        elif f.is_dir():
            shutil.copytree(f, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(f, dst)


def swap_folder(tmp: Path, out: Path, *, owned: Callable[[str], bool] | None = None) -> Path:
    """Move the finished folder ``tmp`` to ``out`` (a sibling), replacing any folder there.

    Entries already in ``out`` that the run did not write (a user's notes,
    another command's outputs) are carried into ``tmp`` first (hard links,
    else copies), so they stay; an entry for which ``owned(name)`` is true is
    one of the command's own outputs from an earlier run and is dropped. The
    old folder is then renamed aside and removed once ``tmp`` is in place, so
    ``out`` is never missing parts: a reader sees the old files or the new
    ones. If ``tmp`` cannot be moved, the old folder is put back before the
    error is raised. Returns ``out``.
    """
    out = swap_target(out, "the output folder")
    if out.exists():
        _carry(out, tmp, owned)
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
