"""n-bit parity, shallow and deep: the chapter's example of a function that depth makes cheap.

:func:`parity_sop` builds parity as a depth-2 sum of products (one AND per odd-weight input,
2**(n-1) of them, OR-ed together); :func:`parity_xor_tree` as a balanced tree of 2-input XOR
gates (n - 1 gates, depth ceil(log2 n)). Their sizes and depths also have closed forms
(:func:`sop_gate_count`, :func:`sop_depth`, :func:`xor_tree_gate_count`,
:func:`xor_tree_depth`), valid far beyond the sizes worth building.

Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

from itertools import combinations

from chapter5._validate import choice, flag, positive_int
from chapter5.gates import Circuit, CircuitBuilder
from chapter5.truth_tables import _check_n

#: Largest n for which :func:`parity_sop` builds the circuit (2**15 AND gates).
SOP_MAX_N = 16
#: Largest n :func:`sop_gate_count` counts for (2**1023 is the largest power of two a float holds).
SOP_COUNT_MAX_N = 1024
#: Largest n for which :func:`parity_xor_tree` builds the circuit.
XOR_TREE_MAX_N = 4096


def _check_basis(basis: object) -> str:
    return choice("basis", basis, ("xor", "and-or-not"))



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
