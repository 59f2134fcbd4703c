"""The band explorer of notebook 05 and the figures of notebooks 04 and 05.

Claims tested: the explorer opens at the values shared with the website, its sliders cover the
chapter's cases (|w| up to 100), moving a slider updates the readouts (exactly the strings of
chapter5.readout) and the picture in place, and no reachable setting, including w = 0, |w| = 4
and the ends of both ranges, produces a warning, a NaN or an inf on screen.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from chapter5.chain import balanced_chain, exploding_chain, gradients, typical_chain
from chapter5.explorer_readouts import band_readouts
from chapter5.prevalence import (
    PREVALENCE_DEFAULT_B,
    PREVALENCE_DEFAULT_W,
    width_bound,
)
from chapter5.readout import format_float
from chapter5.viz import prevalence as vp
from chapter5.viz import unstable as vu

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def shown_readouts(explorer: vp.BandExplorer) -> dict[str, str]:
    """The strings inside the readout widget's data-key elements, as a browser would find them."""
    found = dict(re.findall(r'data-key="([a-z_]+)">([^<]*)<', explorer.readout.value))
    assert set(found) == set(vp.READOUT_KEYS)
    return found


def expected_readouts(w: float, b: float) -> dict[str, str]:
    """The four readouts by the one readout function (checked against chapter5's math and
    readout modules in tests/test_readout.py)."""
    return band_readouts(w, b)


@pytest.fixture(scope="module")
def explorer() -> vp.BandExplorer:
    return vp.band_explorer()


def test_explorer_opens_at_the_defaults_shared_with_the_website(explorer):
    assert explorer.slider_w.value == PREVALENCE_DEFAULT_W
    assert explorer.slider_b.value == PREVALENCE_DEFAULT_B
    assert shown_readouts(explorer) == expected_readouts(PREVALENCE_DEFAULT_W, PREVALENCE_DEFAULT_B)
    assert bytes(explorer.image.value).startswith(PNG_MAGIC)


def test_widgets_carry_the_dom_contract_classes_and_cover_the_chapters_ranges(explorer):
    assert "c5-slider-w" in explorer.slider_w._dom_classes
    assert "c5-slider-b" in explorer.slider_b._dom_classes
    assert "c5-readout" in explorer.readout._dom_classes
    assert "c5-figure" in explorer.image._dom_classes
    w, b = explorer.slider_w, explorer.slider_b
    assert (w.min, w.max, w.step) == (-100.0, 100.0, 0.01)
    assert (b.min, b.max, b.step) == (-50.0, 50.0, 0.01)
    assert w.continuous_update and b.continuous_update


def test_moving_a_slider_updates_readouts_and_picture_in_place():
    ex = vp.band_explorer()
    figure_before, image_widget = ex.figure, ex.image
    png_before = bytes(ex.image.value)
    for w, b in [(20.0, -10.0), (-6.89, 3.0), (100.0, -50.0)]:
        ex.set(w=w, b=b)
        assert shown_readouts(ex) == expected_readouts(w, b)
        assert ex.readouts() == expected_readouts(w, b)
        png = bytes(ex.image.value)
        assert png != png_before and png.startswith(PNG_MAGIC)
        png_before = png
    assert ex.figure is figure_before and ex.image is image_widget
    # the picture keeps its size: no layout jump
    assert ex.figure.get_size_inches().tolist() == list(vp._FIGSIZE)


def test_moving_only_b_slides_the_band_but_keeps_its_width():
    ex = vp.band_explorer(10.0, -5.0)
    width = shown_readouts(ex)["band_width"]
    lo = shown_readouts(ex)["band_lo"]
    ex.set(b=5.0)
    assert shown_readouts(ex)["band_width"] == width
    assert width == format_float(float(width_bound(np.array([10.0]))[0]))
    assert shown_readouts(ex)["band_lo"] != lo


EDGE_SETTINGS = [
    (0.0, 0.0),  # w = 0: no band at all
    (0.0, 50.0),
    (0.01, -50.0),
    (3.99, 0.0),  # just below the threshold
    (4.0, 0.0),  # |w| = 4 exactly: the band is a single point
    (-4.0, 2.0),
    (100.0, 50.0),  # range ends
    (-100.0, -50.0),
    (100.0, -50.0),
    (-100.0, 50.0),
    (6.89, 50.0),
]


@pytest.mark.parametrize(("w", "b"), EDGE_SETTINGS)
def test_edge_settings_give_no_warning_and_sensible_readouts(explorer, w, b):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            explorer.set(w=w, b=b)
    shown = shown_readouts(explorer)
    assert shown == expected_readouts(w, b)
    for text in shown.values():
        assert "nan" not in text.lower() and "inf" not in text.lower()
    if abs(w) < 4:
        assert shown["band_lo"] == shown["band_hi"] == "none"
        assert shown["band_width"] == shown["width_bound"] == "0"
    elif abs(w) == 4:
        assert shown["band_lo"] == shown["band_hi"] == format_float(-b / w)
        assert shown["band_width"] == "0"
    else:
        assert float(shown["band_width"]) > 0
    # every drawn y value is a finite positive number (log axis), even where the factor is 0
    ydata = np.asarray(explorer.picture._curve.get_ydata(), dtype=float)
    assert np.all(np.isfinite(ydata)) and np.all(ydata > 0)


def test_a_band_outside_the_view_is_reported_not_hidden():
    picture = vp.BandPicture(-5.0, 50.0)  # band near a = 10
    assert "outside" in picture._note.get_text()


def test_the_right_panel_marks_this_neurons_band_on_the_bound_curve():
    picture = vp.BandPicture(10.0, -5.0)
    (x,), (y,) = picture._dot.get_data()
    assert x == 10.0 and y == pytest.approx(float(width_bound(np.array([10.0]))[0]), rel=1e-12)


def test_explorer_refuses_values_outside_the_sliders():
    with pytest.raises(ValueError, match="w must lie in"):
        vp.band_explorer(w=150.0)
    with pytest.raises(ValueError, match="b must lie in"):
        vp.band_explorer(b=-60.0)
    with pytest.raises(TypeError, match="w must be a real number"):
        vp.readout_strings("8", 0.0)


def test_static_figures_of_notebook_05_draw_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (vp.band_figure(), vp.band_figure(0.0, 0.0), vp.threshold_figure(),
                    vp.width_bound_figure()):
            fig.canvas.draw()
            assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        w1 = np.geomspace(1e-3, 2.0, 5)
        vp.identity_error_figure(w1, w1**2 / 96.0, w1**2 / 96.0).canvas.draw()
    with pytest.raises(ValueError, match="w_abs_max must exceed 4"):
        vp.width_bound_figure(3.0)
    with pytest.raises(ValueError, match="positive"):
        vp.identity_error_figure(w1, np.zeros(5), w1)


def test_figures_of_notebook_04_draw_without_warnings():
    depths = np.arange(1, 301)
    explode = gradients(exploding_chain(300), method="backprop")
    typical = gradients(typical_chain(300, seed=1), method="backprop")
    curve_e = explode.log10_abs_dC_db[::-1]  # any finite log curves of the right shape
    curve_t = typical.log10_abs_dC_db[::-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [
            vu.magnitude_vs_depth_figure(
                depths, {"exploding": curve_e, "typical": curve_t},
                {"float64 largest": np.log10(np.finfo(np.float64).max),
                 "float32 largest": np.log10(np.finfo(np.float32).max)},
                {"float32 -> inf": (29.0, float(curve_e[28]))}),
            vu.balance_figure(depths, {"balanced": np.zeros(300), "exploding": curve_e}),
            vu.layer_profile_figure({"balanced": gradients(balanced_chain(20)).log10_abs_dC_db,
                                     "exploding": gradients(exploding_chain(20)).log10_abs_dC_db}),
        ]
        for fig in figs:
            fig.canvas.draw()
            assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)


def test_figures_of_notebook_04_refuse_bad_curves():
    depths = np.arange(1, 11)
    with pytest.raises(ValueError, match="shape of depths"):
        vu.balance_figure(depths, {"short": np.zeros(5)})
    with pytest.raises(ValueError, match="finite log10"):
        vu.balance_figure(depths, {"overflowed": np.full(10, np.inf)})
    with pytest.raises(ValueError, match="at least one"):
        vu.layer_profile_figure({})
