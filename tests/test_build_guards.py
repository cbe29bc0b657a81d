"""The strict build fails on what it must not let through (each case is a tiny book).

Every page is executed by the book's extension (:mod:`bookkit.sphinx.execute`) in its process
pool before MyST-NB reads it. The one-page cases run one page at a time; the ``parallel_*`` cases
are two-page books built with two workers, where the failing page executes beside a clean one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from analysis.cores import CORES_ENV
from analysis.data import paths
from bookkit.sphinx import pool

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
FAILING_CELL = "```{code-cell} ipython3\n1 / 0\n```\n"
STDERR_CELL = "```{code-cell} ipython3\nimport sys\nprint('oops', file=sys.stderr)\n```\n"
SLOW_CELL = "```{code-cell} ipython3\nimport time\ntime.sleep(120)\n```\n"
#: the per-cell timeout of the timeout cases (the book's own is 300 s)
SHORT_TIMEOUT = 5
SECOND = "---\njupytext:\n  text_representation: {extension: .md, format_name: myst, format_version: 0.13}\n"
SECOND += "kernelspec: {display_name: Python 3, language: python, name: python3}\n---\n\n# 第二页\n\n"

#: name -> (index page body, second page body or None, whether the build must pass)
CASES: dict[str, tuple[str, str | None, bool]] = {
    "clean": (OK_CELL, None, True),
    "failing_cell": (FAILING_CELL, None, False),
    "numpy_scalar_via_myst_nb": (
        "```{code-cell} ipython3\nimport numpy as np\nfrom myst_nb import glue\n"
        'glue("mini_x", np.float64(0.25), display=False)\n```\n\n值为 {glue:text}`mini_x:.2f`。\n',
        None,
        False,
    ),
    "broken_reference": (OK_CELL + "\n见 {ref}`no-such-label`。\n", None, False),
    "stderr_output": (STDERR_CELL, None, False),
    "timeout": (SLOW_CELL, None, False),
    "paired_ipynb": (OK_CELL, None, True),
    "parallel_clean": (OK_CELL, OK_CELL.replace("mini_n", "mini_m"), True),
    "parallel_failing_cell": (OK_CELL, FAILING_CELL, False),
    "parallel_stderr_output": (OK_CELL, STDERR_CELL, False),
    "parallel_timeout": (OK_CELL, SLOW_CELL, False),
}


Result = tuple[int, str, str, dict[str, object]]


def _build(name: str, tmp: Path) -> tuple[str, Result]:
    index, second, _ = CASES[name]
    root = tmp / name
    (root / "book").mkdir(parents=True)
    config = (paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    if "timeout" in name:
        assert "timeout: 300" in config
        config = config.replace("timeout: 300", f"timeout: {SHORT_TIMEOUT}")
    (root / "_config.yml").write_text(config, encoding="utf-8")
    shutil.copy(paths.BOOK_DIR / "references.bib", root / "book" / "references.bib")
    toc = "format: jb-book\nroot: book/index\n"
    if second is not None:
        toc += "chapters:\n  - file: book/second\n"
        (root / "book" / "second.md").write_text(SECOND + second, encoding="utf-8")
    (root / "_toc.yml").write_text(toc, encoding="utf-8")
    (root / "book" / "index.md").write_text(FRONT + index, encoding="utf-8")
    if name == "paired_ipynb":
        # A stale paired notebook whose content differs: the MyST source must win.
        import jupytext

        nb = jupytext.reads(FRONT + "STALE_NOTEBOOK_TEXT\n", fmt="myst")
        jupytext.write(nb, root / "book" / "index.ipynb")
    workers = "2" if second is not None else "1"
    done = subprocess.run(
        [JB, "build", ".", "--all", "-W", "-n", "--keep-going"],
        cwd=root,  # the execution cache (_build/.jupyter_cache) is the mini-book's own
        env=dict(os.environ, BOOK_WORKERS=workers),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    html = root / "_build" / "html" / "book" / "index.html"
    text = html.read_text(encoding="utf-8") if html.is_file() else ""
    summary_file = root / "_build" / "execution.json"
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {}
    return name, (done.returncode, text, done.stdout + done.stderr, summary)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    tmp = tmp_path_factory.mktemp("mini")
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(lambda n: _build(n, tmp), CASES))


@pytest.mark.parametrize("case", list(CASES))
def test_build_outcome(results: dict[str, Result], case: str) -> None:
    code, _, log, _ = results[case]
    should_pass = CASES[case][2]
    assert (code == 0) == should_pass, f"{case}: exit code {code}\n{log[-3000:]}"


def test_paired_notebook_does_not_shadow_the_source(results: dict[str, Result]) -> None:
    _, html, _, _ = results["paired_ipynb"]
    assert "STALE_NOTEBOOK_TEXT" not in html
    assert '<span class="pasted-text">3</span>' in html


@pytest.mark.parametrize("case", ["failing_cell", "parallel_failing_cell"])
def test_failing_page_is_named(results: dict[str, Result], case: str) -> None:
    _, _, log, _ = results[case]
    failing = "book/index" if case == "failing_cell" else "book/second"
    assert f"{failing} failed" in log, log[-4000:]
    assert "ZeroDivisionError" in log, log[-4000:]


def test_a_failing_cell_is_named_even_without_a_traceback() -> None:
    """The kernel may reply to a failing cell with an empty traceback: the error still names it."""
    from nbclient.exceptions import CellExecutionError

    cell = nbformat.v4.new_code_cell("1 / 0")
    reply = {"status": "error", "traceback": [], "ename": "ZeroDivisionError", "evalue": "division by zero"}
    message = pool._error_message(CellExecutionError.from_cell_and_msg(cell, reply))
    assert message.startswith("ZeroDivisionError: division by zero\n")
    assert "1 / 0" in message


@pytest.mark.parametrize("case", ["stderr_output", "parallel_stderr_output"])
def test_stderr_is_an_error_before_anything_is_cached(results: dict[str, Result], case: str) -> None:
    _, _, log, _ = results[case]
    assert "output on stderr" in log
    assert "oops" in log


@pytest.mark.parametrize("case", ["timeout", "parallel_timeout"])
def test_a_cell_past_the_timeout_fails_the_build(results: dict[str, Result], case: str) -> None:
    _, _, log, _ = results[case]
    assert "CellTimeoutError" in log or "timed out" in log


def test_parallel_build_executes_both_pages(results: dict[str, Result]) -> None:
    code, html, log, summary = results["parallel_clean"]
    assert code == 0, log[-3000:]
    assert summary["workers"] == 2
    assert summary["executed"] == ["book/index", "book/second"]
    assert '<span class="pasted-text">3</span>' in html


def _print_job() -> pool.Job:
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("print(6 * 7)"))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return pool.Job("page", nbformat.writes(notebook), ".", timeout=120, expected_seconds=1.0)


@pytest.fixture
def worker_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_job`` sets the kernel's environment in its (worker) process: restore it here."""
    for name in [*pool.KERNEL_ENV, CORES_ENV]:
        monkeypatch.setenv(name, os.environ.get(name, ""))


@pytest.mark.usefixtures("worker_env")
@pytest.mark.parametrize("deaths", [1, pool.KERNEL_STARTS])
def test_a_kernel_that_dies_starting_is_started_once_more(
    monkeypatch: pytest.MonkeyPatch, deaths: int
) -> None:
    """A kernel that dies before it replies (a port taken meanwhile) gets a new start, and only one."""
    real = NotebookClient.start_new_kernel_client
    starts: list[int] = []

    def dies_first(self: NotebookClient) -> object:
        starts.append(1)
        if len(starts) <= deaths:
            self._cleanup_kernel()  # as nbclient does when its client cannot reach the kernel
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self)

    monkeypatch.setattr(NotebookClient, "start_new_kernel_client", dies_first)
    outcome = pool.run_job(_print_job())
    assert len(starts) == min(deaths + 1, pool.KERNEL_STARTS)
    if deaths < pool.KERNEL_STARTS:
        assert outcome.error is None, outcome.error
        assert nbformat.reads(outcome.notebook, as_version=4).cells[0].outputs[0]["text"].strip() == "42"
    else:
        assert outcome.error == "RuntimeError: Kernel died before replying to kernel_info"
