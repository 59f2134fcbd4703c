"""The website's JavaScript math says exactly what the Python package says.

The kernel-free explorers (chapter5/js) recompute eq. (122) and the prevalence band in the
reader's browser. These tests run that JavaScript under node on well over a thousand random
settings -- depth up to 50, w = +-100, saturated neurons whose sigma' underflows float64 -- and hold
every factor, every dC/db_j and every readout string equal to chapter5.chain, chapter5.prevalence
and chapter5.readout: to 1e-12 relative, or in log space (1e-12 of the base-10 logarithm) where
the magnitudes leave the float range.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chapter5.chain import (
    EXPLORER_DEFAULT_DEPTH,
    Chain,
    balanced_chain,
    exploding_chain,
    gradients,
    typical_chain,
)
from chapter5.explorer_readouts import speed_words
from chapter5.prevalence import band, factor, width_bound
from chapter5.readout import format_float, format_signed_log10, format_times
from chapter5.viz import chain as chain_viz
from chapter5.viz import prevalence as prevalence_viz
from chapter5.viz.web import PRESETS_PATH, chain_presets, presets_module

JS = Path(__file__).resolve().parents[1] / "chapter5" / "js"
REL = 1e-12

RUNNER = """
import { readFileSync } from "node:fs";
const m = await import(process.argv[2]);
const job = JSON.parse(readFileSync(process.argv[3], "utf8"));
const enc = (x) => (Number.isFinite(x) ? x : String(x));  // JSON has no Infinity
const out = { chains: [], bands: [], formats: [], floats: [], times: [] };
for (const c of job.chains) {
  const g = m.chainGradients(c.w, c.b, c.a0, c.dCdaL);
  const strings = m.chainReadouts(g);
  const words = m.speedWords(g);
  out.chains.push({
    z: g.z.map(enc), factors: g.factors.map(enc), log10AbsFactors: g.log10AbsFactors.map(enc),
    signFactors: g.signFactors, dCdb: g.dCdb.map(enc), log10AbsdCdb: g.log10AbsdCdb.map(enc),
    signdCdb: g.signdCdb, strings, words,
  });
}
for (const [w, b, as] of job.bands) {
  const ab = m.band(w, b);
  out.bands.push({
    band: ab, width: m.widthBound(Math.abs(w)), readouts: m.prevalenceReadouts(w, b),
    log10Factor: as.map((a) => enc(m.log10Factor(w, b, a))),
  });
}
for (const [s, l] of job.formats) {
  out.formats.push(m.formatSignedLog10(s, l === null ? -Infinity : l));
}
for (const x of job.floats) out.floats.push(m.formatFloat(x));
for (const x of job.times || []) out.times.push(m.formatTimes(x));
process.stdout.write(JSON.stringify(out));
"""


def node_or_skip() -> str:
    node = shutil.which("node")
    if node:
        return node
    message = "node is not installed: the JavaScript explorers' math cannot be checked here"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_js(job: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    node = node_or_skip()
    runner = tmp_path / "runner.mjs"
    runner.write_text(RUNNER, encoding="utf-8")
    data = tmp_path / "job.json"
    data.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run(
        [node, str(runner), (JS / "c5math.js").as_uri(), str(data)],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def dec(x: float | str) -> float:
    return float(x)  # "Infinity" / "-Infinity" come back as strings


def random_chains(n_random: int = 1200) -> list[tuple[Chain, float]]:
    """Settings a reader can reach on the sliders, and far beyond (depth up to 50)."""
    rng = np.random.default_rng(20240605)
    out: list[tuple[Chain, float]] = []
    for k in range(n_random):
        depth = int(rng.integers(1, 51))
        kind = k % 4
        if kind == 0:  # anywhere on the sliders, on their 0.01 grid
            w = np.round(rng.uniform(-100, 100, depth), 2)
            b = np.round(rng.uniform(-150, 150, depth), 2)
        elif kind == 1:  # the chapter's w = +-100, biases near the balance point or far off
            w = rng.choice([-100.0, 100.0], depth)
            b = np.where(rng.random(depth) < 0.5, -w / 2 + rng.normal(0, 2, depth),
                         rng.uniform(-150, 150, depth))
        elif kind == 2:  # weights of order 1, as at initialisation
            w = rng.normal(0, 1, depth)
            b = rng.normal(0, 1, depth)
        else:  # mixed magnitudes, some exact zeros (an exactly vanishing factor)
            w = rng.normal(0, 1, depth) * 10.0 ** rng.uniform(-3, 2, depth)
            w[rng.random(depth) < 0.1] = 0.0
            b = rng.normal(0, 30, depth)
        a0 = float(np.round(rng.uniform(-1, 1), 2))
        dC_daL = 1.0 if k % 3 else float(rng.normal(0, 2))
        out.append((Chain(w, b, a0), dC_daL))
    for depth in (1, 2, 4, 10, 25, 50):
        out.append((exploding_chain(depth), 1.0))
        out.append((exploding_chain(depth, w=-100.0), 1.0))
        out.append((balanced_chain(depth), 1.0))
        out.append((typical_chain(depth, seed=depth), 1.0))
    return out


def close(js: float, py: float, what: str) -> None:
    if math.isinf(py) or math.isinf(js):
        assert js == py, what
        return
    assert abs(js - py) <= REL * max(abs(py), 1e-300), what


def close_log(js: float, py: float, what: str) -> None:
    if math.isinf(py):
        assert js == py, what
        return
    assert abs(js - py) <= REL * max(1.0, abs(py)), what


def test_js_chain_math_and_readouts_equal_python(tmp_path: Path) -> None:
    cases = random_chains()
    assert len(cases) >= 1000
    assert max(c.depth for c, _ in cases) == 50
    job = {"chains": [{"w": c.w.tolist(), "b": c.b.tolist(), "a0": c.a0, "dCdaL": d}
                      for c, d in cases], "bands": [], "formats": [], "floats": []}
    out = run_js(job, tmp_path)["chains"]
    n_checked = n_linear = 0
    for (chain, dC_daL), js in zip(cases, out, strict=True):
        g = gradients(chain, dC_daL)
        for j in range(chain.depth):
            where = f"{chain!r}, dC/da_L={dC_daL}, layer {j + 1}"
            close(dec(js["z"][j]), g.z[j], f"z at {where}")
            assert js["signFactors"][j] == g.sign_factors[j], f"sign of factor at {where}"
            assert js["signdCdb"][j] == g.sign_dC_db[j], f"sign of dC/db at {where}"
            close_log(dec(js["log10AbsFactors"][j]), g.log10_abs_factors[j], f"factor at {where}")
            close_log(dec(js["log10AbsdCdb"][j]), g.log10_abs_dC_db[j], f"dC/db at {where}")
            for key, py in (("factors", g.factors[j]), ("dCdb", g.dC_db[j])):
                if 1e-300 < abs(py) < 1e300:  # inside float range: plain relative comparison
                    close(dec(js[key][j]), py, f"{key} at {where}")
                    n_linear += 1
            n_checked += 1
        assert js["strings"] == chain_viz.readout_strings(g), repr(chain)
        assert js["words"] == speed_words(g), repr(chain)
    assert n_checked > 20_000 and n_linear > 10_000


def test_js_reads_15625_for_the_chapters_exploding_chain(tmp_path: Path) -> None:
    chain = exploding_chain(4)
    job = {"chains": [{"w": chain.w.tolist(), "b": chain.b.tolist(), "a0": 1.0, "dCdaL": 1.0}],
           "bands": [], "formats": [], "floats": []}
    strings = run_js(job, tmp_path)["chains"][0]["strings"]
    assert strings["ratio_1_L"] == "15625"
    assert strings["dC_db_1"] == "3906.25"
    assert all(strings[f"factor_{j}"] == "25" for j in (2, 3, 4))


def test_js_band_equals_python(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    pairs = [(float(w), float(b)) for w, b in zip(np.round(rng.uniform(-100, 100, 900), 2),
                                                  np.round(rng.uniform(-50, 50, 900), 2),
                                                  strict=True)]
    pairs += [(float(w), float(b)) for w in (4.0, -4.0, 3.99, 4.01, 6.9, 8.0, 100.0, -100.0, 0.0)
              for b in (-50.0, -4.0, 0.0, 17.5)]
    pairs += [(float(w), 0.0) for w in rng.uniform(-8, 8, 100)]
    a = np.linspace(-1.0, 2.0, 31)
    job = {"chains": [], "bands": [[w, b, a.tolist()] for w, b in pairs], "formats": [],
           "floats": []}
    out = run_js(job, tmp_path)["bands"]
    assert len(out) >= 1000
    for (w, b), js in zip(pairs, out, strict=True):
        py = band(w, b)
        if py is None:
            assert js["band"] is None, (w, b)
        else:
            for end_js, end_py in zip(js["band"], py, strict=True):
                assert abs(end_js - end_py) <= REL * max(abs(end_py), 1.0), (w, b)
        close(js["width"], float(width_bound(np.array([abs(w)]))[0]), f"width bound at w={w}")
        assert js["readouts"] == prevalence_viz.readout_strings(w, b), (w, b)
        with np.errstate(divide="ignore"):
            py_log = np.log10(factor(w, b, a))
        for x, y in zip(js["log10Factor"], py_log, strict=True):
            close_log(dec(x), float(y), f"log10 factor at w={w}, b={b}")


def test_js_writes_numbers_exactly_like_python(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    logs = list(rng.uniform(-8, 10, 3000)) + list(rng.uniform(-5000, 5000, 500))
    logs += [-4.0, 6.0, 5.999999999999, -4.000000000001, 0.0, math.log10(15625.0), 1395.94,
             -4343.0, 4.19382002601611]
    signs = rng.choice([-1.0, 1.0], len(logs))
    formats = [[float(s), float(lg)] for s, lg in zip(signs, logs, strict=True)]
    formats += [[0.0, 3.0], [1.0, None]]
    # exact binary ties of the 6-significant-digit and 3-decimal rules (Python: half to even)
    floats = [1234.125, 1234.375, 0.125, 999999.5, 123456.5, 3.0005, 2.5e-5, 1e-4, 9.99999e-5,
              15625.0, 3906.25, -0.00390625, 25.000000000000004]
    floats += list(rng.normal(0, 1, 500) * 10.0 ** rng.uniform(-320, 300, 500))
    job = {"chains": [], "bands": [], "formats": formats, "floats": floats}
    out = run_js(job, tmp_path)
    expected = [format_signed_log10(s, -math.inf if lg is None else lg) for s, lg in formats]
    assert out["formats"] == expected
    assert out["floats"] == [format_float(x) for x in floats]


def test_js_says_how_many_times_exactly_like_python(tmp_path: Path) -> None:
    rng = np.random.default_rng(14)
    logs = list(rng.uniform(0, 8, 3000)) + list(rng.uniform(0, 5000, 200))
    logs += [0.0, 0.02, 0.0211892990699, 0.999, 1.0, 2.9, math.log10(794.5), 5.999, 6.0, 6.125]
    job = {"chains": [], "bands": [], "formats": [], "floats": [], "times": logs}
    assert run_js(job, tmp_path)["times"] == [format_times(x) for x in logs]


def test_committed_presets_file_is_what_python_generates() -> None:
    assert PRESETS_PATH.read_text(encoding="utf-8") == presets_module(), (
        "chapter5/js/chain_presets.js is out of date: run  python -m chapter5.viz.web"
    )


def test_presets_match_the_notebook_explorer() -> None:
    presets = chain_presets()
    for name in chain_viz.PRESETS:
        chain = chain_viz.preset_chain(name)
        assert presets[name]["w"] == chain.w.tolist()
        assert presets[name]["b"] == chain.b.tolist()
        assert presets[name]["a0"] == chain.a0
    text = presets_module()
    assert f"export const DEFAULT_DEPTH = {EXPLORER_DEFAULT_DEPTH};" in text
    assert '"w": 8.0, "b": -4.0' in text
