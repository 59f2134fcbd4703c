"""What the explorers must show, computed by ``chapter5`` in the test process.

Each function takes the slider values read back from the page (``labkit.slider_values``) and
returns the readout strings the explorer must show for exactly that setting.
"""

from __future__ import annotations

import numpy as np

from chapter5.chain import EXPLORER_A0, Chain, ChainGradients, gradients, product_equation
from chapter5.readout import format_float, format_signed_log10


def chain_readouts_for(g: ChainGradients) -> dict[str, str]:
    """``factor_j``, ``dC_db_j``, ``z_j`` (j = 1..L), ``ratio_1_L`` and ``equation`` (eq. 122
    with the numbers in) for one chain."""
    out: dict[str, str] = {}
    for j in range(1, g.z.size + 1):
        out[f"factor_{j}"] = format_signed_log10(g.sign_factors[j - 1], g.log10_abs_factors[j - 1])
        out[f"dC_db_{j}"] = format_signed_log10(g.sign_dC_db[j - 1], g.log10_abs_dC_db[j - 1])
        out[f"z_{j}"] = format_float(g.z[j - 1])
    out["ratio_1_L"] = format_signed_log10(
        g.sign_dC_db[0] * g.sign_dC_db[-1], g.log10_ratio_first_last
    )
    out["equation"] = product_equation(g)
    return out


def chain_from_sliders(values: dict[str, float]) -> Chain:
    """The chain the chain explorer's sliders describe (depth from ``depth``, else every w_j)."""
    if "depth" in values:
        depth = int(round(values["depth"]))
    else:
        depth = sum(1 for k in values if k.startswith("w") and k[1:].isdigit())
    w = [values[f"w{j}"] for j in range(1, depth + 1)]
    b = [values[f"b{j}"] for j in range(1, depth + 1)]
    return Chain(np.array(w), np.array(b), values.get("a0", EXPLORER_A0))


def expected_chain_readouts(values: dict[str, float]) -> dict[str, str]:
    return chain_readouts_for(gradients(chain_from_sliders(values)))


def expected_band_readouts(values: dict[str, float]) -> dict[str, str]:
    """``band_lo``, ``band_hi``, ``band_width``, ``width_bound`` for the prevalence explorer.

    An empty band (|w| < 4) reads ``none`` at both ends and width ``0``.
    """
    from chapter5.prevalence import band, width_bound

    w, b = values["w"], values["b"]
    interval = band(w, b)
    bound = format_float(float(width_bound(np.array([abs(w)]))[0]))
    if interval is None:
        return {"band_lo": "none", "band_hi": "none", "band_width": "0", "width_bound": bound}
    lo, hi = interval
    return {
        "band_lo": format_float(lo),
        "band_hi": format_float(hi),
        "band_width": format_float(hi - lo),
        "width_bound": bound,
    }
