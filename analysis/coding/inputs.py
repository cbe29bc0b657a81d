"""Loading any coding table: the gate's checks, then every code it holds against the codebook.

Which columns hold codes is declared in the schema (a column's ``metadata`` says
``codes: "leaf"`` or ``codes: "framework"``; see :mod:`analysis.data.schemas.coding`), so a new
coding file, a new round or an actor coding keyed by ``segment_id`` is checked the same way as
soon as its schema declares its columns: codes that exist, no top-level code where a
second-level one is needed, no code twice in a cell. Segment ids and other references to tables
are resolved by :func:`analysis.data.io.load_table` itself (``refers_to``).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis.coding.codebook import Codebook, load_book_codebook
from analysis.data import io
from analysis.data.errors import DataError, Problem
from analysis.data.schemas.common import SCHEMAS

__all__ = ["code_columns", "code_problems", "load_coded_table", "split_codes"]


def split_codes(cell: str) -> list[str]:
    """The code ids of a ``;``-joined cell (empty cell: no codes)."""
    return [c for c in cell.split(";") if c]


def code_columns(schema: pa.DataFrameSchema) -> dict[str, str]:
    """Column -> ``"leaf"``, ``"framework"`` or ``"any"`` (either) for every column holding codes."""
    return {
        name: str(column.metadata["codes"])
        for name, column in schema.columns.items()
        if column.metadata and "codes" in column.metadata
    }


def code_problems(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, codebook: Codebook, where: str
) -> list[Problem]:
    """Every code in ``frame``'s code columns checked against ``codebook``; problems name the line."""
    leaves, tops, framework = set(codebook.leaf_ids), set(codebook.top_ids), codebook.framework_code_ids
    problems = []
    for column, kind in code_columns(schema).items():
        valid = {"leaf": leaves, "framework": framework}.get(kind, leaves | framework)
        for label, cell in zip(frame.index, frame[column], strict=True):
            codes = split_codes(str(cell))
            place, line = io.locate(frame, label, where)
            for code in codes:
                if code in valid:
                    continue
                if kind == "leaf" and code in tops:
                    rule = "is a top-level code; code with its second-level codes"
                elif kind == "leaf":
                    rule = f"is not a second-level code of the codebook (version {codebook.version})"
                elif kind == "framework":
                    rule = f"is not a framework code of the codebook (version {codebook.version})"
                else:
                    rule = f"is neither a second-level nor a framework code (version {codebook.version})"
                problems.append(Problem(place, line, column, code, rule))
            if len(set(codes)) != len(codes):
                problems.append(Problem(place, line, column, cell, "a code is given twice"))
    return problems


def load_coded_table(
    name: str, manifest: io.Manifest | None = None, codebook: Codebook | None = None
) -> pd.DataFrame:
    """A table of the manifest, loaded by :func:`analysis.data.io.load_table`, its codes checked.

    Raises
    ------
    DataError
        As :func:`analysis.data.io.load_table`, and for every code that is not in the codebook
        (or is a top-level code, or is repeated in its cell), naming file, line, field and code.
    """
    manifest = manifest or io.load_manifest()
    entry = io.manifest_entry(name, manifest)
    frame = io.load_table(name, manifest)
    schema = SCHEMAS[entry.schema]
    if code_columns(schema):
        codebook = codebook or load_book_codebook(manifest)
        problems = code_problems(frame, schema, codebook, entry.where)
        if problems:
            raise DataError(problems)
    return frame
