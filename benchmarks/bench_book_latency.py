"""Input-to-paint latency of the website's kernel-free explorers in headless chromium.

Usage::

    .venv/bin/python benchmarks/bench_book_latency.py [--n 300] [--check]

Builds the book if it is stale, serves ``_build/html`` on 127.0.0.1 and, for the chain explorer
(notebook 03) and the prevalence band (notebook 05), moves a slider with real key presses and a
real mouse drag. For every input event it records, in the page's own clock:

* ``handler``: the explorer's own work for one input event (recompute eq. 122 or the band, rewrite
  the readouts and the SVG), timed around its ``input`` listener;
* ``input-to-paint``: from the input (the keydown / pointermove ``timeStamp``) until the frame
  containing that update has been rendered (a task queued from the next ``requestAnimationFrame``
  callback runs right after the browser's rendering step);
* ``dispatch-to-paint``: from the moment the page's listener starts on the event until that frame
  has been rendered. Chromium holds pointer moves back to the start of the next frame (so a drag
  is painted in the frame that dispatches it) but hands key presses over at once; the difference
  between the two columns is the browser's wait for a frame, not the explorer's work;
* ``next frame``: the share of inputs whose update went out with the first frame after the input.

Inputs are spaced by a random pause (seeded, ``--seed``) of up to one frame beyond the previous
paint. Without it every key press would land at the same point in the frame (right after the
previous one was seen), which biases input-to-paint towards a whole frame; a reader's key presses
and pointer moves are not in step with the screen.

Prints p50 and p95. ``--check`` exits non-zero if the p95 input-to-paint exceeds one frame
at 60 Hz (16.7 ms). ``--control`` adds two reference rows per explorer and input, measured the
same way in the same browser: ``alone`` (the explorer on a page of its own, without the book's
theme, sidebars and MathJax) and ``floor`` (a page with nothing but a bare slider whose input
handler writes its value into one ``<output>``: the least any page can do). The floor is what
this browser on this machine costs before any explorer does any work.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT / "tests", ROOT / "tests" / "book", ROOT / "scripts"):
    sys.path.insert(0, str(p))

import bookkit  # noqa: E402
import build_book  # noqa: E402
from browser_support import CHROMIUM_ARGS, free_port  # noqa: E402

FRAME_MS = 1000.0 / 60.0

PROBE = """([kind, cls]) => {
  const root = document.querySelector(`div.c5-web-explorer[data-explorer="${kind}"]`);
  const input = root.querySelector(`input.${cls}`);
  window.__lat = [];
  let start = null;
  let handlerStart = 0;
  for (const type of ["keydown", "pointerdown", "pointermove"]) {
    input.addEventListener(type, (e) => { start = e.timeStamp; }, true);
  }
  // Capture on the explorer's root runs before the slider's own listener ...
  root.addEventListener("input", () => { handlerStart = performance.now(); }, true);
  let dispatched = null;
  for (const type of ["keydown", "pointermove"]) {
    input.addEventListener(type, () => { dispatched = performance.now(); }, true);
  }
  const channel = new MessageChannel();
  let pending = [];
  channel.port1.onmessage = () => {
    const now = performance.now();
    for (const s of pending) {
      window.__lat.push({ ...s, paint: now - s.start, dispatchPaint: now - s.dispatch });
    }
    pending = [];
  };
  // ... and this one, registered after the explorer's, once the redraw is done.
  input.addEventListener("input", (e) => {
    const t = start ?? e.timeStamp;
    const now = performance.now();
    const s = { start: t, update: now - t, handler: now - handlerStart,
                dispatch: dispatched ?? handlerStart };
    pending.push(s);
    requestAnimationFrame((frame) => { s.frame = frame - t; channel.port2.postMessage(null); });
    start = null;
  });
  return true;
}"""


def samples(page: Any) -> list[dict[str, float]]:
    return page.evaluate("window.__lat.splice(0)")


def wait_for(page: Any, n: int) -> None:
    page.wait_for_function(f"window.__lat.length >= {n}", timeout=10_000)


def pause(rng: random.Random) -> None:
    """Wait a random part of a frame, so the next input lands at a random point in the frame."""
    time.sleep(rng.uniform(0.0, FRAME_MS / 1000.0))


def run_keyboard(page: Any, root: Any, cls: str, n: int,
                 rng: random.Random) -> list[dict[str, float]]:
    root.query_selector(f"input.{cls}").focus()
    out: list[dict[str, float]] = []
    for i in range(n):
        pause(rng)
        page.keyboard.press("ArrowRight" if (i // 50) % 2 == 0 else "ArrowLeft")
        wait_for(page, 1)
        out += samples(page)
    return out


def run_drag(page: Any, root: Any, cls: str, n: int,
             rng: random.Random) -> list[dict[str, float]]:
    """Hold the thumb and sweep it back and forth over the middle 60 % of the track."""
    slider = root.query_selector(f"input.{cls}")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    lo, hi, v = (float(slider.get_attribute(k)) for k in ("min", "max", "value"))
    track = box["width"] - 16
    x = box["x"] + 8 + (v - lo) / (hi - lo) * track
    left, right = box["x"] + 8 + 0.2 * track, box["x"] + 8 + 0.8 * track
    page.mouse.move(x, y)
    page.mouse.down()
    out: list[dict[str, float]] = []
    direction = 1.0
    for _ in range(n):
        if not left <= x + 3 * direction <= right:
            direction = -direction
        x += 3 * direction
        pause(rng)
        page.mouse.move(x, y)
        try:
            page.wait_for_function("window.__lat.length >= 1", timeout=1_000)
        except Exception:  # a move too small to change the value fires no input event
            continue
        out += samples(page)
    page.mouse.up()
    return out


def summary(rows: list[dict[str, float]]) -> dict[str, float]:
    handler = [r["handler"] for r in rows]
    paint = [r["paint"] for r in rows]
    dispatch = [r["dispatchPaint"] for r in rows]
    first = [r["frame"] <= FRAME_MS for r in rows]
    render = [r["paint"] - r["frame"] for r in rows]
    return {
        "n": len(rows),
        # p95 interpolates linearly between the two nearest samples (numpy's default)
        "handler_p50_ms": statistics.median(handler),
        "handler_p95_ms": float(np.quantile(handler, 0.95)),
        "paint_p50_ms": statistics.median(paint), "paint_p95_ms": float(np.quantile(paint, 0.95)),
        "dispatch_p50_ms": statistics.median(dispatch),
        "dispatch_p95_ms": float(np.quantile(dispatch, 0.95)),
        "render_p50_ms": statistics.median(render),
        "render_p95_ms": float(np.quantile(render, 0.95)),
        "first_frame_fraction": sum(first) / len(first),
    }


CONTROL_PAGES = {
    "alone-chain.html": '<div class="c5-web-explorer" data-explorer="chain"></div>\n'
                        '<script type="module" src="_explorers/chain_explorer.js"></script>',
    "alone-prevalence.html": '<div class="c5-web-explorer" data-explorer="prevalence"></div>\n'
                             '<script type="module" src="_explorers/prevalence_band.js"></script>',
    "floor.html": "".join(
        f'<div class="c5-web-explorer" data-explorer="{kind}" data-ready="true">'
        f'<input class="{cls}" type="range" min="-100" max="100" step="0.01" value="0" '
        f'style="width: 600px"><output>0</output></div>\n'
        for kind, cls in (("chain", "c5-slider-w2"), ("prevalence", "c5-slider-w")))
        + "<script>for (const i of document.querySelectorAll('input')) i.addEventListener("
          "'input', () => { i.nextElementSibling.textContent = i.value; });</script>",
}


def write_control_pages(folder: Path) -> None:
    """The reference pages of ``--control``, next to a copy of the built explorers."""
    shutil.copytree(bookkit.HTML / "_explorers", folder / "_explorers")
    for name, body in CONTROL_PAGES.items():
        (folder / name).write_text('<!doctype html><html lang="en"><head><meta charset="utf-8">'
                                   f"<title>{name}</title></head><body>\n{body}\n</body></html>\n")


def measure(browser: Any, url: str, kind: str, cls: str, method: str, n: int,
            seed: int) -> dict[str, float]:
    """Open ``url``, move the explorer's slider ``n`` times by ``method``; summarise."""
    run = {"keyboard": run_keyboard, "drag": run_drag}[method]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        root = page.wait_for_selector(
            f'div.c5-web-explorer[data-explorer="{kind}"][data-ready="true"]')
        root.scroll_into_view_if_needed()
        page.evaluate(PROBE, [kind, cls])
        rng = random.Random(seed)
        run(page, root, cls, 20, rng)  # warm-up
        samples(page)
        return summary(run(page, root, cls, n, rng))
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="inputs per explorer and method")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a p95 input-to-paint exceeds one 60 Hz frame")
    parser.add_argument("--seed", type=int, default=5, help="seed of the pauses between inputs")
    parser.add_argument("--control", action="store_true",
                        help="add reference rows: each explorer alone, and a bare slider")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)

    if build_book.is_stale():
        print("building the book first ...", flush=True)
        if build_book.main([]) != 0:
            return 1
    from browser_support import chromium_path
    from playwright.sync_api import sync_playwright

    explorers = (("chain", "c5-slider-w2"), ("prevalence", "c5-slider-w"))
    book_pages = {}
    for kind, _ in explorers:
        pages = [p for p in bookkit.toc_pages()
                 if f'data-explorer="{kind}"' in (bookkit.HTML / p).read_text("utf-8")]
        if not pages:
            print(f"no page embeds the {kind} explorer", file=sys.stderr)
            return 1
        book_pages[kind] = pages[0]

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        book_url = stack.enter_context(bookkit.serve(bookkit.HTML, free_port()))
        if args.control:
            write_control_pages(Path(tmp))
            control_url = stack.enter_context(bookkit.serve(Path(tmp), free_port()))
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                     args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for kind, cls in explorers:
            where = {"": book_url + book_pages[kind]}
            if args.control:
                where[" alone"] = control_url + f"alone-{kind}.html"
                where[" floor"] = control_url + "floor.html"
            for label, url in where.items():
                for method in ("keyboard", "drag"):
                    results[f"{kind}/{method}{label}"] = measure(browser, url, kind, cls, method,
                                                                 args.n, args.seed)

    print(f"{'explorer/input':26s} {'n':>4s} {'handler':>13s} {'input-to-paint':>15s} "
          f"{'dispatch-to-paint':>18s} {'render':>13s} {'next frame':>10s}")
    print("(p50 / p95 in milliseconds, headless chromium; render = from the frame's start to its"
          " paint; next frame = share of inputs painted in the first frame after them)")
    worst = 0.0
    for name, r in results.items():
        print(f"{name:26s} {r['n']:4d} {r['handler_p50_ms']:5.2f} / {r['handler_p95_ms']:5.2f} "
              f"{r['paint_p50_ms']:6.2f} / {r['paint_p95_ms']:5.2f} "
              f"{r['dispatch_p50_ms']:9.2f} / {r['dispatch_p95_ms']:5.2f} "
              f"{r['render_p50_ms']:5.2f} / {r['render_p95_ms']:5.2f} "
              f"{100 * r['first_frame_fraction']:8.1f} %")
        if not name.endswith(("alone", "floor")):
            worst = max(worst, r["paint_p95_ms"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.check and worst > FRAME_MS:
        print(f"p95 input-to-paint {worst:.1f} ms exceeds one frame ({FRAME_MS:.1f} ms)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
