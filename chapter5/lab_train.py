"""The deep-network lab in training: the chapter's protocol C in chunks a user interface streams.

Introduced in ``07-deep-network-lab``. Math only (numpy).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from chapter5._validate import positive_int
from chapter5.lab_config import LabConfig, _check_net, build_network, images
from chapter5.network import Network

#: Limits of :func:`train`: epochs of one run, epochs per chunk.
MAX_EPOCHS = 5000
MAX_CHUNK = 500


@dataclass(frozen=True, eq=False)
class Chunk:
    """A run of consecutive epochs of protocol C.

    Attributes
    ----------
    first_epoch : int
        Number of the chunk's first epoch (0 for the initial parameters).
    speeds : array (k, depth)
        ||dC/db^l|| of hidden layers 1..depth for each of the k epochs, recorded before that
        epoch's step.
    update_ratio : array (depth + 1,)
        ||Delta w^l|| / ||w^l|| of the chunk's LAST step for every weight matrix (hidden layers,
        then the output layer), w^l before that step; inf when w^l = 0 and it moves, 0 when it
        does not.
    diverged : bool
        True when training blew up in this chunk: a recorded speed or a parameter after its last
        step is no longer a finite number (eta too large for this net). Every later epoch would
        be NaN, so :func:`train` stops after yielding it; a user interface shows the finite
        epochs and says to lower eta.

    Introduced in ``07-deep-network-lab``.
    """

    first_epoch: int
    speeds: np.ndarray
    update_ratio: np.ndarray
    diverged: bool = False

    @property
    def last_epoch(self) -> int:
        """Number of the chunk's last epoch (the one ``update_ratio`` describes)."""
        return self.first_epoch + self.speeds.shape[0] - 1


def _update_ratio(before: list[np.ndarray], after: list[np.ndarray]) -> np.ndarray:
    out = np.empty(len(before))
    for i, (w0, w1) in enumerate(zip(before, after, strict=True)):
        norm = float(np.sqrt(np.sum(w0 * w0)))
        step = float(np.sqrt(np.sum((w1 - w0) ** 2)))
        out[i] = step / norm if norm > 0 else (math.inf if step > 0 else 0.0)
    return out


def train(config: LabConfig, x: object, y: object, epochs: int, *, chunk: int = 1,
          net: Network | None = None) -> Iterator[Chunk]:
    """Protocol C in chunks: each epoch records the speeds, then takes one full-batch step.

    The steps are ``Network.gradient_descent`` (eta = config.eta, lmbda = config.lmbda,
    n = config.n_images). A user interface streams the chunks and may stop between them; ``net``
    is then left after the last step taken. ``chunk = 1`` measures the update ratio of every
    step; larger chunks run faster (fewer calls) and measure it once per chunk.

    Parameters
    ----------
    config : LabConfig
    x, y : MNIST inputs and int labels (at least ``config.n_images``)
    epochs : int
        Total epochs (1 to :data:`MAX_EPOCHS`); the last chunk may be shorter.
    chunk : int
        Epochs per yielded :class:`Chunk` (1 to :data:`MAX_CHUNK`).
    net : Network, optional
        Train this network (it is changed in place); default a fresh ``build_network(config)``.

    Yields
    ------
    Chunk
        The last one has ``diverged`` set when training blew up (then no more are yielded).

    Introduced in ``07-deep-network-lab``.
    """
    epochs, chunk = check_epochs(epochs, chunk)
    xs, ys = images(x, y, config)
    if net is None:
        net = build_network(config)
    _check_net(net, config)
    return _train(net, config, xs, ys, epochs, chunk)


def check_epochs(epochs: object, chunk: object) -> tuple[int, int]:
    """``(epochs, chunk)`` checked as :func:`train` takes them: whole numbers, 1 <= epochs <=
    :data:`MAX_EPOCHS`, 1 <= chunk <= :data:`MAX_CHUNK`; a clear error naming the one that is not.

    Introduced in ``07-deep-network-lab``.
    """
    return (positive_int("epochs", epochs, maximum=MAX_EPOCHS),
            positive_int("chunk", chunk, maximum=MAX_CHUNK))


def _train(net: Network, config: LabConfig, xs: np.ndarray, ys: np.ndarray, epochs: int,
           chunk: int) -> Iterator[Chunk]:
    def steps(k: int) -> np.ndarray:
        return net.gradient_descent(xs, ys, epochs=k, eta=config.eta, lmbda=config.lmbda,
                                    n=config.n_images)

    for first in range(0, epochs, chunk):
        k = min(chunk, epochs - first)
        # a step that overflows is reported through `diverged`, not as numpy warnings
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            head = steps(k - 1) if k > 1 else np.empty((0, config.depth))
            before = [w.copy() for w in net.weights]
            last = steps(1)
            speeds = np.concatenate([head, last])
            ratio = _update_ratio(before, net.weights)
        diverged = not (np.all(np.isfinite(speeds))
                        and all(np.all(np.isfinite(p)) for p in (*net.weights, *net.biases)))
        yield Chunk(first, speeds, ratio, diverged)
        if diverged:
            return


def run(config: LabConfig, x: object, y: object, epochs: int, *, chunk: int = 1
        ) -> tuple[np.ndarray, np.ndarray]:
    """All of :func:`train` at once: speeds (epochs, depth) and the update ratios
    (number of chunks, depth + 1), each of a chunk's last step.

    Introduced in ``07-deep-network-lab``.
    """
    records = list(train(config, x, y, epochs, chunk=chunk))
    return (np.concatenate([r.speeds for r in records]),
            np.array([r.update_ratio for r in records]))



__all__ = ["MAX_CHUNK", "MAX_EPOCHS", "Chunk", "check_epochs", "run", "train"]
