# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
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
# # 3. A chain of single neurons
#
# In the previous notebook a real network on MNIST showed us the symptom: the early hidden layers
# of a deep sigmoid net learn far more slowly than the late ones, because their bias gradients are
# much smaller. Here we look for the cause, and we look for it in the simplest place it can hide: a
# network with **one neuron in each layer**. With nothing to sum over, the gradient of the first
# layer becomes a single product we can read term by term (Nielsen, *Neural Networks and Deep
# Learning*, ch. 5, eqs. (121)–(122)).
#
# The plan: write down the chain, derive its gradient one link at a time, look closely at the
# factor that keeps appearing, check the formula four independent ways, and then hand you an
# explorer with a slider for every weight and bias so you can make the gradient vanish, explode
# or, with some care, stay balanced.

# %%
# %matplotlib inline
import math

import autograd
import autograd.numpy as anp
import numpy as np
from IPython.display import display

from chapter5.activations import log10_sigmoid_prime, sigmoid, sigmoid_prime
from chapter5.chain import (
    EXPLORER_DEFAULT_DEPTH,
    EXPLORER_MAX_DEPTH,
    EXPLORER_SEED,
    Chain,
    exploding_chain,
    explorer_typical_chain,
    forward,
    gradients,
    product_equation,
    typical_chain,
)
from chapter5.prose import glue
from chapter5.readout import format_signed_log10
from chapter5.viz.chain import (
    ChainExplorer,
    db1_vs_db3_figure,
    preset_chain,
    readout_strings,
    sigmoid_figure,
    static_chain_figure,
    weight_draw_figure,
)

# %% [markdown]
# ## The chain
#
# Take $L$ sigmoid neurons in a row. Neuron $j$ (for $j = 1, \dots, L$) has one weight $w_j$ and one
# bias $b_j$. It receives the previous neuron's output $a_{j-1}$ (the first one receives the input
# $a_0$), forms its weighted input and fires:
#
# $$
# z_j = w_j\, a_{j-1} + b_j, \qquad a_j = \sigma(z_j), \qquad \sigma(z) = \frac{1}{1 + e^{-z}} .
# $$
#
# The cost $C$ looks only at the last output $a_L$. Everything we need to know about the cost is
# therefore one number, $\partial C / \partial a_L$. Throughout this notebook we take the simplest
# cost, $C = a_L$, so that $\partial C/\partial a_L = 1$ and every gradient below is measured *in
# units of* $\partial C/\partial a_L$. Following the chapter we use $L = 4$ to begin with.

# %% [markdown]
# ## The gradient of the first bias, one link at a time
#
# How does the cost feel a small change in $b_1$? The change has to travel down the chain, and it
# passes through exactly one road:
#
# $$
# b_1 \;\to\; z_1 \;\to\; a_1 \;\to\; z_2 \;\to\; a_2 \;\to\; z_3 \;\to\; a_3 \;\to\; z_4
# \;\to\; a_4 \;\to\; C .
# $$
#
# Each arrow is a function of one variable, so each has a single derivative, and the chain rule
# says the total derivative is their product. Link by link:
#
# | link | rule | derivative |
# |---|---|---|
# | $b_1 \to z_1$ | $z_1 = w_1 a_0 + b_1$ | $\partial z_1/\partial b_1 = 1$ |
# | $z_1 \to a_1$ | $a_1 = \sigma(z_1)$ | $\partial a_1/\partial z_1 = \sigma'(z_1)$ |
# | $a_1 \to z_2$ | $z_2 = w_2 a_1 + b_2$ | $\partial z_2/\partial a_1 = w_2$ |
# | $z_2 \to a_2$ | $a_2 = \sigma(z_2)$ | $\partial a_2/\partial z_2 = \sigma'(z_2)$ |
# | $a_2 \to z_3$ | $z_3 = w_3 a_2 + b_3$ | $\partial z_3/\partial a_2 = w_3$ |
# | $z_3 \to a_3$ | $a_3 = \sigma(z_3)$ | $\partial a_3/\partial z_3 = \sigma'(z_3)$ |
# | $a_3 \to z_4$ | $z_4 = w_4 a_3 + b_4$ | $\partial z_4/\partial a_3 = w_4$ |
# | $z_4 \to a_4$ | $a_4 = \sigma(z_4)$ | $\partial a_4/\partial z_4 = \sigma'(z_4)$ |
# | $a_4 \to C$ | the cost | $\partial C/\partial a_4$ |
#
# Multiplying down the last column and grouping each weight with the $\sigma'$ that follows it:
#
# $$
# \frac{\partial C}{\partial b_1}
#   = \sigma'(z_1)\;\cdot\; w_2\,\sigma'(z_2)\;\cdot\; w_3\,\sigma'(z_3)\;\cdot\;
#     w_4\,\sigma'(z_4)\;\cdot\; \frac{\partial C}{\partial a_4}.
# $$
#
# This is the chapter's formula for the chain (Nielsen, ch. 5, eqs. (121)–(122)). Nothing in the
# derivation used $L = 4$: for any depth and any layer $j$,
#
# $$
# \frac{\partial C}{\partial b_j} = \sigma'(z_j) \prod_{k=j+1}^{L} w_k\,\sigma'(z_k)\;
#   \frac{\partial C}{\partial a_L}.
# $$
#
# A nudge $\Delta b_1$ is a useful way to read it: it moves $z_1$ by $\Delta b_1$, then $a_1$ by
# about $\sigma'(z_1)\,\Delta b_1$, then $z_2$ by $w_2$ times that, and so on. Every neuron the
# nudge passes through rescales it by one **factor** $w_k\,\sigma'(z_k)$. The learning speed of
# the first layer is whatever survives that journey.
#
# Here is the formula with numbers in it, for the chain the explorer below opens with (weights and
# biases drawn from $N(0, 1)$ with seed `EXPLORER_SEED`, rounded to the sliders' step):

# %%
chain4 = explorer_typical_chain(EXPLORER_DEFAULT_DEPTH)
g4 = gradients(chain4)
print(f"seed {EXPLORER_SEED}, depth {chain4.depth}, a0 = {chain4.a0:.2f}")
print("w =", "  ".join(f"{w:+.2f}" for w in chain4.w))
print("b =", "  ".join(f"{b:+.2f}" for b in chain4.b))
print("z =", "  ".join(f"{z:+.4f}" for z in g4.z))
print()
print(product_equation(g4))

# %% [markdown]
# ## The factor $\sigma'$ and its ceiling of 1/4
#
# Every factor contains $\sigma'(z_k)$, so its size matters a great deal. Differentiating the
# sigmoid gives $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$: the product of two numbers in $(0, 1)$
# that add up to 1. Such a product is largest when the two are equal, i.e. when $\sigma(z) = 1/2$,
# which happens exactly at $z = 0$; there it is $\tfrac12 \cdot \tfrac12 = \tfrac14$. Away from 0
# it falls off quickly on both sides.

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two panels. Left: the S-shaped sigmoid rising from 0 to 1 over z from -6 to 6. Right: its derivative, a bell-shaped curve peaking at z = 0, with the peak value 0.25 marked by a dashed line and a dot."}}
display(sigmoid_figure())

# %% [markdown]
# *Figure 3.1. Left: the sigmoid $\sigma(z)$. Right: its derivative $\sigma'(z)$, a bell that
# peaks at $z = 0$; the dot and dashed line mark the largest value on the plotted grid, which is
# exactly 1/4.*
#
# We check the ceiling numerically on a fine grid and at the far tails (the library's
# $\sigma'$ is written so that it never cancels or overflows):

# %%
z_grid = np.linspace(-50, 50, 1_000_001)
sp_grid = sigmoid_prime(z_grid)
k_max = int(np.argmax(sp_grid))
print(f"largest sigma' on the grid: {sp_grid[k_max]:.10f} at z = {z_grid[k_max]:+.6f}")
print(f"sigma'(+-5)  = {sigmoid_prime(5.0):.6f}    sigma'(+-10) = {sigmoid_prime(10.0):.3e}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the ceiling is exactly 1/4 at z = 0, nowhere exceeded, and sigma' = sigma (1 - sigma)
assert sp_grid[k_max] == 0.25 and z_grid[k_max] == 0.0
assert np.all(sp_grid <= 0.25)
assert np.allclose(sp_grid, sigmoid(z_grid) * (1 - sigmoid(z_grid)), rtol=0, atol=1e-15)

# %% [markdown]
# ## Why a factor is usually smaller than 1/4
#
# A factor is $w_k\,\sigma'(z_k)$. Since $\sigma' \le 1/4$, we have
# $|w_k\,\sigma'(z_k)| \le |w_k|/4$, and so **whenever $|w_k| < 1$ the factor is below 1/4**.
# At the start of training the chapter draws every weight of the chain from the standard normal
# distribution $N(0, 1)$. (Notebook 02's networks draw their weights from $N(0, 1/n_{\text{in}})$,
# with $n_{\text{in}}$ the number of inputs of the neuron. The two agree here: in a chain every
# neuron has a single input, so $n_{\text{in}} = 1$.) So the question is how often $|w| < 1$ for
# a standard normal. The exact answer is
# $\operatorname{erf}(1/\sqrt2)$; we also integrate the density numerically and count in a seeded
# sample:

# %%
w_axis = np.linspace(-1.0, 1.0, 200_001)
density = np.exp(-0.5 * w_axis**2) / math.sqrt(2 * math.pi)
p_exact = math.erf(1 / math.sqrt(2))
p_integral = float(np.sum(0.5 * (density[1:] + density[:-1]) * np.diff(w_axis)))  # trapezoid rule
SAMPLE_SEED = 2024
w_sample = np.random.default_rng(SAMPLE_SEED).standard_normal(100_000)
p_sample = float(np.mean(np.abs(w_sample) < 1))
print(f"P(|w| < 1) for w ~ N(0, 1):  erf(1/sqrt 2) = {p_exact:.6f}")
print(f"                 trapezoid rule on [-1, 1] = {p_integral:.6f}")
print(f"   seeded sample (seed {SAMPLE_SEED}, 100000 draws) = {p_sample:.4f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the three answers agree, and "about two thirds" is right; glue the number the text below
# states
assert abs(p_integral - p_exact) < 1e-9 and abs(p_sample - p_exact) < 0.005
assert 0.6 < p_exact < 0.7
glue("p_abs_w_below_1", p_exact)

# %% tags=["hide-input"] mystnb={"image": {"alt": "The bell-shaped standard normal density over weights from -4 to 4, with the area between -1 and 1 shaded, on top of a histogram of 5000 seeded draws that follows the curve closely."}}
display(weight_draw_figure(w_sample[:5000]))

# %% [markdown]
# *Figure 3.2. The standard normal density of a weight, with the region $|w| < 1$ shaded (its
# probability in the legend), over a histogram of the first 5,000 seeded draws.*
#
# So about two thirds of the weights, <span data-glue="p_abs_w_below_1:.1%">68.3%</span>, guarantee a factor
# below 1/4 on their own. In fact factors are small even more often than that, because
# $\sigma'(z_k)$ reaches 1/4 only at exactly $z_k = 0$; a weight a little above 1 still usually
# gives a factor below 1/4. Counting over 2,000 seeded typical chains (seeds 0 to 1999, depth 4),
# we look at the three factors that enter $\partial C/\partial b_1$, and at how
# $|\partial C/\partial b_1|$ compares with $|\partial C/\partial b_3|$.
#
# **Before you read on, predict:** in a typical chain, how many times smaller is
# $|\partial C/\partial b_1|$ than $|\partial C/\partial b_3|$? Twice? Sixteen times, as two
# factors of 1/4 would make it? A hundred times? Note your guess, then compare it with the
# median in the last line:

# %%
N_CHAINS = 2000
factors = np.empty((N_CHAINS, 3))
log10_ratio_1_3 = np.empty(N_CHAINS)
for seed in range(N_CHAINS):
    g = gradients(typical_chain(depth=4, seed=seed))
    factors[seed] = np.abs(g.factors[1:])
    log10_ratio_1_3[seed] = g.log10_abs_dC_db[0] - g.log10_abs_dC_db[2]
share_small = float(np.mean(factors < 0.25))
share_16 = float(np.mean(log10_ratio_1_3 < -math.log10(16)))
median_ratio = 10 ** float(np.median(log10_ratio_1_3))
print(f"share of factors |w_k sigma'(z_k)| below 1/4:        {share_small:.3f}")
print(f"share of chains with |dC/db1| < |dC/db3| / 16:       {share_16:.3f}")
print(f"median of |dC/db1| / |dC/db3|:                       {median_ratio:.4f}"
      f"  (1 / {1 / median_ratio:.0f})")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: small factors are even more common than small weights, and the first layer is usually
# more than 16 times slower; glue the share the takeaways state
assert share_small > p_exact and share_16 > 0.5 and median_ratio < 1 / 16
glue("share_factors_below_quarter", share_small)

# %% [markdown]
# ## $\partial C/\partial b_1$ against $\partial C/\partial b_3$
#
# Put the two gradients side by side. They share their tail, $w_4\,\sigma'(z_4)\,\partial C/\partial
# a_4$; what $\partial C/\partial b_1$ has in addition are the two factors $w_2\,\sigma'(z_2)$ and
# $w_3\,\sigma'(z_3)$ (and it starts from $\sigma'(z_1)$ where $\partial C/\partial b_3$ starts from
# $\sigma'(z_3)$). Exactly:
#
# $$
# \frac{\partial C/\partial b_1}{\partial C/\partial b_3}
#   = w_2\,\sigma'(z_2) \cdot w_3\,\sigma'(z_3) \cdot \frac{\sigma'(z_1)}{\sigma'(z_3)} .
# $$
#
# If both extra factors are below 1/4 and the last fraction is near 1, the first layer's gradient
# is at least 16 times smaller. For our seeded chain:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two rows of labelled boxes. The top row spells dC/db1 as five factors with their values; the bottom row spells dC/db3 as three factors aligned under the last three of the top row. The two extra factors of the top row are shaded orange and tagged '< 1/4'. Each row ends with its value."}}
display(db1_vs_db3_figure(chain4))

# %% [markdown]
# *Figure 3.3. The two gradients of the seeded depth-4 chain written as products. Shared factors
# sit in the same columns; the two extra factors of $\partial C/\partial b_1$ are shaded and
# tagged "< 1/4" (a tag appears only when the factor really is below 1/4 in magnitude).*

# %%
extra = np.abs(g4.factors[1:3])
lead_fraction = g4.sigma_prime[0] / g4.sigma_prime[2]
ratio_1_3 = g4.dC_db[0] / g4.dC_db[2]
print(f"|w2 sigma'(z2)| = {extra[0]:.4f}   |w3 sigma'(z3)| = {extra[1]:.4f}")
print(f"sigma'(z1) / sigma'(z3) = {lead_fraction:.4f}")
print(f"dC/db1 / dC/db3 = {ratio_1_3:.5f}  = 1 / {1 / ratio_1_3:.1f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: both extra factors are below 1/4, and the ratio is exactly their product times the
# leading fraction
assert np.all(extra < 0.25)
assert math.isclose(ratio_1_3, g4.factors[1] * g4.factors[2] * lead_fraction, rel_tol=1e-12)
assert abs(ratio_1_3) < 1 / 16

# %% [markdown]
# ## Four computations, one answer
#
# Before we build on the formula, we should trust it. For the seeded depth-4 chain (cost
# $C = a_4$, so $\partial C/\partial a_4 = 1$) we compute every $\partial C/\partial b_j$ four
# independent ways:
#
# 1. **product formula**: the product above, evaluated afresh for each layer (`chapter5.chain`);
# 2. **backpropagation**: the backward recursion
#    $\delta_j = \sigma'(z_j)\, w_{j+1}\, \delta_{j+1}$ (`chapter5.chain`);
# 3. **central finite differences**: nudge $b_j$ by $\pm h$ with $h = 10^{-6}$, run the chain
#    forward, and take $(C_+ - C_-)/(2h)$ (computed right here, no derivative in sight);
# 4. **automatic differentiation** with the `autograd` library, applied to a forward pass written
#    here from scratch.

# %%
def output(b, w, a0):
    """a_L of the chain, written with autograd's numpy so it can be differentiated."""
    a = a0
    for w_j, b_j in zip(w, b, strict=True):
        a = 1.0 / (1.0 + anp.exp(-(w_j * a + b_j)))
    return a


def finite_difference_dC_db(chain, h=1e-6):
    out = np.empty(chain.depth)
    for j in range(chain.depth):
        step = np.zeros(chain.depth)
        step[j] = h
        c_plus = forward(Chain(chain.w, chain.b + step, chain.a0))[1][-1]
        c_minus = forward(Chain(chain.w, chain.b - step, chain.a0))[1][-1]
        out[j] = (c_plus - c_minus) / (2 * h)
    return out


by_product = gradients(chain4, 1.0, method="product").dC_db
by_backprop = gradients(chain4, 1.0, method="backprop").dC_db
by_differences = finite_difference_dC_db(chain4)
by_autograd = autograd.grad(output)(np.array(chain4.b), np.array(chain4.w), chain4.a0)

print(f"{'j':>2}  {'product formula':>17}  {'backpropagation':>17}  {'finite differences':>18}"
      f"  {'autograd':>17}")
for j in range(chain4.depth):
    print(f"{j + 1:>2}  {by_product[j]:>+17.10e}  {by_backprop[j]:>+17.10e}"
          f"  {by_differences[j]:>+18.5e}  {by_autograd[j]:>+17.10e}")

print("\nbackpropagation and autograd agree with the product formula to 1e-13 (relative):",
      np.allclose(by_backprop, by_product, rtol=1e-13, atol=0)
      and np.allclose(by_autograd, by_product, rtol=1e-13, atol=0))
print("finite differences, limited by rounding in C(b + h) - C(b - h), agree to 1e-5:",
      np.allclose(by_differences, by_product, rtol=1e-5, atol=0))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the four computations agree to the stated tolerances
assert np.allclose(by_backprop, by_product, rtol=1e-13, atol=0)
assert np.allclose(by_autograd, by_product, rtol=1e-13, atol=0)
assert np.allclose(by_differences, by_product, rtol=1e-5, atol=0)

# %% [markdown]
# ## The explorer
#
# Now the chain is yours. The picture below is the explorer's view of the seeded chain, so the
# point is made even without a running kernel:

# %% tags=["hide-input"] mystnb={"image": {"alt": "The chain explorer's picture for the seeded depth-4 chain. At the top, eq. (122) on two lines: the symbols, then the seeded chain's numbers and dC/db1; below it the ratio dC/db1 / dC/db4 and how many times slower layer 1 learns. Then the chain: a grey input square and four circles numbered 1 to 4, each ringed in its layer's colour, joined by edges whose width grows with the weight (dashed for a negative weight). Bottom left: the sigma-prime bell with each z_j as a dot in its layer's colour, all near the peak. Bottom middle: each factor |w_j sigma'(z_j)| as a dot on a log axis, all in the shaded region below 1 and below the dashed 1/4 line. Bottom right: |dC/db_j| as coloured dots on a log axis, rising steadily from layer 1 to layer 4."}}
display(static_chain_figure(chain4))

# %% [markdown]
# *Figure 3.4. The explorer's picture at its opening setting; each layer $j$ has one colour in every
# panel. Top: eq. (122) with the seeded chain's numbers, and how many times slower layer 1 learns
# than layer 4. Middle: the chain, each edge wider for a larger $|w_j|$ (dashed where $w_j < 0$).
# Bottom left: $\sigma'(z)$ with every $z_j$ marked. Bottom middle: each factor
# $|w_j\,\sigma'(z_j)|$ on a log axis; below the line at 1 (shaded) a factor shrinks the gradient
# passing through it (the first, hollow, enters no bias gradient of this chain). Bottom right:
# $|\partial C/\partial b_j|$ per layer on a log axis: a straight climb means a steady factor per
# layer.*
#
# In JupyterLab, run the next cell for the live version: a slider for every $w_j$ (from −100 to
# 100) and $b_j$ (from −150 to 150), for the input $a_0$ and for the depth (1 to 10), and three
# presets, each of which sets every slider at once (the depth stays as it is):
#
# * **typical** — the seeded $N(0,1)$ draw above;
# * **exploding** — every $w_j = 100$ and biases chosen so that every $z_j = 0$;
# * **balanced** — every $w_j = 4$ and every $z_j = 0$, so every factor is exactly 1.
#
# Above the picture, the product formula is written out with the live numbers, together with how
# many powers of ten separate the first layer's gradient from the last one's. The picture is
# redrawn in place as you drag, and the table next to the sliders shows each $z_j$, each factor
# and each $\partial C/\partial b_j$ exactly. Values too small or too large for
# an axis are drawn at its edge with a triangle, and the picture says so; the readout never
# rounds anything to 0 or infinity, because the gradients are carried as logarithms.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
# widget view: model ids are random (and the kernel-free book shows the web explorer instead)
explorer = ChainExplorer()
display(explorer)

# %% [markdown]
# <div class="c5-web-explorer" data-explorer="chain">
# <p><em>On the website, a kernel-free version of this explorer appears here. In JupyterLab,
# use the live explorer above.</em></p>
# </div>
# <script type="module" src="../_explorers/chain_explorer.js"></script>

# %% [markdown]
# Here are the three presets at depth 4, computed by the same code the explorer uses:

# %%
presets = {}
for name in ("typical", "exploding", "balanced"):
    r = presets[name] = readout_strings(gradients(preset_chain(name, depth=4)))
    print(f"{name:>9}:  factors " + ", ".join(r[f"factor_{j}"] for j in range(1, 5)))
    print(f"{'':>9}   dC/db1 = {r['dC_db_1']},  dC/db4 = {r['dC_db_4']},"
          f"  dC/db1 / dC/db4 = {r['ratio_1_L']}")

# the exploding chain with one bias moved by a few units: z_2 leaves 0 and the explosion is gone
nudged = preset_chain("exploding", depth=4)
for shift in (1.0, 3.0, 5.0):
    b = nudged.b.copy()
    b[1] += shift
    r = readout_strings(gradients(Chain(nudged.w, b, nudged.a0)))
    print(f"exploding with b2 moved by {shift:+.0f}: factors "
          + ", ".join(r[f"factor_{j}"] for j in range(1, 5)) + f";  dC/db1 = {r['dC_db_1']}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the presets read as the text says, and moving b2 by 5 ends the explosion
assert presets["exploding"]["ratio_1_L"] == "15625" == f"{25**3}"
assert all(presets["balanced"][f"factor_{j}"] == "1" for j in range(1, 5))
assert gradients(Chain(nudged.w, b, nudged.a0)).log10_abs_dC_db[0] < -6

# %% [markdown]
# Things to try:
#
# * Start from **typical** and raise the depth to 10. Each new neuron multiplies the first layer's
#   gradient by one more factor, and the right-hand panel becomes a long straight slope.
# * Press **exploding**: every factor is 25 and $\partial C/\partial b_1$ is $25^3 = 15625$ times
#   $\partial C/\partial b_4$ (the chapter's constructed example; the next notebook studies it).
#   Then move a single bias by a few units (the last lines above do this for $b_2$): $z_2$ leaves
#   0, the later $z_j$ are thrown far from 0 too, their $\sigma'$ collapses, and the explosion
#   turns into vanishing.
# * Press **balanced**, then move one weight from 4 to 5. Watch how the factors of the *later*
#   layers change too: they feel the change through $a_j$.
# * Drive one weight to exactly 0: every gradient upstream of it becomes exactly 0.
#
# How fast does the explorer redraw on this machine? (The picture is one matplotlib figure, made
# once; a slider move redraws only the parts that change and sends a new PNG.)

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
# timings depend on the machine and its load
times_ms = 1e3 * explorer.time_update(n=30)
print(f"slider move to new picture, in Python: median {np.median(times_ms):.1f} ms, "
      f"95th percentile {np.percentile(times_ms, 95):.1f} ms over 30 moves")

# %% [markdown]
# ## Key takeaways
#
# * In a chain of single neurons, $\partial C/\partial b_j$ is $\sigma'(z_j)$ times one factor
#   $w_k\,\sigma'(z_k)$ for every later neuron $k$, times $\partial C/\partial a_L$.
# * $\sigma'$ never exceeds 1/4, and with $N(0,1)$ weights most factors are below 1/4
#   (<span data-glue="share_factors_below_quarter:.0%">81%</span> of those in our 2,000 seeded
#   chains), so each extra layer typically shrinks the early gradient by more than a factor of 4.
# * Large weights can make factors exceed 1, but only where $z_k$ stays near 0; then the
#   gradient explodes instead. Either way the early layer's gradient is a product over all later
#   layers, and nothing keeps that product near 1. That is the unstable gradient problem the next
#   notebook takes up.

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (from the chapter).** The trouble seems to come from $\sigma' \le 1/4$. Would an
# activation function whose derivative can be much larger than 1/4 avoid the unstable gradient
# problem? Think about it now, but check your answer with
# [notebook 04, Exercise 4.1](04-exploding-gradients.ipynb), after the exploding chain: there a
# change of variables answers it in two lines.

# %% [markdown]
# **Exercise 2.** With the seeded typical chain of the explorer, at what depth does
# $|\partial C/\partial b_1|$ first drop below $10^{-6}$ (in units of $\partial C/\partial a_L$)?
# Before computing, estimate it from a "typical factor": if every factor had the median size
# $m$ of factors in typical chains, how deep would the chain have to be?
#
# <details><summary>Show the worked solution</summary>
#
# Each extra neuron multiplies $\partial C/\partial b_1$ by one more factor, so
# $|\partial C/\partial b_1| \approx \sigma'(z_1)\, m^{L-1}$ and we need
# $L - 1 > \log(10^{-6}/\sigma'(z_1)) / \log m$. Since $\sigma'(z_1) \le 1/4$, taking it as 1/4
# gives the estimate. The cell below computes $m$ from the 2,000 seeded chains above, the
# estimate, and the true answer for the explorer's chain, depth by depth (the explorer's chain
# keeps its first neurons when you add more, so you can watch this happen with the depth slider).
#
# The estimate says depth <span data-glue="ex2_estimate_depth:d">7</span>; the explorer's chain
# gets there at depth <span data-glue="ex2_first_depth:d">6</span>. The estimate is about a
# *typical* chain, and one chain is a single random draw. This one has two unusually small
# factors: its sixth and ninth neurons have weights of only
# <span data-glue="ex2_w6:.2f">0.03</span> and <span data-glue="ex2_w9:.2f">0.04</span>, so they
# pass on less than a hundredth of the gradient (factors
# <span data-glue="ex2_factor6:.4f">0.0069</span> and <span data-glue="ex2_factor9:.4f">0.0098</span>).
# A single small factor moves the answer by a whole layer or more. Over the 2,000 seeded chains of
# depth up to 30, the first depth below $10^{-6}$ has median
# <span data-glue="ex2_median_depth:.0f">7</span>, as estimated, but ranges from
# <span data-glue="ex2_depth_p5:.0f">5</span> to <span data-glue="ex2_depth_p95:.0f">9</span>
# (5th to 95th percentile), and <span data-glue="ex2_share_by_6:.0%">39%</span> of the chains
# are there by depth 6. The logarithm of the gradient is a sum of random terms, and a median
# describes that sum well only on average.
#
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
m = float(np.median(factors))
estimate = 1 + math.log(1e-6 / 0.25) / math.log(m)
print(f"median factor m = {m:.4f};  estimated depth: L > {estimate:.1f}")
for depth in range(1, EXPLORER_MAX_DEPTH + 1):
    g = gradients(explorer_typical_chain(depth))
    print(f"depth {depth:>2}: |dC/db1| = {format_signed_log10(1, g.log10_abs_dC_db[0])}")
first_depth = next(d for d in range(1, EXPLORER_MAX_DEPTH + 1)
                   if gradients(explorer_typical_chain(d)).log10_abs_dC_db[0] < -6)
print(f"first depth with |dC/db1| < 1e-6: {first_depth}")
print("the explorer chain's factors |w_k sigma'(z_k)|, k = 2..10:",
      ", ".join(f"{f:.4f}" for f in np.abs(g.factors[1:])))

# the same question for the 2,000 seeded chains (depth up to 30, prefixes share their z_j)
first_depths = np.empty(N_CHAINS)
for seed in range(N_CHAINS):
    g_long = gradients(typical_chain(depth=30, seed=seed))
    log10_db1 = (float(log10_sigmoid_prime(g_long.z[0]))
                 + np.concatenate([[0.0], np.cumsum(g_long.log10_abs_factors[1:])]))
    first_depths[seed] = np.flatnonzero(log10_db1 < -6)[0] + 1
p5, p50, p95 = np.percentile(first_depths, [5, 50, 95])
share_by_6 = float(np.mean(first_depths <= 6))
print(f"2,000 seeded chains: first depth below 1e-6 has median {p50:.0f}, 5th-95th percentile "
      f"{p5:.0f} to {p95:.0f}; share there by depth 6: {share_by_6:.3f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the estimate is the median over chains, the explorer's chain is earlier because of its
# two small factors; every long chain got below 1e-6 (so no depth is missing); glue the solution's
# numbers
assert first_depth == 6 and math.ceil(estimate) == 7 == p50
assert np.all(first_depths <= 30)
chain10 = explorer_typical_chain(EXPLORER_MAX_DEPTH)
small = np.abs(gradients(chain10).factors)
assert set(np.flatnonzero(small < 0.01) + 1) == {6, 9}
glue("ex2_estimate_depth", math.ceil(estimate))
glue("ex2_first_depth", first_depth)
glue("ex2_w6", abs(float(chain10.w[5])))
glue("ex2_w9", abs(float(chain10.w[8])))
glue("ex2_factor6", float(small[5]))
glue("ex2_factor9", float(small[8]))
glue("ex2_median_depth", p50)
glue("ex2_depth_p5", p5)
glue("ex2_depth_p95", p95)
glue("ex2_share_by_6", share_by_6)

# %% [markdown]
# **Exercise 3.** The exploding preset makes every $z_j = 0$ with $a_0 = 1$. Which biases do the
# same for $a_0 = 0.3$ (keeping every $w_j = 100$)? Set them in the explorer and check that every
# factor reads 25.
#
# <details><summary>Show the worked solution</summary>
#
# We need $z_1 = 100 \cdot 0.3 + b_1 = 0$, so $b_1 = -30$. Then $a_1 = \sigma(0) = 1/2$, and every
# later neuron needs $100 \cdot \tfrac12 + b_j = 0$, so $b_j = -50$ for $j \ge 2$, exactly as
# before: only the first bias depends on the input. The cell below builds that chain and checks
# its factors.
#
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
chain_03 = exploding_chain(depth=4, a0=0.3, w=100.0)
r = readout_strings(gradients(chain_03))
print("biases:", ", ".join(f"{b:.2f}" for b in chain_03.b))
print("factors:", ", ".join(r[f"factor_{j}"] for j in range(1, 5)), "  dC/db1 =", r["dC_db_1"])

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: only the first bias changes, and every factor reads 25
assert chain_03.b[0] == -30.0 and np.all(chain_03.b[1:] == -50.0)
assert all(r[f"factor_{j}"] == "25" for j in range(1, 5))

# %% [markdown]
# **Exercise 4.** The balanced chain has every factor exactly 1. Suppose every weight is off by
# the same relative error $\varepsilon$, i.e. $w_j = 4(1 + \varepsilon)$, with the biases still
# chosen so that every $z_j = 0$. How accurate must the weights be to keep layer 1 and the last
# layer within a factor of 2 of each other in learning speed, at depth 10? At depth 100?
#
# <details><summary>Show the worked solution</summary>
#
# With every $z_j = 0$ each factor is $4(1+\varepsilon)\cdot\tfrac14 = 1 + \varepsilon$, so
# $\partial C/\partial b_1 / \partial C/\partial b_L = (1+\varepsilon)^{L-1}$. Keeping it within
# a factor 2 needs $|\log(1+\varepsilon)| \le \log 2/(L-1)$: the allowed error shrinks like
# $1/L$. The cell below computes the bound and checks it on the library's chains. Balance is a
# knife edge, and in a real network nothing holds the weights on it.
#
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
for depth in (10, 100):
    eps = 2 ** (1 / (depth - 1)) - 1
    g = gradients(exploding_chain(depth=depth, w=4 * (1 + eps)))
    print(f"depth {depth:>3}: |epsilon| <= {eps:.4f} ({100 * eps:.2f} %);"
          f"  check: dC/db1 / dC/db{depth} = {10 ** g.log10_ratio_first_last:.6f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: at the bound the ratio is exactly 2
for depth in (10, 100):
    eps = 2 ** (1 / (depth - 1)) - 1
    g = gradients(exploding_chain(depth=depth, w=4 * (1 + eps)))
    assert math.isclose(10 ** g.log10_ratio_first_last, 2.0, rel_tol=1e-9)
