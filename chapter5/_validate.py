"""Input checks shared by the math modules: turn bad input into a message a reader can act on."""

from __future__ import annotations

import numbers

import numpy as np


def finite_array(name: str, value: object, *, ndim: int = 1) -> np.ndarray:
    """Return ``value`` as a float64 array of ``ndim`` dimensions, or raise a clear error.

    Raises
    ------
    TypeError
        If ``value`` holds something that is not a real number (strings, None, complex, ...).
    ValueError
        If it has the wrong number of dimensions, or holds NaN or infinity.
    """
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a list or array of real numbers; got {value!r}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ) or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must contain real numbers only; got {value!r}")
    arr = arr.astype(np.float64)
    if arr.ndim != ndim:
        shape = "a single number" if ndim == 0 else f"a {ndim}-D list or array"
        raise ValueError(f"{name} must be {shape}; got an array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or infinity); got {value!r}")
    return arr


def finite_float(name: str, value: object) -> float:
    """Return ``value`` as a Python float, raising TypeError/ValueError that name ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if not (isinstance(value, np.ndarray) and value.ndim == 0 and np.isrealobj(value)):
            raise TypeError(f"{name} must be a real number; got {value!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite (not NaN or infinity); got {x!r}")
    return x


def positive_int(name: str, value: object, *, minimum: int = 1) -> int:
    """Return ``value`` as an int >= ``minimum`` or raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    n = int(value)
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {n}")
    return n
