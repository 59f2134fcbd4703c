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
from matplotlib.colors import is_color_like
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from chapter5._validate import _short, finite_array, finite_float, finite_pair, real_array
from chapter5.viz.style import CYCLE, INK, PALETTE, apply_style


def _power_of_ten_axis(ax: Axes) -> None:
    """Label a y axis that holds log10 values with powers of ten (``10^300``)."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$"))


def _labelled(name: str, value: object, *, empty_ok: bool = False) -> Mapping[str, object]:
    """``value`` if it is a mapping from string labels (non-empty unless ``empty_ok``)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict from label to values; got {_short(value)}")
    if not value and not empty_ok:
        raise ValueError(f"{name} must hold at least one curve")
    for label in value:
        if not isinstance(label, str):
            raise TypeError(f"{name} must have string labels; got the label {_short(label)}")
    return value


def _as_curves(depths: np.ndarray, curves: object, name: str) -> dict[str, np.ndarray]:
    out = {}
    for label, values in _labelled(name, curves).items():
        arr = real_array(f"{name}[{label!r}]", values)
        if arr.shape != depths.shape:
            raise ValueError(f"{name}[{label!r}] must have the shape of depths {depths.shape}; "
                             f"got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}[{label!r}] must be finite log10 values")
        out[label] = arr
    return out


def _depths(depths: object) -> np.ndarray:
    arr = finite_array("depths", depths)
    if arr.size < 2 or np.any(arr < 1) or np.any(np.diff(arr) <= 0):
        raise ValueError("depths must be a 1-D array of at least two increasing depths >= 1")
    return arr


def _limits(limits: object) -> dict[str, float]:
    return {label: finite_float(f"limits[{label!r}]", level)
            for label, level in _labelled("limits", limits, empty_ok=True).items()}


def _breaks(breaks: object) -> dict[str, tuple[float, float]]:
    if breaks is None:
        return {}
    return {label: finite_pair(f"breaks[{label!r}]", point)
            for label, point in _labelled("breaks", breaks, empty_ok=True).items()}


def _check_colours(colours: object, labels: list[str]) -> Mapping[str, str] | None:
    if colours is None:
        return None
    given = _labelled("colours", colours, empty_ok=True)
    missing = [k for k in labels if k not in given]
    if missing:
        raise ValueError(f"colours has no entry for the curves {missing}")
    for label in labels:
        if not is_color_like(given[label]):
            raise ValueError(f"colours[{label!r}] must be a matplotlib colour such as "
                             f"'#D55E00'; got {_short(given[label])}")
    return {k: str(given[k]) for k in labels}


def _new_figure(size: tuple[float, float]) -> tuple[Figure, Axes]:
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


#: The colour each kind of chain has in every figure of notebook 04 (labels are matched by their
#: first word: "exploding chain ...", "typical: ...").
CHAIN_COLOURS: dict[str, str] = {
    "exploding": PALETTE["vermillion"],
    "typical": PALETTE["green"],
    "balanced": INK,
    "nudged": PALETTE["purple"],  # the balanced chain's weights changed, its biases not
    "re-tuned": PALETTE["blue"],  # the balanced chain's weights changed, biases re-tuned to z = 0
    "jitter": PALETTE["sky"],  # random changes of the balanced chain's weights
}
#: Floating-point formats: the colour of their range in Figure 4.1.
DTYPE_COLOURS: dict[str, str] = {"float64": PALETTE["blue"], "float32": PALETTE["orange"]}


def _colours(labels: list[str], colours: Mapping[str, str] | None) -> list[str]:
    """One colour per label: from ``colours`` (checked by :func:`_check_colours`), else by the
    label's first word, else cycled."""
    out = []
    fallback = [c for c in [INK] + CYCLE if c not in CHAIN_COLOURS.values()] or CYCLE
    for k, label in enumerate(labels):
        if colours is not None:
            out.append(colours[label])
            continue
        first = label.split()[0].strip(":,").lower() if label.split() else ""
        out.append(CHAIN_COLOURS.get(first, fallback[k % len(fallback)]))
    return out


def _spread_labels(ys: list[float], gap: float) -> list[float]:
    """Move sorted label heights (axes fraction) apart so neighbours are at least ``gap`` apart."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [ys[i] for i in order]
    for k in range(1, len(placed)):  # push up from the bottom ...
        placed[k] = max(placed[k], placed[k - 1] + gap)
    top = 1.0 - gap / 2
    if placed and placed[-1] > top:  # ... then back down from the top if the stack overflowed
        placed[-1] = top
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def magnitude_vs_depth_figure(
    depths: np.ndarray,
    curves: Mapping[str, np.ndarray],
    limits: Mapping[str, float],
    breaks: Mapping[str, tuple[float, float]] | None = None,
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """log10 |dC/db_1| against chain depth, against the ranges of the floating-point formats.

    Each format's range (between its limits) is shaded in its colour, its limits are drawn as
    dashed lines, and the limits are labelled in the right margin, spread apart so that no label
    covers another, a line or a curve.

    Parameters
    ----------
    depths : ndarray, shape (n,)
        Chain depths L (x axis, linear: an exponential in L is a straight line).
    curves : mapping label -> ndarray, shape (n,)
        log10 |dC/db_1| at each depth, computed in log space.
    limits : mapping label -> float
        log10 of a floating-point limit (largest finite number, smallest subnormal, ...). The
        label's first word names the format ("float64 largest 1.8e+308"); a format with two
        limits gets its range shaded.
    breaks : mapping label -> (depth, log10 value), optional
        Where a naive product in some dtype first became inf or 0; drawn as an "x" with the
        label beside it, on the side away from the other curve.
    colours : mapping label -> colour, optional
        Colour of each curve; by default the kind of chain named by the label's first word
        (:data:`CHAIN_COLOURS`).

    Introduced in ``04-exploding-gradients``.
    """
    depths = _depths(depths)
    curves = _as_curves(depths, curves, "curves")
    limits = _limits(limits)
    breaks = _breaks(breaks)
    colours = _check_colours(colours, list(curves))
    fig = Figure(figsize=(8.4, 4.8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for colour, (label, values) in zip(_colours(list(curves), colours), curves.items(),
                                       strict=True):
        ax.plot(depths, values, color=colour, lw=2.2, label=label, zorder=3)
    by_dtype: dict[str, list[float]] = {}
    for label, level in limits.items():
        by_dtype.setdefault(label.split()[0] if label.split() else "", []).append(float(level))
    for dtype, levels in by_dtype.items():
        colour = DTYPE_COLOURS.get(dtype, PALETTE["grey"])
        if len(levels) >= 2:  # the narrower range drawn stronger, so it shows inside the wider
            ax.axhspan(min(levels), max(levels), color=colour,
                       alpha=0.10 if max(levels) - min(levels) > 200 else 0.30, lw=0, zorder=0)
        for level in levels:
            ax.axhline(level, color=colour, lw=1.0, ls="--", zorder=1)
    for label, (depth, value) in breaks.items():
        ax.plot([depth], [value], "x", color=INK, ms=9, mew=2, zorder=4)
        # right of the point, above it for large values and below for small ones: away from the
        # other curve and from the start of the axis, where the curves cross
        ax.annotate(label, (depth, value), xytext=(9, 7 if value > 0 else -7),
                    textcoords="offset points", fontsize=8, color=INK,
                    va="bottom" if value > 0 else "top", zorder=5,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
    ax.axhline(0.0, color=PALETTE["grey"], lw=0.8, zorder=1)
    ax.set_xlim(0.0, depths[-1])
    ax.margins(y=0.04)
    _power_of_ten_axis(ax)
    fig.canvas.draw()  # fixes the y limits, so that label heights can be placed
    lo, hi = ax.get_ylim()
    labels = list(limits)
    heights = [(float(limits[k]) - lo) / (hi - lo) for k in labels]
    for label, y, y_text in zip(labels, heights, _spread_labels(heights, 0.055), strict=True):
        colour = DTYPE_COLOURS.get(label.split()[0] if label.split() else "", PALETTE["grey"])
        ax.annotate(label, xy=(1.0, y), xycoords="axes fraction", xytext=(1.03, y_text),
                    textcoords="axes fraction", fontsize=8, color=colour, va="center",
                    ha="left", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.8,
                                "shrinkA": 0, "shrinkB": 0})
    ax.set_xlabel("depth L of the chain (number of neurons)")
    ax.set_ylabel("|dC/db₁|  in units of |dC/da_L|  (log scale)")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    fig.subplots_adjust(left=0.11, right=0.79, bottom=0.11, top=0.97)
    return apply_style(fig)


def balance_figure(depths: np.ndarray, curves: Mapping[str, np.ndarray],
                   colours: Mapping[str, str] | None = None) -> Figure:
    """log10 |dC/db_1 / dC/db_L| against depth L: 0 is "every layer learns at the same speed".

    Parameters
    ----------
    depths : ndarray, shape (n,)
    curves : mapping label -> ndarray, shape (n,)
        log10 of the first-to-last gradient ratio for each chain family.
    colours : mapping label -> colour, optional
        Colour of each curve; by default the kind of chain named by the label's first word
        (:data:`CHAIN_COLOURS`). Curves of the same colour are told apart by their line style.

    Introduced in ``04-exploding-gradients``.
    """
    depths = _depths(depths)
    curves = _as_curves(depths, curves, "curves")
    colours = _check_colours(colours, list(curves))
    fig, ax = _new_figure((7.6, 4.4))
    palette = _colours(list(curves), colours)
    styles = ["-", "--", "-.", ":"]
    for k, (label, values) in enumerate(curves.items()):
        same_colour_before = palette[:k].count(palette[k])  # solid first, then dashed, ...
        ax.plot(depths, values, color=palette[k], ls=styles[same_colour_before % len(styles)],
                lw=2, label=label)
    ax.set_xlim(0.0, depths[-1])
    _power_of_ten_axis(ax)
    ax.set_xlabel("depth L of the chain")
    ax.set_ylabel("|dC/db₁| / |dC/db_L|  (log scale)")
    ax.legend(loc="lower left", fontsize=8, framealpha=0.95)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.12, top=0.97)
    return apply_style(fig)


def layer_profile_figure(
    curves: Mapping[str, np.ndarray],
    colours: Mapping[str, str] | None = None,
    relative_to: str | None = None,
    zoom: tuple[str, ...] = (),
) -> Figure:
    """log10 |dC/db_j| against layer j = 1..L for a few chains of the same depth L.

    The learning speed of each layer, side by side: flat means balanced. With ``relative_to``
    a second panel underneath divides the ``zoom`` curves by the ``relative_to`` curve, layer by
    layer, on a linear axis: a difference of a few per cent that is invisible on the log axis
    above becomes visible there.

    Parameters
    ----------
    curves : mapping label -> ndarray, shape (L,)
        log10 |dC/db_j| for j = 1..L (index j - 1), all of the same length L >= 2.
    colours : mapping label -> colour, optional
        Colour of each curve; by default the kind of chain named by the label's first word
        (:data:`CHAIN_COLOURS`), the same colours as Figure 4.1.
    relative_to : str, optional
        Label of the reference curve of the lower panel.
    zoom : tuple of str
        Labels of the curves the lower panel shows relative to the reference.

    Introduced in ``04-exploding-gradients``.
    """
    given = _labelled("curves", curves)
    first = real_array("curves", next(iter(given.values())))
    if first.ndim != 1 or first.size < 2:
        raise ValueError(f"curves must hold 1-D profiles of at least two layers; the first has "
                         f"shape {first.shape}")
    layers = np.arange(1, first.size + 1, dtype=float)
    curves = _as_curves(layers, given, "curves")
    colours = _check_colours(colours, list(curves))
    if isinstance(zoom, str) or not isinstance(zoom, tuple | list):
        raise TypeError(f"zoom must be a tuple of curve labels; got {_short(zoom)}")
    if relative_to is not None:
        if not isinstance(relative_to, str) or relative_to not in curves:
            raise ValueError(f"relative_to must be one of the curves' labels; got "
                             f"{_short(relative_to)}")
        missing = [k for k in zoom if not isinstance(k, str) or k not in curves]
        if not zoom or missing:
            raise ValueError("zoom must name at least one curve, each one of the curves' labels; "
                             f"unknown: {missing}")
    elif zoom:
        raise ValueError("zoom needs relative_to: the curve the zoomed curves are divided by")
    palette = dict(zip(curves, _colours(list(curves), colours), strict=True))
    markers = dict(zip(curves, ["o", "s", "^", "D", "v", "P"] * len(curves), strict=False))
    fig = Figure(figsize=(7.6, 5.6 if relative_to else 4.0), dpi=100)
    FigureCanvasAgg(fig)
    if relative_to is None:
        ax = fig.subplots()
        axes = [ax]
    else:
        ax, ax_rel = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
        axes = [ax, ax_rel]
    for label, values in curves.items():
        ax.plot(layers, values, marker=markers[label], ms=4, lw=1.5, color=palette[label],
                label=label)
    ax.set_xlim(0.5, layers[-1] + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _power_of_ten_axis(ax)
    ax.set_ylabel("|dC/db_j|  in units of |dC/da_L|\n(log scale)")
    ax.legend(loc="best", fontsize=8, framealpha=0.95)
    if relative_to is not None:
        ref = curves[relative_to]
        ax_rel.plot(layers, np.ones_like(layers), color=palette[relative_to], lw=1.5,
                    marker=markers[relative_to], ms=4, label=relative_to)
        for label in zoom:
            ratio = 10.0 ** (curves[label] - ref)
            ax_rel.plot(layers, ratio, marker=markers[label], ms=4, lw=1.5, color=palette[label],
                        label=label)
        ax_rel.set_ylabel(f"speed ÷ {relative_to.split(':')[0]}\n(linear scale)")
        ax_rel.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.2f}"))
        ax_rel.margins(y=0.15)
    axes[-1].set_xlabel("layer j (1 = first, nearest the input)")
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.09 if relative_to else 0.12, top=0.97,
                        hspace=0.08)
    return apply_style(fig)


__all__ = [
    "CHAIN_COLOURS",
    "DTYPE_COLOURS",
    "balance_figure",
    "layer_profile_figure",
    "magnitude_vs_depth_figure",
]
