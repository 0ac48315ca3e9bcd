"""Turn the library's data-quality warnings into notes that travel with the results.

The indicator functions warn (``warnings.warn``) when they meet suppressed
cells, unmatched codes or mixed boundary vintages. The workflows must not
silence those warnings: they collect them here and put them in the typed
results' ``notes``, which every renderer prints. ``warnings.catch_warnings``
changes process-global state, so collection is serialised by one lock (the
web app calls workflows from a thread pool).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["with_notes"]

P = ParamSpec("P")
T = TypeVar("T")

_LOCK = threading.RLock()


def with_notes(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> tuple[T, list[str]]:
    """Call ``fn`` and return its result with the warnings it raised, as notes (de-duplicated).

    Examples
    --------
    >>> def f() -> int:
    ...     warnings.warn("3 suppressed cells left out", stacklevel=1)
    ...     return 1
    >>> with_notes(f)
    (1, ['3 suppressed cells left out'])
    """
    with _LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    return out, list(dict.fromkeys(str(w.message) for w in caught))
