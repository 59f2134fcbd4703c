"""The identity-neuron problem (Nielsen ch. 5): how close can w2 sigma(w1 x + b) come to x?

The chapter's problem asks for w1, b, w2 with w2 sigma(w1 x + b) ~= x on [0, 1]. With a free
additive constant the answer is easy (small w1, see notebook 05). Without one, this module finds
the best the neuron can do in the *minimax* sense: the setting whose worst error

    E(w1, b, w2) = max over x in [0, 1] of |w2 sigma(w1 x + b) - x|

is smallest. Two facts make the search small:

* only w1 > 0 and w2 > 0 can compete. With w2 <= 0 the output is never positive, so the error at
  x = 1 is at least 1; with w1 <= 0 the output does not increase, so the errors at x = 0 and
  x = 1 add up to at least 1 and one of them is at least 1/2. The setting found here does much
  better than both;
* for fixed (w1, b) the worst error is a convex, piecewise-linear function of w2, and its
  minimum is where the largest overshoot equals the largest undershoot. Bisection finds it to
  machine precision (:func:`minimax_output_weight`).

So :func:`identity_neuron_minimax` scans a grid of (w1, b), minimising over w2 exactly at every
grid point, and refines the best few grid points by a compass search. Its result comes with a
guaranteed upper bound on the worst error over the whole interval (not only the grid points).
Introduced in ``05-how-common-is-vanishing``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chapter5._validate import finite_array, finite_float, finite_pair, positive_int
from chapter5.activations import sigmoid

# Smallest sigmoid value used as a divisor when bracketing w2 (sigma underflows to 0 far left).
_TINY = 1e-300


@dataclass(frozen=True)
class IdentityFit:
    """One setting of the identity neuron and how well it does on [0, 1].

    Attributes
    ----------
    w1, b, w2 : float
        Input weight, bias and output weight.
    worst_error : float
        Largest |w2 sigma(w1 x + b) - x| over the check grid: a lower bound on the worst error
        over [0, 1].
    error_bound : float
        ``worst_error`` plus the most the error can grow between neighbouring grid points
        (slope bound times half a grid step): an upper bound on the worst error over [0, 1].
    starts_agree : float
        Spread of ``worst_error`` over the refined starting points (0 when only one was refined):
        how much the answer depends on where the local search began.

    Introduced in ``05-how-common-is-vanishing``.
    """

    w1: float
    b: float
    w2: float
    worst_error: float
    error_bound: float
    starts_agree: float


def identity_error(w1: float, b: float, w2: float, x: ArrayLike) -> np.ndarray:
    """|w2 sigma(w1 x + b) - x| at the points ``x`` (1-D).

    Introduced in ``05-how-common-is-vanishing``.
    """
    w1 = finite_float("w1", w1)
    b = finite_float("b", b)
    w2 = finite_float("w2", w2)
    x = finite_array("x", x)
    return np.abs(w2 * sigmoid(w1 * x + b) - x)


def minimax_output_weight(w1: ArrayLike, b: ArrayLike, x: ArrayLike
                          ) -> tuple[np.ndarray, np.ndarray]:
    """For each pair (w1[k], b[k]) the output weight w2 >= 0 with the smallest worst error on x.

    The worst error max_i |w2 s_i - x_i| (s_i = sigma(w1 x_i + b) > 0) is convex in w2: the
    largest overshoot max_i (w2 s_i - x_i) rises with w2 and the largest undershoot
    max_i (x_i - w2 s_i) falls, and the minimum is where they are equal. Bisection between
    min_i x_i / s_i and max_i x_i / s_i (outside that bracket one of them is 0 or negative)
    locates it to rounding.

    Parameters
    ----------
    w1, b : array_like, shape (P,)
        Input weights and biases, paired entry by entry.
    x : array_like, shape (N,)
        Points at which the error is measured; entries must lie in [0, 1].

    Returns
    -------
    w2 : ndarray, shape (P,)
        The best output weight for each pair.
    worst : ndarray, shape (P,)
        The worst error on ``x`` with that w2.

    Introduced in ``05-how-common-is-vanishing``.
    """
    w1 = finite_array("w1", w1)
    b = finite_array("b", b)
    x = finite_array("x", x)
    if w1.shape != b.shape:
        raise ValueError(f"w1 and b must have the same length; got {w1.size} and {b.size}")
    if x.size == 0 or np.any(x < 0.0) or np.any(x > 1.0):
        raise ValueError("x must hold at least one point, all in [0, 1]")
    s = np.maximum(sigmoid(w1[:, None] * x[None, :] + b[:, None]), _TINY)  # (P, N)
    ratio = x[None, :] / s
    lo, hi = ratio.min(axis=1), ratio.max(axis=1)
    for _ in range(80):  # the bracket halves each time: 80 halvings reach rounding
        mid = 0.5 * (lo + hi)
        over = np.max(mid[:, None] * s - x, axis=1)
        under = np.max(x - mid[:, None] * s, axis=1)
        too_big = over > under
        hi = np.where(too_big, mid, hi)
        lo = np.where(too_big, lo, mid)
    w2 = 0.5 * (lo + hi)
    return w2, np.max(np.abs(w2[:, None] * s - x), axis=1)


def _compass_search(w1: float, b: float, step: float, x: np.ndarray, tol: float
                    ) -> tuple[float, float, float]:
    """Refine (w1, b) by a compass search on the exact-in-w2 worst error; returns (w1, b, err)."""
    moves = np.array([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1], [1, -1], [-1, 1]],
                     dtype=float)
    point = np.array([w1, b])
    best = float(minimax_output_weight(point[:1], point[1:], x)[1][0])
    while step > tol:
        cand = point + step * moves
        cand[:, 0] = np.maximum(cand[:, 0], 1e-6)  # stay at w1 > 0
        err = minimax_output_weight(cand[:, 0], cand[:, 1], x)[1]
        k = int(np.argmin(err))
        if err[k] < best:
            point, best = cand[k], float(err[k])
        else:
            step /= 2.0
    return float(point[0]), float(point[1]), best


def identity_neuron_minimax(
    w1_range: tuple[float, float] = (0.1, 60.0),
    b_range: tuple[float, float] = (-60.0, 10.0),
    n_grid: int = 80,
    starts: int = 3,
    n_check: int = 200_001,
) -> IdentityFit:
    """The minimax identity neuron: w1 > 0, b, w2 > 0 making max |w2 sigma(w1 x + b) - x| smallest.

    Steps: (1) a grid of ``n_grid`` input weights (log-spaced over ``w1_range``) by
    ``2 n_grid`` biases (over ``b_range``), with the best w2 for each pair on 101 points of
    [0, 1]; (2) a compass search in (w1, b) from each of the ``starts`` best grid points, on 2,001
    points, down to steps of 1e-8; (3) the best result checked on ``n_check`` points, with the
    slope bound |d/dx (w2 sigma(w1 x + b) - x)| <= max(1, w1 w2 / 4) turning the largest error on
    the grid into a bound for the whole interval.

    Returns the best setting as an :class:`IdentityFit`, about w1 = 5.65, b = -2.82, w2 = 1.00
    with worst error 0.056. Introduced in ``05-how-common-is-vanishing``.
    """
    lo_w1, hi_w1 = finite_pair("w1_range", w1_range)
    lo_b, hi_b = finite_pair("b_range", b_range)
    if not 0.0 < lo_w1 < hi_w1:
        raise ValueError(f"w1_range must satisfy 0 < low < high; got {w1_range!r}")
    if not lo_b < hi_b:
        raise ValueError(f"b_range must satisfy low < high; got {b_range!r}")
    # the coarse grid holds 2 n_grid^2 pairs x 101 points: 1,000 is already 2e8 sigmoids
    n_grid = positive_int("n_grid", n_grid, minimum=2, maximum=1000)
    starts = positive_int("starts", starts, maximum=100)  # each is a local search
    n_check = positive_int("n_check", n_check, minimum=2, maximum=10**7)

    w1_axis = np.geomspace(lo_w1, hi_w1, n_grid)
    b_axis = np.linspace(lo_b, hi_b, 2 * n_grid)
    w1_grid, b_grid = (g.ravel() for g in np.meshgrid(w1_axis, b_axis, indexing="ij"))
    coarse = minimax_output_weight(w1_grid, b_grid, np.linspace(0.0, 1.0, 101))[1]
    step = float(b_axis[1] - b_axis[0])

    x_fine = np.linspace(0.0, 1.0, 2001)
    refined = [_compass_search(float(w1_grid[k]), float(b_grid[k]), step, x_fine, 1e-8)
               for k in np.argsort(coarse)[:starts]]
    w1, b, _ = min(refined, key=lambda r: r[2])
    errors = [r[2] for r in refined]

    x_check = np.linspace(0.0, 1.0, n_check)
    w2_arr, worst_arr = minimax_output_weight(np.array([w1]), np.array([b]), x_check)
    w2, worst = float(w2_arr[0]), float(worst_arr[0])
    slope = max(1.0, w1 * w2 / 4.0)
    half_step = 0.5 / (n_check - 1)
    return IdentityFit(w1=w1, b=b, w2=w2, worst_error=worst,
                       error_bound=worst + slope * half_step,
                       starts_agree=float(max(errors) - min(errors)))


__all__ = ["IdentityFit", "identity_error", "identity_neuron_minimax", "minimax_output_weight"]
