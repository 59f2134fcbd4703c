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
# # 6. Many neurons per layer, and other obstacles
#
# Notebooks 03 to 05 studied a chain with one neuron per layer, where the gradient of an early
# bias is a product of scalars $w_j\,\sigma'(z_j)$. Real networks have many neurons in each layer.
# This notebook shows that nothing essential changes: the scalars become matrices, the product
# stays a product, and the sigmoid's $\sigma' \le 1/4$ still shrinks it at every layer
# (Nielsen, *Neural Networks and Deep Learning*, ch. 5, eq. (124)). We derive how much it shrinks
# from how variance passes through a layer, and measure it. Then we measure, on real MNIST, how
# the choice of initial weights changes each layer's speed of learning, reproduce a second
# obstacle reported by Glorot and Bengio (2010), the saturation of the last hidden layer, and look
# ahead at what made deep nets trainable in practice: other activation functions, initial weights
# matched to them, and the remedies that came later.
#
# **Running time.** Everything here is computed from MNIST when you first run the notebook (about
# a minute on two cores: the speeds use the first 1,000 training images, the chapter's own
# protocol, and the saturation experiment trains on 10,000 images for one epoch). The results are
# kept in the experiment cache, so later runs take a few seconds.

# %%
# %matplotlib inline
import os

import numpy as np
from threadpoolctl import threadpool_limits

from chapter5.activations import sigmoid_prime
from chapter5.data import load_mnist
from chapter5.network import Network
from chapter5.obstacles import (
    init_speeds,
    layer_factors,
    saturation_run,
    symmetry_run,
    training_run,
)
from chapter5.prose import glue
from chapter5.viz.diagrams import many_neuron_diagram
from chapter5.viz.obstacles import (
    factor_norms_figure,
    saturation_figure,
    sharpness_figure,
    speed_profiles_figure,
    speeds_training_figure,
)

# One BLAS thread: our matrices are small, so extra threads only slow them down.
threadpool_limits(limits=1, user_api="blas")

mnist = load_mnist(os.environ.get("CHAPTER5_MNIST_DIR"))
x_1000, y_1000 = mnist.train.x[:1000], mnist.train.y[:1000]  # the chapter's 1,000 images
BOOK_NET = [784, 30, 30, 30, 30, 10]  # the chapter's deepest net: four hidden layers of 30
print(f"training images: {len(mnist.train):,}; validation images: {len(mnist.validation):,}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: helpers that keep every printed and glued number the same on every machine


def sig(v, digits=3):
    """v rounded to `digits` significant digits: what we glue, so that the last bits of another
    BLAS kernel cannot change a stored number."""
    return float(f"{float(v):.{digits}g}")


def whole_percent(fraction):
    """An accuracy as a whole percentage, refusing values so close to a rounding edge that
    another machine's last bits could round them the other way."""
    pct = 100.0 * fraction
    assert abs(pct - round(pct)) < 0.45, f"{pct:.2f} % is too close to a rounding edge"
    return int(round(pct))


# %% [markdown]
# ## 6.1 From a chain to layers: eq. (124)
#
# Picture the chain of notebook 03 with every neuron replaced by a whole layer, and every single
# weight by a matrix of weights that connects each neuron of one layer to each neuron of the next
# (Figure 6.1).

# %% tags=["hide-input"] mystnb={"image": {"alt": "A network drawn as five columns of four circles: a grey input layer, hidden layers l = 1, 2, 3 in blue, orange and green, and a black output layer L, every circle joined to every circle of the next column by thin grey lines. Under each hidden and output column its factor Sigma-prime of z is written, and between the columns the transposed weight matrices w2, w3 and wL. An arrow along the bottom points from the output back to layer 1, labelled: the error travels back, delta l equals Sigma-prime of z l times w l+1 transposed times delta l+1, one pair of factors per layer."}}
many_neuron_diagram(hidden_layers=3, neurons=4)

# %% [markdown]
# *Figure 6.1 — A net with several neurons per layer. Backpropagation carries the error from the
# output layer $L$ back towards the input; on the way through each layer it is multiplied by that
# layer's diagonal matrix $\Sigma'(z^l)$ and by the transposed weights $(w^{l+1})^T$ that lead out
# of the layer. Hidden layers are numbered from the input side, $l = 1$ being the first hidden
# layer, and each has the colour it has in every figure of the book.*
#
# Backpropagation (Nielsen, ch. 2) computes the error $\delta^l = \partial C/\partial z^l$ of
# layer $l$ from the one above it:
#
# $$ \delta^l = \Sigma'(z^l)\,(w^{l+1})^T\,\delta^{l+1}, \qquad
#    \Sigma'(z^l) = \operatorname{diag}\big(\sigma'(z^l_1), \dots, \sigma'(z^l_{n_l})\big). $$
#
# Writing the diagonal matrix $\Sigma'$ instead of an elementwise product makes every step a
# matrix product, and unrolling the recursion down from the output layer $L$ gives eq. (124):
#
# $$ \delta^l = \Sigma'(z^l)\,(w^{l+1})^T\,\Sigma'(z^{l+1})\,(w^{l+2})^T \cdots
#    \Sigma'(z^L)\,\nabla_a C. $$
#
# Since $\partial C/\partial b^l = \delta^l$, this is the many-neuron version of the chain's
# eq. (122): each factor $w_j\,\sigma'(z_j)$ has become a pair of matrices $(w^{j})^T$ and
# $\Sigma'(z^j)$. The last pair $\Sigma'(z^L)\,\nabla_a C$ is the output error for the quadratic
# cost $C = \frac12\|a^L - y\|^2$, whose $\nabla_a C = a^L - y$.
#
# Let us check eq. (124) with actual numbers. We take a small net with layers of 6, 5, 5, 5 and 4
# neurons and the quadratic cost, feed it one input, and build the product of matrices
# *literally*, one factor at a time. `Network.gradients` runs ordinary backpropagation; the two
# must agree to rounding error.

# %%
rng = np.random.default_rng(124)  # seed for the input; the net has its own seed
small = Network([6, 5, 5, 5, 4], seed=124, cost="quadratic")
x = rng.uniform(0.0, 1.0, size=6)
y = np.array([0.0, 0.0, 1.0, 0.0])

z, a = small.forward(x)  # lists over the layers; row 0 holds our one input
z = [zl[0] for zl in z]
grad_a_C = a[-1][0] - y  # quadratic cost


def eq124_delta(net, z, grad_a_C, i):
    """delta of layer index i (0 = first hidden layer) as the literal product of eq. (124)."""
    product = np.diag(sigmoid_prime(z[i]))
    for k in range(i + 1, len(z)):
        product = product @ net.weights[k].T @ np.diag(sigmoid_prime(z[k]))
    return product @ grad_a_C


backprop = small.gradients(x, y).delta  # one row per input
errors = []
for i in range(len(z)):
    d_product = eq124_delta(small, z, grad_a_C, i)
    d_backprop = backprop[i][0]
    errors.append(np.max(np.abs(d_product - d_backprop)) / np.max(np.abs(d_backprop)))
    name = f"hidden layer {i + 1}" if i < len(z) - 1 else "output layer"
    print(f"{name:>14}: |delta| = {np.linalg.norm(d_backprop):.3e}, product and backprop agree "
          f"to 12 digits: {errors[-1] < 1e-12}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the literal product of eq. (124) is backpropagation, to rounding error
assert max(errors) < 1e-12

# %% [markdown]
# The literal product and backpropagation give the same errors $\delta^l$ in every layer, and the
# size of $\delta^l$ falls as we go down towards the input. The same holds for the cross-entropy
# cost of the chapter's experiments, where the last pair $\Sigma'(z^L)\nabla_a C$ collapses to
# the simpler $a^L - y$ (the $\sigma'(z^L)$ cancels; Nielsen, ch. 3). We check that version too,
# on a real MNIST image fed to the chapter's four-hidden-layer net:

# %%
book_net = Network(BOOK_NET, seed=0)  # cross-entropy cost, the book's default initialisation
x0, y0 = mnist.train.x[0], mnist.train.y[0]
z, a = book_net.forward(x0)
z = [zl[0] for zl in z]
output_error = a[-1][0] - np.eye(10)[y0]  # cross-entropy: delta^L = a^L - y
backprop = book_net.gradients(x0, np.eye(10)[y0]).delta
worst = 0.0
for i in range(len(z) - 1):
    product = np.diag(sigmoid_prime(z[i]))
    for k in range(i + 1, len(z) - 1):
        product = product @ book_net.weights[k].T @ np.diag(sigmoid_prime(z[k]))
    d_product = product @ book_net.weights[-1].T @ output_error
    worst = max(worst, np.max(np.abs(d_product - backprop[i][0])) / np.max(np.abs(backprop[i][0])))
print(f"image 0 (a {y0}), [784, 30, 30, 30, 30, 10], seed 0: product and backprop agree to "
      f"12 digits in all four hidden layers: {worst < 1e-12}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the cross-entropy version of eq. (124) is backpropagation too
assert worst < 1e-12

# %% [markdown]
# ## 6.2 How big are the factors?
#
# A product of matrices cannot be judged by looking at one entry, but norms tell us how much each
# factor can stretch a vector. With the spectral norm $\|M\|$ (the largest factor by which $M$
# stretches any vector), eq. (124) gives layer by layer
#
# $$ \|\delta^l\| \;\le\; \|\Sigma'(z^l)\|\;\|(w^{l+1})^T\|\;\|\delta^{l+1}\|. $$
#
# The first norm is easy: a diagonal matrix stretches by its largest entry, so
# $\|\Sigma'(z^l)\| = \max_j \sigma'(z^l_j) \le 1/4$. The second depends on the weights. For the
# book's default initialisation, $w \sim N(0, 1/n_{\text{in}})$, a $30\times30$ weight matrix
# stretches by about 2 at most (random-matrix theory says $1 + \sqrt{n_{\text{out}}/n_{\text{in}}}$
# for large square-ish matrices). So each layer passes on at most about half of the error.
#
# **What a layer does to a typical error.** The bound is a worst case: it needs the error to
# point along the one most-stretched direction. The *typical* shrink follows from how variance
# passes through a layer. Component $k$ of $(w^{l+1})^T\delta^{l+1}$ is
# $\sum_j w^{l+1}_{jk}\,\delta^{l+1}_j$, a sum of $n_{l+1}$ terms. If the weights are independent
# of the error, with mean 0 and variance $\operatorname{Var}(w)$, the variances of the terms add
# up:
#
# $$ \mathbb{E}\Big[\big(\textstyle\sum_j w^{l+1}_{jk}\,\delta^{l+1}_j\big)^2\Big]
#    = \operatorname{Var}(w)\,\|\delta^{l+1}\|^2 . $$
#
# Multiplying component $k$ by $\sigma'(z^l_k)$ and adding the squares of all $n_l$ components,
#
# $$ \|\delta^l\|^2 \approx n_l \operatorname{Var}(w^{l+1})\;
#    \overline{\sigma'(z^l)^2}\;\|\delta^{l+1}\|^2,
#    \qquad\text{so}\qquad
#    \frac{\|\delta^l\|}{\|\delta^{l+1}\|} \approx
#    \sqrt{n_l \operatorname{Var}(w^{l+1})}\;\operatorname{rms}\sigma'(z^l), $$
#
# where the bar is the mean over the layer's neurons and rms the root mean square. The book's
# default initialisation has $\operatorname{Var}(w^{l+1}) = 1/n_l$ (its $n_{\text{in}}$ is our
# $n_l$), so the first factor is 1 and **each layer multiplies the error by the root mean square
# of its $\sigma'$**, which is at most $1/4$ and in practice about $0.2$.
#
# `layer_factors` measures all of this for each of the first 1,000 training images: the two
# norms and their product (the bound), a typical entry of $\Sigma'$, the prediction
# $\sqrt{n_l\operatorname{Var}(w^{l+1})}\,\operatorname{rms}\sigma'(z^l)$ (with the variance of the
# actual weights) and the actual shrink $\|\delta^l\|/\|\delta^{l+1}\|$. We compare the default
# initialisation with the "large" one, $w \sim N(0, 1)$ (Nielsen, ch. 3).

# %%
factors = {}
for init in ("default", "large"):
    f = layer_factors(Network(BOOK_NET, seed=0, init=init), x_1000, y_1000)
    factors[init] = f
    print(f"init = {init!r} (seed 0), medians over 1,000 images, hidden layers 1..4:")
    for key in ("sigma_prime_norm", "sigma_prime_mean", "weight_norm", "bound", "predicted",
                "shrink"):
        v = f[key] if f[key].ndim == 1 else np.median(f[key], axis=0)
        print(f"  {key:>16}: " + "  ".join(f"{val:7.3f}" for val in v))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the bound really bounds every image's shrink, sigma' never exceeds 1/4, the prediction
# is within 25 % of the measured shrink in every layer, and the numbers the text states
d, g = factors["default"], factors["large"]
for f in (d, g):
    assert np.all(f["shrink"] <= f["bound"] * (1 + 1e-12))
    assert np.all(f["sigma_prime_norm"] <= 0.25)
    med_shrink, med_pred = np.median(f["shrink"], axis=0), np.median(f["predicted"], axis=0)
    assert np.all(np.abs(med_pred / med_shrink - 1) < 0.25)
assert np.all(np.median(d["bound"], axis=0) < 1.0)  # default: guaranteed shrink every layer
assert np.all(np.median(g["bound"], axis=0) > 1.0)  # large: no guarantee from the norms ...
assert np.all(np.median(g["shrink"], axis=0) < 1.0)  # ... yet the error still shrinks
assert np.all(np.median(g["sigma_prime_mean"], axis=0) < np.median(d["sigma_prime_mean"], axis=0))
assert np.all((g["weight_norm"] / d["weight_norm"] > 4) & (g["weight_norm"] / d["weight_norm"] < 7))
assert np.all((d["weight_norm"][:3] > 1.5) & (d["weight_norm"][:3] < 2.5))  # 30 x 30: about 2
assert np.all((g["weight_norm"] > 7) & (g["weight_norm"] < 13))  # large: about 10
assert np.all((d["weight_gain"] > 0.9) & (d["weight_gain"] < 1.1))  # sqrt(n_l Var(w)) ~ 1
glue("large_over_default_stretch", sig(np.median(g["weight_norm"] / d["weight_norm"])))
glue("default_weight_norm", sig(np.median(d["weight_norm"])))
glue("large_weight_norm", sig(np.median(g["weight_norm"])))
glue("default_shrink_min", sig(np.median(d["shrink"], axis=0).min()))
glue("default_shrink_max", sig(np.median(d["shrink"], axis=0).max()))
glue("default_pred_min", sig(np.median(d["predicted"], axis=0).min()))
glue("default_pred_max", sig(np.median(d["predicted"], axis=0).max()))
glue("default_rms_sp", sig(np.median(d["sigma_prime_rms"])))
glue("large_gain", sig(np.median(g["weight_gain"])))
glue("large_rms_sp_1", sig(np.median(g["sigma_prime_rms"][:, 0])))
glue("large_shrink_1", sig(np.median(g["shrink"][:, 0])))

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two panels, default and large initialisation, of factor sizes on a log axis against hidden layers 1 to 4, with a dashed line at 1: the weight stretch, the largest and the typical sigma-prime, their product as a bound, the predicted and the measured shrink of the error. With default weights every curve except the weight stretch lies below 1 and the measured shrink sits near 0.2, on the prediction; with large weights the bound lies above 1 while the measured shrink stays below 1, again close to the prediction."}}
factor_norms_figure({"default initialisation, w ~ N(0, 1/n_in)": factors["default"],
                     "large initialisation, w ~ N(0, 1)": factors["large"]})

# %% [markdown]
# *Figure 6.2 — The factors of eq. (124) in the chapter's net [784, 30, 30, 30, 30, 10] at seed
# 0, for hidden layers 1 to 4 (x axis), on a log scale; the dashed line marks 1. Left: default
# initialisation; right: large initialisation. Green diamonds: the largest $\sigma'(z^l_j)$ in
# the layer, always just under 1/4. Purple triangles: the typical (mean) $\sigma'(z^l_j)$. Light
# blue squares: the stretch $\|(w^{l+1})^T\|$ of the weights. Orange triangles: the bound, the
# product of the two norms. Black crosses: the shrink that variance propagation predicts. Dark
# blue circles: the measured shrink of the error from layer $l+1$ to layer $l$, the median over
# 1,000 images. Under the default initialisation every measured shrink lies well below 1 and
# below the bound, which is itself below 1. Under the large initialisation the weights stretch
# about <span data-glue="large_over_default_stretch:.1f">5.5</span> times more and the bound
# rises above 1, but the typical $\sigma'$ falls, because large weights push many $z$ into the
# flat tails of the sigmoid: the error still shrinks at every layer, only less.*
#
# The prediction does its job. Under the default initialisation each layer multiplies the error
# by between <span data-glue="default_shrink_min:.2f">0.19</span> and
# <span data-glue="default_shrink_max:.2f">0.24</span> (median over the images); variance
# propagation predicts <span data-glue="default_pred_min:.2f">0.21</span> to
# <span data-glue="default_pred_max:.2f">0.22</span>, the root mean square of $\sigma'$, about
# <span data-glue="default_rms_sp:.2f">0.21</span>. That is the chain's factor
# $|w\,\sigma'(z)| < 1/4$ again, now for vectors: about a fifth per layer, so four layers cost a
# factor of several hundred. The large initialisation raises the first factor
# $\sqrt{n_l\operatorname{Var}(w)}$ to about <span data-glue="large_gain:.1f">5.6</span>, but the
# rms $\sigma'$ of layer 1 falls to <span data-glue="large_rms_sp_1:.2f">0.09</span>, and the two
# together predict, and the measurement confirms, a shrink of about
# <span data-glue="large_shrink_1:.2f">0.46</span> there: better, but still a shrink.
#
# ## 6.3 Each layer's speed, under two initialisations
#
# The chapter measures how fast each hidden layer learns by its **speed**
# $\|\partial C/\partial b^l\|$, the length of the gradient of the cost (averaged over the first
# 1,000 training images) with respect to the layer's biases (notebook 02). Eq. (124) predicts that
# the speed falls by a roughly constant factor per layer as we move towards the input. We measure
# it at initialisation for 20 seeds (seeds 0 to 19) of the four-hidden-layer net under both
# initialisations:

# %%
SEEDS = range(20)
at_init = {
    "sigmoid, default init": init_speeds(BOOK_NET, SEEDS, mnist),
    "sigmoid, large init": init_speeds(BOOK_NET, SEEDS, mnist, init="large"),
}


def report(label, s):
    """Median speed per hidden layer over the seeds and the ratio last / first layer."""
    med = np.median(s, axis=0)
    ratio = s[:, -1] / s[:, 0]
    q10, q50, q90 = np.percentile(ratio, [10, 50, 90])
    print(f"{label:>22}: median speeds " + " ".join(f"{v:.2e}" for v in med)
          + f" | layer 4 / layer 1 = {q50:.3g} (10-90 %: {q10:.3g} to {q90:.3g})")


for label, s in at_init.items():
    report(label, s)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the large initialisation narrows the gap at the start; glue the ratios the text states
ratio_default = np.median(at_init["sigmoid, default init"][:, -1]
                          / at_init["sigmoid, default init"][:, 0])
ratio_large = np.median(at_init["sigmoid, large init"][:, -1]
                        / at_init["sigmoid, large init"][:, 0])
assert ratio_large < ratio_default / 5 and 50 < ratio_default < 200
glue("ratio_default", sig(ratio_default))
glue("ratio_large", sig(ratio_large))
glue("init_gap_narrowing", sig(ratio_default / ratio_large))

# %% [markdown]
# Under the default initialisation the first hidden layer starts out learning
# <span data-glue="ratio_default:.0f">121</span> times more slowly than the fourth (the median
# ratio over the 20 seeds; notebook 02 compares these speeds with the book's values). The large
# initialisation narrows the gap by a factor of about
# <span data-glue="init_gap_narrowing:.0f">10</span>, to a median ratio of
# <span data-glue="ratio_large:.1f">11.7</span>, in line with Figure 6.2: larger weights stretch
# the error more at each layer. Are large weights the cure, then? Watch what happens once training
# starts. We repeat the chapter's protocol C: 500 steps of full-batch gradient descent on the
# 1,000 images ($\eta = 0.1$, $\lambda = 5.0$), recording the speeds before each step (seed 0).
#
# **Before you read on, predict:** after 500 steps, will the large-initialised net still have
# its four layers closer together than the default one? And which of the two will classify more
# validation images correctly: the one whose layers learn at similar speeds, or neither?

# %%
ETA = 0.1
during, runs_c = {}, {}
for label, init in (("sigmoid, default init", "default"), ("sigmoid, large init", "large")):
    run = runs_c[label] = training_run(BOOK_NET, 0, mnist, init=init, eta=ETA,
                                       sharpness_every=50 if init == "default" else 0)
    during[label] = s = run.speeds
    print(f"{label:>22}: speeds at epoch 0 " + " ".join(f"{v:.2e}" for v in s[0])
          + " | at epoch 499 " + " ".join(f"{v:.1e}" for v in s[-1])
          + f" | validation accuracy about {whole_percent(run.accuracy)} %")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the large-initialised net ends balanced and better; glue what the text states
large_end = during["sigmoid, large init"][-1]
assert large_end.max() / large_end.min() < 4
assert 0.4 < runs_c["sigmoid, large init"].accuracy < 0.65
assert runs_c["sigmoid, default init"].accuracy < 0.15
glue("large_end_spread", sig(large_end.max() / large_end.min(), 2))
glue("accuracy_large_pct", whole_percent(runs_c["sigmoid, large init"].accuracy))
glue("accuracy_default_pct", whole_percent(runs_c["sigmoid, default init"].accuracy))

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two panels of speed of learning on a log axis over 500 epochs for the four hidden layers of a sigmoid net. Left, default initialisation: four curves fall and stay stacked far apart, layer 1 lowest. Right, large initialisation: the curves start higher, fall less and end close together."}}
speeds_training_figure({f"{label}, seed 0": s for label, s in during.items()})

# %% [markdown]
# *Figure 6.3 — Speed of learning of hidden layers 1 (blue) to 4 (vermillion) of the
# [784, 30, 30, 30, 30, 10] net over 500 epochs of full-batch gradient descent on 1,000 MNIST
# images, log y axis. Left: the book's default initialisation; the four curves fall together and
# stay stacked in order, each layer several times slower than the one above it. Right: the large
# initialisation; the curves start higher and closer together, and after the first few dozen
# epochs they lie within a small factor of one another.*
#
# In this short run the large initialisation does clearly better: its four layers end up within a
# factor of about <span data-glue="large_end_spread:.0f">3</span> of one another, and it
# classifies about half of the validation images correctly
# (<span data-glue="accuracy_large_pct:d">52</span> %), while the default-initialised net is
# still at chance (<span data-glue="accuracy_default_pct:d">11</span> %; chance is 10 %). Yet it
# is not a cure. Its gain comes from weights big enough to make $\|(w^{l+1})^T\|$ about
# <span data-glue="large_weight_norm:.0f">10</span>, and those same weights push many $z$ into the
# flat tails of the sigmoid, where $\sigma'$ is tiny (the typical $\sigma'$ of layer 1 in
# Figure 6.2). The two effects only *partly* cancel, and the per-layer shrink that remains
# compounds with depth. With eight hidden layers instead of four:

# %%
deep8 = [784] + [30] * 8 + [10]
ratio8 = {}
for label, init in (("sigmoid, default init", "default"), ("sigmoid, large init", "large")):
    s = init_speeds(deep8, SEEDS, mnist, init=init)
    ratio8[label] = np.median(s[:, -1] / s[:, 0])
    print(f"{label:>22}, 8 hidden layers: layer 8 / layer 1 = {ratio8[label]:.3g} "
          f"(median over {len(SEEDS)} seeds)")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: still vanishing at depth 8, even with large weights
assert all(r > 20 for r in ratio8.values())

# %% [markdown]
# The balance of the sigmoid net depends on a lucky cancellation between the weights' size and the
# sigmoid's saturation, and nothing holds that cancellation in place as the depth grows. This is
# the unstable gradient problem of notebook 04, now with matrices.
#
# ## 6.4 Another obstacle: the last hidden layer saturates (Glorot & Bengio, 2010)
#
# Vanishing gradients are not the only trouble.
# [Glorot and Bengio (2010)](../references.md) trained deep sigmoid
# nets (hidden layers of 1,000 neurons, weights $w \sim U[-1/\sqrt{n_{\text{in}}},
# 1/\sqrt{n_{\text{in}}}]$, biases 0, mini-batches of 10) and watched the mean activation of each
# hidden layer. The **last** hidden layer's activations quickly fell towards 0, where the
# sigmoid is flat and passes almost no gradient, and stayed there for a long time, while the lower
# layers hovered around 0.5. Their explanation: early on, the output layer can lower the cost
# fastest by ignoring its (still useless) inputs and relying on its biases, and driving the top
# hidden layer to 0 is the quickest way to silence those inputs.
#
# Does it happen in our setting? We train four-hidden-layer sigmoid nets on the first 10,000
# training images for one epoch (1,000 mini-batches of 10, $\eta = 0.1$, no weight decay), and
# every twentieth of the epoch record the mean activation of each hidden layer on 1,000
# validation images, together with the accuracy on those images. Three runs: the chapter's 30
# neurons per layer and 300 neurons per layer (closer to Glorot and Bengio's 1,000) with their
# initialisation, and 300 neurons with the book's default initialisation (biases $N(0,1)$).

# %%
saturation = {f"{width} per layer, {init} init": saturation_run(width, init, 2010, mnist)
              for width, init in ((30, "Glorot-Bengio"), (300, "Glorot-Bengio"),
                                  (300, "default"))}
runs = {label: r.trace for label, r in saturation.items()}
for label, t in runs.items():
    print(f"{label}:")
    for k in (0, 5, 10, 20):  # after 0, 1/4, 1/2 and 1 epoch
        print(f"  after {t.epochs[k]:.2f} epochs: mean activations "
              + " ".join(f"{v:.2f}" for v in t.means[k])
              + f" | top layer below {t.low}: {100 * t.low_fraction[k, -1]:3.0f} %"
              + f" | probe accuracy {100 * t.accuracy[k]:.0f} %")

# %% tags=["hide-input"] mystnb={"image": {"alt": "Three panels of the mean activation of hidden layers 1 to 4 against the first epoch of training, with the accuracy as a dashed grey line near 10 percent. In each panel layers 1 to 3 stay near 0.5 while layer 4 falls: slightly for 30 neurons per layer, steeply towards about 0.15 for 300 neurons per layer under either initialisation."}}
saturation_figure(runs)

# %% [markdown]
# *Figure 6.4 — Mean activation (over 1,000 validation images and all neurons of the layer) of
# hidden layers 1 (blue) to 4 (vermillion) of four-hidden-layer sigmoid nets during the first
# epoch of mini-batch training on 10,000 MNIST images; the dashed grey line is the accuracy on
# the same 1,000 images (right axis). Left: 30 neurons per layer, Glorot and Bengio's
# initialisation; middle: 300 per layer, same initialisation; right: 300 per layer, the book's
# default initialisation. In every panel layers 1 to 3 stay near 0.5 (layer 3 of the wide nets
# creeps up a little) while layer 4 (vermillion) drifts down, fast for the wide nets, and the
# accuracy stays at chance level the whole time.*
#
# What we see, honestly reported:

# %%
for label, t in runs.items():
    drift = np.max(np.abs(t.means[:, :-1] - t.means[0, :-1]))
    print(f"{label}: top layer {t.means[0, -1]:.2f} -> {t.means[-1, -1]:.2f}; "
          f"layers 1-3 move by at most {drift:.2f}; "
          f"accuracy at the end {100 * t.accuracy[-1]:.0f} %")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the direction Glorot & Bengio saw, in every run, stronger with wider layers, at chance
# level, but no saturation near 0; glue the range of the lower layers
top_start = {label: t.means[0, -1] for label, t in runs.items()}
top_end = {label: t.means[-1, -1] for label, t in runs.items()}
assert all(top_end[k] < top_start[k] - 0.02 for k in runs)
assert all(top_end[k] < runs[k].means[-1, :-1].min() - 0.02 for k in runs)
assert all(top_end[k] < 0.2 for k in runs if k.startswith("300"))
assert all(np.all((t.means[:, :-1] > 0.4) & (t.means[:, :-1] < 0.7)) for t in runs.values())
assert top_end["300 per layer, Glorot-Bengio init"] < top_end["30 per layer, Glorot-Bengio init"]
assert all(runs[k].accuracy[-1] < 0.2 for k in runs)  # chance level is 10 %
assert all(t.low_fraction[-1, -1] < 0.5 and t.means[-1, -1] > 0.1 for t in runs.values())
lower_means = np.concatenate([t.means[:, :-1].ravel() for t in runs.values()])
glue("lower_layers_min", sig(lower_means.min(), 2))
glue("lower_layers_max", sig(lower_means.max(), 2))

# %% [markdown]
# * The effect is real here too, and in the direction Glorot and Bengio reported: in all three
#   runs the mean activation of the top hidden layer falls (slowly with 30 neurons per layer,
#   fast with 300) while the three lower layers stay between
#   <span data-glue="lower_layers_min:.2f">0.50</span> and
#   <span data-glue="lower_layers_max:.2f">0.60</span>, and the network is still at
#   chance-level accuracy while this happens.
# * It is stronger for wider layers (300 neurons against the book's 30), and about equally strong
#   under the book's default initialisation as under theirs, so it is not tied to one
#   initialisation.
# * In our short runs the top layer does *not* reach the near-zero saturation of their paper: its
#   mean is still well above 0 after one epoch (printed above), and most of its activations stay
#   above 0.1. We trained narrower nets, on different data, with a sigmoid (not softmax) output
#   layer, for one epoch; their saturation developed with 1,000-neuron layers. We report the drift
#   we can measure rather than the plateau we cannot.
#
# The common lesson of 6.3 and 6.4: whether a deep net trains depends on the activation function,
# the initial weights and their interplay, not on the gradient formula alone.
# [Sutskever, Martens, Dahl and Hinton (2013)](../references.md) add the optimiser to that list
# (momentum and its schedule matter a lot). With this list of obstacles the chapter ends.

# %% [markdown]
# ## 6.5 Looking ahead: other activations, matched initial weights
#
# Mid-chapter, the chapter asks whether an activation function whose derivative can be much
# larger than the sigmoid's $1/4$ would avoid the problem (notebook 04 works it out as its
# Exercise 4.1: no, a larger derivative only moves the point of balance). Two such functions
# became standard, each with initial weights chosen to put the network *at* that point:
#
# * $\tanh$, with $\tanh'(0) = 1$, usually paired with the **Xavier** initialisation of Glorot
#   and Bengio. Their paper draws the weights from the uniform distribution
#   $U\big[-\sqrt6/\sqrt{n_{\text{in}} + n_{\text{out}}},\; \sqrt6/\sqrt{n_{\text{in}} +
#   n_{\text{out}}}\big]$, whose variance is $2/(n_{\text{in}} + n_{\text{out}})$ (a uniform
#   variable on $[-c, c]$ has variance $c^2/3$). **We use the normal form with the same variance,
#   $w \sim N(0, 2/(n_{\text{in}} + n_{\text{out}}))$, $b = 0$**: the argument below only involves
#   the variance, so the two behave alike.
# * the rectified linear unit $\operatorname{ReLU}(z) = \max(0, z)$, whose derivative is exactly 1
#   wherever it is active, paired with the **He** initialisation,
#   $w \sim N(0, 2/n_{\text{in}})$, $b = 0$ ([He et al., 2015](../references.md)).
#
# **Where those variances come from.** Section 6.2 showed that going back through a layer
# multiplies the error by about $\sqrt{n_l \operatorname{Var}(w^{l+1})}\,\operatorname{rms}
# \sigma'(z^l)$. The same reasoning going *forwards* gives
# $\operatorname{Var}(z^{l+1}_j) = n_l \operatorname{Var}(w^{l+1})\,\overline{(a^l)^2}$. To keep
# both the signal and the error at a steady size, each layer should make both factors 1.
#
# * For tanh near its centre, $\sigma' \approx 1$ and $a \approx z$. Forwards we need
#   $n_{\text{in}}\operatorname{Var}(w) = 1$, backwards $n_{\text{out}}\operatorname{Var}(w) = 1$
#   (the error is summed over the neurons the weights lead to). Both hold only if the layers have
#   equal sizes; Glorot and Bengio's compromise uses the average of the two sizes,
#   $\operatorname{Var}(w) = 1\big/\tfrac12(n_{\text{in}} + n_{\text{out}}) =
#   2/(n_{\text{in}} + n_{\text{out}})$.
# * For ReLU, half of the neurons are off on average: $\sigma'^2$ is 1 on half of them and 0 on
#   the rest, so $\overline{\sigma'^2} = 1/2$, and likewise $\overline{a^2} =
#   \operatorname{Var}(z)/2$. Making $n\operatorname{Var}(w)/2 = 1$ gives He's
#   $\operatorname{Var}(w) = 2/n_{\text{in}}$.
# * For the sigmoid, the backward factor would need $n\operatorname{Var}(w) =
#   1/\overline{\sigma'^2} \approx 1/0.2^2 = 25$, weights about five times the default. But the
#   sigmoid is not centred: its outputs average about 0.5, so such weights make $z$ large,
#   saturate the neurons and lower $\sigma'$ again. That is about the large initialisation of 6.3
#   ($n\operatorname{Var}(w) = 30$), whose measured factor stayed well below 1: there is no
#   consistent choice for the sigmoid.
#
# To separate the two ingredients, activation and weights, we also run each activation with the
# book's default initialisation, and ReLU with the large initialisation. The protocol is the same
# as in 6.3: speeds at initialisation over seeds 0 to 19, the first 1,000 images, four hidden
# layers of 30 neurons (the output layer stays a sigmoid with the cross-entropy cost).

# %%
setups = {
    "tanh, default init": ("tanh", "default"),
    "tanh, Xavier init": ("tanh", "xavier"),
    "ReLU, default init": ("relu", "default"),
    "ReLU, He init": ("relu", "he"),
    "ReLU, large init": ("relu", "large"),
}
for label, (activation, init) in setups.items():
    at_init[label] = init_speeds(BOOK_NET, SEEDS, mnist, activation=activation, init=init)
for label, s in at_init.items():
    report(label, s)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the matched set-ups are nearly balanced, the sigmoid far from it, ReLU with large
# weights explodes
ratios = {label: np.median(s[:, -1] / s[:, 0]) for label, s in at_init.items()}
assert ratios["tanh, Xavier init"] < 3 and ratios["ReLU, He init"] < 3
assert ratios["sigmoid, default init"] > 30 * max(ratios["tanh, Xavier init"],
                                                  ratios["ReLU, He init"])
assert ratios["ReLU, large init"] < 0.1  # the first layer is the fastest: exploding

# %% tags=["hide-input"] mystnb={"image": {"alt": "Three panels of the median speed of learning at initialisation on a log axis against hidden layers 1 to 4, with shaded 10 to 90 percent bands. The default sigmoid net climbs steeply in every panel. Left: the large initialisation climbs less. Middle: tanh and ReLU with default weights climb much less. Right: tanh with Xavier and ReLU with He weights are nearly flat, and ReLU with large weights falls steeply, starting more than a hundred times above the others."}}
speed_profiles_figure({
    "same activation, different initial weights": {
        k: at_init[k] for k in ("sigmoid, default init", "sigmoid, large init")},
    "larger derivatives, default initial weights": {
        k: at_init[k] for k in ("sigmoid, default init", "tanh, default init",
                                "ReLU, default init")},
    "larger derivatives, matched (or too large) weights": {
        k: at_init[k] for k in ("sigmoid, default init", "tanh, Xavier init", "ReLU, He init",
                                "ReLU, large init")},
})

# %% [markdown]
# *Figure 6.5 — Speed of learning of hidden layers 1 to 4 at initialisation (median over 20 seeds;
# the shaded band spans the 10th to 90th percentile), log y axis, for the
# [784, 30, 30, 30, 30, 10] net. The sigmoid with the default initialisation (blue circles) is in
# every panel for reference: its line climbs steeply from layer 1 to layer 4. Left: the large
# initialisation flattens the sigmoid's line somewhat. Middle: tanh and ReLU with the default
# initialisation climb much less. Right: tanh with Xavier and ReLU with He initialisation are
# nearly flat, every layer learning at a similar speed; ReLU with the large initialisation slopes
# the other way, the first layer being the fastest: the gradient explodes.*
#
# Does depth undo the better activations? Notebook 04's Exercise 4.1 answers the chapter's
# question for a chain; here is the many-neuron measurement. For each set-up we take the ratio of
# the last hidden layer's speed to the first's at initialisation (median over seeds 0 to 4) in
# nets with 4, 8 and 16 hidden layers of 30 neurons, and turn it into a **factor per layer**,
# $\text{ratio}^{1/(\text{hidden layers} - 1)}$: 1 means balanced, above 1 vanishing, below 1
# exploding. Besides tanh and ReLU it includes a "stretched sigmoid" $4\sigma(z)$, whose
# derivative $4\sigma'(z)$ peaks at exactly 1 (simulated by multiplying by 4 every weight that
# reads a hidden activation).

# %%
depth_setups = {
    "sigmoid, default init": ("sigmoid", "default", 1.0),
    "4 sigma(z), default init": ("sigmoid", "default", 4.0),
    "tanh, default init": ("tanh", "default", 1.0),
    "ReLU, default init": ("relu", "default", 1.0),
    "ReLU, large init": ("relu", "large", 1.0),
    "tanh, Xavier init": ("tanh", "xavier", 1.0),
    "ReLU, He init": ("relu", "he", 1.0),
}
DEPTHS = (4, 8, 16)
per_layer, depth_ratios = {}, {}
print(f"{'set-up':>26} | ratio last/first at depth {DEPTHS} | factor per layer")
for label, (activation, init, scale) in depth_setups.items():
    row = []
    for h in DEPTHS:
        s = init_speeds([784] + [30] * h + [10], range(5), mnist, activation=activation,
                        init=init, hidden_scale=scale)
        row.append(np.median(s[:, -1] / s[:, 0]))
    depth_ratios[label] = np.array(row)
    per_layer[label] = depth_ratios[label] ** (1.0 / (np.array(DEPTHS) - 1))
    print(f"{label:>26} | " + " ".join(f"{v:9.3g}" for v in depth_ratios[label]) + " | "
          + " ".join(f"{v:5.2f}" for v in per_layer[label]))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: better activations with default weights are better but not balanced, and compound at
# depth 16; ReLU with large weights explodes; the matched set-ups stay near balance
better = ("4 sigma(z), default init", "tanh, default init", "ReLU, default init")
assert np.all((per_layer["sigmoid, default init"] > 4) & (per_layer["sigmoid, default init"] < 6))
for k in better:
    assert np.all(per_layer[k] > 1.3) and np.all(per_layer[k] < 2.5)
    assert depth_ratios[k][-1] > 300
assert np.all(per_layer["ReLU, large init"] < 0.5)
for k in ("tanh, Xavier init", "ReLU, He init"):
    assert np.all(per_layer[k] < 1.3) and np.all(per_layer[k] > 0.8)
glue("sigmoid_factor", sig(np.median(per_layer["sigmoid, default init"])))
glue("better_factor_min", sig(min(per_layer[k].min() for k in better)))
glue("better_factor_max", sig(max(per_layer[k].max() for k in better)))
glue("better_ratio16_min", sig(min(depth_ratios[k][-1] for k in better)))
glue("better_ratio16_max", sig(max(depth_ratios[k][-1] for k in better)))

# %% [markdown]
# The stretched sigmoid, tanh and ReLU with the default initial weights all have a much smaller
# factor per layer than the sigmoid (about <span data-glue="sigmoid_factor:.0f">5</span>), but
# not 1: between <span data-glue="better_factor_min:.2f">1.39</span> and
# <span data-glue="better_factor_max:.2f">1.75</span>. Such a factor looks harmless in a
# four-layer net and is ruinous at depth 16, where it compounds to a ratio of
# <span data-glue="better_ratio16_min:,.0f">408</span> to
# <span data-glue="better_ratio16_max:,.0f">3,120</span> between the last and the first layer.
# ReLU with too large weights has a factor well below 1: a larger derivative makes the gradient
# explode as easily as the small one made it vanish. Only tanh with Xavier and ReLU with He
# initial weights keep the factor close to 1 at every depth, because those initialisations are
# *designed*, as derived above, to cancel the activation's effect on the signal's size.
#
# Finally, the two matched set-ups through the 500 epochs of protocol-C training (seed 0), beside
# the two sigmoid nets of section 6.3:

# %%
for label, (activation, init) in (("tanh, Xavier init", ("tanh", "xavier")),
                                  ("ReLU, He init", ("relu", "he"))):
    run = runs_c[label] = training_run(BOOK_NET, 0, mnist, activation=activation, init=init,
                                       eta=ETA, sharpness_every=50)
    during[label] = run.speeds
spread = {label: np.max(s[-1]) / np.min(s[-1]) for label, s in during.items()}
for label, run in runs_c.items():
    print(f"{label:>22}: validation accuracy after 500 steps about {whole_percent(run.accuracy)} "
          f"%; all four layers within a factor of 10 at epoch 499: {spread[label] < 10}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: only the default sigmoid net keeps its layers far apart; the ReLU/He order flips; the
# matched nets classify far better
assert spread["sigmoid, default init"] > 10 * max(v for k, v in spread.items()
                                                  if k != "sigmoid, default init")
assert during["ReLU, He init"][-1, 0] > during["ReLU, He init"][-1, -1]
assert min(runs_c[k].accuracy for k in ("tanh, Xavier init", "ReLU, He init")) > 0.8

# %% tags=["hide-input"] mystnb={"image": {"alt": "Four panels of speed of learning on a log axis over 500 epochs for the four hidden layers: sigmoid with default weights (layers far apart, smooth), sigmoid with large weights (close together, smooth), tanh with Xavier weights (close together, with a burst midway and a thick zigzag band in layer 1) and ReLU with He weights (close together, jagged throughout, with the first layer ending on top)."}}
speeds_training_figure({f"{label}, seed 0": s for label, s in during.items()})

# %% [markdown]
# *Figure 6.6 — As Figure 6.3, for four set-ups (left to right): sigmoid with the default and
# with the large initialisation, tanh with Xavier and ReLU with He initialisation, seed 0. Only
# the default-initialised sigmoid net keeps its layers orders of magnitude apart. The tanh/Xavier
# net has a burst of large speeds in the middle of the run, and in the ReLU/He net the order of
# the layers flips during training: by the end the first hidden layer (blue) is the fastest. The
# sigmoid curves are smooth; the tanh and ReLU curves zigzag from one step to the next.*
#
# The matched set-ups train all their layers at comparable speeds and, in the same 500 steps,
# reach far better validation accuracy than the default-initialised sigmoid net (printed above).
# Note, though, that the balance is set up at the start, by the choice of the initial weights,
# and nothing holds it during training: the ReLU/He net drifts towards the *other* imbalance.
#
# **Why do the tanh and ReLU curves zigzag?** Because the step size $\eta = 0.1$ is at the edge
# of what gradient descent can take for these nets. Near a minimum the cost is roughly a bowl,
# and along its steepest direction, of curvature $\lambda_{\max}$ (the largest eigenvalue of the
# Hessian, the **sharpness**), one step multiplies the distance from the bottom by
# $1 - \eta\lambda_{\max}$. If $\eta\lambda_{\max} > 2$ that factor is below $-1$: each step
# jumps across the valley to a point further up the other side, and the parameters flip from side
# to side, the period-2 zigzag of the curves. We measured the sharpness every 50 steps, by power
# iteration on Hessian-vector products (`chapter5.obstacles.sharpness`), in three of the runs
# and in a fourth, tanh/Xavier with half the step, $\eta = 0.05$:

# %%
tanh_half = training_run(BOOK_NET, 0, mnist, activation="tanh", init="xavier", eta=ETA / 2,
                         sharpness_every=50)
sharp_runs = {
    "sigmoid, default init, \u03b7 = 0.1": runs_c["sigmoid, default init"],
    "tanh, Xavier init, \u03b7 = 0.1": runs_c["tanh, Xavier init"],
    "ReLU, He init, \u03b7 = 0.1": runs_c["ReLU, He init"],
    "tanh, Xavier init, \u03b7 = 0.05": tanh_half,
}


def zigzag(s):
    """How much the speeds wobble from one step to the next: the mean over epochs and layers of
    |second difference of log10 speed| (0 for a smooth curve)."""
    return float(np.mean(np.abs(np.diff(np.log10(s), 2, axis=0))))


for label, run in sharp_runs.items():
    eta = float(label.split("= ")[1])
    later = run.sharpness[run.sharpness_epochs >= 50]
    print(f"{label:>30}: sharpness reaches 3/4 of the limit 2/eta = {2 / eta:.0f}: "
          f"{bool(later.max() > 0.75 * 2 / eta)}; zigzag above 0.01: {zigzag(run.speeds) > 0.01}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: tanh at eta 0.1 hovers at 2/eta = 20 and zigzags; at eta 0.05 it stays below 2/eta = 40
# and is smooth; the sigmoid's sharpness is far below 20 and its curves are smooth
tanh_later = runs_c["tanh, Xavier init"].sharpness[runs_c["tanh, Xavier init"]
                                                    .sharpness_epochs >= 50]
half_later = tanh_half.sharpness[tanh_half.sharpness_epochs >= 50]
assert np.all((tanh_later > 15) & (tanh_later < 35))
assert np.all(half_later < 0.7 * 2 / (ETA / 2))
assert np.all(runs_c["sigmoid, default init"].sharpness < 0.2 * 2 / ETA)
assert zigzag(during["tanh, Xavier init"]) > 10 * zigzag(tanh_half.speeds)
assert zigzag(during["sigmoid, default init"]) < 0.1 * zigzag(during["tanh, Xavier init"])
assert zigzag(during["ReLU, He init"]) > 10 * zigzag(during["sigmoid, default init"])
assert np.all(np.diff(tanh_half.speeds[-1]) > 0)  # layer 1 slowest ... layer 4 fastest
# the tanh run at eta = 0.1 amplifies rounding (its later epochs change with the last bits of
# rounding, i.e. from one BLAS kernel to another), so only bounds of it are glued
glue("half_sharp_hi", sig(half_later.max(), 2))
glue("sigmoid_sharp_max", sig(runs_c["sigmoid, default init"].sharpness[1:].max(), 2))

# %% tags=["hide-input"] mystnb={"image": {"alt": "Sharpness on a log axis against the epoch for four runs, with dashed lines at 20 and 40, the stability limits 2 over eta for eta 0.1 and 0.05. The sigmoid run stays near 1. The tanh run with eta 0.1 sits at about 20 from epoch 50 on. The ReLU run with eta 0.1 jumps around 20, above and below. The tanh run with eta 0.05 levels off near 22, well below its limit of 40."}}
sharpness_figure({label: (run.sharpness_epochs, run.sharpness, float(label.split("= ")[1]))
                  for label, run in sharp_runs.items()})

# %% [markdown]
# *Figure 6.7 — Sharpness (the largest eigenvalue of the Hessian of the cost over the 1,000
# training images) against the epoch, log y axis; dashed lines: the stability limits
# $2/\eta = 20$ for $\eta = 0.1$ and $40$ for $\eta = 0.05$. Measured every 50 steps in the
# protocol-C runs of seed 0. For ReLU the cost has kinks, where its curvature is not defined, and
# the measured values scatter.*
#
# The same tanh/Xavier net with the two step sizes, side by side:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two panels of speed of learning on a log axis over 500 epochs for the four hidden layers of the tanh net with Xavier weights. Left, eta 0.1: a burst near epoch 250 and thick zigzag bands. Right, eta 0.05: four smooth curves, layer 1 lowest and layer 4 highest at the end."}}
speeds_training_figure({"tanh, Xavier init, \u03b7 = 0.1": during["tanh, Xavier init"],
                        "tanh, Xavier init, \u03b7 = 0.05": tanh_half.speeds})

# %% [markdown]
# *Figure 6.8 — Speed of learning of hidden layers 1 (blue) to 4 (vermillion) of the tanh net
# with Xavier initial weights (seed 0, protocol C), log y axis. Left: $\eta = 0.1$, as in
# Figure 6.6. Right: $\eta = 0.05$: the zigzag and the burst are gone.*
#
# The evidence fits. With $\eta = 0.1$ the tanh net's sharpness climbs to the limit
# $2/\eta = 20$ and stays there (between 15 and 35 at every measurement from epoch 50 on):
# training keeps pushing into sharper regions, and the zigzag pushes it back out. This
# self-stabilising behaviour of full-batch gradient descent has a name, the **edge of stability**
# ([Cohen et al., 2021](../references.md)). With half the step the same net levels off at a
# sharpness of at most <span data-glue="half_sharp_hi:.0f">23</span>, below its limit of 40, and
# its curves are smooth: the zigzag measure (the mean size of the step-to-step wobble of
# $\log_{10}$ speed) is more than ten times smaller. The ReLU net's sharpness hovers
# around 20 as well, and the sigmoid net's stays near
# <span data-glue="sigmoid_sharp_max:.1f">1.1</span>, far below the limit, which is why its curves
# are smooth. The zigzag is therefore a property of the step size, not of the layers' balance:
# with half the step the tanh net's layers end in the same order as in Figure 6.6, layer 1 the
# slowest and layer 4 the fastest.
#
# Living at the edge of stability has a side effect worth knowing: the run becomes **sensitive
# to tiny differences**. Each zigzag amplifies them, so the last bits of rounding, which differ
# from one processor or BLAS library to another, grow until the later epochs of the tanh run at
# $\eta = 0.1$ visibly differ between machines (we saw them differ between two BLAS kernels on
# one and the same computer). That is why this notebook states only bounds for that run; every
# other run here gives the same digits everywhere.
#
# ## 6.6 Looking further: the remedies
#
# The chapter stops at the diagnosis. The remedies that made very deep nets trainable came later;
# each attacks the product of eq. (124) in a different way. We only name them here:
#
# * **Gradient clipping** ([Pascanu, Mikolov and Bengio, 2013](../references.md)): when the
#   gradient's norm exceeds a threshold, scale it down to the threshold before the step. It stops
#   an exploding product from throwing the weights far away in one step, but does nothing for a
#   vanishing one.
# * **Normalisation** ([Ioffe and Szegedy, 2015](../references.md), batch normalisation): re-centre
#   and re-scale every neuron's $z$ over the mini-batch before the activation, with a learned
#   scale and offset. It keeps each $z$ near the steep middle of the activation whatever the
#   weights do, so $\sigma'$ cannot drift far towards 0: it helps keep, during training, the
#   balance that Xavier and He only set up at the start.
# * **Residual connections** ([He, Zhang, Ren and Sun, 2016](../references.md)): each block of
#   layers computes $a^{l+1} = a^l + F(a^l)$ instead of $F(a^l)$. Backpropagation through the block
#   then multiplies the error by $1 + \partial F/\partial a$ instead of $\partial F/\partial a$:
#   the product of eq. (124) becomes a product of factors near 1, plus a direct path along which
#   the error reaches the early layers undiminished. Such a block can also "do nothing" simply by
#   setting $F = 0$ (compare the identity neuron of notebook 05).
#
# ## Key takeaways
#
# * With many neurons per layer, the gradient of an early layer is still a product of one factor
#   per later layer (eq. 124); each factor is now a pair of matrices $\Sigma'(z^l)\,(w^{l+1})^T$.
# * Variance propagation predicts how much a layer shrinks a typical error:
#   $\sqrt{n_l\operatorname{Var}(w)}\,\operatorname{rms}\sigma'$. For the book's sigmoid net that
#   is the rms of $\sigma'$, about 0.2, and the measured shrink agrees.
# * Larger weights help the sigmoid only partly, because they also saturate it; tanh with Xavier
#   and ReLU with He weights are chosen so that both factors are 1, and they start balanced at
#   any depth.
# * Balance set up at the start is not kept during training; and the last hidden layer of a
#   sigmoid net drifts towards 0 while the net is still at chance.
# * The jagged learning curves of the tanh and ReLU nets come from a step size at the edge of
#   stability ($\eta \approx 2/\text{sharpness}$), not from the balance of the layers.
# * Later remedies (clipping, normalisation, residual connections) each break the product of
#   eq. (124) in their own way.
#
# ## Exercises
#
# The chapter's exercise about an activation function whose derivative can be much larger than
# $1/4$ is notebook 04's Exercise 4.1; section 6.5 above adds the many-neuron measurement.
#
# **Exercise 6.1 (why bias gradients stand for the weights).** The chapter measures a layer's
# speed of learning by $\|\partial C/\partial b^l\|$, but it is mostly the weights that learn.
# Show that for one input $\partial C/\partial w^l_{jk} = a^{l-1}_k\,\delta^l_j$, so that
# $\|\partial C/\partial w^l\| = \|a^{l-1}\|\,\|\partial C/\partial b^l\|$ (Frobenius norm on the
# left). Then measure, in the four-hidden-layer net at initialisation, both speeds of every
# hidden layer (averaged over the 1,000 images): do the weights tell the same story?
#
# <details><summary>Show the worked solution</summary>
#
# Since $z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j$, the chain rule gives
# $\partial C/\partial w^l_{jk} = \delta^l_j\, a^{l-1}_k$ and $\partial C/\partial b^l_j =
# \delta^l_j$. The matrix $\partial C/\partial w^l$ is the outer product $\delta^l (a^{l-1})^T$,
# and the Frobenius norm of an outer product is the product of the two vectors' lengths. So for
# one input the weight gradient of layer $l$ is the bias gradient scaled by $\|a^{l-1}\|$, the
# size of the layer's input. Averaged over inputs the identity is no longer exact (a mean of
# outer products is not an outer product), but the cell below shows that it stays close: the
# ratio of weight speed to bias speed lies between
# <span data-glue="w_over_b_min:.1f">3.0</span> and
# <span data-glue="w_over_b_max:.1f">6.0</span> in every layer. That spread is small beside the
# factor of <span data-glue="b_ratio:.0f">95</span> between the bias speeds of layers 1 and 4 in
# this net: its first layer's weights learn about <span data-glue="w_ratio:.0f">47</span> times
# more slowly than the fourth's. Its ratio is the largest because its input is an image of 784 pixels, whose length is
# larger than that of the 30 activations feeding the later layers. The bias gradient, which needs
# no input, is the cleaner measure of how much error reaches the layer.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
grads = Network(BOOK_NET, seed=0).gradients(x_1000, y_1000)
bias_speed = np.array([np.linalg.norm(db) for db in grads.dC_db[:-1]])
weight_speed = np.array([np.linalg.norm(dw) for dw in grads.dC_dw[:-1]])
input_size = np.array([np.median(np.linalg.norm(a, axis=1)) for a in grads.a[:-2]])
print("hidden layer:             " + " ".join(f"{i:9d}" for i in range(1, 5)))
print("||dC/db^l||:              " + " ".join(f"{v:9.2e}" for v in bias_speed))
print("||dC/dw^l||:              " + " ".join(f"{v:9.2e}" for v in weight_speed))
print("ratio weight / bias:      " + " ".join(f"{v:9.2f}" for v in weight_speed / bias_speed))
print("median ||a^(l-1)||:       " + " ".join(f"{v:9.2f}" for v in input_size))
print(f"layer 4 / layer 1: biases {bias_speed[-1] / bias_speed[0]:.0f}, "
      f"weights {weight_speed[-1] / weight_speed[0]:.0f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: for one input the identity is exact; averaged, the weights keep the order of the biases
one = Network(BOOK_NET, seed=0).gradients(x_1000[:1], y_1000[:1])
for i in range(4):  # hidden layer i + 1
    assert np.isclose(np.linalg.norm(one.dC_dw[i]),
                      np.linalg.norm(one.a[i][0]) * np.linalg.norm(one.dC_db[i]), rtol=1e-12)
assert np.all(np.diff(weight_speed) > 0) and np.all(np.diff(bias_speed) > 0)
assert weight_speed[-1] / weight_speed[0] > 20
glue("w_over_b_min", sig((weight_speed / bias_speed).min(), 2))
glue("w_over_b_max", sig((weight_speed / bias_speed).max(), 2))
glue("w_ratio", sig(weight_speed[-1] / weight_speed[0], 2))
glue("b_ratio", sig(bias_speed[-1] / bias_speed[0], 2))

# %% [markdown]
# **Exercise 6.2.** Show that the spectral norm of a diagonal matrix is the largest absolute value
# on its diagonal, and use it to prove that, for a sigmoid net with the quadratic cost,
# $\|\delta^l\| \le 4^{-(L-l)}\, \|\nabla_a C\| \prod_{k=l+1}^{L} \|w^k\|$.
#
# <details><summary>Show the worked solution</summary>
#
# For $D = \operatorname{diag}(d_1, \dots, d_n)$ and any vector $v$,
# $\|Dv\|^2 = \sum_j d_j^2 v_j^2 \le (\max_j d_j^2)\,\|v\|^2$, with equality for $v$ the unit
# vector at the position of the largest $|d_j|$. So $\|D\| = \max_j |d_j|$, and
# $\|\Sigma'(z)\| \le 1/4$ because $\sigma' \le 1/4$. Eq. (124) contains $L - l + 1$ factors
# $\Sigma'$ (layers $l$ to $L$) and the transposed weight matrices $w^{l+1}, \dots, w^L$; the norm
# of a product is at most the product of the norms, and $\|M^T\| = \|M\|$. That gives
# $\|\delta^l\| \le 4^{-(L-l+1)} \|\nabla_a C\| \prod_{k=l+1}^{L}\|w^k\|$, which is even a
# factor 4 stronger than asked. Section 6.2 measured the ingredients: with the default
# initialisation each $\|w^k\|$ is about <span data-glue="default_weight_norm:.0f">2</span>, so
# each layer cuts the bound to about half or less.
# </details>
#
# **Exercise 6.3 (symmetry breaking).** Why are the initial weights random at all? Suppose every
# weight and bias starts at 0. Predict what gradient descent does to the 30 neurons of a hidden
# layer, then check it: train [784, 30, 30, 10] for 200 full-batch steps ($\eta = 0.5$, no weight
# decay, the 1,000 images) from zero and from the default random start.
#
# <details><summary>Show the worked solution</summary>
#
# Neurons of one layer that start equal stay equal. At a zero start every hidden neuron computes
# the same $z = 0$ and $a = 1/2$, and sends its output to the next layer through the same
# weights. The output error then comes back to each of them through the same weights (at first
# all 0, so the hidden layers get no gradient at all, and only the output layer moves), so each
# receives the same $\delta$ and, by Exercise 6.1, the same weight update. Equal neurons get
# equal updates, for ever: a layer of 30 identical neurons computes no more than one neuron
# does, whatever the training. The cell below confirms it: after 200 steps the incoming weights of
# any two neurons of a layer differ by less than $10^{-12}$ times the weights' size (only
# rounding separates them), while from the random start they differ by as much as the weights
# themselves. The zero-started net stays at about
# <span data-glue="zero_acc:d">11</span> % validation accuracy against
# <span data-glue="random_acc:d">77</span> % for the random start. Random initial weights are
# there to break this symmetry; their *scale* is what the rest of this notebook is about.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
sym = symmetry_run([784, 30, 30, 10], mnist)
for start in ("zero", "default"):
    rel = sym.spread[start] / sym.size[start]
    print(f"{start:>7} start: largest difference between two neurons' weights, relative to the "
          f"largest weight, hidden layers 1, 2: "
          + ", ".join("below 1e-12" if r < 1e-12 else f"{r:.2f}" for r in rel)
          + f" | validation accuracy about {whole_percent(sym.accuracy[start])} %")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the zero start keeps every layer's neurons identical (to rounding), the random one not
assert np.all(sym.spread["zero"] <= 1e-12 * sym.size["zero"])
assert np.all(sym.size["zero"] > 0)  # the weights did move, together
assert np.all(sym.spread["default"] > 0.3 * sym.size["default"])
assert sym.accuracy["zero"] < 0.2 < 0.6 < sym.accuracy["default"]
glue("zero_acc", whole_percent(sym.accuracy["zero"]))
glue("random_acc", whole_percent(sym.accuracy["default"]))

# %% [markdown]
# **Exercise 6.4 (the chapter's escape clause).** The chapter argues that a sigmoid net vanishes
# unless the weights grow during training until $|w\,\sigma'(z)| \ge 1$, which needs $|w| \ge 4$
# (notebook 05). Do they? For the protocol-C nets of section 6.3, compare before and after
# the 500 steps: the largest weight between hidden layers, and the largest factor
# $|w^l_{jk}|\,\sigma'(z^l_j)$ over all connections into hidden layers 2 to 4 and all 1,000
# images (`chapter5.obstacles.escape_factors`) in the two sigmoid nets. Predict first: with the
# chapter's weight decay $\lambda = 5$, which way will the weights move?
#
# <details><summary>Show the worked solution</summary>
#
# They do not grow; they shrink. The weight decay multiplies every weight by
# $1 - \eta\lambda/n = 1 - 0.1 \cdot 5/1000 = 0.9995$ per step, about $0.78$ over 500 steps, and
# the gradient of a net that barely learns (the default sigmoid net stays at chance) cannot
# outweigh that. In the cell below the largest weight between hidden layers of the default
# sigmoid net falls from <span data-glue="esc_w_start:.2f">0.66</span> to
# <span data-glue="esc_w_end:.2f">0.55</span>, and its largest factor anywhere, over 2.7 million
# (image, connection) pairs, from <span data-glue="esc_f_start:.2f">0.16</span> to
# <span data-glue="esc_f_end:.2f">0.13</span>: no factor comes near 1. Even the large
# initialisation, with weights up to about 3.6, never reaches 1 (largest factor
# <span data-glue="esc_large_f:.2f">0.91</span> at the start, and less after training). For the
# sigmoid nets the escape clause stays closed, and the measured shrink per layer stays well
# below 1 (for the default net it even falls, from a median of about
# <span data-glue="esc_shrink_start:.2f">0.20</span> to about
# <span data-glue="esc_shrink_end:.2f">0.16</span> per layer).
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
print(f"{'net':>22} | largest hidden weight | largest |w sigma'| | share >= 1 | median shrink")
for label in ("sigmoid, default init", "sigmoid, large init"):
    run = runs_c[label]
    for when, esc, shrink in (("start", run.escape_start, run.shrink_start),
                              ("end", run.escape_end, run.shrink_end)):
        print(f"{label:>22} {when:>5} | {esc['largest_weight'][1:-1].max():21.2f} | "
              f"{esc['largest'].max():18.2f} | {100 * esc['share_above_1'].max():8.1f} % | "
              + " ".join(f"{v:.2f}" for v in shrink))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the sigmoid nets' hidden weights shrink and no factor reaches 1
for k in ("sigmoid, default init", "sigmoid, large init"):
    r = runs_c[k]
    assert r.escape_end["largest_weight"][1:-1].max() < r.escape_start["largest_weight"][1:-1].max()
    assert r.escape_start["largest"].max() < 1 and r.escape_end["largest"].max() < 1
    assert np.all(r.escape_end["share_above_1"] == 0)
d_esc = runs_c["sigmoid, default init"]
glue("esc_w_start", sig(d_esc.escape_start["largest_weight"][1:-1].max(), 2))
glue("esc_w_end", sig(d_esc.escape_end["largest_weight"][1:-1].max(), 2))
glue("esc_f_start", sig(d_esc.escape_start["largest"].max(), 2))
glue("esc_f_end", sig(d_esc.escape_end["largest"].max(), 2))
glue("esc_large_f", sig(runs_c["sigmoid, large init"].escape_start["largest"].max(), 2))
assert np.median(d_esc.shrink_end) < np.median(d_esc.shrink_start) < 1
glue("esc_shrink_start", sig(np.median(d_esc.shrink_start), 2))
glue("esc_shrink_end", sig(np.median(d_esc.shrink_end), 2))

# %% [markdown]
# **Exercise 6.5.** In section 6.4 the top hidden layer drifts towards 0 while the accuracy is
# still at chance. What is the network computing during that time? Predict its output for an
# arbitrary image, then check it on the "300 per layer, Glorot-Bengio init" net trained there.
#
# <details><summary>Show the worked solution</summary>
#
# While the hidden layers carry no useful information about the digit, the best the network can
# do is to output the same guess for every image: the class frequencies. With sigmoid outputs and
# the cross-entropy cost that means $a^L_j = \sigma(z^L_j) \approx p_j$, the fraction of training
# images showing digit $j$, so $z^L_j \approx \ln(p_j/(1-p_j))$, about $-2.2$ for $p_j \approx 0.1$.
# The cell below confirms it: the output's weighted inputs are the same for every probe image
# (their spread over the images is tiny) and sit close to those logits, up to the jitter that
# the last few mini-batch steps leave behind. Glorot and Bengio's story has the output
# *biases* carry this constant while the top hidden layer is switched off. In our run the biases
# have moved only a little (printed): the constant is carried mostly by the weights from a top
# hidden layer whose activations are small and nearly the same for every image. Same outcome
# (a net that ignores its input), slightly different route.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
wide = saturation["300 per layer, Glorot-Bengio init"]
y_10k = mnist.train.y[:10_000]
p = np.bincount(y_10k, minlength=10) / len(y_10k)
logit = np.log(p / (1 - p))
print("digit:                  " + " ".join(f"{j:6d}" for j in range(10)))
print("logit of p_j:           " + " ".join(f"{v:6.2f}" for v in logit))
print("mean z^L over images:   " + " ".join(f"{v:6.1f}" for v in wide.output_z_mean))
print("std of z^L over images: " + " ".join(f"{v:6.2f}" for v in wide.output_z_std))
print("output bias b^L:        " + " ".join(f"{b:6.1f}" for b in wide.output_bias))
gap = np.mean(np.abs(wide.output_z_mean - logit))
print(f"mean |z^L - logit| over the ten outputs: {gap:.1f}; largest std over images below "
      f"{0.05 * np.abs(logit).min():.2f}: {wide.output_z_std.max() < 0.05 * np.abs(logit).min()}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the outputs are the class-frequency logits, the same for every image
assert gap < 0.3 and wide.output_z_std.max() < 0.05 * np.abs(logit).min()
