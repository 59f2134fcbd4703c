"""The deep-network lab: one MNIST network's per-layer learning, at initialisation and in training.

Introduced in ``07-deep-network-lab``. Math only (numpy); the widgets live in
:mod:`chapter5.viz.lab`.

A :class:`LabConfig` names a network ([784, width x depth, 10], the chosen hidden activation and
initialisation), the learning rate eta, the L2 parameter lmbda and how many of the first MNIST
training images it sees. Everything the lab shows is computed here from
:class:`chapter5.network.Network` (its public API only):

* :func:`at_init` -- each hidden layer's speed ||dC/db^l|| (the norm of the *mean* bias gradient
  over the images, the chapter's protocol B), and per-layer histograms of the activations a^l and
  of the per-image bias gradients dC_x/db^l, with the share of saturated neurons;
* :func:`train` -- the chapter's protocol C as a generator: for each epoch, record the speeds,
  then take one full-batch gradient-descent step; it yields chunks of epochs with the
  update-to-parameter ratio ||Delta w^l|| / ||w^l|| of a step, so a user interface can stream
  and stop;
* :func:`escape_clause` -- how often |w sigma'(z)| reaches 1, the chapter's condition for a
  factor of the gradient product not to shrink it.

Initialisations (weights w of a layer with n_in inputs and n_out outputs):

* ``default`` w ~ N(0, 1/n_in), b ~ N(0, 1) (the book's ``network2``);
* ``large``   w ~ N(0, 1), b ~ N(0, 1) (the book's "large" initialisation);
* ``small``   w ~ N(0, 0.01^2), b = 0;
* ``zeros``   w = 0, b = 0 (every neuron of a layer is the same and stays the same);
* ``xavier``  w ~ N(0, 2/(n_in + n_out)), b = 0: the *normal* distribution with the variance of
  Glorot and Bengio's (2010) uniform U[-sqrt(6/(n_in + n_out)), +sqrt(6/(n_in + n_out))];
* ``he``      w ~ N(0, 2/n_in), b = 0 (He et al. 2015).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from chapter5._validate import finite_array, finite_float, positive_int
from chapter5.network import ACTIVATIONS, MAX_LMBDA, Network, as_generator

#: Limits of the lab's controls.
DEPTH_RANGE: tuple[int, int] = (1, 10)
WIDTH_RANGE: tuple[int, int] = (10, 100)
MAX_IMAGES = 1000
MAX_ETA = 10.0
#: Limits of :func:`train`: epochs of one run, epochs per chunk.
MAX_EPOCHS = 5000
MAX_CHUNK = 500
INITS: tuple[str, ...] = ("default", "large", "small", "zeros", "xavier", "he")
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
#: A neuron is saturated on an image when sigma'(z) is below this fraction of sigma''s peak
#: (1/4 for the sigmoid, 1 for tanh); for ReLU that is sigma'(z) = 0, an inactive neuron.
SATURATION_FRACTION = 0.01
PEAK_DERIVATIVE: dict[str, float] = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
#: Histogram bins: activations over [-1, 1] (sigmoid and tanh; ReLU's larger values land in the
#: last bin), gradients as log10 |dC_x/db| over [-12, 0] (smaller magnitudes in the first bin).
ACTIVATION_BINS = np.linspace(-1.0, 1.0, 41)
GRADIENT_LOG10_BINS = np.linspace(-12.0, 0.0, 49)


@dataclass(frozen=True)
class LabConfig:
    """One experiment of the lab; every field is checked on creation.

    Parameters
    ----------
    depth : int
        Hidden layers, 1-10.
    width : int
        Neurons per hidden layer, 10-100.
    activation : {"sigmoid", "tanh", "relu"}
        Hidden activation (the output layer is a sigmoid, the cost cross-entropy).
    init : {"default", "large", "small", "zeros", "xavier", "he"}
        See the module docstring.
    eta : float
        Learning rate of the full-batch steps, 0 < eta <= 10.
    lmbda : float
        L2 parameter, 0 <= lmbda <= 1e4 (:data:`chapter5.network.MAX_LMBDA`, the most
        :meth:`chapter5.network.Network.gradient_descent` accepts); the chapter uses 5.0 with
        n = the number of images.
    n_images : int
        The first ``n_images`` MNIST training images, 1-1000.
    seed : int
        Seed of the numpy Generator that draws the initial parameters.

    Introduced in ``07-deep-network-lab``.
    """

    depth: int = 4
    width: int = 30
    activation: str = "sigmoid"
    init: str = "default"
    eta: float = 0.1
    lmbda: float = 5.0
    n_images: int = MAX_IMAGES
    seed: int = 0

    def __post_init__(self) -> None:
        for name, (lo, hi) in (("depth", DEPTH_RANGE), ("width", WIDTH_RANGE),
                               ("n_images", (1, MAX_IMAGES))):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise TypeError(f"{name} must be a whole number from {lo} to {hi}; got {v!r}")
            v = int(v)
            if not lo <= v <= hi:
                raise ValueError(f"{name} must be from {lo} to {hi}; got {v}")
            object.__setattr__(self, name, v)
        for name, allowed in (("activation", ACTIVATION_NAMES), ("init", INITS)):
            v = getattr(self, name)
            if not isinstance(v, str):
                raise TypeError(f"{name} must be a string, one of {', '.join(allowed)}; "
                                f"got {v!r}")
            if v not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {v!r}")
        eta = finite_float("eta", self.eta)
        if not 0.0 < eta <= MAX_ETA:
            raise ValueError(f"eta must be > 0 and <= {MAX_ETA:g}; got {eta}")
        lmbda = finite_float("lmbda", self.lmbda)
        if not 0.0 <= lmbda <= MAX_LMBDA:
            raise ValueError(f"lmbda must be >= 0 and <= {MAX_LMBDA:g} (what the network "
                             f"accepts); got {lmbda}")
        object.__setattr__(self, "eta", eta)
        object.__setattr__(self, "lmbda", lmbda)
        object.__setattr__(self, "seed", positive_int("seed", self.seed, minimum=0))

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer sizes ``(784, width, ..., width, 10)``."""
        return (784,) + (self.width,) * self.depth + (10,)

    def with_(self, **changes: Any) -> LabConfig:
        """A copy with some fields changed (checked again)."""
        return replace(self, **changes)


#: The lab's presets: the chapter's nets (2/3/4 hidden layers of 30, default and large init), the
#: symmetric zero start, and tanh/Xavier and ReLU/He as a look ahead.
PRESETS: dict[str, LabConfig] = {
    **{f"chapter {h} hidden, default init": LabConfig(depth=h) for h in (2, 3, 4)},
    **{f"chapter {h} hidden, large init": LabConfig(depth=h, init="large") for h in (2, 3, 4)},
    "zeros: symmetry": LabConfig(depth=4, init="zeros"),
    "tanh, Xavier": LabConfig(depth=4, activation="tanh", init="xavier"),
    "ReLU, He": LabConfig(depth=4, activation="relu", init="he"),
}


def preset(name: str) -> LabConfig:
    """The :class:`LabConfig` of the preset ``name`` (a key of :data:`PRESETS`).

    Introduced in ``07-deep-network-lab``.
    """
    if not isinstance(name, str) or name not in PRESETS:
        raise ValueError(f"name must be one of {', '.join(map(repr, PRESETS))}; got {name!r}")
    return PRESETS[name]


def _check_config(config: object) -> None:
    if not isinstance(config, LabConfig):
        raise TypeError(f"config must be a chapter5.lab.LabConfig (e.g. LabConfig(depth=4) or "
                        f"preset(name)); got {type(config).__name__}")


def _check_net(net: object, config: LabConfig) -> None:
    """``net`` must be a Network of ``config``'s sizes and hidden activation."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a chapter5.network.Network (e.g. build_network(config)) "
                        f"or None; got {type(net).__name__}")
    if net.sizes != config.sizes or net.activation != config.activation:
        raise ValueError(f"net must be a Network with sizes {list(config.sizes)} and activation "
                         f"{config.activation!r} (config's); got {list(net.sizes)}, "
                         f"{net.activation!r}")


def build_network(config: LabConfig) -> Network:
    """The network of ``config`` at its initial parameters, drawn from ``default_rng(seed)``.

    The Network's own initialisers draw ``default``, ``large``, ``xavier`` and ``he``; ``small``
    draws each layer's weights, in order, as N(0, 1) x 0.01 from the same seeded Generator.

    Introduced in ``07-deep-network-lab``.
    """
    _check_config(config)
    own = config.init in ("default", "large", "xavier", "he")
    net = Network(config.sizes, seed=config.seed, activation=config.activation,  # type: ignore[arg-type]
                  init=config.init if own else "xavier")  # type: ignore[arg-type]
    if not own:
        rng = as_generator(config.seed)
        scale = 0.01 if config.init == "small" else 0.0
        w = [rng.standard_normal(wl.shape) * scale for wl in net.weights]
        net.set_parameters(w, [np.zeros_like(bl) for bl in net.biases])
    return net


def images(x: object, y: object, config: LabConfig) -> tuple[np.ndarray, np.ndarray]:
    """The first ``config.n_images`` rows of MNIST inputs ``x`` (n, 784) and int labels ``y``.

    Introduced in ``07-deep-network-lab``.
    """
    _check_config(config)
    xs, ys = _array("x", x), _array("y", y)
    if xs.ndim != 2 or xs.shape[1] != 784 or not np.issubdtype(xs.dtype, np.floating):
        raise ValueError(f"x must be MNIST inputs, floats of shape (n, 784) such as "
                         f"load_mnist().train.x; got shape {xs.shape}, dtype {xs.dtype}")
    if ys.shape != (xs.shape[0],) or not np.issubdtype(ys.dtype, np.integer):
        raise ValueError(f"y must hold {xs.shape[0]} integer labels (one per row of x); got "
                         f"shape {ys.shape}, dtype {ys.dtype}")
    if xs.shape[0] < config.n_images:
        raise ValueError(f"x holds {xs.shape[0]} images, fewer than n_images = "
                         f"{config.n_images}")
    xs, ys = np.asarray(xs[:config.n_images], dtype=np.float64), ys[:config.n_images]
    if not np.all(np.isfinite(xs)):
        raise ValueError("x must hold finite numbers (no NaN or infinity) in its first "
                         f"n_images = {config.n_images} rows")
    if ys.size and (ys.min() < 0 or ys.max() > 9):
        raise ValueError(f"y must hold digit labels 0..9; got values from {ys.min()} to "
                         f"{ys.max()}")
    return xs, ys


def _array(name: str, value: object) -> np.ndarray:
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged lists and the like
        raise ValueError(f"{name} must be an array; got {type(value).__name__}") from exc


@dataclass(frozen=True, eq=False)
class LayerHistogram:
    """One hidden layer at initialisation.

    Attributes
    ----------
    activation_counts : array (len(ACTIVATION_BINS) - 1,)
        Counts of a^l over (image, neuron) pairs in :data:`ACTIVATION_BINS` (values outside the
        range are counted in the first or last bin).
    gradient_counts : array (len(GRADIENT_LOG10_BINS) - 1,)
        Counts of log10 |dC_x/db^l_j| over (image, neuron) pairs (clipped into the range).
    gradient_zeros : int
        (image, neuron) pairs whose gradient is exactly 0 (not in ``gradient_counts``).
    saturated_share : float
        Share of (image, neuron) pairs with sigma'(z) < SATURATION_FRACTION x peak (ReLU: z <= 0).
    dead_share : float
        Share of neurons saturated (ReLU: inactive) on every image.

    Introduced in ``07-deep-network-lab``.
    """

    activation_counts: np.ndarray
    gradient_counts: np.ndarray
    gradient_zeros: int
    saturated_share: float
    dead_share: float


@dataclass(frozen=True, eq=False)
class AtInit:
    """What the lab shows at initialisation.

    Attributes
    ----------
    speeds : array (depth,)
        ||dC/db^l|| for hidden layers l = 1..depth (index l - 1; the book's numbering of hidden
        layers), dC/db^l the mean over the images.
    layers : list of LayerHistogram, one per hidden layer
    z_variance : array (depth,)
        Variance of z^l over (image, neuron) pairs.
    mean_sigma_prime_sq : array (depth,)
        Mean of sigma'(z^l)^2 over (image, neuron) pairs.

    Introduced in ``07-deep-network-lab``.
    """

    speeds: np.ndarray
    layers: list[LayerHistogram]
    z_variance: np.ndarray
    mean_sigma_prime_sq: np.ndarray


def _layer_histogram(a: np.ndarray, z: np.ndarray, delta: np.ndarray, activation: str
                     ) -> LayerHistogram:
    sp = ACTIVATIONS[activation][1](z)
    saturated = sp < SATURATION_FRACTION * PEAK_DERIVATIVE[activation]
    a_counts = np.histogram(np.clip(a, ACTIVATION_BINS[0], ACTIVATION_BINS[-1]),
                            ACTIVATION_BINS)[0]
    mag = np.abs(delta)
    nonzero = mag[mag > 0]
    lo, hi = GRADIENT_LOG10_BINS[0], GRADIENT_LOG10_BINS[-1]
    g_counts = np.histogram(np.clip(np.log10(nonzero), lo, hi), GRADIENT_LOG10_BINS)[0]
    return LayerHistogram(a_counts, g_counts, int(mag.size - nonzero.size),
                          float(saturated.mean()), float(saturated.all(axis=0).mean()))


def at_init(config: LabConfig, x: object, y: object, net: Network | None = None) -> AtInit:
    """Speeds, histograms and saturation of every hidden layer of ``config``'s net at init.

    Parameters
    ----------
    config : LabConfig
    x, y : MNIST inputs (n, 784) and int labels (n,), n >= config.n_images
    net : Network, optional
        Use this network (e.g. one built and trained already) instead of a fresh one.

    Introduced in ``07-deep-network-lab``.
    """
    xs, ys = images(x, y, config)
    if net is None:
        net = build_network(config)
    _check_net(net, config)
    with np.errstate(over="ignore"):
        g = net.gradients(xs, ys)
    hidden = range(config.depth)
    layers = [_layer_histogram(g.a[i + 1], g.z[i], g.delta[i], config.activation)
              for i in hidden]
    sp = ACTIVATIONS[config.activation][1]
    return AtInit(
        speeds=g.speeds,
        layers=layers,
        z_variance=np.array([float(g.z[i].var()) for i in hidden]),
        mean_sigma_prime_sq=np.array([float(np.mean(sp(g.z[i]) ** 2)) for i in hidden]),
    )


def ratio_last_first(speeds: np.ndarray) -> float:
    """Speed of the last hidden layer over that of the first (inf if the first is 0, and 1 when
    both are 0), for 1-D ``speeds`` (depth,).

    Introduced in ``07-deep-network-lab``.
    """
    s = _speeds(speeds)
    if s[0] == 0.0:
        return 1.0 if s[-1] == 0.0 else math.inf
    return float(s[-1] / s[0])


def _speeds(speeds: object) -> np.ndarray:
    s = finite_array("speeds", speeds, ndim=1)
    if s.size == 0 or not np.all(s >= 0):
        raise ValueError("speeds must be a non-empty 1-D array of non-negative numbers, one "
                         f"per hidden layer (such as AtInit.speeds); got {s!r:.80}")
    return s


def shrink_per_layer(speeds: np.ndarray) -> float:
    """The geometric-mean factor by which the speed falls from one hidden layer to the one below,
    ``ratio_last_first(speeds) ** (1 / (depth - 1))`` (1 for one hidden layer).

    Introduced in ``07-deep-network-lab``.
    """
    s = _speeds(speeds)
    r = ratio_last_first(s)
    return 1.0 if s.size == 1 else float(r ** (1.0 / (s.size - 1)))


def predicted_shrink_per_layer(config: LabConfig, init: AtInit) -> float:
    """The shrink per layer that variance propagation predicts for the backward pass.

    delta^l = sigma'(z^l) * (w^{l+1})^T delta^{l+1}: with independent, zero-mean weights of
    variance v the squared size of the gradient is multiplied, from one hidden layer to the one
    below, by n_out v E[sigma'(z)^2] (n_out = width neurons above). This returns
    ``1 / sqrt(width v mean(E[sigma'(z^l)^2]))`` over hidden layers 1..depth-1, using the measured
    E[sigma'^2] (``nan`` is never returned: 1 for one hidden layer, inf for zero weights).

    Introduced in ``07-deep-network-lab``.
    """
    _check_config(config)
    if not isinstance(init, AtInit):
        raise TypeError(f"init must be an AtInit (what at_init(config, x, y) returns); got "
                        f"{type(init).__name__}")
    if init.mean_sigma_prime_sq.shape != (config.depth,):
        raise ValueError(f"init must be an AtInit of config's {config.depth} hidden layers; "
                         f"got one of {init.mean_sigma_prime_sq.shape[0]}")
    if config.depth == 1:
        return 1.0
    n = config.width
    v = {"default": 1.0 / n, "large": 1.0, "small": 1e-4, "zeros": 0.0,
         "xavier": 2.0 / (2 * n), "he": 2.0 / n}[config.init]
    gain = n * v * float(np.mean(init.mean_sigma_prime_sq[:-1]))
    return math.inf if gain == 0.0 else 1.0 / math.sqrt(gain)


@dataclass(frozen=True, eq=False)
class Chunk:
    """A run of consecutive epochs of protocol C.

    Attributes
    ----------
    first_epoch : int
        Number of the chunk's first epoch (0 for the initial parameters).
    speeds : array (k, depth)
        ||dC/db^l|| of hidden layers 1..depth for each of the k epochs, recorded before that
        epoch's step.
    update_ratio : array (depth + 1,)
        ||Delta w^l|| / ||w^l|| of the chunk's LAST step for every weight matrix (hidden layers,
        then the output layer), w^l before that step; inf when w^l = 0 and it moves, 0 when it
        does not.
    diverged : bool
        True when training blew up in this chunk: a recorded speed or a parameter after its last
        step is no longer a finite number (eta too large for this net). Every later epoch would
        be NaN, so :func:`train` stops after yielding it; a user interface shows the finite
        epochs and says to lower eta.

    Introduced in ``07-deep-network-lab``.
    """

    first_epoch: int
    speeds: np.ndarray
    update_ratio: np.ndarray
    diverged: bool = False

    @property
    def last_epoch(self) -> int:
        """Number of the chunk's last epoch (the one ``update_ratio`` describes)."""
        return self.first_epoch + self.speeds.shape[0] - 1


def _update_ratio(before: list[np.ndarray], after: list[np.ndarray]) -> np.ndarray:
    out = np.empty(len(before))
    for i, (w0, w1) in enumerate(zip(before, after, strict=True)):
        norm = float(np.sqrt(np.sum(w0 * w0)))
        step = float(np.sqrt(np.sum((w1 - w0) ** 2)))
        out[i] = step / norm if norm > 0 else (math.inf if step > 0 else 0.0)
    return out


def train(config: LabConfig, x: object, y: object, epochs: int, *, chunk: int = 1,
          net: Network | None = None) -> Iterator[Chunk]:
    """Protocol C in chunks: each epoch records the speeds, then takes one full-batch step.

    The steps are ``Network.gradient_descent`` (eta = config.eta, lmbda = config.lmbda,
    n = config.n_images). A user interface streams the chunks and may stop between them; ``net``
    is then left after the last step taken. ``chunk = 1`` measures the update ratio of every
    step; larger chunks run faster (fewer calls) and measure it once per chunk.

    Parameters
    ----------
    config : LabConfig
    x, y : MNIST inputs and int labels (at least ``config.n_images``)
    epochs : int
        Total epochs (1 to :data:`MAX_EPOCHS`); the last chunk may be shorter.
    chunk : int
        Epochs per yielded :class:`Chunk` (1 to :data:`MAX_CHUNK`).
    net : Network, optional
        Train this network (it is changed in place); default a fresh ``build_network(config)``.

    Yields
    ------
    Chunk
        The last one has ``diverged`` set when training blew up (then no more are yielded).

    Introduced in ``07-deep-network-lab``.
    """
    epochs, chunk = check_epochs(epochs, chunk)
    xs, ys = images(x, y, config)
    if net is None:
        net = build_network(config)
    _check_net(net, config)
    return _train(net, config, xs, ys, epochs, chunk)


def check_epochs(epochs: object, chunk: object) -> tuple[int, int]:
    """``(epochs, chunk)`` checked as :func:`train` takes them: whole numbers, 1 <= epochs <=
    :data:`MAX_EPOCHS`, 1 <= chunk <= :data:`MAX_CHUNK`; a clear error naming the one that is not.

    Introduced in ``07-deep-network-lab``.
    """
    return (positive_int("epochs", epochs, maximum=MAX_EPOCHS),
            positive_int("chunk", chunk, maximum=MAX_CHUNK))


def _train(net: Network, config: LabConfig, xs: np.ndarray, ys: np.ndarray, epochs: int,
           chunk: int) -> Iterator[Chunk]:
    def steps(k: int) -> np.ndarray:
        return net.gradient_descent(xs, ys, epochs=k, eta=config.eta, lmbda=config.lmbda,
                                    n=config.n_images)

    for first in range(0, epochs, chunk):
        k = min(chunk, epochs - first)
        # a step that overflows is reported through `diverged`, not as numpy warnings
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            head = steps(k - 1) if k > 1 else np.empty((0, config.depth))
            before = [w.copy() for w in net.weights]
            last = steps(1)
            speeds = np.concatenate([head, last])
            ratio = _update_ratio(before, net.weights)
        diverged = not (np.all(np.isfinite(speeds))
                        and all(np.all(np.isfinite(p)) for p in (*net.weights, *net.biases)))
        yield Chunk(first, speeds, ratio, diverged)
        if diverged:
            return


def run(config: LabConfig, x: object, y: object, epochs: int, *, chunk: int = 1
        ) -> tuple[np.ndarray, np.ndarray]:
    """All of :func:`train` at once: speeds (epochs, depth) and the update ratios
    (number of chunks, depth + 1), each of a chunk's last step.

    Introduced in ``07-deep-network-lab``.
    """
    records = list(train(config, x, y, epochs, chunk=chunk))
    return (np.concatenate([r.speeds for r in records]),
            np.array([r.update_ratio for r in records]))


def escape_clause(net: Network, x: object) -> np.ndarray:
    """For each weight matrix w^l above a hidden layer (l = 2..L), the largest
    |w^l_jk sigma'(z^l_j)| over its weights and the images ``x``: the chapter's factor, which
    must reach 1 for the gradient not to shrink through that weight. Shape (L - 2,). For a
    sigmoid net it is at most max |w| / 4. (The output layer is always a sigmoid.)

    Introduced in ``07-deep-network-lab``.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a chapter5.network.Network; got {type(net).__name__}")
    xs = _array("x", x)
    if not np.issubdtype(xs.dtype, np.number) or not np.all(np.isfinite(xs)):
        raise ValueError(f"x must hold finite numbers (images, one per row); got "
                         f"{xs.dtype} {xs.shape}")
    with np.errstate(over="ignore"):
        zs, _ = net.forward(xs)
    out = []
    last = len(zs) - 1
    hidden_sp = ACTIVATIONS[net.activation][1]
    for i in range(1, len(zs)):
        sp = ACTIVATIONS["sigmoid"][1](zs[i]) if i == last else hidden_sp(zs[i])
        # max over images and k of |w_jk| sigma'(z_j) = max_j (max_k |w_jk|) (max_x sigma'(z_j))
        out.append(float(np.max(np.abs(net.weights[i]).max(axis=1) * sp.max(axis=0))))
    return np.array(out)
