// The deep-network lab's math for the website: one MNIST network's per-layer learning, at
// initialisation and in training, without a Python kernel (notebook 07-deep-network-lab).
//
// This module mirrors chapter5/lab.py and the parts of chapter5/network.py it uses, operation by
// operation; tests/test_lab_js_parity.py runs it under node on Python's initial weights and holds
// every speed and update ratio of 50 epochs equal to 1e-9 relative, every histogram count and
// share exactly, and every readout string character for character. No DOM: it runs in a module
// Web Worker and under node. Layers are indexed like the book: hidden layer l = 1..depth is
// index l - 1 of every per-layer array; weight matrix i = 0..depth maps layer i to layer i + 1
// (the hidden layers' matrices, then the output layer's).
//
// Two activation tables, as in Python:
// * atInit is the textbook pass of chapter5.network.Network.gradients: sigma and sigma' from z,
//   in the overflow-free forms of chapter5/activations.py;
// * trainEpoch is protocol C as chapter5/_kernel.py runs it: sigmoid 1 / (1 + exp(-z)), and
//   sigma' from the activation a: a (1 - a), 1 - a^2, [a > 0].
// Training: cross-entropy cost (delta^L = a^L - y) plus L2 with n = the number of images;
// one full-batch step per epoch, w <- (1 - eta lmbda / n) w - (eta / n) sum_x dC_x/dw,
// b <- b - (eta / n) sum_x dC_x/db; the speeds are recorded from that same pass, before the step.
//
// Speed: Float64Array scratch buffers made once per network shape and image count, reused by
// every epoch and every net of that shape;
// every product is a dot product over contiguous rows (w and its transpose are both kept);
// in the first layer a pixel that is exactly 0 is skipped, in the forward pass and in the weight
// gradient (about 80 % of MNIST's pixels are 0). Adding 0 * w changes no sum, so the numbers are
// those of the full products.
//
// The page's own initialisation (initialParams; Python's numpy generator is not reproduced --
// the parity test hands Python's weights over instead):
// * uniform numbers from xoshiro128** (Blackman and Vigna's 32-bit generator: state s0..s3,
//   output rotl(s1 * 5, 7) * 9), its state filled by a splitmix32 sequence started at the low 32
//   bits of the seed, each word XOR-ed with a second splitmix32 sequence started at the high bits;
// * a uniform double in [0, 1) from two outputs: (a >>> 5) * 2^26 + (b >>> 6), over 2^53;
// * normal numbers by Marsaglia's polar method: u, v uniform in (-1, 1), accept s = u^2 + v^2 in
//   (0, 1), return u f and then v f with f = sqrt(-2 ln(s) / s). The accept/reject decisions use
//   exact arithmetic, so every JavaScript engine draws the same sequence; Math.log may differ
//   by an ulp between engines, so the values agree to about 1e-16 relative.
// * draw order as chapter5.network.Network: for each weight matrix in turn, its weights
//   row-major (n_out x n_in), then its biases where they are random.
// Initialisations (n_in inputs, n_out outputs of a layer): default w ~ N(0, 1/n_in), b ~ N(0, 1);
// large w ~ N(0, 1), b ~ N(0, 1); small w ~ N(0, 0.01^2), b = 0; zeros w = 0, b = 0;
// xavier w ~ N(0, 2/(n_in + n_out)), b = 0; he w ~ N(0, 2/n_in), b = 0.

import { formatFloat, formatG6, sigmoid, sigmoidPrime } from "./c5math.js";

export const DEPTH_RANGE = [1, 10];
export const WIDTH_RANGE = [10, 100];
export const MAX_IMAGES = 1000;
export const ACTIVATIONS = ["sigmoid", "tanh", "relu"];
export const INITS = ["default", "large", "small", "zeros", "xavier", "he"];
export const N_INPUTS = 784;
export const N_OUTPUTS = 10;
/** Learning rate limits (chapter5.lab.LabConfig) and the L2 limit of the training steps
 * (chapter5.network.MAX_LMBDA, checked by Network.gradient_descent). */
export const MAX_ETA = 10;
export const MAX_LMBDA = 1e4;
/** A neuron is saturated on an image when sigma'(z) < SATURATION_FRACTION x the peak of sigma'. */
export const SATURATION_FRACTION = 0.01;
export const PEAK_DERIVATIVE = { sigmoid: 0.25, tanh: 1.0, relu: 1.0 };
export const DEFAULT_CONFIG = Object.freeze({
  depth: 4, width: 30, activation: "sigmoid", init: "default", eta: 0.1, lmbda: 5.0,
  n_images: MAX_IMAGES, seed: 0,
});

/** numpy.linspace(start, stop, num): i * step + start, the last edge exactly stop. */
function linspace(start, stop, num) {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** Histogram edges: activations over [-1, 1], log10 |dC_x/db| over [-12, 0] (chapter5.lab). */
export const ACTIVATION_BINS = linspace(-1.0, 1.0, 41);
export const GRADIENT_LOG10_BINS = linspace(-12.0, 0.0, 49);

// ---------------------------------------------------------------------------------------------
// Checking a configuration (chapter5.lab.LabConfig)

function show(v) {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || v === undefined || typeof v !== "object") return String(v);
  return Array.isArray(v) ? "an array" : "an object";
}

function wholeNumber(name, v, lo, hi) {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`${name} must be a whole number from ${lo} to ${hi}; got ${show(v)}`);
  }
  if (v < lo || v > hi) throw new RangeError(`${name} must be from ${lo} to ${hi}; got ${v}`);
  return v;
}

function finiteNumber(name, v) {
  if (typeof v !== "number") throw new TypeError(`${name} must be a real number; got ${show(v)}`);
  if (!Number.isFinite(v)) {
    throw new RangeError(`${name} must be finite (not NaN or infinity); got ${v}`);
  }
  return v;
}

function oneOf(name, v, allowed) {
  if (typeof v !== "string") {
    throw new TypeError(`${name} must be a string, one of ${allowed.join(", ")}; got ${show(v)}`);
  }
  if (!allowed.includes(v)) {
    throw new RangeError(`${name} must be one of ${allowed.join(", ")}; got ${show(v)}`);
  }
  return v;
}

/**
 * A checked, normalised, frozen copy of `config` ({depth, width, activation, init, eta, lmbda,
 * n_images, seed}); a missing field takes chapter5.lab.LabConfig's default. A bad field throws a
 * TypeError or RangeError whose message starts with the field's name; an unknown field throws too.
 */
export function checkConfig(config) {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new TypeError(`config must be an object with fields ${Object.keys(DEFAULT_CONFIG)
      .join(", ")}; got ${show(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (!(key in DEFAULT_CONFIG)) {
      throw new TypeError(`${key} is not a field of the lab's config (the fields are ` +
        `${Object.keys(DEFAULT_CONFIG).join(", ")})`);
    }
  }
  const get = (name) => (config[name] === undefined ? DEFAULT_CONFIG[name] : config[name]);
  const out = {
    depth: wholeNumber("depth", get("depth"), DEPTH_RANGE[0], DEPTH_RANGE[1]),
    width: wholeNumber("width", get("width"), WIDTH_RANGE[0], WIDTH_RANGE[1]),
    activation: oneOf("activation", get("activation"), ACTIVATIONS),
    init: oneOf("init", get("init"), INITS),
    eta: finiteNumber("eta", get("eta")),
    lmbda: finiteNumber("lmbda", get("lmbda")),
    n_images: wholeNumber("n_images", get("n_images"), 1, MAX_IMAGES),
    seed: get("seed"),
  };
  if (!(out.eta > 0 && out.eta <= MAX_ETA)) {
    throw new RangeError(`eta must be > 0 and <= ${MAX_ETA}; got ${out.eta}`);
  }
  if (!(out.lmbda >= 0 && out.lmbda <= MAX_LMBDA)) {
    throw new RangeError(`lmbda must be >= 0 and <= ${MAX_LMBDA}; got ${out.lmbda}`);
  }
  if (typeof out.seed !== "number" || !Number.isSafeInteger(out.seed) || out.seed < 0) {
    throw new TypeError(`seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}; ` +
      `got ${show(out.seed)}`);
  }
  if (out.eta === 0) out.eta = 0; // never -0
  return Object.freeze(out);
}

/** Layer sizes [784, width x depth, 10] of a (checked) config. */
export function layerSizes(config) {
  const c = checkConfig(config);
  return [N_INPUTS, ...new Array(c.depth).fill(c.width), N_OUTPUTS];
}

// ---------------------------------------------------------------------------------------------
// Images (chapter5.data: pixels value / 256, exact in float32 and in float64)

/**
 * The first n images of a uint8 subset as the network's inputs: x[i * 784 + k] = pixel / 256
 * (bit for bit what chapter5.data.load_mnist gives, widened to float64), labels 0..9.
 * Also holds the nonzero pixels of each image (nzStart, nzIndex, nzValue), which the first layer
 * uses.
 */
export function makeImages(pixels, labels, n) {
  if (!(pixels instanceof Uint8Array) || pixels.length % N_INPUTS !== 0 || pixels.length === 0) {
    throw new TypeError(`pixels must be a Uint8Array of 784 bytes per image; got ${
      pixels instanceof Uint8Array ? `${pixels.length} bytes` : show(pixels)}`);
  }
  const available = pixels.length / N_INPUTS;
  if (!(labels instanceof Uint8Array) || labels.length !== available) {
    throw new TypeError(`labels must be a Uint8Array of ${available} labels (one per image); got ${
      labels instanceof Uint8Array ? `${labels.length} labels` : show(labels)}`);
  }
  wholeNumber("n", n, 1, available);
  const x = new Float64Array(n * N_INPUTS);
  let nnz = 0;
  for (let i = 0; i < n * N_INPUTS; i++) {
    x[i] = pixels[i] / 256;
    if (pixels[i] !== 0) nnz++;
  }
  const y = labels.slice(0, n);
  for (let i = 0; i < n; i++) {
    if (y[i] > 9) throw new RangeError(`labels must be digits 0 to 9; labels[${i}] is ${y[i]}`);
  }
  const nzStart = new Int32Array(n + 1);
  const nzIndex = new Int32Array(nnz);
  const nzValue = new Float64Array(nnz);
  let t = 0;
  for (let i = 0; i < n; i++) {
    nzStart[i] = t;
    for (let k = 0; k < N_INPUTS; k++) {
      const v = x[i * N_INPUTS + k];
      if (v !== 0) {
        nzIndex[t] = k;
        nzValue[t] = v;
        t++;
      }
    }
  }
  nzStart[n] = t;
  return { x, y, n, nzStart, nzIndex, nzValue };
}

function checkImages(images, need) {
  if (images === null || typeof images !== "object" || !(images.x instanceof Float64Array) ||
      !(images.y instanceof Uint8Array) || !Number.isInteger(images.n) ||
      images.x.length !== images.n * N_INPUTS || images.y.length !== images.n) {
    throw new TypeError(`images must be what makeImages returns; got ${show(images)}`);
  }
  if (images.n < need) {
    throw new RangeError(`images holds ${images.n} images, fewer than n_images = ${need}`);
  }
  if (!(images.nzStart instanceof Int32Array)) {
    // built by hand (e.g. sent from another thread without the sparse part): rebuild it
    const u8 = new Uint8Array(images.x.length);
    for (let i = 0; i < u8.length; i++) u8[i] = Math.round(images.x[i] * 256);
    return makeImages(u8, images.y, images.n);
  }
  return images;
}

// ---------------------------------------------------------------------------------------------
// The page's seeded initialisation (see the header)

function splitmix32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** A seeded source of uniform and normal numbers (xoshiro128** + Marsaglia's polar method). */
export function makeRandom(seed) {
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}; ` +
      `got ${show(seed)}`);
  }
  const lo = splitmix32(seed % 4294967296);
  const hi = splitmix32(Math.floor(seed / 4294967296));
  let s0 = (lo() ^ hi()) >>> 0;
  let s1 = (lo() ^ hi()) >>> 0;
  let s2 = (lo() ^ hi()) >>> 0;
  let s3 = (lo() ^ hi()) >>> 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the one state xoshiro cannot leave
  const next = () => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return r;
  };
  const uniform = () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  let spare = NaN;
  const normal = () => {
    if (!Number.isNaN(spare)) {
      const v = spare;
      spare = NaN;
      return v;
    }
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        spare = v * f;
        return u * f;
      }
    }
  };
  return { next, uniform, normal };
}

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The initial parameters of `config`, drawn from the page's own generator seeded by config.seed.
 * Returns {w: Float64Array[], b: Float64Array[]}; w[i] row-major [n_out][n_in], i = 0..depth.
 */
export function initialParams(config) {
  const c = checkConfig(config);
  const sizes = layerSizes(c);
  const rnd = makeRandom(c.seed);
  const w = [];
  const b = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const nIn = sizes[i];
    const nOut = sizes[i + 1];
    const wi = new Float64Array(nOut * nIn);
    const bi = new Float64Array(nOut);
    if (c.init !== "zeros") {
      const std = {
        default: 1.0 / Math.sqrt(nIn), large: 1.0, small: 0.01,
        xavier: Math.sqrt(2.0 / (nIn + nOut)), he: Math.sqrt(2.0 / nIn),
      }[c.init];
      for (let k = 0; k < wi.length; k++) wi[k] = rnd.normal() * std;
      if (c.init === "default" || c.init === "large") {
        for (let k = 0; k < nOut; k++) bi[k] = rnd.normal();
      }
    }
    w.push(wi);
    b.push(bi);
  }
  return { w, b };
}

// ---------------------------------------------------------------------------------------------
// A network

const KIND = { sigmoid: 0, tanh: 1, relu: 2 };

/**
 * A network of `config` with the parameters `params` ({w, b}: per weight matrix i = 0..depth a
 * row-major [n_out][n_in] array of numbers and n_out biases; plain arrays or Float64Arrays).
 * The arrays are copied. net.epoch counts the training steps taken.
 */
export function makeNet(config, params) {
  const c = checkConfig(config);
  const sizes = layerSizes(c);
  const layers = sizes.length - 1;
  if (params === null || typeof params !== "object" || !Array.isArray(params.w) ||
      !Array.isArray(params.b)) {
    throw new TypeError(`params must be {w, b}, ${layers} weight matrices and ${layers} bias ` +
      `vectors; got ${show(params)}`);
  }
  for (const name of ["w", "b"]) {
    if (params[name].length !== layers) {
      throw new RangeError(`params.${name} must list ${layers} arrays (depth ${c.depth} + the ` +
        `output layer); got ${params[name].length}`);
    }
  }
  const w = [];
  const wT = [];
  const b = [];
  for (let i = 0; i < layers; i++) {
    const nIn = sizes[i];
    const nOut = sizes[i + 1];
    const wi = params.w[i];
    const bi = params.b[i];
    const isNumbers = (v) => Array.isArray(v) || v instanceof Float64Array ||
      v instanceof Float32Array;
    if (!isNumbers(wi) || wi.length !== nOut * nIn) {
      throw new RangeError(`params.w[${i}] must hold ${nOut} x ${nIn} = ${nOut * nIn} numbers ` +
        `(row-major [n_out][n_in]); got ${isNumbers(wi) ? wi.length : show(wi)}`);
    }
    if (!isNumbers(bi) || bi.length !== nOut) {
      throw new RangeError(`params.b[${i}] must hold ${nOut} numbers; got ${
        isNumbers(bi) ? bi.length : show(bi)}`);
    }
    const copy = Float64Array.from(wi);
    for (let q = 0; q < copy.length; q++) {
      if (typeof wi[q] !== "number" || !Number.isFinite(wi[q])) {
        throw new RangeError(`params.w[${i}] must hold finite numbers; entry ${q} is ${
          show(wi[q])}`);
      }
    }
    const t = new Float64Array(nIn * nOut);
    transpose(copy, nOut, nIn, t);
    const bb = Float64Array.from(bi);
    for (let j = 0; j < nOut; j++) {
      if (typeof bi[j] !== "number" || !Number.isFinite(bi[j])) {
        throw new RangeError(`params.b[${i}] must hold finite numbers; entry ${j} is ${
          show(bi[j])}`);
      }
    }
    w.push(copy);
    wT.push(t);
    b.push(bb);
  }
  return {
    config: c, sizes, w, wT, b, kind: KIND[c.activation], epoch: 0, diverged: false,
  };
}

function checkNet(net) {
  if (net === null || typeof net !== "object" || !Array.isArray(net.w) || !net.config) {
    throw new TypeError(`net must be what makeNet returns; got ${show(net)}`);
  }
  return net;
}

/** The parameters as plain arrays: {w: number[][] (row-major [n_out][n_in]), b: number[][]}. */
export function exportParams(net) {
  checkNet(net);
  const w = [];
  const b = [];
  for (let i = 0; i < net.w.length; i++) {
    w.push(Array.from(net.w[i]));
    b.push(Array.from(net.b[i]));
  }
  return { w, b };
}

// Scratch buffers by layer sizes and image count, shared by every net of that shape: atInit and
// trainEpoch run to the end before anything else runs (one thread), and return fresh arrays, so
// a control move that makes a new net allocates nothing. The few latest shapes are kept.
const SCRATCH = new Map();
const SCRATCH_SHAPES = 4;

/** Buffers for n images: a (activations), z, d (deltas), their transposes, the step's sums. */
function buffers(net, n) {
  const key = `${net.sizes.join(",")}/${n}`;
  const hit = SCRATCH.get(key);
  if (hit) {
    SCRATCH.delete(key); // most recently used last
    SCRATCH.set(key, hit);
    return hit;
  }
  const sizes = net.sizes;
  const layers = sizes.length - 1;
  const a = [];
  const z = [];
  const d = [];
  const gW = [];
  const gb = [];
  const aT = [];
  const dT = [];
  for (let i = 0; i < layers; i++) {
    a.push(new Float64Array(n * sizes[i + 1]));
    z.push(new Float64Array(n * sizes[i + 1]));
    d.push(new Float64Array(n * sizes[i + 1]));
    aT.push(new Float64Array(n * sizes[i + 1]));
    dT.push(new Float64Array(n * sizes[i + 1]));
    gW.push(new Float64Array(sizes[i] * sizes[i + 1]));
    gb.push(new Float64Array(sizes[i + 1]));
  }
  const made = { n, a, z, d, aT, dT, gW, gb };
  SCRATCH.set(key, made);
  if (SCRATCH.size > SCRATCH_SHAPES) SCRATCH.delete(SCRATCH.keys().next().value);
  return made;
}

// ---------------------------------------------------------------------------------------------
// The products, shared by both passes. w[i] is row-major [n_out][n_in] (w[j * nIn + k] = w_jk),
// wT[i] its transpose. Each product is a dot product over contiguous memory with its
// accumulators in registers, four outputs at a time so every load serves four of them.

/** The first n images' nonzero pixels by pixel (x ascending), for the first weight gradient. */
function pixelColumns(img, n) {
  img.columns ??= new Map();
  let cols = img.columns.get(n);
  if (cols) return cols;
  const { nzStart, nzIndex, nzValue } = img;
  const end = nzStart[n];
  const start = new Int32Array(N_INPUTS + 1);
  for (let t = 0; t < end; t++) start[nzIndex[t] + 1]++;
  for (let k = 0; k < N_INPUTS; k++) start[k + 1] += start[k];
  const fill = start.slice(0, N_INPUTS);
  const image = new Int32Array(end);
  const value = new Float64Array(end);
  for (let x = 0; x < n; x++) {
    for (let t = nzStart[x]; t < nzStart[x + 1]; t++) {
      const q = fill[nzIndex[t]]++;
      image[q] = x;
      value[q] = nzValue[t];
    }
  }
  cols = { start, image, value };
  img.columns.set(n, cols);
  return cols;
}

/** zOut[x][j] = sum_k w_jk in_x_k + b_j over the first layer's nonzero pixels only. */
function forwardSparse(img, n, w, b, nOut, zOut) {
  const { nzStart, nzIndex, nzValue } = img;
  const nIn = N_INPUTS;
  for (let x = 0; x < n; x++) {
    const row = x * nOut;
    const t0 = nzStart[x];
    const t1 = nzStart[x + 1];
    let j = 0;
    for (; j + 3 < nOut; j += 4) {
      const w0 = j * nIn;
      const w1 = w0 + nIn;
      const w2 = w1 + nIn;
      const w3 = w2 + nIn;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = t0; t < t1; t++) {
        const k = nzIndex[t];
        const v = nzValue[t];
        s0 += v * w[w0 + k];
        s1 += v * w[w1 + k];
        s2 += v * w[w2 + k];
        s3 += v * w[w3 + k];
      }
      zOut[row + j] = s0 + b[j];
      zOut[row + j + 1] = s1 + b[j + 1];
      zOut[row + j + 2] = s2 + b[j + 2];
      zOut[row + j + 3] = s3 + b[j + 3];
    }
    for (; j < nOut; j++) {
      const w0 = j * nIn;
      let s0 = 0;
      for (let t = t0; t < t1; t++) s0 += nzValue[t] * w[w0 + nzIndex[t]];
      zOut[row + j] = s0 + b[j];
    }
  }
}

/**
 * out[x][j] = sum_k u[x][k] v[j][k] (+ c[j] when c is given): u is (n, len), v is (m, len),
 * both row-major; out is (n, m). The forward pass (v = w) and the backward one (v = w^T).
 */
function rowsTimesRows(u, n, len, v, m, c, out) {
  for (let x = 0; x < n; x++) {
    const ur = x * len;
    const row = x * m;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const v0 = j * len;
      const v1 = v0 + len;
      const v2 = v1 + len;
      const v3 = v2 + len;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < len; k++) {
        const a = u[ur + k];
        s0 += a * v[v0 + k];
        s1 += a * v[v1 + k];
        s2 += a * v[v2 + k];
        s3 += a * v[v3 + k];
      }
      const c0 = c === null ? 0 : c[j];
      const c1 = c === null ? 0 : c[j + 1];
      const c2 = c === null ? 0 : c[j + 2];
      const c3 = c === null ? 0 : c[j + 3];
      out[row + j] = c === null ? s0 : s0 + c0;
      out[row + j + 1] = c === null ? s1 : s1 + c1;
      out[row + j + 2] = c === null ? s2 : s2 + c2;
      out[row + j + 3] = c === null ? s3 : s3 + c3;
    }
    for (; j < m; j++) {
      const v0 = j * len;
      let s0 = 0;
      for (let k = 0; k < len; k++) s0 += u[ur + k] * v[v0 + k];
      out[row + j] = c === null ? s0 : s0 + c[j];
    }
  }
}

/** out (cols, rows) = the transpose of src (rows, cols). */
function transpose(src, rows, cols, out) {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let q = 0; q < cols; q++) out[q * rows + r] = src[base + q];
  }
}

/**
 * The step's sums from dT = delta^T (nOut, n): gW[j][k] = sum_x delta_xj in_xk and
 * gb[j] = sum_x delta_xj, the inputs either the first layer's pixels by column (cols) or
 * aT = a^T (nIn, n).
 */
function weightGradient(cols, aT, n, nIn, dT, nOut, gW, gb) {
  for (let j = 0; j < nOut; j++) {
    const dr = j * n;
    let s = 0;
    for (let x = 0; x < n; x++) s += dT[dr + x];
    gb[j] = s;
  }
  if (cols !== null) {
    const { start, image, value } = cols;
    for (let k = 0; k < nIn; k++) {
      const t0 = start[k];
      const t1 = start[k + 1];
      let j = 0;
      for (; j + 3 < nOut; j += 4) {
        const d0 = j * n;
        const d1 = d0 + n;
        const d2 = d1 + n;
        const d3 = d2 + n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = t0; t < t1; t++) {
          const x = image[t];
          const v = value[t];
          s0 += v * dT[d0 + x];
          s1 += v * dT[d1 + x];
          s2 += v * dT[d2 + x];
          s3 += v * dT[d3 + x];
        }
        gW[j * nIn + k] = s0;
        gW[(j + 1) * nIn + k] = s1;
        gW[(j + 2) * nIn + k] = s2;
        gW[(j + 3) * nIn + k] = s3;
      }
      for (; j < nOut; j++) {
        const d0 = j * n;
        let s0 = 0;
        for (let t = t0; t < t1; t++) s0 += value[t] * dT[d0 + image[t]];
        gW[j * nIn + k] = s0;
      }
    }
    return;
  }
  rowsTimesRows(dT, nOut, n, aT, nIn, null, gW);
}

// ---------------------------------------------------------------------------------------------
// At initialisation (chapter5.lab.at_init over chapter5.network.Network.gradients)

/** tanh'(z) = 4 e / (1 + e)^2 with e = exp(-2|z|) (chapter5.activations.tanh_prime). */
function tanhPrime(z) {
  const e = Math.exp(-2.0 * Math.abs(z));
  return (4.0 * e) / ((1.0 + e) * (1.0 + e));
}

/** numpy.histogram(clip(v, edges[0], edges[-1]), edges): [e_i, e_i+1), the last bin closed. */
function binOf(v, edges) {
  const nb = edges.length - 1;
  const lo = edges[0];
  const hi = edges[nb];
  const c = v < lo ? lo : v > hi ? hi : v;
  let i = ((c - lo) / (hi - lo)) * nb | 0; // a first guess; the edges decide
  if (i > nb - 1) i = nb - 1;
  while (i > 0 && c < edges[i]) i--;
  while (i < nb - 1 && c >= edges[i + 1]) i++;
  return i;
}

// 10^edge of the gradient bins: a magnitude clearly between two of them is in that bin without a
// call to Math.log10 (slow in V8); one within 1e-12 relative of an edge takes the log10 path.
const GRADIENT_EDGES_LINEAR = Float64Array.from(GRADIENT_LOG10_BINS, (e) => 10 ** e);
const NEAR = 1e-12;

/** The bin of a gradient magnitude mag > 0 in the gradient histogram: that of
 * clip(log10(mag), -12, 0) in GRADIENT_LOG10_BINS, as numpy.histogram counts it. */
export function gradientBin(mag) {
  const T = GRADIENT_EDGES_LINEAR;
  const nb = T.length - 1;
  // below the second edge it is the first bin, above the last interior edge the last (clipped)
  let lo = 0;
  let hi = nb;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (mag < T[mid]) hi = mid;
    else lo = mid;
  }
  const nearLow = lo > 0 && mag < T[lo] * (1 + NEAR);
  const nearHigh = hi < nb && mag > T[hi] * (1 - NEAR);
  return nearLow || nearHigh ? binOf(Math.log10(mag), GRADIENT_LOG10_BINS) : lo;
}

/** The bin of an activation in the activation histogram (clipped into [-1, 1]). */
export function activationBin(a) {
  return binOf(a, ACTIVATION_BINS);
}

function mean(arr) {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += arr[i];
  return s / arr.length;
}

function norm(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/**
 * Speeds, histograms and saturation of every hidden layer at the net's current parameters, over
 * the first config.n_images images (chapter5.lab.at_init). Does not change the net.
 * Returns {speeds, layers: [{activationCounts, gradientCounts, gradientZeros, saturatedShare,
 * deadShare}], zVariance, meanSigmaPrimeSq}, per-layer arrays indexed by hidden layer l - 1.
 */
export function atInit(net, images) {
  checkNet(net);
  const { depth, n_images: n, activation } = net.config;
  const img = checkImages(images, n);
  const kind = net.kind;
  const sizes = net.sizes;
  const L = sizes.length - 1;
  const buf = buffers(net, n);
  const { a, z, d } = buf;
  for (let i = 0; i < L; i++) {
    const nOut = sizes[i + 1];
    if (i === 0) forwardSparse(img, n, net.w[0], net.b[0], nOut, z[0]);
    else rowsTimesRows(a[i - 1], n, sizes[i], net.w[i], nOut, net.b[i], z[i]);
    const zi = z[i];
    const ai = a[i];
    if (i === L - 1) for (let t = 0; t < zi.length; t++) ai[t] = sigmoid(zi[t]);
    else if (kind === 0) for (let t = 0; t < zi.length; t++) ai[t] = sigmoid(zi[t]);
    else if (kind === 1) for (let t = 0; t < zi.length; t++) ai[t] = Math.tanh(zi[t]);
    else for (let t = 0; t < zi.length; t++) ai[t] = zi[t] > 0 ? zi[t] : 0;
  }
  // delta^L = a^L - y (cross-entropy), then delta^l = (w^{l+1})^T delta^{l+1} * sigma'(z^l)
  const top = d[L - 1];
  const out = a[L - 1];
  for (let x = 0; x < n; x++) {
    for (let j = 0; j < N_OUTPUTS; j++) {
      top[x * N_OUTPUTS + j] = out[x * N_OUTPUTS + j] - (img.y[x] === j ? 1 : 0);
    }
  }
  const threshold = SATURATION_FRACTION * PEAK_DERIVATIVE[activation];
  const speeds = new Float64Array(depth);
  const zVariance = new Float64Array(depth);
  const meanSigmaPrimeSq = new Float64Array(depth);
  const layers = new Array(depth);
  const mean_dCdb = new Float64Array(net.config.width);
  for (let i = L - 2; i >= 0; i--) {
    const width = sizes[i + 1];
    rowsTimesRows(d[i + 1], n, sizes[i + 2], net.wT[i + 1], width, null, d[i]);
    const zi = z[i];
    const di = d[i];
    const ai = a[i];
    const activationCounts = new Int32Array(ACTIVATION_BINS.length - 1);
    const gradientCounts = new Int32Array(GRADIENT_LOG10_BINS.length - 1);
    const alwaysSaturated = new Uint8Array(width).fill(1);
    // sigma'(z^l), one loop per activation (the scratch buffer aT is free in this pass)
    const spi = buf.aT[i];
    if (kind === 0) for (let t = 0; t < zi.length; t++) spi[t] = sigmoidPrime(zi[t]);
    else if (kind === 1) for (let t = 0; t < zi.length; t++) spi[t] = tanhPrime(zi[t]);
    else for (let t = 0; t < zi.length; t++) spi[t] = zi[t] > 0 ? 1 : 0;
    let gradientZeros = 0;
    let saturated = 0;
    let spSq = 0;
    for (let x = 0; x < n; x++) {
      for (let j = 0; j < width; j++) {
        const t = x * width + j;
        const sp = spi[t];
        const delta = di[t] * sp;
        di[t] = delta;
        spSq += sp * sp;
        if (sp < threshold) saturated++;
        else alwaysSaturated[j] = 0;
      }
    }
    for (let t = 0; t < zi.length; t++) activationCounts[binOf(ai[t], ACTIVATION_BINS)]++;
    for (let t = 0; t < zi.length; t++) {
      const mag = Math.abs(di[t]);
      if (mag > 0) gradientCounts[gradientBin(mag)]++;
      else gradientZeros++;
    }
    // dC/db^l = mean over the images of delta^l
    mean_dCdb.fill(0);
    for (let x = 0; x < n; x++) {
      for (let j = 0; j < width; j++) mean_dCdb[j] += di[x * width + j];
    }
    for (let j = 0; j < width; j++) mean_dCdb[j] /= n;
    speeds[i] = norm(mean_dCdb);
    const mz = mean(zi);
    let v = 0;
    for (let t = 0; t < zi.length; t++) v += (zi[t] - mz) * (zi[t] - mz);
    zVariance[i] = v / zi.length;
    meanSigmaPrimeSq[i] = spSq / zi.length;
    let dead = 0;
    for (let j = 0; j < width; j++) dead += alwaysSaturated[j];
    layers[i] = {
      activationCounts, gradientCounts, gradientZeros,
      saturatedShare: saturated / zi.length, deadShare: dead / width,
    };
  }
  return { speeds, layers, zVariance, meanSigmaPrimeSq };
}

// ---------------------------------------------------------------------------------------------
// Protocol C (chapter5.lab.train over chapter5._kernel.Kernel.step)

/**
 * One epoch of protocol C on the first config.n_images images: the speeds ||dC/db^l|| of the
 * hidden layers from one backpropagation pass at the current parameters, then one full-batch
 * step from that same pass (the net changes; net.epoch grows by 1). updateRatio[i] is
 * ||Delta w|| / ||w|| of weight matrix i = 0..depth (hidden layers, then the output layer), w
 * before the step; Infinity when w = 0 and it moves, 0 when it does not. diverged is true when
 * the step left a parameter infinite or NaN (eta too large for the net: Python's training then
 * produces NaN as well); net.diverged stays true from then on, and a page should stop training.
 */
export function trainEpoch(net, images) {
  checkNet(net);
  const { depth, n_images: n, eta, lmbda } = net.config;
  const img = checkImages(images, n);
  const kind = net.kind;
  const sizes = net.sizes;
  const L = sizes.length - 1;
  const buf = buffers(net, n);
  const { a, d, aT, dT, gW, gb } = buf;
  // forward, the kernel's table: sigma(z) = 1 / (1 + exp(-z)), tanh, max(z, 0)
  for (let i = 0; i < L; i++) {
    const nOut = sizes[i + 1];
    const ai = a[i];
    if (i === 0) forwardSparse(img, n, net.w[0], net.b[0], nOut, ai);
    else rowsTimesRows(a[i - 1], n, sizes[i], net.w[i], nOut, net.b[i], ai);
    const k = i === L - 1 ? 0 : kind;
    if (k === 0) for (let t = 0; t < ai.length; t++) ai[t] = 1.0 / (1.0 + Math.exp(-ai[t]));
    else if (k === 1) for (let t = 0; t < ai.length; t++) ai[t] = Math.tanh(ai[t]);
    else for (let t = 0; t < ai.length; t++) ai[t] = ai[t] > 0 ? ai[t] : 0;
  }
  // backward: every delta carries the factor c = eta / n, as the kernel's do
  const c = eta / n;
  const decay = 1.0 - (eta * lmbda) / n;
  const top = d[L - 1];
  const out = a[L - 1];
  for (let x = 0; x < n; x++) {
    for (let j = 0; j < N_OUTPUTS; j++) {
      const t = x * N_OUTPUTS + j;
      top[t] = (out[t] - (img.y[x] === j ? 1 : 0)) * c;
    }
  }
  const speeds = new Float64Array(depth);
  const updateRatio = new Float64Array(L);
  const invEta = 1.0 / eta;
  let finite = true;
  for (let i = L - 1; i >= 0; i--) {
    const nIn = sizes[i];
    const nOut = sizes[i + 1];
    if (i > 0) {
      // (w^{l+1})^T delta^{l+1} * sigma'(z^l), sigma' from a = sigma(z), before w^{l+1} steps
      const db = d[i - 1];
      const ab = a[i - 1];
      rowsTimesRows(d[i], n, nOut, net.wT[i], nIn, null, db);
      if (kind === 0) for (let t = 0; t < db.length; t++) db[t] *= (1.0 - ab[t]) * ab[t];
      else if (kind === 1) for (let t = 0; t < db.length; t++) db[t] *= 1.0 - ab[t] * ab[t];
      else for (let t = 0; t < db.length; t++) db[t] *= ab[t] > 0 ? 1 : 0;
    }
    transpose(d[i], n, nOut, dT[i]);
    if (i > 0) transpose(a[i - 1], n, nIn, aT[i - 1]);
    weightGradient(i === 0 ? pixelColumns(img, n) : null, i === 0 ? null : aT[i - 1], n, nIn,
      dT[i], nOut, gW[i], gb[i]);
    if (i < L - 1) speeds[i] = Math.sqrt(dot(gb[i], gb[i])) * invEta;
    // w <- decay w - (eta/n) sum dC/dw, b <- b - (eta/n) sum dC/db; the update ratio on the way
    const w = net.w[i];
    const g = gW[i];
    let w2 = 0;
    let step2 = 0;
    for (let t = 0; t < w.length; t++) {
      const w0 = w[t];
      const w1 = w0 * decay - g[t];
      w[t] = w1;
      w2 += w0 * w0;
      const dw = w1 - w0;
      step2 += dw * dw;
    }
    if (i > 0) transpose(w, nOut, nIn, net.wT[i]); // w^T for the next epoch's backward pass
    const bi = net.b[i];
    const gbi = gb[i];
    let bSum = 0;
    for (let j = 0; j < nOut; j++) {
      bi[j] -= gbi[j];
      bSum += bi[j];
    }
    if (!(Number.isFinite(step2) && Number.isFinite(w2) && Number.isFinite(bSum))) finite = false;
    const wNorm = Math.sqrt(w2);
    const stepNorm = Math.sqrt(step2);
    updateRatio[i] = wNorm > 0 ? stepNorm / wNorm : stepNorm > 0 ? Infinity : 0;
  }
  net.epoch += 1;
  if (!finite) net.diverged = true;
  return { speeds, updateRatio, diverged: !finite };
}

function dot(u, v) {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

/** Last hidden layer's speed over the first's: Infinity if the first is 0, 1 if both are. */
export function ratioLastFirst(speeds) {
  const ok = (speeds instanceof Float64Array || Array.isArray(speeds)) && speeds.length > 0 &&
    Array.prototype.every.call(speeds, (s) => typeof s === "number" && s >= 0);
  if (!ok) throw new RangeError("speeds must be a non-empty array of non-negative numbers");
  const first = speeds[0];
  const last = speeds[speeds.length - 1];
  if (first === 0) return last === 0 ? 1.0 : Infinity;
  return last / first;
}

// ---------------------------------------------------------------------------------------------
// Readouts (chapter5.viz.lab.readouts)

/** Python's f"{x:.0f}" for 0 <= x < 2^52: the exact value rounded, ties to even. */
function roundHalfEven(x) {
  const f = Math.floor(x);
  const r = x - f; // exact for these magnitudes
  if (r > 0.5 || (r === 0.5 && f % 2 === 1)) return f + 1;
  return f;
}

function ratioText(r) {
  return r === Infinity ? "∞ (layer 1 does not learn)" : formatFloat(r);
}

/**
 * The lab's readout texts by key, the same keys and strings as chapter5.viz.lab.readouts:
 * speed1.., saturated1.., ratio_init (from state.init), epoch and ratio_train (from the last of
 * state.speeds), measured (once the preset has a guess or was trained), guess.
 * state = {init: atInit result | null, speeds: [speeds per recorded epoch], preset,
 * guesses: {preset: {layer, factor}}, trained: [preset names] (or a Set)}.
 */
export function readouts(state) {
  if (state === null || typeof state !== "object") {
    throw new TypeError(`state must be {init, speeds, preset, guesses, trained}; got ${show(state)}`);
  }
  const init = state.init ?? null;
  const history = state.speeds ?? [];
  const guesses = state.guesses ?? {};
  const trained = state.trained ?? [];
  if (!Array.isArray(history)) throw new TypeError("state.speeds must be an array of speeds per epoch");
  if (typeof guesses !== "object" || guesses === null) throw new TypeError("state.guesses must be an object");
  if (!(Array.isArray(trained) || trained instanceof Set)) {
    throw new TypeError("state.trained must be an array (or Set) of preset names");
  }
  const preset = state.preset;
  const out = {};
  if (init !== null) {
    if (!init.speeds || !Array.isArray(init.layers) || init.layers.length !== init.speeds.length) {
      throw new TypeError("state.init must be what atInit returns");
    }
    for (let i = 0; i < init.speeds.length; i++) {
      out[`speed${i + 1}`] = formatFloat(init.speeds[i]);
      out[`saturated${i + 1}`] = `${roundHalfEven(100 * init.layers[i].saturatedShare)} %`;
    }
    out.ratio_init = ratioText(ratioLastFirst(init.speeds));
  }
  if (history.length > 0) {
    const last = history[history.length - 1];
    out.epoch = `${history.length - 1}`;
    out.ratio_train = ratioText(ratioLastFirst(last));
    const wasTrained = trained instanceof Set ? trained.has(preset) : trained.includes(preset);
    if (Object.hasOwn(guesses, preset) || wasTrained) {
      let slow = 0;
      let top = last[0];
      let low = last[0];
      for (let i = 1; i < last.length; i++) {
        if (last[i] < low) {
          low = last[i];
          slow = i;
        }
        if (last[i] > top) top = last[i];
      }
      const f = low === 0 && top > 0 ? "∞" : formatFloat(low ? top / low : 1.0);
      out.measured = `layer ${slow + 1} is slowest, ${f}× slower than the fastest`;
    }
  }
  if (Object.hasOwn(guesses, preset)) {
    const g = guesses[preset];
    if (!g || !Number.isInteger(g.layer) || typeof g.factor !== "number" ||
        !(g.factor > 0) || !Number.isFinite(g.factor)) {
      throw new TypeError(`state.guesses[${JSON.stringify(preset)}] must be {layer: a whole ` +
        "number, factor: a positive number}");
    }
    out.guess = `layer ${g.layer} is slowest, about ${formatG6(g.factor)}× slower`;
  }
  return out;
}
