"""The build root that the extension's handlers write to (``_build``, next to ``html``/``latex``)."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

__all__ = ["build_root", "toc_docnames"]


def build_root(app: Sphinx) -> Path:
    """The build root: the parent of the builder's output folder."""
    # outdir is _build/html (or _build/latex); the build root is its parent.
    return Path(app.outdir).resolve().parent


def toc_docnames(app: Sphinx) -> list[str] | None:
    """The pages of the book's table of contents, in its order (``None`` without one)."""
    site_map = getattr(getattr(app, "config", None), "external_site_map", None)
    return list(site_map) if site_map is not None else None
