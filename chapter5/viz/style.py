"""One look for every figure: a colour-blind-safe palette and theme-proof backgrounds.

Introduced in ``01-deep-circuits`` and used by every notebook.
"""

from __future__ import annotations

from typing import Any

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

#: Colours in the order successive layers / series use them.
CYCLE: list[str] = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky")]



def layer_colour(layer: int) -> str:
    """The one colour hidden layer ``layer`` (1-based, the book's numbering) has in every figure.

    Introduced in ``02-vanishing-gradients``.
    """
    if isinstance(layer, bool) or not isinstance(layer, int) or layer < 1:
        raise ValueError(f"layer must be a hidden-layer number >= 1; got {layer!r}")
    return CYCLE[(layer - 1) % len(CYCLE)]


FACE = "#ffffff"
INK = "#1a1a1a"


def apply_style(fig: Any) -> Any:
    """Give ``fig`` and all its axes an opaque white face and dark ink, and return it.

    JupyterLab's dark theme and the book's dark mode would otherwise show black labels on a dark
    transparent background. Introduced in ``01-deep-circuits``.
    """
    fig.patch.set_facecolor(FACE)
    fig.patch.set_alpha(1.0)
    for ax in fig.axes:
        ax.set_facecolor(FACE)
        for spine in ax.spines.values():
            spine.set_color(INK)
        ax.tick_params(colors=INK)
        ax.xaxis.label.set_color(INK)
        ax.yaxis.label.set_color(INK)
        ax.title.set_color(INK)
    return fig


def rc_params() -> dict[Any, Any]:  # keys are rc names; matplotlib types them as Literals
    """matplotlib rc settings for our figures (use with ``matplotlib.rc_context``).

    Introduced in ``01-deep-circuits``.
    """
    return {
        "figure.facecolor": FACE,
        "axes.facecolor": FACE,
        "savefig.facecolor": FACE,
        "axes.prop_cycle": __import__("cycler").cycler(color=CYCLE),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "font.size": 10,
    }
