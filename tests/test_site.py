"""Checks on the built site (`make test` builds it from a clean _build first)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.data import io, paths
from analysis.report.chart import PALETTE
from bookkit import toc
from bookkit.registry import GOLDEN, GOLDEN_REL_TOL, VOLATILE_KEYS, compare_registries, read_registry
from checks import a11y
from checks.links import EXTERNAL_LIST, check_links
from checks.site import book_pages, empty_glue, external_loads, unlabelled_figures_and_tables


def test_site_loads_nothing_from_another_host(html_dir: Path) -> None:
    assert external_loads(html_dir) == []


def test_no_inline_glue_rendered_empty(html_dir: Path) -> None:
    assert empty_glue(html_dir) == []


def test_every_figure_and_table_has_label_and_caption(html_dir: Path) -> None:
    assert unlabelled_figures_and_tables(html_dir) == []


def test_vega_bundle_is_served_locally(html_dir: Path) -> None:
    bundle = html_dir / "_static" / "vega-bundle.js"
    assert bundle.is_file() and bundle.stat().st_size > 500_000
    page = (html_dir / "book" / "introduction.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="\.\./_static/vega-bundle\.js', page)
    assert 'id="fig-intro-timeline"' in page and "vegaEmbed(" in page


def test_timeline_png_is_in_the_executed_output(html_dir: Path) -> None:
    glue = json.loads((paths.BUILD_DIR / "jupyter_execute" / "book" / "introduction.glue.json").read_text())
    assert glue["intro_fig_timeline"]["data"]["image/png"]


#: Glue that states whether the seeds were available to check the quotations in this build.
SEED_DEPENDENT_KEYS = frozenset({"ds_provenance", "home_sources_note"})


def test_glue_registry_matches_golden() -> None:
    actual = read_registry(paths.GLUE_REGISTRY)
    expected = read_registry(GOLDEN)
    skip = VOLATILE_KEYS
    if not io.sources().available:
        warnings.warn(f"seeds absent: golden comparison skips {sorted(SEED_DEPENDENT_KEYS)}", stacklevel=1)
        skip = skip | SEED_DEPENDENT_KEYS
    problems = compare_registries(actual, expected, rel_tol=GOLDEN_REL_TOL, skip=skip)
    assert problems == [], "glue changed; if intended, run `make golden` and review:\n" + "\n".join(problems)


def test_registry_values_are_plain() -> None:
    for row in read_registry(paths.GLUE_REGISTRY):
        assert isinstance(row["value"], (int, float, str)), row
        assert not str(row["value"]).startswith("repr:"), row


# --- the guards fire on broken input -------------------------------------------------------


def _page(tmp_path: Path, body: str) -> Path:
    (tmp_path / "book").mkdir(exist_ok=True)
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    page = tmp_path / "book" / "p.html"
    page.write_text(f"<html><head></head><body><main>{body}</main></body></html>", encoding="utf-8")
    return page


@pytest.mark.parametrize(
    "html",
    [
        '<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Noto">',
        '<img src="http://example.org/a.png">',
        '<script>var s = "https://unpkg.com/thebe";</script>',
        '<div style="background: url(https://example.org/x.png)"></div>',
    ],
)
def test_remote_loads_are_caught(tmp_path: Path, html: str) -> None:
    _page(tmp_path, html)
    assert external_loads(tmp_path)


def test_external_links_are_not_loads(tmp_path: Path) -> None:
    _page(tmp_path, '<a href="https://doi.org/10.1000/x">doi</a>')
    assert external_loads(tmp_path) == []


def test_empty_glue_is_caught(tmp_path: Path) -> None:
    _page(tmp_path, '<p>共有 <span class="pasted-text"></span> 个</p>')
    assert empty_glue(tmp_path)


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><td>1</td></tr></table>",
        '<table id="tbl-a"><caption> </caption><tr><td>1</td></tr></table>',
        "<figure><img src='a.png'><figcaption>图</figcaption></figure>",
    ],
)
def test_unlabelled_figures_and_tables_are_caught(tmp_path: Path, html: str) -> None:
    _page(tmp_path, html)
    assert unlabelled_figures_and_tables(tmp_path)


def test_golden_comparison_catches_a_changed_number() -> None:
    golden = [{"page": "p", "key": "k_x", "value": 1.0}, {"page": "p", "key": "k_s", "value": "a"}]
    assert compare_registries(golden, golden) == []
    assert compare_registries([{"page": "p", "key": "k_x", "value": 1.0 + 1e-9}, golden[1]], golden) == []
    moved = [{"page": "p", "key": "k_x", "value": 1.01}, golden[1]]
    assert compare_registries(moved, golden) == ["changed: p::k_x: 1.0 -> 1.01"]
    assert compare_registries(golden[:1], golden) == ["missing: p::k_s"]


# --- reader experience: links, alt text, palette, downloads -------------------------------


def test_every_internal_link_and_anchor_resolves(html_dir: Path) -> None:
    report = check_links(html_dir)
    assert report.broken == []
    assert report.internal > 100
    # external links are listed for a reader or a later online check, never fetched here
    lines = [f"{url}\t{', '.join(sorted(pages))}" for url, pages in sorted(report.external.items())]
    EXTERNAL_LIST.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("html", "why"),
    [
        ('<a href="missing.html">x</a>', "missing file"),
        ('<a href="#nowhere">x</a>', "missing anchor"),
        ('<a href="other.html#nowhere">x</a>', "missing anchor"),
        ('<img src="../../outside.png" alt="图">', "outside the site"),
    ],
)
def test_link_check_catches_broken_links(tmp_path: Path, html: str, why: str) -> None:
    _page(tmp_path, html)
    (tmp_path / "book" / "other.html").write_text('<html><body id="top"></body></html>', encoding="utf-8")
    broken = check_links(tmp_path).broken
    assert len(broken) == 1 and why in broken[0] and "book/p.html" in broken[0]


def test_link_check_lists_external_links_without_failing(tmp_path: Path) -> None:
    _page(
        tmp_path, '<a href="https://doi.org/10.1000/x">doi</a><a href="other.html#top">ok</a><p id="top"></p>'
    )
    (tmp_path / "book" / "other.html").write_text('<html><body id="top"></body></html>', encoding="utf-8")
    report = check_links(tmp_path)
    assert report.broken == [] and set(report.external) == {"https://doi.org/10.1000/x"}


def test_every_figure_says_what_it_shows(html_dir: Path) -> None:
    problems = [p for page in book_pages(html_dir) for p in a11y.figure_alt_problems(page, page.name)]
    assert problems == []


@pytest.mark.parametrize(
    "html",
    [
        '<img src="a.png">',
        '<img src="a.png" alt="图1">',
        '<img src="a.png" alt="timeline.png">',
        '<div class="book-chart" id="c" role="img" aria-label=""></div>',
        '<div class="book-chart" id="c" aria-label="按年份排列的改革事件"></div>',
    ],
)
def test_missing_or_empty_alt_text_is_caught(tmp_path: Path, html: str) -> None:
    page = _page(tmp_path, html)
    assert a11y.figure_alt_problems(page, "p.html")


def test_every_chart_uses_the_colour_blind_safe_palette(html_dir: Path) -> None:
    specs = [(page.name, spec) for page in book_pages(html_dir) for spec in a11y.chart_specs(page)]
    assert specs, "no chart found in the built book"
    for name, spec in specs:
        assert a11y.palette_problems(spec) == [], name
        assert spec["config"]["range"]["category"] == list(PALETTE), name


def test_palette_check_catches_unsafe_colours() -> None:
    assert a11y.palette_problems({"mark": {"type": "bar", "color": "red"}}) == ["red"]
    assert a11y.palette_problems({"encoding": {"color": {"scale": {"scheme": "category10"}}}}) == [
        "scheme:category10"
    ]
    assert a11y.palette_problems({"encoding": {"color": {"scale": {"range": ["#ff0000", "#0072B2"]}}}}) == [
        "#ff0000"
    ]
    assert a11y.palette_problems({"encoding": {"shape": {"scale": {"range": ["circle", "square"]}}}}) == []


def _download_links(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = {}
    for a in soup.select(".dropdown-download-buttons a"):
        label = next((c for c in a.get("class") or [] if c.startswith("btn-download-")), "")
        if label and a.get("href"):
            links[label] = str(a["href"])
    return links


def test_each_chapter_offers_its_myst_source_and_a_notebook(html_dir: Path) -> None:
    notebooks = 0
    for page in book_pages(html_dir):
        source = paths.PROJECT_ROOT / page.relative_to(html_dir).with_suffix(".md")
        links = _download_links(page)
        md = links.get("btn-download-source-button")
        assert md and md.endswith(".md"), f"{page.name}: no .md download"
        assert (page.parent / md).read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
        if "kernelspec:" not in source.read_text(encoding="utf-8"):
            continue  # a plain Markdown page (the bibliography) is no notebook
        ipynb = links.get("btn-download-notebook-button")
        assert ipynb and ipynb.endswith(".ipynb"), f"{page.name}: no .ipynb download"
        notebook = json.loads((page.parent / ipynb).read_text(encoding="utf-8"))
        assert notebook["nbformat"] == 4
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert len(code) == source.read_text(encoding="utf-8").count("```{code-cell}"), page.name
        for cell in code:
            for output in cell.get("outputs", []):
                assert "vegaEmbed(" not in "".join(output.get("data", {}).get("text/html", [])), page.name
        notebooks += 1
    assert notebooks >= 3


def test_the_pdf_is_linked_exactly_when_it_is_in_the_site(html_dir: Path) -> None:
    pdf = html_dir / "book.pdf"
    for page in book_pages(html_dir):
        link = _download_links(page).get("btn-download-book-pdf-button")
        if pdf.is_file():
            assert link and (page.parent / link).resolve() == pdf.resolve(), page.name
        else:
            assert link is None, f"{page.name} links a PDF that `make pdf` has not built"


def test_chapters_are_numbered_in_one_sequence_across_the_parts(html_dir: Path) -> None:
    """The numbered parts' chapters run 1, 2, 3, … in the navigation (no restart per part)."""
    soup = BeautifulSoup((html_dir / "book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    titles = {}
    for link in soup.select("nav.bd-links li.toctree-l1 > a.reference.internal"):
        href = str(link.get("href", "")).split("#")[0]
        titles[href.removesuffix(".html")] = link.get_text(strip=True)
    numbered = [doc.split("/")[-1] for part in toc.parts() if part.numbered for doc in part.docs]
    assert numbered
    for n, doc in enumerate(numbered, start=1):
        assert titles.get(doc, "").startswith(f"{n}. "), (doc, titles.get(doc))
    appendix = [doc.split("/")[-1] for part in toc.parts() if not part.numbered for doc in part.docs]
    assert all(not re.match(r"\d+\. ", titles.get(doc, "")) for doc in appendix)
