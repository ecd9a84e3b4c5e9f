"""`migsmith verify`: prove a plan directory by running it on a throwaway database.

For the main plan and, on a second fresh database, the simple alternative:

1. load the starting schema (the DDL file as is, or DDL re-created from a live database's
   schema) and seed sample rows (``tools/seed.py``);
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

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from migsmith.tools.errors import MigsmithError, PlanError, SchemaError, SpecError
from migsmith.tools.executor import ExecutionError, Statement, apply_step_sql, split_statements
from migsmith.tools.plan import Plan, Step

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


# ----------------------------------------------------------------------------- observing
_USER_RELATIONS = """SELECT c.oid, CASE WHEN n.nspname = 'public' OR n.nspname = current_schema()
                               THEN c.relname ELSE n.nspname || '.' || c.relname END
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'v', 'm')
                       AND n.nspname <> ALL('{pg_catalog,information_schema}')
                       AND n.nspname NOT LIKE 'pg\\_%'"""


_NO_LOCK_KEYWORDS = ("SET", "RESET", "BEGIN", "COMMIT", "ROLLBACK", "START", "SHOW")


def _takes_no_table_locks(text: str) -> bool:
    words = text.lstrip().split(None, 1)
    return bool(words) and words[0].upper().rstrip(";") in _NO_LOCK_KEYWORDS


class LockObserver:
    """Records which table locks each statement takes (an executor Observer).

    Inside the step's transaction block the statement runs as usual and the session's own
    pg_locks rows are read right after it: PostgreSQL holds table locks until commit, so this
    is exact. A statement outside a transaction block (CREATE INDEX CONCURRENTLY, a DO block
    that commits per batch, ANALYZE) releases its locks as it goes, so a second session
    watches it: it first holds ACCESS EXCLUSIVE on every user table, which makes the statement
    queue on its first lock where pg_locks shows the requested mode, then lets it go and
    samples pg_locks every millisecond until it ends. Locks taken and released between two
    samples can be missed there; the first lock a statement asks for cannot.
    """

    def __init__(self, watcher_url: str):
        import psycopg

        self._watcher = psycopg.connect(watcher_url, autocommit=True)
        self.names: dict[int, str] = {}

    def close(self) -> None:
        self._watcher.close()

    def _refresh(self, conn) -> dict[int, str]:
        current = dict(conn.execute(_USER_RELATIONS).fetchall())
        self.names.update(current)
        return current

    def observe(self, conn, statement: Statement, in_transaction: bool, execute):
        if _takes_no_table_locks(statement.text):
            execute()
            return []
        if in_transaction:
            return self._inside(conn, execute)
        return self._outside(conn, execute)

    def _own_locks(self, conn) -> set[tuple[int, str]]:
        return {(rel, mode) for rel, mode in conn.execute(
            "SELECT relation::int8, mode FROM pg_locks WHERE pid = pg_backend_pid() "
            "AND locktype = 'relation' AND granted").fetchall()}

    def _inside(self, conn, execute) -> list[tuple[str, str]]:
        before_names = self._refresh(conn)
        held = self._own_locks(conn)
        execute()
        after_names = self._refresh(conn)
        new = self._own_locks(conn) - held
        return self._named(new, before_names, after_names)

    def _outside(self, conn, execute) -> list[tuple[str, str]]:
        before_names = self._refresh(conn)
        pid = conn.info.backend_pid
        w = self._watcher
        tables = [oid for oid in before_names]
        blocking = False
        if tables:
            import psycopg

            try:
                w.execute("BEGIN")
                w.execute("SET LOCAL lock_timeout = '2s'")
                names = [r[0] for r in w.execute(
                    "SELECT o::regclass::text FROM unnest(%s::oid[]) o", (tables,))]
                w.execute("LOCK TABLE " + ", ".join(names) + " IN ACCESS EXCLUSIVE MODE")
                blocking = True
            except psycopg.Error:  # observing must never break the run: sample only
                w.execute("ROLLBACK")
        seen: set[tuple[int, str]] = set()
        error: list[BaseException] = []

        def run() -> None:
            try:
                execute()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
                error.append(exc)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        started = time.monotonic()
        try:
            while True:
                alive = worker.is_alive()
                rows = w.execute("SELECT relation::int8, mode, granted FROM pg_locks "
                                 "WHERE pid = %s AND locktype = 'relation'", (pid,)).fetchall()
                for rel, mode, granted in rows:
                    if rel in self.names or rel in before_names:
                        seen.add((rel, mode))
                    if blocking and not granted:
                        w.execute("COMMIT")
                        blocking = False
                if blocking and time.monotonic() - started > 0.2:
                    w.execute("COMMIT")  # never hold the statement long enough to time out
                    blocking = False
                if not alive:
                    break
                time.sleep(0.001)
        except BaseException:
            conn.cancel()  # interrupted: stop the statement instead of waiting for it
            raise
        finally:
            if blocking:
                w.execute("COMMIT")
            worker.join()
        if error:
            raise error[0]
        after_names = self._refresh(conn)
        return self._named(seen, before_names, after_names)

    def _named(self, locks, before: dict[int, str], after: dict[int, str]) -> list[tuple[str, str]]:
        out = set()
        for rel, mode in locks:
            name = before.get(rel) or after.get(rel) or self.names.get(rel)
            if name is None:
                continue  # not a user table or view (catalogs, indexes, sequences)
            aliases = {name, after.get(rel, name)}
            out.add((" / ".join(sorted(aliases)), mode))
        return sorted(out)


# ----------------------------------------------------------------------------- report
@dataclass
class RunResult:
    label: str  # "plan" or "alternative"
    ok: bool = True
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
                    "seconds": round(r.seconds, 3), "timings": r.timings}

        return {"ok": self.ok, "summary": self.summary, "dialect": self.dialect,
                "rows": self.rows, "seconds": round(self.seconds, 3),
                "steps": self.plan.steps, "statements": self.plan.statements,
                "diff": self.plan.diff, "data": self.plan.data, "locks": self.plan.locks,
                "errors": self.plan.errors, "notes": self.plan.notes,
                "timings": self.plan.timings, "alternative": run(self.alternative)}


# ----------------------------------------------------------------------------- reading
@dataclass
class StepFiles:
    step: Step
    up: str
    down: str
    up_name: str
    down_name: str


def read_plan_dir(plan_dir: str | Path) -> tuple[Plan, list[StepFiles], list[StepFiles]]:
    """plan.json and every step file, parsed up front: missing or unparsable input fails here,
    before any server starts."""
    root = Path(plan_dir)
    pj = root / "plan.json"
    if not root.is_dir():
        raise PlanError(f"plan directory not found: {plan_dir}")
    if not pj.is_file():
        raise PlanError(f"{plan_dir} has no plan.json (is it a migsmith plan directory?)")
    try:
        plan = Plan.model_validate(json.loads(pj.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValueError) as exc:
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
                text = path.read_text(encoding="utf-8")
                split_statements(text, file=str(path))  # SQLParseError with file:line:col
                texts.append(text)
            out.append(StepFiles(step, texts[0], texts[1], step.up_file, step.down_file))
        return out

    main = files(plan.steps, "plan")
    alt = files(plan.alternative.steps, "alternative") if plan.alternative else []
    return plan, main, alt


def starting_ddl(schema_location: str, dialect: str) -> tuple[str, str, set[str]]:
    """(DDL text, label, table names) of the schema a plan starts from."""
    from migsmith.tools.schema import load_ddl

    if "://" in schema_location:
        from migsmith.tools.schema.live import load_live_schema, redact_url
        from migsmith.tools.schema.live_postgres import schema_to_ddl

        live = load_live_schema(schema_location, dialect=dialect)
        if dialect != "postgres":
            raise SchemaError(f"re-creating a live {dialect} schema is not supported yet")
        return schema_to_ddl(live), redact_url(schema_location), set(live.tables)
    path = Path(schema_location)
    if not path.is_file():
        raise SchemaError(f"schema file not found: {schema_location}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read schema file {schema_location}: {exc}") from None
    tables = set(load_ddl(text, dialect, source=str(path)).tables)
    return text, str(path), tables


# ----------------------------------------------------------------------------- verify
def verify_plan_dir(plan_dir: str | Path, schema_location: str, *, dialect: str | None = None,
                    rows: int = 1000, shadow_url: str | None = None, force: bool = False,
                    server_url: str | None = None, write: bool = True) -> VerifyReport:
    """Prove the plan in ``plan_dir`` on shadow databases; see the module docstring.

    ``shadow_url``: a user's disposable database (checked: refused when it holds tables the
    schema does not describe, unless ``force``). ``server_url``: a server this process may
    create databases on (tests, warm benchmarks). Neither: a private server is started and
    stopped. ``write``: record the result in plan.json and PLAN.md.
    """
    from migsmith.tools.shadow import cleanup_on_signals, open_shadow

    started = time.perf_counter()
    plan, main, alt = read_plan_dir(plan_dir)
    dialect = dialect or plan.dialect
    if dialect != "postgres":
        raise MigsmithError(f"verification on {dialect} shadow databases is not supported yet",
                            hint="use --no-verify, or verify a PostgreSQL plan")
    if dialect != plan.dialect:
        raise PlanError(f"the plan in {plan_dir} is for {plan.dialect}, not {dialect}")
    ddl, ddl_label, tables = starting_ddl(schema_location, dialect)
    split_statements(ddl, file=ddl_label)
    with cleanup_on_signals():
        with open_shadow(dialect, shadow_url=shadow_url, server_url=server_url,
                         described_tables=tables, force=force) as shadow:
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
    ok = main_run.ok and (alt_run is None or alt_run.ok)
    report = VerifyReport(ok=ok, summary="", plan=main_run, alternative=alt_run,
                          dialect=dialect, rows=rows, seconds=time.perf_counter() - started)
    report.summary = _summary(report, plan)
    if write:
        _record(plan_dir, plan, report)
    return report


def _summary(report: VerifyReport, plan: Plan) -> str:
    runs = [r for r in (report.plan, report.alternative) if r is not None]
    parts = []
    for r in runs:
        n = sum(1 for s in r.steps if s["direction"] == "up" and s["pass"] == 1)
        locks = len(r.statements)
        if r.ok:
            parts.append(f"{r.label}: {n} step(s) applied up, down and up again on PostgreSQL "
                         f"with {report.rows} rows per table; schema identical after the round "
                         f"trip; data checks passed; {locks} statement(s) took only the "
                         "predicted locks")
        else:
            problems = r.problems()
            parts.append(f"{r.label}: FAILED ({len(problems)} problem(s)): {problems[0]}"
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return "; ".join(parts) + f" [{report.seconds:.1f}s]"


def _record(plan_dir, plan: Plan, report: VerifyReport) -> None:
    """Put the result into plan.json and PLAN.md (only those two files are rewritten)."""
    from migsmith.tools.docs import render_markdown
    from migsmith.tools.writer import atomic_write

    data = report.to_dict()
    plan.verification = data
    root = Path(plan_dir)
    try:
        atomic_write(root / "plan.json", plan.model_dump_json(indent=2) + "\n", exclusive=False)
        atomic_write(root / "PLAN.md", render_markdown(plan), exclusive=False)
    except OSError as exc:
        report.plan.notes.append(f"could not record the result in {plan_dir}: {exc.strerror}")


def _run_fresh(shadow, plan: Plan, files: list[StepFiles], ddl: str, ddl_label: str,
               rows: int, label: str) -> RunResult:
    with shadow.database("alt" if label == "alternative" else "plan") as db:
        return _run(db, plan, files, ddl, ddl_label, rows, label)


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _run(db, plan: Plan, files: list[StepFiles], ddl: str, ddl_label: str, rows: int,
         label: str) -> RunResult:
    from migsmith.tools import catalog
    from migsmith.tools.schema.live_postgres import read_catalog, schema_from_catalog
    from migsmith.tools.seed import seed_postgres

    result = RunResult(label=label)
    t0 = t = time.perf_counter()
    namespaces = [db.namespace] if db.namespace else None
    conn = _connect(db.url)
    observer = LockObserver(db.url)
    try:
        t = result.lap("connect", t)
        server = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        if server.split(".")[0] != plan.target_version.split(".")[0]:
            result.notes.append(f"verified on PostgreSQL {server}; the plan targets "
                                f"{plan.target_version}: behaviour that differs between "
                                "versions is as on the server used")
        try:
            apply_step_sql(conn, ddl, file=ddl_label)
        except ExecutionError as exc:
            raise SchemaError(f"the starting schema does not load into PostgreSQL: {exc}"
                              ) from None
        t = result.lap("load schema", t)
        start_schema = schema_from_catalog(read_catalog(conn, namespaces), conn)
        seed_postgres(conn, start_schema, rows)
        t = result.lap("seed", t)
        s0 = catalog.snapshot(conn, namespaces)
        d0 = catalog.data_fingerprint(conn, s0)
        t = result.lap("snapshots", t)
        steps_ok = _apply(conn, files, "up", 1, result, observer)
        t = result.lap("up (observing locks)", t)
        if not steps_ok:
            return _finish(result, t0)
        s1 = catalog.snapshot(conn, namespaces)
        d1 = catalog.data_fingerprint(conn, s1, keys=_keys_after_up(plan, d0))
        result.data += _check_backfills(conn, plan, s1, result)
        result.data += _compare_data(plan, d0, d1, "after up", round_trip=False)
        t = result.lap("snapshots", t)
        steps_ok = _apply(conn, list(reversed(files)), "down", 1, result, None)
        t = result.lap("down", t)
        if not steps_ok:
            return _finish(result, t0)
        s2 = catalog.snapshot(conn, namespaces)
        d2 = catalog.data_fingerprint(conn, s2, keys={t: fp["key"] for t, fp in d0.items()})
        result.diff += ["after up + down, the schema differs from the start: " + line
                        for line in catalog.diff(s0, s2, before_label="at the start",
                                                 after_label="after the down steps")]
        result.data += _compare_data(plan, d0, d2, "after up + down", round_trip=True)
        t = result.lap("snapshots", t)
        steps_ok = _apply(conn, files, "up", 2, result, None)
        t = result.lap("up again", t)
        if not steps_ok:
            return _finish(result, t0)
        s3 = catalog.snapshot(conn, namespaces)
        result.diff += ["re-applying up after the down gives a different schema: " + line
                        for line in catalog.diff(s1, s3, before_label="after the first up",
                                                 after_label="after the second up")]
        result.lap("snapshots", t)
    finally:
        observer.close()
        conn.close()
    return _finish(result, t0)


def _finish(result: RunResult, t0: float) -> RunResult:
    result.ok = not result.problems()
    result.seconds = time.perf_counter() - t0
    return result


def _apply(conn, files: list[StepFiles], direction: str, pass_no: int, result: RunResult,
           observer: LockObserver | None) -> bool:
    for sf in files:
        step = sf.step
        name = sf.up_name if direction == "up" else sf.down_name
        sql = sf.up if direction == "up" else sf.down
        t = time.perf_counter()
        entry = {"step": step.number, "direction": direction, "pass": pass_no, "file": name,
                 "ok": True}
        try:
            res = apply_step_sql(conn, sql, file=name, observer=observer)
        except ExecutionError as exc:
            entry.update(ok=False, error=str(exc), seconds=round(time.perf_counter() - t, 3))
            result.steps.append(entry)
            what = "re-applying " if pass_no == 2 else ""
            result.errors.append(f"{what}{direction} step {step.number} failed: {exc}")
            return False
        entry.update(seconds=round(time.perf_counter() - t, 3), statements=len(res))
        result.steps.append(entry)
        if observer is not None:
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
        for table, modes in sorted(by_table.items()):
            names = table.split(" / ")
            allowed = [m for n in names for m in expected.get(n, [])] or ["AccessShareLock"]
            for mode in strongest(modes):
                if not any(lock_covered(mode, e) for e in allowed):
                    predicted = ", ".join(sorted(set(allowed))) if any(
                        n in expected for n in names) else "no lock"
                    result.locks.append(
                        f"step {step.number} statement {res.statement.number} "
                        f"({line!r}) takes {mode} on {table}; the plan predicted {predicted}")
        result.statements.append({
            "step": step.number, "statement": line, "number": res.statement.number,
            "observed": [f"{t}: {m}" for t, ms in sorted(by_table.items())
                         for m in strongest(ms)],
            "expected": shown, "in_transaction": res.in_transaction})


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
    tables, columns = set(), set()
    for op in plan.spec.operations:
        t = _bare(getattr(op, "table", "") or "")
        match op.op:
            case "drop_table":
                tables.add(t)
            case "drop_column" | "backfill":
                columns.add((t, op.column))
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


def _check_backfills(conn, plan: Plan, snap: dict, result: RunResult) -> list[str]:
    """Backfilled (and defaulted) columns hold what the spec says, computed in SQL."""
    from psycopg import sql

    from migsmith.tools.expressions import is_volatile

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
        if later or is_volatile(expr):
            continue
        if table not in snap["tables"] or column not in snap["tables"][table]["columns"]:
            continue
        cond = sql.SQL(f"({where})") if where else sql.SQL("true")
        query = sql.SQL("SELECT count(*) FILTER (WHERE {cond}), count(*) FILTER (WHERE {cond} "
                        "AND {col} IS DISTINCT FROM ({expr})) FROM {t}").format(
            cond=cond, col=sql.Identifier(column), expr=sql.SQL(expr),
            t=sql.Identifier(*table.split(".")))
        try:
            matched, wrong = conn.execute(query).fetchone()
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
