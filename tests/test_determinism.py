"""A second, independent execution of every chapter glues exactly the same values.

The second execution goes through the build's own process pool (:mod:`bookkit.sphinx.pool`, as
many workers as the build: ``$BOOK_WORKERS``, 2 by default), bypassing every cache.

The volatile keys (the commit, its date, the dirty flag, the Python patch version) describe the
checkout, not the data, and change whenever a commit lands between the build and the tests.
"""

from __future__ import annotations

import json

import jupytext
import nbformat

from analysis.data import paths
from bookkit.registry import VOLATILE_KEYS, notebook_glue, read_registry
from bookkit.sphinx import pool
from bookkit.sphinx.execute import SUMMARY


def _timings() -> dict[str, float]:
    try:
        pages = json.loads((paths.BUILD_DIR / SUMMARY).read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return {}
    return {name: float(page["seconds"] or 0) for name, page in pages.items()}


def test_second_clean_execution_gives_identical_glue() -> None:
    built = [r for r in read_registry(paths.GLUE_REGISTRY) if r["key"] not in VOLATILE_KEYS]
    pages = sorted({row["page"] for row in built})
    assert pages, "the build glued nothing"
    seconds = _timings()
    jobs = []
    for page in pages:
        source = paths.PROJECT_ROOT / f"{page}.md"
        jobs.append(
            pool.Job(
                name=page,
                notebook=nbformat.writes(jupytext.read(source)),
                cwd=str(source.parent),
                timeout=600,
                expected_seconds=seconds.get(page, 0.0),
            )
        )
    outcomes = list(pool.execute(jobs, pool.workers()))
    failed = [f"{o.name}: {o.error}" for o in outcomes if o.error]
    assert not failed, "\n".join(failed)
    again = sorted(
        (
            r
            for o in outcomes
            for r in notebook_glue(nbformat.reads(o.notebook, as_version=4), o.name)
            if r["key"] not in VOLATILE_KEYS
        ),
        key=lambda r: (r["page"], r["key"]),
    )
    assert again == built


def test_kernels_run_with_one_blas_thread_and_fixed_hashing() -> None:
    # the pool's kernels run side by side: each gets one BLAS thread and PYTHONHASHSEED=0, whatever
    # the environment of the command that started the build
    cell = (
        "import os\nimport numpy\nfrom threadpoolctl import threadpool_info\n"
        "print(os.environ['PYTHONHASHSEED'], sorted({i['num_threads'] for i in threadpool_info()}))"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    job = pool.Job(name="probe", notebook=nbformat.writes(notebook), cwd=str(paths.PROJECT_ROOT), timeout=120)
    (outcome,) = pool.execute([job], 1)
    assert outcome.error is None, outcome.error
    printed = nbformat.reads(outcome.notebook, as_version=4).cells[0].outputs[0]["text"]
    assert printed.strip() == "0 [1]"
