"""sigma and its relatives: exact and silent for every finite input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chapter5.activations import (
    log_sigmoid_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)

finite = st.floats(allow_nan=False, allow_infinity=False)


def test_sigma_prime_at_zero_is_one_quarter():
    assert sigmoid_prime(0.0) == 0.25


@given(finite)
def test_one_quarter_is_the_global_maximum_of_sigma_prime(z):
    assert sigmoid_prime(z) <= 0.25


def test_sigma_prime_maximum_on_a_fine_grid_is_at_zero():
    z = np.linspace(-10, 10, 200_001)
    assert z[np.argmax(sigmoid_prime(z))] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("z, s, sp", [(1e4, 1.0, 0.0), (-1e4, 0.0, 0.0), (1e3, 1.0, 0.0),
                                      (-1e3, 0.0, 0.0), (1e308, 1.0, 0.0), (-1e308, 0.0, 0.0)])
def test_huge_inputs_saturate_without_warnings(z, s, sp):
    # pytest runs with warnings as errors, so any RuntimeWarning here fails the test
    assert sigmoid(z) == s
    assert sigmoid_prime(z) == sp
    assert np.isfinite(log_sigmoid_prime(z))
    assert tanh_prime(z) == 0.0


@given(st.floats(-700, 700))
def test_sigmoid_matches_the_textbook_formula(z):
    expected = 1.0 / (1.0 + np.exp(-z))
    assert sigmoid(z) == pytest.approx(expected, rel=1e-14, abs=1e-300)


@given(st.floats(-700, 700))
def test_sigma_prime_is_sigma_times_one_minus_sigma(z):
    s = 1.0 / (1.0 + np.exp(-z))
    # the product form cancels in the right tail, so compare against the left-tail-safe mirror
    s_neg = 1.0 / (1.0 + np.exp(abs(z)))
    assert sigmoid_prime(z) == pytest.approx(s_neg * (1 - s_neg), rel=1e-12, abs=1e-300)
    if abs(z) < 20:
        assert sigmoid_prime(z) == pytest.approx(s * (1 - s), rel=1e-9)


@given(st.floats(-700, 700))
def test_log_sigma_prime_is_the_log_of_sigma_prime(z):
    assert log_sigmoid_prime(z) == pytest.approx(np.log(sigmoid_prime(z)), rel=1e-12, abs=1e-12)


def test_log_sigma_prime_stays_finite_where_sigma_prime_underflows():
    assert sigmoid_prime(1e4) == 0.0
    assert log_sigmoid_prime(1e4) == pytest.approx(-1e4, rel=1e-12)


@given(st.floats(-5, 5))
def test_derivatives_match_central_differences(z):
    h = 1e-6
    for f, fp in ((sigmoid, sigmoid_prime), (tanh, tanh_prime)):
        assert fp(z) == pytest.approx((f(z + h) - f(z - h)) / (2 * h), rel=1e-6, abs=1e-9)


def test_tanh_derivative_can_reach_one_and_relu_derivative_is_one_for_positive_inputs():
    assert tanh_prime(0.0) == 1.0
    assert relu_prime(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]
    assert relu(np.array([-1.0, 3.0])).tolist() == [0.0, 3.0]


def test_shapes_are_preserved():
    z = np.zeros((3, 4))
    for f in (sigmoid, sigmoid_prime, log_sigmoid_prime, tanh, tanh_prime, relu, relu_prime):
        assert f(z).shape == (3, 4)
