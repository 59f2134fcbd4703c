"""The explorers' JavaScript readout refuses bad input as the Python one does, never printing
``...e-NaN``, and writes huge exponents digit for digit like Python (run under node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from chapter5.readout import format_signed_log10

C5MATH = Path(__file__).resolve().parents[1] / "chapter5" / "js" / "c5math.js"

RUNNER = """
const m = await import(process.argv[2]);
const cases = JSON.parse(process.argv[3]);
const decode = (v) => (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity
  : v === "NaN" ? NaN : v === "undefined" ? undefined : v);
const out = [];
for (const [s, l, raw] of cases) {
  const args = raw ? [s, l] : [decode(s), decode(l)];
  try { out.push(["ok", m.formatSignedLog10(...args)]); }
  catch (e) { out.push([e.name, e.message]); }
}
process.stdout.write(JSON.stringify(out));
"""


def run(cases: list[list[object]], tmp_path: Path) -> list[list[str]]:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed: the JavaScript readout cannot be checked")
        pytest.skip("node is not installed")
    runner = tmp_path / "runner.mjs"
    runner.write_text(RUNNER, encoding="utf-8")
    proc = subprocess.run([node, str(runner), C5MATH.as_uri(), json.dumps(cases)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_js_refuses_what_python_refuses_and_names_the_argument(tmp_path: Path) -> None:
    cases: list[list[object]] = [
        [1, "abc", True], ["1", 2, True], [None, 2, True], [1, None, True], [1, "undefined", False],
        [True, 2, True], [1, [2], True], [1, "NaN", False], ["NaN", 2, False],
        [1, "Infinity", False],
    ]
    out = run(cases, tmp_path)
    for (sign, log, _), (kind, message) in zip(cases, out, strict=True):
        assert kind in ("TypeError", "RangeError"), (sign, log, kind, message)
        assert "NaN" not in message.split(":")[0] or kind == "RangeError"
    assert out[0] == ["TypeError", "log10Abs must be a real number; got string abc"]
    assert out[1][0] == "TypeError" and out[1][1].startswith("sign must be a real number")
    # the Python readout refuses the same values, naming the argument
    for sign, log in ((1, "abc"), ("1", 2), (None, 2), (1, None), (True, 2), (1, [2])):
        with pytest.raises(TypeError, match="sign|log10_abs"):
            format_signed_log10(sign, log)  # type: ignore[arg-type]


def test_js_writes_huge_exponents_like_python(tmp_path: Path) -> None:
    logs = [2.5e21, -7.3e25, 1e308, -1e308, 123456789.25]
    cases: list[list[object]] = [[-1.0, x, True] for x in logs]
    cases += [[1.0, x, True] for x in logs]
    out = run(cases, tmp_path)
    expected = [format_signed_log10(-1, x) for x in logs] + [format_signed_log10(1, x)
                                                             for x in logs]
    assert [text for kind, text in out] == expected
    assert all(kind == "ok" for kind, _ in out)
