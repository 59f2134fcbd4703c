"""The website lab's two generated files (notebook 07's kernel-free lab), written at `make book`.

``scripts/build_book.py`` calls :func:`write_lab_assets` while it prepares the site's
``_explorers/`` folder:

* ``lab_presets.js`` -- an ES module of constants for ``chapter5/js/lab_explorer.js``: the lab's
  presets (from :data:`chapter5.lab.PRESETS`), the default preset, the guess factors and training
  length of the JupyterLab lab (:mod:`chapter5.viz.lab`), every hidden layer's colour (from
  :func:`chapter5.viz.style.layer_colour`) and a description of the image file below. One source
  of truth: nothing in it is typed twice; ``tests/book/test_lab_page_build.py`` checks the built
  file equals :func:`presets_module`.
* ``lab_mnist.bin`` -- the first :data:`chapter5.lab.MAX_IMAGES` MNIST training images as raw
  bytes: ``n * 784`` pixel values 0-255 (uint8, row-major 28 x 28 per image), then ``n`` labels
  (uint8, 0-9). Read with chapter5's loader (``$CHAPTER5_MNIST_DIR`` or the cache), never
  downloaded here and never committed. The loader's pixels are ``value / 256``, so ``256 * x``
  gives back the stored bytes exactly; anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

import numpy as np

from chapter5 import lab
from chapter5.viz import lab as lab_viz
from chapter5.viz.style import layer_colour

PRESETS_FILE = "lab_presets.js"
MNIST_FILE = "lab_mnist.bin"
PIXELS = 784


class LabAssetError(RuntimeError):
    """The lab's data cannot be written; the message says what to do."""


def mnist_subset(n: int = lab.MAX_IMAGES) -> bytes:
    """The first ``n`` MNIST training images and labels as the bytes of ``lab_mnist.bin``.

    Raises
    ------
    LabAssetError
        MNIST is not on this machine (no download is attempted), or its pixels are not the
        loader's documented ``value / 256``.
    """
    from chapter5.data import load_mnist

    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= lab.MAX_IMAGES:
        raise ValueError(f"n must be a whole number from 1 to {lab.MAX_IMAGES}; got {n!r}")
    try:
        mnist = load_mnist(os.environ.get("CHAPTER5_MNIST_DIR"), download=False, progress=False)
    except Exception as exc:  # the loader's own errors say which file is missing or damaged
        raise LabAssetError(
            "the website's deep-network lab ships the first "
            f"{lab.MAX_IMAGES} MNIST training images, and MNIST is not available: {exc}\n"
            "Set CHAPTER5_MNIST_DIR to a folder with the four IDX .gz files (or mnist.pkl.gz), "
            "or download them once with: python -c 'from chapter5.data import load_mnist; "
            "load_mnist()'"
        ) from exc
    x = np.asarray(mnist.train.x[:n], dtype=np.float64) * 256.0
    y = np.asarray(mnist.train.y[:n])
    if x.shape != (n, PIXELS) or y.shape != (n,):
        raise LabAssetError(f"MNIST training split has shapes {x.shape}, {y.shape}; expected "
                            f"at least {n} images of {PIXELS} pixels")
    pixels = np.rint(x)
    if not (np.array_equal(pixels, x) and pixels.min() >= 0 and pixels.max() <= 255):
        raise LabAssetError("MNIST pixels from chapter5.data are not value/256 with values "
                            "0-255; the lab's byte file would not reproduce them exactly")
    if y.min() < 0 or y.max() > 9:
        raise LabAssetError("MNIST labels from chapter5.data are not 0-9")
    return pixels.astype(np.uint8).tobytes() + y.astype(np.uint8).tobytes()


def data_description(blob: bytes) -> dict[str, object]:
    """What the page needs to know about ``lab_mnist.bin``: name, images, byte offsets, size."""
    n, rest = divmod(len(blob), PIXELS + 1)
    if rest or n < 1:
        raise ValueError(f"blob must hold n * {PIXELS + 1} bytes; got {len(blob)}")
    return {"file": MNIST_FILE, "n": n, "bytes": len(blob), "pixelsOffset": 0,
            "labelsOffset": n * PIXELS, "sha256": hashlib.sha256(blob).hexdigest()}


def presets_module(data: dict[str, object]) -> str:
    """The text of ``lab_presets.js`` for the image file described by ``data``."""

    def js(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)  # floats: shortest repr, read back exactly

    presets = {name: asdict(config) for name, config in lab.PRESETS.items()}
    colours = [layer_colour(i) for i in range(1, lab.DEPTH_RANGE[1] + 1)]
    lines = [
        "// GENERATED at `make book` by scripts/lab_site.py from chapter5/lab.py,",
        "// chapter5/viz/lab.py and chapter5/viz/style.py. Not committed; do not edit.",
        f"export const PRESETS = {js(presets)};",
        f"export const DEFAULT_PRESET = {js(lab_viz.DEFAULT_PRESET)};",
        f"export const GUESS_FACTORS = {js(list(lab_viz.GUESS_FACTORS))};",
        f"export const TRAIN_EPOCHS = {lab_viz.TRAIN_EPOCHS};",
        f"export const UPDATE_RATIO_GUIDE = {js(lab_viz.UPDATE_RATIO_GUIDE)};",
        f"export const SATURATION_FRACTION = {js(lab.SATURATION_FRACTION)};",
        f"export const LAYER_COLOURS = {js(colours)};",
        f"export const DATA = {js(data)};",
        "",
    ]
    return "\n".join(lines)


def write_lab_assets(folder: Path) -> dict[str, object]:
    """Write ``lab_mnist.bin`` and ``lab_presets.js`` into ``folder``; return the data's
    description (see :func:`data_description`)."""
    blob = mnist_subset()
    data = data_description(blob)
    (folder / MNIST_FILE).write_bytes(blob)
    (folder / PRESETS_FILE).write_text(presets_module(data), encoding="utf-8")
    return data
