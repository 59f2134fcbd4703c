"""MNIST for the chapter's experiments: find it (or download and verify it), split it like the book.

Introduced in ``02-vanishing-gradients``.

Where the files come from, in order:

1. a directory named by the environment variable ``CHAPTER5_MNIST_DIR`` (or the ``data_dir``
   argument), holding the four official IDX files ``*-ubyte.gz`` or the book's ``mnist.pkl.gz``;
2. the per-user cache ``$CHAPTER5_CACHE_DIR/mnist`` (default ``$XDG_CACHE_HOME/chapter5/mnist``,
   else ``~/.cache/chapter5/mnist``);
3. a download of the IDX files from well-known public mirrors into that cache (the next mirror is
   tried when one fails), shown with a progress bar. A download is written to a temporary file,
   its *decompressed* content is checked against the known sha256, and only then is it moved into
   the cache, so an interrupted or corrupt download is never mistaken for a valid file.

Every load checks the sha256 of the decompressed content again (it costs a few hundredths of a
second), so a damaged file is reported by name instead of silently giving wrong pixels.

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
import os
import pickle
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MNIST_DIR_ENV = "CHAPTER5_MNIST_DIR"
CACHE_DIR_ENV = "CHAPTER5_CACHE_DIR"
MIRRORS_ENV = "CHAPTER5_MNIST_MIRRORS"

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

N_VALIDATION = 10_000
_CHUNK = 1 << 20


class MNISTNotFoundError(FileNotFoundError):
    """MNIST is neither on disk nor downloadable; the message says where we looked, what to do.

    Introduced in ``02-vanishing-gradients``.
    """


class MNISTCorruptError(ValueError):
    """A file exists but is not the expected MNIST file (checksum, gzip or IDX header); names it.

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


def one_hot_labels(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """Return float64 one-hot rows, shape ``(n, n_classes)``, for int labels of shape ``(n,)``.

    Introduced in ``02-vanishing-gradients``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D array of ints; got dtype {labels.dtype}, "
                         f"shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    out = np.zeros((labels.shape[0], n_classes))
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out


# --------------------------------------------------------------------------- where to look
def cache_root() -> Path:
    """The per-user cache root: ``$CHAPTER5_CACHE_DIR``, else ``$XDG_CACHE_HOME/chapter5``,
    else ``~/.cache/chapter5``. MNIST goes to ``<root>/mnist``, experiment results to
    ``<root>/experiments``. Introduced in ``02-vanishing-gradients``."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "chapter5"


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
    return tuple(env) if env else DEFAULT_MIRRORS


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


def _read_idx_file(path: Path, expected_sha256: str | None, *, images: bool) -> np.ndarray:
    raw = _decompress(path)
    if expected_sha256 is not None:
        _check_sha256(path, hashlib.sha256(raw).hexdigest(), expected_sha256)
    return _parse_idx(path, raw, images=images)


def _scale(pixels_u8: np.ndarray) -> np.ndarray:
    """uint8 -> float32 value/256 in one pass (no float64 temporary)."""
    out = np.empty(pixels_u8.shape, dtype=np.float32)
    np.multiply(pixels_u8, np.float32(1.0 / 256.0), out=out)
    return out


# --------------------------------------------------------------------------- download
def download_mnist(
    dest: str | os.PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    checksums: Mapping[str, str] | None = None,
    files: Sequence[str] | None = None,
    progress: bool = True,
    timeout: float = 30.0,
) -> Path:
    """Download the IDX files into ``dest`` (default: the cache), verifying each before keeping it.

    Parameters
    ----------
    dest : path, optional
        Target directory (created if needed). Default :func:`mnist_cache_dir`.
    mirrors : sequence of str, optional
        Base URLs tried in order; default :func:`mirrors_from_env`.
    checksums : mapping, optional
        sha256 of the decompressed content per file name; default :data:`IDX_SHA256`
        (tests pass their own for small fake files).
    files : sequence of str, optional
        Which files; default all four, skipping those already present in ``dest``.
    progress : bool
        Show a tqdm progress bar (on stderr) per file.
    timeout : float
        Seconds to wait for a mirror to answer.

    Returns
    -------
    pathlib.Path
        ``dest``.

    Raises
    ------
    MNISTNotFoundError
        If some file could not be fetched from any mirror; the message lists every attempt.

    Introduced in ``02-vanishing-gradients``.
    """
    dest_dir = Path(dest) if dest is not None else mnist_cache_dir()
    mirror_list = tuple(mirrors) if mirrors is not None else mirrors_from_env()
    sums = dict(IDX_SHA256 if checksums is None else checksums)
    wanted = list(files) if files is not None else [f for f in IDX_FILES
                                                    if not (dest_dir / f).is_file()]
    if not mirror_list:
        raise ValueError("mirrors must name at least one base URL")
    dest_dir.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        if name not in sums:
            raise ValueError(f"files: no checksum known for {name!r}; known: {sorted(sums)}")
        errors: list[str] = []
        for base in mirror_list:
            url = base.rstrip("/") + "/" + name
            try:
                _fetch_verified(url, dest_dir, name, sums[name], progress, timeout)
                break
            except (urllib.error.URLError, OSError, MNISTCorruptError, ValueError) as exc:
                errors.append(f"  {url}: {exc}")
        else:
            raise MNISTNotFoundError(_missing_message(name, errors, dest_dir))
    return dest_dir


def _fetch_verified(url: str, dest_dir: Path, name: str, sha256: str, progress: bool,
                    timeout: float) -> None:
    from tqdm.auto import tqdm  # imported lazily: only downloads need it

    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=dest_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            total = resp.headers.get("Content-Length")
            with tqdm(total=int(total) if total else None, unit="B", unit_scale=True,
                      desc=name, disable=not progress, leave=False) as bar:
                while chunk := resp.read(_CHUNK):
                    out.write(chunk)
                    bar.update(len(chunk))
            if total is not None and out.tell() != int(total):
                raise MNISTCorruptError(
                    f"{name}: received {out.tell()} of {total} bytes (connection dropped)"
                )
        try:
            digest = _stream_sha256(tmp)
        except MNISTCorruptError as exc:
            raise MNISTCorruptError(f"{url}: the download is not a complete gzip file "
                                    f"({exc.__cause__})") from exc
        _check_sha256(url, digest, sha256)
        os.replace(tmp, dest_dir / name)  # atomic: only a verified file gets the real name
    finally:
        if tmp.exists():
            tmp.unlink()


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
) -> Path:
    """Return a directory that holds MNIST (IDX files or ``mnist.pkl.gz``), downloading if needed.

    Looks at ``data_dir`` (or ``$CHAPTER5_MNIST_DIR``), then :func:`mnist_cache_dir`; if neither
    holds the files and ``download`` is true, downloads into the cache.

    Raises
    ------
    MNISTNotFoundError
        If the named directory does not exist or lacks the files (named: we never fall back
        silently from a directory the user chose), or nothing is found and downloading fails.

    Introduced in ``02-vanishing-gradients``.
    """
    if data_dir is None and os.environ.get(MNIST_DIR_ENV):
        data_dir = os.environ[MNIST_DIR_ENV]
        origin = f"{MNIST_DIR_ENV}={data_dir}"
    else:
        origin = f"data_dir={data_dir}"
    if data_dir is not None:
        d = Path(data_dir).expanduser()
        if not d.is_dir():
            raise MNISTNotFoundError(
                f"{origin}: the directory {d} does not exist. Point {MNIST_DIR_ENV} at a directory "
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
    if not download:
        raise MNISTNotFoundError(_missing_message("MNIST", ["  (download=False)"], cache))
    return download_mnist(cache, mirrors=mirrors, checksums=checksums, progress=progress)


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    one_hot: bool = False,
    download: bool = True,
    mirrors: Sequence[str] | None = None,
    checksums: Mapping[str, str] | None = None,
    progress: bool = True,
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
        sha256 of decompressed content per file name (default the official values; tests inject
        their own for fake files). IDX files are preferred when both formats are present.

    Returns
    -------
    MNIST
        ``train.x`` (50000, 784) float32, ``train.y`` (50000,) int64; ``validation`` and ``test``
        (10000 each). ``train`` and ``validation`` are views of one array.

    Introduced in ``02-vanishing-gradients``.
    """
    d = locate_mnist(data_dir, download=download, mirrors=mirrors, checksums=checksums,
                     progress=progress)
    sums = dict(IDX_SHA256 if checksums is None else checksums)
    if _has_idx(d):
        data = _load_idx(d, sums)
    else:
        data = _load_pickle(d / PICKLE_FILE, sums.get(PICKLE_FILE, PICKLE_SHA256))
    if one_hot:
        train, validation, test = (Split(s.x, s.y, one_hot_labels(s.y)) for s in
                                   (data.train, data.validation, data.test))
        data = MNIST(train, validation, test, source=data.source)
    return data


def _load_idx(d: Path, sums: Mapping[str, str]) -> MNIST:
    def images(name: str) -> np.ndarray:
        return _scale(_read_idx_file(d / name, sums.get(name), images=True))

    def labels(name: str) -> np.ndarray:
        return _read_idx_file(d / name, sums.get(name), images=False).astype(np.int64)

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


def _load_pickle(path: Path, sha256: str | None) -> MNIST:
    # Verify BEFORE unpickling: only the exact known file is ever unpickled.
    if sha256 is not None:
        _check_sha256(path, _stream_sha256(path), sha256)
    with gzip.open(path, "rb") as f:
        parts = pickle.load(f, encoding="latin1")
    splits = [Split(np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.int64))
              for x, y in parts]
    train, validation, test = splits
    return MNIST(train, validation, test, source=str(path))
