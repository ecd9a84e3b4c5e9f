"""Rails (Active Record): one migration per step in ``db/migrate``,
``YYYYMMDDHHMMSS_name.rb``, the class named after the file as Rails requires.

Active Record runs a migration in a transaction (PostgreSQL, SQLite) unless it calls
``disable_ddl_transaction!``; then each ``execute`` commits on its own, a transactional
direction beside it is a ``transaction do ... end`` block, and a batched backfill a loop that
commits per batch. Each statement is its own ``execute`` with a single-quoted heredoc (no
interpolation), since adapters differ in how many statements one ``execute`` may hold.
"""

from __future__ import annotations

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "rails"
RAILS_VERSION = "6.1"  # Migration[6.1] runs unchanged on Rails 6.1 through 8


def render(plan: Plan, target: base.Target) -> base.Rendered:
    base.code_guard(plan, TOOL, [("MIGSMITH_SQL", "ends the heredocs that carry each statement")])
    env = base.environment(TOOL)
    steps = base.scripts(plan)
    versions = base.next_versions(base.versions_in(target.names(), r"^(\d+)_.*\.rb$"),
                                  len(steps), target.now)
    files, migrations = {}, []
    for version, (step, up, down) in zip(versions, steps):
        name = base.migration_name(plan, step)
        disable = up.needs_own_transactions or down.needs_own_transactions
        file = f"{version}_{name}.rb"
        files[file] = env.get_template("migration.rb.j2").render(
            plan=plan, step=step, total=len(steps), class_name=camelize(name), dialect=plan.dialect,
            rails_version=RAILS_VERSION, disable_txn=disable,
            txn_note=("disable_ddl_transaction!: each statement commits on its own (CONCURRENTLY "
                      "and per-batch commits are refused inside a transaction)." if disable else
                      "Runs in Active Record's transaction."),
            up_ops=base.code_ops(up), down_ops=base.code_ops(down),
            up_wrap=disable and up.transactional and not up.empty,
            down_wrap=disable and down.transactional and not down.empty,
            bf=base.code_backfill(step, plan.dialect, "tokens") if up.batched_backfill else None)
        migrations.append(base.ToolMigration(
            step=step.number, version=version, name=name, files=[file],
            runs="disable_ddl_transaction!" if disable else "in Active Record's transaction",
            backfill="code" if up.batched_backfill else None))
    base.taken(files, target, set())
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, run={
        "up": "bin/rails db:migrate",
        "down": "bin/rails db:rollback STEP=1",
        "to": "bin/rails db:migrate VERSION=VERSION",
    })


def camelize(name: str) -> str:
    """Rails' String#camelize of a migration's name (its class name)."""
    return "".join(p[:1].upper() + p[1:] for p in name.split("_"))
