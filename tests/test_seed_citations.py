"""Works the book cites through a source study are in that study's own reference list.

A sentence of the book attributes a work *through a source study* when it names the study's
authors (for example "王子琦、林晨借用奥斯本等人的……") and cites another work. Each such work
must have a row in ``data/raw/seed_citations.csv`` for one of the studies the sentence names,
and that row must agree with ``book/references.bib`` on the first author's surname, the year
and the words of the title (the row's agreement with the seed's own reference line is a rule of
its schema; its seed line is checked with every quotation).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import io, paths
from analysis.data.text import letters

#: Names by which the book's prose refers to each source study's authors.
STUDY_NAMES: dict[str, str] = {
    "王子琦": "000",
    "詹国辉": "001",
    "李慧凤": "002",
    "刘旭然": "003",
    "S市A区场景论文": "004",
    "C市智慧应急论文": "004",
}
#: The source studies' own entries in references.bib.
STUDY_KEYS = {
    "wang2022hsg",
    "zhan_lxju",
    "li2022value",
    "liu2023phd",
    "seed004_emergency",
    "seed004_scenario",
}
_CITE = re.compile(r"\{cite:[a-z]+\}`([^`]*)`")
#: A references.bib note that says the entry was checked against a source study's reference list.
VERIFIED_NOTE = "参考文献表核实"
#: Seed lines named in a note: 来源文件 002 第 53 行, 来源文件 003 第 122296—122300 行.
_NOTE_LINES = re.compile(r"来源文件\s*(\d{3})\s*第\s*(\d+)(?:\s*[—–-]\s*(\d+))?\s*行")
_FENCE = re.compile(r"```.*?```", re.S)


def _bib() -> dict[str, dict[str, str]]:
    text = (paths.BOOK_DIR / "references.bib").read_text(encoding="utf-8")
    out = {}
    for key, body in re.findall(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        fields = dict(re.findall(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", body, re.M))
        out[key] = {k.lower(): v for k, v in fields.items()}
    return out


def attributions(markdown: str) -> list[tuple[frozenset[str], str, str]]:
    """(studies named, cited key, sentence) for every work cited beside a named source study."""
    found = []
    for sentence in re.split(r"[。\n]", _FENCE.sub("", markdown)):
        studies = frozenset(s for name, s in STUDY_NAMES.items() if name in sentence)
        if not studies:
            continue
        for group in _CITE.findall(sentence):
            for key in (k.strip() for k in group.split(",")):
                if key not in STUDY_KEYS:
                    found.append((studies, key, sentence))
    return found


@pytest.fixture(scope="module")
def citations() -> pd.DataFrame:
    return io.load_table("seed_citations")


def test_each_row_agrees_with_references_bib(citations: pd.DataFrame) -> None:
    bib = _bib()
    for rec in citations.to_dict("records"):
        entry = bib[rec["bib_key"]]
        assert rec["year"] == entry["year"], rec["bib_key"]
        surname = letters(entry["author"].split(" and ")[0].split(",")[0]).casefold()
        assert letters(rec["author"]).casefold() in surname, rec["bib_key"]
        assert letters(rec["title_words"]).casefold() in letters(entry["title"]).casefold(), rec["bib_key"]


def test_every_work_cited_through_a_study_is_in_its_reference_list(citations: pd.DataFrame) -> None:
    listed = set(zip(citations["bib_key"], citations["seed_id"], strict=True))
    seen = 0
    for page in sorted(paths.BOOK_DIR.glob("*.md")):
        for studies, key, sentence in attributions(page.read_text(encoding="utf-8")):
            seen += 1
            assert any((key, s) in listed for s in studies), (
                f"{page.name}: {key} via {sorted(studies)}: {sentence}"
            )
    assert seen > 0


def test_an_attribution_missing_from_the_list_is_caught(citations: pd.DataFrame) -> None:
    listed = set(zip(citations["bib_key"], citations["seed_id"], strict=True))
    text = "詹国辉借用了奥斯本等人的四阶段模型 {cite:p}`osborne2021`。"
    ((studies, key, _),) = attributions(text)
    assert studies == {"001"} and key == "osborne2021"
    assert not any((key, s) in listed for s in studies)


def unbacked_notes(bib: dict[str, dict[str, str]], citations: pd.DataFrame) -> list[str]:
    """Entries whose note claims verification through a source study's list without a row for it.

    Such a note must name the seed lines of every ``seed_citations`` row of its entry, and the
    entry must have at least one row (lines named beyond the rows, such as listings in texts
    spliced into a seed, are allowed).
    """
    rows = {
        (str(r["bib_key"]), str(r["seed_id"]), int(r["line_from"]), int(r["line_to"]))
        for r in citations.to_dict("records")
    }
    problems = []
    for key, entry in bib.items():
        note = entry.get("note", "")
        if key in STUDY_KEYS or VERIFIED_NOTE not in note:
            continue
        named = {(s, int(a), int(b or a)) for s, a, b in _NOTE_LINES.findall(note)}
        own = {(s, a, b) for k, s, a, b in rows if k == key}
        if not own:
            problems.append(f"{key}: its note claims verification but seed_citations has no row for it")
        elif not own <= named:
            problems.append(f"{key}: seed_citations rows {sorted(own - named)} are not named in its note")
    return problems


def test_bib_notes_that_claim_verification_through_a_study_are_backed(citations: pd.DataFrame) -> None:
    bib = _bib()
    assert any(VERIFIED_NOTE in e.get("note", "") for k, e in bib.items() if k not in STUDY_KEYS)
    assert unbacked_notes(bib, citations) == []


def test_a_verification_note_without_its_row_is_caught(citations: pd.DataFrame) -> None:
    note = f"经来源研究的{VERIFIED_NOTE}：据来源文件 002 第 53 行著录"
    assert unbacked_notes({"nobody2019": {"note": note}}, citations) == [
        "nobody2019: its note claims verification but seed_citations has no row for it"
    ]
    listed = citations.iloc[[0]].assign(bib_key="nobody2019", seed_id="002", line_from=54, line_to=54)
    assert unbacked_notes({"nobody2019": {"note": note}}, listed) == [
        "nobody2019: seed_citations rows [('002', 54, 54)] are not named in its note"
    ]


def test_seed_lines_named_in_a_note_list_the_work(manifest: io.Manifest, seeds_dir: Path) -> None:
    """Every seed range a verification note names prints the first author and the year."""
    seen = 0
    for key, entry in _bib().items():
        note = entry.get("note", "")
        if key in STUDY_KEYS or VERIFIED_NOTE not in note:
            continue
        first = letters(entry["author"].split(" and ")[0].split(",")[0])
        for seed, a, b in _NOTE_LINES.findall(note):
            seen += 1
            seed_file = seeds_dir / manifest.seeds[seed]["file"]
            text = letters("".join(io.read_seed_lines(seed_file, int(a), int(b or a))))
            assert first in text and entry["year"] in text, (key, seed, a, b)
    assert seen > 0
