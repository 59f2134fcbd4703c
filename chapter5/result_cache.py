"""The experiments' results on disk: one file per run, checked before use, written atomically.

Introduced in ``02-vanishing-gradients`` (its experiments are cached here).

Results are stored under ``<cache root>/experiments`` (see :func:`chapter5.data.cache_root`),
keyed by a hash of every parameter and :data:`CODE_VERSION`; ``force=True`` recomputes. A stored
file is checked before use (keys, shapes, dtypes, finite values, its parameters): a damaged one is
recomputed and rewritten, with one line on stderr saying so; where the cache cannot be written
the results are still returned, and stderr says once that they are not being saved. Writes are
atomic (a temporary file, then a rename).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from chapter5.data import IDX_SHA256, MNIST, cache_root

#: Bump when a change in the code changes results, so old cache entries are not reused.
CODE_VERSION = "1"


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
