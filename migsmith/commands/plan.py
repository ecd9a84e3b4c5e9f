"""`migsmith plan`: a request or a spec in, a plan directory out (verified unless --no-verify)."""

from __future__ import annotations

import sys
from pathlib import Path

from migsmith.commands import _args
from migsmith.commands._common import parse_rows, print_json
from migsmith.commands._text import say
from migsmith.tools.errors import MigsmithError, NothingToDo, SpecError, UsageError

SUMMARY = "Plan a schema change: safe up/down SQL per step, PLAN.md, proof."
EXAMPLES = """\
  migsmith plan "rename created to created_at in posts" --schema db/schema.sql
  migsmith plan "add a boolean column is_admin to users" --db postgresql://localhost/app
  migsmith plan --spec change.json --schema db/schema.sql --out migrations/add_is_admin
  migsmith plan "drop column legacy_avatar from users" --schema db/schema.sql --allow-data-loss
  migsmith plan "index posts by user_id" --schema db/schema.sql --detect --repo .
  migsmith plan "index posts by user_id" --schema db/schema.sql --no-verify --json"""
DETAILS = """\
The plan is proved on a throwaway database (up, down, up again) before it is written, unless
--no-verify; a plan that fails is not written (--keep-unverified writes it, marked UNVERIFIED).
Exit status: 0 planned (and verified), 1 bad input or failed verification, 2 usage."""
FORMATS = ("sql", "golang-migrate", "dbmate", "flyway", "alembic", "django", "rails", "atlas",
           "sqitch")


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
    p.add_argument("--keep-unverified", action="store_true",
                   help="write the plan even when its verification fails or cannot run; "
                        "PLAN.md and plan.json then say it is UNVERIFIED")
    p.add_argument("--allow-data-loss", action="store_true",
                   help="consent to steps that destroy data (drop a column or table, narrow a "
                        "type); without it such a request is refused")
    p.add_argument("--downtime", action="store_true",
                   help="make the simple plan with a maintenance window the main one")
    _args.add_rows(p)
    p.add_argument("--model", default="auto", metavar="NAME",
                   help="who reads the request: offline, anthropic[:MODEL_ID], or auto "
                        "(anthropic when ANTHROPIC_API_KEY is set; default)")
    p.add_argument("--explain", action="store_true",
                   help="print how the offline reader read the request, stage by stage "
                        "(on stderr)")
    p.add_argument("--code", type=Path, metavar="DIR",
                   help="repository to search for uses of the changed tables and columns")
    p.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    p.add_argument("--shadow-db", metavar="URL",
                   help="a disposable database to verify on instead of a private server "
                        "(as for verify)")
    p.add_argument("--force", action="store_true",
                   help="use --shadow-db even if it holds tables the schema does not describe")
    p.add_argument("--format", dest="fmt", default="sql", choices=FORMATS, metavar="TOOL",
                   help="sql (plain files, psql; default) or the migration tool to write for: "
                        + ", ".join(FORMATS[1:]))
    p.add_argument("--detect", action="store_true",
                   help="find the migration tool the repository (--repo) uses; pick the "
                        "format, the folder and the next number")
    p.add_argument("--repo", type=Path, default=Path("."), metavar="DIR",
                   help="with --detect: the repository to look in (default: here)")
    p.add_argument("--plan-dir", type=Path, metavar="DIR",
                   help="with --format: where the plain plan goes (plan.json, PLAN.md; default "
                        "migsmith/<name>)")
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), plan_command, argv)


def plan_command(args) -> int:
    """Plan a schema change: impact, strategy, up/down SQL, docs and checklist."""
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.schema.detect import detect_dialect
    from migsmith.tools.spec.changespec import parse_spec

    request, spec, dialect, as_json, dry_run = (args.request, args.spec, args.dialect,
                                                args.as_json, args.dry_run)
    fmt, detect, out = args.fmt, args.detect, args.out
    if (request is None) == (spec is None):
        raise UsageError("give either a REQUEST or --spec FILE (not both)")
    location = args.schema or args.db
    change = None
    if spec is not None:
        from migsmith.tools.userfiles import read_text

        text = sys.stdin.read() if str(spec) == "-" else read_text(spec, "spec file", SpecError)
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

        if args.explain:
            from migsmith.agent.backends.offline import explain as explain_reading

            for line in explain_reading(request, sch, dialect_name):
                say(f"  {line}", err=True)
        agent_result = request_to_spec(request, sch, model=args.model, code_path=args.code,
                                       dialect=dialect_name)
        change = agent_result.spec
        if agent_result.note and not as_json:  # assumptions the planner made (a type, a default)
            say(agent_result.note, err=True)
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
            say(f"N{str(done)[1:]}")
        return 0
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
        if not args.no_verify:
            verification = _verify(plan, location, dialect_name, args.shadow_db, args.force)
            plan.verification = verification
    proven = verification is None or verification.get("ok") or args.keep_unverified
    if tool_format and (dry_run or proven):
        from migsmith.commands.plan_format import write_tool_files

        out_dir, written = write_tool_files(plan, fmt, out, args.plan_dir,
                                            args.repo if detect else None,
                                            dry_run=dry_run)
    elif not dry_run and proven:
        from migsmith.tools.planning.writer import write_plan

        written = write_plan(plan, out_dir)
    shown_dir = out_dir if written else None
    if as_json:
        print_json(plan_json(plan, shown_dir, verification, agent_result))
    else:
        _print_summary(plan, shown_dir, written, verification, dry_run=dry_run,
                       dialect_note=found.note() if found and not found.certain else None)
    return 1 if verification is not None and not verification.get("ok", False) else 0


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


def _print_summary(plan, out_dir: Path | None, written, verification, *, dry_run=False,
                   dialect_note: str | None = None) -> None:
    from migsmith.commands._common import error_line
    from migsmith.commands._text import say, table
    from migsmith.tools.planning.docs import strongest_locks
    from migsmith.tools.planning.planner import human_duration
    from migsmith.tools.planning.timeline import deploy_before

    say(f"{plan.name}: {plan.description}")
    say(f"strategy: {plan.strategy}   database: {plan.dialect} {plan.target_version}   "
        f"expected: {human_duration(plan.estimated_seconds)}")
    from migsmith.tools.dialects import get_dialect

    lock_info = get_dialect(plan.dialect, plan.target_version).lock_info
    rows = []
    for s in plan.steps:
        if deploy_before(s):
            rows.append(["", "-- deploy code first --", "", "", ""])
        rows.append([str(s.number), s.title, s.phase, "yes" if s.transactional else "no",
                     strongest_locks(s, lock_info) or "-"])
    say(table(["#", "step", "phase", "txn", "locks"], rows, wrap=1))
    if dialect_note:  # a guess (the file name, or no sign at all): said where it is read
        say(f"note: {dialect_note}")
    if plan.alternative:
        say(f"alternative: {plan.alternative.title} ({plan.alternative.downtime})")
    for note in plan.notes:
        if note.startswith("Not planned: "):  # what the request restated is already there
            say(f"note: {note}")
    if out_dir is not None:
        say(f"wrote {len(written)} files to {out_dir} (read PLAN.md first)")
    elif dry_run:
        for s in plan.steps:
            say(f"\n-- {s.slug}.up.sql\n{s.up_sql}")
    if verification is None:
        return
    summary = str(verification.get("summary", ""))
    if verification.get("ok"):
        say(f"verified: {summary}")
    elif out_dir is not None:
        say(f"verification failed: {summary} (kept, marked UNVERIFIED)")
    else:
        error_line(f"verification failed, nothing was written: {summary} "
                   "(--keep-unverified keeps a failed plan)")
