"""Names on a map: each area's label placed inside the frame and clear of the others, the place's own
areas first, and a number in a key under the map for one whose name finds no room."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = ["BADGE_PAD", "LABEL_GAP_PT"]


def _area_labels(fig, ax, g, inside, halo, avoid: Sequence[Any] = (), first: Any = None, second: Any = None,
                 key: list[str] | None = None) -> int:
    """Name the areas of a map, each label inside the map's frame and clear of the others.

    The place's own areas first (those in ``first`` before the rest: the area a travel-to-work area is named
    after), then those in ``second`` (its neighbours), then the others where the name fits inside the area,
    each group the larger before the smaller. A label is slid inside the frame where it would cross it
    ("Redcar and Cleveland" ran past the North East map's right edge) and keeps ``LABEL_GAP_PT`` from every
    other label and from ``avoid`` (the scale bar). A label that would overlap one already placed is left
    out (a combined authority's boroughs and their neighbours ran into each other), except that one of the
    place's own is first tried elsewhere within its area (Wokingham's label covered Reading, and Reading's
    was left out). With ``key`` (a list, filled here), one of the place's own areas or of ``second`` whose
    name finds no room gets a number on the map instead and its entry ``"3 Darlington"`` in ``key``, so it is
    named under the map rather than dropped; without, its label may touch the others as a last resort.

    Parameters
    ----------
    fig, ax : matplotlib Figure and Axes
        The map's figure and axes, the limits and aspect set.
    g : GeoDataFrame
        The areas drawn, with ``geo_name``.
    inside : pandas.Series of bool
        The place's own areas.
    halo : matplotlib.patheffects.AbstractPathEffect
        The white halo drawn round each label.
    avoid : sequence of matplotlib artists
        What the labels keep clear of, e.g. the scale bar and its label.
    first, second : array-like of bool, optional
        The place's areas named first; the areas always named (the neighbours; all when omitted).
    key : list of str, optional
        Filled with the entries of the numbered areas' key.

    Returns
    -------
    int
        How many areas were left out (neither labelled nor numbered).
    """
    from matplotlib.transforms import Bbox

    ax.apply_aspect()  # the final limits, so each label's extent is where it will be drawn
    renderer = fig.canvas.get_renderer()
    pts = g.representative_point()
    xs, ys = pts.x.to_numpy(float), pts.y.to_numpy(float)
    names, shapes = [str(n) for n in g["geo_name"]], list(g.geometry)
    area = g.geometry.area.to_numpy()
    own = inside.to_numpy(bool)
    lead = np.zeros(len(g), bool) if first is None else np.asarray(first, bool)
    near = np.ones(len(g), bool) if second is None else np.asarray(second, bool)
    linear = ax.transData.get_affine().get_matrix()[:2, :2]  # data -> display (the map's axes are linear)
    to_data = np.linalg.inv(linear)
    gap = LABEL_GAP_PT * fig.dpi / 72
    edge = fig.dpi / 72  # labels stay a point inside the frame
    frame = ax.get_window_extent().extents + np.array([edge, edge, -edge, -edge])
    # the extents (x0, y0, x1, y1) of what is placed, e.g. the scale bar and its label first
    placed = np.array([a.get_window_extent(renderer).extents for a in avoid], float).reshape(-1, 4)
    # with a key, each of the place's own areas keeps room for its number at its centre until it is named:
    # "Redcar and Cleveland" covered Middlesbrough, and Newcastle upon Tyne North Tyneside, leaving no room
    held = np.zeros((len(g), 4))
    if key is not None and own.any():
        half = 0.5 * (7.5 + 2 * BADGE_PAD * 7.5) * fig.dpi / 72
        held = np.tile(ax.transData.transform(np.column_stack([xs, ys])), 2) + np.array([-half, -half, half, half])
    holding = own.copy() if key is not None else np.zeros(len(g), bool)

    def place(text: str, i: int, spots: Iterator[tuple[tuple[float, float], float]], style: dict[str, Any],
              badge: bool = False) -> bool:
        nonlocal placed
        centre = (xs[i], ys[i])
        t = ax.annotate(text, centre, **style)
        at = np.asarray(t.get_window_extent(renderer).extents)  # measured once; elsewhere the same box, moved
        if badge:  # the circle round a number: a square as wide as the circle
            mid, half = (at[:2] + at[2:]) / 2, max(at[2] - at[0], at[3] - at[1]) / 2 + BADGE_PAD * style[
                "fontsize"] * fig.dpi / 72
            at = np.concatenate([mid - half, mid + half])
        origin = linear @ centre
        for xy, spot_gap in spots:
            d = linear @ xy - origin
            slide = _into_frame(at + np.array([d[0], d[1], d[0], d[1]]), frame)
            box = at + np.array([d[0] + slide[0], d[1] + slide[1], d[0] + slide[0], d[1] + slide[1]])
            others = np.vstack([placed, held[holding & (np.arange(len(g)) != i)]])
            hit = ((others[:, 0] <= box[2] + spot_gap) & (box[0] - spot_gap <= others[:, 2])  # Bbox.overlaps,
                   & (others[:, 1] <= box[3] + spot_gap) & (box[1] - spot_gap <= others[:, 3]))  # padded
            # with a key to number it instead, a label slid in from the frame's edge must still lie mostly on
            # its area ("Redcar and Cleveland", slid in whole, covered Middlesbrough)
            if not hit.any() and ((near[i] and (key is None or not slide.any()))
                                  or _fits(ax, Bbox.from_extents(*box), shapes[i])):
                d = d + slide
                placed = np.vstack([placed, box])
                holding[i] = False
                if d.any():
                    t.remove()
                    ax.annotate(text, tuple(np.asarray(centre) + to_data @ d), **style)
                return True
        t.remove()
        return False

    dropped, unmarked = 0, []
    for i in sorted(range(len(g)), key=lambda k: (not own[k], not lead[k], not near[k], -area[k])):
        centre = (xs[i], ys[i])
        if not near[i] and _too_small(ax, shapes[i], centre, names[i], 6.5):
            continue  # an area beyond the neighbours whose name could not sit on it: not measured, not named
        style = {"ha": "center", "va": "center", "fontsize": 7.5 if own[i] else 6.5,
                 "fontweight": "bold" if own[i] else "normal", "color": "#111111", "path_effects": [halo]}
        if place(names[i], i, _label_spots(shapes[i], centre, gap, touching=key is None) if own[i]
                 else iter([(centre, gap)]), style):
            continue
        if key is not None and near[i]:  # too crowded for its name: a number, named in the key under the map
            number = str(sum(e[0].isdigit() for e in key) + 1)
            badge = {**style, "path_effects": [], "bbox": {"boxstyle": f"circle,pad={BADGE_PAD}", "fc": "white",
                                                           "ec": "#111111", "lw": 0.6}}
            if place(number, i, _label_spots(shapes[i], centre, gap, touching=True), badge, badge=True):
                key.append(f"{number} {names[i]}")
            else:  # not even a number finds room: still named, under the map
                unmarked.append(names[i])
                holding[i] = False
            continue
        dropped += 1
    if unmarked and key is not None:
        key.append("too small to mark: " + ", ".join(unmarked))
    return dropped


#: Padding of the circle round an area's number, in ems of its font.
BADGE_PAD = 0.25


#: Space (points) kept around each map label: two names that touch read as one ("ReadingWokingham"), and
#: 2 pixels (1.4 pt, less than the labels' white halo) left "County Durham" running into "Hartlepool".
LABEL_GAP_PT = 4.0


def _into_frame(box: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """The shift (display units) that brings the extent ``box`` (x0, y0, x1, y1) inside ``frame``; a box
    wider or taller than the frame is aligned on its left or bottom side.

    >>> _into_frame(np.array([90.0, 5, 110, 15]), np.array([0.0, 0, 100, 100])).tolist()
    [-10.0, 0.0]
    >>> _into_frame(np.array([-5.0, 95, 20, 105]), np.array([0.0, 0, 100, 100])).tolist()
    [5.0, -5.0]
    """
    lo = np.maximum(frame[:2] - box[:2], 0.0)
    hi = np.minimum(frame[2:] - box[2:], 0.0)
    return np.where(lo > 0, lo, hi)


def _too_small(ax: Any, shape: Any, centre: tuple[float, float], name: str, points: float) -> bool:
    """True when no label ``name`` at ``points``, centred on ``centre``, can pass :func:`_fits` on ``shape``:
    told from a short estimate of the label (0.45 em a character, one line high), so no text is measured. To
    lie half on the shape the label needs the shape at least half as wide and half as high as itself, and
    half its area; to lie within the frame its centre must be half its width from the frame's sides."""
    b = shape.bounds
    (x0, y0), (x1, y1), (cx, cy) = ax.transData.transform([b[:2], b[2:], centre])
    em = points * ax.figure.dpi / 72
    w, h = 0.45 * em * len(name), em
    frame = ax.get_window_extent()
    px2 = abs(float(np.linalg.det(ax.transData.get_affine().get_matrix()[:2, :2])))  # display px² per data unit²
    return (abs(x1 - x0) < 0.5 * w or abs(y1 - y0) < 0.5 * h or shape.area * px2 < 0.5 * w * h
            or cx - w / 2 < frame.x0 or cx + w / 2 > frame.x1 or cy - h / 2 < frame.y0 or cy + h / 2 > frame.y1)


def _fits(ax: Any, box: Any, shape: Any) -> bool:
    """True when the label extent ``box`` (display units) lies within the map's frame and mostly (at least
    half) on ``shape``: an area beyond the place's neighbours is named only where its name sits on it, so
    the frame's crowded edges do not fill up with names of areas cut by it."""
    from shapely.geometry import box as data_box

    if not ax.get_window_extent().contains(box.x0, box.y0) or not ax.get_window_extent().contains(box.x1, box.y1):
        return False
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    label = data_box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return bool(label.area > 0 and shape.intersection(label).area >= 0.5 * label.area)


def _label_spots(shape: Any, centre: tuple[float, float], gap: float,
                 touching: bool = True) -> Iterator[tuple[tuple[float, float], float]]:
    """Where one of the place's own names may go, and the gap (display units) it keeps from the others: its
    centre, then anywhere else in its area, ``gap`` apart from the rest; failing that, with ``touching``,
    the same places touching them (the other spots are worked out only when the centre will not do)."""
    yield centre, gap
    inner = _inner_points(shape)
    yield from ((xy, gap) for xy in inner)
    if touching:
        yield centre, 0.0
        yield from ((xy, 0.0) for xy in inner)


def _inner_points(shape: Any, n: int = 9) -> list[tuple[float, float]]:
    """Points inside ``shape`` on an ``n`` by ``n`` grid, the nearest its representative point first: where
    else a label of the area can go.

    >>> from shapely.geometry import box
    >>> pts = _inner_points(box(0, 0, 10, 2), n=3)
    >>> len(pts), pts[0]
    (9, (5.0, 1.0))
    """
    import shapely

    if shape.is_empty:
        return []
    x0, y0, x1, y1 = shape.bounds
    c = shape.representative_point()
    steps = (np.arange(n) + 0.5) / n
    xs, ys = (a.ravel() for a in np.meshgrid(x0 + (x1 - x0) * steps, y0 + (y1 - y0) * steps, indexing="ij"))
    keep = shapely.contains_xy(shape, xs, ys)
    xs, ys = xs[keep], ys[keep]
    order = np.lexsort((ys, xs, np.hypot(xs - c.x, ys - c.y)))
    return [(float(xs[k]), float(ys[k])) for k in order]
