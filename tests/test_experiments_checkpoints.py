"""Section 2.6's frozen-first-layer runs and exercise 2.3's checkpoints of experiment C: the
same numbers as the notebook's former inline code, cached, and the same with or without the
pool of processes (a reused pool: a second call starts no new processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_experiments import forbid_training, synthetic
from threadpoolctl import threadpool_limits

from chapter5 import _pool
from chapter5 import experiments as E
from chapter5.activations import sigmoid
from chapter5.network import Network


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "experiments"


def _frozen_by_hand(d, h: int, seed: int, order: object) -> np.ndarray:  # type: ignore[no-untyped-def]
    """What notebook 02 computed inline before: the rest of the net trained behind a frozen
    random first layer."""
    full = Network(E.sizes_for(h), seed=seed)
    w1, b1 = full.weights[0], full.biases[0]
    rest = Network(E.sizes_for(h)[1:], seed=seed)
    rest.set_parameters([w.copy() for w in full.weights[1:]], [b.copy() for b in full.biases[1:]])
    with threadpool_limits(limits=1, user_api="blas"):
        return 100.0 * rest.sgd(sigmoid(d.train.x @ w1.T + b1), d.train.y, epochs=2,
                                mini_batch_size=10, eta=0.1, lmbda=5.0,
                                evaluation_data=(sigmoid(d.validation.x @ w1.T + b1),
                                                 d.validation.y),
                                rng=full.rng if order is None else order, dtype="float32")


@pytest.mark.parametrize("shuffle_seed", [None, 0])
def test_frozen_runs_are_the_inline_computation_and_cached(
        monkeypatch: pytest.MonkeyPatch, shuffle_seed: int | None) -> None:
    d = synthetic(n_train=120)
    kw = {"epochs": 2, "n_train": 120, "data": d, "progress": False, "dtype": "float32",
          "shuffle_seed": shuffle_seed}
    res = E.frozen_first_layer_accuracy((1, 2), seed=3, **kw)  # type: ignore[arg-type]
    assert res.accuracy.shape == (2, 2) and res.seed == 3
    for i, h in enumerate((1, 2)):
        np.testing.assert_array_equal(res.accuracy[i], _frozen_by_hand(d, h, 3, shuffle_seed))
    assert res.final == {1: res.accuracy[0, -1], 2: res.accuracy[1, -1]}
    forbid_training(monkeypatch)
    again = E.frozen_first_layer_accuracy((2, 1), seed=3, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(again.accuracy, res.accuracy[::-1])
    with pytest.raises(Exception, match="network was built"):  # another seed is computed
        E.frozen_first_layer_accuracy((1,), seed=4, **kw)  # type: ignore[arg-type]


def test_checkpoints_are_the_paused_runs_outputs_and_change_no_speed() -> None:
    d = synthetic(n_train=100)
    x, y = d.train.x[:100], d.train.y[:100]
    res = E.speeds_during_training((2,), seeds=(0, 1), epochs=6, n_images=100, data=d,
                                   checkpoints=(2, 6), progress=False)
    assert res.checkpoints == (2, 6) and res.outputs[2].shape == (2, 2, 3)
    share = np.bincount(y, minlength=10) / 100
    with threadpool_limits(limits=1, user_api="blas"):
        net = Network(E.sizes_for(2), seed=1)
        first = net.gradient_descent(x, y, epochs=2, eta=0.1, lmbda=5.0)
        out = net.feedforward(x)
        at2 = {"accuracy": net.accuracy(x, y), "spread": out.std(axis=0).max(),
               "gap": np.abs(out.mean(axis=0) - share).max()}
        rest = net.gradient_descent(x, y, epochs=4, eta=0.1, lmbda=5.0)
    np.testing.assert_array_equal(res.speeds[2][1], np.concatenate([first, rest]))
    assert res.after(2, 2, seed=1) == pytest.approx(at2, rel=1e-12)
    plain = E.speeds_during_training((2,), seeds=(0, 1), epochs=6, n_images=100, data=d,
                                     progress=False)
    assert plain.checkpoints == (6,)  # default: 50 (only when fewer than epochs) and the end
    np.testing.assert_array_equal(plain.speeds[2], res.speeds[2])
    np.testing.assert_array_equal(plain.outputs[2][:, 0], res.outputs[2][:, 1])
    assert E.speeds_during_training((2,), seeds=(0,), epochs=60, n_images=20, data=d,
                                    progress=False).checkpoints == (50, 60)


@pytest.mark.parametrize("bad, message", [
    ((3, 2), "must increase"), ((0,), "must hold numbers >= 1 and <= 6"),
    ((7,), "<= 6"), (5, "list of whole numbers")])
def test_bad_checkpoints_are_refused(bad: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        E.speeds_during_training((2,), seeds=(0,), epochs=6, n_images=20, data=synthetic(),
                                 checkpoints=bad, progress=False)  # type: ignore[arg-type]


def test_after_names_what_it_does_not_have() -> None:
    res = E.speeds_during_training((2,), seeds=(0,), epochs=3, n_images=20, data=synthetic(),
                                   progress=False)
    for kwargs, message in (({"h": 4}, "depths run"), ({"steps": 2}, "checkpoints recorded"),
                            ({"seed": 9}, "seeds run")):
        args = {"h": 2, "steps": 3, "seed": 0} | kwargs
        with pytest.raises(ValueError, match=message):
            res.after(**args)  # type: ignore[arg-type]


def test_the_pool_is_reused_and_gives_the_numbers_of_one_process() -> None:
    d = synthetic(n_train=100)
    kw = {"epochs": 2, "n_train": 100, "data": d, "progress": False, "force": True,
          "dtype": "float32", "shuffle_seed": 0}
    one = E.frozen_first_layer_accuracy((1, 2), workers=1, **kw)  # type: ignore[arg-type]
    two = E.frozen_first_layer_accuracy((1, 2), workers=2, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(one.accuracy, two.accuracy)
    pool = _pool._SHARED.pool
    assert pool is not None
    ckw = {"epochs": 3, "n_images": 50, "data": d, "progress": False, "force": True}
    c1 = E.speeds_during_training((2, 3), seeds=(0,), workers=1, **ckw)  # type: ignore[arg-type]
    c2 = E.speeds_during_training((2, 3), seeds=(0,), workers=2, **ckw)  # type: ignore[arg-type]
    assert _pool._SHARED.pool is pool  # the same processes served the second experiment
    for h in (2, 3):
        np.testing.assert_array_equal(c1.speeds[h], c2.speeds[h])
        np.testing.assert_array_equal(c1.outputs[h], c2.outputs[h])
    _pool._SHARED.shutdown()
    assert _pool._SHARED.pool is None


def test_importing_the_experiments_starts_no_process() -> None:
    code = ("import multiprocessing, chapter5.experiments, chapter5._pool as p; "
            "assert p._SHARED.pool is None and not multiprocessing.active_children()")
    subprocess.run([sys.executable, "-c", code], check=True)
