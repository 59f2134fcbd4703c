"""Run a piece of Python under another OpenBLAS kernel, for the portability tests.

OpenBLAS built with DYNAMIC_ARCH (numpy's wheels are) picks its kernels when it loads, from the
CPU or from ``$OPENBLAS_CORETYPE``. A kernel this CPU cannot run (SkylakeX without AVX-512) kills
the process, and a name OpenBLAS does not know falls back to the default, so :func:`available`
keeps only the kernels that really load here, as threadpoolctl reports them.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys

#: x86-64 kernels of a DYNAMIC_ARCH OpenBLAS worth trying, oldest first. Several names map to the
#: same code (Core2 runs Prescott's kernels, Zen Haswell's); :func:`available` removes duplicates.
CANDIDATES = ("Prescott", "Core2", "Nehalem", "Sandybridge", "Haswell", "Zen", "SkylakeX")

_REPORT = (
    "import json, numpy, threadpoolctl;"
    "numpy.ones((64, 64)) @ numpy.ones((64, 64));"  # a kernel this CPU cannot run dies here
    "print(json.dumps([i.get('architecture') for i in threadpoolctl.threadpool_info()"
    " if i.get('internal_api') == 'openblas']))"
)


def run_under(coretype: str | None, code: str, *, timeout: float = 600.0) -> str:
    """Run ``code`` in a fresh interpreter with ``OPENBLAS_CORETYPE=coretype``; return stdout.

    ``coretype=None`` runs with this machine's default kernel. One BLAS thread, as in the
    notebooks. Raises ``RuntimeError`` with the child's stderr if it fails.
    """
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype is not None:
        env["OPENBLAS_CORETYPE"] = coretype
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"OPENBLAS_CORETYPE={coretype} exited with {proc.returncode}:\n"
                           f"{proc.stderr[-2000:]}")
    return proc.stdout


def kernel_of(coretype: str | None) -> str | None:
    """The kernel OpenBLAS really loads for ``coretype`` here, or None if it cannot run."""
    try:
        names = json.loads(run_under(coretype, _REPORT, timeout=120.0))
    except (RuntimeError, ValueError, subprocess.TimeoutExpired):
        return None
    return names[0] if names else None


@functools.cache
def available() -> dict[str, str]:
    """Kernel name -> a ``OPENBLAS_CORETYPE`` value that loads it on this machine (default first).

    Empty when numpy's BLAS is not OpenBLAS.
    """
    default = kernel_of(None)
    if default is None:
        return {}
    found = {default: ""}
    for name in CANDIDATES:
        kernel = kernel_of(name)
        if kernel is not None and kernel not in found:
            found[kernel] = name
    return found
