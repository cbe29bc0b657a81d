"""Strict execution of pages in a process pool, and what each page used.

A :class:`Job` is one page's notebook (read from its MyST source as MyST-NB reads it). A worker
runs it with nbclient in the page's folder, exactly as jupyter-cache would, then asks the kernel,
in one extra cell that is removed again, what the page used: every module in ``sys.modules`` with
a file, and every file read through :func:`analysis.data.io.opened_files` with the SHA-256 of the
bytes read. :func:`start` runs jobs in a pool of worker processes, longest first, and
:func:`finishing_order` says in which order they are expected to finish; :func:`execute` yields
their outcomes.

Strict on every path: an error in a cell (unless the page allows errors), a cell that runs past the
timeout or a dead kernel gives an :class:`Outcome` with ``error`` set; output on stderr is judged by
the caller (:func:`stderr_outputs`), which knows the book's ``stderr_output`` setting.

Every kernel runs with ``PYTHONHASHSEED=0``, whatever command started the build, so that ``make
book`` and a plain ``jupyter-book build`` execute the pages alike.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from analysis.cores import CORES_ENV

__all__ = [
    "DEFAULT_WORKERS",
    "INPUTS_MIME",
    "KERNEL_ENV",
    "WORKERS_ENV",
    "Job",
    "Outcome",
    "core_shares",
    "execute",
    "finishing_order",
    "run_job",
    "start",
    "stderr_outputs",
    "workers",
]

#: The MIME type of the probe's answer (never left in a cached notebook).
INPUTS_MIME = "application/vnd.bookkit.inputs+json"
#: The module whose ``opened_files()`` lists the files a page read (the only reader of data/).
RECORDER = "analysis.data.io"
#: Pages executed at once unless configured (``bookkit_execution_workers``) or overridden (``$BOOK_WORKERS``).
DEFAULT_WORKERS = 2
WORKERS_ENV = "BOOK_WORKERS"
#: Environment of every kernel: string hashing fixed; debugpy's frozen-module notice silenced;
#: one BLAS/OpenMP thread per kernel. The pages run side by side, one per core, and their matrices
#: are small: with OpenBLAS's default of a thread per core, two kernels' threads wait on each
#: other, and a 20 x 20 inverse in semopy's fit took 10 ms instead of 0.1 ms on a busy 2-core machine.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

PROBE = f"""\
import sys as _bk_sys
from IPython.display import display as _bk_display
_bk_io = _bk_sys.modules.get({RECORDER!r})
_bk_files = [getattr(m, "__file__", None) for m in list(_bk_sys.modules.values())]
_bk_display(
    {{
        {INPUTS_MIME!r}: {{
            "modules": sorted({{f for f in _bk_files if isinstance(f, str)}}),
            "files": _bk_io.opened_files() if hasattr(_bk_io, "opened_files") else {{}},
        }}
    }},
    raw=True,
)
"""


@dataclass(frozen=True)
class Job:
    """One page to execute: its notebook (nbformat JSON), folder, per-cell timeout and error policy."""

    name: str
    notebook: str
    cwd: str
    timeout: int | None = None
    allow_errors: bool = False
    #: the previous execution's duration, to start the longest pages first
    expected_seconds: float = 0.0
    #: processes the page's own computations may use (``$BOOK_PAGE_CORES``; :func:`core_shares`)
    cores: int = 1


@dataclass(frozen=True)
class Outcome:
    """An executed page: the notebook (JSON, without the probe) and what it used, or the error."""

    name: str
    notebook: str
    seconds: float
    error: str | None = None
    modules: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def _probe_answer(cell: Any) -> dict[str, Any] | None:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if INPUTS_MIME in data:
            answer: dict[str, Any] = dict(data[INPUTS_MIME])
            return answer
    return None


def _error_message(exc: BaseException) -> str:
    """What failed, first the error the cell raised (its name and value), then the details.

    A cell's error is named from the reply's ``ename`` and ``evalue``, not only from its traceback:
    the kernel may reply with an empty traceback (ipykernel sends whatever traceback its shell last
    kept), and nbclient's message is then the cell's source alone.
    """
    if isinstance(exc, CellExecutionError):
        return f"{exc.ename}: {exc.evalue}\n{exc}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else traceback.format_exc()


#: How often a page's kernel is started before its death while starting fails the page.
KERNEL_STARTS = 2


def _start_kernel(client: NotebookClient) -> None:
    """Start the page's kernel and its client; start them once more if the kernel dies starting.

    jupyter_client chooses free ports for the kernel, which binds them a moment later; a kernel
    starting in that moment elsewhere (the pool's other worker, another build) may take one, and
    the kernel then dies before it replies. Nothing of the page has run yet, so a new start is safe;
    a kernel that cannot start at all fails the page as before. ``client.execute()`` then uses it.
    """
    for attempt in range(1, KERNEL_STARTS + 1):
        client.create_kernel_manager()
        try:
            client.start_new_kernel()
            client.start_new_kernel_client()
            return
        except RuntimeError:  # "Kernel died before replying", "Kernel didn't respond in N seconds"
            if attempt == KERNEL_STARTS:
                raise
            if client.km is not None:  # nbclient cleaned up after a failed client, not a failed start
                with contextlib.suppress(Exception):
                    client._cleanup_kernel()
            client.km, client.kc = None, None


def run_job(job: Job) -> Outcome:
    """Execute one page (in a worker process) and ask its kernel what it used."""
    os.environ.update(KERNEL_ENV)
    os.environ[CORES_ENV] = str(job.cores)
    notebook = nbformat.reads(job.notebook, as_version=4)  # type: ignore[no-untyped-call]
    # as jupyter-cache does: the notebook's own metadata may set the timeout and the error policy
    timeout, allow_errors = job.timeout, job.allow_errors
    execution = notebook.metadata.get("execution", {})
    timeout = execution.get("timeout", timeout)
    allow_errors = execution.get("allow_errors", allow_errors)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))  # type: ignore[no-untyped-call]
    # no timing in the cells' metadata: jupyter-cache keys on it, as MyST-NB reads the page
    client = NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": job.cwd}},
    )
    start = time.perf_counter()
    try:
        _start_kernel(client)
        client.execute()
    except Exception as exc:  # a failing cell, a timeout, a dead kernel: all fail the page
        seconds = time.perf_counter() - start
        return Outcome(job.name, "", seconds, error=_error_message(exc))
    seconds = time.perf_counter() - start
    answer = _probe_answer(notebook.cells.pop())
    if answer is None:
        return Outcome(job.name, "", seconds, error="the kernel did not say which modules and files it used")
    return Outcome(
        job.name,
        nbformat.writes(notebook),  # type: ignore[no-untyped-call]
        seconds,
        modules=list(answer["modules"]),
        files=dict(answer["files"]),
    )


def stderr_outputs(notebook: str) -> list[str]:
    """Text written to stderr by the notebook's cells, one entry per cell that wrote any."""
    found = []
    for index, cell in enumerate(nbformat.reads(notebook, as_version=4).cells):  # type: ignore[no-untyped-call]
        outputs = cell.get("outputs", [])
        text = "".join(
            o.get("text", "")
            for o in outputs
            if o.get("output_type") == "stream" and o.get("name") == "stderr"
        )
        if text:
            found.append(f"cell {index}: {text.strip()}")
    return found


def workers(configured: object = DEFAULT_WORKERS) -> int:
    """Pages executed at once: ``$BOOK_WORKERS`` if set, else ``configured``; a whole number >= 1."""
    value = os.environ.get(WORKERS_ENV) or configured
    try:
        count = int(str(value))
    except ValueError:
        count = 0
    if count < 1:
        raise ValueError(f"{WORKERS_ENV} / bookkit_execution_workers: a whole number >= 1, not {value!r}")
    return count


def _context() -> Any:
    # fork: the workers need nothing re-imported, and the pool starts them before its own thread
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _schedule(jobs: Iterable[Job], workers: int) -> dict[str, tuple[float, float]]:
    """Each page's expected (start, end): longest first, on the worker that is free first."""
    free = [0.0] * max(1, workers)
    span = {}
    for job in sorted(jobs, key=lambda j: -j.expected_seconds):
        slot = min(range(len(free)), key=free.__getitem__)
        begin = free[slot]
        free[slot] += max(job.expected_seconds, 0.0)
        span[job.name] = (begin, free[slot])
    return span


def core_shares(jobs: Iterable[Job], workers: int, cores: int | None = None) -> dict[str, int]:
    """The processes each page's own computations may use.

    A page expected to run alone for at least half of its time (no other page beside it, by the
    schedule :func:`start` follows and the pages' previous durations) may use every core; any
    other page, or one without a previous duration, one. So a data edit that executes the SEM
    chapter beside the short data appendix lets its bootstrap use both cores, while in a whole
    build, where the pages fill the cores, no page starts processes that compete with the page
    beside it.
    """
    listed = list(jobs)
    total = max(1, cores if cores is not None else os.cpu_count() or 1)
    span = _schedule(listed, workers)
    shares = {}
    for name, (begin, end) in span.items():
        length = end - begin
        shared = sum(
            max(0.0, min(end, other_end) - max(begin, other_begin))
            for other, (other_begin, other_end) in span.items()
            if other != name
        )
        shares[name] = total if length > 0 and shared <= length / 2 else 1
    return shares


def start(jobs: Iterable[Job], workers: int) -> tuple[ProcessPoolExecutor, dict[str, Future[Outcome]]]:
    """Start ``jobs`` in ``workers`` processes, longest (by ``expected_seconds``) first.

    Returns the pool (to shut down once every page is done) and each page's future; a failing
    page does not stop the others.
    """
    ordered = sorted(jobs, key=lambda j: -j.expected_seconds)
    shares = core_shares(ordered, workers)
    ordered = [replace(job, cores=shares[job.name]) for job in ordered]
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(ordered))), mp_context=_context())
    return pool, {job.name: pool.submit(run_job, job) for job in ordered}


def finishing_order(jobs: Iterable[Job], workers: int) -> list[str]:
    """The pages in the order they are expected to finish when :func:`start` runs them.

    Longest first, each on the worker that is free first, as the pool takes them; a page's
    duration is its ``expected_seconds`` (at least zero).
    """
    span = _schedule(jobs, workers)
    return sorted(span, key=lambda name: span[name][1])


def execute(jobs: Iterable[Job], workers: int) -> Iterator[Outcome]:
    """Execute ``jobs`` as :func:`start` does; yield each :class:`Outcome` as its page finishes."""
    listed = list(jobs)
    if not listed:
        return
    pool, futures = start(listed, workers)
    with pool:
        for future in as_completed(futures.values()):
            yield future.result()
