"""Argument checks shared by notebook 06's measurements and experiments (private).

Every check raises a ValueError or TypeError that names the parameter and says what to pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from chapter5._validate import choice, finite_array, finite_float, int_list, positive_int
from chapter5.data import MNIST
from chapter5.network import ACTIVATIONS, INITIALISERS, Network, as_generator

Activation = Literal["sigmoid", "tanh", "relu"]
Init = Literal["default", "large", "xavier", "he"]


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
