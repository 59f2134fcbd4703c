"""The explorer core: one state object, controls that write into it, panels that redraw
themselves, and a readout from :mod:`chapter5.explorer_readouts`.

An explorer is four pieces (see ``chapter5/viz/README.md`` for a whole one):

* a **state**: a small dataclass holding everything the reader can set (the JavaScript explorers
  keep the same ``state``), written only through :meth:`Explorer.set`;
* **controls**: ipywidgets whose ``value`` writes one field of the state (:class:`Control`);
* **panels**: small classes that make their artists once, inside :meth:`Panel.moving` for the ones
  that change, and move them in ``update(state, result)``; a :class:`Picture` holds the panels
  of one figure and turns it into PNG bytes, redrawing only the moving artists over a cached
  background;
* a **readout**: ``readouts(state, result) -> {data-key: text}``, the explorer's one function in
  :mod:`chapter5.explorer_readouts`, shown as HTML whose elements carry ``data-key``.

:class:`Explorer` wires them: a control moves, the state changes, ``compute(state)`` gives the
result, every panel updates, the picture is rendered once and the readout is rewritten. Introduced
in ``03-chain-of-neurons``.

This module holds the :class:`Explorer` loop and re-exports the rest of the core, one idea a
module: :mod:`~chapter5.viz.controls` (``Control``, the sliders, ``snap``),
:mod:`~chapter5.viz.panels` (``Panel``, ``Picture``), :mod:`~chapter5.viz.readout_html`
(``keyed``, ``readout_row``, ``parse_readout``) and :mod:`~chapter5.viz.canvas` (``new_figure``,
``rgba_png``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from chapter5._validate import _short
from chapter5.viz.canvas import new_figure, rgba_png
from chapter5.viz.controls import (
    _DATA_KEY,
    MAX_SLIDER_STEPS,
    STEP,
    Control,
    float_slider,
    int_slider,
    snap,
)
from chapter5.viz.panels import (  # _check_state_kind: the explorers' state check, from here
    Panel,
    Picture,
    _check_state,
    _check_state_kind,  # noqa: F401
    _checked_hook,
)
from chapter5.viz.readout_html import (
    _check_readout_values,
    keyed,
    parse_readout,
    readout_row,
)


class Explorer:
    """Controls -> state -> result -> panels, picture and readout, in one place.

    A subclass sets :attr:`alt` and implements :meth:`compute`, :meth:`readouts`,
    :meth:`readout_html` and :meth:`layout`, then calls :meth:`start`.

    Attributes
    ----------
    state : dataclass instance
        Everything the reader set; change it with :meth:`set` (or a control).
    controls : dict[str, widget]
        The control widgets by state key.
    picture : Picture
    image : chapter5.viz.picture.Picture
        The picture's PNG, swapped in only once decoded.
    readout : ipywidgets.HTML
        CSS class ``c5-readout``; elements carry ``data-key``.
    widget : ipywidgets.Box
        Everything, laid out.
    result : object
        What :meth:`compute` returned for the state on screen.
    render_count : int
        How many times the picture was rendered (:meth:`set` with many values renders once).

    Introduced in ``03-chain-of-neurons``.
    """

    alt: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _HOOK_CHECKS:
            if name in vars(cls):
                setattr(cls, name, _checked_hook(vars(cls)[name], _check_hook_arguments))

    def start(self, state: Any, controls: list[Control], picture: Picture) -> None:
        """Wire ``controls`` to ``state``, lay out the widgets and draw the first time.

        ``state``: a dataclass instance; ``controls``: at least one :class:`Control`, keys
        distinct, each a field of ``state`` (or a key its ``set(key, value)`` takes);
        ``picture``: a :class:`Picture`.
        """
        import ipywidgets as widgets

        from chapter5.viz.picture import Picture as PictureWidget

        _check_state(state)
        if isinstance(controls, str | bytes) or not isinstance(controls, Sequence):
            raise TypeError(f"controls must be a list of Control objects; got {_short(controls)}")
        if not controls:
            raise ValueError("controls must hold at least one Control (what the reader moves)")
        for i, c in enumerate(controls):
            if not isinstance(c, Control):
                raise TypeError(f"controls must hold Control objects only (float_slider, "
                                f"int_slider); controls[{i}] is {_short(c)}")
            if not (hasattr(state, c.key) or callable(getattr(state, "set", None))):
                raise ValueError(f"controls[{i}] writes {c.key!r}, which is not a field of the "
                                 f"state {type(state).__name__}")
        keys = [c.key for c in controls]
        if len(set(keys)) != len(keys):
            raise ValueError(f"controls must have distinct keys; got {keys}")
        if not isinstance(picture, Picture):
            raise TypeError(f"picture must be a Picture (chapter5.viz.explorer.Picture); got "
                            f"{_short(picture)}")
        self.state = state
        self.picture = picture
        self._controls = {c.key: c for c in controls}
        self.controls: dict[str, Any] = {c.key: c.widget for c in controls}
        self._holding = 0
        self.render_count = 0
        width, height = picture.size
        self.image = PictureWidget(width=width, height=height, alt=self.alt,
                                   layout=widgets.Layout(width=f"{width}px",
                                                         height=f"{height}px"))
        self.readout = widgets.HTML()
        self.readout.add_class("c5-readout")
        self.widget = self.layout()
        for c in controls:
            c.widget.observe(self._on_change, names="value")
        self.refresh()

    # --- what a subclass provides (the framework checks their arguments: see _HOOK_CHECKS)
    def compute(self, state: Any) -> Any:  # pragma: no cover - interface
        """The math for ``state`` (from :mod:`chapter5`)."""
        raise NotImplementedError

    def readouts(self, state: Any, result: Any) -> dict[str, str]:  # pragma: no cover
        """The readout strings: the explorer's function in :mod:`chapter5.explorer_readouts`."""
        raise NotImplementedError

    def readout_html(self, values: dict[str, str]) -> str:  # pragma: no cover - interface
        """The readout as HTML, every value in an element with its ``data-key``."""
        raise NotImplementedError

    def layout(self) -> Any:  # pragma: no cover - interface
        """The widgets laid out (``self.controls``, ``self.image``, ``self.readout``)."""
        raise NotImplementedError

    def on_refresh(self, values: dict[str, str]) -> None:
        """Hook after each refresh (e.g. a second HTML widget); default: nothing.

        ``values``: the readout on screen (its keys, each mapped to text)."""
        _check_hook_arguments(self, {"values": values})

    # --- the loop
    def set(self, **values: Any) -> None:
        """Set several state fields (moving their controls) and redraw once."""
        with self.hold():
            for key, value in values.items():
                if key not in self._controls:
                    raise ValueError(f"no control named {key!r}; the controls are "
                                     f"{', '.join(self._controls)}")
                self._controls[key].widget.value = value

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold redraws while several controls move; redraw once on leaving."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if self._holding == 0:
                self.refresh()

    def _on_change(self, change: dict[str, Any]) -> None:
        for c in self._controls.values():
            if change["owner"] is c.widget:
                _setattr_state(self.state, c.key, c.convert(change["new"]))
        if not self._holding:
            self.refresh()

    def refresh(self) -> None:
        """Compute the result for the state, update the panels, render once, rewrite the
        readout."""
        self.result = self.compute(self.state)
        self.picture.update(self.state, self.result)
        self.image.value = self.picture.png()
        values = self.readouts(self.state, self.result)
        if not isinstance(values, Mapping) or not values or not all(
                isinstance(k, str) and _DATA_KEY.fullmatch(k) and isinstance(v, str)
                for k, v in values.items()):
            raise TypeError(f"{type(self).__name__}.readouts must return a non-empty dict from "
                            f"data-key to text; got {_short(values)}")
        self._readout_keys = tuple(values)
        markup = self.readout_html(values)
        if not isinstance(markup, str):
            raise TypeError(f"{type(self).__name__}.readout_html must return HTML (a str); got "
                            f"{_short(markup)}")
        self.readout.value = markup
        self.on_refresh(values)
        self.render_count += 1

    def readout_values(self) -> dict[str, str]:
        """The readout's ``data-key`` -> text pairs, read back from what is on screen."""
        return parse_readout(self.readout.value)

    @property
    def figure(self) -> Figure:
        """The one persistent matplotlib figure behind the image."""
        return self.picture.figure

    def time_update(self, n: int = 30, key: str | None = None) -> np.ndarray:
        """Move control ``key`` (default: the first) ``n`` small steps through the full observer
        path and return each update's wall time in seconds, shape (n,). Puts it back after."""
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10_000:
            raise ValueError(f"n must be a positive integer (at most 10000); got {n!r}")
        key = next(iter(self.controls)) if key is None else key
        if not isinstance(key, str) or key not in self.controls:
            raise ValueError(f"key must name a control, one of {', '.join(self.controls)}; "
                             f"got {key!r}")
        s = self.controls[key]
        start = s.value
        step = max(float(s.step), 0.01)
        sign = 1 if start < s.min + 0.5 * (s.max - s.min) else -1
        times = np.empty(n)
        for i in range(n):
            value = start + sign * step * (i + 1)
            t0 = time.perf_counter()
            s.value = round(value, 2) if isinstance(start, float) else int(value)
            times[i] = time.perf_counter() - t0
        s.value = start
        return times

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _check_hook_arguments(explorer: Explorer, arguments: dict[str, Any]) -> None:
    """The framework's checks of a hook's arguments (see :data:`_HOOK_CHECKS`).

    ``state`` must be the explorer's state (of the type of ``explorer.state``); ``values`` must map
    exactly the keys of the readout on screen to text. ``result`` is what ``compute`` returned:
    its type is each explorer's own (None may be a result), so each explorer checks it itself.
    """
    if "state" in arguments:
        state = arguments["state"]
        kind = type(getattr(explorer, "state", None))
        if "state" not in vars(explorer):
            _check_state(state)
        elif not isinstance(state, kind):
            raise TypeError(f"state must be this explorer's state, a {kind.__name__} (such as "
                            f"explorer.state); got {_short(state)}")
    if "values" in arguments:
        keys: tuple[str, ...] = getattr(explorer, "_readout_keys", ())
        values = _check_readout_values(arguments["values"], keys)
        unknown = [k for k in values if k not in keys]
        if unknown:
            raise ValueError(f"values must hold this explorer's readout keys only "
                             f"({', '.join(keys)}); unknown: {unknown}")


#: The hooks a subclass overrides whose arguments the framework checks on every call.
_HOOK_CHECKS: tuple[str, ...] = ("compute", "readouts", "readout_html", "on_refresh")


def _setattr_state(state: Any, key: str, value: Any) -> None:
    """Write ``value`` into field ``key`` of ``state``; a state may define ``set(key, value)``
    for keys that are not plain fields (``"w3"`` -> ``w[2]``). Introduced in
    ``03-chain-of-neurons``."""
    setter = getattr(state, "set", None)
    if callable(setter):
        setter(key, value)
    else:
        setattr(state, key, value)


__all__ = [
    "MAX_SLIDER_STEPS",
    "Control",
    "Explorer",
    "Panel",
    "Picture",
    "STEP",
    "float_slider",
    "int_slider",
    "keyed",
    "new_figure",
    "parse_readout",
    "readout_row",
    "rgba_png",
    "snap",
]
