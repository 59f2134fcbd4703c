"""The deep-network lab's widgets: one state, controls that write into it, panels that redraw.

Introduced in ``07-deep-network-lab``. The numbers all come from :mod:`chapter5.lab`.

* :class:`LabState` -- the one explicit state: the configuration, the preset, the latest
  at-init result, the training history, the reader's guesses (kept in the kernel only).
* :func:`readouts` -- every number the widget writes, as strings, from a state (tests use it).
* :class:`InitPanel`, :class:`HistogramPanel`, :class:`TrainPanel` -- each owns ONE matplotlib
  figure; ``update(state)`` moves its artists and returns PNG bytes for a
  :class:`chapter5.viz.picture.Picture` (decoded before it is swapped in: no blank frames).
* :class:`Lab` -- the ipywidgets lab; training runs in a background thread, so Stop works.
"""

from __future__ import annotations

import html
import io
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chapter5 import lab
from chapter5.readout import format_float
from chapter5.viz.picture import Picture
from chapter5.viz.style import INK, PALETTE, apply_style, layer_colour

#: The guide line of the update-to-parameter ratio (a common rule of thumb: about 1e-3).
UPDATE_RATIO_GUIDE = 1e-3
#: Choices for "slower by about" in the prediction.
GUESS_FACTORS: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0, 100.0, 1000.0)
#: Epochs of one Train run, and epochs per streamed chunk.
TRAIN_EPOCHS = 200
TRAIN_CHUNK = 10
DPI = 90


@dataclass
class Guess:
    """The reader's prediction: which hidden layer learns slowest and by about what factor
    (fastest speed / slowest speed). Introduced in ``07-deep-network-lab``."""

    layer: int
    factor: float


@dataclass
class LabState:
    """Everything the lab shows. Controls write ``config``/``preset``/guesses; compute writes the
    results. Introduced in ``07-deep-network-lab``.

    Attributes
    ----------
    config : LabConfig
    preset : str
        Name of the preset the config came from, or ``"custom"`` once a control changed it.
    init : AtInit or None
        The at-init result for ``config``.
    speeds : list of arrays (depth,)
        Training history, one row per epoch done.
    ratios : list of (epoch, array (depth + 1,))
        Update ratios, one per streamed chunk.
    guesses : dict
        Preset name -> Guess. ``trained`` lists presets trained at least once.
    running : bool
        A training run is in progress; ``stop`` asks it to end after the current chunk.
    """

    config: lab.LabConfig = field(default_factory=lambda: lab.preset(DEFAULT_PRESET))
    preset: str = "chapter 4 hidden, default init"
    init: lab.AtInit | None = None
    speeds: list[np.ndarray] = field(default_factory=list)
    ratios: list[tuple[int, np.ndarray]] = field(default_factory=list)
    guesses: dict[str, Guess] = field(default_factory=dict)
    trained: set[str] = field(default_factory=set)
    running: bool = False
    stop: bool = False
    planned_epochs: int = TRAIN_EPOCHS

    def needs_guess(self) -> bool:
        """True before the first training run of the current preset when no guess is made."""
        return self.preset not in self.trained and self.preset not in self.guesses


DEFAULT_PRESET = "chapter 4 hidden, default init"


def readouts(state: LabState) -> dict[str, str]:
    """The lab's readout: key -> text. Keys: ``speed1``.. (at init), ``ratio_init``,
    ``saturated1``.., ``epoch``, ``ratio_train``, ``guess``, ``measured``.

    Introduced in ``07-deep-network-lab``.
    """
    out: dict[str, str] = {}
    if state.init is not None:
        for i, (s, h) in enumerate(zip(state.init.speeds, state.init.layers, strict=True), 1):
            out[f"speed{i}"] = format_float(float(s))
            out[f"saturated{i}"] = f"{100 * h.saturated_share:.0f} %"
        out["ratio_init"] = _ratio_text(lab.ratio_last_first(state.init.speeds))
    if state.speeds:
        last = state.speeds[-1]
        out["epoch"] = f"{len(state.speeds) - 1}"
        out["ratio_train"] = _ratio_text(lab.ratio_last_first(last))
        if state.preset in state.guesses or state.preset in state.trained:
            slow = int(np.argmin(last)) + 1
            top = float(np.max(last))
            low = float(np.min(last))
            f = "∞" if low == 0 and top > 0 else format_float(top / low if low else 1.0)
            out["measured"] = f"layer {slow} is slowest, {f}× slower than the fastest"
    g = state.guesses.get(state.preset)
    if g is not None:
        out["guess"] = f"layer {g.layer} is slowest, about {g.factor:g}× slower"
    return out


def _ratio_text(r: float) -> str:
    return "∞ (layer 1 does not learn)" if r == float("inf") else format_float(r)


# ---------------------------------------------------------------------------------- panels
def _figure(size: tuple[float, float]) -> Figure:
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


class _Blit:
    """Render a figure whose ``moving`` artists change over a cached background, which is
    redrawn only when ``key`` (axis limits, depth...) changes."""

    def __init__(self, fig: Figure, moving: list[Any]) -> None:
        self.fig, self.moving = fig, moving
        self.key: object = None
        self.background: Any = None
        for a in moving:
            a.set_animated(True)

    def png(self, key: object) -> bytes:
        canvas: Any = self.fig.canvas
        if key != self.key or self.background is None:
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.fig.bbox)
            self.key = key
        else:
            canvas.restore_region(self.background)
        for a in self.moving:
            if a.get_visible():
                self.fig.draw_artist(a)
        w, h = canvas.get_width_height()
        img = PIL.Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()


def _top(share: float) -> float:
    """A y-axis top from a few fixed steps, so the background is rarely redrawn."""
    for t in (0.05, 0.1, 0.2, 0.5):
        if share <= t:
            return t
    return 1.0


def _log_limits(values: np.ndarray, floor: float = 1e-12) -> tuple[float, float]:
    v = values[np.isfinite(values) & (values > 0)]
    if v.size == 0:
        return (1e-3, 1.0)
    lo, hi = max(float(v.min()), floor), float(v.max())
    lo = 10 ** np.floor(np.log10(lo) - 0.2)
    hi = 10 ** np.ceil(np.log10(hi) + 0.2)
    return (float(lo), float(hi))


class InitPanel:
    """Each hidden layer's speed ||dC/db^l|| at initialisation, log axis.

    Introduced in ``07-deep-network-lab``."""

    def __init__(self) -> None:
        self.figure = fig = _figure((4.2, 3.0))
        ax = self.ax = fig.add_subplot()
        n = lab.DEPTH_RANGE[1]
        self.bars = ax.bar(np.arange(1, n + 1), np.ones(n), color=[layer_colour(i)
                                                                  for i in range(1, n + 1)])
        ax.set_yscale("log")
        ax.set(xlabel="hidden layer l", ylabel="speed ‖∂C/∂bˡ‖ (log)",
               title="speed of each hidden layer at init")
        self.note = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=8,
                            color=INK)
        fig.subplots_adjust(left=0.2, right=0.97, bottom=0.16, top=0.9)
        apply_style(fig)
        self.blit = _Blit(fig, [*self.bars, self.note])

    def update(self, state: LabState) -> bytes:
        """Redraw for ``state.init``; return PNG bytes."""
        assert state.init is not None
        s = state.init.speeds
        lo, hi = _log_limits(s)
        for i, bar in enumerate(self.bars):
            bar.set_visible(i < s.size)
            if i < s.size:
                bar.set_y(lo)
                bar.set_height(max(float(s[i]), lo) - lo)
        self.ax.set_ylim(lo, hi)
        self.ax.set_xlim(0.4, s.size + 0.6)
        self.ax.set_xticks(np.arange(1, s.size + 1))
        zero = np.sum(s == 0)
        self.note.set_text(f"{zero} layer(s) with speed exactly 0" if zero else "")
        return self.blit.png((lo, hi, s.size))


class HistogramPanel:
    """Per-layer histograms of the activations and of log10 |dC_x/db^l|, saturated shares in the
    legend. Introduced in ``07-deep-network-lab``."""

    def __init__(self) -> None:
        self.figure = fig = _figure((8.4, 3.0))
        self.ax_a, self.ax_g = fig.subplots(1, 2)
        n = lab.DEPTH_RANGE[1]
        ca = 0.5 * (lab.ACTIVATION_BINS[1:] + lab.ACTIVATION_BINS[:-1])
        cg = 0.5 * (lab.GRADIENT_LOG10_BINS[1:] + lab.GRADIENT_LOG10_BINS[:-1])
        self.lines_a = [self.ax_a.plot(ca, 0 * ca, drawstyle="steps-mid",
                                       color=layer_colour(i))[0] for i in range(1, n + 1)]
        self.lines_g = [self.ax_g.plot(cg, 0 * cg, drawstyle="steps-mid",
                                       color=layer_colour(i))[0] for i in range(1, n + 1)]
        self.ax_a.set(xlabel="activation aˡ (clipped to [−1, 1])", ylabel="share of values",
                      title="activations")
        self.ax_g.set(xlabel="log₁₀ |∂Cₓ/∂bˡⱼ| per image", ylabel="share of values",
                      title="bias gradients")
        self.shares = self.ax_a.text(0.02, 0.97, "", transform=self.ax_a.transAxes, va="top",
                                     fontsize=7, color=INK)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.9, wspace=0.25)
        apply_style(fig)
        self.blit = _Blit(fig, [*self.lines_a, *self.lines_g, self.shares])

    def update(self, state: LabState) -> bytes:
        """Redraw for ``state.init``; return PNG bytes."""
        assert state.init is not None
        layers = state.init.layers
        top_a = top_g = 0.0
        for i, (la, lg) in enumerate(zip(self.lines_a, self.lines_g, strict=True)):
            on = i < len(layers)
            la.set_visible(on)
            lg.set_visible(on)
            if on:
                h = layers[i]
                total = max(h.activation_counts.sum(), 1)
                ya = h.activation_counts / total
                yg = h.gradient_counts / total
                la.set_ydata(ya)
                lg.set_ydata(yg)
                top_a, top_g = max(top_a, float(ya.max())), max(top_g, float(yg.max()))
        self.shares.set_text("saturated (σ′ < 1 % of its peak):\n" + "\n".join(
            f"layer {i}: {100 * h.saturated_share:.0f} %" for i, h in enumerate(layers, 1)))
        key = (_top(top_a), _top(top_g))
        self.ax_a.set_ylim(0, key[0])
        self.ax_g.set_ylim(0, key[1])
        return self.blit.png(key)


class TrainPanel:
    """Protocol C live: each hidden layer's speed per epoch (log) and the update-to-parameter
    ratio per layer with the 1e-3 guide line. Introduced in ``07-deep-network-lab``."""

    def __init__(self) -> None:
        self.figure = fig = _figure((8.4, 3.0))
        self.ax_s, self.ax_u = fig.subplots(1, 2)
        n = lab.DEPTH_RANGE[1]
        self.lines_s = [self.ax_s.plot([], [], color=layer_colour(i), label=f"layer {i}")[0]
                        for i in range(1, n + 1)]
        self.lines_u = [self.ax_u.plot([], [], "o-", ms=3, color=layer_colour(i))[0]
                        for i in range(1, n + 1)]
        self.line_out = self.ax_u.plot([], [], "s--", ms=3, color=PALETTE["grey"],
                                       label="output")[0]
        self.ax_u.axhline(UPDATE_RATIO_GUIDE, color=INK, ls=":", lw=1)
        self.ax_u.text(0.01, UPDATE_RATIO_GUIDE, "1e-3 guide",
                       transform=self.ax_u.get_yaxis_transform(), ha="left", va="bottom",
                       fontsize=8, color=INK)
        for ax in (self.ax_s, self.ax_u):
            ax.set_yscale("log")
        self.ax_s.set(xlabel="epoch (full-batch steps)", ylabel="speed ‖∂C/∂bˡ‖ (log)",
                      title="speed during training")
        self.ax_u.set(xlabel="epoch", ylabel="‖Δwˡ‖ / ‖wˡ‖ (log)",
                      title="update-to-parameter ratio")
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.17, top=0.9, wspace=0.3)
        apply_style(fig)
        self.blit = _Blit(fig, [*self.lines_s, *self.lines_u, self.line_out])

    def update(self, state: LabState) -> bytes:
        """Redraw for ``state.speeds`` and ``state.ratios``; return PNG bytes."""
        depth = state.config.depth
        s = np.array(state.speeds) if state.speeds else np.empty((0, depth))
        epochs = np.arange(s.shape[0])
        for i, line in enumerate(self.lines_s):
            line.set_visible(i < s.shape[1] and s.shape[0] > 0)
            if i < s.shape[1]:
                line.set_data(epochs, np.where(s[:, i] > 0, s[:, i], np.nan))
        e = np.array([r[0] for r in state.ratios], dtype=float)
        u = np.array([r[1] for r in state.ratios]) if state.ratios else np.empty((0, depth + 1))
        u_shown = np.where(np.isfinite(u) & (u > 0), u, np.nan)
        for i, line in enumerate(self.lines_u):
            line.set_visible(i < depth and u.shape[0] > 0)
            if i < depth:
                line.set_data(e, u_shown[:, i])
        self.line_out.set_data(e, u_shown[:, -1] if u.shape[0] else [])
        x_max = float(max(state.planned_epochs, s.shape[0], 2) - 1)
        ls, lu = _log_limits(s.ravel()), _log_limits(np.append(u.ravel(), UPDATE_RATIO_GUIDE))
        key = (x_max, ls, lu, depth)
        if key != self.blit.key:
            self.ax_s.set_xlim(0, x_max)
            self.ax_s.set_ylim(*ls)
            self.ax_u.set_xlim(-1, x_max + 1)
            self.ax_u.set_ylim(*lu)
            self.ax_s.legend(handles=self.lines_s[:depth], fontsize=7, frameon=False, ncol=2)
            self.ax_u.legend(handles=[self.line_out], labels=["output layer"], fontsize=7,
                             frameon=False, loc="upper right")
        return self.blit.png(key)


# ---------------------------------------------------------------------------------- the lab
class Lab:
    """The ipywidgets lab on the first MNIST training images ``x`` (n, 784), labels ``y``.

    ``display(lab)`` shows it. :meth:`compute` recomputes the at-init views for the state's
    config; :meth:`train` runs protocol C (blocking, for scripts and tests); the Train button
    runs it in a background thread that streams every chunk and stops when asked.

    Introduced in ``07-deep-network-lab``.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, preset: str = DEFAULT_PRESET) -> None:
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
            widgets.HBox([self.train_button, self.stop_button, self.progress]),
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
        self.state.preset = "custom"
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
        """Record the reader's guess for the current preset (in the kernel only)."""
        depth = self.state.config.depth
        if not isinstance(layer, int) or not 1 <= layer <= depth:
            raise ValueError(f"layer must be a hidden layer from 1 to {depth}; got {layer!r}")
        if factor not in GUESS_FACTORS:
            raise ValueError(f"factor must be one of {GUESS_FACTORS}; got {factor!r}")
        self.state.guesses[self.state.preset] = Guess(layer, float(factor))
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
        or until :meth:`request_stop`."""
        st = self.state
        if st.needs_guess():
            raise ValueError(f"make a guess for preset {st.preset!r} first (lock_guess)")
        st.running, st.stop = True, False
        st.speeds, st.ratios = [], []
        self.progress.max, self.progress.value = epochs, 0
        st.planned_epochs = epochs
        self._refresh_train()
        try:
            for ch in lab.train(st.config, self.x, self.y, epochs, chunk=chunk):
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
        return each move's wall time in seconds, shape (n,). For the benchmark."""
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
