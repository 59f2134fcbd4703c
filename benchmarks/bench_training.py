"""How fast are the chapter's experiments? Ratios to the book's per-example SGD and to a GEMM floor.

Usage::

    CHAPTER5_MNIST_DIR=../shared/data .venv/bin/python benchmarks/bench_training.py [--quick]
        [--threads N] [--rounds R] [--cold-notebook]

Everything is measured in one run, interleaved (round after round of every variant), and
reported as medians and as ratios taken within a round, so that a busy machine slows both sides
of a ratio alike. Ratios use CPU time (this process, or the notebook kernel and its workers),
which other people's jobs on a shared machine distort far less than wall time; wall times are
printed beside them.

* The reference: one epoch of protocol A done the book's way, one input at a time
  (``reference_per_example.py``), on [784, 30, 30, 30, 30, 10].
* Protocol A: 50,000 images, mini-batches of 10, eta 0.1, lmbda 5.0; one network alone, and
  five seeds in lockstep (per network), in float64 and float32. Target: within 1.3x of the floor.
* Protocol C: the first 1,000 images, record the speeds then one full-batch step per epoch;
  target within 1.2x of the floor.
* The GEMM floor: the kernel's matrix products alone (``np.matmul`` at the real shapes and
  layouts, nothing else), one network, same dtype.
* ``--cold-notebook``: notebook 02 executed top to bottom from an empty cache (a fresh
  ``CHAPTER5_CACHE_DIR``), between reference epochs. Target: at most 12 reference epochs.
  ``--notebook-dtypes float64,float32`` also runs it with float32 training (a cell prepended
  to the in-memory copy sets the experiments' default ``dtype``) and prints every line of
  printed output that differs.

BLAS threads: this script sets ``OPENBLAS_NUM_THREADS=1`` (and the OpenMP/MKL equivalents)
before numpy is imported: on one core, as the targets say (the experiments themselves limit BLAS
to one thread per process). The notebook kernel of ``--cold-notebook`` gets the environment the
script was started with, as a learner's would.
"""

from __future__ import annotations

import argparse
import os
import sys

parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
parser.add_argument("--quick", action="store_true", help="one round, fewer epochs")
parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
parser.add_argument("--cold-notebook", action="store_true",
                    help="time notebook 02 from an empty cache beside the reference epoch")
parser.add_argument("--notebook-dtypes", default="float64",
                    help="with --cold-notebook: comma-separated arithmetic(s) of the experiments' "
                         "training, e.g. float64,float32 (the printed outputs are compared)")
args = parser.parse_args()
LEARNER_ENV = dict(os.environ)
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import resource  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_per_example import PerExampleNet  # noqa: E402

from chapter5.data import load_mnist, one_hot_labels  # noqa: E402
from chapter5.experiments import EXPERIMENT_A, EXPERIMENT_C, sizes_for  # noqa: E402
from chapter5.lockstep import gradient_descent_in_lockstep, sgd_in_lockstep  # noqa: E402
from chapter5.network import Dtype, Network  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "02-vanishing-gradients.ipynb"
TARGET_A, TARGET_C, TARGET_NOTEBOOK = 1.3, 1.2, 12.0
M, ETA, LMBDA = int(EXPERIMENT_A["mini_batch_size"]), EXPERIMENT_A["eta"], EXPERIMENT_A["lmbda"]
SEEDS = 5


WALL: dict[str, list[float]] = {}  # wall times beside the CPU times the ratios use


def timed(fn: Callable[[], object]) -> float:
    """CPU seconds of ``fn()`` in this process (its wall seconds go to ``LAST_WALL``)."""
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    LAST_WALL[0] = time.perf_counter() - t0
    return time.process_time() - c0


LAST_WALL = [0.0]


def gemm_floor(sizes: tuple[int, ...], m: int, steps: int, dtype: str, n_in0: int) -> float:
    """Seconds for ``steps`` steps of only the kernel's matrix products, one network: z = p^T a
    per layer, (w^T) delta per layer above the first, a delta^T per layer. ``n_in0`` inputs to
    the first layer (fewer than sizes[0] when blank pixels are dropped)."""
    rng = np.random.default_rng(0)
    shapes = [(n_in0, sizes[1])] + list(zip(sizes[1:-1], sizes[2:], strict=True))
    p = [rng.standard_normal((1, k + 1, n)).astype(dtype) for k, n in shapes]
    a = [np.ascontiguousarray(rng.random((1, m, shapes[0][0] + 1)).astype(dtype))
         .transpose(0, 2, 1)] + [rng.random((1, k + 1, m)).astype(dtype) for k, _ in shapes[1:]]
    z = [np.empty((1, n, m), dtype) for _, n in shapes]
    d = [rng.random((1, n, m)).astype(dtype) for _, n in shapes]
    g = [np.empty_like(q) for q in p]
    pT, wT, dT = [q.transpose(0, 2, 1) for q in p], [q[:, :-1] for q in p], \
        [q.transpose(0, 2, 1) for q in d]
    layers = range(len(p))
    back = range(len(p) - 1, -1, -1)
    matmul = np.matmul
    c0, w0 = time.process_time(), time.perf_counter()
    for _ in range(steps):
        for i in layers:
            matmul(pT[i], a[i], z[i])
        for i in back:
            if i:
                matmul(wT[i], d[i], d[i - 1])
            matmul(a[i], dT[i], g[i])
    LAST_WALL[0] = time.perf_counter() - w0
    return time.process_time() - c0


def reference_epoch(data: object, x: np.ndarray, y1: np.ndarray) -> float:
    net = Network(sizes_for(4), seed=0)
    ref = PerExampleNet([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    order = np.random.default_rng(0).permutation(x.shape[0])
    return timed(lambda: ref.sgd_epoch(x, y1, order, M, ETA, LMBDA))


def cold_notebook(dtype: str) -> tuple[float, float, list[str]]:
    """(wall, CPU) seconds of notebook 02 from an empty cache (CPU of the kernel and its worker
    processes) and the lines it printed (cells marked NBVAL_IGNORE_OUTPUT left out)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    if dtype != "float64":
        nb.cells.insert(0, nbformat.v4.new_code_cell(
            "import chapter5.experiments as _E\n"
            "for _f in (_E.accuracy_vs_depth, _E.speeds_during_training):\n"
            f"    _f.__kwdefaults__['dtype'] = {dtype!r}"))
    with tempfile.TemporaryDirectory(prefix="chapter5-cold-") as cache:
        env = dict(LEARNER_ENV, CHAPTER5_CACHE_DIR=cache)
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)  # the kernel inherits this environment
        try:
            client = NotebookClient(nb, timeout=3600, kernel_name="python3",
                                    resources={"metadata": {"path": str(NOTEBOOK.parent)}})
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            client.execute()  # shuts the kernel down, so its CPU time is counted below
            wall = time.perf_counter() - t0
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        finally:
            os.environ.clear()
            os.environ.update(old)
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "NBVAL_IGNORE_OUTPUT" in cell.source:
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                lines += out["text"].splitlines()
            elif "data" in out and "text/plain" in out["data"]:
                lines += out["data"]["text/plain"].splitlines()
    return wall, (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime), lines


def med(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    rounds = 1 if args.quick else max(1, args.rounds)
    print(f"BLAS threads: {args.threads} (set by this script); numpy {np.__version__}; "
          f"cpus {os.cpu_count()}; load average at start {os.getloadavg()[0]:.2f}")
    t0 = time.perf_counter()
    data = load_mnist(progress=False)
    print(f"load_mnist from {data.source}: {time.perf_counter() - t0:.2f} s")
    x, y = data.train.x, data.train.y
    y1 = one_hot_labels(y)
    n_batches = x.shape[0] // M
    n_c = int(EXPERIMENT_C["n_images"])
    x_c, y_c = x[:n_c], y[:n_c]
    active_c = int(np.count_nonzero(np.any(x_c != 0, axis=0)))
    c_epochs = 20 if args.quick else 50

    if args.cold_notebook:
        refs = [reference_epoch(data, x, y1)]
        ref_walls = [LAST_WALL[0]]
        print(f"\nreference epoch {refs[-1]:.1f} s CPU ({ref_walls[-1]:.1f} s wall)", flush=True)
        printed: dict[str, list[str]] = {}
        for dtype in args.notebook_dtypes.split(","):
            nbs: list[tuple[float, float]] = []
            for _ in range(rounds):
                print(f"executing {NOTEBOOK.name} ({dtype}) from an empty cache (load average "
                      f"{os.getloadavg()[0]:.2f}) ...", flush=True)
                wall, cpu, printed[dtype] = cold_notebook(dtype)
                nbs.append((wall, cpu))
                refs.append(reference_epoch(data, x, y1))
                ref_walls.append(LAST_WALL[0])
                print(f"  notebook {wall:.0f} s wall, {cpu:.0f} s CPU; then reference epoch "
                      f"{refs[-1]:.1f} s CPU, {ref_walls[-1]:.1f} s wall (load average "
                      f"{os.getloadavg()[0]:.2f})", flush=True)
            k = len(refs) - len(nbs) - 1
            wall_r = med([nb[0] / med(ref_walls[k + i:k + i + 2]) for i, nb in enumerate(nbs)])
            cpu_r = med([nb[1] / med(refs[k + i:k + i + 2]) for i, nb in enumerate(nbs)])
            print(f"\nCold notebook 02, {dtype}: median {med([nb[0] for nb in nbs]):.0f} s wall "
                  f"= {wall_r:.1f} reference epochs (wall/wall); "
                  f"{med([nb[1] for nb in nbs]):.0f} s CPU = {cpu_r:.1f} reference epochs "
                  f"(CPU/CPU: all of it on one core). Target <= {TARGET_NOTEBOOK:.0f} (wall): "
                  f"{'MET' if wall_r <= TARGET_NOTEBOOK else 'NOT MET'}\n", flush=True)
        print(f"reference epoch median {med(refs):.1f} s CPU, {med(ref_walls):.1f} s wall")
        if len(printed) > 1:
            import difflib

            first, *others = printed
            for other in others:
                diff = [line for line in difflib.unified_diff(
                    printed[first], printed[other], first, other, lineterm="", n=0)]
                print(f"\nprinted output, {first} against {other}: "
                      f"{len(printed[first])} lines, "
                      f"{sum(line.startswith('-') for line in diff[2:])} differ")
                print("\n".join(diff))
        return

    # interleaved rounds: every variant once per round
    variants: dict[str, list[float]] = {}

    def record(name: str, cpu_seconds: float, per: int = 1) -> None:
        """Store the CPU time (and the wall time of the same call) divided by ``per``."""
        variants.setdefault(name, []).append(cpu_seconds / per)
        WALL.setdefault(name, []).append(LAST_WALL[0] / per)

    sizes4 = sizes_for(4)
    kw_a: dict[str, Any] = {"epochs": 1, "mini_batch_size": M, "eta": ETA, "lmbda": LMBDA}
    kw_c: dict[str, Any] = {"epochs": c_epochs, "eta": ETA, "lmbda": LMBDA}
    dtypes: tuple[Dtype, ...] = ("float64", "float32")
    for r in range(rounds):
        record("reference A epoch", reference_epoch(data, x, y1))
        for dtype in dtypes:
            record(f"floor A {dtype}", gemm_floor(sizes4, M, n_batches, dtype, 784))
            net = Network(sizes4, seed=r)
            record(f"A one net {dtype}", timed(partial(net.sgd, x, y, dtype=dtype, **kw_a)))
            nets = [Network(sizes4, seed=s) for s in range(SEEDS)]
            record(f"A lockstep {dtype}",
                   timed(partial(sgd_in_lockstep, nets, x, y, dtype=dtype, **kw_a)), SEEDS)
            record(f"floor C {dtype}", gemm_floor(sizes4, n_c, c_epochs, dtype, active_c),
                   c_epochs)
            net = Network(sizes4, seed=r)
            record(f"C one net {dtype}",
                   timed(partial(net.gradient_descent, x_c, y_c, dtype=dtype, **kw_c)), c_epochs)
            nets = [Network(sizes4, seed=s) for s in range(SEEDS)]
            record(f"C lockstep {dtype}", timed(partial(
                gradient_descent_in_lockstep, nets, x_c, y_c, dtype=dtype, **kw_c)),
                c_epochs * SEEDS)
        print(f"round {r + 1}/{rounds} done (load average {os.getloadavg()[0]:.2f})",
              flush=True)

    def ratio(a: str, b: str) -> float:
        return med([p / q for p, q in zip(variants[a], variants[b], strict=True)])

    ref = med(variants["reference A epoch"])
    print(f"\nMedians over {rounds} interleaved round(s) of CPU time (wall time in brackets); "
          f"ratios are medians of per-round CPU-time ratios.\nReference: one epoch of protocol "
          f"A, per-example (the book's algorithm), {list(sizes4)}: {ref:.2f} s "
          f"({med(WALL['reference A epoch']):.2f} s)")
    for proto, unit, scale, target in (("A", "s/epoch", 1.0, TARGET_A),
                                       ("C", "ms/epoch", 1e3, TARGET_C)):
        print(f"\nProtocol {proto} ({list(sizes4)}; per network; one core):")
        for dtype in ("float64", "float32"):
            floor = f"floor {proto} {dtype}"
            print(f"  {dtype}: GEMM floor {med(variants[floor]) * scale:.3f} {unit} "
                  f"({med(WALL[floor]) * scale:.3f})")
            for kind in ("one net", "lockstep"):
                name = f"{proto} {kind} {dtype}"
                rf = ratio(name, floor)
                label = kind if kind == "one net" else f"{SEEDS} seeds in lockstep"
                verdict = "MET" if rf <= target else "NOT MET"
                print(f"    {label:<22} {med(variants[name]) * scale:8.3f} {unit} "
                      f"({med(WALL[name]) * scale:.3f}) = {rf:.2f}x floor "
                      f"(target <= {target}: {verdict})")
            if proto == "A":
                name = f"A lockstep {dtype}"
                print(f"    reference epoch / lockstep epoch: "
                      f"{ratio('reference A epoch', name):.0f}x")

    # what notebook 02's experiments cost, from these per-network rates (4 hidden layers; the
    # first layer's products dominate, so shallower nets cost a little less)
    n_a = 4 * len((0, 1, 2, 3, 4)) * int(EXPERIMENT_A["epochs"])
    n_c_epochs = 3 * len((0, 1, 2, 3, 4)) * int(EXPERIMENT_C["epochs"])
    for dtype in ("float64", "float32"):
        total = n_a * med(variants[f"A lockstep {dtype}"]) + \
            n_c_epochs * med(variants[f"C lockstep {dtype}"])
        print(f"\nNotebook 02's A + C training on one core, {dtype}, at most about {total:.0f} s "
              f"= {total / ref:.1f} reference epochs (two free cores: about half)")

    # agreement: the kernel against the per-example reference, and lockstep against one net
    fresh = Network(sizes4, seed=0)
    ref_net = PerExampleNet([w.copy() for w in fresh.weights], [b.copy() for b in fresh.biases])
    fast = fresh.gradient_descent(x_c, y_c, epochs=3, eta=ETA, lmbda=LMBDA)
    ref_speeds = [ref_net.record_then_step(x_c.astype(np.float64), one_hot_labels(y_c), ETA,
                                           LMBDA) for _ in range(3)]
    speed_diff = float(np.max(np.abs(np.array(ref_speeds) - fast) / fast))
    param_diff = max(float(np.max(np.abs(a - b)))
                     for a, b in zip(ref_net.w, fresh.weights, strict=True))
    alone = [Network(sizes4, seed=s) for s in range(3)]
    together = [Network(sizes4, seed=s) for s in range(3)]
    n_small = 2003  # with a smaller last mini-batch
    for net in alone:
        net.sgd(x[:n_small], y[:n_small], epochs=1, mini_batch_size=M, eta=ETA, lmbda=LMBDA)
    sgd_in_lockstep(together, x[:n_small], y[:n_small], epochs=1, mini_batch_size=M, eta=ETA,
                    lmbda=LMBDA)
    same = all(np.array_equal(p, q) for a, b in zip(alone, together, strict=True)
               for p, q in zip(a.weights + a.biases, b.weights + b.biases, strict=True))
    print(f"\nAgreement: protocol C against the per-example reference after 3 epochs: speeds "
          f"rel. diff {speed_diff:.1e}, weights max diff {param_diff:.1e}; 3 seeds in lockstep "
          f"against one at a time: {'bit-identical' if same else 'DIFFERENT'}")

    # the pool: the same small A job with one and two processes (includes starting them)
    from chapter5 import experiments as E

    with tempfile.TemporaryDirectory(prefix="chapter5-pool-") as cache:
        os.environ["CHAPTER5_CACHE_DIR"] = cache
        kw = {"hidden_layers": (1, 2, 3, 4), "seeds": (0, 1, 2, 3, 4), "epochs": 1,
              "n_train": 20_000, "progress": False, "force": True}
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        res1 = E.accuracy_vs_depth(workers=1, **kw).accuracy  # type: ignore[arg-type]
        serial = time.perf_counter() - t0
        res2 = E.accuracy_vs_depth(workers=2, **kw).accuracy  # type: ignore[arg-type]
        pooled = time.perf_counter() - t0 - serial
    print(f"\nPool (A, 4 depths x 5 seeds x 1 epoch of 20,000 images; load average {load:.2f}): "
          f"1 process {serial:.1f} s, 2 processes {pooled:.1f} s, speed-up "
          f"{serial / pooled:.2f}x; results "
          f"{'identical' if np.array_equal(res1, res2) else 'DIFFER'}")


if __name__ == "__main__":
    main()
