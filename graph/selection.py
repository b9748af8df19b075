"""What a field's selection asks for further down, read from the query document: a resolver
that loads a page can then load what the page's items will need at once (look-ahead), instead
of one awaitable per item and field (graphql-core gathers those one by one)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionNode
from strawberry.types import Info


def _fields(selections: Iterable[SelectionNode], fragments: dict[str, Any],
            conditional: bool = False) -> Iterator[FieldNode]:
    """The fields of a selection set, fragments opened. A field or fragment under a directive
    (@skip, @include) is left out unless `conditional`: it may not run, and a look-ahead must
    never add work."""
    for selection in selections:
        if selection.directives and not conditional:
            continue
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set.selections, fragments, conditional)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set.selections, fragments, conditional)


def selected_below(info: Info[Any, Any], *path: str, conditional: bool = False,
                   ) -> frozenset[str]:
    """The names of the fields selected at `path` under the current field (e.g. `edges`,
    `node` of a connection), over every alias and fragment of the document; empty when the
    path is not selected. With `conditional`, fields under @skip/@include count too: the names
    of every field that may run (to leave out work only for what cannot be asked)."""
    fragments = info._raw_info.fragments
    level: list[FieldNode] = list(info._raw_info.field_nodes)
    for name in path:
        level = [f for node in level if node.selection_set is not None
                 for f in _fields(node.selection_set.selections, fragments, conditional)
                 if f.name.value == name]
    return frozenset(f.name.value for node in level if node.selection_set is not None
                     for f in _fields(node.selection_set.selections, fragments, conditional))
