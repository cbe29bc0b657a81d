"""The coding, browsable and downloadable: every segment of the consensus coding in one table.

:func:`browser_frame` is the table the segment browser (``book/segments.md``) shows, one row per
segment; :data:`FILTERS` names the columns the page filters by (the browser's script builds a
menu for each, from the values in the column). The actor column appears when the actor coding
(``segment_actors`` in the manifest) exists. :func:`write_downloads` writes the coding and its
codebook as CSV files for the page's download links.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.coding.codebook import Codebook, codebook_frame
from analysis.coding.segments import split_codes
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report.casebook import SOURCE_TYPE_ZH
from analysis.report.format import seed_ref, segment_link

__all__ = [
    "ACTORS_TABLE",
    "COLUMNS",
    "DOWNLOADS",
    "FILTERS",
    "actor_labels",
    "browser_frame",
    "code_label",
    "coding_frame",
    "filter_links",
    "write_downloads",
]

#: The table's columns: the name a link uses (``segments.html?case=…``) -> the column's header.
COLUMNS: dict[str, str] = {
    "id": "片段",
    "case": "案例",
    "lines": "出处",
    "type": "来源类型",
    "quote": "引文",
    "code": "代码（共识编码）",
    "actor": "主体",
}
#: The columns the browser filters by (a menu of the column's values each).
FILTERS: tuple[str, ...] = ("case", "type", "code", "actor")
#: The actor coding's table in the manifest (added by the actor coding; optional here).
ACTORS_TABLE = "segment_actors"
#: The files the page offers: the consensus coding and its codebook.
DOWNLOADS = {"coding": "coding_consensus.csv", "codebook": "codebook.csv"}
#: Separator between several values in one cell (codes, actors).
SEP = "；"


def code_label(codebook: Codebook, code_id: str) -> str:
    """A code as the browser shows it: its Chinese name and id, ``敏捷回应与精准服务（CAP.AGL）``."""
    return f"{codebook.code(code_id).name_zh}（{code_id}）"


def actor_labels(manifest: io.Manifest | None = None) -> pd.Series | None:
    """Each segment's actors as one cell (``None`` without an actor coding).

    The actor table is keyed by ``segment_id``; its other text columns (except coder, round
    and notes) are the actor coding, ``;``-separated values joined per segment.
    """
    manifest = manifest or io.load_manifest()
    if ACTORS_TABLE not in manifest.files:
        return None
    table = io.load_table(ACTORS_TABLE, manifest)
    skip = {"segment_id", "coder", "round"}
    columns = [c for c in table.columns if c not in skip and not c.startswith("note")]
    labels: dict[str, list[str]] = {}
    for rec in table.to_dict("records"):
        values = labels.setdefault(str(rec["segment_id"]), [])
        for column in columns:
            values += [v for v in split_codes(str(rec[column])) if v not in values]
    return pd.Series({sid: SEP.join(v) for sid, v in labels.items()}, dtype=str)


def browser_frame(
    segments: pd.DataFrame, codebook: Codebook, actors: pd.Series | None = None
) -> pd.DataFrame:
    """One row per segment, in the book's case order, with the headers of :data:`COLUMNS`."""
    order = {case: i for i, case in enumerate(CASES)}
    rows = segments.assign(_order=segments["case_id"].map(order)).sort_values(
        ["_order", "segment_id"], kind="stable"
    )
    frame = pd.DataFrame(
        {
            COLUMNS["id"]: rows["segment_id"],
            COLUMNS["case"]: [CASES[c][1] for c in rows["case_id"]],
            COLUMNS["lines"]: [
                seed_ref(seed, int(a), int(b))
                for seed, a, b in zip(rows["seed_id"], rows["line_from"], rows["line_to"], strict=True)
            ],
            COLUMNS["type"]: rows["source_type"].map(SOURCE_TYPE_ZH),
            COLUMNS["quote"]: rows["evidence_zh"],
            COLUMNS["code"]: [
                SEP.join(code_label(codebook, c) for c in split_codes(cell)) for cell in rows["codes"]
            ],
        }
    )
    if actors is not None:
        frame[COLUMNS["actor"]] = [actors.get(sid, "") for sid in rows["segment_id"]]
    return frame.reset_index(drop=True)


def filter_links(case_ids: pd.Series, code_ids: pd.Series) -> list[str]:
    """For each (case, code) pair, the browser's address listing that case's segments with that code.

    Give a chart's rows these as a column and encode it as the chart's ``href``
    (``alt.Href("link:N")``): a heat-map cell then opens its quotations in the browser.
    """
    return [
        segment_link(case=CASES[case][1], code=code) for case, code in zip(case_ids, code_ids, strict=True)
    ]


def coding_frame(segments: pd.DataFrame, codebook: Codebook, actors: pd.Series | None = None) -> pd.DataFrame:
    """The consensus coding as the download gives it: ids and codes, with Chinese labels beside them."""
    out = segments[
        ["segment_id", "case_id", "seed_id", "line_from", "line_to", "source_type", "evidence_zh", "codes"]
    ].copy()
    out.insert(2, "case_zh", [CASES[c][1] for c in out["case_id"]])
    out.insert(7, "source_type_zh", out["source_type"].map(SOURCE_TYPE_ZH))
    out["codes_zh"] = [";".join(codebook.code(c).name_zh for c in split_codes(cell)) for cell in out["codes"]]
    out["framework_codes"] = segments["framework_codes"]
    if actors is not None:
        out["actors"] = [actors.get(sid, "").replace(SEP, ";") for sid in out["segment_id"]]
    return out.reset_index(drop=True)


def write_downloads(folder: Path, segments: pd.DataFrame, codebook: Codebook) -> list[Path]:
    """Write the consensus coding and its codebook (UTF-8 with BOM, for spreadsheets) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    actors = actor_labels()
    written = []
    for name, frame in (
        (DOWNLOADS["coding"], coding_frame(segments, codebook, actors)),
        (DOWNLOADS["codebook"], codebook_frame(codebook)),
    ):
        target = folder / name
        frame.to_csv(target, index=False, encoding="utf-8-sig")
        written.append(target)
    return written
