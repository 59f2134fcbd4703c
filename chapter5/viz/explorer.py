"""The explorer core: one state object, controls that write into it, panels that redraw
themselves, and a readout from :mod:`chapter5.explorer_readouts`.

An explorer is four pieces (see ``chapter5/viz/README.md`` for a whole one in 20 lines):

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
"""

from __future__ import annotations

import dataclasses
import functools
import html
import inspect
import io
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase

from chapter5._validate import _short, finite_float, finite_pair, flag, positive_int
from chapter5.viz.style import apply_style

#: Every float slider of the explorers moves in steps of 0.01.
STEP = 0.01


def new_figure(figsize: tuple[float, float], dpi: float = 100) -> Figure:
    """A matplotlib Figure on its own Agg canvas (no pyplot, no global state).

    Introduced in ``01-deep-circuits``.
    """
    width, height = finite_pair("figsize", figsize)
    if not (0.5 <= width <= 100.0 and 0.5 <= height <= 100.0):
        raise ValueError(f"figsize must be (width, height) in inches, each in [0.5, 100]; "
                         f"got {figsize!r}")
    dpi = finite_float("dpi", dpi)
    if not 10.0 <= dpi <= 600.0:
        raise ValueError(f"dpi must lie in [10, 600]; got {dpi!r}")
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def snap(value: float, step: float = STEP) -> float:
    """``value`` on the slider grid: the browser may send back -3.9999999999999716 for -4.

    Introduced in ``03-chain-of-neurons``.
    """
    value = finite_float("value", value)
    step = finite_float("step", step)
    if not 1e-12 <= step <= 1.0 or abs(np.log10(step) - round(np.log10(step))) > 1e-9:
        raise ValueError(f"step must be a slider step 1, 0.1, 0.01, ... (a power of ten, the "
                         f"grid rounds to its decimals); got {step!r}")
    decimals = max(0, round(-np.log10(step)))
    return round(value, int(decimals))


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def rgba_png(rgba: Any, width: int, height: int) -> bytes:
    """An 8-bit RGBA PNG of the pixel buffer ``rgba`` (``height`` rows of ``width`` x 4 bytes,
    as Agg's ``buffer_rgba()``): rows fed to zlib (level 1) straight from the buffer, without
    the copy to RGB and the filter search PIL makes, which takes twice as long (the largest part
    of a slider step, ``benchmarks/bench_lab_latency.py``). Lossless: the same pixels.

    Introduced in ``03-chain-of-neurons``.
    """
    width = positive_int("width", width, maximum=100_000)
    height = positive_int("height", height, maximum=100_000)
    try:
        view = memoryview(rgba).cast("B")
    except TypeError as exc:
        raise TypeError(f"rgba must be a pixel buffer (bytes, or Agg's buffer_rgba()); got "
                        f"{type(rgba).__name__}") from exc
    stride = 4 * width
    if len(view) != stride * height:
        raise ValueError(f"rgba must hold {height} rows of {width} RGBA pixels; got "
                         f"{len(view)} bytes")
    deflate = zlib.compressobj(1)
    parts = []
    for row in range(height):
        parts.append(deflate.compress(b"\x00"))  # filter type 0: the row as it is
        parts.append(deflate.compress(view[row * stride:(row + 1) * stride]))
    parts.append(deflate.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


# ---------------------------------------------------------------------------------------------
# Panels and the picture


def _check_state(state: object, name: str = "state") -> None:
    """Refuse a ``state`` that is not a dataclass instance (the explorers' state contract)."""
    if not dataclasses.is_dataclass(state) or isinstance(state, type):
        raise TypeError(f"{name} must be the explorer's state, a dataclass instance such as "
                        f"explorer.state; got {_short(state)}")


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


# ---------------------------------------------------------------------------------------------
# Controls


_DATA_KEY = re.compile(r"[A-Za-z0-9_]+")
_CSS_LENGTH = re.compile(r"\d+(\.\d+)?(px|em|rem|%)")
#: A slider has at most this many steps: more cannot be told apart on a few hundred pixels.
MAX_SLIDER_STEPS = 1_000_000


def _check_key(key: object, name: str = "key") -> str:
    if not isinstance(key, str) or not _DATA_KEY.fullmatch(key):
        raise ValueError(f"{name} must be letters, digits and _ only (a state field and "
                         f"data-key, e.g. 'w1'); got {_short(key)}")
    return key


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str; got {_short(value)}")
    return value


def _check_css_length(name: str, value: object) -> str:
    if not isinstance(value, str) or not _CSS_LENGTH.fullmatch(value):
        raise ValueError(f"{name} must be a CSS length such as '275px', '2.2em' or '50%'; got "
                         f"{_short(value)}")
    return value


@dataclasses.dataclass
class Control:
    """A widget whose ``value`` writes field ``key`` of the state, through ``convert``.

    ``key``: a state field (letters, digits, _); ``widget``: an ipywidget with a ``value``
    (anything with ``value`` and ``observe``); ``convert``: widget value -> state value.
    Introduced in ``03-chain-of-neurons``.
    """

    key: str
    widget: Any
    convert: Callable[[Any], Any] = snap

    def __post_init__(self) -> None:
        _check_key(self.key)
        if not (hasattr(self.widget, "value") and callable(getattr(self.widget, "observe",
                                                                   None))):
            raise TypeError(f"widget must be an ipywidget with a value (e.g. FloatSlider); got "
                            f"{_short(self.widget)}")
        if not callable(self.convert):
            raise TypeError(f"convert must be a function from the widget's value to the state's "
                            f"value; got {_short(self.convert)}")


def _check_range(rng: object) -> tuple[float, float, float]:
    if isinstance(rng, str | bytes) or not isinstance(rng, Sequence | np.ndarray) \
            or len(rng) != 3:
        raise TypeError(f"rng must be (min, max, step); got {_short(rng)}")
    lo, hi, step = (finite_float(f"rng[{i}]", x) for i, x in enumerate(rng))
    if not lo < hi:
        raise ValueError(f"rng must have min < max; got {_short(rng)}")
    try:
        snap(0.0, step)  # the grid convert() rounds to: a power of ten
    except ValueError:
        raise ValueError(f"rng[2] (the step) must be a power of ten, 1, 0.1, 0.01, ...; got "
                         f"{_short(rng)}") from None
    if (hi - lo) / step > MAX_SLIDER_STEPS:
        raise ValueError(f"rng must span at most {MAX_SLIDER_STEPS} steps; got {_short(rng)}")
    return lo, hi, step


def float_slider(key: str, label: str, value: float, rng: tuple[float, float, float],
                 width: str = "275px", label_width: str = "2.2em") -> Control:
    """A continuous FloatSlider (range ``(min, max, step)``, ``step`` a power of ten) with CSS
    class ``c5-slider-<key>``; ``value`` must lie in the range (a widget would clamp it).

    Introduced in ``03-chain-of-neurons``.
    """
    import ipywidgets as widgets

    _check_key(key)
    _check_text("label", label)
    value = finite_float("value", value)
    lo, hi, step = _check_range(rng)
    if not lo <= value <= hi:
        raise ValueError(f"value must lie in the slider's range [{lo}, {hi}]; got {value!r}")
    _check_css_length("width", width)
    _check_css_length("label_width", label_width)
    s = widgets.FloatSlider(value=value, min=lo, max=hi, step=step,
                            description=label, continuous_update=True, readout_format=".2f",
                            style={"description_width": label_width},
                            layout=widgets.Layout(width=width))
    s.add_class(f"c5-slider-{key}")

    def convert(value: Any) -> float:
        return snap(value, step)

    return Control(key, s, convert)


def int_slider(key: str, label: str, value: int, lo: int, hi: int, width: str = "300px",
               label_width: str = "3em") -> Control:
    """A continuous IntSlider ``lo..hi`` (``lo < hi``, ``lo <= value <= hi``) with CSS class
    ``c5-slider-<key>``.

    Introduced in ``01-deep-circuits``.
    """
    import ipywidgets as widgets

    _check_key(key)
    _check_text("label", label)
    lo = positive_int("lo", lo, minimum=-MAX_SLIDER_STEPS, maximum=MAX_SLIDER_STEPS)
    hi = positive_int("hi", hi, minimum=-MAX_SLIDER_STEPS, maximum=MAX_SLIDER_STEPS)
    if not lo < hi:
        raise ValueError(f"hi must be above lo = {lo}; got {hi}")
    value = positive_int("value", value, minimum=lo, maximum=hi)
    _check_css_length("width", width)
    _check_css_length("label_width", label_width)
    s = widgets.IntSlider(value=value, min=lo, max=hi, step=1, description=label,
                          continuous_update=True, style={"description_width": label_width},
                          layout=widgets.Layout(width=width))
    s.add_class(f"c5-slider-{key}")
    return Control(key, s, int)


# ---------------------------------------------------------------------------------------------
# Readout HTML


_KEY_RE = re.compile(r'data-key="([A-Za-z0-9_]+)">([^<]*)<')


def parse_readout(markup: str) -> dict[str, str]:
    """The ``data-key`` -> text pairs of a readout's HTML (what a browser test reads).

    Introduced in ``03-chain-of-neurons``.
    """
    if not isinstance(markup, str):
        raise TypeError(f"markup must be the readout's HTML (a str); got {type(markup).__name__}")
    return {k: html.unescape(v) for k, v in _KEY_RE.findall(markup)}


def keyed(key: str, text: str, tag: str = "span") -> str:
    """``<tag data-key="key">text</tag>``, the text HTML-escaped. Introduced in
    ``03-chain-of-neurons``."""
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_]+", key):
        raise ValueError(f"key must be letters, digits and _ only (a data-key); got {key!r}")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    if not isinstance(tag, str) or not re.fullmatch(r"[a-z][a-z0-9]*", tag):
        raise ValueError(f"tag must be an HTML tag name such as 'span'; got {tag!r}")
    return f'<{tag} data-key="{key}">{html.escape(text, quote=False)}</{tag}>'


def _check_readout_values(values: object, keys: Sequence[str]) -> dict[str, str]:
    """Return ``values`` if it maps every one of ``keys`` to a string (a readout), else raise a
    TypeError/ValueError naming ``values``. Introduced in ``05-how-common-is-vanishing``."""
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict from readout key to text (what readout_strings "
                        f"returns); got {type(values).__name__}")
    missing = [k for k in keys if not isinstance(values.get(k), str)]
    if missing:
        raise ValueError(f"values must hold a string for every readout key; missing {missing}")
    return dict(values)


def _check_state_kind(state: object, kind: type, *, none_ok: bool = False) -> None:
    """Raise a TypeError naming ``state`` unless it is a ``kind`` (this explorer's state class),
    or None when ``none_ok``. Introduced in ``05-how-common-is-vanishing``."""
    if not (isinstance(state, kind) or (none_ok and state is None)):
        raise TypeError(f"state must be this explorer's state (explorer.state)"
                        f"{' or None' if none_ok else ''}; got {type(state).__name__}")


def readout_row(labels: dict[str, str], values: dict[str, str]) -> str:
    """A one-row monospace table: each label followed by its value in bold, one ``data-key``
    span per key of ``labels``. Introduced in ``05-how-common-is-vanishing``."""
    if not isinstance(labels, Mapping) or not labels \
            or not all(isinstance(v, str) for v in labels.values()):
        raise TypeError(f"labels must be a non-empty dict from readout key to label text; got "
                        f"{labels!r}")
    values = _check_readout_values(values, tuple(labels))
    cells = "".join(f'<td style="padding:0 1em 0 0">{label} <b>{keyed(k, values[k])}</b></td>'
                    for k, label in labels.items())
    return f'<table style="font-family:monospace"><tr>{cells}</tr></table>'


# ---------------------------------------------------------------------------------------------
# The explorer


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
