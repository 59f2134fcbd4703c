"""Every public function and method of ``chapter5`` rejects bad input clearly.

The test finds the callables itself: it walks every module of the package, takes each public name
defined there (functions, classes and their public methods), and feeds each parameter in turn the
usual bad values (None, NaN, infinities, 1e308, negatives, zero, empty, wrong shape, wrong type,
bool, a huge count) while the other parameters keep valid example values from :data:`CASES`.
Each call must, within :data:`TIME_LIMIT` seconds,

* raise ValueError or TypeError whose message names the parameter, or
* return a result that is documented to be correct for that value (listed in the case's ``ok``),
  holding no NaN (and no infinity unless the case says infinities are part of the answer).

A callable with parameters but no entry in :data:`CASES` fails, so a new public function is
covered the day it is written. Run ``python tests/test_bad_input.py`` for the counts.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import math
import pkgutil
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import chapter5

TIME_LIMIT = 5.0  # seconds per call; every clear error comes back in well under a millisecond

BAD_VALUES: tuple[tuple[str, Any], ...] = (
    ("None", None),
    ("nan", math.nan),
    ("inf", math.inf),
    ("-inf", -math.inf),
    ("1e308", 1e308),
    ("negative", -3),
    ("negative float", -0.5),
    ("zero", 0),
    ("fraction", 2.5),
    ("empty list", []),
    ("empty string", ""),
    ("empty array", np.array([])),
    ("wrong shape", np.zeros((2, 3, 4))),
    ("string", "abc"),
    ("object", object()),
    ("bool", True),
    ("huge", 10**9),
)
LABELS = {label for label, _ in BAD_VALUES}

# Groups of labels for the ``ok`` sets below.
REALS = {"negative", "negative float", "zero", "fraction", "1e308", "huge"}
NONZERO_REALS = {"negative", "negative float", "fraction", "1e308", "huge"}
IN_SLIDER_RANGE = {"negative", "negative float", "zero", "fraction"}  # |x| <= 3
BAND_OK = {"w": IN_SLIDER_RANGE, "b": IN_SLIDER_RANGE}
BAND_SET_OK = {"w": {"None"} | IN_SLIDER_RANGE, "b": {"None"} | IN_SLIDER_RANGE}  # None: keep
MODERATE_REALS = {"negative", "negative float", "zero", "fraction", "huge"}  # |x| <= 1e9
SHAPES = {"empty list", "empty array", "wrong shape"}
IEEE = {"nan", "inf", "-inf"}  # NaN in -> NaN out, infinities -> the limits
STRINGS = {"empty string", "string"}


@dataclass
class Case:
    """Valid example arguments for one callable, and which bad values have a documented result.

    ``args``: a valid value for each parameter (parameters not listed keep their defaults).
    ``self``: for a method, makes the instance. ``ok``: parameter -> labels of bad values whose
    result is correct and documented. ``inf_ok``: infinities are part of a correct result
    (e.g. a log of 0). ``nan_ok``: labels for which NaN is the documented result (NaN in).
    """

    args: dict[str, Callable[[], Any] | Any] = field(default_factory=dict)
    self: Callable[[], Any] | None = None
    ok: dict[str, set[str]] = field(default_factory=dict)
    inf_ok: bool = False
    nan_ok: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- example arguments
def _chain() -> Any:
    from chapter5.chain import Chain
    return Chain(np.array([1.0, -2.0, 0.5]), np.array([0.0, 0.5, -1.0]), 1.0)


def _grads() -> Any:
    from chapter5.chain import gradients
    return gradients(_chain())


def _circuit() -> Any:
    from chapter5.circuits import full_adder
    return full_adder()


def _builder() -> Any:
    from chapter5.circuits import CircuitBuilder
    b = CircuitBuilder(["x1", "x2"])
    b.gate("AND", 0, 1)
    return b


def _tiny_mnist() -> Any:
    from chapter5.data import MNIST, Split
    rng = np.random.default_rng(0)

    def part(n: int) -> Split:
        return Split(rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n))

    return MNIST(part(30), part(10), part(10), source="test data")


def _notebook() -> dict[str, Any]:
    return {"cells": [
        {"cell_type": "markdown", "source": 'w is <span data-glue="w:.1f">2.0</span>'},
        {"cell_type": "code", "source": "glue('w', 2.0)", "outputs": [
            {"output_type": "display_data",
             "data": {"application/papermill.record/text/plain": "2.0"},
             "metadata": {"scrapbook": {"name": "w",
                                        "mime_prefix": "application/papermill.record/"}}}]},
    ]}


def _speeds_result(during: bool) -> Any:
    from chapter5 import experiments as E
    data = _tiny_mnist()
    if during:
        return E.speeds_during_training((2,), seeds=(0,), epochs=2, n_images=20, data=data,
                                        progress=False)
    return E.speeds_at_init((2,), seeds=(0, 1), n_images=20, data=data, progress=False)


def _accuracy_result() -> Any:
    from chapter5 import experiments as E
    return E.accuracy_vs_depth((1,), seeds=(0,), epochs=1, n_train=20, data=_tiny_mnist(),
                               progress=False)


def _net() -> Any:
    from chapter5.network import Network
    return Network([4, 3, 2], seed=0)


def _xy(n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    return rng.random((n, 4)), rng.integers(0, 2, n)


def _x() -> np.ndarray:
    return _xy()[0]


def _y() -> np.ndarray:
    return _xy()[1]


def _mnist_xy() -> tuple[np.ndarray, np.ndarray]:
    d = _tiny_mnist()
    return d.train.x[:10], d.train.y[:10]


def _mnist_net() -> Any:
    from chapter5.network import Network
    return Network([784, 5, 5, 10], seed=0)


def _chain_explorer() -> Any:
    from chapter5.viz.chain import ChainExplorer
    return ChainExplorer(3)


def _circuits_explorer() -> Any:
    from chapter5.viz.circuits_explorer import CircuitsExplorer
    return CircuitsExplorer(3)


def _band_explorer() -> Any:
    from chapter5.viz.prevalence import BandExplorer
    return BandExplorer()


def _readout_now(explorer: Any) -> dict[str, str]:
    return dict(explorer.readouts(explorer.state, explorer.result))


def _ax() -> Any:
    from matplotlib.figure import Figure
    return Figure().subplots()


def _figure() -> Any:
    from matplotlib.figure import Figure
    return Figure()


def _trace() -> Any:
    from chapter5.network import Network
    from chapter5.obstacles import track_hidden_means
    x, y = _mnist_xy()
    return track_hidden_means(Network([784, 5, 5, 10], seed=0), x, y, x, y, epochs=1,
                              mini_batch_size=2, records_per_epoch=2)


def _speed_panels() -> dict[str, dict[str, np.ndarray]]:
    return {"default": {"sigmoid": np.array([[0.01, 0.1], [0.02, 0.2]])}}


def _factors() -> dict[str, dict[str, np.ndarray]]:
    from chapter5.network import Network
    from chapter5.obstacles import layer_factors
    x, y = _mnist_xy()
    return {"default": layer_factors(Network([784, 5, 5, 10], seed=0), x, y)}


@dataclass
class _TinyState:
    """The state of the tiny explorer below: one weight."""

    w: float = 0.5


@functools.cache
def _tiny_classes() -> tuple[type, type]:
    """A panel and an explorer in a few lines, as a reader would write them (the framework's
    hooks are fed through these: the checks are the framework's, not theirs)."""
    import ipywidgets as widgets

    from chapter5.viz.explorer import Explorer, Panel, readout_row

    class TinyPanel(Panel):
        def __init__(self, ax: Any) -> None:
            super().__init__()
            with self.moving(ax):
                (self.dot,) = ax.plot([], [], "o")

        def update(self, state: Any, result: Any) -> None:
            self.dot.set_data([state.w], [state.w])  # the state alone: result is opaque here

    class TinyExplorer(Explorer):
        def __init__(self, start: bool = True) -> None:
            if start:
                self.start(_TinyState(), [_tiny_slider()], _tiny_picture())

        def compute(self, state: Any) -> float:
            return 2.0 * state.w

        def readouts(self, state: Any, result: Any) -> dict[str, str]:
            return {"w": f"{state.w:.2f}"}

        def readout_html(self, values: dict[str, str]) -> str:
            return readout_row({"w": "w ="}, values)

        def layout(self) -> Any:
            return widgets.VBox([*self.controls.values(), self.readout, self.image])

    return TinyPanel, TinyExplorer


def _tiny_state() -> _TinyState:
    return _TinyState()


def _tiny_panel() -> Any:
    from chapter5.viz.explorer import new_figure
    return _tiny_classes()[0](new_figure((2.0, 1.5), dpi=40).add_subplot())


def _tiny_picture() -> Any:
    from chapter5.viz.explorer import Picture, new_figure
    fig = new_figure((2.0, 1.5), dpi=40)
    return Picture(fig, [_tiny_classes()[0](fig.add_subplot())])


def _tiny_slider() -> Any:
    from chapter5.viz.explorer import float_slider
    return float_slider("w", "w", 0.5, (-1.0, 1.0, 0.01))


def _tiny_explorer() -> Any:
    return _tiny_classes()[1]()


def _slider_widget() -> Any:
    import ipywidgets as widgets
    return widgets.FloatSlider(value=0.5, min=-1.0, max=1.0, step=0.01)


# ---- the lab (chapter5.lab, chapter5.viz.lab*) and the MNIST loaders (chapter5.data)
LAB_PRESET = "chapter 2 hidden, default init"


def _lab_config() -> Any:
    from chapter5.lab import LabConfig
    return LabConfig(depth=2, width=10, n_images=10, seed=0)


def _lab_xy(n: int = 12) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2)
    return rng.random((n, 784)), rng.integers(0, 10, n)


def _lab_init() -> Any:
    from chapter5.lab import at_init
    return at_init(_lab_config(), *_lab_xy())


def _lab_state(trained: bool = False) -> Any:
    from chapter5.lab import run
    from chapter5.viz.lab_state import LabState
    state = LabState(config=_lab_config(), preset="custom", init=_lab_init())
    if trained:
        speeds, ratios = run(state.config, *_lab_xy(), 4, chunk=2)
        state.speeds, state.ratios = list(speeds), [(1, ratios[0]), (3, ratios[1])]
    return state


def _lab_panel(name: str) -> Any:
    """A panel that has drawn the case's state once: its background is cached (a first full
    draw costs seconds on a busy machine), so the timed call checks its argument and blits."""
    from chapter5.viz import lab_panels
    panel = getattr(lab_panels, name)()
    panel.update(_lab_state(True))
    return panel


@functools.cache
def _shared_lab() -> Any:
    """One headless Lab on 1000 random images, trained once as the Train case trains it: its
    figures' backgrounds are drawn (a full draw costs up to seconds on a busy machine), so a
    call moves artists only. Every bad value is refused before the lab changes."""
    from chapter5.viz.lab import Lab
    x, y = _lab_xy(1000)
    lab_ = Lab(x.astype(np.float32), y, preset=LAB_PRESET)
    lab_.lock_guess(1, 10.0)
    lab_.train(epochs=2, chunk=1)
    return lab_


def _guessed_lab() -> Any:
    lab_ = _shared_lab()
    lab_.lock_guess(1, 10.0)  # for the preset a previous case left (time_moves: "custom")
    return lab_


#: An http mirror that exists only in this test: the offline opener below serves the fake files
#: under it and refuses every other URL.
FAKE_MIRROR = "https://mirror.invalid/mnist/"


@functools.cache
def _fake_mnist() -> tuple[Path, dict[str, str]]:
    """Four tiny IDX files (1 x 1 pixel images; 10 training images besides the 10,000 the book's
    split keeps for validation) and the sha256 of their decompressed content, the way
    chapter5/_mnist_files.py checks them."""
    import atexit
    import gzip
    import hashlib
    import shutil
    import tempfile

    from chapter5.data import IDX_FILES, N_VALIDATION
    d = Path(tempfile.mkdtemp(prefix="chapter5-fake-mnist-"))
    atexit.register(shutil.rmtree, d, True)
    rng = np.random.default_rng(3)
    n_train, n_test = N_VALIDATION + 10, 5
    sums = {}
    for name, shape in zip(IDX_FILES, ((n_train, 1, 1), (n_train,), (n_test, 1, 1), (n_test,)),
                           strict=True):
        arr = rng.integers(0, 256 if len(shape) == 3 else 10, shape).astype(np.uint8)
        raw = bytes([0, 0, 8, arr.ndim]) + b"".join(n.to_bytes(4, "big") for n in shape)
        raw += arr.tobytes()
        (d / name).write_bytes(gzip.compress(raw))
        sums[name] = hashlib.sha256(raw).hexdigest()
    return d, sums


def _fake_mnist_dir() -> Path:
    return _fake_mnist()[0]


def _fake_sums() -> dict[str, str]:
    return dict(_fake_mnist()[1])


class _OfflineOpener:
    """Stands in for chapter5._download's urllib opener: FAKE_MIRROR's files, nothing else."""

    def open(self, url: str, timeout: float | None = None) -> Any:
        import io
        if not url.startswith(FAKE_MIRROR):
            raise OSError(f"the bad-input test is offline: refused to open {url}")
        body = (_fake_mnist_dir() / url[len(FAKE_MIRROR):]).read_bytes()
        response = io.BytesIO(body)
        response.headers = {"Content-Length": str(len(body))}  # type: ignore[attr-defined]
        return response


@contextmanager
def offline(qual: str) -> Iterator[None]:
    """No network for any call (internet sockets refuse to connect); for the MNIST loaders also
    $CHAPTER5_MNIST_DIR = the fake files, $CHAPTER5_MNIST_MIRRORS = FAKE_MIRROR (served offline)."""
    import socket

    from chapter5 import _download
    from chapter5.data import DEADLINE_ENV, MIRRORS_ENV, MNIST_DIR_ENV
    connect = socket.socket.connect

    def refuse(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"the bad-input test is offline: refused to connect to {address}")
        connect(sock, address)

    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(socket.socket, "connect", refuse)
        if qual.startswith("chapter5.data."):
            mp.setattr(_download, "_opener", lambda deadline: _OfflineOpener())
            mp.setenv(MNIST_DIR_ENV, str(_fake_mnist_dir()))
            mp.setenv(MIRRORS_ENV, FAKE_MIRROR)
            mp.delenv(DEADLINE_ENV, raising=False)
        yield
    finally:
        mp.undo()


ACT = Case(args={"z": [0.5, -1.0, 30.0]}, ok={"z": REALS | SHAPES | IEEE}, inf_ok=True,
           nan_ok={"nan"})
# data=None means the book's MNIST (the tests swap in a tiny data set for it, see below)
EXPERIMENT_FLAGS: dict[str, set[str]] = {"data": {"None"}}

CASES: dict[str, Case] = {
    # activations
    **{f"chapter5.activations.{n}": ACT for n in (
        "sigmoid", "sigmoid_prime", "log_sigmoid_prime", "log10_sigmoid_prime", "tanh",
        "tanh_prime", "relu", "relu_prime")},
    # chain
    "chapter5.chain.Chain": Case(args={"w": [1.0, 2.0], "b": [0.0, 0.5], "a0": 1.0},
                                 ok={"a0": MODERATE_REALS}),
    "chapter5.chain.Chain.first": Case(self=_chain, args={"depth": 2}),
    "chapter5.chain.forward": Case(args={"chain": _chain}),
    "chapter5.chain.gradients": Case(args={"chain": _chain, "dC_daL": 1.0},
                                     ok={"dC_daL": REALS}, inf_ok=True),
    "chapter5.chain.quadratic_cost": Case(args={"chain": _chain, "y": 0.5},
                                          ok={"y": MODERATE_REALS}),
    "chapter5.chain.quadratic_dC_daL": Case(args={"chain": _chain, "y": 0.5},
                                            ok={"y": MODERATE_REALS}),
    "chapter5.chain.exploding_chain": Case(args={"depth": 3, "a0": 1.0, "w": 100.0},
                                           ok={"a0": MODERATE_REALS, "w": MODERATE_REALS}),
    "chapter5.chain.balanced_chain": Case(args={"depth": 3, "a0": 1.0},
                                          ok={"a0": MODERATE_REALS}),
    "chapter5.chain.typical_chain": Case(args={"depth": 3, "seed": 1, "a0": 1.0},
                                         ok={"seed": {"zero", "huge"}, "a0": MODERATE_REALS}),
    "chapter5.chain.explorer_typical_chain": Case(args={"depth": 4}),
    "chapter5.chain.product_equation": Case(args={"g": _grads}),
    # circuits
    "chapter5.gates.Gate": Case(args={"op": "AND", "inputs": (0, 1), "block": ()}),
    "chapter5.gates.Circuit": Case(args={
        "input_names": ("a", "b"), "gates": lambda: _circuit().gates[:1],
        "outputs": (2,), "output_names": ("s",)}),
    "chapter5.gates.Circuit.gate_count": Case(self=_circuit, args={"kind": "AND"},
                                                 ok={"kind": {"None"}}),  # None: every kind
    "chapter5.gates.Circuit.max_fan_in": Case(self=_circuit, args={"kind": "AND"},
                                                 ok={"kind": {"None"}}),
    "chapter5.gates.Circuit.wire_levels": Case(self=_circuit),
    "chapter5.gates.Circuit.depth": Case(self=_circuit),
    "chapter5.gates.Circuit.blocks": Case(self=_circuit, args={"kind": "half adder"},
                                             ok={"kind": {"string"}}),
    "chapter5.gates.Circuit.evaluate": Case(self=_circuit,
                                               args={"bits": [[0, 1, 1], [1, 1, 1]]}),
    "chapter5.gates.CircuitBuilder": Case(args={"input_names": ["x1", "x2"]}),
    "chapter5.gates.CircuitBuilder.gate": Case(self=_builder, args={"op": "OR",
                                                                       "inputs": (0, 2)},
                                                  ok={"inputs": {"zero"}}),
    "chapter5.gates.CircuitBuilder.block": Case(self=_builder, args={"kind": "adder"},
                                                   ok={"kind": {"string"}}),
    "chapter5.gates.CircuitBuilder.build": Case(self=_builder,
                                                   args={"outputs": [2], "output_names": ["y"]}),
    "chapter5.truth_tables.all_inputs": Case(args={"n": 3}),
    "chapter5.truth_tables.parity": Case(args={"bits": [[0, 1], [1, 1]]}),
    "chapter5.truth_tables.bits_to_ints": Case(args={"bits": [[0, 1], [1, 1]]}),
    "chapter5.parity_circuits.parity_sop": Case(args={"n": 3}),
    "chapter5.parity_circuits.parity_xor_tree": Case(args={"n": 3, "basis": "xor"}),
    "chapter5.parity_circuits.sop_gate_count": Case(args={"n": 3}),
    # counts by formula hold for every n (exact integers)
    "chapter5.parity_circuits.sop_depth": Case(args={"n": 3}, ok={"n": {"huge"}}),
    "chapter5.parity_circuits.xor_tree_gate_count": Case(args={"n": 3}, ok={"n": {"huge"}}),
    "chapter5.parity_circuits.xor_tree_depth": Case(args={"n": 3}, ok={"n": {"huge"}}),
    "chapter5.adders.ripple_carry_adder": Case(args={"width": 2}),
    "chapter5.adders.multiplier": Case(args={"width_a": 2, "width_b": 2},
                                         ok={"width_b": {"None"}}),
    "chapter5.truth_tables.split_operands": Case(args={"width_a": 2, "width_b": 2}),
    # prevalence
    "chapter5.prevalence.z_half_width": Case(args={"w_abs": [2.0, 8.0]},
                                             ok={"w_abs": REALS | SHAPES}),
    "chapter5.prevalence.width_bound": Case(args={"w_abs": [2.0, 8.0]},
                                            ok={"w_abs": REALS | SHAPES}),
    "chapter5.prevalence.width_bound_book_form": Case(args={"w_abs": [4.0, 8.0]},
                                                      ok={"w_abs": {"1e308", "huge",
                                                                    "empty list",
                                                                    "empty array"}}),
    "chapter5.prevalence.band": Case(args={"w": 8.0, "b": -4.0},
                                     ok={"w": REALS, "b": REALS}),
    "chapter5.prevalence.factor": Case(args={"w": 8.0, "b": -4.0, "a": [0.3, 0.5]},
                                       ok={"w": REALS, "b": REALS, "a": REALS | SHAPES}),
    "chapter5.prevalence.max_width_bound": Case(args={"lo": 4.0, "hi": 20.0, "tol": 1e-6},
                                                ok={"lo": {"fraction"},
                                                    "hi": {"1e308", "huge"}}),
    # readout
    "chapter5.readout.format_signed_log10": Case(args={"sign": 1.0, "log10_abs": -3.5},
                                                 ok={"sign": REALS | {"inf", "-inf"},
                                                     "log10_abs": REALS | {"-inf"}}),
    "chapter5.readout.format_float": Case(args={"x": 0.25}, ok={"x": REALS}),
    "chapter5.readout.format_times": Case(args={"log10_x": 2.9},
                                          ok={"log10_x": {"zero", "fraction", "1e308", "huge"}}),
    # identity
    "chapter5.identity.identity_error": Case(
        args={"w1": 5.0, "b": -2.5, "w2": 1.0, "x": [0.0, 0.5, 1.0]},
        ok={"w1": REALS, "b": REALS, "w2": REALS, "x": {"empty list", "empty array"}}),
    "chapter5.identity.minimax_output_weight": Case(
        args={"w1": [5.0, 2.0], "b": [-2.5, -1.0], "x": [0.0, 0.5, 1.0]}),
    "chapter5.identity.identity_neuron_minimax": Case(
        args={"w1_range": (1.0, 10.0), "b_range": (-5.0, 0.0), "n_grid": 4, "starts": 1,
              "n_check": 101}),
    # explorer readouts
    "chapter5.explorer_readouts.chain_readouts": Case(args={"g": _grads}),
    "chapter5.explorer_readouts.speed_words": Case(args={"g": _grads}),
    "chapter5.explorer_readouts.band_readouts": Case(args={"w": 8.0, "b": -4.0},
                                                     ok={"w": REALS, "b": REALS}),
    "chapter5.explorer_readouts.circuits_readouts": Case(args={"n": 3}),
    # obstacles (measurements on a tiny net; the experiments on the tiny data set)
    "chapter5.saturation.glorot_bengio_parameters": Case(args={"sizes": [4, 3, 2], "seed": 0},
                                                        ok={"seed": {"zero", "huge"}}),
    "chapter5.saturation.track_hidden_means": Case(
        args={"net": _mnist_net, "x": lambda: _mnist_xy()[0], "y": lambda: _mnist_xy()[1],
              "probe_x": lambda: _mnist_xy()[0], "probe_y": lambda: _mnist_xy()[1],
              "epochs": 1, "mini_batch_size": 2, "records_per_epoch": 2},
        ok={"lmbda": {"zero", "fraction"}, "seed": {"zero", "huge"}, "eta": {"fraction"}}),
    "chapter5.factors.layer_factors": Case(
        args={"net": _mnist_net, "x": lambda: _mnist_xy()[0], "y": lambda: _mnist_xy()[1]}),
    "chapter5.init_speeds.speeds_over_seeds": Case(
        args={"sizes": [784, 5, 5, 10], "seeds": [0, 1], "x": lambda: _mnist_xy()[0],
              "y": lambda: _mnist_xy()[1]}, ok={"hidden_scale": {"fraction"}}),
    "chapter5.sharpness.sharpness": Case(
        args={"net": _mnist_net, "x": lambda: _mnist_xy()[0], "y": lambda: _mnist_xy()[1],
              "iterations": 2}, ok={"seed": {"zero", "huge"}}),
    "chapter5.factors.escape_factors": Case(args={"net": _mnist_net,
                                                    "x": lambda: _mnist_xy()[0]}),
    "chapter5.init_speeds.init_speeds": Case(
        args={"sizes": [784, 5, 5, 10], "seeds": [0], "data": _tiny_mnist, "n_images": 10},
        ok={"hidden_scale": {"fraction"}}),
    "chapter5.training_runs.training_run": Case(
        args={"sizes": [784, 5, 5, 10], "seed": 0, "data": _tiny_mnist, "epochs": 2,
              "n_images": 10, "sharpness_every": 1},
        ok={"seed": {"zero", "huge"}, "lmbda": {"zero", "fraction"}, "eta": {"fraction"},
            "sharpness_every": {"zero"}}),
    "chapter5.saturation.saturation_run": Case(
        args={"width": 5, "init": "default", "seed": 0, "data": _tiny_mnist,
              "hidden_layers": 2, "n_train": 20, "n_probe": 5, "mini_batch_size": 2,
              "records_per_epoch": 2},
        ok={"seed": {"zero", "huge"}, "eta": {"fraction"}}),
    "chapter5.symmetry.symmetry_run": Case(
        args={"sizes": [784, 3, 3, 10], "data": _tiny_mnist, "epochs": 2, "n_images": 10},
        ok={"seed": {"zero", "huge"}, "eta": {"fraction"}}),
    # prose
    "chapter5.prose.glue": Case(args={"name": "w", "value": 2.0},
                                ok={"name": {"string"}, "value": REALS | STRINGS}),
    "chapter5.prose.format_glued": Case(args={"text": "2.0", "fmt": ".1f"},
                                        ok={"text": {"string"}, "fmt": {"empty string"}}),
    "chapter5.prose.glued_values": Case(args={"nb": _notebook}),
    "chapter5.prose.statements": Case(args={"nb": _notebook}),
    "chapter5.prose.stale_statements": Case(args={"nb": _notebook}),
    "chapter5.prose.refresh_prose": Case(args={"nb": _notebook}),
    "chapter5.prose.to_glue_roles": Case(args={"markdown": "text"}, ok={"markdown": STRINGS}),
    # experiments (a tiny synthetic data set: an accepted value trains in milliseconds)
    "chapter5.protocol.sizes_for": Case(args={"hidden_layers": 2}),
    "chapter5.depth_accuracy.accuracy_vs_depth": Case(
        args={"hidden_layers": (1,), "seeds": (0,), "epochs": 1, "n_train": 20,
              "mini_batch_size": 10, "data": _tiny_mnist, "progress": False},
        # None: the value in EXPERIMENT_A (documented); workers beyond the runs are capped
        ok={"lmbda": {"zero", "fraction", "None"}, "eta": {"fraction", "None"},
            "epochs": {"None"}, "mini_batch_size": {"None"}, "workers": {"None", "huge"},
            "shuffle_seed": {"None", "zero", "huge"}, **EXPERIMENT_FLAGS}),
    "chapter5.depth_accuracy.frozen_first_layer_accuracy": Case(
        args={"hidden_layers": (1,), "seed": 0, "epochs": 1, "n_train": 20,
              "mini_batch_size": 10, "data": _tiny_mnist, "progress": False},
        ok={"lmbda": {"zero", "fraction", "None"}, "eta": {"fraction", "None"},
            "epochs": {"None"}, "mini_batch_size": {"None"}, "workers": {"None", "huge"},
            "seed": {"zero", "huge"}, "shuffle_seed": {"None", "zero", "huge"},
            **EXPERIMENT_FLAGS}),
    "chapter5.layer_speeds.speeds_at_init": Case(
        args={"hidden_layers": (2,), "seeds": (0,), "n_images": 20, "data": _tiny_mnist,
              "progress": False}, ok=dict(EXPERIMENT_FLAGS)),
    "chapter5.layer_speeds.speeds_during_training": Case(
        args={"hidden_layers": (2,), "seeds": (0,), "epochs": 2, "n_images": 20,
              "data": _tiny_mnist, "progress": False},
        # None: the value in EXPERIMENT_C (documented); workers beyond the depths are capped
        ok={"lmbda": {"zero", "fraction", "None"}, "eta": {"fraction", "None"},
            "epochs": {"None"}, "workers": {"None", "huge"}, "checkpoints": {"None"},
            **EXPERIMENT_FLAGS}),
    "chapter5.layer_speeds.SpeedsDuringTraining.ratio": Case(self=lambda: _speeds_result(True),
                                                            args={"h": 2}),
    "chapter5.layer_speeds.SpeedsDuringTraining.after": Case(
        self=lambda: _speeds_result(True), args={"h": 2, "steps": 2, "seed": 0},
        ok={"seed": {"zero"}}),
    "chapter5.layer_speeds.initial_gradient_bars": Case(
        args={"hidden_layers": 2, "seed": 0, "n_images": 20, "n_neurons": 3,
              "data": _tiny_mnist}, ok={"seed": {"zero", "huge"}, "data": {"None"}}),
    # network
    "chapter5.training_args.as_generator": Case(args={"seed": 3, "name": "seed"},
                                          ok={"seed": {"zero", "huge"}, "name": STRINGS}),
    "chapter5.network.Network": Case(args={"sizes": [4, 3, 2], "seed": 0},
                                     ok={"seed": {"zero", "huge"}}),
    "chapter5.network.Network.set_parameters": Case(
        self=_net, args={"weights": lambda: _net().weights, "biases": lambda: _net().biases}),
    "chapter5.network.Network.forward": Case(self=_net, args={"x": _x}),
    "chapter5.network.Network.feedforward": Case(self=_net, args={"x": _x}),
    "chapter5.network.Network.gradients": Case(self=_net, args={"x": _x, "y": _y}),
    "chapter5.network.Network.speeds": Case(self=_net, args={"x": _x, "y": _y}),
    "chapter5.network.Network.total_cost": Case(self=_net, args={"x": _x, "y": _y},
                                                ok={"lmbda": {"zero", "fraction"},
                                                    "n": {"None", "huge"}}),
    "chapter5.network.Network.accuracy": Case(self=_net, args={"x": _x, "labels": _y},
                                              ok={"chunk": {"huge"}}),
    "chapter5.network.Network.sgd": Case(self=_net, args={"x": _x, "y": _y, "epochs": 1,
                                                          "mini_batch_size": 2, "eta": 0.1},
                                         ok={"lmbda": {"zero", "fraction"}, "n": {"None", "huge"},
                                             "evaluation_data": {"None"}, "rng": {"None",
                                                                                  "zero",
                                                                                  "huge"},
                                             "desc": {"None"} | STRINGS, "eta": {"fraction"},
                                             "epochs": {"zero"}}),
    "chapter5.network.Network.gradient_descent": Case(
        self=_net, args={"x": _x, "y": _y, "epochs": 2, "eta": 0.1},
        ok={"lmbda": {"zero", "fraction"}, "n": {"None", "huge"}, "desc": {"None"} | STRINGS,
            "eta": {"fraction"}, "epochs": {"zero"}}),
    # lockstep (zero epochs trains nothing: an empty history; n is any whole number >= 1)
    "chapter5.lockstep.sgd_in_lockstep": Case(
        args={"nets": lambda: [_net(), _net()], "x": _x, "y": _y, "epochs": 1,
              "mini_batch_size": 2, "eta": 0.1, "evaluation_data": lambda: _xy(4)},
        ok={"lmbda": {"zero", "fraction"}, "n": {"None", "huge"}, "evaluation_data": {"None"},
            "rngs": {"None"}, "desc": {"None"} | STRINGS, "eta": {"fraction"},
            "epochs": {"zero"}, "on_epoch": {"None"}, "shared_order": {"None", "zero", "huge"}}),
    "chapter5.lockstep.gradient_descent_in_lockstep": Case(
        args={"nets": lambda: [_net(), _net()], "x": _x, "y": _y, "epochs": 2, "eta": 0.1},
        ok={"lmbda": {"zero", "fraction"}, "n": {"None", "huge"}, "desc": {"None"} | STRINGS,
            "eta": {"fraction"}, "epochs": {"zero"}, "on_epoch": {"None"}}),
    # data
    "chapter5.data.one_hot_labels": Case(args={"labels": [0, 2, 1], "n_classes": 3},
                                         ok={"labels": {"empty list"}}),
    # the MNIST loaders, offline (see offline()): fake IDX files with their own checksums; None
    # is the default (the environment: the fake files, FAKE_MIRROR); a download goes into the
    # directory named (a relative one such as "abc" is created in the test's working directory).
    # data_dir "abc": in the count script an earlier call may have filled ./abc (then it loads).
    "chapter5.data.download_mnist": Case(
        args={"dest": _fake_mnist_dir, "mirrors": [FAKE_MIRROR], "checksums": _fake_sums,
              "progress": False},
        ok={"dest": {"None", "string"}, "mirrors": {"None"}, "checksums": {"None"},
            "files": {"None"}, "deadline": {"None", "fraction"}, "timeout": {"fraction"}}),
    "chapter5.data.locate_mnist": Case(
        args={"data_dir": _fake_mnist_dir, "mirrors": [FAKE_MIRROR], "checksums": _fake_sums,
              "progress": False},
        ok={"data_dir": {"None", "string"}, "mirrors": {"None"}, "checksums": {"None"},
            "deadline": {"None", "fraction"}}),
    "chapter5.data.load_mnist": Case(
        args={"data_dir": _fake_mnist_dir, "mirrors": [FAKE_MIRROR], "checksums": _fake_sums,
              "progress": False},
        ok={"data_dir": {"None", "string"}, "mirrors": {"None"},
            "deadline": {"None", "fraction"}}),
    # the lab: a 2 x 10 net on 12 random images (milliseconds a call); the widgets headless
    "chapter5.lab_config.LabConfig": Case(args={"depth": 2, "width": 10, "n_images": 10},
                                   ok={"eta": {"fraction"}, "lmbda": {"zero", "fraction"},
                                       "seed": {"zero", "huge"}}),
    "chapter5.lab_config.preset": Case(args={"name": LAB_PRESET}),
    "chapter5.lab_config.build_network": Case(args={"config": _lab_config}),
    "chapter5.lab_config.images": Case(args={"x": lambda: _lab_xy()[0], "y": lambda: _lab_xy()[1],
                                      "config": _lab_config}),
    "chapter5.lab_init.at_init": Case(args={"config": _lab_config, "x": lambda: _lab_xy()[0],
                                       "y": lambda: _lab_xy()[1]}, ok={"net": {"None"}}),
    "chapter5.lab_init.ratio_last_first": Case(args={"speeds": [0.02, 0.1]}),
    "chapter5.lab_init.shrink_per_layer": Case(args={"speeds": [0.02, 0.1]}),
    "chapter5.lab_init.predicted_shrink_per_layer": Case(args={"config": _lab_config,
                                                          "init": _lab_init}),
    "chapter5.lab_train.check_epochs": Case(args={"epochs": 2, "chunk": 1}),
    "chapter5.lab_train.train": Case(args={"config": _lab_config, "x": lambda: _lab_xy()[0],
                                     "y": lambda: _lab_xy()[1], "epochs": 2},
                               ok={"net": {"None"}}),
    "chapter5.lab_train.run": Case(args={"config": _lab_config, "x": lambda: _lab_xy()[0],
                                   "y": lambda: _lab_xy()[1], "epochs": 2}),
    "chapter5.lab_init.escape_clause": Case(args={"net": lambda: __import__(
        "chapter5.lab", fromlist=["build_network"]).build_network(_lab_config()),
        "x": lambda: _lab_xy()[0]}),
    "chapter5.viz.lab_state.Guess": Case(args={"layer": 2, "factor": 10.0}),
    "chapter5.viz.lab_state.LabState": Case(
        args={"config": _lab_config, "preset": "custom", "init": _lab_init},
        ok={"init": {"None"}, "speeds": {"empty list"}, "ratios": {"empty list"}}),
    "chapter5.viz.lab_state.readouts": Case(args={"state": lambda: _lab_state(True)}),
    **{f"chapter5.viz.lab_panels.{panel}.update": Case(
        self=functools.partial(_lab_panel, panel), args={"state": lambda: _lab_state(True)})
       for panel in ("InitPanel", "HistogramPanel", "TrainPanel")},
    "chapter5.viz.lab.Lab": Case(args={"x": lambda: _lab_xy(1000)[0].astype(np.float32),
                                       "y": lambda: _lab_xy(1000)[1], "preset": LAB_PRESET}),
    "chapter5.viz.lab.Lab.apply_preset": Case(self=_shared_lab, args={"name": LAB_PRESET}),
    "chapter5.viz.lab.Lab.lock_guess": Case(self=_shared_lab, args={"layer": 1,
                                                                    "factor": 10.0}),
    "chapter5.viz.lab.Lab.time_moves": Case(self=_shared_lab, args={"n": 2}),
    "chapter5.viz.lab.Lab.train": Case(self=_guessed_lab, args={"epochs": 2, "chunk": 1}),
    # viz: chain
    "chapter5.viz.chain_figures.sigmoid_figure": Case(args={"z_max": 6.0, "n": 11},
                                                       ok={"z_max": {"fraction"}}),
    "chapter5.viz.chain_figures.weight_draw_figure": Case(args={"sample": lambda: np.linspace(-2, 2,
                                                                                      50)}),
    "chapter5.viz.chain_figures.db1_vs_db3_figure": Case(args={"chain": lambda: __import__(
        "chapter5.chain", fromlist=["typical_chain"]).typical_chain(4), "dC_daL": 1.0},
                                                 ok={"dC_daL": NONZERO_REALS}),
    "chapter5.viz.chain.readout_strings": Case(args={"g": _grads}),
    "chapter5.viz.chain.equation_html": Case(args={"g": _grads}, ok={"values": {"None"}}),
    "chapter5.viz.chain.readout_html": Case(args={"g": _grads}, ok={"values": {"None"}}),
    "chapter5.viz.readout_html.parse_readout": Case(ok={"markup": STRINGS},  # no keys: {}
                                                args={"markup": lambda: __import__(
        "chapter5.viz.chain", fromlist=["readout_html"]).readout_html(_grads())}),
    "chapter5.viz.chain_picture.ChainPicture": Case(args={"max_depth": 4, "dpi": 50,
                                                          "live": False}),
    "chapter5.viz.chain_picture.ChainPicture.update": Case(
        self=lambda: __import__("chapter5.viz.chain_picture", fromlist=["ChainPicture"])
        .ChainPicture(4, 50, live=False), args={"state": _chain, "result": _grads}),
    "chapter5.viz.chain_picture.ChainPicture.show": Case(
        self=lambda: __import__("chapter5.viz.chain_picture", fromlist=["ChainPicture"])
        .ChainPicture(4, 50, live=False), args={"chain": _chain}, ok={"dC_daL": NONZERO_REALS}),
    "chapter5.viz.chain_picture.static_chain_figure": Case(args={"chain": _chain},
                                                   ok={"chain": {"None"}}),
    "chapter5.viz.chain.preset_chain": Case(args={"name": "typical", "depth": 4}),
    "chapter5.viz.chain.ChainExplorer": Case(args={"depth": 3, "preset": "typical"}),
    "chapter5.viz.chain.ChainExplorer.apply_preset": Case(
        self=lambda: __import__("chapter5.viz.chain", fromlist=["ChainExplorer"])
        .ChainExplorer(3), args={"name": "balanced"}),
    "chapter5.viz.chain.ChainExplorer.time_update": Case(
        self=lambda: __import__("chapter5.viz.chain", fromlist=["ChainExplorer"])
        .ChainExplorer(3), args={"n": 2, "key": "w2"}),
    # viz: circuits
    "chapter5.viz.circuits.circuit_layout": Case(args={"circuit": _circuit}),
    "chapter5.viz.circuits.draw_circuit": Case(args={"ax": _ax, "circuit": _circuit},
                                               ok={"show_blocks": {"None"} | STRINGS,
                                                   "fontsize": {"fraction"}}),
    "chapter5.viz.circuits.parity_circuits_figure": Case(args={"n": 3}),
    "chapter5.viz.circuits_explorer.readout_strings": Case(args={"n": 3}),
    "chapter5.viz.circuits_explorer.readout_html": Case(
        args={"n": 3, "values": lambda: __import__(
            "chapter5.viz.circuits_explorer", fromlist=["readout_strings"]).readout_strings(3)}),
    "chapter5.viz.circuits_explorer.CircuitsPicture": Case(args={"n": 3}),
    "chapter5.viz.circuits_explorer.CircuitsPicture.show": Case(
        self=lambda: __import__("chapter5.viz.circuits_explorer", fromlist=["CircuitsPicture"])
        .CircuitsPicture(3), args={"n": 4}),
    "chapter5.viz.circuits_explorer.gate_count_figure": Case(args={"n": 3}),
    "chapter5.viz.circuits_explorer.CircuitsExplorer": Case(args={"n": 3}),
    "chapter5.viz.circuits_explorer.CircuitsExplorer.set": Case(
        self=lambda: __import__("chapter5.viz.circuits_explorer", fromlist=["CircuitsExplorer"])
        .CircuitsExplorer(3), args={"n": 4}),
    "chapter5.viz.circuits_explorer.circuits_explorer": Case(args={"n": 3}),
    "chapter5.viz.circuits.multiplier_hierarchy_figure": Case(args={"width": 2}),
    # viz: obstacles
    "chapter5.viz.obstacles.saturation_figure": Case(args={"traces": lambda: {"run":
                                                                               _trace()}}),
    "chapter5.viz.obstacles.speed_profiles_figure": Case(args={"panels": _speed_panels}),
    "chapter5.viz.obstacles.factor_norms_figure": Case(args={"factors": _factors}),
    "chapter5.viz.obstacles.sharpness_figure": Case(
        args={"runs": lambda: {"eta = 0.1": (np.array([0, 5, 10]), np.array([3.0, 8.0, 19.0]),
                                             0.1)}}),
    "chapter5.viz.obstacles.speeds_training_figure": Case(
        args={"runs": lambda: {"run": np.array([[0.01, 0.1], [0.02, 0.2], [0.03, 0.3]])}}),
    # viz: prevalence
    "chapter5.viz.prevalence.readout_strings": Case(args={"w": 8.0, "b": -4.0},
                                                    ok={"w": REALS, "b": REALS}),
    "chapter5.viz.prevalence.readout_html": Case(
        args={"values": lambda: __import__("chapter5.viz.prevalence",
                                           fromlist=["readout_strings"]).readout_strings(8.0,
                                                                                         -4.0)}),
    "chapter5.viz.prevalence.BandPicture": Case(args={"w": 8.0, "b": -4.0}, ok=BAND_OK),
    "chapter5.viz.prevalence.BandPicture.show": Case(
        self=lambda: __import__("chapter5.viz.prevalence", fromlist=["BandPicture"])
        .BandPicture(), args={"w": 6.0, "b": -3.0}, ok=BAND_OK),
    "chapter5.viz.prevalence.band_figure": Case(args={"w": 8.0, "b": -4.0}, ok=BAND_OK),
    "chapter5.viz.prevalence.BandExplorer": Case(args={"w": 8.0, "b": -4.0}, ok=BAND_OK),
    "chapter5.viz.prevalence.BandExplorer.set": Case(
        self=lambda: __import__("chapter5.viz.prevalence", fromlist=["BandExplorer"])
        .BandExplorer(), args={"w": 6.0, "b": -3.0}, ok=BAND_SET_OK),
    "chapter5.viz.prevalence.band_explorer": Case(args={"w": 8.0, "b": -4.0}, ok=BAND_OK),
    "chapter5.viz.prevalence.threshold_figure": Case(args={"w_values": (4.0, 10.0)}),
    "chapter5.viz.prevalence.width_bound_figure": Case(args={"w_abs_max": 50.0,
                                                             "marks": (4.0, 10.0)},
                                                       ok={"marks": {"empty list",
                                                                     "empty array"}}),
    "chapter5.viz.prevalence.identity_error_figure": Case(
        args={"w1": np.array([1.0, 2.0]), "max_error": np.array([0.1, 0.05]),
              "bound": np.array([0.2, 0.1])}),
    # viz: the explorer core and diagrams
    "chapter5.viz.canvas.new_figure": Case(args={"figsize": (4.0, 3.0), "dpi": 50}),
    "chapter5.viz.controls.snap": Case(args={"value": -3.9999999999999716, "step": 0.01},
                                       ok={"value": REALS}),
    "chapter5.viz.readout_html.keyed": Case(args={"key": "w1", "text": "0.5"},
                                        ok={"key": {"string"}, "text": STRINGS,
                                            "tag": {"string"}}),
    "chapter5.viz.canvas.rgba_png": Case(args={"rgba": bytes(2 * 3 * 4), "width": 2,
                                                 "height": 3}),
    "chapter5.viz.readout_html.readout_row": Case(args={"labels": {"a": "A ="},
                                                    "values": {"a": "1"}}),
    "chapter5.viz.diagrams.net_diagram": Case(args={"nets": {"a net": [4, 3, 2]}},
                                              ok={"width": {"None", "fraction"}}),
    "chapter5.viz.diagrams.many_neuron_diagram": Case(args={"hidden_layers": 2, "neurons": 3}),
    "chapter5.viz.chain.ChainExplorer.compute": Case(self=_chain_explorer,
        args={"state": lambda: _chain_explorer().state}),
    "chapter5.viz.chain.ChainExplorer.readout_html": Case(self=_chain_explorer,
        args={"values": lambda: _readout_now(_chain_explorer())}, ok={"values": {"None"}}),
    "chapter5.viz.circuits_explorer.CircuitsExplorer.compute": Case(self=_circuits_explorer,
        args={"state": lambda: _circuits_explorer().state}),
    "chapter5.viz.circuits_explorer.CircuitsExplorer.readout_html": Case(self=_circuits_explorer,
        args={"values": lambda: _readout_now(_circuits_explorer())}),
    "chapter5.viz.prevalence.BandExplorer.compute": Case(self=_band_explorer,
        args={"state": lambda: _band_explorer().state}),
    "chapter5.viz.prevalence.BandExplorer.readout_html": Case(self=_band_explorer,
        args={"values": lambda: _readout_now(_band_explorer())}),
    "chapter5.viz.chain.ChainExplorer.readouts": Case(
        self=_chain_explorer, args={"state": lambda: _chain_explorer().state,
                                     "result": lambda: _chain_explorer().result},
        ok={"state": LABELS}),  # the readout is the gradients' alone: state is not read
    "chapter5.viz.chain.ChainExplorer.on_refresh": Case(
        self=_chain_explorer, args={"values": lambda: _readout_now(_chain_explorer())},
        ok={"values": {"None"}}),  # None: the readout is computed
    "chapter5.viz.circuits_explorer.CircuitsExplorer.readouts": Case(
        self=_circuits_explorer, ok={"state": {"None"}, "result": LABELS}),
    "chapter5.viz.prevalence.BandExplorer.readouts": Case(
        self=_band_explorer, ok={"state": {"None"}, "result": LABELS}),
    "chapter5.viz.explorer.Explorer.time_update": Case(self=_band_explorer,
                                                       args={"n": 2, "key": "w"},
                                                       ok={"key": {"None"}}),
    # viz: the explorer framework, through a tiny explorer (its hooks are checked by the
    # framework; ``result`` is opaque to it, each explorer checks its own, e.g. ChainExplorer)
    "chapter5.viz.controls.Control": Case(args={"key": "w", "widget": _slider_widget},
                                          ok={"key": {"string"}}),
    # the default convert is snap, a plain function (Control("w", widget).convert is snap)
    "chapter5.viz.controls.Control.convert": Case(args={"value": 0.5}, ok={"value": REALS}),
    "chapter5.viz.controls.float_slider": Case(
        args={"key": "w", "label": "w", "value": 0.5, "rng": (-1.0, 1.0, 0.01)},
        ok={"key": {"string"}, "label": STRINGS, "value": {"negative float", "zero"}}),
    "chapter5.viz.controls.int_slider": Case(
        args={"key": "n", "label": "n", "value": 3, "lo": 1, "hi": 5},
        ok={"key": {"string"}, "label": STRINGS, "lo": {"negative", "zero"}}),
    "chapter5.viz.panels.Panel.moving": Case(
        self=lambda: __import__("chapter5.viz.explorer", fromlist=["Panel"]).Panel(),
        args={"containers": lambda: (_ax(),)}),
    "chapter5.viz.panels.Panel.update": Case(self=_tiny_panel,
                                               args={"state": _tiny_state, "result": 1.0},
                                               ok={"result": LABELS}),
    "chapter5.viz.panels.Picture": Case(
        args={"figure": lambda: __import__("chapter5.viz.explorer", fromlist=["new_figure"])
              .new_figure((2.0, 1.5), dpi=40), "panels": lambda: [_tiny_panel()]}),
    "chapter5.viz.panels.Picture.update": Case(self=_tiny_picture,
                                                 args={"state": _tiny_state, "result": 1.0},
                                                 ok={"result": LABELS}),
    "chapter5.viz.explorer.Explorer.start": Case(
        self=lambda: _tiny_classes()[1](start=False),
        args={"state": _tiny_state, "controls": lambda: [_tiny_slider()],
              "picture": _tiny_picture}),
    "chapter5.viz.explorer.Explorer.compute": Case(self=_tiny_explorer,
                                                   args={"state": _tiny_state}),
    "chapter5.viz.explorer.Explorer.readouts": Case(self=_tiny_explorer,
                                                    args={"state": _tiny_state, "result": 1.0},
                                                    ok={"result": LABELS}),
    "chapter5.viz.explorer.Explorer.readout_html": Case(self=_tiny_explorer,
                                                        args={"values": lambda: {"w": "0.50"}}),
    "chapter5.viz.explorer.Explorer.on_refresh": Case(self=_tiny_explorer,
                                                      args={"values": lambda: {"w": "0.50"}}),
    # viz: style, training, unstable, web
    "chapter5.viz.style.layer_colour": Case(args={"layer": 2}),
    "chapter5.viz.style.apply_style": Case(args={"fig": _figure}),
    "chapter5.viz.training.plot_speeds_during_training": Case(
        args={"result": lambda: _speeds_result(True), "hidden_layers": 2},
        ok={"ax": {"None"}}),
    "chapter5.viz.training.plot_speeds_at_init": Case(args={"result": lambda:
                                                            _speeds_result(False)},
                                                      ok={"ax": {"None"}}),
    "chapter5.viz.training.plot_initial_gradient_bars": Case(
        args={"bars": [np.array([0.1, -0.2]), np.array([0.3, 0.1])]}, ok={"ax": {"None"}}),
    "chapter5.viz.training.plot_accuracy_vs_depth": Case(args={"result": _accuracy_result},
                                                         ok={"ax": {"None"}}),
    "chapter5.viz.training.plot_accuracy_curves": Case(args={"result": _accuracy_result},
                                                       ok={"ax": {"None"}}),
    "chapter5.viz.training.accuracy_table": Case(args={"result": _accuracy_result}),
    "chapter5.viz.training.markdown_table": Case(args={"rows": [{"a": 1, "b": "x"}]}),
    "chapter5.viz.training.plot_accuracy_table": Case(args={"result": _accuracy_result}),
    "chapter5.viz.unstable.magnitude_vs_depth_figure": Case(
        args={"depths": np.array([1.0, 2.0, 3.0]),
              "curves": {"exploding": np.array([1.0, 2.0, 3.0]),
                         "typical": np.array([-1.0, -2.0, -3.0])},
              "limits": {"float64 max": 308.0, "float64 min": -323.0},
              "breaks": {"float64 product is 0": (3.0, -3.0)},
              "colours": {"exploding": "#D55E00", "typical": "#009E73"}},
        ok={"breaks": {"None"}, "colours": {"None"}}),  # None: no marks; colours by label
    "chapter5.viz.unstable.balance_figure": Case(
        args={"depths": np.array([1.0, 2.0, 3.0]),
              "curves": {"c": np.array([-1.0, -2.0, -3.0])}, "colours": {"c": "black"}},
        ok={"colours": {"None"}}),
    "chapter5.viz.unstable.layer_profile_figure": Case(
        args={"curves": {"c": np.array([-1.0, -2.0, -3.0]), "d": np.array([-1.0, -2.1, -3.2])},
              "relative_to": "c", "zoom": ("d",), "colours": {"c": "black", "d": "#0072B2"}},
        ok={"colours": {"None"}}),
    "chapter5.viz.web.write_presets_module": Case(args={"path": lambda: Path("presets.js")}),
}

#: Result containers the library fills in itself (frozen dataclasses of arrays): their
#: constructors are not an entry point for a reader's values, so only their methods are fed.
CONSTRUCTED_BY_THE_LIBRARY = {
    "chapter5.chain.ChainGradients",
    "chapter5.depth_accuracy.AccuracyVsDepth",
    "chapter5.depth_accuracy.FrozenFirstLayer",
    "chapter5.layer_speeds.SpeedsAtInit",
    "chapter5.layer_speeds.SpeedsDuringTraining",
    "chapter5.prose.Statement",
    "chapter5.network.NetworkGradients",
    "chapter5.data.Split",
    "chapter5.data.MNIST",
    "chapter5.identity.IdentityFit",
    "chapter5.saturation.HiddenMeansTrace",
    "chapter5.training_runs.TrainingRun",
    "chapter5.saturation.SaturationRun",
    "chapter5.symmetry.SymmetryRun",
    "chapter5.lab_init.AtInit",
    "chapter5.lab_init.LayerHistogram",
    "chapter5.lab_train.Chunk",
}

#: Callables whose bad input is not handled yet, with the reason (empty: every public callable
#: is fed and passes). A name listed here is expected to fail; one that passes fails the test,
#: so the list cannot go stale.
KNOWN_GAPS_OWNED_ELSEWHERE: dict[str, str] = {}


# --------------------------------------------------------------------------- discovery
def public_callables() -> dict[str, tuple[Any, type | None]]:
    """qualified name -> (callable, owning class or None), for every public name of chapter5."""
    found: dict[str, tuple[Any, type | None]] = {}
    for info in pkgutil.walk_packages(chapter5.__path__, "chapter5."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue  # private modules (chapter5._validate): reached through the public ones
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            qual = f"{module.__name__}.{name}"
            if inspect.isclass(obj):
                if issubclass(obj, BaseException):
                    continue  # exception classes take any message
                found[qual] = (obj, None)
                for mname, member in vars(obj).items():
                    if mname.startswith("_"):
                        continue
                    if inspect.isfunction(member) or isinstance(member, staticmethod | classmethod):
                        found[f"{qual}.{mname}"] = (getattr(obj, mname), obj)
            elif inspect.isfunction(obj):
                found[qual] = (obj, None)
    return found


FOUND = public_callables()


def parameters(func: Any, cls: type | None) -> list[inspect.Parameter]:
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if cls is not None and params and params[0].name in ("self", "cls"):
        params = params[1:]
    return [p for p in params if p.kind is not inspect.Parameter.VAR_KEYWORD]


def needs_case(qual: str) -> bool:
    func, cls = FOUND[qual]
    return qual not in CONSTRUCTED_BY_THE_LIBRARY and bool(parameters(func, cls))


# --------------------------------------------------------------------------- one call
class CallTimedOut(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise CallTimedOut

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _resolve(value: Any) -> Any:
    return value() if callable(value) and not inspect.isclass(value) else value


def _non_finite(result: Any, depth: int = 0) -> set[str]:
    """{"nan", "inf"}: what non-finite values ``result`` holds, looking inside containers."""
    if depth > 4:
        return set()
    if isinstance(result, float | np.floating):
        return {"nan"} if math.isnan(result) else {"inf"} if math.isinf(result) else set()
    if isinstance(result, np.ndarray):
        if result.dtype.kind in "fc":
            out = set()
            if np.isnan(result).any():
                out.add("nan")
            if np.isinf(result).any():
                out.add("inf")
            return out
        if result.dtype == object:
            return set().union(*(_non_finite(x, depth + 1) for x in result.ravel()[:100]))
        return set()
    if isinstance(result, dict):
        items: Any = list(result.values())
    elif isinstance(result, list | tuple):
        items = result
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        items = [getattr(result, f.name) for f in dataclasses.fields(result)]
    else:
        return set()
    return set().union(set(), *(_non_finite(x, depth + 1) for x in list(items)[:1000]))


def _names(message: str, param: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])", message) is not None


def _call(func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    try:
        result = func(*args, **kwargs)
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    if hasattr(result, "__enter__") and hasattr(result, "__exit__") \
            and inspect.isgenerator(getattr(result, "gen", None)):
        with result:  # a context manager checks its arguments on entry
            pass
    return result


def _arguments(params: list[inspect.Parameter], values: dict[str, Any]
               ) -> tuple[list[Any], dict[str, Any]]:
    """Positional arguments up to and including a ``*args`` parameter, keywords after."""
    star = next((i for i, p in enumerate(params)
                 if p.kind is inspect.Parameter.VAR_POSITIONAL), -1)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for i, p in enumerate(params):
        if p.name not in values:
            continue
        v = values[p.name]
        if i == star:
            args.extend(v if isinstance(v, tuple) else (v,))
        elif i < star or p.kind is inspect.Parameter.POSITIONAL_ONLY:
            args.append(v)
        else:
            kwargs[p.name] = v
    return args, kwargs


@dataclass
class Audit:
    tried: int = 0
    clear_error: int = 0
    documented: int = 0
    failures: list[str] = field(default_factory=list)


def audit(qual: str, *, first_failure: bool = False) -> Audit:
    """Feed every bad value to every parameter of ``qual``; say what went wrong (stop at the
    first failure if ``first_failure``)."""
    func, cls = FOUND[qual]
    case = CASES[qual]
    params = parameters(func, cls)
    out = Audit()
    unknown = set(case.args) - {p.name for p in params}
    unknown |= set(case.ok) - {p.name for p in params}
    if unknown:
        out.failures.append(f"{qual}: the case names parameters it does not have: {unknown}")
        return out
    missing = [p.name for p in params if p.default is inspect.Parameter.empty
               and p.kind is not inspect.Parameter.VAR_POSITIONAL and p.name not in case.args]
    if missing:
        out.failures.append(f"{qual}: the case gives no value for {missing}")
        return out

    def run(values: dict[str, Any]) -> Any:
        target = func if case.self is None else getattr(case.self(), func.__name__)
        args, kwargs = _arguments(params, values)
        with time_limit(TIME_LIMIT):
            return _call(target, args, kwargs)

    try:
        base = {k: _resolve(v) for k, v in case.args.items()}
        run(base)
    except BaseException as exc:  # noqa: BLE001 - report whatever the valid call did
        out.failures.append(f"{qual}: the valid example call failed: {type(exc).__name__}: "
                            f"{exc}")
        return out

    for p in params:
        for label, bad in BAD_VALUES:
            if first_failure and out.failures:
                return out
            values = {k: _resolve(v) for k, v in case.args.items()}
            values[p.name] = bad
            out.tried += 1
            where = f"{qual}({p.name}={label})"
            try:
                result = run(values)
            except CallTimedOut:
                out.failures.append(f"{where}: still running after {TIME_LIMIT} s")
                continue
            except (ValueError, TypeError) as exc:
                if _names(str(exc), p.name):
                    out.clear_error += 1
                else:
                    out.failures.append(f"{where}: {type(exc).__name__} not naming "
                                        f"{p.name!r}: {exc}")
                continue
            except Exception as exc:  # noqa: BLE001
                out.failures.append(f"{where}: raw {type(exc).__name__}: {exc}")
                continue
            ok = case.ok.get(p.name, set())
            if isinstance(p.default, bool):
                ok = ok | {"bool"}  # True is a valid value of a flag
            if label not in ok:
                out.failures.append(f"{where}: accepted silently, returned {_short(result)}")
                continue
            bad_numbers = _non_finite(result)
            if case.inf_ok:
                bad_numbers.discard("inf")
            if label in case.nan_ok:
                bad_numbers.discard("nan")
            if bad_numbers:
                out.failures.append(f"{where}: returned {'/'.join(sorted(bad_numbers))}: "
                                    f"{_short(result)}")
                continue
            out.documented += 1
    return out


def _short(x: Any) -> str:
    text = repr(x)
    return text if len(text) < 120 else text[:117] + "..."


# --------------------------------------------------------------------------- the tests
@pytest.fixture(autouse=True)
def private_cache_and_tiny_mnist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from chapter5 import protocol

    monkeypatch.setenv("CHAPTER5_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(protocol, "load_mnist", _tiny_mnist)  # data=None: never download
    monkeypatch.chdir(tmp_path)  # a bad path argument writes nothing into the repository


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest) -> Iterator[None]:
    callspec = getattr(request.node, "callspec", None)
    with offline(callspec.params.get("qual", "") if callspec else ""):
        yield


def test_discovery_finds_the_package_s_public_callables() -> None:
    assert "chapter5.activations.sigmoid" in FOUND
    assert "chapter5.chain.Chain.first" in FOUND
    assert "chapter5.gates.CircuitBuilder.block" in FOUND
    assert not any(".viz." in q for q in FOUND) or "chapter5.viz.style.layer_colour" in FOUND
    assert len(FOUND) > 100


def test_every_callable_with_parameters_has_a_case() -> None:
    missing = sorted(q for q in FOUND if needs_case(q) and q not in CASES
                     and q not in KNOWN_GAPS_OWNED_ELSEWHERE)
    assert not missing, ("public callables without valid example arguments in CASES "
                         f"(add one so their bad input is tested): {missing}")
    stale = sorted(set(CASES) - set(FOUND))
    assert not stale, f"CASES names callables that no longer exist: {stale}"
    for case in CASES.values():
        for labels in case.ok.values():
            assert labels <= LABELS


def test_network_training_limits_are_the_experiments_limits() -> None:
    from chapter5 import experiments, network
    assert (network.MAX_ETA, network.MAX_LMBDA, network.MAX_EPOCHS) == (
        experiments.MAX_ETA, experiments.MAX_LMBDA, experiments.MAX_EPOCHS)


def test_network_bad_training_input_changes_nothing() -> None:
    net = _net()
    before = [p.copy() for p in net.weights + net.biases]
    state = net.rng.bit_generator.state
    x, y = _xy()
    with pytest.raises(TypeError, match="evaluation_data"):
        net.sgd(x, y, epochs=1, mini_batch_size=2, eta=0.1, evaluation_data=(x,))
    with pytest.raises(ValueError, match="lmbda"):
        net.gradient_descent(x, y, epochs=1, eta=0.1, lmbda=1e308)
    x_nan = x.copy()
    x_nan[2, 1] = np.nan
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        net.sgd(x_nan, y, epochs=1, mini_batch_size=2, eta=0.1)
    with pytest.raises(ValueError, match="y must hold finite numbers"):
        net.gradient_descent(x, np.full((6, 2), np.inf), epochs=1, eta=0.1)
    with pytest.raises(ValueError, match=r"evaluation_data\[0\] must hold finite numbers"):
        net.sgd(x, y, epochs=1, mini_batch_size=2, eta=0.1, evaluation_data=(x_nan, y))
    good = _net()
    with pytest.raises(ValueError, match="weights"):
        net.set_parameters(good.weights[:1] + [np.zeros((9, 9))], good.biases)
    for p, q in zip(net.weights + net.biases, before, strict=True):
        np.testing.assert_array_equal(p, q)
    assert net.rng.bit_generator.state == state


@pytest.mark.parametrize("qual", sorted(q for q in FOUND if needs_case(q)))
def test_bad_input_is_rejected_clearly(qual: str) -> None:
    if qual not in CASES:
        if qual in KNOWN_GAPS_OWNED_ELSEWHERE:
            pytest.xfail(KNOWN_GAPS_OWNED_ELSEWHERE[qual])
        pytest.fail(f"{qual} has no case in CASES")
    report = audit(qual, first_failure=qual in KNOWN_GAPS_OWNED_ELSEWHERE)
    if qual in KNOWN_GAPS_OWNED_ELSEWHERE:
        if report.failures:
            pytest.xfail(f"{KNOWN_GAPS_OWNED_ELSEWHERE[qual]}; {len(report.failures)} failing")
        pytest.fail(f"{qual} passes now: remove it from KNOWN_GAPS_OWNED_ELSEWHERE")
    assert not report.failures, "\n".join(report.failures)


def main() -> int:
    import os
    import tempfile

    from chapter5 import protocol

    os.environ["CHAPTER5_CACHE_DIR"] = tempfile.mkdtemp(prefix="chapter5-bad-input-")
    os.chdir(os.environ["CHAPTER5_CACHE_DIR"])
    protocol.load_mnist = _tiny_mnist  # type: ignore[assignment]
    tallies = {"here": Audit(), "gaps": Audit()}
    no_case = []
    for qual in sorted(q for q in FOUND if needs_case(q)):
        if qual not in CASES:
            no_case.append(qual)
            continue
        with offline(qual):
            report = audit(qual)
        t = tallies["gaps" if qual in KNOWN_GAPS_OWNED_ELSEWHERE else "here"]
        t.tried += report.tried
        t.clear_error += report.clear_error
        t.documented += report.documented
        t.failures += report.failures
    print(f"callables found: {len(FOUND)}, with a case: {len(CASES)}, "
          f"library-built containers: {len(CONSTRUCTED_BY_THE_LIBRARY)}, "
          f"without a case: {len(no_case)}, in KNOWN_GAPS_OWNED_ELSEWHERE: "
          f"{len(KNOWN_GAPS_OWNED_ELSEWHERE)}")
    for key, title in (("here", "outside the known gaps"), ("gaps", "known gaps")):
        t = tallies[key]
        print(f"{title}: bad calls tried {t.tried}, clear error {t.clear_error}, documented "
              f"result {t.documented}, failing {len(t.failures)}")
    for key in ("here", "gaps"):
        for line in tallies[key].failures:
            print(f"  [{key}] {line}")
    for qual in no_case:
        print("  no case: " + qual)
    return 0 if not tallies["here"].failures else 1


if __name__ == "__main__":
    sys.exit(main())
