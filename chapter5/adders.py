"""Arithmetic in gates: bit adders -> ripple-carry adders -> a multiplier.

Each level is assembled from the one below (:func:`half_adder`, :func:`full_adder`,
:func:`ripple_carry_adder`, :func:`multiplier`), and every gate carries the names of the blocks
it sits in ("adder 2", "full adder 1", "half adder 0"), so the hierarchy can be counted
(:meth:`chapter5.gates.Circuit.blocks`) and drawn.

Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

from collections.abc import Sequence

from chapter5.gates import Circuit, CircuitBuilder
from chapter5.truth_tables import _check_n

#: Widest operands :func:`ripple_carry_adder` and :func:`multiplier` build.
MAX_WIDTH = 64


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
