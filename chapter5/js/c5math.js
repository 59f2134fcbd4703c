// The math behind the website's kernel-free explorers: a chain of single sigmoid neurons
// (Nielsen ch. 5, eq. 121/122) and the band of inputs where |w sigma'(w a + b)| >= 1 (eq. 123).
//
// This file mirrors chapter5/activations.py, chapter5/chain.py, chapter5/prevalence.py and
// chapter5/readout.py operation by operation; tests/test_js_parity.py runs it under node and holds
// every number and every readout string equal to the Python ones. No DOM here, no dependencies.
// Arrays are plain JS arrays; index j - 1 holds layer j, as in the Python package.

export const LN10 = Math.log(10);

// ---------------------------------------------------------------------------------------------
// Activations (chapter5/activations.py)

/** sigma(z) = 1 / (1 + exp(-z)), computed from exp(-|z|) so nothing overflows. */
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** sigma'(z) = e / (1 + e)^2 with e = exp(-|z|); never above 1/4. */
export function sigmoidPrime(z) {
  const e = Math.exp(-Math.abs(z));
  return Math.min(e / (1 + e) ** 2, 0.25);
}

/** Natural log of sigma'(z), finite for every finite z. */
export function logSigmoidPrime(z) {
  const m = Math.abs(z);
  return -m - 2 * Math.log1p(Math.exp(-m));
}

/** Base-10 log of sigma'(z). */
export function log10SigmoidPrime(z) {
  return logSigmoidPrime(z) / LN10;
}

function log10Abs(x) {
  return Math.log10(Math.abs(x)); // -Infinity for 0, as numpy with divide="ignore"
}

// ---------------------------------------------------------------------------------------------
// The chain (chapter5/chain.py)

/**
 * Forward pass and gradients of a chain with weights w[0..L-1], biases b[0..L-1], input a0.
 * dC/db_j = sigma'(z_j) * prod_{k>j} w_k sigma'(z_k) * dC/da_L, carried as sign and log10|.|
 * so that depth 50 with w = 100 (or sigma'(z) = e^-10000) never reads 0 or Infinity.
 */
export function chainGradients(w, b, a0, dCdaL = 1.0) {
  const L = w.length;
  if (L < 1 || b.length !== L) {
    throw new RangeError(`w and b must have the same length >= 1; got ${w.length} and ${b.length}`);
  }
  for (const [name, arr] of [["w", w], ["b", b], ["a0", [a0]], ["dC/da_L", [dCdaL]]]) {
    if (!arr.every(Number.isFinite)) throw new RangeError(`${name} must hold finite numbers`);
  }
  const z = new Array(L);
  const a = new Array(L + 1);
  a[0] = a0;
  for (let j = 0; j < L; j++) {
    z[j] = w[j] * a[j] + b[j];
    a[j + 1] = sigmoid(z[j]);
  }
  const sigmaPrime = z.map(sigmoidPrime);
  const log10SigmaPrime = z.map((x) => logSigmoidPrime(x) / LN10);
  const factors = w.map((wj, j) => wj * sigmaPrime[j]);
  const log10AbsFactors = w.map((wj, j) => log10Abs(wj) + log10SigmaPrime[j]);
  const signFactors = w.map(Math.sign);
  const log10AbsdCdaL = log10Abs(dCdaL);
  const signdCdaL = Math.sign(dCdaL);

  // Walk back from layer L: `later` holds log10|prod_{k>j} factor_k * dC/da_L| and its sign.
  const log10AbsdCdb = new Array(L);
  const signdCdb = new Array(L);
  let later = log10AbsdCdaL;
  let laterSign = signdCdaL;
  for (let j = L - 1; j >= 0; j--) {
    signdCdb[j] = laterSign === 0 ? 0 : laterSign;
    log10AbsdCdb[j] = signdCdb[j] === 0 ? -Infinity : log10SigmaPrime[j] + later;
    later += log10AbsFactors[j];
    laterSign *= signFactors[j];
  }
  const dCdb = log10AbsdCdb.map((lg, j) => (signdCdb[j] === 0 ? 0 : signdCdb[j] * 10 ** lg));
  const signRatio = signdCdb[0] * signdCdb[L - 1];
  const log10AbsRatio = signRatio === 0 ? -Infinity : log10AbsdCdb[0] - log10AbsdCdb[L - 1];
  return {
    z, a, sigmaPrime, log10SigmaPrime, factors, log10AbsFactors, signFactors,
    dCdaL, log10AbsdCdaL, signdCdaL, dCdb, log10AbsdCdb, signdCdb, signRatio, log10AbsRatio,
  };
}

/** Eq. (122) for dC/db_1 with the live numbers substituted (chapter5.chain.product_equation). */
export function productEquation(g) {
  const L = g.z.length;
  const symbols = ["σ'(z1)"];
  for (let k = 2; k <= L; k++) symbols.push(`w${k}σ'(z${k})`);
  symbols.push(`dC/da${L}`);
  const values = [formatSignedLog10(1.0, g.log10SigmaPrime[0])];
  for (let k = 1; k < L; k++) values.push(formatSignedLog10(g.signFactors[k], g.log10AbsFactors[k]));
  values.push(formatSignedLog10(g.signdCdaL, g.log10AbsdCdaL));
  const result = formatSignedLog10(g.signdCdb[0], g.log10AbsdCdb[0]);
  return `dC/db1 = ${symbols.join(" × ")} = ${values.join(" × ")} = ${result}`;
}

// ---------------------------------------------------------------------------------------------
// The prevalence band (chapter5/prevalence.py)

export const VANISHING_THRESHOLD = 4.0;

/** z* with |w sigma'(z)| >= 1 exactly for |z| <= z*; 0 where |w| <= 4. */
export function zHalfWidth(w) {
  const m = Math.abs(w);
  if (!(m > VANISHING_THRESHOLD)) return 0;
  const r = Math.sqrt(1 - VANISHING_THRESHOLD / m);
  return Math.log(m / 4) + 2 * Math.log1p(r);
}

/** Eq. (123): the width of the band of inputs a; 0 for |w| <= 4. */
export function widthBound(w) {
  const m = Math.abs(w);
  if (!(m > VANISHING_THRESHOLD)) return 0;
  return (2 * zHalfWidth(m)) / m;
}

/** [lo, hi] of inputs a with |w sigma'(w a + b)| >= 1, or null when empty (|w| < 4). */
export function band(w, b) {
  if (!Number.isFinite(w) || !Number.isFinite(b)) throw new RangeError("w and b must be finite");
  if (Math.abs(w) < VANISHING_THRESHOLD) return null;
  const zs = zHalfWidth(w);
  const ends = [(zs - b) / w + 0, (-zs - b) / w + 0].sort((x, y) => x - y);
  return ends;
}

/** log10 |w sigma'(w a + b)|, finite for every finite input except w = 0 (-Infinity). */
export function log10Factor(w, b, a) {
  return log10Abs(w) + log10SigmoidPrime(w * a + b);
}

/**
 * The prevalence explorer's readouts for (w, b), by data-key: the band's ends and width
 * ("none"/"0" when the band is empty) and the bound (123) for this |w|.
 */
export function prevalenceReadouts(w, b) {
  const ab = band(w, b);
  return {
    band_lo: ab ? formatFloat(ab[0]) : "none",
    band_hi: ab ? formatFloat(ab[1]) : "none",
    band_width: ab ? formatFloat(ab[1] - ab[0]) : "0",
    width_bound: formatFloat(widthBound(Math.abs(w))),
  };
}

// ---------------------------------------------------------------------------------------------
// Readouts (chapter5/readout.py): Python's format(x, ".6g") and format(m, ".3f"), reproduced from
// the exact binary value of x with round-half-even, so that JS and Python strings agree always.

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A positive finite double as an exact decimal: x = digits * 10^-scale (digits a BigInt). */
function exactDecimal(x) {
  F64[0] = x;
  const bits = U64[0];
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e2;
  if (expBits === 0) {
    e2 = -1074;
  } else {
    mant |= 0x10000000000000n;
    e2 = expBits - 1075;
  }
  if (e2 >= 0) return { digits: mant << BigInt(e2), scale: 0 };
  const q = -e2;
  return { digits: mant * 5n ** BigInt(q), scale: q };
}

/** round(x * 10^keep) to an integer, ties to even, from the exact value of x > 0. */
function roundScaled(x, keep) {
  const { digits, scale } = exactDecimal(x);
  const shift = scale - keep;
  if (shift <= 0) return digits * 10n ** BigInt(-shift);
  const div = 10n ** BigInt(shift);
  const q = digits / div;
  const twice = 2n * (digits % div);
  if (twice > div || (twice === div && q % 2n === 1n)) return q + 1n;
  return q;
}

/** An integer n as a decimal with `places` digits after the point ("0.00123", "15625.0"). */
function placeString(n, places) {
  if (places <= 0) return (n * 10n ** BigInt(-places)).toString();
  const s = n.toString().padStart(places + 1, "0");
  return `${s.slice(0, -places)}.${s.slice(-places)}`;
}

/** Python's format(x, ".6g") for a positive finite x. */
export function formatG6(x) {
  const exact = exactDecimal(x);
  const exp = exact.digits.toString().length - 1 - exact.scale; // x in [10^exp, 10^(exp+1))
  const keep = 5 - exp;
  const n = roundScaled(x, keep);
  const expRounded = n.toString().length - 1 - keep;
  if (expRounded < -4 || expRounded >= 6) {
    const s = n.toString();
    const mant = `${s[0]}.${s.slice(1, 6)}`.replace(/0+$/, "").replace(/\.$/, "");
    return `${mant}e${expRounded < 0 ? "-" : "+"}${String(Math.abs(expRounded)).padStart(2, "0")}`;
  }
  let text = placeString(n, keep);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text;
}

/** Python's format(x, ".3f") for a positive finite x. */
export function formatF3(x) {
  return placeString(roundScaled(x, 3), 3);
}

/** The number sign * 10^log10Abs written by the shared rule (chapter5.readout). */
export function formatSignedLog10(sign, log10Abs) {
  // Like the Python: only real numbers (a string such as "abc" would print "...e-NaN").
  if (typeof sign !== "number") throw new TypeError(`sign must be a real number; got ${typeof sign} ${String(sign)}`);
  if (typeof log10Abs !== "number") {
    throw new TypeError(`log10Abs must be a real number; got ${typeof log10Abs} ${String(log10Abs)}`);
  }
  if (Number.isNaN(sign) || Number.isNaN(log10Abs) || log10Abs === Infinity) {
    throw new RangeError(
      `cannot write a number with sign ${sign} and log10 magnitude ${log10Abs}: ` +
        "the magnitude must be finite (or -Infinity for zero)",
    );
  }
  if (sign === 0 || log10Abs === -Infinity) return "0";
  const minus = sign < 0 ? "-" : "";
  if (log10Abs >= -4.0 && log10Abs < 6.0) {
    const text = formatG6(10.0 ** log10Abs);
    if (!text.includes("e")) return minus + text;
  }
  let exponent = Math.floor(log10Abs);
  let mantissa = formatF3(10.0 ** (log10Abs - exponent));
  if (mantissa === "10.000") {
    exponent += 1;
    mantissa = "1.000";
  }
  // BigInt writes every digit, as Python's int does (String(1e21) would give "1e+21")
  const expText = BigInt(Math.abs(exponent)).toString().padStart(2, "0");
  return `${minus}${mantissa}e${exponent >= 0 ? "+" : "-"}${expText}`;
}

/** Python's format(x, ".3e") for a positive finite x ("1.235e+08", "4.941e-324"). */
export function formatE3(x) {
  const exact = exactDecimal(x);
  const exp = exact.digits.toString().length - 1 - exact.scale;
  const keep = 3 - exp; // 4 significant digits
  const n = roundScaled(x, keep);
  const s = n.toString(); // 4 digits, or 5 ("10000") after a carry
  const e = s.length - 1 - keep;
  return `${s[0]}.${s.slice(1, 4)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/**
 * An ordinary finite float written by the shared rule, from its exact value (no detour through
 * log10 and back, which could move a value like 105.1895 across a rounding boundary).
 */
export function formatFloat(x) {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x}: only finite numbers have a readout`);
  if (x === 0) return "0";
  const minus = x < 0 ? "-" : "";
  const m = Math.abs(x);
  if (m >= 1e-4 && m < 1e6) {
    const text = formatG6(m);
    if (!text.includes("e")) return minus + text;
  }
  return minus + formatE3(m);
}

// ---------------------------------------------------------------------------------------------
// The explorers' readouts (chapter5/explorer_readouts.py), one function per explorer

/** The chain explorer's readout by data-key (chapter5.explorer_readouts.chain_readouts). */
export function chainReadouts(g) {
  const out = {};
  for (let j = 1; j <= g.z.length; j++) {
    out[`z_${j}`] = formatFloat(g.z[j - 1]);
    out[`factor_${j}`] = formatSignedLog10(g.signFactors[j - 1], g.log10AbsFactors[j - 1]);
    out[`dC_db_${j}`] = formatSignedLog10(g.signdCdb[j - 1], g.log10AbsdCdb[j - 1]);
  }
  out.ratio_1_L = formatSignedLog10(g.signRatio, g.log10AbsRatio);
  out.equation = productEquation(g);
  return out;
}

export const TIMES_MAX_DECADES = 6.0;

function groupThousands(n) {
  const digits = String(n);
  const head = digits.length % 3 || 3;
  const parts = [digits.slice(0, head)];
  for (let k = head; k < digits.length; k += 3) parts.push(digits.slice(k, k + 3));
  return parts.join(",");
}

/** 10^log10x (>= 1) as a person says it: "800", "16", "2.5", "10^6.30" (readout.format_times). */
export function formatTimes(log10x) {
  if (!(Number.isFinite(log10x) && log10x >= 0)) {
    throw new RangeError(`log10x must be a finite number >= 0; got ${log10x}`);
  }
  if (log10x >= TIMES_MAX_DECADES) return `10^${placeString(roundScaled(log10x, 2), 2)}`;
  const exponent = Math.floor(log10x);
  const mantissa = 10.0 ** (log10x - exponent);
  const one = Math.floor(mantissa + 0.5);
  if (exponent >= 1 && Math.abs(one - mantissa) <= 0.1 * mantissa) {
    return groupThousands(one * 10 ** exponent);
  }
  const tenths = Math.floor(10.0 * mantissa + 0.5);
  if (exponent === 0) return tenths < 100 ? `${Math.floor(tenths / 10)}.${tenths % 10}` : "10";
  return groupThousands(tenths * 10 ** (exponent - 1));
}

/** How fast layer 1 learns next to layer L, in words (chapter5.explorer_readouts.speed_words). */
export function speedWords(g) {
  const L = g.z.length;
  const r = g.log10AbsdCdb[0] - g.log10AbsdCdb[L - 1];
  if (L === 1) return "a single neuron: nothing to compare";
  if (g.signdCdb[0] === 0) return "layer 1 gets no gradient at all: some wⱼ is exactly 0";
  if (Math.abs(r) < 1e-9) return `layer 1 and layer ${L} learn at the same speed`;
  const times = formatTimes(Math.abs(r));
  if (times === "1.0") return `layer 1 and layer ${L} learn at about the same speed`;
  const speed = r < 0 ? "slower" : "faster";
  return `layer 1 learns ${times.includes("^") ? "" : "about "}${times} times ${speed} than layer ${L}`;
}
