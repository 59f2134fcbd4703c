"""One net trained by the chapter's protocol C, with what notebook 06 measures on the way:
speeds of learning, validation accuracy, sharpness, escape-clause factors and the error's shrink.

Introduced in ``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chapter5._obstacle_cache import _cache, _fingerprint
from chapter5._obstacle_checks import MAX_EPOCHS, Activation, Init, _eta, _experiment_args, _lmbda
from chapter5._validate import positive_int
from chapter5.data import MNIST
from chapter5.factors import escape_factors, layer_factors
from chapter5.network import Network
from chapter5.sharpness import sharpness


@dataclass(frozen=True, eq=False)
class TrainingRun:
    """What :func:`training_run` records.

    Attributes
    ----------
    speeds : array (epochs, L - 2)
        Speed of learning of each hidden layer before each full-batch step (protocol C).
    accuracy : float
        Validation accuracy (fraction) after the last step.
    sharpness_epochs : array (k,), int
        Epochs (steps taken) at which :func:`sharpness` was measured.
    sharpness : array (k,)
    escape_start, escape_end : dict of arrays
        :func:`escape_factors` on the training images before the first and after the last step.
    shrink_start, shrink_end : array (L - 2,)
        Median over the training images of the measured ||delta^l|| / ||delta^{l+1}||.

    Introduced in ``06-many-neurons-other-obstacles``.
    """

    speeds: np.ndarray
    accuracy: float
    sharpness_epochs: np.ndarray
    sharpness: np.ndarray
    escape_start: dict[str, np.ndarray]
    escape_end: dict[str, np.ndarray]
    shrink_start: np.ndarray
    shrink_end: np.ndarray


def training_run(
    sizes: Sequence[int],
    seed: int,
    data: MNIST,
    *,
    activation: Activation = "sigmoid",
    init: Init = "default",
    epochs: int = 500,
    eta: float = 0.1,
    lmbda: float = 5.0,
    n_images: int = 1000,
    sharpness_every: int = 0,
) -> TrainingRun:
    """The chapter's protocol C (full-batch gradient descent on the first ``n_images`` training
    images, record the speeds then step) for one net, with what notebook 06 measures on the way:
    validation accuracy at the end, :func:`sharpness` every ``sharpness_every`` epochs (0: never),
    and the escape-clause factors and the error's shrink before and after training. Cached.

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    seed = positive_int("seed", seed, minimum=0)
    epochs = positive_int("epochs", epochs, maximum=MAX_EPOCHS)
    data, sizes_t, n_images = _experiment_args(data, sizes, activation, init, n_images)
    every = positive_int("sharpness_every", sharpness_every, minimum=0, maximum=epochs)
    eta = _eta(eta)
    lmbda = _lmbda(lmbda, eta, n_images)
    x, y = data.train.x[:n_images], data.train.y[:n_images]
    h = len(sizes_t) - 2
    marks = list(range(0, epochs + 1, every)) if every else []
    params = {"sizes": sizes_t, "seed": int(seed), "activation": activation, "init": init,
              "epochs": epochs, "eta": float(eta), "lmbda": float(lmbda), "every": every,
              "data": _fingerprint(x, y, data.validation.x, data.validation.y)}
    shapes: dict[str, tuple[int, ...]] = {
        "speeds": (epochs, h), "accuracy": (), "sharpness_epochs": (len(marks),),
        "sharpness": (len(marks),), "shrink_start": (h,), "shrink_end": (h,)}
    for when in ("start", "end"):
        shapes.update({f"{k}_{when}": (h - 1,) for k in ("largest", "share_above_1")})
        shapes[f"largest_weight_{when}"] = (h + 1,)

    def compute() -> dict[str, np.ndarray]:
        net = Network(sizes_t, seed=int(seed), activation=activation, init=init)
        out: dict[str, np.ndarray] = {}

        def measure(when: str) -> None:
            for k, v in escape_factors(net, x).items():
                out[f"{k}_{when}"] = v
            out[f"shrink_{when}"] = np.median(layer_factors(net, x, y)["shrink"], axis=0)

        measure("start")
        speeds: list[np.ndarray] = []
        sharp: list[float] = []
        done = 0
        for stop in (marks if marks else [0]) + [epochs]:
            if stop > done:
                speeds.append(net.gradient_descent(x, y, epochs=stop - done, eta=eta,
                                                   lmbda=lmbda))
                done = stop
            if marks and stop in marks and len(sharp) < len(marks):
                sharp.append(sharpness(net, x, y))
        measure("end")
        out.update(speeds=np.concatenate(speeds), sharpness=np.array(sharp),
                   sharpness_epochs=np.array(marks, dtype=float),
                   accuracy=np.array(net.accuracy(data.validation.x, data.validation.y)))
        return out

    r = _cache("06-training", params, shapes, compute)
    esc = {when: {k: r[f"{k}_{when}"] for k in ("largest", "share_above_1", "largest_weight")}
           for when in ("start", "end")}
    return TrainingRun(speeds=r["speeds"], accuracy=float(r["accuracy"]),
                       sharpness_epochs=r["sharpness_epochs"].astype(int),
                       sharpness=r["sharpness"], escape_start=esc["start"],
                       escape_end=esc["end"], shrink_start=r["shrink_start"],
                       shrink_end=r["shrink_end"])
