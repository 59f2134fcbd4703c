// The lab's state outside the page: the URL hash ("#lab:preset=...&depth=...", so a link
// reproduces an experiment) and the reader's guesses in this browser's localStorage. No DOM
// beyond `localStorage`; lab_explorer.js calls these when the state changes.

import { ACTIVATIONS, DEPTH_RANGE, INITS, MAX_IMAGES, WIDTH_RANGE } from "./lab_net.js";
import { DATA, DEFAULT_PRESET, GUESS_FACTORS, PRESETS } from "./lab_presets.js";

export const CUSTOM = "custom";
export const HASH_PREFIX = "#lab:";
export const FIELDS = ["depth", "width", "activation", "init", "eta", "n_images", "seed"];
export const SHIPPED = Math.min(MAX_IMAGES, DATA.n); // images: up to what the site ships
export const SEED_MAX = 2 ** 31 - 1;
const STORE = "chapter5.lab07";

// ------------------------------------------------------------------------------ state <-> hash

/** A URL-friendly name for each preset ("chapter-4-hidden-default-init"). */
export function presetSlug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
const SLUGS = Object.fromEntries(Object.keys(PRESETS).map((n) => [presetSlug(n), n]));
if (Object.keys(SLUGS).length !== Object.keys(PRESETS).length) {
  throw new Error("two lab presets have the same URL name");
}

export function configOf(preset) {
  const c = PRESETS[preset];
  return { depth: c.depth, width: c.width, activation: c.activation, init: c.init, eta: c.eta,
    lmbda: c.lmbda, n_images: c.n_images, seed: c.seed };
}

export function sameControls(a, b) {
  return FIELDS.every((k) => a[k] === b[k]) && a.lmbda === b.lmbda;
}

function wholeNumber(text, lo, hi) {
  if (!/^\d+$/.test(text)) return null;
  const v = Number(text);
  return v >= lo && v <= hi ? v : null;
}

export const PARSERS = {
  depth: [(t) => wholeNumber(t, ...DEPTH_RANGE), `a whole number from ${DEPTH_RANGE[0]} to ${DEPTH_RANGE[1]}`],
  width: [(t) => wholeNumber(t, ...WIDTH_RANGE), `a whole number from ${WIDTH_RANGE[0]} to ${WIDTH_RANGE[1]}`],
  n_images: [(t) => wholeNumber(t, 1, SHIPPED), `a whole number from 1 to ${SHIPPED}`],
  seed: [(t) => wholeNumber(t, 0, SEED_MAX), `a whole number from 0 to ${SEED_MAX}`],
  activation: [(t) => (ACTIVATIONS.includes(t) ? t : null), `one of ${ACTIVATIONS.join(", ")}`],
  init: [(t) => (INITS.includes(t) ? t : null), `one of ${INITS.join(", ")}`],
  eta: [(t) => {
    if (!/^[0-9.eE+-]+$/.test(t)) return null;
    const v = Number(t);
    return Number.isFinite(v) && v > 0 && v <= 10 ? v : null;
  }, "a number > 0 and <= 10"],
};

/**
 * Read "#lab:preset=...&depth=..." into {preset, config, notes}. Anything missing comes from the
 * preset (default: DEFAULT_PRESET); anything that does not parse is replaced by that default and
 * named in `notes`. Never throws, never returns NaN.
 */
export function parseHash(hash) {
  const notes = [];
  const params = new URLSearchParams(hash.startsWith(HASH_PREFIX) ? hash.slice(HASH_PREFIX.length) : "");
  let preset = DEFAULT_PRESET;
  const named = params.get("preset");
  if (named !== null && named !== CUSTOM) {
    if (SLUGS[named]) preset = SLUGS[named];
    else notes.push(`unknown preset “${named}”: using “${DEFAULT_PRESET}”`);
  }
  const config = configOf(preset);
  for (const [key, value] of params) {
    if (key === "preset") continue;
    const parser = PARSERS[key];
    if (!parser) {
      notes.push(`unknown setting “${key}” ignored`);
      continue;
    }
    const v = parser[0](value.trim());
    if (v === null) notes.push(`${key} = “${value}” is not ${parser[1]}: using ${config[key]}`);
    else config[key] = v;
  }
  const matches = PRESETS[preset] && sameControls(config, configOf(preset));
  return { preset: matches ? preset : CUSTOM, config, notes };
}

/** The hash that parseHash reads back into exactly this preset and config. */
export function formatHash(preset, config) {
  const params = new URLSearchParams();
  params.set("preset", preset === CUSTOM ? CUSTOM : presetSlug(preset));
  for (const k of FIELDS) params.set(k, String(config[k]));
  return HASH_PREFIX + params.toString();
}

export function configKey(config) {
  return JSON.stringify(FIELDS.map((k) => config[k]).concat(config.lmbda));
}

// ------------------------------------------------------------------------------ guesses

export function loadStore() {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) || "{}") || {};
    const guesses = {};
    for (const [name, g] of Object.entries(v.guesses && typeof v.guesses === "object" ? v.guesses : {})) {
      // keep only well-formed guesses (another version of the page, or a hand edit)
      if (g && Number.isInteger(g.layer) && g.layer >= 1 && g.layer <= DEPTH_RANGE[1] &&
          GUESS_FACTORS.includes(g.factor)) guesses[name] = { layer: g.layer, factor: g.factor };
    }
    const trained = Array.isArray(v.trained) ? v.trained.filter((n) => typeof n === "string") : [];
    return { guesses, trained };
  } catch {
    return { guesses: {}, trained: [] }; // no storage (private mode) or damaged: start afresh
  }
}

export function saveStore(state) {
  try {
    localStorage.setItem(STORE, JSON.stringify({ guesses: state.guesses, trained: state.trained }));
  } catch {
    // storage refused: the guesses still live for this visit
  }
}
