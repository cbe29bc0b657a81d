"""The coding's exports (``builder-inited``).

Writes them to ``_build/exports`` with :func:`analysis.coding.refiqda.write_exports`: the codebook
as ``codebook.qdc`` and a Taguette CSV (both linked from the codebook appendix), and, when the seeds
are available, the whole project as ``project.qdpx``. The project embeds the full seed texts,
whose copyright stays with their authors, so it is built locally and never published with the site.

With them go the consensus coding and its codebook as CSV files
(:func:`analysis.report.segment_browser.write_downloads`), offered by the segment browser.

Writing them takes about two seconds, imports included. They are written again only when what
they were made from has changed, by the rules that decide when a page is executed again
(:mod:`bookkit.sphinx.inputs`): the record beside them (``.inputs.json``) holds the SHA-256 of
every project module loaded and every data file and source study read when they were written, the
shared context, and the SHA-256 of each file written (a file changed or removed since is written
again).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from sphinx.application import Sphinx

from analysis.data import io, paths
from bookkit.sphinx.build import build_root, toc_docnames
from bookkit.sphinx.inputs import Inputs, Snapshot, changes

__all__ = ["RECORD", "write_exports"]

#: The record of the last writing, in the exports folder.
RECORD = ".inputs.json"


def _written(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != RECORD
    }


def _up_to_date(folder: Path, now: Snapshot, base: Path) -> bool:
    try:
        stored = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    inputs = Inputs.from_json(stored.get("inputs")) if isinstance(stored, dict) else None
    if inputs is None or changes(inputs, now, base):
        return False
    return bool(stored.get("written")) and stored["written"] == _written(folder)


def _linked(app: Sphinx) -> bool:
    """Whether a page of the book links a file in ``_build/exports`` (unknown: assume it does)."""
    docnames = toc_docnames(app)
    if docnames is None:
        return True
    for docname in docnames:
        for suffix in (".md", ".ipynb"):
            source = Path(app.srcdir, f"{docname}{suffix}")
            if source.is_file() and "_build/exports/" in source.read_text(encoding="utf-8"):
                return True
    return False


def write_exports(app: Sphinx) -> None:
    """Write the REFI-QDA exports and the coding's CSV files into ``_build/exports``.

    Only for a book with a page that links them (a small test book has none).
    """
    if not _linked(app):
        return
    folder = build_root(app) / "exports"
    base = Path(app.srcdir)
    now = Snapshot([base, paths.PROJECT_ROOT], base / "_config.yml")
    if folder.is_dir() and _up_to_date(folder, now, base):
        return
    from analysis.coding import consensus, refiqda
    from analysis.coding.segments import load_codebook_data
    from analysis.report import segment_browser

    (folder / RECORD).unlink(missing_ok=True)
    refiqda.write_exports(folder)
    codebook = load_codebook_data()
    segment_browser.write_downloads(folder, consensus.final_segments(codebook), codebook)
    modules = [getattr(m, "__file__", None) for m in list(sys.modules.values())]
    record = now.record([m for m in modules if isinstance(m, str)], io.opened_files())
    (folder / RECORD).write_text(
        json.dumps({"inputs": record.to_json(), "written": _written(folder)}, indent=1, sort_keys=True),
        encoding="utf-8",
    )
