"""Panels and the picture of an explorer: artists made once, the moving ones redrawn each step.

A :class:`Panel` makes its artists in ``__init__`` (the ones that change inside
``with self.moving(ax):``) and moves them in ``update(state, result)``; a :class:`Picture` holds
the panels of one persistent figure and turns it into PNG bytes, drawing only the moving artists
over a cached background. Introduced in ``03-chain-of-neurons``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase

from chapter5._validate import _short, flag
from chapter5.viz.canvas import rgba_png
from chapter5.viz.style import apply_style


def _check_state(state: object, name: str = "state") -> None:
    """Refuse a ``state`` that is not a dataclass instance (the explorers' state contract)."""
    if not dataclasses.is_dataclass(state) or isinstance(state, type):
        raise TypeError(f"{name} must be the explorer's state, a dataclass instance such as "
                        f"explorer.state; got {_short(state)}")


def _check_state_kind(state: object, kind: type, *, none_ok: bool = False) -> None:
    """Raise a TypeError naming ``state`` unless it is a ``kind`` (this explorer's state class),
    or None when ``none_ok``. Introduced in ``05-how-common-is-vanishing``."""
    if not (isinstance(state, kind) or (none_ok and state is None)):
        raise TypeError(f"state must be this explorer's state (explorer.state)"
                        f"{' or None' if none_ok else ''}; got {type(state).__name__}")


def _checked_hook(func: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    """``func`` (a hook a subclass overrides) with ``check(self, arguments)`` run first, on its
    arguments bound by name and with their defaults applied. A parameter whose own default is
    None may be None (the hook documents what None means, e.g. "the readout on screen")."""
    if getattr(func, "_c5_checked", False):
        return func
    signature = inspect.signature(func)

    @functools.wraps(func)
    def hook(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        given = {k: v for k, v in bound.arguments.items()
                 if not (v is None and signature.parameters[k].default is None)}
        check(self, given)
        return func(self, *args, **kwargs)

    hook._c5_checked = True  # type: ignore[attr-defined]
    return hook


def _check_panel_update(panel: Panel, arguments: dict[str, Any]) -> None:
    if "state" in arguments:
        _check_state(arguments["state"])


class Panel:
    """One part of a picture. Subclasses make their artists in ``__init__`` and move them in
    :meth:`update`. Artists made inside ``with self.moving(ax):`` are the ones that change; a live
    picture redraws exactly those over a cached background, so none can be forgotten.

    Set ``self.stale = True`` in :meth:`update` when something outside the moving artists changed
    (an axis range, a title): the picture then redraws its background once.

    A subclass's :meth:`update` is checked at the boundary: ``state`` must be a dataclass instance
    (the explorer's state), else a TypeError naming ``state``; ``result`` is the subclass's own to
    check (it may be None, e.g. a band that does not exist). Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self) -> None:
        self.artists: list[Artist] = []
        self.stale = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "update" in vars(cls):
            cls.update = _checked_hook(vars(cls)["update"], _check_panel_update)  # type: ignore[method-assign]

    @contextmanager
    def moving(self, *containers: Any) -> Iterator[None]:
        """Every artist added to ``containers`` (axes or the figure) inside the block moves."""
        if not containers:
            raise ValueError("containers must name at least one axes or figure whose new "
                             "artists move, e.g. self.moving(ax)")
        for i, c in enumerate(containers):
            if not isinstance(c, Axes | FigureBase):
                raise TypeError(f"containers must be matplotlib axes or figures; containers[{i}] "
                                f"is {_short(c)}")
        before = [set(map(id, c.get_children())) for c in containers]
        yield
        for c, seen in zip(containers, before, strict=True):
            self.artists += [a for a in c.get_children() if id(a) not in seen]

    def update(self, state: Any, result: Any) -> None:  # pragma: no cover - interface
        """Move the artists to show ``state`` and its computed ``result``."""
        raise NotImplementedError


class Picture:
    """The panels of one persistent figure and its PNG. Introduced in ``03-chain-of-neurons``.

    Parameters
    ----------
    figure : Figure
        Made once (:func:`new_figure`: a Figure on its own Agg canvas); its identity never
        changes.
    panels : list of Panel
        At least one.
    live : bool
        True: moving artists are drawn over a cached background (blitting); False: every
        :meth:`png` draws the whole figure.
    """

    def __init__(self, figure: Figure, panels: list[Panel], *, live: bool = True) -> None:
        if not isinstance(figure, Figure) or not isinstance(figure.canvas, FigureCanvasAgg):
            raise TypeError(f"figure must be a matplotlib Figure on an Agg canvas, made by "
                            f"new_figure(...); got {_short(figure)}")
        if isinstance(panels, str | bytes) or not isinstance(panels, Sequence | np.ndarray):
            raise TypeError(f"panels must be a list of Panel objects; got {_short(panels)}")
        if len(panels) == 0:
            raise ValueError("panels must hold at least one Panel (the parts that move)")
        for i, panel in enumerate(panels):
            if not isinstance(panel, Panel):
                raise TypeError(f"panels must hold Panel objects only; panels[{i}] is "
                                f"{_short(panel)}")
        self.figure = figure
        self.panels = list(panels)
        self.live = flag("live", live)
        self._background: Any = None
        apply_style(figure)
        for panel in self.panels:
            for artist in panel.artists:
                artist.set_animated(self.live)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        width, height = self.figure.canvas.get_width_height()
        return int(width), int(height)

    def update(self, state: Any, result: Any) -> None:
        """Let every panel move its artists. ``state``: the explorer's state (a dataclass
        instance); ``result``: what the explorer computed for it (passed on as it is)."""
        _check_state(state)
        for panel in self.panels:
            panel.update(state, result)
            if panel.stale:
                self._background = None
                panel.stale = False

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes (fixed size, no tight bounding box)."""
        canvas = cast(FigureCanvasAgg, self.figure.canvas)
        if not self.live:
            buf = io.BytesIO()
            canvas.print_png(buf, pil_kwargs={"compress_level": 1})
            return buf.getvalue()
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for panel in self.panels:
            for artist in panel.artists:
                if artist.get_visible():
                    self.figure.draw_artist(artist)
        width, height = self.size
        return rgba_png(canvas.buffer_rgba(), width, height)


__all__ = ["Panel", "Picture"]
