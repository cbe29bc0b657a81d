"""The offline Vega bundle (``builder-inited``, HTML only).

Writes ``vl_convert.javascript_bundle()`` to ``_build/.vega/vega-bundle.js``, adds that folder to
``html_static_path`` and the script to every page, so the site's ``_static/vega-bundle.js`` is the
only source of Vega, Vega-Lite and vega-embed.

vl-convert assembles the bundle anew on each call (about 1.5 s); it depends only on the installed
vl-convert, so the file is written again only when that version, or the file itself, differs from what is
recorded beside it (the version and the file's sha256).
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import vl_convert as vlc
from sphinx.application import Sphinx

from bookkit.sphinx.build import build_root

__all__ = ["BUNDLE_NAME", "javascript_bundle", "write_bundle"]

BUNDLE_NAME = "vega-bundle.js"


def javascript_bundle() -> str:
    """The offline Vega + Vega-Lite + vega-embed bundle that vl-convert ships."""
    return str(vlc.javascript_bundle())  # type: ignore[call-arg]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_bundle(app: Sphinx) -> None:
    """Write the bundle into the build and add it to every HTML page."""
    if app.builder.format != "html":
        return
    folder = build_root(app) / ".vega"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BUNDLE_NAME
    stamp = folder / f"{BUNDLE_NAME}.version"
    made_by = f"vl-convert-python {version('vl-convert-python')}"
    current = f"{made_by} {_sha256(target)}\n" if target.is_file() else ""
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != current:
        # The bundle declares top-level constants (``_`` among them) that clash with the theme's
        # globals in a classic script; a function scope isolates them. It exports window.vegaEmbed.
        bundle = "(function () {\n" + javascript_bundle() + "\n})();\n"
        stamp.unlink(missing_ok=True)
        target.write_text(bundle, encoding="utf-8")
        stamp.write_text(f"{made_by} {_sha256(target)}\n", encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_js_file(BUNDLE_NAME)
