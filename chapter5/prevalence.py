"""How common is a "non-vanishing" neuron? The band of inputs where |w sigma'(w a + b)| >= 1.

For one sigmoid neuron with weight w and bias b, the factor it contributes to a gradient is
w sigma'(w a + b), where a is its input. Since sigma' <= 1/4, the factor can reach 1 only when
|w| >= 4. Writing s = sigma(z), the condition |w| s (1 - s) >= 1 holds for

    s in [(1 - r)/2, (1 + r)/2],  r = sqrt(1 - 4/|w|),

that is for |z| <= z*, with z* = ln((1 + r)/(1 - r)) = ln(|w|/4) + 2 ln(1 + r)
(the second form avoids cancelling 1 - r for large |w|). As z = w a + b, the inputs a form an
interval of width 2 z* / |w|, which is eq. (123) of Nielsen ch. 5:

    (2/|w|) ln( |w| (1 + r)/2 - 1 ).

Introduced in ``05-how-common-is-vanishing``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from chapter5._validate import finite_array, finite_float
from chapter5.activations import sigmoid_prime

#: |w| must reach this for |w sigma'(z)| >= 1 to be possible at all (1 / max sigma').
VANISHING_THRESHOLD = 4.0
#: The band explorer opens at these values (notebook and website alike).
PREVALENCE_DEFAULT_W = 8.0
PREVALENCE_DEFAULT_B = -4.0


def z_half_width(w_abs: ArrayLike) -> np.ndarray:
    """z* such that |w sigma'(z)| >= 1 exactly for |z| <= z*; 0 where |w| <= 4.

    Vectorised over ``w_abs`` (any shape; negative values are treated by magnitude).
    Introduced in ``05-how-common-is-vanishing``.
    """
    m = np.abs(finite_array("w_abs", w_abs, ndim=None))
    out = np.zeros_like(m)
    ok = m > VANISHING_THRESHOLD
    r = np.sqrt(1.0 - VANISHING_THRESHOLD / m[ok])
    out[ok] = np.log(m[ok] / 4.0) + 2.0 * np.log1p(r)
    return out


def width_bound(w_abs: ArrayLike) -> np.ndarray:
    """Width of the band of inputs a where |w sigma'(w a + b)| >= 1: eq. (123).

    It does not depend on b (b only shifts the band). 0 for |w| <= 4, where the band is empty or a
    single point. Vectorised; shape as ``w_abs``. Introduced in ``05-how-common-is-vanishing``.
    """
    m = np.abs(finite_array("w_abs", w_abs, ndim=None))
    out = np.zeros_like(m)
    ok = m > VANISHING_THRESHOLD
    out[ok] = 2.0 * z_half_width(m[ok]) / m[ok]
    return out


def width_bound_book_form(w_abs: ArrayLike) -> np.ndarray:
    """Eq. (123) exactly as the chapter writes it, (2/|w|) ln(|w|(1 + r)/2 - 1), for |w| >= 4.

    Kept to show the two forms agree; :func:`width_bound` is the numerically careful one.
    Introduced in ``05-how-common-is-vanishing``.
    """
    m = np.abs(finite_array("w_abs", w_abs, ndim=None))
    if np.any(m < VANISHING_THRESHOLD):
        raise ValueError("w_abs must be >= 4 here: below 4 the band is empty and the log undefined")
    r = np.sqrt(1.0 - VANISHING_THRESHOLD / m)
    return 2.0 / m * np.log(m / 2.0 * (1.0 + r) - 1.0)  # halve first: no overflow


def band(w: float, b: float) -> tuple[float, float] | None:
    """The closed interval [lo, hi] of inputs a with |w sigma'(w a + b)| >= 1, or None if empty.

    Empty when |w| < 4; a single point a = -b/w when |w| = 4. Introduced in
    ``05-how-common-is-vanishing``.
    """
    w = finite_float("w", w)
    b = finite_float("b", b)
    if abs(w) < VANISHING_THRESHOLD:
        return None
    zs = float(z_half_width(np.array([w]))[0])
    ends = sorted(((zs - b) / w + 0.0, (-zs - b) / w + 0.0))  # + 0.0 turns -0.0 into 0.0
    return ends[0], ends[1]


def factor(w: float, b: float, a: ArrayLike) -> np.ndarray:
    """|w sigma'(w a + b)| for inputs ``a`` (any shape).

    Introduced in ``05-how-common-is-vanishing``.
    """
    w = finite_float("w", w)
    b = finite_float("b", b)
    a = finite_array("a", a, ndim=None)
    with np.errstate(over="ignore"):  # w a + b may exceed float range for huge a: sigma' -> 0
        z = w * a + b
    return np.abs(w) * sigmoid_prime(np.nan_to_num(z, nan=0.0))


#: Tightest relative tolerance :func:`max_width_bound` accepts: a few float64 ulps (below that
#: the bracket can no longer shrink and the search would never stop).
MIN_TOL = 1e-15


def max_width_bound(lo: float = 4.0, hi: float = 100.0, tol: float = 1e-12) -> tuple[float, float]:
    """Maximise :func:`width_bound` over |w| in [lo, hi] by golden-section search.

    The bound is 0 at |w| = 4, rises, and then decays like 2 ln|w| / |w|, so it has a single
    maximum. Returns ``(w_star, width_star)``, about (6.9, 0.45). The search stops when the
    bracket is narrower than ``tol * max(1, lo)``; ``tol`` must lie in [MIN_TOL, 0.1].
    Introduced in ``05-how-common-is-vanishing``.
    """
    lo = finite_float("lo", lo)
    hi = finite_float("hi", hi)
    tol = finite_float("tol", tol)
    if not VANISHING_THRESHOLD <= lo < hi:
        raise ValueError(f"need 4 <= lo < hi; got lo={lo}, hi={hi}")
    if not MIN_TOL <= tol <= 0.1:
        raise ValueError(f"tol must lie in [{MIN_TOL:g}, 0.1] (a relative tolerance); got {tol!r}")

    def f(x: float) -> float:
        return float(width_bound(np.array([x]))[0])

    g = (math.sqrt(5.0) - 1.0) / 2.0
    x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
    f1, f2 = f(x1), f(x2)
    # Each step keeps 0.618 of the bracket: 1,600 steps take even [4, 1e308] below 1e-15; the
    # cap only guards against a bracket stuck at float resolution.
    for _ in range(4000):
        if hi - lo <= tol * max(1.0, abs(lo)):
            break
        if f1 < f2:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + g * (hi - lo)
            f2 = f(x2)
        else:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - g * (hi - lo)
            f1 = f(x1)
    w_star = (lo + hi) / 2.0
    return w_star, f(w_star)
