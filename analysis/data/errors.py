"""The project's one exception type for bad input."""

from __future__ import annotations

__all__ = ["DataError"]


class DataError(ValueError):
    """An input file that is malformed or fails its schema; the message names file, row and field."""
