"""The factors of eq. (124) (Nielsen, ch. 5) measured in a real net with many neurons per layer.

* :func:`layer_factors` -- per hidden layer, the sizes of sigma'(z) and of the weights that the
  error is multiplied by on its way back, the shrink variance propagation predicts, and the
  shrink measured;
* :func:`escape_factors` -- how close the factors |w sigma'(z)| come to the chapter's "escape
  clause" |w sigma'(z)| >= 1.

Both drive :class:`chapter5.network.Network` through its public methods. Introduced in
``06-many-neurons-other-obstacles``.
"""

from __future__ import annotations

import numpy as np

from chapter5._obstacle_checks import _check_net
from chapter5.network import ACTIVATIONS, Network


def layer_factors(net: Network, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Sizes of the factors of eq. (124) for each input, layer by layer.

    For hidden layer l (column i for hidden layer i + 1) and each input:

    * ``sigma_prime_norm``: ||Sigma'(z^l)||_2 = max_j sigma'(z^l_j) (a diagonal matrix's norm);
    * ``sigma_prime_mean``: the mean of the diagonal, mean_j sigma'(z^l_j) (a typical entry);
    * ``sigma_prime_rms``: the root mean square of the diagonal, sqrt(mean_j sigma'(z^l_j)^2);
    * ``weight_norm``: ||(w^{l+1})^T||_2, the largest singular value (same for every input);
    * ``weight_gain``: ||w^{l+1}||_F / sqrt(n_{l+1}), i.e. sqrt(n_l Var(w^{l+1})): how much
      (w^{l+1})^T stretches a *typical* vector, on average over directions;
    * ``bound``: sigma_prime_norm x weight_norm, an upper bound on the shrink factor;
    * ``predicted``: sigma_prime_rms x weight_gain, the shrink that variance propagation
      predicts (weights independent of the error they multiply);
    * ``shrink``: the measured ||delta^l|| / ||delta^{l+1}||.

    Returns a dict of arrays of shape (n, L - 2) (``weight_norm``, ``weight_gain``: (L - 2,)).
    Introduced in ``06-many-neurons-other-obstacles``.
    """
    _check_net(net)
    g = net.gradients(x, y)
    sigma_prime = ACTIVATIONS[net.activation][1]
    hidden = len(g.z) - 1
    sp = [sigma_prime(g.z[i]) for i in range(hidden)]
    sp_norm = np.stack([s.max(axis=1) for s in sp], axis=1)
    sp_mean = np.stack([s.mean(axis=1) for s in sp], axis=1)
    sp_rms = np.stack([np.sqrt(np.mean(s * s, axis=1)) for s in sp], axis=1)
    w_norm = np.array([np.linalg.norm(net.weights[i + 1], 2) for i in range(hidden)])
    w_gain = np.array([np.linalg.norm(net.weights[i + 1]) / np.sqrt(net.weights[i + 1].shape[0])
                       for i in range(hidden)])
    d_norm = np.stack([np.linalg.norm(d, axis=1) for d in g.delta], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = d_norm[:, :-1] / d_norm[:, 1:]
    return {"sigma_prime_norm": sp_norm, "sigma_prime_mean": sp_mean, "sigma_prime_rms": sp_rms,
            "weight_norm": w_norm, "weight_gain": w_gain, "bound": sp_norm * w_norm[None, :],
            "predicted": sp_rms * w_gain[None, :], "shrink": shrink}


def escape_factors(net: Network, x: np.ndarray) -> dict[str, np.ndarray]:
    """How close the factors of eq. (124) come to the chapter's escape clause |w sigma'(z)| >= 1.

    In the chain, dC/db_1 = sigma'(z_1) (w_2 sigma'(z_2)) (w_3 sigma'(z_3)) ... : each factor
    pairs a neuron's incoming weight with that neuron's sigma'. With many neurons there is one such
    factor |w_{jk}| sigma'(z_j) per connection k -> j into a hidden layer after the first, and per
    input. With h hidden layers numbered 1 ... h from the input side, returns for hidden layers
    2 ... h (column i for hidden layer i + 2):

    * ``largest``: the largest factor over all inputs and connections, shape (h - 1,);
    * ``share_above_1``: the fraction of (input, connection) pairs with a factor >= 1;

    and ``largest_weight``: max |w| of each weight matrix, the one into hidden layer 1 first and
    the one into the output layer last, shape (h + 1,).

    Introduced in ``06-many-neurons-other-obstacles``.
    """
    _check_net(net)
    sigma_prime = ACTIVATIONS[net.activation][1]
    z, _ = net.forward(x)
    largest, share = [], []
    for i in range(1, len(z) - 1):
        sp = sigma_prime(z[i])  # (n, n_l)
        f = sp[:, :, None] * np.abs(net.weights[i])[None, :, :]  # (n, n_l, n_{l-1})
        largest.append(float(f.max()))
        share.append(float(np.mean(f >= 1.0)))
    return {"largest": np.array(largest), "share_above_1": np.array(share),
            "largest_weight": np.array([float(np.abs(w).max()) for w in net.weights])}
