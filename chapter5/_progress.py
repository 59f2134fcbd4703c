"""One progress bar for every long computation: a tqdm bar on stderr, or nothing.

Introduced in ``02-vanishing-gradients`` (training shows it while the experiments run).
"""

from __future__ import annotations

import importlib
from typing import Any


class Progress:
    """A tqdm bar over ``total`` steps when ``enabled`` (and ``total > 0``), else a no-op.

    Parameters
    ----------
    total : int
    desc : str
        The label in front of the bar.
    enabled : bool
    unit : str
        What one step is ("epoch", "it", ...).
    """

    def __init__(self, total: int, desc: str, enabled: bool, unit: str = "it") -> None:
        self.bar: Any = None
        if enabled and total > 0:
            tqdm = importlib.import_module("tqdm.auto").tqdm  # only when a bar is shown
            self.bar = tqdm(total=total, desc=desc, unit=unit, leave=False)

    def update(self, k: int = 1) -> None:
        """Advance by ``k`` steps."""
        if self.bar is not None:
            self.bar.update(k)

    def close(self) -> None:
        """Remove the bar (it is not left on screen)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
