"""Run independent pieces of an experiment in a pool of processes, each with one BLAS thread.

Introduced in ``02-vanishing-gradients`` (experiments A and C train their depths in parallel).

Processes are started with "spawn" (safe from a notebook kernel's threads) on first use, and
the same pool serves every later call of the session, so each process imports chapter5 and
loads MNIST once; it is shut down when the interpreter exits. The work functions are plain
module-level functions ``fn(data, *task, report)``, where ``report(k)`` advances the caller's
progress bar by k. One BLAS thread per process keeps the floating-point summation order,
hence every number, the same as in a serial run.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import queue
import signal
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
    (about a second each, once per session: 2e6 is some five seconds of training) and the main
    module allows it (see above)."""
    if workers is None:
        if work < 2e6 or not _main_module_reimportable():
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
    # Ctrl-C (or a notebook's interrupt, sent to the whole process group) is the caller's to
    # handle: it stops the workers itself (see run_groups); an idle worker ignores it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["progress"] = progress


def _in_worker(fn: Callable[..., Any], data: MNIST | None, *args: Any) -> Any:
    """Run ``fn(data, *args, report)`` in a pool process, with one BLAS thread."""
    if data is None:  # load MNIST once per process
        if "mnist" not in _WORKER:
            _WORKER["mnist"] = load_mnist(progress=False)
        data = _WORKER["mnist"]
    with threadpool_limits(limits=1, user_api="blas"):
        return fn(data, *args, report=_WORKER["progress"].put)


class _SharedPool:
    """One pool of worker processes for the whole session, started on first use.

    Starting a process costs about a second (it imports chapter5 and loads MNIST), so the
    experiments of a notebook share one pool instead of each starting its own. Nothing starts on
    import; the pool is shut down when the interpreter exits, or replaced when a call needs
    another number of workers or a worker died.
    """

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 0
        self.progress: Any = None
        self._exit_hook = False

    def get(self, workers: int) -> tuple[ProcessPoolExecutor, Any]:
        if self.pool is None or self.workers != workers:
            self.shutdown()
            ctx = multiprocessing.get_context("spawn")  # safe from a notebook kernel's threads
            self.progress = ctx.Queue()
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                            initializer=_init_worker, initargs=(self.progress,))
            self.workers = workers
            if not self._exit_hook:
                atexit.register(self.shutdown)
                self._exit_hook = True
        return self.pool, self.progress

    def discard(self) -> None:
        """Stop the workers now (after an interrupt or a dead worker): the next call starts
        fresh ones."""
        pool, self.pool = self.pool, None
        if pool is not None:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_SHARED = _SharedPool()


def run_groups(fn: Callable[..., Any], data: MNIST | None, tasks: Sequence[tuple[Any, ...]],
               workers: int, bar: Progress) -> list[Any]:
    """``[fn(data, *task, report) for task in tasks]``, in ``workers`` processes if > 1;
    ``report(k)`` advances the progress bar by k. Tasks start in the order given: put the
    longest first, so that no worker idles while another finishes a long one."""
    if workers <= 1:
        d = load_mnist() if data is None else data
        with threadpool_limits(limits=1, user_api="blas"):
            return [fn(d, *task, report=bar.update) for task in tasks]
    if data is None:
        locate_mnist()  # download here, if needed, rather than in every worker
    pool, progress = _SHARED.get(workers)

    def drain(report: Callable[[int], None] = bar.update) -> None:
        try:
            while True:
                report(progress.get_nowait())
        except queue.Empty:
            pass

    drain(lambda k: None)  # late reports of an earlier call are not this call's progress
    try:
        futures = [pool.submit(_in_worker, fn, data, *task) for task in tasks]
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            drain()
        results = [f.result() for f in futures]
    except BrokenProcessPool as exc:
        _SHARED.discard()
        raise RuntimeError(
            "a worker process stopped before finishing (killed, out of memory, or the "
            "chapter5 code changed on disk while this kernel ran: restart it). From a "
            "script, put its top level under `if __name__ == \"__main__\":` (the workers "
            "import the script). workers=1 trains in this process instead") from exc
    except BaseException:  # an interrupt (or an error): stop the workers now
        _SHARED.discard()
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
