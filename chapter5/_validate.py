"""Input checks shared by the math modules: turn bad input into a message a reader can act on."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def real_array(name: str, value: object, *, copy: bool = True) -> np.ndarray:
    """Return ``value`` (a number or an array of any shape) as a float64 array.

    NaN and infinities pass through (IEEE arithmetic: NaN in, NaN out); everything that is not a
    real number is refused. Only dtypes are inspected, so the check costs nothing per element;
    ``copy=False`` returns a float64 input itself.

    Raises
    ------
    TypeError
        If ``value`` is None, a string, a bool, complex, or holds anything but real numbers.
    """
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be a real number or an array of real numbers; "
                        f"got {value!r}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a list or array of real numbers; got {value!r}") from exc
    if arr.dtype == object or arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number) \
            or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must contain real numbers only; got {_short(value)}")
    return arr.astype(np.float64, copy=copy)


def finite_array(name: str, value: object, *, ndim: int | None = 1) -> np.ndarray:
    """Return ``value`` as a float64 array of ``ndim`` dimensions (any if None), or raise.

    Raises
    ------
    TypeError
        If ``value`` holds something that is not a real number (strings, None, bool,
        complex, ...).
    ValueError
        If it has the wrong number of dimensions, or holds NaN or infinity.
    """
    arr = real_array(name, value)
    if ndim is not None and arr.ndim != ndim:
        shape = "a single number" if ndim == 0 else f"a {ndim}-D list or array"
        raise ValueError(f"{name} must be {shape}; got an array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or infinity); got {_short(value)}")
    return arr


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def finite_float(name: str, value: object) -> float:
    """Return ``value`` as a Python float, raising TypeError/ValueError that name ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if not (isinstance(value, np.ndarray) and value.ndim == 0 and np.isrealobj(value)):
            raise TypeError(f"{name} must be a real number; got {value!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite (not NaN or infinity); got {x!r}")
    return x


def finite_pair(name: str, value: object) -> tuple[float, float]:
    """Return ``value`` (two finite real numbers, e.g. ``(low, high)``) as a tuple of floats."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)) \
            or len(value) != 2:
        raise TypeError(f"{name} must be a pair of numbers (low, high); got {_short(value)}")
    return finite_float(f"{name}[0]", value[0]), finite_float(f"{name}[1]", value[1])


def positive_int(name: str, value: object, *, minimum: int = 1,
                 maximum: int | None = None) -> int:
    """Return ``value`` as an int in [``minimum``, ``maximum``] or raise a clear error."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= {minimum}; got {_short(value)}")
    n = int(value)
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {n}")
    if maximum is not None and n > maximum:
        raise ValueError(f"{name} must be at most {maximum}; got {n}")
    return n


def flag(name: str, value: object) -> bool:
    """Return ``value`` as a bool; anything but True/False (1, None, "no") is a TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_short(value)}")
    return bool(value)


def choice(name: str, value: object, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of the strings ``allowed``, else raise ValueError."""
    if not isinstance(value, str) or value not in allowed:
        if len(allowed) == 2:
            what = f"{allowed[0]!r} or {allowed[1]!r}"
        elif all(a.isupper() for a in allowed):  # gate kinds: AND, OR, NOT, XOR
            what = "one of " + ", ".join(allowed)
        else:
            what = "one of " + ", ".join(map(repr, allowed))
        raise ValueError(f"{name} must be {what}; got {_short(value)}")
    return value


def int_list(name: str, value: object, *, minimum: int = 0, maximum: int | None = None
             ) -> tuple[int, ...]:
    """Return a non-empty sequence of whole numbers in [minimum, maximum] as a tuple.

    ``range(5)``, lists, tuples and 1-D integer arrays qualify; a float such as 2.5 (or 2.0),
    a bool, a string or a lone number does not.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(f"{name} must be a list of whole numbers, e.g. [0, 1, 2]; "
                        f"got {_short(value)}")
    items: list[Any] = list(np.asarray(value).ravel()) if isinstance(value, np.ndarray) \
        else list(value)
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(f"{name} must be a 1-D list of whole numbers; got shape {value.shape}")
    if not items:
        raise ValueError(f"{name} must list at least one number; got {_short(value)}")
    out = []
    for i, item in enumerate(items):
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Integral):
            raise TypeError(f"{name} must hold whole numbers only; {name}[{i}] is "
                            f"{_short(item)}")
        n = int(item)
        if n < minimum or (maximum is not None and n > maximum):
            top = "" if maximum is None else f" and <= {maximum}"
            raise ValueError(f"{name} must hold numbers >= {minimum}{top}; {name}[{i}] is {n}")
        out.append(n)
    return tuple(out)


def optional_text(name: str, value: object) -> str | None:
    """Return ``value`` if it is None or a string (a label, a title), else raise TypeError."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None; got {_short(value)}")
    return value


def optional_callable(name: str, value: object) -> Callable[..., Any] | None:
    """Return ``value`` if it is None or callable (a hook), else raise TypeError."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function or None; got {_short(value)}")
    return value
