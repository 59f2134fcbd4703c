"""Measurements of ``06-many-neurons-other-obstacles`` (numpy only; the figures are in
:mod:`chapter5.viz.obstacles`).

Everything here drives :class:`chapter5.network.Network` through its public methods; nothing
re-implements backpropagation.

Measuring helpers:

* :func:`glorot_bengio_parameters` -- the "standard" initialisation of Glorot & Bengio (2010),
  w ~ U[-1/sqrt(n_in), 1/sqrt(n_in)], b = 0, which :class:`Network` does not offer by name;
* :func:`track_hidden_means` -- mini-batch SGD that pauses every so often to record the mean
  activation of each hidden layer on a fixed probe set (the measurement behind Glorot & Bengio's
  saturation plot);
* :func:`layer_factors` -- the sizes of the factors of eq. (124) (Nielsen, ch. 5) in a real net,
  with the shrink that variance propagation predicts;
* :func:`speeds_over_seeds` -- the chapter's speed-of-learning protocol (B) for any activation
  and initialiser;
* :func:`sharpness` -- the largest curvature of the cost (top Hessian eigenvalue), which decides
  whether a gradient-descent step of size eta is stable (eta < 2 / sharpness);
* :func:`escape_factors` -- how close a net's factors |w sigma'(z)| come to the chapter's
  "escape clause" |w sigma'(z)| >= 1.

Experiments (each cached on disk through :mod:`chapter5.experiments`' cache, keyed by every
parameter and a fingerprint of the images used): :func:`init_speeds`, :func:`training_run`,
:func:`saturation_run` and :func:`symmetry_run`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from chapter5._validate import choice, finite_array, finite_float, int_list, positive_int
from chapter5.data import MNIST
from chapter5.network import ACTIVATIONS, INITIALISERS, Network, as_generator

__all__ = [
    "HiddenMeansTrace",
    "glorot_bengio_parameters",
    "track_hidden_means",
    "layer_factors",
    "speeds_over_seeds",
    "sharpness",
    "escape_factors",
    "init_speeds",
    "TrainingRun",
    "training_run",
    "SaturationRun",
    "saturation_run",
    "SymmetryRun",
    "symmetry_run",
]

Activation = Literal["sigmoid", "tanh", "relu"]
Init = Literal["default", "large", "xavier", "he"]

#: Bump when a change here changes what the cached experiments compute.
OBSTACLES_VERSION = "1"


# ============================================================================ measurements
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


def layer_factors(net: Network, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Sizes of the factors of eq. (124) for each input, layer by layer.

    For hidden layer l (column i for hidden layer i + 1) and each input:

    * ``sigma_prime_norm``: ||Sigma'(z^l)||_2 = max_j sigma'(z^l_j) (a diagonal matrix's norm);
    * ``sigma_prime_mean``: the mean of the diagonal, mean_j sigma'(z^l_j) (a typical entry);
    * ``sigma_prime_rms``: the root mean square of the diagonal, sqrt(mean_j sigma'(z^l_j)^2);
    * ``weight_norm``: ||(w^{l+1})^T||_2, the largest singular value (same for every input);
    * ``weight_gain``: ||w^{l+1}||_F / sqrt(n_{l+1}), i.e. sqrt(n_l Var(w^{l+1})): how much
      (w^{l+1})^T stretches a *typical* vector, on average over directions;
    * ``bound``: sigma_prime_norm x weight_norm, an upper bound on the shrink factor;
    * ``predicted``: sigma_prime_rms x weight_gain, the shrink that variance propagation
      predicts (weights independent of the error they multiply);
    * ``shrink``: the measured ||delta^l|| / ||delta^{l+1}||.

    Returns a dict of arrays of shape (n, L - 2) (``weight_norm``, ``weight_gain``: (L - 2,)).
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    _check_net(net)
    g = net.gradients(x, y)
    sigma_prime = ACTIVATIONS[net.activation][1]
    hidden = len(g.z) - 1
    sp = [sigma_prime(g.z[i]) for i in range(hidden)]
    sp_norm = np.stack([s.max(axis=1) for s in sp], axis=1)
    sp_mean = np.stack([s.mean(axis=1) for s in sp], axis=1)
    sp_rms = np.stack([np.sqrt(np.mean(s * s, axis=1)) for s in sp], axis=1)
    w_norm = np.array([np.linalg.norm(net.weights[i + 1], 2) for i in range(hidden)])
    w_gain = np.array([np.linalg.norm(net.weights[i + 1]) / np.sqrt(net.weights[i + 1].shape[0])
                       for i in range(hidden)])
    d_norm = np.stack([np.linalg.norm(d, axis=1) for d in g.delta], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = d_norm[:, :-1] / d_norm[:, 1:]
    return {"sigma_prime_norm": sp_norm, "sigma_prime_mean": sp_mean, "sigma_prime_rms": sp_rms,
            "weight_norm": w_norm, "weight_gain": w_gain, "bound": sp_norm * w_norm[None, :],
            "predicted": sp_rms * w_gain[None, :], "shrink": shrink}


def _hidden_scaled(net: Network, hidden_scale: float) -> Network:
    """``net`` with every weight that reads a hidden activation multiplied by ``hidden_scale``:
    the next layer's z is then exactly what the activation hidden_scale * f(z) would give it."""
    if hidden_scale != 1.0:
        w = [wl.copy() for wl in net.weights]
        for k in range(1, len(w)):
            w[k] *= hidden_scale
        net.set_parameters(w, [bl.copy() for bl in net.biases])
    return net


def speeds_over_seeds(
    sizes: Sequence[int],
    seeds: Sequence[int],
    x: np.ndarray,
    y: np.ndarray,
    *,
    activation: Activation = "sigmoid",
    init: Init = "default",
    hidden_scale: float = 1.0,
) -> np.ndarray:
    """The chapter's speed of learning at initialisation (protocol B) for each seed.

    Returns an array (len(seeds), L - 2): ``Network(sizes, seed=s, activation=..., init=...)
    .speeds(x, y)`` row by row. ``hidden_scale`` = k turns the hidden activation f into k f
    (``hidden_scale=4`` with the sigmoid: the "stretched sigmoid" 4 sigma(z), whose derivative
    peaks at 1) by multiplying every weight that reads a hidden activation by k.
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    seeds = _seeds(seeds)
    scale = _hidden_scale(hidden_scale)
    return np.array([
        _hidden_scaled(Network(sizes, seed=s, activation=activation, init=init), scale)
        .speeds(x, y) for s in seeds])


def _flat(arrays: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate([a.ravel() for a in arrays])


def _gradient_at(net: Network, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Set ``net``'s parameters to the flat vector ``theta`` (all weights, then all biases, each
    row-major) and return the flat gradient of the mean cost in the same order."""
    shapes = [w.shape for w in net.weights] + [b.shape for b in net.biases]
    parts, i = [], 0
    for s in shapes:
        size = int(np.prod(s))
        parts.append(theta[i:i + size].reshape(s))
        i += size
    n_w = len(net.weights)
    net.set_parameters(parts[:n_w], parts[n_w:])
    g = net.gradients(x, y)
    return _flat(list(g.dC_dw) + list(g.dC_db))


def sharpness(net: Network, x: np.ndarray, y: np.ndarray, *, iterations: int = 12,
              eps: float = 1e-4, seed: int = 0) -> float:
    """The largest-magnitude eigenvalue of the Hessian of the mean cost (no L2 term) over the
    inputs ``x`` with respect to all weights and biases, by power iteration.

    Each Hessian-vector product is a central difference of two backpropagated gradients,
    H v ~ (g(theta + eps v) - g(theta - eps v)) / (2 eps). The net is left unchanged.
    Full-batch gradient descent with step eta is stable along the sharpest direction only if
    eta x sharpness < 2 (a step multiplies the error along it by 1 - eta x sharpness).

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    _check_net(net)
    x, y = _batch(net, "x", x, "y", y)
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) \
            or not 1 <= iterations <= 1000:
        raise ValueError(f"iterations must be a whole number >= 1 (at most 1000); "
                         f"got {iterations!r}")
    eps = _positive("eps", eps)
    if eps > 1.0:
        raise ValueError(f"eps must be a small step, at most 1; got {eps!r}")
    seed = positive_int("seed", seed, minimum=0)
    w0 = [w.copy() for w in net.weights]
    b0 = [b.copy() for b in net.biases]
    theta = _flat(w0 + b0)

    def grad(t: np.ndarray) -> np.ndarray:
        return _gradient_at(net, t, x, y)

    v = np.random.default_rng(seed).standard_normal(theta.size)
    v /= np.linalg.norm(v)
    lam = 0.0
    try:
        for _ in range(int(iterations)):
            hv = (grad(theta + eps * v) - grad(theta - eps * v)) / (2.0 * eps)
            lam = float(v @ hv)
            norm = float(np.linalg.norm(hv))
            if norm == 0.0:
                break
            v = hv / norm
    finally:
        net.set_parameters(w0, b0)
    return lam


def escape_factors(net: Network, x: np.ndarray) -> dict[str, np.ndarray]:
    """How close the factors of eq. (124) come to the chapter's escape clause |w sigma'(z)| >= 1.

    In the chain, dC/db_1 = sigma'(z_1) (w_2 sigma'(z_2)) (w_3 sigma'(z_3)) ... : each factor
    pairs a neuron's incoming weight with that neuron's sigma'. With many neurons there is one such
    factor |w_{jk}| sigma'(z_j) per connection k -> j into a hidden layer after the first, and per
    input. With h hidden layers numbered 1 ... h from the input side, returns for hidden layers
    2 ... h (column i for hidden layer i + 2):

    * ``largest``: the largest factor over all inputs and connections, shape (h - 1,);
    * ``share_above_1``: the fraction of (input, connection) pairs with a factor >= 1;

    and ``largest_weight``: max |w| of each weight matrix, the one into hidden layer 1 first and
    the one into the output layer last, shape (h + 1,).

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    _check_net(net)
    sigma_prime = ACTIVATIONS[net.activation][1]
    z, _ = net.forward(x)
    largest, share = [], []
    for i in range(1, len(z) - 1):
        sp = sigma_prime(z[i])  # (n, n_l)
        f = sp[:, :, None] * np.abs(net.weights[i])[None, :, :]  # (n, n_l, n_{l-1})
        largest.append(float(f.max()))
        share.append(float(np.mean(f >= 1.0)))
    return {"largest": np.array(largest), "share_above_1": np.array(share),
            "largest_weight": np.array([float(np.abs(w).max()) for w in net.weights])}


# ============================================================================ experiments
def _check_net(net: object) -> None:
    if not isinstance(net, Network):
        raise TypeError(f"net must be a chapter5.network.Network; got {type(net).__name__}")


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    return float(value)


#: Largest number of epochs (or records) an experiment accepts: far beyond what notebook 06 runs.
MAX_EPOCHS = 100_000
#: Largest learning rate accepted: with eta above this every net here diverges to NaN.
MAX_ETA = 100.0


def _whole(name: str, value: object, *, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number in [minimum, maximum], or a ValueError/TypeError that says so."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        top = "" if maximum is None else f" (at most {maximum})"
        raise ValueError(f"{name} must be a whole number >= {minimum}{top}; got {value!r}")
    return int(value)


def _seeds(seeds: object) -> list[int]:
    if isinstance(seeds, (Sequence, np.ndarray)) and not isinstance(seeds, str) \
            and len(seeds) == 0:
        raise ValueError("seeds must list at least one seed")
    return list(int_list("seeds", seeds))


def _sizes(sizes: object) -> list[int]:
    out = list(int_list("sizes", sizes, minimum=0, maximum=100_000))
    if len(out) < 2 or min(out) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes; got {out}")
    return out


def _generator(seed: object, name: str = "seed") -> np.random.Generator:
    if not isinstance(seed, np.random.Generator):
        seed = positive_int(name, seed, minimum=0)
    return as_generator(seed, name)


def _eta(eta: object) -> float:
    e = finite_float("eta", eta)
    if not 0.0 < e <= MAX_ETA:
        raise ValueError(f"eta must be > 0 and at most {MAX_ETA:g}; got {e!r}")
    return e


def _lmbda(lmbda: object, eta: float, n: int) -> float:
    """lmbda >= 0 with a weight-decay factor 1 - eta lmbda / n that stays above 0."""
    value = finite_float("lmbda", lmbda)
    if value < 0.0:
        raise ValueError(f"lmbda must be >= 0; got {value!r}")
    if eta * value / n >= 1.0:
        raise ValueError(f"lmbda must be below n / eta = {n / eta:g} (else weight decay "
                         f"1 - eta lmbda / n flips every weight's sign); got {value!r}")
    return value


def _hidden_scale(value: object) -> float:
    scale = _positive("hidden_scale", value)
    if scale > 1000.0:
        raise ValueError(f"hidden_scale must be at most 1000 (beyond, every z saturates); "
                         f"got {scale!r}")
    return scale


def _batch(net: Network, x_name: str, x: object, y_name: str, y: object
           ) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (n, sizes[0]) and n integer labels in 0 .. sizes[-1] - 1 for ``net``, checked."""
    arr = finite_array(x_name, x, ndim=2)
    if arr.shape[0] < 1 or arr.shape[1] != net.sizes[0]:
        raise ValueError(f"{x_name} must have shape (n, {net.sizes[0]}) with n >= 1 (one input "
                         f"per row); got {arr.shape}")
    labels = list(int_list(y_name, y, minimum=0, maximum=net.sizes[-1] - 1))
    if len(labels) != arr.shape[0]:
        raise ValueError(f"{y_name} must hold one label per row of {x_name} ({arr.shape[0]}); "
                         f"got {len(labels)}")
    return np.asarray(x), np.asarray(y)


def _experiment_args(data: object, sizes: object, activation: object, init: object,
                     n_images: object) -> tuple[MNIST, list[int], int]:
    data = _check_data(data)
    sizes_t = _sizes(sizes)
    if sizes_t[0] != data.train.x.shape[1] or sizes_t[-1] != 10:
        raise ValueError(f"sizes must start with {data.train.x.shape[1]} inputs and end with 10 "
                         f"outputs for MNIST; got {sizes_t}")
    choice("activation", activation, tuple(ACTIVATIONS))
    choice("init", init, INITIALISERS)
    n = positive_int("n_images", n_images, maximum=len(data.train.y))
    return data, sizes_t, n


def _check_data(data: object) -> MNIST:
    if not isinstance(data, MNIST):
        raise TypeError("data must be the MNIST object chapter5.data.load_mnist() returns; "
                        f"got {type(data).__name__}")
    return data


def _fingerprint(*arrays: np.ndarray) -> str:
    """A short hash of the images and labels an experiment uses (part of its cache key)."""
    h = hashlib.sha256()
    for a in arrays:
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def _cache(kind: str, params: dict[str, Any], shapes: Mapping[str, tuple[int, ...]],
           compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Run ``compute`` through the experiment cache of :mod:`chapter5.experiments`.

    That cache keeps arrays of non-negative numbers, so every array is stored as its positive
    and negative parts (a = pos - neg, exactly) and put back together on the way out.
    """
    from chapter5 import experiments

    def split() -> dict[str, np.ndarray]:
        out = {}
        for k, a in compute().items():
            a = np.asarray(a, dtype=np.float64)
            if a.shape != shapes[k]:
                raise AssertionError(f"{kind}: {k} has shape {a.shape}, expected {shapes[k]}")
            out[f"{k}__pos"], out[f"{k}__neg"] = np.maximum(a, 0.0), np.maximum(-a, 0.0)
        return out

    params = dict(params, obstacles=OBSTACLES_VERSION)
    # the validating cache checks the shape and range of everything it loads
    fields = {f"{k}__{part}": experiments._Field(s) for k, s in shapes.items()
              for part in ("pos", "neg")}
    stored = experiments._cached(kind, params, split, False, fields)
    return {k: stored[f"{k}__pos"] - stored[f"{k}__neg"] for k in shapes}


def init_speeds(
    sizes: Sequence[int],
    seeds: Sequence[int],
    data: MNIST,
    *,
    activation: Activation = "sigmoid",
    init: Init = "default",
    hidden_scale: float = 1.0,
    n_images: int = 1000,
) -> np.ndarray:
    """:func:`speeds_over_seeds` on the first ``n_images`` training images of ``data``, cached.

    Returns an array (len(seeds), len(sizes) - 2). Introduced in
    ``06-many-neurons-other-obstacles``.
    """
    data, sizes_t, n_images = _experiment_args(data, sizes, activation, init, n_images)
    seeds_t = _seeds(seeds)
    hidden_scale = _hidden_scale(hidden_scale)
    x, y = data.train.x[:n_images], data.train.y[:n_images]
    params = {"sizes": sizes_t, "seeds": seeds_t, "activation": activation, "init": init,
              "hidden_scale": float(hidden_scale), "data": _fingerprint(x, y)}
    shapes: dict[str, tuple[int, ...]] = {"speeds": (len(seeds_t), len(sizes_t) - 2)}
    return _cache("06-init-speeds", params, shapes, lambda: {"speeds": speeds_over_seeds(
        sizes_t, seeds_t, x, y, activation=activation, init=init,
        hidden_scale=hidden_scale)})["speeds"]


@dataclass(frozen=True, eq=False)
class TrainingRun:
    """What :func:`training_run` records.

    Attributes
    ----------
    speeds : array (epochs, L - 2)
        Speed of learning of each hidden layer before each full-batch step (protocol C).
    accuracy : float
        Validation accuracy (fraction) after the last step.
    sharpness_epochs : array (k,), int
        Epochs (steps taken) at which :func:`sharpness` was measured.
    sharpness : array (k,)
    escape_start, escape_end : dict of arrays
        :func:`escape_factors` on the training images before the first and after the last step.
    shrink_start, shrink_end : array (L - 2,)
        Median over the training images of the measured ||delta^l|| / ||delta^{l+1}||.

    Introduced in ``06-many-neurons-other-obstacles``.
    """

    speeds: np.ndarray
    accuracy: float
    sharpness_epochs: np.ndarray
    sharpness: np.ndarray
    escape_start: dict[str, np.ndarray]
    escape_end: dict[str, np.ndarray]
    shrink_start: np.ndarray
    shrink_end: np.ndarray


def training_run(
    sizes: Sequence[int],
    seed: int,
    data: MNIST,
    *,
    activation: Activation = "sigmoid",
    init: Init = "default",
    epochs: int = 500,
    eta: float = 0.1,
    lmbda: float = 5.0,
    n_images: int = 1000,
    sharpness_every: int = 0,
) -> TrainingRun:
    """The chapter's protocol C (full-batch gradient descent on the first ``n_images`` training
    images, record the speeds then step) for one net, with what notebook 06 measures on the way:
    validation accuracy at the end, :func:`sharpness` every ``sharpness_every`` epochs (0: never),
    and the escape-clause factors and the error's shrink before and after training. Cached.

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    seed = positive_int("seed", seed, minimum=0)
    epochs = positive_int("epochs", epochs, maximum=MAX_EPOCHS)
    data, sizes_t, n_images = _experiment_args(data, sizes, activation, init, n_images)
    every = positive_int("sharpness_every", sharpness_every, minimum=0, maximum=epochs)
    eta = _eta(eta)
    lmbda = _lmbda(lmbda, eta, n_images)
    x, y = data.train.x[:n_images], data.train.y[:n_images]
    h = len(sizes_t) - 2
    marks = list(range(0, epochs + 1, every)) if every else []
    params = {"sizes": sizes_t, "seed": int(seed), "activation": activation, "init": init,
              "epochs": epochs, "eta": float(eta), "lmbda": float(lmbda), "every": every,
              "data": _fingerprint(x, y, data.validation.x, data.validation.y)}
    shapes: dict[str, tuple[int, ...]] = {
        "speeds": (epochs, h), "accuracy": (), "sharpness_epochs": (len(marks),),
        "sharpness": (len(marks),), "shrink_start": (h,), "shrink_end": (h,)}
    for when in ("start", "end"):
        shapes.update({f"{k}_{when}": (h - 1,) for k in ("largest", "share_above_1")})
        shapes[f"largest_weight_{when}"] = (h + 1,)

    def compute() -> dict[str, np.ndarray]:
        net = Network(sizes_t, seed=int(seed), activation=activation, init=init)
        out: dict[str, np.ndarray] = {}

        def measure(when: str) -> None:
            for k, v in escape_factors(net, x).items():
                out[f"{k}_{when}"] = v
            out[f"shrink_{when}"] = np.median(layer_factors(net, x, y)["shrink"], axis=0)

        measure("start")
        speeds: list[np.ndarray] = []
        sharp: list[float] = []
        done = 0
        for stop in (marks if marks else [0]) + [epochs]:
            if stop > done:
                speeds.append(net.gradient_descent(x, y, epochs=stop - done, eta=eta,
                                                   lmbda=lmbda))
                done = stop
            if marks and stop in marks and len(sharp) < len(marks):
                sharp.append(sharpness(net, x, y))
        measure("end")
        out.update(speeds=np.concatenate(speeds), sharpness=np.array(sharp),
                   sharpness_epochs=np.array(marks, dtype=float),
                   accuracy=np.array(net.accuracy(data.validation.x, data.validation.y)))
        return out

    r = _cache("06-training", params, shapes, compute)
    esc = {when: {k: r[f"{k}_{when}"] for k in ("largest", "share_above_1", "largest_weight")}
           for when in ("start", "end")}
    return TrainingRun(speeds=r["speeds"], accuracy=float(r["accuracy"]),
                       sharpness_epochs=r["sharpness_epochs"].astype(int),
                       sharpness=r["sharpness"], escape_start=esc["start"],
                       escape_end=esc["end"], shrink_start=r["shrink_start"],
                       shrink_end=r["shrink_end"])


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


def saturation_run(
    width: int,
    init: str,
    seed: int,
    data: MNIST,
    *,
    hidden_layers: int = 4,
    n_train: int = 10_000,
    n_probe: int = 1000,
    epochs: int = 1,
    mini_batch_size: int = 10,
    eta: float = 0.1,
    records_per_epoch: int = 20,
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


@dataclass(frozen=True, eq=False)
class SymmetryRun:
    """What :func:`symmetry_run` records, for each start (``"zero"``: every weight and bias 0;
    ``"default"``: the book's random initialisation).

    Attributes
    ----------
    spread : dict of arrays (L - 2,)
        Per hidden layer, the largest difference between two of its neurons' incoming weights
        (max over j, k of |w_jk - w_0k|) after training.
    size : dict of arrays (L - 2,)
        Per hidden layer, the largest |w_jk| after training (to judge the spread against).
    accuracy : dict of float
        Validation accuracy after training.

    Introduced in ``06-many-neurons-other-obstacles``.
    """

    spread: dict[str, np.ndarray]
    size: dict[str, np.ndarray]
    accuracy: dict[str, float]


def symmetry_run(sizes: Sequence[int], data: MNIST, *, epochs: int = 200, eta: float = 0.5,
                 seed: int = 0, n_images: int = 1000) -> SymmetryRun:
    """Full-batch gradient descent (no weight decay) on the first ``n_images`` training images
    from a zero start and from the default random start, and how alike each hidden layer's
    neurons end up. Cached. Introduced in ``06-many-neurons-other-obstacles``.
    """
    data, sizes_t, n_images = _experiment_args(data, sizes, "sigmoid", "default", n_images)
    epochs = positive_int("epochs", epochs, maximum=MAX_EPOCHS)
    eta = _eta(eta)
    seed = positive_int("seed", seed, minimum=0)
    h = len(sizes_t) - 2
    x, y = data.train.x[:n_images], data.train.y[:n_images]
    params = {"sizes": sizes_t, "epochs": int(epochs), "eta": float(eta), "seed": int(seed),
              "data": _fingerprint(x, y, data.validation.x, data.validation.y)}
    starts = ("zero", "default")
    shapes: dict[str, tuple[int, ...]] = {f"{k}_{s}": (h,) for k in ("spread", "size")
                                          for s in starts}
    shapes.update({f"accuracy_{s}": () for s in starts})

    def compute() -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for s in starts:
            net = Network(sizes_t, seed=int(seed))
            if s == "zero":
                net.set_parameters([np.zeros_like(w) for w in net.weights],
                                   [np.zeros_like(b) for b in net.biases])
            net.gradient_descent(x, y, epochs=int(epochs), eta=eta, lmbda=0.0)
            hidden = net.weights[:h]
            out[f"spread_{s}"] = np.array([float(np.abs(w - w[:1]).max()) for w in hidden])
            out[f"size_{s}"] = np.array([float(np.abs(w).max()) for w in hidden])
            out[f"accuracy_{s}"] = np.array(net.accuracy(data.validation.x, data.validation.y))
        return out

    r = _cache("06-symmetry", params, shapes, compute)
    return SymmetryRun(spread={s: r[f"spread_{s}"] for s in starts},
                       size={s: r[f"size_{s}"] for s in starts},
                       accuracy={s: float(r[f"accuracy_{s}"]) for s in starts})
