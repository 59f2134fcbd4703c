"""The chapter's experimental protocol: the book's published numbers, its settings, the nets'
sizes, and the checks every experiment makes of its settings.

Introduced in ``02-vanishing-gradients`` (which prints :data:`EXPERIMENT_A` and
:data:`EXPERIMENT_C`). The experiments themselves are in :mod:`chapter5.depth_accuracy` (A) and
:mod:`chapter5.layer_speeds` (B, C, D); :mod:`chapter5.experiments` gathers them. The book's
numbers (Nielsen, *Neural Networks and Deep Learning*, ch. 5) are the constants ``BOOK_*``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from chapter5._validate import finite_float, flag, int_list, positive_int
from chapter5.data import MNIST, load_mnist
from chapter5.training_args import DTYPES, _choice

# ----------------------------------------------------------------------------- the book's numbers
#: A: validation accuracy (percent) after 30 epochs, keyed by the number of hidden layers.
BOOK_ACCURACY: dict[int, float] = {1: 96.48, 2: 96.90, 3: 96.57, 4: 96.53}
#: B: speed of learning of hidden layers 1, 2, ... at initialisation.
BOOK_SPEEDS_AT_INIT: dict[int, tuple[float, ...]] = {
    2: (0.0657, 0.309),
    3: (0.012, 0.060, 0.283),
    4: (0.003, 0.017, 0.070, 0.285),
}
#: C: the speeds at epoch 499 (read off the book's plots, "about").
BOOK_SPEEDS_EPOCH_499: dict[int, tuple[float, ...]] = {
    2: (0.0034, 0.0096),
    3: (8.6e-5, 2.2e-4, 1.3e-3),
    4: (8.2e-6, 2.6e-5, 1.8e-4, 9.2e-4),
}
#: C, 4 hidden layers: speed of layer 4 / speed of layer 1, as the book describes it.
BOOK_RATIO_4_HIDDEN: dict[str, float] = {"epoch 0": 96.0, "epochs 50-100": 50.0,
                                         "epoch 499": 113.0}
#: C, 2 hidden layers: both speeds reach their minimum around these epochs.
BOOK_MINIMUM_EPOCHS_2_HIDDEN: tuple[int, int] = (40, 55)

#: The experiments' settings (the book's). They are the defaults of :func:`accuracy_vs_depth`
#: and :func:`speeds_during_training`, read when those are called.
HIDDEN_NEURONS = 30
EXPERIMENT_A: dict[str, float] = {"epochs": 30, "mini_batch_size": 10, "eta": 0.1, "lmbda": 5.0,
                                  "n_train": 50_000}
EXPERIMENT_C: dict[str, float] = {"epochs": 500, "eta": 0.1, "lmbda": 5.0, "n_images": 1000}


#: Limits on what the experiment functions accept (far beyond the book's settings; a value past
#: them is a typo, and would run for hours or overflow the weights).
MAX_HIDDEN_LAYERS = 100
MAX_EPOCHS = 10_000
MAX_ETA = 100.0
MAX_LMBDA = 1e4
MNIST_TRAIN_IMAGES = 50_000


def sizes_for(hidden_layers: int) -> tuple[int, ...]:
    """``(784, 30, ..., 30, 10)`` with ``hidden_layers`` hidden layers of 30 neurons.

    ``hidden_layers`` must be a whole number from 1 to ``MAX_HIDDEN_LAYERS``.
    Introduced in ``02-vanishing-gradients``.
    """
    what = f"hidden_layers must be a whole number >= 1 and <= {MAX_HIDDEN_LAYERS}"
    if isinstance(hidden_layers, (bool, np.bool_)) \
            or not isinstance(hidden_layers, (int, np.integer)):
        raise TypeError(f"{what}; got {hidden_layers!r}")
    if not 1 <= hidden_layers <= MAX_HIDDEN_LAYERS:
        raise ValueError(f"{what}; got {hidden_layers!r}")
    return (784,) + (HIDDEN_NEURONS,) * int(hidden_layers) + (10,)


def _seeds(seeds: Iterable[int], name: str = "seeds") -> tuple[int, ...]:
    return int_list(name, seeds, minimum=0)


def _depths(hidden_layers: Iterable[int]) -> tuple[int, ...]:
    return int_list("hidden_layers", hidden_layers, minimum=1, maximum=MAX_HIDDEN_LAYERS)


def _check_data(data: object) -> int:
    """How many training images ``data`` (None: the book's MNIST) offers; TypeError if it is
    not an MNIST."""
    if data is None:
        return MNIST_TRAIN_IMAGES
    if not isinstance(data, MNIST):
        raise TypeError(f"data must be None (the book's MNIST) or a chapter5.data.MNIST; "
                        f"got {type(data).__name__}")
    return len(data.train)


def _check_run(data: object, n_name: str, n: object, eta: object = 0.1, lmbda: object = 0.0,
               epochs: object = 1, force: object = False, progress: object = False
               ) -> tuple[int, float, float, int]:
    """Check the settings every experiment shares; return (n, eta, lmbda, epochs)."""
    n_i = positive_int(n_name, n, maximum=_check_data(data))
    eta_f = finite_float("eta", eta)
    if not 0.0 < eta_f <= MAX_ETA:
        raise ValueError(f"eta must lie in (0, {MAX_ETA:g}]; got {eta_f!r}")
    lmbda_f = finite_float("lmbda", lmbda)
    if not 0.0 <= lmbda_f <= MAX_LMBDA:
        raise ValueError(f"lmbda must lie in [0, {MAX_LMBDA:g}]; got {lmbda_f!r}")
    if eta_f * lmbda_f >= n_i:
        raise ValueError(f"eta * lmbda must stay below {n_name} = {n_i} (the weight decay "
                         f"factor 1 - eta lmbda / n must be positive); got eta = {eta_f:g}, "
                         f"lmbda = {lmbda_f:g}")
    flag("force", force)
    flag("progress", progress)
    return n_i, eta_f, lmbda_f, positive_int("epochs", epochs, maximum=MAX_EPOCHS)


def _load(data: MNIST | None) -> MNIST:
    return load_mnist() if data is None else data


def _dtype(dtype: object) -> str:
    return _choice("dtype", dtype, DTYPES)
