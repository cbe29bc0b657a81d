"""Shared, tested analysis code for the book 《整体智治与价值共创》.

Every chapter imports from this package; chapters hold calls and ``glue`` only. Only
:mod:`analysis.data.io` reads data files, with paths from :mod:`analysis.data.paths`.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
