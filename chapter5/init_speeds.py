"""The speed of learning at initialisation for any activation and initialiser (notebook 06).

* :func:`speeds_over_seeds` -- the chapter's protocol B (the speed of each hidden layer of a
  freshly initialised net) over a block of seeds;
* :func:`init_speeds` -- the same on MNIST images, cached.

Introduced in ``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from chapter5._obstacle_cache import _cache, _fingerprint
from chapter5._obstacle_checks import (
    Activation,
    Init,
    _experiment_args,
    _hidden_scale,
    _seeds,
)
from chapter5.data import MNIST
from chapter5.network import Network


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
