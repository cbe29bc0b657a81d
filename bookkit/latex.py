r"""LaTeX helpers for the book's PDF: escaping, and table columns that fit the page.

Sphinx sets a table either with tabulary (which cannot break across pages) or, with the class
``longtable``, with fixed columns ``\X{w}{total}``. The book's extension makes every table a
longtable and sizes its columns here from their content.
"""

from __future__ import annotations

import re

from docutils import nodes

__all__ = ["allow_breaks_in_paths", "column_weights", "natural_widths", "tex_escape"]

_TEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    # xeCJK drops a plain space between two Chinese characters; keep the caption's gap visible.
    " ": r"\quad ",
}

#: The PDF's text width in display units (one unit: half a Chinese character at 11pt, ~1.95 mm)
#: and each column's padding (two \tabcolsep) in the same units.
TEXT_WIDTH_UNITS = 82.0
COLUMN_PADDING_UNITS = 2.2
#: A run of characters LaTeX cannot break inside (no space, no Chinese).
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\uffff]+")
#: Where a long path or identifier in a table cell may break: after / _ . or -.
_BREAK_AFTER = re.compile(r"(?<=[/_.\-])")
LONG_WORD = 12


def tex_escape(text: str) -> str:
    r"""``text`` safe inside a LaTeX argument (spaces become ``\quad``)."""
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


def allow_breaks_in_paths(table: nodes.Element) -> None:
    """Let LaTeX break long paths and identifiers in plain cell text after / _ . -."""
    for text in list(table.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, (nodes.literal, nodes.raw, nodes.FixedTextElement)):
            continue
        if not any(len(w) > LONG_WORD for w in _UNBREAKABLE.findall(text.astext())):
            continue
        new: list[nodes.Node] = []
        for j, part in enumerate(_BREAK_AFTER.split(text.astext())):
            if j:
                new.append(nodes.raw("", r"\allowbreak{}", format="latex"))
            new.append(nodes.Text(part))
        index = parent.index(text)
        parent.remove(text)
        for k, node in enumerate(new):
            parent.insert(index + k, node)


def _display_width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def natural_widths(tgroup: nodes.Element) -> tuple[list[int], list[int]]:
    """Per column: the widest cell and the longest unbreakable piece, in display units."""
    count = sum(1 for c in tgroup.children if isinstance(c, nodes.colspec))
    widest, longest = [0] * count, [0] * count
    for row in tgroup.findall(nodes.row):
        for i, entry in enumerate(e for e in row.children if isinstance(e, nodes.entry)):
            if i >= count:
                continue
            text = "".join(
                t.astext() for t in entry.findall(nodes.Text) if not isinstance(t.parent, nodes.raw)
            )
            widest[i] = max(widest[i], _display_width(text))
            pieces = [p for w in _UNBREAKABLE.findall(text) for p in _BREAK_AFTER.split(w)]
            longest[i] = max([longest[i]] + [len(p) + 1 for p in pieces])
    return widest, longest


def column_weights(natural: list[int], unbreakable: list[int] | None = None) -> list[int]:
    r"""Integer column weights for ``\X{w}{total}`` from each column's natural width.

    Narrow columns keep their natural width; the wide ones first get their longest unbreakable
    word (a path, a hash), then share what is left in proportion to the square root of their
    natural width (much as tabulary shares, but in a longtable, which can break across pages).
    """
    n = len(natural)
    budget = TEXT_WIDTH_UNITS - COLUMN_PADDING_UNITS * n
    widths = [0.0] * n
    remaining = set(range(n))
    while remaining:
        share = budget / len(remaining)
        narrow = [i for i in remaining if natural[i] + 0.5 <= share]
        if not narrow:
            break
        for i in narrow:
            widths[i] = natural[i] + 0.5
            budget -= widths[i]
            remaining.discard(i)
    longest = unbreakable or [0] * n
    floor = {i: max(min(longest[i], natural[i]) + 0.5, 4.0) for i in remaining}
    spare = max(budget - sum(floor.values()), 0.0)
    total = sum(natural[i] ** 0.5 for i in remaining) or 1.0
    for i in remaining:
        widths[i] = floor[i] + spare * natural[i] ** 0.5 / total
    return [round(10 * (w + COLUMN_PADDING_UNITS)) for w in widths]
