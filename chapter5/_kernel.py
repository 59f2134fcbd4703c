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

When all S networks see the same inputs (full-batch descent, or mini-batch SGD with one shared
mini-batch order), the first layer can go further: its parameters are stored side by side as one
array (n_in + 1, S n_out) (``first``), so z^2 of all seeds is ONE product of that array with the
inputs, and the step of all seeds ONE product of the inputs with all deltas. That layer's products
have other shapes than one network's, so their last bits may differ from a network trained alone.
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
    mm_z, mm_delta_T : arrays
        ``z`` and ``delta_T`` as the layer's matrix products use them: themselves, or for a first
        layer stored side by side their 2-D views (S n_out, m) and (m, S n_out), which make each
        product one BLAS call for all seeds. (That layer's ``p``, ``p_T``, ``w_T`` and ``grad``
        are then 2-D too: (n_in + 1, S n_out) and its transpose and parts.)
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
    mm_z: np.ndarray
    mm_delta_T: np.ndarray


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
        seeds (full-batch descent, or a shared mini-batch order). Default: a new (S, ...) buffer
        (or (m, ...) with ``first``) that :meth:`run_minibatches` fills.
    first : array (n_in + 1, S n_out), optional
        The first layer's parameters of all seeds side by side, seed s in columns
        s n_out .. (s + 1) n_out - 1, with ``params[0]`` a view of it (see
        :func:`side_by_side`); the inputs are then shared (2-D ``x_rows``).
    """

    def __init__(self, params: Sequence[np.ndarray], m: int, activation: str, quadratic: bool,
                 eta: float, decay: float, x_rows: np.ndarray | None = None,
                 first: np.ndarray | None = None) -> None:
        s = params[0].shape[0]
        dtype = params[0].dtype
        self.m, self.eta, self.c, self.decay = m, eta, eta / m, decay
        self.quadratic = quadratic
        if first is not None and not np.shares_memory(first, params[0]):
            raise ValueError("first must be the storage that params[0] views")
        #: Whether :meth:`run_minibatches` may fill the inputs (else they are fixed).
        self.fills_inputs = x_rows is None
        if x_rows is None:
            shape = (m, params[0].shape[1]) if first is not None else (s, m, params[0].shape[1])
            x_rows = np.ones(shape, dtype=dtype)
        if first is not None and x_rows.ndim != 2:
            raise ValueError("a first layer side by side needs shared (2-D) inputs")
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
            z = np.empty((s, n_out, m), dtype=dtype)
            p_T, delta_T = p.transpose(0, 2, 1), delta.transpose(0, 2, 1)
            mm_z, mm_delta_T = z, delta_T
            if i == 0 and first is not None:  # one product for all seeds (see the docstring)
                p, p_T = first, first.T
                mm_z, mm_delta_T = z.reshape(s * n_out, m), delta.reshape(s * n_out, m).T
            layers.append(KernelLayer(
                a_in=a_in, p=p, p_T=p_T, w_T=p[..., :-1, :], z=z,
                a_out=self.out if a_next is None else a_next[:, :-1],
                delta=delta, delta_T=delta_T, grad=np.empty(p.shape, dtype=dtype),
                activation=SIGMOID if last else hidden, mm_z=mm_z, mm_delta_T=mm_delta_T))
            if a_next is not None:
                a_in = a_next
        self.layers = layers
        #: Backward order, output layer first, each with the layer below it (None for layer 2).
        self.backward = [(layers[i], layers[i - 1] if i else None)
                         for i in range(len(layers) - 1, -1, -1)]
        self._forward, self._backward = self._plan()

    def _plan(self) -> tuple[list[tuple[Callable[..., object], tuple[object, ...]]],
                             list[tuple[Callable[..., object], tuple[object, ...]]]]:
        """The numpy calls of one step, before and after delta^L = a^L - y, as (function,
        arguments) pairs: :meth:`step` makes exactly these calls, in this order, with no attribute
        look-ups of its own (with mini-batches of 10 those cost as much as some calls)."""
        matmul, multiply, subtract = np.matmul, np.multiply, np.subtract
        forward: list[tuple[Callable[..., object], tuple[object, ...]]] = []
        for layer in self.layers:
            forward.append((matmul, (layer.p_T, layer.a_in, layer.mm_z)))  # z = w a + b
            forward.append((layer.activation.forward, (layer.z, layer.a_out)))
        top = self.layers[-1]
        d = top.delta
        backward: list[tuple[Callable[..., object], tuple[object, ...]]] = []
        if self.quadratic:  # quadratic: times sigma'(z^L)
            backward.append((SIGMOID.prime, (self.out, top.z)))
            backward.append((multiply, (d, top.z, d)))
        backward.append((multiply, (d, self.c, d)))  # from here on every delta carries eta/m
        for layer, below in self.backward:
            if below is not None:
                backward.append((matmul, (layer.w_T, layer.delta, below.delta)))  # w^T delta
                backward.append((below.activation.prime, (below.a_out, below.z)))  # z: scratch
                backward.append((multiply, (below.delta, below.z, below.delta)))
            backward.append((matmul, (layer.a_in, layer.mm_delta_T, layer.grad)))
            if self.decay != 1.0:  # w <- (1 - eta lmbda / n) w ...
                backward.append((multiply, (layer.w_T, self.decay, layer.w_T)))
            backward.append((subtract, (layer.p, layer.grad, layer.p)))  # ... - step; b likewise
        return forward, backward

    def step(self, y: np.ndarray) -> None:
        """Forward, backward and update for the batch in the first layer's ``a_in``.

        ``y`` holds the targets, shape (S, n_out, m) (any strides). The calls are those of
        :meth:`_plan` (cross-entropy: delta^L = a^L - y; quadratic: times sigma'(z^L); then
        the factor eta/m, backpropagation, and w <- (1 - eta lmbda / n) w - step, b - step).
        """
        for f, args in self._forward:
            f(*args)
        np.subtract(self.out, y, self.layers[-1].delta)
        for f, args in self._backward:
            f(*args)

    def run_minibatches(self, x: np.ndarray, y_rows: np.ndarray, batches: np.ndarray) -> None:
        """One step per batch, the inputs taken from the rows of x (n, n_in) and the targets
        from y_rows (n, n_out). ``batches`` (k, S, m): seed s takes rows ``batches[j, s]`` in
        step j; with shared (2-D) inputs ``batches`` is (k, m), the same rows for every seed."""
        if not self.fills_inputs:
            raise ValueError("this kernel's inputs are fixed (full-batch descent)")
        shape = self.x_rows.shape[:-1]  # (S, m) or (m,)
        x_buf = np.empty(shape + (x.shape[1],), dtype=x.dtype)
        y_buf = np.empty(shape + (y_rows.shape[1],), dtype=y_rows.dtype)
        y_view = np.swapaxes(y_buf, -1, -2)  # (S, n_out, m) or (n_out, m)
        x_dest = self.x_rows[..., :-1]
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
            rows = layer.grad[..., -1, :].reshape(out.shape[0], -1)  # (S, n_out)
            for k in range(rows.shape[0]):
                b = rows[k]
                out[k, i] = sqrt(dot(b, b)) * inv_eta


def side_by_side(stacked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first layer of S networks, ``stacked`` (S, n_in + 1, n_out), stored side by side:
    a new array ``first`` (n_in + 1, S n_out) with seed s in columns s n_out .. (s + 1) n_out - 1,
    and a view of it shaped like ``stacked`` (pass the view in ``params`` and ``first`` to
    :class:`Kernel`)."""
    s, rows, n_out = stacked.shape
    first = np.ascontiguousarray(stacked.transpose(1, 0, 2)).reshape(rows, s * n_out)
    return first, first.reshape(rows, s, n_out).transpose(1, 0, 2)
