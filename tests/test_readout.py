"""The on-screen number format shared by widgets and web explorers."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chapter5.readout import format_float, format_signed_log10


@pytest.mark.parametrize(
    "x, text",
    [(15625.0, "15625"), (3906.25, "3906.25"), (-0.25, "-0.25"), (25.000000000000004, "25"),
     (0.0, "0"), (1e-4, "0.0001"), (9.99999e-5, "1.000e-04"), (9.9994e-5, "9.999e-05"),
     (999999.0, "999999"),
     (999999.7, "1.000e+06"), (1.23456789e8, "1.235e+08"), (-2.5e-123, "-2.500e-123")],
)
def test_examples(x, text):
    assert format_float(x) == text


def test_numbers_far_beyond_float64_are_written_from_their_logarithm():
    assert format_signed_log10(1, 1395.94) == "8.710e+1395"
    assert format_signed_log10(-1, -4343.0) == "-1.000e-4343"


def test_exact_zero():
    assert format_signed_log10(0, 3.0) == "0"
    assert format_signed_log10(1, -math.inf) == "0"


@pytest.mark.parametrize("sign, log", [(1, math.nan), (1, math.inf), (math.nan, 1.0)])
def test_nan_and_infinity_are_refused_with_a_message(sign, log):
    with pytest.raises(ValueError, match="finite"):
        format_signed_log10(sign, log)


def test_format_float_refuses_nan():
    with pytest.raises(ValueError, match="finite"):
        format_float(math.nan)


@given(st.floats(min_value=1e-300, max_value=1e300))
def test_the_written_number_reads_back_close_to_the_number(x):
    assert float(format_float(x)) == pytest.approx(x, rel=6e-4)
    assert float(format_float(-x)) == pytest.approx(-x, rel=6e-4)
