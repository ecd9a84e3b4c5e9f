"""The client-side backfill runner: the batches of ``tools/planning/batches.py``, one transaction
each, by one worker or several in parallel over disjoint key ranges.

Compared with the generated DO block it adds what only a client can do: a per-batch
statement_timeout, workers in parallel, a progress bar, the live table's triggers read and
handled before the first batch (``TriggerGuard``), and a state file next to the plan so that
Ctrl-C (or a lost connection) stops cleanly and the next run resumes from the last committed key
of each range.

What it watches (PostgreSQL) are the DO block's signals:

* its own batches' time: the batch size adapts to ``batch_ms`` (``batches.resize``);
* sessions waiting on a lock that a batch holds, asked after the batch's UPDATE and before its
  COMMIT (``batches.BLOCKED_SQL``): the next batch is halved and every worker holds back for as
  long as that batch held its rows (``Throttle``);
* lock timeouts of its own batches: retried, smaller, after a growing pause;
* replica replay lag (``batches.REPLICA_LAG_SQL``): above ``max_lag_s`` the workers wait for
  the replicas to catch up;
* a rate cap (``max_rows_per_s``), shared by the workers.

It connects only to the database named on the command line.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from migsmith.tools import signals
from migsmith.tools.errors import MigsmithError, PlanError, SpecError
from migsmith.tools.planning import batches, triggers
from migsmith.tools.planning.plan import BackfillPlan, Plan

STATE_FILE = "backfill-state.json"
APP_NAME = "migsmith backfill"


# ----------------------------------------------------------------------------- inputs
@dataclass
class Job:
    """One backfill to run: where it came from and what it does."""

    step: int
    plan: BackfillPlan
    title: str = ""


def jobs_from_plan(plan: Plan) -> list[Job]:
    return [Job(step=s.number, plan=s.backfill, title=s.title) for s in plan.steps if s.backfill]


def load_jobs(source: Path, db_url: str) -> tuple[list[Job], Path]:
    """Backfills of a plan directory (its plan.json) or of a spec (planned against the live
    schema of ``db_url``), and the state file that goes with them."""
    if source.is_dir():
        path = source / "plan.json"
        try:
            plan = Plan.model_validate_json(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise PlanError(f"cannot read {path}: {exc.strerror}",
                            hint="give a plan directory written by `migsmith plan`, or a spec") from None
        except ValueError as exc:
            raise PlanError(f"{path} is not a migsmith plan: {str(exc).splitlines()[0]}") from None
        return jobs_from_plan(plan), source / STATE_FILE
    if source.suffix == ".json" and source.is_file():
        from migsmith.tools.spec.expressions import check_expression
        from migsmith.tools.planning.planner import build_plan
        from migsmith.tools.schema import load_schema
        from migsmith.tools.spec.changespec import parse_spec

        from migsmith.tools.userfiles import read_text

        spec = parse_spec(read_text(source, "spec file", SpecError), source=str(source))
        # the SQL fragments are checked before the database is read, not after
        for i, op in enumerate(spec.operations, start=1):
            if op.op == "backfill":
                for what, text in (("backfill expression", op.expression),
                                   ("backfill condition", op.where)):
                    if text:
                        check_expression(text, spec.options.dialect,
                                         what=f"{source}: operation {i} {what}")
        try:
            schema = load_schema(db_url, spec.options.dialect)
        except ModuleNotFoundError:
            raise MigsmithError(
                "reading the live schema is not available in this build",
                hint=f"run `migsmith plan --spec {source} --schema FILE --out DIR` and pass DIR"
            ) from None
        return jobs_from_plan(build_plan(spec, schema)), source.with_name(
            source.stem + "." + STATE_FILE)
    raise MigsmithError(f"{source} is neither a plan directory nor a spec .json file")


def select_jobs(jobs: list[Job], step: int | None) -> list[Job]:
    if not jobs:
        raise PlanError("this plan has no backfill step")
    if step is None:
        return jobs
    chosen = [j for j in jobs if j.step == step]
    if not chosen:
        raise PlanError(f"step {step} is not a backfill step",
                        hint="backfill steps: " + ", ".join(str(j.step) for j in jobs))
    return chosen


# ----------------------------------------------------------------------------- state file
def read_state(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise MigsmithError(f"cannot read the backfill state file {path}: {exc}",
                            hint="fix or delete it; --resume-from KEY sets the start by hand") from None
    return data if isinstance(data, dict) else {}


def write_state(path: Path, state: dict) -> None:
    """Atomically: a crash leaves the old state or the new one, never half a file."""
    from migsmith.tools.planning.writer import atomic_write

    atomic_write(path, json.dumps(state, indent=2, default=str), exclusive=False)


def state_key(job: Job) -> str:
    return f"step {job.step}: {job.plan.table}.{job.plan.column}"


# ----------------------------------------------------------------------------- running
@dataclass
class Settings:
    """How to run; ``None`` takes the plan's value."""

    lock_timeout_ms: int
    batch_size: int | None = None  # the largest batch (--batch-size)
    pause_ms: int | None = None  # the least pause between batches
    batch_ms: int | None = None  # time target per batch; 0: fixed batches of batch_size
    max_rows_per_s: int | None = None
    statement_timeout_ms: int = 30_000
    max_retries: int = 20  # lock timeouts in a row on the same batch before giving up
    max_pause_ms: int = 5_000
    max_lag_s: float = batches.MAX_LAG_S
    workers: int = 1
    triggers: str = "keep"  # "keep": guard the columns app triggers would rewrite; "fire"


def effective_plan(bf: BackfillPlan, s: Settings) -> BackfillPlan:
    """``bf`` with the command line's bounds applied (the plan's where none is given)."""
    floor, start, ceiling = batches.bounds(bf)
    batch_ms = bf.batch_ms if s.batch_ms is None else s.batch_ms
    if s.batch_size is not None:
        ceiling = s.batch_size
        floor, start = min(floor, ceiling), min(start, ceiling)
    if s.batch_ms is not None and s.batch_ms and not bf.batch_ms:
        floor, start, ceiling = batches.adaptive_sizes(ceiling, batch_ms)  # fixed -> adaptive
    if not batch_ms:
        floor = start = ceiling
    return bf.model_copy(update={
        "batch_size": start, "min_batch_size": floor, "max_batch_size": ceiling,
        "batch_ms": batch_ms, "pause_ms": bf.pause_ms if s.pause_ms is None else s.pause_ms,
        "max_rows_per_s": bf.max_rows_per_s if s.max_rows_per_s is None else s.max_rows_per_s})


@dataclass
class Progress:
    """One walk over a key range (after ``after``, up to ``upto``; None: open), as a run
    reports it after every batch and the state file stores it."""

    table: str
    column: str
    last_key: object = None  # the last committed key (None: nothing yet, from the start)
    max_key: object = None  # integer keys: where the walk stops
    min_key: object = None
    upto: object = None  # the range's last key (parallel workers); None: to the end
    worker: int = 0
    batch_size: int = 0  # the size of the next batch
    batches: int = 0
    rows_updated: int = 0
    retries: int = 0
    throttled: int = 0
    pause_ms: int = 0
    done: bool = False
    started_at: float = field(default_factory=time.time)


class Interrupted(MigsmithError):
    """Stopped by Ctrl-C (or a lost session); carries the resume point."""

    exit_code = 130

    def __init__(self, progress: Progress, reason: str, exit_code: int = 130):
        self.progress = progress
        self.exit_code = exit_code
        super().__init__(f"backfill of {progress.table}.{progress.column} stopped ({reason}) "
                         f"after {progress.rows_updated} rows; resume point: key "
                         f"{progress.last_key!r}",
                         hint="run the same command again to resume (the state file holds the "
                              f"key), or pass --resume-from {progress.last_key}")


def _check_key(conn, bf: BackfillPlan) -> None:
    """Refuse before the first batch unless the live table has a valid unique index on exactly
    the batch key's columns, all NOT NULL (otherwise batches could overlap or skip rows)."""
    row = conn.execute(
        """SELECT c.oid IS NOT NULL,
                  EXISTS (SELECT 1 FROM pg_index i
                           WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid
                             AND i.indnkeyatts = cardinality(%(key)s::text[])
                             AND i.indpred IS NULL AND i.indexprs IS NULL
                             AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                                    FROM pg_attribute a
                                   WHERE a.attrelid = c.oid AND a.attnotnull
                                     AND a.attnum = ANY((i.indkey::int2[])[0:i.indnkeyatts - 1]))
                                 = (SELECT array_agg(k ORDER BY k) FROM unnest(%(key)s::text[]) k)),
                  EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                             AND a.attname = %(col)s AND NOT a.attisdropped)
             FROM (SELECT to_regclass(%(table)s) AS oid) c""",
        {"table": batches.quote_ident(bf.table), "key": list(bf.key), "col": bf.column}).fetchone()
    if not row[0]:
        raise SpecError(f"table {bf.table!r} does not exist in this database")
    if not row[2]:
        raise SpecError(f"column {bf.table}.{bf.column} does not exist in this database",
                        hint="apply the plan's earlier steps first")
    if not row[1]:
        raise SpecError(
            f"{bf.table}.({', '.join(bf.key)}) is not a unique NOT NULL key in this database, so "
            "batches over it could skip or repeat rows",
            hint="add a primary key (or a unique NOT NULL column) first, or run the plain UPDATE "
                 "in a maintenance window")


def live_triggers(conn, bf: BackfillPlan) -> list[triggers.RowTrigger]:
    """The row triggers on UPDATE that the batches would fire, from the live catalog."""
    guard = triggers.guard_names(bf)[1]
    rows = conn.execute(triggers.live_triggers_sql(bf.table, bf.column)).fetchall()
    return [triggers.RowTrigger(name=name, timing=timing, function=fn, columns=tuple(cols),
                                body=body) for name, timing, fn, cols, body in rows
            if name != guard]


class Throttle:
    """What the workers of one backfill share: a hold every worker honours after any of them
    kept a session waiting, and the rate cap, split between them."""

    def __init__(self, bf: BackfillPlan, workers: int = 1, clock=time.monotonic):
        self.bf = bf.model_copy(update={
            "max_rows_per_s": -(-bf.max_rows_per_s // max(workers, 1))})
        self.clock = clock
        self.hold_until = 0.0
        self.lock = threading.Lock()

    def after_batch(self, rows: int, elapsed_ms: float, pressure: int) -> float:
        """Seconds to wait before this worker's next batch."""
        wait = batches.pause_ms(self.bf, rows, elapsed_ms, pressure) / 1000
        with self.lock:
            now = self.clock()
            if pressure:
                self.hold_until = max(self.hold_until, now + elapsed_ms / 1000)
            return max(wait, self.hold_until - now)


def _params(prefix: str, values) -> dict:
    return {f"{prefix}_{i}": v for i, v in enumerate(values)}


def _placeholders(bf, prefix: str) -> list[str]:
    return [f"%({prefix}_{i})s" for i in range(len(bf.key))]


def _as_list(bf, key) -> list:
    return list(key) if len(bf.key) > 1 else [key]


def _as_key(bf, values):
    values = list(values)
    return values if len(bf.key) > 1 else values[0]


class Runner:
    """Runs one backfill's batches over one key range on one connection. ``on_batch(progress)``
    is called after each commit."""

    def __init__(self, conn, job: Job, settings: Settings, *, state_path: Path | None = None,
                 on_batch: Callable[[Progress], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep, throttle: Throttle | None = None,
                 save: Callable[[Progress], None] | None = None, stop: threading.Event | None = None):
        self.conn = conn
        self.job = job
        self.bf = batches.validate(effective_plan(job.plan, settings))
        self.settings = settings
        self.state_path = state_path
        self.on_batch = on_batch or (lambda p: None)
        self.sleep = sleep
        self.throttle = throttle or Throttle(self.bf)
        self.save = save or self._save
        self.stop = stop

    def _key_value(self, text):
        return None if text is None else batches.parse_key(self.bf, text)

    def start_point(self, resume_from=None) -> Progress:
        """The whole table as one range, after ``resume_from`` if given."""
        bf = self.bf
        _check_key(self.conn, bf)
        progress = Progress(table=bf.table, column=bf.column, batch_size=bf.batch_size)
        if bf.key_is_integer:
            progress.min_key, progress.max_key = self.conn.execute(
                batches.key_range_sql(bf)).fetchone()
            if progress.min_key is not None:
                progress.last_key = progress.min_key - 1
        else:
            first = self.conn.execute(batches.edge_key_sql(bf)).fetchone()
            progress.min_key = _as_key(bf, first) if first else None
        if resume_from is not None:
            progress.last_key = self._key_value(resume_from)
        return progress

    def planned_batches(self, progress: Progress, limit: int | None = None) -> list[tuple]:
        """The (lo, hi] ranges of the next batches at the first batch's size (for --dry-run;
        adaptive batches change size as they run). ``lo`` None: from the smallest key."""
        out: list[tuple] = []
        bf, size = self.bf, self.bf.batch_size
        if bf.key_is_integer:
            if progress.max_key is None:
                return out
            for rng in batches.integer_batches(progress.last_key, progress.max_key, size):
                out.append(rng)
                if limit and len(out) >= limit:
                    break
            return out
        lo = progress.last_key
        while True:
            row = self._next_key(lo, size, progress.upto)
            if row is None:
                break
            hi = _as_key(bf, row)
            out.append((lo, hi))
            if limit and len(out) >= limit:
                break
            lo = hi
        return out

    def _next_key(self, lo, size: int, upto):
        bf = self.bf
        params = {**(_params("lo", _as_list(bf, lo)) if lo is not None else {}),
                  **(_params("up", _as_list(bf, upto)) if upto is not None else {})}
        sql = batches.next_key_sql(bf, _placeholders(bf, "lo") if lo is not None else None,
                                   int(size),
                                   upto=_placeholders(bf, "up") if upto is not None else None)
        return self.conn.execute(sql, params).fetchone()

    def _configure(self) -> None:
        s = self.settings
        self.conn.execute(f"SET lock_timeout = '{int(s.lock_timeout_ms)}ms'")
        self.conn.execute(f"SET statement_timeout = '{int(s.statement_timeout_ms)}ms'")
        self.conn.execute("SELECT set_config('application_name', %s, false), "
                          "set_config('migsmith.backfill', %s, false)",
                          [f"{APP_NAME}: {self.bf.table}.{self.bf.column}"[:63],
                           triggers.setting_value(self.bf)])

    def _save(self, progress: Progress) -> None:
        if self.state_path is not None:
            save_progress(self.state_path, self.job, [progress])

    def _replica_lag(self) -> float:
        return float(self.conn.execute(batches.REPLICA_LAG_SQL).fetchone()[0] or 0)

    def run(self, progress: Progress) -> Progress:
        """Run batches from ``progress.last_key`` to the end of its range. Interrupted on
        Ctrl-C or a lost session."""
        import psycopg
        from psycopg import errors

        bf, s = self.bf, self.settings
        self._configure()
        size = progress.batch_size or bf.batch_size
        elapsed = 0.0
        retries = 0
        try:
            while not (self.stop and self.stop.is_set()):
                lo = progress.last_key
                if bf.key_is_integer:
                    top = progress.max_key if progress.upto is None else progress.upto
                    if lo is None or top is None or lo >= top:
                        break
                    hi = min(lo + size, top)
                else:
                    row = self._next_key(lo, size, progress.upto)
                    if row is None:
                        break
                    hi = _as_key(bf, row)
                sql = batches.update_batch_sql(
                    bf, _placeholders(bf, "lo") if lo is not None else None,
                    _placeholders(bf, "hi"))
                params = {**(_params("lo", _as_list(bf, lo)) if lo is not None else {}),
                          **_params("hi", _as_list(bf, hi))}
                t0 = time.perf_counter()
                try:
                    with self.conn.transaction():
                        updated = self.conn.execute(sql, params).rowcount
                        blocked = self.conn.execute(batches.BLOCKED_SQL).fetchone()[0]
                except (errors.LockNotAvailable, errors.QueryCanceled, errors.DeadlockDetected) as exc:
                    retries += 1
                    progress.retries += 1
                    if retries > s.max_retries:
                        raise MigsmithError(
                            f"batch after {lo!r} of {bf.table}.{bf.column} failed {retries - 1} "
                            f"times in a row ({type(exc).__name__}); stopped after key "
                            f"{progress.last_key!r}",
                            hint="re-run later to resume, or lower --batch-size") from None
                    size = batches.resize(bf, size, elapsed, 1)
                    self.sleep(min(s.max_pause_ms, (bf.pause_ms or 50) * retries) / 1000)
                    continue
                elapsed = (time.perf_counter() - t0) * 1000
                retries = 0
                progress.last_key = hi
                progress.batches += 1
                progress.rows_updated += max(updated, 0)
                if blocked:
                    progress.throttled += 1
                wait = min(s.max_pause_ms / 1000,
                           self.throttle.after_batch(updated, elapsed, blocked))
                size = batches.resize(bf, size, elapsed, blocked)
                progress.batch_size = size
                progress.pause_ms = int(wait * 1000)
                self.save(progress)
                self.on_batch(progress)
                lag_checks = 0
                while self._replica_lag() > s.max_lag_s and lag_checks < 600:
                    progress.throttled += 1
                    lag_checks += 1
                    self.sleep(1.0)
                if wait > 0:
                    self.sleep(wait)
        except KeyboardInterrupt:
            self.save(progress)
            raise Interrupted(progress, "Ctrl-C") from None
        except signals.Interrupted as exc:  # SIGINT, SIGTERM or SIGHUP through tools/signals
            self.save(progress)
            raise Interrupted(progress, exc.name, exit_code=exc.code) from None
        except psycopg.OperationalError as exc:
            self.save(progress)
            raise Interrupted(progress, f"connection lost: {str(exc).strip().splitlines()[0]}") from None
        if not (self.stop and self.stop.is_set()):
            progress.done = True
        self.save(progress)
        self.conn.execute("RESET application_name")
        return progress


# ----------------------------------------------------------------------------- triggers
class TriggerGuard:
    """Before the first batch: the live table's row triggers on UPDATE, what they would write,
    and (``keep``) the guard trigger that keeps those columns as they were in the backfill's
    sessions; dropped again after the last batch."""

    def __init__(self, conn, bf: BackfillPlan, mode: str = "keep"):
        self.conn, self.bf, self.mode = conn, bf, mode
        self.installed = False
        live = live_triggers(conn, bf)
        columns = [r[0] for r in conn.execute(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass(%s) "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [batches.quote_ident(bf.table)]).fetchall()]
        self.plan = triggers.plan_triggers(live, bf.table, bf.column, columns,
                                           list(bf.own_triggers), bf.rows,
                                           protected=tuple(k.lower() for k in bf.key),
                                           can_guard=mode == "keep")
        self.keep = list(dict.fromkeys(
            [c for c in bf.keep_columns if c in columns] + self.plan.keep)) if mode == "keep" else []

    @property
    def notes(self) -> list[str]:
        return self.plan.notes

    def install(self, lock_retries: int = 20, sleep=time.sleep) -> None:
        if not self.keep:
            return
        from psycopg import errors

        bf = self.bf.model_copy(update={"keep_columns": self.keep})
        or_replace = self.conn.info.server_version >= 140000
        self.conn.execute(triggers.guard_function_sql(bf))
        for attempt in range(lock_retries + 1):
            try:
                with self.conn.transaction():
                    if not or_replace:
                        self.conn.execute(triggers.drop_guard_sql(bf)[0])
                    self.conn.execute(triggers.guard_trigger_sql(bf, or_replace))
                break
            except errors.LockNotAvailable:
                if attempt == lock_retries:
                    raise MigsmithError(f"could not add the guard trigger on {bf.table} after "
                                        f"{attempt + 1} lock timeouts; nothing was backfilled")
                sleep(min(0.05 * 2 ** attempt, 3))
        self.installed = True

    def remove(self, lock_retries: int = 20, sleep=time.sleep) -> None:
        if not self.installed:
            return
        from psycopg import errors

        drop_trigger, drop_function = triggers.drop_guard_sql(self.bf)
        for attempt in range(lock_retries + 1):
            try:
                self.conn.execute(drop_trigger)
                self.conn.execute(drop_function)
                self.installed = False
                return
            except errors.LockNotAvailable:
                if attempt == lock_retries:
                    raise MigsmithError(
                        f"could not drop the guard trigger {triggers.guard_names(self.bf)[1]} on "
                        f"{self.bf.table} (it is harmless: it fires only in a backfill's session)",
                        hint="drop it later") from None
                sleep(min(0.05 * 2 ** attempt, 3))


# ----------------------------------------------------------------------------- parallel
def split_ranges(conn, bf: BackfillPlan, start: Progress, workers: int) -> list[Progress]:
    """``workers`` disjoint key ranges covering what ``start`` has left: counted for an integer
    key, cut at sampled keys otherwise (a sample of pages, in the key's own order)."""
    def part(after, upto, i):
        return Progress(table=bf.table, column=bf.column, last_key=after, upto=upto, worker=i,
                        min_key=start.min_key, max_key=start.max_key, batch_size=bf.batch_size)

    if workers <= 1:
        return [start]
    if bf.key_is_integer:
        if start.max_key is None or start.last_key is None:
            return [start]
        return [part(a, b, i) for i, (a, b) in
                enumerate(batches.split_integer(start.last_key, start.max_key, workers))]
    rows = max(bf.rows or 0, int(conn.execute(
        "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(%s)",
        [batches.quote_ident(bf.table)]).fetchone()[0] or 0), 1)
    lo = start.last_key
    sample = [_as_key(bf, r) for r in conn.execute(
        batches.sample_keys_sql(bf, 100.0 * 20_000 / rows,
                                after=_placeholders(bf, "lo") if lo is not None else None),
        _params("lo", _as_list(bf, lo)) if lo is not None else {}).fetchall()]
    edges = [sample[len(sample) * i // workers] for i in range(1, workers)] if sample else []
    edges = [e for i, e in enumerate(edges) if i == 0 or e != edges[i - 1]]
    bounds = [lo, *edges, None]
    return [part(a, b, i) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def run_parallel(db_url: str, job: Job, settings: Settings, ranges: list[Progress], *,
                 state_path: Path | None = None, on_batch=None, connect=None) -> list[Progress]:
    """Each range on its own connection and thread, one shared throttle; the state file
    holds every range's last committed key. The first error stops every worker."""
    import psycopg

    connect = connect or (lambda: psycopg.connect(db_url, autocommit=True,
                                                  application_name=APP_NAME))
    bf = effective_plan(job.plan, settings)
    throttle = Throttle(bf, len(ranges))
    stop = threading.Event()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def save(_progress):
        if state_path is not None:
            with lock:
                save_progress(state_path, job, ranges)

    def report(progress):
        if on_batch:
            with lock:
                on_batch(progress)

    def work(progress: Progress):
        try:
            with connect() as conn:
                Runner(conn, job, settings, throttle=throttle, save=save, on_batch=report,
                       stop=stop).run(progress)
        except BaseException as exc:  # noqa: BLE001 - re-raised below, in the caller
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=work, args=(p,), daemon=True) for p in ranges]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    except (KeyboardInterrupt, signals.Interrupted) as exc:
        stop.set()  # each worker ends after its batch in flight commits or rolls back
        for t in threads:
            t.join(60)
        save(None)
        if isinstance(exc, signals.Interrupted):
            raise Interrupted(ranges[0], exc.name, exit_code=exc.code) from None
        raise Interrupted(ranges[0], "Ctrl-C") from None
    if errors:
        save(None)
        raise errors[0]
    return ranges


def save_progress(state_path: Path, job: Job, ranges: list[Progress]) -> None:
    state = read_state(state_path)
    entries = [{k: v for k, v in asdict(p).items() if k != "started_at"} for p in ranges]
    entry = dict(entries[0]) if len(entries) == 1 else {
        "done": all(e["done"] for e in entries), "ranges": entries}
    state[state_key(job)] = entry | {"updated_at": time.time()}
    write_state(state_path, state)


def saved_ranges(state_path: Path | None, job: Job) -> list[Progress] | None:
    """The unfinished ranges of a parallel run in the state file, to resume them."""
    if state_path is None:
        return None
    entry = read_state(state_path).get(state_key(job)) or {}
    if entry.get("done") or not entry.get("ranges"):
        return None
    fields = set(Progress.__dataclass_fields__) - {"started_at"}
    return [Progress(**{k: v for k, v in r.items() if k in fields}) for r in entry["ranges"]
            if not r.get("done")]


def resume_point(state_path: Path | None, job: Job, resume_from: str | None):
    """Where a single walk starts: --resume-from, else the state file (unless that run
    finished)."""
    if resume_from is not None:
        return resume_from, "--resume-from"
    if state_path is None:
        return None, None
    entry = read_state(state_path).get(state_key(job))
    if entry and not entry.get("done") and entry.get("last_key") is not None:
        return entry["last_key"], f"state file {state_path}"
    return None, None
