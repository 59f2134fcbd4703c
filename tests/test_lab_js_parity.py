"""The website's deep-network lab (chapter5/js/lab_net.js) computes what chapter5.lab computes.

Python draws the initial weights (chapter5.lab.build_network) for configurations covering every
activation and every initialisation, depths 1 to 10 and widths 10 to 100, and hands them to the
JavaScript under node together with the same real MNIST images (as the uint8 pixels the website
ships). Both run protocol C for 50 epochs. Every recorded speed and update ratio agrees to 1e-9
relative (exactly where both are 0 or infinite), every at-init histogram count and share is
equal, and the readout strings are identical. The JavaScript's own seeded initialisation is
checked too: it draws what its documentation says, and Python trains the same net to the same
curve. Bad input to the JavaScript API is refused with a message that names the field.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_js_parity import node_or_skip
from test_lab import real

from chapter5 import lab
from chapter5.network import Network
from chapter5.viz import lab as lab_viz

JS = Path(__file__).resolve().parents[1] / "chapter5" / "js"
EPOCHS = 50
REL = 1e-9

RUNNER = r"""
import { readFileSync } from "node:fs";
const m = await import(process.argv[2]);
const job = JSON.parse(readFileSync(process.argv[3], "utf8"));
const enc = (x) => (Number.isFinite(x) ? x : String(x));  // JSON has no Infinity
const arr = (a) => Array.from(a, enc);
let images = null;
if (job.pixels) {
  const px = new Uint8Array(readFileSync(job.pixels));
  const lb = new Uint8Array(readFileSync(job.labels));
  images = m.makeImages(px, lb, lb.length);
}
const weights = job.weights ? new Float64Array(readFileSync(job.weights).buffer.slice(0)) : null;
const out = { cases: [], bins: [arr(m.ACTIVATION_BINS), arr(m.GRADIENT_LOG10_BINS)] };
for (const c of job.cases) {
  const paramsAt = (offset) => {
    let at = offset;
    const take = (len) => { const v = weights.subarray(at, at + len); at += len; return v; };
    const params = { w: [], b: [] };
    for (let i = 0; i + 1 < c.sizes.length; i++) {
      params.w.push(take(c.sizes[i] * c.sizes[i + 1]));
      params.b.push(take(c.sizes[i + 1]));
    }
    return params;
  };
  const offsets = c.offsets || [c.offset];
  let net = m.makeNet(c.config, c.offset === null ? m.initialParams(c.config)
    : paramsAt(offsets[0]));
  const exported = c.offset === null ? m.exportParams(net) : null;
  const init = m.atInit(net, images);
  const speeds = [];
  const ratios = [];
  const diverged = [];
  for (let e = 0; e < c.epochs; e++) {
    // step by step (c.offsets): every epoch starts from Python's parameters of that epoch
    if (e > 0 && c.offsets) net = m.makeNet(c.config, paramsAt(offsets[e]));
    const r = m.trainEpoch(net, images);
    speeds.push(arr(r.speeds));
    ratios.push(arr(r.updateRatio));
    diverged.push(r.diverged);
  }
  const history = speeds.map((s) => Float64Array.from(s, Number));
  const readouts = c.states.map((s) => m.readouts({
    init: s.init ? init : null, speeds: history.slice(0, s.epochs), preset: s.preset,
    guesses: s.guesses, trained: s.trained,
  }));
  out.cases.push({
    exported,
    init: {
      speeds: arr(init.speeds), zVariance: arr(init.zVariance),
      meanSigmaPrimeSq: arr(init.meanSigmaPrimeSq),
      layers: init.layers.map((l) => ({
        activationCounts: Array.from(l.activationCounts),
        gradientCounts: Array.from(l.gradientCounts), gradientZeros: l.gradientZeros,
        saturatedShare: l.saturatedShare, deadShare: l.deadShare,
      })),
    },
    speeds, ratios, readouts, diverged, epoch: c.offsets ? c.epochs : net.epoch,
  });
}
out.readouts = (job.readouts || []).map((s) => m.readouts({
  init: s.init && {
    speeds: Float64Array.from(s.init.speeds),
    layers: s.init.shares.map((x) => ({ saturatedShare: x })),
  },
  speeds: s.speeds.map((r) => Float64Array.from(r)), preset: s.preset, guesses: s.guesses,
  trained: s.trained,
}));
process.stdout.write(JSON.stringify(out));
"""


def run_node(job: Any, tmp_path: Path, script: str = RUNNER) -> Any:
    node = node_or_skip()
    runner = tmp_path / "runner.mjs"
    runner.write_text(script, encoding="utf-8")
    data = tmp_path / "job.json"
    data.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run([node, str(runner), (JS / "lab_net.js").as_uri(), str(data)],
                          capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def config_dict(c: lab.LabConfig) -> dict[str, Any]:
    return {"depth": c.depth, "width": c.width, "activation": c.activation, "init": c.init,
            "eta": c.eta, "lmbda": c.lmbda, "n_images": c.n_images, "seed": c.seed}


def dec(x: float | str) -> float:
    return float(x)  # "Infinity" comes back as a string


def agree(js: float, py: float, what: str) -> None:
    if py == 0.0 or math.isinf(py) or js == 0.0 or math.isinf(js):
        assert js == py, f"{what}: JS {js!r}, Python {py!r}"
        return
    assert abs(js - py) <= REL * abs(py), f"{what}: JS {js!r}, Python {py!r}"


# ------------------------------------------------------------------------------ configurations
#: Chaotic training: tanh nets from the large initialisation. Python alone, started from weights
#: moved by one ulp, ends up with speeds that differ by more than 100 % within 25 epochs (depth
#: 8, width 30; 1e-9 within 15 epochs at depth 3), so no other summation order (JavaScript's, or
#: another BLAS kernel's) can follow its trajectory for 50 epochs. These run step by step: every
#: epoch starts from Python's parameters of that epoch.
def chaotic(c: lab.LabConfig) -> bool:
    return c.activation == "tanh" and c.init == "large"


def configurations() -> list[lab.LabConfig]:
    """Every activation x every initialisation, depths 1-10 between them, widths 10-100, 50-150
    images, a few learning rates (one without L2); then the chapter's 4 x 30 net on 1000 images
    and the lab's tanh/Xavier and ReLU/He presets on 200."""
    out = []
    widths = (10, 30, 57, 100, 23, 41)
    counts = (50, 100, 150)
    rates = ((0.1, 5.0), (0.5, 5.0), (1.0, 0.0), (0.05, 20.0))
    k = 0
    for activation in lab.ACTIVATION_NAMES:
        for init in lab.INITS:
            eta, lmbda = rates[k % len(rates)]
            if activation == "relu":  # unbounded: a large step can blow a deep ReLU net up
                eta = min(eta, 0.1)
            depth, width = k % 10 + 1, widths[k % len(widths)]
            # the deep, wide nets on fewer images, so the test stays quick
            n = counts[k % len(counts)] if depth * width <= 300 else 50
            out.append(lab.LabConfig(depth=depth, width=width, activation=activation, init=init,
                                     eta=eta, lmbda=lmbda, n_images=n, seed=1000 + k))
            k += 1
    out.append(lab.LabConfig(depth=10, width=100, n_images=50, seed=7))
    out.append(lab.LabConfig(depth=4, width=30, n_images=1000, seed=3))
    out += [lab.preset(p).with_(n_images=200, seed=11) for p in ("tanh, Xavier", "ReLU, He")]
    return out


@dataclass
class Case:
    config: lab.LabConfig
    states: list[dict[str, Any]]


def readout_states(c: lab.LabConfig) -> list[dict[str, Any]]:
    """States to read out: at init only; after a few epochs with a guess; trained, no guess."""
    return [
        {"init": True, "epochs": 0, "preset": "custom", "guesses": {}, "trained": []},
        {"init": True, "epochs": 7, "preset": "tanh, Xavier",
         "guesses": {"tanh, Xavier": {"layer": 1, "factor": 30}}, "trained": []},
        {"init": False, "epochs": EPOCHS, "preset": "ReLU, He", "guesses": {},
         "trained": ["ReLU, He"]},
    ]


def python_readouts(state: dict[str, Any], init: lab.AtInit, speeds: np.ndarray,
                    config: lab.LabConfig) -> dict[str, str]:
    st = lab_viz.LabState(config=config, preset=state["preset"],
                          init=init if state["init"] else None,
                          speeds=list(speeds[:state["epochs"]]),
                          guesses={k: lab_viz.Guess(**v) for k, v in state["guesses"].items()},
                          trained=set(state["trained"]))
    return lab_viz.readouts(st)


@pytest.fixture(scope="module")
def mnist_1000() -> tuple[np.ndarray, np.ndarray]:
    import os

    from chapter5.data import MNIST_DIR_ENV, load_mnist

    m = load_mnist(os.environ.get(MNIST_DIR_ENV), progress=False)
    return m.train.x[:lab.MAX_IMAGES], m.train.y[:lab.MAX_IMAGES]


def shipped_images(x: np.ndarray, y: np.ndarray, tmp_path: Path) -> dict[str, str]:
    """The website's form of the images: uint8 pixels (x = pixel / 256 exactly) and labels."""
    pixels = np.rint(np.asarray(x, dtype=np.float64) * 256.0)
    assert np.all((pixels >= 0) & (pixels <= 255))
    assert np.array_equal(pixels / 256.0, np.asarray(x, dtype=np.float64)), \
        "chapter5's pixels are no longer value / 256: makeImages must change with them"
    (tmp_path / "pixels.u8").write_bytes(pixels.astype(np.uint8).tobytes())
    (tmp_path / "labels.u8").write_bytes(np.asarray(y, dtype=np.uint8).tobytes())
    return {"pixels": str(tmp_path / "pixels.u8"), "labels": str(tmp_path / "labels.u8")}


@real
@pytest.mark.slow
def test_js_trainer_equals_python_for_every_activation_init_and_depth(
        mnist_1000: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    x, y = mnist_1000
    configs = configurations()
    assert {c.activation for c in configs} == set(lab.ACTIVATION_NAMES)
    assert {c.init for c in configs} == set(lab.INITS)
    assert {c.depth for c in configs} == set(range(1, 11))
    assert {(c.depth, c.width, c.n_images) for c in configs} >= {(4, 30, 1000), (10, 100, 50)}
    assert sum(map(chaotic, configs)) == 1
    flat: list[np.ndarray] = []
    cases, jobs, runs = [], [], []
    offset = 0

    def export(net: Network) -> int:
        nonlocal offset
        start = offset
        for wl, bl in zip(net.weights, net.biases, strict=True):
            flat.extend([wl.ravel().copy(), bl.copy()])
            offset += wl.size + bl.size
        return start

    for c in configs:
        net = lab.build_network(c)
        job = {"config": config_dict(c), "sizes": list(c.sizes), "offset": export(net),
               "epochs": EPOCHS, "states": readout_states(c)}
        if chaotic(c):
            offsets = [job["offset"]]
            chunks = []
            for chunk in lab.train(c, x, y, EPOCHS, net=net):
                chunks.append(chunk)
                offsets.append(export(net))
            job["offsets"] = offsets[:EPOCHS]
            runs.append((np.concatenate([ch.speeds for ch in chunks]),
                         np.array([ch.update_ratio for ch in chunks])))
        else:
            runs.append(lab.run(c, x, y, EPOCHS))
        cases.append(Case(c, readout_states(c)))
        jobs.append(job)
    (tmp_path / "weights.f64").write_bytes(np.concatenate(flat).astype("<f8").tobytes())
    job = {"cases": jobs, "weights": str(tmp_path / "weights.f64"),
           **shipped_images(x, y, tmp_path)}
    out = run_node(job, tmp_path)

    assert out["bins"][0] == lab.ACTIVATION_BINS.tolist()
    assert out["bins"][1] == lab.GRADIENT_LOG10_BINS.tolist()
    n_speeds = n_ratios = n_zero_or_inf = 0
    for case, js, (speeds, ratios) in zip(cases, out["cases"], runs, strict=True):
        c = case.config
        where = f"{c}"
        init = lab.at_init(c, x, y)
        for i in range(c.depth):
            layer = f"{where}, hidden layer {i + 1}"
            agree(dec(js["init"]["speeds"][i]), float(init.speeds[i]), f"at-init speed, {layer}")
            agree(dec(js["init"]["zVariance"][i]), float(init.z_variance[i]), f"var z, {layer}")
            agree(dec(js["init"]["meanSigmaPrimeSq"][i]), float(init.mean_sigma_prime_sq[i]),
                  f"mean sigma'^2, {layer}")
            h, jh = init.layers[i], js["init"]["layers"][i]
            assert jh["activationCounts"] == h.activation_counts.tolist(), layer
            assert jh["gradientCounts"] == h.gradient_counts.tolist(), layer
            assert jh["gradientZeros"] == h.gradient_zeros, layer
            assert jh["saturatedShare"] == h.saturated_share, layer
            assert jh["deadShare"] == h.dead_share, layer
        assert js["epoch"] == EPOCHS
        for e in range(EPOCHS):
            for i in range(c.depth):
                agree(dec(js["speeds"][e][i]), float(speeds[e, i]),
                      f"speed, {where}, epoch {e}, hidden layer {i + 1}")
                n_speeds += 1
            for i in range(c.depth + 1):
                py = float(ratios[e, i])
                agree(dec(js["ratios"][e][i]), py,
                      f"update ratio, {where}, epoch {e}, weight matrix {i + 1}")
                n_ratios += 1
                n_zero_or_inf += py == 0.0 or math.isinf(py)
        for state, text in zip(case.states, js["readouts"], strict=True):
            assert text == python_readouts(state, init, speeds, c), (where, state)
    assert n_speeds > 5000 and n_ratios > 6000
    assert n_zero_or_inf > 0  # the zeros initialisation: w = 0 that moves, or stays


@real
def test_js_own_initialisation_trains_like_python(
        mnist_1000: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    """The page's nets start from initialParams: Python trains those same weights the same way."""
    x, y = mnist_1000
    configs = [lab.preset("ReLU, He").with_(n_images=200, seed=5),
               lab.LabConfig(depth=3, width=30, init="large", n_images=300, seed=2)]
    jobs = [{"config": config_dict(c), "sizes": list(c.sizes), "offset": None, "epochs": 20,
             "states": []} for c in configs]
    out = run_node({"cases": jobs, **shipped_images(x, y, tmp_path)}, tmp_path)
    for c, js in zip(configs, out["cases"], strict=True):
        net = lab.build_network(c)
        net.set_parameters([np.array(w).reshape(net.weights[i].shape)
                            for i, w in enumerate(js["exported"]["w"])],
                           [np.array(b) for b in js["exported"]["b"]])
        init = lab.at_init(c, x, y, net=net.copy())
        for i in range(c.depth):
            agree(dec(js["init"]["speeds"][i]), float(init.speeds[i]), f"{c} layer {i + 1}")
        speeds = np.concatenate([ch.speeds for ch in lab.train(c, x, y, 20, net=net)])
        for e in range(20):
            for i in range(c.depth):
                agree(dec(js["speeds"][e][i]), float(speeds[e, i]), f"{c} epoch {e}")


@real
def test_js_says_when_training_diverges_as_python_does(
        mnist_1000: tuple[np.ndarray, np.ndarray], tmp_path: Path) -> None:
    """A deep ReLU net with a large step blows up: NaN in Python, and JS flags the same epoch."""
    x, y = mnist_1000
    c = lab.LabConfig(depth=8, width=41, activation="relu", init="he", eta=0.5, n_images=50,
                      seed=1017)
    net = lab.build_network(c)
    (tmp_path / "weights.f64").write_bytes(np.concatenate(
        [a.ravel() for wl, bl in zip(net.weights, net.biases, strict=True) for a in (wl, bl)]
    ).astype("<f8").tobytes())
    job = {"cases": [{"config": config_dict(c), "sizes": list(c.sizes), "offset": 0,
                      "epochs": 30, "states": []}],
           "weights": str(tmp_path / "weights.f64"), **shipped_images(x, y, tmp_path)}
    js = run_node(job, tmp_path)["cases"][0]
    with np.errstate(all="ignore"):
        speeds, _ = lab.run(c, x, y, 30)
    bad_py = int(np.flatnonzero(~np.all(np.isfinite(speeds), axis=1))[0])
    first = js["diverged"].index(True)  # the step of this epoch left a parameter non-finite
    assert not any(js["diverged"][:first]) and all(js["diverged"][first:])
    assert first == bad_py, "JS flags the epoch whose pass overflowed, as Python's speeds show"
    js_finite = np.isfinite(np.array([[dec(v) for v in row] for row in js["speeds"]]))
    assert not js_finite[first].all() and not js_finite[first + 1:].any()
    for e in range(first):
        for i in range(c.depth):
            agree(dec(js["speeds"][e][i]), float(speeds[e, i]), f"epoch {e}, layer {i + 1}")


def test_js_readouts_write_what_python_writes(tmp_path: Path) -> None:
    """Edge cases of the readout strings: exact halves of a per cent (Python rounds them to even),
    zero and infinite ratios, equal speeds, guesses of every factor the lab offers."""
    shares = [0.125, 0.135, 0.005, 0.015, 0.025, 0.0, 1.0, 0.5, 1 / 3, 0.995, 0.985]
    rng = np.random.default_rng(3)
    states: list[dict[str, Any]] = []
    for k in range(60):
        depth = k % 10 + 1
        speeds = 10.0 ** rng.uniform(-12, 1, depth)
        if k % 7 == 0:
            speeds[0] = 0.0
        if k % 11 == 0:
            speeds[:] = 0.0
        if k % 13 == 0:
            speeds[:] = 0.25
        history = [speeds * f for f in (1.0, 1.5, 0.5)][: k % 4]
        if k % 5 == 0 and history:
            history[-1] = history[-1].copy()
            history[-1][-1] = 0.0
        factor = lab_viz.GUESS_FACTORS[k % len(lab_viz.GUESS_FACTORS)] * (1.5 if k % 9 == 0
                                                                         else 1.0)
        states.append({
            "init": None if k % 6 == 5 else {
                "speeds": speeds.tolist(),
                "shares": [shares[(k + i) % len(shares)] for i in range(depth)]},
            "speeds": [h.tolist() for h in history], "preset": "tanh, Xavier",
            "guesses": ({"tanh, Xavier": {"layer": k % depth + 1, "factor": factor}}
                        if k % 3 else {}),
            "trained": ["tanh, Xavier"] if k % 4 == 1 else [],
        })
    out = run_node({"cases": [], "readouts": states}, tmp_path)["readouts"]
    for s, js in zip(states, out, strict=True):
        init = None
        if s["init"] is not None:
            sp = np.array(s["init"]["speeds"])
            layers = [lab.LayerHistogram(np.zeros(40), np.zeros(48), 0, share, 0.0)
                      for share in s["init"]["shares"]]
            init = lab.AtInit(sp, layers, np.zeros(sp.size), np.zeros(sp.size))
        depth = (len(s["init"]["speeds"]) if s["init"] is not None
                 else len(s["speeds"][0]) if s["speeds"] else 4)
        st = lab_viz.LabState(config=lab.LabConfig(depth=depth), preset=s["preset"], init=init,
                              speeds=[np.array(h) for h in s["speeds"]],
                              guesses={k: lab_viz.Guess(**v) for k, v in s["guesses"].items()},
                              trained=set(s["trained"]))
        assert js == lab_viz.readouts(st), s


BINS = r"""
const m = await import(process.argv[2]);
const job = JSON.parse((await import("node:fs")).readFileSync(process.argv[3], "utf8"));
const E = m.GRADIENT_LOG10_BINS;
const viaLog10 = (mag) => {  // the plain rule: the bin of clip(log10(mag)) among the edges
  const l = Math.min(Math.max(Math.log10(mag), E[0]), E[E.length - 1]);
  let i = 0;
  while (i < E.length - 2 && l >= E[i + 1]) i++;
  return i;
};
process.stdout.write(JSON.stringify({
  g: job.g.map(m.gradientBin), gLog10: job.g.map(viaLog10), a: job.a.map(m.activationBin),
}));
"""


def numpy_bin(v: float, edges: np.ndarray) -> int:
    counts = np.histogram(np.clip([v], edges[0], edges[-1]), edges)[0]
    return int(np.flatnonzero(counts)[0])


def test_js_histogram_bins_equal_numpys(tmp_path: Path) -> None:
    """Activations on and one ulp either side of every bin edge, and far outside the range, land
    in numpy.histogram's bin. Gradient magnitudes: JS finds most bins without log10 and gives
    exactly the bin of its own log10 everywhere, edges included, and numpy's bin away from the
    edges. (Within about an ulp of an edge 10^e, V8's Math.log10 and numpy's log10 may round to
    different sides; MNIST's gradients are nowhere near that close, as the counts above show.)"""
    g_edges = 10.0 ** lab.GRADIENT_LOG10_BINS
    near = [float(e * (1 + k * 2.0 ** -52)) for e in g_edges for k in range(-3, 4)]
    far = list(10.0 ** np.random.default_rng(5).uniform(-20, 3, 5000)) + [5e-324, 1e300]
    a = [float(v) for e in lab.ACTIVATION_BINS for v in (np.nextafter(e, -2), e,
                                                          np.nextafter(e, 2))]
    a += list(np.random.default_rng(6).uniform(-3, 3, 5000)) + [-0.0, 0.0, 1e300, -1e300]
    out = run_node({"g": near + far, "a": a}, tmp_path, BINS)
    assert out["g"] == out["gLog10"]
    log10 = np.log10(np.array(far))
    assert out["g"][len(near):] == [numpy_bin(float(v), lab.GRADIENT_LOG10_BINS) for v in log10]
    assert out["a"] == [numpy_bin(v, lab.ACTIVATION_BINS) for v in a]


# ------------------------------------------------------------------------------ bad input
BAD = r"""
const m = await import(process.argv[2]);
const job = JSON.parse((await import("node:fs")).readFileSync(process.argv[3], "utf8"));
const decode = (v) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity"
  ? -Infinity : v === "undefined" ? undefined : v);
const ok = m.checkConfig({});
const images = m.makeImages(new Uint8Array(784 * 3), new Uint8Array(3), 3);
const net = m.makeNet({ depth: 1, width: 10, n_images: 3 }, m.initialParams({ depth: 1,
  width: 10, n_images: 3 }));
const calls = {
  checkConfig: (a) => m.checkConfig(Object.fromEntries(Object.entries(a).map(([k, v]) =>
    [k, decode(v)]))),
  checkConfigRaw: (a) => m.checkConfig(decode(a)),
  makeImages: ([p, l, n]) => m.makeImages(p === "u8" ? new Uint8Array(784 * 2) : p === "odd"
    ? new Uint8Array(100) : p, l === "u8" ? new Uint8Array(2) : l === "big"
    ? new Uint8Array([3, 10]) : l, decode(n)),
  makeNet: ([cfg, what]) => {
    const p = m.initialParams(cfg);
    if (what === "short") p.w.pop();
    if (what === "size") p.w[0] = p.w[0].subarray(1);
    if (what === "nan") p.b[1][0] = NaN;
    if (what === "none") return m.makeNet(cfg, null);
    return m.makeNet(cfg, p);
  },
  atInitFew: () => m.atInit(m.makeNet({ depth: 1, width: 10, n_images: 5 },
    m.initialParams({ depth: 1, width: 10, n_images: 5 })), images),
  trainNotImages: () => m.trainEpoch(net, { x: 1 }),
  ratio: (s) => m.ratioLastFirst(s.map(decode)),
  readouts: (s) => m.readouts(decode(s)),
};
const out = [];
for (const [name, arg] of job) {
  try { calls[name](arg); out.push(["ok", ""]); }
  catch (e) { out.push([e.name, e.message]); }
}
process.stdout.write(JSON.stringify({ out, ok }));
"""


def test_js_api_refuses_bad_input_naming_the_field(tmp_path: Path) -> None:
    cases: list[tuple[list[Any], str]] = [
        (["checkConfig", {"depth": 0}], "depth must be from 1 to 10; got 0"),
        (["checkConfig", {"depth": 11}], "depth must be from 1 to 10"),
        (["checkConfig", {"depth": 2.5}], "depth must be a whole number from 1 to 10; got 2.5"),
        (["checkConfig", {"depth": "4"}], "depth must be a whole number"),
        (["checkConfig", {"depth": True}], "depth must be a whole number"),
        (["checkConfig", {"width": 9}], "width must be from 10 to 100; got 9"),
        (["checkConfig", {"width": 101}], "width must be from 10 to 100"),
        (["checkConfig", {"width": "NaN"}], "width must be a whole number"),
        (["checkConfig", {"activation": "softplus"}],
         "activation must be one of sigmoid, tanh, relu"),
        (["checkConfig", {"activation": 3}], "activation must be a string"),
        (["checkConfig", {"init": "glorot"}], "init must be one of default, large, small, zeros"),
        (["checkConfig", {"init": None}], "init must be a string"),
        (["checkConfig", {"eta": 0}], "eta must be > 0 and <= 10; got 0"),
        (["checkConfig", {"eta": 10.5}], "eta must be > 0 and <= 10"),
        (["checkConfig", {"eta": "NaN"}], "eta must be finite"),
        (["checkConfig", {"eta": "0.1"}], "eta must be a real number"),
        (["checkConfig", {"lmbda": -1}], "lmbda must be >= 0"),
        (["checkConfig", {"lmbda": "Infinity"}], "lmbda must be finite"),
        (["checkConfig", {"lmbda": 2e4}], "lmbda must be >= 0 and <= 10000"),
        (["checkConfig", {"n_images": 0}], "n_images must be from 1 to 1000; got 0"),
        (["checkConfig", {"n_images": 1001}], "n_images must be from 1 to 1000"),
        (["checkConfig", {"seed": -1}], "seed must be a whole number from 0"),
        (["checkConfig", {"seed": 0.5}], "seed must be a whole number from 0"),
        (["checkConfig", {"speed": 3}], "speed is not a field of the lab's config"),
        (["checkConfigRaw", None], "config must be an object"),
        (["checkConfigRaw", [1, 2]], "config must be an object"),
        (["makeImages", [[1, 2], "u8", 2]], "pixels must be a Uint8Array"),
        (["makeImages", ["odd", "u8", 2]], "pixels must be a Uint8Array of 784 bytes per image"),
        (["makeImages", ["u8", [1, 2], 2]], "labels must be a Uint8Array of 2 labels"),
        (["makeImages", ["u8", "big", 2]], "labels must be digits 0 to 9; labels[1] is 10"),
        (["makeImages", ["u8", "u8", 3]], "n must be from 1 to 2; got 3"),
        (["makeImages", ["u8", "u8", 1.5]], "n must be a whole number"),
        (["makeNet", [{"depth": 2, "width": 10}, "short"]], "params.w must list 3 arrays"),
        (["makeNet", [{"depth": 2, "width": 10}, "size"]], "params.w[0] must hold 10 x 784"),
        (["makeNet", [{"depth": 2, "width": 10}, "nan"]], "params.b[1] must hold finite numbers"),
        (["makeNet", [{"depth": 2, "width": 10}, "none"]], "params must be {w, b}"),
        (["makeNet", [{"depth": 0}, "ok"]], "depth must be from 1 to 10"),
        (["atInitFew", None], "images holds 3 images, fewer than n_images = 5"),
        (["trainNotImages", None], "images must be what makeImages returns"),
        (["ratio", []], "speeds must be a non-empty array of non-negative numbers"),
        (["ratio", [1, -1]], "speeds must be a non-empty array"),
        (["ratio", [1, "NaN"]], "speeds must be a non-empty array"),
        (["readouts", None], "state must be {init, speeds, preset, guesses, trained}"),
        (["readouts", {"speeds": 3}], "state.speeds must be an array"),
        (["readouts", {"preset": "p", "guesses": {"p": {"layer": 1, "factor": -2}}}],
         'state.guesses["p"] must be {layer'),
        (["readouts", {"init": {"speeds": [1]}}], "state.init must be what atInit returns"),
    ]
    out = run_node([c for c, _ in cases], tmp_path, BAD)
    for (call, expected), (kind, message) in zip(cases, out["out"], strict=True):
        assert kind in ("TypeError", "RangeError"), (call, kind, message)
        assert message.startswith(expected), (call, message)
    assert out["ok"] == config_dict(lab.LabConfig()), "JS defaults differ from LabConfig's"


# ------------------------------------------------------------------------------ own init
OWN_INIT = r"""
const m = await import(process.argv[2]);
const job = JSON.parse((await import("node:fs")).readFileSync(process.argv[3], "utf8"));
const out = job.map((cfg) => {
  const p = m.initialParams(cfg);
  return { w: p.w.map((a) => Array.from(a)), b: p.b.map((a) => Array.from(a)) };
});
const r = m.makeRandom(42);
const u = Array.from({ length: 20000 }, r.uniform);
const first = Array.from({ length: 4 }, m.makeRandom(0).next);
process.stdout.write(JSON.stringify({ out, u, first, again: Array.from({ length: 4 },
  m.makeRandom(0).next), other: Array.from({ length: 4 }, m.makeRandom(2 ** 32).next) }));
"""


def test_js_own_initialisation_draws_what_its_docstring_says(tmp_path: Path) -> None:
    configs: list[dict[str, Any]] = [{"depth": 3, "width": 100, "init": init, "seed": s}
               for s, init in enumerate(lab.INITS)]
    configs.append({"depth": 3, "width": 100, "init": "default", "seed": 1})
    out = run_node(configs, tmp_path, OWN_INIT)
    sizes = (784, 100, 100, 100, 10)
    for cfg, p in zip(configs, out["out"], strict=True):
        init = cfg["init"]
        for i, (w, b) in enumerate(zip(p["w"], p["b"], strict=True)):
            n_in, n_out = sizes[i], sizes[i + 1]
            w, b = np.array(w), np.array(b)
            assert w.shape == (n_in * n_out,) and b.shape == (n_out,)
            if init == "zeros":
                assert not w.any() and not b.any()
                continue
            std = {"default": 1 / math.sqrt(n_in), "large": 1.0, "small": 0.01,
                   "xavier": math.sqrt(2 / (n_in + n_out)), "he": math.sqrt(2 / n_in)}[init]
            # a normal sample's standard deviation and mean (a few standard errors)
            se = 1 / math.sqrt(2 * w.size)
            assert abs(w.std() / std - 1) < 5 * se + 1e-3, (init, i)
            assert abs(w.mean()) < 5 * std / math.sqrt(w.size), (init, i)
            kurt = float(np.mean((w / w.std()) ** 4))
            assert abs(kurt - 3.0) < 0.3 if w.size > 5000 else abs(kurt - 3.0) < 1.5
            if init in ("default", "large"):
                assert abs(b.std() - 1) < 0.5 and np.unique(b).size == n_out
            else:
                assert not b.any()
    assert out["out"][0] != out["out"][-1]  # seeds 0 and 1 differ; the same seed repeats
    assert out["out"][-1] == run_node(configs[-1:], tmp_path, OWN_INIT)["out"][0]
    u = np.array(out["u"])
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    assert np.histogram(u, 10, (0, 1))[0].min() > 1800
    assert out["first"] == out["again"] and out["first"] != out["other"]
