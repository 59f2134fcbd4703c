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

Training runs in a vectorised, allocation-free kernel (:mod:`chapter5._kernel`) that keeps each
layer's weights and biases in one array ``[w^T; b]`` of shape (n_in + 1, n_out) so that one
matrix product gives z (including + b) and one gives both dC/dw and the summed dC/db, and that
trains several networks of one shape side by side (:mod:`chapter5.lockstep`) with the same
numbers as one at a time. The readable
:meth:`Network.gradients` computes the same numbers the textbook way; the tests check that they
agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from chapter5 import activations as act
from chapter5._validate import _short, positive_int, real_array
from chapter5.data import one_hot_labels
from chapter5.training_args import (
    DTYPES,
    MAX_EPOCHS,
    MAX_ETA,
    MAX_LMBDA,
    Dtype,
    SeedLike,
    _choice,
    _labels,
    _lmbda,
    _real,
    as_generator,
)

__all__ = ["ACTIVATIONS", "COSTS", "DTYPES", "INITIALISERS", "MAX_EPOCHS", "MAX_ETA", "MAX_LMBDA",
           "Dtype", "Network", "NetworkGradients", "SeedLike", "as_generator"]

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
        """Overwrite every w^l and b^l (shapes as :attr:`weights` and :attr:`biases`).

        Nothing is changed unless every array has the right shape and is finite.
        """
        layers = len(self._params)
        for name, value in (("weights", weights), ("biases", biases)):
            if isinstance(value, (str, bytes, np.ndarray)) or not isinstance(value, Sequence):
                raise TypeError(f"{name} must be a list of {layers} arrays, one per layer; "
                                f"got {_short(value)}")
            if len(value) != layers:
                raise ValueError(f"{name} must list {layers} arrays, one per layer; "
                                 f"got {len(value)}")
        new = []
        for i, (p, w_i, b_i) in enumerate(zip(self._params, weights, biases, strict=True)):
            w = real_array(f"weights[{i}]", w_i)
            b = real_array(f"biases[{i}]", b_i)
            if w.shape != (p.shape[1], p.shape[0] - 1) or b.shape != (p.shape[1],):
                raise ValueError(f"weights[{i}] must have shape {(p.shape[1], p.shape[0] - 1)} "
                                 f"and biases[{i}] shape {(p.shape[1],)}; got {w.shape}, "
                                 f"{b.shape}")
            if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
                raise ValueError(f"weights[{i}] and biases[{i}] must be finite")
            new.append((w, b))
        for p, (w, b) in zip(self._params, new, strict=True):
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
    def _inputs(self, x: object, name: str = "x") -> np.ndarray:
        arr = _real(name, x)
        given = arr.shape
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != self.sizes[0] or arr.shape[0] == 0:
            raise ValueError(f"{name} must have shape (n, {self.sizes[0]}) with n >= 1 (one "
                             f"input per row); got shape {given}")
        return arr

    def _targets(self, y: object, n: int, name: str = "y") -> np.ndarray:
        """Int labels (n,) or target rows (n, n_out) -> float64 (n, n_out)."""
        arr = _real(name, y)
        n_out = self.sizes[-1]
        if arr.ndim == 1 and np.issubdtype(arr.dtype, np.integer):
            if arr.shape[0] != n or (arr.size and (arr.min() < 0 or arr.max() >= n_out)):
                raise ValueError(f"{name}: {n} integer labels in 0..{n_out - 1} expected")
            return one_hot_labels(arr, n_out)
        if arr.ndim == 1 and n == 1:
            arr = arr[None, :]
        if arr.shape != (n, n_out):
            raise ValueError(f"{name} must be {n} integer labels or an array of shape "
                             f"({n}, {n_out}); got shape {arr.shape}")
        return np.asarray(arr, dtype=np.float64)

    # ------------------------------------------------------------------ the textbook way
    def forward(self, x: object) -> tuple[list[np.ndarray], list[np.ndarray]]:
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

    def feedforward(self, x: object) -> np.ndarray:
        """Output activations a^L, shape (n, sizes[-1]) (or (sizes[-1],) for one input)."""
        out = self.forward(x)[1][-1]
        return out[0] if np.asarray(x).ndim == 1 else out

    def gradients(self, x: object, y: object) -> NetworkGradients:
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

    def speeds(self, x: object, y: object) -> np.ndarray:
        """The book's speed of learning of each hidden layer, ||mean_x dC_x/db^l||, shape (L-2,).

        Introduced in ``02-vanishing-gradients``.
        """
        return self.gradients(x, y).speeds

    def total_cost(self, x: object, y: object, lmbda: float = 0.0, n: int | None = None
                   ) -> float:
        """Mean cost over the batch plus the L2 term (lmbda / 2n) sum w^2 (n defaults to the
        batch size). Cross-entropy is computed from z with log-sigmoids, so it stays finite.

        ``lmbda`` lies in [0, MAX_LMBDA]; ``n`` is a whole number >= 1."""
        lmbda = _lmbda(lmbda)
        n_reg_given = None if n is None else positive_int("n", n)
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
        n_reg = m if n_reg_given is None else n_reg_given
        return data + 0.5 * lmbda / n_reg * sum(float(np.sum(w * w)) for w in self.weights)

    def accuracy(self, x: object, labels: object, *, chunk: int = 2000) -> float:
        """Fraction of inputs whose most active output neuron matches ``labels`` (ints, (n,)).

        ``chunk`` inputs (a whole number >= 1) are fed forward at a time; the result does not
        depend on it."""
        chunk = positive_int("chunk", chunk)
        xs = self._inputs(x)
        lab = _labels(labels, xs.shape[0], "labels")
        return _accuracy(self._params, self.activation, xs, lab, np.float64, chunk)

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
        dtype: Dtype = "float64",
        progress: bool = False,
        desc: str | None = None,
    ) -> np.ndarray:
        """Mini-batch stochastic gradient descent, reshuffling the training set every epoch.

        Parameters
        ----------
        x : array (n, sizes[0])
            Training inputs (float32 or float64).
        y : int labels (n,) or targets (n, sizes[-1])
        epochs, mini_batch_size : int
            0 <= epochs <= MAX_EPOCHS (0 trains nothing and returns an empty history);
            1 <= mini_batch_size <= n. A final smaller mini-batch takes the rest when
            ``mini_batch_size`` does not divide n (its update uses its own size m, as the book's
            code does).
        eta, lmbda : float
            Learning rate in (0, MAX_ETA] and L2 parameter in [0, MAX_LMBDA].
        n : int, optional
            The n in the weight-decay factor (1 - eta lmbda / n), any whole number >= 1;
            default ``len(x)``.
        evaluation_data : (inputs, int labels), optional
            Accuracy on it is measured after every epoch.
        rng : int or Generator, optional
            Shuffling source; default the network's own generator.
        dtype : {"float64", "float32"}
            Arithmetic of the training steps (and of the evaluation). The parameters are kept
            in float64 either way; float32 is about twice as fast and rounds differently.
        progress : bool
            Show a tqdm progress bar over epochs (on stderr).
        desc : str, optional
            The bar's label (default "epochs").

        Returns
        -------
        numpy.ndarray, shape (epochs,)
            Evaluation accuracy (fraction) after each epoch; empty without ``evaluation_data``.

        Introduced in ``02-vanishing-gradients``.
        """
        from chapter5.lockstep import sgd_in_lockstep  # it builds on this module

        gen = self.rng if rng is None else as_generator(rng, "rng")
        return sgd_in_lockstep(
            [self], x, y, epochs=epochs, mini_batch_size=mini_batch_size, eta=eta, lmbda=lmbda,
            n=n, evaluation_data=evaluation_data, rngs=[gen], dtype=dtype, progress=progress,
            desc=desc)[0]

    def gradient_descent(
        self,
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
    ) -> np.ndarray:
        """Full-batch gradient descent that records the hidden layers' speeds, then steps.

        Each epoch backpropagates the whole batch once; the mean bias gradients of that one
        pass are recorded as speeds (:attr:`NetworkGradients.speeds`) and used for the step,
        so epoch 0 holds the speeds at the initial parameters (the book's protocol C).
        ``dtype`` as in :meth:`sgd`.

        Returns
        -------
        numpy.ndarray, shape (epochs, L - 2)
            Speed of learning of each hidden layer before each step.

        Introduced in ``02-vanishing-gradients``.
        """
        from chapter5.lockstep import gradient_descent_in_lockstep  # it builds on this module

        return gradient_descent_in_lockstep(
            [self], x, y, epochs=epochs, eta=eta, lmbda=lmbda, n=n, dtype=dtype,
            progress=progress, desc=desc)[0]


def _accuracy(params: Sequence[np.ndarray], activation: str, x: np.ndarray, labels: np.ndarray,
              dtype: np.dtype | type = np.float64, chunk: int = 2000) -> float:
    """Fraction of rows of x whose largest z^L is at ``labels`` (the argmax of a^L equals that
    of z^L: sigma is increasing); ``params`` as the kernel stores one network."""
    hits = 0
    for k in range(0, x.shape[0], chunk):
        z = _output_z(params, activation, x[k:k + chunk], dtype)
        hits += int(np.sum(np.argmax(z, axis=1) == labels[k:k + chunk]))
    return hits / max(x.shape[0], 1)


def _output_z(params: Sequence[np.ndarray], activation: str, x: np.ndarray,
              dtype: np.dtype | type) -> np.ndarray:
    """z^L for the rows of x."""
    sigma = ACTIVATIONS[activation][0]
    a_l = np.asarray(x, dtype=dtype)
    last = len(params) - 1
    for i, p in enumerate(params):
        z = a_l @ p[:-1] + p[-1]
        if i == last:
            return z
        a_l = sigma(z)
    raise AssertionError("unreachable")
