// The website lab's own seeded initialisation (see lab_net.js's header for the generator, the
// normal sampler and the draw order): Python's numpy generator is not reproduced -- the parity
// test hands Python's weights over instead. Re-exported by lab_net.js.

import { checkConfig, layerSizes, show } from "./lab_config.js";

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

// The standard normal numbers of the latest few seeds, drawn once: every config of a seed takes
// its parameters from the start of that one sequence (each net scales them by its own std), so a
// control move that keeps the seed draws nothing and gets the numbers a fresh generator gives.
const NORMALS = new Map();
const NORMAL_SEEDS = 2;

/** The first `count` standard normal numbers of makeRandom(seed).normal (a shared, read-only
 * Float64Array, possibly longer). */
function normalsOf(seed, count) {
  let hit = NORMALS.get(seed);
  if (hit) NORMALS.delete(seed); // most recently used last
  else hit = { rnd: makeRandom(seed), values: new Float64Array(0), count: 0 };
  NORMALS.set(seed, hit);
  if (NORMALS.size > NORMAL_SEEDS) NORMALS.delete(NORMALS.keys().next().value);
  if (hit.count < count) {
    const grown = new Float64Array(Math.max(count, 2 * hit.values.length));
    grown.set(hit.values.subarray(0, hit.count));
    for (let k = hit.count; k < grown.length; k++) grown[k] = hit.rnd.normal();
    hit.values = grown;
    hit.count = grown.length;
  }
  return hit.values;
}

/**
 * The initial parameters of `config`, drawn from the page's own generator seeded by config.seed.
 * Returns {w: Float64Array[], b: Float64Array[]}; w[i] row-major [n_out][n_in], i = 0..depth.
 */
export function initialParams(config) {
  const c = checkConfig(config);
  const sizes = layerSizes(c);
  let need = 0;
  for (let i = 0; i + 1 < sizes.length; i++) need += sizes[i + 1] * (sizes[i] + 1);
  const normals = c.init === "zeros" ? null : normalsOf(c.seed, need);
  let next = 0;
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
      for (let k = 0; k < wi.length; k++) wi[k] = normals[next++] * std;
      if (c.init === "default" || c.init === "large") {
        for (let k = 0; k < nOut; k++) bi[k] = normals[next++];
      }
    }
    w.push(wi);
    b.push(bi);
  }
  return { w, b };
}
