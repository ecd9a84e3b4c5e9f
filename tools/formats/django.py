"""Django: one migration per step in an app's ``migrations/`` package, ``NNNN_name.py``,
depending on the app's newest migration.

Django runs a migration in a transaction unless it says ``atomic = False``. A transactional
step is ``RunSQL(sql=[...], reverse_sql=[...])`` in an atomic migration; a step with a
direction that must not run in one is ``atomic = False``, its statements ``RunSQL`` lists (each
commits on its own), a transactional direction beside it ``RunPython(..., atomic=True)``, and a
batched backfill a ``RunPython`` loop that commits per batch. Statements are passed as lists,
so Django sends each as it is (no splitting, no ``%`` interpolation).
"""

from __future__ import annotations

import re

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "django"


def render(plan: Plan, target: base.Target) -> base.Rendered:
    base.code_guard(plan, TOOL)
    env = base.environment(TOOL)
    app = target.app_label
    if not app:
        raise base.FormatError(f"{target.path} is not an app's migrations folder",
                               hint="give --out APP/migrations (the app label is APP)")
    existing = sorted(n for n in target.names() if re.match(r"^\d{4}_.+\.py$", n))
    dependency = existing[-1][:-3] if existing else None
    numbers = base.next_versions([n[:4] for n in existing], len(plan.steps), target.now,
                                 default="sequence", width=4)
    files, migrations = {}, []
    steps = base.scripts(plan)
    for number, (step, up, down) in zip(numbers, steps):
        name = f"{number}_{base.migration_name(plan, step)}"
        atomic = not (up.needs_own_transactions or down.needs_own_transactions)
        operations = _operations(up, down, atomic)
        files[f"{name}.py"] = env.get_template("migration.py.j2").render(
            plan=plan, step=step, total=len(steps), atomic=atomic, app=app,
            dependency=dependency, operations=operations,
            atomic_blocks=any(o["kind"] == "atomic" for o in operations),
            atomic_note=("Atomic: Django runs it in one transaction." if atomic else
                         "atomic = False: each statement commits on its own (CONCURRENTLY and "
                         "per-batch commits are refused inside a transaction)."),
            bf=base.code_backfill(step, plan.dialect, "dbapi") if up.batched_backfill else None,
            signature="apps, schema_editor", setup="    conn = schema_editor.connection",
            row=lambda q: f"_query(conn, {q}, [])", value=lambda q, p: f"_query(conn, {q}, {p})[0]",
            execute=lambda q, p: f"_query(conn, {q}, {p})",
            params=lambda a, b: f"[{a}, {b}]", params1=lambda a: f"[{a}]")
        migrations.append(base.ToolMigration(
            step=step.number, version=number, name=name, files=[f"{name}.py"],
            runs="atomic" if atomic else "atomic = False",
            backfill="code" if up.batched_backfill else None))
        dependency = name
    if "__init__.py" not in target.files:
        files["__init__.py"] = ""
    base.taken(files, target, set())
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, run={
        "up": f"python manage.py migrate {app}",
        "down": f"python manage.py migrate {app} PREVIOUS_MIGRATION (or zero)",
        "to": f"python manage.py migrate {app} MIGRATION",
    })


def _operations(up, down, atomic: bool) -> list[dict]:
    def sqls(script):
        return [o.sql for o in base.code_ops(script)]

    if atomic:
        return [{"kind": "sql", "up": sqls(up), "down": sqls(down)}]
    ops: list[dict] = []
    # The reverse of the first operation runs last: it carries the whole down.
    if not down.empty:
        ops.append({"kind": "atomic" if down.transactional else "sql", "up": [],
                    "down": sqls(down)})
    if not up.empty and up.transactional:
        ops.append({"kind": "atomic", "up": sqls(up), "down": []})
    elif not up.empty:
        group: list[str] = []
        for o in base.code_ops(up):
            if o.kind == "backfill":
                if group:
                    ops.append({"kind": "sql", "up": group, "down": []})
                    group = []
                ops.append({"kind": "backfill"})
            else:
                group.append(o.sql)
        if group:
            ops.append({"kind": "sql", "up": group, "down": []})
    return ops
