"""dbmate: one file per migration, ``YYYYMMDDHHMMSS_name.sql`` with ``-- migrate:up`` and
``-- migrate:down`` sections.

dbmate runs each section in a transaction of its own unless the section says
``transaction:false``, and sends a section as one query string. PostgreSQL steps are cut with
``one_string_parts``: a transactional step is one migration whose BEGIN/COMMIT dbmate supplies;
each statement of a non-transactional step is a migration of its own (CONCURRENTLY and DO
blocks that commit with ``transaction:false``), and a batched backfill is left to
``migsmith backfill`` with a check migration that stops dbmate until it has run. MySQL and
SQLite steps are one migration each, with ``transaction:false``.
"""

from __future__ import annotations

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "dbmate"


def render(plan: Plan, target: base.Target) -> base.Rendered:
    base.guard_text(plan, TOOL, [("-- migrate:", "dbmate reads as the start of a section")])
    env = base.environment(TOOL)
    pending = []
    for step, up, down in base.scripts(plan):
        parts = base.pair_parts(base.script_parts(up, target.plan_dir), base.script_parts(down, target.plan_dir))
        pending.extend((step, up, down, i, len(parts), pu, pd) for i, (pu, pd) in enumerate(parts, 1))
    versions = base.next_versions(base.versions_in(target.names(), r"^(\d+)_.*\.sql$"),
                                  len(pending), target.now)
    files, migrations = {}, []
    for version, (step, up, down, part, parts, pu, pd) in zip(versions, pending):
        name = base.migration_name(plan, step, part, parts)
        file = f"{version}_{name}.sql"
        m = base.ToolMigration(step=step.number, version=version, name=name, files=[file],
                               runs=base.runs_text(pu, True), part=part, parts=parts,
                               backfill="migsmith backfill" if pu and pu.backfill else None)
        files[file] = env.get_template("migration.sql.j2").render(
            tool=TOOL, m=m, step=step, header=base.header_lines(up, TOOL), runs=m.runs,
            up=pu, down=pd, up_text=base.chunk_text(pu, up), down_text=base.chunk_text(pd, down),
            plan_dir=target.plan_dir).strip() + "\n"
        migrations.append(m)
    base.taken(files, target, set())
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, run={
        "up": "dbmate up (applies every pending migration)",
        "down": "dbmate rollback (one migration at a time, newest first)",
        "to": "dbmate has no target version: keep the files of later steps out of the "
              "directory until their deploy point, or run `dbmate up` only after it",
    })
