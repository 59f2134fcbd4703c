"""Figures for the MNIST experiments of :mod:`chapter5.experiments`.

Introduced in ``02-vanishing-gradients``. Every function returns a ``matplotlib.figure.Figure``
that is not registered with pyplot (show it with ``display(fig)`` or as a cell's last value);
pass ``ax=`` to draw into an existing axes instead. Faces are white (:func:`apply_style`), colours
come from the colour-blind-safe :data:`CYCLE`, magnitudes are drawn on log axes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from chapter5._validate import _short, finite_array, flag
from chapter5.chain import MAX_DEPTH
from chapter5.experiments import (
    BOOK_ACCURACY,
    BOOK_SPEEDS_EPOCH_499,
    AccuracyVsDepth,
    SpeedsAtInit,
    SpeedsDuringTraining,
    sizes_for,
)
from chapter5.viz.style import CYCLE, INK, PALETTE, apply_style, layer_colour

SPEED_LABEL = r"speed of learning $\|\partial C/\partial b^l\|$ (log scale)"

_Result = TypeVar("_Result", AccuracyVsDepth, SpeedsAtInit, SpeedsDuringTraining)
_MAKER = {AccuracyVsDepth: "accuracy_vs_depth", SpeedsAtInit: "speeds_at_init",
          SpeedsDuringTraining: "speeds_during_training"}


def _check_result(result: object, kind: type[_Result]) -> _Result:
    """``result`` if it is a ``kind`` whose numbers can be drawn, else a clear error."""
    if not isinstance(result, kind):
        raise TypeError(f"result must be a {kind.__name__}, what chapter5.experiments."
                        f"{_MAKER[kind]}(...) returns; got {_short(result)}")
    if isinstance(result, AccuracyVsDepth):
        acc = np.asarray(result.accuracy)
        if acc.ndim != 3 or 0 in acc.shape or not np.all(np.isfinite(acc)) \
                or np.any((acc < 0) | (acc > 100)):
            raise ValueError("result.accuracy must be (depths, seeds, epochs) percentages in "
                             "[0, 100]; recompute the result (force=True)")
    else:
        for h, speeds in result.speeds.items():
            speeds = np.asarray(speeds)
            if speeds.size == 0 or not np.all(np.isfinite(speeds)) or np.any(speeds <= 0):
                raise ValueError(f"result.speeds[{h}] must hold finite positive speeds (a log "
                                 f"axis); recompute the result (force=True)")
    return result


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes to draw into, or None for a new "
                            f"figure; got {_short(ax)}")
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=figsize, dpi=100)
    return fig, fig.add_subplot()


def _finish(fig: Figure, ax: Axes) -> Figure:
    ax.grid(True, which="major", alpha=0.3)
    apply_style(fig)
    fig.tight_layout()
    return fig


def plot_speeds_during_training(
    result: SpeedsDuringTraining,
    hidden_layers: int,
    *,
    ax: Axes | None = None,
    show_book: bool = True,
    legend: bool = True,
) -> Figure:
    """Speed of each hidden layer against the epoch, log y axis (the chapter's protocol C plots).

    Hidden layer l is drawn in :func:`~chapter5.viz.style.layer_colour` ``(l)``: the median over
    seeds as a thick line and, with several seeds, each seed as a thin line of the same colour.
    The book's values at epoch 499 are hollow diamonds. The legend lists the layers first, then
    what the line styles and the diamond mean (``legend=False`` leaves it out, e.g. in all but
    one panel of a row). Introduced in ``02-vanishing-gradients``.
    """
    result = _check_result(result, SpeedsDuringTraining)
    if isinstance(hidden_layers, bool) or not isinstance(hidden_layers, int | np.integer) \
            or int(hidden_layers) not in result.speeds:
        raise ValueError(f"hidden_layers must be one of the depths in result, "
                         f"{sorted(result.speeds)}; got {_short(hidden_layers)}")
    show_book = flag("show_book", show_book)
    legend = flag("legend", legend)
    hidden_layers = int(hidden_layers)
    s = result.speeds[hidden_layers]  # (n_seeds, epochs, h)
    epochs = np.arange(s.shape[1])
    fig, ax = _axes(ax, (7.0, 4.2))
    book = BOOK_SPEEDS_EPOCH_499.get(hidden_layers)
    draw_book = show_book and book is not None and s.shape[1] >= 500
    several = s.shape[0] > 1
    for i in range(hidden_layers):
        colour = layer_colour(i + 1)
        if several:
            for one in s[:, :, i]:
                ax.plot(epochs, one, color=colour, alpha=0.55, linewidth=0.9)
        ax.plot(epochs, np.median(s[:, :, i], axis=0), color=colour, linewidth=2.6)
        if draw_book and book is not None:
            ax.plot([499], [book[i]], marker="D", markersize=8, markerfacecolor="white",
                    markeredgecolor=colour, markeredgewidth=1.8, linestyle="none", zorder=3)
    ax.set_yscale("log")
    ax.set_xlabel("epoch (one full-batch gradient step each)")
    ax.set_ylabel(SPEED_LABEL)
    seeds = f"median of {s.shape[0]} seeds" if several else f"seed {result.seeds[0]}"
    ax.set_title(f"{list(sizes_for(hidden_layers))}: speeds during training ({seeds})")
    if legend:
        handles = [Line2D([], [], color=layer_colour(i + 1), linewidth=2.6,
                          label=f"hidden layer {i + 1}") for i in range(hidden_layers)]
        if several:
            handles += [
                Line2D([], [], color=INK, linewidth=2.6, label="median over seeds"),
                Line2D([], [], color=INK, alpha=0.55, linewidth=0.9, label="one seed"),
            ]
        if draw_book:
            handles.append(Line2D([], [], marker="D", markersize=7, markerfacecolor="white",
                                  markeredgecolor=INK, markeredgewidth=1.5, linestyle="none",
                                  label="book, epoch 499"))
        ax.legend(handles=handles, loc="upper right", fontsize=8, ncol=2 if several else 1)
    return _finish(fig, ax)


def plot_speeds_at_init(result: SpeedsAtInit, *, ax: Axes | None = None) -> Figure:
    """Our 10-90 % range and median of each hidden layer's speed at initialisation, grouped by
    net, with the book's single value as a diamond (filled when inside our range).

    Introduced in ``02-vanishing-gradients``.
    """
    result = _check_result(result, SpeedsAtInit)
    fig, ax = _axes(ax, (7.5, 4.2))
    x = 0.0
    ticks: list[float] = []
    labels: list[str] = []
    for row in result.summary():
        h, i = row["hidden_layers"], row["layer"] - 1
        if i == 0 and ticks:
            x += 0.8  # a gap between nets
        colour = layer_colour(i + 1)
        ax.vlines(x, row["q10"], row["q90"], color=colour, linewidth=6, alpha=0.5)
        ax.plot([x], [row["median"]], marker="o", color=colour, linestyle="none")
        if row["book"] is not None:
            ax.plot([x + 0.18], [row["book"]], marker="D", linestyle="none",
                    markeredgecolor=INK,
                    markerfacecolor=PALETTE["grey"] if row["inside"] else "white")
        ticks.append(x)
        labels.append(f"{h}h\nL{i + 1}")
        x += 1.0
    ax.set_yscale("log")
    ax.set_xticks(ticks, labels)
    ax.set_xlabel("net (number of hidden layers, h) and hidden layer (L1 = first)")
    ax.set_ylabel(SPEED_LABEL)
    ax.set_title(f"Speeds at initialisation over {len(result.seeds)} seeds")
    handles = [
        Line2D([], [], color=PALETTE["grey"], linewidth=6, alpha=0.5, label="ours, 10-90 %"),
        Line2D([], [], color=PALETTE["grey"], marker="o", linestyle="none", label="ours, median"),
        Line2D([], [], marker="D", linestyle="none", markeredgecolor=INK,
               markerfacecolor=PALETTE["grey"], label="book, inside our range"),
        Line2D([], [], marker="D", linestyle="none", markeredgecolor=INK,
               markerfacecolor="white", label="book, outside"),
    ]
    ax.legend(handles=handles, fontsize=8, loc="lower right")
    return _finish(fig, ax)


def plot_initial_gradient_bars(bars: Sequence[np.ndarray], *, ax: Axes | None = None) -> Figure:
    """Signed bars of dC/db for the first neurons of each hidden layer (linear y axis, so the
    reader sees layer 1's bars dwarfed by layer 2's). Introduced in ``02-vanishing-gradients``.

    ``bars[l - 1]``: hidden layer l's values, a non-empty 1-D array (at least one layer).
    """
    if isinstance(bars, str | bytes) or not isinstance(bars, Sequence | np.ndarray):
        raise TypeError(f"bars must be a list of 1-D arrays, one per hidden layer; got "
                        f"{_short(bars)}")
    if not 1 <= len(bars) <= MAX_DEPTH:
        raise ValueError(f"bars must hold 1 to {MAX_DEPTH} layers' values; got {len(bars)}")
    bars = [finite_array(f"bars[{i}]", b) for i, b in enumerate(bars)]
    if any(b.size == 0 for b in bars):
        raise ValueError("bars must hold at least one value per layer")
    fig, ax = _axes(ax, (7.0, 3.8))
    n = max(len(b) for b in bars)
    width = 0.8 / len(bars)
    for i, b in enumerate(bars):
        pos = np.arange(len(b)) + (i - (len(bars) - 1) / 2) * width
        ax.bar(pos, b, width=width, color=layer_colour(i + 1), label=f"hidden layer {i + 1}")
    ax.axhline(0.0, color=INK, linewidth=0.8)
    ax.set_xticks(np.arange(n), [str(k + 1) for k in range(n)])
    ax.set_xlabel("neuron in the layer")
    ax.set_ylabel(r"$\partial C/\partial b$ at initialisation")
    ax.legend(fontsize=8)
    return _finish(fig, ax)


def plot_accuracy_vs_depth(result: AccuracyVsDepth, *, ax: Axes | None = None) -> Figure:
    """Final validation accuracy per depth: each seed a dot, the mean a bar, the book a diamond.

    Introduced in ``02-vanishing-gradients``.
    """
    result = _check_result(result, AccuracyVsDepth)
    fig, ax = _axes(ax, (6.5, 4.0))
    for i, h in enumerate(result.hidden_layers):
        final = result.final[i]
        ax.plot(np.full(final.shape, float(h)), final, marker="o", linestyle="none",
                color=CYCLE[0], alpha=0.6, label="ours, one seed" if i == 0 else None)
        ax.hlines(final.mean(), h - 0.25, h + 0.25, color=CYCLE[0], linewidth=2.5,
                  label="ours, mean" if i == 0 else "_nolegend_")
        if int(h) in BOOK_ACCURACY:
            ax.plot([h + 0.3], [BOOK_ACCURACY[int(h)]], marker="D", linestyle="none",
                    color=CYCLE[1], label="book" if i == 0 else None)
    ax.set_xticks(result.hidden_layers, [str(int(h)) for h in result.hidden_layers])
    ax.set_xlabel("number of hidden layers (30 neurons each)")
    ax.set_ylabel(f"validation accuracy after {result.accuracy.shape[2]} epochs (%)")
    ax.legend(fontsize=8)
    return _finish(fig, ax)


def plot_accuracy_curves(result: AccuracyVsDepth, *, ax: Axes | None = None) -> Figure:
    """Validation error against the epoch, one colour per depth: the mean over seeds thick, every
    seed thin, on a log axis so that a run still at chance (90 % error) after the first epoch
    shows up next to the last epochs' few percent. A dashed line marks guessing (90 % error).

    Introduced in ``02-vanishing-gradients``.
    """
    result = _check_result(result, AccuracyVsDepth)
    fig, ax = _axes(ax, (6.5, 4.0))
    epochs = np.arange(1, result.accuracy.shape[2] + 1)
    for i, h in enumerate(result.hidden_layers):
        colour = CYCLE[i % len(CYCLE)]
        error = 100.0 - result.accuracy[i]  # (n_seeds, epochs)
        for one in error:
            ax.plot(epochs, one, color=colour, alpha=0.5, linewidth=0.8)
        ax.plot(epochs, error.mean(axis=0), color=colour, linewidth=2.2,
                label=f"{int(h)} hidden, mean")
    ax.axhline(90.0, color=PALETTE["grey"], linestyle="--", linewidth=1.0,
               label="guessing (90 % error)")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation error (%, log scale)")
    ax.legend(fontsize=8, loc="upper right")
    return _finish(fig, ax)


def accuracy_table(result: AccuracyVsDepth) -> list[dict[str, Any]]:
    """Rows of display strings (net, ours mean +- sd, our range, book, book inside range?) for a
    markdown or pandas table. Introduced in ``02-vanishing-gradients``."""
    rows = []
    for r in _check_result(result, AccuracyVsDepth).summary():
        rows.append({
            "net": str(list(r["sizes"])),
            "ours (mean ± sd)": f"{r['mean_final']:.2f} ± {r['std_final']:.2f} %",
            "ours (min-max)": f"{r['min_final']:.2f}-{r['max_final']:.2f} %",
            "book": "" if r["book"] is None else f"{r['book']:.2f} %",
            "book inside our range": "yes" if r["book_inside_range"] else "no",
        })
    return rows


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """A list of equal-keyed dicts as a markdown table (for ``IPython.display.Markdown``).

    ``rows``: at least one dict, all with the same string keys (the header); a value is shown
    as ``str(value)`` (no NaN or infinity). Introduced in ``02-vanishing-gradients``.
    """
    if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a list of dicts (one per table row); got {_short(rows)}")
    if not rows:
        raise ValueError("rows must hold at least one row (a table needs a header)")
    for i, r in enumerate(rows):
        if not isinstance(r, Mapping) or not r or not all(isinstance(k, str) for k in r):
            raise TypeError(f"rows must hold dicts with string keys; rows[{i}] is {_short(r)}")
        if list(r) != list(rows[0]):
            raise ValueError(f"rows must all have the keys of rows[0], {list(rows[0])}; rows[{i}] "
                             f"has {list(r)}")
        bad = [k for k, v in r.items()
               if isinstance(v, float | np.floating) and not math.isfinite(v)]
        if bad:
            raise ValueError(f"rows must hold no NaN or infinity; rows[{i}] has them at {bad}")
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def plot_accuracy_table(result: AccuracyVsDepth) -> Figure:
    """The accuracy table drawn as a figure (for places where markdown cannot go).

    Introduced in ``02-vanishing-gradients``.
    """
    rows = accuracy_table(result)
    fig = Figure(figsize=(8.0, 0.45 * (len(rows) + 1) + 0.3), dpi=100)
    ax = fig.add_subplot()
    ax.axis("off")
    table = ax.table(cellText=[list(r.values()) for r in rows], colLabels=list(rows[0]),
                     loc="center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1.0, 1.3)
    apply_style(fig)
    return fig
