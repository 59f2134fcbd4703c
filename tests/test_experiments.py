"""The three experiments: tidy results, cached by their parameters, and -- on real MNIST -- the
chapter's claims (early hidden layers learn far slower, at initialisation and during training)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from chapter5 import depth_accuracy, layer_speeds
from chapter5 import experiments as E
from chapter5.data import IDX_FILES, MNIST, MNIST_DIR_ENV, Split
from chapter5.network import Network


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "experiments"


def synthetic(n_train: int = 120, n_valid: int = 40, seed: int = 0) -> MNIST:
    """MNIST-shaped random data: 784 pixels in [0, 1), labels 0..9, a blank border column."""
    rng = np.random.default_rng(seed)

    def part(n: int) -> Split:
        x = rng.random((n, 784), dtype=np.float32)
        x[:, :28] = 0.0
        return Split(x, rng.integers(0, 10, n))

    return MNIST(part(n_train), part(n_valid), part(n_valid), source="synthetic")


class Boom(Exception):
    pass


def forbid_training(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> Network:
        raise Boom("a network was built: the result was not taken from the cache")

    for module in (depth_accuracy, layer_speeds):  # where the experiments build their nets
        monkeypatch.setattr(module, "Network", boom)


def test_sizes_are_the_books_nets() -> None:
    assert E.sizes_for(1) == (784, 30, 10)
    assert E.sizes_for(4) == (784, 30, 30, 30, 30, 10)
    with pytest.raises(ValueError, match="hidden_layers must be a whole number >= 1"):
        E.sizes_for(0)


def test_the_books_speeds_rise_from_the_first_hidden_layer_to_the_last() -> None:
    for h, speeds in E.BOOK_SPEEDS_AT_INIT.items():
        assert len(speeds) == h and list(speeds) == sorted(speeds)
    for h, speeds in E.BOOK_SPEEDS_EPOCH_499.items():
        assert len(speeds) == h and list(speeds) == sorted(speeds)


def test_results_are_cached_by_parameters_and_force_recomputes(
        monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> None:
    data = synthetic()
    first = E.speeds_at_init((2, 3), seeds=range(4), n_images=50, data=data, progress=False)
    assert first.speeds[2].shape == (4, 2) and first.speeds[3].shape == (4, 3)
    assert len(list(private_cache.glob("B-*.npz"))) == 1
    forbid_training(monkeypatch)
    again = E.speeds_at_init((2, 3), seeds=range(4), n_images=50, data=data, progress=False)
    np.testing.assert_array_equal(again.speeds[3], first.speeds[3])
    with pytest.raises(Boom):  # force recomputes ...
        E.speeds_at_init((2, 3), seeds=range(4), n_images=50, data=data, force=True,
                         progress=False)
    with pytest.raises(Boom):  # ... and so does any change of a parameter or of the data
        E.speeds_at_init((2, 3), seeds=range(4), n_images=60, data=data, progress=False)
    with pytest.raises(Boom):
        E.speeds_at_init((2, 3), seeds=range(4), n_images=50, data=synthetic(seed=1),
                         progress=False)


def test_speeds_at_init_are_the_networks_speeds() -> None:
    data = synthetic()
    res = E.speeds_at_init((2,), seeds=(5, 6), n_images=80, data=data, progress=False)
    direct = Network(E.sizes_for(2), seed=6).speeds(data.train.x[:80], data.train.y[:80])
    np.testing.assert_array_equal(res.speeds[2][1], direct)


def test_speeds_during_training_record_then_step_and_give_the_ratio() -> None:
    data = synthetic()
    res = E.speeds_during_training((2, 3), seeds=(0, 1), epochs=5, n_images=100, data=data,
                                   progress=False)
    assert res.speeds[3].shape == (2, 5, 3)
    with threadpool_limits(limits=1, user_api="blas"):  # as the experiments run: same bits
        direct = Network(E.sizes_for(3), seed=1).gradient_descent(
            data.train.x[:100], data.train.y[:100], epochs=5, eta=0.1, lmbda=5.0)
    np.testing.assert_array_equal(res.speeds[3][1], direct)
    np.testing.assert_allclose(res.ratio(3), res.speeds[3][:, :, 2] / res.speeds[3][:, :, 0])
    rows = res.summary()
    assert [(r["hidden_layers"], r["layer"]) for r in rows] == [(2, 1), (2, 2), (3, 1), (3, 2),
                                                                 (3, 3)]
    assert rows[0]["book_last"] == E.BOOK_SPEEDS_EPOCH_499[2][0]


def test_accuracy_runs_are_cached_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    data = synthetic()
    kw = {"epochs": 2, "n_train": 100, "data": data, "progress": False}
    res = E.accuracy_vs_depth((1, 2), seeds=(0, 1), **kw)
    assert res.accuracy.shape == (2, 2, 2)
    assert np.all((0 <= res.accuracy) & (res.accuracy <= 100))
    net = Network(E.sizes_for(2), seed=1)
    expected = 100 * net.sgd(data.train.x[:100], data.train.y[:100], epochs=2,
                             mini_batch_size=10, eta=0.1, lmbda=5.0,
                             evaluation_data=(data.validation.x, data.validation.y))
    np.testing.assert_array_equal(res.accuracy[1, 1], expected)
    built = []
    monkeypatch.setattr(depth_accuracy, "Network", lambda sizes, seed: built.append(seed)
                        or Network(sizes, seed=seed))
    more = E.accuracy_vs_depth((1, 2), seeds=(0, 1, 2), **kw)
    assert built == [2, 2]  # only the new seed ran, once per depth
    np.testing.assert_array_equal(more.accuracy[:, :2], res.accuracy)


def test_a_shared_order_is_one_computation_per_depth_reproducible_and_cached(
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = synthetic()
    kw: dict[str, Any] = {"epochs": 2, "n_train": 100, "data": data, "progress": False,
                          "shuffle_seed": 3}
    res = E.accuracy_vs_depth((1, 2), seeds=(0, 1), dtype="float32", **kw)
    assert res.params["shuffle_seed"] == 3 and res.params["dtype"] == "float32"
    # the same mini-batches as one net shuffled by default_rng(3), to float32 rounding
    net = Network(E.sizes_for(2), seed=1)
    alone = 100 * net.sgd(data.train.x[:100], data.train.y[:100], epochs=2,
                          mini_batch_size=10, eta=0.1, lmbda=5.0, rng=3, dtype="float32",
                          evaluation_data=(data.validation.x, data.validation.y))
    np.testing.assert_allclose(res.accuracy[1, 1], alone, atol=1.0)  # one image in 100
    # another order is another experiment
    other = E.accuracy_vs_depth((1, 2), seeds=(0, 1), dtype="float32",
                                **dict(kw, shuffle_seed=4))
    assert not np.array_equal(other.accuracy, res.accuracy)
    with monkeypatch.context() as mp:
        forbid_training(mp)
        again = E.accuracy_vs_depth((1, 2), seeds=(0, 1), dtype="float32", **kw)
        np.testing.assert_array_equal(again.accuracy, res.accuracy)
        with pytest.raises(Boom):  # a new seed recomputes its depth (the seeds share products)
            E.accuracy_vs_depth((1,), seeds=(0, 1, 2), dtype="float32", **kw)
    fresh = E.accuracy_vs_depth((1, 2), seeds=(0, 1), dtype="float32", force=True, **kw)
    np.testing.assert_array_equal(fresh.accuracy, res.accuracy)  # same seed, same numbers


def test_summaries_say_honestly_whether_the_book_value_is_inside() -> None:
    speeds = np.linspace(0.05, 0.08, 11)[:, None] * np.array([[1.0, 10.0]])  # layer 2: 10x
    res = E.SpeedsAtInit(np.arange(11), {2: speeds})
    rows = res.summary()
    q10, q90 = np.percentile(speeds[:, 0], [10, 90])
    assert rows[0]["q10"] == pytest.approx(q10) and rows[0]["q90"] == pytest.approx(q90)
    assert q10 <= 0.0657 <= q90 and rows[0]["inside"] is True  # 0.0657 in [0.053, 0.077]
    assert rows[1]["inside"] is False  # book 0.309 lies below our 0.53 .. 0.77
    assert rows[1]["book_percentile"] == 0.0
    acc = E.AccuracyVsDepth(np.array([1]), np.array([0, 1]),
                            np.array([[[95.0, 96.0], [96.0, 97.0]]]), np.zeros((1, 2)))
    row = acc.summary()[0]
    assert row["mean_final"] == 96.5 and row["min_final"] == 96.0 and row["max_final"] == 97.0
    assert row["book"] == 96.48 and row["book_inside_range"] is True


def test_initial_gradient_bars_have_one_row_per_hidden_layer() -> None:
    bars = E.initial_gradient_bars(2, seed=0, n_images=50, data=synthetic())
    assert [b.shape for b in bars] == [(6,), (6,)]


# ------------------------------------------------------------------------------ real MNIST
def real_mnist_available() -> bool:
    d = os.environ.get(MNIST_DIR_ENV)
    return bool(d) and all((Path(d) / f).is_file() for f in IDX_FILES)


real = pytest.mark.skipif(not real_mnist_available(),
                          reason=f"real MNIST not available: set {MNIST_DIR_ENV}")


@real
def test_at_initialisation_each_earlier_hidden_layer_learns_several_times_slower() -> None:
    res = E.speeds_at_init(seeds=range(20), progress=False)
    for h, s in res.speeds.items():
        median = np.median(s, axis=0)
        assert np.all(median[1:] / median[:-1] > 3), (h, median)
        # and the book's single run is a typical draw: inside the range of our 20 seeds
        lo, hi = s.min(axis=0), s.max(axis=0)
        book = np.array(E.BOOK_SPEEDS_AT_INIT[h])
        assert np.all((lo <= book) & (book <= hi)), (h, lo, book, hi)


@real
def test_during_training_the_first_of_four_hidden_layers_stays_about_100_times_slower() -> None:
    res = E.speeds_during_training((4,), seeds=(0,), progress=False)
    ratio = res.ratio(4)[0]
    assert ratio.shape == (500,)
    assert 30 < ratio[0] < 300 and 30 < ratio[-1] < 300  # book: about 96 and 113
    assert np.all(ratio > 10)  # never anywhere near equal speeds


@real
def test_with_two_hidden_layers_both_speeds_dip_then_recover() -> None:
    s = E.speeds_during_training((2,), seeds=(0,), progress=False).speeds[2][0]
    lowest = s.argmin(axis=0)
    assert np.all((20 < lowest) & (lowest < 100))  # book: minima near epochs 40-55
    assert np.all(s[-1] > s[lowest, [0, 1]])  # they recover afterwards
    # layer 1 starts and ends below layer 2 (the book's run stays below throughout; some of
    # our seeds, seed 0 among them, cross briefly after the dip)
    assert s[0, 0] < s[0, 1] and s[-1, 0] < s[-1, 1]


def test_figures_have_white_faces_and_log_speed_axes() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from chapter5.viz import training as V

    data = synthetic()
    c = E.speeds_during_training((2,), seeds=(0, 1), epochs=4, n_images=60, data=data,
                                 progress=False)
    b = E.speeds_at_init((2, 3), seeds=range(5), n_images=60, data=data, progress=False)
    a = E.accuracy_vs_depth((1,), seeds=(0,), epochs=2, n_train=60, data=data, progress=False)
    figures = [V.plot_speeds_during_training(c, 2), V.plot_speeds_at_init(b),
               V.plot_initial_gradient_bars(E.initial_gradient_bars(2, n_images=60, data=data)),
               V.plot_accuracy_vs_depth(a), V.plot_accuracy_curves(a), V.plot_accuracy_table(a)]
    for fig in figures:
        assert matplotlib.colors.to_hex(fig.get_facecolor()) == "#ffffff"
        for ax in fig.axes:
            assert matplotlib.colors.to_hex(ax.get_facecolor()) == "#ffffff"
        fig.canvas.draw()  # renders without error
    assert figures[0].axes[0].get_yscale() == "log" and figures[1].axes[0].get_yscale() == "log"
    table = V.markdown_table(V.accuracy_table(a))
    assert table.startswith("| net |") and "[784, 30, 10]" in table and "96.48 %" in table
