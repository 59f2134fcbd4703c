"""What each explorer's readout says: one function per explorer, the one place it is decided.

Every readout is a ``dict`` from a ``data-key`` (the widget DOM contract) to the exact string on
screen, written by the rules of :mod:`chapter5.readout`. The notebook widgets
(:mod:`chapter5.viz`) show these strings, the Python tests and the JupyterLab tests compare the
page with them, and ``tests/test_js_parity.py`` holds the website's JavaScript
(``chainReadouts``, ``prevalenceReadouts``, ``speedWords`` in ``chapter5/js/c5math.js``) equal
to them. Pure Python: no plotting, no widgets. Introduced in ``03-chain-of-neurons`` (chain),
``05-how-common-is-vanishing`` (band) and ``01-deep-circuits`` (circuits).
"""

from __future__ import annotations

import numpy as np

from chapter5.chain import ChainGradients, _check_gradients, product_equation
from chapter5.circuits import sop_gate_count, xor_tree_depth, xor_tree_gate_count
from chapter5.prevalence import band, width_bound
from chapter5.readout import format_float, format_signed_log10, format_times

#: Keys of the band explorer's readout, in screen order.
BAND_KEYS: tuple[str, ...] = ("band_lo", "band_hi", "band_width", "width_bound")
#: Keys of the circuits explorer's readout, in screen order.
CIRCUITS_KEYS: tuple[str, ...] = ("sop_gates", "xor_gates", "xor_depth")
#: What the band readout says for an end of an empty band.
EMPTY = "none"


def chain_readouts(g: ChainGradients) -> dict[str, str]:
    """The chain explorer's readout for gradients ``g`` (:func:`chapter5.chain.gradients`).

    Keys: ``z_j``, ``factor_j`` (w_j sigma'(z_j)) and ``dC_db_j`` for layers j = 1..L,
    ``ratio_1_L`` (dC/db_1 / dC/db_L) and ``equation`` (eq. 122 with the numbers in,
    :func:`chapter5.chain.product_equation`). Introduced in ``03-chain-of-neurons``.
    """
    g = _check_gradients(g)
    out: dict[str, str] = {}
    for j in range(1, g.z.size + 1):
        out[f"z_{j}"] = format_float(g.z[j - 1])
        out[f"factor_{j}"] = format_signed_log10(g.sign_factors[j - 1], g.log10_abs_factors[j - 1])
        out[f"dC_db_{j}"] = format_signed_log10(g.sign_dC_db[j - 1], g.log10_abs_dC_db[j - 1])
    out["ratio_1_L"] = format_signed_log10(g.sign_dC_db[0] * g.sign_dC_db[-1],
                                           g.log10_ratio_first_last)
    out["equation"] = product_equation(g)
    return out


def speed_words(g: ChainGradients) -> str:
    """How fast layer 1 learns next to layer L, in words: "layer 1 learns about 800 times
    slower than layer 4" (the number by :func:`chapter5.readout.format_times`).

    Introduced in ``03-chain-of-neurons``.
    """
    g = _check_gradients(g)
    L = g.z.size
    r = g.log10_ratio_first_last
    if L == 1:
        return "a single neuron: nothing to compare"
    if g.sign_dC_db[0] == 0:
        return "layer 1 gets no gradient at all: some wⱼ is exactly 0"
    if abs(r) < 1e-9:
        return f"layer 1 and layer {L} learn at the same speed"
    times = format_times(abs(r))
    if times == "1.0":
        return f"layer 1 and layer {L} learn at about the same speed"
    speed = "slower" if r < 0 else "faster"
    return f"layer 1 learns {'' if '^' in times else 'about '}{times} times {speed} than layer {L}"


def band_readouts(w: float, b: float) -> dict[str, str]:
    """The band explorer's readout for weight ``w`` and bias ``b``.

    Keys :data:`BAND_KEYS`: the ends of the band of inputs a where |w sigma'(w a + b)| >= 1
    (``"none"`` when |w| < 4 and the band is empty), its width (``"0"`` when empty or a single
    point) and the width bound (123) at |w|. Introduced in ``05-how-common-is-vanishing``.
    """
    interval = band(w, b)
    bound = format_float(float(width_bound(np.array([abs(float(w))]))[0]))
    if interval is None:
        return {"band_lo": EMPTY, "band_hi": EMPTY, "band_width": format_float(0.0),
                "width_bound": bound}
    lo, hi = interval
    return {"band_lo": format_float(lo), "band_hi": format_float(hi),
            "band_width": format_float(hi - lo), "width_bound": bound}


def circuits_readouts(n: int) -> dict[str, str]:
    """The circuits explorer's readout for parity of ``n`` bits (decimal integers).

    ``sop_gates`` = :func:`chapter5.circuits.sop_gate_count` (NOT gates included),
    ``xor_gates`` = :func:`chapter5.circuits.xor_tree_gate_count`,
    ``xor_depth`` = :func:`chapter5.circuits.xor_tree_depth`. Introduced in ``01-deep-circuits``.
    """
    return {"sop_gates": str(sop_gate_count(n)), "xor_gates": str(xor_tree_gate_count(n)),
            "xor_depth": str(xor_tree_depth(n))}


__all__ = [
    "BAND_KEYS",
    "CIRCUITS_KEYS",
    "EMPTY",
    "band_readouts",
    "chain_readouts",
    "circuits_readouts",
    "speed_words",
]
