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
# # 5. How common is vanishing?
#
# Notebook 04 showed that a chain of sigmoid neurons can make its gradient explode as well as
# vanish: both are symptoms of an unbalanced product. Yet in real sigmoid networks it is
# overwhelmingly the *vanishing* kind we meet. This notebook explains why, following the
# prevalence problem of Nielsen's chapter 5 (eq. 123).
#
# Look at one neuron of the chain, with weight $w$ and bias $b$, receiving the activation $a$
# from the neuron before it. Its contribution to the gradient product of eq. (122) is the factor
#
# $$ w\,\sigma'(z), \qquad z = w a + b. $$
#
# The gradient does not shrink as it passes through this neuron only if
# $|w\,\sigma'(wa + b)| \ge 1$. We ask: for which $w$, $b$ and $a$ can that happen, and how likely
# is it?

# %%
# %matplotlib inline
import math

import numpy as np
from IPython.display import display

from chapter5.activations import sigmoid, sigmoid_prime
from chapter5.identity import identity_neuron_minimax
from chapter5.prevalence import (
    PREVALENCE_DEFAULT_B,
    PREVALENCE_DEFAULT_W,
    VANISHING_THRESHOLD,
    band,
    factor,
    max_width_bound,
    width_bound,
    width_bound_book_form,
    z_half_width,
)
from chapter5.prose import glue
from chapter5.viz.prevalence import (
    band_explorer,
    band_figure,
    identity_error_figure,
    readout_strings,
    threshold_figure,
    width_bound_figure,
)

# %% [markdown]
# ## 5.1 First requirement: $|w| \ge 4$
#
# Write $s = \sigma(z)$. Then $\sigma'(z) = s(1-s)$, and completing the square gives
#
# $$ s(1-s) = \tfrac14 - \left(s - \tfrac12\right)^2 \le \tfrac14, $$
#
# with equality only at $s = \tfrac12$, that is at $z = 0$. So
# $|w\,\sigma'(z)| \le |w|/4$, and the factor can reach 1 only if $|w| \ge 4$. A weight drawn from
# $N(0,1)$, the usual starting point, is that large with probability
# $P(|w| \ge 4) = \operatorname{erfc}(4/\sqrt 2)$:

# %%
z_grid = np.linspace(-10.0, 10.0, 200_001)
sp = sigmoid_prime(z_grid)
print(f"largest sigma'(z) on the grid: {sp.max():.6f} at z = {z_grid[sp.argmax()]:.4f}")
p_large = math.erfc(4.0 / math.sqrt(2.0))
print(f"P(|w| >= 4) for w ~ N(0, 1): {p_large:.3e}  (about 1 weight in {1 / p_large:,.0f})")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the peak of sigma' is exactly 1/4 at z = 0, and the package's threshold is its inverse
assert sp.max() == 0.25 and z_grid[sp.argmax()] == 0.0
assert VANISHING_THRESHOLD == 1.0 / sp.max()

# %% [markdown]
# ## 5.2 Second requirement: $a$ must sit in a narrow band
#
# A large weight is not enough: it also scales $z = wa + b$, and $\sigma'$ dies off quickly away
# from $z = 0$. Let us find exactly where the factor reaches 1. Take $|w| \ge 4$.
#
# **Step 1: solve for $\sigma$.** The condition $|w|\,s(1-s) \ge 1$ is the quadratic inequality
# $s^2 - s + 1/|w| \le 0$, whose roots are
#
# $$ s_\pm = \frac{1 \pm r}{2}, \qquad r = \sqrt{1 - 4/|w|}. $$
#
# So the condition holds exactly for $s_- \le \sigma(z) \le s_+$.
#
# **Step 2: convert to $z$.** The inverse of $\sigma$ is $z = \ln\frac{s}{1-s}$. Since
# $1 - s_+ = s_-$, the two ends are $\pm z^*$ with
#
# $$ z^* = \ln\frac{s_+}{s_-} = \ln\frac{1+r}{1-r}. $$
#
# Multiplying top and bottom by $1+r$ and using $1 - r^2 = 4/|w|$ gives the chapter's form:
# $\frac{(1+r)^2}{4/|w|} = \frac{|w|}{4}(2 + 2r - 4/|w|) = \frac{|w|(1+r)}{2} - 1$.
#
# **Step 3: convert to $a$.** As $z = wa + b$, the interval $|z| \le z^*$ becomes an interval of
# inputs $a$ centred on $-b/w$, of width $2z^*/|w|$:
#
# $$ \text{width} = \frac{2}{|w|}\,\ln\!\left(\frac{|w|\,(1 + \sqrt{1 - 4/|w|})}{2} - 1\right)
# \qquad\text{(Nielsen, ch. 5, eq. (123))}. $$
#
# The chapter calls (123) a bound without saying why, since the width is exact. *Our reading:* an
# activation $a$ can only lie in $(0, 1)$, so the part of the band that a sigmoid output can
# actually reach is at most this wide. Note that $b$ does not appear: the bias only slides the
# band along the $a$ axis.
#
# Figure 5.1 shows step 2 for a few weights.

# %% mystnb={"image": {"alt": "The bell-shaped curve sigma'(z) for z from -8 to 8, peaking at 1/4 at z = 0, crossed by dashed horizontal lines at the thresholds 1/|w| for |w| = 4, 6.9, 10 and 100. A thick bar on each line spans the interval of z where the curve lies above it: a single point at the peak for |w| = 4, wider for lower thresholds, but even |w| = 100 only reaches |z| < 5."}}
threshold_figure((4.0, 6.9, 10.0, 100.0))

# %% [markdown]
# *Figure 5.1 — The curve $\sigma'(z)$ (peak 1/4 at $z = 0$) with the threshold $1/|w|$ for
# $|w| = 4, 6.9, 10, 100$ as dashed lines. The thick bar on each line covers the interval
# $|z| \le z^*$ where $\sigma'(z) \ge 1/|w|$. At $|w| = 4$ the bar shrinks to the single point
# $z = 0$; larger $|w|$ lowers the threshold and widens the interval in $z$, but only slowly,
# roughly like $\ln |w|$.*
#
# `chapter5.prevalence` implements these steps (`z_half_width`, `width_bound`, `band`). Before we
# trust it, we check the closed form three ways: the two algebraic forms agree, the factor is
# exactly 1 at the band's ends, and brute-force sampling of $a$ finds the same interval.

# %%
w_abs = np.geomspace(4.0, 1e4, 500)
forms_agree = np.allclose(width_bound(w_abs), width_bound_book_form(w_abs), rtol=1e-9, atol=1e-15)
print(f"the two forms of (123) agree to 9 digits for 4 <= |w| <= 10^4: {forms_agree}")

rng = np.random.default_rng(2024)
n_checks = 40
worst, worst_ends, worst_width = 0.0, 0.0, 0.0
for _ in range(n_checks):
    w = rng.choice([-1.0, 1.0]) * rng.uniform(4.5, 100.0)
    b = rng.uniform(-50.0, 50.0)
    lo, hi = band(w, b)
    # at the band's ends the factor is exactly 1
    worst_ends = max(worst_ends, float(np.max(np.abs(factor(w, b, np.array([lo, hi])) - 1.0))))
    # brute force: sample a finely around the band and keep the points where the factor is >= 1
    a = np.linspace(lo - 0.1, hi + 0.1, 400_001)
    inside = a[factor(w, b, a) >= 1.0]
    step = a[1] - a[0]
    worst = max(worst, abs(inside.min() - lo) / step, abs(inside.max() - hi) / step)
    worst_width = max(worst_width, abs((hi - lo) - float(width_bound(np.array([abs(w)]))[0])))
print(f"{n_checks} random (w, b) with 4.5 <= |w| <= 100, |b| <= 50: brute-force band ends within "
      f"{worst:.2f} grid steps of the closed form;")
print(f"factor at the band's ends equal to 1 to 9 digits: {worst_ends < 1e-9}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: both forms of (123) agree; the factor is 1 at the band's ends; the brute-force ends are
# within one grid step; the band's width is the width bound
assert forms_agree and worst_ends < 1e-9 and worst <= 1.0 and worst_width < 1e-12

# %% [markdown]
# ## 5.3 The band, live
#
# Move $w$ and $b$ and watch the band. The left panel shows the factor $|w\,\sigma'(wa+b)|$ against
# the input $a$ on a log scale, with the band where it reaches 1 shaded; the grey strip marks
# $0 < a < 1$, where a sigmoid neuron's output can actually be. The right panel shows the band's
# width against $|w|$. Things to try: shrink $|w|$ below 4 and watch the band disappear; push
# $|w|$ to 100 and watch it narrow; move $b$ and watch the band slide out of $(0, 1)$ while its
# width stays put.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
# widget view: the output holds random widget model ids, and the book shows the web explorer.
explorer = band_explorer(PREVALENCE_DEFAULT_W, PREVALENCE_DEFAULT_B)
display(explorer.widget)

# %% [markdown]
# <div class="c5-web-explorer" data-explorer="prevalence">
# <p><em>On the website, a kernel-free version of this explorer appears here. In JupyterLab,
# use the live explorer above.</em></p>
# </div>
# <script type="module" src="../_explorers/prevalence_band.js"></script>

# %% [markdown]
# At the explorer's starting values the picture is this:

# %% mystnb={"image": {"alt": "Two panels for the explorer's starting neuron, w = 8 and b = -4. Left: the factor |w sigma'(wa + b)| on a log axis against the input a from -0.5 to 1.5, a bell peaking at 2 at a = 0.5 that rises above the dashed line at 1 only on a shaded band from about 0.28 to 0.72, inside a grey strip marking 0 < a < 1. Right: the band's width against |w| on a log axis, zero up to |w| = 4, rising steeply to a maximum of about 0.45 near |w| = 7 and then falling, with a circle marking this neuron at |w| = 8."}}
print(f"w = {PREVALENCE_DEFAULT_W:.2f}, b = {PREVALENCE_DEFAULT_B:.2f}: "
      + ", ".join(f"{k} = {v}" for k, v in readout_strings(PREVALENCE_DEFAULT_W,
                                                             PREVALENCE_DEFAULT_B).items()))
band_figure(PREVALENCE_DEFAULT_W, PREVALENCE_DEFAULT_B)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: glue the band of the starting neuron, which the caption below states
lo, hi = band(PREVALENCE_DEFAULT_W, PREVALENCE_DEFAULT_B)
glue("start_band_lo", lo)
glue("start_band_hi", hi)
glue("start_band_width", hi - lo)

# %% [markdown]
# *Figure 5.2 — The explorer at its starting values $w = 8$, $b = -4$. Left: the factor
# $|w\,\sigma'(wa + b)|$ (log scale, blue) peaks at 2 at $a = 0.5$ and exceeds 1 (dashed line)
# only on the shaded band from about <span data-glue="start_band_lo:.2f">0.28</span> to <span data-glue="start_band_hi:.2f">0.72</span>; outside it the factor falls by a factor of
# about 10 for every 0.3 in $a$. Right: the band's width against $|w|$ (log scale), rising
# from 0 at $|w| = 4$ to a maximum of about <span data-glue="band_max_width:.2f">0.45</span> near $|w| = 7$ and then falling; a circle
# marks this neuron, $|w| = 8$, width <span data-glue="start_band_width:.2f">0.44</span>.*
#
# The same readouts at a few other settings, including the edges of the sliders' ranges:

# %%
settings = [(0.0, 0.0), (3.99, 0.0), (4.0, -2.0), (-4.0, 2.0), (10.0, -5.0),
            (100.0, -50.0), (-100.0, 50.0), (100.0, 50.0), (8.0, 40.0)]
print(f"{'w':>8} {'b':>7}   {'band_lo':>10} {'band_hi':>10} {'band_width':>10} {'width_bound':>11}")
for w, b in settings:
    r = readout_strings(w, b)
    print(f"{w:8.2f} {b:7.2f}   {r['band_lo']:>10} {r['band_hi']:>10} {r['band_width']:>10} "
          f"{r['width_bound']:>11}")

# %% [markdown]
# Notice the last two rows: with $b = 50$ the band sits around $a = -0.5$ or $a = -5$, where
# no sigmoid output can ever be. The bias decides *where* the band is; nothing decides that it
# lands inside $(0, 1)$.
#
# ## 5.4 How wide can the band be?
#
# The width (123) is 0 at $|w| = 4$, and for large $|w|$ it decays like $2\ln|w|/|w|$. In
# between it has a single maximum, which we find numerically (golden-section search in
# `max_width_bound`), together with the chapter's sample values:

# %%
w_star, width_star = max_width_bound()
print(f"maximum of the width bound: {width_star:.4f} at |w| = {w_star:.4f}")
samples = {4.0: 0.0, 10.0: 0.413, 100.0: 0.092}
for w_abs_sample, book_value in samples.items():
    value = float(width_bound(np.array([w_abs_sample]))[0])
    print(f"|w| = {w_abs_sample:5.1f}: width bound {value:.4f}  (chapter: {book_value:.3f})")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the chapter's sample values and maximum; a crude scan agrees with the golden-section
# search; glue the numbers the text states
for w_abs_sample, book_value in samples.items():
    assert round(float(width_bound(np.array([w_abs_sample]))[0]), 3) == book_value
assert round(w_star, 1) == 6.9 and round(width_star, 2) == 0.45
scan = np.linspace(4.0, 100.0, 960_001)
assert abs(scan[np.argmax(width_bound(scan))] - w_star) < 1e-3
assert abs(width_bound(scan).max() - width_star) < 1e-9
glue("band_max_width", width_star)
# the search pins the maximiser of this flat maximum down to about 1e-8 (last-bit noise in the
# bound moves it that much), so only 4 decimals of w_star are stated; the maximum itself is exact
glue("band_max_w", round(w_star, 4))
glue("width_bound_10", float(width_bound(np.array([10.0]))[0]))
glue("width_bound_100", float(width_bound(np.array([100.0]))[0]))

# %% mystnb={"image": {"alt": "The width bound (123) against |w| from 4 to 100 on a log axis: it rises steeply from 0 at |w| = 4 to a peak of about 0.45 near |w| = 6.9, marked by a triangle, then declines slowly, with dots at 0.413 for |w| = 10 and 0.092 for |w| = 100."}}
width_bound_figure(100.0, marks=(4.0, 10.0, 100.0))

# %% [markdown]
# *Figure 5.3 — The width bound (123) against $|w|$ from 4 to 100 (log scale). It rises steeply
# from 0 at $|w| = 4$, peaks (triangle) at about <span data-glue="band_max_width:.3f">0.448</span> near $|w| =$ <span data-glue="band_max_w:.2f">6.89</span>, and then
# declines slowly: <span data-glue="width_bound_10:.3f">0.413</span> at $|w| = 10$, <span data-glue="width_bound_100:.3f">0.092</span> at $|w| = 100$. No weight,
# however chosen, opens a band wider than about <span data-glue="band_max_width:.0%">45%</span> of the range of a sigmoid activation.*
#
# ## 5.5 Why sigmoid networks usually vanish
#
# Put the two requirements together. To pass a gradient on without shrinking it, a neuron needs a
# weight of magnitude at least 4, which an $N(0,1)$ start almost never provides, *and* an input
# that falls in a band of width at most about <span data-glue="band_max_width:.2f">0.45</span>, placed by the bias somewhere on the real
# line. How do the two requirements interact? Between $|w| = 4$ and
# $|w| \approx$ <span data-glue="band_max_w:.1f">6.9</span> a larger weight *widens* the band,
# from 0 to its maximum; only beyond that does a larger weight narrow it again (Figure 5.3). So a
# larger weight helps, up to a point that an $N(0,1)$ weight hardly ever reaches: for every
# weight with $|w| > 6.9$ there are about
# <span data-glue="rising_per_falling_millions:.0f">12</span> million with $4 \le |w| \le 6.9$,
# and those crowd near 4. Half of the weights with $|w| \ge 4$ have
# $|w| \le$ <span data-glue="median_large_w:.2f">4.16</span>, where the band is only
# <span data-glue="median_large_w_width:.2f">0.19</span> wide, less than half its best.
#
# **Before you read on, predict:** draw $w$ and $b$ from $N(0,1)$ and the input $a$ uniformly
# from $(0, 1)$. What share of such neurons pass the gradient on without shrinking it, with
# $|w\,\sigma'(wa + b)| \ge 1$? One in ten? One in a thousand? Fewer? Write your guess down,
# then run the count:

# %%
rng = np.random.default_rng(5)
N = 2_000_000
w_draw = rng.standard_normal(N)
b_draw = rng.standard_normal(N)
a_draw = rng.uniform(0.0, 1.0, N)
passes = np.abs(w_draw) * sigmoid_prime(w_draw * a_draw + b_draw) >= 1.0
print(f"neurons whose factor is >= 1: {passes.sum()} of {N:,} = {passes.mean():.2e}")
print(f"upper bound P(|w| >= 4) x max width = {p_large * width_star:.2e}")
typical_factor = np.median(np.abs(w_draw) * sigmoid_prime(w_draw * a_draw + b_draw))
print(f"median factor |w sigma'(w a + b)|: {typical_factor:.4f}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the count respects the upper bound and the median factor is below 1/4; glue how many
# weights with 4 <= |w| <= w* there are for each one beyond w* (the text above states it)
assert passes.mean() <= p_large * width_star
assert typical_factor < 0.25
p_beyond_peak = math.erfc(w_star / math.sqrt(2.0))
glue("rising_per_falling_millions", (p_large - p_beyond_peak) / p_beyond_peak / 1e6)
# the median of |w| among N(0,1) weights with |w| >= 4 (the density beyond 12 is negligible),
# and the band's width there
w_tail = np.linspace(4.0, 12.0, 800_001)
tail_cdf = np.cumsum(np.exp(-0.5 * w_tail**2))
median_large_w = float(w_tail[np.searchsorted(tail_cdf / tail_cdf[-1], 0.5)])
# really the median: half of P(|w| >= 4) lies beyond it
assert math.isclose(math.erfc(median_large_w / math.sqrt(2.0)), p_large / 2, rel_tol=1e-4)
glue("median_large_w", median_large_w)
glue("median_large_w_width", float(width_bound(np.array([median_large_w]))[0]))

# %% [markdown]
# Almost no neuron passes the test (how close was your guess?), and the median factor is a small
# fraction of 1. Multiply a
# few dozen such factors, as a deep network must, and the gradient reaching the first layers is
# tiny: the vanishing gradient is the *normal* state of a sigmoid network, and the exploding
# gradient a rare, deliberately constructed exception. The real problem remains the one from
# notebook 04: nothing keeps the product balanced, and for sigmoid neurons an unbalanced product
# almost always means a vanishing one.
#
# ## Key takeaways
#
# * A sigmoid neuron passes a gradient on without shrinking it only if $|w\,\sigma'(wa+b)| \ge 1$,
#   which needs $|w| \ge 4$ (because $\sigma' \le 1/4$) *and* an input $a$ in a band of width at
#   most about <span data-glue="band_max_width:.2f">0.45</span> (eq. 123), which the bias places
#   anywhere on the line.
# * The band is widest at $|w| \approx 6.9$; larger weights narrow it again, and an $N(0,1)$
#   weight is almost never large enough to open it at all.
# * So in a randomly started sigmoid network almost every factor is below 1: an unbalanced
#   product is almost always a vanishing one. Exploding needs a deliberate construction.
#
# ## Problems
#
# **Problem 5.1 (Nielsen, ch. 5, the prevalence problem).** (a) Show that
# $|w\,\sigma'(wa+b)| \ge 1$ is possible only if $|w| \ge 4$. (b) Assuming $|w| \ge 4$, show that
# the set of inputs $a$ satisfying it is an interval of width at most (123). (c) Show numerically
# that the bound is largest at $|w| \approx 6.9$, where it is about 0.45.
#
# <details><summary>Show the worked solution</summary>
#
# (a) $\sigma' = s(1-s) = \tfrac14 - (s - \tfrac12)^2 \le \tfrac14$, so
# $|w\,\sigma'| \le |w|/4$, which is below 1 when $|w| < 4$ (section 5.1).
#
# (b) Solve $|w|\,s(1-s) \ge 1$ for $s = \sigma(z)$: $s \in [(1-r)/2, (1+r)/2]$ with
# $r = \sqrt{1 - 4/|w|}$. Take logits: $|z| \le z^* = \ln\frac{1+r}{1-r} =
# \ln\left(\frac{|w|(1+r)}{2} - 1\right)$. Divide the interval of $z$ by $|w|$ to get the interval
# of $a = (z - b)/w$, of width $2z^*/|w|$. The chapter says "at most" without giving a reason;
# our reading is that only $a \in (0, 1)$ can occur, so no more of the band than this is usable
# (section 5.2).
#
# (c) Differentiate numerically or search: golden-section search on $[4, 100]$ gives the
# printed maximum <span data-glue="band_max_width:.4f">0.4477</span> at $|w| =$ <span data-glue="band_max_w:.3f">6.894</span> (section 5.4), confirmed by a fine scan. The cell below
# checks it once more by a different route: the derivative of the bound changes sign there.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
h = 1e-3  # far wider than the search's uncertainty in w_star (about 1e-8)
slope_left = (width_bound(np.array([w_star])) - width_bound(np.array([w_star - h])))[0] / h
slope_right = (width_bound(np.array([w_star + h])) - width_bound(np.array([w_star])))[0] / h
print(f"slope of the bound just left of |w| = {w_star:.3f}: {slope_left:+.1e}; "
      f"just right: {slope_right:+.1e}")

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the slope changes sign at w*, and z* agrees with the width there
assert slope_left > 0 > slope_right
assert abs(float(z_half_width(np.array([w_star]))[0]) * 2 / w_star - width_star) < 1e-12

# %% [markdown]
# **Problem 5.2 (Nielsen, ch. 5, the identity neuron).** A neuron with one input $x$, input weight
# $w_1$, bias $b$ and output weight $w_2$ computes $w_2\,\sigma(w_1 x + b)$. Choose $w_1$, $b$, $w_2$
# so that this is approximately $x$ for $x \in [0, 1]$. *Hint: write $x = \tfrac12 + \Delta$, take
# $w_1$ small, and Taylor-expand in $w_1\Delta$.*
#
# Why the chapter asks this: it is tempting to argue that adding layers to a network can at worst
# do nothing, because the extra layers could learn to pass their input through unchanged and
# leave the rest of the network to do what the shallower one did. That argument needs a sigmoid
# neuron that computes the identity, and this problem checks that one exists, approximately. If
# it does, a deep network can represent everything a shallow one can; the trouble notebooks 02 to
# 05 found is in *learning* the weights, not in what the weights could express.
#
# <details><summary>Show the worked solution</summary>
#
# Choose $b = -w_1/2$, so that $w_1 x + b = w_1\Delta$ with $\Delta = x - \tfrac12 \in
# [-\tfrac12, \tfrac12]$. Near 0, $\sigma(u) = \tfrac12 + \tfrac{u}{4} - \tfrac{u^3}{48} + O(u^5)$
# (from $\sigma(u) = \tfrac12 + \tfrac12\tanh(u/2)$). Hence
#
# $$ w_2\,\sigma(w_1\Delta) = \frac{w_2}{2} + \frac{w_2 w_1}{4}\Delta
#    - \frac{w_2 w_1^3}{48}\Delta^3 + \dots $$
#
# To make the coefficient of $\Delta$ equal to 1, take $w_2 = 4/w_1$. Then
#
# $$ w_2\,\sigma(w_1 x + b) = \frac{2}{w_1} + \Delta - \frac{w_1^2\Delta^3}{12} + \dots
#    = x + c - \frac{w_1^2\Delta^3}{12} + \dots, \qquad c = \frac{2}{w_1} - \frac12. $$
#
# So the neuron reproduces $x$ up to a **constant offset** $c$ and an error of at most
# $w_1^2/96$ (at $|\Delta| = \tfrac12$), which vanishes as $w_1 \to 0$. The offset is harmless
# inside a network: the next neuron receives $w(x + c) + b'$, and lowering its bias $b'$ by $wc$
# cancels it. The first cell below measures the worst error of the offset-corrected neuron as
# $w_1$ shrinks and compares it with $w_1^2/96$.
#
# Without that help the offset cannot be removed: $w_2\sigma(\cdot)$ has no additive constant.
# How well can the neuron do on its own? The second cell below searches for the setting of
# $w_1, b, w_2$ whose *worst* error on $[0, 1]$ is smallest (a minimax search, in
# `chapter5.identity`). For each pair $(w_1, b)$ the best $w_2$ can be found exactly, because the
# worst error is a convex function of $w_2$; a grid over $(w_1, b)$ then finds the region of the
# optimum and a local search refines it. The best worst error is about
# <span data-glue="minimax_err:.3f">0.056</span>, at $w_1 \approx$
# <span data-glue="minimax_w1:.2f">5.65</span>, $b \approx$
# <span data-glue="minimax_b:.2f">-2.82</span>, $w_2 \approx$
# <span data-glue="minimax_w2:.2f">1.00</span>: a steep sigmoid centred on $x = \tfrac12$, used
# as it is. Its error touches its largest value four times with alternating signs (at both ends
# and at two points inside), the signature of a best minimax fit. So without an offset the
# neuron stays about <span data-glue="minimax_err:.0%">6%</span> away from the identity,
# however its three parameters are chosen; with the offset absorbed by the next layer the error
# goes to 0 as $w_1 \to 0$.
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true} mystnb={"image": {"alt": "Log-log plot of the worst error of the offset-corrected identity neuron on [0, 1] against the input weight w1 from 0.001 to 2. The measured errors (blue circles) lie on the dashed Taylor line w1^2/96, a straight line of slope 2 rising from about 10^-8 to a few times 10^-2."}}
x = np.linspace(0.0, 1.0, 2001)
w1_values = np.geomspace(1e-3, 2.0, 23)
max_err = np.empty_like(w1_values)
for i, w1 in enumerate(w1_values):
    b, w2, c = -w1 / 2.0, 4.0 / w1, 2.0 / w1 - 0.5
    max_err[i] = np.max(np.abs(w2 * sigmoid(w1 * x + b) - c - x))
taylor = w1_values**2 / 96.0
for i in (0, 6, 12, 18, 22):
    print(f"w1 = {w1_values[i]:.3e}: max error {max_err[i]:.3e}, w1^2/96 = {taylor[i]:.3e}, "
          f"ratio {max_err[i] / taylor[i]:.4f}")
slope = np.polyfit(np.log10(w1_values[:12]), np.log10(max_err[:12]), 1)[0]
print(f"log-log slope for small w1: {slope:.4f} (Taylor predicts 2)")
identity_error_figure(w1_values, max_err, taylor)

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the Taylor term is the error to within 10 %, and to within 0.1 % once w1 <= 0.05;
# the log-log slope is 2
assert np.all(max_err <= taylor * 1.001) and np.all(max_err >= 0.9 * taylor)
assert np.all(np.abs(max_err / taylor - 1)[w1_values <= 0.05] < 1e-3)
assert abs(slope - 2.0) < 1e-3

# %% [markdown]
# <details><summary>Show the caption of Figure 5.4 (it is part of the solution)</summary>
#
# *Figure 5.4 — Worst error of the identity neuron on $[0, 1]$, after removing the constant
# offset $c = 2/w_1 - 1/2$, against the input weight $w_1$ (log-log axes). The measured error
# (blue circles) lies on the dashed line $w_1^2/96$ from the Taylor expansion: a straight line of
# slope 2, so making $w_1$ ten times smaller makes the error a hundred times smaller. Only near
# $w_1 = 2$ does it fall slightly below the line, where higher-order terms start to help.*
# </details>

# %% tags=["hide-cell"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Without an offset: the minimax search over w1, b, w2 (chapter5.identity). The worst error of the
# setting it finds is measured on 200,001 points; between two points the error can grow by at
# most (slope bound) x (half a step), which turns the measurement into a guaranteed range.
fit = identity_neuron_minimax()
print(f"best setting found: w1 = {fit.w1:.2f}, b = {fit.b:.2f}, w2 = {fit.w2:.2f}")
# rounded outwards, so that the printed range still holds
low, high = math.floor(fit.worst_error * 1e6) / 1e6, math.ceil(fit.error_bound * 1e6) / 1e6
print(f"its worst error on [0, 1]: {fit.worst_error:.3f}  (guaranteed: between {low:.6f} and "
      f"{high:.6f})")
x = np.linspace(0.0, 1.0, 200_001)
e = fit.w2 * sigmoid(fit.w1 * x + fit.b) - x
touch = x[np.abs(np.abs(e) - fit.worst_error) < 1e-7]
print("where the error reaches it:", ", ".join(f"x = {t:.2f}" for t in touch[
    np.concatenate([[True], np.diff(touch) > 0.01])]))

# %% tags=["remove-input"] jupyter={"source_hidden": true}
# Check: the search's three starting points agree, the range is tight enough for the printed
# digits, the fit equioscillates at 4 points, and the offset-free error is far above the
# offset-corrected one; glue the numbers the solution states
assert fit.starts_agree < 1e-6 and fit.error_bound - fit.worst_error < 1e-5
assert 0.0555 < fit.worst_error < fit.error_bound < 0.0565
assert np.count_nonzero(np.diff(touch) > 0.01) + 1 == 4
assert fit.worst_error > 100 * max_err[w1_values <= 0.1].max()
glue("minimax_err", fit.worst_error)
glue("minimax_w1", fit.w1)
glue("minimax_b", fit.b)
glue("minimax_w2", fit.w2)
