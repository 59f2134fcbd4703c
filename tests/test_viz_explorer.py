"""The explorer core (chapter5.viz.explorer): the README's example explorer works as written,
panels redraw only what they declared, and the PNG the core writes holds the figure's pixels."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from chapter5.viz.explorer import Panel, Picture, new_figure, parse_readout, rgba_png, snap

README = Path(__file__).resolve().parents[1] / "chapter5" / "viz" / "README.md"


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(BytesIO(png)).convert("RGB"), dtype=int)


@pytest.fixture(scope="module")
def example() -> dict:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    assert len(blocks[0].strip().splitlines()) <= 50
    namespace: dict = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)  # noqa: S102 - our own README
    return namespace


def test_the_readme_example_explorer_follows_its_sliders(example):
    e = example["NeuronExplorer"](w=1.0, b=0.0)
    assert e.readout_values() == {"sigma_prime": "0.196612"}
    first, figure, n = bytes(e.image.value), e.figure, e.render_count
    e.set(w=2.0, b=-2.0)  # z = 0: the top of the curve
    assert e.render_count == n + 1  # two sliders, one redraw
    assert (e.state.w, e.state.b) == (2.0, -2.0)
    assert e.readout_values() == {"sigma_prime": "0.25"}
    assert bytes(e.image.value) != first and e.figure is figure
    e.controls["b"].value = -1.9999999999999716  # what a browser slider may send back
    assert e.state.b == -2.0
    with pytest.raises(ValueError, match="no control named 'a'"):
        e.set(a=1.0)


def test_the_blitted_picture_equals_a_full_draw(example):
    e = example["NeuronExplorer"]()
    e.set(w=3.0, b=0.5)
    fig = new_figure((4.0, 2.6), dpi=80)
    full = Picture(fig, [example["CurvePanel"](fig.add_subplot())], live=False)
    full.update(e.state, e.result)
    assert np.array_equal(pixels(bytes(e.image.value)), pixels(full.png()))


def test_moving_collects_exactly_the_artists_made_inside_it():
    fig = new_figure((2.0, 2.0))
    ax = fig.add_subplot()

    class Two(Panel):
        def __init__(self) -> None:
            super().__init__()
            (self.still,) = ax.plot([0, 1], [0, 1])
            with self.moving(ax, fig):
                (self.line,) = ax.plot([], [])
                self.text = fig.text(0.5, 0.5, "")

        def update(self, state: object, result: object) -> None:
            pass

    panel = Two()
    assert panel.artists == [panel.line, panel.text]
    Picture(fig, [panel])
    assert panel.line.get_animated() and panel.text.get_animated()
    assert not panel.still.get_animated()


def test_rgba_png_is_lossless_and_refuses_a_buffer_of_the_wrong_size():
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    back = np.asarray(Image.open(BytesIO(rgba_png(rgba.tobytes(), 5, 7))).convert("RGBA"))
    assert np.array_equal(back, rgba)
    with pytest.raises(ValueError, match="7 rows of 6 RGBA pixels"):
        rgba_png(rgba.tobytes(), 6, 7)


def test_snap_and_parse_readout():
    assert snap(-3.9999999999999716) == -4.0 and snap(0.125, 0.1) == 0.1
    assert parse_readout('<b data-key="x">1 &lt; 2</b><td data-key="y_2">0</td>') == {
        "x": "1 < 2", "y_2": "0"}


def test_the_framework_checks_every_explorer_s_hooks(example):
    """The README's explorer checks nothing itself: the framework refuses a wrong state or
    readout by name, in the hooks the subclass wrote."""
    e = example["NeuronExplorer"]()
    with pytest.raises(TypeError, match="state must be this explorer's state, a NeuronState"):
        e.compute(None)
    with pytest.raises(TypeError, match="state must be this explorer's state"):
        e.readouts((1.0, 0.0), e.result)
    good = e.readouts(e.state, e.result)
    assert e.readout_html(good) == e.readout.value
    with pytest.raises(ValueError, match="missing"):
        e.readout_html({})
    with pytest.raises(ValueError, match=r"unknown: \['sigma'\]"):
        e.readout_html({**good, "sigma": "1"})
    with pytest.raises(ValueError, match="missing"):
        e.on_refresh({"sigma": "1"})
    panel = e.picture.panels[0]
    with pytest.raises(TypeError, match="state must be the explorer's state, a dataclass"):
        panel.update("w=1", 0.1)
    with pytest.raises(TypeError, match="state"):
        e.picture.update(None, 0.1)


def test_the_framework_refuses_a_subclass_s_bad_readout(example):
    class Broken(example["NeuronExplorer"]):
        def readouts(self, state, result):
            return {"sigma_prime": result}  # a float, not text

    with pytest.raises(TypeError, match="Broken.readouts must return a non-empty dict"):
        Broken()


def test_sliders_refuse_values_a_widget_would_clamp_silently():
    from chapter5.viz.explorer import Control, float_slider, int_slider

    with pytest.raises(ValueError, match=r"value must lie in the slider's range \[-1.0, 1.0\]"):
        float_slider("w", "w", 3.0, (-1.0, 1.0, 0.01))
    with pytest.raises(ValueError, match=r"rng\[2\] \(the step\) must be a power of ten"):
        float_slider("w", "w", 0.5, (-1.0, 1.0, 0.03))
    with pytest.raises(ValueError, match="min < max"):
        float_slider("w", "w", 0.5, (1.0, -1.0, 0.01))
    with pytest.raises(ValueError, match="value must be at most 5"):
        int_slider("n", "n", 6, 1, 5)
    with pytest.raises(ValueError, match="hi must be above lo"):
        int_slider("n", "n", 1, 1, 1)
    with pytest.raises(ValueError, match="key must be letters"):
        float_slider("w 1", "w", 0.5, (-1.0, 1.0, 0.01))
    with pytest.raises(TypeError, match="widget must be an ipywidget"):
        Control("w", 0.5)
    assert float_slider("w", "w", 0.5, (-1.0, 1.0, 0.01)).widget.value == 0.5
