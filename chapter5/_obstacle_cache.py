"""The disk cache of notebook 06's experiments (private): a thin layer over the experiment
cache of :mod:`chapter5.experiments`, keyed by every parameter and a fingerprint of the images.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

#: Bump when a change here changes what the cached experiments compute.
OBSTACLES_VERSION = "1"


def _fingerprint(*arrays: np.ndarray) -> str:
    """A short hash of the images and labels an experiment uses (part of its cache key)."""
    h = hashlib.sha256()
    for a in arrays:
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def _cache(kind: str, params: dict[str, Any], shapes: Mapping[str, tuple[int, ...]],
           compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Run ``compute`` through the experiment cache of :mod:`chapter5.experiments`.

    That cache keeps arrays of non-negative numbers, so every array is stored as its positive
    and negative parts (a = pos - neg, exactly) and put back together on the way out.
    """
    from chapter5 import experiments

    def split() -> dict[str, np.ndarray]:
        out = {}
        for k, a in compute().items():
            a = np.asarray(a, dtype=np.float64)
            if a.shape != shapes[k]:
                raise AssertionError(f"{kind}: {k} has shape {a.shape}, expected {shapes[k]}")
            out[f"{k}__pos"], out[f"{k}__neg"] = np.maximum(a, 0.0), np.maximum(-a, 0.0)
        return out

    params = dict(params, obstacles=OBSTACLES_VERSION)
    # the validating cache checks the shape and range of everything it loads
    fields = {f"{k}__{part}": experiments._Field(s) for k, s in shapes.items()
              for part in ("pos", "neg")}
    stored = experiments._cached(kind, params, split, False, fields)
    return {k: stored[f"{k}__pos"] - stored[f"{k}__neg"] for k in shapes}
