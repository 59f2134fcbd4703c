"""The chapter's three MNIST experiments, rerun for real, with the book's published numbers beside.

Introduced in ``02-vanishing-gradients``.

* A -- :func:`accuracy_vs_depth` (:mod:`chapter5.depth_accuracy`): validation accuracy of
  [784, 30, ..., 30, 10] nets with 1-4 hidden layers after each of 30 epochs of mini-batch SGD
  (m = 10, eta = 0.1, lmbda = 5.0, all 50,000 training images), for several seeds;
  :func:`frozen_first_layer_accuracy`: one of its runs with the first hidden layer frozen.
* B, C, D (:mod:`chapter5.layer_speeds`) -- :func:`speeds_at_init`: each hidden layer's "speed
  of learning" at initialisation over many seeds; :func:`speeds_during_training`: those speeds
  over 500 epochs of full-batch gradient descent on the first 1,000 images (and what the
  nets' outputs look like at checkpoints);
  :func:`initial_gradient_bars`: dC/db of the first neurons of each hidden layer.

The settings and the book's numbers are in :mod:`chapter5.protocol`, the cache on disk in
:mod:`chapter5.result_cache`. This module gathers them under one name, as the notebooks import
them. Results are frozen dataclasses of numpy arrays.
"""

from __future__ import annotations

from chapter5.data import load_mnist
from chapter5.depth_accuracy import (
    AccuracyVsDepth,
    FrozenFirstLayer,
    accuracy_vs_depth,
    frozen_first_layer_accuracy,
)
from chapter5.layer_speeds import (
    CHECKPOINT_QUANTITIES,
    SpeedsAtInit,
    SpeedsDuringTraining,
    initial_gradient_bars,
    speeds_at_init,
    speeds_during_training,
)
from chapter5.network import Network
from chapter5.protocol import (
    BOOK_ACCURACY,
    BOOK_MINIMUM_EPOCHS_2_HIDDEN,
    BOOK_RATIO_4_HIDDEN,
    BOOK_SPEEDS_AT_INIT,
    BOOK_SPEEDS_EPOCH_499,
    EXPERIMENT_A,
    EXPERIMENT_C,
    HIDDEN_NEURONS,
    MAX_EPOCHS,
    MAX_ETA,
    MAX_HIDDEN_LAYERS,
    MAX_LMBDA,
    MNIST_TRAIN_IMAGES,
    sizes_for,
)
from chapter5.result_cache import CODE_VERSION, _cached, _Field, experiments_cache_dir

__all__ = [
    "BOOK_ACCURACY", "BOOK_MINIMUM_EPOCHS_2_HIDDEN", "BOOK_RATIO_4_HIDDEN", "BOOK_SPEEDS_AT_INIT",
    "BOOK_SPEEDS_EPOCH_499", "CHECKPOINT_QUANTITIES", "CODE_VERSION", "EXPERIMENT_A",
    "EXPERIMENT_C", "HIDDEN_NEURONS", "MAX_EPOCHS", "MAX_ETA", "MAX_HIDDEN_LAYERS", "MAX_LMBDA",
    "MNIST_TRAIN_IMAGES", "AccuracyVsDepth", "FrozenFirstLayer", "Network", "SpeedsAtInit",
    "SpeedsDuringTraining", "_Field", "_cached", "accuracy_vs_depth", "experiments_cache_dir",
    "frozen_first_layer_accuracy", "initial_gradient_bars", "load_mnist", "sizes_for",
    "speeds_at_init", "speeds_during_training",
]
