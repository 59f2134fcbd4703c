"""The MNIST loader: the book's split, and a clear message for every way the files can be missing
or broken. Small fake IDX files are made here; the real files are checked when
``CHAPTER5_MNIST_DIR`` points at them (CI sets it)."""

from __future__ import annotations

import errno
import functools
import gzip
import hashlib
import http.server
import math
import os
import pickle
import select
import shutil
import socket
import socketserver
import ssl
import subprocess
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
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
def serve(directory: Path, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve ``directory`` over HTTP (HTTPS with ``tls``) on 127.0.0.1; yield the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http{'s' if tls else ''}://127.0.0.1:{server.server_address[1]}/"
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


class SlowMirror:
    """A mirror on 127.0.0.1 that never finishes: it stalls, or trickles its headers or its body.

    ``mode``: "stall" reads the request and sends nothing; "headers" sends a status line, then a
    header one byte every ``pace`` seconds; "body" sends complete headers announcing 10 kB, then
    one byte every ``pace`` seconds. Every connection ends when the client goes away, when the
    server is stopped or after ``cap`` seconds, whichever comes first, so the server stops by
    itself. ``connections`` counts the requests it saw.
    """

    def __init__(self, mode: str, *, pace: float = 0.05, cap: float = 20.0,
                 tls: ssl.SSLContext | None = None) -> None:
        self.mode, self.pace, self.cap, self.tls = mode, pace, cap, tls
        self.connections = 0
        self.stop = threading.Event()

    def handle(self, conn: socket.socket) -> None:
        self.connections += 1
        end = time.monotonic() + self.cap
        try:
            if self.tls is not None:
                with self.tls.wrap_socket(conn, server_side=True) as secure:
                    self.trickle(secure, end)
            else:
                self.trickle(conn, end)
        except OSError:  # the client shut the connection down: what a deadline does
            return

    def trickle(self, conn: socket.socket, end: float) -> None:
        conn.recv(65536)  # the request
        if self.mode == "headers":
            conn.sendall(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        elif self.mode == "body":
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 10000\r\n\r\n")
        while not self.stop.is_set() and time.monotonic() < end:
            if select.select([conn], [], [], self.pace)[0] and not conn.recv(1):
                return  # the client hung up
            if self.mode != "stall":
                conn.sendall(b"a")

    @contextmanager
    def serve(self) -> Iterator[str]:
        mirror = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                mirror.handle(self.request)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http{'s' if self.tls else ''}://127.0.0.1:{server.server_address[1]}/mnist/"
        finally:
            self.stop.set()
            server.shutdown()
            server.server_close()
            thread.join()


def timed(call: Callable[[], object]) -> tuple[BaseException, float]:
    """Run ``call``, which must raise; return the exception and the seconds it took."""
    start = time.monotonic()
    with pytest.raises(Exception) as err:
        call()
    return err.value, time.monotonic() - start


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
    missing.write_text("not a directory")
    with pytest.raises(D.MNISTNotFoundError, match="is a file, not a directory"):
        D.load_mnist()
    # a directory the caller named is a bad argument as much as a missing file
    with pytest.raises(ValueError, match=f"data_dir={tmp_path / 'elsewhere'}: the directory"):
        D.locate_mnist(tmp_path / "elsewhere")
    assert issubclass(D.MNISTDirectoryError, D.MNISTNotFoundError)


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
    with pytest.raises(ValueError, match=r"pass the sha256 of its decompressed content in "
                                         r"checksums="):
        D.load_mnist(tmp_path / "m")  # and the message says how to load files of one's own


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


# ------------------------------------------------------------------------------ deadlines
@pytest.mark.parametrize("mode, timeout, deadline, says", [
    ("body", 30.0, 0.5, "not finished within the deadline of 0.5 s"),
    ("headers", 30.0, 0.5, "not finished within the deadline of 0.5 s"),
    ("stall", 30.0, 0.5, "not finished within the deadline of 0.5 s"),
    ("stall", 0.5, 30.0, "no answer for 0.5 s"),
])
def test_a_slow_mirror_is_given_up_and_leaves_nothing_behind(
        clean_env: Path, mode: str, timeout: float, deadline: float, says: str) -> None:
    # Without a deadline a trickle (a byte every 0.05 s, under the 30 s read timeout) would run
    # until the server's own 20 s cap; with it the download stops after 0.5 s.
    slow = SlowMirror(mode)
    with slow.serve() as url:
        exc, seconds = timed(lambda: D.download_mnist(
            mirrors=[url], files=["t10k-labels-idx1-ubyte.gz"], progress=False,
            timeout=timeout, deadline=deadline))
    assert isinstance(exc, D.MNISTNotFoundError), exc
    assert says in str(exc) and url in str(exc)
    if "deadline" in says:
        assert D.DEADLINE_ENV in str(exc)  # how to allow more time
    assert seconds < 10, f"{mode}: gave up after {seconds:.1f} s"
    assert list((clean_env / "mnist").iterdir()) == []  # no temporary file left


def test_https_mirrors_download_and_obey_the_deadline(tmp_path: Path, clean_env: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The real mirrors are https: the deadline must cut a TLS connection too (the socket it
    # shuts down is a second descriptor of the one ssl took over).
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate for 127.0.0.1")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts it, and only it
    sums, arrays = fake_mnist(tmp_path / "served")
    slow = SlowMirror("stall", tls=tls)  # only shutting the socket down ends a blocked read
    with slow.serve() as trickle, serve(tmp_path / "served", tls) as good:
        assert trickle.startswith("https://") and good.startswith("https://")
        exc, seconds = timed(lambda: D.download_mnist(
            mirrors=[trickle], files=["t10k-labels-idx1-ubyte.gz"], progress=False,
            timeout=30, deadline=0.5))
        assert "deadline of 0.5 s" in str(exc) and seconds < 10
        D.download_mnist(mirrors=[good], checksums=sums, progress=False)
    assert sorted(p.name for p in (clean_env / "mnist").iterdir()) == sorted(D.IDX_FILES)
    mnist = D.load_mnist(checksums=sums, download=False)
    np.testing.assert_array_equal(mnist.test.y, arrays["t10k-labels-idx1-ubyte.gz"])


def test_a_stalled_first_mirror_is_tried_once_then_last(tmp_path: Path, clean_env: Path) -> None:
    sums, arrays = fake_mnist(tmp_path / "served")
    stalled = SlowMirror("stall")
    with stalled.serve() as bad, serve(tmp_path / "served") as good:
        D.download_mnist(mirrors=[bad, good], checksums=sums, progress=False, timeout=0.5)
    assert stalled.connections == 1  # four files, but the stalled mirror cost one timeout only
    mnist = D.load_mnist(checksums=sums, download=False)
    np.testing.assert_array_equal(mnist.test.y, arrays["t10k-labels-idx1-ubyte.gz"])


def test_the_deadline_is_set_by_load_mnist_or_the_environment(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert D.deadline_from_env() == D.DEFAULT_DEADLINE
    slow = SlowMirror("body")
    with slow.serve() as url:
        monkeypatch.setenv(D.DEADLINE_ENV, "0.4")
        assert D.deadline_from_env() == 0.4
        exc, _ = timed(lambda: D.load_mnist(mirrors=[url], progress=False))
        assert "deadline of 0.4 s" in str(exc)
        exc, _ = timed(lambda: D.load_mnist(mirrors=[url], progress=False, deadline=0.3))
        assert "deadline of 0.3 s" in str(exc)  # the argument wins over the environment
    for bad in ("soon", "0", "-5", "nan", "inf", "1e308"):
        monkeypatch.setenv(D.DEADLINE_ENV, bad)
        with pytest.raises(ValueError, match=D.DEADLINE_ENV):
            D.deadline_from_env()


# ------------------------------------------------------------------------------ the cache directory
def test_a_file_where_the_cache_should_be_is_named(tmp_path: Path, clean_env: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    in_the_way = tmp_path / "not-a-dir"
    in_the_way.write_text("mine")
    for cache in (in_the_way, in_the_way / "deeper"):
        monkeypatch.setenv(D.CACHE_DIR_ENV, str(cache))
        with pytest.raises(D.MNISTCacheError) as err:
            D.load_mnist(mirrors=[unreachable_url()], progress=False)
        msg = str(err.value)
        assert f"{in_the_way} is a file, not a directory" in msg
        assert D.CACHE_DIR_ENV in msg and D.MNIST_DIR_ENV in msg  # what to do instead
    assert in_the_way.read_text() == "mine"  # nothing of the user's is touched


def test_a_read_only_cache_says_so(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(clean_env / "mnist"))

    # What a user without write permission sees (tests may run as root, who may write anywhere)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(D.MNISTCacheError, match="not writable") as err:
        D.load_mnist(mirrors=[unreachable_url()], progress=False)
    assert str(clean_env / "mnist") in str(err.value) and D.CACHE_DIR_ENV in str(err.value)
    monkeypatch.undo()
    if os.geteuid() != 0:  # and for real, where permissions apply
        (clean_env / "mnist").chmod(0o500)
        try:
            with pytest.raises(D.MNISTCacheError, match="not writable"):
                D.download_mnist(clean_env / "mnist", mirrors=[unreachable_url()])
        finally:
            (clean_env / "mnist").chmod(0o700)


def test_a_read_only_cache_that_holds_mnist_still_loads(clean_env: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sums, _ = fake_mnist(clean_env / "mnist")
    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: pytest.fail("wrote to the cache"))
    assert D.load_mnist(checksums=sums).source == str(clean_env / "mnist")


# ------------------------------------------------------------------------------ no unchecked file
class _Trap:
    """Unpickling this writes a file: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def test_an_unverified_pickle_is_never_unpickled(tmp_path: Path, clean_env: Path) -> None:
    marker = tmp_path / "the-pickle-ran"
    blob = pickle.dumps(_Trap(marker))
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / D.PICKLE_FILE).write_bytes(gzip.compress(blob))
    with pytest.raises(D.MNISTCorruptError, match="sha256") as err:
        D.load_mnist(tmp_path / "m")
    assert "checksums" not in str(err.value)  # no checksum of one's own can name the pickle
    # nor with a checksum of one's own: the pickle is only loaded when it is the known file
    with pytest.raises(ValueError, match="checksums cannot name mnist.pkl.gz"):
        D.load_mnist(tmp_path / "m", checksums={D.PICKLE_FILE: hashlib.sha256(blob).hexdigest()})
    assert not marker.exists()


def test_a_check_cannot_be_switched_off(tmp_path: Path, clean_env: Path) -> None:
    sums, _ = fake_mnist(tmp_path / "m")
    for bad, error in ((None, TypeError), ("", ValueError), ("F" * 64, ValueError)):
        with pytest.raises(error, match=r"checksums\['train-images-idx3-ubyte.gz'\]"):
            D.load_mnist(tmp_path / "m", checksums=dict(sums, **{D.IDX_FILES[0]: bad}))
    # a partial mapping keeps the official value for the other files, which a fake file fails
    with pytest.raises(D.MNISTCorruptError, match="train-labels-idx1-ubyte.gz"):
        D.load_mnist(tmp_path / "m", checksums={D.IDX_FILES[0]: sums[D.IDX_FILES[0]]})


# ------------------------------------------------------------------------------ bad arguments
BAD_CALLS: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("one_hot as a string", lambda: D.load_mnist(one_hot="yes"), TypeError, "one_hot"),  # type: ignore[arg-type]
    ("download as a number", lambda: D.load_mnist(download=1), TypeError, "download"),  # type: ignore[arg-type]
    ("progress None", lambda: D.load_mnist(progress=None), TypeError, "progress"),  # type: ignore[arg-type]
    ("data_dir a float", lambda: D.load_mnist(math.nan), TypeError, "data_dir"),  # type: ignore[arg-type]
    ("data_dir empty", lambda: D.load_mnist(""), ValueError, "data_dir"),
    ("one mirror as a string", lambda: D.load_mnist(mirrors="http://x/"), TypeError, "mirrors"),
    ("no mirror", lambda: D.load_mnist(mirrors=[]), ValueError, "mirrors"),
    ("a mirror not http", lambda: D.load_mnist(mirrors=["ftp://x/"]), ValueError, "mirrors"),
    ("a mirror None", lambda: D.load_mnist(mirrors=[None]), TypeError, "mirrors"),  # type: ignore[list-item]
    ("checksums a list", lambda: D.load_mnist(checksums=["x"]), TypeError, "checksums"),  # type: ignore[arg-type]
    ("checksums unknown file", lambda: D.load_mnist(checksums={"x.gz": "0" * 64}), ValueError,
     "checksums"),
    ("deadline zero", lambda: D.load_mnist(deadline=0), ValueError, "deadline"),
    ("deadline negative", lambda: D.load_mnist(deadline=-1), ValueError, "deadline"),
    ("deadline NaN", lambda: D.load_mnist(deadline=math.nan), ValueError, "deadline"),
    ("deadline inf", lambda: D.load_mnist(deadline=math.inf), ValueError, "deadline"),
    ("deadline 1e308", lambda: D.load_mnist(deadline=1e308), ValueError, "deadline"),
    ("deadline bool", lambda: D.load_mnist(deadline=True), TypeError, "deadline"),
    ("deadline a string", lambda: D.load_mnist(deadline="5"), TypeError, "deadline"),  # type: ignore[arg-type]
    ("timeout zero", lambda: D.download_mnist(timeout=0), ValueError, "timeout"),
    ("timeout None", lambda: D.download_mnist(timeout=None), TypeError, "timeout"),  # type: ignore[arg-type]
    ("dest a number", lambda: D.download_mnist(7), TypeError, "dest"),  # type: ignore[arg-type]
    ("files empty", lambda: D.download_mnist(files=[]), ValueError, "files"),
    ("files one string", lambda: D.download_mnist(files=D.IDX_FILES[0]), TypeError, "files"),
    ("files unknown", lambda: D.download_mnist(files=["x.gz"]), ValueError, "files"),
    ("n_classes zero", lambda: D.one_hot_labels(np.array([0]), 0), ValueError, "n_classes"),
    ("n_classes bool", lambda: D.one_hot_labels(np.array([0]), True), TypeError, "n_classes"),
    ("n_classes float", lambda: D.one_hot_labels(np.array([0]), 2.5), TypeError, "n_classes"),  # type: ignore[arg-type]
    ("n_classes huge", lambda: D.one_hot_labels(np.array([0]), 10**12), ValueError,
     "n_classes"),
    ("labels None", lambda: D.one_hot_labels(None), ValueError, "labels"),  # type: ignore[arg-type]
    ("labels NaN", lambda: D.one_hot_labels(np.array([math.nan])), ValueError, "labels"),
    ("labels 2-D", lambda: D.one_hot_labels(np.zeros((2, 2), int)), ValueError, "labels"),
    ("Split of None", lambda: D.Split(None, None), TypeError, "x"),  # type: ignore[arg-type]
    ("Split lengths differ", lambda: D.Split(np.zeros((2, 4), np.float32), np.zeros(3, int)),
     ValueError, "y"),
    ("MNIST of None", lambda: D.MNIST(None, None, None, "s"), TypeError, "train"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("what, call, error, name", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_arguments_are_refused_by_name(clean_env: Path, what: str, call: Callable[[], object],
                                           error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=name):
        call()
    assert not (clean_env / "mnist").exists()  # refused before anything was tried


@pytest.mark.parametrize("variable", [D.MNIST_DIR_ENV, D.CACHE_DIR_ENV])
def test_a_directory_variable_with_an_unknown_user_is_named(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "~no-such-user-of-chapter5/mnist")
    with pytest.raises(ValueError, match=f"\\${variable}: cannot expand the ~"):
        D.load_mnist(progress=False, download=False)
    with pytest.raises(ValueError, match="data_dir: cannot expand the ~"):
        D.load_mnist("~no-such-user-of-chapter5/mnist")


def test_a_bad_mirror_list_in_the_environment_is_named(clean_env: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(D.MIRRORS_ENV, "ossci-datasets.s3.amazonaws.com/mnist/")
    with pytest.raises(ValueError, match=D.MIRRORS_ENV):
        D.load_mnist(progress=False)


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


def test_a_mirror_of_the_real_files_passes_the_official_checksums(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The shared train-images file was re-compressed: its .gz bytes are not the published ones,
    # its content is. Checking the decompressed content accepts it; a hash of the .gz would not.
    d = _real_dir()
    monkeypatch.delenv(D.MNIST_DIR_ENV)
    monkeypatch.setenv(D.CACHE_DIR_ENV, str(tmp_path / "cache"))
    with serve(d) as base:
        D.download_mnist(mirrors=[base], progress=False)
    cache = tmp_path / "cache" / "mnist"
    assert sorted(p.name for p in cache.iterdir()) == sorted(D.IDX_FILES)
    mnist = D.load_mnist(download=False)
    assert mnist.source == str(cache) and mnist.train.x.shape == (50_000, 784)


def test_real_idx_files_and_the_books_pickle_agree() -> None:
    d = _real_dir()
    if not (d / D.PICKLE_FILE).is_file():
        pytest.skip(f"{D.PICKLE_FILE} not in {d}")
    idx = D.load_mnist(d)
    pkl = D._load_pickle(d / D.PICKLE_FILE, D.PICKLE_SHA256)
    for a, b in ((idx.train, pkl.train), (idx.validation, pkl.validation), (idx.test, pkl.test)):
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)
