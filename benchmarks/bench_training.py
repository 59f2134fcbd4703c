"""How fast are the chapter's experiments? Prints medians, a per-example reference, ratios, memory.

Usage::

    CHAPTER5_MNIST_DIR=../shared/data .venv/bin/python benchmarks/bench_training.py [--quick]
        [--threads N]

Protocol C: [784, 30, 30, 30, 30, 10], the first 1,000 training images, one full-batch step per
epoch with the speeds recorded from the same backpropagation (target <= 2.8 ms/epoch).
Protocol A: the same net, 50,000 images, mini-batches of 10, eta 0.1, lmbda 5.0
(target <= 0.4 s/epoch). Both are also run by ``reference_per_example.py`` on the same data.

BLAS threads: by default this script sets ``OPENBLAS_NUM_THREADS=1`` (and the OpenMP/MKL
equivalents) before numpy is imported. On a machine whose cores are busy with other work a
multi-threaded BLAS busy-waits and protocol C gets 10-30x slower; on an idle machine two threads
make protocol C about 25 % faster. ``--threads 2`` measures that.
"""

from __future__ import annotations

import argparse
import os
import sys

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--quick", action="store_true", help="fewer repetitions")
parser.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_per_example import PerExampleNet  # noqa: E402

from chapter5.data import load_mnist, one_hot_labels  # noqa: E402
from chapter5.experiments import sizes_for  # noqa: E402
from chapter5.network import Network  # noqa: E402

TARGET_C_MS = 2.8
TARGET_A_S = 0.4


CPU: list[float] = []  # CPU seconds of the last median_time call's runs


def median_time(fn, repeats: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    """Median wall time of ``repeats`` calls (CPU times are left in ``CPU``)."""
    times = []
    CPU.clear()
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        CPU.append(time.process_time() - c0)
    return statistics.median(times), times


def main() -> None:
    quick = args.quick
    print(f"BLAS threads: {args.threads} (OPENBLAS_NUM_THREADS etc. set by this script); "
          f"numpy {np.__version__}; cpus {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.2f}")

    # ---------------------------------------------------------------- loading
    tracemalloc.start()
    t0 = time.perf_counter()
    data = load_mnist()
    first_load = time.perf_counter() - t0
    load_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    load_med, _ = median_time(load_mnist, 1 if quick else 3)
    print(f"\nload_mnist from {data.source}: first {first_load:.2f} s, median {load_med:.2f} s "
          f"(target < 2 s); traced peak while loading {load_peak:.0f} MB (target < 400 MB)")

    sizes = sizes_for(4)
    x_all, y_all = data.train.x, data.train.y

    # ---------------------------------------------------------------- protocol C
    x_c, y_c = x_all[:1000], y_all[:1000]
    net = Network(sizes, seed=0)
    ref = PerExampleNet([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    chunk = 50
    per_epoch, per_epoch_cpu = [], []
    for _ in range(2 if quick else 10):
        c0, t0 = time.process_time(), time.perf_counter()
        net.gradient_descent(x_c, y_c, epochs=chunk, eta=0.1, lmbda=5.0)
        per_epoch.append((time.perf_counter() - t0) / chunk * 1e3)
        per_epoch_cpu.append((time.process_time() - c0) / chunk * 1e3)
    c_ms = statistics.median(per_epoch)

    # same first epochs, fast and reference: identical speeds and parameters
    fresh = Network(sizes, seed=0)
    ref = PerExampleNet([w.copy() for w in fresh.weights], [b.copy() for b in fresh.biases])
    fast_speeds = fresh.gradient_descent(x_c, y_c, epochs=3, eta=0.1, lmbda=5.0)
    y_c1 = one_hot_labels(y_c)
    x_c64 = x_c.astype(np.float64)
    ref_times, ref_speeds = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        ref_speeds.append(ref.record_then_step(x_c64, y_c1, 0.1, 5.0))
        ref_times.append((time.perf_counter() - t0) * 1e3)
    ref_c_ms = statistics.median(ref_times)
    speed_diff = float(np.max(np.abs(np.array(ref_speeds) - fast_speeds) / fast_speeds))
    param_diff = max(float(np.max(np.abs(a - b)))
                     for a, b in zip(ref.w, fresh.weights, strict=True))

    t0 = time.perf_counter()
    for h in (2, 3, 4):
        Network(sizes_for(h), seed=0).gradient_descent(x_c, y_c, epochs=500, eta=0.1, lmbda=5.0)
    all_c = time.perf_counter() - t0
    print(f"\nProtocol C ({sizes}, 1,000 images, record then full-batch step):")
    print(f"  vectorised  median {c_ms:.2f} ms/epoch over {len(per_epoch)} runs of {chunk} "
          f"epochs (min {min(per_epoch):.2f}, max {max(per_epoch):.2f}; CPU time median "
          f"{statistics.median(per_epoch_cpu):.2f}); "
          f"target <= {TARGET_C_MS} ms: {'MET' if c_ms <= TARGET_C_MS else 'NOT MET'}")
    print(f"  reference   median {ref_c_ms:.1f} ms/epoch (per-example loop)")
    print(f"  ratio       {ref_c_ms / c_ms:.0f}x faster")
    print(f"  agreement   speeds rel. diff {speed_diff:.1e}, weights max diff {param_diff:.1e} "
          f"after 3 epochs")
    print(f"  all of C (2, 3, 4 hidden layers x 500 epochs, one seed): {all_c:.1f} s "
          f"(target < 10 s)")

    # ---------------------------------------------------------------- protocol A
    net = Network(sizes, seed=0)
    a_med, a_times = median_time(
        lambda: net.sgd(x_all, y_all, epochs=1, mini_batch_size=10, eta=0.1, lmbda=5.0),
        2 if quick else 5)
    a_cpu = statistics.median(CPU)
    ref = PerExampleNet([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    y_all1 = one_hot_labels(y_all)
    order = np.random.default_rng(0).permutation(x_all.shape[0])
    t0 = time.perf_counter()
    ref.sgd_epoch(x_all, y_all1, order, 10, 0.1, 5.0)
    ref_a = time.perf_counter() - t0
    print(f"\nProtocol A ({sizes}, 50,000 images, mini-batch 10, eta 0.1, lmbda 5.0):")
    print(f"  vectorised  median {a_med:.3f} s/epoch over {len(a_times)} epochs "
          f"(min {min(a_times):.3f}, max {max(a_times):.3f}; CPU time median {a_cpu:.3f}); "
          f"target <= {TARGET_A_S} s: "
          f"{'MET' if a_med <= TARGET_A_S else 'NOT MET'}")
    print(f"  reference   {ref_a:.2f} s/epoch (per-example loop, one epoch)")
    print(f"  ratio       {ref_a / a_med:.1f}x faster")
    per_depth = {4: a_med}
    for h in (1, 2, 3):
        other = Network(sizes_for(h), seed=0)
        per_depth[h], _ = median_time(
            lambda other=other: other.sgd(x_all, y_all, epochs=1, mini_batch_size=10, eta=0.1,
                                          lmbda=5.0), 1 if quick else 2)
    table = 30 * sum(per_depth.values())
    print("  other depths " + ", ".join(f"{h} hidden: {per_depth[h]:.3f} s/epoch"
                                        for h in (1, 2, 3)))
    print(f"  => the accuracy table (1-4 hidden layers x 30 epochs, one seed): about {table:.0f} s "
          f"of training (target < 120 s), plus ~10 ms per epoch for the validation accuracy")

    # ---------------------------------------------------------------- memory
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    Network(sizes, seed=1).sgd(x_all[:5000], y_all[:5000], epochs=1, mini_batch_size=10,
                               eta=0.1, lmbda=5.0)
    Network(sizes, seed=1).gradient_descent(x_c, y_c, epochs=5, eta=0.1, lmbda=5.0)
    train_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"\nMemory: peak RSS of this process {rss:.0f} MB (MNIST + reference copies); traced "
          f"peak of training itself {train_peak:.1f} MB on top of the data")


if __name__ == "__main__":
    main()
