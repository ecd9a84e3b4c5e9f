"""golang-migrate: ``NNNNNN_name.up.sql`` and ``NNNNNN_name.down.sql`` (sequence or
timestamp, whichever the directory already uses; timestamps in an empty one, as
``migrate create`` does).

golang-migrate wraps nothing in a transaction on PostgreSQL and MySQL and sends each file as
one query string, so PostgreSQL steps are cut with ``one_string_parts`` and transactional parts
carry their own BEGIN/COMMIT. Its sqlite3 driver wraps every file in a transaction unless the
URL says ``x-no-tx-wrap=true``; migsmith's SQLite steps manage their own (BEGIN IMMEDIATE, and
PRAGMAs that only work outside one), so use that option. MySQL needs ``multiStatements=true``
in the URL (the statements are written without DELIMITER lines, which only the mysql client
knows). golang-migrate is not installed here: its output is checked by golden files.
"""

from __future__ import annotations

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "golang-migrate"


def render(plan: Plan, target: base.Target) -> base.Rendered:
    env = base.environment(TOOL)
    pending = []
    for step, up, down in base.scripts(plan):
        parts = base.pair_parts(base.script_parts(up, target.plan_dir), base.script_parts(down, target.plan_dir))
        pending.extend((step, up, down, i, len(parts), pu, pd) for i, (pu, pd) in enumerate(parts, 1))
    versions = base.next_versions(base.versions_in(target.names(), r"^(\d+)_.*\.(?:up|down)\.sql$"),
                                  len(pending), target.now)
    files, migrations = {}, []
    for version, (step, up, down, part, parts, pu, pd) in zip(versions, pending):
        name = base.migration_name(plan, step, part, parts)
        m = base.ToolMigration(step=step.number, version=version, name=name,
                               files=[f"{version}_{name}.up.sql", f"{version}_{name}.down.sql"],
                               runs=base.runs_text(pu, False), part=part, parts=parts,
                               backfill="migsmith backfill" if pu and pu.backfill else None)
        for file, chunk, script in ((m.files[0], pu, up), (m.files[1], pd, down)):
            files[file] = env.get_template("migration.sql.j2").render(
                tool=TOOL, m=m, step=step, header=base.header_lines(script, TOOL),
                runs=base.runs_text(chunk, False), chunk=chunk, plan_dir=target.plan_dir,
                text=base.chunk_text(chunk, script, explicit_txn=True)).strip() + "\n"
        migrations.append(m)
    base.taken(files, target, {"atlas.sum"})
    from migsmith.tools.formats.atlas import keep_sum

    # a folder that Atlas checksums in golang-migrate format keeps a valid atlas.sum
    replaces = keep_sum(target, files, golang_migrate=True)
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, replaces=replaces, run={
        "up": "migrate -path DIR -database URL up",
        "down": "migrate -path DIR -database URL down N (N migrations, newest first)",
        "to": "migrate -path DIR -database URL goto VERSION",
    }, notes=["SQLite: add x-no-tx-wrap=true to the URL; MySQL: multiStatements=true.",
              "A failed migration leaves golang-migrate 'dirty': after a check migration "
              "stops it (backfill not run yet), run the backfill, then `migrate force "
              "<previous version>` and `migrate up` again."],
        golden_only="golang-migrate is a Go binary that no registry here ships")
