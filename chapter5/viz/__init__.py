"""Pictures and widgets for the notebooks (matplotlib, ipywidgets). The math lives one level up.

The explorers share one core, :mod:`chapter5.viz.explorer` (state, controls, panels, picture);
their readouts come from :mod:`chapter5.explorer_readouts`. ``chapter5/viz/README.md`` says where
each piece lives and shows a whole explorer in one file.
"""
