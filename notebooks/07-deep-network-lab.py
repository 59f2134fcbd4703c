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
# # 7. The deep-network lab
#
# Notebooks 02 and 06 measured the chapter's real MNIST networks in fixed set-ups. Here you change
# the network yourself and watch each hidden layer's speed of learning respond: the depth (1-10
# hidden layers), the width (10-100 neurons), the activation (sigmoid, tanh, ReLU), the initial
# weights, the learning rate $\eta$ and the number of training images (the first $N \le 1000$
# MNIST training images). "Speed" is the chapter's $\|\partial C/\partial b^l\|$, the norm of the
# mean bias gradient of hidden layer $l$ over the images (Nielsen, *Neural Networks and Deep
# Learning*, ch. 5); "Train" runs the chapter's protocol C: record the speeds, then take one
# full-batch gradient-descent step, epoch after epoch.
#
# We walk through four experiments: the chapter's nets; the large initialisation; symmetry with
# zero weights; tanh with Xavier and ReLU with He weights, a look ahead.

# %%
# %matplotlib inline
import os

import numpy as np
from IPython.display import display
from threadpoolctl import threadpool_limits

from chapter5 import lab
from chapter5.data import load_mnist
from chapter5.prose import glue
from chapter5.viz.lab import Lab

# One BLAS thread: small matrices, and a fixed summation order on every machine.
threadpool_limits(limits=1, user_api="blas")
mnist = load_mnist(os.environ.get("CHAPTER5_MNIST_DIR"))
x_1000, y_1000 = mnist.train.x[:1000], mnist.train.y[:1000]
SEEDS = range(10)  # every at-init statement below is over these ten seeds


def over_seeds(**config):
    """At-init results of one set-up for each of the ten seeds."""
    return [lab.at_init(lab.LabConfig(seed=s, **config), x_1000, y_1000) for s in SEEDS]


# %% [markdown]
# ## The lab
#
# Pick a preset or move the controls: the speeds at initialisation (left, log axis) and the
# histograms of the activations and of the per-image bias gradients update in place. The readout
# lists each layer's speed and its share of *saturated* (image, neuron) pairs: $\sigma'(z)$ below
# 1 % of its peak (for ReLU: an inactive neuron, $\sigma'(z) = 0$).
#
# **Predict, then train.** Before the first training run of a preset, the lab asks which layer you
# expect to learn slowest and by roughly how much; your guess stays on your machine (in this
# kernel, or in your browser on the website) and is shown beside the measured result. Train runs
# 200 epochs and can be stopped at any time.
#
# In JupyterLab (`make lab`, or Binder) the next cell runs the lab in the Python kernel. On the
# website it runs in your browser instead, just below, with no kernel.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
# widget view: model ids are random (and the kernel-free book cannot run it)
explorer = Lab(x_1000, y_1000)
display(explorer)

# %% [markdown]
# <div class="c5-web-explorer" data-explorer="lab">
# <p><em>On the website, a kernel-free version of this lab appears here. In JupyterLab, use the
# live lab above.</em></p>
# </div>
# <script type="module" src="../_explorers/lab_explorer.js"></script>
#
# **How the website's lab works.** The page does the lab's arithmetic in JavaScript
# (`chapter5/js/lab_net.js`), in a background thread of your browser, on the first 1000 MNIST
# training images shipped with the site: one file of 1000 × (784 + 1) bytes = 785 kB, each
# image's 784 pixel values 0-255 and then the 1000 labels, loaded when the lab starts. One thing
# differs from the Python lab: the starting weights. JavaScript has no copy of numpy's random
# generator, so the page draws its own, from a documented seeded generator (xoshiro128\*\*
# of [Blackman and Vigna (2021)](../references.md), seeded through splitmix32, with normal numbers
# from the polar method of [Marsaglia and Bray (1964)](../references.md)), from the same
# distributions and in the same order as `chapter5.lab`. Seed 0 on the page and seed 0 here are
# therefore two different draws of the same kind of network, and their numbers differ as two
# seeds here do. Given the *same* weights, the two agree: `tests/test_lab_js_parity.py`
# hands Python's initial weights to the JavaScript for every activation and initialisation and
# depths 1-10, trains both for 50 epochs and requires every recorded speed to agree to 1e-9
# relative; a browser test takes the page's own weights back into Python and checks that the
# readouts on the page are the ones `chapter5.lab` computes for them.

# %% [markdown]
# ## 7.1 The chapter's nets
#
# **Predict:** in the net with four hidden layers, how many times slower than the fourth do you
# expect the first hidden layer to learn at initialisation? Then read the numbers.

# %%
chapter = {h: over_seeds(depth=h) for h in (2, 3, 4)}
for h, runs in chapter.items():
    med = np.median([r.speeds for r in runs], axis=0)
    print(f"{h} hidden layers, median speeds at init: " + "  ".join(f"{v:.1e}" for v in med))
shrink_default = np.median([lab.shrink_per_layer(r.speeds) for r in chapter[4]])
print(f"speed falls by a factor of about {shrink_default:.1f} per layer (4 hidden, median)")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: in every run each earlier layer is slower; glue the median shrink and 4/1 ratio
assert all(np.all(np.diff(r.speeds) > 0) for runs in chapter.values() for r in runs)
ratio_4 = np.median([lab.ratio_last_first(r.speeds) for r in chapter[4]])
assert 30 < ratio_4 < 300
glue("shrink_default", float(f"{shrink_default:.2g}"))
glue("ratio_4", int(float(f"{ratio_4:.2g}")))

# %% [markdown]
# In every one of the ten seeds each hidden layer learns more slowly than the one above it; the
# speed falls by a factor of about <span data-glue="shrink_default:.2g">4.9</span> per layer, and
# the first of four hidden layers is about <span data-glue="ratio_4:.0f">120</span> times slower than
# the fourth (median), the chapter's picture.
#
# **Why about that factor?** Variance propagation explains it. Going down one layer,
# $\delta^l = \sigma'(z^l) \odot (w^{l+1})^T \delta^{l+1}$. If the $n$ weights into each neuron of
# layer $l+1$ are independent with mean 0 and variance $v$, and independent of the $\delta$s, each
# entry of $(w^{l+1})^T\delta^{l+1}$ has variance $n\,v\,\mathrm{Var}(\delta^{l+1}_j)$, and
# multiplying by $\sigma'(z^l)$ gives
#
# $$ \mathrm{Var}(\delta^l) \approx n\,v\,\mathbb{E}[\sigma'(z^l)^2]\;\mathrm{Var}(\delta^{l+1}). $$
#
# The size of the gradient therefore shrinks per layer by $1/\sqrt{n\,v\,\mathbb{E}[\sigma'^2]}$.
# With the book's default $v = 1/n$ this is $1/\sqrt{\mathbb{E}[\sigma'^2]}$, and since
# $\sigma' \le 1/4$ it is at least 4. The same reasoning forwards,
# $\mathrm{Var}(z^{l+1}) \approx n\,v\,\mathbb{E}[(a^l)^2]$, is what the initialisations of
# section 7.4 are built on. The measured $\mathbb{E}[\sigma'(z)^2]$ gives the prediction:

# %%
predicted = np.median([lab.predicted_shrink_per_layer(lab.LabConfig(depth=4), r)
                       for r in chapter[4]])
print(f"predicted shrink per layer: {predicted:.1f}; measured: {shrink_default:.1f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: prediction within 25 % of the measurement; glue it
assert abs(predicted / shrink_default - 1) < 0.25
glue("predicted_default", float(f"{predicted:.2g}"))

# %% [markdown]
# The prediction, <span data-glue="predicted_default:.2g">4.9</span> per layer, is close to the
# measured factor: at initialisation the vanishing gradient is just this variance bookkeeping.
#
# ## 7.2 The large initialisation: where the escape clause starts
#
# With weights drawn from $N(0, 1)$ the products $|w\,\sigma'(z)|$ are larger, and the chapter
# notes that large weights are the only way a factor could reach 1. But large weights also push
# $z$ far from 0, where $\sigma'$ is tiny:

# %%
large = over_seeds(depth=4, init="large")
shrink_large = np.median([lab.shrink_per_layer(r.speeds) for r in large])
saturated_large = np.median([r.layers[0].saturated_share for r in large])
print(f"large init: shrink per layer {shrink_large:.1f}; layer 1 saturated in "
      f"{100 * saturated_large:.0f} % of (image, neuron) pairs")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: large init shrinks less per layer in every seed and saturates layer 1; glue
assert all(lab.shrink_per_layer(a.speeds) < lab.shrink_per_layer(b.speeds)
           for a, b in zip(large, chapter[4], strict=True))
assert saturated_large > 0.3
glue("shrink_large", float(f"{shrink_large:.2g}"))
glue("saturated_large", round(100 * saturated_large))

# %% [markdown]
# The layers are closer together (a factor of about <span data-glue="shrink_large:.2g">2.2</span>
# per layer), but the first hidden layer is saturated for about
# <span data-glue="saturated_large">49</span> % of its (image, neuron) pairs. Does training then
# grow the weights until $|w\,\sigma'(z)| > 1$, the chapter's escape clause? We measure the
# largest factor $|w^l_{jk}\,\sigma'(z^l_j)|$ over every weight above a hidden layer and every
# image, before and after 100 epochs of protocol C (seed 0):

# %%
escape = {}
for init in ("default", "large"):
    config = lab.LabConfig(depth=4, init=init, seed=0)
    net = lab.build_network(config)
    before = lab.escape_clause(net, x_1000)
    for _ in lab.train(config, x_1000, y_1000, 100, chunk=50, net=net):
        pass
    escape[init] = (before, lab.escape_clause(net, x_1000))
    print(f"{init:>7} init: largest |w σ'(z)| per layer before " + " ".join(
        f"{v:.2f}" for v in before) + " | after " + " ".join(f"{v:.2f}" for v in escape[init][1]))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: no factor clears 1.1 and the large-init factors fall; glue the largest
assert all(np.all(b < 1.1) and np.all(a < 1.1) for b, a in escape.values())
assert np.all(escape["large"][1] < escape["large"][0])
glue("escape_max", float(f"{max(float(np.max(b)) for b, _ in escape.values()):.2f}"))

# %% [markdown]
# No. The largest factor anywhere is <span data-glue="escape_max:.2f">0.91</span>, and in training
# the weight decay ($\lambda = 5$) *shrinks* the large weights rather than growing them: the
# escape clause stays closed. (Over other seeds a single weight of a large-initialised net can
# just reach 1 at the start; `tests/test_lab.py` checks that none gets past 1.1, before or after
# training.)
#
# ## 7.3 Zero weights: symmetry never breaks
#
# Set every weight and bias to 0. Every neuron of a hidden layer then computes the same thing,
# receives the same gradient and takes the same step, so they stay identical for ever:

# %%
zeros = lab.LabConfig(depth=4, init="zeros")
net = lab.build_network(zeros)
speeds_zero, _ = lab.run(zeros, x_1000, y_1000, 20, chunk=20)
def same_rows(w, tol=1e-12):
    """Every neuron's weights equal the first's, to rounding (BLAS kernels may differ in the
    last bit from row to row)."""
    return np.max(np.abs(w - w[:1])) <= tol * max(np.max(np.abs(w)), 1e-300)


identical = all(same_rows(w) for w in net.weights[:-1])
for _ in lab.train(zeros, x_1000, y_1000, 20, chunk=20, net=net):
    pass
identical_after = all(same_rows(w) and same_rows(w.T) for w in net.weights[1:-1])
print("speeds at epoch 0: " + " ".join(f"{v:.1f}" for v in speeds_zero[0])
      + " | at epoch 19: " + " ".join(f"{v:.1e}" for v in speeds_zero[-1]))
print("neurons of each hidden layer identical (to 12 digits) after 20 epochs: "
      f"{identical_after}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: symmetric at the start and after training
assert identical and identical_after and np.all(speeds_zero[0] == 0.0)
assert np.all(speeds_zero[-1] > 0)

# %% [markdown]
# At the start the hidden layers get no gradient at all (their speed is exactly 0): the zero
# weights above them pass nothing down. Once the output weights have moved, gradients do reach
# the hidden layers, but every neuron of a layer gets the same one: a layer of 30 identical
# neurons is no better than one neuron.
#
# ## 7.4 A look ahead: tanh with Xavier, ReLU with He
#
# The forward rule $\mathrm{Var}(z^{l+1}) \approx n\,v\,\mathbb{E}[(a^l)^2]$ says how to choose
# $v$. For tanh near 0, $a \approx z$ and $\sigma' \approx 1$: $v = 1/n$ keeps the variance of $z$
# the same from layer to layer, forwards and (by the backward rule) backwards.
# [Glorot and Bengio (2010)](../references.md) balance both directions with $v = 2/(n_{in} + n_{out})$, which is $1/n$ for equal widths;
# the lab draws the *normal* distribution with that variance (their paper uses the uniform
# $U[\pm\sqrt{6/(n_{in}+n_{out})}]$, which has the same variance). For ReLU half the neurons are
# off, $\mathbb{E}[a^2] = \mathrm{Var}(z)/2$ and $\mathbb{E}[\sigma'^2] = 1/2$, so $v = 2/n$
# ([He et al. (2015)](../references.md)) makes $n\,v\,\mathbb{E}[\sigma'^2] = 1$. Measured:

# %%
ahead = {"tanh, Xavier": over_seeds(depth=4, activation="tanh", init="xavier"),
         "ReLU, He": over_seeds(depth=4, activation="relu", init="he")}
shrink_ahead = {k: np.median([lab.shrink_per_layer(r.speeds) for r in v]) for k, v in ahead.items()}
for k, v in shrink_ahead.items():
    print(f"{k:>12}: shrink per layer {v:.1f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: every seed near balance; glue
for runs in ahead.values():
    assert all(0.6 < lab.shrink_per_layer(r.speeds) < 1.5 for r in runs)
glue("shrink_tanh", float(f"{shrink_ahead['tanh, Xavier']:.2g}"))
glue("shrink_relu", float(f"{shrink_ahead['ReLU, He']:.2g}"))

# %% [markdown]
# Both stay near balance: about <span data-glue="shrink_tanh:.2g">1.1</span> (tanh/Xavier) and
# <span data-glue="shrink_relu:.2g">1.2</span> (ReLU/He) per layer instead of
# <span data-glue="shrink_default:.2g">4.9</span>. Train the presets in the lab to see whether the
# balance lasts (notebook 06 showed it need not).
#
# ## Key takeaways
#
# * In the chapter's sigmoid nets each hidden layer learns several times more slowly than the one
#   above; variance propagation, $1/\sqrt{n\,v\,\mathbb{E}[\sigma'^2]}$ per layer, predicts the
#   factor.
# * Large weights bring the layers closer but saturate the neurons, and training does not grow
#   the weights past the chapter's escape clause $|w\,\sigma'(z)| \ge 1$.
# * Zero weights never break symmetry.
# * Matching the weights' variance to the activation (Xavier for tanh, He for ReLU) puts the
#   product of eq. (124) near balance at the start.
#
# ## Exercises
#
# **Exercise 7.1.** Using the backward rule, predict the shrink per layer of a sigmoid net whose
# weights have variance $16/n$ (four times the default standard deviation), then check it with
# the lab module.
#
# <details><summary>Show the worked solution</summary>
#
# The rule gives $1/\sqrt{16\,\mathbb{E}[\sigma'^2]}$: if $z$ stayed near 0 that would be
# $1/\sqrt{16/16} = 1$, balance. But larger weights spread $z$, $\mathbb{E}[\sigma'^2]$ falls, and
# the factor stays above 1; the cell below measures both.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
scaled = []
for s in range(3):
    config = lab.LabConfig(depth=4, seed=s)
    net = lab.build_network(config)
    net.set_parameters([4.0 * w for w in net.weights], [b.copy() for b in net.biases])
    r = lab.at_init(config, x_1000, y_1000, net=net)
    gain = 16.0 * float(np.mean(r.mean_sigma_prime_sq[:-1]))
    scaled.append((1 / np.sqrt(gain), lab.shrink_per_layer(r.speeds)))
    print(f"seed {s}: predicted {scaled[-1][0]:.1f}, measured {scaled[-1][1]:.1f}")
