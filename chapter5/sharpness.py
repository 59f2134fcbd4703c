"""The sharpness of the cost: its largest curvature (top Hessian eigenvalue), which decides
whether a gradient-descent step of size eta is stable (eta < 2 / sharpness). Notebook 06.

Introduced in ``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from chapter5._obstacle_checks import _batch, _check_net, _positive
from chapter5._validate import positive_int
from chapter5.network import Network


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
