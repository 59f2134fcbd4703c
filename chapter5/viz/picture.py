"""A picture widget that never shows a blank frame when its PNG changes.

``ipywidgets.Image`` points its ``<img>`` at the new PNG as soon as the bytes arrive, and for one
or more animation frames the browser has nothing decoded to paint: on a slider drag the picture
blinks (9 of 30 key presses in ``benchmarks/bench_lab_latency.py``). :class:`Picture` decodes the
new PNG off-screen first (``HTMLImageElement.decode``) and only then swaps it in, so every frame
shows either the old picture or the new one. The browser side is a few lines of JavaScript run by
anywidget; the Python side is used like ``ipywidgets.Image``: set ``.value`` to PNG bytes.

Introduced in ``03-chain-of-neurons``.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "c5-figure";
  img.style.display = "block";
  el.appendChild(img);
  let shown = null;   // the object URL on screen
  let ticket = 0;     // only the newest picture may be swapped in
  function size() {
    img.width = model.get("width");
    img.height = model.get("height");
    img.alt = model.get("alt");
  }
  async function show() {
    const mine = ++ticket;
    const bytes = model.get("value");
    if (!bytes || bytes.byteLength === 0) return;
    const url = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
    const next = new Image();
    next.src = url;
    try { await next.decode(); } catch (e) { /* shown as it loads, like a plain <img> */ }
    if (mine !== ticket) { URL.revokeObjectURL(url); return; }
    img.src = url;  // decoded already: the browser paints it in the same frame
    if (shown) URL.revokeObjectURL(shown);
    shown = url;
  }
  size();
  show();
  model.on("change:value", show);
  model.on("change:width change:height change:alt", size);
  return () => { if (shown) URL.revokeObjectURL(shown); };
}
export default { render };
"""


class Picture(anywidget.AnyWidget):
    """PNG bytes shown at a fixed pixel size, swapped in only once decoded (no blank frames).

    Attributes
    ----------
    value : bytes
        The PNG to show.
    width, height : int
        Displayed size in CSS pixels (fixed, so the layout never jumps).
    alt : str
        Alternative text of the ``<img>`` (which carries the class ``c5-figure``).

    Introduced in ``03-chain-of-neurons``.
    """

    _esm = _ESM
    value = traitlets.Bytes(b"").tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.add_class("c5-figure")  # the box; the <img> inside carries the class too
