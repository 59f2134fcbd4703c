"""Pictures and the live explorer for a chain of single sigmoid neurons (Nielsen ch. 5, eq. 122).

Everything here draws numbers that :mod:`chapter5.chain` computes; nothing is recomputed. Magnitudes
are drawn from the chain module's base-10 logarithms, so no setting a slider can reach turns a
picture into 0 or inf. Introduced in ``03-chain-of-neurons``.

Public pieces
-------------
* :func:`sigmoid_figure` -- sigma and sigma' with the maximum sigma'(0) = 1/4 marked.
* :func:`weight_draw_figure` -- the N(0, 1) density with |w| < 1 shaded, beside a seeded sample.
* :func:`db1_vs_db3_figure` -- dC/db_1 and dC/db_3 as rows of factors, the extra ones marked.
* :class:`ChainPicture` -- ONE persistent matplotlib figure (Agg) of a chain, redrawn in place.
* :func:`static_chain_figure` -- that picture at one setting, for the static book.
* :func:`readout_strings` / :func:`readout_html` -- the readout, strings from
  :mod:`chapter5.readout`, keyed as in the widget DOM contract.
* :class:`ChainExplorer` -- the ipywidgets explorer (sliders, presets, picture, readout).
"""

from __future__ import annotations

import html
import io
import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from chapter5.activations import sigmoid, sigmoid_prime
from chapter5.chain import (
    EXPLORER_A0,
    EXPLORER_DEFAULT_DEPTH,
    EXPLORER_MAX_DEPTH,
    EXPLORER_SEED,
    Chain,
    ChainGradients,
    balanced_chain,
    exploding_chain,
    explorer_typical_chain,
    gradients,
    product_equation,
)
from chapter5.readout import format_float, format_signed_log10
from chapter5.viz.picture import Picture
from chapter5.viz.style import INK, PALETTE, apply_style

# ---------------------------------------------------------------------------------------------
# Slider ranges and drawing limits (shared with the web explorer's defaults)

#: (min, max, step) of the explorer's sliders.
W_RANGE: tuple[float, float, float] = (-100.0, 100.0, 0.01)
B_RANGE: tuple[float, float, float] = (-150.0, 150.0, 0.01)
A0_RANGE: tuple[float, float, float] = (-1.0, 1.0, 0.01)

#: The sigma' panel shows z in this window; z_j outside is drawn at the edge (clipped).
Z_WINDOW: tuple[float, float] = (-10.0, 10.0)
#: log10 window of the factor panel; factors outside are drawn at the edge (clipped).
FACTOR_LOG10_WINDOW: tuple[float, float] = (-6.0, 2.0)
#: The |dC/db_j| panel adapts its log10 window to the values, but never spans more than this.
GRADIENT_MAX_DECADES = 24.0

PRESETS: tuple[str, ...] = ("typical", "exploding", "balanced")

#: Width and height (inches) of the picture's body (chain and three panels), and of the text
#: band above it that only the static picture carries (the live explorer shows that text in
#: HTML, which the browser renders far faster than Agg draws glyphs).
BODY_SIZE: tuple[float, float] = (9.6, 4.85)
TEXT_BAND = 1.35
#: Resolution of the picture: the live body is 864 x 437 pixels.
DPI = 90

_SIGN_COLOUR = {1.0: PALETTE["blue"], -1.0: PALETTE["vermillion"], 0.0: PALETTE["grey"]}
_SHRINK, _GROW, _KEEP = PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"]


def _power_of_ten(value: float, _pos: object = None) -> str:
    return f"$10^{{{int(round(value))}}}$"


def _new_figure(figsize: tuple[float, float], dpi: float = 100) -> Figure:
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


# ---------------------------------------------------------------------------------------------
# Static figures for the derivation


def sigmoid_figure(z_max: float = 6.0, n: int = 601) -> Figure:
    """sigma(z) and sigma'(z) side by side, the maximum of sigma' found on the grid and marked.

    Parameters
    ----------
    z_max : float
        The z axis runs over [-z_max, z_max].
    n : int
        Number of grid points (odd, so that z = 0 is on the grid).

    Returns
    -------
    Figure with two axes; ``fig.axes[1]`` holds sigma'. Introduced in ``03-chain-of-neurons``.
    """
    if not (isinstance(z_max, (int, float)) and math.isfinite(z_max) and z_max > 0):
        raise ValueError(f"z_max must be a positive finite number; got {z_max!r}")
    if not (isinstance(n, int) and n >= 3 and n % 2 == 1):
        raise ValueError(f"n must be an odd integer >= 3 (so z = 0 is a grid point); got {n!r}")
    z = np.linspace(-z_max, z_max, n)
    s, sp = sigmoid(z), sigmoid_prime(z)
    k = int(np.argmax(sp))
    fig = _new_figure((8.0, 3.0))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(z, s, color=PALETTE["blue"], lw=2)
    ax1.set(xlabel="weighted input z", ylabel="σ(z)", title="sigmoid σ(z) = 1 / (1 + e^(−z))")
    ax1.set_ylim(-0.03, 1.03)
    ax2.plot(z, sp, color=PALETTE["vermillion"], lw=2)
    ax2.axhline(sp[k], color=INK, lw=0.8, ls="--")
    ax2.plot([z[k]], [sp[k]], "o", color=INK)
    ax2.annotate(
        f"maximum σ'({z[k]:.0f}) = {sp[k]:.4g}",
        (z[k], sp[k]),
        xytext=(0.03, 0.9),
        textcoords="axes fraction",
        ha="left",
        arrowprops={"arrowstyle": "->", "color": INK},
    )
    ax2.set(xlabel="weighted input z", ylabel="σ'(z)",
            title="its derivative σ'(z) = σ(z)(1 − σ(z))")
    ax2.set_ylim(0, 0.3)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return apply_style(fig)


def weight_draw_figure(sample: np.ndarray) -> Figure:
    """The N(0, 1) density with the part |w| < 1 shaded, and a histogram of ``sample``.

    Parameters
    ----------
    sample : ndarray, shape (n,)
        Weights drawn from N(0, 1) with a seeded Generator (the notebook shows the seed).

    Returns
    -------
    Figure with one axes. Introduced in ``03-chain-of-neurons``.
    """
    sample = np.asarray(sample, dtype=np.float64)
    if sample.ndim != 1 or sample.size == 0 or not np.all(np.isfinite(sample)):
        raise ValueError("sample must be a non-empty 1-D array of finite numbers")
    w = np.linspace(-4, 4, 801)
    pdf = np.exp(-0.5 * w**2) / math.sqrt(2 * math.pi)
    inside = np.abs(w) <= 1
    share = float(np.mean(np.abs(sample) < 1))
    fig = _new_figure((6.4, 3.0))
    ax = fig.add_subplot()
    ax.hist(sample, bins=np.linspace(-4, 4, 41), density=True, color=PALETTE["sky"], alpha=0.6,
            label=f"seeded sample of {sample.size} weights ({share:.1%} have |w| < 1)")
    ax.plot(w, pdf, color=PALETTE["blue"], lw=2, label="N(0, 1) density")
    ax.fill_between(w[inside], pdf[inside], color=PALETTE["blue"], alpha=0.25,
                    label=f"|w| < 1: probability {math.erf(1 / math.sqrt(2)):.4f}")
    ax.set(xlabel="weight w", ylabel="probability density", xlim=(-4, 4), ylim=(0, 0.62))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.17, top=0.95)
    return apply_style(fig)


def db1_vs_db3_figure(chain: Chain, dC_daL: float = 1.0) -> Figure:
    """dC/db_1 and dC/db_3 of a depth-4 chain as two aligned rows of factors (Nielsen ch. 5).

    The factors the two gradients share sit in the same columns; the two extra factors of
    dC/db_1, w_2 sigma'(z_2) and w_3 sigma'(z_3), are shaded and tagged "< 1/4" when their
    magnitude is below 1/4. Values come from :func:`chapter5.chain.gradients`.

    Parameters
    ----------
    chain : Chain of depth 4
    dC_daL : float
        dC/da_4 (default 1).

    Returns
    -------
    Figure with one axes. Introduced in ``03-chain-of-neurons``.
    """
    if not isinstance(chain, Chain) or chain.depth != 4:
        raise ValueError("chain must be a chapter5.chain.Chain of depth 4 (the chapter's example)")
    g = gradients(chain, dC_daL)

    def fmt(sign: float, log10_abs: float) -> str:
        return format_signed_log10(sign, log10_abs)

    sp = [fmt(1.0, math.log10(s)) for s in g.sigma_prime]
    f = [fmt(g.sign_factors[k], g.log10_abs_factors[k]) for k in range(4)]
    da = format_float(g.dC_daL)
    extra = [abs(g.factors[1]) < 0.25, abs(g.factors[2]) < 0.25]
    # columns: 0 sigma'(z1), 1 w2 s'(z2), 2 w3 s'(z3), 3 w4 s'(z4), 4 dC/da4
    row1 = [("σ'(z₁)", sp[0]), ("w₂σ'(z₂)", f[1]), ("w₃σ'(z₃)", f[2]), ("w₄σ'(z₄)", f[3]),
            ("∂C/∂a₄", da)]
    row3 = [None, None, ("σ'(z₃)", sp[2]), ("w₄σ'(z₄)", f[3]), ("∂C/∂a₄", da)]
    fig = _new_figure((9.0, 3.1))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, 9.0)
    ax.set_ylim(0, 3.1)
    ax.axis("off")
    x0, width, gap = 1.45, 1.0, 0.18
    for y, label, row, result in (
        (2.05, "∂C/∂b₁ =", row1, fmt(g.sign_dC_db[0], g.log10_abs_dC_db[0])),
        (0.75, "∂C/∂b₃ =", row3, fmt(g.sign_dC_db[2], g.log10_abs_dC_db[2])),
    ):
        ax.text(x0 - 0.1, y, label, ha="right", va="center", fontsize=12, color=INK)
        for col, cell in enumerate(row):
            if cell is None:
                continue
            x = x0 + col * (width + gap)
            is_extra = row is row1 and col in (1, 2)
            face = PALETTE["orange"] if is_extra else "#eef3f8"
            ax.add_patch(_box(x, y, width, face))
            ax.text(x + width / 2, y + 0.17, cell[0], ha="center", va="center", fontsize=10,
                    color=INK)
            ax.text(x + width / 2, y - 0.17, cell[1], ha="center", va="center", fontsize=9,
                    color=INK, family="monospace")
            if col < 4:
                ax.text(x + width + gap / 2, y, "×", ha="center", va="center", fontsize=11,
                        color=INK)
            if is_extra and extra[col - 1]:
                ax.text(x + width / 2, y + 0.55, "< 1/4", ha="center", va="center",
                        fontsize=11, color=PALETTE["vermillion"], weight="bold")
        xr = x0 + 5 * (width + gap)
        ax.text(xr - gap / 2 + 0.05, y, f"= {result}", ha="left", va="center", fontsize=12,
                color=INK, family="monospace")
    ratio = format_signed_log10(g.sign_dC_db[0] * g.sign_dC_db[2],
                                g.log10_abs_dC_db[0] - g.log10_abs_dC_db[2])
    ax.text(0.15, 0.12, f"∂C/∂b₁ ÷ ∂C/∂b₃ = {ratio}    (shaded: the two extra factors of ∂C/∂b₁)",
            ha="left", va="center", fontsize=10, color=INK)
    return apply_style(fig)


def _box(x: float, y: float, width: float, face: str) -> Any:
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((x, y - 0.38), width, 0.76, boxstyle="round,pad=0.02,rounding_size=0.08",
                          facecolor=face, edgecolor=INK, lw=0.8)


# ---------------------------------------------------------------------------------------------
# The readout


def readout_strings(g: ChainGradients) -> dict[str, str]:
    """The explorer's readout: every string exactly as :mod:`chapter5.readout` writes it.

    Keys (widget DOM contract): ``z_j``, ``factor_j`` (w_j sigma'(z_j)), ``dC_db_j`` for
    j = 1..L, ``ratio_1_L`` (dC/db_1 / dC/db_L) and ``equation`` (eq. 122 with numbers,
    :func:`chapter5.chain.product_equation`). Introduced in ``03-chain-of-neurons``.
    """
    out: dict[str, str] = {}
    for k in range(g.z.size):
        j = k + 1
        out[f"z_{j}"] = format_float(g.z[k])
        out[f"factor_{j}"] = format_signed_log10(g.sign_factors[k], g.log10_abs_factors[k])
        out[f"dC_db_{j}"] = format_signed_log10(g.sign_dC_db[k], g.log10_abs_dC_db[k])
    out["ratio_1_L"] = _ratio_string(g)
    out["equation"] = product_equation(g)
    return out


def _ratio_string(g: ChainGradients) -> str:
    return format_signed_log10(g.sign_dC_db[0] * g.sign_dC_db[-1], g.log10_ratio_first_last)


def _speed_words(g: ChainGradients) -> str:
    """How the first layer's learning speed compares with the last layer's, in words."""
    L = g.z.size
    r = g.log10_ratio_first_last
    if L == 1:
        return "a single neuron: nothing to compare"
    if g.sign_dC_db[0] == 0:
        return "layer 1 gets no gradient at all: some wⱼ is exactly 0"
    if abs(r) < 1e-9:
        return f"layer 1 and layer {L} learn at the same speed"
    speed = "slower" if r < 0 else "faster"
    return f"layer 1 learns 10^{abs(r):.2f} times {speed} than layer {L}"


def equation_html(g: ChainGradients) -> str:
    """Eq. (122) with the live numbers and the first-to-last ratio in words, as HTML (no
    ``data-key`` attributes: the readout carries those). Introduced in ``03-chain-of-neurons``.
    """
    L = g.z.size
    return (
        '<div style="line-height: 1.5">'
        f"<code>{html.escape(product_equation(g), quote=False)}</code><br>"
        f"<b>∂C/∂b<sub>1</sub> ÷ ∂C/∂b<sub>{L}</sub> = {_ratio_string(g)}</b>"
        f" &nbsp;({html.escape(_speed_words(g), quote=False)})</div>"
    )


def readout_html(g: ChainGradients) -> str:
    """The readout as an HTML table whose cells carry ``data-key`` attributes.

    Introduced in ``03-chain-of-neurons``.
    """
    s = readout_strings(g)
    L = g.z.size

    pad = 'style="padding: 1px 0.7em; text-align: right"'

    def cell(key: str) -> str:
        return f'<td {pad} data-key="{key}">{html.escape(s[key], quote=False)}</td>'

    rows = "".join(
        f"<tr><td {pad}>{j}</td>{cell(f'z_{j}')}{cell(f'factor_{j}')}{cell(f'dC_db_{j}')}</tr>"
        for j in range(1, L + 1)
    )
    return (
        '<div class="c5-readout-body" style="font-variant-numeric: tabular-nums">'
        '<table style="border-collapse: collapse">'
        f"<thead><tr><th {pad}>j</th><th {pad}>z<sub>j</sub></th>"
        f"<th {pad}>w<sub>j</sub> σ′(z<sub>j</sub>)</th>"
        f"<th {pad}>∂C/∂b<sub>j</sub></th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<p>∂C/∂b<sub>1</sub> ÷ ∂C/∂b<sub>{L}</sub> = <b data-key="ratio_1_L">'
        f"{html.escape(s['ratio_1_L'], quote=False)}</b></p>"
        f'<p><code data-key="equation">{html.escape(s["equation"], quote=False)}</code></p>'
        "<p><small>The cost is C = a<sub>L</sub>, so ∂C/∂a<sub>L</sub> = 1: every gradient is "
        "in units of ∂C/∂a<sub>L</sub>.</small></p></div>"
    )


_KEY_RE = re.compile(r'data-key="([A-Za-z0-9_]+)">([^<]*)<')


def parse_readout(markup: str) -> dict[str, str]:
    """The ``data-key`` -> text pairs of a readout's HTML (what a browser test would read).

    Introduced in ``03-chain-of-neurons``.
    """
    return {k: html.unescape(v) for k, v in _KEY_RE.findall(markup)}


# ---------------------------------------------------------------------------------------------
# The persistent picture


def _wrap_equation(text: str, width: int) -> str:
    """Break eq. (122) with numbers into lines of at most ``width`` characters, only at
    ' × ' and ' = ' so that no factor is split."""
    tokens = re.split(r"( × | = )", text)
    lines, line = [], ""
    for tok in tokens:
        if line and len(line) + len(tok) > width and tok.strip() not in ("×", "="):
            lines.append(line.rstrip())
            line = "      " + tok.lstrip()
        else:
            line += tok
    lines.append(line)
    return "\n".join(lines)


class ChainPicture:
    """One matplotlib figure (Agg) of a chain, created once and redrawn in place.

    Panels: (static pictures only) eq. (122) with the live numbers and the dC/db_1 / dC/db_L
    ratio as text; the chain with edge widths growing with |w_j|; sigma'(z) with every z_j
    marked; each factor |w_j sigma'(z_j)| on a log axis; each |dC/db_j| on a log axis. Log axes
    are drawn from the base-10 logarithms of :func:`chapter5.chain.gradients`; values beyond an
    axis are drawn at its edge with a triangle, and a note under the picture says so.

    Parameters
    ----------
    max_depth : int
        The deepest chain this picture will show (artists for that many layers are made once).
    dpi : float
        Resolution (the size in inches is fixed: ``BODY_SIZE``, plus ``TEXT_BAND`` on top when
        not live).
    live : bool
        True for the explorer: the moving artists are redrawn over a cached background and the
        equation text is left to the explorer's HTML. False for a static picture (all drawn
        normally, equation and ratio included).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The one figure; its identity never changes.

    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(
        self,
        max_depth: int = EXPLORER_MAX_DEPTH,
        dpi: float = DPI,
        *,
        live: bool = True,
    ) -> None:
        if not isinstance(max_depth, int) or max_depth < 1:
            raise ValueError(f"max_depth must be a positive integer; got {max_depth!r}")
        self.max_depth = max_depth
        self.live = bool(live)
        self._depth: int | None = None
        self._background: Any = None  # pixels of everything that does not move (live mode)
        band = 0.0 if self.live else TEXT_BAND
        height = BODY_SIZE[1] + band
        fig = self.figure = _new_figure((BODY_SIZE[0], height), dpi)

        def rect(x: float, y_in: float, w: float, h_in: float) -> tuple[float, ...]:
            # x and width as figure fractions, y and height in inches from the bottom
            return (x, y_in / height, w, h_in / height)

        n = max_depth
        ones = np.ones(n)
        slots = np.arange(1, n + 1, dtype=float)

        # --- text at the top (static pictures only): the equation and the ratio
        self._top = 1.0 - 0.09 / height
        self._line = 0.19 / height
        self._equation = fig.text(0.012, self._top, "", va="top", ha="left", fontsize=9.5,
                                  color=INK, linespacing=1.25, visible=not self.live)
        self._ratio = fig.text(0.012, 0.0, "", va="top", ha="left", fontsize=10,
                               color=INK, weight="bold", visible=not self.live)

        # --- the chain
        ax = self._ax_chain = fig.add_axes(rect(0.03, 3.53, 0.94, 1.24))
        ax.set_xlim(-0.35, 10.35)
        ax.set_ylim(-1.0, 1.0)
        ax.axis("off")
        self._edges = LineCollection([], capstyle="butt", zorder=1)
        ax.add_collection(self._edges)
        self._input = ax.scatter([0.0], [0.0], s=170, marker="s", color=PALETTE["grey"],
                                 edgecolor=INK, zorder=3)
        self._neurons = ax.scatter(slots, 0 * slots, s=300, color="#ffffff", edgecolor=INK,
                                   linewidth=1.2, zorder=3)
        self._input_label = ax.text(0.0, -0.55, "", ha="center", va="top", fontsize=8, color=INK)
        self._node_labels = [ax.text(0, 0, str(j), ha="center", va="center", fontsize=8,
                                     color=INK, zorder=4) for j in range(1, n + 1)]
        self._z_labels = [ax.text(0, -0.55, "", ha="center", va="top", fontsize=7.5, color=INK)
                          for _ in range(n)]
        self._w_labels = [ax.text(0, 0.42, "", ha="center", va="bottom", fontsize=7.5,
                                  color=INK) for _ in range(n)]
        ax.text(-0.3, 0.98, "the chain: edge width grows with |wⱼ| (blue: w > 0, vermillion: "
                "w < 0); under each neuron its zⱼ", ha="left", va="top", fontsize=8,
                color=INK, style="italic")

        # --- sigma'(z) with the z_j marked
        ax = self._ax_sp = fig.add_axes(rect(0.065, 0.74, 0.255, 2.23))
        zz = np.linspace(*Z_WINDOW, 401)
        ax.plot(zz, sigmoid_prime(zz), color=INK, lw=1.3)
        ax.axhline(0.25, color=INK, lw=0.7, ls="--")
        ax.text(Z_WINDOW[1] - 0.3, 0.253, "max 1/4", ha="right", va="bottom", fontsize=7.5,
                color=INK)
        ax.set_xlim(Z_WINDOW[0] - 0.6, Z_WINDOW[1] + 0.6)
        ax.set_ylim(0.0, 0.3)
        ax.set_xlabel("weighted input z", fontsize=8.5)
        ax.set_title("σ'(z) at every zⱼ", fontsize=9)
        self._z_marks = ax.scatter(slots, 0 * slots, s=30, color=PALETTE["vermillion"],
                                   edgecolor=INK, linewidth=0.5, zorder=3)
        self._z_clip_lo, = ax.plot([], [], "<", color=PALETTE["vermillion"], ms=7, mec=INK,
                                   clip_on=False)
        self._z_clip_hi, = ax.plot([], [], ">", color=PALETTE["vermillion"], ms=7, mec=INK,
                                   clip_on=False)
        self._z_texts = [ax.text(0, 0, "", ha="center", va="bottom", fontsize=7, color=INK)
                         for _ in range(n)]

        # --- factors on a log axis, bars hanging from 1
        ax = self._ax_f = fig.add_axes(rect(0.405, 0.74, 0.245, 2.23))
        lo, hi = FACTOR_LOG10_WINDOW
        ax.set_ylim(lo, hi)
        ax.yaxis.set_major_locator(FixedLocator(np.arange(lo, hi + 1, 2.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        ax.axhline(0.0, color=INK, lw=0.9)
        ax.axhline(math.log10(0.25), color=INK, lw=0.7, ls="--")
        ax.text(1.01, math.log10(0.25), "1/4", transform=ax.get_yaxis_transform(),
                ha="left", va="center", fontsize=7.5, color=INK)
        ax.text(1.01, 0.0, "1", transform=ax.get_yaxis_transform(), ha="left", va="center",
                fontsize=7.5, color=INK)
        self._bars = ax.bar(slots, 0 * ones, width=0.7, bottom=0.0, zorder=2)
        self._f_tips, = ax.plot([], [], "o", color=INK, ms=3.5, zorder=3)
        self._f_clip, = ax.plot([], [], "v", color=INK, ms=7, zorder=4, clip_on=False)
        ax.set_xlabel("layer j", fontsize=8.5)
        ax.set_title("|wⱼ σ'(zⱼ)| (bars from 1)", fontsize=9)

        # --- |dC/db_j| on a log axis
        ax = self._ax_g = fig.add_axes(rect(0.735, 0.74, 0.245, 2.23))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        self._g_line, = ax.plot([], [], "-o", color=PALETTE["blue"], ms=4.5, lw=1.5, zorder=3)
        self._g_clip, = ax.plot([], [], "v", color=PALETTE["blue"], ms=7, mec=INK, zorder=4,
                                clip_on=False)
        ax.set_xlabel("layer j", fontsize=8.5)
        ax.set_title("|∂C/∂bⱼ|", fontsize=9)
        self._g_window: tuple[float, float] | None = None

        for a in (self._ax_sp, self._ax_f, self._ax_g):
            a.tick_params(labelsize=7.5)
            a.grid(alpha=0.3)

        self._note = fig.text(0.012, 0.07 / height, "", ha="left", va="bottom", fontsize=7.5,
                              color=INK, style="italic")
        apply_style(fig)
        # Artists that change with every slider move. In live mode they are "animated": a full
        # draw leaves them out, and :meth:`png` draws them over a cached background (blitting).
        self._moving: list[Any] = [
            self._edges, *self._z_labels, *self._w_labels,
            self._input_label, self._z_marks, self._z_clip_lo, self._z_clip_hi, *self._z_texts,
            *self._bars, self._f_tips, self._f_clip, self._g_line, self._g_clip, self._note,
        ]
        for artist in self._moving:
            artist.set_animated(self.live)

    # -----------------------------------------------------------------------------------------
    def update(self, chain: Chain, g: ChainGradients) -> None:
        """Move every artist to show ``chain`` and its gradients ``g`` (from
        :func:`chapter5.chain.gradients`)."""
        L = g.z.size
        if chain.depth != L:
            raise ValueError(
                f"g must be the gradients of chain (depth {chain.depth}); got depth {L}"
            )
        if L > self.max_depth:
            raise ValueError(f"this picture shows chains up to depth {self.max_depth}; got {L}")
        if L != self._depth:
            self._set_depth(L)
        notes: list[str] = []
        if not self.live:
            self._update_text(g)
        self._update_chain(chain, g)
        if self._update_sigma_prime(g):
            notes.append(f"◀ ▶ zⱼ beyond ±{Z_WINDOW[1]:g}")
        if self._update_factors(g):
            notes.append(f"▼ factor below 10^{FACTOR_LOG10_WINDOW[0]:.0f} (or 0)")
        if self._update_gradients(g):
            notes.append("▼ |∂C/∂bⱼ| below the axis (or 0)")
        self._note.set_text(
            ("drawn at the axis edge, exact values in the readout:  " + "  ·  ".join(notes))
            if notes else ""
        )

    def _set_depth(self, L: int) -> None:
        self._depth = L
        x = self._node_x(L)
        self._neurons.set_offsets(np.column_stack([x[1:], np.zeros(L)]))
        for k in range(self.max_depth):
            visible = k < L
            self._node_labels[k].set_visible(visible)
            self._z_labels[k].set_visible(visible)
            self._w_labels[k].set_visible(visible)
            self._bars[k].set_visible(visible)
            if visible:
                self._node_labels[k].set_position((x[k + 1], 0.0))
                self._z_labels[k].set_position((x[k + 1], -0.5))
                self._w_labels[k].set_position(((x[k] + x[k + 1]) / 2, 0.16))
        ticks = np.arange(1, L + 1)
        for ax in (self._ax_f, self._ax_g):
            ax.set_xlim(0.4, L + 0.6)
            ax.xaxis.set_major_locator(FixedLocator(ticks if L <= 10 else ticks[:: (L // 10) + 1]))
        self._ax_g.set_title(f"|∂C/∂bⱼ| when ∂C/∂a{_sub(L)} = 1", fontsize=9)
        self._background = None

    @staticmethod
    def _node_x(L: int) -> np.ndarray:
        return np.linspace(0.0, 10.0, L + 1)

    def _update_text(self, g: ChainGradients) -> None:
        equation = _wrap_equation(product_equation(g).replace("σ'", "σ′"), 118)
        self._equation.set_text(equation)
        n_lines = equation.count("\n") + 1
        self._ratio.set_y(self._top - self._line * (n_lines + 0.6))
        L = g.z.size
        self._ratio.set_text(f"∂C/∂b₁ ÷ ∂C/∂b{_sub(L)} = {_ratio_string(g)}   ({_speed_words(g)})")

    def _update_chain(self, chain: Chain, g: ChainGradients) -> None:
        L = g.z.size
        x = self._node_x(L)
        w = chain.w
        segs = [[(x[k] + 0.17, 0.0), (x[k + 1] - 0.17, 0.0)] for k in range(L)]
        self._edges.set_segments(segs)
        self._edges.set_linewidths(0.6 + 1.6 * np.log1p(np.abs(w)))
        self._edges.set_colors([_SIGN_COLOUR[float(s)] for s in g.sign_factors])
        self._input_label.set_text(f"a₀ = {g.a[0]:.2f}")
        for k in range(L):
            self._z_labels[k].set_text(f"z={g.z[k]:.2f}")
            self._w_labels[k].set_text(f"w={w[k]:.2f}")

    def _update_sigma_prime(self, g: ChainGradients) -> bool:
        lo, hi = Z_WINDOW
        z = g.z
        inside = (z >= lo) & (z <= hi)
        self._z_marks.set_offsets(np.column_stack([z[inside], g.sigma_prime[inside]]))
        below, above = z < lo, z > hi
        self._z_clip_lo.set_data(np.full(below.sum(), lo - 0.35), np.full(below.sum(), 0.012))
        self._z_clip_hi.set_data(np.full(above.sum(), hi + 0.35), np.full(above.sum(), 0.012))
        # one label per cluster of nearby z_j, e.g. "1,2,3,4" for the exploding chain
        zc = np.clip(z, lo - 0.35, hi + 0.35)
        order = np.argsort(zc, kind="stable")
        clusters: list[list[int]] = []
        for k in order:
            if clusters and abs(zc[k] - zc[clusters[-1][0]]) < 1.2:
                clusters[-1].append(int(k))
            else:
                clusters.append([int(k)])
        for t in self._z_texts:
            t.set_visible(False)
        for t, members in zip(self._z_texts, clusters, strict=False):
            k0 = members[0]
            y = g.sigma_prime[k0] if inside[k0] else 0.012
            t.set_position((zc[k0], y + 0.012))
            t.set_text(",".join(str(m + 1) for m in sorted(members)))
            t.set_visible(True)
        return bool(below.any() or above.any())

    def _update_factors(self, g: ChainGradients) -> bool:
        lo, hi = FACTOR_LOG10_WINDOW
        L = g.z.size
        v = g.log10_abs_factors
        drawn = np.clip(v, lo, hi)
        clipped = (v < lo) | (v > hi)
        for k in range(L):
            bar = self._bars[k]
            bar.set_height(drawn[k])
            if k == 0:
                colour = PALETTE["grey"]  # w_1 sigma'(z_1) is in no dC/db_j of this chain
            elif abs(v[k]) < 1e-12:
                colour = _KEEP
            else:
                colour = _SHRINK if v[k] < 0 else _GROW
            bar.set_facecolor(colour)
        xs = np.arange(1, L + 1, dtype=float)
        self._f_tips.set_data(xs[~clipped], drawn[~clipped])
        self._f_clip.set_data(xs[clipped], np.full(clipped.sum(), lo + 0.25))
        return bool(clipped.any())

    def _update_gradients(self, g: ChainGradients) -> bool:
        L = g.z.size
        v = g.log10_abs_dC_db
        finite = np.isfinite(v)
        top = math.ceil(float(np.max(v[finite])) + 0.3) if finite.any() else 0.0
        bottom = math.floor(float(np.min(v[finite])) - 0.3) if finite.any() else top - 4
        bottom = max(bottom, top - GRADIENT_MAX_DECADES)
        if top - bottom < 4:
            bottom = top - 4
        window = (float(bottom), float(top))
        if window != self._g_window:
            self._ax_g.set_ylim(*window)
            self._g_window = window
            self._background = None
        clipped = v < bottom
        drawn = np.where(clipped, bottom, v)
        xs = np.arange(1, L + 1, dtype=float)
        self._g_line.set_data(xs, drawn)
        self._g_clip.set_data(xs[clipped], np.full(clipped.sum(), bottom + 0.04 * (top - bottom)))
        return bool(clipped.any())

    # -----------------------------------------------------------------------------------------
    def show(self, chain: Chain, dC_daL: float = 1.0) -> ChainGradients:
        """Compute the gradients of ``chain`` and update the picture; return the gradients."""
        g = gradients(chain, dC_daL)
        self.update(chain, g)
        return g

    def png(self) -> bytes:
        """Render the figure as it is now to PNG bytes (fixed size, no tight bounding box).

        In live mode only the moving artists are drawn, over a cached picture of the rest
        (refreshed when the depth or the |dC/db_j| axis window changes); the figure is never
        re-created.
        """
        canvas = self.figure.canvas
        if not self.live:
            buf = io.BytesIO()
            canvas.print_png(buf, pil_kwargs={"compress_level": 1})
            return buf.getvalue()
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._moving:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        rgb = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA",
                                   0, 1).convert("RGB")
        buf = io.BytesIO()
        rgb.save(buf, format="png", compress_level=1)
        return buf.getvalue()


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def static_chain_figure(chain: Chain | None = None) -> Figure:
    """The explorer's picture at one setting (default: the explorer's opening chain).

    Returns the :class:`ChainPicture`'s figure, for notebooks and the static book.
    Introduced in ``03-chain-of-neurons``.
    """
    chain = explorer_typical_chain(EXPLORER_DEFAULT_DEPTH) if chain is None else chain
    picture = ChainPicture(max_depth=max(EXPLORER_MAX_DEPTH, chain.depth), live=False)
    picture.show(chain)
    return picture.figure


# ---------------------------------------------------------------------------------------------
# The explorer


def preset_chain(name: str, depth: int = EXPLORER_MAX_DEPTH) -> Chain:
    """The chain a preset button sets (all ``depth`` layers, ``a0 = EXPLORER_A0``).

    ``"typical"``: :func:`chapter5.chain.explorer_typical_chain` (N(0, 1) draws, seed
    ``EXPLORER_SEED``, rounded to the sliders' 0.01 step); ``"exploding"``: w = 100 and every
    z_j = 0; ``"balanced"``: w = 4 and every z_j = 0, so every factor is 1.
    Introduced in ``03-chain-of-neurons``.
    """
    if name == "typical":
        return explorer_typical_chain(depth)
    if name == "exploding":
        return exploding_chain(depth, a0=EXPLORER_A0, w=100.0)
    if name == "balanced":
        return balanced_chain(depth, a0=EXPLORER_A0)
    raise ValueError(f"name must be one of {', '.join(PRESETS)}; got {name!r}")


class ChainExplorer:
    """The live chain explorer: sliders for every w_j, b_j, a_0 and the depth, three presets,
    one picture redrawn in place and a readout.

    Widgets carry the CSS classes of the widget DOM contract (``c5-slider-w1``...,
    ``c5-preset-typical``..., ``c5-readout``, ``c5-figure``). Display it with
    ``display(explorer)`` or ``explorer.widget``.

    Parameters
    ----------
    depth : int
        Depth to open at (1..EXPLORER_MAX_DEPTH).
    preset : str
        Preset to open with (default "typical").

    Attributes
    ----------
    sliders : dict[str, ipywidgets.FloatSlider | ipywidgets.IntSlider]
        Keys ``"w1"``..``"w10"``, ``"b1"``..``"b10"``, ``"a0"``, ``"depth"``.
    buttons : dict[str, ipywidgets.Button]
        Keys ``"typical"``, ``"exploding"``, ``"balanced"``.
    picture : ChainPicture
        Its ``figure`` is created once and never replaced.
    image : chapter5.viz.picture.Picture
        The picture as PNG.
    readout : ipywidgets.HTML
    widget : ipywidgets.VBox
        Everything, laid out.
    render_count : int
        How many times the picture was rendered (a preset renders once).

    Introduced in ``03-chain-of-neurons``.
    """

    def __init__(self, depth: int = EXPLORER_DEFAULT_DEPTH, preset: str = "typical") -> None:
        if not isinstance(depth, int) or not 1 <= depth <= EXPLORER_MAX_DEPTH:
            raise ValueError(
                f"depth must be an integer from 1 to {EXPLORER_MAX_DEPTH}; got {depth!r}"
            )
        start = preset_chain(preset)
        n = EXPLORER_MAX_DEPTH
        self._holding = 0
        self.render_count = 0
        self.picture = ChainPicture(max_depth=n)
        self.sliders: dict[str, widgets.FloatSlider | widgets.IntSlider] = {}

        def slider(key: str, label: str, value: float, rng: tuple[float, float, float]) -> Any:
            s = widgets.FloatSlider(
                value=float(value), min=rng[0], max=rng[1], step=rng[2], description=label,
                continuous_update=True, readout_format=".2f",
                style={"description_width": "2.2em"},
                layout=widgets.Layout(width="275px"),
            )
            s.add_class(f"c5-slider-{key}")
            self.sliders[key] = s
            return s

        self._rows: list[widgets.HBox] = []
        for j in range(1, n + 1):
            row = widgets.HBox([
                slider(f"w{j}", f"w{_sub(j)}", start.w[j - 1], W_RANGE),
                slider(f"b{j}", f"b{_sub(j)}", start.b[j - 1], B_RANGE),
            ])
            self._rows.append(row)
        a0 = slider("a0", "a₀", start.a0, A0_RANGE)
        d = widgets.IntSlider(value=depth, min=1, max=n, step=1, description="depth",
                              continuous_update=True, style={"description_width": "3em"},
                              layout=widgets.Layout(width="300px"))
        d.add_class("c5-slider-depth")
        self.sliders["depth"] = d

        labels = {
            "typical": f"typical N(0,1) start (seed {EXPLORER_SEED})",
            "exploding": "exploding: w = 100, z = 0",
            "balanced": "balanced: every factor 1",
        }
        self.buttons: dict[str, widgets.Button] = {}
        for name in PRESETS:
            b = widgets.Button(description=labels[name], layout=widgets.Layout(width="auto"))
            b.add_class(f"c5-preset-{name}")
            b.on_click(lambda _button, name=name: self.apply_preset(name))
            self.buttons[name] = b

        width, height = self.picture.figure.canvas.get_width_height()
        self.image = Picture(
            width=width, height=height, alt="The chain explorer's picture: the chain, sigma'(z) "
            "with every z_j, the factors and |dC/db_j| on log axes",
            layout=widgets.Layout(width=f"{width}px", height=f"{height}px"),
        )
        self.readout = widgets.HTML()
        self.readout.add_class("c5-readout")
        self.equation = widgets.HTML(layout=widgets.Layout(min_height="3.4em"))
        self.equation.add_class("c5-equation")
        self.widget = widgets.VBox([
            widgets.HBox([widgets.Label("presets:"), *self.buttons.values()]),
            widgets.HBox([d, a0]),
            self.equation,
            self.image,
            widgets.HBox(
                [widgets.VBox(self._rows), self.readout],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
            ),
        ])
        self.widget.add_class("c5-chain-explorer")
        for s in self.sliders.values():
            s.observe(self._on_change, names="value")
        self._show_rows()
        self.update()

    # -----------------------------------------------------------------------------------------
    @property
    def depth(self) -> int:
        return int(self.sliders["depth"].value)

    @property
    def chain(self) -> Chain:
        """The chain the sliders describe now (first ``depth`` layers)."""
        L = self.depth
        # The browser's slider sends back its own grid value (-3.9999999999999716 for -4): snap
        # to the 0.01 step so that the numbers are the ones the reader sees on the slider.
        w = [round(float(self.sliders[f"w{j}"].value), 2) for j in range(1, L + 1)]
        b = [round(float(self.sliders[f"b{j}"].value), 2) for j in range(1, L + 1)]
        return Chain(w, b, round(float(self.sliders["a0"].value), 2))

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold redraws while setting several sliders; redraw once on leaving."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if self._holding == 0:
                self._show_rows()
                self.update()

    def apply_preset(self, name: str) -> None:
        """Set every w_j, b_j (all EXPLORER_MAX_DEPTH layers) and a_0 from a preset, keep the
        depth, and redraw once."""
        chain = preset_chain(name)
        with self.hold():
            for j in range(1, EXPLORER_MAX_DEPTH + 1):
                self.sliders[f"w{j}"].value = float(chain.w[j - 1])
                self.sliders[f"b{j}"].value = float(chain.b[j - 1])
            self.sliders["a0"].value = chain.a0

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._holding:
            return
        if change["owner"] is self.sliders["depth"]:
            self._show_rows()
        self.update()

    def _show_rows(self) -> None:
        L = self.depth
        for j, row in enumerate(self._rows, start=1):
            display = None if j <= L else "none"
            if row.layout.display != display:
                row.layout.display = display
                self.sliders[f"w{j}"].layout.display = display
                self.sliders[f"b{j}"].layout.display = display

    def update(self) -> ChainGradients:
        """Recompute the gradients, redraw the picture in place and refresh the readout."""
        g = self.picture.show(self.chain)
        self.image.value = self.picture.png()
        self.readout.value = readout_html(g)
        self.equation.value = equation_html(g)
        self.render_count += 1
        self.gradients = g
        return g

    def readout_values(self) -> dict[str, str]:
        """The readout's ``data-key`` -> text pairs, read back from the HTML widget."""
        return parse_readout(self.readout.value)

    def time_update(self, n: int = 30, key: str = "w2") -> np.ndarray:
        """Move slider ``key`` ``n`` times through the full observer path (recompute, redraw,
        PNG, readout) and return each update's wall time in seconds, shape (n,).

        The slider is put back afterwards. For the lead's latency benchmark.
        """
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer; got {n!r}")
        if key not in self.sliders or key == "depth":
            raise ValueError(f"key must name a float slider, e.g. 'w2'; got {key!r}")
        s = self.sliders[key]
        start = s.value
        span = 0.5 * (s.max - s.min)
        values = start + np.linspace(0.01, 0.3, n) * (1 if start < s.min + span else -1)
        times = np.empty(n)
        for i, v in enumerate(values):
            t0 = time.perf_counter()
            s.value = float(round(v, 2))
            times[i] = time.perf_counter() - t0
        s.value = start
        return times

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


__all__ = [
    "A0_RANGE",
    "B_RANGE",
    "ChainExplorer",
    "ChainPicture",
    "DPI",
    "FACTOR_LOG10_WINDOW",
    "BODY_SIZE",
    "TEXT_BAND",
    "GRADIENT_MAX_DECADES",
    "PRESETS",
    "W_RANGE",
    "Z_WINDOW",
    "db1_vs_db3_figure",
    "equation_html",
    "parse_readout",
    "preset_chain",
    "readout_html",
    "readout_strings",
    "sigmoid_figure",
    "static_chain_figure",
    "weight_draw_figure",
]
