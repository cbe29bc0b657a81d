"""The page ``book/data_sources.md``: 数据来源与校验."""

from __future__ import annotations

from analysis.data import io
from analysis.report import datasources, fidelity_views
from analysis.report.page import PageOutput
from analysis.report.table import BookTable


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    report = datasources.provenance_report(manifest)
    if report.problems:
        raise RuntimeError("provenance check failed:\n" + "\n".join(report.problems))
    out.value("ds_n_files", len(manifest.files))
    out.value("ds_n_seeds", len(manifest.seeds))
    out.value(
        "ds_provenance",
        f"本次构建逐条核对了 {report.n_rows} 行记录中的 {report.n_fragments} 个原文片段，全部在所引行中找到"
        if report.seeds_available
        else "本次构建时来源研究的原文不可用，引文没有与原文逐行核对，各表只经过了结构与取值检查",
    )
    out.table(
        "ds_tbl_files",
        BookTable(
            datasources.files_table(manifest),
            "data/ 中的数据文件及其来源（由 data/MANIFEST.yaml 生成）",
            "tbl-ds-files",
        ),
    )
    out.table(
        "ds_tbl_seeds",
        BookTable(datasources.seeds_table(manifest), "来源研究的原文文件及其校验和", "tbl-ds-seeds"),
    )
    record = fidelity_views.load_fidelity(manifest=manifest)
    out.value("ds_fid_n", len(record.cells))
    out.value("ds_fid_quoted", int((record.cells["seed_id"] != "").sum()))
    out.value("ds_fid_phrase", fidelity_views.counts_phrase(record.cells))
    out.table(
        "ds_tbl_fid",
        BookTable(
            fidelity_views.records_table(record, manifest),
            "逐格对照记录与来源研究论点表的内容：五项来源研究各自的单元格与条目数",
            "tbl-ds-fid",
        ),
    )
    dictionary = datasources.data_dictionary(manifest)
    out.value("ds_n_fields", int((dictionary["含义"] != datasources.RULE_ROW).sum()))
    out.table(
        "ds_tbl_schemas",
        BookTable(
            dictionary,
            "数据字典：每个数据文件的字段、含义、类型，以及载入时检查的取值",
            "tbl-ds-schemas",
        ),
    )
    return out
