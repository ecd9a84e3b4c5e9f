"""`migsmith verify`: prove a plan directory by running it on a throwaway database.

For the main plan and, on a second fresh database, the simple alternative:

1. load the starting schema (the DDL file as is, or DDL re-created from a live database's
   schema) and seed sample rows (``tools/proving/seed.py``);
2. snapshot the catalog (S0) and the data (row counts, a checksum per column);
3. apply every up step in order, watching the locks each statement takes; snapshot (S1) and
   check the data (untouched columns unchanged, renamed columns carry their data, backfilled
   columns hold what the spec says);
4. apply every down step in reverse; the catalog must equal S0 again (S2), and the data too,
   except what the plan itself says cannot come back;
5. apply every up step again: a plan that cannot be re-applied after its rollback is broken;
   the catalog must equal S1.

Reads only plan.json and the step files. The result goes into plan.json (``verification``)
and PLAN.md, and is returned as a VerifyReport.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from migsmith.tools.errors import MigsmithError, PlanError, SchemaError
from migsmith.tools.running.executor import ExecutionError, split_statements
from migsmith.tools.planning.plan import Plan, Step

# ----------------------------------------------------------------------------- lock modes
# PostgreSQL's table lock conflict matrix ("Explicit Locking", table 13.2): mode -> the modes
# it conflicts with. A lock is no stronger than another when it conflicts with a subset of
# what the other conflicts with (ShareLock and ShareUpdateExclusiveLock are incomparable).
_MODES = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
          "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]
CONFLICTS: dict[str, frozenset[str]] = {
    "AccessShareLock": frozenset({"AccessExclusiveLock"}),
    "RowShareLock": frozenset({"ExclusiveLock", "AccessExclusiveLock"}),
    "RowExclusiveLock": frozenset({"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
                                   "AccessExclusiveLock"}),
    "ShareUpdateExclusiveLock": frozenset({"ShareUpdateExclusiveLock", "ShareLock",
                                           "ShareRowExclusiveLock", "ExclusiveLock",
                                           "AccessExclusiveLock"}),
    "ShareLock": frozenset({"RowExclusiveLock", "ShareUpdateExclusiveLock",
                            "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}),
    "ShareRowExclusiveLock": frozenset({"RowExclusiveLock", "ShareUpdateExclusiveLock",
                                        "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
                                        "AccessExclusiveLock"}),
    "ExclusiveLock": frozenset(_MODES[1:]),
    "AccessExclusiveLock": frozenset(_MODES),
}


def lock_covered(observed: str, expected: str) -> bool:
    """Whether holding ``observed`` blocks nothing that ``expected`` would not block."""
    return CONFLICTS.get(observed, frozenset(_MODES)) <= CONFLICTS.get(expected, frozenset())


def strongest(modes) -> list[str]:
    """The modes of ``modes`` not covered by another one in it (usually just one)."""
    modes = set(modes)
    return sorted((m for m in modes if not any(o != m and lock_covered(m, o) for o in modes)),
                  key=_MODES.index)


def _bare(table: str) -> str:
    return table.removeprefix("public.")


# ----------------------------------------------------------------------------- report
@dataclass
class RunResult:
    label: str  # "plan" or "alternative"
    ok: bool = True
    server: str = ""  # the server that ran it, by product: "MariaDB 10.11.19", "PostgreSQL 16.4"
    steps: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    locks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds

    def lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[phase] = round(self.timings.get(phase, 0.0) + now - since, 3)
        return now

    def problems(self) -> list[str]:
        return self.errors + self.diff + self.locks + self.data


@dataclass
class VerifyReport:
    ok: bool
    summary: str
    plan: RunResult
    alternative: RunResult | None
    dialect: str
    rows: int
    seconds: float

    def to_dict(self) -> dict:
        def run(r: RunResult | None):
            if r is None:
                return None
            return {"ok": r.ok, "steps": r.steps, "statements": r.statements, "diff": r.diff,
                    "data": r.data, "locks": r.locks, "errors": r.errors, "notes": r.notes,
                    "seconds": round(r.seconds, 3), "timings": r.timings, "server": r.server}

        return {"ok": self.ok, "summary": self.summary, "dialect": self.dialect,
                "rows": self.rows, "seconds": round(self.seconds, 3),
                "steps": self.plan.steps, "statements": self.plan.statements,
                "diff": self.plan.diff, "data": self.plan.data, "locks": self.plan.locks,
                "errors": self.plan.errors, "notes": self.plan.notes,
                "timings": self.plan.timings, "server": self.plan.server,
                "alternative": run(self.alternative)}


# ----------------------------------------------------------------------------- reading
@dataclass
class StepFiles:
    step: Step
    up: str
    down: str
    up_name: str
    down_name: str


def parse_check(sql: str, dialect: str, file: str) -> None:
    """SQLParseError (file:line:column) when ``sql`` does not parse for ``dialect``."""
    if dialect == "postgres":
        split_statements(sql, file=file)
    elif dialect == "sqlite":
        from migsmith.tools.proving.shadow.sqlite import split_sqlite

        split_sqlite(sql, file=file)


def read_plan_dir(plan_dir: str | Path) -> tuple[Plan, list[StepFiles], list[StepFiles]]:
    """plan.json and every step file, parsed up front: missing or unparsable input fails here,
    before any server starts."""
    root = Path(plan_dir)
    pj = root / "plan.json"
    if not root.is_dir():
        raise PlanError(f"plan directory not found: {plan_dir}")
    if not pj.is_file():
        raise PlanError(f"{plan_dir} has no plan.json (is it a migsmith plan directory?)")
    from migsmith.tools.userfiles import load_json, read_text

    data = load_json(read_text(pj, "plan file", PlanError), str(pj), PlanError)
    try:
        plan = Plan.model_validate(data)
    except ValueError as exc:
        first = str(exc).strip().splitlines()[0]
        raise PlanError(f"{pj}: not a valid plan.json: {first}") from None

    def files(steps: list[Step], what: str) -> list[StepFiles]:
        out = []
        for step in steps:
            texts = []
            for kind, name in (("up", step.up_file), ("down", step.down_file)):
                if not name:
                    raise PlanError(f"{pj}: {what} step {step.number} names no {kind} file")
                path = root / name
                if not path.is_file():
                    raise PlanError(f"{plan_dir}: missing {kind} file {name} ({what} step "
                                    f"{step.number}: {step.title})")
                text = read_text(path, f"{kind} file", PlanError)
                parse_check(text, plan.dialect, str(path))  # SQLParseError: file:line:col
                texts.append(text)
            out.append(StepFiles(step, texts[0], texts[1], step.up_file, step.down_file))
        return out

    main = files(plan.steps, "plan")
    alt = files(plan.alternative.steps, "alternative") if plan.alternative else []
    return plan, main, alt


def starting_ddl(schema_location: str, dialect: str) -> tuple[str, str, set[str], list[str]]:
    """(DDL text, label, table names, notes) of the schema a plan starts from: a SQLite
    database file brings its rows along (``sqlite_file_ddl``; the notes say whether)."""
    from migsmith.tools.schema import load_ddl, read_ddl_file

    if "://" in schema_location:
        from migsmith.tools.schema.live import load_live_schema, redact_url
        from migsmith.tools.schema.live_postgres import schema_to_ddl

        live = load_live_schema(schema_location, dialect=dialect)
        if dialect != "postgres":
            raise SchemaError(f"re-creating a live {dialect} schema is not supported yet")
        return schema_to_ddl(live), redact_url(schema_location), set(live.tables), []
    from migsmith.tools.schema import is_sqlite_file

    if is_sqlite_file(schema_location):
        from migsmith.tools.proving.shadow.sqlite import sqlite_file_ddl

        return sqlite_file_ddl(schema_location)
    text, path = read_ddl_file(schema_location)
    tables = set(load_ddl(text, dialect, source=path).tables)
    return text, path, tables, []


# ----------------------------------------------------------------------------- verify
def verify_plan_dir(plan_dir: str | Path, schema_location: str, *, dialect: str | None = None,
                    rows: int = 1000, shadow_url: str | None = None, force: bool = False,
                    server_url: str | None = None, write: bool = True,
                    spare_databases: int = 0) -> VerifyReport:
    """Prove the plan in ``plan_dir`` on shadow databases; see the module docstring.

    ``shadow_url``: a user's disposable database (checked: refused when it holds tables the
    schema does not describe, unless ``force``). ``server_url``: a server this process may
    create databases on (tests, warm benchmarks). Neither: a private server is started and
    stopped. ``write``: record the result in plan.json and PLAN.md. ``spare_databases``: with
    ``server_url``, databases to keep made ahead for the next verification (see open_shadow).
    """
    from migsmith.tools.proving.shadow import cleanup_on_signals, open_shadow

    started = time.perf_counter()
    plan, main, alt = read_plan_dir(plan_dir)
    dialect = dialect or plan.dialect
    if dialect != plan.dialect:
        raise PlanError(f"the plan in {plan_dir} is for {plan.dialect}, not {dialect}")
    if dialect not in ("postgres", "sqlite", "mysql"):
        raise MigsmithError(f"verification on {dialect} shadow databases is not supported yet")
    ddl, ddl_label, tables, start_notes = starting_ddl(schema_location, dialect)
    parse_check(ddl, dialect, ddl_label)
    if dialect == "postgres":
        # Imported here, in this thread, before any other thread connects: two threads
        # importing psycopg at once can see it half initialized ("cannot import name
        # 'conninfo_attempts' from partially initialized module").
        import psycopg  # noqa: F401
        import psycopg.conninfo  # noqa: F401
    with cleanup_on_signals():
        # A private server takes a second or two to start: start it in the background while
        # this thread imports what the runs need. The driver is imported first: two threads
        # importing psycopg at once can meet a partially initialized psycopg.conninfo.
        if dialect == "postgres":
            import psycopg  # noqa: F401
        starter = ThreadPoolExecutor(max_workers=1)
        starting = starter.submit(open_shadow, dialect, shadow_url=shadow_url,
                                  server_url=server_url, described_tables=tables, force=force,
                                  spare_databases=spare_databases,
                                  **shadow_build_options(plan, ddl, dialect))
        try:
            _import_for(dialect)
            shadow = starting.result()
        except BaseException:
            if not starting.cancel():  # it may still come up: never leave it running
                with contextlib.suppress(Exception):
                    starting.result().close()
            raise
        finally:
            starter.shutdown(wait=False)
        with shadow:
            # The plan and its alternative run on two databases at once (two cores).
            jobs = [("plan", main)] + ([("alternative", alt)] if alt else [])
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                futures = [pool.submit(_run_fresh, shadow, plan, files, ddl, ddl_label, rows,
                                       label) for label, files in jobs]
                try:
                    runs = [f.result() for f in futures]
                except BaseException:
                    # Ctrl-C / SIGTERM / a failed run: end the other run's sessions so its
                    # thread finishes now and every database is dropped before we leave.
                    shadow.interrupt()
                    raise
            main_run, alt_run = runs[0], (runs[1] if alt else None)
    for run in runs:
        run.notes[:0] = start_notes
    ok = main_run.ok and (alt_run is None or alt_run.ok)
    report = VerifyReport(ok=ok, summary="", plan=main_run, alternative=alt_run,
                          dialect=dialect, rows=rows, seconds=time.perf_counter() - started)
    report.summary = _summary(report, plan)
    if write:
        _record(plan_dir, plan, report)
    return report


def shadow_build_options(plan: Plan, ddl: str, dialect: str) -> dict:
    """Which PostgreSQL build a private shadow starts from: one of the major version the plan
    targets (fetched once per machine when none is here: ``pg_builds.choose``) that has the
    extensions the schema creates."""
    if dialect != "postgres":
        return {}
    from migsmith.tools.proving.shadow.pg_builds import required_extensions

    major = plan.target_version.split(".")[0]
    return {"target_major": int(major) if major.isdigit() else None,
            "extensions": required_extensions(ddl)}


def _import_for(dialect: str) -> None:
    """Import the modules a run uses (while a server starts in another thread)."""
    import migsmith.tools.proving.catalog  # noqa: F401
    import migsmith.tools.schema.evolve  # noqa: F401
    import migsmith.tools.proving.seed  # noqa: F401

    if dialect == "postgres":
        import migsmith.tools.schema.live_postgres  # noqa: F401


def server_name(dialect: str, version: str) -> str:
    """The product that really ran the plan, with its version: MariaDB answers the MySQL
    protocol but is not MySQL, and a reader comparing behaviour needs to know which it was."""
    product = {"postgres": "PostgreSQL", "sqlite": "SQLite", "mysql": "MySQL"}.get(dialect, dialect)
    if "mariadb" in version.lower():
        product = "MariaDB"
    number = version.split("-")[0].strip()
    return f"{product} {number}" if number else product


def _summary(report: VerifyReport, plan: Plan) -> str:
    runs = [r for r in (report.plan, report.alternative) if r is not None]
    parts = []
    for r in runs:
        n = sum(1 for s in r.steps if s["direction"] == "up" and s["pass"] == 1)
        locks = len(r.statements)
        if r.ok:
            server = r.server or server_name(report.dialect, "")
            parts.append(f"{r.label}: {n} step(s) applied up, down and up again on {server} "
                         f"with {report.rows} rows per table; the schema after up is what the "
                         "spec asks for and is identical after the round trip; data checks "
                         "passed"
                         + (f"; {locks} statement(s) took only the predicted locks"
                            if report.dialect == "postgres" else ""))
        else:
            problems = r.problems()
            parts.append(f"{r.label}: FAILED ({len(problems)} problem(s)): {problems[0]}"
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return "; ".join(parts) + f" [{report.seconds:.1f}s]"


def _record(plan_dir, plan: Plan, report: VerifyReport) -> None:
    """Put the result into plan.json and PLAN.md (only those two files are rewritten)."""
    from migsmith.tools.planning.docs import render_markdown
    from migsmith.tools.planning.writer import atomic_write

    data = report.to_dict()
    plan.verification = data
    root = Path(plan_dir)
    try:
        atomic_write(root / "plan.json", plan.model_dump_json(indent=2) + "\n", exclusive=False)
        atomic_write(root / "PLAN.md", render_markdown(plan), exclusive=False)
    except OSError as exc:
        report.plan.notes.append(f"could not record the result in {plan_dir}: {exc.strerror}")


# A starting schema at least this long is loaded and seeded once per server, in a template
# database that every plan on it copies (``PostgresShadow.prepared``); smaller ones load in
# less time than the copy takes.
TEMPLATE_MIN_CHARS = 16 * 1024


@dataclass
class Start:
    """The state every run starts from: the schema loaded and seeded, as read back."""

    schema: object  # the Schema model read from the catalog
    notes: list[str]  # what seeding says (tables left empty and why)
    snapshot: dict  # S0
    fingerprint: dict  # D0
    timings: dict[str, float]


def _start(session, ddl: str, ddl_label: str, rows: int, premises: list) -> Start:
    """Load the schema, seed it (keeping what the spec takes as given about the rows:
    ``seed.premised``) and read the start state back."""
    from migsmith.tools.proving.seed import premised

    timings: dict[str, float] = {}
    t = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal t
        now = time.perf_counter()
        timings[phase] = round(now - t, 3)
        t = now

    session.load(ddl, ddl_label)
    lap("load schema")
    schema = session.start_schema()
    seeded = session.seed(premised(schema, premises) if premises else schema, rows)
    lap("seed")
    s0 = session.snapshot()
    d0 = session.fingerprint(s0)
    lap("snapshots")
    return Start(schema, seeded.notes() if seeded is not None else [], s0, d0, timings)


def template_key(ddl: str, rows: int, premises: list) -> str:
    """What a start state depends on: the schema, the rows per table, the spec's premises."""
    import hashlib

    given = json.dumps([op.model_dump(mode="json") for op in premises], sort_keys=True)
    return hashlib.sha256(f"{rows}\n{given}\n{ddl}".encode("utf-8", "surrogatepass")).hexdigest()


def _run_fresh(shadow, plan: Plan, files: list[StepFiles], ddl: str, ddl_label: str,
               rows: int, label: str) -> RunResult:
    from migsmith.tools.proving.seed import premises as premises_of

    premises = premises_of(plan.spec.operations)
    key = template_key(ddl, rows, premises)
    prepared = (shadow.prepared(key, lambda s: _start(s, ddl, ddl_label, rows, premises))
                if len(ddl) >= TEMPLATE_MIN_CHARS and hasattr(shadow, "prepared")
                else contextlib.nullcontext())
    timings: dict[str, float] = {}
    try:
        t = time.perf_counter()
        with prepared as ready:
            template, start = ready or (None, None)
            if template:
                timings["load and seed (once per schema)"] = round(time.perf_counter() - t, 3)
            t = time.perf_counter()
            with shadow.database("alt" if label == "alternative" else "plan",
                                 **({"template": template} if template else {})) as db:
                if template:
                    timings["copy of the loaded schema"] = round(time.perf_counter() - t, 3)
                with shadow.session(db) as session:
                    result = _run(session, plan, files, ddl, ddl_label, rows, label, start,
                                  premises)
    except SchemaError as exc:
        if not getattr(shadow, "note", None):
            raise
        raise SchemaError(f"{exc.message} ({shadow.note})", hint=exc.hint) from None
    result.timings = {**timings, **result.timings}
    if getattr(shadow, "note", None):
        result.notes.insert(0, shadow.note)
    return result


def _run(session, plan: Plan, files: list[StepFiles], ddl: str, ddl_label: str, rows: int,
         label: str, start: Start | None = None, premises: list = ()) -> RunResult:
    from migsmith.tools.proving import catalog

    result = RunResult(label=label)
    t0 = t = time.perf_counter()
    server = session.server_version()
    result.server = server_name(plan.dialect, server)
    if plan.dialect == "postgres" and server.split(".")[0] != plan.target_version.split(".")[0]:
        result.notes.append(f"verified on PostgreSQL {server}; the plan targets "
                            f"{plan.target_version}: behaviour that differs between versions "
                            "is as on the server used")
    if start is None:  # no template: load and seed here
        start = _start(session, ddl, ddl_label, rows, premises)
        result.timings.update(start.timings)
    start_schema, s0, d0 = start.schema, start.snapshot, start.fingerprint
    result.notes += start.notes
    t = time.perf_counter()
    converted = _expected_conversions(session, plan, s0, d0)
    t = result.lap("snapshots", t)
    steps_ok = _apply(session, files, "up", 1, result)
    t = result.lap("up (observing locks)" if session.observes_locks else "up", t)
    if not steps_ok:
        return _finish(result, t0)
    if session.dialect == "postgres":
        s1, after = session.snapshot_and_schema()
    else:
        s1, after = session.snapshot(), None
    d1 = session.fingerprint(s1, keys=_keys_after_up(plan, d0))
    result.diff += ["after up, the schema is not what the spec asks for: " + line
                    for line in _check_target(session, plan, start_schema, s1, after)]
    result.diff += _views_answer(session, s1, "after up")
    result.data += _check_backfills(session, plan, s1, result)
    result.data += _compare_data(plan, d0, d1, "after up", round_trip=False)
    result.data += [f"after up: {t}.{c} does not hold its old values converted to the new "
                    f"type ({how})" for (t, c, how), digest in converted.items()
                    if d1.get(t, {}).get("columns", {}).get(c) not in (None, digest)]
    t = result.lap("snapshots", t)
    steps_ok = _apply(session, list(reversed(files)), "down", 1, result)
    t = result.lap("down", t)
    if not steps_ok:
        return _finish(result, t0)
    s2 = session.snapshot()
    d2 = session.fingerprint(s2, keys={t: fp["key"] for t, fp in d0.items()})
    result.diff += ["after up + down, the schema differs from the start: " + line
                    for line in catalog.diff(s0, s2, before_label="at the start",
                                             after_label="after the down steps")]
    result.diff += _views_answer(session, s2, "after up + down")
    result.data += _compare_data(plan, d0, d2, "after up + down", round_trip=True)
    t = result.lap("snapshots", t)
    steps_ok = _apply(session, files, "up", 2, result)
    t = result.lap("up again", t)
    if not steps_ok:
        return _finish(result, t0)
    s3 = session.snapshot()
    result.diff += ["re-applying up after the down gives a different schema: " + line
                    for line in catalog.diff(s1, s3, before_label="after the first up",
                                             after_label="after the second up")]
    result.diff += _views_answer(session, s3, "after the second up")
    result.lap("snapshots", t)
    return _finish(result, t0)


def _views_answer(session, snap: dict, when: str) -> list[str]:
    """Every view must still answer a query. MySQL and SQLite resolve a view's columns when it
    is queried, so a plan that renames a column a view reads can pass every schema check and
    still leave the view broken (MySQL ERROR 1356, SQLite "no such column")."""
    out = []
    quote = "`" if session.dialect == "mysql" else '"'
    for name, table in sorted(snap["tables"].items()):
        if table["kind"] != "view":
            continue
        ref = ".".join(quote + part.replace(quote, quote * 2) + quote
                       for part in name.split("."))
        try:
            session.apply(f"SELECT * FROM {ref} LIMIT 0;", file=f"view {name}")
        except ExecutionError as exc:
            out.append(f"{when}, view {name} no longer answers: {exc}")
    return out


def _finish(result: RunResult, t0: float) -> RunResult:
    result.ok = not result.problems()
    result.seconds = time.perf_counter() - t0
    return result


def _apply(session, files: list[StepFiles], direction: str, pass_no: int,
           result: RunResult) -> bool:
    observe = session.observes_locks and direction == "up" and pass_no == 1
    for sf in files:
        step = sf.step
        name = sf.up_name if direction == "up" else sf.down_name
        sql = sf.up if direction == "up" else sf.down
        t = time.perf_counter()
        entry = {"step": step.number, "direction": direction, "pass": pass_no, "file": name,
                 "ok": True}
        try:
            res = session.apply(sql, file=name, observe=observe)
        except ExecutionError as exc:
            entry.update(ok=False, error=str(exc), seconds=round(time.perf_counter() - t, 3))
            result.steps.append(entry)
            what = "re-applying " if pass_no == 2 else ""
            result.errors.append(f"{what}{direction} step {step.number} failed: {exc}")
            return False
        entry.update(seconds=round(time.perf_counter() - t, 3), statements=len(res))
        result.steps.append(entry)
        if observe:
            _check_locks(step, res, result)
    return True


def _check_locks(step: Step, results, result: RunResult) -> None:
    expected: dict[str, list[str]] = {}
    for lk in step.expected_locks:
        expected.setdefault(_bare(lk.table), []).append(lk.mode)
    shown = sorted({f"{_bare(lk.table)}: {lk.mode}" for lk in step.expected_locks})
    for res in results:
        observed = res.observed or []
        if not observed:
            continue
        by_table: dict[str, set[str]] = {}
        for table, mode in observed:
            by_table.setdefault(table, set()).add(mode)
        line = res.statement.first_line[:120]
        locks = []
        for table, modes in sorted(by_table.items()):
            names = table.split(" / ")
            allowed = [m for n in names for m in expected.get(n, [])] or ["AccessShareLock"]
            for mode in strongest(modes):
                covering = [e for e in allowed if lock_covered(mode, e)]
                # like with like: the weakest predicted lock that allows this one
                locks.append({"table": table, "observed": mode,
                              "predicted": min(covering, key=_MODES.index) if covering else None})
                if not covering:
                    predicted = ", ".join(sorted(set(allowed))) if any(
                        n in expected for n in names) else "no lock"
                    result.locks.append(
                        f"step {step.number} statement {res.statement.number} "
                        f"({line!r}) takes {mode} on {table}; the plan predicted {predicted}")
        result.statements.append({
            "step": step.number, "statement": line, "number": res.statement.number,
            "observed": [f"{t}: {m}" for t, ms in sorted(by_table.items())
                         for m in strongest(ms)],
            "expected": shown, "locks": locks, "in_transaction": res.in_transaction})


# ----------------------------------------------------------------------------- data checks
def _renames(plan: Plan) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    tables, columns = {}, {}
    for op in plan.spec.operations:
        if op.op == "rename_table":
            tables[_bare(op.table)] = _bare(op.new_name)
        elif op.op == "rename_column":
            columns[(_bare(op.table), op.column)] = op.new_name
    return tables, columns


def _keys_after_up(plan: Plan, start: dict) -> dict[str, list[str]]:
    """The ordering keys of the start, under the table and column names after the up."""
    table_renames, column_renames = _renames(plan)
    return {table_renames.get(t, t): [column_renames.get((t, c), c) for c in fp["key"]]
            for t, fp in start.items()}


def _touched(plan: Plan, *, round_trip: bool) -> tuple[set[str], set[tuple[str, str]]]:
    """Tables and columns whose data the plan may legitimately change (after the up, or for
    good after the round trip)."""
    from migsmith.tools.spec.changespec import default_set_before

    tables, columns = set(), set()
    ops = plan.spec.operations
    for i, op in enumerate(ops):
        t = _bare(getattr(op, "table", "") or "")
        match op.op:
            case "drop_table":
                tables.add(t)
            case "drop_column" | "backfill":
                columns.add((t, op.column))
            case "set_not_null" if default_set_before(ops, i, op.table, op.column):
                columns.add((t, op.column))  # NULLs take the new default, for good
            case "alter_column_type" | "rename_column" if not round_trip:
                columns.add((t, op.column))
            case "alter_column_type" if plan.spec.options.allow_data_loss:
                columns.add((t, op.column))
            case "add_column" if not round_trip:
                columns.add((t, op.column.name))
    return tables, columns


def _compare_data(plan: Plan, before: dict, after: dict, when: str, *, round_trip: bool
                  ) -> list[str]:
    table_renames, column_renames = _renames(plan)
    gone_tables, changed = _touched(plan, round_trip=round_trip)
    out = []
    for table, fp in before.items():
        if table in gone_tables:
            continue
        now_name = table if round_trip else table_renames.get(table, table)
        now = after.get(now_name)
        if now is None:
            out.append(f"{when}: table {table} and its {fp['rows']} rows are gone")
            continue
        if now["rows"] != fp["rows"]:
            out.append(f"{when}: {now_name} has {now['rows']} rows, {fp['rows']} at the start")
        for col, digest in fp["columns"].items():
            renamed_to = None if round_trip else column_renames.get((table, col))
            if renamed_to is None and (table, col) in changed:
                continue
            target = renamed_to or col
            if target not in now["columns"]:
                out.append(f"{when}: column {now_name}.{target} is missing")
            elif now["columns"][target] != digest:
                what = (f"renamed column {now_name}.{target} does not hold the data of "
                        f"{table}.{col}" if renamed_to else
                        f"data of {now_name}.{col} changed, but the plan does not change it")
                out.append(f"{when}: {what}")
    return out


def _check_target(session, plan: Plan, start, snap: dict, after=None) -> list[str]:
    """The state after the up steps against the spec applied to the start schema
    (``schema/evolve.py``): tables, columns, types, nullability, presence of defaults,
    index and constraint names. Catches a recipe that reaches *a* state that round-trips
    cleanly but is not the one asked for (a foreign key lost on the way, say)."""
    from migsmith.tools.schema.evolve import evolve

    try:
        target = evolve(start, plan.spec).schema
    except MigsmithError as exc:
        return [f"the spec does not apply to the shadow database's schema: {exc}"]
    out = []
    after_tables = {_bare(n): t for n, t in after.tables.items()} if after is not None else {}
    actual = {name: t for name, t in snap["tables"].items() if t["kind"] == "table"}
    wanted = {_bare(name): t for name, t in target.tables.items() if t.kind == "table"}
    for name in sorted(set(wanted) - set(actual)):
        out.append(f"table {name} is missing")
    for name in sorted(set(actual) - set(wanted)):
        out.append(f"table {name} exists, the spec does not ask for it")
    types = session.normalize_types(sorted({c.type for t in wanted.values() for c in t.columns}))
    for name in sorted(set(wanted) & set(actual)):
        want, got = wanted[name], actual[name]
        cols = {c.name: c for c in want.columns}
        for col in sorted(set(cols) - set(got["columns"])):
            out.append(f"{name}.{col} is missing")
        for col in sorted(set(got["columns"]) - set(cols)):
            if got["columns"][col].get("generated") and session.dialect == "sqlite":
                continue  # SQLite's model leaves generated (hidden) columns out
            out.append(f"{name}.{col} exists, the spec does not ask for it")
        for col in sorted(set(cols) & set(got["columns"])):
            c, g = cols[col], got["columns"][col]
            if types is not None and types.get(c.type, c.type) != g["type"]:
                out.append(f"{name}.{col} is {g['type']}, the spec asks for "
                           f"{types.get(c.type, c.type)}")
            if c.nullable != g["nullable"]:
                out.append(f"{name}.{col} is {'nullable' if g['nullable'] else 'NOT NULL'}, "
                           f"the spec asks for {'nullable' if c.nullable else 'NOT NULL'}")
            if (c.default is None) != (g["default"] is None) and not c.identity \
                    and not c.generated:
                out.append(f"{name}.{col} has {'no ' if g['default'] is None else 'a '}default, "
                           f"the spec asks for {'none' if c.default is None else c.default}")
        if session.dialect == "mysql":
            continue  # the MySQL loader and snapshot see foreign-key indexes differently
        # Indexes and constraints are compared by what they are, not by name: an online
        # rename or type change rebuilds them on the new column under new names.
        # (the index a foreign key gets is on its table's partitions too)
        owners = {name} | {_bare(t) for t in _ancestors(target, name)}
        fk_cols = {tuple(o.columns) for o in plan.spec.operations
                   if o.op == "add_foreign_key" and _bare(o.table) in owners}
        if after is not None and _bare(name) in after_tables:
            out += _compare_indexes(plan, name, want, after_tables[_bare(name)], fk_cols,
                                    same=getattr(session, "same_index", None))
        else:
            out += _compare_index_definitions(plan, name, want, got, fk_cols)
        if session.dialect != "postgres":
            continue  # SQLite and MySQL snapshots describe constraints their own way
        not_null_checks = {col for col, v in ((_not_null_check(v["definition"]), v)
                                              for v in got["constraints"].values())
                           if col and v["validated"]}
        for col in not_null_checks:  # before PostgreSQL 12 a validated CHECK is the NOT NULL
            if col in cols and not cols[col].nullable and got["columns"].get(col, {}).get(
                    "nullable"):
                out.remove(f"{name}.{col} is nullable, the spec asks for NOT NULL")
        want_con = Counter(_constraint_sig_model(c) for c in want.constraints)
        got_con = Counter(_constraint_sig_sql(n, v["definition"])
                          for n, v in got["constraints"].items()
                          if not (_not_null_check(v["definition"]) in cols
                                  and not cols[_not_null_check(v["definition"])].nullable))
        for sig in sorted((want_con - got_con).elements()):
            out.append(f"{name}: no {_show_sig(sig)}")
        for sig in sorted((got_con - want_con).elements()):
            out.append(f"{name}: {_show_sig(sig)} exists, the spec does not ask for it")
    return out


def _ancestors(schema, name: str) -> list[str]:
    """The partitioned tables above a partition, nearest first."""
    out = []
    table = schema.tables.get(schema._key(name))
    while table is not None and table.partition_of:
        out.append(table.partition_of)
        table = schema.tables.get(schema._key(table.partition_of))
    return out


def _compare_indexes(plan: Plan, name: str, want, got, fk_cols: set, same=None) -> list[str]:
    """Indexes of the target model against those read back from the catalog after the up
    steps, every feature compared (``compare.py``); constraint-backed ones are constraints.
    ``same(table, wanted, name)``: whether the server builds index ``name`` from what
    ``wanted`` says (the two texts of one expression that the catalog prints differently,
    NORMALIZE(x, NFKC) and "normalize"(x::text, 'NFKC'::text), are one index)."""
    from migsmith.tools.proving.compare import describe, match_indexes

    def plain(t):
        return [i for i in t.indexes if not i.primary
                and not any(c.index == i.name for c in t.constraints)]

    missing, extra = match_indexes(plain(want), plain(got))
    for w in list(missing) if same else ():
        twin = next((g for g in extra if same(got.name, w, g.name)), None)
        if twin is not None:
            missing.remove(w)
            extra.remove(twin)
    out = [f"{name}: no {describe(i)}" for i in missing]
    for i in extra:
        if plan.spec.options.index_foreign_keys and not i.unique and tuple(i.columns) in fk_cols:
            continue  # the index the plan adds for a new foreign key (index_foreign_keys)
        out.append(f"{name}: {describe(i)} exists, the spec does not ask for it")
    return out


def _compare_index_definitions(plan: Plan, name: str, want, got: dict, fk_cols: set
                               ) -> list[str]:
    """The same from snapshot definitions (SQLite), where no model is read back."""
    out = []
    want_idx = Counter(_index_sig_model(i) for i in want.indexes if not i.primary
                       and not any(c.index == i.name for c in want.constraints))
    got_idx = Counter(_index_sig_sql(v["definition"]) for n, v in got["indexes"].items()
                      if n not in _constraint_indexes(got))
    for sig in sorted((want_idx - got_idx).elements()):
        out.append(f"{name}: no {_show_sig(sig)}")
    for sig in sorted((got_idx - want_idx).elements()):
        if plan.spec.options.index_foreign_keys and not sig[0] and sig[2] in fk_cols:
            continue  # the index the plan adds for a new foreign key (index_foreign_keys)
        out.append(f"{name}: {_show_sig(sig)} exists, the spec does not ask for it")
    return out


def _index_key(column: str) -> str:
    """An index column or expression without quotes, blanks and parentheses: the pretty and
    the plain catalog spellings of ``lower(label::text)`` then compare equal."""
    return re.sub(r'[()\s"`]', "", column)


def _index_sig_model(idx) -> tuple:
    return (bool(idx.unique), (idx.method or "btree").lower(),
            tuple(_index_key(c) for c in idx.columns))


_INDEX_SQL = re.compile(r"CREATE (UNIQUE )?INDEX .*? USING (\w+) \((.*)\)", re.S)


def _index_sig_sql(definition: str | None) -> tuple:
    m = _INDEX_SQL.search(definition or "")
    if not m:  # SQLite: "UNIQUE (a, b)" / "(a, b) WHERE ..."
        text = (definition or "").strip()
        unique = text.upper().startswith("UNIQUE")
        inner = text[text.find("(") + 1: text.find(")")] if "(" in text else text
        return (unique, "btree", tuple(_index_key(c) for c in inner.split(",")))
    cols = m.group(3)
    cols = cols[: cols.rindex(")")] if ") WHERE" in m.group(0) else cols
    return (bool(m.group(1)), m.group(2).lower(),
            tuple(_index_key(c) for c in _split_top(cols)))


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")")
        cur += ch
    return out + [cur]


def _constraint_sig_model(con) -> tuple:
    if con.kind == "check":
        return ("check", con.name)
    ref = _bare(con.ref_table) if con.ref_table else ""
    return (con.kind, tuple(con.columns), ref)


_CON_SQL = re.compile(r"^(PRIMARY KEY|UNIQUE|FOREIGN KEY|EXCLUDE)\s*(?:USING \w+ )?\(([^)]*)\)"
                      r"(?:\s*REFERENCES\s+([^\s(]+))?")
_KINDS = {"PRIMARY KEY": "primary_key", "UNIQUE": "unique", "FOREIGN KEY": "foreign_key",
          "EXCLUDE": "exclusion"}


def _constraint_sig_sql(name: str, definition: str) -> tuple:
    m = _CON_SQL.match(definition or "")
    if not m:
        return ("check", name)
    cols = tuple(c.strip().strip('"') for c in m.group(2).split(","))
    ref = _bare((m.group(3) or "").strip('"')) if m.group(1) == "FOREIGN KEY" else ""
    return (_KINDS[m.group(1)], cols, ref)


def _not_null_check(definition: str | None) -> str | None:
    m = re.fullmatch(r"CHECK \(\(?\"?(\w+)\"? IS NOT NULL\)?\)( NOT VALID)?", definition or "")
    return m.group(1) if m else None


def _show_sig(sig: tuple) -> str:
    if sig[0] == "check":
        return f"check constraint {sig[1]}"
    if isinstance(sig[0], bool):
        return (f"{'unique ' if sig[0] else ''}{sig[1]} index on ({', '.join(sig[2])})")
    kind = sig[0].replace("_", " ")
    return f"{kind} ({', '.join(sig[1])})" + (f" -> {sig[2]}" if sig[2] else "")


def _constraint_indexes(table_snapshot: dict) -> set[str]:
    """Index names that belong to a primary key or unique constraint (same name in PG)."""
    return set(table_snapshot["constraints"]) & set(table_snapshot["indexes"])


def _expected_conversions(session, plan: Plan, snap: dict, start: dict) -> dict:
    """(table, column, conversion) -> checksum the column must have after a type change:
    the start's values put through the conversion (USING, else a cast), computed before."""
    out = {}
    ops = plan.spec.operations
    for i, op in enumerate(ops):
        if op.op != "alter_column_type":
            continue
        table = _bare(op.table)
        later = [o for o in ops[i + 1:] if _bare(getattr(o, "table", "") or "") == table
                 and (getattr(o, "column", None) == op.column or o.op in ("rename_table",
                                                                          "drop_table"))]
        if later or table not in start or op.column not in snap["tables"][table]["columns"]:
            continue
        source = op.using or f'"{op.column}"'
        digest = session.expression_checksum(table, f"CAST(({source}) AS {op.new_type})",
                                             start[table]["key"])
        if digest is not None:
            out[(table, op.column, f"CAST(({source}) AS {op.new_type})")] = digest
    return out


def _check_backfills(session, plan: Plan, snap: dict, result: RunResult) -> list[str]:
    """Backfilled (and defaulted) columns hold what the spec says, computed in SQL."""
    from migsmith.tools.spec.expressions import is_volatile

    ops = plan.spec.operations
    out = []
    for i, op in enumerate(ops):
        if op.op == "backfill":
            column, expr, where = op.column, op.expression, op.where
        elif op.op == "add_column" and op.column.default is not None:
            column, expr, where = op.column.name, op.column.default, None
        else:
            continue
        table = _bare(op.table)
        later = [o for o in ops[i + 1:] if _bare(getattr(o, "table", "") or "") == table
                 and getattr(o, "column", None) in (column,)]
        if later or is_volatile(expr, plan.dialect):
            continue
        if table not in snap["tables"] or column not in snap["tables"][table]["columns"]:
            continue
        try:
            matched, wrong = session.count_mismatch(table, column, expr, where)
        except Exception as exc:  # noqa: BLE001 - report, do not crash the run
            out.append(f"cannot check {table}.{column} = {expr}: {str(exc).splitlines()[0]}")
            continue
        if wrong:
            out.append(f"after up: {wrong} of {matched} rows of {table} have {column} "
                       f"different from {expr}" + (f" where {where}" if where else ""))
        elif matched == 0:
            result.notes.append(f"no sample row matches {where}: the backfill of "
                                f"{table}.{column} is applied but not proven on data")
        else:
            result.notes.append(f"{matched} rows of {table} hold {column} = {expr}"
                                + (f" where {where}" if where else ""))
    return out
