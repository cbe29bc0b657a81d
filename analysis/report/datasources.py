"""Tables for the data-sources appendix, generated from ``data/MANIFEST.yaml`` and the schemas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.coding.codebook import load_codebook_table
from analysis.coding.inputs import load_coded_table
from analysis.data import io, provenance
from analysis.data.errors import DataError
from analysis.data.schemas.common import SCHEMAS
from analysis.data.schemas.rules import rules_of
from analysis.did.panel import check_alliances
from analysis.sem.reported import SEM_TABLES, check_reported

__all__ = [
    "ProvenanceReport",
    "all_schemas_table",
    "files_table",
    "load_entry",
    "provenance_report",
    "schema_table",
    "seeds_table",
]

_KIND_ZH = {
    "seed_lines": "种子文件逐行摘录",
    "repository": "公开仓库（指定提交）",
    "web_page": "公开网页",
    "authored": "本书编写",
}

_RowCheck = Callable[[pd.DataFrame, io.Manifest, Path, str], list[str]]


def _quotations(id_col: str) -> _RowCheck:
    def check(table: pd.DataFrame, manifest: io.Manifest, seeds_dir: Path, where: str) -> list[str]:
        return provenance.check_quotations(table, manifest, seeds_dir, where, id_col)

    return check


#: Table name -> the provenance check of its rows.
_ROW_CHECKS: dict[str, _RowCheck] = {
    "reform_events": provenance.check_events,
    "source_studies": provenance.check_source_studies,
    **dict.fromkeys(SEM_TABLES, check_reported),
    "did_alliance_membership": check_alliances,
}
# Every other seed-lines table: each row's evidence_zh in its cited lines, rows named by their
# first column (the table's id).


def load_entry(entry: io.ManifestFile, manifest: io.Manifest) -> pd.DataFrame:
    """A data file as its validated table, its codes checked against the codebook.

    The codebook itself is read by its own module.
    """
    if entry.schema == "codebook":
        return load_codebook_table(manifest)
    return load_coded_table(entry.name, manifest)


def files_table(manifest: io.Manifest) -> pd.DataFrame:
    """One row per data file: path, content, source kind, synthetic flag, rows, checksum."""
    rows = []
    for entry in manifest.files.values():
        frame = load_entry(entry, manifest)
        seeds = "、".join(entry.source.get("seeds", []))
        rows.append(
            {
                "文件": f"data/{entry.path}",
                "内容": entry.title_zh,
                "来源": _KIND_ZH.get(entry.source["kind"], entry.source["kind"])
                + (f"（种子 {seeds}）" if seeds else ""),
                "合成数据": "是" if entry.synthetic else "否",
                "行数": len(frame),
                "SHA-256（前 16 位）": entry.sha256[:16],
            }
        )
    return pd.DataFrame(rows)


def seeds_table(manifest: io.Manifest) -> pd.DataFrame:
    """The five seeds with their line counts and checksums."""
    return pd.DataFrame(
        [
            {
                "种子": sid,
                "文件": info["file"],
                "行数": int(info["lines"]),
                "SHA-256（前 16 位）": str(info["sha256"])[:16],
            }
            for sid, info in sorted(manifest.seeds.items())
        ]
    )


def _checks(column: pa.Column) -> str:
    parts = []
    for check in column.checks:
        stats = {k: v for k, v in (check.statistics or {}).items() if v is not None}
        detail = ", ".join(f"{k}={v}" for k, v in stats.items())
        parts.append(f"{check.name}({detail})" if detail else str(check.name))
    if column.unique:
        parts.append("unique")
    return "; ".join(parts) or "—"


def schema_table(schema_name: str) -> pd.DataFrame:
    """Columns of one schema (name, type, checks and why), then its rules across columns and rows."""
    schema = SCHEMAS[schema_name]
    rows = [
        {
            "列": name,
            "类型": str(col.dtype),
            "检查": _checks(col) + (f" — {col.description}" if col.description else ""),
        }
        for name, col in schema.columns.items()
    ]
    rows += [
        {"列": "/".join(rule.fields), "类型": "表级规则", "检查": rule.statement} for rule in rules_of(schema)
    ]
    return pd.DataFrame(rows)


def all_schemas_table(manifest: io.Manifest) -> pd.DataFrame:
    """Every data file's schema in one table: file, column, type, checks."""
    frames = [
        schema_table(entry.schema).assign(表=entry.name)[["表", "列", "类型", "检查"]]
        for entry in manifest.files.values()
    ]
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class ProvenanceReport:
    """Result of checking every row of every seed-lines table against its seed."""

    seeds_available: bool
    n_rows: int
    n_fragments: int
    problems: tuple[str, ...]


def provenance_report(manifest: io.Manifest) -> ProvenanceReport:
    """Check the data folder and every file's checksum, and every quotation against its seed lines.

    The source studies are found by :func:`analysis.data.io.sources` (each hash-checked); without
    them the report says so (``seeds_available`` false) and checks no quotation.
    """
    problems = [str(p) for p in io.check_data_dir(manifest)]
    for entry in manifest.files.values():
        try:
            io.read_input(entry.full_path, entry.sha256, entry.where)
        except DataError as exc:
            problems += [str(p) for p in exc.problems]
    found = io.sources(manifest)
    if not found.available:
        return ProvenanceReport(False, 0, 0, tuple(problems))
    seeds_dir = found.folder
    n_rows = n_fragments = 0
    for entry in manifest.files.values():
        if entry.source["kind"] != "seed_lines":
            continue
        frame = load_entry(entry, manifest)
        check = _ROW_CHECKS.get(entry.name, _quotations(str(frame.columns[0])))
        problems += check(frame, manifest, seeds_dir, f"data/{entry.path}")
        quoted = frame[frame["seed_id"] != ""]
        n_rows += len(quoted)
        n_fragments += sum(len(provenance.fragments(e)) for e in quoted["evidence_zh"])
    return ProvenanceReport(True, n_rows, n_fragments, tuple(problems))
