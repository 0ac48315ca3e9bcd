"""Helpers for the renderers: atomic file writes (a temporary file, then rename) and a paused
cyclic garbage collector for the span of one pack."""

from __future__ import annotations

import contextlib
import gc
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text", "gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (if it was on), then switch it back on.

    Building a pack (pandas frames, matplotlib figures, WeasyPrint's styles,
    boxes and lines) makes hundreds of thousands of objects that live until
    the pack is written; the collector's full passes walk them again and
    again for nothing (a fifth of WeasyPrint's time on the Sheffield pack;
    about 0.3 s before the HTML of a pack built in a fresh process). No
    collection is forced afterwards: the next automatic one frees the block's
    garbage, and a process that exits right away (the CLI, the forked PDF
    worker) does not pay for one at all. Not for batches: a worker building
    hundreds of packs keeps its collector (``workflows.evidence.BATCH_GC_THRESHOLDS``).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then ``os.replace``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))
