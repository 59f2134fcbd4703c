"""The MNIST loader: the book's split, and a clear message for every way the files can be missing
or broken. Small fake IDX files are made here; the real files are checked when
``CHAPTER5_MNIST_DIR`` points at them (CI sets it)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import os
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from chapter5 import data as D

N_TRAIN_FAKE = D.N_VALIDATION + 30  # 30 training images, then the 10,000 of validation
N_TEST_FAKE = 20
SIDE = 2  # fake images are 2 x 2 pixels: the loader reads the shape from the IDX header


def idx_bytes(arr: np.ndarray) -> bytes:
    """A minimal IDX writer: magic (0, 0, 8 = ubyte, ndim), big-endian dims, raw uint8 data."""
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    header = bytes([0, 0, 8, arr.ndim]) + b"".join(d.to_bytes(4, "big") for d in arr.shape)
    return header + arr.tobytes()


def fake_mnist(directory: Path, seed: int = 0) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    """Write four small IDX .gz files; return their checksums and the arrays written."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (N_TRAIN_FAKE, SIDE, SIDE)),
        "train-labels-idx1-ubyte.gz": rng.integers(0, 10, N_TRAIN_FAKE),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (N_TEST_FAKE, SIDE, SIDE)),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, N_TEST_FAKE),
    }
    directory.mkdir(parents=True, exist_ok=True)
    sums = {}
    for name, arr in arrays.items():
        raw = idx_bytes(arr)
        (directory / name).write_bytes(gzip.compress(raw))
        sums[name] = hashlib.sha256(raw).hexdigest()
    return sums, arrays


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No MNIST directory set, an empty private cache, no mirror override."""
    monkeypatch.delenv(D.MNIST_DIR_ENV, raising=False)
    monkeypatch.delenv(D.MIRRORS_ENV, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv(D.CACHE_DIR_ENV, str(cache))
    return cache


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1; yield the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def unreachable_url() -> str:
    """A URL on a local port nobody listens on: like being offline, but fast."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


# ------------------------------------------------------------------------------ the split
def test_the_book_split_pixels_over_256_and_int_labels(tmp_path: Path, clean_env: Path) -> None:
    sums, arrays = fake_mnist(tmp_path / "mnist")
    mnist = D.load_mnist(tmp_path / "mnist", checksums=sums, one_hot=True)
    images = arrays["train-images-idx3-ubyte.gz"].reshape(N_TRAIN_FAKE, SIDE * SIDE)
    labels = arrays["train-labels-idx1-ubyte.gz"]
    # training = all but the last 10,000 of the official training file, validation = those
    assert len(mnist.train) == 30 and len(mnist.validation) == D.N_VALIDATION
    np.testing.assert_array_equal(mnist.train.x, images[:30] / 256.0)
    np.testing.assert_array_equal(mnist.validation.x, images[30:] / 256.0)
    np.testing.assert_array_equal(mnist.train.y, labels[:30])
    np.testing.assert_array_equal(mnist.validation.y, labels[30:])
    np.testing.assert_array_equal(mnist.test.y, arrays["t10k-labels-idx1-ubyte.gz"])
    assert mnist.train.x.dtype == np.float32 and mnist.train.y.dtype == np.int64
    assert mnist.test.x.shape == (N_TEST_FAKE, SIDE * SIDE)
    # one-hot on request: a single 1 in the label's column
    assert mnist.train.y_one_hot is not None
    np.testing.assert_array_equal(mnist.train.y_one_hot.argmax(axis=1), mnist.train.y)
    np.testing.assert_array_equal(mnist.train.y_one_hot.sum(axis=1), 1.0)


def test_environment_variable_names_the_directory(tmp_path: Path, clean_env: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sums, _ = fake_mnist(tmp_path / "elsewhere")
    monkeypatch.setenv(D.MNIST_DIR_ENV, str(tmp_path / "elsewhere"))
    assert D.load_mnist(checksums=sums).source == str(tmp_path / "elsewhere")


def test_the_cache_is_used_when_no_directory_is_named(clean_env: Path) -> None:
    sums, _ = fake_mnist(clean_env / "mnist")
    assert D.mnist_cache_dir() == clean_env / "mnist"
    mnist = D.load_mnist(checksums=sums, download=False)
    assert mnist.source == str(clean_env / "mnist")


def test_cache_root_follows_xdg_when_not_overridden(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.delenv(D.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert D.mnist_cache_dir() == tmp_path / "chapter5" / "mnist"


def test_one_hot_labels_rejects_out_of_range_labels() -> None:
    with pytest.raises(ValueError, match="labels must lie in 0..9"):
        D.one_hot_labels(np.array([3, 10]))


# ------------------------------------------------------------------------------ failure modes
def test_missing_directory_names_the_variable_and_the_path(tmp_path: Path, clean_env: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    missing = tmp_path / "no-such-dir"
    monkeypatch.setenv(D.MNIST_DIR_ENV, str(missing))
    with pytest.raises(D.MNISTNotFoundError) as err:
        D.load_mnist()
    assert D.MNIST_DIR_ENV in str(err.value) and str(missing) in str(err.value)


def test_directory_without_the_files_lists_what_is_missing(tmp_path: Path, clean_env: Path
                                                           ) -> None:
    sums, _ = fake_mnist(tmp_path / "partial")
    (tmp_path / "partial" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(D.MNISTNotFoundError, match="lacks t10k-labels-idx1-ubyte.gz"):
        D.load_mnist(tmp_path / "partial", checksums=sums)


def test_wrong_checksum_names_the_file(tmp_path: Path, clean_env: Path) -> None:
    sums, _ = fake_mnist(tmp_path / "m")
    sums["t10k-images-idx3-ubyte.gz"] = "0" * 64
    with pytest.raises(D.MNISTCorruptError) as err:
        D.load_mnist(tmp_path / "m", checksums=sums)
    assert "t10k-images-idx3-ubyte.gz" in str(err.value) and "sha256" in str(err.value)


def test_official_checksums_reject_a_fake_file(tmp_path: Path, clean_env: Path) -> None:
    fake_mnist(tmp_path / "m")
    with pytest.raises(D.MNISTCorruptError, match="train-images-idx3-ubyte.gz"):
        D.load_mnist(tmp_path / "m")  # the real sha256 values: a fake file never passes


def test_truncated_gzip_names_the_file(tmp_path: Path, clean_env: Path) -> None:
    sums, _ = fake_mnist(tmp_path / "m")
    path = tmp_path / "m" / "train-labels-idx1-ubyte.gz"
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(D.MNISTCorruptError) as err:
        D.load_mnist(tmp_path / "m", checksums=sums)
    assert str(path) in str(err.value) and "gzip" in str(err.value)


def test_not_an_idx_file_is_refused_by_its_magic_number(tmp_path: Path, clean_env: Path) -> None:
    sums, _ = fake_mnist(tmp_path / "m")
    # a label file where an image file belongs: intact gzip, right checksum, wrong kind
    raw = idx_bytes(np.arange(50))
    (tmp_path / "m" / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(raw))
    sums["t10k-images-idx3-ubyte.gz"] = hashlib.sha256(raw).hexdigest()
    with pytest.raises(D.MNISTCorruptError, match="t10k-images-idx3-ubyte.gz: IDX magic"):
        D.load_mnist(tmp_path / "m", checksums=sums)


def test_offline_with_no_files_says_where_it_looked_and_what_to_do(clean_env: Path) -> None:
    url = unreachable_url()
    with pytest.raises(D.MNISTNotFoundError) as err:
        D.load_mnist(mirrors=[url], progress=False)
    msg = str(err.value)
    assert D.MNIST_DIR_ENV in msg  # which variable to set
    assert str(clean_env / "mnist") in msg  # where it looked
    assert url in msg  # what it tried
    assert all(name in msg for name in D.IDX_FILES)  # what to download
    assert not list((clean_env / "mnist").glob("*.gz"))


def test_no_download_when_told_not_to(clean_env: Path) -> None:
    with pytest.raises(D.MNISTNotFoundError, match="download=False"):
        D.load_mnist(download=False)


# ------------------------------------------------------------------------------ downloading
def test_download_tries_the_next_mirror_verifies_and_fills_the_cache(tmp_path: Path,
                                                                     clean_env: Path) -> None:
    sums, arrays = fake_mnist(tmp_path / "served" / "good")
    (tmp_path / "served" / "empty").mkdir()
    with serve(tmp_path / "served") as base:
        mirrors = [unreachable_url(), base + "empty/", base + "good/"]
        mnist = D.load_mnist(mirrors=mirrors, checksums=sums, progress=True)
    cache = clean_env / "mnist"
    assert sorted(p.name for p in cache.iterdir()) == sorted(D.IDX_FILES)  # no partial files
    assert mnist.source == str(cache)
    np.testing.assert_array_equal(mnist.test.y, arrays["t10k-labels-idx1-ubyte.gz"])
    # the second time nothing is downloaded: the cache alone suffices
    assert D.load_mnist(checksums=sums, download=False).source == str(cache)


def test_mirror_list_from_the_environment(tmp_path: Path, clean_env: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    sums, _ = fake_mnist(tmp_path / "served")
    with serve(tmp_path / "served") as base:
        monkeypatch.setenv(D.MIRRORS_ENV, f"{unreachable_url()}, {base}")
        assert D.mirrors_from_env()[1] == base
        D.load_mnist(checksums=sums, progress=False)
    assert (clean_env / "mnist" / "train-images-idx3-ubyte.gz").is_file()


def test_a_corrupt_download_never_enters_the_cache(tmp_path: Path, clean_env: Path) -> None:
    sums, _ = fake_mnist(tmp_path / "bad")
    sums_wrong = dict(sums, **{"train-labels-idx1-ubyte.gz": "f" * 64})
    truncated = tmp_path / "bad" / "t10k-images-idx3-ubyte.gz"
    truncated.write_bytes(truncated.read_bytes()[:-7])
    with serve(tmp_path / "bad") as base:
        with pytest.raises(D.MNISTNotFoundError) as err:
            D.download_mnist(mirrors=[base], checksums=sums_wrong, progress=False)
        assert "train-labels-idx1-ubyte.gz" in str(err.value) and "sha256" in str(err.value)
        with pytest.raises(D.MNISTNotFoundError, match="gzip"):
            D.download_mnist(mirrors=[base], checksums=sums,
                             files=["t10k-images-idx3-ubyte.gz"], progress=False)
    cache = clean_env / "mnist"
    # the good file fetched before the failure stays; the bad ones and all temporaries do not
    assert sorted(p.name for p in cache.iterdir()) == ["train-images-idx3-ubyte.gz"]


# ------------------------------------------------------------------------------ the real files
def _real_dir() -> Path:
    d = os.environ.get(D.MNIST_DIR_ENV)
    if not d or not all((Path(d) / f).is_file() for f in D.IDX_FILES):
        pytest.skip(f"real MNIST not available: set {D.MNIST_DIR_ENV} (CI points it at "
                    f"../shared/data)")
    return Path(d)


def test_real_mnist_has_the_book_split_within_400_mb() -> None:
    d = _real_dir()
    tracemalloc.start()
    try:
        mnist = D.load_mnist(d)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 400e6
    assert mnist.train.x.shape == (50_000, 784) and mnist.validation.x.shape == (10_000, 784)
    assert mnist.test.x.shape == (10_000, 784)
    np.testing.assert_array_equal(mnist.train.y[:5], [5, 0, 4, 1, 9])  # the famous first five
    assert mnist.train.x.max() == 255 / 256 and mnist.train.x.min() == 0.0
    assert np.bincount(mnist.test.y).sum() == 10_000


def test_real_idx_files_and_the_books_pickle_agree() -> None:
    d = _real_dir()
    if not (d / D.PICKLE_FILE).is_file():
        pytest.skip(f"{D.PICKLE_FILE} not in {d}")
    idx = D.load_mnist(d)
    pkl = D._load_pickle(d / D.PICKLE_FILE, D.PICKLE_SHA256)
    for a, b in ((idx.train, pkl.train), (idx.validation, pkl.validation), (idx.test, pkl.test)):
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)
