"""A matplotlib figure on its own Agg canvas, and the fast PNG of its pixels.

Every picture of the package starts from :func:`new_figure` (no pyplot, no global state); a live
explorer's :class:`chapter5.viz.panels.Picture` encodes its pixels with :func:`rgba_png`.
Introduced in ``01-deep-circuits``.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chapter5._validate import finite_float, finite_pair, positive_int


def new_figure(figsize: tuple[float, float], dpi: float = 100) -> Figure:
    """A matplotlib Figure on its own Agg canvas (no pyplot, no global state).

    Introduced in ``01-deep-circuits``.
    """
    width, height = finite_pair("figsize", figsize)
    if not (0.5 <= width <= 100.0 and 0.5 <= height <= 100.0):
        raise ValueError(f"figsize must be (width, height) in inches, each in [0.5, 100]; "
                         f"got {figsize!r}")
    dpi = finite_float("dpi", dpi)
    if not 10.0 <= dpi <= 600.0:
        raise ValueError(f"dpi must lie in [10, 600]; got {dpi!r}")
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig

def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def rgba_png(rgba: Any, width: int, height: int) -> bytes:
    """An 8-bit RGBA PNG of the pixel buffer ``rgba`` (``height`` rows of ``width`` x 4 bytes,
    as Agg's ``buffer_rgba()``): rows fed to zlib (level 1) straight from the buffer, without
    the copy to RGB and the filter search PIL makes, which takes twice as long (the largest part
    of a slider step, ``benchmarks/bench_lab_latency.py``). Lossless: the same pixels.

    Introduced in ``03-chain-of-neurons``.
    """
    width = positive_int("width", width, maximum=100_000)
    height = positive_int("height", height, maximum=100_000)
    try:
        view = memoryview(rgba).cast("B")
    except TypeError as exc:
        raise TypeError(f"rgba must be a pixel buffer (bytes, or Agg's buffer_rgba()); got "
                        f"{type(rgba).__name__}") from exc
    stride = 4 * width
    if len(view) != stride * height:
        raise ValueError(f"rgba must hold {height} rows of {width} RGBA pixels; got "
                         f"{len(view)} bytes")
    deflate = zlib.compressobj(1)
    parts = []
    for row in range(height):
        parts.append(deflate.compress(b"\x00"))  # filter type 0: the row as it is
        parts.append(deflate.compress(view[row * stride:(row + 1) * stride]))
    parts.append(deflate.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


__all__ = ["new_figure", "rgba_png"]
