"""What reading a request yields: operations and a trace of how, or why there are none."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Interpretation:
    operations: list[dict] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    question: str | None = None
    choices: list[str] = field(default_factory=list)
    description: str | None = None  # the why, when the request gives one
    trace: list[str] = field(default_factory=list)  # stage: what it decided (--explain)


# The spec form a refusal shows for what a clause seemed to ask (write it, or say it so).
FORMS = {
    "add": {"op": "add_column", "table": "TABLE", "column": {"name": "NAME", "type": "TYPE"}},
    "drop": {"op": "drop_column", "table": "TABLE", "column": "COLUMN"},
    "rename": {"op": "rename_column", "table": "TABLE", "column": "OLD", "new_name": "NEW"},
    "change": {"op": "alter_column_type", "table": "TABLE", "column": "COLUMN", "new_type": "TYPE"},
    "set": {"op": "backfill", "table": "TABLE", "column": "COLUMN", "expression": "VALUE",
            "where": "CONDITION"},
    "index": {"op": "add_index", "table": "TABLE", "columns": ["COLUMN"]},
    "link": {"op": "add_foreign_key", "table": "TABLE", "columns": ["COLUMN"],
             "ref_table": "OTHER", "ref_columns": ["id"]},
    "check": {"op": "add_check_constraint", "table": "TABLE", "expression": "EXPRESSION"},
    "unique": {"op": "add_unique_constraint", "table": "TABLE", "columns": ["COLUMN"]},
    "default": {"op": "set_default", "table": "TABLE", "column": "COLUMN", "default": "VALUE"},
    "not_null": {"op": "set_not_null", "table": "TABLE", "column": "COLUMN"},
    "no_default": {"op": "drop_default", "table": "TABLE", "column": "COLUMN"},
    "create": {"op": "create_table", "table": "TABLE", "columns": [{"name": "NAME", "type": "TYPE"}]},
}


class NotUnderstood(Exception):
    """A clause that asks for something the reader cannot place: which words, and the spec
    form that would say it."""

    def __init__(self, clause: str, words: list[str] | None = None, form: str | None = None,
                 why: str | None = None):
        self.clause, self.words, self.form = clause, words or [], form
        placed = f"could not place {', '.join(repr(w) for w in self.words)} in {clause!r}" \
            if self.words else f"did not understand {clause!r}"
        text = f"{why} ({placed})" if why else placed
        if form in FORMS:
            text += f"; as a spec: {json.dumps(FORMS[form])} (migsmith spec-schema, plan --spec -)"
        super().__init__(text)


class Background(Exception):
    """A clause that asks for nothing: a reason, a fact, context for a later "it" (``sure``: a
    reader decided so, it is not a request it failed to read)."""

    def __init__(self, clause: str, sure: bool = False):
        super().__init__(clause)
        self.sure = sure


class Ambiguous(Exception):
    def __init__(self, question: str, choices: list[str]):
        super().__init__(question)
        self.question, self.choices = question, choices
