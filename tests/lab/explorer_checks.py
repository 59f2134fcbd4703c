"""What the explorers must show, computed by ``chapter5`` in the test process.

Each function takes the slider values read back from the page (``labkit.slider_values``) and
returns the readout strings the explorer must show for exactly that setting.
"""

from __future__ import annotations

import numpy as np

from chapter5.chain import EXPLORER_A0, Chain, ChainGradients, gradients
from chapter5.explorer_readouts import band_readouts, chain_readouts


def chain_readouts_for(g: ChainGradients) -> dict[str, str]:
    """``factor_j``, ``dC_db_j``, ``z_j`` (j = 1..L), ``ratio_1_L`` and ``equation`` (eq. 122
    with the numbers in) for one chain: :func:`chapter5.explorer_readouts.chain_readouts`."""
    return chain_readouts(g)


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
    """``band_lo``, ``band_hi``, ``band_width``, ``width_bound`` for the prevalence explorer
    (:func:`chapter5.explorer_readouts.band_readouts`). An empty band (|w| < 4) reads ``none``
    at both ends and width ``0``.
    """
    return band_readouts(values["w"], values["b"])
