"""Citations and the reference list as Chinese readers expect them (sphinxcontrib-bibtex plugins).

:class:`BookReferenceStyle` (``bibtex_reference_style: book_zh``) writes citations in the
author–year form of Chinese journals:

* ``{cite:t}`` 王子琦、林晨（2022）, Roth（2022）; ``{cite:p}`` （王子琦、林晨，2022；Roth，2022）;
* Chinese authors joined by 、, three or more as 王子琦等; Western surnames joined by "and", three
  or more as "Cameron et al.";
* no year printed: 年份不详; no author: the entry's ``shorthand`` field, else its title, a title
  the book had to supply (in square brackets) cut to its main title: ［超大城市智慧应急模式创新］.

:class:`BookBibStyle` (``bibtex_default_style: book_zh``) writes the list after GB/T 7714-2015's
author–year system: Chinese entries first, then the others, each
``作者, 年份. 题名[J]. 刊名, 卷(期): 页码. DOI`` (a newspaper article ``题名[N]. 报纸名, 日期(版次)``),
with the entry's note kept (it says what the source does not print).
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import latexcodec  # noqa: F401 (registers the "ulatex" codec)
from pybtex.database import Entry, Person
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.template import join, node
from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import post_text, pre_text, reference

__all__ = [
    "NO_YEAR",
    "BookBibStyle",
    "BookReferenceStyle",
    "cite_names",
    "cite_year",
    "is_cjk",
    "short_title",
]

#: Printed where a source gives no year.
NO_YEAR = "年份不详"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_BRACES = re.compile(r"[{}]")
#: GB/T 7714 document type codes.
TYPE_CODE = {
    "article": "J",
    "book": "M",
    "incollection": "M",
    "inbook": "M",
    "phdthesis": "D",
    "mastersthesis": "D",
    "techreport": "R",
    "inproceedings": "C",
    "manual": "Z",
}
#: An ``article`` with this ``entrysubtype`` (biblatex's marker) is a newspaper article, listed as
#: ``题名[N]. 报纸名, 出版日期(版次)`` from its ``journal``, ``date`` and ``pages`` fields.
NEWSPAPER = "newspaper"


def is_cjk(text: str) -> bool:
    """Whether ``text`` has Chinese characters."""
    return bool(_CJK.search(text))


def _plain(text: str) -> str:
    """A field's text with LaTeX accents decoded and braces removed."""
    with contextlib.suppress(ValueError):
        text = codecs.decode(text, "ulatex")  # type: ignore[call-overload]
    return _BRACES.sub("", text).strip()


def _surname(person: Person) -> str:
    return _plain(" ".join(person.prelast_names + person.last_names))


def cite_names(persons: list[Person]) -> str:
    """The authors as a citation names them: 王子琦、林晨, 王子琦等, Callaway and Sant'Anna, Cameron et al."""
    names = [_surname(p) for p in persons]
    if not names:
        return ""
    if is_cjk("".join(names)):
        return names[0] + "等" if len(names) > 2 else "、".join(names)
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


def short_title(title: str) -> str:
    """A title for a citation without author: a supplied title (in brackets) cut to its main title."""
    title = _plain(title)
    if title.startswith("[") and title.endswith("]"):
        main = re.split(r"[：:（(]", title[1:-1], maxsplit=1)[0].strip()
        return f"［{main}］"
    return f"《{title}》" if is_cjk(title) else title


def cite_year(entry: Entry) -> str:
    """The year, or :data:`NO_YEAR`."""
    return _plain(entry.fields.get("year", "")) or NO_YEAR


def _cite_author(entry: Entry) -> str:
    for role in ("author", "editor"):
        if entry.persons.get(role):
            return cite_names(entry.persons[role])
    if entry.fields.get("shorthand"):
        return _plain(entry.fields["shorthand"])
    return short_title(entry.fields.get("title", entry.key))


@node  # type: ignore[untyped-decorator]
def _author(children: list[Any], data: dict[str, Any]) -> Text:
    return Text(_cite_author(data["entry"]))


@node  # type: ignore[untyped-decorator]
def _year(children: list[Any], data: dict[str, Any]) -> Text:
    return Text(cite_year(data["entry"]))


@dataclass
class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name: str) -> Any:
        return join(sep="")[
            pre_text,
            reference[join(sep=self.author_year_sep)[_author, _year]],
            post_text,
        ]


@dataclass
class _Textual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name: str) -> Any:
        return join[
            _author,
            self.bracket.left,
            join(sep="")[pre_text, reference[_year], post_text],
            self.bracket.right,
        ]


@dataclass
class _Author(ExtraAuthorReferenceStyle):
    def inner(self, role_name: str) -> Any:
        return reference[_author]


def _brackets(sep: str) -> BracketStyle:
    return BracketStyle(left="（", right="）", sep=sep, sep2=sep, last_sep=sep)


@dataclass
class BookReferenceStyle(GroupReferenceStyle):
    """Author–year citations in Chinese form (see the module's docstring)."""

    bracket_parenthetical: BracketStyle = field(default_factory=lambda: _brackets("；"))
    bracket_textual: BracketStyle = field(default_factory=lambda: _brackets("、"))
    author_year_sep: str = "，"

    def __post_init__(self) -> None:
        self.styles.extend(
            [
                _Parenthetical(bracket=self.bracket_parenthetical, author_year_sep=self.author_year_sep),
                _Textual(bracket=self.bracket_textual),
                _Author(bracket=self.bracket_parenthetical),
                ExtraLabelReferenceStyle(bracket=self.bracket_parenthetical),
                ExtraYearReferenceStyle(bracket=self.bracket_parenthetical),
                ExtraEmptyReferenceStyle(),
            ]
        )
        super().__post_init__()  # type: ignore[no-untyped-call]


# --- the reference list ----------------------------------------------------------------------


def _list_name(person: Person) -> str:
    surname = _surname(person)
    if is_cjk(surname):
        return _plain("".join(person.first_names + person.middle_names)) + surname
    initials = " ".join(_plain(n)[0] for n in person.first_names + person.middle_names if _plain(n))
    return f"{surname} {initials}".strip()


def list_names(persons: list[Person]) -> str:
    """The authors as the list writes them: up to three, then 等 / et al."""
    names = [_list_name(p) for p in persons]
    cjk = is_cjk("".join(names))
    sep, more = ("、", "等") if cjk else (", ", ", et al.")
    return sep.join(names[:3]) + (more if len(names) > 3 else "")


def _sort_key(entry: Entry) -> tuple[int, str, str]:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    who = _plain(entry.fields.get("sortkey", "")) or " ".join(_surname(p) for p in persons)
    who = who or _plain(entry.fields.get("title", entry.key))
    return (0 if is_cjk(who) else 1, who.lower(), cite_year(entry))


class BookBibStyle(BaseStyle):  # type: ignore[misc]
    """The reference list after GB/T 7714-2015's author–year system (see the module's docstring)."""

    default_name_style = "plain"
    default_label_style = "number"
    default_sorting_style = "none"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sort = self.sort_entries

    @staticmethod
    def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
        """Chinese entries first, then the others, each by author (or title) and year."""
        return sorted(entries, key=_sort_key)

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
        """One entry of the list."""
        f = {k: _plain(v) for k, v in entry.fields.items()}
        persons = entry.persons.get("author") or []
        title = f.get("title", "")
        newspaper = entry.type == "article" and f.get("entrysubtype") == NEWSPAPER
        code = "N" if newspaper else TYPE_CODE.get(entry.type, "EB/OL" if f.get("url") else "Z")
        head = f"{list_names(persons)}, {cite_year(entry)}. " if persons else ""
        label_title = f"{title}[{code}]" if persons else f"{title}, {cite_year(entry)}[{code}]"
        parts: list[Any] = [head, label_title]
        pages = f.get("pages", "").replace("--", "–")
        if entry.type in ("incollection", "inbook"):
            editors = entry.persons.get("editor") or []
            parts.append(f"//{list_names(editors)}. " if editors else "//")
            parts.append(f"{f.get('booktitle', '')}. ")
        else:
            parts.append(". ")
        if f.get("journal") and newspaper:
            where = ", ".join(x for x in (f["journal"], f.get("date", "")) if x)
            parts.append(where + (f"({pages}). " if pages else ". "))
        elif f.get("journal"):
            where = ", ".join(x for x in (f["journal"], f.get("volume", "")) if x)
            where += f"({f['number']})" if f.get("number") else ""
            parts.append(where + (f": {pages}. " if pages else ". "))
        elif entry.type == "techreport":
            parts.append(" ".join(x for x in (f.get("type", ""), f.get("number", "")) if x) + ". ")
        if f.get("edition"):
            parts.append(f"{f['edition']} ed. ")
        publisher = ": ".join(
            x for x in (f.get("address", ""), f.get("publisher", "") or f.get("institution", "")) if x
        )
        if publisher and pages and not f.get("journal"):
            publisher += f": {pages}"
        for text in (publisher, f.get("school", ""), f.get("howpublished", "")):
            if text:
                parts.append(text + ". ")
        if f.get("note"):
            parts.append(f["note"].rstrip("。.") + ("。" if is_cjk(f["note"]) else ". "))
        if f.get("doi"):
            parts += ["DOI: ", HRef(f"https://doi.org/{f['doi']}", f["doi"]), ". "]
        elif f.get("url"):
            parts += [HRef(f["url"], f["url"]), ". "]
        return FormattedEntry(entry.key, Text(*parts), label)
