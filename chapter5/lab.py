"""The deep-network lab: one MNIST network's per-layer learning, at initialisation and in training.

Introduced in ``07-deep-network-lab``. Math only (numpy); the widgets live in
:mod:`chapter5.viz.lab`. This module re-exports the lab's three parts: :mod:`chapter5.lab_config`
(the experiment, presets, network, images), :mod:`chapter5.lab_init` (at initialisation) and
:mod:`chapter5.lab_train` (protocol C).

A :class:`LabConfig` names a network ([784, width x depth, 10], the chosen hidden activation and
initialisation), the learning rate eta, the L2 parameter lmbda and how many of the first MNIST
training images it sees. Everything the lab shows is computed here from
:class:`chapter5.network.Network` (its public API only):

* :func:`at_init` -- each hidden layer's speed ||dC/db^l|| (the norm of the *mean* bias gradient
  over the images, the chapter's protocol B), and per-layer histograms of the activations a^l and
  of the per-image bias gradients dC_x/db^l, with the share of saturated neurons;
* :func:`train` -- the chapter's protocol C as a generator: for each epoch, record the speeds,
  then take one full-batch gradient-descent step; it yields chunks of epochs with the
  update-to-parameter ratio ||Delta w^l|| / ||w^l|| of a step, so a user interface can stream
  and stop;
* :func:`escape_clause` -- how often |w sigma'(z)| reaches 1, the chapter's condition for a
  factor of the gradient product not to shrink it.

Initialisations (weights w of a layer with n_in inputs and n_out outputs):

* ``default`` w ~ N(0, 1/n_in), b ~ N(0, 1) (the book's ``network2``);
* ``large``   w ~ N(0, 1), b ~ N(0, 1) (the book's "large" initialisation);
* ``small``   w ~ N(0, 0.01^2), b = 0;
* ``zeros``   w = 0, b = 0 (every neuron of a layer is the same and stays the same);
* ``xavier``  w ~ N(0, 2/(n_in + n_out)), b = 0: the *normal* distribution with the variance of
  Glorot and Bengio's (2010) uniform U[-sqrt(6/(n_in + n_out)), +sqrt(6/(n_in + n_out))];
* ``he``      w ~ N(0, 2/n_in), b = 0 (He et al. 2015).
"""

from __future__ import annotations

from chapter5.lab_config import (
    ACTIVATION_NAMES,
    DEPTH_RANGE,
    INITS,
    MAX_ETA,
    MAX_IMAGES,
    PRESETS,
    WIDTH_RANGE,
    LabConfig,
    build_network,
    images,
    preset,
)
from chapter5.lab_init import (
    ACTIVATION_BINS,
    GRADIENT_LOG10_BINS,
    PEAK_DERIVATIVE,
    SATURATION_FRACTION,
    AtInit,
    LayerHistogram,
    at_init,
    escape_clause,
    predicted_shrink_per_layer,
    ratio_last_first,
    shrink_per_layer,
)
from chapter5.lab_train import MAX_CHUNK, MAX_EPOCHS, Chunk, check_epochs, run, train

__all__ = [
    "ACTIVATION_BINS", "ACTIVATION_NAMES", "DEPTH_RANGE", "GRADIENT_LOG10_BINS", "INITS",
    "MAX_CHUNK", "MAX_EPOCHS", "MAX_ETA", "MAX_IMAGES", "PEAK_DERIVATIVE", "PRESETS",
    "SATURATION_FRACTION", "WIDTH_RANGE", "AtInit", "Chunk", "LabConfig", "LayerHistogram",
    "at_init", "build_network", "check_epochs", "escape_clause", "images",
    "predicted_shrink_per_layer", "preset", "ratio_last_first", "run", "shrink_per_layer",
    "train",
]
