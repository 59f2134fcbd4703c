"""The identity neuron without an offset (Nielsen ch. 5 problem): the minimax search."""

import numpy as np
import pytest

from chapter5.activations import sigmoid
from chapter5.identity import identity_error, identity_neuron_minimax, minimax_output_weight


@pytest.fixture(scope="module")
def fit():
    return identity_neuron_minimax()


def test_the_minimax_neuron_is_near_w1_5_65_b_minus_2_82_w2_1_with_error_0_056(fit):
    assert fit.w1 == pytest.approx(5.65, abs=0.01)
    assert fit.b == pytest.approx(-2.82, abs=0.01)
    assert fit.w2 == pytest.approx(1.00, abs=0.005)
    assert 0.0560 < fit.worst_error <= fit.error_bound < 0.0561
    assert fit.starts_agree < 1e-6  # three starting points reach the same minimum


def test_the_reported_error_is_the_error_of_the_reported_setting(fit):
    x = np.linspace(0.0, 1.0, 100_001)
    err = identity_error(fit.w1, fit.b, fit.w2, x)
    assert fit.worst_error - 1e-9 <= err.max() <= fit.error_bound


def test_the_minimum_equioscillates():
    # a minimax fit with 3 free parameters touches its worst error at 4 points, with
    # alternating signs: both ends and two interior points
    fit = identity_neuron_minimax(n_check=20_001)
    x = np.linspace(0.0, 1.0, 20_001)
    e = fit.w2 * sigmoid(fit.w1 * x + fit.b) - x
    at_peak = np.abs(np.abs(e) - fit.worst_error) < 1e-6
    signs = np.sign(e[at_peak])
    assert signs.size >= 4
    assert np.count_nonzero(np.diff(signs)) >= 3


def test_no_random_setting_beats_the_search(fit):
    rng = np.random.default_rng(123)
    x = np.linspace(0.0, 1.0, 401)  # fewer points can only lower the error a setting shows
    w1 = rng.uniform(-20.0, 20.0, 20_000)
    b = rng.uniform(-20.0, 20.0, 20_000)
    for w2 in (0.5, 0.9, 1.0, 1.1, 2.0):
        err = np.max(np.abs(w2 * sigmoid(w1[:, None] * x + b[:, None]) - x), axis=1)
        assert err.min() > fit.worst_error
    # near the optimum too
    w1 = fit.w1 + rng.uniform(-0.05, 0.05, 5_000)
    b = fit.b + rng.uniform(-0.05, 0.05, 5_000)
    _, err = minimax_output_weight(w1, b, x)
    assert err.min() > fit.worst_error - 1e-5  # 401 points may miss the peak by that much


def test_the_best_output_weight_is_the_minimiser_over_a_fine_grid_of_w2():
    rng = np.random.default_rng(7)
    x = np.linspace(0.0, 1.0, 201)
    w1, b = rng.uniform(0.1, 30.0, 25), rng.uniform(-20.0, 5.0, 25)
    w2, worst = minimax_output_weight(w1, b, x)
    for k in range(w1.size):
        s = sigmoid(w1[k] * x + b[k])
        trial = np.linspace(0.0, 2.0 * w2[k] + 1.0, 4001)
        brute = np.max(np.abs(trial[:, None] * s - x), axis=1).min()
        assert worst[k] <= brute + 1e-12
        assert worst[k] == pytest.approx(np.max(np.abs(w2[k] * s - x)), abs=1e-15)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: identity_error(1.0, np.nan, 1.0, [0.5]), ValueError, "b must be finite"),
        (lambda: minimax_output_weight([1.0], [0.0, 1.0], [0.5]), ValueError, "same length"),
        (lambda: minimax_output_weight([1.0], [0.0], [1.5]), ValueError, "all in \\[0, 1\\]"),
        (lambda: identity_neuron_minimax(w1_range=(0.0, 5.0)), ValueError, "0 < low < high"),
        (lambda: identity_neuron_minimax(b_range=(3.0, -3.0)), ValueError, "low < high"),
        (lambda: identity_neuron_minimax(starts=0), ValueError, "starts must be >= 1"),
        (lambda: identity_neuron_minimax(n_grid="8"), TypeError, "n_grid must be a whole"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()
