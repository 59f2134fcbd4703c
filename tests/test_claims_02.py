"""Notebook 02's general claims hold for seeds the notebook never uses.

The notebook's seeds are 0-49 (experiment B, figure 2.2, exercise 2.1) and 0-4 (experiments A
and C, exercise 2.3). Every sentence of its prose about what deep sigmoid nets *do* is checked
here on fresh seeds from 1000 on: over 100 seeds where one seed costs a fraction of a second,
over smaller blocks (marked ``slow``) where it costs seconds of training. A claim the prose states
as a share ("in most seeds") is tested as a share, with the share printed (``pytest -s``), and
each threshold leaves room for what the notebook says, not more.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from chapter5.activations import sigmoid
from chapter5.data import IDX_FILES, MNIST, MNIST_DIR_ENV, load_mnist
from chapter5.experiments import sizes_for
from chapter5.lockstep import sgd_in_lockstep
from chapter5.network import Network

#: Seeds the notebook never uses (it uses 0-49).
FRESH = tuple(range(1000, 1100))
#: Smaller fresh blocks where each seed costs seconds of training.
FRESH_C_2 = FRESH[:20]  # 500 full-batch steps of the 2-hidden-layer net, ~4 s each
FRESH_C_4 = FRESH[:10]  # 500 full-batch steps of the 4-hidden-layer net, ~6 s each
FRESH_A = FRESH[:8]  # 5 epochs of mini-batch SGD on 50,000 images, 4 hidden layers, ~2 s each
#: Fresh mini-batch orders (the notebook's experiment A shares the order 0 among its seeds).
FRESH_ORDERS = (1000, 1001)
FRESH_FROZEN = FRESH[:3]  # 30 epochs of SGD behind a frozen first layer, ~20 s each


def _real_mnist() -> bool:
    d = os.environ.get(MNIST_DIR_ENV)
    return d is not None and all((Path(d) / f).is_file() for f in IDX_FILES)


pytestmark = pytest.mark.skipif(not _real_mnist(),
                                reason=f"real MNIST not available: set {MNIST_DIR_ENV}")


@pytest.fixture(scope="module")
def mnist() -> MNIST:
    return load_mnist()


@pytest.fixture(scope="module")
def images(mnist: MNIST) -> tuple[np.ndarray, np.ndarray]:
    """The chapter's 1,000 images (the first 1,000 training images)."""
    return mnist.train.x[:1000], mnist.train.y[:1000]


@pytest.fixture(autouse=True)
def one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def share(flags: object) -> float:
    return float(np.mean(np.asarray(flags, dtype=bool)))


# ------------------------------------------------------------------- at initialisation (cheap)
@pytest.fixture(scope="module")
def at_init(images: tuple[np.ndarray, np.ndarray]) -> dict[str, np.ndarray]:
    """Per fresh seed: the speeds of the nets with 1-4 hidden layers, figure 2.2's six bars per
    layer of the 2-hidden-layer net, and exercise 2.1's mean of per-image gradient lengths."""
    x, y = images
    out: dict[str, list[np.ndarray]] = {k: [] for k in
                                        ("s1", "s2", "s3", "s4", "bars", "mean_of_norms")}
    with threadpool_limits(limits=1, user_api="blas"):
        for seed in FRESH:
            for h in (1, 3):
                out[f"s{h}"].append(Network(sizes_for(h), seed=seed).speeds(x, y))
            g2 = Network(sizes_for(2), seed=seed).gradients(x, y)
            out["s2"].append(g2.speeds)
            out["bars"].append(np.array([np.mean(np.abs(db[:6])) for db in g2.dC_db[:-1]]))
            g4 = Network(sizes_for(4), seed=seed).gradients(x, y)
            out["s4"].append(g4.speeds)
            out["mean_of_norms"].append(
                np.array([np.mean(np.linalg.norm(d, axis=1)) for d in g4.delta[:-1]]))
    return {k: np.array(v) for k, v in out.items()}


def test_every_layer_is_slower_than_the_one_after_it_in_every_seed(at_init) -> None:
    # 2.4: "the further a layer is from the output, the slower it learns" (every seed)
    for h in (2, 3, 4):
        assert np.all(np.diff(at_init[f"s{h}"], axis=1) > 0), h


def test_each_step_back_multiplies_the_speed_by_about_a_fifth(at_init) -> None:
    # 2.4: a roughly constant factor per layer, about 0.2; layer 4 / layer 1 about a hundred
    s4 = at_init["s4"]
    step = np.median(s4[:, :-1] / s4[:, 1:], axis=0)
    assert np.all((step > 0.15) & (step < 0.3)), step
    ratio_41 = s4[:, 3] / s4[:, 0]
    assert 80 < np.median(ratio_41) < 160 and ratio_41.min() > 20


def test_the_same_first_layer_is_far_faster_in_the_shallow_net(at_init) -> None:
    # 2.6, test 1: same seed, identical first layer, about a hundred times faster, never < 10
    same = at_init["s1"][:, 0] / at_init["s4"][:, 0]
    assert same.min() > 10 and 80 < np.median(same) < 200


def test_figure_2_2_layer_2_bars_are_taller_in_every_seed_and_twice_as_tall_in_most(
        at_init) -> None:
    ratio = at_init["bars"][:, 1] / at_init["bars"][:, 0]
    twice = share(ratio > 2)
    print(f"figure 2.2 over {len(FRESH)} fresh seeds: layer 2 taller in {share(ratio > 1):.0%}, "
          f"over twice as tall in {twice:.0%} (smallest ratio {ratio.min():.2f})")
    assert np.all(ratio > 1)
    assert twice >= 0.85  # the notebook says "most"; measured 96 %


def test_exercise_2_1_mean_of_lengths_is_only_slightly_larger(at_init) -> None:
    ratio = at_init["mean_of_norms"] / at_init["s4"]  # (seeds, 4 layers)
    print(f"exercise 2.1 over {len(FRESH)} fresh seeds: median ratio per layer "
          + " ".join(f"{v:.2f}" for v in np.median(ratio, axis=0))
          + f"; largest {ratio.max():.2f}; share of seeds with a ratio >= 1.5: "
          f"{share(ratio.max(axis=1) >= 1.5):.0%}")
    assert np.all(ratio >= 1.0)  # the triangle inequality
    assert np.all((np.median(ratio, axis=0) > 1.1) & (np.median(ratio, axis=0) < 1.3))
    # "about one seed in ten" has a layer at 1.5 or more (seeds 0-49: 5 of 50, up to 2.2)
    above = share(ratio.max(axis=1) >= 1.5)
    assert 0.02 <= above <= 0.2 and ratio.max() < 3.0
    # the layers keep their order, image by image, with about the same factor per layer
    m = at_init["mean_of_norms"]
    assert np.all(np.diff(m, axis=1) > 0)
    step_m = np.median(m[:, :-1] / m[:, 1:], axis=0)
    step_s = np.median(at_init["s4"][:, :-1] / at_init["s4"][:, 1:], axis=0)
    assert np.all(np.abs(step_m / step_s - 1) < 0.2), (step_m, step_s)


# ---------------------------------------------------------- experiment C, exercise 2.3 (slow)
def _protocol_c(h: int, seed: int, x: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """Experiment C's run (500 full-batch steps), pausing after 50 steps as exercise 2.3 does."""
    share_of_digit = np.bincount(y, minlength=10) / len(y)
    net = Network(sizes_for(h), seed=seed)
    first = net.gradient_descent(x, y, epochs=50, eta=0.1, lmbda=5.0)
    out50 = net.feedforward(x)
    acc50 = net.accuracy(x, y)
    rest = net.gradient_descent(x, y, epochs=450, eta=0.1, lmbda=5.0)
    out500 = net.feedforward(x)
    return {
        "speeds": np.concatenate([first, rest]),
        "acc50": acc50, "acc500": net.accuracy(x, y),
        "spread50": out50.std(axis=0).max(), "spread500": out500.std(axis=0).max(),
        "off50": np.abs(out50.mean(axis=0) - share_of_digit).max(),
    }


@pytest.fixture(scope="module")
def protocol_c(images: tuple[np.ndarray, np.ndarray]) -> dict[int, list[dict[str, object]]]:
    x, y = images
    with threadpool_limits(limits=1, user_api="blas"):
        return {2: [_protocol_c(2, s, x, y) for s in FRESH_C_2],
                4: [_protocol_c(4, s, x, y) for s in FRESH_C_4]}


@pytest.mark.slow
def test_experiment_c_the_first_layer_stays_far_slower_throughout(protocol_c) -> None:
    s4 = np.array([r["speeds"] for r in protocol_c[4]])  # (seeds, 500, 4)
    assert np.all(s4[:, :, 3] / s4[:, :, 0] > 10)  # every seed, every epoch
    for h in (2, 4):
        s = np.array([r["speeds"] for r in protocol_c[h]])
        assert np.all(np.diff(np.median(s, axis=0), axis=1) > 0), h  # medians keep their order


@pytest.mark.slow
def test_experiment_c_two_hidden_layers_dip_then_recover(protocol_c) -> None:
    s2 = np.median(np.array([r["speeds"] for r in protocol_c[2]]), axis=0)  # (500, 2)
    minima = np.argmin(s2, axis=0)
    assert np.all((minima >= 30) & (minima <= 100)), minima
    assert np.all(s2[-1] > 2 * s2[minima.min()])


@pytest.mark.slow
def test_exercise_2_3_both_nets_reach_the_plateau_by_step_50(protocol_c) -> None:
    for h in (2, 4):
        for r in protocol_c[h]:
            assert r["spread50"] < 0.01 and r["off50"] < 0.01 and r["acc50"] < 0.25, (h, r)


@pytest.mark.slow
def test_exercise_2_3_four_hidden_layers_stay_on_the_plateau(protocol_c) -> None:
    for r in protocol_c[4]:
        assert r["spread500"] < 0.01 and r["acc500"] < 0.15, r


@pytest.mark.slow
def test_exercise_2_3_two_hidden_layers_usually_escape(protocol_c) -> None:
    # the notebook: "in most seeds" its outputs come to depend on the image and its accuracy
    # climbs well above guessing; in a few the escape has only begun after 500 steps
    runs = protocol_c[2]
    grew = share([r["spread500"] > 5 * r["spread50"] for r in runs])
    above = share([r["acc500"] > 0.3 for r in runs])
    print(f"exercise 2.3 over {len(runs)} fresh seeds: output spread grew over 5x in {grew:.0%}, "
          f"accuracy above 30 % after 500 steps in {above:.0%}; lowest "
          f"{min(float(r['acc500']) for r in runs):.1%}")
    assert all(r["spread500"] > 2 * r["spread50"] for r in runs)  # every run has begun
    assert all(r["acc500"] > 0.15 for r in runs)  # above the plateau's accuracy in every run
    assert above >= 0.75


# ----------------------------------------------------------------------- experiment A (slow)
@pytest.mark.slow
def test_experiment_a_four_hidden_layers_start_slowly_then_catch_up(mnist: MNIST) -> None:
    # experiment A's protocol as the notebook runs it: float32, the seeds of one depth in lockstep
    # on one shared mini-batch order; here two groups of fresh seeds, each with a fresh order
    x, y = mnist.train.x, mnist.train.y
    valid = (mnist.validation.x, mnist.validation.y)
    acc = np.empty((len(FRESH_A), 5))
    half = len(FRESH_A) // 2
    for k, group in enumerate((FRESH_A[:half], FRESH_A[half:])):
        nets = [Network(sizes_for(4), seed=seed) for seed in group]
        order = np.random.default_rng(FRESH_ORDERS[k])
        for e in range(5):
            acc[k * half:(k + 1) * half, e] = 100.0 * sgd_in_lockstep(
                nets, x, y, epochs=1, mini_batch_size=10, eta=0.1, lmbda=5.0,
                evaluation_data=valid, shared_order=order, dtype="float32")[:, 0]
    print(f"experiment A, 4 hidden layers, {len(FRESH_A)} fresh seeds: after epoch 1 "
          f"{acc[:, 0].min():.1f}-{acc[:, 0].max():.1f} %, below 15 % (guessing) in "
          f"{share(acc[:, 0] < 15):.0%}; after epoch 5 "
          f"{acc[:, 4].min():.1f}-{acc[:, 4].max():.1f} %")
    assert np.all(acc[:, 0] < 50)  # far behind after one epoch ...
    assert share(acc[:, 0] < 15) >= 0.25  # ... often still at guessing level (measured 8 of 12)
    assert np.all(acc[:, 4] > 85)  # ... and has caught up with the others within five epochs


@pytest.mark.slow
def test_test_2_a_frozen_random_first_layer_stays_far_behind(mnist: MNIST) -> None:
    # 2.6, test 2, on fresh seeds (one hidden layer, the cheaper net): experiment A's trained nets
    # end above 95 %; with the first layer frozen at random the rest ends "some twenty points"
    # lower (seed 0: 71.6 %; seeds 1000-1002: 75.9, 72.5, 73.7 %), at least 15 in every seed
    frozen = []
    for seed in FRESH_FROZEN:
        full = Network(sizes_for(1), seed=seed)
        w1, b1 = full.weights[0], full.biases[0]
        rest = Network(sizes_for(1)[1:], seed=seed)
        rest.set_parameters([w.copy() for w in full.weights[1:]],
                            [b.copy() for b in full.biases[1:]])
        history = rest.sgd(sigmoid(mnist.train.x @ w1.T + b1), mnist.train.y, epochs=30,
                           mini_batch_size=10, eta=0.1, lmbda=5.0,
                           evaluation_data=(sigmoid(mnist.validation.x @ w1.T + b1),
                                            mnist.validation.y), rng=full.rng)
        frozen.append(100.0 * history[-1])
    print(f"test 2 over {len(FRESH_FROZEN)} fresh seeds, first layer frozen: "
          + ", ".join(f"{a:.1f} %" for a in frozen))
    assert max(frozen) < 95.0 - 15.0
