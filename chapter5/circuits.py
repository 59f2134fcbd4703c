"""Boolean circuits and the chapter's argument that depth helps (Nielsen ch. 5, the circuit
analogy): one import for notebook ``01-deep-circuits``, the pieces in four small modules.

* :mod:`chapter5.truth_tables` -- every input of n bits as one numpy array (:func:`all_inputs`)
  and the reference answers (:func:`parity`, :func:`bits_to_ints`, :func:`split_operands`);
* :mod:`chapter5.gates` -- a circuit as data (:class:`Gate`, :class:`Circuit`,
  :class:`CircuitBuilder`): its size and depth read off the structure, evaluated on a whole
  truth table at once;
* :mod:`chapter5.parity_circuits` -- n-bit parity as a depth-2 sum of products
  (:func:`parity_sop`, 2**(n-1) + 1 gates) against a balanced XOR tree (:func:`parity_xor_tree`,
  n - 1 gates, depth ceil(log2 n)), with their closed-form sizes and depths;
* :mod:`chapter5.adders` -- a multiplier assembled from ripple-carry adders assembled from bit
  adders (:func:`half_adder`, :func:`full_adder`, :func:`ripple_carry_adder`,
  :func:`multiplier`), every gate naming the blocks it sits in.

Everything is re-exported here (``from chapter5.circuits import parity_sop`` works), with the
circuit explorer's slider range for n. Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

from chapter5.adders import MAX_WIDTH, full_adder, half_adder, multiplier, ripple_carry_adder
from chapter5.gates import GATE_OPS, MAX_TABLE_CELLS, Circuit, CircuitBuilder, Gate
from chapter5.parity_circuits import (
    SOP_COUNT_MAX_N,
    SOP_MAX_N,
    XOR_TREE_MAX_N,
    parity_sop,
    parity_xor_tree,
    sop_depth,
    sop_gate_count,
    xor_tree_depth,
    xor_tree_gate_count,
)
from chapter5.truth_tables import (
    MAX_TABLE_INPUTS,
    all_inputs,
    bits_to_ints,
    parity,
    split_operands,
)

__all__ = [
    "GATE_OPS", "MAX_TABLE_INPUTS", "MAX_TABLE_CELLS", "SOP_MAX_N", "SOP_COUNT_MAX_N",
    "XOR_TREE_MAX_N", "MAX_WIDTH", "EXPLORER_N_MIN", "EXPLORER_N_MAX", "EXPLORER_N_DEFAULT",
    "Gate", "Circuit", "CircuitBuilder", "all_inputs", "parity", "bits_to_ints",
    "split_operands", "parity_sop", "parity_xor_tree", "sop_gate_count", "sop_depth",
    "xor_tree_gate_count", "xor_tree_depth", "half_adder", "full_adder", "ripple_carry_adder",
    "multiplier",
]

#: The circuit explorer's slider range for n and its default (static figure at the default).
EXPLORER_N_MIN = 1
EXPLORER_N_MAX = 20
EXPLORER_N_DEFAULT = 10
