"""Pictures of circuits and the live n explorer for the circuit analogy (Nielsen ch. 5).

Every drawing is made from a :class:`chapter5.circuits.Circuit`'s own structure: gates are placed
in columns by their depth, wires join the gates they really join, and the boxes around sub-circuits
come from the block names the builder recorded. Numbers in the pictures come from
:mod:`chapter5.circuits`. Introduced in ``01-deep-circuits``.

The explorer follows the team's widget contract: an ``IntSlider`` ``c5-slider-n``, an
``ipywidgets.HTML`` readout ``c5-readout`` whose elements carry ``data-key`` = ``sop_gates``,
``xor_gates``, ``xor_depth``, and an ``ipywidgets.Image`` ``c5-figure`` holding the PNG of ONE
persistent Agg figure that is updated in place.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter

from chapter5.circuits import (
    EXPLORER_N_DEFAULT,
    EXPLORER_N_MAX,
    EXPLORER_N_MIN,
    Circuit,
    full_adder,
    multiplier,
    parity_sop,
    parity_xor_tree,
    ripple_carry_adder,
    sop_depth,
    sop_gate_count,
    xor_tree_depth,
    xor_tree_gate_count,
)
from chapter5.explorer_readouts import CIRCUITS_KEYS, circuits_readouts
from chapter5.viz.explorer import Explorer, Panel, Picture, int_slider, keyed
from chapter5.viz.explorer import new_figure as _new_figure
from chapter5.viz.style import FACE, INK, PALETTE, apply_style

#: Fill colour of each gate kind in the drawings (light tints, dark ink on top).
GATE_FILL: dict[str, str] = {
    "AND": "#cce3f0",   # blue tint
    "OR": "#f9e3b8",    # orange tint
    "NOT": "#e6e6e6",   # grey
    "XOR": "#c2e8dc",   # green tint
}
_GATE_LABEL = {"AND": "AND", "OR": "OR", "NOT": "NOT", "XOR": "XOR"}

READOUT_KEYS: tuple[str, ...] = CIRCUITS_KEYS

_FIGSIZE = (9.6, 3.6)  # inches, explorer picture
_DPI = 80  # 768 x 288 px


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a whole number in {EXPLORER_N_MIN}..{EXPLORER_N_MAX}; "
                        f"got {n!r}")
    n = int(n)
    if not EXPLORER_N_MIN <= n <= EXPLORER_N_MAX:
        raise ValueError(f"n must lie in {EXPLORER_N_MIN}..{EXPLORER_N_MAX} (the slider's "
                         f"range); got {n}")
    return n


# ---------------------------------------------------------------------------------------------
# Drawing a circuit from its structure


def circuit_layout(circuit: Circuit) -> tuple[np.ndarray, np.ndarray]:
    """Positions (x, y) of every wire's source, each shape (n_wires,).

    Inputs sit in column 0, a gate one column right of its deepest input (NOT gates count, so
    they get a column of their own). Within a column, gates are ordered by the mean height of
    the wires they read and spread evenly over the height of the tallest column; y grows
    downwards (input 1 at the top). Introduced in ``01-deep-circuits``.
    """
    level = circuit.wire_levels(literals_free=False)
    n_cols = int(level.max()) + 1
    counts = np.bincount(level, minlength=n_cols)
    height = float(max(counts.max() - 1, 1))
    x = level.astype(float)
    y = np.zeros(circuit.n_wires)
    k = circuit.n_inputs
    y[:k] = np.linspace(0.0, height, k) if k > 1 else height / 2.0
    for col in range(1, n_cols):
        wires = np.flatnonzero(level == col)
        wanted = np.array([np.mean(y[list(circuit.gates[w - k].inputs)]) for w in wires])
        order = wires[np.argsort(wanted, kind="stable")]
        m = len(order)
        if m == counts.max():
            y[order] = np.linspace(0.0, height, m) if m > 1 else height / 2.0
        else:
            # Keep the column near its inputs but at least one unit apart.
            spots = np.sort(wanted)
            for i in range(1, m):
                spots[i] = max(spots[i], spots[i - 1] + 1.0)
            spots += np.mean(wanted) - np.mean(spots)
            spots -= min(spots.min(), 0.0)
            spots -= max(spots.max() - height, 0.0)
            y[order] = spots
    return x, y


def _minterm(circuit: Circuit, gate: object, literal_nots: set[int]) -> str | None:
    """For an AND of one literal per input (x_i or NOT x_i, each input once), the one input
    pattern on which it is true, written x1 x2 ... as 0/1 digits; otherwise None."""
    k = circuit.n_inputs
    if getattr(gate, "op", None) != "AND":
        return None
    bits: dict[int, str] = {}
    for i in gate.inputs:  # type: ignore[attr-defined]
        if i < k:
            bits[i] = "1"
        elif i in literal_nots:
            bits[circuit.gates[i - k].inputs[0]] = "0"
        else:
            return None
    if sorted(bits) != list(range(k)) or len(gate.inputs) != k:  # type: ignore[attr-defined]
        return None
    return "".join(bits[i] for i in range(k))


def draw_circuit(ax: Axes, circuit: Circuit, *, show_blocks: str | None = None,
                 term_labels: bool = False, gate_width: float = 0.42,
                 gate_height: float = 0.6, fontsize: float = 8.0) -> None:
    """Draw ``circuit`` on ``ax``: inputs on the left, gates as labelled boxes, wires as lines.

    Wires leaving a NOT gate that negates an input (a literal NOT x_i) are drawn in vermillion.
    ``show_blocks``: a block kind (e.g. ``"half adder"``) whose sub-circuits get a dashed frame.
    ``term_labels``: write under each AND of literals the one input (x1 x2 ... as 0/1) on which
    it is true. Wires into a gate arrive at evenly spaced points on its left side, sorted by
    the height they come from. Introduced in ``01-deep-circuits``.
    """
    if not isinstance(circuit, Circuit):
        raise TypeError(f"circuit must be a chapter5.circuits.Circuit; got {type(circuit)!r}")
    x, y = circuit_layout(circuit)
    k = circuit.n_inputs
    half_w, half_h = gate_width / 2.0, gate_height / 2.0
    # Outputs of NOT gates fed straight from an input: the negated literals.
    literal_nots = {k + g for g, gate in enumerate(circuit.gates)
                    if gate.op == "NOT" and gate.inputs[0] < k}

    def right_end(w: int) -> tuple[float, float]:
        return (x[w] + 0.12, y[w]) if w < k else (x[w] + half_w, y[w])

    for g, gate in enumerate(circuit.gates):
        w = k + g
        m = gate.fan_in
        ports = (np.linspace(y[w] - 0.75 * half_h, y[w] + 0.75 * half_h, m) if m > 1
                 else np.array([y[w]]))
        # Sort arrival points by source height so wires into one gate do not cross each other.
        src_order = np.argsort([y[i] for i in gate.inputs], kind="stable")
        for port, idx in zip(ports, src_order, strict=True):
            src = gate.inputs[idx]
            sx, sy = right_end(src)
            negated = src in literal_nots
            ax.plot([sx, x[w] - half_w], [sy, port],
                    color=PALETTE["vermillion"] if negated else INK, lw=0.8 if negated else 0.7,
                    alpha=0.8, solid_capstyle="round", zorder=1)
    for g, gate in enumerate(circuit.gates):
        w = k + g
        ax.add_patch(FancyBboxPatch((x[w] - half_w, y[w] - half_h), gate_width, gate_height,
                                    boxstyle="round,pad=0.0,rounding_size=0.08",
                                    facecolor=GATE_FILL[gate.op], edgecolor=INK, lw=0.9,
                                    zorder=3))
        label = _GATE_LABEL[gate.op]
        pattern = _minterm(circuit, gate, literal_nots) if term_labels else None
        if pattern is not None:
            label = f"AND\n{pattern}"
        ax.text(x[w], y[w], label, ha="center", va="center", linespacing=1.0,
                fontsize=fontsize * (0.8 if gate.op in ("NOT", "XOR") else 0.9), color=INK,
                zorder=4)
    for i, name in enumerate(circuit.input_names):
        ax.plot([x[i]], [y[i]], "o", ms=5, color=PALETTE["black"], zorder=3)
        ax.text(x[i] - 0.1, y[i], _pretty(name), ha="right", va="center", fontsize=fontsize + 1,
                color=INK)
    for o, name in zip(circuit.outputs, circuit.output_names, strict=True):
        ex, ey = right_end(o)
        ax.annotate("", (ex + 0.35, ey), (ex, ey), zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": INK, "lw": 0.9})
        ax.text(ex + 0.4, ey, _pretty(name), ha="left", va="center", fontsize=fontsize + 1,
                color=INK)
    if show_blocks:
        for path in circuit.blocks(show_blocks):
            members = [k + g for g, gate in enumerate(circuit.gates)
                       if gate.block[: len(path)] == path]
            x0, x1 = x[members].min() - half_w - 0.12, x[members].max() + half_w + 0.12
            y0, y1 = y[members].min() - half_h - 0.15, y[members].max() + half_h + 0.15
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ls="--", lw=1.0,
                                   edgecolor=PALETTE["vermillion"], zorder=0))
            ax.text(x0 + 0.03, y0 - 0.06, path[-1], ha="left", va="bottom", fontsize=fontsize,
                    color=PALETTE["vermillion"])
    ax.set_xlim(-0.9, x.max() + 1.3)
    ax.set_ylim(y.max() + 0.9, y.min() - 0.9)
    ax.set_aspect("auto")
    ax.axis("off")


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(text: str) -> str:
    """Digits as subscripts: "a0" -> "a₀"."""
    return text.translate(_SUBSCRIPTS)


def _pretty(name: str) -> str:
    """x1 -> x₁, a0 -> a₀; a parity output is just called "parity"."""
    if name.startswith("parity"):
        return "parity"
    head = name.rstrip("0123456789")
    return head + _sub(name[len(head):])


def parity_circuits_figure(n: int = 4) -> Figure:
    """Both parity circuits for one small n, side by side, drawn from their structure.

    Left: the depth-2 sum of products (:func:`chapter5.circuits.parity_sop`); right: the XOR
    tree (:func:`chapter5.circuits.parity_xor_tree`). Titles carry the gate counts and depths the
    circuits report. ``n`` must lie in 2..5 (larger sums of products are a tangle).
    Introduced in ``01-deep-circuits``.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a whole number in 2..5; got {n!r}")
    if not 2 <= n <= 5:
        raise ValueError(f"n must lie in 2..5 for a readable drawing; got {n}")
    sop, tree = parity_sop(int(n)), parity_xor_tree(int(n))
    fig = _new_figure((9.6, 4.6))
    ax_sop, ax_tree = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1.0]})
    fig.subplots_adjust(left=0.03, right=0.97, bottom=0.02, top=0.86, wspace=0.08)
    draw_circuit(ax_sop, sop, term_labels=True, gate_width=0.5, gate_height=0.72)
    draw_circuit(ax_tree, tree, gate_height=0.55)
    c = sop.gate_counts()
    ax_sop.set_title(
        f"Sum of products: {c['AND']} AND + {c['OR']} OR + {c['NOT']} NOT = "
        f"{sop.gate_count()} gates\ndepth {sop.depth()} (NOTs on inputs free), "
        f"largest fan-in {sop.max_fan_in()}\neach AND is true on one input x₁…x{_sub(str(n))}; "
        "negated inputs in vermillion", fontsize=9.5, loc="left")
    ax_tree.set_title(f"Tree of 2-input XORs: {tree.gate_count()} gates\n"
                      f"depth {tree.depth()}, fan-in 2\n ", fontsize=9.5, loc="left")
    return apply_style(fig)


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
class CircuitsState:
    """The circuits explorer's state: the number of input bits ``n``.

    Introduced in ``01-deep-circuits``."""

    n: int


def _counts(ns: np.ndarray, count: Callable[..., int], **kw: Any) -> np.ndarray:
    return np.array([count(int(k), **kw) for k in ns])


def _marker(ax: Axes, marker: str, colour: str, ms: float) -> Any:
    return ax.plot([], [], marker, ms=ms, mfc="none", mec=colour, mew=2)[0]


def _label(ax: Axes, colour: str, dy: float) -> Any:
    return ax.annotate("", (0, 1), xytext=(8, dy), textcoords="offset points", fontsize=9,
                       color=colour, va="top",
                       bbox={"facecolor": FACE, "edgecolor": "none", "alpha": 0.85})


class GatesPanel(Panel):
    """Gates against n on a log axis: the sum of products (NOTs included), the XOR tree, and the
    XOR tree spelled out in AND/OR/NOT; the current n marked and labelled.
    Introduced in ``01-deep-circuits``.
    """

    def __init__(self, ax: Axes, ns: np.ndarray) -> None:
        super().__init__()
        self.sop = _counts(ns, sop_gate_count)
        self.tree = _counts(ns, xor_tree_gate_count)
        tree_aon = _counts(ns, xor_tree_gate_count, basis="and-or-not")
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
        ax.set_xlim(EXPLORER_N_MIN - 0.5, EXPLORER_N_MAX + 0.5)
        ax.set_ylim(0.7, 8.0 * self.sop[-1])
        ax.yaxis.set_major_locator(LogLocator(base=10.0, numticks=12))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("number of input bits n")
        ax.set_ylabel("gates in the circuit (count, log scale)")
        ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
        with self.moving(ax):
            self.vline = ax.axvline(EXPLORER_N_MIN, color=PALETTE["grey"], lw=1, ls=":")
            self.dot_sop = _marker(ax, "o", c_sop, 9)
            self.dot_tree = _marker(ax, "s", c_tree, 9)
            self.label_sop = _label(ax, c_sop, -4)
            self.label_tree = _label(ax, c_tree, -10)
            self.title = ax.set_title("", fontsize=10, loc="left")

    def update(self, state: CircuitsState, result: int) -> None:
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


class DepthPanel(Panel):
    """Depth against n for the same circuits, the current n marked.
    Introduced in ``01-deep-circuits``.
    """

    def __init__(self, bx: Axes, ns: np.ndarray) -> None:
        super().__init__()
        self.sop_depth = _counts(ns, sop_depth)
        self.tree_depth = _counts(ns, xor_tree_depth)
        tree_aon_depth = _counts(ns, xor_tree_depth, basis="and-or-not")
        c_sop, c_tree = PALETTE["vermillion"], PALETTE["blue"]
        bx.step(ns, tree_aon_depth, where="mid", color=PALETTE["sky"], lw=1.6, ls="--",
                label="XOR tree in AND/OR/NOT")
        bx.step(ns, self.tree_depth, where="mid", color=c_tree, lw=1.8,
                label="XOR tree: ⌈log₂ n⌉")
        bx.step(ns, self.sop_depth, where="mid", color=c_sop, lw=1.8,
                label="sum of products: 2")
        bx.set_xlim(EXPLORER_N_MIN - 0.5, EXPLORER_N_MAX + 0.5)
        bx.set_ylim(-0.5, tree_aon_depth.max() + 1.5)
        bx.xaxis.set_major_locator(MaxNLocator(integer=True))
        bx.yaxis.set_major_locator(MaxNLocator(integer=True))
        bx.set_xlabel("number of input bits n")
        bx.set_ylabel("depth (gates on longest path)")
        bx.legend(loc="upper left", fontsize=8, framealpha=0.95)
        with self.moving(bx):
            self.vline = bx.axvline(EXPLORER_N_MIN, color=PALETTE["grey"], lw=1, ls=":")
            self.dot_sop = _marker(bx, "o", c_sop, 8)
            self.dot_tree = _marker(bx, "s", c_tree, 8)
        bx.set_title("…paid for with depth", fontsize=10, loc="left")

    def update(self, state: CircuitsState, result: int) -> None:
        n, i = state.n, result
        self.vline.set_xdata([n, n])
        self.dot_sop.set_data([n], [int(self.sop_depth[i])])
        self.dot_tree.set_data([n], [int(self.tree_depth[i])])


class CircuitsPicture(Picture):
    """One persistent two-panel Agg figure, redrawn in place: :class:`GatesPanel` on the left,
    :class:`DepthPanel` on the right. Introduced in ``01-deep-circuits``.
    """

    def __init__(self, n: int = EXPLORER_N_DEFAULT) -> None:
        n = _check_n(n)
        figure = _new_figure(_FIGSIZE, _DPI)
        ax, bx = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1.0]})
        figure.subplots_adjust(left=0.085, right=0.985, bottom=0.15, top=0.88, wspace=0.25)
        self.ax_gates, self.ax_depth = ax, bx
        ns = np.arange(EXPLORER_N_MIN, EXPLORER_N_MAX + 1)
        super().__init__(figure, [GatesPanel(ax, ns), DepthPanel(bx, ns)], live=False)
        self.n = 0
        self.show(n)

    def show(self, n: int) -> None:
        """Move every marker and label to ``n`` (no new artists, no new figure)."""
        n = _check_n(n)
        self.n = n
        self.update(CircuitsState(n), n - EXPLORER_N_MIN)


def gate_count_figure(n: int = EXPLORER_N_DEFAULT) -> Figure:
    """The explorer's picture at ``n`` as a static figure (the book shows it at the default).

    Introduced in ``01-deep-circuits``.
    """
    return CircuitsPicture(n).figure


class CircuitsExplorer(Explorer):
    """Live explorer: an n slider, the readout, and the gate-count picture updated in place.

    Attributes
    ----------
    state : CircuitsState
    controls : dict[str, ipywidgets.IntSlider]
        ``"n"``: class ``c5-slider-n``, range ``EXPLORER_N_MIN..EXPLORER_N_MAX``; also
        ``slider_n``.
    readout : ipywidgets.HTML
        Class ``c5-readout``; ``data-key`` spans for :data:`READOUT_KEYS`.
    image : chapter5.viz.picture.Picture
        Class ``c5-figure``; PNG of :attr:`picture`'s one persistent figure.
    widget : ipywidgets.VBox
        Everything, ready to display.

    Introduced in ``01-deep-circuits``.
    """

    alt = "Gate counts of the two parity circuits against n, log scale"

    def __init__(self, n: int = EXPLORER_N_DEFAULT) -> None:
        n = _check_n(n)
        control = int_slider("n", "n", n, EXPLORER_N_MIN, EXPLORER_N_MAX, width="460px",
                             label_width="2em")
        self.slider_n = control.widget
        self.start(CircuitsState(n), [control], CircuitsPicture(n))

    def layout(self) -> Any:
        import ipywidgets as widgets

        return widgets.VBox([self.slider_n, self.readout, self.image])

    def compute(self, state: CircuitsState) -> int:
        return _check_n(state.n) - EXPLORER_N_MIN

    def readouts(self, state: CircuitsState | None = None, result: object = None
                 ) -> dict[str, str]:
        """The readout strings: with no arguments, those on screen, by key."""
        if state is None:
            return self.readout_values()
        return circuits_readouts(state.n)

    def readout_html(self, values: dict[str, str]) -> str:
        return readout_html(self.state.n, values)

    def set(self, n: int) -> None:  # type: ignore[override]
        """Move the slider (as a reader would); the move updates readout and picture."""
        super().set(n=_check_n(n))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def circuits_explorer(n: int = EXPLORER_N_DEFAULT) -> CircuitsExplorer:
    """Build the live gate-count explorer at ``n``. Introduced in ``01-deep-circuits``."""
    return CircuitsExplorer(n)


# ---------------------------------------------------------------------------------------------
# The multiplier's hierarchy: bit adders -> adders -> multiplier


def _box(ax: Axes, x: float, y: float, w: float, h: float, text: str, fill: str,
         fontsize: float = 8.5) -> None:
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.0,rounding_size=0.12",
                                facecolor=fill, edgecolor=INK, lw=1.0, zorder=2))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=fontsize, color=INK,
            zorder=3)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float],
           color: str = INK) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, lw=0.9,
                                 color=color, zorder=1, shrinkA=0, shrinkB=0))


def _top_blocks(circuit: Circuit, depth: int, prefix: tuple[str, ...] = ()
                ) -> list[tuple[str, int]]:
    """Blocks at ``depth`` below ``prefix``, in build order, with their gate counts."""
    found: dict[str, int] = {}
    for gate in circuit.gates:
        if len(gate.block) > depth and gate.block[:depth] == prefix:
            found[gate.block[depth]] = found.get(gate.block[depth], 0) + 1
    return list(found.items())


def multiplier_hierarchy_figure(width: int = 4) -> Figure:
    """Three levels of one multiplier, each read from the built circuits.

    (a) a full adder drawn gate by gate, its two half adders framed; (b) a ``width``-bit
    ripple-carry adder as a row of bit adders passing carries; (c) a ``width`` x ``width``
    multiplier: a block of AND gates for the partial products, then ripple-carry adders, each
    adding one more row. Gate counts in the boxes are counted from the structure. ``width`` must
    lie in 2..6. Introduced in ``01-deep-circuits``.
    """
    if isinstance(width, bool) or not isinstance(width, numbers.Integral):
        raise TypeError(f"width must be a whole number in 2..6; got {width!r}")
    if not 2 <= width <= 6:
        raise ValueError(f"width must lie in 2..6 for a readable drawing; got {width}")
    width = int(width)
    fa, adder, mult = full_adder(), ripple_carry_adder(width), multiplier(width)
    fig = _new_figure((10.0, 6.6))
    grid = fig.add_gridspec(2, 2, width_ratios=[1.0, 1.25], height_ratios=[1.0, 1.0],
                            left=0.02, right=0.98, top=0.92, bottom=0.02, hspace=0.25,
                            wspace=0.08)
    ax_fa = fig.add_subplot(grid[0, 0])
    ax_add = fig.add_subplot(grid[1, 0])
    ax_mul = fig.add_subplot(grid[:, 1])
    fill_ha, fill_fa = GATE_FILL["XOR"], GATE_FILL["AND"]

    # (a) full adder from gates.
    draw_circuit(ax_fa, fa, show_blocks="half adder", gate_height=0.5)
    ax_fa.set_title(f"(a) bit adder: a full adder = 2 half adders + OR,\n"
                    f"{fa.gate_count()} gates, depth {fa.depth()}", fontsize=10, loc="left")

    # (b) ripple-carry adder from bit adders (right to left: least significant bit on the right).
    cells = _top_blocks(adder, 1, (adder.gates[0].block[0],))
    ax = ax_add
    m = len(cells)
    for j, (name, gates) in enumerate(cells):
        x = (m - 1 - j) * 1.5
        kind = name.rsplit(" ", 1)[0]
        _box(ax, x, 0.0, 1.1, 1.0, f"{kind.replace(' ', chr(10))}\n{gates} gates",
             fill_ha if kind == "half adder" else fill_fa, fontsize=8)
        ax.text(x + 0.3, 1.55, _sub(f"a{j}"),
                ha="center", fontsize=9, color=INK)
        ax.text(x + 0.8, 1.55, _sub(f"b{j}"),
                ha="center", fontsize=9, color=INK)
        _arrow(ax, (x + 0.3, 1.5), (x + 0.3, 1.0))
        _arrow(ax, (x + 0.8, 1.5), (x + 0.8, 1.0))
        _arrow(ax, (x + 0.55, 0.0), (x + 0.55, -0.45))
        ax.text(x + 0.55, -0.6, _sub(f"s{j}"),
                ha="center", va="top", fontsize=9, color=INK)
        if j < m - 1:
            _arrow(ax, (x, 0.5), (x - 0.4, 0.5), color=PALETTE["vermillion"])
            ax.text(x - 0.2, 0.6, "carry", ha="center", fontsize=6.5,
                    color=PALETTE["vermillion"])
    _arrow(ax, (0.0, 0.5), (-0.45, 0.5), color=PALETTE["vermillion"])
    ax.text(-0.5, 0.5, _sub(f"s{m}"),
            ha="right", va="center", fontsize=9, color=INK)
    ax.set_xlim(-1.0, (m - 1) * 1.5 + 1.3)
    ax.set_ylim(-1.2, 2.1)
    ax.axis("off")
    ax.set_title(f"(b) adder: a {width}-bit ripple-carry adder = a chain of bit adders,\n"
                 f"{adder.gate_count()} gates, depth {adder.depth()}", fontsize=10, loc="left")

    # (c) the multiplier: partial products, then one adder per further row.
    ax = ax_mul
    top = _top_blocks(mult, 0)
    pp_gates = dict(top)["partial products 0"]
    adders = [(name, gates) for name, gates in top if name.startswith("adder")]
    n_rows = width
    y = 0.0
    _box(ax, 0.0, y, 4.2, 1.1,
         f"partial products\n{pp_gates} AND gates: row i = a AND b{'ᵢ'}", GATE_FILL["AND"],
         fontsize=9)
    ax.text(2.1, y + 1.45, _sub(f"inputs a0…a{width - 1},  b0…b{width - 1}"), ha="center",
            fontsize=9, color=INK)
    _arrow(ax, (2.1, y + 1.35), (2.1, y + 1.1))
    prev_bottom = y
    for i, (name, gates) in enumerate(adders, start=1):
        yb = -1.9 * i
        inner = _top_blocks(mult, 1, (name,))
        n_fa = sum(1 for nm, _ in inner if nm.startswith("full adder"))
        n_ha = sum(1 for nm, _ in inner if nm.startswith("half adder"))
        _box(ax, 0.9, yb, 3.3, 1.1,
             f"adder {i}: adds row {i}\n"
             f"{n_ha} half + {n_fa} full adders = {gates} gates", fill_fa, fontsize=8.5)
        src = (2.55, prev_bottom) if i > 1 else (2.55, 0.0)
        _arrow(ax, src, (2.55, yb + 1.1))
        ax.text(2.65, yb + 1.35, "row 0" if i == 1 else "running total", fontsize=7.5,
                color=INK)
        # row i comes down the left from the partial products.
        _arrow(ax, (0.4, 0.0), (0.4, yb + 0.55), color=PALETTE["green"])
        _arrow(ax, (0.4, yb + 0.55), (0.9, yb + 0.55), color=PALETTE["green"])
        ax.text(0.35, yb + 0.62, f"row {i}", ha="right", fontsize=8, color=PALETTE["green"])
        prev_bottom = yb
    _arrow(ax, (2.55, prev_bottom), (2.55, prev_bottom - 0.55))
    ax.text(2.55, prev_bottom - 0.65,
            _sub(f"product p₀…p{len(mult.outputs) - 1}"), ha="center", va="top",
            fontsize=9, color=INK)
    ax.set_xlim(-0.9, 4.9)
    ax.set_ylim(prev_bottom - 1.4, 2.2)
    ax.axis("off")
    ax.set_title(f"(c) multiplier: {width}×{width} bits = partial products + "
                 f"{len(adders)} adders,\n{mult.gate_count()} gates, depth {mult.depth()} "
                 f"(rows 1..{n_rows - 1} each added by one adder)", fontsize=10, loc="left")
    return apply_style(fig)
