"""Truth tables as numpy arrays: every input of n bits at once, and the reference answers a
circuit is checked against (Nielsen ch. 5, the circuit analogy).

:func:`all_inputs` lists all ``2**n`` inputs, row ``r`` holding the binary digits of ``r`` least
significant first; :func:`parity` and :func:`bits_to_ints` are the answers a parity circuit and an
arithmetic circuit must give on them; :func:`split_operands` reads the two operands of a
multiplier off each row. The circuits themselves are in :mod:`chapter5.gates`.

Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

import numpy as np

from chapter5._validate import positive_int

#: Widest input count :func:`all_inputs` enumerates (2**20 rows).
MAX_TABLE_INPUTS = 20


def _bits(bits: object, name: str = "bits") -> np.ndarray:
    """``bits`` as a 2-D bool array, or a clear error (booleans or the integers 0 and 1 only)."""
    if bits is None or isinstance(bits, (str, bytes, bool)):
        raise TypeError(f"{name} must be a 2-D array of booleans or 0/1; got {bits!r}")
    try:
        x = np.asarray(bits)
    except Exception as exc:  # ragged rows
        raise ValueError(f"{name} must be a 2-D array with rows of equal length") from exc
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (N, n); got shape {x.shape}")
    if x.dtype != np.bool_:
        if x.size and not np.issubdtype(x.dtype, np.integer):
            raise TypeError(f"{name} must hold booleans or the integers 0 and 1; got {x.dtype}")
        if np.any((x != 0) & (x != 1)):
            raise ValueError(f"{name} must hold only 0 and 1")
        x = x.astype(np.bool_)
    return x


def _check_n(name: str, value: object, maximum: int) -> int:
    n = positive_int(name, value)
    if n > maximum:
        raise ValueError(f"{name} must be at most {maximum} here; got {n}")
    return n



def all_inputs(n: int) -> np.ndarray:
    """Every assignment of ``n`` bits, shape (2**n, n), bool.

    Row r holds the binary digits of r, least significant first: column i is bit i of r.
    Introduced in ``01-deep-circuits``.
    """
    n = _check_n("n", n, MAX_TABLE_INPUTS)
    r = np.arange(2**n, dtype=np.int64)
    return ((r[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.bool_)


def parity(bits: object) -> np.ndarray:
    """Reference parity of each row: True when the row holds an odd number of ones.

    ``bits``: array_like of bool or {0, 1}, shape (N, n). Returns bool, shape (N,).
    Introduced in ``01-deep-circuits``.
    """
    x = _bits(bits)
    return (x.astype(np.int64).sum(axis=1) % 2).astype(np.bool_)


def bits_to_ints(bits: object) -> np.ndarray:
    """Read each row of bits as a binary number, least significant bit first.

    ``bits``: array_like of bool or {0, 1}, shape (N, k) with k <= 62. Returns int64, shape (N,).
    Introduced in ``01-deep-circuits``.
    """
    x = _bits(bits)
    if x.shape[1] > 62:
        raise ValueError(f"bits must have shape (N, k) with k <= 62; got shape {x.shape}")
    weights = np.left_shift(np.int64(1), np.arange(x.shape[1], dtype=np.int64))
    return x.astype(np.int64) @ weights


def split_operands(width_a: int, width_b: int) -> tuple[np.ndarray, np.ndarray]:
    """The operands a and b for every row of ``all_inputs(width_a + width_b)``.

    Returns two int64 arrays of shape (2**(width_a + width_b),): a = r mod 2**width_a and
    b = r // 2**width_a for row r. Introduced in ``01-deep-circuits``.
    """
    width_a = positive_int("width_a", width_a)
    width_b = positive_int("width_b", width_b)
    if width_a + width_b > MAX_TABLE_INPUTS:
        raise ValueError(f"width_a + width_b must be at most {MAX_TABLE_INPUTS}; "
                         f"got {width_a + width_b}")
    r = np.arange(2 ** (width_a + width_b), dtype=np.int64)
    return r & (2**width_a - 1), r >> width_a
