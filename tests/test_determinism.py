"""A second, independent execution of every chapter glues exactly the same values."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from analysis import glue_registry, paths


def test_second_clean_execution_gives_identical_glue() -> None:
    built = glue_registry.read_registry(paths.GLUE_REGISTRY)
    pages = sorted({row["page"] for row in built})
    assert pages, "the build glued nothing"

    def run(page: str) -> list[glue_registry.GlueEntry]:
        return glue_registry.execute_glue(paths.PROJECT_ROOT / f"{page}.md", page)

    with ThreadPoolExecutor(max_workers=2) as pool:
        again = sorted(
            (r for rows in pool.map(run, pages) for r in rows), key=lambda r: (r["page"], r["key"])
        )
    assert again == built
