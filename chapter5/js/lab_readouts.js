// The website lab's readout texts (chapter5.viz.lab.readouts), character for character.
// Re-exported by lab_net.js.

import { formatFloat, formatG6 } from "./c5math.js";
import { show } from "./lab_config.js";
import { ratioLastFirst } from "./lab_network.js";

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
