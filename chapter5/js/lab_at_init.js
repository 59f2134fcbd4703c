// The website lab's at-initialisation views (chapter5.lab.at_init over
// chapter5.network.Network.gradients): speeds, histograms and saturation of every hidden layer.
// Re-exported by lab_net.js.

import { sigmoid } from "./c5math.js";
import {
  ACTIVATION_BINS, GRADIENT_LOG10_BINS, N_OUTPUTS, PEAK_DERIVATIVE, SATURATION_FRACTION,
  checkImages,
} from "./lab_config.js";
import { checkNet } from "./lab_network.js";
import { buffers, forwardSparse, rowsTimesRows } from "./lab_products.js";

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
const BITS_F = new Float64Array(1);
const BITS_U = new Uint32Array(BITS_F.buffer);
BITS_F[0] = 1; // 0x3ff00000 in the high word
const HIGH_WORD = BITS_U[1] === 0x3ff00000 ? 1 : 0;
/** By biased binary exponent e: how many interior gradient edges are <= 2^(e - 1023)
 * (0 for subnormals, all of them for infinity). */
const EDGES_BELOW_OCTAVE = Int32Array.from({ length: 2048 }, (_, e) => {
  const p = e === 0 ? 0 : 2 ** (e - 1023);
  let count = 0;
  for (let i = 1; i < GRADIENT_EDGES_LINEAR.length - 1; i++) if (GRADIENT_EDGES_LINEAR[i] <= p) count++;
  return count;
});

/** The bin of a gradient magnitude mag > 0 in the gradient histogram: that of
 * clip(log10(mag), -12, 0) in GRADIENT_LOG10_BINS, as numpy.histogram counts it. */
export function gradientBin(mag) {
  const T = GRADIENT_EDGES_LINEAR;
  const nb = T.length - 1;
  // below the second edge it is the first bin, above the last interior edge the last (clipped)
  // lo = the number of interior edges T[1..nb-1] <= mag: start from that count for the power of
  // two at or below mag (its exponent bits), then step up (at most two edges per octave)
  BITS_F[0] = mag;
  let lo = EDGES_BELOW_OCTAVE[(BITS_U[HIGH_WORD] >>> 20) & 0x7ff];
  while (lo < nb - 1 && mag >= T[lo + 1]) lo++;
  const hi = lo + 1;
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
    else if (kind === 0) {
      // sigma(z) and sigma'(z) from one e = exp(-|z|), as c5math's sigmoid and sigmoidPrime
      // compute them; sigma' waits in the scratch buffer aT (free in this pass) for the backward
      const spi = buf.aT[i];
      for (let t = 0; t < zi.length; t++) {
        const zt = zi[t];
        const e = Math.exp(-Math.abs(zt));
        ai[t] = zt >= 0 ? 1 / (1 + e) : e / (1 + e);
        spi[t] = Math.min(e / (1 + e) ** 2, 0.25);
      }
    }
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
    // sigma'(z^l) in the scratch buffer aT (sigmoid's from the forward pass)
    const spi = buf.aT[i];
    if (kind === 1) for (let t = 0; t < zi.length; t++) spi[t] = tanhPrime(zi[t]);
    else if (kind === 2) for (let t = 0; t < zi.length; t++) spi[t] = zi[t] > 0 ? 1 : 0;
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
