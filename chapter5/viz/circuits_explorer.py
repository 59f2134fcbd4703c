"""The circuits explorer of notebook 01 (gate counts of the two parity circuits against n),
built on :mod:`chapter5.viz.explorer`. Numbers come from :mod:`chapter5.circuits`; the readout
from :func:`chapter5.explorer_readouts.circuits_readouts`. Re-exported by
:mod:`chapter5.viz.circuits`. Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter

from chapter5.circuits import (
    EXPLORER_N_DEFAULT,
    EXPLORER_N_MAX,
    EXPLORER_N_MIN,
    sop_depth,
    sop_gate_count,
    xor_tree_depth,
    xor_tree_gate_count,
)
from chapter5.explorer_readouts import CIRCUITS_KEYS, circuits_readouts
from chapter5.viz.explorer import (
    Explorer,
    Panel,
    Picture,
    _check_readout_values,
    _check_state_kind,
    int_slider,
    keyed,
    new_figure,
)
from chapter5.viz.style import FACE, PALETTE

READOUT_KEYS: tuple[str, ...] = CIRCUITS_KEYS

FIGSIZE = (9.6, 3.6)  # inches, explorer picture
DPI = 80  # 768 x 288 px


def _check_n(n: object) -> int:
    """``n`` as an int in the slider's range, or a TypeError / ValueError saying so.

    Introduced in ``01-deep-circuits``.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a whole number in {EXPLORER_N_MIN}..{EXPLORER_N_MAX}; "
                        f"got {n!r}")
    n = int(n)
    if not EXPLORER_N_MIN <= n <= EXPLORER_N_MAX:
        raise ValueError(f"n must lie in {EXPLORER_N_MIN}..{EXPLORER_N_MAX} (the slider's "
                         f"range); got {n}")
    return n


# ---------------------------------------------------------------------------------------------
# Gate counts against n: the explorer's picture


def readout_strings(n: int) -> dict[str, str]:
    """The explorer's readouts for ``n`` inputs:
    :func:`chapter5.explorer_readouts.circuits_readouts`.

    ``sop_gates`` (NOT gates included), ``xor_gates``, ``xor_depth``, decimal integers.
    Introduced in ``01-deep-circuits``.
    """
    return circuits_readouts(_check_n(n))


def readout_html(n: int, values: dict[str, str]) -> str:
    """HTML for the readout widget: one ``<span data-key=...>`` per readout key.

    Introduced in ``01-deep-circuits``.
    """
    n = _check_n(n)
    values = _check_readout_values(values, READOUT_KEYS)
    v = {k: f"<b>{keyed(k, values[k])}</b>" for k in READOUT_KEYS}
    return (
        '<div style="font-family:monospace;line-height:1.6">'
        f"parity of n = {n} bits: "
        f'<span style="color:{PALETTE["vermillion"]}">depth-2 sum of products</span> '
        f"{v['sop_gates']} gates (depth {sop_depth(n)}) &nbsp;|&nbsp; "
        f'<span style="color:{PALETTE["blue"]}">XOR tree</span> {v["xor_gates"]} gates, '
        f"depth {v['xor_depth']}</div>"
    )


@dataclasses.dataclass
class _CircuitsState:
    """The circuits explorer's state: the number of input bits ``n``.

    Introduced in ``01-deep-circuits``."""

    n: int


def _series(ns: np.ndarray, sop: Callable[[int], int], tree: Callable[..., int]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sop(n), tree(n) and tree(n) in AND/OR/NOT, for every n in ``ns``."""
    return (np.array([sop(int(k)) for k in ns]), np.array([tree(int(k)) for k in ns]),
            np.array([tree(int(k), basis="and-or-not") for k in ns]))


def _n_axes(ax: Axes, ylabel: str) -> tuple[Axes]:
    """The n axis both panels share, the y label and the legend; returns ``(ax,)``."""
    ax.set_xlim(EXPLORER_N_MIN - 0.5, EXPLORER_N_MAX + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of input bits n")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    return (ax,)


def _n_markers(ax: Axes, c_sop: str, c_tree: str, ms: float) -> tuple[Any, Any, Any]:
    """The line at the current n and an open marker for each circuit on it."""
    return (ax.axvline(EXPLORER_N_MIN, color=PALETTE["grey"], lw=1, ls=":"),
            ax.plot([], [], "o", ms=ms, mfc="none", mec=c_sop, mew=2)[0],
            ax.plot([], [], "s", ms=ms, mfc="none", mec=c_tree, mew=2)[0])


def _label(ax: Axes, colour: str, dy: float) -> Any:
    return ax.annotate("", (0, 1), xytext=(8, dy), textcoords="offset points", fontsize=9,
                       color=colour, va="top",
                       bbox={"facecolor": FACE, "edgecolor": "none", "alpha": 0.85})


class _GatesPanel(Panel):
    """Gates against n on a log axis: the sum of products (NOTs included), the XOR tree, and the
    XOR tree spelled out in AND/OR/NOT; the current n marked and labelled.
    Introduced in ``01-deep-circuits``.
    """

    def __init__(self, ax: Axes, ns: np.ndarray) -> None:
        super().__init__()
        self.sop, self.tree, tree_aon = _series(ns, sop_gate_count, xor_tree_gate_count)
        c_sop, c_tree = PALETTE["vermillion"], PALETTE["blue"]
        # n = 1 needs no XOR gate at all; a log axis cannot show 0, so the tree curves start
        # at n = 2.
        ax.set_yscale("log")
        ax.plot(ns, self.sop, "-o", ms=3.5, color=c_sop, lw=1.8,
                label="sum of products (depth 2)")
        ax.plot(ns[1:], tree_aon[1:], "--", color=PALETTE["sky"], lw=1.6,
                label="XOR tree, XOR = 4 AND/OR/NOT")
        ax.plot(ns[1:], self.tree[1:], "-s", ms=3.5, color=c_tree, lw=1.8,
                label="XOR tree (n − 1 XORs)")
        ax.set_ylim(0.7, 8.0 * self.sop[-1])
        ax.yaxis.set_major_locator(LogLocator(base=10.0, numticks=12))
        ax.yaxis.set_minor_formatter(NullFormatter())
        with self.moving(*_n_axes(ax, "gates in the circuit (count, log scale)")):
            self.vline, self.dot_sop, self.dot_tree = _n_markers(ax, c_sop, c_tree, 9)
            self.label_sop = _label(ax, c_sop, -4)
            self.label_tree = _label(ax, c_tree, -10)
            self.title = ax.set_title("", fontsize=10, loc="left")

    def update(self, state: _CircuitsState, result: int) -> None:
        n, i = state.n, result
        sop, tree = int(self.sop[i]), int(self.tree[i])
        self.vline.set_xdata([n, n])
        self.dot_sop.set_data([n], [sop])
        self.label_sop.xy = (n, sop)
        self.label_sop.set_text(f"{sop} gates")
        if tree > 0:
            self.dot_tree.set_data([n], [tree])
            self.label_tree.xy = (n, tree)
            self.label_tree.set_text(f"{tree} gate" + ("s" if tree != 1 else ""))
        else:  # n = 1: the tree is the bare input wire; a log axis has no place for 0 gates
            self.dot_tree.set_data([], [])
            self.label_tree.xy = (n, 1.0)
            self.label_tree.set_text("")
        # On the left half: labels below-right of their points (the curves rise to the right);
        # on the right half the SOP label goes above-left and the tree label below-left.
        right = n > (EXPLORER_N_MIN + EXPLORER_N_MAX) / 2
        self.label_sop.set_ha("right" if right else "left")
        self.label_sop.set_va("bottom" if right else "top")
        self.label_sop.xyann = (-10, 6) if right else (10, -6)
        self.label_tree.set_ha("right" if right else "left")
        self.label_tree.xyann = (-10, -8) if right else (10, -8)
        ratio = sop / tree if tree else float("inf")
        tail = (f"the shallow circuit has {ratio:.1f}× as many gates" if tree
                else "one bit is its own parity: the tree needs no gate")
        self.title.set_text(f"n = {n}: {tail}")


class _DepthPanel(Panel):
    """Depth against n for the same circuits, the current n marked.
    Introduced in ``01-deep-circuits``.
    """

    def __init__(self, bx: Axes, ns: np.ndarray) -> None:
        super().__init__()
        self.sop_depth, self.tree_depth, tree_aon_depth = _series(ns, sop_depth, xor_tree_depth)
        c_sop, c_tree = PALETTE["vermillion"], PALETTE["blue"]
        bx.step(ns, tree_aon_depth, where="mid", color=PALETTE["sky"], lw=1.6, ls="--",
                label="XOR tree in AND/OR/NOT")
        bx.step(ns, self.tree_depth, where="mid", color=c_tree, lw=1.8,
                label="XOR tree: ⌈log₂ n⌉")
        bx.step(ns, self.sop_depth, where="mid", color=c_sop, lw=1.8,
                label="sum of products: 2")
        bx.set_ylim(-0.5, tree_aon_depth.max() + 1.5)
        bx.yaxis.set_major_locator(MaxNLocator(integer=True))
        with self.moving(*_n_axes(bx, "depth (gates on longest path)")):
            self.vline, self.dot_sop, self.dot_tree = _n_markers(bx, c_sop, c_tree, 8)
        bx.set_title("…paid for with depth", fontsize=10, loc="left")

    def update(self, state: _CircuitsState, result: int) -> None:
        n, i = state.n, result
        self.vline.set_xdata([n, n])
        self.dot_sop.set_data([n], [int(self.sop_depth[i])])
        self.dot_tree.set_data([n], [int(self.tree_depth[i])])


class CircuitsPicture(Picture):
    """One persistent two-panel Agg figure, redrawn in place: :class:`_GatesPanel` on the left,
    :class:`_DepthPanel` on the right. Introduced in ``01-deep-circuits``.
    """

    def __init__(self, n: int = EXPLORER_N_DEFAULT) -> None:
        n = _check_n(n)
        figure = new_figure(FIGSIZE, DPI)
        ax, bx = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1.0]})
        figure.subplots_adjust(left=0.085, right=0.985, bottom=0.15, top=0.88, wspace=0.25)
        self.ax_gates, self.ax_depth = ax, bx
        ns = np.arange(EXPLORER_N_MIN, EXPLORER_N_MAX + 1)
        super().__init__(figure, [_GatesPanel(ax, ns), _DepthPanel(bx, ns)], live=False)
        self.n = 0
        self.show(n)

    def show(self, n: int) -> None:
        """Move every marker and label to ``n`` (no new artists, no new figure)."""
        n = _check_n(n)
        self.n = n
        self.update(_CircuitsState(n), n - EXPLORER_N_MIN)


def gate_count_figure(n: int = EXPLORER_N_DEFAULT) -> Figure:
    """The explorer's picture at ``n`` as a static figure (the book shows it at the default).

    Introduced in ``01-deep-circuits``.
    """
    return CircuitsPicture(n).figure


class CircuitsExplorer(Explorer):
    """Live explorer: an n slider, the readout, and the gate-count picture updated in place.

    Attributes
    ----------
    state : _CircuitsState
    controls : dict[str, ipywidgets.IntSlider]
        ``"n"``: class ``c5-slider-n``, range ``EXPLORER_N_MIN..EXPLORER_N_MAX``; also
        ``slider_n``.
    readout, image, widget
        As in :class:`chapter5.viz.explorer.Explorer` (``data-key`` spans: :data:`READOUT_KEYS`).

    Introduced in ``01-deep-circuits``.
    """

    alt = "Gate counts of the two parity circuits against n, log scale"

    def __init__(self, n: int = EXPLORER_N_DEFAULT) -> None:
        n = _check_n(n)
        control = int_slider("n", "n", n, EXPLORER_N_MIN, EXPLORER_N_MAX, width="460px",
                             label_width="2em")
        self.slider_n = control.widget
        self.start(_CircuitsState(n), [control], CircuitsPicture(n))

    def layout(self) -> Any:
        import ipywidgets as widgets

        return widgets.VBox([self.slider_n, self.readout, self.image])

    def compute(self, state: _CircuitsState) -> int:
        _check_state_kind(state, _CircuitsState)
        return _check_n(state.n) - EXPLORER_N_MIN

    def readouts(self, state: _CircuitsState | None = None, result: object = None
                 ) -> dict[str, str]:
        """The readout strings: with no arguments, those on screen, by key."""
        if state is None:
            return self.readout_values()
        _check_state_kind(state, _CircuitsState, none_ok=True)
        return circuits_readouts(state.n)

    def readout_html(self, values: dict[str, str]) -> str:
        return readout_html(self.state.n, values)

    def set(self, n: int) -> None:  # type: ignore[override]
        """Move the slider (as a reader would); the move updates readout and picture."""
        super().set(n=_check_n(n))


def circuits_explorer(n: int = EXPLORER_N_DEFAULT) -> CircuitsExplorer:
    """Build the live gate-count explorer at ``n``. Introduced in ``01-deep-circuits``."""
    return CircuitsExplorer(n)


__all__ = [
    "CircuitsExplorer",
    "CircuitsPicture",
    "READOUT_KEYS",
    "circuits_explorer",
    "gate_count_figure",
    "readout_html",
    "readout_strings",
]
