"""The measuring helpers (``chapter5.obstacles``) and figures (``chapter5.viz.obstacles``) of
notebook 06.

They read like the notebook's claims: eq. (124)'s factors bound the shrink of the error, the
sigmoid's diagonal factor never exceeds 1/4, Glorot & Bengio's initialisation has the range they
give, the activation tracker records the state before training and after each part, and the
speeds protocol is the network's own.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from chapter5.network import Network
from chapter5.obstacles import (
    glorot_bengio_parameters,
    layer_factors,
    speeds_over_seeds,
    track_hidden_means,
)
from chapter5.viz.obstacles import (
    factor_norms_figure,
    saturation_figure,
    sharpness_figure,
    speed_profiles_figure,
    speeds_training_figure,
)
from chapter5.viz.style import FACE, layer_colour


def toy_data(n: int = 60, n_in: int = 8, n_out: int = 3, seed: int = 0
             ) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), rng.integers(0, n_out, n)


def test_glorot_bengio_weights_are_uniform_within_one_over_root_n_in_and_biases_zero() -> None:
    sizes = [400, 50, 20, 3]
    w, b = glorot_bengio_parameters(sizes, seed=1)
    assert [wl.shape for wl in w] == [(50, 400), (20, 50), (3, 20)]
    for wl, n_in in zip(w, sizes[:-1], strict=True):
        bound = 1.0 / np.sqrt(n_in)
        assert np.all(np.abs(wl) <= bound)
        assert np.abs(wl).max() > 0.9 * bound  # fills the interval, not a narrower one
    # a uniform variable on [-c, c] has variance c^2 / 3
    assert abs(w[0].var() * 400 * 3 - 1.0) < 0.05
    assert all(np.all(bl == 0.0) for bl in b)
    w2, _ = glorot_bengio_parameters(sizes, seed=1)
    assert all(np.array_equal(p, q) for p, q in zip(w, w2, strict=True))


@pytest.mark.parametrize("sizes", [[5], [3, 0, 2]])
def test_glorot_bengio_rejects_bad_sizes(sizes: list[int]) -> None:
    with pytest.raises(ValueError, match="sizes must list at least two positive layer sizes"):
        glorot_bengio_parameters(sizes, seed=0)


def test_layer_factors_bound_the_shrink_of_the_error_and_sigma_prime_stays_below_a_quarter(
) -> None:
    x, y = toy_data()
    for init in ("default", "large"):
        net = Network([8, 6, 6, 6, 3], seed=3, init=init)
        f = layer_factors(net, x, y)
        assert f["shrink"].shape == (60, 3) and f["weight_norm"].shape == (3,)
        assert np.all(f["sigma_prime_norm"] <= 0.25)
        assert np.all(f["sigma_prime_mean"] <= f["sigma_prime_norm"])
        assert np.all(f["shrink"] <= f["bound"] * (1 + 1e-12))
        # the weight norm really is the largest singular value of w^{l+1}
        for i in range(3):
            s = np.linalg.svd(net.weights[i + 1], compute_uv=False)
            assert f["weight_norm"][i] == pytest.approx(s[0], rel=1e-12)


def test_layer_factors_shrink_matches_backprop_deltas() -> None:
    x, y = toy_data(n=5)
    net = Network([8, 4, 4, 3], seed=7)
    f = layer_factors(net, x, y)
    d = net.gradients(x, y).delta
    expected = np.linalg.norm(d[0], axis=1) / np.linalg.norm(d[1], axis=1)
    np.testing.assert_allclose(f["shrink"][:, 0], expected, rtol=1e-14)


def test_speeds_over_seeds_is_the_networks_own_speed_protocol() -> None:
    x, y = toy_data()
    s = speeds_over_seeds([8, 5, 5, 3], [0, 4], x, y, activation="tanh", init="xavier")
    assert s.shape == (2, 2)
    for row, seed in zip(s, [0, 4], strict=True):
        net = Network([8, 5, 5, 3], seed=seed, activation="tanh", init="xavier")
        np.testing.assert_array_equal(row, net.speeds(x, y))
    with pytest.raises(ValueError, match="seeds must list at least one seed"):
        speeds_over_seeds([8, 5, 3], [], x, y)
    with pytest.raises(ValueError, match="activation must be one of"):
        speeds_over_seeds([8, 5, 3], [0], x, y, activation="softsign")


def test_track_hidden_means_records_the_start_and_every_part_and_trains_in_place() -> None:
    x, y = toy_data(n=100)
    net = Network([8, 6, 6, 3], seed=2)
    before = [w.copy() for w in net.weights]
    _, a = net.forward(x[:20])
    start = [h.mean() for h in a[1:-1]]
    t = track_hidden_means(net, x, y, x[:20], y[:20], epochs=2, mini_batch_size=10,
                           records_per_epoch=5, seed=0)
    assert t.means.shape == (11, 2) and t.low_fraction.shape == (11, 2)
    np.testing.assert_allclose(t.means[0], start)
    np.testing.assert_array_equal(t.steps, np.arange(0, 21, 2))
    np.testing.assert_allclose(t.epochs, np.linspace(0.0, 2.0, 11))
    assert np.all((t.accuracy >= 0) & (t.accuracy <= 1))
    assert np.all((t.means > 0) & (t.means < 1))
    assert not np.array_equal(before[0], net.weights[0])  # the net was trained in place
    _, a = net.forward(x[:20])
    np.testing.assert_allclose(t.means[-1], [h.mean() for h in a[1:-1]])


def test_track_hidden_means_is_reproducible_with_its_seed() -> None:
    x, y = toy_data(n=100)
    runs = [track_hidden_means(Network([8, 6, 3], seed=2), x, y, x, y, epochs=1,
                               records_per_epoch=4, seed=11) for _ in range(2)]
    np.testing.assert_array_equal(runs[0].means, runs[1].means)


def test_track_hidden_means_rejects_bad_arguments() -> None:
    x, y = toy_data(n=30)
    net = Network([8, 4, 3], seed=0)
    with pytest.raises(TypeError, match="net must be a chapter5.network.Network"):
        track_hidden_means("net", x, y, x, y, epochs=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="epochs must be a whole number >= 1"):
        track_hidden_means(net, x, y, x, y, epochs=0)
    with pytest.raises(ValueError, match="records_per_epoch"):
        track_hidden_means(net, x, y, x, y, epochs=1, records_per_epoch=4, mini_batch_size=10)
    with pytest.raises(ValueError, match="low must lie strictly between 0 and 1"):
        track_hidden_means(net, x, y, x, y, epochs=1, low=1.5)


def _white(fig: Figure) -> None:
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    for ax in fig.axes:
        assert ax.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert FACE == "#ffffff"


def test_figures_have_white_faces_labelled_axes_and_log_scales_for_speeds() -> None:
    x, y = toy_data(n=100)
    s = speeds_over_seeds([8, 5, 5, 3], range(4), x, y)
    fig = speed_profiles_figure({"a": {"sigmoid": s}, "b": {"sigmoid": s, "other": 2 * s}})
    _white(fig)
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "log"]
    assert fig.axes[0].get_ylabel() and all(ax.get_xlabel() for ax in fig.axes)
    # the same set-up keeps its colour in every panel
    c0 = [ln.get_color() for ln in fig.axes[0].get_lines() if ln.get_label() == "sigmoid"]
    c1 = [ln.get_color() for ln in fig.axes[1].get_lines() if ln.get_label() == "sigmoid"]
    assert c0 == c1

    f = layer_factors(Network([8, 5, 5, 3], seed=0), x, y)
    fig = factor_norms_figure({"default": f})
    _white(fig)
    assert fig.axes[0].get_yscale() == "log" and fig.axes[0].get_ylabel()

    t = track_hidden_means(Network([8, 5, 5, 3], seed=0), x, y, x, y, epochs=1,
                           records_per_epoch=2)
    fig = saturation_figure({"run": t})
    _white(fig)
    assert fig.axes[0].get_ylim() == (0.0, 1.0) and fig.axes[0].get_xlabel()
    fig.canvas.draw()  # renders without error

    s = Network([8, 5, 5, 3], seed=0).gradient_descent(x, y, epochs=20, eta=0.1)
    fig = speeds_training_figure({"a": s, "b": s})
    _white(fig)
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "log"]
    # hidden layer l has its book colour
    assert [ln.get_color() for ln in fig.axes[0].get_lines()] == [layer_colour(1), layer_colour(2)]

    fig = sharpness_figure({"a": (np.array([0, 10]), np.array([3.0, 19.0]), 0.1),
                            "b": (np.array([0, 10]), np.array([-1.0, 5.0]), 0.05)})
    _white(fig)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() and ax.get_ylabel()
    limits = sorted(ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_linestyle() == "--")
    assert limits == [20.0, 40.0]  # 2 / eta for each learning rate
    b_line = [ln for ln in ax.get_lines() if ln.get_label() == "b"][0]
    assert list(b_line.get_ydata()) == [5.0]  # a non-positive value is not drawn on a log axis


@pytest.mark.parametrize("call", [
    lambda: speed_profiles_figure({}),
    lambda: sharpness_figure({}),
    lambda: speeds_training_figure({}),
    lambda: factor_norms_figure({}),
    lambda: saturation_figure({}),
])
def test_figures_reject_empty_input(call: object) -> None:
    with pytest.raises(ValueError, match="must hold at least one"):
        call()  # type: ignore[operator]
