"""The math behind an interactive retelling of chapter 5 of Nielsen's *Neural Networks and
Deep Learning*.

Import the module you need; importing :mod:`chapter5` itself does nothing else.

Math (pure numpy, no plotting): :mod:`chapter5.activations`, :mod:`chapter5.chain`,
:mod:`chapter5.prevalence`, :mod:`chapter5.readout`, :mod:`chapter5.circuits`,
:mod:`chapter5.network`, :mod:`chapter5.data`, :mod:`chapter5.experiments`.
Pictures and widgets: :mod:`chapter5.viz`.
"""

__version__ = "0.1.0"
