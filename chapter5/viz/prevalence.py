"""Pictures and the live band explorer for the prevalence problem (Nielsen ch. 5, eq. 123).

A neuron with weight w and bias b passes a gradient on undiminished only for inputs a in a band
where |w sigma'(w a + b)| >= 1. This module draws that band (static figures for the book) and
offers :class:`BandExplorer`, an ipywidgets explorer whose sliders move w and b and shade the band
live. Introduced in ``05-how-common-is-vanishing``.

The explorer follows the team's widget contract: sliders ``c5-slider-w`` and ``c5-slider-b``, an
``ipywidgets.HTML`` readout ``c5-readout`` whose elements carry ``data-key`` = ``band_lo``,
``band_hi``, ``band_width``, ``width_bound``, and an ``ipywidgets.Image`` ``c5-figure`` holding the
PNG of ONE persistent Agg figure that is updated in place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import NullFormatter
from matplotlib.transforms import blended_transform_factory

from chapter5._validate import finite_array, finite_float
from chapter5.activations import log10_sigmoid_prime, sigmoid_prime
from chapter5.explorer_readouts import BAND_KEYS, EMPTY, band_readouts
from chapter5.prevalence import (
    PREVALENCE_DEFAULT_B,
    PREVALENCE_DEFAULT_W,
    VANISHING_THRESHOLD,
    band,
    max_width_bound,
    width_bound,
    z_half_width,
)
from chapter5.viz.controls import STEP
from chapter5.viz.explorer import (
    Explorer,
    Panel,
    Picture,
    _check_state_kind,
    float_slider,
    new_figure,
    readout_row,
)
from chapter5.viz.style import INK, PALETTE, apply_style

#: Slider ranges and step of the explorer (the website's explorer uses the same).
W_RANGE: tuple[float, float] = (-100.0, 100.0)
B_RANGE: tuple[float, float] = (-50.0, 50.0)
SLIDER_STEP = STEP  # the core's one slider step

#: Inputs shown in the explorer's left panel; activations of sigmoid neurons lie in (0, 1).
A_VIEW: tuple[float, float] = (-0.5, 1.5)
#: Vertical range of the factor |w sigma'(w a + b)| (log axis).
FACTOR_VIEW: tuple[float, float] = (1e-3, 1e2)
#: |w| range of the right panel (log axis).
W_ABS_VIEW: tuple[float, float] = (1.0, 100.0)

_N_A = 801  # samples of a in the left panel
_FIGSIZE = (9.6, 3.6)  # inches
_DPI = 80  # 768 x 288 px: readable, and cheap to re-render on every slider step

READOUT_KEYS: tuple[str, ...] = BAND_KEYS
_LABELS = {
    "band_lo": "band starts at a =",
    "band_hi": "band ends at a =",
    "band_width": "band width",
    "width_bound": "bound (123) at |w|",
}


def _check_w_b(w: object, b: object) -> tuple[float, float]:
    """w and b as floats inside the sliders' ranges (the picture's axes are made for them)."""
    values = finite_float("w", w), finite_float("b", b)
    for name, value, (lo, hi) in zip(("w", "b"), values, (W_RANGE, B_RANGE), strict=True):
        if not lo <= value <= hi:
            raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}] (the slider's range); "
                             f"got {value!r}")
    return values


def readout_strings(w: float, b: float) -> dict[str, str]:
    """The explorer's four readouts for weight ``w`` and bias ``b``:
    :func:`chapter5.explorer_readouts.band_readouts`.

    Keys ``band_lo``, ``band_hi`` (ends of the band of inputs a, or ``"none"`` when |w| < 4 and
    the band is empty), ``band_width`` (hi - lo; ``"0"`` when the band is empty or a single point)
    and ``width_bound`` (eq. 123 at |w|). Introduced in ``05-how-common-is-vanishing``.
    """
    return band_readouts(w, b)


def readout_html(values: dict[str, str]) -> str:
    """HTML for the readout widget: one ``<span data-key=...>`` per readout key.

    Introduced in ``05-how-common-is-vanishing``.
    """
    return readout_row(_LABELS, values)


def _log10_factor(w: float, b: float, a: np.ndarray) -> np.ndarray:
    """log10 |w sigma'(w a + b)| for inputs ``a``, -inf when w = 0; never warns."""
    if w == 0.0:
        return np.full(a.shape, -np.inf)
    return np.log10(abs(w)) + log10_sigmoid_prime(w * a + b)


@dataclasses.dataclass
class _BandState:
    """The band explorer's state: weight ``w`` and bias ``b`` of one neuron.

    Introduced in ``05-how-common-is-vanishing``."""

    w: float
    b: float


class _BandPanel(Panel):
    """The factor |w sigma'(w a + b)| against the input a (log axis), the line at 1, and the
    band where the factor reaches it shaded. Introduced in ``05-how-common-is-vanishing``."""

    def __init__(self, ax: Axes) -> None:
        super().__init__()
        self.a = np.linspace(*A_VIEW, _N_A)
        ax.set_yscale("log")
        ax.set_xlim(*A_VIEW)
        ax.set_ylim(*FACTOR_VIEW)
        ax.set_xlabel("input activation a (dimensionless)")
        ax.set_ylabel("|w σ'(w a + b)|  (log scale)")
        ax.axvspan(0.0, 1.0, color=PALETTE["grey"], alpha=0.12, lw=0)
        ax.text(0.5, 1.5e-3, "sigmoid outputs lie in (0, 1)", ha="center", va="bottom",
                fontsize=8, color=INK)
        ax.axhline(1.0, color=PALETTE["vermillion"], lw=1.2, ls="--")
        ax.text(A_VIEW[1], 1.15, "factor = 1 ", ha="right", va="bottom", fontsize=8,
                color=PALETTE["vermillion"])
        with self.moving(ax):
            trans = blended_transform_factory(ax.transData, ax.transAxes)
            self.shade = Rectangle((0.0, 0.0), 0.0, 1.0, transform=trans,
                                   color=PALETTE["green"], alpha=0.3, lw=0)
            ax.add_patch(self.shade)
            (self.curve,) = ax.plot(self.a, np.ones_like(self.a), color=PALETTE["blue"], lw=2)
            self.note = ax.text(0.02, 0.96, "", transform=ax.transAxes, ha="left", va="top",
                                fontsize=8.5, color=INK,
                                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
            self.title = ax.set_title("", fontsize=10, loc="left")

    def update(self, state: _BandState, result: tuple[float, float] | None) -> None:
        w, b = state.w, state.b
        log_f = _log10_factor(w, b, self.a)
        floor = np.log10(FACTOR_VIEW[0]) - 1.0  # below the view: drawn off-axis, never as NaN
        self.curve.set_ydata(10.0 ** np.clip(log_f, floor, np.log10(FACTOR_VIEW[1]) + 1.0))
        if result is None:
            self.shade.set_visible(False)
            note = (f"|w| = {abs(w):.2f} < 4: the factor stays below 1 for every input a"
                    if w != 0.0 else "w = 0: the factor is 0 for every input a")
        else:
            lo, hi = result
            self.shade.set_visible(True)
            # Draw at least ~1 pixel so a very narrow band is still seen.
            min_w = (A_VIEW[1] - A_VIEW[0]) / 600.0
            mid = 0.5 * (lo + hi)
            width = max(hi - lo, min_w)
            self.shade.set_x(mid - width / 2.0)
            self.shade.set_width(width)
            note = f"band a ∈ [{lo:.3f}, {hi:.3f}], width {hi - lo:.3f}"
            if hi < A_VIEW[0] or lo > A_VIEW[1]:
                note += "\n(outside this view: no sigmoid output reaches it)"
            elif lo >= 1.0 or hi <= 0.0:
                note += "\n(outside (0, 1): no sigmoid output reaches it)"
        self.note.set_text(note)
        self.title.set_text(f"w = {w:.2f}, b = {b:.2f}")


class _BoundPanel(Panel):
    """The width bound (123) against |w| (log axes in |w|), this neuron's |w| and band width
    marked. Introduced in ``05-how-common-is-vanishing``."""

    def __init__(self, bx: Axes) -> None:
        super().__init__()
        w_abs = np.geomspace(VANISHING_THRESHOLD, W_ABS_VIEW[1], 400)
        w_star, width_star = max_width_bound()
        bx.set_xscale("log")
        bx.set_xlim(*W_ABS_VIEW)
        bx.set_ylim(0.0, 0.5)
        bx.plot([W_ABS_VIEW[0], VANISHING_THRESHOLD], [0.0, 0.0], color=PALETTE["orange"], lw=2)
        bx.plot(w_abs, width_bound(w_abs), color=PALETTE["orange"], lw=2, label="bound (123)")
        bx.axvline(VANISHING_THRESHOLD, color=PALETTE["grey"], lw=1, ls=":")
        bx.plot([w_star], [width_star], marker="^", color=PALETTE["orange"], ms=6, ls="none")
        bx.annotate(f"max {width_star:.3f} at |w| = {w_star:.2f}", (w_star, width_star),
                    xytext=(12, 2), textcoords="offset points", fontsize=8, color=INK)
        bx.text(25.0, 0.27, "bound (123)", color=PALETTE["orange"], fontsize=9)
        bx.text(1.1, 0.02, "|w| < 4:\nno band", color=INK, fontsize=8, va="bottom")
        with self.moving(bx):
            (self.dot,) = bx.plot([], [], marker="o", ms=8, ls="none", mfc="none",
                                  mec=PALETTE["blue"], mew=2)
        bx.set_xlabel("|w|  (log scale)")
        bx.set_ylabel("width of the band in a")
        bx.set_xticks([1, 4, 10, 100], labels=["1", "4", "10", "100"])
        bx.xaxis.set_minor_formatter(NullFormatter())
        bx.set_title("band width vs |w|  (○ = this neuron)", fontsize=10, loc="left")

    def update(self, state: _BandState, result: tuple[float, float] | None) -> None:
        w_abs = abs(state.w)
        if w_abs >= W_ABS_VIEW[0]:
            width_now = 0.0 if result is None else result[1] - result[0]
            self.dot.set_data([w_abs], [width_now])
        else:
            self.dot.set_data([], [])


class BandPicture(Picture):
    """One persistent two-panel Agg figure of the band, redrawn in place: :class:`_BandPanel`
    on the left, :class:`_BoundPanel` on the right. Introduced in ``05-how-common-is-vanishing``.
    """

    def __init__(self, w: float = PREVALENCE_DEFAULT_W, b: float = PREVALENCE_DEFAULT_B) -> None:
        figure = new_figure(_FIGSIZE, _DPI)
        ax, bx = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1.0]})
        figure.subplots_adjust(left=0.075, right=0.985, bottom=0.16, top=0.86, wspace=0.28)
        self.ax_band, self.ax_bound = ax, bx
        left, right = _BandPanel(ax), _BoundPanel(bx)
        self._curve, self._note, self._dot = left.curve, left.note, right.dot
        super().__init__(figure, [left, right], live=False)
        self.w = float("nan")
        self.b = float("nan")
        self.show(w, b)

    def show(self, w: float, b: float) -> None:
        """Move every artist to the state for ``w``, ``b`` (no new artists, no new figure)."""
        w, b = _check_w_b(w, b)
        self.w, self.b = w, b
        self.update(_BandState(w, b), band(w, b))


def band_figure(w: float = PREVALENCE_DEFAULT_W, b: float = PREVALENCE_DEFAULT_B) -> Figure:
    """The explorer's picture at ``w``, ``b`` as a static figure (the book shows it at defaults).

    Introduced in ``05-how-common-is-vanishing``.
    """
    return BandPicture(w, b).figure


class BandExplorer(Explorer):
    """Live band explorer: sliders for w and b, readouts, and the picture updated in place.

    Attributes
    ----------
    state : _BandState
    controls : dict[str, ipywidgets.FloatSlider]
        ``"w"`` (class ``c5-slider-w``, range -100..100) and ``"b"`` (``c5-slider-b``, range
        -50..50), step 0.01; also ``slider_w``, ``slider_b``.
    readout, image, widget
        As in :class:`chapter5.viz.explorer.Explorer` (``data-key`` spans: :data:`READOUT_KEYS`).

    Introduced in ``05-how-common-is-vanishing``.
    """

    alt = "The band of inputs where |w sigma'(wa+b)| >= 1, and the width bound against |w|"

    def __init__(self, w: float = PREVALENCE_DEFAULT_W, b: float = PREVALENCE_DEFAULT_B) -> None:
        w, b = _check_w_b(w, b)
        controls = [float_slider(key, key, value, (*rng, SLIDER_STEP), width="460px",
                                 label_width="2em")
                    for key, value, rng in (("w", w, W_RANGE), ("b", b, B_RANGE))]
        self.slider_w, self.slider_b = controls[0].widget, controls[1].widget
        self.start(_BandState(w, b), controls, BandPicture(w, b))

    def layout(self) -> Any:
        import ipywidgets as widgets

        return widgets.VBox([self.slider_w, self.slider_b, self.readout, self.image])

    def compute(self, state: _BandState) -> tuple[float, float] | None:
        _check_state_kind(state, _BandState)
        return band(state.w, state.b)

    def readouts(self, state: _BandState | None = None, result: object = None
                 ) -> dict[str, str]:
        """The readout strings: with no arguments, those on screen, by key."""
        if state is None:
            return self.readout_values()
        _check_state_kind(state, _BandState, none_ok=True)
        return band_readouts(state.w, state.b)

    def readout_html(self, values: dict[str, str]) -> str:
        return readout_html(values)

    def set(self, w: float | None = None, b: float | None = None) -> None:  # type: ignore[override]
        """Move the sliders (as a reader would); readout and picture update once."""
        values = {k: v for k, v in (("w", w), ("b", b)) if v is not None}
        _check_w_b(values.get("w", self.state.w), values.get("b", self.state.b))
        super().set(**values)


def band_explorer(w: float = PREVALENCE_DEFAULT_W, b: float = PREVALENCE_DEFAULT_B) -> BandExplorer:
    """Build the live band explorer at ``w``, ``b`` (defaults shared with the website).

    Introduced in ``05-how-common-is-vanishing``.
    """
    return BandExplorer(w, b)


# ---------------------------------------------------------------------------------------------
# Static figures for the derivation and the problems


def _finish(fig: Figure, ax: Axes, ylim: tuple[float, float], xlabel: str, ylabel: str,
            bottom: float) -> Figure:
    ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper right", framealpha=0.95)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=bottom, top=0.95)
    return apply_style(fig)


def threshold_figure(w_values: Sequence[float] = (4.0, 6.9, 10.0, 100.0)) -> Figure:
    """sigma'(z) against z with the thresholds 1/|w| for several |w|, and each z-interval
    [-z*, z*] where sigma'(z) >= 1/|w| marked. The step "solve sigma' = 1/|w| for z" in a picture.

    Introduced in ``05-how-common-is-vanishing``.
    """
    w_values = finite_array("w_values", w_values)
    if not 1 <= w_values.size <= 12 or np.any(w_values == 0.0):
        raise ValueError(f"w_values must list 1 to 12 nonzero weights (the threshold 1/|w| is "
                         f"undefined at w = 0); got {w_values.tolist()}")
    fig = new_figure((7.2, 3.6))
    ax = fig.subplots()
    z = np.linspace(-8.0, 8.0, 801)
    ax.plot(z, sigmoid_prime(z), color=INK, lw=2, label="σ'(z)")
    colours = [PALETTE[k] for k in ("vermillion", "orange", "green", "blue", "purple", "sky")]
    for k, w in enumerate(w_values):
        w_abs = abs(finite_float("w_values", w))
        if w_abs == 0.0:
            raise ValueError("w_values must be nonzero: the threshold 1/|w| is undefined at w = 0")
        c = colours[k % len(colours)]
        level = 1.0 / w_abs
        zs = float(z_half_width(np.array([w_abs]))[0])
        ax.axhline(level, color=c, lw=1, ls="--")
        ax.plot([-zs, zs], [level, level], color=c, lw=5, alpha=0.8, solid_capstyle="butt",
                label=f"|w| = {w_abs:g}: 1/|w| = {level:.3f}, |z| ≤ {zs:.3f}")
    ax.set_xlim(-8.0, 8.0)
    return _finish(fig, ax, (0.0, 0.3), "weighted input z = w a + b", "σ'(z)", bottom=0.14)


def width_bound_figure(w_abs_max: float = 100.0, marks: Sequence[float] = (4.0, 10.0, 100.0)
                       ) -> Figure:
    """The width bound (123) against |w| on a log |w| axis, its maximum and sample values marked.

    Introduced in ``05-how-common-is-vanishing``.
    """
    w_abs_max = finite_float("w_abs_max", w_abs_max)
    if not VANISHING_THRESHOLD < w_abs_max <= 1e6:
        raise ValueError(f"w_abs_max must exceed 4 (and be at most 1e6); got {w_abs_max!r}")
    marks = finite_array("marks", marks)
    if np.any(marks < VANISHING_THRESHOLD) or np.any(marks > w_abs_max):
        raise ValueError(f"marks must lie on the axis, between 4 and w_abs_max = {w_abs_max:g}; "
                         f"got {marks.tolist()}")
    fig = new_figure((7.2, 3.4))
    ax = fig.subplots()
    w_abs = np.geomspace(VANISHING_THRESHOLD, w_abs_max, 600)
    ax.plot(w_abs, width_bound(w_abs), color=PALETTE["orange"], lw=2,
            label="(2/|w|) ln(|w|(1 + √(1 − 4/|w|))/2 − 1)")
    w_star, width_star = max_width_bound(VANISHING_THRESHOLD, w_abs_max)
    ax.plot([w_star], [width_star], "^", color=PALETTE["vermillion"], ms=8,
            label=f"maximum {width_star:.4f} at |w| = {w_star:.3f}")
    for m in marks:
        m = finite_float("marks", m)
        y = float(width_bound(np.array([m]))[0])
        ax.plot([m], [y], "o", color=PALETTE["blue"], ms=5)
        right = m > w_abs_max / 2.0
        ax.annotate(f"|w| = {m:g}: {y:.3f}", (m, y), xytext=(-4 if right else 4, 6),
                    textcoords="offset points", fontsize=8, color=INK,
                    ha="right" if right else "left")
    ax.set_xscale("log")
    ax.set_xlim(VANISHING_THRESHOLD * 0.95, w_abs_max * 1.05)
    ticks = [t for t in (4, 7, 10, 20, 50, 100, 200, 500, 1000) if t <= w_abs_max]
    ax.set_xticks(ticks, labels=[str(t) for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    return _finish(fig, ax, (0.0, 0.5), "|w|  (log scale)", "widest band of inputs a",
                   bottom=0.15)


def identity_error_figure(w1: np.ndarray, max_error: np.ndarray, bound: np.ndarray) -> Figure:
    """Log-log plot of the identity neuron's worst error on [0, 1] against w1, with a bound.

    ``w1``, ``max_error``, ``bound``: arrays of the same shape (n,), all positive.
    Introduced in ``05-how-common-is-vanishing``.
    """
    w1 = finite_array("w1", w1)
    max_error = finite_array("max_error", max_error)
    bound = finite_array("bound", bound)
    if not (w1.shape == max_error.shape == bound.shape) or w1.size == 0:
        raise ValueError("w1, max_error and bound must be 1-D arrays of the same length")
    for name, arr in (("w1", w1), ("max_error", max_error), ("bound", bound)):
        if np.any(arr <= 0):
            raise ValueError(f"{name} must be positive (w1, max_error and bound go on log axes)")
    fig = new_figure((6.4, 3.6))
    ax = fig.subplots()
    ax.loglog(w1, max_error, "o-", color=PALETTE["blue"], ms=4, lw=1.5,
              label="measured max |error| on [0, 1]")
    ax.loglog(w1, bound, "--", color=PALETTE["vermillion"], lw=1.5, label="w1² / 96 (Taylor)")
    ax.set_xlabel("input weight w1  (log scale)")
    ax.set_ylabel("max |w2 σ(w1 x + b) − c − x|  (log scale)")
    ax.legend(fontsize=8, loc="upper left", framealpha=0.95)
    fig.subplots_adjust(left=0.15, right=0.97, bottom=0.15, top=0.95)
    return apply_style(fig)


__all__ = [
    "A_VIEW",
    "BandExplorer",
    "BandPicture",
    "B_RANGE",
    "EMPTY",
    "READOUT_KEYS",
    "SLIDER_STEP",
    "W_RANGE",
    "band_explorer",
    "band_figure",
    "identity_error_figure",
    "readout_html",
    "readout_strings",
    "threshold_figure",
    "width_bound_figure",
]
