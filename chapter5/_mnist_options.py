"""What a caller of :mod:`chapter5.data` can set, and how it is checked: the arguments, the
environment variables and their defaults. Every check raises a TypeError or ValueError that names
the argument (or the variable) and says what is expected.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pooch  # type: ignore[import-untyped]

from chapter5._mnist_files import IDX_FILES, IDX_SHA256, PICKLE_FILE
from chapter5._validate import finite_float

MNIST_DIR_ENV = "CHAPTER5_MNIST_DIR"
CACHE_DIR_ENV = "CHAPTER5_CACHE_DIR"
MIRRORS_ENV = "CHAPTER5_MNIST_MIRRORS"
DEADLINE_ENV = "CHAPTER5_MNIST_DEADLINE"

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

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def describe(value: object) -> str:
    """A short description of a bad value for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}, shape {value.shape}"
    return f"{type(value).__name__} {value!r:.80}"


# --------------------------------------------------------------------------- arguments
def flag(name: str, value: object) -> bool:
    """``value`` as a bool; only True or False (or a numpy bool) is accepted."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {describe(value)}")
    return bool(value)


def directory(name: str, value: object) -> Path | None:
    """``value`` (a str or path-like naming a directory, ``~`` expanded) as a Path, or None."""
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path) or None; got "
                        f"{describe(value)}")
    text = os.fspath(value)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a text path, not bytes; got {value!r}")
    if not text.strip():
        raise ValueError(f"{name} must name a directory; got an empty path")
    return expand(name, text)


def expand(name: str, text: str) -> Path:
    """``text`` as a Path with ``~`` expanded, or a ValueError naming ``name`` when it cannot be
    (``~someone`` with no such user, or no home directory)."""
    try:
        return Path(text).expanduser()
    except RuntimeError as exc:
        raise ValueError(f"{name}: cannot expand the ~ in {text!r} ({exc}); give the full path "
                         f"of the directory") from exc


def seconds(name: str, value: object) -> float:
    """``value`` as a float number of seconds above 0 and at most :data:`MAX_SECONDS`."""
    s = finite_float(name, value)
    if not 0 < s <= MAX_SECONDS:
        raise ValueError(f"{name} must be a number of seconds above 0 and at most {MAX_SECONDS:g} "
                         f"(one day); got {s!r}")
    return s


def mirror_list(value: object, name: str = "mirrors") -> tuple[str, ...]:
    """``value`` (a non-empty sequence of http(s) base URLs) as a tuple."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of base URLs such as "
                        f"[{DEFAULT_MIRRORS[0]!r}]; got {describe(value)}")
    if not value:
        raise ValueError(f"{name} must name at least one base URL")
    for i, url in enumerate(value):
        if not isinstance(url, str):
            raise TypeError(f"{name}[{i}] must be a URL string; got {describe(url)}")
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{name}[{i}] must be an http:// or https:// URL; got {url!r}")
    return tuple(value)


def idx_checksums(checksums: object) -> dict[str, str]:
    """The sha256 to check each IDX file against: the official ones, with ``checksums`` on top."""
    sums = dict(IDX_SHA256)
    if checksums is None:
        return sums
    if not isinstance(checksums, Mapping):
        raise TypeError(f"checksums must be a mapping from file name to sha256; got "
                        f"{describe(checksums)}")
    for name, digest in checksums.items():
        if name == PICKLE_FILE:
            raise ValueError(f"checksums cannot name {PICKLE_FILE}: unpickling a file can run "
                             f"code, so the pickle is only loaded when it is the known file")
        if name not in IDX_SHA256:
            raise ValueError(f"checksums: unknown file {name!r}; known: {', '.join(IDX_FILES)}")
        if not isinstance(digest, str):
            raise TypeError(f"checksums[{name!r}] must be a sha256 written as 64 hex digits; "
                            f"got {describe(digest)} (no file is ever loaded unchecked)")
        if not _SHA256_HEX.fullmatch(digest):
            raise ValueError(f"checksums[{name!r}] must be a sha256 written as 64 lower-case hex "
                             f"digits; got {digest!r}")
        sums[name] = digest
    return sums


def file_list(files: object) -> tuple[str, ...]:
    """``files`` (a non-empty sequence of IDX file names from :data:`IDX_FILES`) as a tuple."""
    if isinstance(files, str) or not isinstance(files, Sequence):
        raise TypeError(f"files must be a list of file names such as [{IDX_FILES[0]!r}]; got "
                        f"{describe(files)}")
    if not files:
        raise ValueError("files must name at least one file")
    for name in files:
        if name not in IDX_SHA256:
            raise ValueError(f"files: unknown file {name!r}; known: {', '.join(IDX_FILES)}")
    return tuple(files)


@dataclass(frozen=True)
class DownloadOptions:
    """The checked download arguments. ``mirrors`` and ``deadline`` are None when they come from
    the environment: it is read only when a download happens (see :meth:`resolved_mirrors`)."""

    mirrors: tuple[str, ...] | None
    sha256: Mapping[str, str]
    progress: bool
    timeout: float
    deadline: float | None

    def resolved_mirrors(self) -> tuple[str, ...]:
        return self.mirrors if self.mirrors is not None else mirrors_from_env()

    def resolved_deadline(self) -> float:
        return self.deadline if self.deadline is not None else deadline_from_env()


def download_options(mirrors: object, checksums: object, progress: object, timeout: object,
                     deadline: object) -> DownloadOptions:
    """Check every download argument now, before anything is looked up or fetched."""
    return DownloadOptions(
        mirrors=mirror_list(mirrors) if mirrors is not None else None,
        sha256=idx_checksums(checksums),
        progress=flag("progress", progress),
        timeout=seconds("timeout", timeout),
        deadline=seconds("deadline", deadline) if deadline is not None else None,
    )


# --------------------------------------------------------------------------- the environment
def cache_root() -> Path:
    """The per-user cache root: ``$CHAPTER5_CACHE_DIR``, else the operating system's cache
    directory for ``chapter5`` (:func:`pooch.os_cache`: ``$XDG_CACHE_HOME/chapter5`` or
    ``~/.cache/chapter5`` on Linux). MNIST goes to ``<root>/mnist``, experiment results to
    ``<root>/experiments``. Introduced in ``02-vanishing-gradients``."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return expand(f"${CACHE_DIR_ENV}", override)
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
    return mirror_list(env, f"${MIRRORS_ENV}") if env else DEFAULT_MIRRORS


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
    return seconds(f"${DEADLINE_ENV}", value)
