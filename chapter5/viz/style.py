"""One look for every figure: a colour-blind-safe palette and theme-proof backgrounds.

Introduced in ``01-deep-circuits`` and used by every notebook.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure, SubFigure

from chapter5._validate import _short, positive_int
from chapter5.chain import MAX_DEPTH

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

    ``layer`` is a whole number from 1 to :data:`chapter5.chain.MAX_DEPTH` (the deepest chain or
    net the package draws); the colours repeat every ``len(CYCLE)`` layers.
    Introduced in ``02-vanishing-gradients``.
    """
    layer = positive_int("layer", layer, maximum=MAX_DEPTH)
    return CYCLE[(layer - 1) % len(CYCLE)]


FACE = "#ffffff"
INK = "#1a1a1a"


def apply_style(fig: Any) -> Any:
    """Give ``fig`` and all its axes an opaque white face and dark ink, and return it.

    JupyterLab's dark theme and the book's dark mode would otherwise show black labels on a dark
    transparent background. Introduced in ``01-deep-circuits``.
    """
    if not isinstance(fig, Figure | SubFigure):
        raise TypeError(f"fig must be a matplotlib Figure (e.g. from new_figure or "
                        f"plt.subplots); got {_short(fig)}")
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
