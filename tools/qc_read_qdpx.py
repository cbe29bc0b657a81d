"""Read a .qdpx with the REFI-QDA reader of qualitative-coding 1.6.0 and print what it read as JSON.

Runs in the separate tool environment ``.tools/qda`` (``make qda-tools``), never in the project's:
qualitative-coding pins numpy<2. Usage::

    .tools/qda/bin/python tools/qc_read_qdpx.py PROJECT.qdpx RESULT.json

(qc logs to standard output, so the result goes to a file.)

What is exercised: ``REFIQDAReader(path)`` (which validates ``project.qde`` against the REFI-QDA
schema shipped inside qualitative-coding) and ``REFIQDAReader.unpack_project(dir)``, which builds
a qc project: it extracts the sources, registers each as a document, reads Users, the CodeBook
tree (written to qc's ``codebook.yaml``) and every PlainTextSelection's Codings into qc's SQLite
database. The script then reads that database and the codebook back with qc's own ``QCCorpus``.

One adaptation, and only one: the REFI-QDA standard stores internal sources as
``plainTextPath="internal://<file>"`` in the archive folder ``Sources/``; qc 1.6.0's reader instead
joins ``plainTextPath`` as a plain relative path onto a lower-case ``sources/`` folder (its own
writer's layout), so it cannot open a conformant archive. The script therefore hands the reader a
copy in which the ``internal://`` prefix is removed from each ``plainTextPath`` and ``Sources/``
members are renamed ``sources/``; it reports how many of each it changed. Nothing else is touched.

What qc keeps of a coding: qc codes lines, not character ranges. Its reader takes the line from a
selection name of the form ``line:N`` (its own writer's convention); for any other selection it
looks the start position up in ``line_positions``, which in 1.6.0 iterates over the characters
of the text rather than its lines, so every such selection lands on line 0. Our selections are
named by segment id, so in qc each coding keeps its document, coder and code but not its line.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path


def adapt(src: Path, dst: Path) -> dict[str, int]:
    """Copy ``src`` to ``dst`` with qc's source-path layout; count the changes."""
    counts = {"plainTextPath": 0, "members_renamed": 0}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            name = info.filename
            if name == "project.qde":
                text, n = re.subn(r'plainTextPath="internal://', 'plainTextPath="', data.decode("utf-8"))
                counts["plainTextPath"] = n
                data = text.encode("utf-8")
            elif name.startswith("Sources/"):
                name = "sources/" + name.removeprefix("Sources/")
                counts["members_renamed"] += 1
            zout.writestr(name, data)
    return counts


def main(qdpx: Path, out: Path) -> None:
    """Import ``qdpx`` with qc into a temporary project and write what qc holds to ``out``."""
    from qualitative_coding.corpus import QCCorpus
    from qualitative_coding.database.models import CodedLine, Coder, Document, DocumentIndex, Location
    from qualitative_coding.refi_qda.reader import REFIQDAReader
    from sqlalchemy import select

    with tempfile.TemporaryDirectory() as tmp:
        adapted = Path(tmp) / "adapted.qdpx"
        counts = adapt(qdpx, adapted)
        project = Path(tmp) / "project"
        project.mkdir()
        os.chdir(project)  # the reader initialises its settings.yaml in the working directory
        reader = REFIQDAReader(str(adapted))
        reader.unpack_project(project)
        corpus = QCCorpus(project / "settings.yaml")
        with corpus.session():
            session = corpus.get_session()
            documents = sorted(session.scalars(select(Document.file_path)).all())
            coders = sorted(session.scalars(select(Coder.name)).all())
            coded = session.execute(
                select(DocumentIndex.document_id, CodedLine.coder_id, CodedLine.code_id, CodedLine.line)
                .join(CodedLine.locations)
                .join(Location.document_index)
            ).all()
            texts = {d: (corpus.corpus_dir / d).read_text(encoding="utf-8") for d in documents}
            tree = corpus.get_codebook()

        def flatten(node: object, depth: int, out: list[list[object]]) -> None:
            for child in node.children:  # type: ignore[attr-defined]
                out.append([depth, child.name])
                flatten(child, depth + 1, out)

        codebook: list[list[object]] = []
        flatten(tree, 0, codebook)
        result = {
            "adapted": counts,
            "documents": documents,
            "document_chars": {d: len(t) for d, t in texts.items()},
            "coders": coders,
            "codebook": codebook,
            "coded_lines": sorted([d, c, k, n] for d, c, k, n in coded),
            "code_guids": len(reader.code_guids),
            "coder_guids": sorted(reader.coder_guids.values()),
        }
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
