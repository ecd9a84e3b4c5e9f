"""SQL text of a pglast node, as ``pglast.stream.RawStream(special_functions=True)`` prints
it (SQL-syntax functions kept as such), several times faster; ``expressions.deparse`` is the
way to call it.

``RawStream()(node)`` first walks the whole tree with pglast's generic breadth-first Visitor to
set every node's ``ancestors`` (the printers look at them); on schema files that walk is more
than half of the printing time (a 1,000-table pg_dump prints about 7,000 fragments). Here the
same ``Ancestor`` chains are set by a plain recursive walk, then RawStream's own printers print
the node, so the text is the same (tests/core/test_pg_print.py compares the two on every
statement of the committed fixtures and of the schema corpus).

``deparse`` also prints the trees of ``tools/lint/pg_tree.py`` (built from libpg_query's JSON,
five times faster than ``pglast.parse_sql``): their nodes are subclasses of pglast's classes,
which pglast's printer registry, keyed by exact class, does not know; printers are looked up
here by the pglast class of the same name.
"""

from __future__ import annotations

from pglast import ast
from pglast.printers import NODE_PRINTERS
from pglast.stream import RawStream
from pglast.visitors import Ancestor

_Node = ast.Node
_plain_setattr = object.__setattr__  # Node.__setattr__ validates every value: not needed here


def _set(node, anc) -> None:
    _plain_setattr(node, "ancestors", anc)
    for member in node:  # slot names (pg_tree's nodes answer unset ones with defaults)
        value = getattr(node, member)
        if isinstance(value, _Node):
            _set(value, Ancestor(anc, node, member))
        elif type(value) is tuple:
            _items(value, Ancestor(anc, node, member))


def _items(seq: tuple, anc) -> None:
    for i, value in enumerate(seq):
        if isinstance(value, _Node):
            _set(value, Ancestor(anc, seq, i))
        elif type(value) is tuple:
            _items(value, Ancestor(anc, seq, i))


def _pglast_class(cls: type) -> type:
    return getattr(ast, cls.__name__, cls)


class _Stream(RawStream):
    def print_node(self, node, is_name=False, is_symbol=False):
        if not isinstance(node, _Node) or self.comments:
            return super().print_node(node, is_name, is_symbol)
        cls = _pglast_class(type(node))
        parent = abs(node.ancestors)
        key = (None if parent is None else _pglast_class(type(parent.node)), cls)
        printer = NODE_PRINTERS.get(key) or NODE_PRINTERS.get(cls)
        if printer is None:
            raise NotImplementedError(f"Printer for node {cls.__name__!r} is not implemented yet")
        if is_name and isinstance(node, ast.String):
            printer(node, self, is_name=is_name, is_symbol=is_symbol)
        else:
            printer(node, self)
        self.separator()


def deparse(node) -> str:
    """``RawStream(special_functions=True)(node)`` for one standalone node (its ancestry
    rooted at the node)."""
    _set(node, Ancestor())
    stream = _Stream(special_functions=True)
    stream.print_node(node)
    return stream.getvalue()
