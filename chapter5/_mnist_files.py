"""The MNIST files: their names, their known checksums, the errors that name a file, and reading
one file only after its decompressed content has been checked (for :mod:`chapter5.data`).

The checksum is always the sha256 of the *decompressed* content: mirrors that re-compressed the
files serve other ``.gz`` bytes with the same content.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

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

CHUNK = 1 << 20  # bytes read at a time from a download or a large file


class MNISTNotFoundError(FileNotFoundError):
    """MNIST is neither on disk nor downloadable; the message says where we looked, what to do.

    Introduced in ``02-vanishing-gradients``.
    """


class MNISTDirectoryError(MNISTNotFoundError, ValueError):
    """The directory named by ``data_dir`` (or ``$CHAPTER5_MNIST_DIR``) does not exist, is a file,
    or lacks the files: a bad argument (a ValueError) as much as a missing file. Names the
    directory and says what to do.

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


def has_idx(d: Path) -> bool:
    """Whether ``d`` holds all four IDX files (not yet checked)."""
    return all((d / name).is_file() for name in IDX_FILES)


@contextmanager
def _gzip_errors(path: Path, advice: str) -> Iterator[None]:
    """Turn gzip damage met inside the block into an error that names ``path``."""
    try:
        yield
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise MNISTCorruptError(f"{path} is not a complete gzip file ({type(exc).__name__}: "
                                f"{exc}){advice}") from exc


def content_sha256(path: Path) -> str:
    """sha256 of the decompressed content of a .gz file, read in chunks (for the large pickle)."""
    h = hashlib.sha256()
    with _gzip_errors(path, "; delete or replace it."), gzip.open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def check_sha256(path: Path | str, content_digest: str, expected: str, *,
                 own_files: bool = True) -> None:
    """Raise :class:`MNISTCorruptError` naming ``path`` unless the two digests agree
    (``own_files``: say how to load a file of one's own, which the pickle never is)."""
    if content_digest != expected:
        own = (" For an IDX file of your own, pass the sha256 of its decompressed content in "
               "checksums={file name: sha256}." if own_files else "")
        raise MNISTCorruptError(
            f"{path}: sha256 of the decompressed content is {content_digest}, expected "
            f"{expected}. This is not the official MNIST file (or it is damaged): delete it "
            f"and let the loader download it again, or replace it with the official file.{own}"
        )


def read_idx(path: Path, expected_sha256: str, *, images: bool) -> np.ndarray:
    """The uint8 content of a checked IDX .gz file: ``(n, rows*cols)`` images or ``(n,)`` labels.

    Raises :class:`MNISTCorruptError` naming the file if the gzip is damaged, the checksum
    differs, or the IDX header does not describe the data.
    """
    with _gzip_errors(path, f". The download was probably interrupted or the file is damaged: "
                            f"delete {path} and try again."), gzip.open(path, "rb") as f:
        raw = f.read()
    check_sha256(path, hashlib.sha256(raw).hexdigest(), expected_sha256)
    return _parse_idx(path, raw, images=images)


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
