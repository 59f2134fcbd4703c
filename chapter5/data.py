"""MNIST for the chapter's experiments: find it (or download and verify it), split it like the book.

Introduced in ``02-vanishing-gradients``.

Where the files come from, in order:

1. a directory named by the environment variable ``CHAPTER5_MNIST_DIR`` (or the ``data_dir``
   argument), holding the four official IDX files ``*-ubyte.gz`` or the book's ``mnist.pkl.gz``;
2. the per-user cache ``$CHAPTER5_CACHE_DIR/mnist`` (default: the operating system's cache
   directory as :func:`pooch.os_cache` finds it, ``$XDG_CACHE_HOME/chapter5/mnist`` or
   ``~/.cache/chapter5/mnist`` on Linux);
3. a download of the IDX files into that cache with :func:`pooch.retrieve`, from well-known public
   mirrors (``$CHAPTER5_MNIST_MIRRORS`` replaces the list; the next mirror is tried when one
   fails, and a mirror that failed once is tried last for the remaining files), shown with a
   progress bar.

A download is checked before it gets its real name. pooch streams it into a temporary file in the
cache and only moves it into place once the downloader returns; our downloader decompresses the
temporary file and compares the sha256 of the *decompressed* content with the known value first,
so a corrupt, truncated or substituted file never enters the cache, and pooch deletes the
temporary file on any failure. (pooch's own ``known_hash`` would hash the compressed bytes, which
legitimately differ between mirrors that re-compressed the files, so it is left unset.)

Every download of one file from one mirror has a deadline, from connecting to the last byte:
``deadline`` seconds (argument of :func:`load_mnist`, else ``$CHAPTER5_MNIST_DEADLINE``, else
:data:`DEFAULT_DEADLINE`). When it passes, the connection is shut down, even in the middle of a
read, and the next mirror is tried; a mirror that sends nothing at all is given up after
``timeout`` seconds of silence (:data:`DEFAULT_TIMEOUT`). So a server that trickles bytes cannot
keep a download going for ever.

Every load checks the sha256 of the decompressed content again (it costs a few hundredths of a
second), so a damaged file is reported by name instead of silently giving wrong pixels. The book's
pickle is only ever unpickled when it is byte for byte the known file (:data:`PICKLE_SHA256`):
unpickling can run code, so there is no way to skip or replace that check.

The split is the book's (Nielsen, *Neural Networks and Deep Learning*, ch. 1 and 5): training =
the first 50,000 of the official 60,000 training images, validation = the last 10,000, test = the
official 10,000. Pixels are ``value / 256`` stored as **float32** (exact: value/256 is a dyadic
fraction), shape ``(n, 784)``, one image per row; labels are int64, shape ``(n,)``. Storing float64
would need 60000 x 784 x 8 bytes = 376 MB for the training images alone; float32 keeps the peak
memory of loading everything at about 250 MB. The network converts each mini-batch to float64.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import logging
import os
import pickle
import re
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pooch  # type: ignore[import-untyped]

from chapter5._validate import finite_float, positive_int

MNIST_DIR_ENV = "CHAPTER5_MNIST_DIR"
CACHE_DIR_ENV = "CHAPTER5_CACHE_DIR"
MIRRORS_ENV = "CHAPTER5_MNIST_MIRRORS"
DEADLINE_ENV = "CHAPTER5_MNIST_DEADLINE"

#: sha256 of the DECOMPRESSED content of each official IDX file.
IDX_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte.gz":
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz":
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
IDX_FILES: tuple[str, ...] = tuple(IDX_SHA256)

#: The book's pickle (gzip of ((train_x, train_y), (valid_x, valid_y), (test_x, test_y))).
PICKLE_FILE = "mnist.pkl.gz"
PICKLE_SHA256 = "271b06576d906c2dec9c10e4c1c474d0f49adc5b251d282339f06388e8d87ad2"

#: Public mirrors of the official IDX files, tried in this order (each URL + file name).
DEFAULT_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)

#: Seconds of silence after which a mirror is given up (connecting, or waiting for data).
DEFAULT_TIMEOUT = 30.0
#: Seconds one file may take from one mirror, connection to last byte (9.9 MB at 33 kB/s).
DEFAULT_DEADLINE = 300.0
#: Longest ``timeout`` or ``deadline`` accepted: one day.
MAX_SECONDS = 86_400.0
#: Most classes :func:`one_hot_labels` builds dense rows for.
MAX_CLASSES = 10_000

N_VALIDATION = 10_000
_CHUNK = 1 << 20
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class MNISTNotFoundError(FileNotFoundError):
    """MNIST is neither on disk nor downloadable; the message says where we looked, what to do.

    Introduced in ``02-vanishing-gradients``.
    """


class MNISTCorruptError(ValueError):
    """A file exists but is not the expected MNIST file (checksum, gzip or IDX header); names it.

    Introduced in ``02-vanishing-gradients``.
    """


class MNISTCacheError(OSError):
    """The directory a download should go to cannot be used (read-only, or a file in the way).

    The message names the directory, the reason and what to do.
    Introduced in ``02-vanishing-gradients``.
    """


@dataclass(frozen=True)
class Split:
    """One part of MNIST.

    Attributes
    ----------
    x : numpy.ndarray, shape (n, 784), float32
        Pixels ``value / 256`` in [0, 255/256], one image per row (row-major 28 x 28).
    y : numpy.ndarray, shape (n,), int64
        Digit labels 0..9.
    y_one_hot : numpy.ndarray or None, shape (n, 10), float64
        One-hot labels when requested with ``load_mnist(one_hot=True)``, else None.
    Introduced in ``02-vanishing-gradients``.
    """

    x: np.ndarray
    y: np.ndarray
    y_one_hot: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.x, np.ndarray) or self.x.ndim != 2 or not (
                np.issubdtype(self.x.dtype, np.floating)):
            raise TypeError(f"x must be a 2-D float array (one image per row); got "
                            f"{_describe(self.x)}")
        if not isinstance(self.y, np.ndarray) or self.y.ndim != 1 or not (
                np.issubdtype(self.y.dtype, np.integer)):
            raise TypeError(f"y must be a 1-D int array of labels; got {_describe(self.y)}")
        if self.y.shape[0] != self.x.shape[0]:
            raise ValueError(f"x has {self.x.shape[0]} images but y has {self.y.shape[0]} labels")
        if self.y_one_hot is not None and (
                not isinstance(self.y_one_hot, np.ndarray) or self.y_one_hot.ndim != 2
                or self.y_one_hot.shape[0] != self.y.shape[0]):
            raise ValueError(f"y_one_hot must be None or an array of shape ({self.y.shape[0]}, "
                             f"n_classes); got {_describe(self.y_one_hot)}")

    def __len__(self) -> int:
        return int(self.y.shape[0])


@dataclass(frozen=True)
class MNIST:
    """The book's split of MNIST: ``train`` (50,000), ``validation`` (10,000), ``test`` (10,000).

    ``source`` is the file or directory the data was read from.
    Introduced in ``02-vanishing-gradients``.
    """

    train: Split
    validation: Split
    test: Split
    source: str

    def __post_init__(self) -> None:
        for name in ("train", "validation", "test"):
            if not isinstance(getattr(self, name), Split):
                raise TypeError(f"{name} must be a Split; got {_describe(getattr(self, name))}")
        if not isinstance(self.source, str):
            raise TypeError(f"source must be a str; got {_describe(self.source)}")


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}, shape {value.shape}"
    return f"{type(value).__name__} {value!r:.80}"


def one_hot_labels(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """Return float64 one-hot rows, shape ``(n, n_classes)``, for int labels of shape ``(n,)``.

    ``n_classes`` is a whole number from 1 to :data:`MAX_CLASSES`.
    Introduced in ``02-vanishing-gradients``.
    """
    n_classes = positive_int("n_classes", n_classes)
    if n_classes > MAX_CLASSES:
        raise ValueError(f"n_classes must be at most {MAX_CLASSES} (one dense float64 row per "
                         f"label); got {n_classes}")
    try:
        labels = np.asarray(labels)
    except (TypeError, ValueError) as exc:  # ragged lists and the like
        raise TypeError(f"labels must be a 1-D array of ints; got {labels!r:.80}") from exc
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of ints; got dtype {labels.dtype}, "
                         f"shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


# --------------------------------------------------------------------------- arguments
def _flag(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def _directory(name: str, value: object) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path) or None; got "
                        f"{_describe(value)}")
    text = os.fspath(value)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a text path, not bytes; got {value!r}")
    if not text.strip():
        raise ValueError(f"{name} must name a directory; got an empty path")
    return Path(text).expanduser()


def _seconds(name: str, value: object) -> float:
    seconds = finite_float(name, value)
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"{name} must be a number of seconds above 0 and at most {MAX_SECONDS:g} "
                         f"(one day); got {seconds!r}")
    return seconds


def _mirror_list(value: object, name: str = "mirrors") -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of base URLs such as "
                        f"[{DEFAULT_MIRRORS[0]!r}]; got {_describe(value)}")
    if not value:
        raise ValueError(f"{name} must name at least one base URL")
    for i, url in enumerate(value):
        if not isinstance(url, str):
            raise TypeError(f"{name}[{i}] must be a URL string; got {_describe(url)}")
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{name}[{i}] must be an http:// or https:// URL; got {url!r}")
    return tuple(value)


def _idx_checksums(checksums: object) -> dict[str, str]:
    """The sha256 to check each IDX file against: the official ones, with ``checksums`` on top."""
    sums = dict(IDX_SHA256)
    if checksums is None:
        return sums
    if not isinstance(checksums, Mapping):
        raise TypeError(f"checksums must be a mapping from file name to sha256; got "
                        f"{_describe(checksums)}")
    for name, digest in checksums.items():
        if name == PICKLE_FILE:
            raise ValueError(f"checksums cannot name {PICKLE_FILE}: unpickling a file can run "
                             f"code, so the pickle is only loaded when it is the known file")
        if name not in IDX_SHA256:
            raise ValueError(f"checksums: unknown file {name!r}; known: {', '.join(IDX_FILES)}")
        if not isinstance(digest, str):
            raise TypeError(f"checksums[{name!r}] must be a sha256 written as 64 hex digits; "
                            f"got {_describe(digest)} (no file is ever loaded unchecked)")
        if not _SHA256_HEX.fullmatch(digest):
            raise ValueError(f"checksums[{name!r}] must be a sha256 written as 64 lower-case hex "
                             f"digits; got {digest!r}")
        sums[name] = digest
    return sums


def _file_list(files: object) -> list[str]:
    if isinstance(files, str) or not isinstance(files, Sequence):
        raise TypeError(f"files must be a list of file names such as [{IDX_FILES[0]!r}]; got "
                        f"{_describe(files)}")
    if not files:
        raise ValueError("files must name at least one file")
    for name in files:
        if name not in IDX_SHA256:
            raise ValueError(f"files: unknown file {name!r}; known: {', '.join(IDX_FILES)}")
    return list(files)


# --------------------------------------------------------------------------- where to look
def cache_root() -> Path:
    """The per-user cache root: ``$CHAPTER5_CACHE_DIR``, else the operating system's cache
    directory for ``chapter5`` (:func:`pooch.os_cache`: ``$XDG_CACHE_HOME/chapter5`` or
    ``~/.cache/chapter5`` on Linux). MNIST goes to ``<root>/mnist``, experiment results to
    ``<root>/experiments``. Introduced in ``02-vanishing-gradients``."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(pooch.os_cache("chapter5"))


def mnist_cache_dir() -> Path:
    """Directory where downloaded MNIST files are kept (see :func:`cache_root`).

    Introduced in ``02-vanishing-gradients``.
    """
    return cache_root() / "mnist"


def mirrors_from_env() -> tuple[str, ...]:
    """Mirror base URLs: ``$CHAPTER5_MNIST_MIRRORS`` (comma or space separated) or the defaults.

    Introduced in ``02-vanishing-gradients``.
    """
    env = os.environ.get(MIRRORS_ENV, "").replace(",", " ").split()
    return _mirror_list(env, f"${MIRRORS_ENV}") if env else DEFAULT_MIRRORS


def deadline_from_env() -> float:
    """Seconds one MNIST file may take from one mirror: ``$CHAPTER5_MNIST_DEADLINE`` or
    :data:`DEFAULT_DEADLINE`. Introduced in ``02-vanishing-gradients``."""
    env = os.environ.get(DEADLINE_ENV, "").strip()
    if not env:
        return DEFAULT_DEADLINE
    try:
        value = float(env)
    except ValueError:
        raise ValueError(f"${DEADLINE_ENV} must be a number of seconds; got {env!r}") from None
    return _seconds(f"${DEADLINE_ENV}", value)


def _has_idx(d: Path) -> bool:
    return all((d / name).is_file() for name in IDX_FILES)


def _has_pickle(d: Path) -> bool:
    return (d / PICKLE_FILE).is_file()


# --------------------------------------------------------------------------- verification
def _decompress(path: Path) -> bytes:
    """Decompress a .gz file fully, turning gzip damage into an error that names the file."""
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise MNISTCorruptError(
            f"{path} is not a complete gzip file ({type(exc).__name__}: {exc}). The download was "
            f"probably interrupted or the file is damaged: delete {path} and try again."
        ) from exc


def _check_sha256(path: Path | str, content_digest: str, expected: str) -> None:
    if content_digest != expected:
        raise MNISTCorruptError(
            f"{path}: sha256 of the decompressed content is {content_digest}, expected "
            f"{expected}. This is not the official MNIST file (or it is damaged): delete it "
            f"and let the loader download it again, or replace it with the official file."
        )


def _stream_sha256(path: Path) -> str:
    """sha256 of the decompressed content, read in chunks (for the large pickle)."""
    h = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                h.update(chunk)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise MNISTCorruptError(
            f"{path} is not a complete gzip file ({type(exc).__name__}: {exc}); delete or "
            f"replace it."
        ) from exc
    return h.hexdigest()


def _parse_idx(path: Path, raw: bytes, *, images: bool) -> np.ndarray:
    """Parse IDX bytes (big-endian header) into uint8 ``(n, rows*cols)`` or ``(n,)`` (no copy)."""
    magic = 2051 if images else 2049
    ndim = 3 if images else 1
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise MNISTCorruptError(f"{path}: too short to be an IDX file ({len(raw)} bytes)")
    got_magic = int.from_bytes(raw[:4], "big")
    if got_magic != magic:
        kind = "image" if images else "label"
        raise MNISTCorruptError(
            f"{path}: IDX magic number {got_magic}, expected {magic} for an {kind} file"
        )
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    count = int(np.prod(dims))
    if len(raw) != header + count:
        raise MNISTCorruptError(
            f"{path}: header says {dims} ({count} bytes of data) but the file holds "
            f"{len(raw) - header} bytes"
        )
    arr = np.frombuffer(raw, dtype=np.uint8, offset=header)
    return arr.reshape(dims[0], -1) if images else arr


def _read_idx_file(path: Path, expected_sha256: str, *, images: bool) -> np.ndarray:
    raw = _decompress(path)
    _check_sha256(path, hashlib.sha256(raw).hexdigest(), expected_sha256)
    return _parse_idx(path, raw, images=images)


def _scale(pixels_u8: np.ndarray) -> np.ndarray:
    """uint8 -> float32 value/256 in one pass (no float64 temporary)."""
    out = np.empty(pixels_u8.shape, dtype=np.float32)
    np.multiply(pixels_u8, np.float32(1.0 / 256.0), out=out)
    return out


# --------------------------------------------------------------------------- the cache directory
def _writable_directory(d: Path, *, is_cache: bool) -> None:
    """Create ``d`` if needed and make sure a file can be written there, or say what is wrong."""
    reason = ""
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=d)
        os.close(fd)
        os.unlink(probe)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (d, *d.parents) if p.exists() and not p.is_dir()), d)
        reason = f"{blocker} is a file, not a directory"
    except PermissionError:
        reason = "it is not writable (permission denied)"
    except OSError as exc:  # a read-only file system, a full disk, ...
        reason = f"it cannot be written ({exc.strerror or exc})"
    if not reason:
        return
    if is_cache:
        fix = (f"make it writable, or set {CACHE_DIR_ENV} to a writable directory (MNIST then "
               f"goes to ${CACHE_DIR_ENV}/mnist), or put the four files {', '.join(IDX_FILES)} "
               f"in a directory yourself and set {MNIST_DIR_ENV} to it")
    else:
        fix = "choose a writable directory"
    raise MNISTCacheError(f"cannot download MNIST into {d}: {reason}. What to do: {fix}.")


# --------------------------------------------------------------------------- downloading
class _Deadline:
    """Shut down every connection of one download once ``seconds`` have passed.

    Shutting a socket down wakes a read that is blocked on it, so neither a server that trickles
    bytes (in its headers, in a TLS record or in the body) nor one that stalls can hold the
    download past the deadline; connecting is bounded by giving each attempt the time left.
    """

    def __init__(self, seconds: float, timeout: float) -> None:
        self.seconds = seconds
        self.timeout = timeout
        self.expired = False
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def left(self) -> float:
        return self._end - time.monotonic()

    def connect(self, address: tuple[str, int], timeout: object = None,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """Stand-in for :func:`socket.create_connection` that respects the deadline.

        Each address gets the time left (at most ``self.timeout``) to connect; the connected
        socket then waits at most ``self.timeout`` per read (http.client's ``timeout`` argument
        is that same value).
        """
        host, port = address[0], address[1]
        last: OSError | None = None
        for family, kind, proto, _, addr in socket.getaddrinfo(host, port, 0,
                                                               socket.SOCK_STREAM):
            left = self.left()
            if left <= 0:
                break
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(min(self.timeout, left))
                if source_address:
                    sock.bind(source_address)
                sock.connect(addr)
            except OSError as exc:
                sock.close()
                last = exc
                continue
            sock.settimeout(self.timeout)
            with self._lock:
                # A second descriptor of the same connection: it survives ssl.wrap_socket, which
                # takes over the first, and shutting it down ends the connection for both.
                self._sockets.append(sock.dup())
                if self.expired:
                    _shut(self._sockets[-1])
            return sock
        if self.left() <= 0:
            raise TimeoutError(f"could not connect to {host} before the deadline")
        raise last if last is not None else OSError(f"no address found for {host}")


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the peer
        pass


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """A urllib opener (redirects and proxies as usual) whose connections obey ``deadline``."""

    class Connection(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = deadline.connect

    class SecureConnection(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = deadline.connect

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req)

    return urllib.request.build_opener(Handler, SecureHandler)


class _Fetch:
    """A pooch downloader: one file from one URL within a deadline, checked before pooch keeps it.

    pooch calls it with the URL and a temporary file; when it returns, pooch moves the temporary
    file to the file's real name, and when it raises, pooch deletes it.
    """

    def __init__(self, name: str, sha256: str, *, progress: bool, timeout: float,
                 deadline: float) -> None:
        self.name, self.sha256 = name, sha256
        self.progress, self.timeout, self.deadline = progress, timeout, deadline

    def __call__(self, url: str, output_file: str, pooch_: object) -> None:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]  # lazily: downloads only

        received, total = 0, None
        with _Deadline(self.deadline, self.timeout) as clock:
            try:
                with _opener(clock).open(url, timeout=self.timeout) as resp, \
                        open(output_file, "wb") as out:
                    total = resp.headers.get("Content-Length")
                    with tqdm(total=int(total) if total else None, unit="B", unit_scale=True,
                              desc=self.name, disable=not self.progress, leave=False) as bar:
                        while chunk := resp.read1(_CHUNK):
                            out.write(chunk)
                            received += len(chunk)
                            bar.update(len(chunk))
                            if clock.expired:
                                break
            except (OSError, http.client.HTTPException) as exc:
                if clock.expired:
                    raise TimeoutError(self._late(received, total)) from exc
                if isinstance(exc, TimeoutError) or isinstance(
                        getattr(exc, "reason", None), TimeoutError):
                    raise TimeoutError(f"no answer for {self.timeout:g} s ({received} bytes "
                                       f"received): the mirror stalled or is unreachable"
                                       ) from exc
                raise
            if clock.expired:
                raise TimeoutError(self._late(received, total))
        if total is not None and received != int(total):
            raise MNISTCorruptError(
                f"{self.name}: received {received} of {total} bytes (connection dropped)")
        try:
            digest = _stream_sha256(Path(output_file))
        except MNISTCorruptError as exc:
            raise MNISTCorruptError(f"the download is not a complete gzip file "
                                    f"({exc.__cause__})") from exc
        _check_sha256(self.name, digest, self.sha256)

    def _late(self, received: int, total: str | None) -> str:
        return (f"not finished within the deadline of {self.deadline:g} s ({received} of "
                f"{total or 'an unknown number of'} bytes received): the mirror is too slow. "
                f"Allow more time with {DEADLINE_ENV}=<seconds> or load_mnist(deadline=...)")


@contextmanager
def _quiet_pooch() -> Iterator[None]:
    """Hide pooch's INFO lines (where the file goes, its hash) during our downloads."""
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def download_mnist(
    dest: str | os.PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    checksums: Mapping[str, str] | None = None,
    files: Sequence[str] | None = None,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
) -> Path:
    """Download the IDX files into ``dest`` (default: the cache), verifying each before keeping it.

    Each file is fetched with :func:`pooch.retrieve`; see the module docstring for how the
    decompressed content is checked before the file gets its name.

    Parameters
    ----------
    dest : path, optional
        Target directory (created if needed). Default :func:`mnist_cache_dir`.
    mirrors : sequence of str, optional
        http(s) base URLs tried in order; default :func:`mirrors_from_env`. A mirror that failed
        for one file is tried last for the files after it.
    checksums : mapping, optional
        sha256 (64 hex digits) of the decompressed content per IDX file name, replacing the
        official value of :data:`IDX_SHA256` for the files it names (tests use their own for
        small fake files). A file is never kept or loaded without a check.
    files : sequence of str, optional
        Which IDX files; default all four. Files already in ``dest`` are kept as they are.
    progress : bool
        Show a tqdm progress bar (on stderr) per file.
    timeout : float
        Seconds of silence (no connection, no data) after which a mirror is given up.
    deadline : float, optional
        Seconds one file may take from one mirror, connection to last byte, before the next
        mirror is tried; default :func:`deadline_from_env` (``$CHAPTER5_MNIST_DEADLINE``, else
        :data:`DEFAULT_DEADLINE`).

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    MNISTNotFoundError
        If some file could not be fetched from any mirror; the message lists every attempt.
    MNISTCacheError
        If ``dest`` cannot be created or written (read-only, or a file in the way).

    Introduced in ``02-vanishing-gradients``.
    """
    given = _directory("dest", dest)
    dest_dir = given if given is not None else mnist_cache_dir()
    mirror_list = _mirror_list(mirrors) if mirrors is not None else mirrors_from_env()
    sums = _idx_checksums(checksums)
    show = _flag("progress", progress)
    wait = _seconds("timeout", timeout)
    limit = _seconds("deadline", deadline) if deadline is not None else deadline_from_env()
    names = _file_list(files) if files is not None else list(IDX_FILES)
    wanted = [name for name in names if not (dest_dir / name).is_file()]
    if not wanted:
        return dest_dir
    _writable_directory(dest_dir, is_cache=given is None or dest_dir == mnist_cache_dir())
    failed: set[str] = set()
    for name in wanted:
        errors: list[str] = []
        order = sorted(mirror_list, key=lambda base: base in failed)  # stable: failed ones last
        for base in order:
            url = base.rstrip("/") + "/" + name
            fetch = _Fetch(name, sums[name], progress=show, timeout=wait, deadline=limit)
            try:
                with _quiet_pooch():
                    pooch.retrieve(url, known_hash=None, fname=name, path=dest_dir,
                                   downloader=fetch)
                break
            except (OSError, http.client.HTTPException, ValueError) as exc:
                errors.append(f"  {url}: {exc}")
                failed.add(base)
        else:
            raise MNISTNotFoundError(_missing_message(name, errors, dest_dir))
    return dest_dir


def _missing_message(name: str, errors: list[str], cache: Path) -> str:
    env_val = os.environ.get(MNIST_DIR_ENV)
    env_txt = f"{env_val} (from {MNIST_DIR_ENV})" if env_val else f"{MNIST_DIR_ENV} is not set"
    return (
        f"MNIST is not available and {name} could not be downloaded.\n"
        f"Looked in: {env_txt}; the cache {cache}.\n"
        f"Download attempts:\n" + "\n".join(errors) + "\n"
        f"What to do: download the four files {', '.join(IDX_FILES)} (or the book's "
        f"{PICKLE_FILE}) from one of the mirrors above into a directory and set "
        f"{MNIST_DIR_ENV} to that directory (or put them in {cache})."
    )


# --------------------------------------------------------------------------- loading
def locate_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    mirrors: Sequence[str] | None = None,
    checksums: Mapping[str, str] | None = None,
    progress: bool = True,
    deadline: float | None = None,
) -> Path:
    """Return a directory that holds MNIST (IDX files or ``mnist.pkl.gz``), downloading if needed.

    Looks at ``data_dir`` (or ``$CHAPTER5_MNIST_DIR``), then :func:`mnist_cache_dir`; if neither
    holds the files and ``download`` is true, downloads into the cache (see
    :func:`download_mnist` for ``mirrors``, ``checksums``, ``progress`` and ``deadline``).

    Raises
    ------
    MNISTNotFoundError
        If the named directory does not exist or lacks the files (named: we never fall back
        silently from a directory the user chose), or nothing is found and downloading fails.
    MNISTCacheError
        If the cache must be filled but cannot be written.

    Introduced in ``02-vanishing-gradients``.
    """
    d = _directory("data_dir", data_dir)
    want_download = _flag("download", download)
    # Check everything the download would need now, not only once a download turns out needed.
    if mirrors is not None:
        _mirror_list(mirrors)
    _idx_checksums(checksums)
    _flag("progress", progress)
    if deadline is not None:
        _seconds("deadline", deadline)
    if d is None and os.environ.get(MNIST_DIR_ENV):
        d = Path(os.environ[MNIST_DIR_ENV]).expanduser()
        origin = f"{MNIST_DIR_ENV}={os.environ[MNIST_DIR_ENV]}"
    else:
        origin = f"data_dir={data_dir}"
    if d is not None:
        if not d.is_dir():
            what = "is a file, not a directory" if d.exists() else "does not exist"
            raise MNISTNotFoundError(
                f"{origin}: the directory {d} {what}. Point {MNIST_DIR_ENV} at a directory "
                f"holding {', '.join(IDX_FILES)} (or {PICKLE_FILE}), or unset it to use the cache "
                f"{mnist_cache_dir()} and download there."
            )
        if _has_idx(d) or _has_pickle(d):
            return d
        missing = [f for f in IDX_FILES if not (d / f).is_file()]
        raise MNISTNotFoundError(
            f"{origin}: {d} lacks {', '.join(missing)} (and has no {PICKLE_FILE}). Put the "
            f"official MNIST files there, or unset {MNIST_DIR_ENV} to download into the cache."
        )
    cache = mnist_cache_dir()
    if _has_idx(cache):
        return cache
    if not want_download:
        raise MNISTNotFoundError(_missing_message("MNIST", ["  (download=False)"], cache))
    return download_mnist(cache, mirrors=mirrors, checksums=checksums, progress=progress,
                          deadline=deadline)


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    one_hot: bool = False,
    download: bool = True,
    mirrors: Sequence[str] | None = None,
    checksums: Mapping[str, str] | None = None,
    progress: bool = True,
    deadline: float | None = None,
) -> MNIST:
    """Load MNIST with the book's split (see the module docstring for where files come from).

    Parameters
    ----------
    data_dir : path, optional
        Directory with the IDX ``.gz`` files or ``mnist.pkl.gz``; default ``$CHAPTER5_MNIST_DIR``,
        then the cache, then a download.
    one_hot : bool
        Also fill ``Split.y_one_hot`` (float64, shape (n, 10)).
    download, mirrors, progress
        Passed to the downloader when the files are not on disk.
    checksums : mapping, optional
        sha256 of decompressed content per IDX file name (default the official values; tests
        inject their own for fake files). IDX files are preferred when both formats are present.
        The pickle is only loaded when it is the known file: it cannot be named here.
    deadline : float, optional
        Seconds one file may take to download from one mirror before the next one is tried;
        default ``$CHAPTER5_MNIST_DEADLINE``, else :data:`DEFAULT_DEADLINE` (300 s).

    Returns
    -------
    MNIST
        ``train.x`` (50000, 784) float32, ``train.y`` (50000,) int64; ``validation`` and ``test``
        (10000 each). ``train`` and ``validation`` are views of one array.

    Introduced in ``02-vanishing-gradients``.
    """
    with_one_hot = _flag("one_hot", one_hot)
    d = locate_mnist(data_dir, download=download, mirrors=mirrors, checksums=checksums,
                     progress=progress, deadline=deadline)
    if _has_idx(d):
        data = _load_idx(d, _idx_checksums(checksums))
    else:
        data = _load_pickle(d / PICKLE_FILE, PICKLE_SHA256)
    if with_one_hot:
        train, validation, test = (Split(s.x, s.y, one_hot_labels(s.y)) for s in
                                   (data.train, data.validation, data.test))
        data = MNIST(train, validation, test, source=data.source)
    return data


def _load_idx(d: Path, sums: Mapping[str, str]) -> MNIST:
    def images(name: str) -> np.ndarray:
        return _scale(_read_idx_file(d / name, sums[name], images=True))

    def labels(name: str) -> np.ndarray:
        return _read_idx_file(d / name, sums[name], images=False).astype(np.int64)

    train_x, train_y = images(IDX_FILES[0]), labels(IDX_FILES[1])
    test_x, test_y = images(IDX_FILES[2]), labels(IDX_FILES[3])
    for xs, ys, what in ((train_x, train_y, "training"), (test_x, test_y, "test")):
        if xs.shape[0] != ys.shape[0]:
            raise MNISTCorruptError(f"{d}: {what} images ({xs.shape[0]}) and labels "
                                    f"({ys.shape[0]}) differ in number")
    if train_x.shape[0] <= N_VALIDATION:
        raise MNISTCorruptError(f"{d / IDX_FILES[0]}: only {train_x.shape[0]} training images; "
                                f"the book's split needs more than {N_VALIDATION}")
    cut = train_x.shape[0] - N_VALIDATION
    return MNIST(
        train=Split(train_x[:cut], train_y[:cut]),
        validation=Split(train_x[cut:], train_y[cut:]),
        test=Split(test_x, test_y),
        source=str(d),
    )


def _load_pickle(path: Path, sha256: str) -> MNIST:
    # Verify BEFORE unpickling: only the exact known file is ever unpickled.
    _check_sha256(path, _stream_sha256(path), sha256)
    with gzip.open(path, "rb") as f:
        parts = pickle.load(f, encoding="latin1")
    train, validation, test = (Split(np.asarray(x, dtype=np.float32),
                                     np.asarray(y, dtype=np.int64)) for x, y in parts)
    return MNIST(train, validation, test, source=str(path))
