"""Activation functions and their derivatives, exact and warning-free for every finite float.

Introduced in ``03-chain-of-neurons`` (sigmoid, sigma') and ``06-many-neurons-other-obstacles``
(tanh, ReLU). All functions accept scalars or arrays of any shape and return the same shape.
They follow IEEE arithmetic at the edges: NaN in gives NaN out, z = +-inf gives the limits
(sigma(inf) = 1, sigma'(inf) = 0, relu(inf) = inf). Anything that is not a real number (None,
strings, bools, complex) raises TypeError naming ``z``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from chapter5._validate import real_array

LN10 = float(np.log(10.0))


def sigmoid(z: ArrayLike) -> np.ndarray:
    """The logistic function sigma(z) = 1 / (1 + exp(-z)).

    Computed as ``exp(-|z|)``-based branches so that no ``exp`` ever overflows: sigma(1e4) is 1.0
    and sigma(-1e4) is 0.0 (underflow to zero is silent, as it should be). Used from
    ``03-chain-of-neurons`` on.
    """
    z = real_array("z", z, copy=False)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows, may underflow quietly to 0
    with np.errstate(under="ignore"):
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: ArrayLike) -> np.ndarray:
    """The derivative sigma'(z) = sigma(z) (1 - sigma(z)), at most 1/4 (at z = 0).

    Written as ``e / (1 + e)**2`` with ``e = exp(-|z|)`` (sigma' is even), which keeps full
    relative precision in the tails instead of cancelling ``1 - sigma(z)``. Shape as ``z``.
    Introduced in ``03-chain-of-neurons``.
    """
    z = real_array("z", z, copy=False)
    e = np.exp(-np.abs(z))
    with np.errstate(under="ignore"):
        # rounding can push e / (1 + e)**2 one ulp above 1/4 near z = 0; the true value never is
        return np.minimum(e / (1.0 + e) ** 2, 0.25)


def log_sigmoid_prime(z: ArrayLike) -> np.ndarray:
    """Natural log of sigma'(z), finite for every finite z: ``-|z| - 2 log(1 + exp(-|z|))``.

    ``sigma'(1e4)`` underflows to 0, but its log, about -1e4, is what a depth-1000 readout needs.
    Introduced in ``04-exploding-gradients``.
    """
    z = real_array("z", z, copy=False)
    return -np.abs(z) - 2.0 * np.log1p(np.exp(-np.abs(z)))


def log10_sigmoid_prime(z: ArrayLike) -> np.ndarray:
    """Base-10 log of sigma'(z); see :func:`log_sigmoid_prime`. Used in ``03-chain-of-neurons``."""
    return log_sigmoid_prime(z) / LN10


def tanh(z: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent (range (-1, 1)). Used in ``06-many-neurons-other-obstacles``."""
    return np.tanh(real_array("z", z, copy=False))


def tanh_prime(z: ArrayLike) -> np.ndarray:
    """Derivative of tanh, ``1 - tanh(z)**2``, at most 1 (at z = 0).

    Computed as ``4 e / (1 + e)**2`` with ``e = exp(-2|z|)`` so it keeps relative precision in
    the tails. Used in ``06-many-neurons-other-obstacles``.
    """
    z = real_array("z", z, copy=False)
    with np.errstate(over="ignore", under="ignore"):  # -2|z| may be -inf: exp gives 0, fine
        e = np.exp(-2.0 * np.abs(z))
        return 4.0 * e / (1.0 + e) ** 2


def relu(z: ArrayLike) -> np.ndarray:
    """Rectified linear unit ``max(0, z)``. Used in ``06-many-neurons-other-obstacles``."""
    z = real_array("z", z, copy=False)
    return np.maximum(z, 0.0)


def relu_prime(z: ArrayLike) -> np.ndarray:
    """Derivative of ReLU: 1 where z > 0, else 0 (we take 0 at z = 0, as most libraries do).

    Used in ``06-many-neurons-other-obstacles``.
    """
    z = real_array("z", z, copy=False)
    out = (z > 0).astype(np.float64)
    return np.where(np.isnan(z), np.nan, out) if np.isnan(z).any() else out
