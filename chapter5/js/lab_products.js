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
  sparseTimesRows(img.nzStart, img.nzIndex, img.nzValue, n, w, N_INPUTS, nOut, b, zOut, nOut, 1);
}

/**
 * out[o * oStride + j * jStride] = sum_t value[t] m[j * len + index[t]] (+ c[j] when c is
 * given) over t = start[o] .. start[o + 1] - 1 in order, for o < outer and j < nOut: a sparse
 * matrix (by rows: start, index, value) times the rows of m. The first layer's forward pass (the
 * images' pixels times w) and its weight gradient (the pixels' images times delta^T).
 */
function sparseTimesRows(start, index, value, outer, m, len, nOut, c, out, oStride, jStride) {
  for (let o = 0; o < outer; o++) {
    const t0 = start[o];
    const t1 = start[o + 1];
    const base = o * oStride;
    let j = 0;
    for (; j + 3 < nOut; j += 4) {
      const m0 = j * len;
      const m1 = m0 + len;
      const m2 = m1 + len;
      const m3 = m2 + len;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = t0; t < t1; t++) {
        const k = index[t];
        const v = value[t];
        s0 += v * m[m0 + k];
        s1 += v * m[m1 + k];
        s2 += v * m[m2 + k];
        s3 += v * m[m3 + k];
      }
      const q = base + j * jStride;
      out[q] = c === null ? s0 : s0 + c[j];
      out[q + jStride] = c === null ? s1 : s1 + c[j + 1];
      out[q + 2 * jStride] = c === null ? s2 : s2 + c[j + 2];
      out[q + 3 * jStride] = c === null ? s3 : s3 + c[j + 3];
    }
    for (; j < nOut; j++) {
      const m0 = j * len;
      let s0 = 0;
      for (let t = t0; t < t1; t++) s0 += value[t] * m[m0 + index[t]];
      out[base + j * jStride] = c === null ? s0 : s0 + c[j];
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
  // (an odd last row is paired with itself: both halves write the same numbers)
  for (let x = 0; x < n; x += 2) {
    const ua = x * len;
    const ub = x + 1 < n ? ua + len : ua;
    const ra = x * m;
    const rb = x + 1 < n ? ra + m : ra;
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
    sparseTimesRows(cols.start, cols.image, cols.value, nIn, dT, n, nOut, null, gW, 1, nIn);
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
