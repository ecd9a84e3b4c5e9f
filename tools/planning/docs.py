"""The human half of a plan: code changes, checklist, notes, and PLAN.md."""

from __future__ import annotations

from migsmith.tools.planning.plan import CodeChange, Plan
from migsmith.tools.schema.model import Schema

_TS = [("bool", "boolean"), ("int", "number"), ("serial", "number"), ("numeric", "string"),
       ("decimal", "string"), ("real", "number"), ("double", "number"), ("float", "number"),
       ("json", "unknown"), ("timestamp", "Date"), ("date", "Date"), ("time", "string"),
       ("uuid", "string"), ("char", "string"), ("text", "string"), ("bytea", "Uint8Array"),
       ("blob", "Uint8Array")]
_PY = [("bool", "bool"), ("int", "int"), ("serial", "int"), ("numeric", "Decimal"),
       ("decimal", "Decimal"), ("real", "float"), ("double", "float"), ("float", "float"),
       ("json", "dict"), ("timestamp", "datetime"), ("date", "date"), ("time", "time"),
       ("uuid", "UUID"), ("char", "str"), ("text", "str"), ("bytea", "bytes"), ("blob", "bytes")]


def _map(sql_type: str, table) -> str:
    low = sql_type.lower()
    base = "int" if low.startswith(("smallint", "integer", "bigint", "tinyint", "mediumint")) else low
    return next((v for k, v in table if base.startswith(k) or k in base), "unknown")


def _model_name(table: str) -> str:
    name = table.split(".")[-1]
    singular = name[:-1] if name.endswith("s") and not name.endswith("ss") else name
    return "".join(p.capitalize() for p in singular.split("_"))


def _field(name: str, sql_type: str, nullable: bool) -> tuple[str, str]:
    ts = f"  {name}: {_map(sql_type, _TS)}{' | null' if nullable else ''};"
    py = f"    {name}: {_map(sql_type, _PY)}{' | None' if nullable else ''}"
    return ts, py


def code_changes(plan: Plan, schema: Schema) -> list[CodeChange]:
    out: list[CodeChange] = []
    for op in plan.spec.operations:
        t = getattr(op, "table", None)
        model = _model_name(t) if t else ""
        match op.op:
            case "add_column":
                ts, py = _field(op.column.name, op.column.type, op.column.nullable)
                out.append(CodeChange(
                    summary=f"Add {op.column.name} to the {model} model and its API types "
                            "(deploy after the column exists).",
                    language="typescript",
                    snippet=f"interface {model} {{\n  // ...\n{ts}  // new\n}}"))
                out.append(CodeChange(summary=f"Python model ({model})", language="python",
                                      snippet=f"class {model}:\n    ...\n{py}  # new"))
            case "create_table":
                fields = "\n".join(_field(c.name, c.type, c.nullable and not c.primary_key)[0]
                                   for c in op.columns)
                out.append(CodeChange(summary=f"New model {model} for table {t}.",
                                      language="typescript",
                                      snippet=f"interface {model} {{\n{fields}\n}}"))
            case "rename_column":
                out.append(CodeChange(
                    summary=f"Rename {model}.{op.column} to {op.new_name} in models, queries and "
                            f"API types. Until the contract step both names work, so ship this "
                            f"between the expand and contract steps."))
            case "rename_table":
                out.append(CodeChange(
                    summary=f"Point the {model} model at table {op.new_name} (for example "
                            f"__tablename__ / @@map / tableName) and update raw SQL naming {t}."))
            case "drop_column":
                out.append(CodeChange(
                    summary=f"Stop reading and writing {t}.{op.column}; for ORMs with cached "
                            "column lists mark it ignored (Rails ignored_columns, Django "
                            "remove the field) and deploy before the drop."))
            case "drop_table":
                out.append(CodeChange(summary=f"Remove the {model} model and every query on {t} "
                                              "before the table is retired."))
            case "alter_column_type":
                col = op.column
                ts, py = _field(col, op.new_type, True)
                out.append(CodeChange(summary=f"Update the type of {model}.{col} to match "
                                              f"{op.new_type}.", language="typescript",
                                      snippet=ts.strip()))
            case "set_not_null":
                out.append(CodeChange(
                    summary=f"Make {model}.{op.column} required in models and API types, and "
                            "make every insert set it, before the constraint is added."))
            case "drop_not_null":
                out.append(CodeChange(summary=f"Make {model}.{op.column} optional (nullable) "
                                              "in models and API types; readers must cope with "
                                              "NULL."))
            case "drop_default":
                out.append(CodeChange(summary=f"Set {t}.{op.column} explicitly on insert: the "
                                              "database no longer fills it in."))
    return out


def checklist(plan: Plan) -> list[str]:
    items = []
    destructive = any(i.classification == "destructive" for i in plan.impacts)
    if destructive or plan.strategy != "additive":
        items.append("Back up the database (at least the tables this plan touches)")
    items.append("Run `migsmith verify` on this plan directory (up, down, up on a shadow "
                 "database)")
    biggest = max((i.rows or 0 for i in plan.impacts), default=0)
    items.append("Test on staging with production-like data"
                 + (f" (about {biggest:,} rows in the largest table)" if biggest else ""))
    if plan.code_changes:
        items.append("Update ORM models / schema definitions and API types (see Code changes)")
    items.append("Monitor lock waits and application errors while each step runs (queries "
                 "under Monitoring)")
    # Code deploys go where the plan needs them: a step whose deploy note starts "Before:"
    # needs that deploy first; everything else ships after the last step.
    for step in plan.steps:
        note = step.deploy_note or ""
        if note.startswith("Before:"):
            first = note.removeprefix("Before:").strip().split(". ")[0].rstrip(".")
            items.append(f"Before step {step.number}: {first[:1].lower()}{first[1:]}")
        items.append(f"Step {step.number}: {step.title} ({step.up_file or step.slug + '.up.sql'})")
        if step.backfill:
            items.append(f"Watch backfill progress of {step.backfill.table}.{step.backfill.column} "
                         "(query under Monitoring)")
    if plan.code_changes and not any(i.startswith("Before step") for i in items):
        items.append("Deploy code that uses the new schema")
    return items


def plan_notes(plan: Plan, schema: Schema) -> list[str]:
    notes = []
    sql = "\n".join(s.up_sql for s in plan.steps)
    if plan.dialect == "postgres":
        if "CONCURRENTLY" in sql:
            notes.append("Concurrent index builds and drops run in steps of their own, outside "
                         "any BEGIN/COMMIT: PostgreSQL refuses CONCURRENTLY inside a "
                         "transaction block.")
        if any(s.backfill for s in plan.steps):
            notes.append("Backfills commit after every batch. A single UPDATE, or a DO block "
                         "that loops without COMMIT, keeps every row lock until the very end.")
        if "NOT VALID" in sql:
            notes.append("Constraints are added NOT VALID (a brief lock, new rows checked) and "
                         "validated in a separate step whose scan does not block writes.")
    unknown = sorted({i.table for i in plan.impacts if i.table and i.rows is None})
    if unknown:
        notes.append("Row counts unknown for " + ", ".join(unknown) + ": durations assume a "
                     "small table. Give sizes with a `-- migsmith: rows=N` comment in the "
                     "schema file, or plan against the live database (--db).")
    for imp in plan.impacts:
        notes.extend(n for n in imp.notes if "binary-compatible: no rewrite" in n)
    from migsmith.tools.dialects import get_dialect

    # Dialect-specific notes (MySQL: non-transactional DDL, gh-ost / pt-osc command lines ...).
    dialect = get_dialect(plan.dialect, plan.target_version)
    notes.extend(getattr(dialect, "plan_notes", lambda _plan, _schema: [])(plan, schema))
    return notes


SCALES = {100_000_000: "100M", 1_000_000_000: "1B"}  # sizes every backfill is projected to


def backfill_lines(plan: Plan) -> list[str]:
    """For PLAN.md's duration section: each backfill's expected time at the calibrated rate,
    for this table and for 100M and 1B rows (with parallel workers where measured), what it
    watches, and how to bound it."""
    from migsmith.tools.planning import batches, calibration
    from migsmith.tools.planning.planner import human_duration as human

    lines = []
    consts = calibration.constants().get(plan.dialect, calibration.constants()["postgres"])
    rate = consts["backfill_rows_per_s"]
    four = consts.get("backfill_speedup_4_workers", 1.0) if plan.dialect == "postgres" else 1.0
    for s in plan.steps:
        bf = s.backfill
        if bf is None:
            continue
        here = (f"{bf.rows:,} rows: about {human(calibration.backfill_seconds(plan.dialect, bf.rows))}"
                if bf.rows else "row count unknown")
        scale = "; ".join(
            f"{label} rows: {human(calibration.backfill_seconds(plan.dialect, n))}"
            + (f" (4 workers: {human(calibration.backfill_seconds(plan.dialect, n, 4))})"
               if four > 1.05 else "") for n, label in SCALES.items())
        lines.append(f"Step {s.number} backfills {bf.table}.{bf.column} at about {rate:,.0f} "
                     f"rows/s under load (one worker): {here}. At that rate: {scale}.")
        floor, start, ceiling = batches.bounds(bf)
        sizing = (f"each batch aims at {bf.batch_ms} ms ({floor:,} to {ceiling:,} rows, starting "
                  f"at {start:,})" if bf.batch_ms else f"fixed batches of {start:,} rows")
        bounds = [f"least pause {bf.pause_ms} ms" if bf.pause_ms else "no fixed pause"]
        if bf.max_rows_per_s:
            bounds.append(f"at most {bf.max_rows_per_s:,} rows/s")
        lines.append(
            f"Step {s.number} watches: {sizing}; sessions waiting on its row locks (the next "
            "batch is halved, and it pauses as long as it held them); its own lock timeouts "
            f"(retried, smaller); replica lag over {batches.MAX_LAG_S} s (it waits); "
            f"{', '.join(bounds)}. Bound it with options.max_rows_per_s / batch_ms / "
            "batch_size / batch_pause_ms, or run it with `migsmith backfill --max-rows-per-s N "
            "--batch-ms MS --batch-size N --pause-ms MS [--workers N]`.")
    return lines


def render_markdown(plan: Plan) -> str:
    from migsmith.tools.dialects import get_dialect
    from migsmith.tools.planning.planner import human_duration

    from migsmith.tools.planning.doc_dependents import dependents_markdown

    dialect = get_dialect(plan.dialect, plan.target_version)
    template = dialect.env.get_template("plan.md.j2")
    return template.render(plan=plan, human=human_duration,
                           dependents=dependents_markdown(plan),
                           backfill_lines=backfill_lines(plan)).strip() + "\n"
