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
# # 4. Exploding gradients and the unstable gradient problem
#
# In the chain of single neurons (notebook 03) the gradient of the first bias is a product,
# eq. (122) of Nielsen's chapter 5:
#
# $$
# \frac{\partial C}{\partial b_1} = \sigma'(z_1)\; w_2\sigma'(z_2)\; w_3\sigma'(z_3)\cdots w_L\sigma'(z_L)\;\frac{\partial C}{\partial a_L}.
# $$
#
# With weights of ordinary size every factor $w_j\sigma'(z_j)$ is small, and the gradient
# *vanishes* as it travels back. This notebook turns the knobs the other way. First we build a
# chain whose factors are all large and watch the gradient *explode*. Then we ask what a
# computer's floating-point numbers make of such products, and finally we arrive at the real
# lesson of the chapter: vanishing and exploding are two faces of one **unstable gradient
# problem**. A product of many factors stays near 1 only if the factors balance, and nothing in
# a sigmoid network makes them balance.

# %%
# %matplotlib inline
import numpy as np

from chapter5.activations import log10_sigmoid_prime, sigmoid_prime
from chapter5.chain import (
    Chain,
    balanced_chain,
    exploding_chain,
    gradients,
    product_equation,
    typical_chain,
)
from chapter5.prose import glue
from chapter5.readout import format_signed_log10
from chapter5.viz.unstable import balance_figure, layer_profile_figure, magnitude_vs_depth_figure

LOG10_25 = float(np.log10(25.0))

# %% [markdown]
# ## 4.1 Building a chain that explodes
#
# The factor $w_j\sigma'(z_j)$ has two parts. We can make $w_j$ as large as we like, but large
# weights usually push $z_j$ far from zero, where $\sigma'$ is tiny. The trick is to choose each
# bias so that the weighted input lands exactly on the peak of $\sigma'$, $z_j = 0$, where
# $\sigma'(0) = 1/4$:
#
# * take every weight $w_j = 100$;
# * neuron 1 sees the input $a_0$, so $b_1 = -100\,a_0$ gives $z_1 = 100a_0 - 100a_0 = 0$;
# * then $a_1 = \sigma(0) = 1/2$, so every later neuron sees $1/2$, and $b_j = -50$ gives
#   $z_j = 100\cdot\tfrac12 - 50 = 0$ for $j = 2, 3, 4$.
#
# Every factor is then $w_j\sigma'(z_j) = 100 \cdot \tfrac14 = 25$
# (Nielsen, ch. 5, the exploding-gradient example). `chapter5.chain.exploding_chain` builds
# exactly this chain; let us look inside it.

# %%
chain4 = exploding_chain(depth=4, a0=1.0, w=100.0)
g4 = gradients(chain4)  # dC/da_4 = 1: results come out "in units of dC/da_4"
print("j     w_j      b_j      z_j     a_j   sigma'(z_j)  w_j sigma'(z_j)")
for j in range(1, chain4.depth + 1):
    print(f"{j}  {chain4.w[j-1]:7.1f}  {chain4.b[j-1]:7.1f}  {g4.z[j-1]:7.3f}  {g4.a[j]:6.3f}"
          f"  {g4.sigma_prime[j-1]:10.4f}  {g4.factors[j-1]:14.4f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the biases of the construction, every z_j = 0 and every factor 25
assert np.array_equal(chain4.b, [-100.0, -50.0, -50.0, -50.0])
assert np.all(g4.z == 0.0) and np.all(g4.factors == 25.0)

# %% [markdown]
# Now the gradients of the four biases. Each step back through the chain multiplies by another
# factor of 25:

# %%
print(product_equation(g4))
for j in range(1, 5):
    print(f"dC/db_{j} = {g4.dC_db[j-1]:10.4f} x dC/da_4")
ratio_4 = g4.dC_db[0] / g4.dC_db[3]
print(f"dC/db_1 / dC/db_4 = {ratio_4:.1f} = 25^{np.log(ratio_4) / np.log(25.0):.4f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the chapter's numbers, dC/db_1 = (1/4) 25^3 dC/da_4 = 3906.25 dC/da_4, i.e.
# 15625 x dC/db_4; glue the ratio the text below states
glue("ratio_first_last_4", ratio_4)
assert g4.dC_db[0] == 0.25 * 25.0**3 == 3906.25
assert g4.dC_db[3] == 0.25
assert ratio_4 == 25.0**3 == 15625.0
# backprop's recursion gives the same numbers as the explicit product (eq. 122)
assert np.allclose(gradients(chain4, method="backprop").dC_db, g4.dC_db, rtol=1e-15, atol=0)

# %% [markdown]
# So the first neuron's bias feels the cost fifteen thousand times more strongly than the last
# one's. In gradient descent that means the first layer takes steps
# <span data-glue="ratio_first_last_4:,.0f">15,625</span> times larger: the
# opposite of the vanishing gradient, and no better. A huge step throws $z_1$ far from zero,
# where the neuron saturates, and training lurches instead of learning.
#
# ## 4.2 Deeper chains
#
# Nothing in the construction depends on the depth: with $L$ neurons,
# $\partial C/\partial b_1 = 25^{L-1}\,\partial C/\partial b_L$. At depth 1000 that is a number
# with <span data-glue="ratio_digits_1000:d">1397</span> digits, far beyond what a float can
# hold, so `chapter5.chain` also carries every gradient as a sign and a base-10 logarithm. The
# readout strings below are built from those logarithms.

# %%
print("   L   dC/db_1 (units of dC/da_L)   dC/db_1 / dC/db_L    log10 ratio")
for L in (4, 10, 30, 100, 300, 1000):
    g = gradients(exploding_chain(depth=L), method="backprop")
    first = format_signed_log10(g.sign_dC_db[0], g.log10_abs_dC_db[0])
    ratio = format_signed_log10(1.0, g.log10_ratio_first_last)
    print(f"{L:4d}   {first:>26}   {ratio:>17}   {g.log10_ratio_first_last:12.4f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: every row grows by exactly log10 25 per layer; glue the number of digits of the ratio at
# depth 1000 (the last row), which the text above states
for L in (4, 10, 30, 100, 300, 1000):
    g = gradients(exploding_chain(depth=L), method="backprop")
    assert abs(g.log10_ratio_first_last - (L - 1) * LOG10_25) < 1e-9 * L
glue("ratio_digits_1000", int(np.floor(g.log10_ratio_first_last)) + 1)

# %% [markdown]
# The last column grows by exactly $\log_{10} 25 \approx 1.398$ per layer: an exponential in
# depth.
#
# ## 4.3 What floating point makes of it
#
# A float has a largest finite value and a smallest nonzero one. Multiply too many large factors
# and the product becomes `inf` (overflow); multiply too many small ones and it becomes exactly
# `0` (underflow). Just before reaching 0 it passes through the *subnormal* range, where a
# float keeps fewer and fewer significant digits. Here are the limits of the two dtypes that
# training code uses most:

# %%
limits = {}
for dtype in (np.float64, np.float32):
    info = np.finfo(dtype)
    limits[dtype.__name__] = {
        "max": float(info.max),
        "tiny": float(info.smallest_normal),
        "subnormal": float(info.smallest_subnormal),
    }
    print(f"{dtype.__name__}: largest {info.max:.4e}, smallest normal {info.smallest_normal:.4e}, "
          f"smallest subnormal {info.smallest_subnormal:.4e}")

# %% [markdown]
# To see the limits bite, we compute $\partial C/\partial b_1$ of eq. (122) the naive way: multiply
# the factors one after another *in the dtype itself*, as a framework working in that precision
# would. We do it for two chains:
#
# * the exploding chain, where every factor is 25;
# * a "typical" chain whose weights and biases are drawn from $N(0, 1)$ (seed 1, as in the
#   explorer of notebook 03), where the factors are small.
#
# `np.errstate` silences the overflow/underflow warnings: here overflow and underflow are the
# very things we want to observe, so we detect them ourselves.

# %%
DEPTH = 1000
explode = exploding_chain(depth=DEPTH)
typical = typical_chain(depth=DEPTH, seed=1)
g_explode = gradients(explode, method="backprop")
g_typical = gradients(typical, method="backprop")
geo_mean = 10.0 ** np.mean(g_typical.log10_abs_factors[1:])
print(f"typical chain: geometric mean of |w_j sigma'(z_j)| over j = 2..{DEPTH}: {geo_mean:.4f}")


def naive_first_gradient(g, dtype):
    """dC/db_1 of the prefix chains of depth 1..L, by running products in ``dtype``.

    Entry L-1 is sigma'(z_1) * factor_2 * ... * factor_L, multiplied left to right in ``dtype``.
    """
    terms = np.concatenate([[g.sigma_prime[0]], g.factors[1:]]).astype(dtype)
    with np.errstate(over="ignore", under="ignore"):
        return np.cumprod(terms, dtype=dtype)


def log_space_first_gradient(g):
    """log10 |dC/db_1| of the prefix chains of depth 1..L, from chapter5.chain's logarithms."""
    log10_sp1 = float(log10_sigmoid_prime(g.z[0]))
    return log10_sp1 + np.concatenate([[0.0], np.cumsum(g.log10_abs_factors[1:])])


depths = np.arange(1, DEPTH + 1)
log_explode = log_space_first_gradient(g_explode)
log_typical = log_space_first_gradient(g_typical)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the cumulative sums agree with chapter5.chain run afresh on shorter chains; glue the
# typical chain's average fall per layer, which the caption of Figure 4.1 states
for L in (1, 4, 29, 221, 1000):
    assert abs(log_explode[L - 1] - gradients(explode.first(L)).log10_abs_dC_db[0]) < 1e-9
    assert abs(log_typical[L - 1] - gradients(typical.first(L)).log10_abs_dC_db[0]) < 1e-9
glue("typical_fall_per_layer", 1 / geo_mean)

# %% [markdown]
# Now find, for each dtype, the first depth at which the naive product is no longer an ordinary
# float: `inf` for the exploding chain; subnormal and then exactly 0 for the typical chain. Beside
# each we put the depth at which the exact log-space value crosses the dtype's limit: the two must
# agree.


# %%
def first_depth(mask):
    """1-based depth of the first True in ``mask`` (None if never)."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) + 1 if hits.size else None


breaks = {}
for dtype in (np.float32, np.float64):
    name = dtype.__name__
    lim = limits[name]
    naive_explode = naive_first_gradient(g_explode, dtype)
    naive_typical = naive_first_gradient(g_typical, dtype)
    overflow = first_depth(np.isinf(naive_explode))
    subnormal = first_depth(np.abs(naive_typical) < lim["tiny"])
    zero = first_depth(naive_typical == 0)
    # where the exact values leave the dtype's range (rounding may move it by one layer at most)
    predicted_overflow = first_depth(log_explode > np.log10(lim["max"]))
    predicted_subnormal = first_depth(log_typical < np.log10(lim["tiny"]))
    predicted_zero = first_depth(log_typical < np.log10(lim["subnormal"]) - np.log10(2.0))
    print(f"{name}: exploding chain overflows to inf at depth {overflow} "
          f"(exact value passes {lim['max']:.3e} at depth {predicted_overflow});")
    print(f"{' ' * len(name)}  typical chain turns subnormal at depth {subnormal} "
          f"and becomes exactly 0 at depth {zero} (exact value passes "
          f"half of {lim['subnormal']:.3e} at depth {predicted_zero})")
    breaks[name] = {"overflow": overflow, "zero": zero, "subnormal": subnormal,
                    "predicted": (predicted_overflow, predicted_subnormal, predicted_zero),
                    "naive_explode": naive_explode}

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the naive products break where the exact values leave the range (subnormals carry few
# digits, so rounding may shift the last step to 0 by a layer or two); before breaking, the naive
# product is the right number (float32 to its ~7 digits); glue the depths the text below states
for name, depth_at in breaks.items():
    predicted_overflow, predicted_subnormal, predicted_zero = depth_at["predicted"]
    assert depth_at["overflow"] == predicted_overflow
    assert abs(depth_at["subnormal"] - predicted_subnormal) <= 1
    assert abs(depth_at["zero"] - predicted_zero) <= 2
    ok = slice(0, depth_at["overflow"] - 1)
    rtol = 1e-5 if name == "float32" else 1e-12
    naive = depth_at["naive_explode"][ok].astype(float)
    assert np.allclose(np.log10(naive), log_explode[ok], rtol=rtol)
    glue(f"{name}_overflow_depth", depth_at["overflow"])
    glue(f"{name}_zero_depth", depth_at["zero"])

# %% [markdown]
# Read the numbers this way: in single precision a chain of factor-25 neurons is already
# unrepresentable at depth <span data-glue="float32_overflow_depth:d">29</span>, and a typical
# chain's first-layer gradient has silently become 0 by depth
# <span data-glue="float32_zero_depth:d">40</span>. Double precision buys a few hundred layers,
# not more (`inf` at depth <span data-glue="float64_overflow_depth:d">222</span>, 0 at depth
# <span data-glue="float64_zero_depth:d">313</span>). The logarithms never break: at depth 1000
# chapter5's readout still prints both gradients, while its plain float64 field has given up:

# %%
for label, g in (("exploding", g_explode), ("typical", g_typical)):
    text = format_signed_log10(g.sign_dC_db[0], g.log10_abs_dC_db[0])
    print(f"{label:>9} chain, depth {DEPTH}: float64 field dC_db[0] = {float(g.dC_db[0])!s:>4}, "
          f"log-space readout = {text}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the plain float64 fields really have overflowed and underflowed
assert np.isinf(g_explode.dC_db[0]) and g_typical.dC_db[0] == 0.0

# %% mystnb={"image": {"alt": "Line plot of the first-layer gradient |dC/db1| against chain depth L from 1 to 1000, on a log axis spanning more than two thousand decades: the exploding chain climbs as a straight line to above 10^1200, the typical chain falls, slightly jagged, to below 10^-1000. A light blue band marks the range of float64, from 10^-324 to 10^308, about a quarter of the axis; inside it a narrow orange band marks the range of float32, from 10^-45 to 10^38. Their limits are labelled in the right margin. Crosses mark where the naive products become inf or 0: float32 within the first few dozen layers, float64 after a few hundred."}}
# The picture: exact magnitudes (log space) against the ranges of the two dtypes.
lim64, lim32 = limits["float64"], limits["float32"]
magnitude_vs_depth_figure(
    depths,
    {
        "exploding chain (w = 100, every z = 0): factor 25": log_explode,
        "typical chain (N(0, 1) weights and biases, seed 1)": log_typical,
    },
    {
        f"float64 largest {lim64['max']:.1e}": np.log10(lim64["max"]),
        f"float32 largest {lim32['max']:.1e}": np.log10(lim32["max"]),
        f"float32 smallest {lim32['subnormal']:.1e}": np.log10(lim32["subnormal"]),
        f"float64 smallest {lim64['subnormal']:.1e}": np.log10(lim64["subnormal"]),
    },
    {
        f"float32 → inf (L = {breaks['float32']['overflow']})":
            (breaks["float32"]["overflow"], log_explode[breaks["float32"]["overflow"] - 1]),
        f"float64 → inf (L = {breaks['float64']['overflow']})":
            (breaks["float64"]["overflow"], log_explode[breaks["float64"]["overflow"] - 1]),
        f"float32 → 0 (L = {breaks['float32']['zero']})":
            (breaks["float32"]["zero"], log_typical[breaks["float32"]["zero"] - 1]),
        f"float64 → 0 (L = {breaks['float64']['zero']})":
            (breaks["float64"]["zero"], log_typical[breaks["float64"]["zero"] - 1]),
    },
)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: glue how many decades each format's range covers, and float64's share of the plotted
# span, which the caption states
decades = {name: np.log10(lim["max"]) - np.log10(lim["subnormal"]) for name, lim in limits.items()}
glue("float64_decades", decades["float64"])
glue("float32_decades", decades["float32"])
glue("float64_share_of_axis", decades["float64"] / (log_explode.max() - log_typical.min()))

# %% [markdown]
# *Figure 4.1 — The first-layer gradient $|\partial C/\partial b_1|$ against the depth of the
# chain, on a logarithmic vertical axis running from about $10^{-1100}$ to $10^{+1400}$. The
# exploding chain (vermillion) climbs in a straight line, a factor 25 per layer; the typical chain
# (green) falls, jagged, by a factor of about
# <span data-glue="typical_fall_per_layer:.1f">10.5</span> per layer on average. The shaded
# bands are the ranges of the two formats, from the smallest positive number to the largest
# (dashed lines, labelled on the right). float64 (blue) covers about
# <span data-glue="float64_decades:.0f">632</span> decades, about
# <span data-glue="float64_share_of_axis:.0%">26%</span> of the span the two curves reach by
# depth 1000; float32 (orange) only <span data-glue="float32_decades:.0f">83</span>, a thin band
# around $10^0$. Crosses mark the depths at which the naive products in each format turned into
# inf or 0. The curves themselves are computed from logarithms and run on to depth 1000.*
#
# ## 4.4 The unstable gradient problem
#
# Step back from the two examples. Eq. (122) says that the gradient reaching layer 1 is a product
# of one term from *every* later layer. Whatever those terms are, a product of $L-1$ of them is
# exponential in $L$ unless the terms balance: their product has to stay near 1, and not just
# on average but along the whole chain. If the product drifts by a factor $q$ per layer, layer 1
# learns $q^{L-1}$ times faster or slower than layer $L$. That is the **unstable gradient
# problem** (Nielsen, ch. 5): in a deep net the layers learn at wildly different speeds, and
# vanishing is just its most common form.
#
# There *is* a perfectly balanced sigmoid chain: every $w_j = 4$ and every $z_j = 0$, so every
# factor is $4\cdot\tfrac14 = 1$ (`balanced_chain`). Below, the speed of every layer in four chains
# of depth 20: balanced, exploding, typical, and the balanced chain with its weights raised by
# just 1 % (biases left as they were).
#
# **Before you read on, predict:** in that last chain, does layer 1 learn faster or slower than
# layer 20? Each weight is a little *larger* than in the balanced chain, which might suggest a
# mild explosion.

# %% mystnb={"image": {"alt": "Two panels against layer j from 1 to 20 for four chains of depth 20. Top: learning speed |dC/db_j| on a log axis. The balanced chain (black) is a flat line at 1/4, and the chain with 1 % larger weights (pink) lies on top of it at this scale; the exploding chain (vermillion) is highest at layer 1, more than 10^20 times above the flat line, and falls in a straight line to meet it at layer 20, while the typical chain (green) is lowest at layer 1, more than 10^20 times below, and climbs unevenly to layer 20. Bottom: the speeds of the 1 % chain divided by the balanced chain's, on a linear axis from about 0.8 to 1: a shallow U, 0.85 at layer 1, lowest at about 0.81 near layer 9 and rising to 0.96 at layer 20, below the flat line at 1 everywhere."}}
PROFILE_DEPTH = 20
bal20 = balanced_chain(PROFILE_DEPTH)
nudged20 = Chain(bal20.w * 1.01, bal20.b, bal20.a0)  # weights +1 %, biases untouched
g_nudged20 = gradients(nudged20)
profiles = {
    "balanced: w = 4, every z = 0": gradients(bal20).log10_abs_dC_db,
    "exploding: w = 100, every z = 0": gradients(exploding_chain(PROFILE_DEPTH)).log10_abs_dC_db,
    "typical: N(0, 1), seed 1": gradients(typical.first(PROFILE_DEPTH)).log10_abs_dC_db,
    "nudged: balanced, weights +1 %": g_nudged20.log10_abs_dC_db,
}
for label, prof in profiles.items():
    print(f"{label:>32}: |dC/db_1| / |dC/db_20| = "
          f"{format_signed_log10(1.0, prof[0] - prof[-1])}")
# the nudged chain's speeds relative to the balanced chain's, and why: z_j drifts away from 0
relative = 10.0 ** (profiles["nudged: balanced, weights +1 %"]
                    - profiles["balanced: w = 4, every z = 0"])
print("nudged / balanced speed, layers 1, 5, 10, 15, 20:",
      ", ".join(f"{relative[j - 1]:.3f}" for j in (1, 5, 10, 15, 20)))
print("nudged chain's z_j, layers 1, 5, 10, 15, 20:    ",
      ", ".join(f"{g_nudged20.z[j - 1]:.3f}" for j in (1, 5, 10, 15, 20)))
layer_profile_figure(profiles, relative_to="balanced: w = 4, every z = 0",
                     zoom=("nudged: balanced, weights +1 %",))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the balanced chain is exactly balanced; the nudged chain is slower everywhere, with its
# lowest relative speed inside the chain; glue the numbers the caption states
assert np.all(gradients(bal20).dC_db == 0.25) and np.all(gradients(bal20).factors == 1.0)
assert np.all(relative < 1.0) and 1 < int(np.argmin(relative)) + 1 < PROFILE_DEPTH
assert (round(relative[0], 2), round(relative.min(), 2), round(relative[-1], 2)) == (
    0.85, 0.81, 0.96)  # the alt text repeats these
first_factor_below_1 = int(np.flatnonzero(g_nudged20.factors < 1.0)[0]) + 1
assert np.all(g_nudged20.factors[: first_factor_below_1 - 1] > 1.0)
glue("nudged20_ratio", relative[0] / relative[-1])
glue("nudged20_rel_first", relative[0])
glue("nudged20_rel_last", relative[-1])
glue("nudged20_rel_min", relative.min())
glue("nudged20_rel_min_layer", int(np.argmin(relative)) + 1)
glue("nudged20_first_factor_below_1", first_factor_below_1)
glue("nudged20_z_last", g_nudged20.z[-1])

# %% [markdown]
# *Figure 4.2 — Top: learning speed $|\partial C/\partial b_j|$ of each layer $j = 1..20$ (log
# scale) for four chains of depth 20, in the colours of Figure 4.1. The balanced chain (black)
# is a flat line at $1/4$: every layer learns equally fast. The exploding chain rises steeply
# toward layer 1 (a factor 25 per layer), the typical chain falls steeply toward layer 1. The
# chain with 1 % larger weights (pink) cannot be told from the balanced one at this scale.
# Bottom: its speeds divided by the balanced chain's, on a linear scale, where the difference
# shows. Every layer learns more slowly, and not evenly: layer 1 at
# <span data-glue="nudged20_rel_first:.2f">0.85</span> of the balanced speed, layer
# <span data-glue="nudged20_rel_min_layer:d">9</span> at only
# <span data-glue="nudged20_rel_min:.2f">0.81</span>, layer 20 at
# <span data-glue="nudged20_rel_last:.2f">0.96</span>. With the biases left alone, $z_j$ creeps
# away from 0 layer by layer (to <span data-glue="nudged20_z_last:.2f">0.43</span> at layer 20),
# so the factors start just above 1 and fall below 1 from layer
# <span data-glue="nudged20_first_factor_below_1:d">9</span> on. Layer 1 ends up learning
# <span data-glue="nudged20_ratio:.3f">0.888</span> times as fast as layer 20: slower, despite
# the larger weights. Figure 4.3 follows where this leads in deeper chains.*
#
# How fragile is the balance? Take the balanced chain and change its weights a little, in three
# ways, and follow the ratio $|\partial C/\partial b_1| / |\partial C/\partial b_L|$ (1 means
# balanced) out to depth 1000:
#
# 1. all weights $4(1 \pm 0.01)$, with the biases **re-tuned** so every $z_j$ stays 0: each factor
#    becomes $1 \pm 0.01$ exactly, and the ratio is $(1 \pm 0.01)^{L-1}$;
# 2. all weights $4(1 \pm 0.01)$, biases **left as they were**;
# 3. each weight $4(1 + 0.01\,\eta_j)$ with independent $\eta_j \sim N(0,1)$ (seed 0), biases left.

# %%
def first_to_last_log10_ratio(chain):
    """log10 |dC/db_1 / dC/db_L| for every prefix depth L = 1..chain.depth.

    Prefixes of a chain share their z_j, so one backprop run gives them all.
    """
    g = gradients(chain, method="backprop")
    log10_sp = log10_sigmoid_prime(g.z)
    return log10_sp[0] + np.concatenate([[0.0], np.cumsum(g.log10_abs_factors[1:])]) - log10_sp


EPS = 0.01
bal = balanced_chain(DEPTH)
eta = np.random.default_rng(0).standard_normal(DEPTH)
families = {
    "balanced (w = 4, every z = 0)": bal,
    "re-tuned: w = 4.04, biases re-tuned so z = 0": exploding_chain(DEPTH, w=4 * (1 + EPS)),
    "re-tuned: w = 3.96, biases re-tuned so z = 0": exploding_chain(DEPTH, w=4 * (1 - EPS)),
    "nudged: w = 4.04, biases unchanged": Chain(np.full(DEPTH, 4 * (1 + EPS)), bal.b, bal.a0),
    "nudged: w = 3.96, biases unchanged": Chain(np.full(DEPTH, 4 * (1 - EPS)), bal.b, bal.a0),
    "jitter: w_j = 4(1 + 0.01 η_j), seed 0, biases unchanged": Chain(4 * (1 + EPS * eta), bal.b, bal.a0),
}
ratios = {label: first_to_last_log10_ratio(c) for label, c in families.items()}
for label, r in ratios.items():
    print(f"{label:>48}: depth 100 {format_signed_log10(1.0, r[99]):>10},"
          f"  depth 1000 {format_signed_log10(1.0, r[-1]):>10}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: spot checks against chapter5.chain run afresh on the prefix chains; the balanced chain
# stays at 0 and the re-tuned chains follow (1 +- 0.01)^(L-1) exactly; glue the decades gained (+)
# or lost (-) by depth 1000, which the caption states
for label, c in families.items():
    for L in (2, 100, 1000):
        assert abs(ratios[label][L - 1] - gradients(c.first(L)).log10_ratio_first_last) < 1e-9
assert np.max(np.abs(ratios["balanced (w = 4, every z = 0)"])) < 1e-10  # 0 up to rounding of logs
for sign, label in ((+1, "re-tuned: w = 4.04, biases re-tuned so z = 0"),
                    (-1, "re-tuned: w = 3.96, biases re-tuned so z = 0")):
    exact = (depths - 1) * np.log10(1 + sign * EPS)
    assert np.allclose(ratios[label], exact, rtol=1e-9, atol=1e-12)
glue("retuned_up_decades_1000", ratios["re-tuned: w = 4.04, biases re-tuned so z = 0"][-1])
glue("retuned_down_decades_1000", -ratios["re-tuned: w = 3.96, biases re-tuned so z = 0"][-1])
glue("unchanged_up_decades_1000", -ratios["nudged: w = 4.04, biases unchanged"][-1])
glue("unchanged_down_decades_1000", -ratios["nudged: w = 3.96, biases unchanged"][-1])
glue("jitter_decades_1000", -ratios["jitter: w_j = 4(1 + 0.01 η_j), seed 0, biases unchanged"][-1])

# %% mystnb={"image": {"alt": "The ratio |dC/db1| / |dC/db_L| on a log axis against depth L up to 1000 for six chains. The balanced chain stays flat at 1; with biases re-tuned, weights 1 % larger or smaller give straight lines ending about four decades above or below 1; with biases unchanged, both 1 % larger and 1 % smaller weights fall steeply, by dozens of decades, and random 1 % jitter drifts down only a few decades. Colours: black balanced, blue re-tuned, pink biases unchanged (as the 1 % chain of Figure 4.2), light blue jitter; dashed lines are the 1 % smaller weights."}}
balance_figure(depths, ratios)

# %% [markdown]
# *Figure 4.3 — How far layer 1's speed drifts from layer $L$'s, $|\partial C/\partial b_1| /
# |\partial C/\partial b_L|$ on a log scale, against depth $L$ up to 1000. The balanced chain
# stays at exactly 1 ($10^0$, black). Re-tuning the biases (blue) keeps every $z_j = 0$, and a 1 % change of
# the weights makes the ratio grow or shrink as a straight line: exponentially, up
# <span data-glue="retuned_up_decades_1000:.1f">4.3</span> decades (larger weights) or down
# <span data-glue="retuned_down_decades_1000:.1f">4.4</span> (smaller) by depth 1000. Leaving the
# biases alone (pink, the colour of the 1 % chain of Figure 4.2; dashed: smaller weights) is far
# worse: both a 1 % increase and a 1 % decrease of the weights make the
# gradient vanish, by <span data-glue="unchanged_up_decades_1000:.0f">46</span> and
# <span data-glue="unchanged_down_decades_1000:.0f">38</span> decades respectively. Random 1 %
# jitter (seed 0, light blue) loses <span data-glue="jitter_decades_1000:.1f">3.6</span> decades.*
#
# Why do *both* directions of case 2 vanish? Follow the forward pass. With equal weights and
# biases, $z_{j+1} = w\,\sigma(z_j) + b$ is the same map applied over and over, and its slope is
# $\mathrm{d}z_{j+1}/\mathrm{d}z_j = w\,\sigma'(z_j)$: *exactly the gradient factor*. That is no
# coincidence: $\partial C/\partial b_1 = \partial C/\partial z_1$ measures how much a nudge of
# $z_1$ moves the far end of the chain. The balanced chain sits on the fixed point $z = 0$ with
# slope exactly 1, a knife edge. Nudge $w$ and the fixed point moves and its slope drops below
# 1. The chain's activations then settle on the new fixed point, and *because* that point is
# stable, its slope is less than 1: every layer shrinks the gradient by that slope.

# %%
for label in ("nudged: w = 4.04, biases unchanged", "nudged: w = 3.96, biases unchanged"):
    c = families[label]
    g = gradients(c, method="backprop")
    z_star = g.z[-1]
    slope = c.w[-1] * float(sigmoid_prime(z_star))
    per_layer = (ratios[label][-1] - ratios[label][-101]) / 100  # slope of the last 100 layers
    print(f"{label}: z settles at {z_star:+.4f}; slope w sigma'(z*) = {slope:.4f}; "
          f"log10 of it {np.log10(slope):.5f} vs measured {per_layer:.5f} per layer")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: both chains really reach a fixed point, whose slope is below 1 and is the measured
# loss per layer
for label in ("nudged: w = 4.04, biases unchanged", "nudged: w = 3.96, biases unchanged"):
    c = families[label]
    g = gradients(c, method="backprop")
    slope = c.w[-1] * float(sigmoid_prime(g.z[-1]))
    per_layer = (ratios[label][-1] - ratios[label][-101]) / 100
    assert abs(g.z[-1] - g.z[-2]) < 1e-12
    assert slope < 1 and abs(np.log10(slope) - per_layer) < 1e-9

# %% [markdown]
# That is the heart of the matter. A stable forward pass, one that forgets small disturbances
# of the early layers, *is* a pass whose early-layer gradients vanish, because "how much does
# layer 1 affect the output" is exactly what the gradient measures. Balance needs every factor
# to be 1 along the whole chain, and nothing in gradient descent on a sigmoid network steers
# the weights and biases there. So deep sigmoid chains are almost always out of balance, and
# notebook 05 shows that the imbalance almost always goes the vanishing way.
#
# ## Key takeaways
#
# * Choosing $w_j = 100$ and biases that put every $z_j$ at 0 makes every factor 25: the gradient
#   of layer 1 is $25^{L-1}$ times that of layer $L$, an **exploding** gradient.
# * Such products leave the range of floating-point numbers quickly (float32 after a few dozen
#   layers, float64 after a few hundred), so they must be computed as logarithms.
# * Vanishing and exploding are two faces of one **unstable gradient problem**: the early layer's
#   gradient is a product of one factor per later layer, and only a balance of all of them keeps
#   it near 1. That balance is a knife edge: a 1 % change of the weights already upsets it, and
#   without re-tuned biases in both directions it goes the vanishing way.
#
# ## Exercises
#
# **Exercise 4.1 (Nielsen, ch. 5).** The factor $\sigma'(z) \le 1/4$ looks like the villain.
# Would an activation function whose derivative can be much larger than 1/4 avoid the unstable
# gradient problem? Try the family $\sigma_k(z) = \sigma(kz)$, whose derivative peaks at $k/4$.
#
# <details><summary>Show the worked solution</summary>
#
# No. A larger derivative changes *which* weights balance the product, not the need for balance.
# Note that a neuron $\sigma_k(w a + b) = \sigma(kw\,a + kb)$ is an ordinary sigmoid neuron with
# weight $kw$ and bias $kb$. Its gradient factor is $w\,\sigma_k'(z) = kw\,\sigma'(kz)$, so a chain
# of $\sigma_k$ neurons has exactly the factors of the sigmoid chain with parameters
# $(kw, kb)$, and the ratio $\partial C/\partial b_1 / \partial C/\partial b_L$ is the same. The
# balanced chain just moves to $w = 4/k$ and stays a knife edge. With weights and biases
# drawn from $N(0,1)$, larger $k$ even pushes $kz$ further into the flat tails of $\sigma$.
# The cell below measures the spread over 200 random depth-30 chains.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
p95_by_k = {}
print(" k   max sigma_k'   log10 |dC/db_1 / dC/db_30| over 200 N(0,1) chains: 5%, median, 95%")
for k in (1, 4, 8):
    r = [gradients(Chain(k * c.w, k * c.b, c.a0)).log10_ratio_first_last
         for c in (typical_chain(30, seed=s) for s in range(200))]
    p5, p50, p95 = np.percentile(r, [5, 50, 95])
    print(f"{k:2d}   {k / 4:11.2f}   {p5:9.2f} {p50:9.2f} {p95:9.2f}")
    p95_by_k[k] = p95

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: for every k, layer 1 is at least ten decades slower in 95 % of the chains
assert max(p95_by_k.values()) < -10

# %% [markdown]
# **Exercise 4.2.** GPUs often train in half precision, `float16` (largest value 65504). At what
# depth does the naive product for the exploding chain's $\partial C/\partial b_1$ overflow in
# `float16`? Predict it first from logarithms, then check.
#
# <details><summary>Show the worked solution</summary>
#
# We need $\tfrac14\cdot 25^{L-1} > 65504$, i.e.
# $L - 1 > \log_{10}(4\cdot 65504)/\log_{10} 25 \approx$
# <span data-glue="float16_depth_bound:.2f">3.88</span>, so the product overflows at
# $L =$ <span data-glue="float16_overflow_depth:d">5</span>: a chain of five neurons. The cell
# below does the arithmetic and the experiment.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
half_max = float(np.finfo(np.float16).max)
depth_bound = np.log10(4 * half_max) / LOG10_25  # L - 1 must exceed this
predicted = int(np.floor(depth_bound)) + 2
naive16 = naive_first_gradient(gradients(exploding_chain(depth=8)), np.float16)
measured = first_depth(np.isinf(naive16))
print(f"float16 largest value {half_max:.0f}; predicted overflow at depth {predicted}, "
      f"measured {measured}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: prediction and experiment agree; glue the numbers the solution above states
assert predicted == measured == 5
glue("float16_depth_bound", depth_bound)
glue("float16_overflow_depth", predicted)

# %% [markdown]
# **Exercise 4.3.** Take the balanced chain of depth $L$ and make every weight $4(1+\varepsilon)$,
# re-tuning the biases so every $z_j$ stays 0. How large may $\varepsilon$ be if layer 1 is to
# learn no more than 10 times faster than layer $L$? Evaluate for $L = 10, 100, 1000$.
#
# <details><summary>Show the worked solution</summary>
#
# Every factor is $4(1+\varepsilon)\,\sigma'(0) = 1+\varepsilon$, so the ratio is
# $(1+\varepsilon)^{L-1} \le 10$, i.e. $\varepsilon \le 10^{1/(L-1)} - 1 \approx \ln 10/(L-1)$.
# The tolerance shrinks like $1/L$: about <span data-glue="eps_max_10_pct:.0f">29</span> % at
# depth 10 but only <span data-glue="eps_max_1000_pct:.2f">0.23</span> % at depth 1000, about a
# quarter of a percent. And that is with the biases re-tuned; Figure 4.3 shows that without
# re-tuning even 1 % ruins the balance. The cell checks the formula with `chapter5.chain`.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
eps_max_by_depth = {}
for L in (10, 100, 1000):
    eps_max = eps_max_by_depth[L] = 10.0 ** (1.0 / (L - 1)) - 1.0
    g_edge = gradients(exploding_chain(depth=L, w=4 * (1 + eps_max)), method="backprop")
    print(f"L = {L:4d}: epsilon_max = {eps_max:.5f}; ratio at that epsilon = "
          f"{10 ** g_edge.log10_ratio_first_last:.6f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: at epsilon_max the ratio is exactly 10; glue the numbers the solution above states, in
# percent
for L, eps_max in eps_max_by_depth.items():
    g_edge = gradients(exploding_chain(depth=L, w=4 * (1 + eps_max)), method="backprop")
    assert abs(g_edge.log10_ratio_first_last - 1.0) < 1e-9
glue("eps_max_10_pct", 100 * eps_max_by_depth[10])
glue("eps_max_1000_pct", 100 * eps_max_by_depth[1000])
