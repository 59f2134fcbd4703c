"""The circuit analogy (Nielsen ch. 5): shallow parity is huge, deep parity is small, and
arithmetic is built from circuits built from circuits. Every circuit is checked on ALL inputs."""

import numpy as np
import pytest

from chapter5.circuits import (
    EXPLORER_N_DEFAULT,
    EXPLORER_N_MAX,
    EXPLORER_N_MIN,
    SOP_MAX_N,
    Circuit,
    CircuitBuilder,
    Gate,
    all_inputs,
    bits_to_ints,
    full_adder,
    half_adder,
    multiplier,
    parity,
    parity_sop,
    parity_xor_tree,
    ripple_carry_adder,
    sop_depth,
    sop_gate_count,
    split_operands,
    xor_tree_depth,
    xor_tree_gate_count,
)

# --- evaluation on every input ---------------------------------------------------------------


def test_all_inputs_lists_every_assignment_once_least_significant_bit_first():
    for n in range(1, 9):
        x = all_inputs(n)
        assert x.shape == (2**n, n) and x.dtype == np.bool_
        assert np.array_equal(bits_to_ints(x), np.arange(2**n))
    assert all_inputs(3)[6].tolist() == [False, True, True]  # 6 = 0b110


def test_a_hand_built_circuit_evaluates_like_its_boolean_formula():
    b = CircuitBuilder(["p", "q", "r"])
    p, q, r = b.inputs
    out = b.gate("OR", b.gate("AND", p, b.gate("NOT", q)), b.gate("XOR", q, r))
    c = b.build([out], ["f"])
    x = all_inputs(3)
    expected = (x[:, 0] & ~x[:, 1]) | (x[:, 1] ^ x[:, 2])
    assert np.array_equal(c.truth_table()[:, 0], expected)
    assert c.gate_counts() == {"AND": 1, "OR": 1, "NOT": 1, "XOR": 1}
    # p -> AND -> OR is 2 deep; the NOT on q is a free literal; q -> NOT -> AND -> OR is 3.
    assert c.depth() == 2
    assert c.depth(literals_free=False) == 3


def test_wide_gates_reduce_over_all_their_inputs():
    b = CircuitBuilder([f"x{i}" for i in range(5)])
    outs = [b.gate(op, *b.inputs) for op in ("AND", "OR", "XOR")]
    table = b.build(outs, ["and", "or", "xor"]).truth_table()
    x = all_inputs(5)
    assert np.array_equal(table[:, 0], x.all(axis=1))
    assert np.array_equal(table[:, 1], x.any(axis=1))
    assert np.array_equal(table[:, 2], parity(x))


# --- parity, shallow and deep ----------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, 11))
def test_the_xor_tree_computes_parity_on_all_2_to_the_n_inputs(n):
    x = all_inputs(n)
    for basis in ("xor", "and-or-not"):
        assert np.array_equal(parity_xor_tree(n, basis=basis).truth_table()[:, 0], parity(x))


@pytest.mark.parametrize("n", range(1, 11))
def test_the_sum_of_products_computes_parity_on_all_2_to_the_n_inputs(n):
    assert np.array_equal(parity_sop(n).truth_table()[:, 0], parity(all_inputs(n)))


@pytest.mark.parametrize("n", range(1, 11))
def test_the_sum_of_products_has_one_and_per_odd_input_and_depth_two(n):
    c = parity_sop(n)
    counts = c.gate_counts()
    assert counts["AND"] == 2 ** (n - 1)
    assert counts["OR"] == 1 and counts["XOR"] == 0
    assert counts["NOT"] == (n if n >= 2 else 0)
    assert c.gate_count() == sop_gate_count(n) == 2 ** (n - 1) + 1 + counts["NOT"]
    assert c.gate_count() - counts["NOT"] == sop_gate_count(n, count_not=False)
    assert c.depth() == sop_depth(n) == 2
    assert c.depth(literals_free=False) == sop_depth(n, literals_free=False)
    assert c.max_fan_in("AND") == n and c.max_fan_in("OR") == 2 ** (n - 1)


@pytest.mark.parametrize("n", range(2, 9))
def test_every_and_of_the_sum_of_products_is_true_on_exactly_one_odd_input(n):
    c = parity_sop(n)
    terms = [c.n_inputs + g for g, gate in enumerate(c.gates) if gate.op == "AND"]
    b = Circuit(c.input_names, c.gates, tuple(terms), tuple(f"t{i}" for i in terms))
    table = b.truth_table()
    assert np.array_equal(table.sum(axis=0), np.ones(len(terms)))
    assert np.array_equal(table.sum(axis=1), parity(all_inputs(n)).astype(int))


@pytest.mark.parametrize("n", list(range(1, 40)) + [64, 100, 1000, 1024, 1025])
def test_the_xor_tree_has_n_minus_1_gates_and_depth_ceil_log2_n(n):
    c = parity_xor_tree(n)
    assert c.gate_count() == c.gate_count("XOR") == xor_tree_gate_count(n) == n - 1
    assert c.max_fan_in() == (2 if n > 1 else 0)
    depth = 0 if n == 1 else int(np.ceil(np.log2(n)))
    assert c.depth() == xor_tree_depth(n) == depth


@pytest.mark.parametrize("n", range(1, 20))
def test_spelled_out_in_and_or_not_the_tree_is_4_gates_and_3_levels_per_xor(n):
    c = parity_xor_tree(n, basis="and-or-not")
    assert c.gate_count() == xor_tree_gate_count(n, basis="and-or-not") == 4 * (n - 1)
    assert c.gate_count("XOR") == 0
    # Its NOT gates negate internal wires, so they count even with literals free.
    assert c.depth() == c.depth(literals_free=False) == xor_tree_depth(n, basis="and-or-not")
    assert c.depth() == 3 * xor_tree_depth(n)


def test_shallow_parity_needs_exponentially_many_gates_deep_parity_linearly_many():
    n = np.arange(2, 41)
    sop = np.array([sop_gate_count(int(k)) for k in n])
    tree = np.array([xor_tree_gate_count(int(k)) for k in n])
    growth = sop[1:] / sop[:-1]
    assert np.all(growth > 1.5) and np.all(np.diff(growth) > 0)  # each extra bit: x1.5 ... x2
    assert growth[-1] == pytest.approx(2.0, abs=1e-9)  # soon exactly doubling
    assert np.all(np.diff(tree) == 1)  # one more gate per extra bit
    assert sop_gate_count(40) > 5e11 and xor_tree_gate_count(40) == 39


def test_the_gate_count_formula_matches_the_built_circuit_up_to_the_largest_built_n():
    for n in (11, 12, 13):
        assert parity_sop(n).gate_count() == sop_gate_count(n)


# --- bit adders -> adders -> multiplier ------------------------------------------------------


def test_half_and_full_adders_add_their_bits():
    x = all_inputs(2)
    s, c = half_adder().truth_table().T
    assert np.array_equal(s.astype(int) + 2 * c.astype(int), x.sum(axis=1))
    x = all_inputs(3)
    fa = full_adder()
    s, c = fa.truth_table().T
    assert np.array_equal(s.astype(int) + 2 * c.astype(int), x.sum(axis=1))
    assert half_adder().gate_count() == 2 and fa.gate_count() == 5
    assert len(fa.blocks("half adder")) == 2


@pytest.mark.parametrize("width", range(1, 7))
def test_the_ripple_carry_adder_adds_every_pair_of_width_bit_numbers(width):
    c = ripple_carry_adder(width)
    a, b = split_operands(width, width)
    assert np.array_equal(bits_to_ints(c.truth_table()), a + b)
    assert c.gate_count() == 2 + 5 * (width - 1)
    assert len(c.blocks("full adder")) == width - 1
    assert c.depth() == 2 * width - 1


@pytest.mark.parametrize("width_a", range(1, 5))
@pytest.mark.parametrize("width_b", range(1, 5))
def test_the_multiplier_multiplies_every_pair_of_numbers(width_a, width_b):
    c = multiplier(width_a, width_b)
    a, b = split_operands(width_a, width_b)
    assert np.array_equal(bits_to_ints(c.truth_table()), a * b)
    assert len(c.outputs) <= width_a + width_b


def test_a_6_by_6_multiplier_is_right_on_all_4096_pairs():
    c = multiplier(6)
    a, b = split_operands(6, 6)
    assert np.array_equal(bits_to_ints(c.truth_table()), a * b)


@pytest.mark.parametrize("m", range(2, 7))
@pytest.mark.parametrize("k", range(2, 7))
def test_the_multiplier_is_partial_products_plus_one_adder_per_further_row(m, k):
    c = multiplier(m, k)
    assert len(c.blocks("partial products")) == 1
    assert sum(g.block[:1] == ("partial products 0",) for g in c.gates) == m * k
    assert len(c.blocks("adder")) == k - 1
    full = len(c.blocks("full adder"))
    half_alone = sum(1 for p in c.blocks("half adder") if len(p) == 2)  # not inside a full adder
    assert full == (m - 2) + (k - 2) * (m - 1)
    assert half_alone == k
    assert c.gate_count() == m * k + 2 * half_alone + 5 * full
    # Nothing but the three kinds of building block and the partial products.
    assert all(g.block and g.block[0].startswith(("partial products", "adder")) for g in c.gates)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("func", [parity_sop, parity_xor_tree, sop_gate_count,
                                  xor_tree_gate_count, xor_tree_depth, sop_depth, all_inputs])
def test_n_must_be_a_whole_number_at_least_1(func):
    with pytest.raises(ValueError, match="n must be >= 1"):
        func(0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        func(-3)
    for bad in (2.0, "4", None, True):
        with pytest.raises(TypeError, match="n must be a whole number"):
            func(bad)


def test_sizes_too_big_to_build_are_refused_with_the_limit():
    with pytest.raises(ValueError, match=f"n must be at most {SOP_MAX_N}"):
        parity_sop(SOP_MAX_N + 1)
    with pytest.raises(ValueError, match="n must be at most 20"):
        all_inputs(21)


def test_bad_basis_is_refused():
    with pytest.raises(ValueError, match="basis must be 'xor' or 'and-or-not'"):
        parity_xor_tree(4, basis="nand")
    with pytest.raises(ValueError, match="basis"):
        xor_tree_gate_count(4, basis="NAND")


@pytest.mark.parametrize("func", [ripple_carry_adder, multiplier])
def test_bad_widths_are_refused_naming_the_parameter(func):
    name = "width" if func is ripple_carry_adder else "width_a"
    with pytest.raises(ValueError, match=f"{name} must be >= 1"):
        func(0)
    with pytest.raises(TypeError, match=f"{name} must be a whole number"):
        func(2.5)
    with pytest.raises(ValueError, match=f"{name} must be at most 64"):
        func(65)
    with pytest.raises(ValueError, match="width_b must be >= 1"):
        multiplier(3, 0)
    with pytest.raises(TypeError, match="width_b must be a whole number"):
        multiplier(3, "2")


def test_evaluate_checks_the_width_and_values_of_its_bits():
    c = parity_xor_tree(3)
    with pytest.raises(ValueError, match=r"bits must have shape \(N, 3\)"):
        c.evaluate(all_inputs(4))
    with pytest.raises(ValueError, match="bits must hold only 0 and 1"):
        c.evaluate(np.array([[0, 1, 2]]))
    with pytest.raises(TypeError, match="bits must hold booleans"):
        c.evaluate(np.array([[0.0, 1.0, 1.0]]))
    assert c.evaluate(np.array([[1, 1, 1], [1, 0, 1]]))[:, 0].tolist() == [True, False]


def test_malformed_gates_and_circuits_are_refused():
    with pytest.raises(ValueError, match="op must be one of AND, OR, NOT, XOR"):
        Gate("NAND", (0, 1))
    with pytest.raises(ValueError, match="NOT gate must be exactly one wire"):
        Gate("NOT", (0, 1))
    with pytest.raises(ValueError, match="at least one wire"):
        Gate("AND", ())
    with pytest.raises(TypeError, match="inputs must be a tuple of wire numbers"):
        Gate("AND", (0, 1.5))
    with pytest.raises(ValueError, match=r"gates\[0\] .* may read only wires 0..1"):
        Circuit(("a", "b"), (Gate("AND", (0, 2)),), (2,), ("f",))
    with pytest.raises(ValueError, match="outputs must be wires 0..2"):
        Circuit(("a", "b"), (Gate("AND", (0, 1)),), (3,), ("f",))
    b = CircuitBuilder(["a"])
    with pytest.raises(ValueError, match="inputs must be existing wires 0..0"):
        b.gate("AND", 0, 1)
    assert b.build([0], ["a"]).gate_count() == 0  # the failed gate was not kept


# --- the live explorer -----------------------------------------------------------------------


def test_the_explorer_slider_updates_readout_and_picture_in_place():
    pytest.importorskip("ipywidgets")
    from chapter5.viz.circuits import CircuitsExplorer

    ex = CircuitsExplorer()
    assert ex.slider_n.value == EXPLORER_N_DEFAULT
    assert "c5-slider-n" in ex.slider_n._dom_classes
    assert "c5-readout" in ex.readout._dom_classes
    assert "c5-figure" in ex.image._dom_classes
    assert (ex.slider_n.min, ex.slider_n.max) == (EXPLORER_N_MIN, EXPLORER_N_MAX)
    assert ex.slider_n.continuous_update
    fig, png, html = ex.figure, ex.image.value, ex.readout.value
    assert f'data-key="sop_gates">{sop_gate_count(EXPLORER_N_DEFAULT)}<' in html
    ex.slider_n.value = 13
    assert ex.figure is fig
    assert ex.image.value != png and ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert ex.readout.value != html
    for key, value in (("sop_gates", 2**12 + 1 + 13), ("xor_gates", 12), ("xor_depth", 4)):
        assert f'data-key="{key}">{value}<' in ex.readout.value
    assert ex.readouts() == {"sop_gates": "4110", "xor_gates": "12", "xor_depth": "4"}


def test_every_slider_position_draws_without_warnings_and_keeps_the_image_size():
    pytest.importorskip("ipywidgets")
    from chapter5.viz.circuits import CircuitsExplorer

    ex = CircuitsExplorer(EXPLORER_N_MIN)
    sizes = set()
    for n in range(EXPLORER_N_MIN, EXPLORER_N_MAX + 1):
        ex.set(n)
        sizes.add(tuple(int.from_bytes(ex.image.value[16 + 4 * i:20 + 4 * i], "big")
                        for i in range(2)))
    assert sizes == {(768, 288)}
    assert ex.readouts()["xor_depth"] == str(xor_tree_depth(EXPLORER_N_MAX))
    with pytest.raises(ValueError, match="n must lie in 1..20"):
        ex.set(21)
    with pytest.raises(TypeError, match="n must be a whole number"):
        CircuitsExplorer(3.0)


def test_the_drawings_are_made_from_the_circuits():
    from chapter5.viz.circuits import (
        circuit_layout,
        multiplier_hierarchy_figure,
        parity_circuits_figure,
    )

    x, y = circuit_layout(parity_sop(4))
    assert np.array_equal(np.bincount(x.astype(int)), [4, 4, 8, 1])  # inputs, NOT, AND, OR
    x, y = circuit_layout(parity_xor_tree(4))
    assert np.array_equal(np.bincount(x.astype(int)), [4, 2, 1])
    fig = parity_circuits_figure(4)
    titles = " ".join(ax.get_title(loc="left") for ax in fig.axes)
    assert "13 gates" in titles and "3 gates" in titles
    fig = multiplier_hierarchy_figure(4)
    titles = " ".join(ax.get_title(loc="left") for ax in fig.axes)
    assert f"{multiplier(4).gate_count()} gates" in titles
    with pytest.raises(ValueError, match="n must lie in 2..5"):
        parity_circuits_figure(9)
