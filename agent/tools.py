"""The agent's tools: plain typed functions, their JSON schemas generated from the signatures.

Each tool takes a ToolContext first (schema, repository, what the user asked) and returns
JSON-able data. A MigsmithError inside a tool, or input that does not fit the signature,
becomes an error result the model can read and act on; it never ends the loop.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, ValidationError, create_model

from migsmith.agent.code_search import find_references, schema_files
from migsmith.agent.guard import unrequested_destruction
from migsmith.agent.model import ToolCall
from migsmith.tools.errors import MigsmithError, SpecError
from migsmith.tools.schema.model import Schema
from migsmith.tools.spec.changespec import ChangeSpec, describe_operation, json_schema, parse_spec


@dataclass
class ToolContext:
    schema: Schema
    request: str  # every request of the session: the destructive-op guard reads it
    dialect: str = "postgres"
    code_path: Path | None = None
    ask: Callable[[str], str] | None = None  # chat only: put a question to the user
    submitted: ChangeSpec | None = None


@dataclass
class ToolResult:
    tool_use_id: str
    content: str
    is_error: bool = False

    def as_block(self) -> dict:
        block = {"type": "tool_result", "tool_use_id": self.tool_use_id, "content": self.content}
        if self.is_error:
            block["is_error"] = True
        return block


# ---------------------------------------------------------------------------------- the tools

def list_tables(ctx: ToolContext) -> dict:
    """List every table: row estimate, primary key, column names, indexes, constraint names.

    Call this first: it is how you learn which table owns a column.
    """
    return {"dialect": ctx.schema.dialect, "tables": [
        {"name": t.name, "rows": t.row_estimate, "primary_key": t.primary_key,
         "columns": [c.name for c in t.columns],
         "indexes": {i.name: i.columns for i in t.indexes if not i.primary},
         "constraints": [c.name for c in t.constraints]}
        for t in ctx.schema.tables.values()]}


def describe_table(ctx: ToolContext, table: str) -> dict:
    """Columns (type, NOT NULL, default), indexes, constraints and row estimate of one table.

    table: table name as list_tables shows it
    """
    t = ctx.schema.table(table)
    return {
        "name": t.name, "rows": t.row_estimate, "kind": t.kind,
        "columns": [{"name": c.name, "type": c.type, "nullable": c.nullable,
                     "default": c.default} for c in t.columns],
        "indexes": [{"name": i.name, "columns": i.columns, "unique": i.unique, "where": i.where}
                    for i in t.indexes],
        "constraints": [{"name": c.name, "kind": c.kind, "columns": c.columns,
                         "ref_table": c.ref_table, "ref_columns": c.ref_columns,
                         "expression": c.expression} for c in t.constraints],
        "referenced_by": [f"{c.table}({', '.join(c.columns)}) via {c.name}"
                          for c in ctx.schema.referencing(t.name)],
    }


def estimate_rows(ctx: ToolContext, table: str) -> dict:
    """Estimated number of rows in a table (null when unknown).

    table: table name
    """
    t = ctx.schema.table(table)
    return {"table": t.name, "rows": t.row_estimate}


def find_code_references(ctx: ToolContext, identifier: str, path: str = ".") -> dict:
    """Search the user's repository for uses of a table or column name (ORM models, raw SQL,
    type definitions). Returns file:line and the line for each use.

    identifier: the table or column name to look for
    path: folder inside the repository to search (default: all of it)
    """
    if ctx.code_path is None:
        raise MigsmithError("no repository was given to search (CLI: --code PATH)")
    root = ctx.code_path.resolve()
    target = (root / path).resolve()
    if target != root and root not in target.parents:
        raise MigsmithError(f"path {path!r} is outside the repository")
    refs = find_references(identifier, target, limit=50, exclude=schema_files(ctx.schema))
    base = target.relative_to(root)
    return {"identifier": identifier, "count": len(refs),
            "references": [f"{(base / r.file).as_posix()}:{r.line}: {r.text}" for r in refs]}


def submit_change_spec(ctx: ToolContext, **spec: Any) -> dict:
    """Submit the ChangeSpec for the request. It is checked against the schema; on an error,
    fix the spec and submit again. Submit exactly what was asked: never a drop the user did not
    ask for by name."""
    change = parse_spec(spec, source="submitted spec")
    # The dialect comes from the schema, and only the user (--allow-data-loss) may allow loss.
    options = change.options.model_copy(update={"dialect": ctx.dialect, "allow_data_loss": False})
    change = change.model_copy(update={"options": options})
    reason = unrequested_destruction(change.operations, ctx.request, ctx.schema)
    if reason:
        raise SpecError(reason)
    from migsmith.tools.schema.evolve import evolve

    # Validity is checked as if loss were allowed: whether it is, is the user's call at plan time.
    done = evolve(ctx.schema, change.model_copy(update={"options": options.model_copy(
        update={"allow_data_loss": True})}))
    ctx.submitted = change
    result = {"accepted": True, "operations": [describe_operation(op) for op in change.operations]}
    if done.notes:  # restating what is already there is fine: the planner leaves it out
        result["already_in_effect"] = done.notes
    return result


def ask_user(ctx: ToolContext, question: str) -> dict:
    """Ask the user one short question when the request is truly ambiguous (for example two
    tables have the column it names). Do not ask about anything the schema can answer.

    question: the question, naming the choices
    """
    if ctx.ask is None:
        raise MigsmithError("no user to ask in this mode; say in your reply what is ambiguous")
    return {"answer": ctx.ask(question)}


# --------------------------------------------------------------------------- schema generation

LOOK_TOOLS = (list_tables, describe_table, estimate_rows)


def tools_for(ctx: ToolContext) -> list[Callable]:
    tools: list[Callable] = [*LOOK_TOOLS]
    if ctx.code_path is not None:
        tools.append(find_code_references)
    if ctx.ask is not None:
        tools.append(ask_user)
    tools.append(submit_change_spec)
    return tools


def definition(fn: Callable) -> dict:
    """The Messages-API tool definition of ``fn``: name, description, input_schema."""
    if fn not in _DEFINITIONS:  # generating the spec's JSON schema costs ~100 ms; do it once
        _DEFINITIONS[fn] = json.dumps(_definition(fn))
    return json.loads(_DEFINITIONS[fn])


_DEFINITIONS: dict[Callable, str] = {}


def _definition(fn: Callable) -> dict:
    doc = inspect.getdoc(fn) or ""
    summary, _, _ = doc.partition("\n\n")
    if fn is submit_change_spec:
        schema = json_schema()
    else:
        schema = _input_model(fn).model_json_schema()
        described = _param_docs(doc)
        for name, prop in schema.get("properties", {}).items():
            prop.pop("title", None)
            if name in described:
                prop["description"] = described[name]
        schema.pop("title", None)
    return {"name": fn.__name__, "description": " ".join(summary.split()), "input_schema": schema}


def definitions(ctx: ToolContext) -> list[dict]:
    return [definition(fn) for fn in tools_for(ctx)]


def call_tool(ctx: ToolContext, call: ToolCall) -> ToolResult:
    """Run one tool call; any failure becomes an error result for the model to read."""
    fn = next((f for f in tools_for(ctx) if f.__name__ == call.name), None)
    if fn is None:
        names = ", ".join(f.__name__ for f in tools_for(ctx))
        return ToolResult(call.id, f"unknown tool {call.name!r}; tools: {names}", is_error=True)
    args = call.input if isinstance(call.input, dict) else {}
    try:
        if fn is submit_change_spec:
            data = fn(ctx, **args)
        else:
            data = fn(ctx, **_input_model(fn).model_validate(args).model_dump())
    except ValidationError as exc:
        from migsmith.tools.spec.changespec import describe_validation_error

        return ToolResult(call.id, f"invalid input for {call.name}: "
                                   f"{describe_validation_error(exc)}", is_error=True)
    except MigsmithError as exc:
        return ToolResult(call.id, str(exc), is_error=True)
    return ToolResult(call.id, json.dumps(data, default=str))


_MODELS: dict[Callable, type] = {}


def _input_model(fn: Callable):
    if fn not in _MODELS:
        fields = {}
        for name, param in list(inspect.signature(fn).parameters.items())[1:]:
            default = ... if param.default is inspect.Parameter.empty else param.default
            fields[name] = (param.annotation, default)
        _MODELS[fn] = create_model(f"{fn.__name__}_input",
                                   __config__=ConfigDict(extra="forbid"), **fields)
    return _MODELS[fn]


def _param_docs(doc: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r"^(\w+): (.+)$", doc, re.MULTILINE)}
