"""Tables generated from data and pasted as real, numbered MyST tables.

A :class:`BookTable` is glued with :func:`bookkit.glue.glue_table` and pasted with a
``{glue:md}`` directive (``:format: myst``). Its mimebundle is a MyST ``{table}`` directive with a
caption and a label, so the table is numbered, referenceable with ``{numref}`` and becomes a real
table in both the HTML and the LaTeX output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["BookTable", "escape_cell"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>$|{}~#!])")
_LABEL = re.compile(r"^tbl-[a-z0-9]+(-[a-z0-9]+)*$")


def escape_cell(value: Any) -> str:
    """Render one value as inline MyST text that cannot be mistaken for markup."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class BookTable:
    """A data frame with a caption and a ``tbl-`` label, rendered as a MyST table directive.

    Parameters
    ----------
    frame : pd.DataFrame
        The rows to show, already formatted (strings or numbers); the column names are the header.
    caption : str
        The table caption (plain text).
    label : str
        The reference label, ``tbl-<kebab-case>``.
    """

    frame: pd.DataFrame
    caption: str
    label: str

    def __post_init__(self) -> None:
        if not _LABEL.match(self.label):
            raise ValueError(f"table label {self.label!r} must look like 'tbl-kebab-case'")
        if not self.caption.strip():
            raise ValueError(f"table {self.label!r} needs a caption")
        if self.frame.empty:
            raise ValueError(f"table {self.label!r} has no rows")

    def markdown(self) -> str:
        """The MyST source of the table."""
        header = "| " + " | ".join(escape_cell(c) for c in self.frame.columns) + " |"
        rule = "|" + "|".join("---" for _ in self.frame.columns) + "|"
        rows = [
            "| " + " | ".join(escape_cell(v) for v in row) + " |"
            for row in self.frame.itertuples(index=False, name=None)
        ]
        caption = " ".join(self.caption.split())
        body = "\n".join([header, rule, *rows])
        return f"```{{table}} {caption}\n:name: {self.label}\n\n{body}\n```\n"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/markdown": self.markdown(), "text/plain": self.frame.to_string(index=False)}
