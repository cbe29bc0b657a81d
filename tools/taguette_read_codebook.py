"""Read a codebook CSV with Taguette 1.5.2's own importer and write the tags it read as JSON.

Runs in the tool environment ``.tools/qda`` (``make qda-tools``). Usage::

    .tools/qda/bin/python tools/taguette_read_codebook.py CODEBOOK.csv RESULT.json

``taguette.import_codebook.list_tags`` is what Taguette's "Import codebook" dialog calls on the
uploaded file (it detects the encoding with chardet, then reads the ``tag``/``name``/``path`` and
``description`` columns).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(csv_path: Path, out: Path) -> None:
    """Parse ``csv_path`` as Taguette would and write ``[{"path", "description"}, ...]`` to ``out``."""
    from taguette.import_codebook import list_tags

    with csv_path.open("rb") as fh:
        tags = list_tags(fh)
    out.write_text(json.dumps(tags, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
