"""Page weight and Lighthouse scores of the built website (a benchmark: it prints, it never fails).

Usage::

    .venv/bin/python scripts/build_book.py --if-stale
    .venv/bin/python benchmarks/bench_page_weight.py                 # pages 03 and 05
    .venv/bin/python benchmarks/bench_page_weight.py --pages all     # every page of _toc.yml
    .venv/bin/python benchmarks/bench_page_weight.py --no-gzip       # serve uncompressed
    .venv/bin/python benchmarks/bench_page_weight.py --runs 3 --pages intro.html  # medians

Serves ``_build/html`` on 127.0.0.1 (gzip for text, as GitHub Pages and other hosts do; turn it
off with ``--no-gzip``) and runs Lighthouse from npm (``benchmarks/lighthouse``, installed on
first use with ``npm ci``) against Debian's chromium (``CHROME_PATH``; never downloads a browser),
with its default mobile settings (simulated slow 4G and a 4x slower CPU). Per page it prints:

* weight: bytes transferred for everything the page loads (Lighthouse's total byte weight),
  and the same resources uncompressed;
* the performance and accessibility scores, Total Blocking Time and Largest Contentful Paint,
  and which accessibility audits fail (axe-core);
* with ``--runs N``, each figure is the median of N Lighthouse runs of the page (the runs
  differ with the machine's load), and the spread (min-max) of the performance score.

Targets (issue 15): at most 1.5 MB per page; performance >= 0.8 on pages 03 and 05;
accessibility 1.00. Scores depend on the machine's speed and load: quote them with the load.
Lighthouse's 4x CPU slowdown assumes a fast, idle host; on a slow or busy one it emulates a far
slower phone than intended. ``--cpu-slowdown auto`` calibrates as Chrome DevTools does: the
host's Lighthouse benchmark index divided by that of the low-tier phone Lighthouse emulates
(264, a Moto G Power), measured by a first run.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
LOW_TIER_PHONE_INDEX = 264  # Chrome DevTools' CPU calibration: benchmark index of a Moto G Power
DEFAULT_PAGES = ["notebooks/03-chain-of-neurons.html", "notebooks/05-how-common-is-vanishing.html"]
COMPRESSIBLE = (".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".ttf")


sys.path[:0] = [str(ROOT / "tests" / "book"), str(ROOT / "tests")]
import bookkit  # type: ignore[import-not-found]  # noqa: E402
from browser_support import free_port  # type: ignore[import-not-found]  # noqa: E402


class GzipHandler(bookkit.QuietHandler):
    """The book tests' static handler, plus gzip for text when the client accepts it."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def chromium() -> str:
    path = os.environ.get("CHROME_PATH") or os.environ.get("CHAPTER5_CHROMIUM") or shutil.which(
        "chromium")
    if not path:
        raise SystemExit("no chromium: apt-get install chromium (or set CHROME_PATH)")
    return path


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.is_file():
        return
    npm = shutil.which("npm")
    if not npm:
        raise SystemExit("npm is needed once to install Lighthouse: apt-get install npm")
    subprocess.run([npm, "ci", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund"],
                   check=True)


def lighthouse(url: str, cpu_slowdown: float | None = None) -> dict[str, Any]:
    node = shutil.which("node")
    if not node:
        raise SystemExit("node is needed to run Lighthouse: apt-get install nodejs")
    extra = ([] if cpu_slowdown is None
             else [f"--throttling.cpuSlowdownMultiplier={cpu_slowdown:.2f}"])
    proc = subprocess.run(
        [node, str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         "--only-categories=performance,accessibility", *extra,
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "CHROME_PATH": chromium()},
    )
    if proc.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def summary(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    failing = sorted(
        f"{a['id']} ({len(a.get('details', {}).get('items', []))})"
        for a in audits.values()
        if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
        and a["id"] in {ref["id"] for ref in report["categories"]["accessibility"]["auditRefs"]}
    )
    return {
        "transfer": sum(r.get("transferSize", 0) for r in requests),
        "resource": sum(r.get("resourceSize", 0) for r in requests),
        "requests": len(requests),
        "biggest": sorted(((r.get("transferSize", 0), r["url"].rsplit("/", 1)[-1].split("?")[0])
                           for r in requests), reverse=True)[:4],
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1e3,
        "metrics": {k: audits[k]["displayValue"] for k in (
            "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
            "cumulative-layout-shift", "speed-index")},
        "a11y_failing": failing,
        "benchmark_index": report["environment"]["benchmarkIndex"],
        "cpu_slowdown": report["configSettings"]["throttling"]["cpuSlowdownMultiplier"],
    }


TARGETS = {"transfer": "<= 1.50M", "performance": ">= 0.80", "accessibility": "= 1.00"}


def median_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The first run's details with each number replaced by the median over ``runs``."""
    s = dict(runs[0])
    for key in ("transfer", "resource", "requests", "performance", "accessibility", "tbt_ms",
                "lcp_s"):
        s[key] = statistics.median(r[key] for r in runs)
    s["perf_range"] = (min(r["performance"] for r in runs), max(r["performance"] for r in runs))
    s["a11y_failing"] = sorted({a for r in runs for a in r["a11y_failing"]})
    return s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=DEFAULT_PAGES,
                        help="site-relative pages, or 'all' (default: pages 03 and 05)")
    parser.add_argument("--no-gzip", action="store_true", help="serve without compression")
    parser.add_argument("--runs", type=int, default=1,
                        help="Lighthouse runs per page; figures are medians (default 1)")
    parser.add_argument("--site", type=Path, default=HTML,
                        help="the built site to serve (default _build/html)")
    parser.add_argument("--cpu-slowdown", default="4",
                        help="Lighthouse's CPU slowdown: a number (default 4, Lighthouse's own) "
                             "or 'auto' (host benchmark index / 264, as DevTools calibrates)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs takes a whole number >= 1")
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        raise SystemExit(f"no built site in {site}: run `make book` (or scripts/build_book.py) "
                         "first")
    pages = bookkit.toc_pages() if args.pages == ["all"] else args.pages
    ensure_lighthouse()
    load = os.getloadavg()
    print(f"Lighthouse (mobile, simulated throttling) against {chromium()}; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores; "
          f"gzip {'off' if args.no_gzip else 'on'}; {args.runs} run(s) per page, medians")
    print(f"{'page':45} {'transfer':>9} {'raw':>9} {'req':>4} {'perf':>5} {'a11y':>5} "
          f"{'TBT':>7} {'LCP':>6}")
    print(f"{'target':45} {TARGETS['transfer']:>9} {'':>9} {'':>4} {'>=0.8':>5} {'1.00':>5}")
    with bookkit.serve(site, free_port(), None if args.no_gzip else GzipHandler) as base:
        slowdown: float | None = None
        if args.cpu_slowdown == "auto":
            index = summary(lighthouse(base + pages[0]))["benchmark_index"]
            slowdown = max(1.0, index / LOW_TIER_PHONE_INDEX)
        elif args.cpu_slowdown != "4":
            try:
                slowdown = float(args.cpu_slowdown)
            except ValueError:
                parser.error("--cpu-slowdown takes a number or 'auto'")
        for page in pages:
            s = median_summary([summary(lighthouse(base + page, slowdown))
                                for _ in range(args.runs)])
            print(f"{page:45} {s['transfer'] / 1e6:8.2f}M {s['resource'] / 1e6:8.2f}M "
                  f"{s['requests']:4.0f} {s['performance']:5.2f} {s['accessibility']:5.2f} "
                  f"{s['tbt_ms']:5.0f}ms {s['lcp_s']:5.1f}s")
            low, high = s["perf_range"]
            print(f"    performance over the runs {low:.2f}-{high:.2f}; first run: " +
                  ", ".join(f"{k}: {v}" for k, v in s["metrics"].items()))
            print(f"    host benchmark index {s['benchmark_index']:.0f}, CPU slowdown "
                  f"{s['cpu_slowdown']:.2f}x")
            print("    biggest: " + ", ".join(f"{name} {size / 1e3:.0f}k"
                                              for size, name in s["biggest"]))
            if s["a11y_failing"]:
                print("    accessibility audits failing: " + ", ".join(s["a11y_failing"]))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
