"""Pictures and widgets for the notebooks (matplotlib, ipywidgets). The math lives one level up."""
