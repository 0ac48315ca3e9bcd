"""YAML for the package's own files (frameworks, rules, names, the research library): safe loading,
through libyaml's parser when PyYAML was built with it.

``yaml.CSafeLoader`` builds the same Python objects as ``yaml.safe_load`` (the
same safe constructor and resolver; only the parser is libyaml's C one) in a
tenth of the time: about 40 ms of every evidence pack, which reads the
framework, the trajectory rules, the place names and the research library.

Examples
--------
>>> safe_load("a: 1\\nb: [x, 2.5, null, 2024-01-02]")
{'a': 1, 'b': ['x', 2.5, None, datetime.date(2024, 1, 2)]}
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["safe_load"]

#: libyaml's safe loader when PyYAML has it, else the pure-Python one (same objects either way).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """Parse one YAML document with the safe loader (plain data only), as :func:`yaml.safe_load`.

    Parameters
    ----------
    text : str
        The document.

    Returns
    -------
    Any
        Its mappings, lists and scalars.
    """
    return yaml.load(text, Loader=_LOADER)  # a safe loader: CSafeLoader or SafeLoader
