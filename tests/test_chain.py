"""The chain of single neurons (Nielsen ch. 5, eq. 121/122): the chapter's claims, and four
independent computations of the same gradient that must agree."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chapter5.chain import (
    EXPLORER_MAX_DEPTH,
    Chain,
    balanced_chain,
    exploding_chain,
    explorer_typical_chain,
    forward,
    gradients,
    product_equation,
    quadratic_cost,
    quadratic_dC_daL,
    typical_chain,
)

TINY = np.finfo(np.float64).tiny


# ---------------------------------------------------------------------------------------------
# The chapter's exploding example


def test_exploding_chain_has_every_z_zero_and_every_factor_25():
    g = gradients(exploding_chain(depth=4, a0=0.7))
    assert np.all(g.z == 0.0)
    assert np.all(g.factors == 25.0)


def test_exploding_depth_4_gives_3906_25_times_dC_da4():
    g = gradients(exploding_chain(depth=4), dC_daL=1.0)
    assert g.dC_db[0] == pytest.approx(3906.25, rel=1e-15)
    assert gradients(exploding_chain(4), dC_daL=-2.0).dC_db[0] == pytest.approx(-7812.5)


def test_exploding_depth_4_first_layer_learns_15625_times_faster_than_the_last():
    g = gradients(exploding_chain(depth=4))
    assert g.dC_db[0] / g.dC_db[3] == pytest.approx(15625.0, rel=1e-15)
    assert 10**g.log10_ratio_first_last == pytest.approx(15625.0, rel=1e-12)


@pytest.mark.parametrize("depth", [1, 2, 4, 10, 50, 200, 1000])
def test_exploding_ratio_is_25_to_the_depth_minus_one(depth):
    g = gradients(exploding_chain(depth=depth))
    assert g.log10_ratio_first_last == pytest.approx((depth - 1) * np.log10(25.0), rel=1e-12)


def test_depth_1000_readouts_stay_finite_in_log_space():
    for chain in (exploding_chain(1000), typical_chain(1000, seed=3)):
        for method in ("product", "backprop"):
            g = gradients(chain, method=method)
            assert np.all(np.isfinite(g.log10_abs_dC_db))
            assert np.all(np.isfinite(g.log10_abs_dC_dw))
            assert not np.isnan(g.dC_db).any()
    assert gradients(exploding_chain(1000)).log10_abs_dC_db[0] > 1000  # far beyond float64


# ---------------------------------------------------------------------------------------------
# Vanishing: the typical case


def test_a_typical_chain_has_every_factor_below_one_quarter_when_weights_are_below_one():
    chain = explorer_typical_chain(4)
    assert np.all(np.abs(chain.w) < 1)
    g = gradients(chain)
    assert np.all(np.abs(g.factors) < 0.25)
    # so dC/db1 is at least 16 times smaller than dC/db3 (two extra factors below 1/4)
    assert abs(g.dC_db[0]) * 16 < abs(g.dC_db[2])


def test_balanced_chain_has_every_factor_exactly_one_and_equal_gradients():
    g = gradients(balanced_chain(depth=12, a0=-0.3))
    assert np.all(g.factors == 1.0)
    assert np.all(g.dC_db == 0.25)


def test_typical_chain_is_seeded_and_prefix_stable():
    a, b = typical_chain(6, seed=5), typical_chain(9, seed=5)
    np.testing.assert_array_equal(a.w, b.w[:6])
    np.testing.assert_array_equal(a.b, b.b[:6])
    assert not np.array_equal(typical_chain(6, seed=6).w, a.w)


def test_explorer_preset_is_the_seeded_draw_rounded_to_the_slider_step():
    chain = explorer_typical_chain(EXPLORER_MAX_DEPTH)
    assert np.all(np.round(chain.w, 2) == chain.w)
    assert explorer_typical_chain(3).w.tolist() == chain.w[:3].tolist()


def test_product_equation_substitutes_the_live_numbers():
    text = product_equation(gradients(exploding_chain(4)))
    assert text.endswith("= 0.25 × 25 × 25 × 25 × 1 = 3906.25")


# ---------------------------------------------------------------------------------------------
# Four ways to the same gradient


def autograd_gradients(chain: Chain, dC_daL: float) -> tuple[np.ndarray, np.ndarray]:
    """dC/db and dC/dw by reverse-mode autodiff (the autograd library) of C = dC_daL * a_L."""

    def sigma(z):
        # each branch sees only the inputs it is used for, so neither exp can overflow
        z_pos = anp.where(z >= 0, z, 0.0)
        z_neg = anp.where(z < 0, z, 0.0)
        return anp.where(z >= 0, 1.0 / (1.0 + anp.exp(-z_pos)),
                         anp.exp(z_neg) / (1.0 + anp.exp(z_neg)))

    def cost(w, b):
        a = chain.a0
        for j in range(chain.depth):
            a = sigma(w[j] * a + b[j])
        return dC_daL * a

    w, b = np.array(chain.w), np.array(chain.b)
    return autograd.grad(cost, 1)(w, b), autograd.grad(cost, 0)(w, b)


def finite_difference_gradients(chain: Chain, h: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Central differences of C = a_L with respect to every b_j and w_j."""

    def a_L(w, b):
        return forward(Chain(w, b, chain.a0))[1][-1]

    w, b = np.array(chain.w), np.array(chain.b)
    dC_db, dC_dw = np.empty(chain.depth), np.empty(chain.depth)
    for j in range(chain.depth):
        e = np.zeros(chain.depth)
        e[j] = h
        dC_db[j] = (a_L(w, b + e) - a_L(w, b - e)) / (2 * h)
        dC_dw[j] = (a_L(w + e, b) - a_L(w - e, b)) / (2 * h)
    return dC_db, dC_dw


@st.composite
def chains(draw, max_depth=30, w_max=200.0, b_max=200.0, a0_max=5.0):
    depth = draw(st.integers(1, max_depth))
    num = st.floats(-w_max, w_max, allow_nan=False)
    w = draw(st.lists(num, min_size=depth, max_size=depth))
    b = draw(st.lists(st.floats(-b_max, b_max), min_size=depth, max_size=depth))
    a0 = draw(st.floats(-a0_max, a0_max))
    return Chain(w, b, a0)


def normal(x: np.ndarray) -> np.ndarray:
    """Where a float64 value is an ordinary (not underflowed, not overflowed) number."""
    return np.isfinite(x) & (np.abs(x) > TINY * 1e10)


@settings(max_examples=300, deadline=None)
@given(chains(), st.floats(-10, 10).filter(lambda v: abs(v) > 1e-3))
def test_product_formula_and_backprop_agree(chain, dC_daL):
    p = gradients(chain, dC_daL, method="product")
    q = gradients(chain, dC_daL, method="backprop")
    np.testing.assert_array_equal(p.sign_dC_db, q.sign_dC_db)
    finite = np.isfinite(p.log10_abs_dC_db)
    np.testing.assert_array_equal(finite, np.isfinite(q.log10_abs_dC_db))
    np.testing.assert_allclose(p.log10_abs_dC_db[finite], q.log10_abs_dC_db[finite],
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(p.log10_abs_dC_dw[np.isfinite(p.log10_abs_dC_dw)],
                               q.log10_abs_dC_dw[np.isfinite(q.log10_abs_dC_dw)],
                               rtol=1e-12, atol=1e-9)
    ok = normal(p.dC_db) & normal(q.dC_db)
    np.testing.assert_allclose(p.dC_db[ok], q.dC_db[ok], rtol=1e-12)


@settings(max_examples=150, deadline=None)
@given(chains(), st.floats(-10, 10).filter(lambda v: abs(v) > 1e-3))
def test_autodiff_library_agrees_with_the_product_formula(chain, dC_daL):
    g = gradients(chain, dC_daL)
    ad_db, ad_dw = autograd_gradients(chain, dC_daL)
    ok = normal(g.dC_db) & normal(ad_db)
    np.testing.assert_allclose(g.dC_db[ok], ad_db[ok], rtol=1e-10)
    ok = normal(g.dC_dw) & normal(ad_dw)
    np.testing.assert_allclose(g.dC_dw[ok], ad_dw[ok], rtol=1e-10)
    # and where float64 gives up, the log-space value says why: it is beyond the float range
    lost = ~normal(ad_db) & (ad_db == 0)
    assert np.all(g.log10_abs_dC_db[lost] < -290)


@settings(max_examples=150, deadline=None)
@given(chains(max_depth=10, w_max=8.0, b_max=4.0, a0_max=5.0))
def test_central_finite_differences_agree_where_well_conditioned(chain):
    g = gradients(chain)
    # well conditioned: no neuron saturated, gradient well above the differencing noise
    assume(np.all(np.abs(g.z) < 8))
    fd_db, fd_dw = finite_difference_gradients(chain)
    # The differencing noise has a floor: a_L < 1 carries up to ~depth x 1.1e-16 of rounding, so
    # the central difference (step h = 1e-6) can be off by ~10 x 2.2e-16 / 2e-6 ~ 1e-9 whatever
    # the gradient's size. A relative tolerance alone fails tiny gradients on that noise (a
    # gradient of 1e-5 is then only good to ~1e-4), so the comparison allows it explicitly.
    noise = 1e-8
    np.testing.assert_allclose(fd_db, g.dC_db, rtol=1e-5, atol=noise)
    np.testing.assert_allclose(fd_dw, g.dC_dw, rtol=1e-5, atol=noise)


def test_four_ways_agree_on_the_explorer_default():
    chain = explorer_typical_chain()
    p, q = gradients(chain), gradients(chain, method="backprop")
    ad_db, _ = autograd_gradients(chain, 1.0)
    fd_db, _ = finite_difference_gradients(chain)
    for other in (q.dC_db, ad_db):
        np.testing.assert_allclose(other, p.dC_db, rtol=1e-12)
    np.testing.assert_allclose(fd_db, p.dC_db, rtol=1e-6)


def test_quadratic_cost_gradient_matches_finite_differences():
    chain = typical_chain(5, seed=11)
    y, h = 0.3, 1e-6
    g = gradients(chain, quadratic_dC_daL(chain, y))
    b = np.array(chain.b)
    for j in range(5):
        e = np.zeros(5)
        e[j] = h
        fd = (quadratic_cost(Chain(chain.w, b + e, chain.a0), y)
              - quadratic_cost(Chain(chain.w, b - e, chain.a0), y)) / (2 * h)
        assert fd == pytest.approx(g.dC_db[j], rel=1e-5)


# ---------------------------------------------------------------------------------------------
# Bad input gets a message that says what to do


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(w=[], b=[]), ValueError, "depth >= 1"),
        (dict(w=[1.0, 2.0], b=[1.0]), ValueError, "one entry per layer"),
        (dict(w=[np.nan], b=[0.0]), ValueError, "w must be finite"),
        (dict(w=[1.0], b=[np.inf]), ValueError, "b must be finite"),
        (dict(w=[1.0], b=[0.0], a0=np.nan), ValueError, "a0 must be finite"),
        (dict(w=["one"], b=[0.0]), TypeError, "w must contain real numbers"),
        (dict(w=[1.0], b=[None]), TypeError, "b must contain real numbers"),
        (dict(w=[1.0], b=[0.0], a0="1"), TypeError, "a0 must be a real number"),
        (dict(w=[[1.0]], b=[[0.0]]), ValueError, "w must be a 1-D"),
        (dict(w=[1e13], b=[0.0]), ValueError, "w must lie within"),
    ],
)
def test_bad_chains_are_refused_with_a_clear_message(kwargs, error, words):
    with pytest.raises(error, match=words):
        Chain(**kwargs)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: exploding_chain(depth=0), ValueError, "depth must be >= 1"),
        (lambda: typical_chain(depth=2.5), TypeError, "depth must be a whole number"),
        (lambda: typical_chain(depth=3, seed=-1), ValueError, "seed must be >= 0"),
        (lambda: gradients(exploding_chain(2), dC_daL=np.nan), ValueError, "dC_daL must be finite"),
        (lambda: gradients(exploding_chain(2), method="magic"), ValueError, "'product' or"),
        (lambda: gradients([1, 2]), TypeError, "chain must be a chapter5.chain.Chain"),
        (lambda: exploding_chain(3).first(4), ValueError, "depth must be at most 3"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_chain_arrays_are_read_only():
    chain = exploding_chain(3)
    with pytest.raises(ValueError):
        chain.w[0] = 1.0
