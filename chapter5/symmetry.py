"""Symmetry breaking: a net started with every weight and bias 0 against a random start (notebook
06): do the neurons of a hidden layer ever become different?

Introduced in ``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chapter5._obstacle_cache import _cache, _fingerprint
from chapter5._obstacle_checks import MAX_EPOCHS, _eta, _experiment_args
from chapter5._validate import positive_int
from chapter5.data import MNIST
from chapter5.network import Network


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
