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
                                                      help="Largest batch, in rows (default: "
                                                      "the plan's).")] = None,
    batch_ms: Annotated[Optional[int], typer.Option("--batch-ms", min=0, max=60_000,
                                                    help="Time target per batch; the size "
                                                    "adapts to it (0: every batch has "
                                                    "--batch-size rows; default: the "
                                                    "plan's).")] = None,
    pause_ms: Annotated[Optional[int], typer.Option("--pause-ms", min=0, max=60_000,
                                                    help="Least pause between batches "
                                                    "(default: the plan's).")] = None,
    max_rows_per_s: Annotated[Optional[int], typer.Option(
        "--max-rows-per-s", min=0, help="Cap on rows written per second, all workers "
        "together (0: none; default: the plan's).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=16,
                                         help="Parallel workers over disjoint key ranges, "
                                         "one connection each.")] = 1,
    trigger_mode: Annotated[str, typer.Option(
        "--triggers", help="keep: columns the table's own triggers would rewrite on every row "
        "(a 'touch updated_at' trigger) keep their values, by a guard trigger in this "
        "command's sessions only; fire: let the triggers write.")] = "keep",
    resume_from: Annotated[Optional[str], typer.Option("--resume-from", help="Start after "
                                                       "this key (default: the state file's "
                                                       "last committed key; a JSON array for "
                                                       "a composite key).")] = None,
    statement_timeout_ms: Annotated[int, typer.Option("--statement-timeout-ms", min=100,
                                                      help="Cap for one batch.")] = 30_000,
) -> None:
    """Backfill in keyset batches, one commit each: adaptive, resumable, idempotent."""
    import psycopg

    from migsmith.tools.errors import MigsmithError
    from migsmith.tools.planning import batches
    from migsmith.tools.running.backfill import Settings, load_jobs, select_jobs

    if trigger_mode not in ("keep", "fire"):
        raise typer.BadParameter("--triggers must be keep or fire")
    if resume_from is not None and workers > 1:
        raise typer.BadParameter("--resume-from starts one walk: use it with --workers 1")
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
            settings = Settings(lock_timeout_ms=job.plan.lock_timeout_ms, batch_size=batch_size,
                                batch_ms=batch_ms, pause_ms=pause_ms,
                                max_rows_per_s=max_rows_per_s, workers=workers,
                                triggers=trigger_mode,
                                statement_timeout_ms=statement_timeout_ms)
            if dry_run:
                _dry_run(conn, job, settings, resume_from)
                continue
            _run_job(conn, db, job, settings, state_path, resume_from)


def _run_job(conn, db, job, settings, state_path, resume_from) -> None:
    import time

    from migsmith.tools.running.backfill import (Runner, TriggerGuard, resume_point,
                                                saved_ranges, split_ranges)

    runner = Runner(conn, job, settings, state_path=state_path)
    bf = runner.bf
    saved = None if resume_from is not None else saved_ranges(state_path, job)
    if saved:
        err_console.print(f"step {job.step}: resuming {len(saved)} unfinished key ranges "
                          f"(state file {state_path})", markup=False)
        ranges = saved
    else:
        start, where = resume_point(state_path, job, resume_from)
        if where:
            err_console.print(f"step {job.step}: resuming after key {start!r} ({where})",
                              markup=False)
        ranges = split_ranges(conn, bf, runner.start_point(start), settings.workers)
    guard = TriggerGuard(conn, bf, settings.triggers)
    for note in guard.notes:
        err_console.print(f"step {job.step}: trigger: {note}", markup=False)
    guard.install()
    t0 = time.perf_counter()
    try:
        if len(ranges) == 1 and not saved:
            results = [_run_with_bar(runner, job, ranges[0])]
        else:
            results = _run_parallel_with_bar(db, job, settings, ranges, state_path, bf)
    finally:
        try:
            guard.remove()
        except Exception as exc:  # noqa: BLE001 - the backfill's own outcome matters more
            err_console.print(f"step {job.step}: warning: {exc}", markup=False)
    seconds = max(time.perf_counter() - t0, 1e-6)
    rows = sum(r.rows_updated for r in results)
    out_console.print(
        f"step {job.step}: backfill of {bf.table}.{bf.column} done: {rows} rows updated in "
        f"{sum(r.batches for r in results)} batches by {len(results)} "
        f"worker{'s' if len(results) > 1 else ''} ({rows / seconds:,.0f} rows/s; "
        f"{sum(r.retries for r in results)} retries after lock timeouts, throttled "
        f"{sum(r.throttled for r in results)} times)", markup=False)


def _dry_run(conn, job, settings, start) -> None:
    from migsmith.tools.planning import batches
    from migsmith.tools.running.backfill import Runner, TriggerGuard

    runner = Runner(conn, job, settings)
    progress = runner.start_point(start)
    bf = runner.bf
    if progress.min_key is None:
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
    floor, first, ceiling = batches.bounds(bf)
    sizing = (f"in {count} batches of {bf.batch_size}" if not bf.batch_ms else
              f"in batches of about {bf.batch_ms} ms, from {floor} to {ceiling} rows (the first "
              f"{first}: {count} batches at that size)")
    out_console.print(
        f"step {job.step}: backfill {bf.table}.{bf.column} {sizing} over "
        f"{', '.join(bf.key)}, least pause {bf.pause_ms} ms, lock_timeout "
        f"{settings.lock_timeout_ms} ms, statement_timeout {settings.statement_timeout_ms} ms, "
        f"{settings.workers} worker(s); dry run, nothing changed", markup=False)
    for note in TriggerGuard(conn, bf, settings.triggers).notes:
        out_console.print(f"trigger: {note}", markup=False)
    out_console.print("each batch, in its own transaction:", markup=False)
    out_console.print(batches.update_batch_sql(bf, "<lo>", "<hi>") + ";", markup=False)
    key = ", ".join(bf.key) if len(bf.key) == 1 else f"({', '.join(bf.key)})"
    for n, (lo, hi) in enumerate(shown, start=1):
        lower = "" if lo is None else f"{key} > {lo!r} AND "
        out_console.print(f"  batch {n}: {lower}{key} <= {hi!r}", markup=False)
    if last:
        lower = "" if last[0] is None else f"{key} > {last[0]!r} AND "
        out_console.print(f"  ...\n  batch {count}: {lower}{key} <= {last[1]!r}", markup=False)


def _bar(label: str, total):
    from rich.progress import (BarColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    return Progress(TextColumn(label), BarColumn(),
                    TextColumn("{task.fields[rows]} rows updated, {task.fields[rate]} rows/s, "
                               "batch {task.fields[size]}"),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=err_console, transient=False)


def _run_with_bar(runner, job, progress):
    import time

    bf = runner.bf
    integer = bf.key_is_integer and progress.max_key is not None
    total = (progress.max_key - progress.min_key + 1) if integer else (bf.rows or None)
    start_key = progress.last_key
    bar = _bar(f"step {job.step} {bf.table}.{bf.column}", total)
    with bar:
        done0 = (start_key - progress.min_key + 1) if integer else 0
        task = bar.add_task("backfill", total=total, completed=done0, rows=0, rate="-",
                            size=bf.batch_size)

        def on_batch(p):
            elapsed = max(time.time() - p.started_at, 1e-6)
            done = (p.last_key - p.min_key + 1) if integer else p.rows_updated
            bar.update(task, completed=done, rows=p.rows_updated,
                       rate=f"{p.rows_updated / elapsed:,.0f}", size=p.batch_size)

        runner.on_batch = on_batch
        return runner.run(progress)


def _run_parallel_with_bar(db, job, settings, ranges, state_path, bf):
    import time

    from migsmith.tools.running.backfill import run_parallel

    t0 = time.time()
    bar = _bar(f"step {job.step} {bf.table}.{bf.column} x{len(ranges)}", bf.rows or None)
    with bar:
        task = bar.add_task("backfill", total=bf.rows or None, rows=0, rate="-",
                            size=bf.batch_size)

        def on_batch(_p):
            rows = sum(r.rows_updated for r in ranges)
            bar.update(task, completed=rows, rows=rows,
                       rate=f"{rows / max(time.time() - t0, 1e-6):,.0f}", size=_p.batch_size)

        return run_parallel(db, job, settings, ranges, state_path=state_path, on_batch=on_batch)
