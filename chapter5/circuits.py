"""Boolean circuits as data, evaluated on every input at once (Nielsen ch. 5, the circuit analogy).

A circuit has ``n_inputs`` input wires and a list of gates. Wires are numbered: ``0 .. n_inputs-1``
are the inputs, and gate ``k`` drives wire ``n_inputs + k``. Every gate reads wires that already
exist, so the list of gates is in topological order and a circuit can never contain a loop.

Gates are AND, OR and XOR of any fan-in >= 1, and NOT of fan-in 1. Size and depth are read off
the structure, never typed in:

* :meth:`Circuit.gate_count` counts every gate, NOT gates included (``kind=...`` counts one kind).
* :meth:`Circuit.depth` is the number of gates on the longest input-to-output path. By the usual
  convention for shallow circuits, a NOT gate fed straight from an input only forms the *literal*
  ``NOT x_i`` and adds no depth (``literals_free=True``, the default); every other gate, NOT
  gates deeper inside included, adds one. Pass ``literals_free=False`` to count them too.

Truth tables are numpy bool arrays: :func:`all_inputs` lists all ``2**n`` inputs, row ``r`` holding
the binary digits of ``r`` least significant first, and :meth:`Circuit.evaluate` pushes all rows
through the gates together.

Two families of circuits retell the chapter's argument that depth helps:

* n-bit parity as a depth-2 sum of products (:func:`parity_sop`: one AND per odd-weight input,
  2**(n-1) of them, OR-ed together) against a balanced tree of 2-input XOR gates
  (:func:`parity_xor_tree`: n - 1 gates, depth ceil(log2 n));
* a multiplier assembled from ripple-carry adders assembled from bit adders
  (:func:`half_adder`, :func:`full_adder`, :func:`ripple_carry_adder`, :func:`multiplier`).
  Gates carry the names of the blocks they sit in, so the hierarchy can be counted and drawn.

Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from chapter5._validate import choice, flag, positive_int

#: The gate kinds a circuit may use.
GATE_OPS: tuple[str, ...] = ("AND", "OR", "NOT", "XOR")

#: Widest input count :func:`all_inputs` enumerates (2**20 rows).
MAX_TABLE_INPUTS = 20
#: Largest truth table :meth:`Circuit.evaluate` holds in memory (wires x rows, one byte each).
MAX_TABLE_CELLS = 2**26
#: Largest n for which :func:`parity_sop` builds the circuit (2**15 AND gates).
SOP_MAX_N = 16
#: Largest n :func:`sop_gate_count` counts for (2**1023 is the largest power of two a float holds).
SOP_COUNT_MAX_N = 1024
#: Largest n for which :func:`parity_xor_tree` builds the circuit.
XOR_TREE_MAX_N = 4096
#: Widest operands :func:`ripple_carry_adder` and :func:`multiplier` build.
MAX_WIDTH = 64

#: The circuit explorer's slider range for n and its default (static figure at the default).
EXPLORER_N_MIN = 1
EXPLORER_N_MAX = 20
EXPLORER_N_DEFAULT = 10


def _check_op(op: object, name: str = "op") -> str:
    return choice(name, op, GATE_OPS)


def _check_basis(basis: object) -> str:
    return choice("basis", basis, ("xor", "and-or-not"))


def _bits(bits: object, name: str = "bits") -> np.ndarray:
    """``bits`` as a 2-D bool array, or a clear error (booleans or the integers 0 and 1 only)."""
    if bits is None or isinstance(bits, (str, bytes, bool)):
        raise TypeError(f"{name} must be a 2-D array of booleans or 0/1; got {bits!r}")
    try:
        x = np.asarray(bits)
    except Exception as exc:  # ragged rows
        raise ValueError(f"{name} must be a 2-D array with rows of equal length") from exc
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (N, n); got shape {x.shape}")
    if x.dtype != np.bool_:
        if x.size and not np.issubdtype(x.dtype, np.integer):
            raise TypeError(f"{name} must hold booleans or the integers 0 and 1; got {x.dtype}")
        if np.any((x != 0) & (x != 1)):
            raise ValueError(f"{name} must hold only 0 and 1")
        x = x.astype(np.bool_)
    return x


def _check_n(name: str, value: object, maximum: int) -> int:
    n = positive_int(name, value)
    if n > maximum:
        raise ValueError(f"{name} must be at most {maximum} here; got {n}")
    return n


@dataclass(frozen=True)
class Gate:
    """One gate: its kind ``op``, the wires it reads, and the blocks it belongs to.

    Parameters
    ----------
    op : str
        ``"AND"``, ``"OR"``, ``"XOR"`` (fan-in >= 1) or ``"NOT"`` (fan-in exactly 1).
    inputs : tuple of int
        Wire numbers read by the gate, in order.
    block : tuple of str
        Path of named sub-circuits the gate sits in, outermost first, e.g.
        ``("adder 2", "full adder 1", "half adder 0")``; empty for a top-level gate.

    Introduced in ``01-deep-circuits``.
    """

    op: str
    inputs: tuple[int, ...]
    block: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_op(self.op)
        if not isinstance(self.inputs, tuple) or not all(
            isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in self.inputs
        ):
            raise TypeError(f"inputs must be a tuple of wire numbers (ints); got {self.inputs!r}")
        if len(self.inputs) == 0:
            raise ValueError(f"inputs of a {self.op} gate must name at least one wire")
        if self.op == "NOT" and len(self.inputs) != 1:
            raise ValueError(f"inputs of a NOT gate must be exactly one wire; got {self.inputs!r}")
        if not isinstance(self.block, tuple) or not all(isinstance(s, str) for s in self.block):
            raise TypeError(f"block must be a tuple of block names (str); got {self.block!r}")

    @property
    def fan_in(self) -> int:
        """Number of wires the gate reads."""
        return len(self.inputs)


@dataclass(frozen=True)
class Circuit:
    """A boolean circuit: named inputs, gates in topological order, and output wires.

    Parameters
    ----------
    input_names : tuple of str, shape (n_inputs,)
        Names of the input wires 0 .. n_inputs - 1 (e.g. ``"x1"``, ``"a0"``).
    gates : tuple of Gate
        Gate k drives wire ``n_inputs + k`` and may read only wires below that number.
    outputs : tuple of int, shape (n_outputs,)
        The wires that are the circuit's outputs (an input wire may be an output).
    output_names : tuple of str, shape (n_outputs,)
        Their names.

    Introduced in ``01-deep-circuits``.
    """

    input_names: tuple[str, ...]
    gates: tuple[Gate, ...]
    outputs: tuple[int, ...]
    output_names: tuple[str, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.input_names, tuple) or not all(
            isinstance(s, str) for s in self.input_names
        ):
            raise TypeError(f"input_names must be a tuple of str; got {self.input_names!r}")
        if len(self.input_names) == 0:
            raise ValueError("input_names must name at least one input wire")
        if not isinstance(self.gates, tuple) or not all(isinstance(g, Gate) for g in self.gates):
            raise TypeError("gates must be a tuple of Gate objects")
        for k, gate in enumerate(self.gates):
            wire = self.n_inputs + k
            bad = [i for i in gate.inputs if not 0 <= i < wire]
            if bad:
                raise ValueError(
                    f"gates[{k}] (driving wire {wire}) may read only wires 0..{wire - 1}; "
                    f"got {bad}"
                )
        if not isinstance(self.outputs, tuple) or len(self.outputs) == 0:
            raise ValueError("outputs must be a non-empty tuple of wire numbers")
        for o in self.outputs:
            if isinstance(o, bool) or not isinstance(o, numbers.Integral):
                raise TypeError(f"outputs must hold wire numbers (ints); got {o!r}")
            if not 0 <= o < self.n_wires:
                raise ValueError(f"outputs must be wires 0..{self.n_wires - 1}; got {o}")
        if not isinstance(self.output_names, tuple) or not all(
            isinstance(s, str) for s in self.output_names
        ):
            raise TypeError(f"output_names must be a tuple of str; got {self.output_names!r}")
        if len(self.output_names) != len(self.outputs):
            raise ValueError(
                f"output_names must name each output; got {len(self.output_names)} names "
                f"for {len(self.outputs)} outputs"
            )

    @property
    def n_inputs(self) -> int:
        """Number of input wires."""
        return len(self.input_names)

    @property
    def n_wires(self) -> int:
        """Inputs plus gates."""
        return self.n_inputs + len(self.gates)

    def gate_count(self, kind: str | None = None) -> int:
        """Number of gates, all kinds (NOT included) or only ``kind`` (``"AND"``, ...)."""
        if kind is None:
            return len(self.gates)
        kind = _check_op(kind, "kind")
        return sum(g.op == kind for g in self.gates)

    def gate_counts(self) -> dict[str, int]:
        """Number of gates of each kind in :data:`GATE_OPS`, zeros included."""
        return {op: self.gate_count(op) for op in GATE_OPS}

    def max_fan_in(self, kind: str | None = None) -> int:
        """Largest fan-in of any gate (of ``kind``); 0 when there is none."""
        if kind is not None:
            kind = _check_op(kind, "kind")
        return max((g.fan_in for g in self.gates if kind in (None, g.op)), default=0)

    def wire_levels(self, *, literals_free: bool = True) -> np.ndarray:
        """Depth of every wire, shape (n_wires,): 0 for inputs, 1 + max over a gate's inputs.

        With ``literals_free`` a NOT gate reading an input wire directly gets level 0 (it only
        forms the literal NOT x_i).
        """
        literals_free = flag("literals_free", literals_free)
        level = np.zeros(self.n_wires, dtype=np.int64)
        for k, gate in enumerate(self.gates):
            wire = self.n_inputs + k
            if literals_free and gate.op == "NOT" and gate.inputs[0] < self.n_inputs:
                level[wire] = 0
            else:
                level[wire] = 1 + max(int(level[i]) for i in gate.inputs)
        return level

    def depth(self, *, literals_free: bool = True) -> int:
        """Gates on the longest path from an input to an output (see the module docstring)."""
        level = self.wire_levels(literals_free=literals_free)
        return int(max(level[o] for o in self.outputs))

    def blocks(self, kind: str) -> list[tuple[str, ...]]:
        """Every distinct sub-circuit whose name starts with ``kind``, as block paths.

        E.g. ``blocks("full adder")`` lists each full adder once, wherever it sits.
        """
        if not isinstance(kind, str) or not kind:
            raise TypeError(f"kind must be a non-empty block name (str); got {kind!r}")
        found: dict[tuple[str, ...], None] = {}
        for gate in self.gates:
            for depth, name in enumerate(gate.block):
                if name == kind or name.startswith(kind + " "):
                    found[gate.block[: depth + 1]] = None
        return list(found)

    def evaluate(self, bits: object) -> np.ndarray:
        """Outputs for each row of input bits.

        Parameters
        ----------
        bits : array_like of bool or {0, 1}, shape (N, n_inputs)
            One input assignment per row, column i for input wire i.

        Returns
        -------
        numpy.ndarray of bool, shape (N, n_outputs)
        """
        x = _bits(bits)
        if x.shape[1] != self.n_inputs:
            raise ValueError(
                f"bits must have shape (N, {self.n_inputs}) for this circuit's inputs "
                f"{', '.join(self.input_names)}; got shape {x.shape}"
            )
        if self.n_wires * x.shape[0] > MAX_TABLE_CELLS:
            raise ValueError(
                f"bits has {x.shape[0]} rows: with {self.n_wires} wires that exceeds "
                f"{MAX_TABLE_CELLS} stored values; evaluate fewer rows at a time"
            )
        values = np.empty((self.n_wires, x.shape[0]), dtype=np.bool_)
        values[: self.n_inputs] = x.T
        reducers = {"AND": np.logical_and, "OR": np.logical_or, "XOR": np.logical_xor}
        for k, gate in enumerate(self.gates):
            wire = self.n_inputs + k
            if gate.op == "NOT":
                np.logical_not(values[gate.inputs[0]], out=values[wire])
            else:
                values[wire] = reducers[gate.op].reduce(values[list(gate.inputs)], axis=0)
        return values[list(self.outputs)].T.copy()

    def truth_table(self) -> np.ndarray:
        """Outputs on all ``2**n_inputs`` inputs, row r for the input :func:`all_inputs` gives.

        Returns
        -------
        numpy.ndarray of bool, shape (2**n_inputs, n_outputs)
        """
        return self.evaluate(all_inputs(self.n_inputs))


def _names(name: str, value: object) -> tuple[str, ...]:
    """A list of wire names as a tuple of str (a single string is not a list of names)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)) \
            or not all(isinstance(s, str) for s in value):
        raise TypeError(f"{name} must be a list of names (str), e.g. ['x1', 'x2']; "
                        f"got {value!r}")
    return tuple(value)


class CircuitBuilder:
    """Build a :class:`Circuit` gate by gate; sub-circuits are named with :meth:`block`.

    Example
    -------
    >>> b = CircuitBuilder(["x1", "x2"])
    >>> x1, x2 = b.inputs
    >>> out = b.gate("XOR", x1, x2)
    >>> b.build([out], ["x1 xor x2"]).gate_count()
    1

    Introduced in ``01-deep-circuits``.
    """

    def __init__(self, input_names: Sequence[str]) -> None:
        names = _names("input_names", input_names)
        if not names:
            raise ValueError("input_names must name at least one input wire")
        self._names = names
        self._gates: list[Gate] = []
        self._path: list[str] = []
        self._counters: list[dict[str, int]] = [{}]

    @property
    def inputs(self) -> tuple[int, ...]:
        """The input wires, in order."""
        return tuple(range(len(self._names)))

    def gate(self, op: str, *inputs: int) -> int:
        """Add a gate reading ``inputs``; return the wire it drives."""
        self._gates.append(Gate(op, tuple(inputs), tuple(self._path)))
        wire = len(self._names) + len(self._gates) - 1
        bad = [i for i in inputs if not 0 <= i < wire]
        if bad:
            self._gates.pop()
            raise ValueError(f"inputs must be existing wires 0..{wire - 1}; got {bad}")
        return wire

    @contextmanager
    def block(self, kind: str) -> Iterator[str]:
        """Gates added inside ``with builder.block("full adder"):`` belong to a new block.

        Blocks of one kind are numbered within their parent: "full adder 0", "full adder 1", ...
        """
        if not isinstance(kind, str) or not kind:
            raise TypeError(f"kind must be a non-empty block name (str); got {kind!r}")
        counter = self._counters[-1]
        index = counter.get(kind, 0)
        counter[kind] = index + 1
        name = f"{kind} {index}"
        self._path.append(name)
        self._counters.append({})
        try:
            yield name
        finally:
            self._path.pop()
            self._counters.pop()

    def build(self, outputs: Sequence[int], output_names: Sequence[str]) -> Circuit:
        """The finished circuit with the given output wires and their names."""
        if isinstance(outputs, (str, bytes)) or not isinstance(outputs, Sequence) or not all(
                isinstance(o, numbers.Integral) and not isinstance(o, bool) for o in outputs):
            raise TypeError(f"outputs must be a list of wire numbers (ints); got {outputs!r}")
        return Circuit(self._names, tuple(self._gates), tuple(int(o) for o in outputs),
                       _names("output_names", output_names))


# ---------------------------------------------------------------------------------------------
# Inputs and reference answers


def all_inputs(n: int) -> np.ndarray:
    """Every assignment of ``n`` bits, shape (2**n, n), bool.

    Row r holds the binary digits of r, least significant first: column i is bit i of r.
    Introduced in ``01-deep-circuits``.
    """
    n = _check_n("n", n, MAX_TABLE_INPUTS)
    r = np.arange(2**n, dtype=np.int64)
    return ((r[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.bool_)


def parity(bits: object) -> np.ndarray:
    """Reference parity of each row: True when the row holds an odd number of ones.

    ``bits``: array_like of bool or {0, 1}, shape (N, n). Returns bool, shape (N,).
    Introduced in ``01-deep-circuits``.
    """
    x = _bits(bits)
    return (x.astype(np.int64).sum(axis=1) % 2).astype(np.bool_)


def bits_to_ints(bits: object) -> np.ndarray:
    """Read each row of bits as a binary number, least significant bit first.

    ``bits``: array_like of bool or {0, 1}, shape (N, k) with k <= 62. Returns int64, shape (N,).
    Introduced in ``01-deep-circuits``.
    """
    x = _bits(bits)
    if x.shape[1] > 62:
        raise ValueError(f"bits must have shape (N, k) with k <= 62; got shape {x.shape}")
    weights = np.left_shift(np.int64(1), np.arange(x.shape[1], dtype=np.int64))
    return x.astype(np.int64) @ weights


# ---------------------------------------------------------------------------------------------
# Parity, shallow and deep


def _parity_names(n: int) -> list[str]:
    return [f"x{i}" for i in range(1, n + 1)]


def parity_sop(n: int) -> Circuit:
    """n-bit parity as a depth-2 sum of products (an OR of ANDs of literals).

    One AND gate (fan-in n) for each of the 2**(n-1) inputs with an odd number of ones, true on
    that input only; one OR gate (fan-in 2**(n-1)) joins them. The negated literals come from one
    shared NOT gate per input that appears negated in some term (all n inputs when n >= 2, none
    when n = 1). Size: :func:`sop_gate_count`; depth 2 with literals free, 3 counting the NOTs.

    Raises ValueError for n < 1 or n > SOP_MAX_N, TypeError for a non-integer n.
    Introduced in ``01-deep-circuits``.
    """
    n = _check_n("n", n, SOP_MAX_N)
    b = CircuitBuilder(_parity_names(n))
    x = b.inputs
    negated = [b.gate("NOT", xi) for xi in x] if n >= 2 else []
    terms = []
    for k in range(1, n + 1, 2):  # the odd weights, in order
        for ones in combinations(range(n), k):
            literals = [x[i] if i in ones else negated[i] for i in range(n)]
            terms.append(b.gate("AND", *literals))
    out = b.gate("OR", *terms)
    return b.build([out], [f"parity of x1..x{n}"])


def parity_xor_tree(n: int, *, basis: str = "xor") -> Circuit:
    """n-bit parity as a balanced tree of 2-input XOR gates: n - 1 gates, depth ceil(log2 n).

    Level by level, neighbouring wires are paired and XOR-ed; an odd wire out moves up a level
    unchanged. With ``basis="and-or-not"`` every XOR(a, b) is spelled out as
    AND(OR(a, b), NOT(AND(a, b))): 4 gates and depth 3 each, so the tree keeps to AND/OR/NOT
    like :func:`parity_sop` and still grows only linearly. For n = 1 the circuit has no gates
    and its output is the input wire.

    Raises ValueError for n < 1, n > XOR_TREE_MAX_N or an unknown ``basis``; TypeError for a
    non-integer n. Introduced in ``01-deep-circuits``.
    """
    n = _check_n("n", n, XOR_TREE_MAX_N)
    basis = _check_basis(basis)
    b = CircuitBuilder(_parity_names(n))

    def xor2(u: int, v: int) -> int:
        if basis == "xor":
            return b.gate("XOR", u, v)
        with b.block("xor"):
            either = b.gate("OR", u, v)
            both = b.gate("AND", u, v)
            return b.gate("AND", either, b.gate("NOT", both))

    level = list(b.inputs)
    while len(level) > 1:
        paired = [xor2(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return b.build([level[0]], [f"parity of x1..x{n}"])


def sop_gate_count(n: int, *, count_not: bool = True) -> int:
    """Gates of :func:`parity_sop` (n): 2**(n-1) ANDs + 1 OR, plus n NOTs for n >= 2.

    ``count_not=False`` leaves the NOT gates out (literals free). Valid for every n from 1 to
    ``SOP_COUNT_MAX_N``, far beyond the sizes :func:`parity_sop` builds.
    Introduced in ``01-deep-circuits``.
    """
    n = _check_n("n", n, SOP_COUNT_MAX_N)
    nots = n if (flag("count_not", count_not) and n >= 2) else 0
    return 2 ** (n - 1) + 1 + nots


def sop_depth(n: int, *, literals_free: bool = True) -> int:
    """Depth of :func:`parity_sop` (n): 2, or 3 when the input NOTs count (n >= 2).

    Introduced in ``01-deep-circuits``.
    """
    n = positive_int("n", n)
    return 2 if (flag("literals_free", literals_free) or n == 1) else 3


def xor_tree_gate_count(n: int, *, basis: str = "xor") -> int:
    """Gates of :func:`parity_xor_tree` (n): n - 1 XORs, or 4 (n - 1) in AND/OR/NOT.

    Introduced in ``01-deep-circuits``.
    """
    n = positive_int("n", n)
    basis = _check_basis(basis)
    return (n - 1) * (1 if basis == "xor" else 4)


def xor_tree_depth(n: int, *, basis: str = "xor") -> int:
    """Depth of :func:`parity_xor_tree` (n): ceil(log2 n), times 3 in AND/OR/NOT.

    Computed exactly with integers: ceil(log2 n) = bit length of n - 1.
    Introduced in ``01-deep-circuits``.
    """
    n = positive_int("n", n)
    basis = _check_basis(basis)
    return (n - 1).bit_length() * (1 if basis == "xor" else 3)


# ---------------------------------------------------------------------------------------------
# Arithmetic: bit adders -> adders -> multiplier


def _half_adder(b: CircuitBuilder, u: int, v: int) -> tuple[int, int]:
    with b.block("half adder"):
        return b.gate("XOR", u, v), b.gate("AND", u, v)


def _full_adder(b: CircuitBuilder, u: int, v: int, carry: int) -> tuple[int, int]:
    with b.block("full adder"):
        s1, c1 = _half_adder(b, u, v)
        s, c2 = _half_adder(b, s1, carry)
        return s, b.gate("OR", c1, c2)


def _ripple_add(b: CircuitBuilder, xs: Sequence[int], ys: Sequence[int]) -> list[int]:
    """Add two numbers given as wires (least significant first, lengths may differ).

    Column by column: three bits -> full adder, two -> half adder, one passes through. The last
    carry becomes the top bit of the sum.
    """
    with b.block("adder"):
        out: list[int] = []
        carry: int | None = None
        for k in range(max(len(xs), len(ys))):
            column = [w for w in (xs[k] if k < len(xs) else None,
                                  ys[k] if k < len(ys) else None, carry) if w is not None]
            if len(column) == 3:
                s, carry = _full_adder(b, *column)
            elif len(column) == 2:
                s, carry = _half_adder(b, *column)
            else:
                s, carry = column[0], None
            out.append(s)
        if carry is not None:
            out.append(carry)
        return out


def _operand_names(prefix: str, width: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(width)]


def half_adder() -> Circuit:
    """Add two bits: sum = a XOR b, carry = a AND b (2 gates). Inputs a, b; outputs s, c.

    Introduced in ``01-deep-circuits``.
    """
    b = CircuitBuilder(["a", "b"])
    s, c = _half_adder(b, *b.inputs)
    return b.build([s, c], ["s", "c"])


def full_adder() -> Circuit:
    """Add three bits (a, b and a carry in): two half adders and an OR (5 gates).

    Inputs a, b, cin; outputs s, cout with a + b + cin = s + 2 cout.
    Introduced in ``01-deep-circuits``.
    """
    b = CircuitBuilder(["a", "b", "cin"])
    s, c = _full_adder(b, *b.inputs)
    return b.build([s, c], ["s", "cout"])


def ripple_carry_adder(width: int) -> Circuit:
    """Add two ``width``-bit numbers: a half adder, then ``width - 1`` full adders in a row.

    Inputs a0..a{width-1}, b0..b{width-1} (least significant first); outputs s0..s{width}.
    Gates: 2 + 5 (width - 1). Raises ValueError/TypeError naming ``width`` for a bad width.
    Introduced in ``01-deep-circuits``.
    """
    width = _check_n("width", width, MAX_WIDTH)
    b = CircuitBuilder(_operand_names("a", width) + _operand_names("b", width))
    a_wires, b_wires = b.inputs[:width], b.inputs[width:]
    total = _ripple_add(b, a_wires, b_wires)
    return b.build(total, [f"s{i}" for i in range(len(total))])


def multiplier(width_a: int, width_b: int | None = None) -> Circuit:
    """Multiply a ``width_a``-bit number by a ``width_b``-bit number (schoolbook, in gates).

    Row i of partial products is (a AND b_i) for every bit of a (``width_a * width_b`` AND gates,
    in the block "partial products"); rows 1, 2, ... are added one after another into a running
    total by ripple-carry adders (blocks "adder k") built from half and full adders. Inputs
    a0.., b0.. (least significant first); outputs p0.. (at most width_a + width_b bits).

    Raises ValueError/TypeError naming ``width_a``/``width_b``. Introduced in ``01-deep-circuits``.
    """
    width_a = _check_n("width_a", width_a, MAX_WIDTH)
    width_b = width_a if width_b is None else _check_n("width_b", width_b, MAX_WIDTH)
    b = CircuitBuilder(_operand_names("a", width_a) + _operand_names("b", width_b))
    a_wires, b_wires = b.inputs[:width_a], b.inputs[width_a:]
    with b.block("partial products"):
        rows = [[b.gate("AND", a, bi) for a in a_wires] for bi in b_wires]
    total = list(rows[0])
    for i in range(1, width_b):
        # Bits below position i are final; add row i to the bits from position i up.
        total = total[:i] + _ripple_add(b, total[i:], rows[i])
    return b.build(total, [f"p{i}" for i in range(len(total))])


def split_operands(width_a: int, width_b: int) -> tuple[np.ndarray, np.ndarray]:
    """The operands a and b for every row of ``all_inputs(width_a + width_b)``.

    Returns two int64 arrays of shape (2**(width_a + width_b),): a = r mod 2**width_a and
    b = r // 2**width_a for row r. Introduced in ``01-deep-circuits``.
    """
    width_a = positive_int("width_a", width_a)
    width_b = positive_int("width_b", width_b)
    if width_a + width_b > MAX_TABLE_INPUTS:
        raise ValueError(f"width_a + width_b must be at most {MAX_TABLE_INPUTS}; "
                         f"got {width_a + width_b}")
    r = np.arange(2 ** (width_a + width_b), dtype=np.int64)
    return r & (2**width_a - 1), r >> width_a
