"""The math behind an interactive retelling of chapter 5 of Nielsen's *Neural Networks and
Deep Learning*.

Import the module you need; importing :mod:`chapter5` itself does nothing else.

Math (pure numpy, no plotting): :mod:`chapter5.activations`, :mod:`chapter5.chain`,
:mod:`chapter5.prevalence`, :mod:`chapter5.readout`, :mod:`chapter5.explorer_readouts`,
:mod:`chapter5.circuits` (re-exports :mod:`~chapter5.truth_tables`, :mod:`~chapter5.gates`,
:mod:`~chapter5.parity_circuits`, :mod:`~chapter5.adders`), :mod:`chapter5.network`,
:mod:`chapter5.data`, :mod:`chapter5.experiments`, :mod:`chapter5.obstacles` (re-exports
:mod:`~chapter5.saturation`, :mod:`~chapter5.factors`, :mod:`~chapter5.init_speeds`,
:mod:`~chapter5.sharpness`, :mod:`~chapter5.training_runs`, :mod:`~chapter5.symmetry`).
Pictures and widgets: :mod:`chapter5.viz` (its layout: ``chapter5/viz/README.md``).

Layers are numbered like the book, everywhere
---------------------------------------------
Layer 1 is the input layer of a network and layer L its output layer; hidden layer l is layer
l + 1 (so "hidden layer 1" is layer 2). A chain's neurons are layers 1..L, neuron j taking
a_{j-1}. Every name, label, readout key (``dC_db_3``), colour (:func:`chapter5.viz.style.
layer_colour` takes the hidden-layer number) and word on screen uses these numbers. Python
arrays start at 0, so a per-layer array holds its first layer at index 0: ``chain.w[j - 1]`` is
w_j; ``net.weights[l - 2]`` is w^l (layer 1 has no weights); column ``l - 1`` of a per-hidden-layer
result is hidden layer l. Convert only at the point of indexing, never in a name.
"""

__version__ = "0.1.0"
