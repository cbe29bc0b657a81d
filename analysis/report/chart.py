"""Altair charts that render offline: interactive HTML for the web, a PNG for the PDF.

The Vega, Vega-Lite and vega-embed libraries come from ``vl_convert.javascript_bundle()``
(copied into the site's ``_static/`` by :mod:`bookkit.sphinx.vega`), never from a CDN. A chart
is glued as an :class:`OfflineChart`, whose mimebundle holds a ``<div>`` plus a call to the local
``vegaEmbed`` (picked by the HTML builder) and a PNG rendered by vl-convert (picked by the LaTeX
builder). One book theme (font, palette, sizes) is merged into every spec.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert as vlc

__all__ = [
    "BOOK_CONFIG",
    "CJK_FONT",
    "PALETTE",
    "OfflineChart",
    "themed_spec",
]

#: The CJK font the set-up installs (Debian ``fonts-noto-cjk``); browsers fall back to their own.
CJK_FONT = "Noto Sans CJK SC"

#: Okabe-Ito, a colour-blind-safe qualitative palette (Okabe & Ito 2008).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

BOOK_CONFIG: dict[str, Any] = {
    "font": CJK_FONT,
    "background": "white",
    "padding": 8,
    "view": {"continuousWidth": 640, "continuousHeight": 320, "stroke": None},
    "range": {"category": list(PALETTE)},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "titleFontWeight": "normal",
        "gridColor": "#e6e6e6",
        "domainColor": "#666666",
        "tickColor": "#666666",
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal"},
    "title": {"fontSize": 15, "fontWeight": "normal", "anchor": "start"},
    "text": {"fontSize": 11},
}


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def themed_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the book theme merged under its own ``config``."""
    spec = chart.to_dict(validate=True)
    spec["config"] = _merge(BOOK_CONFIG, spec.get("config", {}))
    return spec


@dataclass(frozen=True)
class OfflineChart:
    """An Altair chart with the book theme, an accessible description and offline output.

    Parameters
    ----------
    chart : alt.TopLevelMixin
        The Altair chart.
    description : str
        What the chart shows, in one or two sentences; used as its alt text (``aria-label``).
    scale : float, default 2
        PNG scale factor (2 gives crisp print output).
    """

    chart: alt.TopLevelMixin
    description: str
    scale: float = 2.0

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValueError("an OfflineChart needs a description (its alt text)")

    @property
    def spec(self) -> dict[str, Any]:
        """The themed Vega-Lite spec."""
        return themed_spec(self.chart)

    def png(self) -> bytes:
        """The chart as PNG bytes, rendered by vl-convert with the installed CJK font."""
        return bytes(vlc.vegalite_to_png(self.spec, scale=self.scale))

    def html(self) -> str:
        """A container ``<div>`` and the call to the local ``vegaEmbed``."""
        spec_json = json.dumps(self.spec, ensure_ascii=False, sort_keys=True)
        chart_id = "vega-" + hashlib.sha256(spec_json.encode()).hexdigest()[:12]
        safe_json = spec_json.replace("</", "<\\/")
        label = html.escape(self.description, quote=True)
        return (
            f'<div class="book-chart" id="{chart_id}" role="img" aria-label="{label}"></div>\n'
            '<script type="text/javascript">\n'
            'document.addEventListener("DOMContentLoaded", function () {\n'
            f'  vegaEmbed("#{chart_id}", {safe_json}, {{"actions": false, "renderer": "svg"}});\n'
            "});\n"
            "</script>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {
            "text/html": self.html(),
            "image/png": base64.b64encode(self.png()).decode("ascii"),
            "text/plain": f"<OfflineChart: {self.description}>",
        }
