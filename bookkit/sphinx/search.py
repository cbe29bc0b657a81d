"""The Chinese search.

jieba segments the pages into words for the index, but the search page split a query only at
spaces and punctuation, so a query such as 价值共创 (indexed as 价值 and 共创) found nothing.
:class:`ChineseSearch` sends a query splitter to the page that segments each run of Chinese
characters by longest match against the index's own words.

jieba cuts the same text the same way in every build, and cutting a whole book takes seconds
(its dictionary alone about one); the cuts are kept in the doctree folder from one build to the
next (:func:`load_cuts`, :func:`save_cuts`), for the version of jieba and the user dictionary
they were made with.

Each result also shows a snippet of its page around the words searched for: the search page
gets every page's text, by section, from ``_static/book-search-texts.js``
(:func:`collect_texts`, :func:`write_texts`, :func:`offer_texts`).
"""

from __future__ import annotations

import hashlib
import html
import json
import pickle
from importlib.metadata import version
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search.zh import JIEBA, SearchChinese

__all__ = [
    "SPLIT_QUERY_JS",
    "TEXTS_JS",
    "ChineseSearch",
    "collect_texts",
    "load_cuts",
    "offer_texts",
    "save_cuts",
    "write_texts",
]

#: The search page's query splitter (``splitQuery``, read by Sphinx's searchtools.js): Latin text
#: splits as before; each run of Han characters is cut into the longest words the index knows.
SPLIT_QUERY_JS = r"""
var splitQuery = (query) => {
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const has = (table, word) => !!table && Object.prototype.hasOwnProperty.call(table, word);
  const known = (word) => has(index.terms, word) || has(index.titleterms, word);
  const out = [];
  query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((t) => t).forEach((chunk) => {
    chunk.split(/(\p{Script=Han}+)/u).filter((t) => t).forEach((part) => {
      if (!/^\p{Script=Han}+$/u.test(part) || known(part)) { out.push(part); return; }
      const words = [];
      let i = 0;
      while (i < part.length) {
        let j = part.length;
        while (j > i + 1 && !known(part.slice(i, j))) j--;
        if (j > i + 1) { words.push(part.slice(i, j)); i = j; } else { i += 1; }
      }
      out.push(...(words.length ? words : [part]));
    });
  });
  return out;
};
"""


class _Terms(set[str]):
    """The Latin words seen so far, as a set that :class:`SearchChinese` can ``extend``."""

    def extend(self, words: list[str]) -> None:
        self.update(words)


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search, with a query splitter that matches how the index was cut.

    Sphinx keeps the Latin words of every page in a list (shared by the class) and looks each
    word to stem up in it: the index of the whole book took quadratic time (about 9 s of a
    build). A set per instance gives the same stems.
    """

    js_splitter_code = SPLIT_QUERY_JS

    def init(self, options: dict[str, str]) -> None:
        """Sphinx's set-up, with this instance's own set of Latin words."""
        super().init(options)
        self.latin_terms = _Terms()  # type: ignore[assignment]
        _CUTS.made_with = _made_with(options)
        if _CUTS.kept_with != _CUTS.made_with:  # cut by another jieba or with another dictionary
            _CUTS.kept = {}

    def split(self, input: str) -> list[str]:
        """Sphinx's split, with jieba's cut of ``input`` taken from the kept cuts when it is there."""
        chinese = _CUTS.cut(input) if JIEBA else []
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.extend(latin1)
        return chinese + latin1


def _made_with(options: dict[str, str]) -> str:
    """What a cut depends on besides its text: jieba's version and the user dictionary's bytes."""
    if not JIEBA:
        return ""
    dict_path = options.get("dict")
    extra = Path(dict_path).read_bytes() if dict_path and Path(dict_path).is_file() else b""
    return f"jieba {version('jieba')} {hashlib.sha256(extra).hexdigest()}"


class _Cuts:
    """jieba's cuts by page and text: those kept from the last build, and those of this one.

    The index is fed one page at a time, right after the page's doctree is resolved
    (:func:`collect_texts` names the page); a page indexed again replaces its kept cuts.
    """

    FILE = "book-search-cuts.pickle"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every cut (a new build)."""
        self.made_with = ""
        self.kept_with = ""
        self.kept: dict[str, dict[str, list[str]]] = {}
        self.used: dict[str, dict[str, list[str]]] = {}
        self.doc = ""

    def cut(self, text: str) -> list[str]:
        page = self.used.setdefault(self.doc, {})
        words = page.get(text)
        if words is None:
            words = self.kept.get(self.doc, {}).get(text)
            if words is None:
                import jieba  # loaded only when a text is new

                words = list(jieba.cut_for_search(text))
            page[text] = words
        return list(words)


_CUTS = _Cuts()


def load_cuts(app: Sphinx) -> None:
    """Take up the cuts kept by the last build (``builder-inited``)."""
    _CUTS.reset()
    if app.builder.format != "html":
        return
    try:
        with Path(app.doctreedir, _Cuts.FILE).open("rb") as handle:
            _CUTS.kept_with, _CUTS.kept = pickle.load(handle)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        _CUTS.kept_with, _CUTS.kept = "", {}


def save_cuts(app: Sphinx, exception: BaseException | None) -> None:
    """Keep the cuts of the pages indexed now, and the last build's of the others (``build-finished``)."""
    if exception is not None or app.builder.format != "html" or not _CUTS.made_with:
        return
    pages = {doc: cuts for doc, cuts in _CUTS.kept.items() if doc in app.env.all_docs}
    pages.update({doc: cuts for doc, cuts in _CUTS.used.items() if doc})
    with Path(app.doctreedir, _Cuts.FILE).open("wb") as handle:
        pickle.dump((_CUTS.made_with, pages), handle)


# --- search results with snippets ----------------------------------------------------------------

#: The script that hands the search page every page's text (written into ``_static``).
TEXTS_JS = "book-search-texts.js"

#: Sphinx's search page fetches each result's page to cut a snippet from it; from ``file://`` the
#: browser refuses that request, so results showed titles only. The script answers those requests
#: from the texts below instead (``searchtools.js`` then cuts the snippet as usual).
_TEXTS_TEMPLATE = """(function () {
  "use strict";
  const TEXTS = %s;
  const fetchPage = window.fetch ? window.fetch.bind(window) : null;
  window.fetch = function (resource, init) {
    const url = String((resource && resource.url) || resource);
    const doc = url.replace(/^(\\.\\/)+/, "").replace(/[?#].*$/, "").replace(/\\.html$/, "");
    if (Object.prototype.hasOwnProperty.call(TEXTS, doc)) {
      return Promise.resolve(new Response(TEXTS[doc], { headers: { "Content-Type": "text/html" } }));
    }
    return fetchPage ? fetchPage(resource, init) : Promise.reject(new Error("no fetch"));
  };
})();
"""


def _text(node: nodes.Node) -> str:
    return "".join(
        t.astext() for t in node.findall(nodes.Text) if not isinstance(t.parent, (nodes.raw, nodes.comment))
    )


def _page_html(node: nodes.Element) -> str:
    parts = []
    for child in node.children:
        if isinstance(child, nodes.section) and child["ids"]:
            parts.append(f'<section id="{html.escape(child["ids"][0])}">{_page_html(child)}</section>')
        elif isinstance(child, nodes.container) and child.get("nb_element") == "cell_code":
            continue
        elif isinstance(child, nodes.Element) and not isinstance(child, (nodes.raw, nodes.comment)):
            text = " ".join(_text(child).split())
            if text:
                parts.append(f"<p>{html.escape(text)}</p>")
    return "".join(parts)


def collect_texts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Keep the page's text, by section, for the search page's snippets (HTML only)."""
    if app.builder.format != "html":
        return
    _CUTS.doc = docname  # the page Sphinx indexes next
    texts: dict[str, str] = app.builder.__dict__.setdefault("book_search_texts", {})
    texts[docname] = f'<div role="main">{_page_html(doctree)}</div>'


def write_texts(app: Sphinx, exception: BaseException | None) -> None:
    """Write every page's text into ``_static`` for the search page.

    The texts of the pages written now replace those kept in the doctree folder by earlier
    builds; pages no longer in the book are dropped.
    """
    if exception is not None or app.builder.format != "html":
        return
    written = app.builder.__dict__.get("book_search_texts", {})
    # an incremental build writes some pages only: the others' texts are kept from earlier builds
    kept_file = Path(app.doctreedir, "book-search-texts.json")
    try:
        kept = json.loads(kept_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    texts = {doc: text for doc, text in kept.items() if doc in app.env.all_docs} | written
    kept_file.write_text(json.dumps(texts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    body = json.dumps(texts, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    (Path(app.outdir) / "_static" / TEXTS_JS).write_text(_TEXTS_TEMPLATE % body, encoding="utf-8")


def offer_texts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Load the texts on the search page only."""
    if pagename == "search" and "script_files" in context:
        context["script_files"] = [*context["script_files"], f"_static/{TEXTS_JS}"]
