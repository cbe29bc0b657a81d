"""The reader aids: citation style, numbering, provenance records, segment browser, glossary, cases.

Unit tests first (each shows the rule fails on what it must refuse), then checks of the built site.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import Entry, Person, parse_file
from sphinx.search.zh import SearchChinese

from analysis import __version__
from analysis.chapters import cases, glossary
from analysis.coding import consensus
from analysis.coding.segments import load_codebook_data
from analysis.data import paths
from analysis.data.errors import DataError
from analysis.report import segment_browser
from analysis.report.format import segment_link
from analysis.report.page import PageOutput
from bookkit import toc
from bookkit.glue import PROVENANCE_KEY, provenance
from bookkit.registry import extract_glue
from bookkit.sphinx import citations, numbering, quotes
from bookkit.sphinx.glue_keys import glue_key
from bookkit.sphinx.provenance import statement_at
from bookkit.sphinx.search import ChineseSearch

# --- citations ---------------------------------------------------------------------------


def _people(*names: str) -> list[Person]:
    return [Person(n) for n in names]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("{王子琦}",), "王子琦"),
        (("{王子琦}", "{林晨}"), "王子琦、林晨"),
        (("{王子琦}", "{林晨}", "{詹国辉}"), "王子琦等"),
        (("Roth, Jonathan",), "Roth"),
        (("Callaway, Brantly", "Sant'Anna, Pedro H. C."), "Callaway and Sant'Anna"),
        (("Cameron, A. Colin", "Gelbach, Jonah B.", "Miller, Douglas L."), "Cameron et al."),
    ],
)
def test_citation_names_as_chinese_readers_expect(names: tuple[str, ...], expected: str) -> None:
    assert citations.cite_names(_people(*names)) == expected


def test_undated_and_untitled_sources_get_readable_citations() -> None:
    assert citations.cite_year(Entry("misc", fields={"title": "x"})) == "年份不详"
    assert citations.short_title("[超大城市智慧应急模式创新：{C}市数字应急应用（拟题，原题未印出）]") == (
        "［超大城市智慧应急模式创新］"
    )
    assert citations.short_title("迈向整体智治") == "《迈向整体智治》"


def test_the_reference_list_puts_chinese_entries_first_in_gbt_form() -> None:
    bib = parse_file(str(paths.BOOK_DIR / "references.bib"))
    style = citations.BookBibStyle()
    ordered = style.sort(bib.entries.values())
    cjk = [
        citations.is_cjk(" ".join(p.last_names[0] for p in e.persons.get("author", [])) or e.fields["title"])
        for e in ordered
    ]
    assert cjk == sorted(cjk, reverse=True), "Chinese entries must come first"
    text = style.format_entry("1", bib.entries["wang2022hsg"]).text.render_as("text")
    assert text.startswith("王子琦、林晨, 2022. 整体智治何以促进价值共创")
    assert " and " not in text and "n.d." not in text


def test_a_newspaper_article_is_listed_with_its_date_and_page() -> None:
    fields = {"title": "标题", "journal": "光明日报", "entrysubtype": "newspaper", "year": "2020"}
    entry = Entry(
        "article",
        fields={**fields, "date": "2020-06-12", "pages": "11"},
        persons={"author": _people("郁建兴")},
    )
    text = citations.BookBibStyle().format_entry("1", entry).text.render_as("text")
    assert text.startswith("郁建兴, 2020. 标题[N]. 光明日报, 2020-06-12(11). ")
    journal = Entry(
        "article", fields={**fields, "entrysubtype": "", "number": "2"}, persons={"author": _people("郁建兴")}
    )
    assert "标题[J]. 光明日报(2)." in citations.BookBibStyle().format_entry("1", journal).text.render_as(
        "text"
    )


def test_the_built_book_prints_no_english_citation_forms(html_dir: Path) -> None:
    problems = []
    for page in sorted((html_dir / "book").glob("*.html")):
        for cite in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".bibtex-citation"):
            text = cite.get_text()
            if "n.d." in text or "[[" in text or re.search(r"[\u4e00-\u9fff] and [\u4e00-\u9fff]", text):
                problems.append(f"{page.name}: {text}")
    assert problems == []
    frameworks = (html_dir / "book" / "frameworks.html").read_text(encoding="utf-8")
    assert "王子琦、林晨，2022" in frameworks and "詹国辉，年份不详" in frameworks


# --- numbering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "wanted"),
    [((9,), "第%s章"), ((9, 2), "第%s节"), (("A",), "附录%s"), (("A", 2), "附录%s"), ((), "")],
)
def test_numref_formats(number: tuple[int | str, ...], wanted: str) -> None:
    assert numbering.section_format(number) == wanted


def test_appendix_tables_are_numbered_with_their_appendix(html_dir: Path) -> None:
    letters = {}
    for i, doc in enumerate(numbering.appendix_docs()):
        letters[doc] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]
    assert letters, "the toc has no appendix"
    for part in toc.parts():
        for doc in part.docs:
            page = html_dir / f"{doc}.html"
            numbers = re.findall(
                r'<span class="caption-number">[表图] ([^ <]+) </span>', page.read_text("utf-8")
            )
            if part.numbered:
                assert all(re.fullmatch(r"\d+\.\d+", n) for n in numbers), (doc, numbers)
            else:
                assert all(n.startswith(letters[doc] + ".") for n in numbers), (doc, numbers)


def test_numref_prints_chapter_numbers(html_dir: Path) -> None:
    soup = BeautifulSoup((html_dir / "book" / "cases.html").read_text(encoding="utf-8"), "html.parser")
    refs = [
        a.get_text() for a in soup.select("#tbl-cases-index a.reference.internal") if "章" in a.get_text()
    ]
    assert refs and all(re.fullmatch(r"第\d+章", r) for r in refs)


# --- provenance records ------------------------------------------------------------------


def test_the_provenance_record_lists_files_and_origins() -> None:
    out = PageOutput()
    out.value("t_x", len(consensus.final_segments()))
    record = provenance(out)
    assert "data/raw/coded_segments.csv" in record["files"]
    assert record["keys"]["t_x"]["function"] == "test_the_provenance_record_lists_files_and_origins"
    file, statement = statement_at(__name__, record["keys"]["t_x"]["line"])
    assert file == "tests/test_reader_aids.py" and statement.startswith('out.value("t_x"')


@pytest.mark.parametrize("module", ["analysis.report.synthesis", "analysis.coding.consensus"])
def test_the_statement_is_the_one_ast_gives(module: str) -> None:
    """The statement shown is the innermost one, cut as ``ast.get_source_segment`` cuts it."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    text = Path(spec.origin).read_text(encoding="utf-8")
    compound = (ast.FunctionDef, ast.ClassDef, ast.For, ast.If, ast.With)
    statements = [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.stmt)]
    for line in range(1, len(text.splitlines()) + 1):
        best: ast.stmt | None = None
        for node in statements:
            if not node.lineno <= line <= (node.end_lineno or 0):
                continue
            if best is None or (node.end_lineno or 0) - node.lineno <= (best.end_lineno or 0) - best.lineno:
                best = node
        wanted = (
            ""
            if best is None or isinstance(best, compound)
            else textwrap.dedent(ast.get_source_segment(text, best, padded=True) or "")
        )
        assert statement_at(module, line)[1] == wanted, (module, line)


def test_chinese_search_stems_as_sphinx_does() -> None:
    """The index's Latin words are a set per instance; the stems are Sphinx's."""
    ours, sphinx_own = ChineseSearch({}), SearchChinese({})
    text = "整体智治 DID SEM Callaway tables running 价值共创"
    assert ours.split(text) == sphinx_own.split(text)
    words = ["DID", "SEM", "Callaway", "tables", "running", "is", "价值"]
    assert [ours.stem(w) for w in words] == [sphinx_own.stem(w) for w in words]
    assert ChineseSearch({}).latin_terms == set()


def test_a_value_added_in_a_page_cell_has_no_source_file() -> None:
    assert statement_at("__main__", 1) == ("", "")
    assert statement_at("no.such.module", 1) == ("", "")


def test_the_registry_leaves_out_the_provenance_record(tmp_path: Path) -> None:
    glue = tmp_path / "p.glue.json"
    glue.write_text(
        json.dumps({"t_a": {"data": {"text/plain": "1"}}, PROVENANCE_KEY: {"data": {"text/plain": "{}"}}}),
        encoding="utf-8",
    )
    assert [r["key"] for r in extract_glue(glue, "p")] == ["t_a"]


@pytest.mark.parametrize(
    ("text", "key"), [("met_n", "met_n"), ("met_x:.3f", "met_x"), ("did.md::did_cs:.3f", "did_cs")]
)
def test_glue_key_of_a_role(text: str, key: str) -> None:
    assert glue_key(text) == key


def test_a_quotation_is_recognised_by_its_longest_fragment() -> None:
    assert (
        quotes.probe("短…这是一段足够长的引文片段用来识别…尾")
        == "这是一段足够长的引文片段用来识"[: quotes.PROBE_CHARS]
    )
    assert quotes.probe("太短") == ""
    index = quotes.index()
    assert {q.table for q in index} >= {"coded_segments", "codebook", "reform_events"}


# --- segment browser ---------------------------------------------------------------------


def test_segment_links() -> None:
    assert segment_link("SEG-S-A-013") == "segments.html#seg-s-a-013"
    assert segment_link(case="杭州", code="CAP.AGL") == "segments.html?case=%E6%9D%AD%E5%B7%9E&code=CAP.AGL"


def test_a_heat_map_cell_links_to_its_quotations() -> None:
    links = segment_browser.filter_links(pd.Series(["LX", "S-A"]), pd.Series(["CAP.AGL", "PLT.SCN"]))
    assert links[0] == segment_link(case="L市X局“一网统管”", code="CAP.AGL")
    assert links[1].startswith("segments.html?case=") and links[1].endswith("&code=PLT.SCN")


def test_the_browser_table_has_an_actor_column_only_with_actor_coding(tmp_path: Path) -> None:
    codebook = load_codebook_data()
    final = consensus.final_segments(codebook)
    plain = segment_browser.browser_frame(final, codebook)
    assert list(plain.columns) == [h for k, h in segment_browser.COLUMNS.items() if k != "actor"]
    assert len(plain) == len(final)
    actors = pd.Series({final["segment_id"].iloc[0]: "GOV_OWN:STEER；CIT:USE"})
    with_actors = segment_browser.browser_frame(final, codebook, actors)
    assert with_actors[segment_browser.COLUMNS["actor"]].iloc[0] == "GOV_OWN:STEER；CIT:USE"
    written = segment_browser.write_downloads(tmp_path, final, codebook)
    coding = pd.read_csv(written[0], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(coding) == len(final) and {"segment_id", "codes", "codes_zh", "evidence_zh"} <= set(
        coding.columns
    )
    assert len(pd.read_csv(written[1], encoding="utf-8-sig")) > len(codebook.leaf_ids)


# --- glossary and cases ------------------------------------------------------------------


def test_a_glossary_quotation_is_cut_around_its_term() -> None:
    assert glossary.excerpt("短句", "短句") == "短句"
    cut = glossary.excerpt("甲" * 200 + "城运中心" + "乙" * 200, "城运中心")
    assert "城运中心" in cut and cut.startswith("…") and cut.endswith("…")
    assert len(cut) <= glossary.MAX_QUOTE + 2


def test_a_glossary_term_must_occur_in_its_quotation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glossary, "SOURCES", {"bad": ("跨省通办", "coded_segments", "SEG-ZJ-HS-001")})
    with pytest.raises(DataError, match="does not quote '跨省通办'"):
        glossary.build()
    monkeypatch.setattr(glossary, "SOURCES", {"bad": ("整体智治", "coded_segments", "SEG-NONE-001")})
    with pytest.raises(DataError, match="no row"):
        glossary.build()


def test_event_spans_read_well_for_none_one_and_many() -> None:
    none = pd.DataFrame({"date": []})
    assert cases.events_span(none) == "时间线未收录"
    assert cases.events_span(pd.DataFrame({"date": ["2019-03"]})) == "2019 年（1 项事件）"
    assert (
        cases.events_span(pd.DataFrame({"date": ["2021", "2019-11", "2021-04"]}))
        == "2019—2021 年（3 项事件）"
    )


def test_every_case_has_its_regions() -> None:
    from analysis.data.schemas.coding import CASES

    assert set(cases.CASE_REGIONS) == set(CASES)


# --- the built pages -----------------------------------------------------------------------


def test_every_page_shows_its_call_collapsed_with_what_it_does(html_dir: Path) -> None:
    for page in sorted((html_dir / "book").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        cells = soup.select("div.cell")
        if not cells:
            continue
        details = cells[0].find("details")
        assert details is not None and "hide" in details.get("class", []), page.name
        assert details.find("summary").get_text(strip=True).startswith("显示本页的计算代码")
        note = details.select_one("p.book-calls-note")
        assert note is not None and f"analysis.chapters.{page.stem}" in note.get_text(), page.name


def test_the_general_index_lists_the_glossary_and_the_cases(html_dir: Path) -> None:
    soup = BeautifulSoup((html_dir / "genindex.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select("table.indextable a")
    text = soup.get_text()
    assert len(entries) >= 20
    assert all(term in text for term in ("一网通办", "一网统管", "跨省通办", "城运中心", "场景会战"))
    assert "案例" in text


def test_citation_file_agrees_with_the_book() -> None:
    cff = yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == config["title"]
    assert cff["version"] == __version__
    assert cff["authors"] and cff["license"]
