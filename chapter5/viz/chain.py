"""The live chain explorer of notebook 03 (Nielsen ch. 5, eq. 122), built on
:mod:`chapter5.viz.explorer`: its state, presets, readout HTML and widget.

The picture is :mod:`chapter5.viz.chain_picture`, the readout strings are
:func:`chapter5.explorer_readouts.chain_readouts`, the derivation's static figures are
:mod:`chapter5.viz.chain_figures` (all re-exported here). Introduced in ``03-chain-of-neurons``.

Public pieces
-------------
* :class:`_ChainState` -- depth, every w_j and b_j, a_0 (the JavaScript explorer's ``state``).
* :data:`PRESET_LABELS` / :func:`preset_chain` -- the three preset buttons, their one definition
  (``chapter5/js/chain_presets.js`` is generated from them).
* :func:`readout_strings` / :func:`readout_html` / :func:`equation_html` -- the readout.
* :class:`ChainExplorer` -- the ipywidgets explorer (sliders, presets, picture, readout).
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any, cast

import numpy as np

from chapter5.chain import (
    EXPLORER_A0,
    EXPLORER_DEFAULT_DEPTH,
    EXPLORER_MAX_DEPTH,
    EXPLORER_SEED,
    Chain,
    ChainGradients,
    _check_gradients,
    balanced_chain,
    exploding_chain,
    explorer_typical_chain,
    gradients,
)
from chapter5.explorer_readouts import chain_readouts, speed_words
from chapter5.viz.chain_figures import db1_vs_db3_figure, sigmoid_figure, weight_draw_figure
from chapter5.viz.chain_picture import (
    BODY_SIZE,
    DPI,
    FACTOR_LOG10_WINDOW,
    GRADIENT_MAX_DECADES,
    TEXT_BAND,
    Z_WINDOW,
    ChainPicture,
    _sub,
    static_chain_figure,
)
from chapter5.viz.explorer import (
    Control,
    Explorer,
    _check_readout_values,
    float_slider,
    int_slider,
    parse_readout,
)

#: (min, max, step) of the explorer's sliders (the website's explorer uses the same).
W_RANGE: tuple[float, float, float] = (-100.0, 100.0, 0.01)
B_RANGE: tuple[float, float, float] = (-150.0, 150.0, 0.01)
A0_RANGE: tuple[float, float, float] = (-1.0, 1.0, 0.01)

#: The preset buttons, in order, with their labels: the one place they are written.
PRESET_LABELS: dict[str, str] = {
    "typical": f"typical N(0,1) start (seed {EXPLORER_SEED})",
    "exploding": "exploding: w = 100, z = 0",
    "balanced": "balanced: every factor 1",
}
PRESETS: tuple[str, ...] = tuple(PRESET_LABELS)


def _preset_name(name: str, value: object) -> str:
    if not isinstance(value, str) or value not in PRESETS:
        raise ValueError(f"{name} must be one of {', '.join(PRESETS)}; got {value!r}")
    return value


def preset_chain(name: str, depth: int = EXPLORER_MAX_DEPTH) -> Chain:
    """The chain a preset button sets (all ``depth`` layers, ``a0 = EXPLORER_A0``).

    ``"typical"``: :func:`chapter5.chain.explorer_typical_chain` (N(0, 1) draws, seed
    ``EXPLORER_SEED``, rounded to the sliders' 0.01 step); ``"exploding"``: w = 100 and every
    z_j = 0; ``"balanced"``: w = 4 and every z_j = 0, so every factor is 1.
    Introduced in ``03-chain-of-neurons``.
    """
    name = _preset_name("name", name)
    if name == "typical":
        return explorer_typical_chain(depth)
    if name == "exploding":
        return exploding_chain(depth, a0=EXPLORER_A0, w=100.0)
    if name == "balanced":
        return balanced_chain(depth, a0=EXPLORER_A0)
    raise ValueError(f"name must be one of {', '.join(PRESETS)}; got {name!r}")


@dataclasses.dataclass
class _ChainState:
    """What the reader set: ``depth`` and all ``EXPLORER_MAX_DEPTH`` weights and biases (layer j
    at index j - 1; the chain is the first ``depth``), and ``a0``.

    :meth:`set` takes the control keys ``"w3"``, ``"b3"``, ``"a0"``, ``"depth"``.
    Introduced in ``03-chain-of-neurons``.
    """

    depth: int
    w: list[float]
    b: list[float]
    a0: float

    @classmethod
    def preset(cls, name: str, depth: int = EXPLORER_DEFAULT_DEPTH) -> _ChainState:
        c = preset_chain(name)
        return cls(depth, c.w.tolist(), c.b.tolist(), c.a0)

    def set(self, key: str, value: Any) -> None:
        if key[0] in "wb" and key[1:].isdigit():
            getattr(self, key[0])[int(key[1:]) - 1] = float(value)
        else:
            setattr(self, key, value)

    @property
    def chain(self) -> Chain:
        """The chain the state describes (its first ``depth`` layers)."""
        return Chain(np.asarray(self.w[: self.depth]), np.asarray(self.b[: self.depth]), self.a0)


# ---------------------------------------------------------------------------------------------
# The readout


def readout_strings(g: ChainGradients) -> dict[str, str]:
    """The explorer's readout: :func:`chapter5.explorer_readouts.chain_readouts`.

    Keys (widget DOM contract): ``z_j``, ``factor_j`` (w_j sigma'(z_j)), ``dC_db_j`` for
    j = 1..L, ``ratio_1_L`` (dC/db_1 / dC/db_L) and ``equation``. Introduced in
    ``03-chain-of-neurons``.
    """
    return chain_readouts(g)


def _values(g: object, values: object) -> dict[str, str]:
    """The readout of ``g``: ``values`` if given (checked to hold every key), else computed."""
    g = _check_gradients(g)
    if values is None:
        return chain_readouts(g)
    return _check_readout_values(values, tuple(chain_readouts(g)))


def equation_html(g: ChainGradients, values: dict[str, str] | None = None) -> str:
    """Eq. (122) with the live numbers and the first-to-last ratio in words, as HTML (no
    ``data-key`` attributes: the readout carries those). ``values``: the readout, if already
    computed. Introduced in ``03-chain-of-neurons``.
    """
    v = _values(g, values)
    L = g.z.size
    return (
        '<div style="line-height: 1.5">'
        f"<code>{html.escape(v['equation'], quote=False)}</code><br>"
        f"<b>∂C/∂b<sub>1</sub> ÷ ∂C/∂b<sub>{L}</sub> = {v['ratio_1_L']}</b>"
        f" &nbsp;({html.escape(speed_words(g), quote=False)})</div>"
    )


def readout_html(g: ChainGradients, values: dict[str, str] | None = None) -> str:
    """The readout as an HTML table whose cells carry ``data-key`` attributes.

    Introduced in ``03-chain-of-neurons``.
    """
    s = _values(g, values)
    L = g.z.size
    pad = 'style="padding: 1px 0.7em; text-align: right"'

    def cell(key: str) -> str:
        return f'<td {pad} data-key="{key}">{html.escape(s[key], quote=False)}</td>'

    rows = "".join(
        f"<tr><td {pad}>{j}</td>{cell(f'z_{j}')}{cell(f'factor_{j}')}{cell(f'dC_db_{j}')}</tr>"
        for j in range(1, L + 1)
    )
    return (
        '<div class="c5-readout-body" style="font-variant-numeric: tabular-nums">'
        '<table style="border-collapse: collapse">'
        f"<thead><tr><th {pad}>j</th><th {pad}>z<sub>j</sub></th>"
        f"<th {pad}>w<sub>j</sub> σ′(z<sub>j</sub>)</th>"
        f"<th {pad}>∂C/∂b<sub>j</sub></th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<p>∂C/∂b<sub>1</sub> ÷ ∂C/∂b<sub>{L}</sub> = <b data-key="ratio_1_L">'
        f"{html.escape(s['ratio_1_L'], quote=False)}</b></p>"
        f'<p><code data-key="equation">{html.escape(s["equation"], quote=False)}</code></p>'
        "<p><small>The cost is C = a<sub>L</sub>, so ∂C/∂a<sub>L</sub> = 1: every gradient is "
        "in units of ∂C/∂a<sub>L</sub>.</small></p></div>"
    )


# ---------------------------------------------------------------------------------------------
# The explorer


class ChainExplorer(Explorer):
    """The live chain explorer: sliders for every w_j, b_j, a_0 and the depth, three presets,
    one picture redrawn in place and a readout.

    Widgets carry the CSS classes of the widget DOM contract (``c5-slider-w1``...,
    ``c5-preset-typical``..., ``c5-readout``, ``c5-figure``). Display it with
    ``display(explorer)`` or ``explorer.widget``.

    Parameters
    ----------
    depth : int
        Depth to open at (1..EXPLORER_MAX_DEPTH).
    preset : str
        Preset to open with (default "typical").

    Attributes
    ----------
    state : _ChainState
    controls, sliders : dict[str, ipywidgets.FloatSlider | ipywidgets.IntSlider]
        Keys ``"w1"``..``"w10"``, ``"b1"``..``"b10"``, ``"a0"``, ``"depth"``.
    buttons : dict[str, ipywidgets.Button]
        Keys ``"typical"``, ``"exploding"``, ``"balanced"``.
    picture : ChainPicture
        Its ``figure`` is created once and never replaced.
    image, readout, equation, widget, render_count, gradients
        See :class:`chapter5.viz.explorer.Explorer`; ``equation`` is the HTML line above the
        picture, ``gradients`` the :class:`chapter5.chain.ChainGradients` on screen.

    Introduced in ``03-chain-of-neurons``.
    """

    alt = ("The chain explorer's picture: the chain, sigma'(z) with every z_j, the factors and "
           "|dC/db_j| on log axes, each layer in its own colour")

    def __init__(self, depth: int = EXPLORER_DEFAULT_DEPTH, preset: str = "typical") -> None:
        import ipywidgets as widgets

        if isinstance(depth, bool) or not isinstance(depth, int) or not (
                1 <= depth <= EXPLORER_MAX_DEPTH):
            raise ValueError(
                f"depth must be an integer from 1 to {EXPLORER_MAX_DEPTH}; got {depth!r}"
            )
        state = _ChainState.preset(_preset_name("preset", preset), depth)
        n = EXPLORER_MAX_DEPTH
        controls: list[Control] = []
        self._rows = []
        for j in range(1, n + 1):
            pair = [float_slider(f"w{j}", f"w{_sub(j)}", state.w[j - 1], W_RANGE),
                    float_slider(f"b{j}", f"b{_sub(j)}", state.b[j - 1], B_RANGE)]
            controls += pair
            self._rows.append(widgets.HBox([c.widget for c in pair]))
        controls.append(float_slider("a0", "a₀", state.a0, A0_RANGE))
        controls.append(int_slider("depth", "depth", depth, 1, n))
        self.buttons: dict[str, widgets.Button] = {}
        for name, label in PRESET_LABELS.items():
            button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            button.add_class(f"c5-preset-{name}")
            button.on_click(lambda _button, name=name: self.apply_preset(name))
            self.buttons[name] = button
        self.equation = widgets.HTML(layout=widgets.Layout(min_height="3.4em"))
        self.equation.add_class("c5-equation")
        self.start(state, controls, ChainPicture(max_depth=n))

    @property
    def sliders(self) -> dict[str, Any]:
        """The controls (the name the notebook and the tests use)."""
        return self.controls

    @property
    def depth(self) -> int:
        return int(self.state.depth)

    @property
    def chain(self) -> Chain:
        """The chain on screen (first ``depth`` layers, on the sliders' 0.01 grid)."""
        return self.state.chain

    @property
    def gradients(self) -> ChainGradients:
        return cast(ChainGradients, self.result)

    def layout(self) -> Any:
        import ipywidgets as widgets

        c = self.controls
        box = widgets.VBox([
            widgets.HBox([widgets.Label("presets:"), *self.buttons.values()]),
            widgets.HBox([c["depth"], c["a0"]]),
            self.equation,
            self.image,
            widgets.HBox([widgets.VBox(self._rows), self.readout],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
        ])
        box.add_class("c5-chain-explorer")
        return box

    def compute(self, state: _ChainState) -> ChainGradients:
        if not isinstance(state, _ChainState):
            raise TypeError(f"state must be this explorer's state (explorer.state); got "
                            f"{type(state).__name__}")
        return gradients(state.chain)

    def readouts(self, state: _ChainState, result: ChainGradients) -> dict[str, str]:
        return chain_readouts(_check_gradients(result, "result"))

    def readout_html(self, values: dict[str, str]) -> str:
        return readout_html(self.result, values)

    def on_refresh(self, values: dict[str, str]) -> None:
        self.equation.value = equation_html(self.result, values)
        L = self.state.depth
        for j, row in enumerate(self._rows, start=1):
            display = None if j <= L else "none"
            if row.layout.display != display:
                row.layout.display = display
                for key in (f"w{j}", f"b{j}"):
                    self.controls[key].layout.display = display

    def update(self) -> ChainGradients:
        """Recompute, redraw in place and refresh the readout; return the gradients."""
        self.refresh()
        return self.gradients

    def apply_preset(self, name: str) -> None:
        """Set every w_j, b_j (all EXPLORER_MAX_DEPTH layers) and a_0 from a preset, keep the
        depth, and redraw once."""
        chain = preset_chain(name)
        values: dict[str, float] = {"a0": chain.a0}
        for j in range(1, EXPLORER_MAX_DEPTH + 1):
            values[f"w{j}"], values[f"b{j}"] = float(chain.w[j - 1]), float(chain.b[j - 1])
        self.set(**values)

    def time_update(self, n: int = 30, key: str | None = "w2") -> Any:
        """Move slider ``key`` ``n`` steps through the full observer path (recompute, redraw,
        PNG, readout); each update's wall time in seconds, shape (n,). For the benchmark."""
        if not isinstance(key, str) or key == "depth":
            raise ValueError(f"key must name a float slider, e.g. 'w2'; got {key!r}")
        return super().time_update(n, key)


__all__ = [
    "A0_RANGE",
    "BODY_SIZE",
    "B_RANGE",
    "ChainExplorer",
    "ChainPicture",
    "DPI",
    "FACTOR_LOG10_WINDOW",
    "GRADIENT_MAX_DECADES",
    "PRESETS",
    "PRESET_LABELS",
    "TEXT_BAND",
    "W_RANGE",
    "Z_WINDOW",
    "db1_vs_db3_figure",
    "equation_html",
    "parse_readout",
    "preset_chain",
    "readout_html",
    "readout_strings",
    "sigmoid_figure",
    "static_chain_figure",
    "weight_draw_figure",
]
