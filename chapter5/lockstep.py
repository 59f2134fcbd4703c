"""Train several networks of one shape side by side, each getting the numbers it gets alone.

Introduced in ``02-vanishing-gradients`` (experiments A and C train their seeds this way;
:meth:`chapter5.network.Network.sgd` and ``gradient_descent`` are the one-network case).

The work goes to :class:`chapter5._kernel.Kernel`, which stacks the networks' parameters and
makes every numpy call for all of them at once: with mini-batches of 10 most of the time of one
network is numpy's per-call overhead, so S networks cost far less than S times one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from chapter5._kernel import Kernel, side_by_side
from chapter5._progress import Progress
from chapter5._validate import optional_callable, positive_int
from chapter5.network import Network, _accuracy
from chapter5.training_args import (
    DTYPES,
    Dtype,
    SeedLike,
    _check_rates,
    _check_run,
    _choice,
    _finite,
    _labels,
    as_generator,
)


def _check_nets(nets: Sequence[Network]) -> Network:
    """The networks trained together must agree in everything but their parameters."""
    if isinstance(nets, Network) or not isinstance(nets, Sequence) or not nets \
            or not all(isinstance(net, Network) for net in nets):
        raise TypeError(f"nets must be a non-empty list of Network; got {nets!r}")
    first = nets[0]
    for net in nets[1:]:
        if (net.sizes, net.activation, net.cost) != (first.sizes, first.activation, first.cost):
            raise ValueError("nets trained in lockstep must share sizes, activation and cost; "
                             f"got {first.sizes}/{first.activation}/{first.cost} and "
                             f"{net.sizes}/{net.activation}/{net.cost}")
    if len({id(net) for net in nets}) != len(nets):
        raise ValueError("nets must be distinct networks (the same one is listed twice)")
    return first


def _check_evaluation_data(net: Network, evaluation_data: object
                           ) -> tuple[np.ndarray, np.ndarray] | None:
    if evaluation_data is None:
        return None
    if isinstance(evaluation_data, (str, bytes, np.ndarray)) \
            or not isinstance(evaluation_data, Sequence) or len(evaluation_data) != 2:
        raise TypeError("evaluation_data must be None or a pair (inputs, int labels); "
                        f"got {evaluation_data!r:.80}")
    ex = _finite("evaluation_data[0]", net._inputs(evaluation_data[0], "evaluation_data[0]"))
    return ex, _labels(evaluation_data[1], ex.shape[0], "evaluation_data[1]")


class _Stack:
    """The parameters of S networks stacked per layer (S, n_in + 1, n_out) in the kernel's dtype.

    For one float64 network the stack is a view of its own storage; otherwise a copy that
    :meth:`write_back` returns to the networks. With ``shared_inputs`` the first layer is kept
    side by side (``first``, see :func:`chapter5._kernel.side_by_side`) and ``params[0]`` views it.
    """

    def __init__(self, nets: Sequence[Network], dtype: str, shared_inputs: bool = False) -> None:
        self.nets = nets
        self.dtype = np.dtype(_choice("dtype", dtype, DTYPES))
        self.is_view = len(nets) == 1 and self.dtype == np.float64 and not shared_inputs
        self.first: np.ndarray | None = None
        if self.is_view:
            self.params = [p[None] for p in nets[0]._params]
        else:
            self.params = [np.stack([net._params[i] for net in nets]).astype(self.dtype)
                           for i in range(len(nets[0]._params))]
        if shared_inputs:
            self.first, self.params[0] = side_by_side(self.params[0])

    def of(self, s: int) -> list[np.ndarray]:
        """Seed s's per-layer ``[w^T; b]`` arrays (views into the stack)."""
        return [p[s] for p in self.params]

    def write_back(self) -> None:
        if not self.is_view:
            for s, net in enumerate(self.nets):
                for mine, p in zip(net._params, self.of(s), strict=True):
                    mine[...] = p


def sgd_in_lockstep(
    nets: Sequence[Network],
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    mini_batch_size: int,
    eta: float,
    lmbda: float = 0.0,
    n: int | None = None,
    evaluation_data: tuple[np.ndarray, np.ndarray] | None = None,
    rngs: Sequence[SeedLike] | None = None,
    shared_order: SeedLike | None = None,
    dtype: Dtype = "float64",
    progress: bool = False,
    desc: str | None = None,
    on_epoch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """:meth:`Network.sgd` for several networks of the same shape at once, side by side.

    By default each network gets exactly the numbers it would get from its own ``sgd`` call
    with the same shuffling generator (the kernel makes one BLAS product per network); all of
    them together take much less time than one after another. With ``shared_order`` every
    network takes the same mini-batches in the same order, which lets the first layer's matrix
    products of all networks be one product each (faster still).

    Parameters
    ----------
    nets : list of Network
        Same sizes, activation and cost; trained in place.
    rngs : list of int or Generator, optional
        One shuffling source per network; default each network's own generator.
    shared_order : int or Generator, optional
        One shuffling source for all networks (then ``rngs`` must be None and the networks'
        own generators are not used). The networks still differ in their initial parameters;
        the same seed gives the same numbers on every run, and in a pool of processes too. One
        network trained alone with ``rng`` = the same seed takes the same mini-batches, but the
        first layer's products have other shapes, so its last bits may differ.
    on_epoch : callable, optional
        Called with the epoch index after every epoch (after the evaluation).
        Every argument is checked before the first step: a bad one raises ValueError or
        TypeError naming it and leaves the networks untouched.
    x, y, epochs, mini_batch_size, eta, lmbda, n, evaluation_data, dtype, progress, desc
        As in :meth:`Network.sgd`.

    Returns
    -------
    numpy.ndarray, shape (len(nets), epochs)
        Evaluation accuracy of each network after each epoch (empty second axis without
        ``evaluation_data``).

    Introduced in ``02-vanishing-gradients``.
    """
    net = _check_nets(nets)
    xs = _finite("x", net._inputs(x))
    n_data = xs.shape[0]
    epochs, progress, desc = _check_run(epochs, progress, desc)
    on_epoch = optional_callable("on_epoch", on_epoch)
    m = positive_int("mini_batch_size", mini_batch_size)
    if m > n_data:
        raise ValueError(f"mini_batch_size must be <= the number of inputs ({n_data}); got {m}")
    eta, lmbda, n_reg = _check_rates(eta, lmbda, n_data if n is None else n)
    if shared_order is not None:
        if rngs is not None:
            raise ValueError("give rngs (one order per network) or shared_order (one order for "
                             "all), not both")
        gens = [as_generator(shared_order, "shared_order")]
    elif rngs is None:
        gens = [each.rng for each in nets]
    elif isinstance(rngs, Sequence) and not isinstance(rngs, (str, bytes)) \
            and len(rngs) == len(nets):
        gens = [as_generator(r, "rngs[i]") for r in rngs]
    else:
        raise ValueError(f"rngs must list one seed or Generator per network ({len(nets)})")
    evaluation = _check_evaluation_data(net, evaluation_data)
    shared = shared_order is not None
    stack = _Stack(nets, dtype, shared_inputs=shared)
    y_rows = _finite("y", net._targets(y, n_data)).astype(stack.dtype)
    if shared and xs.dtype != stack.dtype:  # one conversion here, none per mini-batch
        xs = xs.astype(stack.dtype)
    decay = 1.0 - eta * lmbda / n_reg
    quadratic = net.cost == "quadratic"
    n_full = n_data // m
    rest = n_data - n_full * m
    kernel = Kernel(stack.params, m, net.activation, quadratic, eta, decay, first=stack.first)
    tail = Kernel(stack.params, rest, net.activation, quadratic, eta, decay,
                  first=stack.first) if rest else None
    history = np.empty((len(nets), epochs if evaluation is not None else 0))
    bar = Progress(epochs, desc, progress, unit="epoch")
    try:
        for e in range(epochs):
            perms = np.stack([g.permutation(n_data) for g in gens], axis=1)  # (n, S) or (n, 1)
            if shared:
                order = perms[:, 0]
                kernel.run_minibatches(xs, y_rows, order[:n_full * m].reshape(n_full, m))
                if tail is not None:
                    tail.run_minibatches(xs, y_rows, order[n_full * m:][None])
            else:
                kernel.run_minibatches(xs, y_rows, perms[:n_full * m].reshape(n_full, m, -1)
                                       .transpose(0, 2, 1))
                if tail is not None:
                    tail.run_minibatches(xs, y_rows, perms[n_full * m:].T[None])
            if evaluation is not None:
                ex, ey = evaluation
                for s in range(len(nets)):
                    history[s, e] = _accuracy(stack.of(s), net.activation, ex, ey, stack.dtype)
            bar.update(1)
            if on_epoch is not None:
                on_epoch(e)
    finally:
        stack.write_back()
        bar.close()
    return history


def gradient_descent_in_lockstep(
    nets: Sequence[Network],
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    eta: float,
    lmbda: float = 0.0,
    n: int | None = None,
    dtype: Dtype = "float64",
    progress: bool = False,
    desc: str | None = None,
    on_epoch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """:meth:`Network.gradient_descent` for several networks of the same shape at once.

    Each network gets exactly the numbers its own call would give. ``on_epoch`` as in
    :func:`sgd_in_lockstep`.

    Returns
    -------
    numpy.ndarray, shape (len(nets), epochs, L - 2)

    Introduced in ``02-vanishing-gradients``.
    """
    net = _check_nets(nets)
    xs = _finite("x", net._inputs(x))
    m, n_in = xs.shape
    epochs, progress, desc = _check_run(epochs, progress, desc)
    on_epoch = optional_callable("on_epoch", on_epoch)
    eta, lmbda, n_reg = _check_rates(eta, lmbda, m if n is None else n)
    stack = _Stack(nets, dtype)
    # (n_out, m), the same for every seed
    y_view = _finite("y", net._targets(y, m)).astype(stack.dtype).T
    # Input pixels that are zero for every input (MNIST's blank border) add nothing to z and
    # get no gradient: drop them from the products and only decay their weights. The
    # arithmetic on the remaining pixels is unchanged.
    active = np.flatnonzero(np.any(xs != 0, axis=0))
    inactive = np.setdiff1d(np.arange(n_in), active)
    p0 = stack.params[0]
    params = [np.ascontiguousarray(p0[:, np.append(active, n_in)])] + stack.params[1:]
    w0_inactive = np.ascontiguousarray(p0[:, inactive])
    x_rows = np.ones((m, active.size + 1), dtype=stack.dtype)
    x_rows[:, :-1] = xs[:, active]
    decay = 1.0 - eta * lmbda / n_reg
    kernel = Kernel(params, m, net.activation, net.cost == "quadratic", eta, decay,
                    x_rows=x_rows)
    speeds = np.empty((len(nets), epochs, len(params) - 1))
    bar = Progress(epochs, desc, progress, unit="epoch")
    multiply = np.multiply
    try:
        with np.errstate(over="ignore"):
            for e in range(epochs):
                kernel.step(y_view)
                # from the very backpropagation pass the step used
                kernel.bias_speeds(speeds[:, e])
                if decay != 1.0:
                    multiply(w0_inactive, decay, w0_inactive)
                bar.update(1)
                if on_epoch is not None:
                    on_epoch(e)
    finally:
        p0[:, np.append(active, n_in)] = params[0]
        p0[:, inactive] = w0_inactive
        stack.write_back()
        bar.close()
    return speeds
