"""Measurements and pictures for ``06-many-neurons-other-obstacles``.

Everything here drives :class:`chapter5.network.Network` through its public methods; nothing
re-implements backpropagation. The small measuring helpers (numpy only) sit next to the figures
that show them because only these two notebooks use them:

* :func:`glorot_bengio_parameters` -- the "standard" initialisation of Glorot & Bengio (2010),
  w ~ U[-1/sqrt(n_in), 1/sqrt(n_in)], b = 0, which :class:`Network` does not offer by name;
* :func:`track_hidden_means` -- mini-batch SGD that pauses every so often to record the mean
  activation of each hidden layer on a fixed probe set (the measurement behind Glorot & Bengio's
  saturation plot);
* :func:`layer_factors` -- the sizes of the factors of eq. (124) (Nielsen, ch. 5) in a real net:
  ||Sigma'(z^l)||, ||(w^{l+1})^T|| and the measured shrink ||delta^l|| / ||delta^{l+1}||;
* :func:`speeds_over_seeds` -- the chapter's speed-of-learning protocol (B) for any activation
  and initialiser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from chapter5.network import Network, as_generator
from chapter5.viz.style import CYCLE, INK, PALETTE, apply_style, rc_params

__all__ = [
    "HiddenMeansTrace",
    "glorot_bengio_parameters",
    "track_hidden_means",
    "layer_factors",
    "speeds_over_seeds",
    "saturation_figure",
    "speed_profiles_figure",
    "factor_norms_figure",
]


# ============================================================================ measurements
def glorot_bengio_parameters(sizes: Sequence[int], seed: int | np.random.Generator
                             ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Glorot & Bengio's (2010) "standard" initialisation: w ~ U[-1/sqrt(n_in), 1/sqrt(n_in)],
    b = 0, layer by layer (weights drawn row-major, shape (n_out, n_in)).

    Returns ``(weights, biases)`` ready for :meth:`Network.set_parameters`.
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes; got {sizes}")
    rng = as_generator(seed)
    weights = [rng.uniform(-1.0, 1.0, size=(n_out, n_in)) / np.sqrt(n_in)
               for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [np.zeros(n_out) for n_out in sizes[1:]]
    return weights, biases


@dataclass(frozen=True, eq=False)
class HiddenMeansTrace:
    """What :func:`track_hidden_means` records.

    Attributes
    ----------
    steps : array (r,), int
        Mini-batch updates made before each record (0 = the initial state).
    epochs : array (r,)
        The same position in epochs (steps / updates per epoch).
    means : array (r, L - 2)
        Mean activation of each hidden layer over the probe inputs (column i: hidden layer i + 1).
    low_fraction : array (r, L - 2)
        Fraction of the probe activations of each hidden layer below ``low`` ("near 0").
    accuracy : array (r,)
        Fraction of probe inputs classified correctly.
    low : float

    Introduced in ``06-many-neurons-other-obstacles``.
    """

    steps: np.ndarray
    epochs: np.ndarray
    means: np.ndarray
    low_fraction: np.ndarray
    accuracy: np.ndarray
    low: float


def track_hidden_means(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    probe_x: np.ndarray,
    probe_y: np.ndarray,
    *,
    epochs: int,
    mini_batch_size: int = 10,
    eta: float = 0.1,
    lmbda: float = 0.0,
    records_per_epoch: int = 10,
    low: float = 0.1,
    seed: int | np.random.Generator = 0,
) -> HiddenMeansTrace:
    """Train ``net`` by mini-batch SGD (in place) and record its hidden layers' mean activations.

    Each epoch shuffles the training set with ``seed``'s generator and splits it into
    ``records_per_epoch`` consecutive parts; after each part (trained with :meth:`Network.sgd`,
    one pass, n = len(x) in the weight decay) the hidden activations on ``probe_x`` are recorded.

    Parameters
    ----------
    net : Network
    x : array (n, sizes[0]); y : int labels (n,)
        Training data.
    probe_x : array (p, sizes[0]); probe_y : int labels (p,)
        Fixed inputs on which activations (and accuracy) are measured.
    epochs, records_per_epoch : int
    mini_batch_size, eta, lmbda
        As in :meth:`Network.sgd`.
    low : float
        Threshold for :attr:`HiddenMeansTrace.low_fraction`.
    seed : int or Generator
        Shuffling.

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a chapter5.network.Network; got {type(net).__name__}")
    for name, v in (("epochs", epochs), ("records_per_epoch", records_per_epoch)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a whole number >= 1; got {v!r}")
    if not 0.0 < float(low) < 1.0:
        raise ValueError(f"low must lie strictly between 0 and 1; got {low!r}")
    n = int(np.shape(x)[0])
    if records_per_epoch * mini_batch_size > n:
        raise ValueError(f"records_per_epoch ({records_per_epoch}) x mini_batch_size "
                         f"({mini_batch_size}) must not exceed the {n} training inputs")
    rng = as_generator(seed)
    steps, means, lows, accs = [], [], [], []

    def record(step: int) -> None:
        _, a = net.forward(probe_x)
        hidden = a[1:-1]
        steps.append(step)
        means.append([float(h.mean()) for h in hidden])
        lows.append([float(np.mean(h < low)) for h in hidden])
        accs.append(net.accuracy(probe_x, probe_y))

    step = 0
    record(step)
    per_epoch = 0
    for _ in range(int(epochs)):
        per_epoch = 0
        for part in np.array_split(rng.permutation(n), int(records_per_epoch)):
            net.sgd(x[part], y[part], epochs=1, mini_batch_size=mini_batch_size, eta=eta,
                    lmbda=lmbda, n=n, rng=rng)
            k = -(-part.size // mini_batch_size)
            step += k
            per_epoch += k
            record(step)
    s = np.array(steps)
    return HiddenMeansTrace(steps=s, epochs=s / per_epoch, means=np.array(means),
                            low_fraction=np.array(lows), accuracy=np.array(accs),
                            low=float(low))


def layer_factors(net: Network, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Sizes of the factors of eq. (124) for each input, layer by layer.

    For hidden layer l (column i for hidden layer i + 1) and each input:

    * ``sigma_prime_norm``: ||Sigma'(z^l)||_2 = max_j sigma'(z^l_j) (a diagonal matrix's norm);
    * ``sigma_prime_mean``: the mean of the diagonal, mean_j sigma'(z^l_j) (a typical entry);
    * ``weight_norm``: ||(w^{l+1})^T||_2, the largest singular value (same for every input);
    * ``bound``: their product, an upper bound on the shrink factor;
    * ``shrink``: the measured ||delta^l|| / ||delta^{l+1}||.

    Returns a dict of arrays of shape (n, L - 2) (``weight_norm``: (L - 2,)).
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a chapter5.network.Network; got {type(net).__name__}")
    from chapter5.network import ACTIVATIONS

    g = net.gradients(x, y)
    sigma_prime = ACTIVATIONS[net.activation][1]
    hidden = len(g.z) - 1
    sp_norm = np.stack([sigma_prime(g.z[i]).max(axis=1) for i in range(hidden)], axis=1)
    sp_mean = np.stack([sigma_prime(g.z[i]).mean(axis=1) for i in range(hidden)], axis=1)
    w_norm = np.array([np.linalg.norm(net.weights[i + 1], 2) for i in range(hidden)])
    d_norm = np.stack([np.linalg.norm(d, axis=1) for d in g.delta], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = d_norm[:, :-1] / d_norm[:, 1:]
    return {"sigma_prime_norm": sp_norm, "sigma_prime_mean": sp_mean, "weight_norm": w_norm,
            "bound": sp_norm * w_norm[None, :], "shrink": shrink}


def speeds_over_seeds(
    sizes: Sequence[int],
    seeds: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
    *,
    activation: Literal["sigmoid", "tanh", "relu"] = "sigmoid",
    init: Literal["default", "large", "xavier", "he"] = "default",
) -> np.ndarray:
    """The chapter's speed of learning at initialisation (protocol B) for each seed.

    Returns an array (len(seeds), L - 2): ``Network(sizes, seed=s, activation=..., init=...)
    .speeds(x, y)`` row by row. Introduced in ``06-many-neurons-other-obstacles``.
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must list at least one seed")
    return np.array([Network(sizes, seed=s, activation=activation, init=init).speeds(x, y)
                     for s in seeds])


# ============================================================================ figures
def _figure(width: float, height: float, ncols: int = 1, **kw: Any
            ) -> tuple[Figure, np.ndarray]:
    import matplotlib

    with matplotlib.rc_context(cast(Any, rc_params())):
        fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        axes = np.atleast_1d(fig.subplots(1, ncols, squeeze=False, **kw)[0])
    return fig, axes


def saturation_figure(traces: Mapping[str, HiddenMeansTrace]) -> Figure:
    """Mean activation of each hidden layer against training time, one panel per run
    (label -> trace), with the probe accuracy on a second axis. Introduced in
    ``06-many-neurons-other-obstacles``."""
    if not traces:
        raise ValueError("traces must hold at least one run")
    fig, axes = _figure(3.6 * len(traces) + 0.6, 3.6, ncols=len(traces), sharey=True)
    last = len(traces) - 1
    for k, (ax, (label, t)) in enumerate(zip(axes, traces.items(), strict=True)):
        for i in range(t.means.shape[1]):
            ax.plot(t.epochs, t.means[:, i], color=CYCLE[i % len(CYCLE)], linewidth=1.6,
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
    if not panels or not all(panels.values()):
        raise ValueError("panels must hold at least one non-empty group of set-ups")
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
    if not factors:
        raise ValueError("factors must hold at least one set-up")
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
        ax.axhline(1.0, color=INK, linewidth=0.8, linestyle="--")
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer l")
        ax.set_title(label, fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("factor size (median over inputs)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return apply_style(fig)
