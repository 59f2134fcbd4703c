// The website lab's network: making one from parameters, exporting them, and protocol C's
// training epoch (chapter5.lab.train over chapter5._kernel.Kernel.step). Re-exported by
// lab_net.js, whose header states the formulas.

import { N_OUTPUTS, checkConfig, checkImages, layerSizes, show } from "./lab_config.js";
import {
  buffers, dot, forwardSparse, pixelColumns, rowsTimesRows, transpose, weightGradient,
} from "./lab_products.js";

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

export function checkNet(net) {
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

export function ratioLastFirst(speeds) {
  const ok = (speeds instanceof Float64Array || Array.isArray(speeds)) && speeds.length > 0 &&
    Array.prototype.every.call(speeds, (s) => typeof s === "number" && s >= 0);
  if (!ok) throw new RangeError("speeds must be a non-empty array of non-negative numbers");
  const first = speeds[0];
  const last = speeds[speeds.length - 1];
  if (first === 0) return last === 0 ? 1.0 : Infinity;
  return last / first;
}
