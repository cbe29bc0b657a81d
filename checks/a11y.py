"""Accessibility checks of the book's figures.

:func:`figure_alt_problems` checks that every figure says what it shows, and
:func:`palette_problems` that every chart draws only with the colour-blind-safe palette
(:func:`chart_specs` reads the charts' specs from a built page). The repairs of the theme's markup
that the build applies are in :mod:`bookkit.sphinx.theme`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from analysis.report.chart import PALETTE

__all__ = ["chart_specs", "figure_alt_problems", "palette_problems"]

#: Alt texts that name nothing.
_GENERIC_ALT = re.compile(r"^(image|img|figure|chart|plot|图|图片|图表|插图|png|svg)?\s*\d*$", re.IGNORECASE)
_FILE_NAME = re.compile(r"\.(png|jpe?g|svg|gif|webp)$", re.IGNORECASE)
MIN_ALT_CHARS = 6


def _meaningful(text: str) -> bool:
    text = text.strip()
    return len(text) >= MIN_ALT_CHARS and not _GENERIC_ALT.match(text) and not _FILE_NAME.search(text)


def figure_alt_problems(page: Path, rel: str) -> list[str]:
    """Images and charts in the page's content without an alt text that says what they show."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    problems = []
    for img in main.find_all("img"):
        if not isinstance(img, Tag) or "pst-navbar-icon" in (img.get("class") or []):
            continue
        alt = str(img.get("alt") or "")
        if not _meaningful(alt):
            problems.append(
                f"{rel}: <img src={img.get('src')!r}> has no alt text saying what it shows ({alt!r})"
            )
    for chart in main.select(".book-chart, .vega-embed"):
        label = str(chart.get("aria-label") or "")
        if chart.get("role") != "img" or not _meaningful(label):
            problems.append(f"{rel}: chart {chart.get('id')!r} has no role=img with a descriptive aria-label")
    return problems


_EMBED = re.compile(r'vegaEmbed\("#[^"]+",\s*(\{.*?\})\s*,\s*\{"actions"', re.DOTALL)


def chart_specs(page: Path) -> list[dict[str, Any]]:
    """The Vega-Lite specs that a built page hands to ``vegaEmbed``."""
    text = page.read_text(encoding="utf-8")
    return [json.loads(m.group(1).replace("<\\/", "</")) for m in _EMBED.finditer(text)]


_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_COLOUR_KEYS = {"fill", "stroke", "range", "category", "ordinal", "background", "value"}
_NAMED_NEUTRAL = {
    "white",
    "black",
    "transparent",
    "none",
    "gray",
    "grey",
    "lightgray",
    "lightgrey",
    "darkgray",
}
#: Keys whose strings may be shapes or other non-colours (a scale range): only hex counts there.
_LIST_KEYS = {"range", "category", "ordinal", "value"}
_CSS_NAME = re.compile(r"^[a-z]{3,20}$")
#: Neutral colours (text, axes, grid, background) that carry no categorical meaning.
_NEUTRAL = re.compile(r"^#(?:([0-9a-fA-F])\1\1|([0-9a-fA-F]{2})\2\2)$")
#: Colour schemes that are colour-blind safe (perceptually ordered, no red/green contrast).
SAFE_SCHEMES = frozenset({"viridis", "cividis", "magma", "inferno", "plasma", "greys", "blues", "oranges"})


def _colours(node: Any, key: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "scheme" and isinstance(v, str) and v.lower() not in SAFE_SCHEMES:
                found.append(f"scheme:{v}")
            found.extend(_colours(v, k))
    elif isinstance(node, list):
        for v in node:
            found.extend(_colours(v, key))
    elif isinstance(node, str) and (key in _COLOUR_KEYS or key.lower().endswith("color")):
        named = key not in _LIST_KEYS and _CSS_NAME.match(node.lower()) and node.lower() not in _NAMED_NEUTRAL
        if _HEX.match(node) or named:
            found.append(node.lower())
    return found


def palette_problems(spec: dict[str, Any]) -> list[str]:
    """Colours in a chart spec outside the Okabe-Ito palette and neutral greys."""
    allowed = {c.lower() for c in PALETTE}
    return sorted(
        {c for c in _colours(spec) if c.startswith("scheme:") or (c not in allowed and not _NEUTRAL.match(c))}
    )
