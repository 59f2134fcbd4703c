# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. Deep circuits: why depth should help
#
# Before it says a word about gradients, chapter 5 of Nielsen's *Neural Networks and Deep
# Learning* asks us to think like a circuit designer. Suppose you had to build a circuit that
# computes some boolean function of $n$ input bits. A classical fact says you never *need* more
# than two layers of gates: any function can be written as an OR of ANDs. Yet nobody builds a
# computer that way. Real designs are deep: small circuits are combined into bigger ones, which
# are combined into bigger ones still.
#
# This notebook makes that story concrete and checkable. We will
#
# 1. represent circuits as plain data and evaluate them on **every** possible input at once;
# 2. build $n$-bit parity twice, as a shallow (depth-2) circuit and as a deep tree, and watch
#    the shallow one blow up exponentially while the deep one grows by one gate per bit;
# 3. assemble a multiplier from adders, and adders from one-bit adders, checking every answer;
# 4. ask what this suggests for neural networks, and why the next notebooks have work to do.
#
# All the machinery is in `chapter5.circuits` (pure numpy) and the pictures in
# `chapter5.viz.circuits`. Every count and depth you read below is computed from a circuit's
# structure, not typed in.

# %%
# %matplotlib inline
import numpy as np
from IPython.display import display

from chapter5.circuits import (
    EXPLORER_N_DEFAULT,
    CircuitBuilder,
    all_inputs,
    bits_to_ints,
    full_adder,
    half_adder,
    multiplier,
    parity,
    parity_sop,
    parity_xor_tree,
    ripple_carry_adder,
    sop_gate_count,
    split_operands,
    xor_tree_depth,
    xor_tree_gate_count,
)
from chapter5.prose import glue
from chapter5.viz.circuits import (
    circuits_explorer,
    gate_count_figure,
    multiplier_hierarchy_figure,
    parity_circuits_figure,
    readout_strings,
)

# %% [markdown]
# ## 1.1 A circuit is a list of gates
#
# Our circuits use four kinds of gate: AND, OR and XOR, which may read any number of wires
# (their *fan-in*), and NOT, which reads one. Wires are numbered: the $n$ inputs come first, and
# each new gate drives the next wire. Because a gate may only read wires that already exist, the
# list of gates is automatically in an order where every gate's inputs are ready before it is
# evaluated, and no circuit can loop back on itself.
#
# Two numbers describe a circuit's cost:
#
# - its **size**, the number of gates;
# - its **depth**, the number of gates on the longest path from an input to the output, which is
#   how many "layers" of logic a signal must pass through.
#
# With $n$ inputs there are only $2^n$ possible input patterns, so for small $n$ we can simply
# try them all. `all_inputs(n)` lists them as the rows of a boolean array (row $r$ holds the
# binary digits of $r$), and `Circuit.truth_table()` pushes all rows through the gates together.
# Here is a first circuit, built by hand: $x_1 \oplus x_2 \oplus x_3$ from two XOR gates.

# %%
builder = CircuitBuilder(["x1", "x2", "x3"])
x1, x2, x3 = builder.inputs
first = builder.gate("XOR", x1, x2)
out = builder.gate("XOR", first, x3)
tiny = builder.build([out], ["parity"])

table = tiny.truth_table()
print(f"{tiny.gate_count()} gates, depth {tiny.depth()}")
print(" x1 x2 x3 | out | odd number of ones?")
for bits, value, odd in zip(all_inputs(3).astype(int), table[:, 0], parity(all_inputs(3)),
                            strict=True):
    print(f"  {bits[0]}  {bits[1]}  {bits[2]} |  {int(value)}  | {'yes' if odd else 'no'}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the hand-built circuit computes parity on all 8 inputs
assert np.array_equal(table[:, 0], parity(all_inputs(3)))

# %% [markdown]
# The output is 1 exactly when an odd number of inputs are 1. That function is called
# **parity**, and it is the chapter's example of a function that shallow circuits handle badly.

# %% [markdown]
# ## 1.2 Two layers are always enough, in principle
#
# Why can every boolean function be computed in two layers? Take the list of input patterns on
# which the function should output 1. For each such pattern build one AND gate that is true on
# that pattern and nowhere else: it reads $x_i$ where the pattern has a 1 and $\lnot x_i$ where it
# has a 0. Then OR all those AND gates together. The result, a **sum of products**, outputs 1
# precisely on the listed patterns.
#
# For $n$-bit parity the listed patterns are those with an odd number of ones, and there are
# $2^{n-1}$ of them (exactly half of all $2^n$). So the sum of products for parity has
# $2^{n-1}$ AND gates, each reading all $n$ inputs, and one OR gate reading all $2^{n-1}$ ANDs.
#
# **How we count.** The ANDs need the negated inputs $\lnot x_i$. Our circuit makes them with one
# shared NOT gate per input and we include those $n$ NOT gates in the gate count; for $n = 1$ no
# negation is needed, so there are none. For *depth* we follow the usual convention for shallow
# circuits: an input or its negation is a *literal* that the first layer reads directly, so a NOT
# gate sitting right on an input adds no depth. With that convention the sum of products has
# depth 2 (depth 3 if you insist on counting the NOTs; `depth(literals_free=False)` does that).
# Either way the size is
#
# $$ \underbrace{2^{n-1}}_{\text{AND}} + \underbrace{1}_{\text{OR}}
#    + \underbrace{n}_{\text{NOT}} \quad (n \ge 2). $$
#
# ## 1.3 Parity with depth: a tree of XORs
#
# A designer who is allowed depth does something much cheaper: XOR the inputs in pairs, then
# XOR the results in pairs, and so on, like a knockout tournament. Each 2-input XOR gate turns
# two wires into one, so $n$ wires need exactly $n - 1$ gates, and the number of rounds is
# $\lceil \log_2 n \rceil$.
#
# One could object that the tree uses XOR gates while the sum of products only uses AND, OR and
# NOT. Fair: spelled out in those gates, $a \oplus b = (a \lor b) \land \lnot(a \land b)$ costs
# <span data-glue="xor_aon_gates:d">4</span> gates and <span data-glue="xor_aon_depth:d">3</span> layers,
# so the tree costs $4(n-1)$ gates and depth $3\lceil \log_2 n \rceil$.
# Still linear in $n$. We build that version too (`basis="and-or-not"`).
#
# **Before you read on, predict:** how many gates does the sum of products for 10-bit parity
# need, and how many the XOR tree? Write both numbers down, then compare with the last row of the
# table.
#
# The cell below builds all three circuits for $n = 1, \dots, 10$, checks each against the
# parity of every one of the $2^n$ inputs, and counts its gates and layers.

# %%
print(f"{'n':>2} | {'inputs':>6} | {'sum of products':^28} | {'XOR tree':^14} | "
      f"{'tree in AND/OR/NOT':^18}")
print(f"{'':>2} | {'':>6} | {'gates = AND+OR+NOT':>20} {'depth':>7} | {'gates':>6} {'depth':>7} | "
      f"{'gates':>8} {'depth':>9}")
wrong = 0
for n in range(1, 11):
    x = all_inputs(n)
    sop, tree, tree_aon = parity_sop(n), parity_xor_tree(n), parity_xor_tree(n, basis="and-or-not")
    for circuit in (sop, tree, tree_aon):
        wrong += np.count_nonzero(circuit.truth_table()[:, 0] != parity(x))
    c = sop.gate_counts()
    split = f"{sop.gate_count()} = {c['AND']}+{c['OR']}+{c['NOT']}"
    print(f"{n:>2} | {2**n:>6} | {split:>20} {sop.depth():>7} | {tree.gate_count():>6} "
          f"{tree.depth():>7} | {tree_aon.gate_count():>8} {tree_aon.depth():>9}")
print(f"inputs on which some circuit disagrees with parity: {wrong}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: every circuit is right, and the closed forms in chapter5.circuits agree with the built
# circuits; glue one XOR spelled out in AND/OR/NOT (the text above states it)
assert wrong == 0
for n in range(1, 11):
    sop, tree, tree_aon = parity_sop(n), parity_xor_tree(n), parity_xor_tree(n, basis="and-or-not")
    assert sop.gate_count() == sop_gate_count(n) == 2 ** (n - 1) + 1 + (n if n >= 2 else 0)
    assert sop.depth() == 2 and sop.depth(literals_free=False) == (3 if n >= 2 else 2)
    assert tree.gate_count() == xor_tree_gate_count(n) == n - 1
    assert tree.depth() == xor_tree_depth(n) == int(np.ceil(np.log2(n)))
    assert tree_aon.gate_count() == 4 * (n - 1) and tree_aon.depth() == 3 * tree.depth()
xor_aon = parity_xor_tree(2, basis="and-or-not")
glue("xor_aon_gates", xor_aon.gate_count())
glue("xor_aon_depth", xor_aon.depth())

# %% [markdown]
# Figure 1.1 draws both circuits for $n = 4$, straight from their gate lists.

# %% mystnb={"image": {"alt": "Two circuit diagrams for the parity of 4 bits, inputs x1 to x4 on the left and the output on the right. Left: the sum of products, a dense web of crossing wires through 4 NOT gates, 8 AND gates each labelled with the odd input pattern it recognises, and one OR gate collecting all eight, 13 gates in all; right: a small tree of three 2-input XOR gates in two layers."}}
parity_circuits_figure(4)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the counts the alt text repeats; glue those the caption and the text below state
sop4, tree4 = parity_sop(4), parity_xor_tree(4)
assert sop4.gate_count() == 13 and tree4.gate_count() == 3
glue("sop4_not", sop4.gate_count("NOT"))
glue("sop4_and", sop4.gate_count("AND"))
glue("sop4_or_fan_in", sop4.max_fan_in("OR"))
glue("sop4_gates", sop4.gate_count())
glue("tree4_gates", tree4.gate_count())
glue("tree4_depth", tree4.depth())

# %% [markdown]
# *Figure 1.1 — Two circuits for the parity of 4 bits, drawn by `chapter5.viz.circuits` from the
# circuits' own gate lists (inputs on the left, gates placed in columns by depth, wires as
# lines). Left: the sum of products. Its <span data-glue="sop4_not:d">4</span> NOT gates make the
# negated inputs (their wires are drawn in vermillion); <span data-glue="sop4_and:d">8</span> AND
# gates each recognise one of the inputs with an odd number of ones (the pattern $x_1x_2x_3x_4$
# is written under each AND); one OR gate with <span data-glue="sop4_or_fan_in:d">8</span> inputs
# collects them: <span data-glue="sop4_gates:d">13</span> gates in all. Right: the XOR tree,
# <span data-glue="tree4_gates:d">3</span> gates arranged in <span data-glue="tree4_depth:d">2</span> layers.*
#
# ## 1.4 How the gap grows
#
# At $n = 4$ the difference is <span data-glue="sop4_gates:d">13</span> gates against
# <span data-glue="tree4_gates:d">3</span>. Let $n$ grow and the sum of products doubles
# with every extra bit, while the tree gains one gate per bit. Figure 1.2 plots both on a
# logarithmic axis, where exponential growth is a straight line.

# %% mystnb={"image": {"alt": "Two panels against the number of input bits n from 1 to 20. Left: gate count on a log axis, where the sum of products climbs as a straight line to about half a million gates while the XOR tree and its AND/OR/NOT version grow linearly and stay below 100, with rings at n = 10 marking 523 gates against 9. Right: depth, flat at 2 for the sum of products, while the XOR tree steps up slowly to 5 and its AND/OR/NOT version to 15, each step coming just after n passes a power of two."}}
n0 = EXPLORER_N_DEFAULT
sop_n0, tree_n0 = sop_gate_count(n0), xor_tree_gate_count(n0)
print(f"n = {n0}: sum of products {sop_n0} gates (depth 2), XOR tree {tree_n0} gates "
      f"(depth {xor_tree_depth(n0)}), ratio {sop_n0 / tree_n0:.1f}")
for n in (20, 64):
    print(f"n = {n}: sum of products {sop_gate_count(n):.3e} gates, XOR tree "
          f"{xor_tree_gate_count(n)} gates (depth {xor_tree_depth(n)})")
gate_count_figure(n0)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the numbers the alt text repeats (the text says n = 10); glue those the caption and the
# text below state
assert (n0, sop_n0, tree_n0) == (10, 523, 9)
glue("sop_n0_gates", sop_n0)
glue("tree_n0_gates", tree_n0)
glue("sop64_gates", sop_gate_count(64))
glue("tree64_gates", xor_tree_gate_count(64))
glue("tree64_depth", xor_tree_depth(64))

# %% [markdown]
# *Figure 1.2 — Left: number of gates (log scale) against the number of input bits $n$ for the
# depth-2 sum of products (vermillion, NOT gates included), the XOR tree (dark blue, $n-1$
# gates) and the XOR tree with each XOR written as <span data-glue="xor_aon_gates:d">4</span>
# AND/OR/NOT gates (light blue, dashed). The sum of products is a straight line on this axis: it
# grows like $2^{n-1}$. The trees grow linearly and flatten out on the log axis. The rings mark
# $n = 10$: <span data-glue="sop_n0_gates:d">523</span> gates against <span data-glue="tree_n0_gates:d">9</span>.
# Right: depth (gates on the longest input-to-output path) against $n$. The sum of products stays
# at depth 2; the trees pay for their small size with depth $\lceil \log_2 n \rceil$ (XOR gates)
# or $3\lceil \log_2 n \rceil$ (AND/OR/NOT), which still grows very slowly.*
#
# A 64-bit parity, a perfectly ordinary width for a computer, would need
# <span data-glue="sop64_gates:,d">9,223,372,036,854,775,873</span> gates as a sum of products and
# <span data-glue="tree64_gates:d">63</span> as a tree of depth <span data-glue="tree64_depth:d">6</span>.
#
# **Is the sum of products just a clumsy choice?** For depth exactly 2, no: every OR of ANDs that
# computes parity needs at least $2^{n-1}$ AND gates (exercise 1 asks you to prove it; it takes a
# few lines). The deeper fact is that allowing a few more layers does not rescue shallow circuits.
# The chapter states this without detailed references: it mentions a series of papers from the
# early 1980s and points to a 2012 paper by Håstad for a recent account. The results it has in
# mind are these (full references on the [references page](../references.md)):
#
# - [Furst, Saxe and Sipser (1981)](../references.md) (journal version 1984) and, independently,
#   [Ajtai (1983)](../references.md) proved that no family of circuits of *constant* depth and
#   polynomial size computes parity, when the gates are ANDs and ORs of unbounded fan-in with
#   negations only on the inputs (the setting of our sum of products).
# - [Yao (1985)](../references.md) raised the bound to an exponential one, and
#   [Håstad (1986)](../references.md) sharpened it further: a depth-$d$ circuit of that kind needs
#   roughly $2^{c\,n^{1/(d-1)}}$ gates for some constant $c > 0$, and circuits of about that size
#   exist, so the bound is nearly the truth.
#
# The 2012 paper the chapter points to, [Håstad (2014)](../references.md) in its journal form,
# goes further still: small shallow circuits cannot even get parity right noticeably more often
# than a coin toss. The fine print matters: if XOR gates of unlimited fan-in
# were allowed, a single gate would compute parity. The theorems are about circuits built from
# AND, OR and NOT, which is exactly why we also plotted the tree in those gates: it stays linear
# in size, and what it needs instead is a depth that grows with $n$.
#
# ## 1.5 Explore
#
# Drag the slider to change $n$. The readout gives the gate counts and the tree's depth, computed
# by `chapter5.circuits`; the picture marks the current $n$ on both panels.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
# widget view: the output holds random widget model ids, and the static book cannot run it.
explorer = circuits_explorer(EXPLORER_N_DEFAULT)
display(explorer.widget)

# %% [markdown]
# At its starting value $n = 10$ the explorer shows Figure 1.2 above, with these readouts:

# %%
print(readout_strings(EXPLORER_N_DEFAULT))

# %% [markdown]
# Things to try: find the first $n$ at which the sum of products needs more than a thousand
# gates, and the first at which it needs more gates than the tree by a factor of a thousand.
# Watch the tree's depth: it only steps up when $n$ passes a power of two.
#
# ## 1.6 Circuits built from circuits: a multiplier
#
# Parity is a tidy example, but the chapter's real point is about how engineers *design*. Nobody
# writes a multiplier as one huge sum of products. They build it in layers of abstraction:
#
# - a **half adder** adds two bits: sum $= a \oplus b$, carry $= a \land b$
#   (<span data-glue="ha_gates:d">2</span> gates);
# - a **full adder** adds three bits (two digits and an incoming carry): two half adders and an
#   OR for the carries (<span data-glue="fa_gates:d">5</span> gates);
# - a **ripple-carry adder** adds two $w$-bit numbers: one bit adder per column, each passing its
#   carry to the next column, exactly like addition on paper;
# - a **multiplier** forms the partial products $a \land b_i$ (row $i$ is $a$ shifted by $i$
#   places, kept or dropped by the bit $b_i$), then adds the rows one after another with
#   ripple-carry adders, again like long multiplication on paper.
#
# Each level only uses the level below as a black box. Our builder records which block every gate
# belongs to, so the hierarchy can be counted and drawn. First, we check every level on every
# input: the adders for all pairs of numbers up to 6 bits wide, the multiplier for all pairs of
# widths from 1 to 4 bits (and 6 by 6).

# %%
ha, fa = half_adder(), full_adder()
ha_sum = ha.truth_table().astype(int) @ np.array([1, 2])
fa_sum = fa.truth_table().astype(int) @ np.array([1, 2])
bit_adders_right = (np.array_equal(ha_sum, all_inputs(2).sum(axis=1))
                    and np.array_equal(fa_sum, all_inputs(3).sum(axis=1)))
print(f"half adder: {ha.gate_count()} gates, depth {ha.depth()}; "
      f"full adder: {fa.gate_count()} gates, depth {fa.depth()}; right on all inputs: "
      f"{bit_adders_right}")

pairs_checked, wrong_sums = 0, 0
for width in range(1, 7):
    adder = ripple_carry_adder(width)
    a, b = split_operands(width, width)
    wrong_sums += np.count_nonzero(bits_to_ints(adder.truth_table()) != a + b)
    pairs_checked += a.size
print(f"ripple-carry adders of width 1..6: {pairs_checked} additions, {wrong_sums} wrong")

pairs_checked, wrong_products = 0, 0
for width_a, width_b in [(i, j) for i in range(1, 5) for j in range(1, 5)] + [(6, 6)]:
    product = multiplier(width_a, width_b)
    a, b = split_operands(width_a, width_b)
    wrong_products += np.count_nonzero(bits_to_ints(product.truth_table()) != a * b)
    pairs_checked += a.size
print(f"multipliers of widths 1..4 x 1..4 and 6 x 6: {pairs_checked} products, "
      f"{wrong_products} wrong")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: every level is right on every input; glue the numbers the text above and the caption of
# Figure 1.3 state
assert bit_adders_right and wrong_sums == 0 and wrong_products == 0
glue("ha_gates", ha.gate_count())
glue("fa_gates", fa.gate_count())
glue("fa_depth", fa.depth())

# %% [markdown]
# Now the cost of each level, counted from the structure:

# %%
print("circuit                     | gates | depth | built from")
rows = [("half adder", ha, "1 XOR + 1 AND"), ("full adder", fa, "2 half adders + 1 OR")]
for width in (4, 8):
    adder = ripple_carry_adder(width)
    rows.append((f"{width}-bit ripple-carry adder", adder,
                 f"{len(adder.blocks('half adder')) - 2 * len(adder.blocks('full adder'))} half "
                 f"+ {len(adder.blocks('full adder'))} full adders"))
for width in (4, 8):
    mul = multiplier(width)
    n_and = sum(g.block[:1] == ("partial products 0",) for g in mul.gates)
    rows.append((f"{width}x{width}-bit multiplier", mul,
                 f"{n_and} AND + {len(mul.blocks('adder'))} adders"))
for name, circuit, parts in rows:
    print(f"{name:27s} | {circuit.gate_count():5d} | {circuit.depth():5d} | {parts}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the numbers the alt text of Figure 1.3 repeats; glue those its caption and the text
# below state
mul4 = multiplier(4)
mul4_and = sum(g.block[:1] == ("partial products 0",) for g in mul4.gates)
assert (fa.gate_count(), fa.depth(), ripple_carry_adder(4).gate_count()) == (5, 3, 17)
assert (mul4.gate_count(), mul4.depth(), len(mul4.blocks("adder"))) == (64, 16, 3)
assert mul4_and == 16
glue("rca4_gates", ripple_carry_adder(4).gate_count())
glue("mul4_and", mul4_and)
glue("mul4_adders", len(mul4.blocks("adder")))
glue("mul4_gates", mul4.gate_count())
glue("mul4_depth", mul4.depth())

# %% mystnb={"image": {"alt": "Three block diagrams of one 4-by-4-bit multiplier at three levels of abstraction. (a) A full adder drawn gate by gate, with dashed boxes around its two half adders (an XOR and an AND each) and an OR producing the carry out: 5 gates, depth 3. (b) A 4-bit ripple-carry adder as a row of one half adder and three full adders, each passing its carry (orange arrow) to the next column: 17 gates. (c) The multiplier as a flow chart: a block of 16 AND gates makes the partial-product rows, row 0 starts the running total and three adders each add one more row (green arrows) until the product bits p0 to p7 come out: 64 gates, depth 16."}}
multiplier_hierarchy_figure(4)

# %% [markdown]
# *Figure 1.3 — One multiplier, three levels of abstraction, each read from the built circuits.
# (a) The bit adder: a full adder drawn gate by gate, with its two half adders framed (dashed):
# <span data-glue="fa_gates:d">5</span> gates, depth <span data-glue="fa_depth:d">3</span>. (b) The
# adder: a 4-bit ripple-carry adder is a row of bit adders (one half adder for the lowest column,
# then full adders), each passing its carry (vermillion) to the next column:
# <span data-glue="rca4_gates:d">17</span> gates. (c) The multiplier:
# <span data-glue="mul4_and:d">16</span> AND gates form the partial-product rows $a \land b_i$;
# row 0 starts the running total, and each of the <span data-glue="mul4_adders:d">3</span> adders
# adds one more row (green): <span data-glue="mul4_gates:d">64</span> gates and depth
# <span data-glue="mul4_depth:d">16</span> for 4 by 4 bits.*
#
# The 4-bit multiplier has <span data-glue="mul4_inputs:d">8</span> inputs, so as a sum of
# products each of its <span data-glue="mul4_outputs:d">8</span> output bits would get one AND per
# input pattern on which it is 1, out of the $2^8 =$ <span data-glue="mul4_patterns:d">256</span>
# patterns. The cell below counts those ANDs straight from the truth table.

# %%
table = mul4.truth_table()
ones_per_output = table.sum(axis=0)
print("input patterns on which each product bit p0..p7 is 1:", ones_per_output.tolist())
print(f"a sum of products per output bit: {int(ones_per_output.sum())} AND gates in all, "
      f"against {mul4.gate_count()} gates for the layered multiplier")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the sum of products is much larger; glue the numbers the text above states
assert int(ones_per_output.sum()) > 5 * mul4.gate_count()
glue("mul4_inputs", mul4.n_inputs)
glue("mul4_patterns", table.shape[0])
glue("mul4_outputs", table.shape[1])

# %% [markdown]
# (Many of those terms could be merged, so this is not the best two-layer design, only the
# straightforward one; but the number of patterns to recognise doubles with every input bit, and
# for 32-bit numbers there are $2^{64}$ of them.)
#
# ## 1.7 What this suggests for neural networks
#
# A neural network is also a circuit, with sigmoid neurons instead of logic gates, and the same
# tension appears. Networks with a single hidden layer can approximate any function (Nielsen's
# chapter 4 shows why), just as depth-2 circuits can compute any boolean function. But
# "can" may mean "with an absurd number of neurons". A deep network could instead do what the
# engineer does: early layers compute simple features, later layers combine them into more
# abstract ones. For images one might hope for edges in the first layer, simple shapes made of
# edges in the next, parts of objects after that, and so on, each layer reusing the work of the
# layer below, as the multiplier reuses its adders and the adders their bit adders. If the
# parity example is any guide, such a hierarchy can be exponentially more economical than a
# shallow network.
#
# So the hope is clear: make networks deeper and let them *learn* such a hierarchy. Nielsen's
# chapter 5 turns to what happens when we try this with the tools of the earlier chapters, a
# sigmoid network trained by stochastic gradient descent and backpropagation. The answer is
# disappointing at first: adding hidden layers barely helps, and the reason is that the layers do
# not learn at the same speed. The early layers, the ones that should build the simple features,
# learn far more slowly than the later ones. Notebook 02 measures this on MNIST, and notebooks 03
# to 06 take it apart.
#
# ## Key takeaways
#
# * Two layers of gates can compute any boolean function, but for some functions, parity first
#   among them, a shallow circuit needs exponentially many gates: $2^{n-1} + 1 + n$ for $n$-bit
#   parity as a sum of products, against $n - 1$ XOR gates in a tree of depth
#   $\lceil \log_2 n \rceil$.
# * This is not clumsiness: every depth-2 circuit for parity needs $2^{n-1}$ ANDs (exercise 1),
#   and a depth-$d$ circuit of ANDs and ORs still needs about $2^{c\,n^{1/(d-1)}}$ gates (the
#   theorems of section 1.4).
# * Engineers build deep circuits from sub-circuits (bit adders, adders, a multiplier), each
#   level reusing the one below. Deep networks could build layers of features the same way, if
#   they can be trained, which is what the rest of the chapter is about.
#
# ## Exercises
#
# **Exercise 1 (depth 2 really needs $2^{n-1}$ ANDs).** Prove that every OR of ANDs of literals
# that computes $n$-bit parity contains at least $2^{n-1}$ AND gates. *Hint: what happens if an
# AND gate does not read some variable $x_i$ at all?*
#
# <details><summary>Show the worked solution</summary>
#
# Let $T$ be one AND gate of such a circuit, and suppose it is true on some input $x$ (if it is
# never true, it can be removed). Because the OR outputs 1 whenever $T$ is true, parity$(x) = 1$.
# If $T$ did not read some variable $x_i$, flipping $x_i$ would keep $T$ true, so the circuit
# would still output 1, yet the flipped input has even parity. Contradiction: every useful AND
# gate reads all $n$ variables (each as $x_i$ or $\lnot x_i$, and never both, or it would be
# always false), so it is true on exactly one input. The circuit must output 1 on all $2^{n-1}$
# odd inputs, each AND gate covers one of them, hence at least $2^{n-1}$ AND gates. Our
# `parity_sop` meets the bound exactly.
#
# The cell below confirms the key step by brute force for $n = 4$: among all $3^4 - 1 = 80$
# non-empty ANDs of literals (each variable absent, plain or negated), the ones that are never
# true on an even input are exactly the <span data-glue="safe_terms:d">8</span> that read all four
# variables.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
n = 4
x = all_inputs(n)
even = ~parity(x)
safe_terms = []
codes = range(1, 3**n)
for code in codes:
    use = [(code // 3**i) % 3 for i in range(n)]  # 0: absent, 1: x_i, 2: not x_i
    true_on = np.ones(2**n, dtype=bool)
    for i, u in enumerate(use):
        if u == 1:
            true_on &= x[:, i]
        elif u == 2:
            true_on &= ~x[:, i]
    if true_on.any() and not (true_on & even).any():
        safe_terms.append(use)
print(f"ANDs of literals never true on an even input: {len(safe_terms)}; "
      f"all read every variable: {all(0 not in use for use in safe_terms)}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: 80 candidate ANDs, of which exactly 2^(n-1) are safe, all reading every variable; glue
# the number the solution above states
assert len(codes) == 80
assert len(safe_terms) == 2 ** (n - 1) and all(0 not in use for use in safe_terms)
glue("safe_terms", len(safe_terms))

# %% [markdown]
# **Exercise 2 (a chain is as small as a tree, but deep).** Build parity as a *chain*
# $(((x_1 \oplus x_2) \oplus x_3) \oplus \dots) \oplus x_n$ with `CircuitBuilder`. How many gates
# and how deep is it? Then show that no circuit of 2-input gates can compute $n$-bit parity with
# fewer than $n - 1$ gates or with depth less than $\lceil \log_2 n \rceil$.
#
# <details><summary>Show the worked solution</summary>
#
# The chain also uses $n - 1$ XOR gates, but its longest path goes through all of them, so its
# depth is $n - 1$ (checked below for $n = 16$: depth <span data-glue="chain16_depth:d">15</span>
# against <span data-glue="tree16_depth:d">4</span> for the tree). Size alone does not tell you
# how deep a circuit is.
#
# *Lower bounds.* Parity depends on every input: flipping any $x_i$ flips the output. So every
# input must be joined to the output by wires. Picture the circuit being built gate by gate,
# starting from $n$ separate inputs. A new 2-input gate joins at most two of the separate pieces
# into one, so each gate lowers the number of pieces by at most one; going from $n$ pieces to a
# single connected one needs at least $n - 1$ gates. For depth: a gate at depth 1 can depend on
# at most 2 inputs, at depth 2 on at most 4, at depth $d$ on at most $2^d$. The output depends on
# all $n$ inputs, so $2^d \ge n$, i.e. $d \ge \lceil \log_2 n \rceil$. The balanced tree meets
# both bounds at once.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
n = 16
chain_builder = CircuitBuilder([f"x{i}" for i in range(1, n + 1)])
wire = chain_builder.inputs[0]
for nxt in chain_builder.inputs[1:]:
    wire = chain_builder.gate("XOR", wire, nxt)
chain = chain_builder.build([wire], ["parity"])
tree16 = parity_xor_tree(n)
print(f"n = {n}: chain {chain.gate_count()} gates, depth {chain.depth()}; "
      f"tree {tree16.gate_count()} gates, depth {tree16.depth()}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the chain computes parity; sizes and depths as the solution says; glue its numbers
assert np.array_equal(chain.truth_table()[:, 0], parity(all_inputs(n)))
assert chain.gate_count() == tree16.gate_count() == n - 1
assert chain.depth() == n - 1 and tree16.depth() == 4
glue("chain16_depth", chain.depth())
glue("tree16_depth", tree16.depth())

# %% [markdown]
# **Exercise 3 (counting the multiplier).** Our $m \times k$ multiplier ($m$ bits of $a$, $k$
# bits of $b$, both at least 2) adds rows $1, \dots, k-1$ of partial products one at a time.
# Count its half adders, full adders and gates, and check your formula against the built
# circuits for $2 \le m, k \le 6$.
#
# <details><summary>Show the worked solution</summary>
#
# There are $mk$ AND gates for the partial products. Row 0 ($m$ bits) starts the running total.
# Adding row 1: the total's bits from position 1 up are $m - 1$ bits, the row has $m$; the lowest
# column has no carry in (a half adder), the next $m - 2$ columns have three bits (full adders),
# and the top column has the row's last bit plus a carry (a half adder): 2 half and $m - 2$ full
# adders. From row 2 on, the total reaching from position $i$ up already has $m$ bits, so each
# further row costs 1 half adder and $m - 1$ full adders. In all, with half adders counting 2
# gates and full adders 5:
#
# $$ \text{half adders} = k, \qquad \text{full adders} = (m-2) + (k-2)(m-1), $$
# $$ \text{gates} = mk + 2k + 5\big[(m-2) + (k-2)(m-1)\big]. $$
#
# For $m = k = 4$: $16 + 8 + 5 \cdot 8 = 64$, and the built multiplier of Figure 1.3 has
# <span data-glue="mul4_gates:d">64</span> gates. The gate count grows like $5mk$, polynomially;
# the cell below checks the formula on all <span data-glue="formula_shapes:d">25</span> shapes.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
shapes_checked, disagreements = 0, 0
for m in range(2, 7):
    for k in range(2, 7):
        mul = multiplier(m, k)
        n_full = len(mul.blocks("full adder"))
        n_half = sum(1 for path in mul.blocks("half adder") if len(path) == 2)
        formula_right = (n_half == k and n_full == (m - 2) + (k - 2) * (m - 1)
                         and mul.gate_count() == m * k + 2 * k + 5 * ((m - 2) + (k - 2) * (m - 1)))
        disagreements += not formula_right
        shapes_checked += 1
print(f"shapes m, k in 2..6 where the formula disagrees with the built multiplier: "
      f"{disagreements} of {shapes_checked}; for m = k = 4: {multiplier(4).gate_count()} gates")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the formula holds for every shape; glue the number the solution above states
assert disagreements == 0
glue("formula_shapes", shapes_checked)
