"""A second, independent execution of every chapter glues exactly the same values.

The volatile keys (the commit, its date, the dirty flag, the Python patch version) describe the
checkout, not the data, and change whenever a commit lands between the build and the tests.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from analysis.data import paths
from bookkit.registry import VOLATILE_KEYS, GlueEntry, execute_glue, read_registry


def test_second_clean_execution_gives_identical_glue() -> None:
    built = [r for r in read_registry(paths.GLUE_REGISTRY) if r["key"] not in VOLATILE_KEYS]
    pages = sorted({row["page"] for row in built})
    assert pages, "the build glued nothing"

    def run(page: str) -> list[GlueEntry]:
        return execute_glue(paths.PROJECT_ROOT / f"{page}.md", page)

    with ThreadPoolExecutor(max_workers=2) as pool:
        again = sorted(
            (r for rows in pool.map(run, pages) for r in rows if r["key"] not in VOLATILE_KEYS),
            key=lambda r: (r["page"], r["key"]),
        )
    assert again == built
