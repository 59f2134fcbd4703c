"""The deep-network lab's experiment: a :class:`LabConfig`, its presets, its network and images.

Introduced in ``07-deep-network-lab``; :mod:`chapter5.lab` describes the lab and its
initialisations. Math only (numpy).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from chapter5._validate import finite_float, positive_int
from chapter5.network import ACTIVATIONS, MAX_LMBDA, Network, as_generator

#: Limits of the lab's controls.
DEPTH_RANGE: tuple[int, int] = (1, 10)
WIDTH_RANGE: tuple[int, int] = (10, 100)
MAX_IMAGES = 1000
MAX_ETA = 10.0
INITS: tuple[str, ...] = ("default", "large", "small", "zeros", "xavier", "he")
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)


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



__all__ = ["ACTIVATION_NAMES", "DEPTH_RANGE", "INITS", "MAX_ETA", "MAX_IMAGES", "PRESETS",
           "WIDTH_RANGE", "LabConfig", "build_network", "images", "preset"]
