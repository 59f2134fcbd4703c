"""Static figures for the derivation of eq. (122) in notebook 03: sigma and sigma', the weight
draw, and dC/db_1 beside dC/db_3 as rows of factors. Numbers come from :mod:`chapter5.chain`.

Introduced in ``03-chain-of-neurons``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from chapter5._validate import finite_float, real_array
from chapter5.activations import sigmoid, sigmoid_prime
from chapter5.chain import Chain, gradients
from chapter5.readout import format_float, format_signed_log10
from chapter5.viz.explorer import new_figure as _new_figure
from chapter5.viz.style import INK, PALETTE, apply_style

# ---------------------------------------------------------------------------------------------
# Static figures for the derivation


def _check_dC_daL(dC_daL: object) -> float:
    """``dC_daL`` as a float: finite and not 0 (every gradient is drawn as a magnitude on a log
    axis, and a zero dC/da_L makes them all 0). Introduced in ``03-chain-of-neurons``."""
    value = finite_float("dC_daL", dC_daL)
    if value == 0.0:
        raise ValueError("dC_daL must not be 0: every gradient would be 0, which a log axis "
                         "cannot show")
    return value


def sigmoid_figure(z_max: float = 6.0, n: int = 601) -> Figure:
    """sigma(z) and sigma'(z) side by side, the maximum of sigma' found on the grid and marked.

    Parameters
    ----------
    z_max : float
        The z axis runs over [-z_max, z_max].
    n : int
        Number of grid points (odd, so that z = 0 is on the grid).

    Returns
    -------
    Figure with two axes; ``fig.axes[1]`` holds sigma'. Introduced in ``03-chain-of-neurons``.
    """
    if isinstance(z_max, bool) or not (isinstance(z_max, (int, float))
                                       and math.isfinite(z_max) and 0 < z_max <= 1000):
        raise ValueError(f"z_max must be a positive finite number (at most 1000); got {z_max!r}")
    if not (isinstance(n, int) and n >= 3 and n % 2 == 1):
        raise ValueError(f"n must be an odd integer >= 3 (so z = 0 is a grid point); got {n!r}")
    z = np.linspace(-z_max, z_max, n)
    s, sp = sigmoid(z), sigmoid_prime(z)
    k = int(np.argmax(sp))
    fig = _new_figure((8.0, 3.0))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(z, s, color=PALETTE["blue"], lw=2)
    ax1.set(xlabel="weighted input z", ylabel="σ(z)", title="sigmoid σ(z) = 1 / (1 + e^(−z))")
    ax1.set_ylim(-0.03, 1.03)
    ax2.plot(z, sp, color=PALETTE["vermillion"], lw=2)
    ax2.axhline(sp[k], color=INK, lw=0.8, ls="--")
    ax2.plot([z[k]], [sp[k]], "o", color=INK)
    ax2.annotate(
        f"maximum σ'({z[k]:.0f}) = {sp[k]:.4g}",
        (z[k], sp[k]),
        xytext=(0.03, 0.9),
        textcoords="axes fraction",
        ha="left",
        arrowprops={"arrowstyle": "->", "color": INK},
    )
    ax2.set(xlabel="weighted input z", ylabel="σ'(z)",
            title="its derivative σ'(z) = σ(z)(1 − σ(z))")
    ax2.set_ylim(0, 0.3)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return apply_style(fig)


def weight_draw_figure(sample: np.ndarray) -> Figure:
    """The N(0, 1) density with the part |w| < 1 shaded, and a histogram of ``sample``.

    Parameters
    ----------
    sample : ndarray, shape (n,)
        Weights drawn from N(0, 1) with a seeded Generator (the notebook shows the seed).

    Returns
    -------
    Figure with one axes. Introduced in ``03-chain-of-neurons``.
    """
    sample = real_array("sample", sample)
    if sample.ndim != 1 or sample.size == 0 or not np.all(np.isfinite(sample)):
        raise ValueError("sample must be a non-empty 1-D array of finite numbers")
    w = np.linspace(-4, 4, 801)
    pdf = np.exp(-0.5 * w**2) / math.sqrt(2 * math.pi)
    inside = np.abs(w) <= 1
    share = float(np.mean(np.abs(sample) < 1))
    fig = _new_figure((6.4, 3.0))
    ax = fig.add_subplot()
    ax.hist(sample, bins=np.linspace(-4, 4, 41).tolist(), density=True, color=PALETTE["sky"],
            alpha=0.6, label=f"seeded sample of {sample.size} weights ({share:.1%} have |w| < 1)")
    ax.plot(w, pdf, color=PALETTE["blue"], lw=2, label="N(0, 1) density")
    ax.fill_between(w[inside], pdf[inside], color=PALETTE["blue"], alpha=0.25,
                    label=f"|w| < 1: probability {math.erf(1 / math.sqrt(2)):.4f}")
    ax.set(xlabel="weight w", ylabel="probability density", xlim=(-4, 4), ylim=(0, 0.62))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.17, top=0.95)
    return apply_style(fig)


def db1_vs_db3_figure(chain: Chain, dC_daL: float = 1.0) -> Figure:
    """dC/db_1 and dC/db_3 of a depth-4 chain as two aligned rows of factors (Nielsen ch. 5).

    The factors the two gradients share sit in the same columns; the two extra factors of
    dC/db_1, w_2 sigma'(z_2) and w_3 sigma'(z_3), are shaded and tagged "< 1/4" when their
    magnitude is below 1/4. Values come from :func:`chapter5.chain.gradients`.

    Parameters
    ----------
    chain : Chain of depth 4
    dC_daL : float
        dC/da_4 (default 1).

    Returns
    -------
    Figure with one axes. Introduced in ``03-chain-of-neurons``.
    """
    if not isinstance(chain, Chain) or chain.depth != 4:
        raise ValueError("chain must be a chapter5.chain.Chain of depth 4 (the chapter's example)")
    g = gradients(chain, _check_dC_daL(dC_daL))

    def fmt(sign: float, log10_abs: float) -> str:
        return format_signed_log10(sign, log10_abs)

    sp = [fmt(1.0, math.log10(s)) for s in g.sigma_prime]
    f = [fmt(g.sign_factors[k], g.log10_abs_factors[k]) for k in range(4)]
    da = format_float(g.dC_daL)
    extra = [abs(g.factors[1]) < 0.25, abs(g.factors[2]) < 0.25]
    # columns: 0 sigma'(z1), 1 w2 s'(z2), 2 w3 s'(z3), 3 w4 s'(z4), 4 dC/da4
    row1 = [("σ'(z₁)", sp[0]), ("w₂σ'(z₂)", f[1]), ("w₃σ'(z₃)", f[2]), ("w₄σ'(z₄)", f[3]),
            ("∂C/∂a₄", da)]
    row3 = [None, None, ("σ'(z₃)", sp[2]), ("w₄σ'(z₄)", f[3]), ("∂C/∂a₄", da)]
    fig = _new_figure((9.0, 3.1))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, 9.0)
    ax.set_ylim(0, 3.1)
    ax.axis("off")
    x0, width, gap = 1.45, 1.0, 0.18
    for y, label, row, result in (
        (2.05, "∂C/∂b₁ =", row1, fmt(g.sign_dC_db[0], g.log10_abs_dC_db[0])),
        (0.75, "∂C/∂b₃ =", row3, fmt(g.sign_dC_db[2], g.log10_abs_dC_db[2])),
    ):
        ax.text(x0 - 0.1, y, label, ha="right", va="center", fontsize=12, color=INK)
        for col, cell in enumerate(row):
            if cell is None:
                continue
            x = x0 + col * (width + gap)
            is_extra = row is row1 and col in (1, 2)
            face = PALETTE["orange"] if is_extra else "#eef3f8"
            ax.add_patch(_box(x, y, width, face))
            ax.text(x + width / 2, y + 0.17, cell[0], ha="center", va="center", fontsize=10,
                    color=INK)
            ax.text(x + width / 2, y - 0.17, cell[1], ha="center", va="center", fontsize=9,
                    color=INK, family="monospace")
            if col < 4:
                ax.text(x + width + gap / 2, y, "×", ha="center", va="center", fontsize=11,
                        color=INK)
            if is_extra and extra[col - 1]:
                ax.text(x + width / 2, y + 0.55, "< 1/4", ha="center", va="center",
                        fontsize=11, color=PALETTE["vermillion"], weight="bold")
        xr = x0 + 5 * (width + gap)
        ax.text(xr - gap / 2 + 0.05, y, f"= {result}", ha="left", va="center", fontsize=12,
                color=INK, family="monospace")
    ratio = format_signed_log10(g.sign_dC_db[0] * g.sign_dC_db[2],
                                g.log10_abs_dC_db[0] - g.log10_abs_dC_db[2])
    ax.text(0.15, 0.12, f"∂C/∂b₁ ÷ ∂C/∂b₃ = {ratio}    (shaded: the two extra factors of ∂C/∂b₁)",
            ha="left", va="center", fontsize=10, color=INK)
    return apply_style(fig)


def _box(x: float, y: float, width: float, face: str) -> Any:
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((x, y - 0.38), width, 0.76, boxstyle="round,pad=0.02,rounding_size=0.08",
                          facecolor=face, edgecolor=INK, lw=0.8)


__all__ = ["db1_vs_db3_figure", "sigmoid_figure", "weight_draw_figure"]
