"""Matching the indexes a spec asks for with the ones a shadow database holds, feature by
feature: key columns and expressions, DESC, NULLS FIRST/LAST, collation, operator class,
INCLUDE, the partial-index predicate and the access method.

Both sides are Schema models read the same way (the start from the shadow's catalog, put
through ``schema/evolve.py``; the result from the catalog after the up steps), so what the
catalog prints compares with what it printed before. An index a spec adds carries no keys
(only column names): it is matched on what the spec says (uniqueness, method, columns, whether
it is partial).
"""

from __future__ import annotations

import re

from migsmith.tools.schema.model import Index


def _norm(text: str | None) -> str:
    """SQL text without blanks, quotes and parentheses: spellings of one expression by the
    catalog (pretty or not) compare equal."""
    return re.sub(r'[()\s"`]', "", text or "")


def full_signature(idx: Index) -> tuple:
    keys = tuple((_norm(k.column or k.expression), k.descending, k.nulls, k.collation,
                  k.opclass) for k in idx.keys)
    return (bool(idx.unique), (idx.method or "btree").lower(), keys, tuple(idx.include),
            _norm(idx.where))


def loose_signature(idx: Index) -> tuple:
    return (bool(idx.unique), (idx.method or "btree").lower(),
            tuple(_norm(c) for c in idx.columns), idx.where is not None)


def match_indexes(want: list[Index], got: list[Index]) -> tuple[list[Index], list[Index]]:
    """(indexes asked for and missing, indexes present and not asked for)."""
    left = list(got)
    missing = []
    for w in sorted(want, key=lambda i: not i.keys):  # exact ones first
        sig = full_signature if w.keys else loose_signature
        target = sig(w)
        found = next((g for g in left if sig(g) == target), None)
        if found is None:
            missing.append(w)
        else:
            left.remove(found)
    return missing, left


def describe(idx: Index) -> str:
    """``unique btree index on (a DESC NULLS LAST, lower(b) text_pattern_ops) INCLUDE (c)
    WHERE ...``: every feature the comparison looks at."""
    def key(k) -> str:
        text = k.column or k.expression or ""
        text += f' COLLATE "{k.collation}"' if k.collation else ""
        text += f" {k.opclass}" if k.opclass else ""
        text += " DESC" if k.descending else ""
        return text + (f" NULLS {k.nulls.upper()}" if k.nulls else "")

    keys = [key(k) for k in idx.keys] if idx.keys else list(idx.columns)
    method = (idx.method or "btree").lower()
    return (f"{'unique ' if idx.unique else ''}{method} index on ({', '.join(keys)})"
            + (f" INCLUDE ({', '.join(idx.include)})" if idx.include else "")
            + (f" WHERE {idx.where}" if idx.where else ""))


def index_sql(idx: Index, table_sql: str, name: str) -> str:
    """CREATE INDEX ``name`` on ``table_sql`` (already quoted) as the model ``idx`` says:
    keys (columns quoted, expressions as the catalog or the spec wrote them), method,
    INCLUDE and WHERE."""
    from migsmith.tools.spec.identifiers import quote_ident

    def key(k) -> str:
        text = quote_ident(k.column) if k.column else f"({k.expression})"
        text += f' COLLATE "{k.collation}"' if k.collation else ""
        text += f" {k.opclass}" if k.opclass else ""
        text += " DESC" if k.descending else ""
        return text + (f" NULLS {k.nulls.upper()}" if k.nulls else "")

    keys = ([key(k) for k in idx.keys] if idx.keys else
            [quote_ident(c) if re.fullmatch(r"\w+", c) else f"({c})" for c in idx.columns])
    include = f" INCLUDE ({', '.join(quote_ident(c) for c in idx.include)})" if idx.include else ""
    return (f"CREATE {'UNIQUE ' if idx.unique else ''}INDEX {quote_ident(name)} ON {table_sql} "
            f"USING {idx.method or 'btree'} ({', '.join(keys)}){include}"
            + (f" WHERE {idx.where}" if idx.where else ""))


def rename_in_sql(text: str | None, old: str, new: str) -> str | None:
    """``text`` with the column ``old`` (bare or double-quoted, not after a dot) renamed."""
    if not text:
        return text
    from migsmith.tools.spec.identifiers import quote_ident

    pattern = re.compile(rf'(?<![\w."]){re.escape(old)}(?![\w"])|"{re.escape(old)}"')
    return pattern.sub(quote_ident(new), text)
