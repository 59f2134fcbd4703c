"""The chapter's three MNIST experiments, rerun for real, with the book's published numbers beside.

Introduced in ``02-vanishing-gradients``.

* A -- :func:`accuracy_vs_depth`: validation accuracy of [784, 30, ..., 30, 10] nets with 1-4
  hidden layers after each of 30 epochs of mini-batch SGD (m = 10, eta = 0.1, lmbda = 5.0,
  all 50,000 training images), for several seeds.
* B -- :func:`speeds_at_init`: each hidden layer's "speed of learning" (the norm of the mean
  bias gradient over the first 1,000 training images) at initialisation, over many seeds.
* C -- :func:`speeds_during_training`: those speeds over 500 epochs of full-batch gradient
  descent on the first 1,000 images (record, then step; eta = 0.1, lmbda = 5.0, n = 1,000).
* D -- :func:`initial_gradient_bars`: dC/db of the first neurons of each hidden layer.

Results are frozen dataclasses of numpy arrays. A, B and C are cached on disk under
``<cache root>/experiments`` (see :func:`chapter5.data.cache_root`), one file per run, keyed by a
hash of every parameter and :data:`CODE_VERSION`; ``force=True`` recomputes. A stored file is
checked before use (keys, shapes, dtypes, finite values, its parameters): a damaged one is
recomputed and rewritten, with one line on stderr saying so; where the cache cannot be written
the results are still returned, and stderr says once that they are not being saved. Writes are
atomic (a temporary file, then a rename). Progress bars go to stderr. The book's numbers
(Nielsen, *Neural Networks and Deep Learning*, ch. 5) are the
module-level constants ``BOOK_*``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from chapter5._pool import check_workers, groups, run_groups, workers_for
from chapter5._progress import Progress
from chapter5._validate import finite_float, flag, int_list, positive_int
from chapter5.data import IDX_SHA256, MNIST, cache_root, load_mnist
from chapter5.lockstep import gradient_descent_in_lockstep, sgd_in_lockstep
from chapter5.network import DTYPES, Network

#: Bump when a change in the code changes results, so old cache entries are not reused.
CODE_VERSION = "1"

# ----------------------------------------------------------------------------- the book's numbers
#: A: validation accuracy (percent) after 30 epochs, keyed by the number of hidden layers.
BOOK_ACCURACY: dict[int, float] = {1: 96.48, 2: 96.90, 3: 96.57, 4: 96.53}
#: B: speed of learning of hidden layers 1, 2, ... at initialisation.
BOOK_SPEEDS_AT_INIT: dict[int, tuple[float, ...]] = {
    2: (0.0657, 0.309),
    3: (0.012, 0.060, 0.283),
    4: (0.003, 0.017, 0.070, 0.285),
}
#: C: the speeds at epoch 499 (read off the book's plots, "about").
BOOK_SPEEDS_EPOCH_499: dict[int, tuple[float, ...]] = {
    2: (0.0034, 0.0096),
    3: (8.6e-5, 2.2e-4, 1.3e-3),
    4: (8.2e-6, 2.6e-5, 1.8e-4, 9.2e-4),
}
#: C, 4 hidden layers: speed of layer 4 / speed of layer 1, as the book describes it.
BOOK_RATIO_4_HIDDEN: dict[str, float] = {"epoch 0": 96.0, "epochs 50-100": 50.0,
                                         "epoch 499": 113.0}
#: C, 2 hidden layers: both speeds reach their minimum around these epochs.
BOOK_MINIMUM_EPOCHS_2_HIDDEN: tuple[int, int] = (40, 55)

#: The experiments' settings (the book's). They are the defaults of :func:`accuracy_vs_depth`
#: and :func:`speeds_during_training`, read when those are called.
HIDDEN_NEURONS = 30
EXPERIMENT_A: dict[str, float] = {"epochs": 30, "mini_batch_size": 10, "eta": 0.1, "lmbda": 5.0,
                                  "n_train": 50_000}
EXPERIMENT_C: dict[str, float] = {"epochs": 500, "eta": 0.1, "lmbda": 5.0, "n_images": 1000}


#: Limits on what the experiment functions accept (far beyond the book's settings; a value past
#: them is a typo, and would run for hours or overflow the weights).
MAX_HIDDEN_LAYERS = 100
MAX_EPOCHS = 10_000
MAX_ETA = 100.0
MAX_LMBDA = 1e4
MNIST_TRAIN_IMAGES = 50_000


def sizes_for(hidden_layers: int) -> tuple[int, ...]:
    """``(784, 30, ..., 30, 10)`` with ``hidden_layers`` hidden layers of 30 neurons.

    ``hidden_layers`` must be a whole number from 1 to ``MAX_HIDDEN_LAYERS``.
    Introduced in ``02-vanishing-gradients``.
    """
    what = f"hidden_layers must be a whole number >= 1 and <= {MAX_HIDDEN_LAYERS}"
    if isinstance(hidden_layers, (bool, np.bool_)) \
            or not isinstance(hidden_layers, (int, np.integer)):
        raise TypeError(f"{what}; got {hidden_layers!r}")
    if not 1 <= hidden_layers <= MAX_HIDDEN_LAYERS:
        raise ValueError(f"{what}; got {hidden_layers!r}")
    return (784,) + (HIDDEN_NEURONS,) * int(hidden_layers) + (10,)


# ----------------------------------------------------------------------------- caching
def experiments_cache_dir() -> Path:
    """Where results are cached: ``<cache root>/experiments``.

    Introduced in ``02-vanishing-gradients``.
    """
    return cache_root() / "experiments"


def _data_token(data: MNIST | None, n: int) -> str:
    """Identify the data: the official MNIST (verified by checksum on load) or a fingerprint."""
    if data is None:
        return "mnist:" + IDX_SHA256["train-images-idx3-ubyte.gz"][:16]
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(data.train.x[:n]).tobytes())
    h.update(np.ascontiguousarray(data.train.y[:n]).tobytes())
    h.update(np.ascontiguousarray(data.validation.x).tobytes())
    h.update(np.ascontiguousarray(data.validation.y).tobytes())
    return "custom:" + h.hexdigest()[:16]


def _cache_path(kind: str, params: dict[str, Any]) -> Path:
    blob = json.dumps({"kind": kind, "params": params, "code": CODE_VERSION}, sort_keys=True)
    key = hashlib.sha256(blob.encode()).hexdigest()[:20]
    return experiments_cache_dir() / f"{kind}-{key}.npz"


@dataclass(frozen=True)
class _Field:
    """What one stored array of a result must look like: its shape and its range of values."""

    shape: tuple[int, ...]
    hi: float = np.inf  # every value lies in [0, hi] (accuracies in percent, speeds, seconds)


#: Cache directories already told that a result could not be saved (said once per process).
_UNSAVED_REPORTED: set[str] = set()


def _say(message: str) -> None:
    """One line on stderr: visible in a notebook and a terminal, never an exception under
    pytest's warnings-as-errors, so a damaged cache heals wherever it is met."""
    print(f"chapter5.experiments: {message}", file=sys.stderr, flush=True)


def _problem(arrays: dict[str, np.ndarray], fields: dict[str, _Field]) -> str | None:
    """Why ``arrays`` is not a result of this shape, or None if it is one."""
    missing = sorted(set(fields) - set(arrays))
    if missing:
        return f"missing {', '.join(missing)}"
    extra = sorted(set(arrays) - set(fields))
    if extra:
        return f"unexpected {', '.join(extra)}"
    for key, f in fields.items():
        a = np.asarray(arrays[key])
        if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.integer)) \
                or np.issubdtype(a.dtype, np.bool_):
            return f"{key} holds {a.dtype}, not numbers"
        if a.shape != f.shape:
            return f"{key} has shape {a.shape}, expected {f.shape}"
        if not np.all(np.isfinite(a)):
            return f"{key} holds NaN or infinity"
        if a.size and (float(a.min()) < 0.0 or float(a.max()) > f.hi):
            return f"{key} holds values outside [0, {f.hi:g}]"
    return None


def _load_cached(path: Path, params: dict[str, Any],
                 fields: dict[str, _Field]) -> dict[str, np.ndarray] | None:
    """The stored result at ``path`` if it is whole and fits ``fields``; else None (and a line
    saying why, unless there simply is no file yet)."""
    if not path.exists():
        return None
    try:
        # our own handle: np.load leaks the one it opens when the file is not a whole archive
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:
            arrays = {k: np.array(f[k]) for k in f.files}
    except Exception as exc:  # truncated or empty file, not a zip, pickled objects, unreadable
        problem: str | None = f"unreadable, {type(exc).__name__}: {exc}"
    else:
        stored = arrays.pop("_params", None)
        if stored is None or stored.shape != () or stored.dtype.kind != "U" \
                or str(stored) != json.dumps(params, sort_keys=True):
            problem = "stored for other parameters"
        else:
            problem = _problem(arrays, fields)
        if problem is None:
            return arrays
    _say(f"cached result {path} is damaged ({problem}); recomputing it")
    return None


def _store(path: Path, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write atomically (a temporary file in the same directory, then a rename), so a reader
    sees the old file or the whole new one, never a part. Where the directory cannot be
    written, say so once and carry on: the caller still gets its result."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".npz", dir=path.parent)
        payload: dict[str, Any] = {"_params": np.array(json.dumps(params, sort_keys=True)),
                                   **arrays}
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        where = str(path.parent)
        if where not in _UNSAVED_REPORTED:
            _UNSAVED_REPORTED.add(where)
            _say(f"results are not being saved: cannot write to the cache {where} "
                 f"({type(exc).__name__}: {exc.strerror or exc}); set CHAPTER5_CACHE_DIR to a "
                 "writable directory to keep them")
    finally:
        if tmp is not None and os.path.exists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _cached(kind: str, params: dict[str, Any], compute: Callable[[], dict[str, np.ndarray]],
            force: bool, fields: dict[str, _Field]) -> dict[str, np.ndarray]:
    """Load ``kind`` results for ``params`` from the cache, or compute and store them.

    What is loaded is checked against ``fields`` (every key, shape, dtype, finite values in
    range) and against the parameters stored beside it; anything wrong is recomputed with a
    one-line note on stderr and then overwritten.
    """
    path = _cache_path(kind, params)
    if not force:
        arrays = _load_cached(path, params, fields)
        if arrays is not None:
            return arrays
    # One BLAS thread: the matrices are small (30 x 784 at most), so threads only add overhead
    # (20-30x slower on a busy 2-core machine), and a fixed thread count keeps the floating-point
    # summation order, hence every stored number, the same on every machine.
    with threadpool_limits(limits=1, user_api="blas"):
        arrays = compute()
    problem = _problem(arrays, fields)
    if problem is not None:  # e.g. a diverging run: return it as it is, but never store it
        _say(f"{kind} result not cached: {problem}")
        return arrays
    _store(path, params, arrays)
    return arrays


def _seeds(seeds: Iterable[int], name: str = "seeds") -> tuple[int, ...]:
    return int_list(name, seeds, minimum=0)


def _depths(hidden_layers: Iterable[int]) -> tuple[int, ...]:
    return int_list("hidden_layers", hidden_layers, minimum=1, maximum=MAX_HIDDEN_LAYERS)


def _check_data(data: object) -> int:
    """How many training images ``data`` (None: the book's MNIST) offers; TypeError if it is
    not an MNIST."""
    if data is None:
        return MNIST_TRAIN_IMAGES
    if not isinstance(data, MNIST):
        raise TypeError(f"data must be None (the book's MNIST) or a chapter5.data.MNIST; "
                        f"got {type(data).__name__}")
    return len(data.train)


def _check_run(data: object, n_name: str, n: object, eta: object = 0.1, lmbda: object = 0.0,
               epochs: object = 1, force: object = False, progress: object = False
               ) -> tuple[int, float, float, int]:
    """Check the settings every experiment shares; return (n, eta, lmbda, epochs)."""
    n_i = positive_int(n_name, n, maximum=_check_data(data))
    eta_f = finite_float("eta", eta)
    if not 0.0 < eta_f <= MAX_ETA:
        raise ValueError(f"eta must lie in (0, {MAX_ETA:g}]; got {eta_f!r}")
    lmbda_f = finite_float("lmbda", lmbda)
    if not 0.0 <= lmbda_f <= MAX_LMBDA:
        raise ValueError(f"lmbda must lie in [0, {MAX_LMBDA:g}]; got {lmbda_f!r}")
    if eta_f * lmbda_f >= n_i:
        raise ValueError(f"eta * lmbda must stay below {n_name} = {n_i} (the weight decay "
                         f"factor 1 - eta lmbda / n must be positive); got eta = {eta_f:g}, "
                         f"lmbda = {lmbda_f:g}")
    flag("force", force)
    flag("progress", progress)
    return n_i, eta_f, lmbda_f, positive_int("epochs", epochs, maximum=MAX_EPOCHS)


def _load(data: MNIST | None) -> MNIST:
    return load_mnist() if data is None else data


# ----------------------------------------------------------------------------- running the work
# The runs of an experiment are independent. Runs of one depth train side by side in one process
# (chapter5.network.sgd_in_lockstep: the same bits as one at a time, in less time); groups of
# them run in a pool of processes (chapter5._pool), each with one BLAS thread, which again
# changes no bit.
class _NotCached(Exception):
    """Raised by a probe to learn that a result is not in the cache."""


def _from_cache(kind: str, params: dict[str, Any], force: bool,
                fields: dict[str, _Field]) -> dict[str, np.ndarray] | None:
    """The cached result for ``params``, or None (always None with ``force``)."""
    if force:
        return None

    def probe() -> dict[str, np.ndarray]:
        raise _NotCached

    try:
        return _cached(kind, params, probe, False, fields)
    except _NotCached:
        return None


def _store_result(kind: str, params: dict[str, Any], arrays: dict[str, np.ndarray],
                  fields: dict[str, _Field]) -> None:
    _cached(kind, params, lambda: arrays, True, fields)


def _dtype(dtype: str) -> str:
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(map(repr, DTYPES))}; got {dtype!r}")
    return dtype


# ----------------------------------------------------------------------------- A
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
) -> AccuracyVsDepth:
    """Experiment A: validation accuracy per epoch for nets with 1-4 hidden layers.

    Each (depth, seed) run is cached separately, so adding a seed only computes the new runs.
    The runs of one depth train side by side (:func:`chapter5.network.sgd_in_lockstep`), and
    the depths in parallel processes, with exactly the numbers of one run at a time.

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

    Introduced in ``02-vanishing-gradients``.
    """
    depths, seeds_t = _depths(hidden_layers), _seeds(seeds)
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
    n_epochs = base["epochs"]
    acc = np.empty((len(depths), len(seeds_t), n_epochs))
    secs = np.empty((len(depths), len(seeds_t)))
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
    return AccuracyVsDepth(np.array(depths), np.array(seeds_t), acc, secs,
                           dict(base, hidden_layers=list(depths), seeds=list(seeds_t)))


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
        on_epoch=lambda e: report(len(seeds)))
    return 100.0 * history, (time.perf_counter() - t0) / len(seeds)


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
@dataclass(frozen=True, eq=False)
class SpeedsDuringTraining:
    """Experiment C: ``speeds[h]`` has shape (n_seeds, epochs, h); hidden layer i + 1 in
    column i; epoch 0 is the initial state (recorded before the first step).

    Introduced in ``02-vanishing-gradients``.
    """

    seeds: np.ndarray
    speeds: dict[int, np.ndarray]
    params: dict[str, Any] = field(default_factory=dict)

    def ratio(self, h: int) -> np.ndarray:
        """Speed of the last hidden layer over the first, shape (n_seeds, epochs)."""
        if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h not in self.speeds:
            raise ValueError(f"h must be one of the depths run, {sorted(self.speeds)}; got {h!r}")
        s = self.speeds[h]
        return s[:, :, -1] / s[:, :, 0]

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


def speeds_during_training(
    hidden_layers: Sequence[int] = (2, 3, 4),
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    epochs: int | None = None,
    n_images: int | None = None,
    eta: float | None = None,
    lmbda: float | None = None,
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

    Introduced in ``02-vanishing-gradients``.
    """
    depths, seeds_t = _depths(hidden_layers), _seeds(seeds)
    check_workers(workers)  # before anything is loaded or trained
    settings = {k: v if v is not None else EXPERIMENT_C[k] for k, v in (
        ("epochs", epochs), ("n_images", n_images), ("eta", eta), ("lmbda", lmbda))}
    n, _, _, _ = _check_run(data, "n_images", settings["n_images"], settings["eta"],
                            settings["lmbda"], settings["epochs"], force, progress)
    params: dict[str, Any] = {
        "hidden_layers": list(depths), "seeds": list(seeds_t), "epochs": int(settings["epochs"]),
        "n_images": n, "eta": float(settings["eta"]), "lmbda": float(settings["lmbda"]),
        "data": _data_token(data, n)}
    if _dtype(dtype) != "float64":
        params["dtype"] = dtype

    def run() -> dict[str, np.ndarray]:
        runs = [(h, seed) for h in depths for seed in seeds_t]
        n_workers = workers_for(workers, len(depths), len(runs) * params["epochs"] * n)
        tasks = [(h, seeds_t, params) for h in depths]
        bar = Progress(len(runs) * params["epochs"], "C: speeds in training", progress,
                       unit="epoch")
        try:
            results = run_groups(_train_speeds, data, tasks, n_workers, bar)
        finally:
            bar.close()
        return {f"h{h}": s for h, s in zip(depths, results, strict=True)}

    res = _cached("C", params, run, force,
                  {f"h{h}": _Field((len(seeds_t), params["epochs"], h)) for h in depths})
    return SpeedsDuringTraining(np.array(seeds_t), {h: res[f"h{h}"] for h in depths}, params)


def _train_speeds(d: MNIST, h: int, seeds: tuple[int, ...], params: dict[str, Any], *,
                  report: Callable[[int], None]) -> np.ndarray:
    """Experiment C's runs of one depth side by side: speeds (len(seeds), epochs, h)."""
    n = params["n_images"]
    nets = [Network(sizes_for(h), seed=seed) for seed in seeds]
    return gradient_descent_in_lockstep(
        nets, d.train.x[:n], d.train.y[:n], epochs=params["epochs"], eta=params["eta"],
        lmbda=params["lmbda"], dtype=params.get("dtype", "float64"),
        on_epoch=lambda e: report(len(seeds)))


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
