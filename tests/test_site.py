"""Checks on the built site (`make test` builds it from a clean _build first)."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from analysis import glue_registry, paths, sitecheck


def test_site_loads_nothing_from_another_host(html_dir: Path) -> None:
    assert sitecheck.external_loads(html_dir) == []


def test_no_inline_glue_rendered_empty(html_dir: Path) -> None:
    assert sitecheck.empty_glue(html_dir) == []


def test_every_figure_and_table_has_label_and_caption(html_dir: Path) -> None:
    assert sitecheck.unlabelled_figures_and_tables(html_dir) == []


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
SEED_DEPENDENT_KEYS = frozenset({"ds_provenance"})


def test_glue_registry_matches_golden() -> None:
    actual = glue_registry.read_registry(paths.GLUE_REGISTRY)
    expected = glue_registry.read_registry(glue_registry.GOLDEN)
    skip = glue_registry.VOLATILE_KEYS
    if not paths.seeds_dir().is_dir():
        warnings.warn(f"seeds absent: golden comparison skips {sorted(SEED_DEPENDENT_KEYS)}", stacklevel=1)
        skip = skip | SEED_DEPENDENT_KEYS
    problems = glue_registry.compare_registries(
        actual, expected, rel_tol=glue_registry.GOLDEN_REL_TOL, skip=skip
    )
    assert problems == [], "glue changed; if intended, run `make golden` and review:\n" + "\n".join(problems)


def test_registry_values_are_plain() -> None:
    for row in glue_registry.read_registry(paths.GLUE_REGISTRY):
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
    assert sitecheck.external_loads(tmp_path)


def test_external_links_are_not_loads(tmp_path: Path) -> None:
    _page(tmp_path, '<a href="https://doi.org/10.1000/x">doi</a>')
    assert sitecheck.external_loads(tmp_path) == []


def test_empty_glue_is_caught(tmp_path: Path) -> None:
    _page(tmp_path, '<p>共有 <span class="pasted-text"></span> 个</p>')
    assert sitecheck.empty_glue(tmp_path)


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
    assert sitecheck.unlabelled_figures_and_tables(tmp_path)


def test_golden_comparison_catches_a_changed_number() -> None:
    golden = [{"page": "p", "key": "k_x", "value": 1.0}, {"page": "p", "key": "k_s", "value": "a"}]
    assert glue_registry.compare_registries(golden, golden) == []
    assert (
        glue_registry.compare_registries(
            [{"page": "p", "key": "k_x", "value": 1.0 + 1e-9}, golden[1]], golden
        )
        == []
    )
    moved = [{"page": "p", "key": "k_x", "value": 1.01}, golden[1]]
    assert glue_registry.compare_registries(moved, golden) == ["changed: p::k_x: 1.0 -> 1.01"]
    assert glue_registry.compare_registries(golden[:1], golden) == ["missing: p::k_s"]
