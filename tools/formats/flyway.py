"""Flyway: ``V<n>__name.sql`` (and ``U<n>__name.sql`` undo files, which only Flyway Teams
runs), numbered after the highest version in the folder.

Flyway runs each migration in one transaction and sends its statements one at a time; a
migration that must not run in one gets a script config file beside it,
``V<n>__name.sql.conf`` with ``executeInTransaction=false``. Flyway replaces ``${...}``
placeholders in SQL, so a step whose SQL holds ``${`` is refused. Flyway is not installed
here: its output is checked by golden files.
"""

from __future__ import annotations

import re

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "flyway"


def render(plan: Plan, target: base.Target) -> base.Rendered:
    base.guard_text(plan, TOOL, [("${", "Flyway replaces as a placeholder (and fails when it "
                                        "has no value for it)")])
    env = base.environment(TOOL)
    existing = [v for v in base.versions_in(target.names(), r"^[VU](\d+(?:[._]\d+)*)__.*\.sql$")]
    steps = base.scripts(plan)
    versions = _next(existing, len(steps), target)
    files, migrations = {}, []
    for version, (step, up, down) in zip(versions, steps):
        name = base.migration_name(plan, step)
        desc = name
        m = base.ToolMigration(step=step.number, version=version, name=name,
                               files=[f"V{version}__{desc}.sql", f"U{version}__{desc}.sql"],
                               runs="", backfill="inline" if up.batched_backfill else None)
        for file, script in ((m.files[0], up), (m.files[1], down)):
            chunk = base.whole_chunk(script)
            runs = base.runs_text(chunk, True)
            if file.startswith("V"):
                m.runs = runs
            files[file] = env.get_template("migration.sql.j2").render(
                tool=TOOL, m=m, step=step, header=base.header_lines(script, TOOL), runs=runs,
                chunk=chunk, plan_dir=target.plan_dir,
                text=base.chunk_text(chunk, script, client_delimiters=True)).strip() + "\n"
            if chunk is not None and not chunk.transactional:
                m.files.append(file + ".conf")
                files[file + ".conf"] = env.get_template("script.conf.j2").render(
                    why=_why(script))
        migrations.append(m)
    base.taken(files, target, set())
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, run={
        "up": "flyway migrate",
        "down": "flyway undo (Flyway Teams; otherwise run the U files by hand, newest first)",
        "to": "flyway migrate -target=VERSION",
    }, golden_only="Flyway is a Java program that no registry here ships")


def _why(script) -> str:
    if script.dialect == "postgres":
        return ("this step runs CONCURRENTLY or commits per batch, which PostgreSQL refuses "
                "inside a transaction")
    return "this step's statements commit on their own (or carry their own BEGIN ... COMMIT)"


def _next(existing: list[str], count: int, target: base.Target) -> list[str]:
    if not existing:
        return [str(i) for i in range(1, count + 1)]
    parts = [tuple(int(p) for p in re.split(r"[._]", v)) for v in existing]
    newest = max(parts)
    if len(newest) == 1:
        return base.next_versions([str(newest[0])], count, target.now)
    head, last = newest[:-1], newest[-1]
    return [".".join(str(p) for p in head + (last + i,)) for i in range(1, count + 1)]
