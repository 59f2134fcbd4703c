"""The training kernel behind :class:`chapter5.network.Network`: S same-shape networks at once.

Introduced in ``02-vanishing-gradients`` (it trains every network there).

Layer l's parameters live in one array ``p = [w^T ; b]`` of shape (n_in + 1, n_out), so that one
matrix product of ``p^T`` with the layer's input columns (plus a row of ones) gives z including
+ b, and one product of those inputs with delta^T gives (eta/m) dC/dw^T with the summed dC/db as
its last row. Deltas are kept multiplied by eta/m, so that product is exactly the step.

The kernel trains S networks of the same sizes side by side ("in lockstep"): every buffer has
the seed axis first, shape (S, ...), each seed's block is contiguous, and every numpy call covers
all S networks. With mini-batches of 10 the run time of one network is mostly numpy's per-call
overhead, so S networks cost far less than S times one. The numbers are the same bits as training
each network alone: ``matmul`` makes one BLAS product per seed with the same shapes and strides,
and elementwise operations do not mix seeds. (The tests and ``benchmarks/bench_training.py``
check this.)

Every array an elementwise operation touches has a contiguous block per seed, buffers are made
once, results go to ``out`` buffers, and no call is made that the algebra does not need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Into = Callable[[np.ndarray, np.ndarray], None]


def _sigmoid_into(z: np.ndarray, out: np.ndarray) -> None:
    """out = 1 / (1 + e^{-z}), overwriting z; e^{-z} = inf gives exactly 0."""
    np.negative(z, z)
    np.exp(z, z)
    np.add(z, 1.0, z)
    np.reciprocal(z, out)


def _sigmoid_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    """out = sigma'(z) = a (1 - a) for a = sigma(z)."""
    np.subtract(1.0, a, out)
    np.multiply(out, a, out)


def _tanh_into(z: np.ndarray, out: np.ndarray) -> None:
    np.tanh(z, out)


def _tanh_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    """out = 1 - a^2 for a = tanh(z)."""
    np.multiply(a, a, out)
    np.subtract(1.0, out, out)


def _relu_into(z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(z, 0.0, out=out)


def _relu_prime_into(a: np.ndarray, out: np.ndarray) -> None:
    """out = 1 where a > 0, else 0."""
    np.greater(a, 0.0, out)


@dataclass(frozen=True)
class KernelActivation:
    """How the kernel applies an activation in place.

    ``forward(z, out)`` writes sigma(z) to ``out`` (it may overwrite z); ``prime(a, out)`` writes
    sigma'(z) to ``out``, computed from a = sigma(z), which is all the kernel keeps.
    """

    forward: Into
    prime: Into


#: The activation table: name -> in-place forward and derivative.
KERNEL_ACTIVATIONS: dict[str, KernelActivation] = {
    "sigmoid": KernelActivation(_sigmoid_into, _sigmoid_prime_into),
    "tanh": KernelActivation(_tanh_into, _tanh_prime_into),
    "relu": KernelActivation(_relu_into, _relu_prime_into),
}
SIGMOID = KERNEL_ACTIVATIONS["sigmoid"]


@dataclass(frozen=True, eq=False)
class KernelLayer:
    """One layer's arrays in the kernel; S seeds on axis 0, the m inputs of a batch as columns.

    Attributes
    ----------
    a_in : array (S, n_in + 1, m)
        The inputs a^{l-1} in rows 0..n_in-1 and a row of ones (for + b) last.
    p : array (S, n_in + 1, n_out)
        ``[w^T ; b]``, updated in place by every step.
    p_T : array (S, n_out, n_in + 1)
        ``p`` transposed (a view), for z = w a + b.
    w_T : array (S, n_in, n_out)
        The w^T block of ``p`` (a view): weight decay and the backpropagated delta use it.
    z : array (S, n_out, m)
        z^l; the backward pass reuses it as scratch for sigma'(z^l).
    a_out : array (S, n_out, m)
        Where sigma(z^l) goes: a view into the next layer's ``a_in`` or the output buffer.
    delta : array (S, n_out, m)
        (eta / m) delta^l.
    delta_T : array (S, m, n_out)
        ``delta`` transposed (a view).
    grad : array (S, n_in + 1, n_out)
        The step: (eta / m) [sum_x dC_x/dw^T ; sum_x dC_x/db].
    activation : KernelActivation
    """

    a_in: np.ndarray
    p: np.ndarray
    p_T: np.ndarray
    w_T: np.ndarray
    z: np.ndarray
    a_out: np.ndarray
    delta: np.ndarray
    delta_T: np.ndarray
    grad: np.ndarray
    activation: KernelActivation


class Kernel:
    """Forward, backward and the book's update for S networks and a fixed batch size m.

    Parameters
    ----------
    params : list of arrays (S, n_in + 1, n_out), one per non-input layer
        The stacked ``[w^T ; b]`` of the S networks, updated in place.
    m : int
        Inputs per step.
    activation : str
        Key of :data:`KERNEL_ACTIVATIONS` for the hidden layers (the output is a sigmoid).
    quadratic : bool
        Quadratic cost (else cross-entropy).
    eta, decay : float
        Learning rate and the weight-decay factor 1 - eta lmbda / n.
    x_rows : array (S, m, n_in + 1) or (m, n_in + 1), optional
        The first layer's inputs as rows, a column of ones last; a 2-D one is shared by all
        seeds (full-batch descent). Default: a new (S, ...) buffer that
        :meth:`run_minibatches` fills.
    """

    def __init__(self, params: Sequence[np.ndarray], m: int, activation: str, quadratic: bool,
                 eta: float, decay: float, x_rows: np.ndarray | None = None) -> None:
        s = params[0].shape[0]
        dtype = params[0].dtype
        self.m, self.eta, self.c, self.decay = m, eta, eta / m, decay
        self.quadratic = quadratic
        if x_rows is None:
            x_rows = np.ones((s, m, params[0].shape[1]), dtype=dtype)
        self.x_rows = x_rows
        self.n_out = params[-1].shape[2]
        self.out = np.empty((s, self.n_out, m), dtype=dtype)
        hidden = KERNEL_ACTIVATIONS[activation]
        layers: list[KernelLayer] = []
        a_in = x_rows.transpose(0, 2, 1) if x_rows.ndim == 3 else x_rows.T
        for i, p in enumerate(params):
            n_out = p.shape[2]
            last = i == len(params) - 1
            a_next = None if last else np.ones((s, n_out + 1, m), dtype=dtype)
            delta = np.empty((s, n_out, m), dtype=dtype)
            layers.append(KernelLayer(
                a_in=a_in, p=p, p_T=p.transpose(0, 2, 1), w_T=p[:, :-1],
                z=np.empty((s, n_out, m), dtype=dtype),
                a_out=self.out if a_next is None else a_next[:, :-1],
                delta=delta, delta_T=delta.transpose(0, 2, 1),
                grad=np.empty(p.shape, dtype=dtype),
                activation=SIGMOID if last else hidden))
            if a_next is not None:
                a_in = a_next
        self.layers = layers
        #: Backward order, output layer first, each with the layer below it (None for layer 2).
        self.backward = [(layers[i], layers[i - 1] if i else None)
                         for i in range(len(layers) - 1, -1, -1)]

    def step(self, y: np.ndarray) -> None:
        """Forward, backward and update for the batch in the first layer's ``a_in``.

        ``y`` holds the targets, shape (S, n_out, m) (any strides).
        """
        matmul, multiply, subtract = np.matmul, np.multiply, np.subtract
        for layer in self.layers:
            matmul(layer.p_T, layer.a_in, layer.z)  # z = w a + b
            layer.activation.forward(layer.z, layer.a_out)
        out = self.out
        top = self.layers[-1]
        d = top.delta
        subtract(out, y, d)  # cross-entropy: delta^L = a^L - y
        if self.quadratic:  # quadratic: times sigma'(z^L)
            SIGMOID.prime(out, top.z)
            multiply(d, top.z, d)
        multiply(d, self.c, d)  # from here on every delta carries the factor eta/m
        decay = self.decay
        for layer, below in self.backward:
            if below is not None:
                matmul(layer.w_T, layer.delta, below.delta)  # (w^{l+1})^T delta^{l+1}
                below.activation.prime(below.a_out, below.z)  # sigma'(z^l), z as scratch
                multiply(below.delta, below.z, below.delta)
            matmul(layer.a_in, layer.delta_T, layer.grad)
            if decay != 1.0:
                multiply(layer.w_T, decay, layer.w_T)  # w <- (1 - eta lmbda / n) w ...
            subtract(layer.p, layer.grad, layer.p)  # ... - (eta/m) sum dC/dw; b likewise

    def run_minibatches(self, x: np.ndarray, y_rows: np.ndarray, batches: np.ndarray) -> None:
        """One step per batch: ``batches`` (k, S, m) indexes the rows of x (n, n_in) and of the
        targets y_rows (n, n_out); seed s takes rows ``batches[j, s]`` in step j."""
        s, m = self.out.shape[0], self.m
        if self.x_rows.ndim != 3:
            raise ValueError("this kernel's inputs are fixed (full-batch descent)")
        x_buf = np.empty((s, m, x.shape[1]), dtype=x.dtype)
        y_buf = np.empty((s, m, y_rows.shape[1]), dtype=y_rows.dtype)
        y_view = y_buf.transpose(0, 2, 1)
        x_dest = self.x_rows[:, :, :-1]
        take, copyto, step = np.take, np.copyto, self.step
        with np.errstate(over="ignore"):
            for idx in batches:
                take(x, idx, 0, x_buf, mode="clip")  # indices are valid; "clip" skips a copy
                copyto(x_dest, x_buf)
                take(y_rows, idx, 0, y_buf, mode="clip")
                step(y_view)

    def bias_speeds(self, out: np.ndarray) -> None:
        """The hidden layers' speeds ||mean_x dC_x/db^l|| from the last step, into ``out``
        (S, L - 2): the last row of ``grad`` is eta times the mean bias gradient."""
        inv_eta = 1.0 / self.eta
        dot, sqrt = np.dot, np.sqrt
        for i, layer in enumerate(self.layers[:-1]):
            g = layer.grad
            for k in range(g.shape[0]):
                b = g[k, -1]
                out[k, i] = sqrt(dot(b, b)) * inv_eta
