"""MySQL / SQLite: helpers over sqlglot's AST and the builder of the dialect-neutral ``Facts``.

sqlglot does not model every MySQL statement; some (``RENAME TABLE``, ``CREATE INDEX ... ALGORITHM=``)
come back as a raw ``Command`` whose arguments are one string. Those are re-tokenized with the
dialect's own tokenizer, never picked apart with regular expressions.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.tokens import Token, TokenType

from migsmith.tools.lint.facts import DataChange, Facts, RowCopy, TableRef


def table_ref(table: exp.Expression | None) -> TableRef | None:
    if isinstance(table, exp.Schema):  # CREATE TABLE t (cols...) wraps the table in a Schema
        table = table.this
    if not isinstance(table, exp.Table):
        return None
    return TableRef(table.name.lower(), (table.db or None) and table.db.lower())


def command_tokens(node: exp.Command, dialect: str) -> list[Token]:
    """The tokens of a raw Command's argument text (e.g. ``TABLE a TO b`` for ``RENAME``)."""
    text = node.expression.this if isinstance(node.expression, exp.Literal) else str(node.expression or "")
    return Dialect.get_or_raise(dialect).tokenize(text)


def command_words(node: exp.Command, dialect: str) -> list[str]:
    return [t.text.upper() for t in command_tokens(node, dialect)]


def _rename_table_pairs(node: exp.Command, dialect: str) -> list[tuple[TableRef, str]]:
    """MySQL ``RENAME TABLE a TO b [, c TO d ...]`` -> [(a, "b"), (c, "d")]."""
    tokens = command_tokens(node, dialect)
    if not tokens or tokens[0].token_type != TokenType.TABLE:
        return []
    groups: list[list[Token]] = [[]]
    for tok in tokens[1:]:
        if tok.token_type == TokenType.COMMA:
            groups.append([])
        elif tok.token_type != TokenType.DOT:
            groups[-1].append(tok)
    pairs = []
    for group in groups:
        words = [t.text for t in group]
        upper = [w.upper() for w in words]
        if "TO" not in upper:
            continue
        at = upper.index("TO")
        old, new = words[:at], words[at + 1:]
        if old and new:  # [db] old TO [db] new
            pairs.append((TableRef(old[-1].lower(), old[-2].lower() if len(old) > 1 else None), new[-1]))
    return pairs


# --- UPDATE / DELETE reach ------------------------------------------------------------------


def _has_limit(node: exp.Expression | None) -> bool:
    return node is not None and any(isinstance(n, exp.Limit) for n in node.walk())


def _conjuncts(expr: exp.Expression) -> list[exp.Expression]:
    if isinstance(expr, exp.And):
        return _conjuncts(expr.this) + _conjuncts(expr.expression)
    if isinstance(expr, exp.Paren):
        return _conjuncts(expr.this)
    return [expr]


def where_is_bounded(where: exp.Expression) -> bool:
    bounds: dict[str, set[str]] = {}
    for term in _conjuncts(where):
        if isinstance(term, exp.Between) and isinstance(term.this, exp.Column):
            return True
        if isinstance(term, exp.In) and isinstance(term.this, exp.Column):
            return True  # a key list, or a LIMITed sub-select picking the batch
        if not isinstance(term, exp.Binary):
            continue
        left, right = term.this, term.expression
        lcol, rcol = isinstance(left, exp.Column), isinstance(right, exp.Column)
        if lcol == rcol:
            continue  # a join condition or a constant comparison says nothing about reach
        column = (left if lcol else right).name.lower()
        if isinstance(term, exp.EQ):
            return True
        lower = isinstance(term, (exp.GT, exp.GTE)) == lcol
        if isinstance(term, (exp.GT, exp.GTE, exp.LT, exp.LTE)):
            bounds.setdefault(column, set()).add("lo" if lower else "hi")
    return any(b == {"lo", "hi"} for b in bounds.values())


def _bounded(node: exp.Update | exp.Delete) -> bool:
    if node.args.get("limit") is not None:
        return True  # MySQL UPDATE/DELETE ... LIMIT n
    with_ = node.args.get("with")
    if with_ is not None and _has_limit(with_):
        return True
    where = node.args.get("where")
    return where is not None and where_is_bounded(where.this)


# --- Facts ----------------------------------------------------------------------------------


def build_facts(node: Any, dialect: str) -> Facts:
    facts = Facts()
    if isinstance(node, exp.Create) and (node.args.get("kind") or "").upper() == "TABLE":
        table = table_ref(node.this)
        if table:
            facts.created_tables.append(table)
    elif isinstance(node, exp.Drop) and (node.args.get("kind") or "").upper() == "TABLE":
        if not node.args.get("temporary"):  # MySQL DROP TEMPORARY TABLE: session-private
            facts.dropped_tables.extend(t for t in map(table_ref, node.args.get("tables") or ()) if t)
    elif isinstance(node, exp.Insert) and isinstance(node.expression, exp.Select):
        target = table_ref(node.this)
        sources = [table_ref(t) for t in node.expression.find_all(exp.Table)
                   if t.parent_select is node.expression]
        if target and sources and all(sources):
            facts.filled.append((target, tuple(sources), "INSERT ... SELECT"))
        if target and len(sources) == 1 and sources[0]:
            select = node.expression
            limited = next((word for key, word in (("where", "WHERE"), ("limit", "LIMIT"),
                                                   ("distinct", "DISTINCT"), ("group", "GROUP BY"))
                            if select.args.get(key) is not None), None)
            columns = None if any(isinstance(e, exp.Star) or isinstance(getattr(e, "this", None), exp.Star)
                                  for e in select.expressions) else \
                frozenset(c.name for e in select.expressions for c in e.find_all(exp.Column))
            facts.copies.append(RowCopy(sources[0], target, limited, columns))
    elif isinstance(node, exp.Alter) and (node.args.get("kind") or "").upper() == "TABLE":
        table = table_ref(node.this)
        for action in node.args.get("actions") or ():
            if isinstance(action, exp.RenameColumn):
                facts.renamed_columns.append((table, action.this.name, action.args["to"].name))
            elif isinstance(action, exp.AlterRename):
                facts.renamed_tables.append((table, action.this.name))
            elif isinstance(action, exp.Drop) and (action.args.get("kind") or "").upper() == "COLUMN":
                for col in action.args.get("tables") or ():
                    facts.dropped_columns.append((table, col.name))
            elif isinstance(action, exp.ModifyColumn) and action.args.get("rename_from") is not None:
                old, new = action.args["rename_from"].name, action.this.name
                if old.lower() != new.lower():  # MySQL CHANGE old new TYPE
                    facts.renamed_columns.append((table, old, new))
    elif isinstance(node, exp.Command) and node.this.upper() == "RENAME":
        facts.renamed_tables.extend(_rename_table_pairs(node, dialect))
    elif isinstance(node, (exp.Update, exp.Delete)):
        table = table_ref(node.this)
        if table:
            facts.data_change = DataChange(
                verb="update" if isinstance(node, exp.Update) else "delete",
                table=table,
                has_where=node.args.get("where") is not None,
                bounded=_bounded(node),
            )
    elif isinstance(node, exp.Transaction):
        facts.tx_event = "begin"
    elif isinstance(node, exp.Commit):
        facts.tx_event = "commit"
    elif isinstance(node, exp.Rollback):
        facts.tx_event = "rollback"
    return facts
