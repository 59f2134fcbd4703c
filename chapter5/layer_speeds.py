"""Experiments B, C and D: how fast each hidden layer learns, at initialisation and in training.

Introduced in ``02-vanishing-gradients``.

* B -- :func:`speeds_at_init`: each hidden layer's "speed of learning" (the norm of the mean
  bias gradient over the first 1,000 training images) at initialisation, over many seeds.
* C -- :func:`speeds_during_training`: those speeds over 500 epochs of full-batch gradient
  descent on the first 1,000 images (record, then step; eta = 0.1, lmbda = 5.0, n = 1,000).
* D -- :func:`initial_gradient_bars`: dC/db of the first neurons of each hidden layer.

B and C are cached (:mod:`chapter5.result_cache`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chapter5._pool import check_workers, run_groups, workers_for
from chapter5._progress import Progress
from chapter5._validate import int_list, positive_int
from chapter5.data import MNIST
from chapter5.lockstep import gradient_descent_in_lockstep
from chapter5.network import Network
from chapter5.protocol import (
    BOOK_SPEEDS_AT_INIT,
    BOOK_SPEEDS_EPOCH_499,
    EXPERIMENT_C,
    HIDDEN_NEURONS,
    _check_run,
    _depths,
    _dtype,
    _load,
    _seeds,
    sizes_for,
)
from chapter5.result_cache import _cached, _data_token, _Field


# ----------------------------------------------------------------------------- B
@dataclass(frozen=True, eq=False)
class SpeedsAtInit:
    """Experiment B: ``speeds[h]`` has shape (n_seeds, h), column i for hidden layer i + 1.

    Introduced in ``02-vanishing-gradients``.
    """

    seeds: np.ndarray
    speeds: dict[int, np.ndarray]
    params: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> list[dict[str, Any]]:
        """One row per (depth, hidden layer): median, 10th and 90th percentiles over the seeds,
        the book's value, and whether it falls inside our 10-90 % range."""
        rows = []
        for h, s in self.speeds.items():
            book = BOOK_SPEEDS_AT_INIT.get(h)
            q10, med, q90 = np.percentile(s, [10, 50, 90], axis=0)
            for i in range(h):
                b = None if book is None else book[i]
                rows.append({
                    "hidden_layers": h, "layer": i + 1, "median": float(med[i]),
                    "q10": float(q10[i]), "q90": float(q90[i]), "book": b,
                    "inside": b is not None and bool(q10[i] <= b <= q90[i]),
                    "book_percentile": (None if b is None
                                        else float(100.0 * np.mean(s[:, i] <= b))),
                })
        return rows


def speeds_at_init(
    hidden_layers: Sequence[int] = (2, 3, 4),
    seeds: Sequence[int] = tuple(range(50)),
    *,
    n_images: int = 1000,
    data: MNIST | None = None,
    force: bool = False,
    progress: bool = True,
) -> SpeedsAtInit:
    """Experiment B: each hidden layer's speed of learning at initialisation, over many seeds.

    Speed of layer l = ||(1/n) sum_x dC_x/db^l|| over the first ``n_images`` training images
    (cross-entropy cost, default initialisation). Takes about a second for the defaults.

    Introduced in ``02-vanishing-gradients``.
    """
    depths, seeds_t = _depths(hidden_layers), _seeds(seeds)
    _check_run(data, "n_images", n_images, force=force, progress=progress)
    params = {"hidden_layers": list(depths), "seeds": list(seeds_t), "n_images": int(n_images),
              "data": _data_token(data, n_images)}

    def run() -> dict[str, np.ndarray]:
        d = _load(data)
        x, y = d.train.x[:n_images], d.train.y[:n_images]
        bar = Progress(len(depths) * len(seeds_t), "B: speeds at init", progress)
        out = {}
        for h in depths:
            s = np.empty((len(seeds_t), h))
            for j, seed in enumerate(seeds_t):
                s[j] = Network(sizes_for(h), seed=seed).speeds(x, y)
                bar.update(1)
            out[f"h{h}"] = s
        bar.close()
        return out

    res = _cached("B", params, run, force,
                  {f"h{h}": _Field((len(seeds_t), h)) for h in depths})
    return SpeedsAtInit(np.array(seeds_t), {h: res[f"h{h}"] for h in depths}, params)


# ----------------------------------------------------------------------------- C
#: What :func:`speeds_during_training` records of each net's outputs at a checkpoint, in order.
CHECKPOINT_QUANTITIES = ("accuracy", "spread", "gap")


@dataclass(frozen=True, eq=False)
class SpeedsDuringTraining:
    """Experiment C: ``speeds[h]`` has shape (n_seeds, epochs, h); hidden layer i + 1 in
    column i; epoch 0 is the initial state (recorded before the first step).

    ``outputs[h]`` has shape (n_seeds, len(checkpoints), 3): after ``checkpoints[k]`` steps,
    each net's accuracy on the training images (a fraction), the largest standard deviation of
    one output neuron over the images (the "spread": near 0 when the net answers every image
    alike) and the largest gap |mean output of neuron j - share of digit j among the labels|
    (:data:`CHECKPOINT_QUANTITIES`); :meth:`after` reads them by name.

    Introduced in ``02-vanishing-gradients``.
    """

    seeds: np.ndarray
    speeds: dict[int, np.ndarray]
    params: dict[str, Any] = field(default_factory=dict)
    checkpoints: tuple[int, ...] = ()
    outputs: dict[int, np.ndarray] = field(default_factory=dict)

    def _depth(self, h: object) -> int:
        if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h not in self.speeds:
            raise ValueError(f"h must be one of the depths run, {sorted(self.speeds)}; got {h!r}")
        return int(h)

    def ratio(self, h: int) -> np.ndarray:
        """Speed of the last hidden layer over the first, shape (n_seeds, epochs)."""
        s = self.speeds[self._depth(h)]
        return s[:, :, -1] / s[:, :, 0]

    def after(self, h: int, steps: int, seed: int) -> dict[str, float]:
        """The net with ``h`` hidden layers and ``seed`` after ``steps`` steps (one of
        :attr:`checkpoints`): ``{"accuracy": ..., "spread": ..., "gap": ...}``."""
        h = self._depth(h)
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) \
                or steps not in self.checkpoints:
            raise ValueError(f"steps must be one of the checkpoints recorded, "
                             f"{list(self.checkpoints)}; got {steps!r}")
        seeds = [int(s) for s in self.seeds]
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) \
                or seed not in seeds:
            raise ValueError(f"seed must be one of the seeds run, {seeds}; got {seed!r}")
        row = self.outputs[h][seeds.index(int(seed)), self.checkpoints.index(int(steps))]
        return {k: float(v) for k, v in zip(CHECKPOINT_QUANTITIES, row, strict=True)}

    def summary(self) -> list[dict[str, Any]]:
        """Per (depth, layer): our speed at the first and last epoch (median over seeds; the
        min and max too) and the book's value at epoch 499, with the factor between them."""
        rows = []
        for h, s in self.speeds.items():
            book = BOOK_SPEEDS_EPOCH_499.get(h)
            for i in range(h):
                last = s[:, -1, i]
                b = None if book is None else book[i]
                rows.append({
                    "hidden_layers": h, "layer": i + 1,
                    "first": float(np.median(s[:, 0, i])),
                    "last": float(np.median(last)),
                    "last_min": float(last.min()), "last_max": float(last.max()),
                    "book_last": b,
                    "ours_over_book": None if b is None else float(np.median(last) / b),
                })
        return rows


def _checkpoints(checkpoints: object, epochs: int) -> tuple[int, ...]:
    """The step counts to look at the outputs after: default 50 (if fewer than ``epochs``) and
    ``epochs``; else whole numbers from 1 to ``epochs``, increasing."""
    if checkpoints is None:
        return (50, epochs) if epochs > 50 else (epochs,)
    out = int_list("checkpoints", checkpoints, minimum=1, maximum=epochs)
    if any(b <= a for a, b in zip(out[:-1], out[1:], strict=True)):
        raise ValueError(f"checkpoints must increase, e.g. [50, {epochs}]; got {list(out)}")
    return out


def speeds_during_training(
    hidden_layers: Sequence[int] = (2, 3, 4),
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    epochs: int | None = None,
    n_images: int | None = None,
    eta: float | None = None,
    lmbda: float | None = None,
    checkpoints: Sequence[int] | None = None,
    data: MNIST | None = None,
    force: bool = False,
    progress: bool = True,
    workers: int | None = None,
    dtype: str = "float64",
) -> SpeedsDuringTraining:
    """Experiment C: hidden layers' speeds over full-batch gradient descent (record, then step).

    Uses the first ``n_images`` training images as the whole training set (n = n_images in the
    weight decay). ``epochs``, ``n_images``, ``eta`` and ``lmbda`` default to the values in
    :data:`EXPERIMENT_C` (the book's) when the function is called. The seeds of one depth train
    side by side, the depths in parallel processes (``workers``, ``dtype`` as in
    :func:`accuracy_vs_depth`). The book shows one unseeded run; several seeds show what is
    typical.

    ``checkpoints`` (step counts, increasing, from 1 to ``epochs``; default 50 and ``epochs``):
    after so many steps the run pauses and records what each net's outputs on the images look
    like (:attr:`SpeedsDuringTraining.outputs`). Pausing changes no number of the run.

    Introduced in ``02-vanishing-gradients``.
    """
    depths, seeds_t = _depths(hidden_layers), _seeds(seeds)
    check_workers(workers)  # before anything is loaded or trained
    settings = {k: v if v is not None else EXPERIMENT_C[k] for k, v in (
        ("epochs", epochs), ("n_images", n_images), ("eta", eta), ("lmbda", lmbda))}
    n, _, _, n_epochs = _check_run(data, "n_images", settings["n_images"], settings["eta"],
                                   settings["lmbda"], settings["epochs"], force, progress)
    stops = _checkpoints(checkpoints, n_epochs)
    params: dict[str, Any] = {
        "hidden_layers": list(depths), "seeds": list(seeds_t), "epochs": n_epochs,
        "n_images": n, "eta": float(settings["eta"]), "lmbda": float(settings["lmbda"]),
        "checkpoints": list(stops), "data": _data_token(data, n)}
    if _dtype(dtype) != "float64":
        params["dtype"] = dtype

    def run() -> dict[str, np.ndarray]:
        runs = [(h, seed) for h in depths for seed in seeds_t]
        n_workers = workers_for(workers, len(depths), len(runs) * n_epochs * n)
        tasks = [(h, seeds_t, params) for h in sorted(depths, reverse=True)]  # slowest first
        bar = Progress(len(runs) * n_epochs, "C: speeds in training", progress, unit="epoch")
        try:
            results = run_groups(_train_speeds, data, tasks, n_workers, bar)
        finally:
            bar.close()
        out = {}
        for (h, _, _), (speeds, outputs) in zip(tasks, results, strict=True):
            out[f"h{h}"], out[f"out{h}"] = speeds, outputs
        return out

    fields = {f"h{h}": _Field((len(seeds_t), n_epochs, h)) for h in depths}
    fields.update({f"out{h}": _Field((len(seeds_t), len(stops), len(CHECKPOINT_QUANTITIES)))
                   for h in depths})
    res = _cached("C", params, run, force, fields)
    return SpeedsDuringTraining(np.array(seeds_t), {h: res[f"h{h}"] for h in depths}, params,
                                stops, {h: res[f"out{h}"] for h in depths})


def _train_speeds(d: MNIST, h: int, seeds: tuple[int, ...], params: dict[str, Any], *,
                  report: Callable[[int], None]) -> tuple[np.ndarray, np.ndarray]:
    """Experiment C's runs of one depth side by side: speeds (len(seeds), epochs, h), and the
    outputs at each checkpoint (len(seeds), len(checkpoints), 3).

    The run is cut into pieces at the checkpoints; full-batch gradient descent carries nothing
    from one step to the next but the parameters (written back exactly, also in float32), so
    the pieces give the numbers of one uninterrupted run."""
    n = params["n_images"]
    x, y = d.train.x[:n], d.train.y[:n]
    share = np.bincount(y, minlength=10) / n
    nets = [Network(sizes_for(h), seed=seed) for seed in seeds]
    pieces, outputs = [], np.empty((len(seeds), len(params["checkpoints"]), 3))
    done = 0
    for k, stop in enumerate(params["checkpoints"] + [params["epochs"]]):
        if stop > done:
            pieces.append(gradient_descent_in_lockstep(
                nets, x, y, epochs=stop - done, eta=params["eta"], lmbda=params["lmbda"],
                dtype=params.get("dtype", "float64"),
                on_epoch=lambda e: report(len(seeds))))
            done = stop
        if k < len(params["checkpoints"]):
            for s, net in enumerate(nets):
                out = net.feedforward(x)
                outputs[s, k] = (net.accuracy(x, y), out.std(axis=0).max(),
                                 np.abs(out.mean(axis=0) - share).max())
    return np.concatenate(pieces, axis=1), outputs


# ----------------------------------------------------------------------------- D
def initial_gradient_bars(
    hidden_layers: int = 2,
    seed: int = 0,
    *,
    n_images: int = 1000,
    n_neurons: int = 6,
    data: MNIST | None = None,
) -> list[np.ndarray]:
    """dC/db (mean over the first ``n_images`` training images) of the first ``n_neurons``
    neurons of each hidden layer at initialisation: list of arrays (n_neurons,), layer 1 first.

    Introduced in ``02-vanishing-gradients``.
    """
    sizes = sizes_for(hidden_layers)
    seed = positive_int("seed", seed, minimum=0)
    _check_run(data, "n_images", n_images)
    n_neurons = positive_int("n_neurons", n_neurons, maximum=HIDDEN_NEURONS)
    d = _load(data)
    g = Network(sizes, seed=seed).gradients(
        d.train.x[:n_images], d.train.y[:n_images])
    return [db[:n_neurons].copy() for db in g.dC_db[:-1]]
