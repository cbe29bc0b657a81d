"""How many processes a computation inside a page may use (the SEM bootstrap, the HonestDiD tests).

The book executes its pages side by side (``bookkit.sphinx.pool``); a page that started as many
processes as the machine has cores would compete with the pages beside it. The book's pool tells
each page's kernel its share in ``$BOOK_PAGE_CORES``: the machine's cores when the page is expected
to run alone for most of its time, else one. Outside the book (a script, a test) every core counts,
up to ``cap``. The results never depend on it: the computations that use it draw their random
numbers up front or are deterministic.
"""

from __future__ import annotations

import os

__all__ = ["CORES_ENV", "processes"]

#: Set by the book's pool in every page's kernel.
CORES_ENV = "BOOK_PAGE_CORES"


def processes(cap: int = 4) -> int:
    """The processes this page's computation may use: ``$BOOK_PAGE_CORES``, else the cores up to ``cap``."""
    value = os.environ.get(CORES_ENV, "")
    if value.strip():
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"{CORES_ENV} must be a whole number, not {value!r}") from None
    return max(1, min(cap, os.cpu_count() or 1))
