"""The page ``book/glossary.md``: 术语表.

Each term's definition is the page's prose; its evidence is a quotation already in the data (a
coded segment, an event of the timeline, a study's title page), whose source lines the build
checks. :data:`SOURCES` names that quotation; the term must occur in it.
"""

from __future__ import annotations

import re

from analysis.data import io
from analysis.data.errors import DataError
from analysis.report.format import seed_ref
from analysis.report.page import PageOutput

#: Glue id -> (the term as it must occur in the quotation, table, row id).
SOURCES: dict[str, tuple[str, str, str]] = {
    "ztzz": ("整体智治", "coded_segments", "SEG-ZJ-HS-001"),
    "szhgg": ("数字化改革", "coded_segments", "SEG-ZJ-HS-002"),
    "zdpyc": ("最多跑一次", "reform_events", "E05"),
    "ywtb": ("一网通办", "coded_segments", "SEG-LX-007"),
    "ywtg": ("一网统管", "reform_events", "E06"),
    "hcp": ("好差评", "coded_segments", "SEG-LX-012"),
    "kstb": ("跨省通办", "reform_events", "E16"),
    "qcwb": ("全程网办", "coded_segments", "SEG-JJJ-021"),
    "ydds": ("异地代收", "coded_segments", "SEG-XN-015"),
    "kyzl": ("跨域治理", "source_studies", "003"),
    "jzgc": ("价值共创", "coded_segments", "SEG-SZ-017"),
    "cyzx": ("城运中心", "coded_segments", "SEG-S-A-006"),
    "cjhz": ("场景会战", "coded_segments", "SEG-S-A-005"),
}
#: A longer quotation is cut to this many characters around the term.
MAX_QUOTE = 90


def excerpt(quote: str, term: str) -> str:
    """The fragment of ``quote`` that holds ``term``, cut to :data:`MAX_QUOTE` characters around it.

    A quotation may join fragments with …; an omission at either end is marked with ….
    """
    fragments = quote.split("…")
    index = next((i for i, f in enumerate(fragments) if term in re.sub(r"\s+", "", f)), 0)
    last = index
    while last + 1 < len(fragments) and len("…".join(fragments[index : last + 2])) <= MAX_QUOTE:
        last += 1
    text = "…".join(fragments[index : last + 1])
    start = 0
    if len(text) > MAX_QUOTE:
        start = max(0, min(text.find(term) - MAX_QUOTE // 3, len(text) - MAX_QUOTE))
    cut = text[start : start + MAX_QUOTE]
    head = "…" if index > 0 or start > 0 else ""
    tail = "…" if last < len(fragments) - 1 or start + MAX_QUOTE < len(text) else ""
    return head + cut + tail


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    tables = {name: io.load_table(name, manifest) for name in {t for _, t, _ in SOURCES.values()}}
    for key, (term, table, row_id) in SOURCES.items():
        frame = tables[table]
        rows = frame[frame[frame.columns[0]] == row_id]
        if len(rows) != 1:
            raise DataError(f"glossary {key!r}: {table} has no row {row_id!r}")
        row = rows.iloc[0]
        quote = str(row["evidence_zh"])
        if term not in re.sub(r"\s+", "", quote):
            raise DataError(f"glossary {key!r}: {table} {row_id} does not quote {term!r}")
        out.value(f"glo_{key}_ref", seed_ref(str(row["seed_id"]), int(row["line_from"]), int(row["line_to"])))
        out.value(f"glo_{key}_quote", excerpt(quote, term))
    out.value("glo_n_terms", len(SOURCES))
    return out
