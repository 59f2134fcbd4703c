"""Figures of ``06-many-neurons-other-obstacles`` (plotting only; the measurements they show are
computed by :mod:`chapter5.obstacles`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from chapter5._validate import finite_array
from chapter5.obstacles import HiddenMeansTrace
from chapter5.viz.style import CYCLE, INK, PALETTE, apply_style, layer_colour, rc_params

__all__ = [
    "saturation_figure",
    "speed_profiles_figure",
    "factor_norms_figure",
    "sharpness_figure",
    "speeds_training_figure",
]


# ============================================================================ figures
def _figure(width: float, height: float, ncols: int = 1, *, sharey: bool = False
            ) -> tuple[Figure, np.ndarray]:
    import matplotlib

    with matplotlib.rc_context(rc_params()):
        fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        axes = np.atleast_1d(fig.subplots(1, ncols, squeeze=False, sharey=sharey)[0])
    return fig, axes


def _panels(name: str, value: object, most: int = 12) -> None:
    """``value`` must map 1 to ``most`` titles (str) to what one panel (or line) shows."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise TypeError(f"{name} must be a dict from title (str) to data; got "
                        f"{type(value).__name__}")
    if not 1 <= len(value) <= most:
        raise ValueError(f"{name} must hold at least one entry and at most {most}; got "
                         f"{len(value)}")


def saturation_figure(traces: Mapping[str, HiddenMeansTrace]) -> Figure:
    """Mean activation of each hidden layer against training time, one panel per run
    (label -> trace), with the probe accuracy on a second axis. Introduced in
    ``06-many-neurons-other-obstacles``."""
    _panels("traces", traces)
    for label, t in traces.items():
        if not isinstance(t, HiddenMeansTrace):
            raise TypeError(f"traces[{label!r}] must be a HiddenMeansTrace (what "
                            f"track_hidden_means returns); got {type(t).__name__}")
    fig, axes = _figure(3.6 * len(traces) + 0.6, 3.6, ncols=len(traces), sharey=True)
    last = len(traces) - 1
    for k, (ax, (label, t)) in enumerate(zip(axes, traces.items(), strict=True)):
        for i in range(t.means.shape[1]):
            ax.plot(t.epochs, t.means[:, i], color=layer_colour(i + 1), linewidth=1.6,
                    marker="o", markersize=2.5, label=f"hidden layer {i + 1}")
        acc = ax.twinx()
        acc.plot(t.epochs, 100.0 * t.accuracy, color=PALETTE["grey"], linestyle="--",
                 linewidth=1.2)
        acc.set_ylim(0, 100)
        acc.tick_params(colors=PALETTE["grey"], labelright=k == last)
        if k == last:
            acc.set_ylabel("probe accuracy (%), dashed grey", color=PALETTE["grey"])
        acc.grid(False)
        ax.set_title(label, fontsize=9)
        ax.set_xlabel("epochs of training")
        ax.set_ylim(0.0, 1.0)
    axes[0].set_ylabel("mean activation of the layer")
    axes[0].legend(loc="lower left", fontsize=8)
    return apply_style(fig)


def speed_profiles_figure(panels: Mapping[str, Mapping[str, np.ndarray]]) -> Figure:
    """Speed of learning against hidden layer for several set-ups, one panel per group
    (title -> {label -> array (n_seeds, L - 2)}): median line with a 10-90 % band, log y axis
    shared by the panels. A label keeps its colour in every panel. Introduced in
    ``06-many-neurons-other-obstacles``."""
    _panels("panels", panels)
    for title, group in panels.items():
        _panels(f"panels[{title!r}]", group)
        for label, s in group.items():
            arr = finite_array(f"panels[{title!r}][{label!r}]", s, ndim=2)
            if arr.size == 0 or np.any(arr < 0):
                raise ValueError(f"panels[{title!r}][{label!r}] must be a non-empty array "
                                 f"(seeds, hidden layers) of speeds >= 0")
    labels: list[str] = []
    for group in panels.values():
        labels += [k for k in group if k not in labels]
    colours = CYCLE + [PALETTE["black"], PALETTE["grey"]]
    colour = {k: colours[i % len(colours)] for i, k in enumerate(labels)}
    marker = {k: "osD^vP<>"[i % 8] for i, k in enumerate(labels)}
    fig, axes = _figure(4.4 * len(panels) + 0.6, 4.0, ncols=len(panels), sharey=True)
    for ax, (title, group) in zip(axes, panels.items(), strict=True):
        for label, s in group.items():
            s = np.asarray(s, dtype=float)
            layers = np.arange(1, s.shape[1] + 1)
            q10, med, q90 = np.percentile(s, [10, 50, 90], axis=0)
            ax.fill_between(layers, q10, q90, color=colour[label], alpha=0.18, linewidth=0)
            ax.plot(layers, med, color=colour[label], marker=marker[label], linewidth=1.6,
                    label=label)
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer (1 = nearest the input)")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, loc="best")
    axes[0].set_ylabel(r"speed of learning $\|\partial C/\partial b^l\|$")
    return apply_style(fig)


def factor_norms_figure(factors: Mapping[str, Mapping[str, np.ndarray]]) -> Figure:
    """For each set-up (label -> :func:`layer_factors` result) the median over inputs of
    ||Sigma'(z^l)||, of the measured shrink ||delta^l||/||delta^{l+1}|| and of the bound
    ||Sigma'|| ||w^T||, against the hidden layer; log y axis with the line 1 marked.
    Introduced in ``06-many-neurons-other-obstacles``."""
    _panels("factors", factors)
    needed = ("shrink", "bound", "weight_norm", "sigma_prime_norm", "sigma_prime_mean")
    for label, f in factors.items():
        if not isinstance(f, Mapping) or any(k not in f for k in needed):
            raise TypeError(f"factors[{label!r}] must be what layer_factors returns (a dict "
                            f"with {', '.join(needed)})")
    fig, axes = _figure(3.6 * len(factors) + 0.6, 3.8, ncols=len(factors), sharey=True)
    for ax, (label, f) in zip(axes, factors.items(), strict=True):
        layers = np.arange(1, f["shrink"].shape[1] + 1)
        ax.plot(layers, np.median(f["bound"], axis=0), color=PALETTE["orange"], marker="^",
                label=r"bound $\|\Sigma'(z^l)\|\,\|(w^{l+1})^T\|$")
        ax.plot(layers, f["weight_norm"], color=PALETTE["sky"], marker="s", linestyle=":",
                label=r"$\|(w^{l+1})^T\|$")
        ax.plot(layers, np.median(f["sigma_prime_norm"], axis=0), color=PALETTE["green"],
                marker="D", linestyle=":", label=r"$\|\Sigma'(z^l)\|$")
        ax.plot(layers, np.median(f["sigma_prime_mean"], axis=0), color=PALETTE["purple"],
                marker="v", linestyle=":", label=r"mean of the diagonal of $\Sigma'(z^l)$")
        ax.plot(layers, np.median(f["shrink"], axis=0), color=PALETTE["blue"], marker="o",
                linewidth=2.0, label=r"measured $\|\delta^l\| / \|\delta^{l+1}\|$")
        if "predicted" in f:
            ax.plot(layers, np.median(f["predicted"], axis=0), color=PALETTE["black"],
                    marker="x", linestyle="--", linewidth=1.0,
                    label=r"predicted: rms $\sigma'(z^l) \times "
                          r"\sqrt{n_l\,\mathrm{Var}(w^{l+1})}$")
        ax.axhline(1.0, color=INK, linewidth=0.8, linestyle="--")
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer l")
        ax.set_title(label, fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("factor size (median over inputs)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return apply_style(fig)


def sharpness_figure(runs: Mapping[str, tuple[np.ndarray, np.ndarray, float]]) -> Figure:
    """The sharpness (largest Hessian eigenvalue) of each run against the epoch, log y axis,
    with a dashed line at the stability limit 2 / eta of each learning rate used.
    ``runs``: label -> (epochs, sharpness values, eta); non-positive values are not drawn.
    Runs are told apart by colour and marker (not the layer colours: these are whole nets).
    Introduced in ``06-many-neurons-other-obstacles``."""
    _panels("runs", runs)
    fig, axes = _figure(6.6, 4.3)
    ax = axes[0]
    colours = [PALETTE["black"], PALETTE["orange"], PALETTE["sky"], PALETTE["purple"],
               PALETTE["green"]]
    etas: list[float] = []
    for i, (label, (epochs, values, eta)) in enumerate(runs.items()):
        e = np.asarray(epochs, dtype=float)
        v = np.asarray(values, dtype=float)
        if e.shape != v.shape or e.ndim != 1:
            raise ValueError(f"run {label!r}: epochs and values must be 1-d of the same length")
        keep = v > 0
        ax.plot(e[keep], v[keep], color=colours[i % len(colours)], marker="osD^v"[i % 5],
                linewidth=1.6, label=label)
        if eta not in etas:
            etas.append(float(eta))
    for eta in etas:
        ax.axhline(2.0 / eta, color=INK, linewidth=0.9, linestyle="--")
        ax.annotate(f"limit 2/\u03b7 = {2.0 / eta:g} for \u03b7 = {eta:g}", xy=(0.01, 2.0 / eta),
                    xycoords=("axes fraction", "data"), xytext=(0, 3),
                    textcoords="offset points", ha="left", va="bottom", fontsize=8, color=INK)
    ax.set_yscale("log")
    ax.set_xlabel("epoch (full-batch steps taken)")
    ax.set_ylabel("sharpness (largest Hessian eigenvalue)")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return apply_style(fig)


def speeds_training_figure(runs: Mapping[str, np.ndarray]) -> Figure:
    """Speed of learning of each hidden layer against the epoch, one panel per run
    (title -> array (epochs, L - 2), the output of :meth:`Network.gradient_descent`), log y
    axis shared by the panels, hidden layer l in :func:`layer_colour` (l). Introduced in
    ``06-many-neurons-other-obstacles``."""
    _panels("runs", runs)
    fig, axes = _figure(3.3 * len(runs) + 0.8, 3.7, ncols=len(runs), sharey=True)
    for ax, (title, s) in zip(axes, runs.items(), strict=True):
        s = np.asarray(s, dtype=float)
        if s.ndim != 2 or s.shape[0] < 1:
            raise ValueError(f"run {title!r}: speeds must be an array (epochs, hidden layers)")
        epochs = np.arange(s.shape[0])
        for i in range(s.shape[1]):
            ax.plot(epochs, s[:, i], color=layer_colour(i + 1), linewidth=1.3,
                    label=f"hidden layer {i + 1}")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("epoch (full-batch steps)")
    axes[0].set_ylabel(r"speed of learning $\|\partial C/\partial b^l\|$")
    axes[0].legend(fontsize=8, loc="upper right")
    return apply_style(fig)
