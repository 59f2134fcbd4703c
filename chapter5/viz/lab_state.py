"""The deep-network lab's one explicit state, the reader's guess, and the readout it implies.

Introduced in ``07-deep-network-lab``. The lab's widgets (:mod:`chapter5.viz.lab`) write into a
:class:`LabState`; its panels (:mod:`chapter5.viz.lab_panels`) and :func:`readouts` only read
it. Every field is checked when a state is made, so a wrong one is named at once instead of
breaking a redraw later.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from chapter5 import lab
from chapter5._validate import finite_float, flag, positive_int
from chapter5.readout import format_float

#: Choices for "slower by about" in the prediction.
GUESS_FACTORS: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0, 100.0, 1000.0)
#: Epochs of one Train run, and epochs per streamed chunk.
TRAIN_EPOCHS = 200
TRAIN_CHUNK = 10
DEFAULT_PRESET = "chapter 4 hidden, default init"
#: What ``LabState.preset`` says once a control has changed the preset's config.
CUSTOM = "custom"


def _guess_layer(layer: object, depth: int) -> int:
    """``layer`` as a hidden layer 1..``depth``, or an error naming ``layer``."""
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, numbers.Integral):
        raise TypeError(f"layer must be a whole number, a hidden layer from 1 to {depth}; "
                        f"got {layer!r:.60}")
    if not 1 <= int(layer) <= depth:
        raise ValueError(f"layer must be a hidden layer from 1 to {depth}; got {layer!r}")
    return int(layer)


def _guess_factor(factor: object) -> float:
    """``factor`` as one of :data:`GUESS_FACTORS`, or an error naming ``factor``."""
    f = finite_float("factor", factor)
    if f not in GUESS_FACTORS:
        raise ValueError(f"factor must be one of {', '.join(f'{g:g}' for g in GUESS_FACTORS)}; "
                         f"got {f!r}")
    return f


@dataclass
class Guess:
    """The reader's prediction: which hidden layer learns slowest (1 to the deepest the lab
    offers) and by about what factor (fastest speed / slowest speed, one of
    :data:`GUESS_FACTORS`). Introduced in ``07-deep-network-lab``."""

    layer: int
    factor: float

    def __post_init__(self) -> None:
        self.layer = _guess_layer(self.layer, lab.DEPTH_RANGE[1])
        self.factor = _guess_factor(self.factor)


@dataclass
class LabState:
    """Everything the lab shows. Controls write ``config``/``preset``/guesses; compute writes the
    results. Introduced in ``07-deep-network-lab``.

    Attributes
    ----------
    config : LabConfig
    preset : str
        Name of the preset the config came from (a key of :data:`chapter5.lab.PRESETS`), or
        ``"custom"`` once a control changed it.
    init : AtInit or None
        The at-init result for ``config`` (one entry per hidden layer).
    speeds : list of arrays (depth,)
        Training history, one row per epoch done.
    ratios : list of (epoch, array (depth + 1,))
        Update ratios, one per streamed chunk.
    guesses : dict
        Preset name -> Guess. ``trained`` lists presets trained at least once.
    running : bool
        A training run is in progress; ``stop`` asks it to end after the current chunk.
    planned_epochs : int
        Epochs of the current (or next) run, 1 to :data:`chapter5.lab.MAX_EPOCHS`.
    """

    config: lab.LabConfig = field(default_factory=lambda: lab.preset(DEFAULT_PRESET))
    preset: str = DEFAULT_PRESET
    init: lab.AtInit | None = None
    speeds: list[np.ndarray] = field(default_factory=list)
    ratios: list[tuple[int, np.ndarray]] = field(default_factory=list)
    guesses: dict[str, Guess] = field(default_factory=dict)
    trained: set[str] = field(default_factory=set)
    running: bool = False
    stop: bool = False
    planned_epochs: int = TRAIN_EPOCHS

    def __post_init__(self) -> None:
        if not isinstance(self.config, lab.LabConfig):
            raise TypeError(f"config must be a chapter5.lab.LabConfig; got "
                            f"{type(self.config).__name__}")
        names = (*lab.PRESETS, CUSTOM)
        if not isinstance(self.preset, str) or self.preset not in names:
            raise ValueError(f"preset must be one of {', '.join(map(repr, names))}; got "
                             f"{self.preset!r:.60}")
        depth = self.config.depth
        if self.init is not None and (not isinstance(self.init, lab.AtInit)
                                      or self.init.speeds.shape != (depth,)):
            raise TypeError(f"init must be None or the AtInit of config's {depth} hidden layers "
                            f"(lab.at_init(config, x, y)); got {type(self.init).__name__}")
        self.speeds = _rows("speeds", self.speeds, depth)
        if not isinstance(self.ratios, list) or not all(
                isinstance(r, tuple) and len(r) == 2 for r in self.ratios):
            raise TypeError("ratios must be a list of (epoch, array (depth + 1,)) pairs")
        rows = _rows("ratios", [r[1] for r in self.ratios], depth + 1, inf_ok=True)
        self.ratios = [(positive_int("ratios[i][0]", r[0], minimum=0), u)
                       for r, u in zip(self.ratios, rows, strict=True)]
        if not isinstance(self.guesses, dict) or not all(
                isinstance(k, str) and isinstance(g, Guess) for k, g in self.guesses.items()):
            raise TypeError("guesses must be a dict from preset name to Guess")
        if not isinstance(self.trained, set) or not all(isinstance(k, str) for k in self.trained):
            raise TypeError("trained must be a set of preset names")
        self.running, self.stop = flag("running", self.running), flag("stop", self.stop)
        self.planned_epochs = positive_int("planned_epochs", self.planned_epochs,
                                           maximum=lab.MAX_EPOCHS)

    def needs_guess(self) -> bool:
        """True before the first training run of the current preset when no guess is made."""
        return self.preset not in self.trained and self.preset not in self.guesses


def _rows(name: str, value: object, size: int, *, inf_ok: bool = False) -> list[np.ndarray]:
    """``value``: a list of 1-D arrays of ``size`` non-negative numbers (NaN never)."""
    if not isinstance(value, list):
        raise TypeError(f"{name} must be a list of arrays of shape ({size},); got "
                        f"{type(value).__name__}")
    out = []
    for row in value:
        r = np.asarray(row, dtype=np.float64) if isinstance(row, np.ndarray) else None
        if r is None or r.shape != (size,) or np.isnan(r).any() or (r < 0).any() or (
                not inf_ok and np.isinf(r).any()):
            raise ValueError(f"{name} must hold arrays of {size} non-negative numbers; got "
                             f"{row!r:.60}")
        out.append(r)
    return out


def _check_state(state: object, *, init: bool = False) -> LabState:
    """``state`` as a :class:`LabState` (with its at-init result if ``init``), or a clear error."""
    if not isinstance(state, LabState):
        raise TypeError(f"state must be a chapter5.viz.lab.LabState; got {type(state).__name__}")
    if init and state.init is None:
        raise ValueError("state must hold its at-init result (state.init is None): compute it "
                         "first, e.g. state.init = lab.at_init(state.config, x, y)")
    return state


def readouts(state: LabState) -> dict[str, str]:
    """The lab's readout: key -> text. Keys: ``speed1``.. (at init), ``ratio_init``,
    ``saturated1``.., ``epoch``, ``ratio_train``, ``guess``, ``measured``.

    Introduced in ``07-deep-network-lab``.
    """
    _check_state(state)
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
