"""Every quotation in the data, with the source lines it cites: what the provenance panels list.

A data table quotes a source study when it has the columns ``seed_id``, ``line_from``,
``line_to`` and ``evidence_zh`` (coded segments, events, propositions, alliance dates, the
studies themselves); the codebook quotes one example per code. :func:`index` reads them all once
per build, from the manifest, so a new table of that shape is covered without a change here.

A quotation is found in a page's table or value by a probe: the first characters of its longest
fragment (a quotation may join fragments with …), NFKC-normalised and without white space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis.coding.codebook import load_codebook_table
from analysis.data import io

__all__ = ["PROBE_CHARS", "Quote", "by_segment", "index", "probe", "probes"]

#: Characters of a quotation that must appear for it to count as shown.
PROBE_CHARS = 14
#: A quotation shorter than this is too common to be recognised by its text.
MIN_PROBE = 8
_COLUMNS = ("seed_id", "line_from", "line_to", "evidence_zh")
#: What a quotation of each table is, for the panel.
WHAT_ZH = {
    "coded_segments": "编码片段",
    "codebook": "编码表例证",
    "reform_events": "改革事件",
    "propositions": "命题",
    "did_alliance_membership": "联盟日期",
    "source_studies": "研究的题录",
}


@dataclass(frozen=True)
class Quote:
    """One quotation of the data: its table, row id, source lines and text."""

    table: str
    row_id: str
    seed_id: str
    line_from: int
    line_to: int
    text: str

    @property
    def probe(self) -> str:
        """The characters that identify it in a page (empty: too short to tell)."""
        return _probe(self.text)

    @property
    def what(self) -> str:
        """What it is, in Chinese, with its id."""
        return f"{WHAT_ZH.get(self.table, self.table)} {self.row_id}"


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def probe(text: str) -> str:
    """The first :data:`PROBE_CHARS` characters of the longest fragment of a quotation."""
    fragments = [_normal(f).strip("“”\"'「」") for f in re.split(r"…+|\.{3,}", text)]
    longest = max(fragments, key=len, default="")
    return longest[:PROBE_CHARS] if len(longest) >= MIN_PROBE else ""


_probe = cache(probe)


def _quotes(table: str, frame: pd.DataFrame, id_column: str) -> list[Quote]:
    out = []
    for rec in frame.to_dict("records"):
        if not str(rec["seed_id"]) or not str(rec["evidence_zh"]) or not str(rec["line_from"]):
            continue
        out.append(
            Quote(
                table,
                str(rec[id_column]),
                str(rec["seed_id"]),
                int(rec["line_from"]),
                int(rec["line_to"]),
                str(rec["evidence_zh"]),
            )
        )
    return out


@cache
def index() -> tuple[Quote, ...]:
    """Every quotation of the manifest's tables and of the codebook's examples."""
    manifest = io.load_manifest()
    found: list[Quote] = []
    for name, entry in manifest.files.items():
        if not entry.path.endswith(".csv"):
            continue
        frame = io.load_table(name, manifest)
        if set(_COLUMNS) <= set(frame.columns):
            found += _quotes(name, frame, str(frame.columns[0]))
    if "codebook" in manifest.files:
        found += _quotes("codebook", load_codebook_table(manifest), "code_id")
    return tuple(found)


@cache
def probes() -> tuple[tuple[str, Quote], ...]:
    """The quotations that can be recognised, each with its probe."""
    return tuple((q.probe, q) for q in index() if q.probe)


@cache
def by_segment() -> dict[str, Quote]:
    """The coded segments' quotations by segment id."""
    return {q.row_id: q for q in index() if q.table == "coded_segments"}
