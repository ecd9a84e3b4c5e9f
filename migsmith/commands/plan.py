"""`migsmith plan`: a request or a spec in, a plan directory out (verified unless --no-verify)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import err_console, handle_errors, out_console, parse_rows, print_json
from migsmith.tools.errors import MigsmithError, NothingToDo, SpecError


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)


@handle_errors
def plan_command(
    request: Annotated[Optional[str], typer.Argument(
        help="The change in plain words, e.g. \"rename created to created_at in posts\".")] = None,
    spec: Annotated[Optional[Path], typer.Option("--spec", help="A ChangeSpec JSON file instead "
                                                 "of a request; - reads it from stdin (schema: "
                                                 "migsmith spec-schema).")] = None,
    schema: Annotated[Optional[str], typer.Option("--schema", help="DDL file of the current "
                                                  "schema.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Read the schema from this database "
                                              "URL (read-only).")] = None,
    dialect: Annotated[Optional[str], typer.Option("--dialect", help="postgres, mysql or "
                                                   "sqlite.")] = None,
    target_version: Annotated[Optional[str], typer.Option("--target-version")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Plan directory to write "
                                                "(default: migrations/<name>).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_verify: Annotated[bool, typer.Option("--no-verify", help="Skip the shadow-database "
                                            "round trip.")] = False,
    allow_data_loss: Annotated[bool, typer.Option("--allow-data-loss")] = False,
    downtime: Annotated[bool, typer.Option("--downtime", help="Make the simple plan with a "
                                           "maintenance window the main one.")] = False,
    rows: Annotated[Optional[list[str]], typer.Option("--rows", help="TABLE=COUNT row "
                                                      "estimate (repeatable).")] = None,
    model: Annotated[str, typer.Option("--model", help="offline, anthropic, or auto (anthropic "
                                       "when ANTHROPIC_API_KEY is set).")] = "auto",
    code: Annotated[Optional[Path], typer.Option("--code", help="Repository to search for uses "
                                                 "of changed tables and columns.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan, write nothing.")] = False,
    shadow_db: Annotated[Optional[str], typer.Option("--shadow-db", help="A disposable database "
                                                     "to verify on instead of a private "
                                                     "server (as for verify).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Use --shadow-db even if it holds "
                                        "tables the schema does not describe.")] = False,
    keep_unverified: Annotated[bool, typer.Option(
        "--keep-unverified", help="Write the plan even when its verification fails or cannot "
                                  "run; PLAN.md and plan.json then say it is UNVERIFIED (by "
                                  "default a plan that fails verification writes nothing).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="sql (plain files, psql) or the migration "
                                     "tool to write for: golang-migrate, dbmate, flyway, alembic, "
                                     "django, rails, atlas, sqitch.")] = "sql",
    detect: Annotated[bool, typer.Option(
        "--detect", help="Find the migration tool the repository (--repo) uses; pick the "
        "format, the folder and the next number.")] = False,
    repo: Annotated[Path, typer.Option("--repo", help="With --detect: the repository to look "
                                       "in.")] = Path("."),
    plan_dir: Annotated[Optional[Path], typer.Option(
        "--plan-dir", help="With --format: where the plain plan goes (plan.json, PLAN.md; "
        "default migsmith/<name>).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print how the offline reader read the "
                                          "request, stage by stage (on stderr).")] = False,
) -> None:
    """Plan a schema change: impact, strategy, up/down SQL, docs and checklist."""
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec

    if (request is None) == (spec is None):
        raise typer.BadParameter("give either a REQUEST or --spec FILE (not both)")
    if (schema is None) == (db is None):
        raise typer.BadParameter("give either --schema FILE or --db URL")
    location = schema or db
    change = None
    if spec is not None:
        from migsmith.tools.userfiles import read_text

        text = sys.stdin.read() if str(spec) == "-" else read_text(spec, "spec file", SpecError)
        change = parse_spec(text, source="spec on stdin" if str(spec) == "-" else str(spec))
    # --dialect, else what the spec says, else what the database URL says, else PostgreSQL
    spec_dialect = change.options.dialect if change and "dialect" in change.options.model_fields_set else None
    dialect_name = dialect or spec_dialect or _guess_dialect(location)
    sch = load_schema(location, dialect_name)
    for table, count in parse_rows(rows).items():
        sch.table(table).row_estimate = count

    agent_result = None
    if change is None:
        if not request.strip():
            raise SpecError("the request is empty: say what should change, e.g. "
                            "\"add a boolean column email_verified to users\"")
        from migsmith.agent.runner import request_to_spec

        if explain:
            from migsmith.agent.backends.offline import explain as explain_reading

            for line in explain_reading(request, sch, dialect_name):
                err_console.print(f"  {line}", markup=False, style="dim")
        agent_result = request_to_spec(request, sch, model=model, code_path=code,
                                       dialect=dialect_name)
        change = agent_result.spec
        if agent_result.note and not as_json:  # assumptions the planner made (a type, a default)
            err_console.print(agent_result.note, markup=False, style="dim")
    updates = {}
    if dialect:
        updates["dialect"] = dialect_name
    elif change.options.dialect != dialect_name:
        updates["dialect"] = dialect_name
    if target_version:
        updates["target_version"] = target_version
    if allow_data_loss:
        updates["allow_data_loss"] = True
    if downtime:
        updates["downtime_allowed"] = True
    if updates:
        from migsmith.tools.spec.changespec import with_options

        change = with_options(change, **updates)
    try:
        plan = build_plan(change, sch)
    except NothingToDo as done:  # every operation already in effect: say so, write nothing
        if as_json:
            print_json({"nothing_to_do": True, "notes": done.notes,
                        "spec": change.model_dump(mode="json", exclude_none=True),
                        **({"agent": agent_result.summary()} if agent_result else {})})
        else:
            out_console.print(f"N{str(done)[1:]}", markup=False)
        return
    if agent_result is not None and getattr(agent_result, "code_references", None):
        from migsmith.agent.runner import attach_code_references

        attach_code_references(plan, agent_result.code_references)

    out_dir = out or Path("migrations") / plan.name
    written = []
    verification = None
    tool_format = fmt != "sql" or detect
    if not dry_run:
        from migsmith.tools.planning.writer import preflight

        if not tool_format:
            preflight(plan, out_dir)  # an --out that cannot take the plan fails before verifying
        if not no_verify:
            verification = _verify(plan, location, dialect_name, shadow_db, force)
            plan.verification = verification
    proven = verification is None or verification.get("ok") or keep_unverified
    if tool_format and (dry_run or proven):
        from migsmith.commands.plan_format import write_tool_files

        out_dir, written = write_tool_files(plan, fmt, out, plan_dir, repo if detect else None,
                                            dry_run=dry_run)
    elif not dry_run and proven:
        from migsmith.tools.planning.writer import write_plan

        written = write_plan(plan, out_dir)
    shown_dir = out_dir if written else None
    if as_json:
        print_json(plan_json(plan, shown_dir, verification, agent_result))
    else:
        _print_summary(plan, shown_dir, written, verification, dry_run=dry_run)
    if verification is not None and not verification.get("ok", False):
        raise SystemExit(1)


def _guess_dialect(location: str) -> str:
    low = location.lower()
    if low.startswith(("mysql", "mariadb")):
        return "mysql"
    if low.startswith("sqlite") or low.endswith((".db", ".sqlite", ".sqlite3")):
        return "sqlite"
    from migsmith.tools.schema import is_sqlite_file

    if is_sqlite_file(location):
        return "sqlite"
    return "postgres"


def _verify(plan, location: str, dialect: str, shadow_db: str | None = None,
            force: bool = False) -> dict:
    """Verify ``plan`` in a private staging directory (removed afterwards, whatever happens):
    the plan directory the user asked for appears only once the plan is proven. A schema the
    shadow refuses, a missing extension or an unusable --shadow-db is bad input: raised."""
    import shutil
    import tempfile

    from migsmith.tools.errors import SchemaError
    from migsmith.tools.planning.writer import write_plan
    from migsmith.tools.proving.shadow.base import ShadowError
    from migsmith.tools.proving.verify import verify_plan_dir
    from migsmith.tools.signals import deferred

    stage = None
    try:
        with deferred():
            stage = Path(tempfile.mkdtemp(prefix="migsmith-plan-"))
        write_plan(plan, stage / "plan")
        report = verify_plan_dir(stage / "plan", location, dialect=dialect, write=False,
                                 shadow_url=shadow_db, force=force)
    except (SchemaError, ShadowError):
        raise
    except MigsmithError as exc:
        return {"ok": False, "summary": f"verification could not run: {exc}"}
    finally:
        if stage is not None:
            with deferred():
                shutil.rmtree(stage, ignore_errors=True)
    return report.to_dict()


def plan_json(plan, out_dir: Path | None, verification: dict | None, agent_result=None) -> dict:
    data = {
        "name": plan.name,
        "dialect": plan.dialect,
        "target_version": plan.target_version,
        "strategy": plan.strategy,
        "breaking": plan.breaking,
        "estimated_seconds": plan.estimated_seconds,
        "spec": plan.spec.model_dump(mode="json", exclude_none=True),
        "impact": [i.model_dump(mode="json") for i in plan.impacts],
        "steps": [{
            "number": s.number, "title": s.title, "phase": s.phase,
            "transactional": s.transactional, "deploy_note": s.deploy_note,
            "up": str(out_dir / s.up_file) if out_dir and s.up_file else None,
            "down": str(out_dir / s.down_file) if out_dir and s.down_file else None,
            "up_sql": s.up_sql, "down_sql": s.down_sql,
            "expected_locks": [lk.model_dump() for lk in s.expected_locks],
            "irreversible": s.irreversible, "est_seconds": s.est_seconds,
        } for s in plan.steps],
        "alternative": plan.alternative.model_dump(mode="json") if plan.alternative else None,
        "code_changes": [c.model_dump(mode="json") for c in plan.code_changes],
        "checklist": plan.checklist,
        "notes": plan.notes,
        "out": str(out_dir) if out_dir else None,
        "docs": str(out_dir / "PLAN.md") if out_dir else None,
        "verification": verification,
        "format": plan.format.model_dump(mode="json") if plan.format else None,
    }
    if agent_result is not None and hasattr(agent_result, "summary"):
        data["agent"] = agent_result.summary()
    return data


def _print_summary(plan, out_dir: Path | None, written, verification, *, dry_run=False) -> None:
    from rich.markup import escape
    from rich.table import Table

    from migsmith.tools.planning.planner import human_duration

    c = out_console
    c.print(f"[bold]{escape(plan.name)}[/bold]: {escape(plan.description)}")
    c.print(f"strategy: [cyan]{plan.strategy}[/cyan]   database: {plan.dialect} "
            f"{escape(plan.target_version)}   expected: {human_duration(plan.estimated_seconds)}")
    table = Table(show_header=True, header_style="bold")
    for col in ("#", "step", "phase", "txn", "locks"):
        table.add_column(col)
    for s in plan.steps:
        locks = ", ".join(sorted({f"{lk.mode}" for lk in s.expected_locks})) or "-"
        table.add_row(str(s.number), escape(s.title), s.phase, "yes" if s.transactional else "no",
                      locks)
    c.print(table)
    if plan.alternative:
        c.print(f"alternative: {escape(plan.alternative.title)} "
                f"({escape(plan.alternative.downtime)})")
    for note in plan.notes:
        if note.startswith("Not planned: "):  # what the request restated is already there
            c.print(f"note: {note}", markup=False)
    if out_dir is not None:
        c.print(f"wrote {len(written)} files to [bold]{escape(str(out_dir))}[/bold] "
                "(read PLAN.md first)")
    elif dry_run:
        for s in plan.steps:
            c.print(f"\n-- {s.slug}.up.sql\n{s.up_sql}", markup=False)
    if verification is None:
        return
    summary = escape(str(verification.get("summary", "")))
    if verification.get("ok"):
        c.print(f"[green]verified[/green]: {summary}")
    elif out_dir is not None:
        c.print(f"[red]verification failed[/red]: {summary} (kept, marked UNVERIFIED)")
    else:
        err_console.print(f"[bold red]error:[/] verification failed, nothing was written: "
                          f"{summary} (--keep-unverified keeps a failed plan)")
