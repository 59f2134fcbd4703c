"""The arguments of training, checked: seeds, arithmetic, rates, epochs, inputs and labels.

Introduced in ``02-vanishing-gradients`` (:class:`chapter5.network.Network` and
:mod:`chapter5.lockstep` check every argument with these before the first step, so that a bad
one raises a ValueError or TypeError naming it and changes nothing).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Literal

import numpy as np

from chapter5._validate import _short, finite_float, flag, optional_text, positive_int

SeedLike = int | np.random.Generator

#: Training limits, the same as :mod:`chapter5.experiments` uses (a test checks they agree):
#: a learning rate in (0, MAX_ETA], an L2 parameter in [0, MAX_LMBDA], at most MAX_EPOCHS
#: epochs per call. Larger values only ever produce NaN or an hour-long run.
MAX_ETA = 100.0
MAX_LMBDA = 1e4
MAX_EPOCHS = 10_000


def as_generator(seed: SeedLike, name: str = "seed") -> np.random.Generator:
    """Return ``seed`` as a Generator (an int seeds ``numpy.random.default_rng``).

    ``name`` (a string) is the parameter named in the error message for a bad ``seed``.

    Introduced in ``02-vanishing-gradients``.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string (the parameter to name in errors); got {name!r}")
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise TypeError(f"{name} must be a non-negative int or a numpy.random.Generator; "
                        f"got {seed!r}")
    return np.random.default_rng(int(seed))


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


Dtype = Literal["float64", "float32"]
#: Arithmetic the training kernel offers (float64 is the default everywhere).
DTYPES: tuple[str, ...] = ("float64", "float32")


def _real(name: str, value: object) -> np.ndarray:
    """``value`` as an array of real numbers (its own dtype), or a TypeError naming ``name``."""
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be an array of real numbers; got {_short(value)}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of real numbers; got {_short(value)}") from exc
    if arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.floating)
                                     or np.issubdtype(arr.dtype, np.integer)):
        raise TypeError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    return arr


def _finite(name: str, arr: np.ndarray) -> np.ndarray:
    """``arr`` itself if it holds no NaN or infinity (training on one would spread NaN through
    every weight), else a ValueError naming ``name``. One pass over the data, once per call."""
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity)")
    return arr


def _lmbda(lmbda: object) -> float:
    lmbda_f = finite_float("lmbda", lmbda)
    if not 0.0 <= lmbda_f <= MAX_LMBDA:
        raise ValueError(f"lmbda must be >= 0 and <= {MAX_LMBDA:g}; got {lmbda_f!r}")
    return lmbda_f


def _check_rates(eta: object, lmbda: object, n: object) -> tuple[float, float, int]:
    eta_f = finite_float("eta", eta)
    if not 0.0 < eta_f <= MAX_ETA:
        raise ValueError(f"eta must be > 0 and <= {MAX_ETA:g}; got {eta_f!r}")
    return eta_f, _lmbda(lmbda), positive_int("n", n)


def _check_run(epochs: object, progress: object, desc: object) -> tuple[int, bool, str]:
    """The arguments every training call shares: epochs, progress and the bar's label."""
    return (positive_int("epochs", epochs, minimum=0, maximum=MAX_EPOCHS),
            flag("progress", progress), optional_text("desc", desc) or "epochs")


def _labels(labels: object, n: int, name: str) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.shape != (n,) or not np.issubdtype(lab.dtype, np.integer):
        raise ValueError(f"{name} must be {n} integer labels; got shape {lab.shape}")
    return lab
