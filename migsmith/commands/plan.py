"""`migsmith plan`: a request or a spec in, a plan directory out (verified unless --no-verify)."""

from __future__ import annotations

import sys
from pathlib import Path

from migsmith.commands import _args

SUMMARY = "Plan a schema change: safe up/down SQL per step, PLAN.md, plan.json."
EXAMPLES = """\
  migsmith plan "rename created to created_at in posts" --schema db/schema.sql
  migsmith plan "add a boolean column is_admin to users" --db postgresql://localhost/app
  migsmith plan --spec change.json --schema db/schema.sql --out migrations/add_is_admin
  migsmith plan "drop column legacy_avatar from users" --schema db/schema.sql --allow-data-loss
  migsmith plan "index posts by user_id" --schema db/schema.sql --no-verify --json"""
DETAILS = """\
The plan is written to --out and proved on a throwaway database (up, down, up again) unless
--no-verify. Exit status: 0 planned (and verified), 1 bad input or failed verification,
2 usage."""


def build_parser():
    p = _args.command_parser("plan", SUMMARY, EXAMPLES, DETAILS)
    p.add_argument("request", nargs="?", metavar="REQUEST",
                   help='the change in plain words, e.g. "rename created to created_at in posts"')
    p.add_argument("--spec", type=Path, metavar="FILE",
                   help="a ChangeSpec JSON file instead of a request; - reads it from stdin "
                        "(its schema: migsmith spec-schema)")
    _args.add_schema_source(p)
    _args.add_dialect(p)
    p.add_argument("--target-version", metavar="VERSION",
                   help="server version to plan for, e.g. 16 or 8.0 (default: the live "
                        "database's, else PostgreSQL 14, MySQL 8.0, SQLite 3.35)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="plan directory to write (default: migrations/<name>)")
    _args.add_json(p)
    p.add_argument("--no-verify", action="store_true",
                   help="skip the shadow-database round trip (up, down, up)")
    p.add_argument("--allow-data-loss", action="store_true",
                   help="consent to steps that destroy data (drop a column or table, narrow a "
                        "type); without it such a request is refused")
    p.add_argument("--downtime", action="store_true",
                   help="make the simple plan with a maintenance window the main one")
    _args.add_rows(p)
    p.add_argument("--model", default="auto", metavar="NAME",
                   help="who reads the request: offline, anthropic[:MODEL_ID], or auto "
                        "(anthropic when ANTHROPIC_API_KEY is set; default)")
    p.add_argument("--code", type=Path, metavar="DIR",
                   help="repository to search for uses of the changed tables and columns")
    p.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    p.add_argument("--shadow-db", metavar="URL",
                   help="a disposable database to verify on instead of a private server "
                        "(as for verify)")
    p.add_argument("--force", action="store_true",
                   help="use --shadow-db even if it holds tables the schema does not describe")
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), plan_command, argv)


def plan_command(args) -> int:
    """Plan a schema change: impact, strategy, up/down SQL, docs and checklist."""
    from migsmith.commands._common import err_console, out_console, parse_rows, print_json
    from migsmith.tools.errors import MigsmithError, NothingToDo, SpecError, UsageError
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.schema.detect import detect_dialect
    from migsmith.tools.spec.changespec import parse_spec

    request, spec, dialect, as_json = args.request, args.spec, args.dialect, args.as_json
    if (request is None) == (spec is None):
        raise UsageError("give either a REQUEST or --spec FILE (not both)")
    location = args.schema or args.db
    change = None
    if spec is not None:
        try:
            text = sys.stdin.read() if str(spec) == "-" else spec.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError(f"cannot read spec file {spec}: {exc.strerror}") from None
        change = parse_spec(text, source="spec on stdin" if str(spec) == "-" else str(spec))
    # --dialect, else what the spec says, else what the schema shows, else PostgreSQL
    spec_dialect = change.options.dialect if change and "dialect" in change.options.model_fields_set else None
    found = None if dialect or spec_dialect else detect_dialect(location)
    dialect_name = dialect or spec_dialect or found.dialect
    sch = load_schema(location, dialect_name)
    for table, count in parse_rows(args.rows).items():
        sch.table(table).row_estimate = count

    agent_result = None
    if change is None:
        if not request.strip():
            raise SpecError("the request is empty: say what should change, e.g. "
                            "\"add a boolean column email_verified to users\"")
        from migsmith.agent.runner import request_to_spec

        agent_result = request_to_spec(request, sch, model=args.model, code_path=args.code,
                                       dialect=dialect_name)
        change = agent_result.spec
        if agent_result.note and not as_json:  # assumptions the planner made (a type, a default)
            err_console.print(agent_result.note, markup=False, style="dim")
    updates = {}
    if dialect:
        updates["dialect"] = dialect_name
    elif change.options.dialect != dialect_name:
        updates["dialect"] = dialect_name
    if args.target_version:
        updates["target_version"] = args.target_version
    if args.allow_data_loss:
        updates["allow_data_loss"] = True
    if args.downtime:
        updates["downtime_allowed"] = True
    if updates:
        change = change.model_copy(update={"options": change.options.model_copy(update=updates)})
    try:
        plan = build_plan(change, sch)
    except NothingToDo as done:  # every operation already in effect: say so, write nothing
        if as_json:
            print_json({"nothing_to_do": True, "notes": done.notes,
                        "spec": change.model_dump(mode="json", exclude_none=True),
                        **({"agent": agent_result.summary()} if agent_result else {})})
        else:
            out_console.print(f"N{str(done)[1:]}", markup=False)
        return 0
    if agent_result is not None and getattr(agent_result, "code_references", None):
        from migsmith.agent.runner import attach_code_references

        attach_code_references(plan, agent_result.code_references)

    dry_run = args.dry_run
    out_dir = args.out or Path("migrations") / plan.name
    written = []
    if not dry_run:
        from migsmith.tools.planning.writer import write_plan

        written = write_plan(plan, out_dir)
    verification = None
    if not args.no_verify and not dry_run:
        try:
            verification = _verify(out_dir, location, dialect_name, plan, args.shadow_db,
                                   args.force)
        except MigsmithError:
            _remove_written(written, out_dir)  # bad input: nothing written
            raise
    if as_json:
        print_json(plan_json(plan, None if dry_run else out_dir, verification, agent_result))
    else:
        _print_summary(plan, None if dry_run else out_dir, written, verification,
                       dialect_note=found.note() if found and not found.certain else None)
    return 1 if verification is not None and not verification.get("ok", False) else 0


def _verify(out_dir: Path, location: str, dialect: str, plan, shadow_db: str | None = None,
            force: bool = False) -> dict | None:
    """The verification of the plan just written; a schema the shadow refuses, a missing
    extension or an unusable --shadow-db is bad input, raised (the caller removes the plan)."""
    from migsmith.tools.errors import MigsmithError, SchemaError
    from migsmith.tools.proving.shadow.base import ShadowError
    from migsmith.tools.proving.verify import verify_plan_dir

    try:
        report = verify_plan_dir(out_dir, location, dialect=dialect, shadow_url=shadow_db,
                                 force=force)
    except (SchemaError, ShadowError):
        raise
    except MigsmithError as exc:
        return {"ok": False, "summary": f"verification could not run: {exc}"}
    return report.to_dict()


def _remove_written(written: list, out_dir: Path) -> None:
    for path in written:
        Path(path).unlink(missing_ok=True)
    for d in sorted({Path(p).parent for p in written} | {out_dir}, key=lambda d: -len(d.parts)):
        try:
            d.rmdir()  # only directories left empty (made by this run)
        except OSError:
            pass


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
    }
    if agent_result is not None and hasattr(agent_result, "summary"):
        data["agent"] = agent_result.summary()
    return data


def _print_summary(plan, out_dir: Path | None, written, verification,
                   dialect_note: str | None = None) -> None:
    from rich.table import Table

    from migsmith.commands._common import out_console
    from migsmith.tools.planning.planner import human_duration

    c = out_console
    c.print(f"[bold]{plan.name}[/bold]: {plan.description}")
    c.print(f"strategy: [cyan]{plan.strategy}[/cyan]   database: {plan.dialect} "
            f"{plan.target_version}   expected: {human_duration(plan.estimated_seconds)}")
    table = Table(show_header=True, header_style="bold")
    for col in ("#", "step", "phase", "txn", "locks"):
        table.add_column(col)
    for s in plan.steps:
        locks = ", ".join(sorted({f"{lk.mode}" for lk in s.expected_locks})) or "-"
        table.add_row(str(s.number), s.title, s.phase, "yes" if s.transactional else "no", locks)
    c.print(table)
    if dialect_note:  # a guess (the file name, or no sign at all): say it where it is read
        c.print(f"note: {dialect_note}", markup=False)
    if plan.alternative:
        c.print(f"alternative: {plan.alternative.title} ({plan.alternative.downtime})")
    for note in plan.notes:
        if note.startswith("Not planned: "):  # what the request restated is already there
            c.print(f"note: {note}", markup=False)
    if out_dir is not None:
        c.print(f"wrote {len(written)} files to [bold]{out_dir}[/bold] (read PLAN.md first)")
    else:
        for s in plan.steps:
            c.print(f"\n-- {s.slug}.up.sql\n{s.up_sql}", markup=False)
    if verification is not None:
        status = "[green]verified[/green]" if verification.get("ok") else "[red]verification failed[/red]"
        c.print(f"{status}: {verification.get('summary', '')}")
