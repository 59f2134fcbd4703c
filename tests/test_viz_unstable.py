"""Figures 4.1 and 4.2 (chapter5.viz.unstable): readable labels, colours shared with Figure 4.1."""

import warnings

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from chapter5.chain import balanced_chain, exploding_chain, gradients, typical_chain
from chapter5.viz import unstable as vu
from chapter5.viz.style import INK, PALETTE

DEPTHS = np.arange(1, 301)


def _limits():
    out = {}
    for dtype in (np.float64, np.float32):
        info = np.finfo(dtype)
        out[f"{dtype.__name__} largest"] = float(np.log10(info.max))
        out[f"{dtype.__name__} smallest"] = float(np.log10(info.smallest_subnormal))
    return out


def _figure_41():
    explode = gradients(exploding_chain(300), method="backprop").log10_abs_dC_db[::-1]
    typical = gradients(typical_chain(300, seed=1), method="backprop").log10_abs_dC_db[::-1]
    return vu.magnitude_vs_depth_figure(
        DEPTHS, {"exploding chain": explode, "typical chain": typical}, _limits(),
        {"float32 -> inf": (29.0, float(explode[28]))})


def _text_boxes(fig, texts):
    """Extents of the texts themselves (an annotation's own extent includes its leader line)."""
    renderer = fig.canvas.get_renderer()
    return [Text.get_window_extent(t, renderer) for t in texts]


def test_figure_4_1_labels_the_limits_in_the_margin_without_overlaps():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = _figure_41()
        fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text().split()[0] in ("float64", "float32")
              and "->" not in t.get_text()]
    assert len(labels) == 4
    boxes = _text_boxes(fig, labels)
    plot_right = ax.get_window_extent().x1
    assert all(b.x0 > plot_right for b in boxes)  # outside the plot: no curve or line under them
    assert all(b.x1 <= fig.bbox.x1 for b in boxes)  # and inside the picture
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (labels[i].get_text(), labels[j].get_text())


def test_figure_4_1_shades_each_format_range_in_its_colour():
    fig = _figure_41()
    spans = [p for p in fig.axes[0].patches if p.get_height() != 0]
    colours = sorted(to_hex(p.get_facecolor()) for p in spans)
    assert colours == sorted([PALETTE["blue"].lower(), PALETTE["orange"].lower()])


def test_chain_colours_follow_the_kind_of_chain_in_both_figures():
    fig41 = _figure_41()
    colours41 = {line.get_label(): to_hex(line.get_color()) for line in fig41.axes[0].lines
                 if not line.get_label().startswith("_")}
    assert colours41["exploding chain"] == PALETTE["vermillion"].lower()
    assert colours41["typical chain"] == PALETTE["green"].lower()
    fig42 = vu.layer_profile_figure({
        "balanced: w = 4": gradients(balanced_chain(20)).log10_abs_dC_db,
        "exploding: w = 100": gradients(exploding_chain(20)).log10_abs_dC_db,
        "typical: seed 1": gradients(typical_chain(20, seed=1)).log10_abs_dC_db,
    })
    colours42 = {line.get_label(): to_hex(line.get_color()) for line in fig42.axes[0].lines}
    assert colours42 == {"balanced: w = 4": INK,
                         "exploding: w = 100": PALETTE["vermillion"].lower(),
                         "typical: seed 1": PALETTE["green"].lower()}


def test_figure_4_2_residual_panel_shows_the_ratio_to_the_reference():
    bal = balanced_chain(20)
    nudged = gradients(type(bal)(bal.w * 1.01, bal.b, bal.a0)).log10_abs_dC_db
    curves = {"balanced": gradients(bal).log10_abs_dC_db, "nudged": nudged}
    fig = vu.layer_profile_figure(curves, relative_to="balanced", zoom=("nudged",))
    assert len(fig.axes) == 2
    (ref,), (zoomed,) = ([ln for ln in fig.axes[1].lines if ln.get_label() == k]
                         for k in ("balanced", "nudged"))
    assert np.all(ref.get_ydata() == 1.0)
    np.testing.assert_allclose(zoomed.get_ydata(), 10.0 ** (nudged - curves["balanced"]))
    assert zoomed.get_ydata().max() < 1.0  # the tilt the notebook describes: slower everywhere


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"relative_to": "missing", "zoom": ("a",)}, "relative_to must be one of"),
        ({"relative_to": "a", "zoom": ()}, "zoom must name at least one"),
        ({"relative_to": "a", "zoom": ("nope",)}, "unknown"),
        ({"zoom": ("a",)}, "zoom needs relative_to"),
        ({"colours": {"b": "red"}}, "colours has no entry"),
    ],
)
def test_figure_4_2_refuses_bad_options(kwargs, words):
    curves = {"a": np.zeros(5), "b": np.ones(5)}
    with pytest.raises(ValueError, match=words):
        vu.layer_profile_figure(curves, **kwargs)
