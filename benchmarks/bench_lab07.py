"""Kernel-side latency and training speed of notebook 07's lab (chapter5.viz.lab.Lab).

Usage::

    CHAPTER5_MNIST_DIR=... .venv/bin/python benchmarks/bench_lab07.py [--moves 50] [--epochs 200]

Prints:

* at-init view update time for a control move (the width slider, alternating 30/31, through
  the observer: recompute the at-init result, redraw the two panels, PNG bytes, readout), p50
  and p95 over ``--moves`` moves; targets 100 / 200 ms;
* training epochs per second of protocol C for the 4x30 sigmoid net on 1,000 images, as the
  Train button runs it (``chapter5.lab.train`` in chunks of ``TRAIN_CHUNK`` epochs, every chunk
  drawn to the training panel) and without drawing; target >= 50 per second.

One BLAS thread, as in the notebooks. A benchmark, not a test: the numbers depend on the machine
and its load (the exit code is 0 either way).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from threadpoolctl import threadpool_limits

from chapter5 import lab
from chapter5.data import load_mnist
from chapter5.viz.lab import TRAIN_CHUNK, Lab

TARGET_P50_MS, TARGET_P95_MS, TARGET_EPOCHS_PER_S = 100.0, 200.0, 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    if args.moves < 1 or args.epochs < 1:
        parser.error("--moves and --epochs must be positive")
    threadpool_limits(limits=1, user_api="blas")
    m = load_mnist(os.environ.get("CHAPTER5_MNIST_DIR"))
    x, y = m.train.x[:1000], m.train.y[:1000]
    widget = Lab(x, y)  # opens on the chapter's 4x30 net
    widget.time_moves(3)  # warm-up
    t = widget.time_moves(args.moves) * 1e3
    p50, p95 = np.percentile(t, [50, 95])
    print(f"at-init control move, kernel side (compute + render), {args.moves} moves: "
          f"p50 {p50:.0f} ms (target {TARGET_P50_MS:.0f}), p95 {p95:.0f} ms "
          f"(target {TARGET_P95_MS:.0f})")

    widget.apply_preset("chapter 4 hidden, default init")
    widget.lock_guess(1, 100.0)
    t0 = time.perf_counter()
    widget.train(epochs=args.epochs, chunk=TRAIN_CHUNK)
    live = args.epochs / (time.perf_counter() - t0)
    config = lab.preset("chapter 4 hidden, default init")
    t0 = time.perf_counter()
    for _ in lab.train(config, x, y, args.epochs, chunk=TRAIN_CHUNK):
        pass
    bare = args.epochs / (time.perf_counter() - t0)
    print(f"protocol C, 4x30 net, 1,000 images, {args.epochs} epochs in chunks of {TRAIN_CHUNK}: "
          f"{live:.0f} epochs/s with the panel redrawn per chunk, {bare:.0f} epochs/s without "
          f"(target >= {TARGET_EPOCHS_PER_S:.0f})")
    print(f"machine load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
