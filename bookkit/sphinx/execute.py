"""Never stale, and only what changed, in parallel: the pages executed before MyST-NB reads them.

MyST-NB's cache mode keys a page's execution on its code cells only, so on its own it would serve
a page computed from old data. This handler runs first (``env-get-outdated``, once the pages are
found and before any is read), whatever command started the build (``make book`` or a plain
``jupyter-book build``):

1. for every page that MyST-NB would execute through the cache, it looks up the cached execution
   of its code cells and the record of what that execution used (:mod:`bookkit.sphinx.inputs`);
   a page with no cached execution, or one whose record names an input that has changed since, is
   stale, and its cached execution is removed;
2. the stale pages are executed in a process pool (:mod:`bookkit.sphinx.pool`;
   ``bookkit_execution_workers`` in the Sphinx configuration, 2 by default, or ``$BOOK_WORKERS``)
   and stored in the same jupyter-cache with their new record, so that MyST-NB reads every page
   from the cache. Sphinx reads the other pages meanwhile, first (``env-before-read-docs``), and
   then the executed ones in the order they are expected to finish, each only once its execution
   is in the cache (``source-read``). An error, a timeout or output on stderr (with
   ``stderr_output: error``) fails the build, naming every page that failed, once the others
   have finished;
3. it returns, to be read again, the pages it executed and the pages that paste a glued value of
   one of them (``{glue:text}`other.md::key```), which MyST-NB resolves only when a page is
   written; and any page whose executed notebook is missing from ``_build/jupyter_execute``.

``_build/execution.json`` says, for the last build, which pages were executed and why, and how long
each took.

A build that ends with a warning or an error leaves no saved environment behind
(:func:`forget_environment_after_failure`): Sphinx reports a page's warnings only when it reads
the page, so an incremental build after a failed one would otherwise pass without reading the
pages that failed it.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import create_nb_reader
from myst_nb.ext.glue.utils import PendingGlueReference
from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError, SphinxError
from sphinx.util import logging

from analysis.data import paths
from bookkit.registry import VOLATILE_KEYS
from bookkit.sphinx import pool
from bookkit.sphinx.build import build_root, toc_docnames
from bookkit.sphinx.inputs import Inputs, Snapshot, changes

__all__ = [
    "DATA_KEY",
    "HINTS",
    "SUMMARY",
    "PageExecutionError",
    "execute_stale_pages",
    "finish_execution",
    "forget_environment_after_failure",
    "merge_glue_sources",
    "purge_glue_sources",
    "read_executed_pages_last",
    "record_glue_sources",
    "stop_execution",
    "wait_for_execution",
    "workers",
]

logger = logging.getLogger(__name__)

#: Where a page's record of inputs is kept in its jupyter-cache record.
DATA_KEY = "bookkit_inputs"
#: The last build's account of execution, in the build root.
SUMMARY = "execution.json"
_ENV_ATTR = "bookkit_glue_sources"
_RUN_ATTR = "_bookkit_execution"


class PageExecutionError(SphinxError):
    """One or more pages failed to execute."""

    category = "Page execution failed"


def workers(app: Sphinx) -> int:
    """Number of pages executed at once: ``$BOOK_WORKERS``, else ``bookkit_execution_workers``."""
    try:
        return pool.workers(app.config.bookkit_execution_workers)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


@dataclass
class _Page:
    docname: str
    path: Path
    notebook: Any
    config: Any


def _pages(app: Sphinx, env: BuildEnvironment) -> list[_Page]:
    """The pages MyST-NB would execute through the cache, with their notebooks as it reads them."""
    base = env.mystnb_config  # type: ignore[attr-defined]
    found = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, base, text)  # type: ignore[attr-defined]
        if reader is None:
            continue
        notebook = reader.read(text)
        config = base
        if base.metadata_key in notebook.metadata:
            overrides = dict(notebook.metadata[base.metadata_key])
            overrides.pop("output_folder", None)
            config = base.copy(**overrides)
        kernel = notebook.metadata.get("kernelspec", {}).get("name")
        for pattern, alias in (config.kernel_rgx_aliases or {}).items():
            if kernel is not None and re.fullmatch(pattern, kernel):
                notebook.metadata["kernelspec"]["name"] = alias
                break
        if config.execution_mode != "cache":
            continue
        if any(PurePosixPath(path.as_posix()).match(p) for p in config.execution_excludepatterns):
            continue
        found.append(_Page(docname, path, notebook, config))
    return found


def _glues_volatile(notebook: Any) -> bool:
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") in VOLATILE_KEYS:
                return True
    return False


def _previous_seconds(root: Path) -> dict[str, float]:
    try:
        pages = json.loads((root / SUMMARY).read_text(encoding="utf-8"))["pages"]
        return {name: float(page["seconds"]) for name, page in pages.items() if page.get("seconds")}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


#: Each page's execution time as the build benchmark last measured it (``benchmarks/build.py
#: --write-hints``): on a first build, with no timing of its own, it orders the pool's queue, the
#: longest first, and sets the pages' shares of the cores. It never changes what a page computes.
HINTS = Path(__file__).with_name("page_seconds.json")


def _hinted_seconds() -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in json.loads(HINTS.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def execute_stale_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Execute the stale pages into the cache; return the pages to read again (``env-get-outdated``)."""
    nb_config = env.mystnb_config  # type: ignore[attr-defined]
    root = build_root(app)
    pages = _pages(app, env)
    if not pages:
        return []
    srcdir = Path(app.srcdir)
    cache = get_cache(nb_config.execution_cache_path)
    now = Snapshot([srcdir, paths.PROJECT_ROOT], srcdir / "_config.yml")
    seconds = _previous_seconds(root)
    # the hints are the book's own: a test's small book, whose pages share names with it, has none
    hints = _hinted_seconds() if srcdir.resolve() == paths.PROJECT_ROOT.resolve() else {}
    order = {name: i for i, name in enumerate(toc_docnames(app) or [])}
    stale: dict[str, list[str]] = {}
    for page in pages:
        try:
            record = cache.match_cache_notebook(page.notebook)
        except KeyError:
            record = None
        inputs = Inputs.from_json((record.data or {}).get(DATA_KEY)) if record is not None else None
        if record is None:
            reasons = ["no cached execution of its code cells"]
        elif inputs is None:
            reasons = ["no record of what its execution used"]
        else:
            reasons = changes(inputs, now, srcdir)
        if reasons:
            stale[page.docname] = reasons
            if record is not None:
                seconds.setdefault(page.docname, float((record.data or {}).get("execution_seconds") or 0))
                cache.remove_cache(record.pk)

    count = workers(app)
    by_name = {page.docname: page for page in pages}
    temp_dirs: list[str] = []
    jobs = []
    for name in stale:
        page = by_name[name]
        cwd = str(page.path.parent)
        if page.config.execution_in_temp:
            cwd = tempfile.mkdtemp(prefix="bookkit-")
            temp_dirs.append(cwd)
        # the longest first; without a timing, the order of the table of contents
        expected = seconds.get(name) or hints.get(name) or -order.get(name, len(order)) / 1000
        jobs.append(
            pool.Job(
                name=name,
                notebook=nbformat.writes(page.notebook),  # type: ignore[no-untyped-call]
                cwd=cwd,
                timeout=page.config.execution_timeout,
                allow_errors=page.config.execution_allow_errors,
                expected_seconds=expected,
            )
        )
    if stale:
        at_once = min(count, len(stale))
        logger.info(f"bookkit: {len(stale)} of {len(pages)} pages to execute, {at_once} at a time")
        for name, reasons in stale.items():
            logger.info(f"  {name}: {'; '.join(reasons)}")
    else:
        logger.info(f"bookkit: all {len(pages)} executed pages are up to date")

    summary: dict[str, dict[str, Any]] = {
        p.docname: {"executed": False, "reasons": [], "seconds": seconds.get(p.docname)} for p in pages
    }
    dependents = _dependents(env, set(stale))
    missing = {
        p.docname for p in pages if not Path(nb_config.output_folder, f"{p.docname}.ipynb").is_file()
    } - added
    run = _Run(
        root=root,
        cache=cache,
        now=now,
        by_name=by_name,
        stale=stale,
        summary=summary,
        workers=count,
        reread_for_glue=sorted(dependents - set(stale)),
        temp_dirs=temp_dirs,
        reading_order=pool.finishing_order(jobs, count),
    )
    if jobs:
        run.executor, run.futures = pool.start(jobs, count)
        app.__dict__[_RUN_ATTR] = run
    else:
        run.finish()
    return sorted(set(stale) | dependents | missing)


@dataclass
class _Run:
    """The pages executing while Sphinx reads the others: what is pending and what came of it."""

    root: Path
    cache: Any
    now: Snapshot
    by_name: dict[str, _Page]
    stale: dict[str, list[str]]
    summary: dict[str, dict[str, Any]]
    workers: int
    reread_for_glue: list[str]
    temp_dirs: list[str]
    reading_order: list[str]
    executor: ProcessPoolExecutor | None = None
    futures: dict[str, Future[pool.Outcome]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    done: bool = False

    def take(self, outcome: pool.Outcome) -> None:
        """Store one executed page in the cache with its record, or note its failure."""
        page = self.by_name[outcome.name]
        self.summary[outcome.name] = {
            "executed": True,
            "reasons": self.stale[outcome.name],
            "seconds": outcome.seconds,
        }
        problem = outcome.error
        if problem is None and page.config.output_stderr in {"error", "severe"}:
            written = pool.stderr_outputs(outcome.notebook)
            problem = "output on stderr:\n" + "\n".join(written) if written else None
        if problem is not None:
            self.summary[outcome.name]["error"] = problem
            self.failures.append(f"{outcome.name} ({page.path}): {problem}")
            logger.error(f"bookkit: {outcome.name} failed after {outcome.seconds:.1f} s:\n{problem}")
            return
        notebook = nbformat.reads(outcome.notebook, as_version=4)  # type: ignore[no-untyped-call]
        record = self.now.record(outcome.modules, outcome.files, ["git"] if _glues_volatile(notebook) else [])
        data = {"execution_seconds": outcome.seconds, DATA_KEY: record.to_json()}
        self.cache.cache_notebook_bundle(
            CacheBundleIn(notebook, str(page.path), data=data), check_validity=False, overwrite=True
        )
        logger.info(f"bookkit: executed {outcome.name} in {outcome.seconds:.1f} s")

    def wait_for(self, names: set[str]) -> None:
        """Take every outcome until none of ``names`` is pending; then, after a failure, fail."""
        pending = {n: f for n, f in self.futures.items() if n in names}
        while pending:
            finished, _ = wait(list(self.futures.values()), return_when=FIRST_COMPLETED)
            for name in [n for n, f in self.futures.items() if f in finished]:
                future = self.futures.pop(name)
                pending.pop(name, None)
                self.take(future.result())
            if self.failures:  # let the others finish, so that the error names every failing page
                self.wait_for(set(self.futures))
                return
        if not self.futures or self.failures:
            self.finish()

    def finish(self) -> None:
        """Write ``execution.json``; shut the pool down; fail the build if a page failed."""
        if self.done:
            return
        self.done = True
        wall = time.perf_counter() - self.started
        self.close()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / SUMMARY).write_text(
            json.dumps(
                {
                    "workers": self.workers,
                    "executed": sorted(n for n, p in self.summary.items() if p["executed"]),
                    "execution_wall_seconds": round(wall, 3) if self.stale else 0.0,
                    "reread_for_glue": self.reread_for_glue,
                    "pages": self.summary,
                },
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            )
            + "\n",
            encoding="utf-8",
        )
        if self.failures:
            raise PageExecutionError("\n".join(self.failures))
        if self.stale:
            logger.info(f"bookkit: executed {len(self.stale)} pages in {wall:.1f} s")

    def close(self) -> None:
        """Stop the pool (its workers killed if pages still run) and remove the temporary folders."""
        if self.executor is not None:
            for process in list(getattr(self.executor, "_processes", {}).values()) if self.futures else []:
                process.kill()
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        for folder in self.temp_dirs:
            shutil.rmtree(folder, ignore_errors=True)


def _run(app: Sphinx) -> _Run | None:
    run = app.__dict__.get(_RUN_ATTR)
    return run if isinstance(run, _Run) and not run.done else None


def read_executed_pages_last(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read the pages that are not executing first, the others as they are expected to finish.

    (``env-before-read-docs``.) Sphinx reads while the pages execute: each executing page is read
    once its execution is in the cache (:func:`wait_for_execution`).
    """
    run = _run(app)
    if run is None:
        return
    rank = {name: i for i, name in enumerate(run.reading_order)}
    docnames.sort(key=lambda d: (d in run.futures, rank.get(d, 0)))


def wait_for_execution(app: Sphinx, docname: str, source: list[str]) -> None:
    """Before MyST-NB reads an executing page, wait until its execution is in the cache (``source-read``)."""
    run = _run(app)
    if run is not None and docname in run.futures:
        run.wait_for({docname})


def finish_execution(app: Sphinx, env: BuildEnvironment) -> None:
    """Once every page is read, take what is left of the execution (``env-updated``)."""
    run = _run(app)
    if run is not None:
        run.wait_for(set(run.futures))
        run.finish()


def stop_execution(app: Sphinx, exception: BaseException | None) -> None:
    """A build that stops while pages execute leaves no worker behind (``build-finished``)."""
    run = app.__dict__.pop(_RUN_ATTR, None)
    if isinstance(run, _Run):
        run.close()


def forget_environment_after_failure(app: Sphinx, exception: BaseException | None) -> None:
    """After a build with a warning or an error, remove the saved environment (``build-finished``)."""
    if exception is not None or app._warncount:
        Path(app.doctreedir, ENV_PICKLE_FILENAME).unlink(missing_ok=True)


def _dependents(env: BuildEnvironment, executed: set[str]) -> set[str]:
    sources: dict[str, set[str]] = getattr(env, _ENV_ATTR, {})
    return {doc for doc, used in sources.items() if used & executed}


def record_glue_sources(app: Sphinx, doctree: nodes.document) -> None:
    """Remember which pages' glue a page pastes (``doctree-read``)."""
    env = app.env
    used = {node["refdoc"] for node in doctree.findall(PendingGlueReference) if node.get("refdoc")}
    sources: dict[str, set[str]] = getattr(env, _ENV_ATTR, None) or {}
    sources[env.docname] = used - {env.docname}
    setattr(env, _ENV_ATTR, sources)


def purge_glue_sources(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Forget a page that is read again or removed (``env-purge-doc``)."""
    getattr(env, _ENV_ATTR, {}).pop(docname, None)


def merge_glue_sources(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """Merge what parallel readers recorded (``env-merge-info``)."""
    sources: dict[str, set[str]] = getattr(env, _ENV_ATTR, None) or {}
    for docname, used in getattr(other, _ENV_ATTR, {}).items():
        if docname in docnames:
            sources[docname] = used
    setattr(env, _ENV_ATTR, sources)
