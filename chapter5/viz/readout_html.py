"""An explorer's readout as HTML: every value in an element with its ``data-key``, and back.

:func:`keyed` and :func:`readout_row` write the markup; :func:`parse_readout` reads the values
back from it (what the Python and browser tests compare with the explorer's readout function in
:mod:`chapter5.explorer_readouts`). Introduced in ``03-chain-of-neurons``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

_KEY_RE = re.compile(r'data-key="([A-Za-z0-9_]+)">([^<]*)<')


def parse_readout(markup: str) -> dict[str, str]:
    """The ``data-key`` -> text pairs of a readout's HTML (what a browser test reads).

    Introduced in ``03-chain-of-neurons``.
    """
    if not isinstance(markup, str):
        raise TypeError(f"markup must be the readout's HTML (a str); got {type(markup).__name__}")
    return {k: html.unescape(v) for k, v in _KEY_RE.findall(markup)}


def keyed(key: str, text: str, tag: str = "span") -> str:
    """``<tag data-key="key">text</tag>``, the text HTML-escaped. Introduced in
    ``03-chain-of-neurons``."""
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_]+", key):
        raise ValueError(f"key must be letters, digits and _ only (a data-key); got {key!r}")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    if not isinstance(tag, str) or not re.fullmatch(r"[a-z][a-z0-9]*", tag):
        raise ValueError(f"tag must be an HTML tag name such as 'span'; got {tag!r}")
    return f'<{tag} data-key="{key}">{html.escape(text, quote=False)}</{tag}>'


def _check_readout_values(values: object, keys: Sequence[str]) -> dict[str, str]:
    """Return ``values`` if it maps every one of ``keys`` to a string (a readout), else raise a
    TypeError/ValueError naming ``values``. Introduced in ``05-how-common-is-vanishing``."""
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict from readout key to text (what readout_strings "
                        f"returns); got {type(values).__name__}")
    missing = [k for k in keys if not isinstance(values.get(k), str)]
    if missing:
        raise ValueError(f"values must hold a string for every readout key; missing {missing}")
    return dict(values)


def readout_row(labels: dict[str, str], values: dict[str, str]) -> str:
    """A one-row monospace table: each label followed by its value in bold, one ``data-key``
    span per key of ``labels``. Introduced in ``05-how-common-is-vanishing``."""
    if not isinstance(labels, Mapping) or not labels \
            or not all(isinstance(v, str) for v in labels.values()):
        raise TypeError(f"labels must be a non-empty dict from readout key to label text; got "
                        f"{labels!r}")
    values = _check_readout_values(values, tuple(labels))
    cells = "".join(f'<td style="padding:0 1em 0 0">{label} <b>{keyed(k, values[k])}</b></td>'
                    for k, label in labels.items())
    return f'<table style="font-family:monospace"><tr>{cells}</tr></table>'

__all__ = ["keyed", "parse_readout", "readout_row"]
