"""How common is vanishing (Nielsen ch. 5, eq. 123): the inputs where |w sigma'(wa+b)| >= 1."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapter5.activations import sigmoid_prime
from chapter5.prevalence import (
    PREVALENCE_DEFAULT_B,
    PREVALENCE_DEFAULT_W,
    band,
    factor,
    max_width_bound,
    width_bound,
    width_bound_book_form,
)


def test_no_band_unless_w_is_at_least_4():
    assert band(3.999, 0.0) is None
    assert band(-3.999, 1.0) is None
    assert band(0.0, 0.0) is None
    lo, hi = band(4.0, 2.0)
    assert lo == hi == pytest.approx(-0.5)


def test_the_bound_is_zero_at_4_and_matches_the_chapter_sample_values():
    assert width_bound(4.0) == 0.0
    assert width_bound(10.0) == pytest.approx(0.413, abs=5e-4)
    assert width_bound(100.0) == pytest.approx(0.092, abs=5e-4)


def test_the_bound_peaks_near_w_6_9_at_about_0_45():
    w_star, width = max_width_bound()
    assert w_star == pytest.approx(6.9, abs=0.05)
    assert width == pytest.approx(0.45, abs=0.005)
    grid = np.linspace(4, 100, 200_001)
    assert width_bound(grid).max() <= width + 1e-12
    assert grid[np.argmax(width_bound(grid))] == pytest.approx(w_star, abs=1e-3)


def test_careful_and_book_forms_of_eq_123_agree():
    w = np.linspace(4, 1e4, 5001)
    np.testing.assert_allclose(width_bound(w), width_bound_book_form(w), rtol=1e-9, atol=1e-15)


@settings(max_examples=200, deadline=None)
@given(st.floats(4.05, 100).flatmap(lambda m: st.sampled_from([m, -m])), st.floats(-50, 50))
def test_closed_form_band_agrees_with_brute_force_sampling(w, b):
    lo, hi = band(w, b)
    assert hi - lo == pytest.approx(width_bound(abs(w)), rel=1e-9)
    centre = -b / w
    a = np.linspace(centre - 1.0, centre + 1.0, 400_001)
    inside = np.abs(w * sigmoid_prime(w * a + b)) >= 1
    step = a[1] - a[0]
    assert a[inside].min() == pytest.approx(lo, abs=2 * step)
    assert a[inside].max() == pytest.approx(hi, abs=2 * step)
    # and the set is one interval: no holes
    assert inside.sum() == pytest.approx((a[inside].max() - a[inside].min()) / step + 1, abs=1)


def test_the_band_does_not_depend_on_b_in_width_only_in_place():
    a1, b1 = band(10.0, 0.0)
    a2, b2 = band(10.0, -7.0)
    assert b1 - a1 == pytest.approx(b2 - a2)
    assert a2 - a1 == pytest.approx(0.7)


def test_factor_is_warning_free_for_huge_inputs():
    assert factor(100.0, 0.0, np.array([0.0, 1e308]))[1] == 0.0


def test_explorer_defaults_show_a_nonempty_band():
    assert band(PREVALENCE_DEFAULT_W, PREVALENCE_DEFAULT_B) is not None


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: band(np.nan, 0.0), ValueError, "w must be finite"),
        (lambda: band(5.0, "x"), TypeError, "b must be a real number"),
        (lambda: width_bound([np.inf]), ValueError, "w_abs must be finite"),
        (lambda: width_bound_book_form(3.0), ValueError, "w_abs must be >= 4"),
        (lambda: max_width_bound(lo=2.0), ValueError, "need 4 <= lo < hi"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()
