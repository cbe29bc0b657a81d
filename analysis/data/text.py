"""How quotations are compared: normalisation and fragments (used by schemas and provenance).

A quotation (``evidence_zh``) is one or more verbatim fragments joined by ``…``; the OCR of the
dissertation scatters its text, so fragments may come from different places in the cited lines.
Both sides are normalised the same way (NFKC, then all whitespace removed).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MIN_FRAGMENT", "fragments", "letters", "normalise"]

#: Fragments shorter than this are too unspecific to prove anything: in a 150-line window of
#: the dissertation's OCR a given string of three characters or digits often occurs by chance.
MIN_FRAGMENT = 4

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_SPLIT = re.compile(r"\[?…\]?")


def normalise(text: str) -> str:
    """NFKC-normalise and remove all whitespace (OCR spaces out characters and digits)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def letters(text: str) -> str:
    """Only the letters, CJK characters and digits of :func:`normalise` (punctuation dropped)."""
    return _NON_WORD.sub("", normalise(text))


def fragments(evidence: str) -> list[str]:
    """The normalised fragments of a quotation (split on ``…`` and ``[…]``)."""
    return [f for f in (normalise(p) for p in _SPLIT.split(evidence)) if f]
