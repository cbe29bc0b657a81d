"""The Chinese search.

jieba segments the pages into words for the index, but the search page split a query only at
spaces and punctuation, so a query such as 价值共创 (indexed as 价值 and 共创) found nothing.
:class:`ChineseSearch` sends a query splitter to the page that segments each run of Chinese
characters by longest match against the index's own words.
"""

from __future__ import annotations

from sphinx.search.zh import SearchChinese

__all__ = ["SPLIT_QUERY_JS", "ChineseSearch"]

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


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search, with a query splitter that matches how the index was cut."""

    js_splitter_code = SPLIT_QUERY_JS
