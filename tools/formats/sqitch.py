"""Sqitch: a named change per step in ``sqitch.plan``, with ``deploy/``, ``revert/`` and
``verify/<change>.sql``.

Sqitch runs each script with the database's own client (psql, sqlite3, mysql) and leaves
transactions to the script, exactly as the plain plan expects: the scripts are the plan's step
files as they are. Each change requires the one before it, so sqitch deploys and reverts them
in order. ``sqitch.plan`` and ``sqitch.conf`` are created when the directory has none.
"""

from __future__ import annotations

import re

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "sqitch"
PLAN = "sqitch.plan"
ENGINES = {"postgres": "pg", "mysql": "mysql", "sqlite": "sqlite"}


def render(plan: Plan, target: base.Target) -> base.Rendered:
    env = base.environment(TOOL)
    text = target.files.get(PLAN) or f"%syntax-version=1.0.0\n%project={plan.name}\n\n"
    known = changes(text)
    previous = known[-1] if known else None
    stamp = target.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    who = f"{target.planner[0]} <{target.planner[1]}>"
    files, migrations, lines = {}, [], []
    for step, up, down in base.scripts(plan):
        change = base.migration_name(plan, step)
        if change in known:
            raise base.FormatError(f"change {change} is already in {target.path}/{PLAN}",
                                   hint="this plan was written here before: move it away first")
        m = base.ToolMigration(step=step.number, version=change, name=change,
                               files=[f"deploy/{change}.sql", f"revert/{change}.sql",
                                      f"verify/{change}.sql"],
                               runs=_runs(up), backfill="inline" if up.batched_backfill else None)
        for file, script in ((m.files[0], up), (m.files[1], down)):
            files[file] = env.get_template("migration.sql.j2").render(
                tool=TOOL, m=m, step=step, header=base.header_lines(script, TOOL),
                runs=_runs(script), chunk=None if script.empty else base.whole_chunk(script),
                plan_dir=target.plan_dir, text=base.raw_body(script)).strip() + "\n"
        files[m.files[2]] = env.get_template("verify.sql.j2").render(change=change)
        requires = f" [{previous}]" if previous else ""
        note = re.sub(r"\s+", " ", step.title)
        lines.append(f"{change}{requires} {stamp} {who} # {note}\n")
        previous = change
        known.append(change)
        migrations.append(m)
    files[PLAN] = text + ("" if text.endswith("\n") else "\n") + "".join(lines)
    replaces = {PLAN}
    if "sqitch.conf" not in target.files:
        files["sqitch.conf"] = f"[core]\n\tengine = {ENGINES[plan.dialect]}\n"
    base.taken(files, target, replaces)
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, replaces=replaces, run={
        "up": "sqitch deploy TARGET",
        "down": "sqitch revert TARGET --to CHANGE (or -y to revert everything)",
        "to": "sqitch deploy TARGET --to CHANGE",
    })


def _runs(script) -> str:
    if script.empty:
        return ""
    if script.transactional:
        return "Runs in one transaction (its own BEGIN/COMMIT; sqitch leaves them to the script)."
    return "Runs outside a transaction: each statement commits on its own."


def changes(plan_text: str) -> list[str]:
    """The change names of a sqitch.plan, in order (pragmas, tags and comments skipped)."""
    out = []
    for line in plan_text.splitlines():
        s = line.strip()
        if not s or s.startswith(("%", "@", "#")):
            continue
        name = s.split()[0]
        out.append(name.lstrip("-+"))
    return out
