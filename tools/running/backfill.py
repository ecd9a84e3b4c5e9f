"""The client-side backfill runner: the batches of ``tools/planning/batches.py``, one transaction each.

Compared with the generated DO block it adds what only a client can do: a per-batch
statement_timeout, throttling on what the server reports, a progress bar, and a state file
next to the plan so that Ctrl-C (or a lost connection) stops cleanly and the next run resumes
from the last committed key.

What the runner watches (PostgreSQL), after each batch's UPDATE and before its COMMIT, while
the batch still holds its row locks:

* sessions waiting on a lock that we block:
  ``pg_stat_activity.wait_event_type = 'Lock' AND our pid = ANY(pg_blocking_pids(pid))``;
  any such session doubles the pause before the next batch (up to ``max_pause_ms``), and the
  pause relaxes back once nobody waits on us;
* replica replay lag, ``max(replay_lag)`` in ``pg_stat_replication`` (when this server has
  replicas): above ``max_lag_s`` the runner waits for the replicas to catch up.

It connects only to the database named on the command line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from migsmith.tools import signals
from migsmith.tools.planning import batches
from migsmith.tools.errors import MigsmithError, PlanError, SpecError
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
    batch_size: int
    pause_ms: int
    lock_timeout_ms: int
    statement_timeout_ms: int = 30_000
    max_retries: int = 20  # lock timeouts in a row on the same batch before giving up
    max_pause_ms: int = 5_000
    max_lag_s: float = 10.0


@dataclass
class Progress:
    """What a run reports after every batch (and what the state file stores)."""

    table: str
    column: str
    last_key: object = None
    max_key: object = None
    min_key: object = None
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
    """Refuse before the first batch unless the live table has a unique, NOT NULL index on
    exactly the batch key (otherwise batches could overlap or skip rows)."""
    row = conn.execute(
        """SELECT c.oid IS NOT NULL,
                  EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a
                            ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                           WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid
                             AND i.indnkeyatts = 1 AND i.indpred IS NULL
                             AND a.attname = %(key)s AND a.attnotnull),
                  EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                             AND a.attname = %(col)s AND NOT a.attisdropped)
             FROM (SELECT to_regclass(%(table)s) AS oid) c""",
        {"table": batches.quote_ident(bf.table), "key": bf.key[0], "col": bf.column}).fetchone()
    if not row[0]:
        raise SpecError(f"table {bf.table!r} does not exist in this database")
    if not row[2]:
        raise SpecError(f"column {bf.table}.{bf.column} does not exist in this database",
                        hint="apply the plan's earlier steps first")
    if not row[1]:
        raise SpecError(
            f"{bf.table}.{bf.key[0]} is not a unique NOT NULL key in this database, so batches "
            "over it could skip or repeat rows",
            hint="add a primary key (or a unique NOT NULL column) first, or run the plain UPDATE "
                 "in a maintenance window")


class Runner:
    """Runs one backfill in batches. ``on_batch(progress)`` is called after each commit."""

    def __init__(self, conn, job: Job, settings: Settings, *, state_path: Path | None = None,
                 on_batch: Callable[[Progress], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.conn = conn
        self.job = job
        self.bf = batches.validate(job.plan.model_copy(update={"batch_size": settings.batch_size}))
        self.settings = settings
        self.state_path = state_path
        self.on_batch = on_batch or (lambda p: None)
        self.sleep = sleep

    # -- key handling: integer keys are counted, others are found through the index
    def _key_value(self, text):
        if text is None:
            return None
        return int(text) if self.bf.key_is_integer else str(text)

    def start_point(self, resume_from=None) -> Progress:
        bf = self.bf
        _check_key(self.conn, bf)
        lo, hi = self.conn.execute(batches.key_range_sql(bf)).fetchone()
        progress = Progress(table=bf.table, column=bf.column, min_key=lo, max_key=hi)
        if resume_from is not None:
            progress.last_key = self._key_value(resume_from)
        elif lo is not None and bf.key_is_integer:
            progress.last_key = lo - 1
        return progress

    def planned_batches(self, progress: Progress, limit: int | None = None) -> list[tuple]:
        """The (lo, hi] ranges still to run (for --dry-run); non-integer keys are looked up."""
        out: list[tuple] = []
        if progress.max_key is None:
            return out
        if self.bf.key_is_integer:
            for rng in batches.integer_batches(progress.last_key, progress.max_key,
                                               self.bf.batch_size):
                out.append(rng)
                if limit and len(out) >= limit:
                    break
            return out
        lo, first = progress.last_key, progress.last_key is None
        while True:
            if first:
                lo = progress.min_key
            hi = self.conn.execute(batches.next_key_sql(self.bf, "%(lo)s", include_lo=first),
                                   {"lo": lo}).fetchone()[0]
            if hi is None or (not first and lo >= progress.max_key):
                break
            out.append((lo, hi))
            if limit and len(out) >= limit:
                break
            lo, first = hi, False
        return out

    def _configure(self) -> None:
        s = self.settings
        self.conn.execute(f"SET lock_timeout = '{int(s.lock_timeout_ms)}ms'")
        self.conn.execute(f"SET statement_timeout = '{int(s.statement_timeout_ms)}ms'")

    def _save(self, progress: Progress) -> None:
        if self.state_path is None:
            return
        state = read_state(self.state_path)
        state[state_key(self.job)] = {k: v for k, v in asdict(progress).items()
                                      if k != "started_at"} | {"updated_at": time.time()}
        write_state(self.state_path, state)

    def _replica_lag(self) -> float:
        row = self.conn.execute(
            "SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication"
        ).fetchone()
        return float(row[0] or 0)

    def run(self, progress: Progress) -> Progress:
        """Run batches from ``progress.last_key`` to the end. Interrupted on Ctrl-C."""
        import psycopg
        from psycopg import errors

        bf, s = self.bf, self.settings
        self._configure()
        self.conn.execute("SELECT set_config('application_name', %s, false)",
                          [f"{APP_NAME}: {bf.table}.{bf.column}"[:63]])
        pause = s.pause_ms
        first = progress.last_key is None
        update_first = batches.update_batch_sql(bf, "%(lo)s", "%(hi)s", include_lo=True)
        update_next = batches.update_batch_sql(bf, "%(lo)s", "%(hi)s")
        blocked_sql = ("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND pg_backend_pid() = ANY(pg_blocking_pids(pid))")
        retries = 0
        try:
            while progress.max_key is not None:
                if first:
                    lo = progress.min_key
                elif progress.last_key >= progress.max_key:
                    break
                else:
                    lo = progress.last_key
                if bf.key_is_integer:
                    hi = min(lo + bf.batch_size, progress.max_key)
                else:
                    hi = self.conn.execute(batches.next_key_sql(bf, "%(lo)s", include_lo=first),
                                           {"lo": lo}).fetchone()[0]
                    if hi is None:
                        break
                try:
                    with self.conn.transaction():
                        cur = self.conn.execute(update_first if first else update_next,
                                                {"lo": lo, "hi": hi})
                        updated = cur.rowcount
                        blocked = self.conn.execute(blocked_sql).fetchone()[0]
                except (errors.LockNotAvailable, errors.QueryCanceled, errors.DeadlockDetected) as exc:
                    retries += 1
                    progress.retries += 1
                    if retries > s.max_retries:
                        raise MigsmithError(
                            f"batch ({lo}, {hi}] of {bf.table}.{bf.column} failed {retries - 1} "
                            f"times in a row ({type(exc).__name__}); stopped after key "
                            f"{progress.last_key!r}",
                            hint="re-run later to resume, or lower --batch-size") from None
                    self.sleep(min(s.max_pause_ms, (pause or 50) * retries) / 1000)
                    continue
                retries = 0
                first = False
                progress.last_key = hi
                progress.batches += 1
                progress.rows_updated += max(updated, 0)
                if blocked:
                    progress.throttled += 1
                    pause = min(s.max_pause_ms, max(pause * 2, 50))
                elif pause > s.pause_ms:
                    pause = max(s.pause_ms, pause // 2)
                progress.pause_ms = pause
                self._save(progress)
                self.on_batch(progress)
                lag_checks = 0
                while self._replica_lag() > s.max_lag_s and lag_checks < 600:
                    progress.throttled += 1
                    lag_checks += 1
                    self.sleep(1.0)
                if pause:
                    self.sleep(pause / 1000)
        except KeyboardInterrupt:
            self._save(progress)
            raise Interrupted(progress, "Ctrl-C") from None
        except signals.Interrupted as exc:  # SIGINT, SIGTERM or SIGHUP through tools/signals
            self._save(progress)
            raise Interrupted(progress, exc.name, exit_code=exc.code) from None
        except psycopg.OperationalError as exc:
            self._save(progress)
            raise Interrupted(progress, f"connection lost: {str(exc).strip().splitlines()[0]}") from None
        progress.done = True
        self._save(progress)
        self.conn.execute("RESET application_name")
        return progress


def resume_point(state_path: Path | None, job: Job, resume_from: str | None):
    """Where to start: --resume-from, else the state file (unless that run finished)."""
    if resume_from is not None:
        return resume_from, "--resume-from"
    if state_path is None:
        return None, None
    entry = read_state(state_path).get(state_key(job))
    if entry and not entry.get("done") and entry.get("last_key") is not None:
        return entry["last_key"], f"state file {state_path}"
    return None, None
