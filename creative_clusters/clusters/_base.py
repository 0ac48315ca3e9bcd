"""The small estimator base class shared by every cluster detector.

After scikit-learn's estimator contract (house style §2.4): ``__init__`` only
stores settings, unchanged, as attributes; ``fit(table)`` validates, sets
results whose names end in ``_`` and returns ``self``; ``fit_predict``
returns ``labels_``, a Series aligned with the input rows.
"""

from __future__ import annotations

import inspect
from typing import Any, Self

import pandas as pd

from creative_clusters.errors import ClusterToolkitError

__all__ = ["ClusterDetector", "NotFittedError"]


class NotFittedError(ClusterToolkitError, AttributeError):
    """A result was asked for before ``fit`` was called."""


class ClusterDetector:
    """Base class: parameters from ``__init__``, ``fit``/``fit_predict``, a stable repr."""

    labels_: pd.Series

    def fit(self, table: pd.DataFrame, /) -> Self:  # pragma: no cover - abstract
        """Detect clusters in ``table`` and return ``self``."""
        raise NotImplementedError

    def fit_predict(self, table: pd.DataFrame, /) -> pd.Series:
        """Fit and return ``labels_`` (aligned with ``table``'s rows)."""
        return self.fit(table).labels_

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [n for n, p in sig.parameters.items()
                if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, as stored (never modified by ``fit``)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet; call fit(table) first."
            )

    def __repr__(self) -> str:
        parts = []
        for k, v in self.get_params().items():
            text = repr(v) if _plain(v) else f"<{type(v).__name__}>"
            parts.append(f"{k}={text}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _plain(value: Any) -> bool:
    """True for values whose repr is short and stable (no memory addresses)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (tuple, list)):
        return len(value) <= 12 and all(_plain(v) for v in value)
    if isinstance(value, dict):
        return len(value) <= 12 and all(_plain(k) and _plain(v) for k, v in value.items())
    return False
