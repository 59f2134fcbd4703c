// The deep-network lab's Web Worker (module worker): every number the website lab shows is
// computed here, by lab_net.js, so the page's main thread only draws and never stalls.
//
// Protocol (every message is a plain object with a `type` and the request's `id`):
//   page -> worker
//     {type: "init",   id, config}          the at-init views for `config`
//     {type: "params", id, config}          exportParams of the net `config` starts from
//     {type: "train",  id, config, epochs}  protocol C for `epochs` epochs (ends a running one)
//     {type: "stop",   id}                  end training `id` after its current epoch
//   worker -> page
//     {type: "data",   n, bytes, ms}        the images arrived (first request only)
//     {type: "init",   id, config, result, ms}
//     {type: "params", id, params}
//     {type: "epoch",  id, epoch, speeds, updateRatio}   one small message per epoch
//     {type: "done",   id, epochs, stopped, diverged, ms}   diverged: a step blew up (eta)
//     {type: "error",  id, message}         bad config, missing data: said in words
//
// The images (lab_mnist.bin, described by lab_presets.js's DATA) are fetched on the first
// request, i.e. when the explorer starts, not when the page loads.

import {
  atInit, checkConfig, exportParams, initialParams, makeImages, makeNet, trainEpoch,
} from "./lab_net.js";
import { DATA } from "./lab_presets.js";

const PIXELS = 784;
let raw = null; // Promise of {pixels: Uint8Array, labels: Uint8Array}
let images = null; // {n, value}: the last makeImages result, reused while n is unchanged
let training = null; // {id, stop}

function loadData() {
  if (raw) return raw;
  const t0 = performance.now();
  raw = fetch(new URL(DATA.file, import.meta.url)).then((response) => {
    if (!response.ok) {
      throw new Error(`the lab's images (${DATA.file}) could not be loaded: HTTP ${response.status}`);
    }
    return response.arrayBuffer();
  }).then((buffer) => {
    if (buffer.byteLength !== DATA.bytes) {
      throw new Error(`${DATA.file} holds ${buffer.byteLength} bytes, expected ${DATA.bytes}; ` +
        "rebuild the book (make book)");
    }
    const out = {
      pixels: new Uint8Array(buffer, DATA.pixelsOffset, DATA.n * PIXELS),
      labels: new Uint8Array(buffer, DATA.labelsOffset, DATA.n),
    };
    postMessage({ type: "data", n: DATA.n, bytes: DATA.bytes, ms: performance.now() - t0 });
    return out;
  });
  raw.catch(() => { raw = null; }); // a later request tries again
  return raw;
}

async function imagesFor(config) {
  const { pixels, labels } = await loadData();
  if (!images || images.n !== config.n_images) {
    images = { n: config.n_images, value: makeImages(pixels, labels, config.n_images) };
  }
  return images.value;
}

// The last config's starting parameters: Train after an at-init view need not draw them again
// (makeNet copies them, so the cached arrays never change).
let start = { key: null, params: null };
function netFor(config) {
  const key = JSON.stringify(config);
  if (start.key !== key) start = { key, params: initialParams(config) };
  return makeNet(config, start.params);
}

// Let queued messages (a "stop") run between epochs without the 4 ms clamp of nested timers.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()();
function yieldToMessages() {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

async function train(id, config, epochs) {
  const t0 = performance.now();
  const job = { id, stop: false };
  training = job;
  const data = await imagesFor(config);
  const net = netFor(config);
  let done = 0;
  let diverged = false;
  for (let epoch = 0; epoch < epochs && !job.stop && training === job; epoch++) {
    const r = trainEpoch(net, data);
    // A step that left a parameter infinite or NaN (eta too large) ends the run; its record is
    // sent only if every number in it is one the page can draw.
    const usable = Array.prototype.every.call(r.speeds, (v) => Number.isFinite(v) && v >= 0);
    if (usable) {
      done = epoch + 1;
      postMessage({ type: "epoch", id, epoch, speeds: r.speeds, updateRatio: r.updateRatio });
    }
    if (r.diverged || !usable) {
      diverged = true;
      break;
    }
    await yieldToMessages();
  }
  if (training === job) training = null;
  postMessage({ type: "done", id, epochs: done, stopped: done < epochs, diverged,
    ms: performance.now() - t0 });
}

// Once, after the first at-init view is sent: one protocol-C epoch of a throwaway copy of that
// net on a few images, so the engine has compiled the training code before the reader's first
// Train (that first epoch would otherwise run cold). Nothing it computes is shown or kept.
let warmed = false;
function warmUp(config, data) {
  warmed = true;
  const small = checkConfig({ ...config, n_images: Math.min(config.n_images, 100) });
  trainEpoch(netFor(small), data);
}

async function handle(msg) {
  const { type, id } = msg;
  if (type === "stop") {
    if (training && (id === undefined || training.id === id)) training.stop = true;
    return;
  }
  const config = checkConfig(msg.config);
  if (type === "init") {
    const t0 = performance.now();
    const data = await imagesFor(config);
    const result = atInit(netFor(config), data);
    postMessage({ type: "init", id, config, result, ms: performance.now() - t0 });
    if (!warmed) warmUp(config, data);
  } else if (type === "params") {
    postMessage({ type: "params", id, params: exportParams(netFor(config)) });
  } else if (type === "train") {
    const epochs = msg.epochs;
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 5000) {
      throw new Error(`epochs must be a whole number from 1 to 5000; got ${epochs}`);
    }
    if (training) training.stop = true;
    await train(id, config, epochs);
  } else {
    throw new Error(`unknown request type ${JSON.stringify(type)}`);
  }
}

self.onmessage = (event) => {
  const msg = event.data || {};
  handle(msg).catch((err) => {
    postMessage({ type: "error", id: msg.id, request: msg.type, message: String(err && err.message || err) });
  });
};
