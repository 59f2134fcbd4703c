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

A download is checked before it gets its real name: the sha256 of its *decompressed* content must
be the known value, so a corrupt, truncated or substituted file never enters the cache (details in
:mod:`chapter5._download`). Every download of one file from one mirror has a deadline, from
connecting to the last byte: ``deadline`` seconds (argument of :func:`load_mnist`, else
``$CHAPTER5_MNIST_DEADLINE``, else :data:`DEFAULT_DEADLINE`); when it passes, the next mirror is
tried. A mirror that sends nothing at all is given up after ``timeout`` seconds of silence
(:data:`DEFAULT_TIMEOUT`). So a server that trickles bytes cannot keep a download going for ever.

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

The work is shared with three private modules, one idea each: :mod:`chapter5._mnist_files` (the
files, their checksums, reading one safely), :mod:`chapter5._mnist_options` (checking arguments
and environment variables) and :mod:`chapter5._download` (mirrors and deadlines).
"""

from __future__ import annotations

import gzip
import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from chapter5._download import fetch_missing, missing_message
from chapter5._mnist_files import (
    IDX_FILES,
    IDX_SHA256,
    PICKLE_FILE,
    PICKLE_SHA256,
    MNISTCacheError,
    MNISTCorruptError,
    MNISTDirectoryError,
    MNISTNotFoundError,
    check_sha256,
    content_sha256,
    has_idx,
    read_idx,
)
from chapter5._mnist_options import (
    CACHE_DIR_ENV,
    DEADLINE_ENV,
    DEFAULT_DEADLINE,
    DEFAULT_MIRRORS,
    DEFAULT_TIMEOUT,
    MAX_SECONDS,
    MIRRORS_ENV,
    MNIST_DIR_ENV,
    cache_root,
    deadline_from_env,
    describe,
    directory,
    download_options,
    expand,
    file_list,
    flag,
    idx_checksums,
    mirrors_from_env,
    mnist_cache_dir,
)
from chapter5._validate import positive_int

__all__ = [
    "CACHE_DIR_ENV", "DEADLINE_ENV", "DEFAULT_DEADLINE", "DEFAULT_MIRRORS", "DEFAULT_TIMEOUT",
    "IDX_FILES", "IDX_SHA256", "MAX_CLASSES", "MAX_SECONDS", "MIRRORS_ENV", "MNIST",
    "MNIST_DIR_ENV", "N_VALIDATION", "PICKLE_FILE", "PICKLE_SHA256", "MNISTCacheError",
    "MNISTCorruptError", "MNISTDirectoryError", "MNISTNotFoundError", "Split", "cache_root",
    "deadline_from_env", "download_mnist", "load_mnist", "locate_mnist", "mirrors_from_env",
    "mnist_cache_dir", "one_hot_labels",
]

#: Images at the end of the official training file that the book keeps for validation.
N_VALIDATION = 10_000
#: Most classes :func:`one_hot_labels` builds dense rows for.
MAX_CLASSES = 10_000


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
                            f"{describe(self.x)}")
        if not isinstance(self.y, np.ndarray) or self.y.ndim != 1 or not (
                np.issubdtype(self.y.dtype, np.integer)):
            raise TypeError(f"y must be a 1-D int array of labels; got {describe(self.y)}")
        if self.y.shape[0] != self.x.shape[0]:
            raise ValueError(f"x has {self.x.shape[0]} images but y has {self.y.shape[0]} labels")
        if self.y_one_hot is not None and (
                not isinstance(self.y_one_hot, np.ndarray) or self.y_one_hot.ndim != 2
                or self.y_one_hot.shape[0] != self.y.shape[0]):
            raise ValueError(f"y_one_hot must be None or an array of shape ({self.y.shape[0]}, "
                             f"n_classes); got {describe(self.y_one_hot)}")

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
                raise TypeError(f"{name} must be a Split; got {describe(getattr(self, name))}")
        if not isinstance(self.source, str):
            raise TypeError(f"source must be a str; got {describe(self.source)}")


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

    Each file is fetched with :func:`pooch.retrieve`; see :mod:`chapter5._download` for how the
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
    given = directory("dest", dest)
    dest_dir = given if given is not None else mnist_cache_dir()
    options = download_options(mirrors, checksums, progress, timeout, deadline)
    names = file_list(files) if files is not None else IDX_FILES
    return fetch_missing(dest_dir, names, options,
                         is_cache=given is None or dest_dir == mnist_cache_dir())


# --------------------------------------------------------------------------- loading
def locate_mnist(data_dir: str | os.PathLike[str] | None = None, *, download: bool = True,
                 mirrors: Sequence[str] | None = None, checksums: Mapping[str, str] | None = None,
                 progress: bool = True, deadline: float | None = None) -> Path:
    """Return a directory that holds MNIST (IDX files or ``mnist.pkl.gz``), downloading if needed.

    Looks at ``data_dir`` (or ``$CHAPTER5_MNIST_DIR``), then :func:`mnist_cache_dir`; if neither
    holds the files and ``download`` is true, downloads into the cache (see
    :func:`download_mnist` for ``mirrors``, ``checksums``, ``progress`` and ``deadline``).

    Raises
    ------
    MNISTDirectoryError
        (a MNISTNotFoundError and a ValueError) If the named directory does not exist or lacks
        the files (named: we never fall back silently from a directory the user chose).
    MNISTNotFoundError
        If nothing is found and downloading fails.
    MNISTCacheError
        If the cache must be filled but cannot be written.

    Introduced in ``02-vanishing-gradients``.
    """
    d = directory("data_dir", data_dir)
    want_download = flag("download", download)
    # Check everything a download would need now, not only once a download turns out needed.
    options = download_options(mirrors, checksums, progress, DEFAULT_TIMEOUT, deadline)
    if d is None and os.environ.get(MNIST_DIR_ENV):
        d = expand(f"${MNIST_DIR_ENV}", os.environ[MNIST_DIR_ENV])
        origin = f"{MNIST_DIR_ENV}={os.environ[MNIST_DIR_ENV]}"
    else:
        origin = f"data_dir={data_dir}"
    if d is not None:
        if not d.is_dir():
            what = "is a file, not a directory" if d.exists() else "does not exist"
            raise MNISTDirectoryError(
                f"{origin}: the directory {d} {what}. Point {MNIST_DIR_ENV} at a directory "
                f"holding {', '.join(IDX_FILES)} (or {PICKLE_FILE}), or unset it to use the cache "
                f"{mnist_cache_dir()} and download there."
            )
        if has_idx(d) or (d / PICKLE_FILE).is_file():
            return d
        missing = [f for f in IDX_FILES if not (d / f).is_file()]
        raise MNISTDirectoryError(
            f"{origin}: {d} lacks {', '.join(missing)} (and has no {PICKLE_FILE}). Put the "
            f"official MNIST files there, or unset {MNIST_DIR_ENV} to download into the cache."
        )
    cache = mnist_cache_dir()
    if has_idx(cache):
        return cache
    if not want_download:
        raise MNISTNotFoundError(missing_message("MNIST", ["  (download=False)"], cache))
    return fetch_missing(cache, IDX_FILES, options, is_cache=True)


def load_mnist(data_dir: str | os.PathLike[str] | None = None, *, one_hot: bool = False,
               download: bool = True, mirrors: Sequence[str] | None = None,
               checksums: Mapping[str, str] | None = None, progress: bool = True,
               deadline: float | None = None) -> MNIST:
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
    with_one_hot = flag("one_hot", one_hot)
    d = locate_mnist(data_dir, download=download, mirrors=mirrors, checksums=checksums,
                     progress=progress, deadline=deadline)
    if has_idx(d):
        data = _load_idx(d, idx_checksums(checksums))
    else:
        data = _load_pickle(d / PICKLE_FILE, PICKLE_SHA256)
    if not with_one_hot:
        return data
    train, validation, test = (replace(s, y_one_hot=one_hot_labels(s.y)) for s in
                               (data.train, data.validation, data.test))
    return MNIST(train, validation, test, source=data.source)


def _load_idx(d: Path, sums: Mapping[str, str]) -> MNIST:
    """The book's split of the four IDX files in ``d``, each checked against ``sums``."""
    def images(name: str) -> np.ndarray:
        return _scale(read_idx(d / name, sums[name], images=True))

    def labels(name: str) -> np.ndarray:
        return read_idx(d / name, sums[name], images=False).astype(np.int64)

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


def _scale(pixels_u8: np.ndarray) -> np.ndarray:
    """uint8 -> float32 value/256 in one pass (no float64 temporary)."""
    out = np.empty(pixels_u8.shape, dtype=np.float32)
    np.multiply(pixels_u8, np.float32(1.0 / 256.0), out=out)
    return out


def _load_pickle(path: Path, sha256: str) -> MNIST:
    # Verify BEFORE unpickling: only the exact known file is ever unpickled.
    check_sha256(path, content_sha256(path), sha256, own_files=False)
    with gzip.open(path, "rb") as f:
        parts = pickle.load(f, encoding="latin1")
    train, validation, test = (Split(np.asarray(x, dtype=np.float32),
                                     np.asarray(y, dtype=np.int64)) for x, y in parts)
    return MNIST(train, validation, test, source=str(path))
