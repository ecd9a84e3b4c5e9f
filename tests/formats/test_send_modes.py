"""The failure of the issue, reproduced and gone.

Migration tools send a file one of two ways: as one query string (golang-migrate's postgres
driver, dbmate: ``Exec(file)``), or inside one transaction (Flyway, Django, Rails, Atlas,
``psql -1``). The plain plan's files only survive ``psql -f``: sent as one string, the
backfill's COMMIT inside its DO block fails (``invalid transaction termination``) and
CONCURRENTLY is refused; inside one transaction the same steps fail and every transactional
step warns ``there is already a transaction in progress``.

Both ways are emulated here on a real PostgreSQL exactly as those tools send (psycopg's simple
query for one string; BEGIN + the file + COMMIT for one transaction), first with the plain
files (the failures), then with the files of ``--format golang-migrate`` (one string each)
and ``--format flyway`` / ``--format atlas`` (one transaction each, except those the script
config or ``-- atlas:txmode none`` opts out, which go statement by statement in autocommit):
every step runs, no warning, and the schema after each step is the plain plan's.
"""

from __future__ import annotations

import psycopg
import pytest

from migsmith.tools.running.executor import split_statements

from . import harness

pytestmark = pytest.mark.postgres


def one_string(conn, sql: str) -> list[str]:
    conn.autocommit = True
    return _collect(conn, lambda: conn.execute(sql))


def one_transaction(conn, sql: str) -> list[str]:
    conn.autocommit = False

    def run():
        try:
            conn.execute(sql)
            conn.commit()
        except psycopg.Error:
            conn.rollback()
            raise
    return _collect(conn, run)


def statement_by_statement(conn, sql: str) -> list[str]:
    conn.autocommit = True

    def run():
        for st in split_statements(sql):
            conn.execute(st.text)
    return _collect(conn, run)


def _collect(conn, run) -> list[str]:
    warnings: list[str] = []

    def handler(diag):
        if diag.severity == "WARNING":
            warnings.append(diag.message_primary)
    conn.add_notice_handler(handler)
    try:
        run()
    finally:
        conn.remove_notice_handler(handler)
    return warnings


@pytest.fixture()
def rename(pg_shadow):
    plan, schema = harness.make_plan("rename_created", "postgres")
    with harness.database(pg_shadow, "send") as (db, session):
        harness.load(session, "postgres", schema)
        with psycopg.connect(db.url) as conn:
            yield plan, session, conn


@pytest.mark.parametrize("send,expected", [
    (one_string, {2: "invalid transaction termination",
                  6: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
                  7: "DROP INDEX CONCURRENTLY cannot run inside a transaction block"}),
    (one_transaction, {2: "invalid transaction termination",
                       6: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
                       7: "DROP INDEX CONCURRENTLY cannot run inside a transaction block"}),
], ids=["one-string-per-file", "one-transaction-per-file"])
def test_plain_files_fail_the_way_tools_send_them(rename, send, expected):
    plan, session, conn = rename
    failures, warned = {}, set()
    for step in plan.steps:
        try:
            if send(conn, step.up_sql):
                warned.add(step.number)
        except psycopg.Error as exc:
            failures[step.number] = exc.diag.message_primary
        # carry on from the planned state: apply the step the way psql -f does
        if step.number in failures:
            session.apply(step.up_sql, file=step.slug)
    assert failures == expected
    if send is one_transaction:
        transactional = {s.number for s in plan.steps if s.transactional}
        assert warned == transactional, "each BEGIN inside the tool's transaction warns"


def _run_format(plan, tool, tmp_path, conn, session, ref):
    """Apply the tool's files in order the way the tool sends them; check each step."""
    out = tmp_path / tool
    rendered = harness.write(plan, tool, out, tmp_path / "plan")
    warnings = []
    for m in plan.format.migrations:
        up = out / m.files[0]
        sql = up.read_text()
        if tool == "golang-migrate":
            warnings += one_string(conn, sql)
        elif (tool == "flyway" and (out / (m.files[0] + ".conf")).exists()) or (
                tool == "atlas" and sql.startswith("-- atlas:txmode none")):
            warnings += statement_by_statement(conn, sql)
        else:
            warnings += one_transaction(conn, sql)
        last = [x for x in plan.format.migrations if x.step == m.step][-1]
        if m is last:
            harness.same(ref[m.step], harness.snapshot(session), f"{tool} step {m.step}")
    assert warnings == []
    return rendered


@pytest.mark.parametrize("tool", ["golang-migrate", "flyway", "atlas"])
def test_format_files_survive_the_way_their_tool_sends_them(rename, tool, tmp_path, pg_shadow):
    plan, session, conn = rename
    ref, ref_down = harness.reference(pg_shadow, "rename_created", "postgres")
    if tool == "golang-migrate":
        # the batched backfill is left to `migsmith backfill`: its check migration stops here
        with pytest.raises(psycopg.Error, match="migsmith backfill"):
            _run_format(plan, tool, tmp_path, conn, session, ref)
        harness.backfill(harness.Db("postgres", session.db.url), tmp_path / "plan")
        rest = [m for m in plan.format.migrations]
        failed_at = next(i for i, m in enumerate(rest) if m.backfill == "migsmith backfill")
        for m in rest[failed_at:]:
            one_string(conn, (tmp_path / tool / m.files[0]).read_text())
            if m is [x for x in rest if x.step == m.step][-1]:
                harness.same(ref[m.step], harness.snapshot(session), f"{tool} step {m.step}")
        downs = [tmp_path / tool / m.files[1] for m in reversed(rest)]
        for path in downs:
            one_string(conn, path.read_text())
        harness.same(ref_down[1], harness.snapshot(session), "golang-migrate, all down")
    else:
        _run_format(plan, tool, tmp_path, conn, session, ref)
