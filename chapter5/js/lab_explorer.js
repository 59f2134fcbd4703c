// The deep-network lab for the website (notebook 07): no kernel, no dependencies.
//
// Mounts into every <div class="c5-web-explorer" data-explorer="lab">. One explicit state object
// (`state`) holds the controls, the preset, the worker's latest results, the reader's guesses
// and the training history; every panel redraws from it, and every number on screen comes from
// lab_net.js's `readouts` (the same keys and strings as chapter5.viz.lab.readouts). All the
// computing -- at-init views and training -- runs in lab_worker.js, a module Web Worker; this
// thread sends small requests, receives small results and draws.
//
// The whole state (controls + preset) lives in the URL hash as "#lab:preset=...&depth=...", so
// a link reproduces an experiment; values that do not parse fall back to the defaults, with a
// note on the page. The reader's guesses stay in this browser's localStorage.
//
// The modules: lab_hash.js (URL hash, stored guesses), lab_controls.js (sliders, radio groups),
// lab_chart.js + lab_views.js (the SVG panels and readout tables), lab_style.js (CSS); this one
// wires them to the state and the worker.

import { ACTIVATIONS, DEPTH_RANGE, INITS, WIDTH_RANGE, readouts } from "./lab_net.js";
import { DATA, GUESS_FACTORS, PRESETS, TRAIN_EPOCHS } from "./lab_presets.js";
import { el, setAttr, setText } from "./c5ui.js";
import {
  CUSTOM, FIELDS, HASH_PREFIX, PARSERS, SEED_MAX, SHIPPED, configKey, configOf, formatHash,
  loadStore, parseHash, sameControls, saveStore,
} from "./lab_hash.js";
import {
  ACTIVATION_LABELS, ETA_EXPONENT, IMAGES_SLIDER, INIT_LABELS, choiceControl, clampInt, etaText,
  numberControl, uniqueId,
} from "./lab_controls.js";
import {
  histogramView, initView, legendView, ratioView, readoutView, resultView, trainView,
} from "./lab_views.js";
import { injectLabStyle } from "./lab_style.js";

export { formatHash, parseHash, presetSlug } from "./lab_hash.js";

const TRAIN_FRAME_MS = 100;
const LOADING = "loading the images…";

function mount(root) {
  injectLabStyle();
  root.replaceChildren();
  root.classList.add("c5-lab");
  const fromHash = parseHash(location.hash);
  const stored = loadStore();
  const state = {
    preset: fromHash.preset,
    config: fromHash.config,
    init: null, // the worker's atInit result for `initKey`
    initKey: null,
    speeds: [], // Float64Array(depth) per recorded epoch
    ratios: [], // [epoch, Float64Array(depth + 1)] per step
    guesses: stored.guesses,
    trained: stored.trained,
    running: false,
    planned: TRAIN_EPOCHS,
    notes: fromHash.notes, // why parts of the URL were not used
    error: "",
    status: "",
  };

  const kb = Math.round(DATA.bytes / 1000);
  el("p", { class: "c5-note", text: `Kernel-free lab: runs in your browser, in a background ` +
    `thread. It uses the first ${DATA.n.toLocaleString("en")} MNIST training images, shipped ` +
    `with this site as one file of ${kb.toLocaleString("en")} kB (${DATA.file}: 784 pixel ` +
    `values 0–255 per image, then the ${DATA.n} labels), loaded when the lab starts.` }, root);
  const notes = el("p", { class: "c5-note c5-lab-warn c5-lab-notes", role: "status" }, root);

  const presetRow = el("div", { class: "c5-lab-presets" }, root);
  const presetId = uniqueId("c5-lab-preset");
  el("label", { for: presetId, text: "preset" }, presetRow);
  const presetSelect = el("select", { id: presetId, class: "c5-lab-preset" }, presetRow);
  for (const name of Object.keys(PRESETS)) el("option", { value: name, text: name }, presetSelect);
  el("option", { value: CUSTOM, text: "custom (changed by hand)", disabled: "" }, presetSelect);
  const link = el("a", { href: "#", class: "c5-lab-link", text: "link to this experiment" }, presetRow);

  const controlBox = el("fieldset", { class: "c5-lab-controls" }, root);
  el("legend", { class: "c5-note", text: "Network and training settings" }, controlBox);
  const grid = el("div", { class: "c5-controls" }, controlBox);
  const controls = {};
  const change = (key) => (v) => {
    state.config[key] = v;
    state.preset = PRESETS[state.preset] && sameControls(state.config, configOf(state.preset))
      ? state.preset : CUSTOM;
    changed();
  };
  controls.depth = numberControl(grid, { label: "depth", cls: "depth", min: DEPTH_RANGE[0],
    max: DEPTH_RANGE[1], step: 1, parse: (t) => clampInt(t, ...DEPTH_RANGE), onChange: change("depth") });
  controls.width = numberControl(grid, { label: "width", cls: "width", min: WIDTH_RANGE[0],
    max: WIDTH_RANGE[1], step: 1, parse: (t) => clampInt(t, ...WIDTH_RANGE), onChange: change("width") });
  controls.eta = numberControl(grid, { label: "η", cls: "eta", ...ETA_EXPONENT,
    toSlider: (v) => Math.log10(v), fromSlider: (e) => Number((10 ** e).toPrecision(12)),
    parse: (t) => PARSERS.eta[0](t), show: etaText, onChange: change("eta") });
  controls.n_images = numberControl(grid, { label: "images", cls: "images", ...IMAGES_SLIDER,
    parse: (t) => clampInt(t, 1, SHIPPED), onChange: change("n_images") });
  const seedRow = el("div", { class: "c5-row" }, grid);
  const seedId = uniqueId("c5-lab-seed");
  el("label", { for: seedId, text: "seed" }, seedRow);
  const seedBox = el("input", { id: seedId, type: "text", inputmode: "numeric",
    class: "c5-number c5-lab-seed" }, seedRow);
  seedBox.addEventListener("change", () => {
    const v = clampInt(seedBox.value.trim(), 0, SEED_MAX);
    if (v === null) seedBox.value = String(state.config.seed);
    else {
      seedBox.value = String(v);
      change("seed")(v);
    }
  });
  controls.seed = { set: (v) => { seedBox.value = String(v); } };
  controls.activation = choiceControl(controlBox, { legend: "activation", name: "activation",
    options: ACTIVATIONS, labels: ACTIVATION_LABELS, onChange: change("activation") });
  controls.init = choiceControl(controlBox, { legend: "init", name: "init", options: INITS,
    labels: INIT_LABELS, onChange: change("init") });

  const figs = el("div", { class: "c5-figs" }, root);
  const views = [];
  const legendTop = legendView(figs, false);
  figs.lastChild.classList.add("c5-wide");
  views.push(legendTop);
  views.push(initView(el("div", { class: "c5-half" }, figs)));
  const readoutBox = el("div", { class: "c5-half" }, figs);
  const drawReadout = readoutView(readoutBox);
  views.push(histogramView(el("div", { class: "c5-half" }, figs), "activation"));
  views.push(histogramView(el("div", { class: "c5-half" }, figs), "gradient"));

  const predict = el("div", { class: "c5-lab-predict", role: "group",
    "aria-label": "Predict, then train" }, root);
  el("b", { text: "Predict, then train:" }, predict);
  const guessLayerId = uniqueId("c5-lab-guess-layer");
  el("label", { for: guessLayerId, text: "slowest layer" }, predict);
  const guessLayer = el("select", { id: guessLayerId, class: "c5-lab-guess-layer" }, predict);
  const guessFactorId = uniqueId("c5-lab-guess-factor");
  el("label", { for: guessFactorId, text: "slower than the fastest by about" }, predict);
  const guessFactor = el("select", { id: guessFactorId, class: "c5-lab-guess-factor" }, predict);
  for (const f of GUESS_FACTORS) el("option", { value: String(f), text: `${f}×` }, guessFactor);
  guessFactor.value = "10";
  const guessButton = el("button", { type: "button", class: "c5-lab-guess", text: "Lock in my guess" }, predict);
  el("span", { class: "c5-note", text: "(kept in this browser only)" }, predict);

  const trainRow = el("div", { class: "c5-lab-train" }, root);
  const trainButton = el("button", { type: "button", class: "c5-lab-train-button",
    text: `Train ${TRAIN_EPOCHS} epochs` }, trainRow);
  const stopButton = el("button", { type: "button", class: "c5-lab-stop", text: "Stop" }, trainRow);
  const progressId = uniqueId("c5-lab-progress");
  el("label", { for: progressId, text: "progress" }, trainRow);
  const progress = el("progress", { id: progressId, class: "c5-lab-progress", max: TRAIN_EPOCHS, value: 0 }, trainRow);
  const status = el("span", { class: "c5-note c5-lab-status", role: "status", "aria-live": "polite" }, trainRow);

  const result = el("div", {}, root);
  const drawResult = resultView(result);
  const trainFigs = el("div", { class: "c5-figs" }, root);
  const legendTrain = legendView(trainFigs, true);
  trainFigs.lastChild.classList.add("c5-wide");
  // Redrawn only when their part of the state changed: while training, only these.
  const trainViews = [legendTrain, trainView(el("div", { class: "c5-half" }, trainFigs)),
    ratioView(el("div", { class: "c5-half" }, trainFigs))];

  // ---------------------------------------------------------------- state -> screen
  function needsGuess() {
    return !state.trained.includes(state.preset) && !(state.preset in state.guesses);
  }

  function syncControls() {
    presetSelect.value = state.preset;
    for (const k of FIELDS) controls[k].set(state.config[k]);
    const depth = state.config.depth;
    if (guessLayer.options.length !== depth) {
      const keep = Number(guessLayer.value) || 1;
      guessLayer.replaceChildren();
      for (let l = 1; l <= depth; l++) el("option", { value: String(l), text: `layer ${l}` }, guessLayer);
      guessLayer.value = String(Math.min(keep, depth));
    }
    setAttr(link, "href", formatHash(state.preset, state.config));
  }

  let frame = 0;
  const drawn = { init: [], train: [] }; // what the views show now
  let painted = null; // called once the frame that shows the current state is on screen
  const afterPaint = [];
  const paintChannel = new MessageChannel();
  paintChannel.port1.onmessage = () => {
    const now = performance.now();
    for (const done of afterPaint.splice(0)) done(now);
  };
  function render(inFrame = false) {
    const t0 = performance.now();
    lastRender = t0;
    frame = 0;
    const r = readouts({ init: state.init, speeds: state.speeds, preset: state.preset,
      guesses: state.guesses, trained: state.trained });
    const initMark = [state.init, state.config.depth];
    if (initMark.some((v, i) => v !== drawn.init[i])) {
      for (const draw of views) draw(state);
      drawReadout(state, r);
      drawn.init = initMark;
    }
    const trainMark = [state.speeds, state.speeds.length, state.planned, state.config.depth];
    if (trainMark.some((v, i) => v !== drawn.train[i])) {
      for (const draw of trainViews) draw(state);
      drawn.train = trainMark;
    }
    drawResult(state, r);
    setText(notes, [state.error, ...state.notes].filter(Boolean).join(" · "));
    notes.hidden = !notes.textContent;
    controlBox.disabled = state.running;
    presetSelect.disabled = state.running;
    const locked = needsGuess();
    trainButton.disabled = locked || state.running || !state.init;
    trainButton.title = locked ? "lock in a guess first" : "";
    stopButton.disabled = !state.running;
    guessButton.disabled = state.running;
    progress.max = state.planned;
    progress.value = state.speeds.length;
    setText(status, state.status || (locked
      ? "Make a guess for this preset to unlock Train." : ""));
    root.dataset.running = String(state.running);
    timings.render.push(performance.now() - t0);
    if (timings.render.length > 2000) timings.render.splice(0, 1000);
    root.dataset.settled = String(!state.running && state.initKey === configKey(state.config) &&
      !inFlight);
    if (painted) {
      // A task queued from an animation frame callback runs right after that frame is
      // rendered: from this one when render runs in it (it wrote the views this frame paints),
      // else from the next.
      const done = painted;
      painted = null;
      const afterThisFrame = () => {
        afterPaint.push(done);
        paintChannel.port2.postMessage(0);
      };
      if (inFrame) afterThisFrame();
      else requestAnimationFrame(afterThisFrame);
    }
  }
  // While training, redraw at most every TRAIN_FRAME_MS: the curve still grows live, and the
  // main thread leaves the cores to the worker (the first point is drawn at once).
  let lastRender = -Infinity;
  const renderInFrame = () => render(true);
  function schedule() {
    if (frame) return;
    const wait = state.running ? lastRender + TRAIN_FRAME_MS - performance.now() : 0;
    if (wait > 0) frame = setTimeout(() => { frame = requestAnimationFrame(renderInFrame); }, wait);
    else frame = requestAnimationFrame(renderInFrame);
  }

  // ---------------------------------------------------------------- the worker
  let worker = null;
  let nextId = 1;
  let inFlight = null; // {id, key, t0}: the at-init request being computed
  let trainId = null;
  let trainT0 = 0;
  const waiters = new Map(); // id -> resolve, for params requests (tests)
  // For benchmarks/bench_lab_web.py: control move -> at-init views painted, Train -> first
  // curve point painted, and each run's epochs and time.
  const timings = { moves: [], firstEpoch: [], runs: [], render: [], data: null };
  let moveT0 = null;

  function requestInit() {
    if (!worker) return;
    if (inFlight) return; // the reply asks again for the newest config
    const id = nextId++;
    inFlight = { id, key: configKey(state.config), t0: moveT0 ?? performance.now() };
    moveT0 = null;
    worker.postMessage({ type: "init", id, config: { ...state.config } });
  }

  function onMessage(event) {
    const msg = event.data;
    if (msg.type === "data") {
      timings.data = msg;
    } else if (msg.type === "init") {
      const started = inFlight;
      inFlight = null;
      state.error = "";
      if (state.status === LOADING) state.status = "";
      if (configKey(msg.config) !== configKey(state.config)) {
        // The controls moved on while this was computed: drop it (only the newest state's
        // views are painted) and ask for the newest config.
        requestInit();
        schedule();
        return;
      }
      state.init = msg.result;
      state.initKey = configKey(msg.config);
      if (started) {
        const t0 = started.t0;
        painted = (t1) => timings.moves.push({ ms: t1 - t0, worker: msg.ms });
      }
      schedule();
    } else if (msg.type === "epoch") {
      if (msg.id !== trainId) return;
      if (msg.epoch === 0) {
        const t0 = trainT0;
        painted = (t1) => timings.firstEpoch.push(t1 - t0);
      }
      state.speeds.push(msg.speeds);
      state.ratios.push([msg.epoch, msg.updateRatio]);
      state.status = `epoch ${msg.epoch + 1} of ${state.planned}`;
      schedule();
    } else if (msg.type === "done") {
      if (msg.id !== trainId) return;
      state.running = false;
      trainId = null;
      timings.runs.push({ epochs: msg.epochs, ms: msg.ms, config: { ...state.config } });
      state.status = msg.diverged
        ? `training diverged after ${msg.epochs} epochs: η = ${etaText(state.config.eta)} is ` +
          "too large for this net (a weight became infinite); try a smaller η"
        : `${msg.stopped ? "stopped after" : "done:"} ${msg.epochs} epochs in ` +
          `${(msg.ms / 1000).toFixed(1)} s`;
      if (!state.trained.includes(state.preset)) state.trained.push(state.preset);
      saveStore(state);
      schedule();
    } else if (msg.type === "params") {
      const resolve = waiters.get(msg.id);
      waiters.delete(msg.id);
      if (resolve) resolve(msg.params);
    } else if (msg.type === "error") {
      if (msg.request === "init") inFlight = null;
      if (msg.request === "train" && msg.id === trainId) {
        state.running = false;
        trainId = null;
      }
      const resolve = waiters.get(msg.id);
      if (resolve) {
        waiters.delete(msg.id);
        resolve({ error: msg.message });
      }
      state.error = msg.message;
      schedule();
    }
  }

  function start() {
    if (worker) return;
    worker = new Worker(new URL("./lab_worker.js", import.meta.url), { type: "module" });
    worker.onmessage = onMessage;
    worker.onerror = (event) => {
      state.error = `the lab's worker failed: ${event.message || "it could not start"}`;
      inFlight = null;
      state.running = false;
      schedule();
    };
    state.status = LOADING;
    requestInit();
    schedule();
  }

  // ---------------------------------------------------------------- controls -> state
  function writeHash() {
    const hash = formatHash(state.preset, state.config);
    if (location.hash !== hash) history.replaceState(history.state, "", hash);
  }

  function changed({ fromHash: hashChange = false } = {}) {
    moveT0 = performance.now();
    // A move leaves the (empty) training views alone: a new array would make render redraw them.
    if (state.speeds.length) state.speeds = [];
    if (state.ratios.length) state.ratios = [];
    state.status = "";
    if (!hashChange) {
      state.notes = [];
      writeHash();
    }
    syncControls();
    root.dataset.settled = "false";
    requestInit();
    schedule();
  }

  presetSelect.addEventListener("change", () => {
    const name = presetSelect.value;
    if (!PRESETS[name]) return;
    state.preset = name;
    state.config = configOf(name);
    changed();
  });
  guessButton.addEventListener("click", () => {
    const layer = Number(guessLayer.value);
    const factor = Number(guessFactor.value);
    if (!(layer >= 1 && layer <= state.config.depth) || !GUESS_FACTORS.includes(factor)) return;
    state.guesses[state.preset] = { layer, factor };
    saveStore(state);
    state.status = "";
    schedule();
  });
  trainButton.addEventListener("click", () => {
    if (state.running || needsGuess() || !worker) return;
    state.running = true;
    state.speeds = [];
    state.ratios = [];
    state.planned = TRAIN_EPOCHS;
    state.status = "starting…";
    trainId = nextId++;
    trainT0 = performance.now();
    worker.postMessage({ type: "train", id: trainId, config: { ...state.config }, epochs: state.planned });
    schedule();
  });
  stopButton.addEventListener("click", () => {
    if (trainId !== null) worker.postMessage({ type: "stop", id: trainId });
  });
  window.addEventListener("hashchange", () => {
    if (!location.hash.startsWith(HASH_PREFIX) || state.running) return;
    if (location.hash === formatHash(state.preset, state.config)) return;
    const h = parseHash(location.hash);
    state.preset = h.preset;
    state.config = h.config;
    state.notes = h.notes;
    changed({ fromHash: true });
  });

  syncControls();
  render();

  // The images load when the lab comes near the screen, not with the page.
  if (typeof IntersectionObserver === "undefined") start();
  else {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        start();
      }
    }, { rootMargin: "300px" });
    seen.observe(root);
  }

  const api = {
    state, timings, start,
    /** exportParams of the net the current config starts from (tests compare with Python). */
    params(config = state.config) {
      start();
      const id = nextId++;
      return new Promise((resolve) => {
        waiters.set(id, resolve);
        worker.postMessage({ type: "params", id, config: { ...config } });
      });
    },
    readouts: () => readouts({ init: state.init, speeds: state.speeds, preset: state.preset,
      guesses: state.guesses, trained: state.trained }),
  };
  root.c5 = api;
  window.c5lab = api;
  root.dataset.ready = "true";
}

for (const root of document.querySelectorAll('div.c5-web-explorer[data-explorer="lab"]')) {
  mount(root);
}
