"""The network diagrams (``chapter5.viz.diagrams``): one circle per drawn neuron, hidden layer l
in its book colour, big layers shortened, theme-proof faces, clear errors for bad sizes."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Circle

from chapter5.viz.diagrams import MAX_DRAWN, many_neuron_diagram, net_diagram
from chapter5.viz.style import FACE, PALETTE, layer_colour


def _circles(ax: object) -> list[Circle]:
    return [p for p in ax.patches if isinstance(p, Circle)]  # type: ignore[attr-defined]


def test_net_diagram_draws_each_net_with_its_layers_in_the_book_colours() -> None:
    fig = net_diagram({"shallow": [6, 5, 3], "deep": [6, 5, 5, 5, 5, 3]})
    assert [ax.get_title() for ax in fig.axes] == ["shallow", "deep"]
    shallow, deep = (_circles(ax) for ax in fig.axes)
    assert len(shallow) == 6 + 5 + 3 and len(deep) == 6 + 4 * 5 + 3
    colours = [to_hex(c.get_facecolor()) for c in deep]
    assert colours[:6] == [PALETTE["grey"].lower()] * 6  # the input
    for layer in range(1, 5):
        assert colours[6 + 5 * (layer - 1): 6 + 5 * layer] == [layer_colour(layer).lower()] * 5
    assert colours[-3:] == [PALETTE["black"].lower()] * 3  # the output
    # each column says what it is
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert "input\n6" in labels and "hidden 4\n5" in labels and "output\n3" in labels
    assert to_hex(fig.get_facecolor()) == FACE
    fig.canvas.draw()


def test_net_diagram_shortens_big_layers() -> None:
    fig = net_diagram({"the chapter's net": [784, 30, 10]})
    assert len(_circles(fig.axes[0])) == MAX_DRAWN + MAX_DRAWN + MAX_DRAWN
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "input\n784" in labels and labels.count("\u22ee") == 3


@pytest.mark.parametrize("nets, error, match", [
    ({}, ValueError, "nets must map at least one title"),
    ({"a": [5]}, ValueError, "at least an input and an output layer"),
    ({"a": [5, 0, 2]}, ValueError, "whole numbers >= 1"),
    ({"a": "5, 3"}, TypeError, "list of layer sizes"),
])
def test_net_diagram_rejects_bad_sizes(nets: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        net_diagram(nets)  # type: ignore[arg-type]


def test_many_neuron_diagram_writes_the_factors_of_eq_124_under_the_net() -> None:
    fig = many_neuron_diagram(hidden_layers=3, neurons=4)
    ax = fig.axes[0]
    assert len(_circles(ax)) == 5 * 4
    texts = [t.get_text() for t in ax.texts]
    for label in (r"$\Sigma'(z^1)$", r"$\Sigma'(z^3)$", r"$\Sigma'(z^L)$", r"$(w^{2})^T$",
                  r"$(w^{L})^T$"):
        assert label in texts
    fig.canvas.draw()
    with pytest.raises(ValueError, match="hidden_layers must be a whole number >= 1"):
        many_neuron_diagram(hidden_layers=0)
    with pytest.raises(ValueError, match="neurons must be at most"):
        many_neuron_diagram(neurons=MAX_DRAWN + 1)
