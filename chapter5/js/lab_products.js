// The website lab's products and scratch buffers, shared by atInit (lab_at_init.js) and
// trainEpoch (lab_network.js). w[i] is row-major [n_out][n_in] (w[j * nIn + k] = w_jk), wT[i]
// its transpose. Each product is a dot product over contiguous memory with its accumulators in
// registers, four outputs at a time so every load serves four of them.

import { N_INPUTS } from "./lab_config.js";

// Scratch buffers by layer sizes and image count, shared by every net of that shape: atInit and
// trainEpoch run to the end before anything else runs (one thread), and return fresh arrays, so
// a control move that makes a new net allocates nothing. The few latest shapes are kept.
const SCRATCH = new Map();
const SCRATCH_SHAPES = 4;

/** Buffers for n images: a (activations), z, d (deltas), their transposes, the step's sums. */
export function buffers(net, n) {
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

/** The first n images' nonzero pixels by pixel (x ascending), for the first weight gradient. */
export function pixelColumns(img, n) {
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
export function forwardSparse(img, n, w, b, nOut, zOut) {
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
export function rowsTimesRows(u, n, len, v, m, c, out) {
  // two rows of u at a time (eight sums in registers, every load of v serves two of them); each
  // sum still runs over k in order, so the numbers are those of one row at a time
  let x = 0;
  for (; x + 1 < n; x += 2) {
    const ua = x * len;
    const ub = ua + len;
    const ra = x * m;
    const rb = ra + m;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      const v0 = j * len;
      const v1 = v0 + len;
      const v2 = v1 + len;
      const v3 = v2 + len;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = 0; k < len; k++) {
        const p = u[ua + k];
        const q = u[ub + k];
        const w0 = v[v0 + k];
        const w1 = v[v1 + k];
        const w2 = v[v2 + k];
        const w3 = v[v3 + k];
        a0 += p * w0;
        a1 += p * w1;
        a2 += p * w2;
        a3 += p * w3;
        b0 += q * w0;
        b1 += q * w1;
        b2 += q * w2;
        b3 += q * w3;
      }
      if (c === null) {
        out[ra + j] = a0;
        out[ra + j + 1] = a1;
        out[ra + j + 2] = a2;
        out[ra + j + 3] = a3;
        out[rb + j] = b0;
        out[rb + j + 1] = b1;
        out[rb + j + 2] = b2;
        out[rb + j + 3] = b3;
      } else {
        out[ra + j] = a0 + c[j];
        out[ra + j + 1] = a1 + c[j + 1];
        out[ra + j + 2] = a2 + c[j + 2];
        out[ra + j + 3] = a3 + c[j + 3];
        out[rb + j] = b0 + c[j];
        out[rb + j + 1] = b1 + c[j + 1];
        out[rb + j + 2] = b2 + c[j + 2];
        out[rb + j + 3] = b3 + c[j + 3];
      }
    }
    for (; j < m; j++) {
      const v0 = j * len;
      let a0 = 0;
      let b0 = 0;
      for (let k = 0; k < len; k++) {
        const w0 = v[v0 + k];
        a0 += u[ua + k] * w0;
        b0 += u[ub + k] * w0;
      }
      out[ra + j] = c === null ? a0 : a0 + c[j];
      out[rb + j] = c === null ? b0 : b0 + c[j];
    }
  }
  for (; x < n; x++) {
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
export function transpose(src, rows, cols, out) {
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
export function weightGradient(cols, aT, n, nIn, dT, nOut, gW, gb) {
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

export function dot(u, v) {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

/** Last hidden layer's speed over the first's: Infinity if the first is 0, 1 if both are. */
