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

:meth:`Circuit.evaluate` pushes all rows of a truth table (:mod:`chapter5.truth_tables`) through
the gates together. :class:`CircuitBuilder` adds gates one by one and names the sub-circuits
(blocks) they sit in, so a hierarchy can be counted and drawn.

Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from chapter5._validate import choice, flag
from chapter5.truth_tables import _bits, all_inputs

#: The gate kinds a circuit may use.
GATE_OPS: tuple[str, ...] = ("AND", "OR", "NOT", "XOR")

#: Largest truth table :meth:`Circuit.evaluate` holds in memory (wires x rows, one byte each).
MAX_TABLE_CELLS = 2**26


def _check_op(op: object, name: str = "op") -> str:
    return choice(name, op, GATE_OPS)



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
