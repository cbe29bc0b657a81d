"""Offline link check of the built HTML: every internal link and anchor resolves.

Every ``href``/``src`` in every built page (the theme's template fragments in ``_static``
excluded) is either

* external (has a scheme such as ``https:`` or ``mailto:``, or starts with ``//``): listed, never
  fetched; or
* internal: the file it names must exist in the site, and a ``#fragment`` must be the ``id`` (or
  ``name``) of an element in the target page (or in the page itself for ``#fragment`` alone).

``python -m checks.links`` prints the problems and writes the external links to
``_build/external_links.txt``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from analysis.data import paths

__all__ = ["LinkReport", "check_links", "site_pages"]

#: (tag, attribute) pairs that link to or load something.
_LINKING = (
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
)
EXTERNAL_LIST = paths.BUILD_DIR / "external_links.txt"


@dataclass
class LinkReport:
    """The result of one check.

    Attributes
    ----------
    broken : list of str
        One line per internal link or anchor that does not resolve, naming page and target.
    external : dict
        External URL -> the pages that link to it.
    internal : int
        How many internal links were checked.
    """

    broken: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=dict)
    internal: int = 0


def site_pages(html_dir: Path) -> Iterator[Path]:
    """Every built page (the theme's template fragments in ``_static`` excluded)."""
    for page in sorted(html_dir.rglob("*.html")):
        if "_static" not in page.relative_to(html_dir).parts:
            yield page


@lru_cache(maxsize=512)
def _ids(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = {str(t["id"]) for t in soup.find_all(id=True) if isinstance(t, Tag)}
    found |= {str(t["name"]) for t in soup.find_all("a", attrs={"name": True}) if isinstance(t, Tag)}
    return frozenset(found)


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) or url.startswith("//")


def check_links(html_dir: Path = paths.HTML_DIR) -> LinkReport:
    """Check every link of every page under ``html_dir``."""
    _ids.cache_clear()
    report = LinkReport()
    root = html_dir.resolve()
    for page in site_pages(html_dir):
        rel = page.relative_to(html_dir).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag_name, attr in _LINKING:
            for tag in soup.find_all(tag_name):
                value = tag.get(attr) if isinstance(tag, Tag) else None
                if not isinstance(value, str) or not value.strip():
                    continue
                url = value.strip()
                if _is_external(url):
                    if urlsplit(url).scheme.lower() not in ("javascript", "data"):
                        report.external.setdefault(url, set()).add(rel)
                    continue
                report.internal += 1
                parts = urlsplit(url)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
                if parts.path and target.is_dir():
                    target = target / "index.html"
                if not target.is_relative_to(root):
                    report.broken.append(f"{rel}: <{tag_name} {attr}={url!r}> points outside the site")
                    continue
                if not target.is_file():
                    report.broken.append(f"{rel}: <{tag_name} {attr}={url!r}> names a missing file")
                    continue
                fragment = unquote(parts.fragment)
                if fragment and target.suffix == ".html" and fragment not in _ids(target):
                    report.broken.append(f"{rel}: <{tag_name} {attr}={url!r}> names a missing anchor")
    return report


def main() -> int:
    """Check ``_build/html``; print problems, list external links; exit 1 on a broken link."""
    report = check_links()
    lines = [f"{url}\t{', '.join(sorted(pages))}" for url, pages in sorted(report.external.items())]
    EXTERNAL_LIST.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(report.broken) or "every internal link and anchor resolves")
    print(
        f"{report.internal} internal links checked; {len(report.external)} external links listed "
        f"(not fetched) in {EXTERNAL_LIST}"
    )
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main())
