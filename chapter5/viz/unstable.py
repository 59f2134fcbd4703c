"""Figures for exploding gradients and the unstable gradient problem (Nielsen ch. 5).

Gradients in deep chains span thousands of decades, so every figure here plots base-10
logarithms computed by :mod:`chapter5.chain` (never the overflowing float values) and labels the
axis with powers of ten. The functions only draw: the notebook computes the numbers and passes
them in, so a reader sees every step. Introduced in ``04-exploding-gradients``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from chapter5.viz.style import CYCLE, INK, PALETTE, apply_style


def _power_of_ten_axis(ax: Axes) -> None:
    """Label a y axis that holds log10 values with powers of ten (``10^300``)."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$"))


def _as_curves(depths: np.ndarray, curves: Mapping[str, np.ndarray], name: str
               ) -> dict[str, np.ndarray]:
    out = {}
    if not curves:
        raise ValueError(f"{name} must hold at least one curve")
    for label, values in curves.items():
        values = np.asarray(values, dtype=float)
        if values.shape != depths.shape:
            raise ValueError(f"{name}[{label!r}] must have the shape of depths {depths.shape}; "
                             f"got {values.shape}")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name}[{label!r}] must be finite log10 values")
        out[label] = values
    return out


def _depths(depths: np.ndarray) -> np.ndarray:
    depths = np.asarray(depths, dtype=float)
    if depths.ndim != 1 or depths.size < 2 or np.any(depths < 1):
        raise ValueError("depths must be a 1-D array of at least two depths >= 1")
    return depths


def _new_figure(size: tuple[float, float]) -> tuple[Figure, Axes]:
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def magnitude_vs_depth_figure(
    depths: np.ndarray,
    curves: Mapping[str, np.ndarray],
    limits: Mapping[str, float],
    breaks: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """log10 |dC/db_1| against chain depth, with the floating-point limits as horizontal lines.

    Parameters
    ----------
    depths : ndarray, shape (n,)
        Chain depths L (x axis, linear: an exponential in L is a straight line).
    curves : mapping label -> ndarray, shape (n,)
        log10 |dC/db_1| at each depth, computed in log space.
    limits : mapping label -> float
        log10 of a floating-point limit (largest finite number, smallest subnormal, ...), drawn
        as a dashed horizontal line. Labels containing "float32" are orange, others blue.
    breaks : mapping label -> (depth, log10 value), optional
        Where a naive product in some dtype first became inf or 0; drawn as an "x".

    Introduced in ``04-exploding-gradients``.
    """
    depths = _depths(depths)
    curves = _as_curves(depths, curves, "curves")
    fig, ax = _new_figure((7.6, 4.6))
    colours = [PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"], PALETTE["sky"]]
    for k, (label, values) in enumerate(curves.items()):
        ax.plot(depths, values, color=colours[k % len(colours)], lw=2.2, label=label)
    for label, level in limits.items():
        level = float(level)
        colour = PALETTE["orange"] if "float32" in label else PALETTE["blue"]
        ax.axhline(level, color=colour, lw=1.1, ls="--")
        ax.text(depths[-1], level, label + " ", color=colour, fontsize=7.5, ha="right",
                va="bottom" if level > 0 else "top")
    for label, (depth, value) in (breaks or {}).items():
        ax.plot([depth], [value], "x", color=INK, ms=9, mew=2)
        # above the point for large values, below it for small ones: away from the other curve
        ax.annotate(label, (depth, value), xytext=(8, 8 if value > 0 else -8),
                    textcoords="offset points", fontsize=7.5, color=INK,
                    va="bottom" if value > 0 else "top",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    ax.axhline(0.0, color=PALETTE["grey"], lw=0.8)
    ax.set_xlim(0.0, depths[-1])
    _power_of_ten_axis(ax)
    ax.set_xlabel("depth L of the chain (number of neurons)")
    ax.set_ylabel("|dC/db₁|  in units of |dC/da_L|  (log scale)")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.11, top=0.97)
    return apply_style(fig)


def balance_figure(depths: np.ndarray, curves: Mapping[str, np.ndarray]) -> Figure:
    """log10 |dC/db_1 / dC/db_L| against depth L: 0 is "every layer learns at the same speed".

    Parameters
    ----------
    depths : ndarray, shape (n,)
    curves : mapping label -> ndarray, shape (n,)
        log10 of the first-to-last gradient ratio for each chain family.

    Introduced in ``04-exploding-gradients``.
    """
    depths = _depths(depths)
    curves = _as_curves(depths, curves, "curves")
    fig, ax = _new_figure((7.6, 4.4))
    styles = ["-", "-", "--", "-", "--", ":", "-."]
    for k, (label, values) in enumerate(curves.items()):
        ax.plot(depths, values, color=([INK] + CYCLE)[k % (len(CYCLE) + 1)],
                ls=styles[k % len(styles)], lw=2, label=label)
    ax.set_xlim(0.0, depths[-1])
    _power_of_ten_axis(ax)
    ax.set_xlabel("depth L of the chain")
    ax.set_ylabel("|dC/db₁| / |dC/db_L|  (log scale)")
    ax.legend(loc="lower left", fontsize=8, framealpha=0.95)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.12, top=0.97)
    return apply_style(fig)


def layer_profile_figure(curves: Mapping[str, np.ndarray]) -> Figure:
    """log10 |dC/db_j| against layer j = 1..L for a few chains of the same depth L.

    The learning speed of each layer, side by side: flat means balanced.

    Parameters
    ----------
    curves : mapping label -> ndarray, shape (L,)
        log10 |dC/db_j| for j = 1..L (index j - 1), all of the same length L >= 2.

    Introduced in ``04-exploding-gradients``.
    """
    if not curves:
        raise ValueError("curves must hold at least one chain's profile")
    first = np.asarray(next(iter(curves.values())), dtype=float)
    layers = np.arange(1, first.size + 1, dtype=float)
    curves = _as_curves(layers, curves, "curves")
    fig, ax = _new_figure((7.6, 4.0))
    markers = ["o", "s", "^", "D", "v", "P"]
    for k, (label, values) in enumerate(curves.items()):
        ax.plot(layers, values, marker=markers[k % len(markers)], ms=4, lw=1.5,
                color=([INK] + CYCLE)[k % (len(CYCLE) + 1)], label=label)
    ax.set_xlim(0.5, layers[-1] + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _power_of_ten_axis(ax)
    ax.set_xlabel("layer j (1 = first, nearest the input)")
    ax.set_ylabel("|dC/db_j|  in units of |dC/da_L|  (log scale)")
    ax.legend(loc="best", fontsize=8, framealpha=0.95)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.12, top=0.97)
    return apply_style(fig)


__all__ = ["balance_figure", "layer_profile_figure", "magnitude_vs_depth_figure"]
