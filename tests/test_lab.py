"""The deep-network lab's math (chapter5.lab): gradients, symmetry, presets, training, bad input,
and -- on real MNIST, over seeds notebook 07 never uses -- the claims the notebook makes."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

from chapter5 import lab
from chapter5.data import IDX_FILES, MNIST_DIR_ENV


def synthetic(n: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784))
    x[:, :28] = 0.0  # a blank border row, like MNIST
    return x, rng.integers(0, 10, n)


@pytest.mark.parametrize("activation,init", [("sigmoid", "default"), ("sigmoid", "large"),
                                             ("tanh", "xavier"), ("relu", "he"),
                                             ("sigmoid", "small")])
def test_speeds_are_norms_of_finite_difference_bias_gradients(activation: str, init: str) -> None:
    x, y = synthetic()
    c = lab.LabConfig(depth=3, width=10, activation=activation, init=init, n_images=8, seed=3)
    net = lab.build_network(c)
    if activation == "relu":  # keep every z off ReLU's kink at 0 (He's zero biases sit on it)
        net.set_parameters([w.copy() for w in net.weights],
                           [bl + 0.05 for bl in net.biases])
        assert min(float(np.abs(z).min()) for z in net.forward(x)[0]) > 1e-4
    speeds = lab.at_init(c, x, y, net=net).speeds
    h = 1e-6
    for layer in range(c.depth):
        fd = np.empty(c.width)
        for j in range(c.width):
            costs = []
            for sign in (1.0, -1.0):
                b = [bl.copy() for bl in net.biases]
                b[layer][j] += sign * h
                trial = net.copy()
                trial.set_parameters([w.copy() for w in net.weights], b)
                costs.append(trial.total_cost(x, y))
            fd[j] = (costs[0] - costs[1]) / (2 * h)
        assert speeds[layer] == pytest.approx(float(np.linalg.norm(fd)), rel=1e-5, abs=1e-9)


def test_zero_initialisation_never_breaks_symmetry() -> None:
    x, y = synthetic(30, seed=1)
    c = lab.LabConfig(depth=3, width=12, init="zeros", n_images=30, eta=1.0, lmbda=0.0)
    net = lab.build_network(c)
    chunks = list(lab.train(c, x, y, 40, chunk=7, net=net))
    assert sum(ch.speeds.shape[0] for ch in chunks) == 40
    for w in net.weights[1:]:  # every weight into a hidden or output neuron from hidden ones
        assert np.all(w == w[:, :1]), "neurons of one hidden layer must stay identical"
    for w in net.weights[:-1]:  # and every hidden neuron has the same incoming weights
        assert np.all(w == w[:1])
    for b in net.biases[:-1]:
        assert np.all(b == b[0])
    assert np.any(net.weights[-1] != 0)  # the output layer did learn something


def test_small_and_zeros_draws_and_the_library_initialisers() -> None:
    small = lab.build_network(lab.LabConfig(init="small", seed=5))
    w = np.concatenate([wl.ravel() for wl in small.weights])
    assert 0.009 < w.std() < 0.011 and all(np.all(b == 0) for b in small.biases)
    again = lab.build_network(lab.LabConfig(init="small", seed=5))
    assert all(np.array_equal(a, b) for a, b in zip(small.weights, again.weights, strict=True))
    xav = lab.build_network(lab.LabConfig(init="xavier", width=100, seed=1))
    assert xav.weights[1].std() == pytest.approx(math.sqrt(2 / 200), rel=0.05)
    he = lab.build_network(lab.LabConfig(activation="relu", init="he", width=100, seed=1))
    assert he.weights[1].std() == pytest.approx(math.sqrt(2 / 100), rel=0.05)


def test_presets_are_the_chapters_nets_and_the_look_ahead() -> None:
    for h in (2, 3, 4):
        for init in ("default", "large"):
            p = lab.preset(f"chapter {h} hidden, {init} init")
            assert p.sizes == (784,) + (30,) * h + (10,) and p.init == init
            assert (p.eta, p.lmbda, p.n_images, p.activation) == (0.1, 5.0, 1000, "sigmoid")
    assert lab.preset("zeros: symmetry").init == "zeros"
    assert (lab.preset("tanh, Xavier").activation, lab.preset("tanh, Xavier").init) == \
        ("tanh", "xavier")
    assert (lab.preset("ReLU, He").activation, lab.preset("ReLU, He").init) == ("relu", "he")
    with pytest.raises(ValueError, match="name must be one of"):
        lab.preset("chapter 5 hidden")


def test_training_chunks_match_one_long_run_and_measure_the_update_ratio() -> None:
    x, y = synthetic(20, seed=2)
    c = lab.LabConfig(depth=2, width=10, n_images=20, seed=4)
    speeds, ratios = lab.run(c, x, y, 12, chunk=5)
    net = lab.build_network(c)
    direct = net.gradient_descent(x, y, epochs=12, eta=0.1, lmbda=5.0, n=20)
    np.testing.assert_allclose(speeds, direct, rtol=1e-12)
    assert ratios.shape == (3, 3) and np.all(ratios > 0)
    # one step by hand: Delta w = -eta (dC/dw + lmbda/n w)
    net = lab.build_network(c)
    g = net.gradients(x, y)
    w0 = [w.copy() for w in net.weights]
    first = next(iter(lab.train(c, x, y, 1, net=lab.build_network(c))))
    expect = [np.linalg.norm(0.1 * (dw + 5.0 / 20 * w)) / np.linalg.norm(w)
              for dw, w in zip(g.dC_dw, w0, strict=True)]
    np.testing.assert_allclose(first.update_ratio, expect, rtol=1e-9)
    assert first.first_epoch == 0 and first.last_epoch == 0


def test_histograms_count_every_value_and_relu_dead_neurons_are_found() -> None:
    x, y = synthetic(10)
    c = lab.LabConfig(depth=2, width=10, activation="relu", init="he", n_images=10, seed=0)
    net = lab.build_network(c)
    w = [wl.copy() for wl in net.weights]
    b = [bl.copy() for bl in net.biases]
    w[0][:3] = -1.0  # three neurons that no (non-negative) input can switch on
    net.set_parameters(w, b)
    r = lab.at_init(c, x, y, net=net)
    layer = r.layers[0]
    assert layer.activation_counts.sum() == 100
    assert layer.gradient_counts.sum() + layer.gradient_zeros == 100
    assert layer.dead_share >= 0.3 and layer.saturated_share >= 0.3
    sig = lab.at_init(lab.LabConfig(depth=2, width=10, n_images=10), x, y)
    assert all(0 <= h.saturated_share <= 1 for h in sig.layers)


def test_ratios_and_escape_clause_helpers() -> None:
    assert lab.ratio_last_first(np.array([0.01, 0.1, 1.0])) == pytest.approx(100.0)
    assert lab.shrink_per_layer(np.array([0.01, 0.1, 1.0])) == pytest.approx(10.0)
    assert lab.ratio_last_first(np.array([0.0, 0.0])) == 1.0
    assert lab.ratio_last_first(np.array([0.0, 1.0])) == math.inf
    assert lab.shrink_per_layer(np.array([0.5])) == 1.0
    x, _ = synthetic()
    net = lab.build_network(lab.LabConfig(depth=3, width=10, init="large", seed=1))
    e = lab.escape_clause(net, x)
    assert e.shape == (3,)
    assert np.all(e <= np.array([np.abs(w).max() / 4 for w in net.weights[1:]]) + 1e-15)
    with pytest.raises(ValueError, match="speeds"):
        lab.ratio_last_first(np.array([]))
    with pytest.raises(TypeError, match="net"):
        lab.escape_clause("net", x)  # type: ignore[arg-type]


@pytest.mark.parametrize("changes,error,words", [
    ({"depth": 0}, ValueError, "depth must be from 1 to 10"),
    ({"depth": 11}, ValueError, "depth"),
    ({"depth": 2.5}, TypeError, "depth"),
    ({"width": 9}, ValueError, "width must be from 10 to 100"),
    ({"width": True}, TypeError, "width"),
    ({"activation": "softmax"}, ValueError, "activation must be one of"),
    ({"activation": 3}, TypeError, "activation"),
    ({"init": "orthogonal"}, ValueError, "init must be one of"),
    ({"eta": 0.0}, ValueError, "eta must be > 0"),
    ({"eta": float("nan")}, ValueError, "eta"),
    ({"eta": "0.1"}, TypeError, "eta"),
    ({"lmbda": -1.0}, ValueError, "lmbda"),
    ({"n_images": 1001}, ValueError, "n_images must be from 1 to 1000"),
    ({"seed": -1}, ValueError, "seed"),
])
def test_bad_configs_name_the_parameter(changes: dict[str, object], error: type, words: str
                                        ) -> None:
    with pytest.raises(error, match=words):
        lab.LabConfig(**changes)  # type: ignore[arg-type]


def test_bad_data_and_training_arguments() -> None:
    x, y = synthetic(5)
    c = lab.LabConfig(depth=1, width=10, n_images=5)
    with pytest.raises(ValueError, match="fewer than n_images"):
        lab.at_init(c.with_(n_images=6), x, y)
    with pytest.raises(ValueError, match="x must be MNIST inputs"):
        lab.at_init(c, x[:, :100], y)
    with pytest.raises(ValueError, match="y must hold"):
        lab.at_init(c, x, y.astype(float))
    with pytest.raises(ValueError, match="epochs must be at most 5000"):
        lab.train(c, x, y, 5001)
    with pytest.raises(TypeError, match="chunk"):
        lab.train(c, x, y, 3, chunk=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="net must be a Network with sizes"):
        lab.train(c, x, y, 3, net=lab.build_network(c.with_(width=11)))
    with pytest.raises(TypeError, match="config must be a chapter5.lab.LabConfig"):
        lab.build_network({"depth": 2})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="net must be a Network .* activation 'sigmoid'"):
        lab.at_init(c, x, y, net=lab.build_network(c.with_(activation="tanh")))
    with pytest.raises(TypeError, match="net must be a chapter5.network.Network"):
        lab.train(c, x, y, 3, net="net")  # type: ignore[arg-type]
    x_nan = x.copy()
    x_nan[2, 3] = np.nan
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        lab.at_init(c, x_nan, y)
    with pytest.raises(ValueError, match="y must hold digit labels 0..9"):
        lab.train(c, x, y + 10, 2)
    with pytest.raises(ValueError, match="init must be an AtInit of config's 2 hidden layers"):
        lab.predicted_shrink_per_layer(c.with_(depth=2), lab.at_init(c, x, y))


def test_lmbda_limit_is_the_network_s() -> None:
    from chapter5.network import MAX_LMBDA
    x, y = synthetic(5)
    c = lab.LabConfig(depth=1, width=10, n_images=5, lmbda=MAX_LMBDA)
    lab.run(c, x, y, 1)  # the largest lmbda the lab takes, the network takes too
    with pytest.raises(ValueError, match="lmbda must be >= 0 and <= 10000"):
        c.with_(lmbda=np.nextafter(MAX_LMBDA, np.inf))


def test_lab_state_and_panels_name_what_is_wrong() -> None:
    from chapter5.viz.lab import Guess, InitPanel, LabState, TrainPanel, readouts

    x, y = synthetic(5)
    c = lab.LabConfig(depth=2, width=10, n_images=5)
    with pytest.raises(ValueError, match="preset must be one of"):
        LabState(config=c, preset="my preset")
    with pytest.raises(TypeError, match="init must be None or the AtInit of config's 3"):
        LabState(config=c.with_(depth=3), preset="custom", init=lab.at_init(c, x, y))
    with pytest.raises(ValueError, match="speeds must hold arrays of 2 non-negative numbers"):
        LabState(config=c, preset="custom", speeds=[np.array([0.1, np.nan])])
    with pytest.raises(TypeError, match="guesses must be a dict from preset name to Guess"):
        LabState(config=c, preset="custom", guesses={"custom": (1, 10.0)})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="layer must be a whole number"):
        Guess(True, 10.0)
    with pytest.raises(ValueError, match="factor must be one of 1, 3, 10"):
        Guess(1, 5.0)
    with pytest.raises(TypeError, match="state must be a chapter5.viz.lab.LabState"):
        readouts({"config": c})  # type: ignore[arg-type]
    state = LabState(config=c, preset="custom")
    with pytest.raises(ValueError, match="state must hold its at-init result"):
        InitPanel().update(state)
    assert TrainPanel().update(state).startswith(b"\x89PNG")  # no history yet: empty axes


# ---------------------------------------------------------- real MNIST: notebook 07's claims
def real_mnist_available() -> bool:
    d = os.environ.get(MNIST_DIR_ENV)
    return d is not None and all((Path(d) / f).is_file() for f in IDX_FILES)


real = pytest.mark.skipif(not real_mnist_available(),
                          reason=f"real MNIST not available: set {MNIST_DIR_ENV}")
#: Seeds notebook 07 never uses (it uses 0 to 9).
FRESH = range(100, 110)


@pytest.fixture(scope="module")
def mnist_1000() -> tuple[np.ndarray, np.ndarray]:
    from chapter5.data import load_mnist

    m = load_mnist(os.environ.get(MNIST_DIR_ENV))
    return m.train.x[:1000], m.train.y[:1000]


@real
def test_claims_at_initialisation(mnist_1000: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = mnist_1000
    for seed in FRESH:
        for h in (2, 3, 4):
            r = lab.at_init(lab.LabConfig(depth=h, seed=seed), x, y)
            assert np.all(np.diff(r.speeds) > 0)  # each earlier layer slower
            measured = lab.shrink_per_layer(r.speeds)
            assert 3.0 < measured < 7.0
            if h == 4:  # variance propagation predicts the shrink within 25 %
                predicted = lab.predicted_shrink_per_layer(lab.LabConfig(depth=h), r)
                assert abs(predicted / measured - 1) < 0.25
        large = lab.at_init(lab.LabConfig(depth=4, init="large", seed=seed), x, y)
        default = lab.at_init(lab.LabConfig(depth=4, seed=seed), x, y)
        assert lab.shrink_per_layer(large.speeds) < lab.shrink_per_layer(default.speeds)
        assert large.layers[0].saturated_share > 0.3
        assert all(h.saturated_share < 0.01 for h in default.layers)
        for act, init in (("tanh", "xavier"), ("relu", "he")):
            r = lab.at_init(lab.LabConfig(depth=4, activation=act, init=init, seed=seed), x, y)
            assert 0.6 < lab.shrink_per_layer(r.speeds) < 1.5


@real
def test_claims_escape_clause_in_training(mnist_1000: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = mnist_1000
    for seed in FRESH[:3]:
        for init in ("default", "large"):
            c = lab.LabConfig(depth=4, init=init, seed=seed)
            net = lab.build_network(c)
            start = lab.escape_clause(net, x)
            w0 = [float(np.abs(w).max()) for w in net.weights[1:]]
            for _ in lab.train(c, x, y, 200, chunk=100, net=net):
                pass
            end = lab.escape_clause(net, x)
            w1 = [float(np.abs(w).max()) for w in net.weights[1:]]
            # one weight of a large-init net may just reach 1 at the start; none gets further
            assert np.all(start < 1.1) and np.all(end < 1.1)
            if init == "large":  # weight decay wins: the largest weights and factors shrink
                assert np.all(np.array(w1) < np.array(w0)) and np.all(end < start)
            else:
                assert np.all(start < 0.5) and np.all(end < 0.5)


def test_lab_widget_state_readouts_guess_gate_and_in_place_redraw() -> None:
    from chapter5.viz.lab import Lab, readouts

    x, y = synthetic(1000, seed=3)
    w = Lab(x.astype(np.float32), y, preset="chapter 2 hidden, default init")
    figures = [p.figure for p in w.panels]
    r = readouts(w.state)
    assert set(r) == {"speed1", "speed2", "saturated1", "saturated2", "ratio_init"}
    assert w.train_button.disabled and w.state.needs_guess()
    with pytest.raises(ValueError, match="make a guess"):
        w.train(epochs=3)
    with pytest.raises(ValueError, match="layer must be a hidden layer from 1 to 2"):
        w.lock_guess(3, 10.0)
    with pytest.raises(TypeError, match="factor must be a real number"):
        w.lock_guess(1, "10")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="epochs must be a whole number"):
        w.train(epochs=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="preset must be one of"):
        Lab(x, y, preset="chapter 5 hidden")
    with pytest.raises(ValueError, match="x holds 999 images, fewer than n_images = 1000"):
        Lab(x[:999], y[:999])  # every control reaches 1000 images: refused at once
    w.lock_guess(1, 10.0)
    assert not w.train_button.disabled
    w.train(epochs=6, chunk=3)
    r = readouts(w.state)
    assert r["epoch"] == "5" and r["guess"].startswith("layer 1 is slowest")
    assert r["measured"].startswith("layer ")
    w.controls["depth"].value = 3  # a control move: new config, history cleared, same figures
    assert w.state.preset == "custom" and w.state.config.depth == 3 and not w.state.speeds
    assert "speed3" in readouts(w.state)
    assert [p.figure for p in w.panels] == figures
    assert all(pic.value.startswith(b"\x89PNG") for pic in w.pictures)


# ------------------------------------------------ a step too large: a message, never NaN
#: A deep ReLU/He net with eta = 0.5 on 50 images whose weights overflow within 30 epochs
#: (the eta slider reaches 10, so a reader can get here).
BLOWS_UP = lab.LabConfig(depth=8, width=41, activation="relu", init="he", eta=0.5, n_images=50,
                         seed=1017)


@real
def test_training_that_blows_up_says_so_and_stops(mnist_1000: tuple[np.ndarray, np.ndarray]
                                                  ) -> None:
    x, y = mnist_1000
    chunks = list(lab.train(BLOWS_UP, x, y, 30))  # numpy warnings are errors in the tests
    assert chunks[-1].diverged and not any(c.diverged for c in chunks[:-1])
    assert len(chunks) < 30, "it stops at the chunk that blew up"
    assert all(np.all(np.isfinite(c.speeds)) for c in chunks[:-1])


@real
def test_lab_widget_shows_only_numbers_and_tells_the_reader_to_lower_eta(
        mnist_1000: tuple[np.ndarray, np.ndarray]) -> None:
    from chapter5.viz.lab import Lab, readouts

    x, y = mnist_1000
    w = Lab(x, y)
    for key in ("depth", "width", "activation", "init", "eta", "n_images", "seed"):
        w.controls[key].value = getattr(BLOWS_UP, key)
    assert w.state.config == BLOWS_UP
    w.lock_guess(1, 10.0)
    w.train(epochs=30, chunk=10)
    assert w.state.speeds and all(np.all(np.isfinite(s)) for s in w.state.speeds)
    assert "Lower η" in w.status.value and "0.5" in w.status.value
    assert not any("nan" in v.lower() for v in readouts(w.state).values())
    w.controls["eta"].value = 0.1  # the next run clears the message
    w.lock_guess(1, 10.0)
    w.train(epochs=3, chunk=1)
    assert w.status.value == ""
