"""The chain explorer's picture (figure 3.4): the chain, sigma'(z) at every z_j, the factors and
|dC/db_j|, each a :class:`chapter5.viz.explorer.Panel`.

Layer j has the colour :func:`chapter5.viz.style.layer_colour` (j) in every panel: its neuron in
the chain, its z_j on the sigma' curve, its factor and its |dC/db_j|. Magnitudes are drawn from
the base-10 logarithms of :func:`chapter5.chain.gradients`, so nothing a slider reaches turns into
0 or inf; values beyond an axis sit at its edge as a triangle, and a note says so. Every artist
that moves with a slider is a shape (no text), which keeps a slider step cheap to draw; text
that changes (titles, the note, a_0) changes rarely and redraws the background when it does.

The state a panel reads is anything with ``depth``, ``w`` (at least ``depth`` weights) and
``a0``: a :class:`chapter5.chain.Chain` or the explorer's state. Introduced in
``03-chain-of-neurons``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from chapter5._validate import finite_float, flag
from chapter5.activations import sigmoid_prime
from chapter5.chain import (
    EXPLORER_DEFAULT_DEPTH,
    EXPLORER_MAX_DEPTH,
    Chain,
    ChainGradients,
    _check_chain,
    _check_gradients,
    explorer_typical_chain,
    gradients,
)
from chapter5.explorer_readouts import chain_readouts, speed_words
from chapter5.viz.chain_figures import _check_dC_daL
from chapter5.viz.explorer import Panel, Picture, new_figure
from chapter5.viz.style import INK, PALETTE, layer_colour

#: The sigma' panel shows z in this window; z_j outside is drawn at the edge (clipped).
Z_WINDOW: tuple[float, float] = (-10.0, 10.0)
#: log10 window of the factor panel; factors outside are drawn at the edge (clipped).
FACTOR_LOG10_WINDOW: tuple[float, float] = (-6.0, 2.0)
#: The |dC/db_j| panel adapts its log10 window to the values, but never spans more than this.
GRADIENT_MAX_DECADES = 24.0
#: ... and its ends are multiples of this many decades.
GRADIENT_DECADE_STEP = 4
#: Width and height (inches) of the picture's body (chain and three panels), and of the text
#: band above it that only the static picture carries (the live explorer shows that text in
#: HTML, which the browser renders far faster than Agg draws glyphs).
BODY_SIZE: tuple[float, float] = (9.6, 4.85)
TEXT_BAND = 0.95
#: Resolution of the picture: the live body is 864 x 436 pixels.
DPI = 90

_TICK, _LABEL, _TITLE = 9.0, 9.5, 10.5


def _power_of_ten(value: float, _pos: object = None) -> str:
    return f"$10^{{{int(round(value))}}}$"


def _sub(n: int) -> str:
    """``n`` in subscript digits (12 -> "₁₂"). Introduced in ``03-chain-of-neurons``."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _colours(L: int) -> list[str]:
    return [layer_colour(j) for j in range(1, L + 1)]


class _Axes:
    """Places axes in inches from the figure's bottom-left corner (one unit for x and y)."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.width, self.height = figure.get_size_inches()

    def __call__(self, x: float, y: float, w: float, h: float) -> Axes:
        return self.figure.add_axes((x / self.width, y / self.height, w / self.width,
                                     h / self.height))


class _ChainPanel(Panel):
    """The chain itself: input, neurons in their layer colours, edges whose width grows with
    |w_j| (dashed where w_j < 0, grey where w_j = 0). Introduced in ``03-chain-of-neurons``."""

    def __init__(self, ax: Axes, max_depth: int) -> None:
        super().__init__()
        self.ax, self.max_depth = ax, max_depth
        ax.set_xlim(-0.35, 10.35)
        ax.set_ylim(-1.0, 1.0)
        ax.axis("off")
        ax.text(-0.3, 0.98, "the chain: neuron j in the colour of layer j; edge width grows with "
                "|wⱼ| (dashed: wⱼ < 0)", ha="left", va="top", fontsize=_LABEL, color=INK,
                style="italic")
        ax.scatter([0.0], [-0.1], s=190, marker="s", color=PALETTE["grey"], edgecolor=INK,
                   zorder=3)
        self._input = ax.text(0.0, -0.55, "", ha="center", va="top", fontsize=_LABEL, color=INK)
        slots = np.zeros(max_depth)
        self._neurons = ax.scatter(slots, slots, s=330, color="#ffffff", linewidth=2.6, zorder=3)
        self._numbers = [ax.text(0, -0.1, str(j), ha="center", va="center", fontsize=_LABEL,
                                 color=INK, zorder=4) for j in range(1, max_depth + 1)]
        with self.moving(ax):
            self._edges = LineCollection([], capstyle="butt", zorder=1)
            ax.add_collection(self._edges)
        self._depth: int | None = None
        self._a0: float | None = None

    @staticmethod
    def node_x(L: int) -> np.ndarray:
        return np.linspace(0.0, 10.0, L + 1)

    def update(self, state: Any, result: ChainGradients) -> None:
        L = int(state.depth)
        x = self.node_x(L)
        if L != self._depth:
            self._depth, self.stale = L, True
            self._neurons.set_offsets(np.column_stack([x[1:], np.full(L, -0.1)]))
            self._neurons.set_edgecolor(_colours(L))
            for k, t in enumerate(self._numbers):
                t.set_visible(k < L)
                if k < L:
                    t.set_position((x[k + 1], -0.1))
        if state.a0 != self._a0:
            self._a0, self.stale = float(state.a0), True
            self._input.set_text(f"a₀ = {float(state.a0):.2f}")
        w = np.asarray(state.w[:L], dtype=float)
        self._edges.set_segments([[(x[k] + 0.2, -0.1), (x[k + 1] - 0.2, -0.1)] for k in range(L)])
        self._edges.set_linewidth(0.6 + 1.6 * np.log1p(np.abs(w)))
        self._edges.set_linestyle(["--" if v < 0 else "-" for v in w])
        self._edges.set_colors([PALETTE["grey"] if v == 0 else INK for v in w])


class _SigmaPrimePanel(Panel):
    """sigma'(z) with each z_j as a dot in its layer's colour (beyond the window: a triangle).
    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, ax: Axes) -> None:
        super().__init__()
        self.ax = ax
        zz = np.linspace(*Z_WINDOW, 401)
        ax.plot(zz, sigmoid_prime(zz), color=INK, lw=1.3)
        ax.axhline(0.25, color=INK, lw=0.7, ls="--")
        ax.text(Z_WINDOW[1] - 0.3, 0.253, "max 1/4", ha="right", va="bottom", fontsize=_TICK,
                color=INK)
        ax.set_xlim(Z_WINDOW[0] - 0.8, Z_WINDOW[1] + 0.8)
        ax.set_ylim(0.0, 0.3)
        ax.set_xlabel("weighted input z", fontsize=_LABEL)
        ax.set_title("σ′(z) at each zⱼ", fontsize=_TITLE)
        with self.moving(ax):
            self._marks = ax.scatter([], [], s=46, edgecolor=INK, linewidth=0.6, zorder=3)
            self._lo = ax.scatter([], [], s=60, marker="<", edgecolor=INK, clip_on=False, zorder=3)
            self._hi = ax.scatter([], [], s=60, marker=">", edgecolor=INK, clip_on=False, zorder=3)
        self.clipped = False

    def update(self, state: Any, result: ChainGradients) -> None:
        lo, hi = Z_WINDOW
        z, colours = result.z, np.array(_colours(result.z.size))
        inside, below, above = (z >= lo) & (z <= hi), z < lo, z > hi
        self._marks.set_offsets(np.column_stack([z[inside], result.sigma_prime[inside]]))
        self._marks.set_facecolor(colours[inside].tolist())
        for scatter, where, x in ((self._lo, below, lo - 0.45), (self._hi, above, hi + 0.45)):
            scatter.set_offsets(np.column_stack([np.full(where.sum(), x),
                                                 0.012 + 0.022 * np.arange(where.sum())]))
            scatter.set_facecolor(colours[where].tolist())
        self.clipped = bool(below.any() or above.any())


class _FactorPanel(Panel):
    """Each factor |w_j sigma'(z_j)| as a dot on a log axis, with the lines at 1 and at 1/4.

    Below 1 a factor shrinks the gradient that passes through it, above 1 it grows it. Layer 1's
    factor is in no dC/db_j of the chain, so its dot is hollow.
    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, ax: Axes) -> None:
        super().__init__()
        self.ax = ax
        lo, hi = FACTOR_LOG10_WINDOW
        ax.set_ylim(lo, hi)
        ax.yaxis.set_major_locator(FixedLocator(np.arange(lo, hi + 1, 2.0).tolist()))
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        ax.axhspan(lo, 0.0, color=PALETTE["sky"], alpha=0.12, lw=0)
        ax.axhline(0.0, color=INK, lw=1.0)
        ax.axhline(math.log10(0.25), color=INK, lw=0.7, ls="--")
        for y, label in ((math.log10(0.25), "1/4"), (0.0, "1")):
            ax.text(1.02, y, label, transform=ax.get_yaxis_transform(), ha="left",
                    va="center", fontsize=_TICK, color=INK)
        ax.set_xlabel("layer j", fontsize=_LABEL)
        ax.set_title("|wⱼ σ′(zⱼ)|  (shaded, < 1: shrinks)", fontsize=_TITLE)
        with self.moving(ax):
            self._dots = ax.scatter([], [], s=52, linewidth=1.6, zorder=3)
            self._clip = ax.scatter([], [], s=64, marker="v", edgecolor=INK, clip_on=False,
                                    zorder=4)
        self.clipped = False

    def update(self, state: Any, result: ChainGradients) -> None:
        lo, hi = FACTOR_LOG10_WINDOW
        v = result.log10_abs_factors
        L = v.size
        colours = np.array(_colours(L))
        xs = np.arange(1, L + 1, dtype=float)
        clipped = (v < lo) | (v > hi)
        drawn = np.clip(v, lo, hi)
        face = colours.copy()
        face[0] = "#ffffff"  # layer 1's factor: in no dC/db_j of this chain
        keep = ~clipped
        self._dots.set_offsets(np.column_stack([xs[keep], drawn[keep]]))
        self._dots.set_facecolor(face[keep].tolist())
        self._dots.set_edgecolor(colours[keep].tolist())
        self._clip.set_offsets(np.column_stack([xs[clipped],
                                                np.where(v[clipped] > hi, hi - 0.25, lo + 0.25)]))
        self._clip.set_facecolor(colours[clipped].tolist())
        self.clipped = bool(clipped.any())


class _GradientPanel(Panel):
    """|dC/db_j| on a log axis whose window follows the values (at most 24 decades).
    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, ax: Axes) -> None:
        super().__init__()
        self.ax = ax
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        ax.set_xlabel("layer j", fontsize=_LABEL)
        with self.moving(ax):
            (self._line,) = ax.plot([], [], "-", color=INK, lw=1.0, zorder=2)
            self._dots = ax.scatter([], [], s=46, edgecolor=INK, linewidth=0.6, zorder=3)
            self._clip = ax.scatter([], [], s=64, marker="v", edgecolor=INK, clip_on=False,
                                    zorder=4)
        self._window: tuple[float, float] | None = None
        self.clipped = False

    def update(self, state: Any, result: ChainGradients) -> None:
        v = result.log10_abs_dC_db
        L = v.size
        finite = np.isfinite(v)
        # The window snaps to multiples of GRADIENT_DECADE_STEP decades, so that it (and the
        # background, which then has to be redrawn) changes only now and then while a slider
        # moves, and it is still a function of the setting alone.
        q = GRADIENT_DECADE_STEP
        top = q * math.ceil((float(np.max(v[finite])) + 0.3) / q) if finite.any() else 0.0
        bottom = (q * math.floor((float(np.min(v[finite])) - 0.3) / q) if finite.any()
                  else top - q)
        bottom = max(bottom, top - GRADIENT_MAX_DECADES)
        window = (float(bottom), float(top))
        if window != self._window:
            self.ax.set_ylim(*window)
            self._window, self.stale = window, True
        clipped = v < bottom
        drawn = np.where(clipped, bottom, v)
        xs = np.arange(1, L + 1, dtype=float)
        colours = np.array(_colours(L))
        self._line.set_data(xs, drawn)
        self._dots.set_offsets(np.column_stack([xs[~clipped], drawn[~clipped]]))
        self._dots.set_facecolor(colours[~clipped].tolist())
        self._clip.set_offsets(np.column_stack([xs[clipped], np.full(clipped.sum(),
                                                bottom + 0.04 * (top - bottom))]))
        self._clip.set_facecolor(colours[clipped].tolist())
        self.clipped = bool(clipped.any())


class _LayerAxesPanel(Panel):
    """The layer-j axes of the factor and gradient panels and the gradient title (per depth).
    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, factor_ax: Axes, gradient_ax: Axes) -> None:
        super().__init__()
        self.axes = (factor_ax, gradient_ax)
        self._depth: int | None = None

    def update(self, state: Any, result: ChainGradients) -> None:
        L = result.z.size
        if L == self._depth:
            return
        self._depth, self.stale = L, True
        ticks = np.arange(1, L + 1)
        for ax in self.axes:
            ax.set_xlim(0.4, L + 0.6)
            ax.xaxis.set_major_locator(FixedLocator(ticks.tolist()))
        self.axes[1].set_title(f"|∂C/∂bⱼ| when ∂C/∂a{_sub(L)} = 1", fontsize=_TITLE)


class _NotePanel(Panel):
    """One line under the panels naming what is drawn at an axis edge (or nothing).
    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, figure: Figure, height: float, sigma: _SigmaPrimePanel,
                 factors: _FactorPanel, grads: _GradientPanel) -> None:
        super().__init__()
        self._sources = ((sigma, f"◀ ▶ zⱼ beyond ±{Z_WINDOW[1]:g}"),
                         (factors, f"▼ factor below 10^{FACTOR_LOG10_WINDOW[0]:.0f} (or 0)"),
                         (grads, "▼ |∂C/∂bⱼ| below the axis (or 0)"))
        self._text = figure.text(0.012, 0.06 / height, "", ha="left", va="bottom",
                                 fontsize=_TICK, color=INK, style="italic")

    def update(self, state: Any, result: ChainGradients) -> None:
        notes = [text for panel, text in self._sources if panel.clipped]
        text = ("drawn at the axis edge, exact values in the readout:  " + "  ·  ".join(notes)
                if notes else "")
        if text != self._text.get_text():
            self._text.set_text(text)
            self.stale = True


class _EquationPanel(Panel):
    """Static pictures only: eq. (122) with the numbers in, on two aligned lines, and the
    first-to-last ratio in words. Introduced in ``03-chain-of-neurons``."""

    def __init__(self, figure: Figure, top: float) -> None:
        super().__init__()
        self.figure, self.top = figure, top
        kw: dict[str, Any] = {"va": "top", "ha": "left", "color": INK, "family": "DejaVu Sans Mono"}
        self._symbols = figure.text(0.012, top, "", **kw)
        self._numbers = figure.text(0.012, top, "", **kw)
        self._ratio = figure.text(0.012, top, "", va="top", ha="left", color=INK,
                                  fontsize=_TITLE)

    def update(self, state: Any, result: ChainGradients) -> None:
        values = chain_readouts(result)
        lhs, symbols, numbers, value = values["equation"].replace("σ'", "σ′").split(" = ")
        line1 = f"{lhs} = {symbols}"
        line2 = f"{' ' * len(lhs)} = {numbers} = {value}"
        width_in = self.figure.get_size_inches()[0]
        size = min(10.5, 0.96 * width_in * 72 / (0.61 * max(len(line1), len(line2))))
        height_in = self.figure.get_size_inches()[1]
        step = 1.45 * size / 72 / height_in
        for text, line, k in ((self._symbols, line1, 0), (self._numbers, line2, 1)):
            text.set_text(line)
            text.set_fontsize(size)
            text.set_y(self.top - k * step)
        L = result.z.size
        self._ratio.set_y(self.top - 2 * step - 0.06 / height_in)
        self._ratio.set_text(f"dC/db1 ÷ dC/db{L} = {values['ratio_1_L']}:  {speed_words(result)}")
        self.stale = True


#: The deepest chain a picture draws (one node per neuron across a fixed width).
PICTURE_MAX_DEPTH = 100


class ChainPicture(Picture):
    """One matplotlib figure (Agg) of a chain, created once and redrawn in place (figure 3.4).

    Parameters
    ----------
    max_depth : int
        The deepest chain this picture will show.
    dpi : float
        Resolution (the size in inches is fixed: ``BODY_SIZE``, plus ``TEXT_BAND`` on top when
        not live).
    live : bool
        True for the explorer (moving artists blitted over a cached background, the equation
        left to the explorer's HTML); False for a static picture (equation and ratio included).

    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, max_depth: int = EXPLORER_MAX_DEPTH, dpi: float = DPI, *,
                 live: bool = True) -> None:
        if not isinstance(max_depth, int) or isinstance(max_depth, bool) \
                or not 1 <= max_depth <= PICTURE_MAX_DEPTH:
            raise ValueError(f"max_depth must be a positive integer (at most "
                             f"{PICTURE_MAX_DEPTH}, the most neurons a picture can show); "
                             f"got {max_depth!r}")
        dpi = finite_float("dpi", dpi)
        if not 10.0 <= dpi <= 600.0:
            raise ValueError(f"dpi must lie in [10, 600]; got {dpi!r}")
        live = flag("live", live)
        self.max_depth = max_depth
        band = 0.0 if live else TEXT_BAND
        height = BODY_SIZE[1] + band
        fig = new_figure((BODY_SIZE[0], height), dpi)
        place = _Axes(fig)
        chain = _ChainPanel(place(0.25, 3.72, 9.1, 1.08), max_depth)
        sigma = _SigmaPrimePanel(place(0.55, 0.78, 2.55, 2.45))
        factor_ax, gradient_ax = place(3.85, 0.78, 2.4, 2.45), place(7.0, 0.78, 2.4, 2.45)
        factors, grads = _FactorPanel(factor_ax), _GradientPanel(gradient_ax)
        panels: list[Panel] = [chain, sigma, factors, grads,
                               _LayerAxesPanel(factor_ax, gradient_ax),
                               _NotePanel(fig, height, sigma, factors, grads)]
        if not live:
            panels.append(_EquationPanel(fig, 1.0 - 0.08 / height))
        for ax in (sigma.ax, factor_ax, gradient_ax):
            ax.tick_params(labelsize=_TICK)
            ax.grid(alpha=0.3)
        super().__init__(fig, panels, live=live)

    def update(self, state: Any, result: ChainGradients) -> None:
        """Move every artist to show ``state`` (a Chain, or anything with ``depth``, ``w``,
        ``a0``) and its gradients ``result`` (:func:`chapter5.chain.gradients`)."""
        result = _check_gradients(result, "result")
        if isinstance(state, (bool, np.bool_)) or not isinstance(getattr(state, "depth", None),
                                                                 (int, np.integer)):
            raise TypeError(f"state must be a Chain (or a state with depth, w, a0); got "
                            f"{type(state).__name__}")
        L = result.z.size
        if int(state.depth) != L:
            raise ValueError(f"result must be the gradients of state (depth {state.depth}); "
                             f"got depth {L}")
        if L > self.max_depth:
            raise ValueError(f"this picture shows chains up to depth {self.max_depth}; got {L}")
        super().update(state, result)

    def show(self, chain: Chain, dC_daL: float = 1.0) -> ChainGradients:
        """Compute the gradients of ``chain``, update the picture and return the gradients."""
        g = gradients(_check_chain(chain), _check_dC_daL(dC_daL))
        self.update(chain, g)
        return g


def static_chain_figure(chain: Chain | None = None) -> Figure:
    """The explorer's picture at one setting (default: the explorer's opening chain), with
    eq. (122) and the ratio on top: figure 3.4. Introduced in ``03-chain-of-neurons``."""
    chain = explorer_typical_chain(EXPLORER_DEFAULT_DEPTH) if chain is None \
        else _check_chain(chain)
    if chain.depth > PICTURE_MAX_DEPTH:
        raise ValueError(f"chain must have at most {PICTURE_MAX_DEPTH} layers to be drawn; "
                         f"got {chain.depth}")
    picture = ChainPicture(max_depth=max(EXPLORER_MAX_DEPTH, chain.depth), live=False)
    picture.show(chain)
    return picture.figure


__all__ = [
    "BODY_SIZE",
    "ChainPicture",
    "DPI",
    "FACTOR_LOG10_WINDOW",
    "GRADIENT_MAX_DECADES",
    "PICTURE_MAX_DEPTH",
    "TEXT_BAND",
    "Z_WINDOW",
    "static_chain_figure",
]
