// The deep-network lab's configuration, constants and images (chapter5.lab.LabConfig,
// chapter5.data): what every other lab_*.js module checks its input against. Part of the lab's
// math for the website, re-exported by lab_net.js (whose header describes the whole).

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

/** A value as an error message shows it. */
export function show(v) {
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

/** The images (makeImages) for n_images = need; rebuilds the sparse part if it is missing. */
export function checkImages(images, need) {
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
