"""Run independent pieces of an experiment in a pool of processes, each with one BLAS thread.

Introduced in ``02-vanishing-gradients`` (experiments A and C train their depths in parallel).

Processes are started with "spawn" (safe from a notebook kernel's threads); each loads MNIST
once. The work functions are plain module-level functions ``fn(data, *task, report)``, where
``report(k)`` advances the caller's progress bar by k. One BLAS thread per process keeps the
floating-point summation order, hence every number, the same as in a serial run.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from chapter5._progress import Progress
from chapter5.data import MNIST, load_mnist, locate_mnist

_WORKER: dict[str, Any] = {}  # in a pool process: the progress queue and the loaded data


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _main_module_reimportable() -> bool:
    """Whether pool processes can start here: they import the main module, which is harmless for
    a notebook kernel, an interactive session or ``python -m ...``, but reruns a plain script
    that lacks an ``if __name__ == "__main__":`` guard."""
    main = sys.modules.get("__main__")
    return main is None or getattr(main, "__spec__", None) is not None \
        or not hasattr(main, "__file__")


def workers_for(workers: int | None, n_tasks: int, work: float) -> int:
    """How many processes: ``workers`` if given, else one per usable CPU (at most one per task)
    when the work (inputs x epochs summed over the runs) is big enough to pay for starting them
    (about a second each) and the main module allows it (see above)."""
    if workers is None:
        if work < 5e6 or not _main_module_reimportable():
            return 1
        return min(_usable_cpus(), n_tasks)
    check_workers(workers)
    return min(int(workers), n_tasks)


def check_workers(workers: object) -> None:
    if workers is None:
        return
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1 (or None: automatic); "
                         f"got {workers!r}")


def _init_worker(progress: Any) -> None:
    _WORKER["progress"] = progress


def _in_worker(fn: Callable[..., Any], data: MNIST | None, *args: Any) -> Any:
    """Run ``fn(data, *args, report)`` in a pool process, with one BLAS thread."""
    if data is None:  # load MNIST once per process
        if "mnist" not in _WORKER:
            _WORKER["mnist"] = load_mnist(progress=False)
        data = _WORKER["mnist"]
    with threadpool_limits(limits=1, user_api="blas"):
        return fn(data, *args, report=_WORKER["progress"].put)


def run_groups(fn: Callable[..., Any], data: MNIST | None, tasks: Sequence[tuple[Any, ...]],
                workers: int, bar: Progress) -> list[Any]:
    """``[fn(data, *task, report) for task in tasks]``, in ``workers`` processes if > 1;
    ``report(k)`` advances the progress bar by k."""
    if workers <= 1:
        d = load_mnist() if data is None else data
        with threadpool_limits(limits=1, user_api="blas"):
            return [fn(d, *task, report=bar.update) for task in tasks]
    if data is None:
        locate_mnist()  # download here, if needed, rather than in every worker
    ctx = multiprocessing.get_context("spawn")  # safe from a notebook kernel's threads
    progress = ctx.Queue()

    def drain() -> None:
        try:
            while True:
                bar.update(progress.get_nowait())
        except queue.Empty:
            pass

    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(progress,)) as pool:
        futures = [pool.submit(_in_worker, fn, data, *task) for task in tasks]
        try:
            pending = set(futures)
            while pending:
                _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                drain()
            results = [f.result() for f in futures]
        except BrokenProcessPool as exc:
            raise RuntimeError(
                "a worker process stopped before finishing (killed, out of memory, or the "
                "chapter5 code changed on disk while this kernel ran: restart it). From a "
                "script, put its top level under `if __name__ == \"__main__\":` (the workers "
                "import the script). workers=1 trains in this process instead") from exc
        except BaseException:  # an interrupt (or an error): stop the workers now
            for f in futures:
                f.cancel()
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            raise
    drain()
    return results


def groups(runs: Sequence[tuple[int, int]], workers: int) -> list[tuple[int, tuple[int, ...]]]:
    """(depth, seed) runs -> (depth, seeds) groups trained in lockstep; a depth's seeds are
    split when there are fewer depths than workers, so that every worker has work."""
    by_depth: dict[int, list[int]] = {}
    for h, seed in runs:
        by_depth.setdefault(h, []).append(seed)
    split = max(1, -(-workers // max(len(by_depth), 1)))
    out = []
    for h, seeds in sorted(by_depth.items(), reverse=True):  # deepest (slowest) first
        k = min(split, len(seeds))
        out += [(h, tuple(part)) for part in np.array_split(np.array(seeds), k)
                if part.size]
    return [(h, tuple(int(s) for s in seeds)) for h, seeds in out]
