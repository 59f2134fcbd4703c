"""Downloading the MNIST IDX files for :mod:`chapter5.data`: mirrors, a deadline per file, and a
check of each download before it gets its real name.

Each file is fetched with :func:`pooch.retrieve` and our own downloader (:class:`_Fetch`). pooch
streams the download into a temporary file in the target directory and moves it into place only
once the downloader returns; the downloader decompresses the temporary file and compares the
sha256 of the *decompressed* content with the known value first, so a corrupt, truncated or
substituted file never enters the cache, and pooch deletes the temporary file on any failure.
(pooch's own ``known_hash`` would hash the compressed bytes, which legitimately differ between
mirrors that re-compressed the files, so it is left unset.)

Every download of one file from one mirror has a deadline, from connecting to the last byte
(:class:`_Deadline`). When it passes, the connection is shut down, even in the middle of a read,
and the next mirror is tried; a mirror that sends nothing at all is given up after ``timeout``
seconds of silence. So a server that trickles bytes cannot keep a download going for ever.
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pooch  # type: ignore[import-untyped]

from chapter5._mnist_files import (
    CHUNK,
    IDX_FILES,
    PICKLE_FILE,
    MNISTCacheError,
    MNISTCorruptError,
    MNISTNotFoundError,
    check_sha256,
    content_sha256,
)
from chapter5._mnist_options import CACHE_DIR_ENV, DEADLINE_ENV, MNIST_DIR_ENV, DownloadOptions


def fetch_missing(dest: Path, names: Sequence[str], options: DownloadOptions, *,
                  is_cache: bool) -> Path:
    """Fetch those of ``names`` that ``dest`` lacks, each from the first mirror that delivers it
    verified; a mirror that failed once is tried last for the files after it. Return ``dest``.

    Raises :class:`MNISTCacheError` if ``dest`` cannot be written (``is_cache``: the advice is
    about the cache), :class:`MNISTNotFoundError` listing every attempt if a file cannot be had.
    """
    mirrors = options.resolved_mirrors()
    deadline = options.resolved_deadline()
    wanted = [name for name in names if not (dest / name).is_file()]
    if not wanted:
        return dest
    writable_directory(dest, is_cache=is_cache)
    failed: set[str] = set()
    for name in wanted:
        fetch = _Fetch(name, options.sha256[name], progress=options.progress,
                       timeout=options.timeout, deadline=deadline)
        errors: list[str] = []
        for base in sorted(mirrors, key=lambda base: base in failed):  # stable: failed ones last
            url = base.rstrip("/") + "/" + name
            try:
                with _quiet_pooch():
                    pooch.retrieve(url, known_hash=None, fname=name, path=dest, downloader=fetch)
                break
            except (OSError, http.client.HTTPException, ValueError) as exc:
                errors.append(f"  {url}: {exc}")
                failed.add(base)
        else:
            raise MNISTNotFoundError(missing_message(name, errors, dest))
    return dest


def missing_message(name: str, errors: list[str], cache: Path) -> str:
    """What :class:`MNISTNotFoundError` says: where we looked, what we tried, what to do."""
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


def writable_directory(d: Path, *, is_cache: bool) -> None:
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
        from tqdm.auto import tqdm  # lazily: downloads only

        received, total = 0, None
        with _Deadline(self.deadline, self.timeout) as clock:
            try:
                with _opener(clock).open(url, timeout=self.timeout) as resp, \
                        open(output_file, "wb") as out:
                    total = resp.headers.get("Content-Length")
                    with tqdm(total=int(total) if total else None, unit="B", unit_scale=True,
                              desc=self.name, disable=not self.progress, leave=False) as bar:
                        while not clock.expired and (chunk := resp.read1(CHUNK)):
                            out.write(chunk)
                            received += len(chunk)
                            bar.update(len(chunk))
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
            digest = content_sha256(Path(output_file))
        except MNISTCorruptError as exc:
            raise MNISTCorruptError(f"the download is not a complete gzip file "
                                    f"({exc.__cause__})") from exc
        check_sha256(self.name, digest, self.sha256)

    def _late(self, received: int, total: str | None) -> str:
        return (f"not finished within the deadline of {self.deadline:g} s ({received} of "
                f"{total or 'an unknown number of'} bytes received): the mirror is too slow. "
                f"Allow more time with {DEADLINE_ENV}=<seconds> or load_mnist(deadline=...)")


class _Deadline:
    """Shut down every connection of one download once ``seconds`` have passed.

    Shutting a socket down wakes a read that is blocked on it, so neither a server that trickles
    bytes (in its headers, in a TLS record or in the body) nor one that stalls can hold the
    download past the deadline; connecting is bounded by giving each attempt the time left.
    """

    def __init__(self, seconds: float, timeout: float) -> None:
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

    class SecureConnection(Connection, http.client.HTTPSConnection):
        """HTTPS with the same connect: ``super()`` in Connection reaches HTTPSConnection."""

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req)

    return urllib.request.build_opener(Handler, SecureHandler)
