"""The deep-network lab's three panels: each owns ONE matplotlib figure and redraws it in place.

Introduced in ``07-deep-network-lab``. ``update(state)`` reads a
:class:`chapter5.viz.lab_state.LabState`, moves the panel's artists over a cached background and
returns PNG bytes for a :class:`chapter5.viz.picture.Picture` (decoded before it is swapped in:
no blank frames). :class:`InitPanel` and :class:`HistogramPanel` draw the at-init result,
:class:`TrainPanel` the training history; :class:`chapter5.viz.lab.Lab` holds one of each.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from chapter5 import lab
from chapter5.viz.lab_state import LabState, _check_state
from chapter5.viz.style import INK, PALETTE, apply_style, layer_colour

#: The guide line of the update-to-parameter ratio (a common rule of thumb: about 1e-3).
UPDATE_RATIO_GUIDE = 1e-3
DPI = 90


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
        init = _check_state(state, init=True).init
        assert init is not None
        s = init.speeds
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
        init = _check_state(state, init=True).init
        assert init is not None
        layers = init.layers
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
        depth = _check_state(state).config.depth
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
