"""Sphinx extension of the book: the offline Vega bundle and the glue registry.

* ``builder-inited``: writes ``vl_convert.javascript_bundle()`` to ``_build/.vega/vega-bundle.js``,
  adds that folder to ``html_static_path`` and the script to every page, so the site's
  ``_static/vega-bundle.js`` is the only source of Vega, Vega-Lite and vega-embed.
* ``html-page-context``: drops sphinx-thebe's scripts (an offline book has no live kernel, and
  they name a CDN URL and redeclare a constant on every page).
* ``builder-inited``: also writes the coding's REFI-QDA exports to ``_build/exports``: the
  codebook as ``codebook.qdc`` and a Taguette CSV (both linked from the methods chapter), and,
  when the seeds are available, the whole project as ``project.qdpx``. The project embeds the
  full seed texts, whose copyright stays with their authors, so it is built locally and never
  published with the site.
* ``build-finished``: after a successful HTML build, writes ``_build/glue.json`` from the
  glue records in ``_build/jupyter_execute``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from analysis import paths, refiqda
from analysis.charts import javascript_bundle
from analysis.codebook import load_codebook
from analysis.glue_registry import registry_from_dir, write_registry

__all__ = ["setup"]

BUNDLE_NAME = "vega-bundle.js"


def _build_root(app: Sphinx) -> Path:
    # outdir is _build/html (or _build/latex); the build root is its parent.
    return Path(app.outdir).resolve().parent


def _write_bundle(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    folder = _build_root(app) / ".vega"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BUNDLE_NAME
    # The bundle declares top-level constants (``_`` among them) that clash with the theme's
    # globals in a classic script; a function scope isolates them. It exports window.vegaEmbed.
    bundle = "(function () {\n" + javascript_bundle() + "\n})();\n"
    if not target.exists() or target.read_text(encoding="utf-8") != bundle:
        target.write_text(bundle, encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_js_file(BUNDLE_NAME)


def _write_exports(app: Sphinx) -> None:
    folder = _build_root(app) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    codebook = load_codebook(paths.RAW_DIR / "codebook.yaml")
    (folder / "codebook.qdc").write_bytes(refiqda.codebook_to_qdc(codebook))
    (folder / "codebook_taguette.csv").write_text(
        refiqda.codebook_to_taguette_csv(codebook), encoding="utf-8"
    )
    if paths.seeds_dir().is_dir():
        refiqda.write_exports(folder)


def _is_thebe(script: Any) -> bool:
    name = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE" in body


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def _write_registry(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = _build_root(app)
    execute_dir = root / "jupyter_execute"
    rows = registry_from_dir(execute_dir) if execute_dir.is_dir() else []
    write_registry(rows, root / "glue.json")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the two event handlers."""
    app.connect("builder-inited", _write_bundle)
    app.connect("builder-inited", _write_exports)
    app.connect("html-page-context", _drop_thebe)
    app.connect("build-finished", _write_registry)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
