"""The measurements and cached experiments of notebook 06 (``chapter5.obstacles``).

They read like the notebook's claims: the sharpness is the Hessian's largest eigenvalue, the
escape factors are the chain's |w sigma'(z)| per connection, variance propagation's prediction is
the formula the notebook derives, the stretched sigmoid is 4 sigma(z), cached experiments give
back exactly what they computed (signs included) without recomputing, and a zero start keeps a
layer's neurons identical.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chapter5 import obstacles
from chapter5 import saturation as saturation_module
from chapter5.activations import sigmoid, sigmoid_prime
from chapter5.data import MNIST, Split
from chapter5.network import Network
from chapter5.obstacles import (
    escape_factors,
    layer_factors,
    saturation_run,
    sharpness,
    speeds_over_seeds,
    symmetry_run,
    training_run,
)
from chapter5.sharpness import _gradient_at


def toy_data(n: int = 40, n_in: int = 6, n_out: int = 3, seed: int = 0
             ) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), rng.integers(0, n_out, n)


def fake_mnist(n_train: int = 60, n_valid: int = 30, n_in: int = 784) -> MNIST:
    rng = np.random.default_rng(5)

    def part(n: int) -> Split:
        return Split(rng.random((n, n_in)).astype(np.float32), rng.integers(0, 10, n))

    return MNIST(part(n_train), part(n_valid), part(n_valid), source="synthetic")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(tmp_path))
    return tmp_path


def _hessian(net: Network, x: np.ndarray, y: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """The full Hessian by central differences of backpropagated gradients (tiny nets only)."""
    w0, b0 = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    theta = np.concatenate([a.ravel() for a in w0 + b0])

    def grad(t: np.ndarray) -> np.ndarray:
        return _gradient_at(net, t, x, y)

    cols = []
    for k in range(theta.size):
        e = np.zeros(theta.size)
        e[k] = eps
        cols.append((grad(theta + e) - grad(theta - e)) / (2 * eps))
    net.set_parameters(w0, b0)
    h = np.array(cols)
    return (h + h.T) / 2


def test_sharpness_is_the_largest_hessian_eigenvalue_and_leaves_the_net_alone() -> None:
    x, y = toy_data()
    net = Network([6, 4, 3], seed=1, init="large")
    before = [w.copy() for w in net.weights]
    eig = np.linalg.eigvalsh(_hessian(net, x, y))
    top = eig[np.argmax(np.abs(eig))]
    assert sharpness(net, x, y, iterations=300) == pytest.approx(top, rel=1e-3)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights, strict=True))


def test_sharpness_rejects_bad_arguments() -> None:
    x, y = toy_data()
    net = Network([6, 4, 3], seed=1)
    with pytest.raises(ValueError, match="iterations must be a whole number >= 1"):
        sharpness(net, x, y, iterations=0)
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        sharpness(net, x, y, eps=-1.0)
    with pytest.raises(TypeError, match="net must be a chapter5.network.Network"):
        sharpness("net", x, y)  # type: ignore[arg-type]


def test_escape_factors_are_the_chains_factors_per_connection() -> None:
    x, _ = toy_data(n=7)
    net = Network([6, 5, 4, 4, 3], seed=2, init="large")
    f = escape_factors(net, x)
    z, _ = net.forward(x)
    largest, share = [], []
    for layer in (1, 2):  # hidden layers 2 and 3 (0-based index into z)
        vals = [abs(net.weights[layer][j, k]) * sigmoid_prime(z[layer][n, j])
                for n in range(7) for j in range(net.sizes[layer + 1])
                for k in range(net.sizes[layer])]
        largest.append(max(vals))
        share.append(np.mean(np.array(vals) >= 1.0))
    np.testing.assert_allclose(f["largest"], largest, rtol=1e-12)
    np.testing.assert_allclose(f["share_above_1"], share)
    np.testing.assert_allclose(f["largest_weight"], [np.abs(w).max() for w in net.weights])
    assert f["largest"].shape == (2,) and f["largest_weight"].shape == (4,)


def test_layer_factors_prediction_is_rms_sigma_prime_times_the_weight_gain() -> None:
    x, y = toy_data()
    net = Network([6, 5, 5, 3], seed=4)
    f = layer_factors(net, x, y)
    z = net.forward(x)[0]
    for i in range(2):
        w = net.weights[i + 1]
        gain = np.sqrt(w.shape[1] * np.mean(w * w))  # sqrt(n_l Var(w^{l+1})), mean-zero form
        assert f["weight_gain"][i] == pytest.approx(gain, rel=1e-12)
        rms = np.sqrt(np.mean(sigmoid_prime(z[i]) ** 2, axis=1))
        np.testing.assert_allclose(f["predicted"][:, i], rms * gain, rtol=1e-12)
        assert np.all(f["sigma_prime_rms"][:, i] <= f["sigma_prime_norm"][:, i])


def test_hidden_scale_makes_the_stretched_sigmoid() -> None:
    x, y = toy_data()
    s = speeds_over_seeds([6, 4, 4, 3], [3], x, y, hidden_scale=4.0)[0]
    # by hand: a net whose hidden activation is 4 sigma(z)
    net = Network([6, 4, 4, 3], seed=3)
    w, b = net.weights, net.biases
    z1 = x @ w[0].T + b[0]
    z2 = 4 * sigmoid(z1) @ w[1].T + b[1]
    z3 = 4 * sigmoid(z2) @ w[2].T + b[2]
    d3 = sigmoid(z3) - np.eye(3)[y]
    d2 = 4 * sigmoid_prime(z2) * (d3 @ w[2])
    d1 = 4 * sigmoid_prime(z1) * (d2 @ w[1])
    np.testing.assert_allclose(s, [np.linalg.norm(d1.mean(0)), np.linalg.norm(d2.mean(0))],
                               rtol=1e-12)
    with pytest.raises(ValueError, match="hidden_scale must be a finite number > 0"):
        speeds_over_seeds([6, 4, 3], [0], x, y, hidden_scale=0.0)


def test_cached_experiments_give_back_what_they_computed_signs_included(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = fake_mnist()
    first = saturation_run(8, "Glorot-Bengio", 1, data, n_train=40, n_probe=20,
                           records_per_epoch=2)
    assert np.any(first.output_bias < 0) and np.any(first.output_z_mean < 0)
    assert list((cache / "experiments").glob("06-saturation-*.npz"))

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm call must not recompute")

    monkeypatch.setattr(saturation_module, "track_hidden_means", fail)  # where it is called
    again = saturation_run(8, "Glorot-Bengio", 1, data, n_train=40, n_probe=20,
                           records_per_epoch=2)
    for a, b in ((first.output_bias, again.output_bias),
                 (first.output_z_mean, again.output_z_mean),
                 (first.trace.means, again.trace.means), (first.trace.steps, again.trace.steps)):
        np.testing.assert_array_equal(a, b)


def test_training_run_in_chunks_is_the_one_call_protocol(cache: Path) -> None:
    data = fake_mnist(n_in=6)
    run = training_run([6, 5, 5, 10], 0, data, epochs=30, n_images=40, sharpness_every=10)
    net = Network([6, 5, 5, 10], seed=0)
    np.testing.assert_array_equal(
        run.speeds, net.gradient_descent(data.train.x[:40], data.train.y[:40], epochs=30,
                                         eta=0.1, lmbda=5.0))
    assert list(run.sharpness_epochs) == [0, 10, 20, 30] and run.sharpness.shape == (4,)
    assert run.accuracy == net.accuracy(data.validation.x, data.validation.y)
    assert run.escape_start["largest"].shape == (1,) and run.shrink_end.shape == (2,)


def test_symmetry_run_keeps_a_zero_started_layer_identical(cache: Path) -> None:
    data = fake_mnist(n_in=6)
    r = symmetry_run([6, 5, 5, 10], data, epochs=50, n_images=40)
    assert np.all(r.size["zero"] > 0)
    assert np.all(r.spread["zero"] <= 1e-12 * r.size["zero"])
    assert np.all(r.spread["default"] > 0.1 * r.size["default"])


def test_experiments_refuse_what_is_not_mnist() -> None:
    with pytest.raises(TypeError, match="data must be the MNIST object"):
        obstacles.init_speeds([784, 30, 10], [0], "mnist")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        training_run([6, 5, 10], 0, fake_mnist(n_in=6), epochs=0)
