"""Saturation of the hidden layers during training (notebook 06; Glorot and Bengio, 2010).

* :func:`glorot_bengio_parameters` -- their "standard" initialisation,
  w ~ U[-1/sqrt(n_in), 1/sqrt(n_in)], b = 0, which :class:`chapter5.network.Network` does not
  offer by name;
* :func:`track_hidden_means` -- mini-batch SGD that pauses every so often to record the mean
  activation of each hidden layer on a fixed probe set (the measurement behind their saturation
  plot);
* :func:`saturation_run` -- that measurement on MNIST, cached.

Introduced in ``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chapter5._obstacle_cache import _cache, _fingerprint
from chapter5._obstacle_checks import (
    MAX_EPOCHS,
    _batch,
    _check_data,
    _check_net,
    _eta,
    _generator,
    _lmbda,
    _sizes,
    _whole,
)
from chapter5._validate import choice, finite_float, positive_int
from chapter5.data import MNIST
from chapter5.network import INITIALISERS, Network


def glorot_bengio_parameters(sizes: Sequence[int], seed: int | np.random.Generator
                             ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Glorot & Bengio's (2010) "standard" initialisation: w ~ U[-1/sqrt(n_in), 1/sqrt(n_in)],
    b = 0, layer by layer (weights drawn row-major, shape (n_out, n_in)).

    Returns ``(weights, biases)`` ready for :meth:`Network.set_parameters`.
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    sizes = _sizes(sizes)
    rng = _generator(seed)
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
    _check_net(net)
    x, y = _batch(net, "x", x, "y", y)
    probe_x, probe_y = _batch(net, "probe_x", probe_x, "probe_y", probe_y)
    epochs = _whole("epochs", epochs, maximum=MAX_EPOCHS)
    records_per_epoch = _whole("records_per_epoch", records_per_epoch)
    mini_batch_size = _whole("mini_batch_size", mini_batch_size)
    eta = _eta(eta)
    lmbda = _lmbda(lmbda, eta, x.shape[0])
    low = finite_float("low", low)
    if not 0.0 < low < 1.0:
        raise ValueError(f"low must lie strictly between 0 and 1; got {low!r}")
    n = x.shape[0]
    if records_per_epoch * mini_batch_size > n:
        raise ValueError(f"records_per_epoch ({records_per_epoch}) x mini_batch_size "
                         f"({mini_batch_size}) must not exceed the {n} training inputs")
    rng = _generator(seed)
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


@dataclass(frozen=True, eq=False)
class SaturationRun:
    """What :func:`saturation_run` records: the activation trace, and the trained net's output
    on the probe images (for the exercise on what the net computes meanwhile).

    Attributes
    ----------
    trace : HiddenMeansTrace
    output_z_mean, output_z_std : array (10,)
        Mean and standard deviation over the probe images of each output's z^L at the end.
    output_bias : array (10,)
        The output biases b^L at the end.

    Introduced in ``06-many-neurons-other-obstacles``.
    """

    trace: HiddenMeansTrace
    output_z_mean: np.ndarray
    output_z_std: np.ndarray
    output_bias: np.ndarray


def saturation_run(width: int, init: str, seed: int, data: MNIST, *, hidden_layers: int = 4,
                   n_train: int = 10_000, n_probe: int = 1000, epochs: int = 1,
                   mini_batch_size: int = 10, eta: float = 0.1, records_per_epoch: int = 20
                   ) -> SaturationRun:
    """A sigmoid net [784, width x hidden_layers, 10] trained by mini-batch SGD on the first
    ``n_train`` training images (no weight decay) under :func:`track_hidden_means`, probed on the
    first ``n_probe`` validation images. ``init`` is ``"Glorot-Bengio"``
    (:func:`glorot_bengio_parameters`) or a :class:`Network` initialiser. Cached.

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    data = _check_data(data)
    width = positive_int("width", width, maximum=10_000)
    init = choice("init", init, ("Glorot-Bengio",) + INITIALISERS)
    seed = positive_int("seed", seed, minimum=0)
    hidden_layers = positive_int("hidden_layers", hidden_layers, maximum=100)
    n_train = positive_int("n_train", n_train, maximum=len(data.train.y))
    n_probe = positive_int("n_probe", n_probe, maximum=len(data.validation.y))
    epochs = positive_int("epochs", epochs, maximum=MAX_EPOCHS)
    mini_batch_size = positive_int("mini_batch_size", mini_batch_size, maximum=n_train)
    eta = _eta(eta)
    records_per_epoch = positive_int("records_per_epoch", records_per_epoch, maximum=n_train)
    sizes = [data.train.x.shape[1]] + [width] * hidden_layers + [10]
    x, y = data.train.x[:n_train], data.train.y[:n_train]
    px, py = data.validation.x[:n_probe], data.validation.y[:n_probe]
    params = {"sizes": sizes, "init": init, "seed": int(seed), "epochs": int(epochs),
              "m": int(mini_batch_size), "eta": float(eta), "records": int(records_per_epoch),
              "data": _fingerprint(x, y, px, py)}
    r_count = int(epochs) * int(records_per_epoch) + 1
    shapes: dict[str, tuple[int, ...]] = {
        "steps": (r_count,), "epochs": (r_count,), "means": (r_count, int(hidden_layers)),
        "low_fraction": (r_count, int(hidden_layers)), "accuracy": (r_count,),
        "output_z_mean": (10,), "output_z_std": (10,), "output_bias": (10,)}

    def compute() -> dict[str, np.ndarray]:
        if init == "Glorot-Bengio":
            net = Network(sizes, seed=int(seed))
            net.set_parameters(*glorot_bengio_parameters(sizes, seed=int(seed)))
        else:
            net = Network(sizes, seed=int(seed), init=init)  # type: ignore[arg-type]
        t = track_hidden_means(net, x, y, px, py, epochs=int(epochs),
                               mini_batch_size=mini_batch_size, eta=eta, lmbda=0.0,
                               records_per_epoch=int(records_per_epoch), seed=int(seed))
        z_out = net.forward(px)[0][-1]
        return {"steps": t.steps, "epochs": t.epochs, "means": t.means,
                "low_fraction": t.low_fraction, "accuracy": t.accuracy,
                "output_z_mean": z_out.mean(axis=0), "output_z_std": z_out.std(axis=0),
                "output_bias": net.biases[-1].copy()}

    r = _cache("06-saturation", params, shapes, compute)
    trace = HiddenMeansTrace(steps=r["steps"].astype(int), epochs=r["epochs"], means=r["means"],
                             low_fraction=r["low_fraction"], accuracy=r["accuracy"], low=0.1)
    return SaturationRun(trace, r["output_z_mean"], r["output_z_std"], r["output_bias"])
