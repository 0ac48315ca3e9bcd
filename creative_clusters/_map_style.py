"""How every map of the package draws a place without a value: the exported maps, the pack's maps and the web map.

A low module (no dependencies) so that :mod:`creative_clusters.reporting` (the
evidence pack's maps), :mod:`creative_clusters.workflows.cluster_maps` (the
exported maps) and :mod:`creative_clusters.web` (``/api/meta`` ``no_data``)
all read the one definition.

Examples
--------
>>> NO_DATA.hatch, NO_DATA.as_json()["label"]
('////', 'no data / suppressed')
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["NO_DATA", "NoDataStyle"]


class NoDataStyle(NamedTuple):
    """The look of a place without a value: a grey ``fill`` hatched with ``hatch_colour`` lines.

    ``hatch`` is matplotlib's hatch pattern (``"////"``: forward diagonals, four
    to the hatch unit); the web map draws the same diagonals as a MapLibre fill
    pattern. ``label`` is the legend's words for it.
    """

    fill: str
    hatch_colour: str
    hatch: str
    label: str

    def as_json(self) -> dict[str, str]:
        """The style as ``/api/meta`` sends it (``no_data``)."""
        return dict(self._asdict())


#: No value (missing, suppressed or not computed): hatched light grey, never a colour of any scale (the LQ
#: maps' grey class is a darker flat grey, the diverging pack map's white is an LQ of 1).
NO_DATA = NoDataStyle(fill="#e3e3e3", hatch_colour="#9a9a9a", hatch="////", label="no data / suppressed")
