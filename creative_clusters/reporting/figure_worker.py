"""Drawing the pack's figures in a forked process while the pack's numbers are worked out.

A pack's five or six figures cost about 0.3 s of matplotlib (its import, then
each figure's draw to SVG) in the middle of building the context, and the
PDF can only start once the HTML, figures included, is written. With a
:class:`FigureWorker` running, each figure function decorated with
:func:`drawn_by_worker` hands its call to a forked child and returns a
placeholder :class:`~creative_clusters.reporting.pack_types.Figure` at once;
the caller goes on with the next section while the child draws.
:meth:`FigureWorker.collect` fills every placeholder in place (title, alt
text, SVG) before the HTML is rendered, and :meth:`FigureWorker.collect_pngs`
brings the PNGs Word needs, drawn by the child from the same figures after
the SVGs.

The child runs the same function on the same arguments (pickled), so a figure
is the same, byte for byte, as one drawn in the caller (tested). Anything the
child cannot do falls back to drawing in the caller: arguments that do not
pickle, a figure that fails in the child (drawn again in the caller, which
then raises the real error), a child that dies or stops answering.

The worker is started only where ``os.fork`` exists, by the one-pack CLI path
(:func:`creative_clusters.workflows.evidence.build_pack`), never in a pool
worker or a server thread.
"""

from __future__ import annotations

import functools
import importlib
import pickle
import queue
from collections.abc import Callable
from typing import Any, TypeVar

from creative_clusters.reporting.figure_render import TEXT_ONLY
from creative_clusters.reporting.pack_types import Figure

__all__ = ["FigureWorker", "drawn_by_worker"]

F = TypeVar("F", bound=Callable[..., Figure])

#: The worker figures are handed to while it runs (one per process: the pack being built).
_ACTIVE: FigureWorker | None = None

#: Longest wait, in seconds, for the child's next answer before the caller draws what is left itself.
ANSWER_TIMEOUT_S = 60.0


def drawn_by_worker(fn: F) -> F:
    """Let a figure function's call be drawn by the running :class:`FigureWorker`, if any.

    Without a worker, or for ``png="text"`` (titles and alt text only), the
    function runs here as written.
    """

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Figure:
        worker = _ACTIVE
        if worker is None or kwargs.get("png", True) == TEXT_ONLY:
            return fn(*args, **kwargs)
        return worker.submit(fn, args, kwargs)

    return call  # type: ignore[return-value]


class FigureWorker:
    """A forked child that draws the pack's figures; see the module's notes.

    Use as a context manager around the building of one pack::

        with FigureWorker() as figures:
            ctx = build_context(inputs)   # figure calls return placeholders
            figures.collect()             # every SVG, title and alt text in place
            html = render_html(ctx)
            figures.collect_pngs()        # the PNGs (figures asked with png=True or "defer")

    Where ``os.fork`` is missing (or fails) nothing is started and every
    figure is drawn in the caller, as without the worker.
    """

    def __init__(self) -> None:
        self._process: Any = None
        self._jobs: dict[int, tuple[Callable[..., Figure], tuple[Any, ...], dict[str, Any], Figure]] = {}
        self._svg_pending: set[int] = set()
        self._png_pending: set[int] = set()
        self._to_child: Any = None
        self._from_child: Any = None

    # -- lifecycle -------------------------------------------------------------------------------------------
    def __enter__(self) -> FigureWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> bool:
        """Fork the child (it imports matplotlib while the caller reads its data); whether it runs."""
        global _ACTIVE
        import multiprocessing as mp

        if "fork" not in mp.get_all_start_methods() or mp.current_process().daemon:
            return False
        ctx = mp.get_context("fork")
        try:
            self._to_child, self._from_child = ctx.Queue(), ctx.Queue()
            self._process = ctx.Process(target=_serve, args=(self._to_child, self._from_child), daemon=True)
            self._process.start()
        except OSError:
            self._process = None
            return False
        _ACTIVE = self
        return True

    def close(self) -> None:
        """Stop handing figures over; let the child finish (or stop it) and free its queues."""
        global _ACTIVE
        if _ACTIVE is self:
            _ACTIVE = None
        proc, self._process = self._process, None
        if proc is None:
            return
        try:
            if not (self._svg_pending or self._png_pending):  # else (an error on the way): stop it now
                self._to_child.put(("quit",))
                proc.join(5)
        finally:
            if proc.is_alive():
                proc.terminate()
                proc.join()
            for q in (self._to_child, self._from_child):
                q.close()
                q.cancel_join_thread()

    # -- the caller's side -----------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., Figure], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Figure:
        """Hand ``fn(*args, **kwargs)`` to the child; a placeholder figure, filled by :meth:`collect`."""
        if self._process is None:
            return fn(*args, **kwargs)
        try:
            payload = pickle.dumps((fn.__module__, fn.__qualname__, args, kwargs), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return fn(*args, **kwargs)  # e.g. a lambda among the arguments: drawn here
        n = len(self._jobs)
        placeholder: Figure = {"title": "", "alt": "", "svg": "", "png_base64": ""}
        self._jobs[n] = (fn, args, kwargs, placeholder)
        self._svg_pending.add(n)
        if kwargs.get("png", True):
            self._png_pending.add(n)
        self._to_child.put((n, payload))
        return placeholder

    def collect(self) -> None:
        """Wait until every figure handed over has its title, alt text and SVG in its placeholder."""
        if self._jobs and self._process is not None:
            self._to_child.put(("done", bool(self._png_pending)))
        self._wait(self._svg_pending)

    def collect_pngs(self) -> None:
        """Wait for the PNGs of the figures asked with ``png=True`` or ``"defer"`` (drawn after every SVG)."""
        self._wait(self._png_pending)

    def _wait(self, pending: set[int]) -> None:
        while pending:
            msg = self._answer()
            if msg is None:  # the child died or went quiet: what is left is drawn here
                for n in sorted(self._svg_pending | self._png_pending):
                    self._draw_here(n)
                self._svg_pending.clear()
                self._png_pending.clear()
                return
            kind, n, body = msg
            placeholder = self._jobs[n][3]
            if kind == "svg":
                placeholder.update(body)
                self._svg_pending.discard(n)
            elif kind == "png":
                placeholder["png_base64"] = body
                self._png_pending.discard(n)
            else:  # "error": the same call here raises the real error (or draws, if only the child failed)
                self._draw_here(n)
                self._svg_pending.discard(n)
                self._png_pending.discard(n)

    def _answer(self) -> tuple[str, int, Any] | None:
        waited = 0.0
        while waited < ANSWER_TIMEOUT_S:
            try:
                msg: tuple[str, int, Any] = self._from_child.get(timeout=0.5)
                return msg
            except queue.Empty:
                waited += 0.5
                if self._process is None or not self._process.is_alive():
                    try:  # its last answers may have landed just before it stopped
                        msg = self._from_child.get(timeout=0.1)
                        return msg
                    except queue.Empty:
                        return None
        return None

    def _draw_here(self, n: int) -> None:
        fn, args, kwargs, placeholder = self._jobs[n]
        placeholder.update(fn(*args, **kwargs))


def _serve(jobs: Any, answers: Any) -> None:
    """The child: draw each figure sent (SVG first, the PNGs once the caller says all are in)."""
    import gc

    gc.disable()  # a short-lived process: the collector would only walk the figures
    from creative_clusters.reporting.figure_render import png_of, warm_up

    warm_up()
    _rehearse()
    kept: dict[int, Any] = {}
    while True:
        item = jobs.get()
        if item[0] == "quit":
            break
        if item[0] == "done":
            if item[1]:
                for n, fig in kept.items():
                    try:
                        answers.put(("png", n, png_of(fig)))
                    except Exception as exc:  # the caller draws it again and meets the error itself
                        answers.put(("error", n, f"{type(exc).__name__}: {exc}"))
            kept.clear()
            continue
        n, payload = item
        try:
            module, name, args, kwargs = pickle.loads(payload)
            fn = _drawn_here(getattr(importlib.import_module(module), name))
            if kwargs.get("png", True):
                kwargs = {**kwargs, "png": "defer"}
            out = dict(fn(*args, **kwargs))
            fig = out.pop("_fig", None)
            if fig is not None:
                kept[n] = fig
            answers.put(("svg", n, out))
        except Exception as exc:
            answers.put(("error", n, f"{type(exc).__name__}: {exc}"))
    answers.close()
    answers.join_thread()


def _drawn_here(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    """The figure function itself, not handed to a worker (what :func:`drawn_by_worker` wrapped)."""
    inner: Callable[..., Figure] = getattr(fn, "__wrapped__", fn)
    return inner


def _rehearse() -> None:
    """Draw each kind of pack figure once on a few made-up values, and throw the drawings away.

    The first figure of each kind in a process pays for matplotlib's first
    draws (fonts, glyph and path caches, geopandas' plotting): about 0.1 s on
    the Sheffield pack, spent here while the caller is still reading its data.
    Nothing drawn here leaves the process.
    """
    import contextlib

    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from creative_clusters.reporting.charts import lq_bar_figure, percentile_figure, trend_figure
    from creative_clusters.reporting.maps import place_map_figure

    nan = float("nan")
    with contextlib.suppress(Exception):  # a rehearsal only: a real figure reports its own errors
        _drawn_here(lq_bar_figure)(["a", "b", "c"], [1.4, 0.8, nan], [1.1, 0.6, nan], [1.7, 1.0, 2.0],
                                  place="a", png=False)
        _drawn_here(trend_figure)(["2019", "2020", "2021"], {"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 1.0]},
                                 what="a", place="a", png=False)
        _drawn_here(percentile_figure)(pd.DataFrame({"label": ["a", "b"], "status": ["ok", "gap"],
                                                    "pct_all": [40.0, nan], "pct_peers": [60.0, nan]}),
                                      place="a", png=False)
        areas = gpd.GeoDataFrame({"geo_code": ["a", "b", "c"], "geo_name": ["A", "B", "C"], "v": [1.2, 0.7, nan]},
                                 geometry=[box(0, 0, 1e4, 1e4), box(1e4, 0, 2e4, 1e4), box(0, 1e4, 1e4, 2e4)],
                                 crs="EPSG:27700")
        _drawn_here(place_map_figure)(areas, ["a"], place="A", value_col="v", neighbour_codes=["b", "c"],
                                     png=False, source="a")
