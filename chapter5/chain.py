"""A chain of single sigmoid neurons and its gradients, two ways (Nielsen ch. 5, eq. 121/122).

Neuron j (j = 1..L) takes the previous activation a_{j-1}, forms z_j = w_j a_{j-1} + b_j and
outputs a_j = sigma(z_j). The cost C depends on the chain only through a_L. Then

    dC/db_j = sigma'(z_j) * w_{j+1} sigma'(z_{j+1}) * ... * w_L sigma'(z_L) * dC/da_L    (122)
    dC/dw_j = a_{j-1} * dC/db_j

This module computes those numbers by the product formula and by backpropagation, in ordinary
float64 and as signed base-10 logarithms, so that a depth-1000 chain or w = 100 never turns a
readout into 0 or inf. Introduced in ``03-chain-of-neurons``.

Arrays of per-layer quantities have shape (L,) and index ``j - 1`` holds layer j; activations
``a`` have shape (L + 1,) with ``a[0] = a0``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from chapter5._validate import choice, finite_array, finite_float, positive_int
from chapter5.activations import LN10, log_sigmoid_prime, sigmoid, sigmoid_prime

#: Parameters larger than this in magnitude are refused: z would overflow long before.
MAX_MAGNITUDE = 1e12
#: Deepest chain built or analysed (the chapter goes to 1,000; the product method is O(L^2)).
MAX_DEPTH = 10_000

#: The explorer's "typical N(0,1) start" draws its weights and biases with this seed.
EXPLORER_SEED = 1
#: Deepest chain the explorers offer, and the depth they open at.
EXPLORER_MAX_DEPTH = 10
EXPLORER_DEFAULT_DEPTH = 4
#: The explorers' input activation a_0.
EXPLORER_A0 = 1.0


def _check_magnitude(name: str, x: np.ndarray) -> None:
    if np.any(np.abs(x) > MAX_MAGNITUDE):
        raise ValueError(
            f"{name} must lie within +-{MAX_MAGNITUDE:.0e}; got a value of magnitude "
            f"{float(np.max(np.abs(x))):.3g} (such a chain saturates completely)"
        )


@dataclass(frozen=True, eq=False)
class Chain:
    """Weights ``w`` (L,), biases ``b`` (L,) and input activation ``a0`` of a chain of L neurons.

    Construct it with lists or arrays of real numbers; it checks that L >= 1, that ``w`` and ``b``
    have the same length, and that every value is a finite real number of magnitude at most
    ``MAX_MAGNITUDE``. Introduced in ``03-chain-of-neurons``.
    """

    w: np.ndarray
    b: np.ndarray
    a0: float = 1.0
    depth: int = field(init=False)

    def __post_init__(self) -> None:
        w = finite_array("w", self.w)
        b = finite_array("b", self.b)
        a0 = finite_float("a0", self.a0)
        if w.size == 0:
            raise ValueError("a chain needs depth >= 1: w and b must each hold at least one number")
        if w.size > MAX_DEPTH:
            raise ValueError(f"w and b may hold at most MAX_DEPTH = {MAX_DEPTH} layers; "
                             f"got {w.size}")
        if w.shape != b.shape:
            raise ValueError(
                f"w and b must have one entry per layer; got {w.size} weights and {b.size} biases"
            )
        _check_magnitude("w", w)
        _check_magnitude("b", b)
        _check_magnitude("a0", np.array([a0]))
        w.setflags(write=False)
        b.setflags(write=False)
        object.__setattr__(self, "w", w)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "a0", a0)
        object.__setattr__(self, "depth", int(w.size))

    def __repr__(self) -> str:
        return f"Chain(w={self.w.tolist()}, b={self.b.tolist()}, a0={self.a0})"

    def first(self, depth: int) -> Chain:
        """The chain made of this chain's first ``depth`` neurons."""
        depth = positive_int("depth", depth)
        if depth > self.depth:
            raise ValueError(f"depth must be at most {self.depth} for this chain; got {depth}")
        return Chain(self.w[:depth], self.b[:depth], self.a0)


def _check_gradients(g: object, name: str = "g") -> ChainGradients:
    """Return ``g`` if it is the :class:`ChainGradients` that :func:`gradients` returns, else
    raise a TypeError naming ``name``. Introduced in ``03-chain-of-neurons``."""
    if not isinstance(g, ChainGradients):
        raise TypeError(f"{name} must be the ChainGradients that chapter5.chain.gradients() "
                        f"returns; got {type(g).__name__}")
    return g


def _check_chain(chain: object) -> Chain:
    if not isinstance(chain, Chain):
        raise TypeError(f"chain must be a chapter5.chain.Chain; got {type(chain).__name__}")
    return chain


def forward(chain: Chain) -> tuple[np.ndarray, np.ndarray]:
    """Feed ``a0`` through the chain.

    Returns
    -------
    z : ndarray, shape (L,)
        Weighted inputs z_j = w_j a_{j-1} + b_j.
    a : ndarray, shape (L + 1,)
        Activations, ``a[0] = a0`` and ``a[j] = sigma(z_j)``.

    Introduced in ``03-chain-of-neurons``.
    """
    L = _check_chain(chain).depth
    z = np.empty(L)
    a = np.empty(L + 1)
    a[0] = chain.a0
    for j in range(L):
        z[j] = chain.w[j] * a[j] + chain.b[j]
        a[j + 1] = sigmoid(z[j])
    return z, a


def _log10_abs(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log10(np.abs(x))


def _log10_activations(chain: Chain, z: np.ndarray) -> np.ndarray:
    """log10 a_j for j = 0..L, exact even where sigma(z) underflows to 0."""
    out = np.empty(z.size + 1)
    out[0] = _log10_abs(np.array([chain.a0]))[0]
    out[1:] = -np.logaddexp(0.0, -z) / LN10  # log sigma(z) = -log(1 + e^{-z})
    return out


@dataclass(frozen=True, eq=False)
class ChainGradients:
    """Everything the chapter computes about one chain, for one value of dC/da_L.

    Per-layer arrays have shape (L,), index ``j - 1`` for layer j. The ``log10_abs_*`` arrays and
    ``sign_*`` arrays represent each quantity exactly as ``sign * 10**log10_abs`` even where the
    plain float64 value (``dC_db``, ``dC_dw``) has underflowed to 0 or overflowed to inf; an
    exact zero has sign 0 and log -inf. Introduced in ``03-chain-of-neurons``.
    """

    method: str
    z: np.ndarray
    a: np.ndarray
    sigma_prime: np.ndarray
    factors: np.ndarray
    log10_abs_factors: np.ndarray
    sign_factors: np.ndarray
    dC_daL: float
    dC_db: np.ndarray
    log10_abs_dC_db: np.ndarray
    sign_dC_db: np.ndarray
    dC_dw: np.ndarray
    log10_abs_dC_dw: np.ndarray
    sign_dC_dw: np.ndarray

    @property
    def log10_ratio_first_last(self) -> float:
        """log10 |dC/db_1 / dC/db_L|: how many decades layer 1 lags behind layer L.

        -inf when either gradient is exactly zero (the explorers then read the ratio as 0).
        """
        if self.sign_dC_db[0] * self.sign_dC_db[-1] == 0:
            return -np.inf
        return float(self.log10_abs_dC_db[0] - self.log10_abs_dC_db[-1])


def gradients(
    chain: Chain,
    dC_daL: float = 1.0,
    *,
    method: Literal["product", "backprop"] = "product",
) -> ChainGradients:
    """Gradients of the cost with respect to every b_j and w_j of ``chain``.

    Parameters
    ----------
    chain : Chain
    dC_daL : float
        dC/da_L, the only thing about the cost the chain needs (default 1: answers come out
        "in units of dC/da_L"). For the quadratic cost use :func:`quadratic_dC_daL`.
    method : {"product", "backprop"}
        "product" evaluates eq. (122) afresh for every layer (a product of L - j + 1 factors);
        "backprop" runs the backward recursion delta_j = sigma'(z_j) w_{j+1} delta_{j+1}.
        The two are independent computations of the same numbers.

    Introduced in ``03-chain-of-neurons``.
    """
    _check_chain(chain)
    dC_daL = finite_float("dC_daL", dC_daL)
    choice("method", method, ("product", "backprop"))

    L = chain.depth
    w = chain.w
    z, a = forward(chain)
    sp = sigmoid_prime(z)
    log10_sp = log_sigmoid_prime(z) / LN10
    with np.errstate(under="ignore"):
        factors = w * sp
    log10_abs_w = _log10_abs(w)
    log10_abs_factors = log10_abs_w + log10_sp
    sign_factors = np.sign(w)
    log10_abs_dC_daL = float(_log10_abs(np.array([dC_daL]))[0])
    sign_dC_daL = float(np.sign(dC_daL))

    dC_db = np.empty(L)
    log10_abs_dC_db = np.empty(L)
    sign_dC_db = np.empty(L)
    if method == "product":
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            for j in range(L):
                later = slice(j + 1, L)
                dC_db[j] = sp[j] * np.prod(factors[later]) * dC_daL
                log10_abs_dC_db[j] = (log10_sp[j] + np.sum(log10_abs_factors[later])
                                      + log10_abs_dC_daL)
                sign_dC_db[j] = np.prod(sign_factors[later]) * sign_dC_daL
    else:
        delta = sp[L - 1] * dC_daL
        log_delta = log10_sp[L - 1] + log10_abs_dC_daL
        sign_delta = sign_dC_daL
        dC_db[L - 1], log10_abs_dC_db[L - 1], sign_dC_db[L - 1] = delta, log_delta, sign_delta
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            for j in range(L - 2, -1, -1):
                delta = sp[j] * w[j + 1] * delta
                log_delta = log10_sp[j] + log10_abs_w[j + 1] + log_delta
                sign_delta = sign_delta * sign_factors[j + 1]
                dC_db[j], log10_abs_dC_db[j], sign_dC_db[j] = delta, log_delta, sign_delta

    # An exactly-zero factor (w = 0 or dC/da_L = 0) makes the gradient exactly zero.
    zero = sign_dC_db == 0
    log10_abs_dC_db[zero] = -np.inf
    dC_db[zero] = 0.0
    # Where the float64 value overflowed, a product like inf * 0 can give NaN: never show that.
    if np.isnan(dC_db).any():
        dC_db = np.where(np.isnan(dC_db), np.inf * sign_dC_db, dC_db)

    log10_abs_a = _log10_activations(chain, z)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        dC_dw = a[:-1] * dC_db
    dC_dw = np.where(np.isnan(dC_dw), 0.0, dC_dw)
    sign_dC_dw = np.sign(a[:-1]) * sign_dC_db
    log10_abs_dC_dw = np.where(sign_dC_dw == 0, -np.inf, log10_abs_a[:-1] + log10_abs_dC_db)

    return ChainGradients(
        method=method,
        z=z,
        a=a,
        sigma_prime=sp,
        factors=factors,
        log10_abs_factors=log10_abs_factors,
        sign_factors=sign_factors,
        dC_daL=dC_daL,
        dC_db=dC_db,
        log10_abs_dC_db=log10_abs_dC_db,
        sign_dC_db=sign_dC_db,
        dC_dw=dC_dw,
        log10_abs_dC_dw=log10_abs_dC_dw,
        sign_dC_dw=sign_dC_dw,
    )


def _target(y: object) -> float:
    y = finite_float("y", y)
    _check_magnitude("y", np.array([y]))  # (a_L - y)^2 must not overflow
    return y


def quadratic_cost(chain: Chain, y: float) -> float:
    """The quadratic cost C = (a_L - y)^2 / 2 of the chain's output against target ``y``.

    Introduced in ``03-chain-of-neurons``.
    """
    _check_chain(chain)
    y = _target(y)
    _, a = forward(chain)
    return 0.5 * float(a[-1] - y) ** 2


def quadratic_dC_daL(chain: Chain, y: float) -> float:
    """dC/da_L = a_L - y for the quadratic cost. Introduced in ``03-chain-of-neurons``."""
    _check_chain(chain)
    y = _target(y)
    _, a = forward(chain)
    return float(a[-1] - y)


# ---------------------------------------------------------------------------------------------
# The chapter's cases


def exploding_chain(depth: int = 4, a0: float = 1.0, w: float = 100.0) -> Chain:
    """Every weight equal to ``w`` and biases chosen so that every z_j = 0.

    b_1 = -w a0 makes z_1 = 0, so a_1 = 1/2; then b_j = -w/2 makes every later z_j = 0. Each
    factor w sigma'(0) = w/4 (25 for the chapter's w = 100), so dC/db_1 = 25^(L-1) dC/db_L.
    Introduced in ``04-exploding-gradients``.
    """
    depth = positive_int("depth", depth, maximum=MAX_DEPTH)
    a0 = finite_float("a0", a0)
    w = finite_float("w", w)
    _check_magnitude("w", np.array([w]))
    _check_magnitude("a0", np.array([a0]))
    if abs(w * a0) > MAX_MAGNITUDE:
        raise ValueError(f"w * a0 (the first bias, negated) must lie within +-{MAX_MAGNITUDE:.0e}; "
                         f"got w = {w:.3g}, a0 = {a0:.3g}")
    weights = np.full(depth, w)
    biases = np.full(depth, -w / 2.0)
    biases[0] = -w * a0
    return Chain(weights, biases, a0)


def balanced_chain(depth: int = 4, a0: float = 1.0) -> Chain:
    """A chain in which every factor w_j sigma'(z_j) is exactly 1 (w = 4, every z_j = 0).

    Then dC/db_j = dC/db_L / ... = sigma'(0) dC/da_L for every layer: all layers learn at the same
    speed. Introduced in ``03-chain-of-neurons``.
    """
    return exploding_chain(depth=depth, a0=a0, w=4.0)


def typical_chain(depth: int = 4, seed: int = EXPLORER_SEED, a0: float = 1.0) -> Chain:
    """A chain with every w_j and b_j drawn from N(0, 1), as at the start of training.

    Draws come from ``numpy.random.default_rng(seed)`` in the order w_1, b_1, w_2, b_2, ..., so a
    deeper chain with the same seed extends a shallower one. Introduced in ``03-chain-of-neurons``.
    """
    depth = positive_int("depth", depth, maximum=MAX_DEPTH)
    seed = positive_int("seed", seed, minimum=0)
    a0 = finite_float("a0", a0)
    draws = np.random.default_rng(seed).standard_normal((depth, 2))
    return Chain(draws[:, 0], draws[:, 1], a0)


def explorer_typical_chain(depth: int = EXPLORER_DEFAULT_DEPTH) -> Chain:
    """The explorers' "typical start": :func:`typical_chain` with ``EXPLORER_SEED``, rounded to the
    sliders' step of 0.01, and ``a0 = EXPLORER_A0``. Introduced in ``03-chain-of-neurons``.
    """
    full = typical_chain(EXPLORER_MAX_DEPTH, EXPLORER_SEED, EXPLORER_A0)
    return Chain(np.round(full.w, 2), np.round(full.b, 2), EXPLORER_A0).first(depth)


def product_equation(g: ChainGradients) -> str:
    """Eq. (122) for dC/db_1 as text with the live numbers substituted.

    Example (depth 2): ``dC/db1 = σ'(z1) × w2σ'(z2) × dC/da2 = 0.25 × 25 × 1 = 6.25``.
    Introduced in ``03-chain-of-neurons``.
    """
    from chapter5.readout import format_signed_log10

    g = _check_gradients(g)
    L = g.z.size
    symbols = ["σ'(z1)"] + [f"w{k}σ'(z{k})" for k in range(2, L + 1)] + [f"dC/da{L}"]
    values = [format_signed_log10(1.0, float(log_sigmoid_prime(g.z[0]) / LN10))]
    values += [
        format_signed_log10(g.sign_factors[k], g.log10_abs_factors[k]) for k in range(1, L)
    ]
    log10_abs_dC_daL = float(_log10_abs(np.array([g.dC_daL]))[0])
    values.append(format_signed_log10(np.sign(g.dC_daL), log10_abs_dC_daL))
    result = format_signed_log10(g.sign_dC_db[0], g.log10_abs_dC_db[0])
    return f"dC/db1 = {' × '.join(symbols)} = {' × '.join(values)} = {result}"


__all__ = [
    "Chain",
    "ChainGradients",
    "EXPLORER_A0",
    "EXPLORER_DEFAULT_DEPTH",
    "EXPLORER_MAX_DEPTH",
    "EXPLORER_SEED",
    "MAX_DEPTH",
    "MAX_MAGNITUDE",
    "balanced_chain",
    "explorer_typical_chain",
    "exploding_chain",
    "forward",
    "gradients",
    "product_equation",
    "quadratic_cost",
    "quadratic_dC_daL",
    "typical_chain",
]

