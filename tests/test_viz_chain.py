"""The chain explorer (notebook 03) does what the chapter's picture needs: its readout shows exactly
the numbers chapter5.chain computes, the one figure is redrawn in place, the presets reproduce the
chapter's cases, and no slider setting produces a warning or a non-finite readout."""

import itertools
import math
import re
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from chapter5.chain import (
    EXPLORER_A0,
    EXPLORER_DEFAULT_DEPTH,
    EXPLORER_MAX_DEPTH,
    Chain,
    explorer_typical_chain,
    gradients,
    product_equation,
)
from chapter5.explorer_readouts import chain_readouts
from chapter5.readout import format_signed_log10
from chapter5.viz.chain import (
    ChainExplorer,
    ChainPicture,
    db1_vs_db3_figure,
    parse_readout,
    preset_chain,
    readout_html,
    readout_strings,
    sigmoid_figure,
    static_chain_figure,
    weight_draw_figure,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return ChainExplorer()


def expected_readout(chain: Chain) -> dict[str, str]:
    """The readout for ``chain`` by the one readout function (itself checked against
    chapter5.chain and chapter5.readout in tests/test_readout.py)."""
    return chain_readouts(gradients(chain))


def slider_chain(e: ChainExplorer) -> Chain:
    L = e.sliders["depth"].value
    return Chain(
        [e.sliders[f"w{j}"].value for j in range(1, L + 1)],
        [e.sliders[f"b{j}"].value for j in range(1, L + 1)],
        e.sliders["a0"].value,
    )


# ---------------------------------------------------------------------------------------------
# Opening state


def test_explorer_opens_on_the_seeded_typical_chain_at_the_default_depth(explorer):
    e = ChainExplorer()
    assert e.sliders["depth"].value == EXPLORER_DEFAULT_DEPTH
    chain = explorer_typical_chain(EXPLORER_DEFAULT_DEPTH)
    assert np.array_equal(e.chain.w, chain.w) and np.array_equal(e.chain.b, chain.b)
    assert e.chain.a0 == EXPLORER_A0
    assert e.readout_values() == expected_readout(chain)
    assert bytes(e.image.value).startswith(PNG_MAGIC)


def test_every_widget_carries_the_css_class_of_the_dom_contract(explorer):
    e = explorer
    for j in range(1, EXPLORER_MAX_DEPTH + 1):
        assert f"c5-slider-w{j}" in e.sliders[f"w{j}"]._dom_classes
        assert f"c5-slider-b{j}" in e.sliders[f"b{j}"]._dom_classes
    assert "c5-slider-a0" in e.sliders["a0"]._dom_classes
    assert "c5-slider-depth" in e.sliders["depth"]._dom_classes
    for name in ("typical", "exploding", "balanced"):
        assert f"c5-preset-{name}" in e.buttons[name]._dom_classes
    assert "c5-readout" in e.readout._dom_classes
    assert "c5-figure" in e.image._dom_classes


def test_slider_ranges_cover_the_chapters_cases(explorer):
    s = explorer.sliders
    assert (s["w1"].min, s["w1"].max, s["w1"].step) == (-100.0, 100.0, 0.01)
    assert (s["b1"].min, s["b1"].max, s["b1"].step) == (-150.0, 150.0, 0.01)
    assert (s["a0"].min, s["a0"].max, s["a0"].step) == (-1.0, 1.0, 0.01)
    assert (s["depth"].min, s["depth"].max) == (1, EXPLORER_MAX_DEPTH)
    assert all(s[k].continuous_update for k in s)


# ---------------------------------------------------------------------------------------------
# Moving a slider


def test_moving_w2_updates_readout_and_picture_but_keeps_the_same_figure():
    e = ChainExplorer()
    figure, before_png, before = e.picture.figure, e.image.value, e.readout_values()
    e.sliders["w2"].value = 3.0
    after = e.readout_values()
    assert after == expected_readout(slider_chain(e))
    assert after["factor_2"] != before["factor_2"] and after["dC_db_1"] != before["dC_db_1"]
    assert after["z_1"] == before["z_1"] and after["factor_1"] == before["factor_1"]  # upstream
    assert e.image.value != before_png and bytes(e.image.value).startswith(PNG_MAGIC)
    assert e.picture.figure is figure


def test_every_slider_is_wired_to_the_readout():
    e = ChainExplorer(depth=3)
    for key, value in [("w1", -2.5), ("b1", 0.75), ("w3", 7.0), ("b3", -1.0), ("a0", -0.4)]:
        e.sliders[key].value = value
        assert e.readout_values() == expected_readout(slider_chain(e)), key


def test_one_slider_move_renders_exactly_once():
    e = ChainExplorer()
    n = e.render_count
    e.sliders["b2"].value = 0.5
    assert e.render_count == n + 1


def test_redrawing_in_place_leaves_no_trace_of_earlier_settings():
    # the explorer redraws only the moving artists over a cached background; after several
    # moves (including a depth change and an exploding preset) its picture must equal a fresh
    # picture of the final chain
    e = ChainExplorer()
    e.apply_preset("exploding")
    e.sliders["depth"].value = 7
    e.sliders["depth"].value = 4
    e.apply_preset("typical")
    e.sliders["w3"].value = -12.0
    fresh = ChainPicture()
    fresh.show(slider_chain(e))
    a = np.asarray(Image.open(BytesIO(bytes(e.image.value))).convert("RGB"), dtype=int)
    b = np.asarray(Image.open(BytesIO(fresh.png())).convert("RGB"), dtype=int)
    assert a.shape == b.shape
    assert np.array_equal(a, b)


def test_equation_above_the_picture_follows_the_sliders():
    e = ChainExplorer()
    assert "c5-equation" in e.equation._dom_classes
    e.sliders["b1"].value = -2.0
    assert product_equation(gradients(slider_chain(e))) in e.equation.value
    # issue 14: said the way a person says it, not "learns 10^3.07 times slower"
    assert "layer 1 learns about 1,200 times slower than layer 4" in e.equation.value


def test_static_picture_carries_the_equation_and_the_ratio_as_text():
    fig = static_chain_figure()
    texts = [t.get_text() for t in fig.texts]
    g = gradients(explorer_typical_chain(EXPLORER_DEFAULT_DEPTH))
    assert any(t.startswith("dC/db1 = σ′(z1)") for t in texts)
    assert any(readout_strings(g)["ratio_1_L"] in t for t in texts)


# ---------------------------------------------------------------------------------------------
# Presets


def test_exploding_preset_gives_every_factor_25_and_the_chapters_3906_25():
    e = ChainExplorer()
    e.sliders["a0"].value = 0.3  # a preset resets a_0 too
    n = e.render_count
    e.apply_preset("exploding")
    assert e.render_count == n + 1  # all 21 sliders set, one redraw
    r = e.readout_values()
    assert all(r[f"factor_{j}"] == "25" for j in range(1, 5))
    assert all(r[f"z_{j}"] == "0" for j in range(1, 5))
    assert r["dC_db_1"] == "3906.25"
    assert r["ratio_1_L"] == "15625"
    assert [e.sliders[f"w{j}"].value for j in range(1, 11)] == [100.0] * 10
    assert e.sliders["b1"].value == -100.0 and e.sliders["b10"].value == -50.0


def test_exploding_preset_at_depth_10_stays_readable():
    e = ChainExplorer(depth=10, preset="exploding")
    r = e.readout_values()
    assert all(r[f"factor_{j}"] == "25" for j in range(1, 11))
    assert r["ratio_1_L"] == format_signed_log10(1, 9 * math.log10(25))


def test_balanced_preset_makes_every_factor_one_and_every_layer_equally_fast():
    e = ChainExplorer()
    e.apply_preset("balanced")
    r = e.readout_values()
    assert all(r[f"factor_{j}"] == "1" for j in range(1, 5))
    assert {r[f"dC_db_{j}"] for j in range(1, 5)} == {"0.25"}
    assert r["ratio_1_L"] == "1"


def test_typical_preset_restores_the_seeded_draw_after_other_settings():
    e = ChainExplorer()
    e.apply_preset("exploding")
    e.sliders["a0"].value = -1.0
    n = e.render_count
    e.buttons["typical"].click()
    assert e.render_count == n + 1
    full = explorer_typical_chain(EXPLORER_MAX_DEPTH)
    assert [e.sliders[f"w{j}"].value for j in range(1, 11)] == full.w.tolist()
    assert [e.sliders[f"b{j}"].value for j in range(1, 11)] == full.b.tolist()
    assert e.readout_values() == expected_readout(explorer_typical_chain(EXPLORER_DEFAULT_DEPTH))


def test_unknown_preset_is_refused_with_the_allowed_names():
    with pytest.raises(ValueError, match="typical, exploding, balanced"):
        preset_chain("steep")


# ---------------------------------------------------------------------------------------------
# Depth


def test_depth_change_hides_deeper_sliders_and_keeps_the_figure():
    e = ChainExplorer(depth=4)
    figure = e.picture.figure
    assert e.sliders["w4"].layout.display is None and e.sliders["w5"].layout.display == "none"
    e.sliders["depth"].value = 7
    assert all(e.sliders[f"{p}{j}"].layout.display is None for p in "wb" for j in range(1, 8))
    assert all(e.sliders[f"{p}{j}"].layout.display == "none" for p in "wb" for j in (8, 9, 10))
    assert set(k for k in e.readout_values() if k.startswith("dC_db_")) == {
        f"dC_db_{j}" for j in range(1, 8)
    }
    e.sliders["depth"].value = 2
    assert e.sliders["w3"].layout.display == "none" and e.sliders["b3"].layout.display == "none"
    assert e.readout_values() == expected_readout(slider_chain(e))
    assert e.picture.figure is figure


def test_depth_one_has_ratio_one():
    e = ChainExplorer(depth=1)
    assert e.readout_values()["ratio_1_L"] == "1"


# ---------------------------------------------------------------------------------------------
# Extremes: no warnings (pytest turns them into errors), finite readouts


READOUT_NUMBER = r"^(0|-?\d+(\.\d+)?|-?\d\.\d{3}e[+-]\d{2,})$"


@pytest.mark.parametrize(
    "w, b, a0", list(itertools.product([-100.0, 100.0], [-150.0, 150.0], [-1.0, 1.0]))
)
def test_extreme_settings_at_depth_10_give_finite_readouts_and_no_warning(w, b, a0):
    e = ChainExplorer(depth=10)
    with e.hold():
        for j in range(1, 11):
            e.sliders[f"w{j}"].value = w if j % 2 else -w  # alternate signs too
            e.sliders[f"b{j}"].value = b
        e.sliders["a0"].value = a0
    r = e.readout_values()
    assert r == expected_readout(slider_chain(e))
    for key, text in r.items():
        if key != "equation":
            assert text.lower() not in ("inf", "-inf", "nan"), key
            assert re.match(READOUT_NUMBER, text), (key, text)
    assert bytes(e.image.value).startswith(PNG_MAGIC)


def test_a_zero_weight_gives_an_exact_zero_gradient_upstream():
    e = ChainExplorer()
    e.sliders["w3"].value = 0.0
    r = e.readout_values()
    assert r["factor_3"] == "0" and r["dC_db_1"] == "0" and r["dC_db_2"] == "0"
    assert r["dC_db_3"] != "0" and r["ratio_1_L"] == "0"


def test_saturated_chain_reads_out_far_beyond_float64():
    e = ChainExplorer(depth=10)
    with e.hold():
        for j in range(1, 11):
            e.sliders[f"w{j}"].value = 0.01
            e.sliders[f"b{j}"].value = 150.0
    g = gradients(slider_chain(e))
    assert g.log10_abs_dC_db[0] < -300  # below the smallest float64
    assert e.readout_values()["dC_db_1"].endswith(f"e-{-math.floor(g.log10_abs_dC_db[0])}")


# ---------------------------------------------------------------------------------------------
# Readout and static figures


def test_readout_html_carries_every_key_once():
    g = gradients(explorer_typical_chain(4))
    markup = readout_html(g)
    assert parse_readout(markup) == readout_strings(g)
    for key in readout_strings(g):
        assert markup.count(f'data-key="{key}"') == 1


def test_time_update_returns_one_positive_time_per_update():
    e = ChainExplorer()
    before = e.sliders["w2"].value
    times = e.time_update(n=5)
    assert times.shape == (5,) and np.all(times > 0)
    assert e.sliders["w2"].value == before


def test_static_figures_have_opaque_white_backgrounds_for_dark_themes():
    figs = [
        sigmoid_figure(),
        weight_draw_figure(np.random.default_rng(0).standard_normal(100)),
        db1_vs_db3_figure(explorer_typical_chain(4)),
        static_chain_figure(),
    ]
    for fig in figs:
        assert fig.patch.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
        for ax in fig.axes:
            assert ax.patch.get_facecolor()[:3] == (1.0, 1.0, 1.0)


def test_sigmoid_figure_marks_the_maximum_one_quarter_at_zero():
    fig = sigmoid_figure()
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert any("σ'(0) = 0.25" in t for t in texts)


def test_db1_vs_db3_figure_marks_both_extra_factors_of_the_typical_chain():
    chain = explorer_typical_chain(4)
    g = gradients(chain)
    assert abs(g.factors[1]) < 0.25 and abs(g.factors[2]) < 0.25
    fig = db1_vs_db3_figure(chain)
    assert [t.get_text() for t in fig.axes[0].texts].count("< 1/4") == 2
    fig = db1_vs_db3_figure(preset_chain("exploding", 4))
    assert [t.get_text() for t in fig.axes[0].texts].count("< 1/4") == 0


def test_bad_arguments_are_refused_with_clear_messages():
    with pytest.raises(ValueError, match="depth must be an integer from 1 to 10"):
        ChainExplorer(depth=11)
    with pytest.raises(ValueError, match="depth 4"):
        db1_vs_db3_figure(explorer_typical_chain(3))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        ChainExplorer().time_update(n=0)
