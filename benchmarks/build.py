"""Benchmark (not run by the build): what a rebuild re-executes, and how long it takes.

Run from the project root:  .venv/bin/python benchmarks/build.py [--workers N] [--keep DIR]

One run, in a scratch copy of the work tree (its tracked files; the source studies from
``$SEEDS_DIR`` or ``../shared/seeds``), each step a ``jupyter-book build`` in that copy:

1. cold: an empty ``_build``, ``--all -W -n --keep-going`` (as ``make book``): its wall time, the
   sum of the pages' execution times, and their ratio; the sum is also taken from a cold build
   with one worker, where no page competes with another for the two cores;
2. one SEM data file edited (one answer in ``data/synthetic/sem_items_synthetic.csv``, its sha256
   updated in ``data/MANIFEST.yaml``, as a reviewed data change is made): the pages executed again
   (named), the pages read again because they paste those pages' glue, and the time / cold, with
   ``--all`` and then (a second edit) incrementally;
3. a module that no page imports edited (``checks/site.py``): the pages executed (0 expected);
4. a prose-only edit of one page (``book/methods.md``): the time / cold, both incrementally
   (``jupyter-book build . -W -n --keep-going``) and with ``--all``.

With ``--write-hints`` the cold build's page times become the pool's hints for a first build
(``bookkit/sphinx/page_seconds.json``: the order of its queue and the pages' shares of the cores).

Each figure is printed with the load average of the minute before it: other work on the machine
slows the pages down, and the figures with them. ``_build/execution.json`` of each step says which
pages were executed and why.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from analysis.data import paths
from bookkit.sphinx.execute import HINTS

ROOT = paths.PROJECT_ROOT
JB = str(Path(sys.executable).parent / "jupyter-book")
STRICT = ["-W", "-n", "--keep-going"]
SEM_FILE = "data/synthetic/sem_items_synthetic.csv"
UNUSED_MODULE = "checks/site.py"
PROSE_PAGE = "book/methods.md"


def copy_tree(dest: Path) -> None:
    """The work tree's tracked files (as they are now, edits included) copied to ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def build(copy: Path, workers: int, *, full: bool = True) -> dict[str, Any]:
    """One strict build of the copy; its wall time, load before it, and the execution summary."""
    env = dict(os.environ, PYTHONPATH=str(copy), BOOK_WORKERS=str(workers), SEEDS_DIR=str(paths.seeds_dir()))
    env["PYTHONHASHSEED"] = "0"
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [JB, "build", ".", *(["--all"] if full else []), *STRICT],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-5000:] + done.stderr[-5000:])
        raise SystemExit(f"build failed ({done.returncode})")
    summary = json.loads((copy / "_build" / "execution.json").read_text(encoding="utf-8"))
    return {"wall": wall, "load": load, "summary": summary}


def executed(step: dict[str, Any]) -> list[str]:
    """The pages a build executed."""
    return list(step["summary"]["executed"])


def sum_execution(step: dict[str, Any]) -> float:
    """Σ of the execution times of the pages the build executed."""
    pages = step["summary"]["pages"]
    return float(sum(p["seconds"] for p in pages.values() if p["executed"]))


def edit_sem_file(copy: Path, row: int = 1) -> None:
    """Change one answer (in data row ``row``) of the synthetic SEM items, and its sha256 in the manifest."""
    path = copy / SEM_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[row].split(",")
    cells[1] = "4" if cells[1] != "4" else "5"
    lines[row] = ",".join(cells)
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text("\n".join(lines), encoding="utf-8")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = copy / "data" / "MANIFEST.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count(old) == 1, "the manifest must name the file's sha256 once"
    manifest.write_text(text.replace(old, new), encoding="utf-8")


def append(copy: Path, name: str, text: str) -> None:
    """Append ``text`` to a file of the copy."""
    with (copy / name).open("a", encoding="utf-8") as handle:
        handle.write(text)


def main() -> None:
    """Run the four steps and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument(
        "--write-hints",
        action="store_true",
        help="record the cold build's page times as first-build hints (bookkit/sphinx/page_seconds.json)",
    )
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    copy = scratch / "book"
    if copy.exists():
        shutil.rmtree(copy)
    copy_tree(copy)
    try:
        serial = build(copy, 1)
        shutil.rmtree(copy / "_build")
        cold = build(copy, args.workers)
        edit_sem_file(copy)
        data = build(copy, args.workers)
        edit_sem_file(copy, row=2)
        data_inc = build(copy, args.workers, full=False)
        append(copy, UNUSED_MODULE, "\n# benchmark: an edit of a module that no page imports\n")
        module = build(copy, args.workers)
        append(copy, PROSE_PAGE, "\n本段为基准测试临时添加的文字。\n")
        prose = build(copy, args.workers, full=False)
        append(copy, PROSE_PAGE, "\n再添一句。\n")
        prose_all = build(copy, args.workers)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)

    total = sum_execution(cold)
    figures = {
        "workers": args.workers,
        "cold": {
            "wall_s": round(cold["wall"], 1),
            "sum_page_execution_s": round(total, 1),
            "wall_over_sum": round(cold["wall"] / total, 3),
            "pages_executed": len(executed(cold)),
            "execution_phase_wall_s": round(cold["summary"]["execution_wall_seconds"], 1),
            "longest_pages_s": dict(
                sorted(
                    ((n, round(p["seconds"], 1)) for n, p in cold["summary"]["pages"].items()),
                    key=lambda item: -item[1],
                )[:4]
            ),
            "load": cold["load"],
            "one_worker_wall_s": round(serial["wall"], 1),
            "one_worker_sum_page_execution_s": round(sum_execution(serial), 1),
            "wall_over_one_worker_sum": round(cold["wall"] / sum_execution(serial), 3),
            "one_worker_load": serial["load"],
        },
        "sem_data_edit": {
            "file": SEM_FILE,
            "executed": executed(data),
            "reread_for_glue": data["summary"]["reread_for_glue"],
            "wall_s": round(data["wall"], 1),
            "over_cold": round(data["wall"] / cold["wall"], 3),
            "load": data["load"],
            "page_seconds": {n: round(data["summary"]["pages"][n]["seconds"], 1) for n in executed(data)},
            "incremental_executed": executed(data_inc),
            "incremental_wall_s": round(data_inc["wall"], 1),
            "incremental_over_cold": round(data_inc["wall"] / cold["wall"], 3),
            "incremental_load": data_inc["load"],
        },
        "unused_module_edit": {
            "file": UNUSED_MODULE,
            "executed": executed(module),
            "wall_s": round(module["wall"], 1),
            "load": module["load"],
        },
        "prose_edit": {
            "file": PROSE_PAGE,
            "executed": executed(prose) + executed(prose_all),
            "incremental_wall_s": round(prose["wall"], 1),
            "incremental_over_cold": round(prose["wall"] / cold["wall"], 3),
            "incremental_load": prose["load"],
            "all_wall_s": round(prose_all["wall"], 1),
            "all_over_cold": round(prose_all["wall"] / cold["wall"], 3),
            "all_load": prose_all["load"],
        },
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.write_hints:
        hints = {n: round(p["seconds"], 1) for n, p in sorted(cold["summary"]["pages"].items())}
        HINTS.write_text(json.dumps(hints, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
