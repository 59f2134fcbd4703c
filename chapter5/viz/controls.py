"""Controls of an explorer: ipywidgets whose value writes one field of the explorer's state.

:func:`float_slider` and :func:`int_slider` make the sliders (CSS class ``c5-slider-<key>``);
a float slider's value is snapped to its grid (:func:`snap`), so the state never holds the
rounding noise a browser sends back. Introduced in ``03-chain-of-neurons``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from chapter5._validate import _short, finite_float, positive_int

#: Every float slider of the explorers moves in steps of 0.01.
STEP = 0.01


def snap(value: float, step: float = STEP) -> float:
    """``value`` on the slider grid: the browser may send back -3.9999999999999716 for -4.

    Introduced in ``03-chain-of-neurons``.
    """
    value = finite_float("value", value)
    step = finite_float("step", step)
    if not 1e-12 <= step <= 1.0 or abs(np.log10(step) - round(np.log10(step))) > 1e-9:
        raise ValueError(f"step must be a slider step 1, 0.1, 0.01, ... (a power of ten, the "
                         f"grid rounds to its decimals); got {step!r}")
    decimals = max(0, round(-np.log10(step)))
    return round(value, int(decimals))

_DATA_KEY = re.compile(r"[A-Za-z0-9_]+")
_CSS_LENGTH = re.compile(r"\d+(\.\d+)?(px|em|rem|%)")
#: A slider has at most this many steps: more cannot be told apart on a few hundred pixels.
MAX_SLIDER_STEPS = 1_000_000


def _check_key(key: object, name: str = "key") -> str:
    if not isinstance(key, str) or not _DATA_KEY.fullmatch(key):
        raise ValueError(f"{name} must be letters, digits and _ only (a state field and "
                         f"data-key, e.g. 'w1'); got {_short(key)}")
    return key


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str; got {_short(value)}")
    return value


def _check_css_length(name: str, value: object) -> str:
    if not isinstance(value, str) or not _CSS_LENGTH.fullmatch(value):
        raise ValueError(f"{name} must be a CSS length such as '275px', '2.2em' or '50%'; got "
                         f"{_short(value)}")
    return value


@dataclasses.dataclass
class Control:
    """A widget whose ``value`` writes field ``key`` of the state, through ``convert``.

    ``key``: a state field (letters, digits, _); ``widget``: an ipywidget with a ``value``
    (anything with ``value`` and ``observe``); ``convert``: widget value -> state value.
    Introduced in ``03-chain-of-neurons``.
    """

    key: str
    widget: Any
    convert: Callable[[Any], Any] = snap

    def __post_init__(self) -> None:
        _check_key(self.key)
        if not (hasattr(self.widget, "value") and callable(getattr(self.widget, "observe",
                                                                   None))):
            raise TypeError(f"widget must be an ipywidget with a value (e.g. FloatSlider); got "
                            f"{_short(self.widget)}")
        if not callable(self.convert):
            raise TypeError(f"convert must be a function from the widget's value to the state's "
                            f"value; got {_short(self.convert)}")


def _check_range(rng: object) -> tuple[float, float, float]:
    if isinstance(rng, str | bytes) or not isinstance(rng, Sequence | np.ndarray) \
            or len(rng) != 3:
        raise TypeError(f"rng must be (min, max, step); got {_short(rng)}")
    lo, hi, step = (finite_float(f"rng[{i}]", x) for i, x in enumerate(rng))
    if not lo < hi:
        raise ValueError(f"rng must have min < max; got {_short(rng)}")
    try:
        snap(0.0, step)  # the grid convert() rounds to: a power of ten
    except ValueError:
        raise ValueError(f"rng[2] (the step) must be a power of ten, 1, 0.1, 0.01, ...; got "
                         f"{_short(rng)}") from None
    if (hi - lo) / step > MAX_SLIDER_STEPS:
        raise ValueError(f"rng must span at most {MAX_SLIDER_STEPS} steps; got {_short(rng)}")
    return lo, hi, step


def float_slider(key: str, label: str, value: float, rng: tuple[float, float, float],
                 width: str = "275px", label_width: str = "2.2em") -> Control:
    """A continuous FloatSlider (range ``(min, max, step)``, ``step`` a power of ten) with CSS
    class ``c5-slider-<key>``; ``value`` must lie in the range (a widget would clamp it).

    Introduced in ``03-chain-of-neurons``.
    """
    import ipywidgets as widgets

    _check_key(key)
    _check_text("label", label)
    value = finite_float("value", value)
    lo, hi, step = _check_range(rng)
    if not lo <= value <= hi:
        raise ValueError(f"value must lie in the slider's range [{lo}, {hi}]; got {value!r}")
    _check_css_length("width", width)
    _check_css_length("label_width", label_width)
    s = widgets.FloatSlider(value=value, min=lo, max=hi, step=step,
                            description=label, continuous_update=True, readout_format=".2f",
                            style={"description_width": label_width},
                            layout=widgets.Layout(width=width))
    s.add_class(f"c5-slider-{key}")

    def convert(value: Any) -> float:
        return snap(value, step)

    return Control(key, s, convert)


def int_slider(key: str, label: str, value: int, lo: int, hi: int, width: str = "300px",
               label_width: str = "3em") -> Control:
    """A continuous IntSlider ``lo..hi`` (``lo < hi``, ``lo <= value <= hi``) with CSS class
    ``c5-slider-<key>``.

    Introduced in ``01-deep-circuits``.
    """
    import ipywidgets as widgets

    _check_key(key)
    _check_text("label", label)
    lo = positive_int("lo", lo, minimum=-MAX_SLIDER_STEPS, maximum=MAX_SLIDER_STEPS)
    hi = positive_int("hi", hi, minimum=-MAX_SLIDER_STEPS, maximum=MAX_SLIDER_STEPS)
    if not lo < hi:
        raise ValueError(f"hi must be above lo = {lo}; got {hi}")
    value = positive_int("value", value, minimum=lo, maximum=hi)
    _check_css_length("width", width)
    _check_css_length("label_width", label_width)
    s = widgets.IntSlider(value=value, min=lo, max=hi, step=1, description=label,
                          continuous_update=True, style={"description_width": label_width},
                          layout=widgets.Layout(width=width))
    s.add_class(f"c5-slider-{key}")
    return Control(key, s, int)



__all__ = ["MAX_SLIDER_STEPS", "STEP", "Control", "float_slider", "int_slider", "snap"]
