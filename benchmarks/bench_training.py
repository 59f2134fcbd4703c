"""How fast are the chapter's experiments? Ratios to the book's per-example SGD and to a GEMM floor.

Usage (on a quiet machine; ``--cold-notebook`` adds a few minutes per round)::

    CHAPTER5_MNIST_DIR=../shared/data .venv/bin/python benchmarks/bench_training.py \
        --rounds 3 --cold-notebook [--quick] [--threads N]

Everything is measured in one run, interleaved (round after round of every variant), and
reported as medians and as ratios taken within a round, so that a busy machine slows both sides
of a ratio alike. Ratios use CPU time (this process, or the notebook kernel and its workers),
which other people's jobs on a shared machine distort far less than wall time; wall times are
printed beside them, and the load average at every round.

* The reference: one epoch of protocol A done the book's way, one input at a time
  (``reference_per_example.py``), on [784, 30, 30, 30, 30, 10].
* Protocol A: 50,000 images, mini-batches of 10, eta 0.1, lmbda 5.0; one network alone, five
  seeds in lockstep each on its own order (per network), and five seeds on one shared order (the
  first layer's products one product for all five: notebook 02's protocol in float32), in
  float64 and float32. Target: within 1.3x of the GEMM floor at the same shapes.
* Protocol C: the first 1,000 images, record the speeds then one full-batch step per epoch;
  target within 1.2x of the floor.
* The GEMM floor: the kernel's matrix products alone (``np.matmul`` at the real shapes and
  layouts, nothing else), per network, same dtype; for the shared order the first layer's
  products at their side-by-side shapes.
* ``--cold-notebook``: notebook 02 executed top to bottom from an empty cache (a fresh
  ``CHAPTER5_CACHE_DIR``) once per round, followed by another reference epoch; its time is
  divided by the median of the reference epochs before and after it. Target: at most 12
  reference epochs (wall over wall: the notebook uses both cores, as a learner's does).

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


def gemm_floor(sizes: tuple[int, ...], m: int, steps: int, dtype: str, n_in0: int,
               side_by_side: int = 0) -> float:
    """CPU seconds for ``steps`` steps of only the kernel's matrix products, one network: z = p^T a
    per layer, (w^T) delta per layer above the first, a delta^T per layer. ``n_in0`` inputs to
    the first layer (fewer than sizes[0] when blank pixels are dropped). ``side_by_side`` = S > 0:
    S networks with shared inputs, the first layer's two products one product each for all of
    them (as the kernel does then), the rest one product per network; the time is divided by S."""
    s = max(side_by_side, 1)
    rng = np.random.default_rng(0)
    shapes = [(n_in0, sizes[1])] + list(zip(sizes[1:-1], sizes[2:], strict=True))
    p = [rng.standard_normal((s, k + 1, n)).astype(dtype) for k, n in shapes]
    a: list[np.ndarray] = [np.ascontiguousarray(rng.random((s, m, shapes[0][0] + 1)).astype(dtype))
         .transpose(0, 2, 1)] + [rng.random((s, k + 1, m)).astype(dtype) for k, _ in shapes[1:]]
    z: list[np.ndarray] = [np.empty((s, n, m), dtype) for _, n in shapes]
    d = [rng.random((s, n, m)).astype(dtype) for _, n in shapes]
    g: list[np.ndarray] = [np.empty_like(q) for q in p]
    pT: list[np.ndarray]
    dT: list[np.ndarray]
    pT, wT, dT = [q.transpose(0, 2, 1) for q in p], [q[:, :-1] for q in p], \
        [q.transpose(0, 2, 1) for q in d]
    if side_by_side:  # the first layer as the kernel stores it then: (n_in + 1, S n_out)
        n1 = sizes[1]
        first = rng.standard_normal((n_in0 + 1, s * n1)).astype(dtype)
        pT[0], a[0] = first.T, np.ascontiguousarray(a[0][0].T).T
        z[0], dT[0] = z[0].reshape(s * n1, m), d[0].reshape(s * n1, m).T
        g[0] = np.empty_like(first)
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
    LAST_WALL[0] = (time.perf_counter() - w0) / s
    return (time.process_time() - c0) / s


def reference_epoch(data: object, x: np.ndarray, y1: np.ndarray) -> float:
    net = Network(sizes_for(4), seed=0)
    ref = PerExampleNet([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    order = np.random.default_rng(0).permutation(x.shape[0])
    return timed(lambda: ref.sgd_epoch(x, y1, order, M, ETA, LMBDA))


def cold_notebook() -> tuple[float, float]:
    """(wall, CPU) seconds of notebook 02 from an empty cache (CPU of the kernel and its worker
    processes)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
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
    return wall, (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)


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
            record(f"floor A shared {dtype}",
                   gemm_floor(sizes4, M, n_batches, dtype, 784, side_by_side=SEEDS))
            nets = [Network(sizes4, seed=s) for s in range(SEEDS)]
            record(f"A shared {dtype}", timed(partial(
                sgd_in_lockstep, nets, x, y, dtype=dtype, shared_order=r, **kw_a)), SEEDS)
            record(f"floor C {dtype}", gemm_floor(sizes4, n_c, c_epochs, dtype, active_c),
                   c_epochs)
            net = Network(sizes4, seed=r)
            record(f"C one net {dtype}",
                   timed(partial(net.gradient_descent, x_c, y_c, dtype=dtype, **kw_c)), c_epochs)
            nets = [Network(sizes4, seed=s) for s in range(SEEDS)]
            record(f"C lockstep {dtype}", timed(partial(
                gradient_descent_in_lockstep, nets, x_c, y_c, dtype=dtype, **kw_c)),
                c_epochs * SEEDS)
        if args.cold_notebook:
            print(f"round {r + 1}: executing {NOTEBOOK.name} from an empty cache (load average "
                  f"{os.getloadavg()[0]:.2f}) ...", flush=True)
            wall, cpu = cold_notebook()
            variants.setdefault("notebook", []).append(cpu)
            WALL.setdefault("notebook", []).append(wall)
            record("reference after notebook", reference_epoch(data, x, y1))
            print(f"  notebook {wall:.0f} s wall, {cpu:.0f} s CPU", flush=True)
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
            for kind in ("one net", "lockstep") + (("shared",) if proto == "A" else ()):
                name = f"{proto} {kind} {dtype}"
                fl = f"floor A shared {dtype}" if kind == "shared" else floor
                rf = ratio(name, fl)
                label = {"one net": "one net", "lockstep": f"{SEEDS} seeds in lockstep",
                         "shared": f"{SEEDS} seeds, shared order"}[kind]
                verdict = "MET" if rf <= target else "NOT MET"
                print(f"    {label:<26} {med(variants[name]) * scale:8.3f} {unit} "
                      f"({med(WALL[name]) * scale:.3f}) = {rf:.2f}x "
                      + ("its floor " f"{med(variants[fl]) * scale:.3f}" if kind == "shared"
                         else "floor") + f" (target <= {target}: {verdict})")
            if proto == "A":
                for kind in ("lockstep", "shared"):
                    name = f"A {kind} {dtype}"
                    print(f"    reference epoch / {kind} epoch: "
                          f"{ratio('reference A epoch', name):.0f}x")

    if args.cold_notebook:
        before, after = variants["reference A epoch"], variants["reference after notebook"]
        w_before, w_after = WALL["reference A epoch"], WALL["reference after notebook"]
        cpu_r = med([nb / ((b + a) / 2) for nb, b, a in
                     zip(variants["notebook"], before, after, strict=True)])
        wall_r = med([nb / ((b + a) / 2) for nb, b, a in
                      zip(WALL["notebook"], w_before, w_after, strict=True)])
        print(f"\nCold notebook 02 (empty cache; float32, shared order, both cores): median "
              f"{med(WALL['notebook']):.0f} s wall = {wall_r:.1f} reference epochs (wall/wall); "
              f"{med(variants['notebook']):.0f} s CPU = {cpu_r:.1f} reference epochs (CPU/CPU). "
              f"Target <= {TARGET_NOTEBOOK:.0f} (wall/wall): "
              f"{'MET' if wall_r <= TARGET_NOTEBOOK else 'NOT MET'}")

    # what notebook 02's experiments cost, from these per-network rates (4 hidden layers; the
    # first layer's products dominate, so shallower nets cost a little less)
    n_a = 4 * len((0, 1, 2, 3, 4)) * int(EXPERIMENT_A["epochs"])
    n_c_epochs = 3 * len((0, 1, 2, 3, 4)) * int(EXPERIMENT_C["epochs"])
    for kind, dtype in (("lockstep", "float64"), ("shared", "float32")):
        total = n_a * med(variants[f"A {kind} {dtype}"]) + \
            n_c_epochs * med(variants["C lockstep float64"])
        print(f"\nNotebook 02's A ({kind}, {dtype}) + C (float64) training on one core, at most "
              f"about {total:.0f} s = {total / ref:.1f} reference epochs (two free cores: about "
              "half)")

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
