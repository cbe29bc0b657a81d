"""The "与原文对照" section of the case chapters, its summary on the cross-case page and in the appendix.

Statuses come from :func:`analysis.coding.fidelity.fidelity` in every build; nothing here is
typed. A chapter shows the counts of its cells by status, the cells that are not ``agrees`` or
that changed status with the fidelity revisions of issue 13 (with the quotation and the
segments), and the full record behind a dropdown; then the study's arguments, contributions and
stated limits (``study_arguments``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.coding import consensus, fidelity
from analysis.coding.inputs import load_coded_table
from analysis.coding.segments import split_codes
from analysis.data import io
from analysis.report.format import seed_ref, study_name
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

__all__ = [
    "KIND_ZH",
    "STATUS_ZH",
    "Fidelity",
    "arguments_output",
    "chapter_output",
    "counts_phrase",
    "load_fidelity",
    "records_table",
    "studies_table",
]

STATUS_ZH: dict[str, str] = {
    "agrees": "与原文一致",
    "adds": "重建多出",
    "not_coded": "原文陈述、未编码",
    "contradicts": "与原文相悖",
}

SAYS_ZH: dict[str, str] = {"states": "陈述", "silent": "未提及", "denies": "否定"}

KIND_ZH: dict[str, str] = {"argument": "主要论点", "contribution": "理论贡献", "limit": "自陈局限"}

#: The page whose record a study's cells belong to (004A and 004B share one chapter).
STUDY_PAGE: dict[str, str] = {
    "000": "zhejiang_red_education",
    "001": "lx_one_network_management",
    "002": "suzhou_hangzhou_paths",
    "003": "cross_province_services",
    "004A": "megacity_smart_emergency",
    "004B": "megacity_smart_emergency",
}


@dataclass(frozen=True)
class Fidelity:
    """The record with each cell's status now and before the fidelity revisions."""

    cells: pd.DataFrame


def load_fidelity(final: pd.DataFrame | None = None, manifest: io.Manifest | None = None) -> Fidelity:
    """Every cell of the record with ``status`` (consensus coding ``final``) and ``status_before``.

    ``status_before`` is the status under the coding as it stood before the fidelity revisions
    (:func:`analysis.coding.fidelity.earlier_coding`).
    """
    manifest = manifest or io.load_manifest()
    final = consensus.final_segments(manifest=manifest) if final is None else final
    record = fidelity.load_record(manifest)
    now = fidelity.fidelity(record, final)
    before = fidelity.fidelity(record, fidelity.earlier_coding(final, manifest))
    now["status_before"] = before["status"].to_numpy()
    now["n_before"] = before["n_segments"].to_numpy()
    return Fidelity(now)


def counts_phrase(cells: pd.DataFrame) -> str:
    """How many cells the record holds and how many of each status, for every count."""
    n = len(cells)
    counts = cells["status"].value_counts()
    agree = int(counts.get("agrees", 0))
    if n == 0:
        return "没有需要对照的单元格"
    others = [f"{STATUS_ZH[s]} {int(counts[s])} 个" for s in fidelity.STATUSES[1:] if counts.get(s, 0)]
    if agree == n:
        return f"全部 {n} 个单元格都与原文一致"
    head = f"{n} 个单元格中，与原文一致的有 {agree} 个" if agree else f"{n} 个单元格没有一个与原文一致"
    return head + "，" + "、".join(others)


def _changed(cells: pd.DataFrame) -> pd.Series:
    return cells["status"] != cells["status_before"]


def changed_phrase(cells: pd.DataFrame) -> str:
    """How many cells the fidelity revisions changed, and from which statuses, for every count."""
    changed = cells[_changed(cells)]
    if changed.empty:
        return "本书的修订没有改变任何单元格的对照结果"
    moves = changed.groupby(["status_before", "status"]).size()
    parts = [
        f"{int(k)} 个由“{STATUS_ZH[str(a)]}”变为“{STATUS_ZH[str(b)]}”"
        for (a, b), k in zip(moves.index.tolist(), moves.tolist(), strict=True)
    ]
    return f"本书据此修订编码之后，有 {len(changed)} 个单元格的对照结果发生了变化：" + "，".join(parts)


def _summary_table(cells: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    rows = []
    for label in dict.fromkeys(cells["table"]):
        sub = cells[cells["table"] == label]
        counts = sub["status"].value_counts()
        rows.append(
            {
                "表": names[str(label)],
                "单元格": len(sub),
                **{STATUS_ZH[s]: int(counts.get(s, 0)) for s in fidelity.STATUSES},
                "修订后改变": int(_changed(sub).sum()),
            }
        )
    return pd.DataFrame(rows)


def _source(rec: Mapping[Any, Any]) -> str:
    if not rec["seed_id"]:
        return "—"
    return seed_ref(str(rec["seed_id"]), int(str(rec["line_from"])), int(str(rec["line_to"])), short=True)


def _segments_text(rec: Mapping[Any, Any], limit: int = 3) -> str:
    ids = split_codes(str(rec["segment_ids"]))
    if not ids:
        return "—"
    shown = "、".join(ids[:limit])
    return f"{len(ids)} 段：{shown}" + ("等" if len(ids) > limit else "")


def _said(rec: Mapping[Any, Any]) -> str:
    says = SAYS_ZH[str(rec["seed_says"])]
    if not rec["seed_id"]:
        return says
    return f"{says}：“{rec['evidence_zh']}”〔{_source(rec)}〕"


def _result(rec: Mapping[Any, Any]) -> str:
    now, then = STATUS_ZH[str(rec["status"])], STATUS_ZH[str(rec["status_before"])]
    return now if now == then else f"{then} → {now}"


def _notes_table(cells: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    notable = cells[(cells["status"] != "agrees") | _changed(cells)]
    rows = [
        {
            "表": names[str(rec["table"])],
            "单元格": f"{rec['row_zh']} × {rec['column_zh']}",
            "原文": _said(rec),
            "重建的片段": _segments_text(rec),
            "对照结果（修订前 → 修订后）": _result(rec),
        }
        for rec in notable.to_dict("records")
    ]
    return pd.DataFrame(rows)


def _full_table(cells: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    rows = [
        {
            "表": names[str(rec["table"])],
            "行": str(rec["row_zh"]),
            "列": str(rec["column_zh"]),
            "原文": SAYS_ZH[str(rec["seed_says"])],
            "出处": _source(rec),
            "片段数": int(rec["n_segments"]),
            "对照结果": STATUS_ZH[str(rec["status"])],
        }
        for rec in cells.to_dict("records")
    ]
    return pd.DataFrame(rows)


def chapter_output(record: Fidelity, page: str, prefix: str, names: Mapping[str, str]) -> PageOutput:
    """The section "与原文对照" of one case chapter (keys ``<prefix>_fid_*``, ``<prefix>_tbl_fid_*``).

    ``names`` maps each table label of the page's record to the short name the tables show.

    Raises
    ------
    ValueError
        If the record holds no cell of ``page`` or a table label has no name.
    """
    cells = record.cells[record.cells["page"] == page]
    if cells.empty:
        raise ValueError(f"the fidelity record holds no cell of page {page!r}")
    missing = sorted(set(cells["table"]) - set(names))
    if missing:
        raise ValueError(f"no name for the tables {missing} of page {page!r}")
    out = PageOutput()
    out.value(f"{prefix}_fid_n", len(cells))
    out.value(f"{prefix}_fid_phrase", counts_phrase(cells))
    out.value(f"{prefix}_fid_changed_phrase", changed_phrase(cells))
    n_notes = int(((cells["status"] != "agrees") | _changed(cells)).sum())
    out.value(
        f"{prefix}_fid_notes_phrase",
        f"需要说明的单元格共 {n_notes} 个" if n_notes else "没有一个单元格需要说明",
    )
    out.table(
        f"{prefix}_tbl_fid_summary",
        BookTable(
            _summary_table(cells, names),
            "与原文对照：本章各表单元格的对照结果（每次构建由逐格记录与共识编码算出）",
            f"tbl-{prefix}-fid-summary",
        ),
    )
    notes = _notes_table(cells, names)
    if notes.empty:
        notes = pd.DataFrame(
            [{"表": "—", "单元格": "（无：全部单元格与原文一致，修订也没有改变任何单元格）"}]
        )
    out.table(
        f"{prefix}_tbl_fid_notes",
        BookTable(
            notes,
            "需要说明的单元格：对照结果不是“与原文一致”，或经本书修订编码后才与原文一致",
            f"tbl-{prefix}-fid-notes",
        ),
    )
    out.table(
        f"{prefix}_tbl_fid_all",
        BookTable(_full_table(cells, names), "与原文对照：全部单元格", f"tbl-{prefix}-fid-all"),
    )
    return out


def arguments_output(studies: Sequence[str], prefix: str, manifest: io.Manifest | None = None) -> PageOutput:
    """The section "来源研究的主要论点与局限": a table of the studies' arguments, contributions, limits."""
    args = load_coded_table("study_arguments", manifest)
    args = args[args["study"].isin(list(studies))]
    if args.empty:
        raise ValueError(f"no argument of the studies {list(studies)}")
    out = PageOutput()
    counts = args["kind"].value_counts()
    out.value(
        f"{prefix}_args_phrase",
        "、".join(f"{KIND_ZH[k]} {int(counts[k])} 条" for k in KIND_ZH if counts.get(k, 0)),
    )
    rows = [
        {
            **({"研究": study_name(str(rec["study"]))} if len(studies) > 1 else {}),
            "类别": KIND_ZH[str(rec["kind"])],
            "内容（本书概括）": str(rec["statement_zh"]),
            "原文": str(rec["evidence_zh"]),
            "出处": seed_ref(str(rec["seed_id"]), int(rec["line_from"]), int(rec["line_to"]), short=True),
        }
        for rec in args.to_dict("records")
    ]
    out.table(
        f"{prefix}_tbl_args",
        BookTable(
            pd.DataFrame(rows),
            "来源研究自己的主要论点、理论贡献与自陈局限（概括为本书所写，原文逐字）",
            f"tbl-{prefix}-args",
        ),
    )
    return out


def records_table(record: Fidelity, manifest: io.Manifest | None = None) -> pd.DataFrame:
    """One row per study: what its fidelity record and its arguments hold (for the data appendix)."""
    cells = record.cells
    args = load_coded_table("study_arguments", manifest)
    rows = []
    for study in STUDY_PAGE:
        sub = cells[cells["study"] == study]
        says = sub["seed_says"].value_counts()
        kinds = args.loc[args["study"] == study, "kind"].value_counts()
        rows.append(
            {
                "来源研究": study_name(study),
                "对照的单元格": len(sub),
                **{f"原文{SAYS_ZH[s]}": int(says.get(s, 0)) for s in SAYS_ZH},
                "附引文": int((sub["seed_id"] != "").sum()),
                **{KIND_ZH[k]: int(kinds.get(k, 0)) for k in KIND_ZH},
            }
        )
    return pd.DataFrame(rows)


def studies_table(record: Fidelity) -> pd.DataFrame:
    """One row per study: its chapter's cells by status now, and how many changed with the revisions."""
    cells = record.cells
    rows = []
    for study in STUDY_PAGE:
        sub = cells[cells["study"] == study]
        if sub.empty:
            continue
        counts = sub["status"].value_counts()
        rows.append(
            {
                "来源研究": study_name(study),
                "单元格": len(sub),
                **{STATUS_ZH[s]: int(counts.get(s, 0)) for s in fidelity.STATUSES},
                "修订后改变": int(_changed(sub).sum()),
            }
        )
    return pd.DataFrame(rows)
