"""What a rebuild executes again: each rule of :mod:`bookkit.sphinx.execute` on a small book.

The book lives in a scratch copy of the project's code and data (``PYTHONPATH`` points the
kernels and Sphinx at it), so its files can be edited. Four pages:

* ``notes``: glues a field of ``data/raw/source_studies.csv``;
* ``regions``: glues the number of rows of ``data/raw/did_regions.csv``;
* ``provenance``: the data appendix's own build (every checksum, every quotation);
* ``index``: pastes ``notes``'s value (``{glue:text}`notes.md::...```) and executes nothing of it.

Each build is the plain ``jupyter-book build . --all -W -n --keep-going``, without make.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from analysis.data import paths

JB = str(Path(sys.executable).parent / "jupyter-book")
FRONT = (
    "---\njupytext:\n  text_representation: {extension: .md, format_name: myst, format_version: 0.13}\n"
    "kernelspec: {display_name: Python 3, language: python, name: python3}\n---\n\n# 一页\n\n"
)
COPIED = ("analysis", "bookkit", "checks", "data", "uv.lock", "pyproject.toml", "_config.yml")
GLUE = "from analysis.report.page import PageOutput\nfrom bookkit.glue import glue_page\n"
IMPORTS = "from analysis.data import io\n" + GLUE + "\n"
PAGES = {
    "index": (
        f"```{{code-cell}} ipython3\n{GLUE}\n"
        'out = PageOutput()\nout.value("mini_home", 1)\nglue_page(out)\n```\n\n'
        "首页 {glue:text}`mini_home`，引自另一页：{glue:text}`notes.md::mini_note:s`。\n"
    ),
    "notes": (
        f"```{{code-cell}} ipython3\n{IMPORTS}out = PageOutput()\n"
        'out.value("mini_note", str(io.load_table("source_studies")["note_en"].iloc[0]))\n'
        "glue_page(out)\n```\n\n"
        "注：{glue:text}`mini_note`。\n"
    ),
    "regions": (
        f"```{{code-cell}} ipython3\n{IMPORTS}out = PageOutput()\n"
        'out.value("mini_regions", len(io.load_table("did_regions")))\nglue_page(out)\n```\n\n'
        "共 {glue:text}`mini_regions` 行。\n"
    ),
    "provenance": (
        "```{code-cell} ipython3\nfrom analysis.chapters import data_sources\n"
        "from bookkit.glue import glue_page\n\n"
        "glue_page(data_sources.build())\n```\n\n{glue:text}`ds_provenance`。\n"
    ),
}
NEW_NOTE = "edited by the rebuild test"
PROSE_EDIT = "只改文字的一句。"
Steps = dict[str, dict[str, Any]]


def _make_book(root: Path) -> None:
    for name in COPIED:
        source = paths.PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / "book").mkdir()
    shutil.copy(paths.BOOK_DIR / "references.bib", root / "book" / "references.bib")
    # a numbered part and an unnumbered appendix, as the book has: the appendix page (regions) is
    # lettered by bookkit.sphinx.numbering, and it is not read again by the incremental build below
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n"
        "  - caption: 正文\n    numbered: true\n    chapters:\n"
        "      - file: book/notes\n      - file: book/provenance\n"
        "  - caption: 附录\n    chapters:\n      - file: book/regions\n",
        encoding="utf-8",
    )
    for name, body in PAGES.items():
        (root / "book" / f"{name}.md").write_text(FRONT + body, encoding="utf-8")


def _build(root: Path, *, full: bool = True) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(root), SEEDS_DIR=str(paths.seeds_dir()), BOOK_WORKERS="2")
    done = subprocess.run(
        [JB, "build", ".", *(["--all"] if full else []), "-W", "-n", "--keep-going"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary_file = root / "_build" / "execution.json"
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {}
    html = {
        name: (root / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")
        for name in PAGES
        if (root / "_build" / "html" / "book" / f"{name}.html").is_file()
    }
    return {"code": done.returncode, "log": done.stdout + done.stderr, "summary": summary, "html": html}


def _edit_note(root: Path, note: str, *, rehash: bool) -> None:
    """Set the first study's ``note_en``; with ``rehash``, record the new sha256 in the manifest."""
    import csv
    import io as text_io

    path = root / "data" / "raw" / "source_studies.csv"
    old_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = list(csv.reader(text_io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index("note_en")] = note
    out = text_io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    if rehash:
        manifest = root / "data" / "MANIFEST.yaml"
        text = manifest.read_text(encoding="utf-8")
        assert text.count(old_hash) == 1
        manifest.write_text(
            text.replace(old_hash, hashlib.sha256(path.read_bytes()).hexdigest()), encoding="utf-8"
        )


def _written(step: dict[str, Any]) -> list[str]:
    """The pages Sphinx wrote (its log's ``writing output... [ n%] page`` lines)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", step["log"])
    return sorted(set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", plain)))


def _executed(step: dict[str, Any]) -> list[str]:
    return sorted(step["summary"].get("executed", []))


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> Steps:
    if not paths.seeds_dir().is_dir():
        pytest.skip(
            f"seeds folder {paths.seeds_dir()} is absent (set SEEDS_DIR): the provenance page needs it"
        )
    root = tmp_path_factory.mktemp("rebuild") / "book"
    root.mkdir()
    _make_book(root)
    done = {"cold": _build(root)}
    _edit_note(root, NEW_NOTE, rehash=True)
    done["data_edit"] = _build(root)
    _edit_note(root, NEW_NOTE + " twice", rehash=True)
    done["incremental_data_edit"] = _build(root, full=False)
    with (root / "book" / "notes.md").open("a", encoding="utf-8") as handle:
        handle.write(f"\n{PROSE_EDIT}\n")
    done["incremental_prose_edit"] = _build(root, full=False)
    with (root / "checks" / "site.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit of a module that no page imports\n")
    done["unused_module_edit"] = _build(root)
    _edit_note(root, NEW_NOTE + " again", rehash=False)
    done["unrecorded_data_edit"] = _build(root)
    return done


def test_cold_build_executes_every_page(steps: Steps) -> None:
    cold = steps["cold"]
    assert cold["code"] == 0, cold["log"][-3000:]
    assert _executed(cold) == ["book/index", "book/notes", "book/provenance", "book/regions"]


def test_data_edit_executes_the_pages_that_read_the_file_and_no_other(
    steps: Steps,
) -> None:
    step = steps["data_edit"]
    assert step["code"] == 0, step["log"][-3000:]
    # notes read source_studies.csv; the data appendix checks every file; regions and the front
    # page read neither (regions reads the manifest, whose other checksums do not concern it)
    assert _executed(step) == ["book/notes", "book/provenance"]
    assert "data/raw/source_studies.csv changed" in step["summary"]["pages"]["book/notes"]["reasons"]


def _read(step: dict[str, Any]) -> list[str]:
    """The pages Sphinx read, in its order (``reading sources... [ n%] page``)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", step["log"])
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", plain)


def test_the_other_pages_are_read_while_the_edited_ones_execute(steps: Steps) -> None:
    # with --all every page is read: those not executing first, while notes and provenance run
    order = _read(steps["data_edit"])
    assert sorted(order) == ["book/index", "book/notes", "book/provenance", "book/regions"]
    assert set(order[:2]) == {"book/index", "book/regions"}


def test_plain_build_after_a_data_edit_shows_the_new_value(steps: Steps) -> None:
    step = steps["data_edit"]
    assert NEW_NOTE in step["html"]["notes"]
    assert NEW_NOTE in step["html"]["index"]
    assert NEW_NOTE not in steps["cold"]["html"]["index"]


def test_incremental_build_rereads_the_pages_that_paste_an_executed_pages_glue(steps: Steps) -> None:
    # without --all Sphinx reads only what changed; the front page pastes the notes page's value
    step = steps["incremental_data_edit"]
    assert step["code"] == 0, step["log"][-3000:]
    assert _executed(step) == ["book/notes", "book/provenance"]
    assert step["summary"]["reread_for_glue"] == ["book/index"]
    assert NEW_NOTE + " twice" in step["html"]["notes"]
    assert NEW_NOTE + " twice" in step["html"]["index"]


def test_incremental_build_after_a_prose_edit_executes_nothing(steps: Steps) -> None:
    # the appendix page was lettered by the build before and is not read again: its stale number
    # must not reach the section numbering (sphinx-external-toc's KeyError for the appendix)
    step = steps["incremental_prose_edit"]
    assert step["code"] == 0, step["log"][-3000:]
    assert _executed(step) == []
    assert PROSE_EDIT in step["html"]["notes"]
    # only the edited page is written again, with the root whose table of contents lists its
    # title (Sphinx's own rule): the appendix keeps its letters without being reported as
    # renumbered (un-lettering and lettering it again used to rewrite 14 pages)
    assert _written(step) == ["book/index", "book/notes"]


def test_plain_build_after_a_data_edit_runs_the_provenance_check(steps: Steps) -> None:
    edited = steps["data_edit"]["summary"]["pages"]["book/provenance"]
    assert edited["executed"]
    assert "data/raw/source_studies.csv changed" in edited["reasons"]
    # a data edit whose checksum was not recorded in the manifest fails the build, naming the file
    unrecorded = steps["unrecorded_data_edit"]
    assert unrecorded["code"] != 0
    assert "book/provenance failed" in unrecorded["log"]
    assert "data/raw/source_studies.csv: sha256" in unrecorded["log"]


def test_unrelated_module_edit_executes_nothing(steps: Steps) -> None:
    step = steps["unused_module_edit"]
    assert step["code"] == 0, step["log"][-3000:]
    assert _executed(step) == []
