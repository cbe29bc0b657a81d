"""The strict build fails on what it must not let through (each case is a tiny book)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.data import paths

JB = str(Path(sys.executable).parent / "jupyter-book")
FRONT = (
    "---\njupytext:\n  text_representation: {extension: .md, format_name: myst, format_version: 0.13}\n"
    "kernelspec: {display_name: Python 3, language: python, name: python3}\n---\n\n(mini)=\n# 小书\n\n"
)
OK_CELL = (
    "```{code-cell} ipython3\nfrom analysis.report.page import PageOutput\n"
    "from bookkit.glue import glue_page\n\n"
    'out = PageOutput()\nout.value("mini_n", 3)\nglue_page(out)\n```\n\n'
    "共 {glue:text}`mini_n` 个。\n"
)

CASES: dict[str, tuple[str, bool]] = {
    "clean": (OK_CELL, True),
    "failing_cell": ("```{code-cell} ipython3\n1 / 0\n```\n", False),
    "numpy_scalar_via_myst_nb": (
        "```{code-cell} ipython3\nimport numpy as np\nfrom myst_nb import glue\n"
        'glue("mini_x", np.float64(0.25), display=False)\n```\n\n值为 {glue:text}`mini_x:.2f`。\n',
        False,
    ),
    "broken_reference": (OK_CELL + "\n见 {ref}`no-such-label`。\n", False),
    "stderr_output": ("```{code-cell} ipython3\nimport sys\nprint('oops', file=sys.stderr)\n```\n", False),
    "paired_ipynb": (OK_CELL, True),
}


def _build(name: str, tmp: Path) -> tuple[str, int, str]:
    body, _ = CASES[name]
    root = tmp / name
    (root / "book").mkdir(parents=True)
    shutil.copy(paths.PROJECT_ROOT / "_config.yml", root / "_config.yml")
    shutil.copy(paths.BOOK_DIR / "references.bib", root / "book" / "references.bib")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n", encoding="utf-8")
    (root / "book" / "index.md").write_text(FRONT + body, encoding="utf-8")
    if name == "paired_ipynb":
        # A stale paired notebook whose content differs: the MyST source must win.
        import jupytext

        nb = jupytext.reads(FRONT + "STALE_NOTEBOOK_TEXT\n", fmt="myst")
        jupytext.write(nb, root / "book" / "index.ipynb")
    done = subprocess.run(
        [JB, "build", str(root), "--all", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    html = root / "_build" / "html" / "book" / "index.html"
    text = html.read_text(encoding="utf-8") if html.is_file() else ""
    return name, done.returncode, text


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    tmp = tmp_path_factory.mktemp("mini")
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda n: _build(n, tmp), CASES))
    return {name: (code, html) for name, code, html in done}


@pytest.mark.parametrize("case", list(CASES))
def test_build_outcome(results: dict[str, tuple[int, str]], case: str) -> None:
    code, _ = results[case]
    should_pass = CASES[case][1]
    assert (code == 0) == should_pass, f"{case}: exit code {code}"


def test_paired_notebook_does_not_shadow_the_source(results: dict[str, tuple[int, str]]) -> None:
    _, html = results["paired_ipynb"]
    assert "STALE_NOTEBOOK_TEXT" not in html
    assert '<span class="pasted-text">3</span>' in html
