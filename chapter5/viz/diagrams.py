"""Diagrams of networks (our own drawings, with matplotlib): a fully connected net drawn layer by
layer (:func:`net_diagram`, shallow beside deep), and a many-neuron net with the factors of
eq. (124) written under it (:func:`many_neuron_diagram`). Hidden layer l has the colour
:func:`chapter5.viz.style.layer_colour` gives it in every figure of the book.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from chapter5._validate import finite_float
from chapter5.viz.style import INK, PALETTE, apply_style, layer_colour, rc_params

__all__ = ["net_diagram", "many_neuron_diagram"]

#: Drawn neurons per column at most; a bigger layer is drawn with this many and a gap of dots.
MAX_DRAWN = 8


def _check_sizes(sizes: object, name: str) -> list[int]:
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence):
        raise TypeError(f"{name} must be a list of layer sizes such as [4, 3, 3, 2]; "
                        f"got {type(sizes).__name__}")
    out = []
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1:
            raise ValueError(f"{name} must hold whole numbers >= 1; got {list(sizes)!r}")
        out.append(int(s))
    if len(out) < 2:
        raise ValueError(f"{name} must list at least an input and an output layer; got {out}")
    return out


def _column(n: int, height: float) -> np.ndarray:
    """Vertical positions of n drawn neurons, centred on 0 with equal spacing."""
    shown = min(n, MAX_DRAWN)
    if shown == 1:
        return np.zeros(1)
    return np.linspace(height / 2, -height / 2, shown)


def _colour(layer_index: int, n_layers: int) -> str:
    """Input grey, hidden layer l its book colour, output black."""
    if layer_index == 0:
        return PALETTE["grey"]
    if layer_index == n_layers - 1:
        return PALETTE["black"]
    return layer_colour(layer_index)


def _draw_net(ax: Axes, sizes: list[int], *, spacing: float = 1.0, radius: float = 0.11,
              height: float | None = None) -> list[tuple[float, np.ndarray]]:
    """Draw the layers of ``sizes`` left to right; return each column's (x, ys)."""
    tallest = min(max(sizes), MAX_DRAWN)
    height = (tallest - 1) * 0.36 if height is None else height
    cols = []
    for i, n in enumerate(sizes):
        ys = _column(n, height * (min(n, MAX_DRAWN) - 1) / max(tallest - 1, 1))
        cols.append((i * spacing, ys))
    for (x0, y0), (x1, y1) in zip(cols[:-1], cols[1:], strict=True):
        for a in y0:
            for b in y1:
                ax.plot([x0, x1], [a, b], color=PALETTE["grey"], linewidth=0.5, alpha=0.6,
                        zorder=1)
    for i, ((x, ys), n) in enumerate(zip(cols, sizes, strict=True)):
        colour = _colour(i, len(sizes))
        for y in ys:
            ax.add_patch(Circle((x, y), radius, facecolor=colour, edgecolor=INK, linewidth=0.8,
                                zorder=2))
        if n > MAX_DRAWN:  # a gap of dots says "more neurons than drawn"
            ax.text(x, 0.0, "\u22ee", ha="center", va="center", fontsize=12, color=INK,
                    zorder=3, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    return cols


def _layer_name(i: int, n_layers: int) -> str:
    if i == 0:
        return "input"
    if i == n_layers - 1:
        return "output"
    return f"hidden {i}"


def net_diagram(nets: Mapping[str, Sequence[int]], *, width: float | None = None) -> Figure:
    """Fully connected nets side by side, one panel per net (title -> layer sizes, input
    first), drawn to the same scale: circles are neurons, grey lines the weights, the input
    layer grey, hidden layer l in :func:`layer_colour` (l), the output black; each column is
    labelled with its layer and size. Layers bigger than ``MAX_DRAWN`` are drawn shortened,
    with a gap of dots.

    Example: ``net_diagram({"shallow: one hidden layer": [6, 5, 3],
    "deep: four hidden layers": [6, 5, 5, 5, 5, 3]})``.
    Introduced in ``02-vanishing-gradients``.
    """
    if not isinstance(nets, Mapping) or not nets:
        raise ValueError("nets must map at least one title to a list of layer sizes")
    checked = {str(t): _check_sizes(s, f"nets[{t!r}]") for t, s in nets.items()}
    tallest = min(max(max(s) for s in checked.values()), MAX_DRAWN)
    widths = [len(s) for s in checked.values()]
    w = 1.3 * sum(widths) + 0.6 if width is None else finite_float("width", width)
    if not 1.0 <= w <= 100.0:
        raise ValueError(f"width must be the figure width in inches, in [1, 100]; got {w!r}")
    with matplotlib.rc_context(rc_params()):
        fig = Figure(figsize=(w, 0.42 * tallest + 1.4), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, len(checked), squeeze=False,
                            gridspec_kw={"width_ratios": widths})[0]
    height = (tallest - 1) * 0.36
    for ax, (title, sizes) in zip(axes, checked.items(), strict=True):
        cols = _draw_net(ax, sizes, height=height)
        for i, ((x, _), n) in enumerate(zip(cols, sizes, strict=True)):
            ax.text(x, -height / 2 - 0.3, f"{_layer_name(i, len(sizes))}\n{n}", ha="center",
                    va="top", fontsize=9, color=INK)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        ax.set_ylim(-height / 2 - 0.85, height / 2 + 0.3)
        ax.set_aspect("equal")
        ax.axis("off")
    return apply_style(fig)


def many_neuron_diagram(hidden_layers: int = 3, neurons: int = 4) -> Figure:
    """A net with ``neurons`` neurons in each of ``hidden_layers`` hidden layers and the output
    layer L, with the factors of eq. (124) written under it: Sigma'(z^l) under each layer and
    (w^{l+1})^T under each set of weights, and an arrow showing the error delta travel back
    from the output, picking up one pair of factors per layer.
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    for name, v, lo in (("hidden_layers", hidden_layers, 1), ("neurons", neurons, 1)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < lo:
            raise ValueError(f"{name} must be a whole number >= {lo}; got {v!r}")
    if hidden_layers > 20:
        raise ValueError(f"hidden_layers must be at most 20 (a diagram); got {hidden_layers}")
    if neurons > MAX_DRAWN:
        raise ValueError(f"neurons must be at most {MAX_DRAWN} (a diagram, not a census); "
                         f"got {neurons}")
    h = int(hidden_layers)
    sizes = [int(neurons)] * (h + 2)
    spacing = 1.6
    with matplotlib.rc_context(rc_params()):
        fig = Figure(figsize=(1.45 * (h + 2) + 0.6, 3.9), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.subplots()
    height = (neurons - 1) * 0.42
    cols = _draw_net(ax, sizes, spacing=spacing, radius=0.13, height=height)
    names = ["input"] + [f"$l={i}$" for i in range(1, h + 1)] + ["output $L$"]
    y_name = height / 2 + 0.35
    y_sigma = -height / 2 - 0.45
    for i, (x, _) in enumerate(cols):
        ax.text(x, y_name, names[i], ha="center", va="bottom", fontsize=9, color=INK)
        if i > 0:
            label = r"$\Sigma'(z^L)$" if i == h + 1 else rf"$\Sigma'(z^{i})$"
            ax.text(x, y_sigma, label, ha="center", va="top", fontsize=10,
                    color=_colour(i, len(sizes)) if i <= h else INK)
        if 1 <= i <= h:
            nxt = "L" if i == h else str(i + 1)
            ax.text(x + spacing / 2, y_sigma - 0.05, rf"$(w^{{{nxt}}})^T$", ha="center",
                    va="top", fontsize=10, color=INK)
    y_arrow = y_sigma - 0.75
    ax.add_patch(FancyArrowPatch((cols[-1][0], y_arrow), (cols[1][0], y_arrow),
                                 arrowstyle="-|>", mutation_scale=14, color=PALETTE["vermillion"],
                                 linewidth=1.6))
    ax.text((cols[1][0] + cols[-1][0]) / 2, y_arrow - 0.12,
            r"the error travels back: $\delta^l = \Sigma'(z^l)\,(w^{l+1})^T\,\delta^{l+1}$,"
            "\none pair of factors per layer", ha="center", va="top", fontsize=9, color=INK)
    ax.set_xlim(-0.5, cols[-1][0] + 0.5)
    ax.set_ylim(y_arrow - 0.85, y_name + 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return apply_style(fig)
