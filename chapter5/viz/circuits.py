"""Pictures of circuits and the live n explorer for the circuit analogy (Nielsen ch. 5).

Every drawing is made from a :class:`chapter5.circuits.Circuit`'s own structure: gates are placed
in columns by their depth, wires join the gates they really join, and the boxes around sub-circuits
come from the block names the builder recorded. Numbers in the pictures come from
:mod:`chapter5.circuits`. Introduced in ``01-deep-circuits``.

The live explorer (:class:`CircuitsExplorer`, slider ``c5-slider-n``, readout keys
``sop_gates``, ``xor_gates``, ``xor_depth``) lives in :mod:`chapter5.viz.circuits_explorer` and is
re-exported here.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from chapter5._validate import finite_float, flag
from chapter5.circuits import (
    Circuit,
    full_adder,
    multiplier,
    parity_sop,
    parity_xor_tree,
    ripple_carry_adder,
)
from chapter5.viz.circuits_explorer import (  # noqa: F401 - the explorer, re-exported here
    READOUT_KEYS,
    CircuitsExplorer,
    CircuitsPicture,
    circuits_explorer,
    gate_count_figure,
    readout_html,
    readout_strings,
)
from chapter5.viz.explorer import new_figure as _new_figure
from chapter5.viz.style import INK, PALETTE, apply_style

#: Fill colour of each gate kind in the drawings (light tints, dark ink on top).
GATE_FILL: dict[str, str] = {
    "AND": "#cce3f0",   # blue tint
    "OR": "#f9e3b8",    # orange tint
    "NOT": "#e6e6e6",   # grey
    "XOR": "#c2e8dc",   # green tint
}
_GATE_LABEL = {"AND": "AND", "OR": "OR", "NOT": "NOT", "XOR": "XOR"}


# ---------------------------------------------------------------------------------------------
# Drawing a circuit from its structure


def circuit_layout(circuit: Circuit) -> tuple[np.ndarray, np.ndarray]:
    """Positions (x, y) of every wire's source, each shape (n_wires,).

    Inputs sit in column 0, a gate one column right of its deepest input (NOT gates count, so
    they get a column of their own). Within a column, gates are ordered by the mean height of
    the wires they read and spread evenly over the height of the tallest column; y grows
    downwards (input 1 at the top). Introduced in ``01-deep-circuits``.
    """
    if not isinstance(circuit, Circuit):
        raise TypeError(f"circuit must be a chapter5.circuits.Circuit; got {type(circuit)!r}")
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
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    if not isinstance(circuit, Circuit):
        raise TypeError(f"circuit must be a chapter5.circuits.Circuit; got {type(circuit)!r}")
    if show_blocks is not None and not isinstance(show_blocks, str):
        raise TypeError(f"show_blocks must be a block kind (str) or None; got {show_blocks!r}")
    term_labels = flag("term_labels", term_labels)
    for name, value, top in (("gate_width", gate_width, 1.0), ("gate_height", gate_height, 1.0),
                             ("fontsize", fontsize, 72.0)):
        v = finite_float(name, value)
        if not 0.0 < v <= top:
            raise ValueError(f"{name} must be > 0 and at most {top:g}; got {v!r}")
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
