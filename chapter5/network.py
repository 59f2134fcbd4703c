"""A fully connected network in pure numpy, with the conventions of the book's ``network2``.

Introduced in ``02-vanishing-gradients``; the pluggable activations and initialisers are used in
``06-many-neurons-other-obstacles``.

Conventions (Nielsen, *Neural Networks and Deep Learning*, ch. 3 and 5):

* layers l = 1..L, layer 1 is the input; ``sizes[l - 1]`` neurons in layer l;
* z^l = w^l a^{l-1} + b^l and a^l = sigma(z^l); hidden layers use the chosen activation
  (sigmoid by default), the output layer is always a sigmoid;
* cross-entropy cost, whose output error is delta^L = a^L - y, or the quadratic cost,
  delta^L = (a^L - y) sigma'(z^L);
* backpropagation delta^l = ((w^{l+1})^T delta^{l+1}) * sigma'(z^l); dC/db^l = delta^l and
  dC/dw^l = delta^l (a^{l-1})^T for one input;
* update with L2 weight decay: w <- (1 - eta lmbda / n) w - (eta / m) sum_x dC_x/dw,
  b <- b - (eta / m) sum_x dC_x/db (biases are not regularised), n = training-set size,
  m = mini-batch size.

Inputs are rows: a batch ``x`` has shape (n_inputs, sizes[0]), and every per-layer array of a
batch has one row per input. Python lists of layers start at the first non-input layer: index
``i`` of ``weights``, ``biases``, ``z``, ``delta``, ``dC_db`` ... holds layer l = i + 2 (for the
activations ``a``, index i holds layer l = i + 1, so ``a[0]`` is the input).

Every random draw comes from a ``numpy.random.Generator`` seeded by the caller.

Training runs in a vectorised, allocation-free kernel (``_Kernel``) that keeps each layer's
weights and biases in one array ``[w^T; b]`` of shape (n_in + 1, n_out) so that one matrix
product gives z (including + b) and one gives both dC/dw and the summed dC/db. The readable
:meth:`Network.gradients` computes the same numbers the textbook way; the tests check that they
agree.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from chapter5 import activations as act
from chapter5._validate import finite_float, positive_int

#: Hidden-layer activations: name -> (sigma, sigma_prime) from :mod:`chapter5.activations`.
ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "sigmoid": (act.sigmoid, act.sigmoid_prime),
    "tanh": (act.tanh, act.tanh_prime),
    "relu": (act.relu, act.relu_prime),
}
#: Weight initialisers; see :class:`Network`.
INITIALISERS: tuple[str, ...] = ("default", "large", "xavier", "he")
#: Costs; see :class:`Network`.
COSTS: tuple[str, ...] = ("cross_entropy", "quadratic")

SeedLike = int | np.random.Generator


def as_generator(seed: SeedLike, name: str = "seed") -> np.random.Generator:
    """Return ``seed`` as a Generator (an int seeds ``numpy.random.default_rng``).

    Introduced in ``02-vanishing-gradients``.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise TypeError(f"{name} must be a non-negative int or a numpy.random.Generator; "
                        f"got {seed!r}")
    return np.random.default_rng(int(seed))


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


@dataclass(frozen=True, eq=False)
class NetworkGradients:
    """Everything backpropagation computes for a batch of n inputs.

    Attributes
    ----------
    z : list of arrays (n, sizes[i + 1])
        Weighted inputs z^l, index i for layer l = i + 2.
    a : list of arrays (n, sizes[i])
        Activations a^l, index i for layer l = i + 1 (``a[0]`` is the input).
    delta : list of arrays (n, sizes[i + 1])
        delta^l for every input, which is also dC_x/db^l for that input.
    dC_db : list of arrays (sizes[i + 1],)
        Mean over the inputs of dC_x/db^l (the gradient of the mean cost, no L2 term).
    dC_dw : list of arrays (sizes[i + 1], sizes[i])
        Mean over the inputs of dC_x/dw^l (no L2 term).

    Introduced in ``02-vanishing-gradients``.
    """

    z: list[np.ndarray]
    a: list[np.ndarray]
    delta: list[np.ndarray]
    dC_db: list[np.ndarray]
    dC_dw: list[np.ndarray]

    @property
    def speeds(self) -> np.ndarray:
        """The book's "speed of learning" of each hidden layer: ||dC/db^l|| (Euclidean norm of
        the mean gradient), shape (L - 2,), index i for layer l = i + 2."""
        return np.array([float(np.sqrt(g @ g)) for g in self.dC_db[:-1]])


class Network:
    """A fully connected network of sigmoid (or tanh / ReLU) hidden layers and a sigmoid output.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first, e.g. ``[784, 30, 30, 10]``; at least two layers.
    seed : int or numpy.random.Generator
        Source of every random draw (initialisation here, and shuffling in :meth:`sgd` unless
        it gets its own). An int seeds ``numpy.random.default_rng``.
    activation : {"sigmoid", "tanh", "relu"}
        Activation of the hidden layers (the output layer is always a sigmoid).
    init : {"default", "large", "xavier", "he"}
        ``default``: w ~ N(0, 1/n_in), b ~ N(0, 1) (the book's ``network2``);
        ``large``: w ~ N(0, 1), b ~ N(0, 1); ``xavier`` (Glorot & Bengio 2010):
        w ~ N(0, 2/(n_in + n_out)), b = 0; ``he`` (He et al. 2015): w ~ N(0, 2/n_in), b = 0.
        Draw order: for each layer in turn, its weights (row-major, shape (n_out, n_in)), then
        its biases.
    cost : {"cross_entropy", "quadratic"}

    Attributes
    ----------
    sizes : tuple of int
    weights : list of arrays (sizes[i + 1], sizes[i])
        w^l for l = i + 2 (views into the parameter storage: they follow training).
    biases : list of arrays (sizes[i + 1],)
        b^l for l = i + 2 (views as well).
    rng : numpy.random.Generator

    Introduced in ``02-vanishing-gradients``.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        seed: SeedLike,
        activation: Literal["sigmoid", "tanh", "relu"] = "sigmoid",
        init: Literal["default", "large", "xavier", "he"] = "default",
        cost: Literal["cross_entropy", "quadratic"] = "cross_entropy",
    ) -> None:
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
            raise TypeError(f"sizes must be a list of layer sizes like [784, 30, 10]; "
                            f"got {sizes!r}")
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least two layers (input and output); "
                             f"got {list(sizes)}")
        self.sizes: tuple[int, ...] = tuple(positive_int("sizes[i]", s) for s in sizes)
        self.activation = _choice("activation", activation, tuple(ACTIVATIONS))
        self.init = _choice("init", init, INITIALISERS)
        self.cost = _choice("cost", cost, COSTS)
        self.rng = as_generator(seed)
        # One array per layer, shape (n_in + 1, n_out): rows 0..n_in-1 hold (w^l)^T, the last
        # row holds b^l (so both the weights and the biases are contiguous blocks).
        self._params: list[np.ndarray] = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            p = np.empty((n_in + 1, n_out))
            w, b = self._draw(n_in, n_out)
            p[:-1] = w.T
            p[-1] = b
            self._params.append(p)

    def _draw(self, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
        std = {"default": 1.0 / np.sqrt(n_in), "large": 1.0,
               "xavier": np.sqrt(2.0 / (n_in + n_out)), "he": np.sqrt(2.0 / n_in)}[self.init]
        w = self.rng.standard_normal((n_out, n_in)) * std
        if self.init in ("default", "large"):
            b = self.rng.standard_normal(n_out)
        else:
            b = np.zeros(n_out)
        return w, b

    # ------------------------------------------------------------------ parameters
    @property
    def num_layers(self) -> int:
        """L, the number of layers including the input layer."""
        return len(self.sizes)

    @property
    def weights(self) -> list[np.ndarray]:
        """w^l, shape (sizes[l-1], sizes[l-2]), at index l - 2 (live views)."""
        return [p[:-1].T for p in self._params]

    @property
    def biases(self) -> list[np.ndarray]:
        """b^l, shape (sizes[l-1],), at index l - 2 (live views)."""
        return [p[-1] for p in self._params]

    def set_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
        """Overwrite every w^l and b^l (shapes as :attr:`weights` and :attr:`biases`)."""
        if len(weights) != len(self._params) or len(biases) != len(self._params):
            raise ValueError(f"weights and biases must each list {len(self._params)} layers")
        for i, (p, w, b) in enumerate(zip(self._params, weights, biases, strict=True)):
            w = np.asarray(w, dtype=np.float64)
            b = np.asarray(b, dtype=np.float64)
            if w.shape != (p.shape[1], p.shape[0] - 1) or b.shape != (p.shape[1],):
                raise ValueError(f"weights[{i}] must have shape {(p.shape[1], p.shape[0] - 1)} "
                                 f"and biases[{i}] shape {(p.shape[1],)}; got {w.shape}, "
                                 f"{b.shape}")
            if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
                raise ValueError(f"weights[{i}] and biases[{i}] must be finite")
            p[:-1] = w.T
            p[-1] = b

    def copy(self) -> Network:
        """An independent copy (parameters and generator state)."""
        new = object.__new__(Network)
        new.__dict__.update(self.__dict__)
        new._params = [p.copy() for p in self._params]
        new.rng = np.random.Generator(type(self.rng.bit_generator)())
        new.rng.bit_generator.state = self.rng.bit_generator.state
        return new

    # ------------------------------------------------------------------ inputs
    def _inputs(self, x: ArrayLike, name: str = "x") -> np.ndarray:
        arr = np.asarray(x)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.sizes[0]:
            raise ValueError(f"{name} must have shape (n, {self.sizes[0]}) (one input per row); "
                             f"got {np.shape(x)}")
        if not np.issubdtype(arr.dtype, np.floating) and not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"{name} must hold real numbers; got dtype {arr.dtype}")
        return arr

    def _targets(self, y: object, n: int, name: str = "y") -> np.ndarray:
        """Int labels (n,) or target rows (n, n_out) -> float64 (n, n_out)."""
        arr = np.asarray(y)
        n_out = self.sizes[-1]
        if arr.ndim == 1 and np.issubdtype(arr.dtype, np.integer):
            if arr.shape[0] != n or (arr.size and (arr.min() < 0 or arr.max() >= n_out)):
                raise ValueError(f"{name}: {n} integer labels in 0..{n_out - 1} expected")
            out = np.zeros((n, n_out))
            out[np.arange(n), arr] = 1.0
            return out
        if arr.ndim == 1 and n == 1:
            arr = arr[None, :]
        if arr.shape != (n, n_out):
            raise ValueError(f"{name} must be {n} integer labels or an array of shape "
                             f"({n}, {n_out}); got shape {arr.shape}")
        return np.asarray(arr, dtype=np.float64)

    # ------------------------------------------------------------------ the textbook way
    def forward(self, x: ArrayLike) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Feed a batch forward; return ``(z, a)`` (see :class:`NetworkGradients` for indexing)."""
        a_l = np.asarray(self._inputs(x), dtype=np.float64)
        sigma = ACTIVATIONS[self.activation][0]
        zs: list[np.ndarray] = []
        activations = [a_l]
        last = len(self._params) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a_l @ w.T + b
            a_l = act.sigmoid(z) if i == last else sigma(z)
            zs.append(z)
            activations.append(a_l)
        return zs, activations

    def feedforward(self, x: ArrayLike) -> np.ndarray:
        """Output activations a^L, shape (n, sizes[-1]) (or (sizes[-1],) for one input)."""
        out = self.forward(x)[1][-1]
        return out[0] if np.ndim(x) == 1 else out

    def gradients(self, x: ArrayLike, y: object) -> NetworkGradients:
        """Backpropagate a batch: per-input deltas and the mean gradients (no L2 term).

        Parameters
        ----------
        x : array (n, sizes[0])
        y : int labels (n,) or targets (n, sizes[-1])

        Introduced in ``02-vanishing-gradients``.
        """
        zs, activations = self.forward(x)
        n = activations[0].shape[0]
        y_arr = self._targets(y, n)
        sigma_prime = ACTIVATIONS[self.activation][1]
        w = self.weights
        delta_L = activations[-1] - y_arr
        if self.cost == "quadratic":
            delta_L = delta_L * act.sigmoid_prime(zs[-1])
        deltas = [delta_L]
        for i in range(len(zs) - 2, -1, -1):
            deltas.insert(0, (deltas[0] @ w[i + 1]) * sigma_prime(zs[i]))
        dC_db = [d.mean(axis=0) for d in deltas]
        dC_dw = [d.T @ a_prev / n for d, a_prev in zip(deltas, activations[:-1], strict=True)]
        return NetworkGradients(z=zs, a=activations, delta=deltas, dC_db=dC_db, dC_dw=dC_dw)

    def speeds(self, x: ArrayLike, y: object) -> np.ndarray:
        """The book's speed of learning of each hidden layer, ||mean_x dC_x/db^l||, shape (L-2,).

        Introduced in ``02-vanishing-gradients``.
        """
        return self.gradients(x, y).speeds

    def total_cost(self, x: ArrayLike, y: object, lmbda: float = 0.0, n: int | None = None
                   ) -> float:
        """Mean cost over the batch plus the L2 term (lmbda / 2n) sum w^2 (n defaults to the
        batch size). Cross-entropy is computed from z with log-sigmoids, so it stays finite."""
        lmbda = finite_float("lmbda", lmbda)
        zs, activations = self.forward(x)
        m = activations[0].shape[0]
        y_arr = self._targets(y, m)
        if self.cost == "cross_entropy":
            z = zs[-1]
            # -[y ln a + (1-y) ln(1-a)] with ln a = -log(1+e^{-z}), ln(1-a) = -log(1+e^{z})
            c = y_arr * np.logaddexp(0.0, -z) + (1.0 - y_arr) * np.logaddexp(0.0, z)
            data = float(c.sum() / m)
        else:
            data = float(0.5 * np.sum((activations[-1] - y_arr) ** 2) / m)
        n_reg = m if n is None else positive_int("n", n)
        return data + 0.5 * lmbda / n_reg * sum(float(np.sum(w * w)) for w in self.weights)

    def accuracy(self, x: ArrayLike, labels: object, *, chunk: int = 2000) -> float:
        """Fraction of inputs whose most active output neuron matches ``labels`` (ints, (n,))."""
        xs = self._inputs(x)
        lab = np.asarray(labels)
        if lab.shape != (xs.shape[0],) or not np.issubdtype(lab.dtype, np.integer):
            raise ValueError(f"labels must be {xs.shape[0]} integer labels; got {lab.shape}")
        hits = 0
        for k in range(0, xs.shape[0], chunk):
            hits += int(np.sum(np.argmax(self._output_z(xs[k:k + chunk]), axis=1)
                               == lab[k:k + chunk]))
        return hits / max(xs.shape[0], 1)

    def _output_z(self, x: np.ndarray) -> np.ndarray:
        """z^L for a chunk (the argmax of a^L equals that of z^L: sigma is increasing)."""
        sigma = ACTIVATIONS[self.activation][0]
        a_l = np.asarray(x, dtype=np.float64)
        for i, p in enumerate(self._params):
            z = a_l @ p[:-1] + p[-1]
            if i == len(self._params) - 1:
                return z
            a_l = sigma(z)
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ training
    def sgd(
        self,
        x: np.ndarray,
        y: np.ndarray,
        *,
        epochs: int,
        mini_batch_size: int,
        eta: float,
        lmbda: float = 0.0,
        n: int | None = None,
        evaluation_data: tuple[np.ndarray, np.ndarray] | None = None,
        rng: SeedLike | None = None,
        progress: bool = False,
        desc: str | None = None,
    ) -> np.ndarray:
        """Mini-batch stochastic gradient descent, reshuffling the training set every epoch.

        Parameters
        ----------
        x : array (n, sizes[0])
            Training inputs (float32 or float64; mini-batches are computed in float64).
        y : int labels (n,) or targets (n, sizes[-1])
        epochs, mini_batch_size : int
            A final smaller mini-batch takes the rest when ``mini_batch_size`` does not divide n
            (its update uses its own size m, as the book's code does).
        eta, lmbda : float
            Learning rate > 0 and L2 parameter >= 0.
        n : int, optional
            The n in the weight-decay factor (1 - eta lmbda / n); default ``len(x)``.
        evaluation_data : (inputs, int labels), optional
            Accuracy on it is measured after every epoch.
        rng : int or Generator, optional
            Shuffling source; default the network's own generator.
        progress : bool
            Show a tqdm progress bar over epochs (on stderr).

        Returns
        -------
        numpy.ndarray, shape (epochs,)
            Evaluation accuracy (fraction) after each epoch; empty without ``evaluation_data``.

        Introduced in ``02-vanishing-gradients``.
        """
        xs = self._inputs(x)
        n_data = xs.shape[0]
        epochs = positive_int("epochs", epochs, minimum=0)
        m = positive_int("mini_batch_size", mini_batch_size)
        if m > n_data:
            raise ValueError(f"mini_batch_size must be <= the number of inputs ({n_data}); got {m}")
        eta, lmbda, n_reg = _check_rates(eta, lmbda, n_data if n is None else n)
        yT = np.ascontiguousarray(self._targets(y, n_data).T)
        gen = self.rng if rng is None else as_generator(rng, "rng")
        if evaluation_data is not None:
            ex, ey = evaluation_data
            ex = self._inputs(ex, "evaluation_data[0]")
        history = np.empty(epochs if evaluation_data is not None else 0)
        n_full = n_data // m
        kernel = _Kernel(self, m, eta, lmbda, n_reg, xs.dtype)
        rest = n_data - n_full * m
        tail = _Kernel(self, rest, eta, lmbda, n_reg, xs.dtype) if rest else None
        bar = _epochs_bar(epochs, progress, desc)
        for e in range(epochs):
            perm = gen.permutation(n_data)
            kernel.run_minibatches(xs, yT, perm[: n_full * m])
            if tail is not None:
                tail.run_minibatches(xs, yT, perm[n_full * m:])
            if evaluation_data is not None:
                history[e] = self.accuracy(ex, ey)
            bar.update(1)
        bar.close()
        return history

    def gradient_descent(
        self,
        x: np.ndarray,
        y: np.ndarray,
        *,
        epochs: int,
        eta: float,
        lmbda: float = 0.0,
        n: int | None = None,
        progress: bool = False,
        desc: str | None = None,
    ) -> np.ndarray:
        """Full-batch gradient descent that records the hidden layers' speeds, then steps.

        Each epoch backpropagates the whole batch once; the mean bias gradients of that one
        pass are recorded as speeds (:attr:`NetworkGradients.speeds`) and used for the step,
        so epoch 0 holds the speeds at the initial parameters (the book's protocol C).

        Returns
        -------
        numpy.ndarray, shape (epochs, L - 2)
            Speed of learning of each hidden layer before each step.

        Introduced in ``02-vanishing-gradients``.
        """
        xs = self._inputs(x)
        epochs = positive_int("epochs", epochs, minimum=0)
        eta, lmbda, n_reg = _check_rates(eta, lmbda, xs.shape[0] if n is None else n)
        yT = np.ascontiguousarray(self._targets(y, xs.shape[0]).T)
        kernel = _Kernel(self, xs.shape[0], eta, lmbda, n_reg, np.float64, fixed_x=xs)
        speeds = np.empty((epochs, len(self._params) - 1))
        bar = _epochs_bar(epochs, progress, desc)
        kernel.run_full_batch(yT, speeds, bar)
        bar.close()
        return speeds


def _check_rates(eta: object, lmbda: object, n: object) -> tuple[float, float, int]:
    eta_f = finite_float("eta", eta)
    if eta_f <= 0:
        raise ValueError(f"eta must be > 0; got {eta_f}")
    lmbda_f = finite_float("lmbda", lmbda)
    if lmbda_f < 0:
        raise ValueError(f"lmbda must be >= 0; got {lmbda_f}")
    return eta_f, lmbda_f, positive_int("n", n)


class _NoBar:
    def update(self, k: int) -> None:
        pass

    def close(self) -> None:
        pass


def _epochs_bar(epochs: int, progress: bool, desc: str | None) -> Any:
    if not progress:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc=desc or "epochs", unit="epoch", leave=False)


class _Kernel:
    """Allocation-free training steps for a fixed batch size m.

    Layer i's parameters live in ``P[i] = [w^T ; b]`` (n_in + 1, n_out); its input activations
    are columns in a buffer ``AT[i]`` (n_in + 1, m) whose last row is all ones. Then one product
    ``P[i].T @ AT[i]`` gives z (with + b) and one product ``AT[i] @ delta.T`` gives dC/dw^T with
    the summed dC/db as its last row. Deltas are kept multiplied by eta/m, so that product is
    exactly the step. Every array an elementwise operation touches is contiguous (strided views
    are several times slower for numpy), and with mini-batches of 10 the run time is dominated
    by numpy's per-call overhead: buffers are made once, results go to ``out`` buffers, and no
    call is made that the algebra does not need.
    """

    def __init__(self, net: Network, m: int, eta: float, lmbda: float, n: int,
                 x_dtype: np.dtype | type, fixed_x: np.ndarray | None = None) -> None:
        self.net = net
        self.m = m
        self.eta = eta
        self.c = eta / m
        self.decay = 1.0 - eta * lmbda / n
        sizes = net.sizes
        P = list(net._params)
        if fixed_x is not None:
            # Full batch: input pixels that are zero for every input (MNIST's blank border)
            # add nothing to z and get no gradient; drop them from the products and only decay
            # their weights. The arithmetic on the remaining pixels is unchanged.
            self.active = np.flatnonzero(np.any(fixed_x != 0, axis=0))
            self.inactive = np.setdiff1d(np.arange(sizes[0]), self.active)
            P[0] = net._params[0][np.append(self.active, sizes[0])]
            self.w0_inactive = net._params[0][self.inactive]
            x_rows = np.ones((m, self.active.size + 1))
            x_rows[:, :-1] = fixed_x[:, self.active]
        else:
            x_rows = np.ones((m, sizes[0] + 1))
        # The first layer's inputs are gathered as rows; the products use the transpose view.
        self.x_rows = x_rows
        self.P = P
        self.AT = [x_rows.T] + [np.ones((k + 1, m)) for k in sizes[1:-1]]
        self.x_buf = np.empty((m, sizes[0]), dtype=x_dtype)
        self.y_buf = np.empty((sizes[-1], m))
        self.out = np.empty((sizes[-1], m))
        self.Z = [np.empty((k, m)) for k in sizes[1:]]
        self.D = [np.empty((k, m)) for k in sizes[1:]]
        self.G = [np.empty(p.shape) for p in P]
        self.kind = {"sigmoid": 0, "tanh": 1, "relu": 2}[net.activation]
        self.quadratic = net.cost == "quadratic"
        L = len(P)
        # Per layer: (input a with ones row, [w^T; b]^T, z buffer, where a goes, activation)
        self.fwd = [(self.AT[i], P[i].T, self.Z[i], self.AT[i + 1][:-1] if i < L - 1 else self.out,
                     self.kind if i < L - 1 else 0) for i in range(L)]
        # Per layer, output first: (delta, delta below, w^T, a below, temp, a with ones row,
        #                           delta^T, G, w^T block of P, P)
        self.bwd: list[tuple[Any, ...]] = [(self.D[i], self.D[i - 1] if i else None, P[i][:-1],
                     self.AT[i][:-1] if i else None, self.Z[i - 1] if i else None,
                     self.AT[i], self.D[i].T, self.G[i], P[i][:-1], P[i])
                    for i in range(L - 1, -1, -1)]

    def _step(self, y: np.ndarray) -> None:
        """Forward, backward and update for the batch in ``AT[0]`` with targets ``y`` (n_out, m)."""
        dot, exp, add, sub, mul = np.dot, np.exp, np.add, np.subtract, np.multiply
        recip, neg = np.reciprocal, np.negative
        c, decay, kind = self.c, self.decay, self.kind
        for a, pT, z, a_next, k in self.fwd:
            dot(pT, a, z)  # z = w a + b
            if k == 0:  # sigma(z) = 1 / (1 + e^{-z}); e^{-z} = inf gives exactly 0
                neg(z, z)
                exp(z, z)
                add(z, 1.0, z)
                recip(z, a_next)
            elif k == 1:
                np.tanh(z, a_next)
            else:
                np.maximum(z, 0.0, out=a_next)
        out = self.out
        d = self.D[-1]
        sub(out, y, d)  # cross-entropy: delta^L = a^L - y
        if self.quadratic:  # quadratic: times sigma'(z^L) = a (1 - a)
            t = self.Z[-1]
            sub(1.0, out, t)
            mul(t, out, t)
            mul(d, t, d)
        mul(d, c, d)  # from here on every delta carries the factor eta/m
        for d, d_below, wT, a_below, t, a, dT, g, wT_block, p in self.bwd:
            if d_below is not None:
                dot(wT, d, d_below)  # (w^{l+1})^T delta^{l+1}
                if kind == 0:  # sigma'(z) = a (1 - a)
                    sub(1.0, a_below, t)
                    mul(t, a_below, t)
                elif kind == 1:  # tanh'(z) = 1 - a^2
                    mul(a_below, a_below, t)
                    sub(1.0, t, t)
                else:  # relu'(z) = 1 where a > 0
                    np.greater(a_below, 0.0, t)
                mul(d_below, t, d_below)
            dot(a, dT, g)  # (eta/m) [sum_x dC_x/dw^T ; sum_x dC_x/db]
            if decay != 1.0:
                mul(wT_block, decay, wT_block)  # w <- (1 - eta lmbda / n) w ...
            sub(p, g, p)  # ... - (eta/m) sum_x dC_x/dw;  b <- b - (eta/m) sum_x dC_x/db

    def run_minibatches(self, x: np.ndarray, yT: np.ndarray, order: np.ndarray) -> None:
        """One pass over ``order`` (indices into the rows of x and columns of yT), m at a time."""
        m = self.m
        take, copyto = np.take, np.copyto
        x_buf, y_buf = self.x_buf, self.y_buf
        x_dest = self.x_rows[:, :-1]
        step = self._step
        with np.errstate(over="ignore"):
            for k in range(0, order.shape[0] - m + 1, m):
                idx = order[k:k + m]
                take(x, idx, 0, x_buf)
                copyto(x_dest, x_buf)
                take(yT, idx, 1, y_buf)
                step(y_buf)

    def run_full_batch(self, yT: np.ndarray, speeds: np.ndarray, bar: object) -> None:
        """Record the hidden layers' speeds, then step, ``len(speeds)`` times."""
        bias_grads = [g[-1] for g in self.G[:-1]]
        inv_eta = 1.0 / self.eta
        dot, sqrt, mul = np.dot, np.sqrt, np.multiply
        step = self._step
        w_inactive, decay = self.w0_inactive, self.decay
        with np.errstate(over="ignore"):
            for e in range(speeds.shape[0]):
                step(yT)
                # G's last row is (eta/m) sum_x dC_x/db = eta * (mean gradient), from the very
                # backpropagation pass the step used: record its norm / eta.
                row = speeds[e]
                for i, g in enumerate(bias_grads):
                    row[i] = sqrt(dot(g, g)) * inv_eta
                if decay != 1.0:
                    mul(w_inactive, decay, w_inactive)
                bar.update(1)  # type: ignore[attr-defined]
        p0 = self.net._params[0]
        p0[np.append(self.active, p0.shape[0] - 1)] = self.P[0]
        p0[self.inactive] = w_inactive
