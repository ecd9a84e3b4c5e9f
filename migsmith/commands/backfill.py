"""`migsmith backfill`: run a plan's backfill steps from the client, in committed batches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from migsmith.commands._common import err_console, handle_errors, out_console


def register(app: typer.Typer) -> None:
    app.command("backfill")(backfill_command)


@handle_errors
def backfill_command(
    source: Annotated[Path, typer.Argument(
        help="A plan directory (reads plan.json) or a spec .json (planned against --db).")],
    db: Annotated[str, typer.Option("--db", help="The database to backfill (the only one "
                                    "this command connects to).")],
    step: Annotated[Optional[int], typer.Option("--step", help="Run only this step number "
                                                "(default: every backfill step).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the batches, change "
                                          "nothing.")] = False,
    batch_size: Annotated[Optional[int], typer.Option("--batch-size", min=1, max=1_000_000,
                                                      help="Rows per batch (default: the "
                                                      "plan's).")] = None,
    pause_ms: Annotated[Optional[int], typer.Option("--pause-ms", min=0, max=60_000,
                                                    help="Pause between batches (default: "
                                                    "the plan's).")] = None,
    resume_from: Annotated[Optional[str], typer.Option("--resume-from", help="Start after "
                                                       "this key (default: the state file's "
                                                       "last committed key).")] = None,
    statement_timeout_ms: Annotated[int, typer.Option("--statement-timeout-ms", min=100,
                                                      help="Cap for one batch.")] = 30_000,
) -> None:
    """Backfill in keyset batches, one commit each: throttled, resumable, idempotent."""
    import psycopg

    from migsmith.tools.planning import batches
    from migsmith.tools.running.backfill import (Job, Runner, Settings, load_jobs, resume_point,
                                                select_jobs)
    from migsmith.tools.errors import MigsmithError

    jobs, state_path = load_jobs(source, db)
    jobs = select_jobs(jobs, step)
    # Every fragment is checked before the first connection does anything.
    for job in jobs:
        batches.validate(job.plan)
    try:
        conn = psycopg.connect(db, autocommit=True, application_name="migsmith backfill")
    except psycopg.Error as exc:
        raise MigsmithError(f"cannot connect to --db: {str(exc).strip().splitlines()[0]}") from None
    with conn:
        for job in jobs:
            settings = Settings(batch_size=batch_size or job.plan.batch_size,
                                pause_ms=job.plan.pause_ms if pause_ms is None else pause_ms,
                                lock_timeout_ms=job.plan.lock_timeout_ms,
                                statement_timeout_ms=statement_timeout_ms)
            start, where = resume_point(state_path, job, resume_from)
            if dry_run:
                _dry_run(conn, job, settings, start)
                continue
            runner = Runner(conn, job, settings, state_path=state_path)
            progress = runner.start_point(start)
            if where:
                err_console.print(f"step {job.step}: resuming after key {start!r} ({where})",
                                  markup=False)
            _run_with_bar(runner, job, progress)


def _dry_run(conn, job, settings, start) -> None:
    from migsmith.tools.planning import batches
    from migsmith.tools.running.backfill import Runner

    runner = Runner(conn, job, settings)
    progress = runner.start_point(start)
    bf = runner.bf
    if progress.max_key is None:
        out_console.print(f"step {job.step}: {bf.table} is empty: nothing to backfill",
                          markup=False)
        return
    if bf.key_is_integer:
        count = batches.batch_count(progress.last_key, progress.max_key, bf.batch_size)
        shown = runner.planned_batches(progress, limit=3)
        last = None
        if count > 3:
            lo = progress.last_key + (count - 1) * bf.batch_size
            last = (lo, progress.max_key)
    else:
        shown = runner.planned_batches(progress)
        count, last = len(shown), (shown[-1] if len(shown) > 3 else None)
        shown = shown[:3]
    out_console.print(
        f"step {job.step}: backfill {bf.table}.{bf.column} in {count} batches of "
        f"{bf.batch_size} over {bf.key[0]} (keys {progress.min_key}..{progress.max_key}), "
        f"pause {settings.pause_ms} ms, lock_timeout {settings.lock_timeout_ms} ms, "
        f"statement_timeout {settings.statement_timeout_ms} ms; dry run, nothing changed")
    out_console.print("each batch, in its own transaction:", markup=False)
    out_console.print(batches.update_batch_sql(bf, "<lo>", "<hi>") + ";", markup=False)
    key = bf.key[0]
    for n, (lo, hi) in enumerate(shown, start=1):
        op = ">=" if (n == 1 and start is None and not bf.key_is_integer) else ">"
        out_console.print(f"  batch {n}: {key} {op} {lo!r} AND {key} <= {hi!r}", markup=False)
    if last:
        out_console.print(f"  ...\n  batch {count}: {key} > {last[0]!r} AND {key} <= {last[1]!r}",
                          markup=False)


def _run_with_bar(runner, job, progress) -> None:
    from rich.progress import (BarColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    bf = runner.bf
    integer = bf.key_is_integer and progress.max_key is not None
    total = (progress.max_key - progress.min_key + 1) if integer else None
    start_key = progress.last_key
    bar = Progress(TextColumn(f"step {job.step} {bf.table}.{bf.column}"), BarColumn(),
                   TextColumn("{task.fields[rows]} rows updated, {task.fields[rate]} rows/s"),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                   console=err_console, transient=False)
    with bar:
        done0 = (start_key - progress.min_key + 1) if integer else 0
        task = bar.add_task("backfill", total=total, completed=done0, rows=0, rate="-")

        def on_batch(p):
            import time

            elapsed = max(time.time() - p.started_at, 1e-6)
            done = (p.last_key - p.min_key + 1) if integer else p.batches * bf.batch_size
            bar.update(task, completed=done, rows=p.rows_updated,
                       rate=f"{p.rows_updated / elapsed:,.0f}")

        runner.on_batch = on_batch
        result = runner.run(progress)
    out_console.print(f"step {job.step}: backfill of {bf.table}.{bf.column} done: "
                      f"{result.rows_updated} rows updated in {result.batches} batches "
                      f"({result.retries} retries after lock timeouts, throttled "
                      f"{result.throttled} times)")
