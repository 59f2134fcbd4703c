"""The deep-network lab's widgets: one state, controls that write into it, panels that redraw.

Introduced in ``07-deep-network-lab``. The numbers all come from :mod:`chapter5.lab`.

* :class:`LabState` -- the one explicit state: the configuration, the preset, the latest
  at-init result, the training history, the reader's guesses (kept in the kernel only);
  :func:`readouts` -- every number the widget writes, as strings, from a state (tests use it).
  Both live in :mod:`chapter5.viz.lab_state`.
* :class:`InitPanel`, :class:`HistogramPanel`, :class:`TrainPanel` -- each owns ONE matplotlib
  figure; ``update(state)`` moves its artists and returns PNG bytes
  (:mod:`chapter5.viz.lab_panels`).
* :class:`Lab` -- the ipywidgets lab; training runs in a background thread, so Stop works.

Every name above can be imported from here.
"""

from __future__ import annotations

import html
import threading
import time
from typing import Any

import ipywidgets as widgets
import numpy as np

from chapter5 import lab
from chapter5._validate import positive_int
from chapter5.viz.lab_panels import (
    DPI,
    UPDATE_RATIO_GUIDE,
    HistogramPanel,
    InitPanel,
    TrainPanel,
)
from chapter5.viz.lab_state import (
    CUSTOM,
    DEFAULT_PRESET,
    GUESS_FACTORS,
    TRAIN_CHUNK,
    TRAIN_EPOCHS,
    Guess,
    LabState,
    _guess_factor,
    _guess_layer,
    readouts,
)
from chapter5.viz.picture import Picture
from chapter5.viz.style import PALETTE

__all__ = [
    "DEFAULT_PRESET", "DPI", "GUESS_FACTORS", "MAX_MOVES", "TRAIN_CHUNK", "TRAIN_EPOCHS",
    "UPDATE_RATIO_GUIDE", "Guess", "HistogramPanel", "InitPanel", "Lab", "LabState",
    "TrainPanel", "readouts",
]

#: Most moves :meth:`Lab.time_moves` makes.
MAX_MOVES = 10_000


def _diverged_message(config: lab.LabConfig, epochs_done: int) -> str:
    """What the lab says when a run blew up: where, why, and what to change."""
    return (f"<span style='color:{PALETTE['vermillion']}'>Training stopped after "
            f"{epochs_done} epoch(s): the weights grew past what floating point can hold "
            f"(η = {config.eta:g} is too large for this net). Lower η and train again.</span>")


class Lab:
    """The ipywidgets lab on the first MNIST training images ``x`` (n, 784), labels ``y``.

    ``display(lab)`` shows it. :meth:`compute` recomputes the at-init views for the state's
    config; :meth:`train` runs protocol C (blocking, for scripts and tests); the Train button
    runs it in a background thread that streams every chunk and stops when asked.

    Introduced in ``07-deep-network-lab``.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, preset: str = DEFAULT_PRESET) -> None:
        if not isinstance(preset, str) or preset not in lab.PRESETS:
            raise ValueError(f"preset must be one of {', '.join(map(repr, lab.PRESETS))}; got "
                             f"{preset!r:.60}")
        # Every control reaches MAX_IMAGES images: check them all now, not on the first move.
        lab.images(x, y, lab.preset(preset).with_(n_images=lab.MAX_IMAGES))
        self.x, self.y = x, y
        self.state = LabState(config=lab.preset(preset), preset=preset)
        self.panels = (InitPanel(), HistogramPanel(), TrainPanel())
        self.pictures = []
        for p in self.panels:
            w, h = p.figure.canvas.get_width_height()
            self.pictures.append(Picture(width=w, height=h, alt=type(p).__doc__ or "",
                                         layout=widgets.Layout(width=f"{w}px",
                                                               height=f"{h}px")))
        c = self.state.config
        self.controls: dict[str, Any] = {
            "preset": widgets.Dropdown(options=list(lab.PRESETS), value=preset,
                                       description="preset"),
            "depth": widgets.IntSlider(c.depth, *lab.DEPTH_RANGE, description="depth"),
            "width": widgets.IntSlider(c.width, *lab.WIDTH_RANGE, description="width"),
            "activation": widgets.Dropdown(options=list(lab.ACTIVATION_NAMES),
                                           value=c.activation, description="activation"),
            "init": widgets.Dropdown(options=list(lab.INITS), value=c.init, description="init"),
            "eta": widgets.FloatLogSlider(c.eta, base=10, min=-3, max=1, step=0.25,
                                          description="η"),
            "n_images": widgets.IntSlider(c.n_images, 10, lab.MAX_IMAGES, step=10,
                                          description="images"),
            "seed": widgets.BoundedIntText(c.seed, min=0, max=2**31 - 1, description="seed"),
        }
        self.guess_layer = widgets.Dropdown(options=list(range(1, c.depth + 1)), value=1,
                                            description="slowest layer",
                                            style={"description_width": "initial"})
        self.guess_factor = widgets.Dropdown(options=[(f"{f:g}×", f) for f in GUESS_FACTORS],
                                             value=10.0, description="slower by",
                                             style={"description_width": "initial"})
        self.guess_button = widgets.Button(description="Lock in my guess")
        self.train_button = widgets.Button(description="Train", button_style="success")
        self.stop_button = widgets.Button(description="Stop", disabled=True)
        self.progress = widgets.IntProgress(0, 0, TRAIN_EPOCHS, description="epochs")
        self.readout = widgets.HTML()
        self.status = widgets.HTML()  # why a run ended early (training diverged)
        self._syncing = False
        for key, w in self.controls.items():
            w.observe(lambda ch, key=key: self._on_control(key, ch["new"]), names="value")
        self.guess_button.on_click(lambda _b: self.lock_guess(self.guess_layer.value,
                                                              self.guess_factor.value))
        self.train_button.on_click(lambda _b: self.start_training())
        self.stop_button.on_click(lambda _b: self.request_stop())
        self._thread: threading.Thread | None = None
        self.widget = widgets.VBox([
            widgets.HBox([self.controls[k] for k in ("preset", "activation", "init")]),
            widgets.HBox([self.controls[k] for k in ("depth", "width", "eta")]),
            widgets.HBox([self.controls[k] for k in ("n_images", "seed")]),
            widgets.HBox([self.pictures[0], self.readout]),
            self.pictures[1],
            widgets.HTML("<b>Predict, then train:</b> which layer will learn slowest, and by how "
                         "much? (your guess stays in this kernel)"),
            widgets.HBox([self.guess_layer, self.guess_factor, self.guess_button]),
            widgets.HBox([self.train_button, self.stop_button, self.progress, self.status]),
            self.pictures[2],
        ])
        self.compute()
        self._refresh_train()

    # -------------------------------------------------------------- controls -> state
    def _on_control(self, key: str, value: Any) -> None:
        if self._syncing or self.state.running:
            return
        if key == "preset":
            self.apply_preset(value)
            return
        try:
            self.state.config = self.state.config.with_(**{key: value})
        except (TypeError, ValueError) as err:
            self.readout.value = f"<span style='color:{PALETTE['vermillion']}'>" \
                                 f"{html.escape(str(err))}</span>"
            return
        self.state.preset = CUSTOM
        self._new_config()

    def apply_preset(self, name: str) -> None:
        """Set every control from the preset ``name`` and recompute once."""
        c = lab.preset(name)
        self.state.config, self.state.preset = c, name
        self._syncing = True
        try:
            for key, w in self.controls.items():
                w.value = name if key == "preset" else getattr(c, key)
        finally:
            self._syncing = False
        self._new_config()

    def _new_config(self) -> None:
        self.state.speeds, self.state.ratios = [], []
        self.guess_layer.options = list(range(1, self.state.config.depth + 1))
        self.compute()
        self._refresh_train()

    def lock_guess(self, layer: int, factor: float) -> None:
        """Record the reader's guess for the current preset (in the kernel only): ``layer`` a
        hidden layer of the current net, ``factor`` one of :data:`GUESS_FACTORS`."""
        guess = Guess(_guess_layer(layer, self.state.config.depth),
                      _guess_factor(factor))
        self.state.guesses[self.state.preset] = guess
        self._refresh_train()

    # -------------------------------------------------------------- compute -> panels
    def compute(self) -> None:
        """Recompute the at-init views for the state's config and redraw them in place."""
        self.state.init = lab.at_init(self.state.config, self.x, self.y)
        self.pictures[0].value = self.panels[0].update(self.state)
        self.pictures[1].value = self.panels[1].update(self.state)
        self._write_readout()

    def _write_readout(self) -> None:
        r = readouts(self.state)
        rows = [f"<tr><td>layer {i}</td><td data-key='speed{i}'>{r[f'speed{i}']}</td>"
                f"<td data-key='saturated{i}'>{r[f'saturated{i}']}</td></tr>"
                for i in range(1, self.state.config.depth + 1)]
        extra = "".join(f"<p>{label}: <b data-key='{k}'>{html.escape(r[k])}</b></p>"
                        for k, label in (("ratio_init", "last / first at init"),
                                         ("epoch", "epoch"),
                                         ("ratio_train", "last / first now"),
                                         ("guess", "your guess"), ("measured", "measured"))
                        if k in r)
        self.readout.value = ("<table><tr><th></th><th>speed</th><th>saturated</th></tr>"
                              + "".join(rows) + "</table>" + extra)

    def _refresh_train(self) -> None:
        self.pictures[2].value = self.panels[2].update(self.state)
        locked = self.state.needs_guess()
        self.train_button.disabled = locked or self.state.running
        self.train_button.tooltip = "lock in a guess first" if locked else ""
        self.stop_button.disabled = not self.state.running
        self._write_readout()

    # -------------------------------------------------------------- training
    def train(self, epochs: int = TRAIN_EPOCHS, chunk: int = TRAIN_CHUNK) -> None:
        """Run protocol C for the state's config, streaming each chunk to the panel, until done
        or until :meth:`request_stop`. ``epochs`` and ``chunk`` as in :func:`chapter5.lab.train`."""
        epochs, chunk = lab.check_epochs(epochs, chunk)
        st = self.state
        if st.needs_guess():
            raise ValueError(f"make a guess for preset {st.preset!r} first (lock_guess)")
        st.running, st.stop = True, False
        st.speeds, st.ratios = [], []
        self.progress.max, self.progress.value = epochs, 0
        st.planned_epochs = epochs
        self._refresh_train()
        try:
            self.status.value = ""
            for ch in lab.train(st.config, self.x, self.y, epochs, chunk=chunk):
                if ch.diverged:  # draw only the epochs that are numbers, and say why it ended
                    st.speeds.extend(s for s in ch.speeds if np.all(np.isfinite(s)))
                    self.progress.value = len(st.speeds)
                    self.status.value = _diverged_message(st.config, len(st.speeds))
                    break
                st.speeds.extend(ch.speeds)
                st.ratios.append((ch.last_epoch, ch.update_ratio))
                self.progress.value = len(st.speeds)
                self._refresh_train()
                if st.stop:
                    break
        finally:
            st.running = False
            st.trained.add(st.preset)
            self._refresh_train()

    def start_training(self) -> None:
        """Start :meth:`train` in a background thread (the kernel stays free for Stop)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self.train, daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Ask a running training to stop after its current chunk."""
        self.state.stop = True

    def time_moves(self, n: int = 50) -> np.ndarray:
        """Move the width control ``n`` times through the observer path (compute + render) and
        return each move's wall time in seconds, shape (n,), n from 1 to :data:`MAX_MOVES`.
        For the benchmark."""
        n = positive_int("n", n, maximum=MAX_MOVES)
        w = self.controls["width"]
        start = w.value
        times = np.empty(n)
        for i in range(n):
            t0 = time.perf_counter()
            w.value = 30 + (i % 2) if start != 30 + (i % 2) else 32
            times[i] = time.perf_counter() - t0
        w.value = start
        return times

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
