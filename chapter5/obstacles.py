"""Measurements of ``06-many-neurons-other-obstacles`` (numpy only; the figures are in
:mod:`chapter5.viz.obstacles`): one import for the notebook, the pieces in small modules.

Everything drives :class:`chapter5.network.Network` through its public methods; nothing
re-implements backpropagation.

* :mod:`chapter5.saturation` -- :func:`glorot_bengio_parameters` (the "standard" initialisation
  of Glorot and Bengio, 2010), :func:`track_hidden_means` (mini-batch SGD that records each
  hidden layer's mean activation on a probe set) and the cached :func:`saturation_run`;
* :mod:`chapter5.factors` -- :func:`layer_factors` (the sizes of the factors of eq. (124) in a
  real net, with the shrink variance propagation predicts) and :func:`escape_factors` (how close
  |w sigma'(z)| comes to the chapter's escape clause |w sigma'(z)| >= 1);
* :mod:`chapter5.init_speeds` -- :func:`speeds_over_seeds` (the speed-of-learning protocol B for
  any activation and initialiser) and the cached :func:`init_speeds`;
* :mod:`chapter5.sharpness` -- :func:`sharpness`, the top Hessian eigenvalue (a gradient-descent
  step of size eta is stable only if eta < 2 / sharpness);
* :mod:`chapter5.training_runs` -- :func:`training_run`, protocol C with those measurements on
  the way;
* :mod:`chapter5.symmetry` -- :func:`symmetry_run`, a zero start against a random one.

The experiments are cached on disk through :mod:`chapter5.experiments`' cache, keyed by every
parameter and a fingerprint of the images used. Introduced in
``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

from chapter5._obstacle_cache import OBSTACLES_VERSION
from chapter5._obstacle_checks import MAX_EPOCHS, MAX_ETA, Activation, Init
from chapter5.factors import escape_factors, layer_factors
from chapter5.init_speeds import init_speeds, speeds_over_seeds
from chapter5.saturation import (
    HiddenMeansTrace,
    SaturationRun,
    glorot_bengio_parameters,
    saturation_run,
    track_hidden_means,
)
from chapter5.sharpness import sharpness
from chapter5.symmetry import SymmetryRun, symmetry_run
from chapter5.training_runs import TrainingRun, training_run

__all__ = [
    "HiddenMeansTrace",
    "glorot_bengio_parameters",
    "track_hidden_means",
    "layer_factors",
    "speeds_over_seeds",
    "sharpness",
    "escape_factors",
    "init_speeds",
    "TrainingRun",
    "training_run",
    "SaturationRun",
    "saturation_run",
    "SymmetryRun",
    "symmetry_run",
    "MAX_EPOCHS",
    "MAX_ETA",
    "OBSTACLES_VERSION",
    "Activation",
    "Init",
]
