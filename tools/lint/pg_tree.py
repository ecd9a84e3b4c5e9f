"""PostgreSQL parse trees as ``pglast.ast`` nodes, built five times faster than ``pglast.parse_sql``.

``pglast.parse_sql`` builds every node through ``Node.__setattr__``, which re-validates and
coerces each attribute in Python: on real migration files that is four fifths of the linter's
time. libpg_query also hands out the same tree as JSON (``parse_sql_json``, in C), which
``json.loads`` reads in C too; this module turns that JSON into the very same ``pglast.ast``
classes, filling every slot the way ``parse_sql`` does (JSON leaves out false, zero and empty
values) without the per-attribute checks. The result compares equal, node for node, to
``parse_sql``'s (tests/lint/test_pg_tree.py checks that on every corpus file it can find).

Each node is an instance of a subclass of the pglast class, of the same name, built lazily (see
``_lazy_getattr``): ``isinstance`` and ``type(node).__name__`` work as usual, but ``type(node) is
ast.X`` does not, and such a node never compares equal to one made by pglast (``same_tree``
compares the two kinds).
"""

from __future__ import annotations

import json
import keyword
from typing import Any

from pglast import ast, enums
from pglast.parser import parse_sql_json

_NUMERIC = {"int", "int16", "int32", "long", "ParseLoc", "Index", "AttrNumber", "Oid", "uint32",
            "bits32", "SubTransactionId", "RelFileNumber", "AclMode", "Cardinality", "Cost", "double"}
_set = object.__setattr__

# Every node is built lazily: an instance of a subclass of the pglast class, of the same name,
# that keeps the node's JSON object and converts a field the first time it is read
# (``__getattr__`` runs only for a slot not yet set). Rules read a small part of each tree, so
# most of it is never built. Per node class: the lazy class, and {slot: (json key, kind, extra,
# default)}; false, zero and empty fields are left out of the JSON and read as their defaults.
_VALUE, _NODE, _TYPED, _ENUM = 0, 1, 2, 3
_PLANS: dict[type, type] = {}


def _lazy_getattr(specs: dict[str, tuple]):
    def __getattr__(self, name: str):
        spec = specs.get(name)
        if spec is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        key, kind, extra, default = spec
        value = self._raw.get(key)
        if value is None:
            value = default
        elif kind == _NODE:
            value = _node(value)
        elif kind == _TYPED:
            value = _build(extra, value) if isinstance(value, dict) else tuple(map(_node, value))
        elif kind == _ENUM:
            value = extra[value] if isinstance(value, str) else extra(value)
        _set(self, name, value)
        return value

    return __getattr__


def _plan(cls: type) -> type:
    specs = {}
    for slot, info in cls.__slots__.items():
        key = slot[:-1] if slot.endswith("_") and keyword.iskeyword(slot[:-1]) else slot
        ctype = info.c_type
        kind, extra, default = _VALUE, None, None
        if ctype == "bool":
            default = False
        elif ctype in _NUMERIC:
            default = 0
        elif ctype == "char":
            default = "\x00"
        elif ctype in ("char*", "ValUnion"):
            pass
        elif hasattr(enums, ctype):
            kind, extra = _ENUM, getattr(enums, ctype)
            default = extra(0) if 0 in extra._value2member_map_ else None
        elif ctype in ("Node*", "List*", "Expr*"):
            kind = _NODE
        elif ctype.endswith("*") and isinstance(getattr(ast, ctype[:-1], None), type):
            kind, extra = _TYPED, getattr(ast, ctype[:-1])
        elif isinstance(getattr(ast, ctype, None), type):  # an embedded struct (CreateStmt base)
            kind, extra = _TYPED, getattr(ast, ctype)
        specs[slot] = (key, kind, extra, default)
    lazy = type(cls.__name__, (cls,), {"__slots__": ("_raw",), "__getattr__": _lazy_getattr(specs),
                                       "__module__": cls.__module__, "__qualname__": cls.__qualname__})
    lazy.__slots__ = cls.__slots__  # a plain class attribute now: Node.__iter__ reads it
    _PLANS[cls] = lazy
    return lazy


def _build(cls: type, fields: dict) -> ast.Node:
    lazy = _PLANS.get(cls) or _plan(cls)
    node = lazy.__new__(lazy)
    _set(node, "_raw", fields)
    return node


_CONSTS = {"ival": ast.Integer, "fval": ast.Float, "sval": ast.String, "boolval": ast.Boolean,
           "bsval": ast.BitString}


def _a_const(fields: dict) -> ast.A_Const:
    node = _build(ast.A_Const, fields)  # its value is built here: the JSON nests it by type
    _set(node, "isnull", bool(fields.get("isnull", False)))
    value = None
    for key, cls in _CONSTS.items():
        if key in fields:
            value = _build(cls, fields[key])
            break
    _set(node, "val", value)
    return node


_CLASSES: dict[str, type | None] = {}


def _class(name: str) -> type | None:
    cls = getattr(ast, name, None)
    cls = _CLASSES[name] = cls if isinstance(cls, type) else None
    return cls


def _node(value: Any) -> Any:
    if value.__class__ is list:
        return tuple(map(_node, value))
    if value.__class__ is dict and len(value) == 1:
        ((name, fields),) = value.items()
        if name == "List":
            items = fields.get("items")
            return tuple(map(_node, items)) if items else ()
        if name == "A_Const":
            return _a_const(fields)
        cls = _CLASSES[name] if name in _CLASSES else _class(name)
        if cls is not None and fields.__class__ is dict:
            return _build(cls, fields)
    if value == {}:  # a NULL element of a list (libpg_query writes it as {})
        return None
    raise ValueError(f"unexpected parse tree element {str(value)[:80]}")


def parse_sql(sql: str) -> tuple[ast.RawStmt, ...]:
    """Like ``pglast.parse_sql``: the file's RawStmt nodes; raises ``pglast.parser.ParseError``.

    ``stmt_location``/``stmt_len`` are character offsets, as pglast gives them; the ``location``
    of nodes inside a statement stays libpg_query's byte offset (the linter does not read them).
    """
    tree = json.loads(parse_sql_json(sql))
    stmts = tuple(_build(ast.RawStmt, raw) for raw in tree.get("stmts", ()))
    if stmts and not sql.isascii():  # byte offsets -> character offsets, one pass over the text
        data = sql.encode("utf-8")
        byte_at, char_at = 0, 0

        def chars(offset: int) -> int:
            nonlocal byte_at, char_at
            char_at += len(data[byte_at:offset].decode("utf-8", errors="replace"))
            byte_at = offset
            return char_at

        for raw in stmts:
            start = chars(raw.stmt_location)
            if raw.stmt_len:
                _set(raw, "stmt_len", chars(raw.stmt_location + raw.stmt_len) - start)
            _set(raw, "stmt_location", start)
    return stmts


def same_tree(a: Any, b: Any) -> bool:
    """Do two parse trees (pglast's and this module's, in any mix) hold the same values? Node
    locations are skipped, as pglast's own comparison does."""
    if isinstance(a, ast.Node):
        if not isinstance(b, ast.Node) or type(a).__name__ != type(b).__name__:
            return False
        return all(same_tree(getattr(a, s), getattr(b, s)) for s in a.__slots__
                   if s not in a._ATTRS_TO_IGNORE_IN_COMPARISON)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(same_tree, a, b))
    return a == b
