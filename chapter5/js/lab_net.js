// The deep-network lab's math for the website: one MNIST network's per-layer learning, at
// initialisation and in training, without a Python kernel (notebook 07-deep-network-lab).
//
// This module mirrors chapter5/lab.py and the parts of chapter5/network.py it uses, operation by
// operation; tests/test_lab_js_parity.py runs it under node on Python's initial weights and holds
// every speed and update ratio of 50 epochs equal to 1e-9 relative, every histogram count and
// share exactly, and every readout string character for character. No DOM: it runs in a module
// Web Worker and under node. Layers are indexed like the book: hidden layer l = 1..depth is
// index l - 1 of every per-layer array; weight matrix i = 0..depth maps layer i to layer i + 1
// (the hidden layers' matrices, then the output layer's).
//
// Two activation tables, as in Python:
// * atInit is the textbook pass of chapter5.network.Network.gradients: sigma and sigma' from z,
//   in the overflow-free forms of chapter5/activations.py;
// * trainEpoch is protocol C as chapter5/_kernel.py runs it: sigmoid 1 / (1 + exp(-z)), and
//   sigma' from the activation a: a (1 - a), 1 - a^2, [a > 0].
// Training: cross-entropy cost (delta^L = a^L - y) plus L2 with n = the number of images;
// one full-batch step per epoch, w <- (1 - eta lmbda / n) w - (eta / n) sum_x dC_x/dw,
// b <- b - (eta / n) sum_x dC_x/db; the speeds are recorded from that same pass, before the step.
//
// Speed: Float64Array scratch buffers made once per network shape and image count, reused by
// every epoch and every net of that shape;
// every product is a dot product over contiguous rows (w and its transpose are both kept);
// in the first layer a pixel that is exactly 0 is skipped, in the forward pass and in the weight
// gradient (about 80 % of MNIST's pixels are 0). Adding 0 * w changes no sum, so the numbers are
// those of the full products.
//
// The page's own initialisation (initialParams; Python's numpy generator is not reproduced --
// the parity test hands Python's weights over instead):
// * uniform numbers from xoshiro128** (Blackman and Vigna's 32-bit generator: state s0..s3,
//   output rotl(s1 * 5, 7) * 9), its state filled by a splitmix32 sequence started at the low 32
//   bits of the seed, each word XOR-ed with a second splitmix32 sequence started at the high bits;
// * a uniform double in [0, 1) from two outputs: (a >>> 5) * 2^26 + (b >>> 6), over 2^53;
// * normal numbers by Marsaglia's polar method: u, v uniform in (-1, 1), accept s = u^2 + v^2 in
//   (0, 1), return u f and then v f with f = sqrt(-2 ln(s) / s). The accept/reject decisions use
//   exact arithmetic, so every JavaScript engine draws the same sequence; Math.log may differ
//   by an ulp between engines, so the values agree to about 1e-16 relative.
// * draw order as chapter5.network.Network: for each weight matrix in turn, its weights
//   row-major (n_out x n_in), then its biases where they are random.
// Initialisations (n_in inputs, n_out outputs of a layer): default w ~ N(0, 1/n_in), b ~ N(0, 1);
// large w ~ N(0, 1), b ~ N(0, 1); small w ~ N(0, 0.01^2), b = 0; zeros w = 0, b = 0;
// xavier w ~ N(0, 2/(n_in + n_out)), b = 0; he w ~ N(0, 2/n_in), b = 0.

//
// The modules (each one idea; this one re-exports their public names, so a page, the worker and
// the tests import from here):
// * lab_config.js   -- constants, bin edges, checkConfig, layerSizes, makeImages;
// * lab_random.js   -- the seeded generator, the normal sampler and initialParams;
// * lab_products.js -- the products of both passes and their scratch buffers;
// * lab_network.js  -- makeNet, exportParams, trainEpoch (protocol C), ratioLastFirst;
// * lab_at_init.js  -- atInit (speeds, histograms, saturation) and the histogram bins;
// * lab_readouts.js -- readouts.

export {
  ACTIVATIONS, ACTIVATION_BINS, DEFAULT_CONFIG, DEPTH_RANGE, GRADIENT_LOG10_BINS, INITS,
  MAX_ETA, MAX_IMAGES, MAX_LMBDA, N_INPUTS, N_OUTPUTS, PEAK_DERIVATIVE, SATURATION_FRACTION,
  WIDTH_RANGE, checkConfig, layerSizes, makeImages,
} from "./lab_config.js";
export { initialParams, makeRandom } from "./lab_random.js";
export { exportParams, makeNet, ratioLastFirst, trainEpoch } from "./lab_network.js";
export { activationBin, atInit, gradientBin } from "./lab_at_init.js";
export { readouts } from "./lab_readouts.js";
