"""What the build keeps from one run to the next, and when it makes it again.

Each cache of the book's Sphinx extension is checked for both halves of its rule: kept while
what it was made from is unchanged, made again when that changes (or when the kept copy does).
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bookkit.sphinx import exports, pool, search, vega


def _app(tmp_path: Path, **extra: Any) -> Any:
    out = tmp_path / "_build" / "html"
    out.mkdir(parents=True, exist_ok=True)
    doctrees = tmp_path / "_build" / ".doctrees"
    doctrees.mkdir(parents=True, exist_ok=True)
    return SimpleNamespace(
        outdir=str(out),
        doctreedir=str(doctrees),
        srcdir=str(Path(__file__).resolve().parents[1]),
        builder=SimpleNamespace(format="html", __dict__={}),
        **extra,
    )


# --- the offline Vega bundle ----------------------------------------------------------------------


def _vega_app(tmp_path: Path) -> Any:
    scripts: list[str] = []
    app = _app(tmp_path, config=SimpleNamespace(html_static_path=[]), add_js_file=scripts.append)
    return app


def test_the_vega_bundle_is_made_once_per_vl_convert_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(vega, "javascript_bundle", lambda: calls.append(1) or "window.vegaEmbed=1;")
    vega.write_bundle(_vega_app(tmp_path))
    vega.write_bundle(_vega_app(tmp_path))
    assert calls == [1]
    bundle = tmp_path / "_build" / ".vega" / vega.BUNDLE_NAME
    bundle.write_text("changed", encoding="utf-8")
    vega.write_bundle(_vega_app(tmp_path))
    assert calls == [1, 1]
    assert "window.vegaEmbed=1;" in bundle.read_text(encoding="utf-8")
    stamp = bundle.with_name(bundle.name + ".version")
    stamp.write_text(
        stamp.read_text(encoding="utf-8").replace("vl-convert-python", "another"), encoding="utf-8"
    )
    vega.write_bundle(_vega_app(tmp_path))
    assert calls == [1, 1, 1]


# --- the coding's exports --------------------------------------------------------------------------


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_the_exports_are_written_only_for_a_book_that_links_them(tmp_path: Path) -> None:
    book = tmp_path / "small"
    (book / "book").mkdir(parents=True)
    (book / "book" / "index.md").write_text("# 小书\n", encoding="utf-8")
    app = _app(book, config=SimpleNamespace(external_site_map={"book/index": None}))
    app.srcdir = str(book)
    exports.write_exports(app)
    assert not (book / "_build" / "exports").exists()
    (book / "book" / "index.md").write_text(
        "{download}`表 <../_build/exports/codebook.csv>`\n", encoding="utf-8"
    )
    exports.write_exports(app)
    assert (book / "_build" / "exports" / "codebook.csv").is_file()


def test_the_exports_are_written_again_only_when_what_they_are_made_from_changed(tmp_path: Path) -> None:
    app = _app(tmp_path)
    folder = tmp_path / "_build" / "exports"
    exports.write_exports(app)
    record = json.loads((folder / exports.RECORD).read_text(encoding="utf-8"))
    assert record["written"] and any(p.endswith("/data/MANIFEST.yaml") for p in record["inputs"]["files"])
    assert any(p.endswith("/analysis/coding/refiqda.py") for p in record["inputs"]["modules"])
    first = _mtimes(folder)
    exports.write_exports(app)
    assert _mtimes(folder) == first  # nothing changed: nothing written

    name = next(iter(record["written"]))
    (folder / name).unlink()  # a file removed since is written again
    exports.write_exports(app)
    assert (folder / name).is_file()

    stored = json.loads((folder / exports.RECORD).read_text(encoding="utf-8"))
    module = next(m for m in stored["inputs"]["modules"] if m.endswith("/analysis/coding/refiqda.py"))
    stored["inputs"]["modules"][module] = "0" * 64  # as if the module had changed since
    (folder / exports.RECORD).write_text(json.dumps(stored), encoding="utf-8")
    before = _mtimes(folder)
    exports.write_exports(app)
    after = _mtimes(folder)
    assert all(after[n] != before[n] for n in stored["written"])


# --- the search index's word cuts and the result snippets ------------------------------------------


def test_search_cuts_are_kept_per_page_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, env=SimpleNamespace(all_docs={"book/a": 1, "book/b": 1}))
    search.load_cuts(app)
    lang = search.ChineseSearch({})
    search._CUTS.doc = "book/a"
    cut = lang.split("价值共创的整体智治")
    search._CUTS.doc = "book/b"
    lang.split("跨省通办")
    search.save_cuts(app, None)

    import jieba

    def refuse(text: str) -> list[str]:
        raise AssertionError(f"cut again: {text}")

    monkeypatch.setattr(jieba, "cut_for_search", refuse)
    search.load_cuts(app)
    lang = search.ChineseSearch({})
    search._CUTS.doc = "book/a"
    assert lang.split("价值共创的整体智治") == cut
    search.save_cuts(app, None)  # book/b not indexed this time: its cuts are kept
    with Path(app.doctreedir, search._Cuts.FILE).open("rb") as handle:
        made_with, pages = pickle.load(handle)
    assert set(pages) == {"book/a", "book/b"} and made_with.startswith("jieba ")

    # cuts made with another jieba (or user dictionary) are not used
    with Path(app.doctreedir, search._Cuts.FILE).open("wb") as handle:
        pickle.dump(("jieba 0.0 other", pages), handle)
    search.load_cuts(app)
    lang = search.ChineseSearch({})
    search._CUTS.doc = "book/a"
    with pytest.raises(AssertionError, match="cut again"):
        lang.split("价值共创的整体智治")


def test_search_texts_keep_the_pages_an_incremental_build_did_not_write(tmp_path: Path) -> None:
    app = _app(tmp_path, env=SimpleNamespace(all_docs={"book/a": 1, "book/b": 1}))
    (Path(app.outdir) / "_static").mkdir()
    app.builder.__dict__["book_search_texts"] = {
        "book/a": "<p>甲</p>",
        "book/b": "<p>乙</p>",
        "book/gone": "",
    }
    search.write_texts(app, None)
    app.env.all_docs = {"book/a": 1, "book/b": 1}
    app.builder.__dict__["book_search_texts"] = {"book/a": "<p>甲二</p>"}
    search.write_texts(app, None)
    text = (Path(app.outdir) / "_static" / search.TEXTS_JS).read_text(encoding="utf-8")
    assert "甲二" in text and "乙" in text and "book/gone" not in text and "<p>甲</p>" not in text


# --- the order in which executing pages are read --------------------------------------------------


def test_executing_pages_are_read_in_the_order_they_are_expected_to_finish() -> None:
    jobs = [
        pool.Job(name, "", "", expected_seconds=s)
        for name, s in (("short", 2.0), ("long", 60.0), ("mid", 30.0), ("tail", 25.0), ("new", -0.001))
    ]
    # two workers: long (0-60); mid (0-30), tail (30-55), short (55-57), new (57-57)
    assert pool.finishing_order(jobs, 2) == ["mid", "tail", "short", "new", "long"]
    assert pool.finishing_order(jobs, 1) == ["long", "mid", "tail", "short", "new"]


def test_a_page_uses_every_core_only_when_it_is_expected_to_run_alone() -> None:
    def jobs(**seconds: float) -> list[pool.Job]:
        return [pool.Job(name, "", "", expected_seconds=s) for name, s in seconds.items()]

    # a data edit: the SEM chapter beside the short data appendix
    assert pool.core_shares(jobs(sem=17.0, data=5.7), 2, cores=2) == {"sem": 2, "data": 1}
    # a whole build: the pages fill both workers, none runs alone
    full = jobs(did=63.0, policy=34.0, sem=23.0, cross=13.0, a=8.0, b=7.0, c=6.0)
    assert set(pool.core_shares(full, 2, cores=2).values()) == {1}
    # no previous durations: one each; one worker: every page runs alone
    assert set(pool.core_shares(jobs(x=0.0, y=-0.001), 2, cores=2).values()) == {1}
    assert pool.core_shares(full, 1, cores=2) == dict.fromkeys(
        ["did", "policy", "sem", "cross", "a", "b", "c"], 2
    )


def test_the_kernel_is_told_its_share_of_the_cores() -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("import os\nprint(os.environ['BOOK_PAGE_CORES'])"))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # one worker, a page with a previous duration: it runs alone, with every core
    job = pool.Job("page", nbformat.writes(notebook), ".", timeout=120, expected_seconds=10.0)
    (outcome,) = pool.execute([job], 1)
    assert outcome.error is None, outcome.error
    cell = nbformat.reads(outcome.notebook, as_version=4).cells[0]
    assert cell.outputs[0]["text"].strip() == str(os.cpu_count())


def test_every_page_has_a_first_build_hint() -> None:
    """The hints cover the book's pages (a page without one would start last on a first build)."""
    from analysis.data import paths
    from bookkit.sphinx.execute import HINTS

    hints = json.loads(HINTS.read_text(encoding="utf-8"))
    pages = {f"book/{p.stem}" for p in paths.BOOK_DIR.glob("*.md")} - {"book/references"}
    executed = {
        p for p in pages if "```{code-cell}" in (paths.PROJECT_ROOT / f"{p}.md").read_text(encoding="utf-8")
    }
    assert executed <= set(hints), sorted(executed - set(hints))
    assert all(isinstance(v, float) and v > 0 for v in hints.values())
