r"""Chapter, appendix, table and figure numbers as a Chinese book writes them.

* ``env-get-updated`` (:func:`number_with_the_toc`, :func:`number_appendices`): the unnumbered
  part of ``_toc.yml`` is the appendix. Its chapters are lettered A, B, C … (a chapter's
  sub-pages A.1, A.2 …), and their tables and figures are numbered with their appendix
  (表 A.1, 图 C.2) instead of running on from 表 1 across every unnumbered page. The PDF
  letters its appendix itself (``\appendix``).
* :class:`BookStandardDomain`: ``{numref}`` to a chapter prints 第9章, to a section 第9.2节,
  to an appendix 附录A (附录A.2 for its sub-pages), so a cross-reference reads like a sentence
  instead of spelling out the chapter's whole title.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.errors import ExtensionError

from bookkit import toc

__all__ = [
    "BookStandardDomain",
    "appendix_docs",
    "forget_appendix_numbers",
    "number_appendices",
    "number_with_the_toc",
    "section_format",
]

Number = tuple[int | str, ...]


def section_format(number: Number) -> str:
    """The ``{numref}`` format for a section with this number."""
    if not number:
        return ""
    if isinstance(number[0], str):
        return "附录%s"
    return "第%s章" if len(number) == 1 else "第%s节"


def appendix_docs() -> list[str]:
    """The chapters of the unnumbered part(s) of ``_toc.yml``, in order."""
    return [doc for part in toc.parts() if not part.numbered for doc in part.docs]


def _letter(numbers: list[int]) -> Number:
    return (string.ascii_uppercase[numbers[0] - 1], *numbers[1:])


def forget_appendix_numbers(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Take the letters of the last build off the appendix chapters' titles, before Sphinx numbers.

    An incremental build keeps the titles of the pages it does not read again, with the letter
    :func:`number_appendices` gave them. sphinx-external-toc's collector renumbers every title of
    the root's toctrees that carries a number, the appendix's too, and then fails
    (``KeyError: 'book/replication'``) on a page Sphinx itself left unnumbered. Runs before the
    collector (:func:`number_with_the_toc` calls it first); :func:`number_appendices` letters the
    pages again after it.
    """
    for doc in appendix_docs():
        for name in (doc, *env.toctree_includes.get(doc, ())):
            title = env.titles.get(name)
            if title is not None:
                title.attributes.pop("secnumber", None)
    return []


def _numbers(env: BuildEnvironment) -> dict[str, tuple[object, object]]:
    return copy.deepcopy(
        {doc: (env.toc_secnumbers.get(doc), env.toc_fignumbers.get(doc)) for doc in sorted(env.found_docs)}
    )


def _renumber(
    collector: Callable[[Sphinx, BuildEnvironment], list[str]], app: Sphinx, env: BuildEnvironment
) -> list[str]:
    numbered = _numbers(env)
    forget_appendix_numbers(app, env)
    # both steps walk every page's doctree to number its tables and figures; each is loaded once,
    # and kept for the numrefs (:meth:`BookStandardDomain._doctree`): no page changes after this
    domain = env.domains["std"]
    env.get_doctree = partial(domain._doctree, env)  # type: ignore[attr-defined,method-assign]
    try:
        collector(app, env)
        number_appendices(app, env)
    finally:
        del env.get_doctree
    now = _numbers(env)
    return [doc for doc in now if now[doc] != numbered.get(doc)]


def number_with_the_toc(app: Sphinx) -> None:
    """Number the book in one step with the table-of-contents collector (``builder-inited``).

    The collector numbers every page (sphinx-external-toc's, in ``env-get-updated``) and reports
    the pages whose numbers changed since the last build, to be written again; the appendix is
    then lettered. Run as two steps, every build first un-lettered the appendix and then lettered
    it again, so both steps reported every appendix page as changed: a prose edit of one chapter
    wrote 14 pages. Wrapped, the collector, :func:`forget_appendix_numbers` and
    :func:`number_appendices` run as one handler that reports the pages whose final numbers
    differ from the last build's.
    """
    listeners = app.events.listeners["env-get-updated"]
    for i, listener in enumerate(listeners):
        if isinstance(getattr(listener.handler, "__self__", None), TocTreeCollector):
            listeners[i] = listener._replace(handler=partial(_renumber, listener.handler))
            return
    raise ExtensionError("bookkit: no table-of-contents collector is registered to number the book")


def number_appendices(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Letter the appendix chapters and their sections; number their tables and figures by them."""
    docs = [doc for doc in appendix_docs() if doc in env.tocs]
    if not docs:
        return []
    numstack = [0]
    changed: list[str] = []

    def walk_toc(node: nodes.Element, secnums: dict[str, Number], titlenode: nodes.Element | None) -> None:
        for sub in node.children:
            if isinstance(sub, nodes.bullet_list):
                numstack.append(0)
                walk_toc(sub, secnums, titlenode)
                numstack.pop()
                titlenode = None
            elif isinstance(sub, (nodes.list_item, addnodes.only)):
                walk_toc(cast(nodes.Element, sub), secnums, titlenode)
                titlenode = None
            elif isinstance(sub, addnodes.compact_paragraph):
                numstack[-1] += 1
                number = _letter(numstack)
                reference = cast(nodes.reference, sub[0])
                secnums[reference["anchorname"]] = number
                reference["secnumber"] = list(number)
                if titlenode is not None:
                    titlenode["secnumber"] = list(number)
                    titlenode = None
            elif isinstance(sub, addnodes.toctree):
                walk_toctree(sub)

    def walk_toctree(node: addnodes.toctree) -> None:
        for _title, ref in node["entries"]:
            if ref in env.tocs and ref not in env.toc_secnumbers:
                number_doc(ref)

    def number_doc(doc: str) -> None:
        secnums: dict[str, Number] = {}
        env.toc_secnumbers[doc] = secnums  # type: ignore[assignment]
        walk_toc(env.tocs[doc], secnums, env.titles.get(doc))
        changed.append(doc)

    for doc in docs:
        if doc not in env.toc_secnumbers:
            number_doc(doc)
    # the tables and figures again, now that the appendix has numbers to prefix them with
    changed += TocTreeCollector.assign_figure_numbers(TocTreeCollector(), env)
    return sorted(set(changed))


class BookStandardDomain(StandardDomain):
    """Sphinx's standard domain, with ``{numref}`` formats for chapters, sections and appendices.

    Sphinx unpickles the target page's whole doctree for every ``{numref}`` (twice here, once
    for the number's format): about 300 loads of pages with large tables, a third of a build's
    writing time. References are resolved once every page has been read, when no doctree
    changes any more, so each page's doctree is loaded once and shared, read-only, with the
    numbering of tables and figures (:func:`number_with_the_toc`), which loads them first.
    """

    def _doctree(self, env: BuildEnvironment, docname: str) -> nodes.document:
        loaded: dict[str, nodes.document] = self.__dict__.setdefault("_loaded_doctrees", {})
        if docname not in loaded:
            loaded[docname] = BuildEnvironment.get_doctree(env, docname)
        return loaded[docname]

    def _resolve_numref_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        docname, labelid = (self.labels.get(target) or self.anonlabels.get(target) or ("", ""))[:2]
        number: Number = ()
        if docname and not node["refexplicit"]:
            section = self._doctree(env, docname).ids.get(labelid)
            if isinstance(section, nodes.section):
                secnums = env.toc_secnumbers.get(docname, {})
                number = secnums.get("#" + section["ids"][0]) or secnums.get("", ())
        wanted = section_format(number)
        saved = env.config.numfig_format
        if wanted:
            env.config.numfig_format = {**saved, "section": wanted}
        env.get_doctree = partial(self._doctree, env)  # type: ignore[method-assign]
        try:
            return super()._resolve_numref_xref(env, fromdocname, builder, typ, target, node, contnode)
        finally:
            del env.get_doctree
            env.config.numfig_format = saved
