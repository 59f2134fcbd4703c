"""The numpy network: backpropagation is right (finite differences, the single-neuron chain), the
fast training kernel does exactly the book's update, and the speed of learning is the book's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from chapter5 import chain as C
from chapter5.network import ACTIVATIONS, COSTS, Network


def toy_data(n: int = 12, n_in: int = 4, n_out: int = 3, seed: int = 0
             ) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), rng.integers(0, n_out, n)


def numeric_gradients(net: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-6
                      ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Central differences of the mean cost (no L2 term) for every weight and bias."""
    gw, gb = [], []
    for params, out in ((net.weights, gw), (net.biases, gb)):
        for p in params:
            g = np.empty(p.shape)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h
                up = net.total_cost(x, y)
                p[idx] = old - h
                down = net.total_cost(x, y)
                p[idx] = old
                g[idx] = (up - down) / (2 * h)
            out.append(g)
    return gw, gb


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_backprop_matches_finite_differences(activation: str, cost: str) -> None:
    x, y = toy_data()
    net = Network([4, 5, 4, 3], seed=3, activation=activation, cost=cost)
    g = net.gradients(x, y)
    num_w, num_b = numeric_gradients(net, x, y)
    for ours, num in zip(g.dC_dw + g.dC_db, num_w + num_b, strict=True):
        np.testing.assert_allclose(ours, num, rtol=1e-5, atol=1e-9)


def test_one_neuron_layers_agree_with_the_chain_of_neurons() -> None:
    """A [1, 1, 1, 1] network is the chapter's chain: same z, a and dC/db, up to a few ulps
    (the two multiply the same factors in a different order)."""
    for seed in range(5):
        chain = C.typical_chain(depth=3, seed=seed, a0=0.7)
        net = Network([1, 1, 1, 1], seed=0, cost="quadratic")
        net.set_parameters([np.array([[w]]) for w in chain.w], [np.array([b]) for b in chain.b])
        y = 0.25
        g = net.gradients(np.array([[chain.a0]]), np.array([[y]]))
        ref = C.gradients(chain, C.quadratic_dC_daL(chain, y), method="backprop")
        np.testing.assert_array_max_ulp(np.array([z[0, 0] for z in g.z]), ref.z, maxulp=0)
        np.testing.assert_array_max_ulp(np.array([a[0, 0] for a in g.a]), ref.a, maxulp=0)
        np.testing.assert_array_max_ulp(np.array([d[0] for d in g.dC_db]), ref.dC_db, maxulp=4)
        np.testing.assert_array_max_ulp(np.array([w[0, 0] for w in g.dC_dw]), ref.dC_dw,
                                        maxulp=4)


def test_the_first_layer_of_a_chain_learns_slower_than_the_last() -> None:
    chain = C.typical_chain(depth=4, seed=1)
    net = Network([1, 1, 1, 1, 1], seed=0)
    net.set_parameters([np.array([[w]]) for w in chain.w], [np.array([b]) for b in chain.b])
    s = net.speeds(np.array([[chain.a0]]), np.array([[1.0]]))
    assert s[0] < s[-1]


def _book_step(net: Network, x: np.ndarray, y: np.ndarray, eta: float, lmbda: float, n: int
               ) -> None:
    """w <- (1 - eta lmbda/n) w - (eta/m) sum dC/dw,  b <- b - (eta/m) sum dC/db, the slow way."""
    g = net.gradients(x, y)  # mean gradients = (1/m) sum
    net.set_parameters(
        [(1 - eta * lmbda / n) * w - eta * gw for w, gw in zip(net.weights, g.dC_dw, strict=True)],
        [b - eta * gb for b, gb in zip(net.biases, g.dC_db, strict=True)],
    )


def _max_diff(a: Network, b: Network) -> float:
    return max(float(np.abs(p - q).max()) for p, q in zip(a.weights + a.biases,
                                                          b.weights + b.biases, strict=True))


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_sgd_makes_the_books_update_on_each_shuffled_mini_batch(activation: str, cost: str
                                                                ) -> None:
    x, y = toy_data(n=40, n_in=6)
    net = Network([6, 5, 4, 3], seed=1, activation=activation, cost=cost)
    ref = net.copy()
    eta, lmbda = 0.5, 2.0
    net.sgd(x, y, epochs=2, mini_batch_size=7, eta=eta, lmbda=lmbda, rng=3)
    shuffle = np.random.default_rng(3)
    for _ in range(2):
        order = shuffle.permutation(40)
        for k in range(0, 40, 7):  # 5 batches of 7, then one of 5 (with its own m = 5)
            idx = order[k:k + 7]
            _book_step(ref, x[idx], y[idx], eta, lmbda, n=40)
    assert _max_diff(net, ref) < 1e-14


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_full_batch_descent_records_the_speeds_then_steps(activation: str) -> None:
    x, y = toy_data(n=30, n_in=6)
    x[:, 2] = 0.0  # a blank pixel, like MNIST's border: its weights only decay
    net = Network([6, 5, 4, 3], seed=2, activation=activation)
    ref = net.copy()
    speeds = net.gradient_descent(x, y, epochs=3, eta=0.3, lmbda=1.0, n=100)
    assert speeds.shape == (3, 2)  # hidden layers only
    for e in range(3):
        np.testing.assert_allclose(speeds[e], ref.speeds(x, y), rtol=1e-12)  # before the step
        _book_step(ref, x, y, 0.3, 1.0, n=100)
    assert _max_diff(net, ref) < 1e-14


def test_speed_is_the_norm_of_the_mean_gradient_not_the_mean_of_norms() -> None:
    x, y = toy_data(n=50)
    net = Network([4, 6, 6, 3], seed=4)
    g = net.gradients(x, y)
    for i, s in enumerate(g.speeds):
        mean_of_per_input = g.delta[i].mean(axis=0)  # delta^l of input x is dC_x/db^l
        assert s == pytest.approx(np.linalg.norm(mean_of_per_input), rel=1e-12)
        # per-input gradients partly cancel, so the norm of the mean is smaller
        assert s < np.linalg.norm(g.delta[i], axis=1).mean()
    assert len(g.speeds) == 2  # the output layer is not a hidden layer


def test_initialisers_have_the_stated_spread() -> None:
    n_in = 400
    stds = {"default": 1 / np.sqrt(n_in), "large": 1.0,
            "xavier": np.sqrt(2 / (n_in + 200)), "he": np.sqrt(2 / n_in)}
    for init, std in stds.items():
        net = Network([n_in, 200, 2], seed=0, init=init)  # type: ignore[arg-type]
        assert net.weights[0].std() == pytest.approx(std, rel=0.02)
        assert abs(net.weights[0].mean()) < 0.01 * std * 10
        b = net.biases[0]
        if init in ("default", "large"):
            assert b.std() == pytest.approx(1.0, rel=0.2)
        else:
            assert np.all(b == 0)


def test_a_seed_fixes_every_draw() -> None:
    a, b = Network([5, 4, 3], seed=7), Network([5, 4, 3], seed=7)
    c = Network([5, 4, 3], seed=8)
    assert _max_diff(a, b) == 0.0 and _max_diff(a, c) > 0
    x, y = toy_data(n=20, n_in=5)
    a.sgd(x, y, epochs=2, mini_batch_size=4, eta=0.1)
    b.sgd(x, y, epochs=2, mini_batch_size=4, eta=0.1)
    assert _max_diff(a, b) == 0.0


def test_weights_and_biases_are_views_that_follow_training() -> None:
    net = Network([3, 2, 2], seed=0)
    w = net.weights[0]
    before = w.copy()
    net.sgd(*toy_data(n=8, n_in=3, n_out=2), epochs=1, mini_batch_size=4, eta=1.0)
    assert w.shape == (2, 3) and not np.array_equal(w, before)
    np.testing.assert_array_equal(w, net.weights[0])


def test_training_raises_the_accuracy_on_a_learnable_problem() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((600, 8))
    labels = (x[:, 0] + x[:, 1] > 1.0).astype(np.int64)  # a linear boundary
    net = Network([8, 10, 2], seed=0)
    before = net.accuracy(x, labels)
    acc = net.sgd(x[:500], labels[:500], epochs=20, mini_batch_size=10, eta=1.0,
                  evaluation_data=(x[500:], labels[500:]))
    assert acc.shape == (20,)
    assert acc[-1] > 0.9 > before
    assert net.total_cost(x, labels) < Network([8, 10, 2], seed=0).total_cost(x, labels)


def test_saturated_neurons_raise_no_warning_and_stay_finite() -> None:
    x, y = toy_data(n=10)
    net = Network([4, 5, 3], seed=0)
    net.set_parameters([w * 1e4 for w in net.weights], [b * 1e4 for b in net.biases])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = net.gradient_descent(x, y, epochs=2, eta=0.1)
        net.sgd(x, y, epochs=1, mini_batch_size=5, eta=0.1)
        cost = net.total_cost(x, y)
    assert np.all(np.isfinite(s)) and np.isfinite(cost)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [784]}, "sizes must list at least two layers"),
        ({"sizes": [784, 0, 10]}, "sizes"),
        ({"sizes": "784"}, "sizes must be a list"),
        ({"activation": "softplus"}, "activation must be one of 'sigmoid', 'tanh', 'relu'"),
        ({"init": "zeros"}, "init must be one of"),
        ({"cost": "hinge"}, "cost must be one of"),
        ({"seed": -1}, "seed must be a non-negative int"),
    ],
)
def test_bad_construction_is_refused_with_a_named_parameter(kwargs: dict, message: str) -> None:
    args = {"sizes": [4, 3, 2], "seed": 0} | kwargs
    sizes = args.pop("sizes")
    with pytest.raises((ValueError, TypeError), match=message):
        Network(sizes, **args)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"eta": 0.0}, "eta must be > 0"),
        ({"eta": float("nan")}, "eta must be finite"),
        ({"lmbda": -1.0}, "lmbda must be >= 0"),
        ({"mini_batch_size": 100}, "mini_batch_size must be <="),
        ({"mini_batch_size": 0}, "mini_batch_size must be >= 1"),
        ({"epochs": -1}, "epochs must be >= 0"),
    ],
)
def test_bad_training_settings_are_refused(kwargs: dict, message: str) -> None:
    x, y = toy_data()
    args = {"epochs": 1, "mini_batch_size": 4, "eta": 0.1} | kwargs
    with pytest.raises((ValueError, TypeError), match=message):
        Network([4, 3, 3], seed=0).sgd(x, y, **args)


def test_inputs_and_labels_of_the_wrong_shape_are_refused() -> None:
    net = Network([4, 3, 3], seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 4\)"):
        net.gradients(np.zeros((2, 5)), np.array([0, 1]))
    with pytest.raises(ValueError, match="labels in 0..2"):
        net.gradients(np.zeros((2, 4)), np.array([0, 3]))
