"""The one readout function per explorer says what chapter5's math and readout rules say, and
the "how many times" phrase reads the way a person says it (issue 14)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chapter5.chain import (
    Chain,
    exploding_chain,
    explorer_typical_chain,
    gradients,
    product_equation,
)
from chapter5.circuits import sop_gate_count, xor_tree_depth, xor_tree_gate_count
from chapter5.explorer_readouts import (
    band_readouts,
    chain_readouts,
    circuits_readouts,
    speed_words,
)
from chapter5.prevalence import band, width_bound
from chapter5.readout import format_float, format_signed_log10, format_times

CHAINS = [explorer_typical_chain(4), exploding_chain(10), Chain([0.5, 0.0, 3.0], [1.0, 2.0, -1.0]),
          Chain([0.01] * 10, [150.0] * 10), Chain([2.0], [0.3])]


@pytest.mark.parametrize("chain", CHAINS, ids=repr)
def test_chain_readouts_are_the_math_written_by_the_readout_rule(chain):
    g = gradients(chain)
    expected = {}
    for k in range(chain.depth):
        expected[f"z_{k + 1}"] = format_float(g.z[k])
        expected[f"factor_{k + 1}"] = format_signed_log10(g.sign_factors[k],
                                                          g.log10_abs_factors[k])
        expected[f"dC_db_{k + 1}"] = format_signed_log10(g.sign_dC_db[k], g.log10_abs_dC_db[k])
    expected["ratio_1_L"] = format_signed_log10(
        g.sign_dC_db[0] * g.sign_dC_db[-1], g.log10_abs_dC_db[0] - g.log10_abs_dC_db[-1])
    expected["equation"] = product_equation(g)
    assert chain_readouts(g) == expected


@pytest.mark.parametrize("w, b", [(8.0, -4.0), (0.0, 0.0), (3.99, 1.0), (4.0, 2.0), (-100.0, 50.0)])
def test_band_readouts_are_the_math_written_by_the_readout_rule(w, b):
    interval = band(w, b)
    bound = format_float(float(width_bound(np.array([abs(w)]))[0]))
    if interval is None:
        expected = {"band_lo": "none", "band_hi": "none", "band_width": "0", "width_bound": bound}
    else:
        lo, hi = interval
        expected = {"band_lo": format_float(lo), "band_hi": format_float(hi),
                    "band_width": format_float(hi - lo), "width_bound": bound}
    assert band_readouts(w, b) == expected


def test_circuits_readouts_count_the_circuits():
    assert circuits_readouts(13) == {"sop_gates": str(sop_gate_count(13)),
                                     "xor_gates": str(xor_tree_gate_count(13)),
                                     "xor_depth": str(xor_tree_depth(13))}
    assert circuits_readouts(13) == {"sop_gates": "4110", "xor_gates": "12", "xor_depth": "4"}


@pytest.mark.parametrize("log10_x, text", [
    (2.9, "800"), (math.log10(794.3), "800"), (1.2, "16"), (0.4, "2.5"), (0.0, "1.0"),
    (3.5, "3,000"), (5.4, "250,000"), (math.log10(1500), "1,500"), (5.999, "1,000,000"),
    (6.0, "10^6.00"), (1395.94, "10^1395.94"),
])
def test_times_read_the_way_a_person_says_them(log10_x, text):
    assert format_times(log10_x) == text


def test_times_stay_within_ten_percent_below_a_million():
    for log10_x in np.linspace(0.0, 5.99, 2000):
        said = float(format_times(log10_x).replace(",", ""))
        assert abs(said - 10.0**log10_x) <= 0.1 * 10.0**log10_x, log10_x


@pytest.mark.parametrize("bad", [-0.1, math.inf, math.nan])
def test_times_refuse_what_is_not_a_count_of_times(bad):
    with pytest.raises(ValueError, match="log10_x must be a finite number >= 0"):
        format_times(bad)


def test_speed_words_say_about_800_times_slower_and_keep_the_exponent_beyond_a_million():
    g = gradients(explorer_typical_chain(4))
    assert speed_words(g) == (f"layer 1 learns about {format_times(-g.log10_ratio_first_last)} "
                              "times slower than layer 4")
    assert "10^" not in speed_words(g)
    far = gradients(explorer_typical_chain(10))
    assert far.log10_ratio_first_last < -6
    assert speed_words(far) == (f"layer 1 learns 10^{-far.log10_ratio_first_last:.2f} times "
                                "slower than layer 10")
    assert speed_words(gradients(exploding_chain(4))) == (
        "layer 1 learns about 16,000 times faster than layer 4")  # 25^3 = 15625
    assert speed_words(gradients(Chain([2.0], [0.3]))) == "a single neuron: nothing to compare"
    assert "no gradient" in speed_words(gradients(Chain([1.0, 0.0], [0.0, 0.0])))
