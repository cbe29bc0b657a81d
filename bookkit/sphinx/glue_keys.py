"""The glue roles and directives, keeping the key of what they paste.

MyST-NB pastes a glued value as a bare ``<span class="pasted-text">`` and a glued table or figure
as the table or figure itself: nothing in the page says which key it came from. The provenance
panels need that, so :class:`BookGlueDomain` replaces MyST-NB's ``glue`` domain with roles and
directives that do what MyST-NB's do and then mark the result:

* a role's result is wrapped in an inline node carrying :data:`KEY` (and :data:`DOC`, the page
  that glued it, for a ``page.md::key`` reference to another page);
* a directive marks the first table or figure it produced (or, without one, a container around
  its result) the same way.

The marks are plain node attributes: no builder writes them, so the HTML and the LaTeX output are
unchanged until :mod:`bookkit.sphinx.provenance` turns them into buttons in the HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from myst_nb.ext.glue.directives import (
    PasteAnyDirective,
    PasteFigureDirective,
    PasteMarkdownDirective,
    PasteMathDirective,
)
from myst_nb.ext.glue.domain import NbGlueDomain
from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteRoleAny, PasteTextRole
from myst_nb.ext.glue.utils import PendingGlueReference

__all__ = ["DOC", "KEY", "BookGlueDomain", "glue_key", "is_glued_value", "within"]

#: Node attribute: the glue key a node was pasted from.
KEY = "book_glue_key"
#: Node attribute: the page (docname) that glued it, when it is another page.
DOC = "book_glue_doc"


def glue_key(text: str) -> str:
    """The key of a role's text: ``page.md::key:fmt`` -> ``key``."""
    key = text.split("::", 1)[-1]
    return key.split(":", 1)[0].strip()


def is_glued_value(node: nodes.Node) -> bool:
    """Whether ``node`` is the wrapper of an inline glued value."""
    return isinstance(node, nodes.inline) and KEY in node.attributes


def within(node: nodes.Node, test: Callable[[nodes.Node], bool]) -> bool:
    """Whether any ancestor of ``node`` passes ``test``."""
    parent = node.parent
    while parent is not None:
        if test(parent):
            return True
        parent = parent.parent
    return False


def _other_doc(found: list[nodes.Node]) -> str:
    for node in found:
        for pending in node.findall(PendingGlueReference):
            return str(pending.refdoc)
    return ""


def _mark_role(role_cls: type) -> type:
    class Marked(role_cls):  # type: ignore[misc]
        def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
            found, messages = super().run()
            if not found:
                return found, messages
            wrapper = nodes.inline("", "", *found)
            wrapper[KEY] = glue_key(self.text)
            wrapper[DOC] = _other_doc(found)
            return [wrapper], messages

    Marked.__name__ = f"Marked{role_cls.__name__}"
    return Marked


def _mark_directive(directive_cls: type) -> type:
    class Marked(directive_cls):  # type: ignore[misc]
        def run(self) -> list[nodes.Node]:
            found: list[nodes.Node] = super().run()
            key = str(self.arguments[0]).strip()
            doc = _other_doc(found)
            for node in found:
                for target in node.findall(lambda n: isinstance(n, (nodes.table, nodes.figure))):
                    target[KEY], target[DOC] = key, doc
                    return found
            if not found or all(isinstance(n, nodes.system_message) for n in found):
                return found
            box = nodes.container("", *found)
            box[KEY], box[DOC] = key, doc
            return [box]

    Marked.__name__ = f"Marked{directive_cls.__name__}"
    return Marked


class BookGlueDomain(NbGlueDomain):  # type: ignore[misc]
    """MyST-NB's ``glue`` domain with roles and directives that keep the pasted key."""

    roles: dict[str, Any] = {  # noqa: RUF012 (the Domain API's class attribute)
        "": _mark_role(PasteRoleAny)(),
        "any": _mark_role(PasteRoleAny)(),
        "text": _mark_role(PasteTextRole)(),
        "md": _mark_role(PasteMarkdownRole)(),
    }
    directives: dict[str, Any] = {  # noqa: RUF012
        "": _mark_directive(PasteAnyDirective),
        "any": _mark_directive(PasteAnyDirective),
        "figure": _mark_directive(PasteFigureDirective),
        "math": _mark_directive(PasteMathDirective),
        "md": _mark_directive(PasteMarkdownDirective),
    }
