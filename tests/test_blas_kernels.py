"""Long training runs print the same text under every OpenBLAS kernel this machine can load.

Another kernel (other CPU, other OpenBLAS build) changes the last bits of matrix products, and
hundreds of training steps can amplify them: notebook 06's tanh/Xavier net ends its 500 steps
with speeds that move by about 0.1 % from one kernel to the next. The notebooks print such results
only to the digits that survive. These tests run the pieces at risk in fresh interpreters, one per
kernel (``OPENBLAS_CORETYPE``: Haswell, Sandybridge, Nehalem, Prescott on an AVX2 machine), and
require every kernel to print exactly what this machine's default kernel prints. ``.ci/run``
checks whole notebooks under a second kernel; these cover more kernels for the chaotic parts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from openblas_kernels import available, run_under

from chapter5.data import IDX_FILES, MNIST_DIR_ENV


def _real_mnist() -> bool:
    d = os.environ.get(MNIST_DIR_ENV)
    return d is not None and all((Path(d) / f).is_file() for f in IDX_FILES)


needs_mnist = pytest.mark.skipif(not _real_mnist(),
                                 reason=f"real MNIST not available: set {MNIST_DIR_ENV}")
ROOT = Path(__file__).resolve().parents[1]

_SETUP = """
import numpy as np
from threadpoolctl import threadpool_limits
threadpool_limits(limits=1, user_api="blas")
from chapter5.data import load_mnist
from chapter5.experiments import sizes_for
from chapter5.network import Network
mnist = load_mnist()
x_1000, y_1000 = mnist.train.x[:1000], mnist.train.y[:1000]
"""

#: Notebook 06, section 6.4: tanh/Xavier and ReLU/He through protocol C, printed as there.
NOTEBOOK_06_TRAINING = _SETUP + """
for label, (activation, init) in (("tanh, Xavier init", ("tanh", "xavier")),
                                  ("ReLU, He init", ("relu", "he"))):
    net = Network([784, 30, 30, 30, 30, 10], seed=0, activation=activation, init=init)
    s = net.gradient_descent(x_1000, y_1000, epochs=500, eta=0.1, lmbda=5.0)
    acc = net.accuracy(mnist.validation.x, mnist.validation.y)
    v = s[-1].max() / s[-1].min()
    print(f"{label:>22}: speeds at epoch 0 " + " ".join(f"{v:.2e}" for v in s[0])
          + f" | layer 4 / layer 1 at 499: {s[-1, -1] / s[-1, 0]:.2g}"
          + f" | validation accuracy {100 * acc:.0f} %")
    print(f"{label:>22}: fastest / slowest hidden layer at epoch 499 = "
          + (f"{v:.2g}" if v < 10 else f"{v:.0f}"))
"""

#: Notebook 02, exercise 2.3: protocol C for seed 0, paused after 50 steps, printed as there.
NOTEBOOK_02_PLATEAU = _SETUP + """
share = np.bincount(y_1000, minlength=10) / len(y_1000)
for h in (2, 4):
    net = Network(sizes_for(h), seed=0)
    for steps in (50, 450):
        net.gradient_descent(x_1000, y_1000, epochs=steps, eta=0.1, lmbda=5.0)
        out = net.feedforward(x_1000)
        print(f"{h} hidden, {steps}: accuracy {100 * net.accuracy(x_1000, y_1000):5.1f} %, "
              f"spread {out.std(axis=0).max():.1e}, "
              f"off {np.abs(out.mean(axis=0) - share).max():.1e}")
"""

#: Notebook 02, test 2: experiment A's seed-0 runs (float32, the shared order 0) behind a frozen
#: first layer, printed as there.
NOTEBOOK_02_FROZEN = _SETUP + """
from chapter5.activations import sigmoid
for h in (1, 4):
    full = Network(sizes_for(h), seed=0)
    w1, b1 = full.weights[0], full.biases[0]
    rest = Network(sizes_for(h)[1:], seed=0)
    rest.set_parameters([w.copy() for w in full.weights[1:]], [b.copy() for b in full.biases[1:]])
    history = rest.sgd(sigmoid(mnist.train.x @ w1.T + b1), mnist.train.y, epochs=30,
                       mini_batch_size=10, eta=0.1, lmbda=5.0, rng=0, dtype="float32",
                       evaluation_data=(sigmoid(mnist.validation.x @ w1.T + b1),
                                        mnist.validation.y))
    print(f"{h} hidden, first layer frozen: {100.0 * history[-1]:.1f} %")
"""


@pytest.fixture(scope="module")
def kernels() -> dict[str, str]:
    found = available()
    if len(found) < 2:
        pytest.skip(f"numpy's BLAS offers no second OpenBLAS kernel here ({found or 'none'})")
    return found


@pytest.mark.slow
@needs_mnist
@pytest.mark.parametrize("piece", [NOTEBOOK_06_TRAINING, NOTEBOOK_02_PLATEAU, NOTEBOOK_02_FROZEN],
                         ids=["06-tanh-relu-500-steps", "02-exercise-2.3-plateau",
                              "02-test-2-frozen-float32"])
def test_long_training_prints_the_same_under_every_kernel(kernels: dict[str, str],
                                                          piece: str) -> None:
    printed = {kernel: run_under(coretype or None, piece) for kernel, coretype in kernels.items()}
    default = next(iter(printed))
    assert printed[default].strip(), "the piece printed nothing"
    for kernel, text in printed.items():
        assert text == printed[default], (
            f"{kernel} prints differently from {default}:\n{text}\nversus\n{printed[default]}")


def test_ci_checks_the_notebooks_again_under_a_second_kernel() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    after = ci[ci.index("\nmake test"):]  # the second run comes after the README's command
    assert re.search(r'^SECOND_KERNEL="\$\{CHAPTER5_SECOND_KERNEL:-Prescott\}"', after, re.M)
    assert re.search(r'^OPENBLAS_CORETYPE="\$SECOND_KERNEL" \S*python -m pytest notebooks/$',
                     after, re.M)


def test_the_second_kernel_really_differs_here() -> None:
    # if this machine's OpenBLAS loads Prescott's kernels at all, they are not the default ones
    found = available()
    if "Katmai" not in found:  # OpenBLAS names the kernels OPENBLAS_CORETYPE=Prescott loads so
        pytest.skip(f"OPENBLAS_CORETYPE=Prescott loads no separate kernel here ({found})")
    assert found["Katmai"] == "Prescott" and next(iter(found)) != "Katmai"
