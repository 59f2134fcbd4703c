"""Training several networks side by side (and in a pool of processes) changes no number: each
network gets the very bits it gets alone. float32 is an option that stays close to float64."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_experiments import synthetic

from chapter5 import experiments as E
from chapter5.lockstep import gradient_descent_in_lockstep, sgd_in_lockstep
from chapter5.network import ACTIVATIONS, COSTS, Network


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "experiments"


def data(n: int, n_in: int = 6, n_out: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, n_in))
    x[:, 1] = 0.0  # a blank pixel, like MNIST's border
    return x, rng.integers(0, n_out, n)


def params(net: Network) -> list[np.ndarray]:
    return net.weights + net.biases


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_lockstep_sgd_gives_every_network_its_own_bits(activation: str, cost: str) -> None:
    x, y = data(43)  # 6 mini-batches of 7 and one of 1
    ex, ey = data(20, seed=1)
    kw = {"activation": activation, "cost": cost}
    alone = [Network([6, 5, 4, 3], seed=s, **kw) for s in (4, 5, 6)]  # type: ignore[arg-type]
    together = [Network([6, 5, 4, 3], seed=s, **kw) for s in (4, 5, 6)]  # type: ignore[arg-type]
    hist_alone = np.array([net.sgd(x, y, epochs=3, mini_batch_size=7, eta=0.5, lmbda=2.0,
                                   evaluation_data=(ex, ey)) for net in alone])
    hist = sgd_in_lockstep(together, x, y, epochs=3, mini_batch_size=7, eta=0.5, lmbda=2.0,
                           evaluation_data=(ex, ey))
    np.testing.assert_array_equal(hist, hist_alone)
    for a, b in zip(alone, together, strict=True):
        for p, q in zip(params(a), params(b), strict=True):
            np.testing.assert_array_equal(p, q)
        # the generators moved on alike, so the next epoch shuffles alike too
        assert a.rng.integers(1 << 30) == b.rng.integers(1 << 30)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_lockstep_full_batch_descent_gives_every_network_its_own_bits(activation: str) -> None:
    x, y = data(30)
    alone = [Network([6, 5, 4, 3], seed=s, activation=activation)  # type: ignore[arg-type]
             for s in (1, 2)]
    together = [n.copy() for n in alone]
    speeds_alone = np.array([net.gradient_descent(x, y, epochs=4, eta=0.3, lmbda=1.0)
                             for net in alone])
    speeds = gradient_descent_in_lockstep(together, x, y, epochs=4, eta=0.3, lmbda=1.0)
    assert speeds.shape == (2, 4, 2)
    np.testing.assert_array_equal(speeds, speeds_alone)
    for a, b in zip(alone, together, strict=True):
        for p, q in zip(params(a), params(b), strict=True):
            np.testing.assert_array_equal(p, q)


def test_float32_is_close_to_float64_repeatable_and_keeps_float64_parameters() -> None:
    x, y = data(60)
    runs: dict[str, list[tuple[np.ndarray, np.ndarray, list[np.ndarray]]]] = {}
    for dtype in ("float64", "float32", "float32"):
        net = Network([6, 8, 3], seed=0)
        speeds = net.gradient_descent(x, y, epochs=3, eta=0.3, dtype=dtype)  # type: ignore[arg-type]
        acc = net.sgd(x, y, epochs=2, mini_batch_size=10, eta=0.5, dtype=dtype,  # type: ignore[arg-type]
                      evaluation_data=(x, y))
        assert all(p.dtype == np.float64 for p in params(net))
        runs.setdefault(dtype, []).append((speeds, acc, params(net)))
    (s64, _, p64), = runs["float64"]
    (s32, _, p32), (s32b, _, p32b) = runs["float32"]
    np.testing.assert_allclose(s32, s64, rtol=1e-5)
    for p, q, r in zip(p64, p32, p32b, strict=True):
        np.testing.assert_allclose(q, p, rtol=1e-4, atol=1e-5)
        assert not np.array_equal(p, q) or np.all(p == 0)  # it really ran in float32 ...
        np.testing.assert_array_equal(q, r)  # ... and the same way twice
    np.testing.assert_array_equal(s32, s32b)


@pytest.mark.parametrize(
    ("nets", "kwargs", "message"),
    [
        (lambda: [], {}, "nets must be a non-empty list of Network"),
        (lambda: [Network([6, 4, 3], seed=0), Network([6, 5, 3], seed=0)], {},
         "must share sizes, activation and cost"),
        (lambda: [Network([6, 4, 3], seed=0)] * 2, {}, "listed twice"),
        (lambda: [Network([6, 4, 3], seed=0)], {"rngs": [1, 2]}, "one seed or Generator"),
        (lambda: [Network([6, 4, 3], seed=0)], {"dtype": "float16"}, "dtype must be one of"),
    ],
)
def test_bad_lockstep_calls_are_refused(nets, kwargs: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    x, y = data(20)
    with pytest.raises((TypeError, ValueError), match=message):
        sgd_in_lockstep(nets(), x, y, epochs=1, mini_batch_size=5, eta=0.1, **kwargs)


def test_a_pool_of_processes_gives_the_same_results_as_one_process() -> None:
    d = synthetic(n_train=200)
    kw = {"epochs": 2, "n_train": 200, "data": d, "progress": False, "force": True}
    one = E.accuracy_vs_depth((1, 2), seeds=(0, 1, 2), workers=1, **kw)  # type: ignore[arg-type]
    two = E.accuracy_vs_depth((1, 2), seeds=(0, 1, 2), workers=2, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(one.accuracy, two.accuracy)
    ckw = {"epochs": 3, "n_images": 50, "data": d, "progress": False, "force": True}
    c1 = E.speeds_during_training((2, 3), seeds=(0, 1), workers=1, **ckw)  # type: ignore[arg-type]
    c2 = E.speeds_during_training((2, 3), seeds=(0, 1), workers=2, **ckw)  # type: ignore[arg-type]
    for h in (2, 3):
        np.testing.assert_array_equal(c1.speeds[h], c2.speeds[h])


def test_the_printed_settings_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    d = synthetic(n_train=60)
    monkeypatch.setitem(E.EXPERIMENT_A, "epochs", 2)
    monkeypatch.setitem(E.EXPERIMENT_A, "n_train", 60)
    a = E.accuracy_vs_depth((1,), seeds=(0,), data=d, progress=False)
    assert a.accuracy.shape == (1, 1, 2) and a.params["n_train"] == 60
    monkeypatch.setitem(E.EXPERIMENT_C, "epochs", 3)
    monkeypatch.setitem(E.EXPERIMENT_C, "n_images", 40)
    c = E.speeds_during_training((2,), seeds=(0,), data=d, progress=False)
    assert c.speeds[2].shape == (1, 3, 2) and c.params["n_images"] == 40


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"workers": 0}, "workers must be a whole number >= 1"),
    ({"workers": 1.5}, "workers must be a whole number >= 1"),
    ({"dtype": "float16"}, "dtype must be one of"),
])
def test_bad_experiment_settings_are_refused(kwargs: dict, message: str) -> None:
    d = synthetic(n_train=60)
    with pytest.raises(ValueError, match=message):
        E.accuracy_vs_depth((1,), seeds=(0,), epochs=1, n_train=60, data=d, progress=False,
                            **kwargs)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_shared_order_trains_each_network_on_the_same_batches_reproducibly(dtype: str) -> None:
    x, y = data(43)  # 6 mini-batches of 7 and one of 1
    ex, ey = data(20, seed=1)
    kw: dict[str, Any] = {"epochs": 3, "mini_batch_size": 7, "eta": 0.5, "lmbda": 2.0,
                          "dtype": dtype}
    runs = []
    for _ in range(2):
        nets = [Network([6, 5, 4, 3], seed=s) for s in (4, 5, 6)]
        hist = sgd_in_lockstep(nets, x, y, evaluation_data=(ex, ey), shared_order=9, **kw)
        runs.append((hist, nets))
    (h1, n1), (h2, n2) = runs
    np.testing.assert_array_equal(h1, h2)  # the same seed gives the same numbers
    for a, b in zip(n1, n2, strict=True):
        for p, q in zip(params(a), params(b), strict=True):
            np.testing.assert_array_equal(p, q)
    # each network took the mini-batches one net shuffled by default_rng(9) takes; the first
    # layer's products have other shapes, so only the last bits may differ
    tol = 1e-12 if dtype == "float64" else 1e-5
    for net, s in zip(n1, (4, 5, 6), strict=True):
        alone = Network([6, 5, 4, 3], seed=s)
        alone.sgd(x, y, rng=9, **kw)
        for p, q in zip(params(net), params(alone), strict=True):
            np.testing.assert_allclose(p, q, rtol=0, atol=tol)
    # the networks' own generators are untouched
    assert n1[0].rng.integers(1 << 30) == Network([6, 5, 4, 3], seed=4).rng.integers(1 << 30)


def test_a_shared_order_and_own_orders_are_not_both_given() -> None:
    x, y = data(20)
    nets = [Network([6, 5, 4, 3], seed=s) for s in (1, 2)]
    with pytest.raises(ValueError, match="rngs .* or shared_order"):
        sgd_in_lockstep(nets, x, y, epochs=1, mini_batch_size=5, eta=0.1, rngs=[1, 2],
                        shared_order=3)
    with pytest.raises(TypeError, match="shared_order must be"):
        sgd_in_lockstep(nets, x, y, epochs=1, mini_batch_size=5, eta=0.1, shared_order="a")  # type: ignore[arg-type]
