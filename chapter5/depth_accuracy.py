"""Experiment A: validation accuracy against depth, rerun for real over several seeds.

Introduced in ``02-vanishing-gradients``.

:func:`accuracy_vs_depth` trains [784, 30, ..., 30, 10] nets with 1-4 hidden layers for 30
epochs of mini-batch SGD (m = 10, eta = 0.1, lmbda = 5.0, all 50,000 training images) and records
the validation accuracy after every epoch; :func:`frozen_first_layer_accuracy` reruns one seed
of it with the first hidden layer frozen at random (the notebook's section 2.6). Progress bars
go to stderr; results are cached (:mod:`chapter5.result_cache`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chapter5._pool import check_workers, groups, run_groups, workers_for
from chapter5._progress import Progress
from chapter5._validate import positive_int
from chapter5.activations import sigmoid
from chapter5.data import MNIST
from chapter5.lockstep import sgd_in_lockstep
from chapter5.network import Network
from chapter5.protocol import (
    BOOK_ACCURACY,
    EXPERIMENT_A,
    _check_run,
    _depths,
    _dtype,
    _seeds,
    sizes_for,
)
from chapter5.result_cache import _data_token, _Field, _from_cache, _store_result
from chapter5.training_args import as_generator


@dataclass(frozen=True, eq=False)
class AccuracyVsDepth:
    """Experiment A.

    Attributes
    ----------
    hidden_layers : array (k,)
    seeds : array (s,)
    accuracy : array (k, s, epochs)
        Validation accuracy in percent after each epoch.
    seconds : array (k, s)
        Wall time of each run (informative only; never print it in a checked cell).
    params : dict
    Introduced in ``02-vanishing-gradients``.
    """

    hidden_layers: np.ndarray
    seeds: np.ndarray
    accuracy: np.ndarray
    seconds: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def final(self) -> np.ndarray:
        """Accuracy after the last epoch, shape (k, s)."""
        return self.accuracy[:, :, -1]

    @property
    def best(self) -> np.ndarray:
        """Best accuracy over the epochs, shape (k, s)."""
        return self.accuracy.max(axis=2)

    def summary(self) -> list[dict[str, Any]]:
        """One row per depth: mean, standard deviation (ddof=1 when s > 1), min and max over the
        seeds of the final accuracy, mean of the best, the book's value and whether it lies within
        [min, max] of our final accuracies."""
        rows = []
        for i, h in enumerate(self.hidden_layers):
            f = self.final[i]
            book = BOOK_ACCURACY.get(int(h))
            rows.append({
                "hidden_layers": int(h),
                "sizes": sizes_for(int(h)),
                "mean_final": float(f.mean()),
                "std_final": float(f.std(ddof=1)) if f.size > 1 else 0.0,
                "min_final": float(f.min()),
                "max_final": float(f.max()),
                "mean_best": float(self.best[i].mean()),
                "book": book,
                "book_inside_range": (book is not None
                                      and bool(f.min() <= book <= f.max())),
            })
        return rows


def accuracy_vs_depth(
    hidden_layers: Sequence[int] = (1, 2, 3, 4),
    seeds: Sequence[int] = (0, 1, 2),
    *,
    epochs: int | None = None,
    mini_batch_size: int | None = None,
    eta: float | None = None,
    lmbda: float | None = None,
    n_train: int | None = None,
    data: MNIST | None = None,
    force: bool = False,
    progress: bool = True,
    workers: int | None = None,
    dtype: str = "float64",
    shuffle_seed: int | None = None,
) -> AccuracyVsDepth:
    """Experiment A: validation accuracy per epoch for nets with 1-4 hidden layers.

    The runs of one depth train side by side (:func:`chapter5.lockstep.sgd_in_lockstep`), and
    the depths in parallel processes. By default each run shuffles with its own seed's
    generator, gets exactly the numbers of one run at a time and is cached separately (adding
    a seed only computes the new runs). With ``shuffle_seed`` every run takes its mini-batches
    in one shared order (drawn from ``numpy.random.default_rng(shuffle_seed)``, the same for
    every depth), which lets the first layer's products of a depth's seeds be one product
    each; the seeds then differ only in their initial parameters, and the seeds of one depth
    are one computation, cached together.

    Parameters
    ----------
    hidden_layers : sequence of int
    seeds : sequence of int
        ``Network(sizes, seed=seed)``; the same generator then shuffles the mini-batches.
    epochs, mini_batch_size, eta, lmbda, n_train
        Default: the values in :data:`EXPERIMENT_A` (the book's) when the function is called.
        ``n_train`` uses the first n training images (and n = n_train in the weight decay).
    data : MNIST, optional
        Default :func:`chapter5.data.load_mnist` (only loaded when something must be computed).
    force : bool
        Recompute even if cached.
    progress : bool
        tqdm bar over all epochs of all runs (stderr).
    workers : int, optional
        Processes to train in (each with one BLAS thread); default one per CPU for a big job,
        else 1. The results do not depend on it.
    dtype : {"float64", "float32"}
        Arithmetic of training (see :meth:`chapter5.network.Network.sgd`); float32 is about
        twice as fast and gives slightly different numbers (cached separately).
    shuffle_seed : int, optional
        One mini-batch order for all runs (see above); None: each run its own.

    Introduced in ``02-vanishing-gradients``.
    """
    depths, seeds_t = _depths(hidden_layers), _seeds(seeds)
    if shuffle_seed is not None:
        shuffle_seed = positive_int("shuffle_seed", shuffle_seed, minimum=0)
    check_workers(workers)  # before anything is loaded or trained
    settings = {k: v if v is not None else EXPERIMENT_A[k] for k, v in (
        ("epochs", epochs), ("mini_batch_size", mini_batch_size), ("eta", eta),
        ("lmbda", lmbda), ("n_train", n_train))}
    n, _, _, _ = _check_run(data, "n_train", settings["n_train"], settings["eta"],
                            settings["lmbda"], settings["epochs"], force, progress)
    positive_int("mini_batch_size", settings["mini_batch_size"], maximum=n)
    base: dict[str, Any] = {
        "epochs": int(settings["epochs"]), "mini_batch_size": int(settings["mini_batch_size"]),
        "eta": float(settings["eta"]), "lmbda": float(settings["lmbda"]), "n_train": n,
        "data": _data_token(data, n)}
    if _dtype(dtype) != "float64":  # float64 keys stay as they always were
        base["dtype"] = dtype
    if shuffle_seed is not None:
        base["shuffle_seed"] = shuffle_seed
    n_epochs = base["epochs"]
    acc = np.empty((len(depths), len(seeds_t), n_epochs))
    secs = np.empty((len(depths), len(seeds_t)))
    if shuffle_seed is None:
        _runs_one_by_one(data, depths, seeds_t, base, force, progress, workers, acc, secs)
    else:
        _runs_by_depth(data, depths, seeds_t, base, force, progress, workers, acc, secs)
    return AccuracyVsDepth(np.array(depths), np.array(seeds_t), acc, secs,
                           dict(base, hidden_layers=list(depths), seeds=list(seeds_t)))


def _runs_one_by_one(data: MNIST | None, depths: tuple[int, ...], seeds_t: tuple[int, ...],
                     base: dict[str, Any], force: bool, progress: bool, workers: int | None,
                     acc: np.ndarray, secs: np.ndarray) -> None:
    """Experiment A with an order per run: each (depth, seed) cached on its own; fills acc and
    secs."""
    n, n_epochs = base["n_train"], base["epochs"]
    fields = {"accuracy": _Field((n_epochs,), 100.0), "seconds": _Field(())}
    missing = []
    for i, h in enumerate(depths):
        for j, seed in enumerate(seeds_t):
            res = _from_cache("A", dict(base, hidden_layers=h, seed=seed), force, fields)
            if res is None:
                missing.append((h, seed))
            else:
                acc[i, j] = res["accuracy"]
                secs[i, j] = float(res["seconds"])
    if missing:
        n_workers = workers_for(workers, len(missing), len(missing) * n_epochs * n)
        tasks = [(h, group, base) for h, group in groups(missing, n_workers)]
        bar = Progress(len(missing) * n_epochs, "A: accuracy vs depth", progress, unit="epoch")
        try:
            results = run_groups(_train_accuracy, data, tasks, n_workers, bar)
        finally:
            bar.close()
        for (h, group, _), (accuracy, seconds) in zip(tasks, results, strict=True):
            for k, seed in enumerate(group):
                _store_result("A", dict(base, hidden_layers=h, seed=seed),
                              {"accuracy": accuracy[k], "seconds": np.array(seconds)}, fields)
                acc[depths.index(h), seeds_t.index(seed)] = accuracy[k]
                secs[depths.index(h), seeds_t.index(seed)] = seconds


def _runs_by_depth(data: MNIST | None, depths: tuple[int, ...], seeds_t: tuple[int, ...],
                   base: dict[str, Any], force: bool, progress: bool, workers: int | None,
                   acc: np.ndarray, secs: np.ndarray) -> None:
    """Experiment A with one shared order: each depth's seeds one computation, cached together
    (their first layer's products are shared, so a seed's last bits depend on its companions);
    fills acc and secs."""
    n, n_epochs = base["n_train"], base["epochs"]
    fields = {"accuracy": _Field((len(seeds_t), n_epochs), 100.0),
              "seconds": _Field((len(seeds_t),))}
    missing = []
    for i, h in enumerate(depths):
        res = _from_cache("A", dict(base, hidden_layers=h, seeds=list(seeds_t)), force, fields)
        if res is None:
            missing.append(h)
        else:
            acc[i], secs[i] = res["accuracy"], res["seconds"]
    if not missing:
        return
    n_workers = workers_for(workers, len(missing), len(missing) * len(seeds_t) * n_epochs * n)
    tasks = [(h, seeds_t, base) for h in sorted(missing, reverse=True)]  # deepest first
    bar = Progress(len(missing) * len(seeds_t) * n_epochs, "A: accuracy vs depth", progress,
                   unit="epoch")
    try:
        results = run_groups(_train_accuracy, data, tasks, n_workers, bar)
    finally:
        bar.close()
    for (h, _, _), (accuracy, seconds) in zip(tasks, results, strict=True):
        _store_result("A", dict(base, hidden_layers=h, seeds=list(seeds_t)),
                      {"accuracy": accuracy, "seconds": np.full(len(seeds_t), seconds)}, fields)
        acc[depths.index(h)], secs[depths.index(h)] = accuracy, seconds


def _train_accuracy(d: MNIST, h: int, seeds: tuple[int, ...], base: dict[str, Any], *,
                    report: Callable[[int], None]) -> tuple[np.ndarray, float]:
    """Experiment A's runs of one depth side by side: accuracy (percent), shape
    (len(seeds), epochs), and the wall time per run (the group's time / len(seeds))."""
    n = base["n_train"]
    t0 = time.perf_counter()
    nets = [Network(sizes_for(h), seed=seed) for seed in seeds]
    history = sgd_in_lockstep(
        nets, d.train.x[:n], d.train.y[:n], epochs=base["epochs"],
        mini_batch_size=base["mini_batch_size"], eta=base["eta"], lmbda=base["lmbda"],
        evaluation_data=(d.validation.x, d.validation.y), dtype=base.get("dtype", "float64"),
        shared_order=base.get("shuffle_seed"), on_epoch=lambda e: report(len(seeds)))
    return 100.0 * history, (time.perf_counter() - t0) / len(seeds)


# ----------------------------------------------------------------------------- frozen first layer
@dataclass(frozen=True, eq=False)
class FrozenFirstLayer:
    """Experiment A's runs with the first hidden layer frozen at its random initial values.

    Attributes
    ----------
    hidden_layers : array (k,)
    seed : int
    accuracy : array (k, epochs)
        Validation accuracy in percent after each epoch.
    params : dict
    Introduced in ``02-vanishing-gradients``.
    """

    hidden_layers: np.ndarray
    seed: int
    accuracy: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def final(self) -> dict[int, float]:
        """Accuracy after the last epoch, by number of hidden layers."""
        return {int(h): float(a[-1]) for h, a in zip(self.hidden_layers, self.accuracy,
                                                      strict=True)}


def frozen_first_layer_accuracy(
    hidden_layers: Sequence[int] = (1, 4),
    seed: int = 0,
    *,
    epochs: int | None = None,
    mini_batch_size: int | None = None,
    eta: float | None = None,
    lmbda: float | None = None,
    n_train: int | None = None,
    data: MNIST | None = None,
    force: bool = False,
    progress: bool = True,
    workers: int | None = None,
    dtype: str = "float64",
    shuffle_seed: int | None = None,
) -> FrozenFirstLayer:
    """Experiment A's run of ``seed``, except that the first hidden layer never learns.

    Each net starts where ``Network(sizes_for(h), seed=seed)`` starts. Every image is fed once
    through its first hidden layer, frozen at those random values, and the rest of the net
    (30 inputs) is trained on the 30 numbers that come out, with the settings of
    :func:`accuracy_vs_depth` (same defaults, ``dtype``, ``workers``; the same mini-batch order:
    ``shuffle_seed``'s, or with None the seed's generator, which goes on from where drawing the
    full net's parameters left it). The depths run in parallel processes; each (depth, seed) is
    cached on its own.

    Introduced in ``02-vanishing-gradients`` (section 2.6, test 2).
    """
    depths = _depths(hidden_layers)
    seed = positive_int("seed", seed, minimum=0)
    if shuffle_seed is not None:
        shuffle_seed = positive_int("shuffle_seed", shuffle_seed, minimum=0)
    check_workers(workers)
    settings = {k: v if v is not None else EXPERIMENT_A[k] for k, v in (
        ("epochs", epochs), ("mini_batch_size", mini_batch_size), ("eta", eta),
        ("lmbda", lmbda), ("n_train", n_train))}
    n, _, _, _ = _check_run(data, "n_train", settings["n_train"], settings["eta"],
                            settings["lmbda"], settings["epochs"], force, progress)
    positive_int("mini_batch_size", settings["mini_batch_size"], maximum=n)
    base: dict[str, Any] = {
        "epochs": int(settings["epochs"]), "mini_batch_size": int(settings["mini_batch_size"]),
        "eta": float(settings["eta"]), "lmbda": float(settings["lmbda"]), "n_train": n,
        "data": _data_token(data, n), "dtype": _dtype(dtype), "shuffle_seed": shuffle_seed,
        "seed": seed}
    fields = {"accuracy": _Field((base["epochs"],), 100.0)}
    acc = np.empty((len(depths), base["epochs"]))
    missing = []
    for i, h in enumerate(depths):
        res = _from_cache("frozen", dict(base, hidden_layers=h), force, fields)
        if res is None:
            missing.append(h)
        else:
            acc[i] = res["accuracy"]
    if missing:
        n_workers = workers_for(workers, len(missing), len(missing) * base["epochs"] * n)
        tasks = [(h, base) for h in sorted(missing, reverse=True)]  # deepest (slowest) first
        bar = Progress(len(missing) * base["epochs"], "frozen first layer", progress,
                       unit="epoch")
        try:
            results = run_groups(_train_frozen, data, tasks, n_workers, bar)
        finally:
            bar.close()
        for (h, _), accuracy in zip(tasks, results, strict=True):
            _store_result("frozen", dict(base, hidden_layers=h), {"accuracy": accuracy}, fields)
            acc[depths.index(h)] = accuracy
    return FrozenFirstLayer(np.array(depths), seed, acc, dict(base, hidden_layers=list(depths)))


def _train_frozen(d: MNIST, h: int, base: dict[str, Any], *,
                  report: Callable[[int], None]) -> np.ndarray:
    """One frozen-first-layer run: validation accuracy in percent after each epoch."""
    n = base["n_train"]
    full = Network(sizes_for(h), seed=base["seed"])  # the starting point of A's run
    w1, b1 = full.weights[0], full.biases[0]
    features_train = sigmoid(d.train.x[:n] @ w1.T + b1)  # the frozen first hidden layer
    features_valid = sigmoid(d.validation.x @ w1.T + b1)
    rest = Network(sizes_for(h)[1:], seed=base["seed"])
    rest.set_parameters([w.copy() for w in full.weights[1:]],
                        [b.copy() for b in full.biases[1:]])
    order = full.rng if base["shuffle_seed"] is None else base["shuffle_seed"]
    history = sgd_in_lockstep(
        [rest], features_train, d.train.y[:n], epochs=base["epochs"],
        mini_batch_size=base["mini_batch_size"], eta=base["eta"], lmbda=base["lmbda"],
        evaluation_data=(features_valid, d.validation.y), rngs=[as_generator(order, "rng")],
        dtype=base["dtype"], on_epoch=lambda e: report(1))[0]
    return 100.0 * history
