"""The deep-network lab at initialisation: per-layer speeds, histograms, saturation, the
predicted shrink per layer and the escape clause |w sigma'(z)| >= 1.

Introduced in ``07-deep-network-lab``. Math only (numpy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from chapter5._validate import finite_array
from chapter5.lab_config import LabConfig, _array, _check_config, _check_net, build_network, images
from chapter5.network import ACTIVATIONS, Network

#: A neuron is saturated on an image when sigma'(z) is below this fraction of sigma''s peak
#: (1/4 for the sigmoid, 1 for tanh); for ReLU that is sigma'(z) = 0, an inactive neuron.
SATURATION_FRACTION = 0.01
PEAK_DERIVATIVE: dict[str, float] = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
#: Histogram bins: activations over [-1, 1] (sigmoid and tanh; ReLU's larger values land in the
#: last bin), gradients as log10 |dC_x/db| over [-12, 0] (smaller magnitudes in the first bin).
ACTIVATION_BINS = np.linspace(-1.0, 1.0, 41)
GRADIENT_LOG10_BINS = np.linspace(-12.0, 0.0, 49)

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


__all__ = ["ACTIVATION_BINS", "GRADIENT_LOG10_BINS", "PEAK_DERIVATIVE", "SATURATION_FRACTION",
           "AtInit", "LayerHistogram", "at_init", "escape_clause", "predicted_shrink_per_layer",
           "ratio_last_first", "shrink_per_layer"]
