"""The website lab's generated files (scripts/lab_site.py), without a browser.

* ``lab_presets.js`` in the built site is exactly what scripts/lab_site.py generates from
  chapter5.lab.PRESETS, chapter5.viz.lab and chapter5.viz.style.layer_colour (one source of truth);
* ``lab_mnist.bin`` holds the loader's first 1000 training images and labels, byte for byte;
* without MNIST the build step fails with a message saying what to do; bad arguments are refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lab_site
import numpy as np
import pytest

from chapter5 import lab
from chapter5.viz import lab as lab_viz
from chapter5.viz.style import layer_colour


def exported(module: str, name: str) -> object:
    m = re.search(rf"^export const {name} = (.*);$", module, flags=re.MULTILINE)
    assert m, f"{name} is not exported"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def blob() -> bytes:
    try:
        return lab_site.mnist_subset()
    except lab_site.LabAssetError as exc:
        pytest.skip(f"MNIST is not on this machine: {exc}")


def test_presets_module_comes_from_chapter5(blob: bytes) -> None:
    text = lab_site.presets_module(lab_site.data_description(blob))
    presets = exported(text, "PRESETS")
    assert isinstance(presets, dict)
    assert list(presets) == list(lab.PRESETS)
    for name, config in presets.items():
        assert lab.LabConfig(**config) == lab.PRESETS[name]
    assert exported(text, "DEFAULT_PRESET") == lab_viz.DEFAULT_PRESET
    assert exported(text, "GUESS_FACTORS") == list(lab_viz.GUESS_FACTORS)
    assert exported(text, "TRAIN_EPOCHS") == lab_viz.TRAIN_EPOCHS
    assert exported(text, "UPDATE_RATIO_GUIDE") == lab_viz.UPDATE_RATIO_GUIDE
    assert exported(text, "LAYER_COLOURS") == [layer_colour(i) for i in range(1, 11)]
    data = exported(text, "DATA")
    assert data == {"file": "lab_mnist.bin", "n": lab.MAX_IMAGES, "bytes": lab.MAX_IMAGES * 785,
                    "pixelsOffset": 0, "labelsOffset": lab.MAX_IMAGES * 784,
                    "sha256": lab_site.data_description(blob)["sha256"]}


def test_built_site_holds_the_generated_files(site: Path, blob: bytes) -> None:
    folder = site / "_explorers"
    assert (folder / "lab_mnist.bin").read_bytes() == blob
    assert (folder / "lab_presets.js").read_text(encoding="utf-8") == lab_site.presets_module(
        lab_site.data_description(blob))


def test_images_are_the_loaders_bytes(blob: bytes) -> None:
    from chapter5.data import load_mnist

    mnist = load_mnist(download=False, progress=False)
    n = lab.MAX_IMAGES
    pixels = np.frombuffer(blob[:n * 784], dtype=np.uint8).reshape(n, 784)
    labels = np.frombuffer(blob[n * 784:], dtype=np.uint8)
    np.testing.assert_array_equal(pixels / 256, mnist.train.x[:n])
    np.testing.assert_array_equal(labels, mnist.train.y[:n])


def test_missing_mnist_fails_with_what_to_do(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAPTER5_MNIST_DIR", str(tmp_path))
    with pytest.raises(lab_site.LabAssetError, match="CHAPTER5_MNIST_DIR"):
        lab_site.write_lab_assets(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@pytest.mark.parametrize("n", [0, 1001, 2.5, True])
def test_bad_image_count(n: object) -> None:
    with pytest.raises(ValueError, match="n must be"):
        lab_site.mnist_subset(n)  # type: ignore[arg-type]


def test_bad_blob() -> None:
    with pytest.raises(ValueError, match="blob must hold"):
        lab_site.data_description(b"\x00" * 784)
