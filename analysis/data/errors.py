"""The project's one exception type for bad input, and the problems it lists.

A :class:`DataError` carries :class:`Problem` records, each naming the raw file, its line as an
editor shows it (the header or first line is line 1), the field, the value and the rule. Its
message lists at most :data:`MAX_LISTED` problems and then counts the rest, and every value is
shortened, so a table with 200,000 bad rows still gives a message a person can read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MAX_LISTED", "MAX_VALUE", "DataError", "Problem", "shorten"]

#: Problems listed in a message; the rest are counted.
MAX_LISTED = 20
#: Characters of a value shown in a message.
MAX_VALUE = 100


def shorten(value: object, limit: int = MAX_VALUE) -> str:
    """``repr(value)``, cut to ``limit`` characters with an ellipsis."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One fault in an input file: where it is, what it is and which rule it breaks.

    ``line`` is the line an editor shows (1-based; ``None`` when the fault is the file's, such as
    a missing row); ``field`` a column or YAML key, or several joined by ``/``; ``value`` the
    offending value (omitted from the message when ``None``); ``rule`` what should hold.
    """

    where: str
    line: int | None
    field: str | None
    value: object
    rule: str

    @classmethod
    def of_file(cls, where: str, rule: str, line: int | None = None) -> Problem:
        """A problem of the file (or one of its lines) rather than of a field."""
        return cls(where, line, None, None, rule)

    def __str__(self) -> str:
        parts = [self.where]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        if self.value is not None:
            parts.append(f"value {shorten(self.value)}")
        return ", ".join(parts) + f": {self.rule}"


def _message(problems: tuple[Problem | str, ...], omitted: int) -> str:
    shown = [str(p) if isinstance(p, Problem) else p for p in problems[:MAX_LISTED]]
    shown = [s if len(s) <= 400 else s[:399] + "…" for s in shown]
    total = len(problems) + omitted
    if total > len(shown):
        shown.append(f"… and {total - len(shown)} more problems ({total} in all)")
    return "\n".join(shown)


class DataError(ValueError):
    """An input file that is malformed or fails its checks.

    Built from a message, one :class:`Problem`, or several problems and messages; the message
    lists the first :data:`MAX_LISTED` and counts the rest, including ``omitted`` problems that
    were found but not kept. ``problems`` keeps the ones given.
    """

    def __init__(self, problems: str | Problem | Iterable[Problem | str], omitted: int = 0) -> None:
        if isinstance(problems, (str, Problem)):
            problems = [problems]
        self.problems: tuple[Problem | str, ...] = tuple(problems)
        self.omitted = omitted
        super().__init__(_message(self.problems, omitted))
