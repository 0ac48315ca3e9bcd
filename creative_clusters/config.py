"""Settings in one place: where the warehouse lives, where reference data lives.

The warehouse home is, in order of precedence: an explicit ``home`` argument
(``--home`` on the command line), the ``CREATIVE_CLUSTERS_HOME`` environment
variable, then the user's data directory (``platformdirs.user_data_dir``).

The reference-data directory is taken from ``CREATIVE_CLUSTERS_DATA``; commands
that import data take it as an argument instead. The benchmark framework is the
packaged :data:`DEFAULT_FRAMEWORK` unless a command is given another.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_FRAMEWORK", "data_dir", "home_dir", "nomis_cache_dir"]

HOME_ENV = "CREATIVE_CLUSTERS_HOME"
DATA_ENV = "CREATIVE_CLUSTERS_DATA"

#: The packaged benchmark framework the CLI, the web and the packs use unless given another
#: (``--framework``; :func:`creative_clusters.benchmarking.framework.load_framework`).
DEFAULT_FRAMEWORK = "growth_potential_v1"


def home_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """Return the warehouse home directory (not created here).

    Examples
    --------
    >>> home_dir("example-home").name
    'example-home'
    """
    if home is not None:
        return Path(home).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("creative-clusters", appauthor=False))


def data_dir(path: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the reference-data directory, or ``None`` when it is not set."""
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else None


def nomis_cache_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """Directory where raw Nomis API responses are cached."""
    return home_dir(home) / "cache" / "nomis"
