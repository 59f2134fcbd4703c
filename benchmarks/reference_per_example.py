"""A deliberately plain per-example implementation of the book's training step, for comparison.

Written for this project (not copied from anywhere): one input at a time as a column vector,
backpropagation with Python loops over layers, gradients summed over the mini-batch, then the
book's update w <- (1 - eta lmbda / n) w - (eta/m) sum dC/dw, b <- b - (eta/m) sum dC/db.
Sigmoid neurons and the cross-entropy cost (delta^L = a^L - y), like ``chapter5.network``.
``bench_training.py`` times it against the vectorised kernel on the same data in the same run.
"""

from __future__ import annotations

import numpy as np


def _sigma(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


class PerExampleNet:
    """Weights ``w[i]`` (n_out, n_in) and biases ``b[i]`` (n_out, 1), copied from a Network."""

    def __init__(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        self.w = [np.array(w, dtype=np.float64) for w in weights]
        self.b = [np.array(b, dtype=np.float64).reshape(-1, 1) for b in biases]

    def backprop_one(self, x: np.ndarray, y: np.ndarray
                     ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """dC_x/dw and dC_x/db for one input column x (n_in, 1) and target column y."""
        a = x
        activations = [a]
        for w, b in zip(self.w, self.b, strict=True):
            a = _sigma(w @ a + b)
            activations.append(a)
        delta = activations[-1] - y
        grad_w: list[np.ndarray] = [np.empty(0)] * len(self.w)
        grad_b: list[np.ndarray] = [np.empty(0)] * len(self.w)
        for i in range(len(self.w) - 1, -1, -1):
            grad_b[i] = delta
            grad_w[i] = delta @ activations[i].T
            if i > 0:
                a_below = activations[i]
                delta = (self.w[i].T @ delta) * a_below * (1.0 - a_below)
        return grad_w, grad_b

    def step(self, xs: np.ndarray, ys: np.ndarray, eta: float, lmbda: float, n: int
             ) -> list[np.ndarray]:
        """One update on the rows of xs (inputs) and ys (one-hot targets); returns sum dC/db."""
        sum_w = [np.zeros_like(w) for w in self.w]
        sum_b = [np.zeros_like(b) for b in self.b]
        for x, y in zip(xs, ys, strict=True):
            gw, gb = self.backprop_one(x.reshape(-1, 1), y.reshape(-1, 1))
            for i in range(len(self.w)):
                sum_w[i] += gw[i]
                sum_b[i] += gb[i]
        m = xs.shape[0]
        for i in range(len(self.w)):
            self.w[i] = (1.0 - eta * lmbda / n) * self.w[i] - (eta / m) * sum_w[i]
            self.b[i] = self.b[i] - (eta / m) * sum_b[i]
        return sum_b

    def sgd_epoch(self, xs: np.ndarray, ys: np.ndarray, order: np.ndarray, m: int,
                  eta: float, lmbda: float) -> None:
        """One epoch of protocol A in the given order."""
        n = xs.shape[0]
        for k in range(0, n, m):
            idx = order[k:k + m]
            self.step(xs[idx].astype(np.float64), ys[idx], eta, lmbda, n)

    def record_then_step(self, xs: np.ndarray, ys: np.ndarray, eta: float, lmbda: float
                         ) -> np.ndarray:
        """One epoch of protocol C: the hidden layers' speeds, then a full-batch step."""
        sum_b = self.step(xs, ys, eta, lmbda, xs.shape[0])
        return np.array([np.linalg.norm(s) / xs.shape[0] for s in sum_b[:-1]])
