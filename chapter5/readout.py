"""One rule for writing a number on screen, shared by the Python widgets and the web explorers.

Gradients in a deep chain range from 1e-4000 to 1e+4000, far outside float64, so numbers arrive
as a sign and a base-10 logarithm. The rule:

* an exact zero is written ``0``;
* a magnitude in [1e-4, 1e6) is written like Python's ``format(x, ".6g")`` (``15625``,
  ``0.00390625``, ``-3906.25``);
* anything else in scientific notation with a 3-decimal mantissa and at least two exponent
  digits (``1.526e-05``, ``-2.500e+123``, ``4.343e-4343``), computed from the logarithm so it
  works beyond the float range.

The JavaScript explorers (``chapter5/js``) implement the same rule; a test holds them equal.
Introduced in ``03-chain-of-neurons``.
"""

from __future__ import annotations

import math
from numbers import Real


def _real(name: str, value: object) -> float:
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()  # a numpy scalar or 0-d array, e.g. what sigmoid(0.5) returns
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    return float(value)


def format_signed_log10(sign: float, log10_abs: float) -> str:
    """Write the number ``sign * 10**log10_abs`` by the module's rule.

    Parameters
    ----------
    sign : float
        -1, 0 or +1 (any sign-like number; only its sign is used). 0 means an exact zero.
    log10_abs : float
        log10 of the magnitude; ``-inf`` also means an exact zero. NaN or +inf raise ValueError.

    Introduced in ``03-chain-of-neurons``.
    """
    sign = _real("sign", sign)
    log10_abs = _real("log10_abs", log10_abs)
    if math.isnan(sign):
        raise ValueError("sign must be -1, 0 or +1 (any finite or infinite number of that "
                         "sign); got nan")
    if math.isnan(log10_abs) or log10_abs == math.inf:
        raise ValueError(
            f"cannot write a number with sign {sign!r} and log10_abs {log10_abs!r}: "
            "the magnitude's log10_abs must be finite (or -inf for zero)"
        )
    if sign == 0 or log10_abs == -math.inf:
        return "0"
    minus = "-" if sign < 0 else ""
    if -4.0 <= log10_abs < 6.0:
        text = format(10.0**log10_abs, ".6g")
        if "e" not in text:
            return minus + text
    exponent = math.floor(log10_abs)
    mantissa = f"{10.0 ** (log10_abs - exponent):.3f}"
    if mantissa == "10.000":
        exponent += 1
        mantissa = "1.000"
    return f"{minus}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"


def format_float(x: float) -> str:
    """Write an ordinary float by the module's rule (NaN and infinities raise ValueError).

    Formats the exact binary value of ``x`` rather than going through ``log10`` and back, so a
    value such as 105.1895 rounds from itself and the JavaScript explorers, which do the same,
    write exactly the same string. Introduced in ``03-chain-of-neurons``.
    """
    x = _real("x", x)
    if not math.isfinite(x):
        raise ValueError(f"cannot write x = {x!r}: only finite numbers have a readout")
    if x == 0.0:
        return "0"
    if 1e-4 <= abs(x) < 1e6:
        text = format(x, ".6g")
        if "e" not in text:
            return text
    return format(x, ".3e")


#: Beyond this many decades a "times" phrase keeps the exponent form (10^6.30 times).
TIMES_MAX_DECADES = 6.0


def _group_thousands(n: int) -> str:
    digits = str(n)
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[k:k + 3] for k in range(head, len(digits), 3)])


def format_times(log10_x: float) -> str:
    """How many times: the number ``10**log10_x`` (>= 1) the way a person says it.

    ``"800"`` for 10^2.90 (= 794), ``"16"`` for 10^1.2, ``"2.5"`` for 10^0.4, ``"250,000"``
    for 10^5.4: one significant digit when that is within 10 % of the number, else two (one
    decimal below 10). Beyond 10^6 (``TIMES_MAX_DECADES``) the exponent form ``"10^6.30"``.
    Computed from the logarithm, so 10^4000 is fine; the JavaScript explorers
    (``formatTimes`` in ``chapter5/js/c5math.js``) do the same operations.

    Parameters
    ----------
    log10_x : float
        log10 of the number, finite and >= 0.

    Introduced in ``03-chain-of-neurons``.
    """
    log10_x = _real("log10_x", log10_x)
    if not (math.isfinite(log10_x) and log10_x >= 0.0):
        raise ValueError(f"log10_x must be a finite number >= 0; got {log10_x!r}")
    if log10_x >= TIMES_MAX_DECADES:
        return f"10^{log10_x:.2f}"
    exponent = math.floor(log10_x)
    mantissa = 10.0 ** (log10_x - exponent)  # in [1, 10)
    one = math.floor(mantissa + 0.5)
    if exponent >= 1 and abs(one - mantissa) <= 0.1 * mantissa:
        return _group_thousands(one * 10**exponent)
    tenths = math.floor(10.0 * mantissa + 0.5)  # two significant digits, 10..100
    if exponent == 0:
        return f"{tenths // 10}.{tenths % 10}" if tenths < 100 else "10"
    return _group_thousands(tenths * 10 ** (exponent - 1))
