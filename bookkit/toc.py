"""The book's parts and chapters, read from ``_toc.yml`` (the single source of the book's order)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis.data import paths

__all__ = ["Part", "chapters", "parts"]

TOC_FILE = paths.PROJECT_ROOT / "_toc.yml"


@dataclass(frozen=True)
class Part:
    """One captioned part of the book.

    Attributes
    ----------
    caption : str
        The part's caption, e.g. ``第一部分 理论与方法``.
    numbered : bool
        Whether its chapters are numbered (the appendix is not).
    docs : tuple of str
        Docnames of its top-level chapters, in order (sections excluded).
    """

    caption: str
    numbered: bool
    docs: tuple[str, ...]


def _files(entries: list[dict[str, Any]]) -> list[str]:
    out = []
    for entry in entries:
        if "file" in entry:
            out.append(str(entry["file"]))
        out.extend(_files(entry.get("sections", [])))
    return out


def parts(toc_file: Path = TOC_FILE) -> list[Part]:
    """The parts of the book in order."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    found = []
    for part in toc.get("parts", []):
        docs = tuple(str(ch["file"]) for ch in part.get("chapters", []) if "file" in ch)
        found.append(Part(str(part.get("caption", "")), bool(part.get("numbered", False)), docs))
    return found


def chapters(toc_file: Path = TOC_FILE) -> list[str]:
    """Every docname of the book: the root, then every chapter and section in reading order."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    docs = [str(toc["root"])]
    for part in toc.get("parts", []):
        docs.extend(_files(part.get("chapters", [])))
    return docs
