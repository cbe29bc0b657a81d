"""The offline Vega bundle (``builder-inited``, HTML only).

Writes ``vl_convert.javascript_bundle()`` to ``_build/.vega/vega-bundle.js``, adds that folder to
``html_static_path`` and the script to every page, so the site's ``_static/vega-bundle.js`` is the
only source of Vega, Vega-Lite and vega-embed.
"""

from __future__ import annotations

import vl_convert as vlc
from sphinx.application import Sphinx

from bookkit.sphinx.build import build_root

__all__ = ["BUNDLE_NAME", "javascript_bundle", "write_bundle"]

BUNDLE_NAME = "vega-bundle.js"


def javascript_bundle() -> str:
    """The offline Vega + Vega-Lite + vega-embed bundle that vl-convert ships."""
    return str(vlc.javascript_bundle())  # type: ignore[call-arg]


def write_bundle(app: Sphinx) -> None:
    """Write the bundle into the build and add it to every HTML page."""
    if app.builder.format != "html":
        return
    folder = build_root(app) / ".vega"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BUNDLE_NAME
    # The bundle declares top-level constants (``_`` among them) that clash with the theme's
    # globals in a classic script; a function scope isolates them. It exports window.vegaEmbed.
    bundle = "(function () {\n" + javascript_bundle() + "\n})();\n"
    if not target.exists() or target.read_text(encoding="utf-8") != bundle:
        target.write_text(bundle, encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_js_file(BUNDLE_NAME)
