"""The built book in headless Chromium with the network off (checks/browser.py).

One browser visits every built page once (session fixture); the tests below read its reports.
The pages are found on disk, so new chapters are covered without touching this file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.data import paths
from bookkit import toc
from checks.browser import (
    CHART_SELECTOR,
    VIEWPORT,
    FilterReport,
    PageReport,
    PanelReport,
    SearchResult,
    check_reader_aids,
    check_site,
    site_pages,
)

SCREENSHOT_DIR = paths.BUILD_DIR / "screenshots"
SUMMARY = paths.BUILD_DIR / "browsercheck.json"
#: Terms a reader would search for; each must find every page whose text discusses it.
SEARCH_TERMS = ("价值共创", "跨省通办", "整体智治", "一网通办")


def _first_chapters(html_dir: Path) -> dict[Path, Path]:
    """The first chapter of each part of _toc.yml -> where its screenshot goes."""
    return {
        html_dir / f"{part.docs[0]}.html": SCREENSHOT_DIR / f"{Path(part.docs[0]).name}.png"
        for part in toc.parts()
        if part.docs
    }


@pytest.fixture(scope="module")
def browser_run(html_dir: Path) -> tuple[list[PageReport], dict[str, SearchResult]]:
    reports, found = check_site(html_dir, screenshots=_first_chapters(html_dir), search_terms=SEARCH_TERMS)
    charts = sum(len(r.charts) for r in reports)
    SUMMARY.write_text(
        json.dumps(
            {
                "pages": len(reports),
                "charts": charts,
                "charts_rendered": charts - sum(len(r.unrendered_charts) for r in reports),
                "requests_blocked": sum(len(r.blocked_requests) for r in reports),
                "local_requests": sum(r.local_requests for r in reports),
                "console_errors": sum(len(r.console_errors) for r in reports),
                "axe_serious_or_critical": sum(len(r.axe) for r in reports),
                "screenshots": [str(r.screenshot) for r in reports if r.screenshot],
                "search": {t: r.links for t, r in found.items()},
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return reports, found


@pytest.fixture(scope="module")
def reports(browser_run: tuple[list[PageReport], dict[str, SearchResult]]) -> list[PageReport]:
    return browser_run[0]


def test_every_built_page_was_opened(reports: list[PageReport], html_dir: Path) -> None:
    expected = {p.relative_to(html_dir).as_posix() for p in site_pages(html_dir)}
    assert {r.page for r in reports} == expected
    assert len(expected) > 3


def test_no_console_error(reports: list[PageReport]) -> None:
    problems = [f"{r.page}: {line}" for r in reports for line in r.console_errors]
    assert problems == []


def test_no_request_leaves_the_local_files(reports: list[PageReport]) -> None:
    problems = [f"{r.page}: requested {url}" for r in reports for url in r.blocked_requests]
    assert problems == []
    assert all(r.local_requests > 0 for r in reports)  # the interception did see the page load


def _containers_in_source(page: Path) -> int:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return len(soup.select(CHART_SELECTOR))


def test_every_chart_container_holds_a_rendered_chart(reports: list[PageReport], html_dir: Path) -> None:
    problems = [
        f"{r.page}: chart container {cid!r} holds no rendered svg/canvas"
        for r in reports
        for cid in r.unrendered_charts
    ]
    assert problems == []
    for r in reports:
        assert len(r.charts) == _containers_in_source(html_dir / r.page), r.page
    assert sum(len(r.charts) for r in reports) >= 1


def test_the_timeline_draws_its_chinese_labels(reports: list[PageReport]) -> None:
    intro = next(r for r in reports if r.page == "book/introduction.html")
    assert any(c["rendered"] and "全国" in c["text"] and "E01" in c["text"] for c in intro.charts)


def test_no_serious_or_critical_axe_violation(reports: list[PageReport]) -> None:
    problems = [f"{r.page}: {line}" for r in reports for line in r.axe]
    assert problems == []


def test_screenshot_of_each_parts_first_chapter(reports: list[PageReport], html_dir: Path) -> None:
    shots = _first_chapters(html_dir)
    taken = {html_dir / r.page: r.screenshot for r in reports if r.screenshot}
    assert set(taken) == set(shots) and shots
    for png in taken.values():
        assert png is not None
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width >= VIEWPORT[0] - 40 and height >= 600, png  # less a scroll bar


def _pages_discussing(html_dir: Path, term: str) -> set[str]:
    """Pages whose own text (the article, not the navigation) contains the term."""
    found = set()
    for page in sorted((html_dir / "book").rglob("*.html")):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("article")
        if article is not None and term in re.sub(r"\s+", "", article.get_text()):
            found.add(page.relative_to(html_dir).as_posix())
    return found


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_finds_the_pages_that_discuss_a_term(
    browser_run: tuple[list[PageReport], dict[str, SearchResult]], html_dir: Path, term: str
) -> None:
    expected = _pages_discussing(html_dir, term)
    assert expected, f"no page discusses {term}: choose another search term"
    found = {link.split("#")[0].split("?")[0] for link in browser_run[1][term].links}
    assert expected <= found, f"the search for {term} misses {sorted(expected - found)}"


@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_every_search_result_shows_a_snippet_of_its_page(
    browser_run: tuple[list[PageReport], dict[str, SearchResult]], term: str
) -> None:
    result = browser_run[1][term]
    assert result.links and len(result.snippets) == len(result.links)
    empty = [link for link, snippet in zip(result.links, result.snippets, strict=True) if not snippet.strip()]
    assert empty == [], f"results for {term} without a snippet"
    # a snippet is cut around the words searched for (the query is split into indexed words)
    assert sum(term[:2] in s for s in result.snippets) >= len(result.snippets) // 2


# --- the reader aids, driven from the keyboard ---------------------------------------------

PANEL_PAGE = "book/methods.html"
#: A table of quotations: its panel lists each quotation's source lines.
QUOTE_PAGE, QUOTE_TABLE = "book/cross_case.html", "#tbl-cc-meta button.prov-open"
SEGMENT_PAGE = "book/segments.html"
#: The segment browser opened on an address: the segments coded with one code (by its id).
ADDRESS_FILTER = {"code": "CAP.AGL"}


@pytest.fixture(scope="module")
def reader_aids(html_dir: Path) -> tuple[dict[str, PanelReport], list[FilterReport], PageReport]:
    return check_reader_aids(
        html_dir,
        html_dir / PANEL_PAGE,
        html_dir / SEGMENT_PAGE,
        ADDRESS_FILTER,
        quotes=(html_dir / QUOTE_PAGE, QUOTE_TABLE),
    )


@pytest.mark.parametrize("target", ["number", "table", "figure"])
def test_a_provenance_panel_opens_from_the_keyboard_and_shows_the_origin(
    reader_aids: tuple[dict[str, PanelReport], list[FilterReport], PageReport], target: str
) -> None:
    panel = reader_aids[0][target]
    assert panel.opened, f"Enter on {panel.target} opened no panel"
    assert panel.focus_inside, "focus did not move into the panel"
    assert "analysis.chapters.methods" in panel.text  # the function that computed it
    assert panel.files >= 1 and "data/raw/coded_segments.csv" in panel.text
    assert re.search(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", panel.text), "no SHA-256 in the panel"
    assert panel.closed_by_escape and panel.focus_returned, "Escape must close it and return focus"
    assert panel.axe == [], panel.axe


def test_a_quotation_tables_panel_lists_the_source_lines(
    reader_aids: tuple[dict[str, PanelReport], list[FilterReport], PageReport], html_dir: Path
) -> None:
    panel = reader_aids[0]["quotes"]
    assert panel.opened and panel.closed_by_escape and panel.focus_returned
    assert panel.sources >= 9  # at least one quotation per case
    assert re.search(r"第 \d+(–\d+)? 行", panel.text) and "SEG-" in panel.text


def test_the_panels_make_no_request_and_no_console_error(
    reader_aids: tuple[dict[str, PanelReport], list[FilterReport], PageReport],
) -> None:
    visits = reader_aids[2]
    assert visits.console_errors == [] and visits.blocked_requests == []


def _segment_rows(html_dir: Path) -> list[list[str]]:
    table = BeautifulSoup((html_dir / SEGMENT_PAGE).read_text(encoding="utf-8"), "html.parser").find(
        id="tbl-seg-all"
    )
    assert table is not None
    return [
        [td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")
    ]


def test_the_segment_browser_lists_every_segment_with_an_anchor(html_dir: Path) -> None:
    soup = BeautifulSoup((html_dir / SEGMENT_PAGE).read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("#tbl-seg-all tbody tr")
    registry = {r["key"]: r["value"] for r in json.loads((paths.BUILD_DIR / "glue.json").read_text())}
    assert len(rows) == registry["seg_n_segments"] > 400
    assert all(tr.get("id", "").startswith("seg-") for tr in rows)


def test_the_segment_browser_filters_by_menu_and_by_address(
    reader_aids: tuple[dict[str, PanelReport], list[FilterReport], PageReport], html_dir: Path
) -> None:
    rows = _segment_rows(html_dir)
    menu, address = reader_aids[1]
    assert menu.total == address.total == len(rows)
    case = menu.selected["case"]
    assert case and menu.shown == sum(r[1] == case for r in rows) > 0
    assert str(menu.shown) in menu.status
    code = address.selected["code"]
    assert code.endswith(f"（{ADDRESS_FILTER['code']}）")
    assert address.shown == sum(code in r[5].split("；") for r in rows) > 0


def test_every_segment_id_in_the_book_links_to_its_row(html_dir: Path) -> None:
    anchors = {
        tr["id"]
        for tr in BeautifulSoup((html_dir / SEGMENT_PAGE).read_text(encoding="utf-8"), "html.parser").select(
            "#tbl-seg-all tbody tr"
        )
    }
    unlinked, broken, links = [], [], 0
    for page in sorted((html_dir / "book").glob("*.html")):
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("article")
        if article is None:
            continue
        for a in article.select("a.segment-link"):
            links += 1
            if a["href"].split("#")[-1] not in anchors:
                broken.append(f"{page.name}: {a['href']}")
        for text in article.find_all(string=re.compile(r"SEG-[A-Z]+(?:-[A-Z]+)*-\d{3}")):
            if text.find_parent(["a", "button", "script", "code", "pre"]) is None:
                unlinked.append(f"{page.name}: {text.strip()[:40]}")
    assert broken == [] and unlinked == []
    assert links > 400


# --- the checks fire on a broken page ------------------------------------------------------


def test_the_browser_check_catches_each_kind_of_problem(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>坏页</title>
        <script src="https://cdn.example.org/lib.js"></script></head><body><main>
        <h1>坏页</h1><img src="local.png">
        <div class="book-chart" id="vega-broken" role="img" aria-label="一张不会被画出的图"></div>
        <script>console.error("boom from the page");</script>
        </main></body></html>""",
        encoding="utf-8",
    )
    (tmp_path / "local.png").write_bytes(b"")
    [report], _ = check_site(tmp_path, pages=[page], axe=True, settle=2.0)
    assert report.page == "bad.html"
    assert report.blocked_requests == ["https://cdn.example.org/lib.js"]
    assert any("boom from the page" in line for line in report.console_errors)
    assert report.unrendered_charts == ["vega-broken"]
    assert any("image-alt" in line for line in report.axe)
