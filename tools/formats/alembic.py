"""Alembic: one revision per step in the versions folder, ``<rev>_<name>.py``, chained by
``down_revision`` after the current head.

Alembic runs upgrades in a transaction (PostgreSQL, SQLite); a direction that must not run in
one goes through ``op.get_context().autocommit_block()``, where each ``op.execute`` commits on
its own, and a batched backfill is a loop that commits per batch. Statements go through
``sa.text()`` with their colons escaped, so SQL such as ``'12:30'`` is sent as written.
"""

from __future__ import annotations

import re

from migsmith.tools.formats import base
from migsmith.tools.planning.plan import Plan

TOOL = "alembic"


def render(plan: Plan, target: base.Target) -> base.Rendered:
    base.code_guard(plan, TOOL)
    env = base.environment(TOOL)
    head = current_head(target)
    files, migrations = {}, []
    steps = base.scripts(plan)
    for step, up, down in steps:
        rev = base.stable_hex(plan.name, plan.created, str(step.number), head or "")
        name = base.migration_name(plan, step)
        file = f"{rev}_{name}.py"
        ups, downs = base.code_ops(up), base.code_ops(down)
        for ops in (ups, downs):
            for o in ops:
                o.sql = base.sqlalchemy_text(o.sql)
        files[file] = env.get_template("migration.py.j2").render(
            plan=plan, step=step, total=len(steps), rev=rev, down_rev=head,
            created=plan.created, up=_mode(up), down=_mode(down), up_ops=ups, down_ops=downs,
            bf=base.code_backfill(step, plan.dialect, "sqlalchemy") if up.batched_backfill else None,
            signature="", setup="    bind = op.get_bind()",
            row=lambda q: f"bind.execute({q}).one()",
            value=lambda q, p: f"bind.execute({q}, {p}).scalar()",
            execute=lambda q, p: f"bind.execute({q}, {p})",
            params=lambda a, b: f'{{"lo": {a}, "hi": {b}}}', params1=lambda a: f'{{"lo": {a}}}')
        migrations.append(base.ToolMigration(
            step=step.number, version=rev, name=name, files=[file],
            runs=("Upgrade runs in Alembic's transaction." if _mode(up).transactional else
                  "Upgrade runs in an autocommit block: each statement commits on its own."),
            backfill="code" if up.batched_backfill else None))
        head = rev
    base.taken(files, target, set())
    return base.Rendered(tool=TOOL, files=files, migrations=migrations, run={
        "up": "alembic upgrade head",
        "down": "alembic downgrade -1 (one step at a time)",
        "to": "alembic upgrade REVISION",
    })


class _Mode:
    def __init__(self, transactional: bool):
        self.transactional = transactional


def _mode(script) -> _Mode:
    return _Mode(script.empty or script.transactional)


_REV = re.compile(r"""^revision\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", re.M)
_DOWN = re.compile(r"""^down_revision\s*(?::[^=]+)?=\s*(.+)$""", re.M)


def revisions(target: base.Target) -> dict[str, list[str]]:
    """revision -> the revisions it follows, read from the version files' text."""
    out: dict[str, list[str]] = {}
    for name, text in target.files.items():
        if not name.endswith(".py") or not text:
            continue
        rev = _REV.search(text)
        if not rev:
            continue
        down = _DOWN.search(text)
        out[rev.group(1)] = re.findall(r"""['"]([^'"]+)['"]""", down.group(1)) if down else []
    return out


def current_head(target: base.Target) -> str | None:
    revs = revisions(target)
    py = [n for n in target.files if n.endswith(".py") and not n.startswith("__")]
    if py and not revs:
        raise base.FormatError(f"cannot tell the head revision of {target.path}: its files "
                               "hold no `revision = ...` line",
                               hint="run `alembic heads` and check the versions folder")
    parents = {p for ps in revs.values() for p in ps}
    heads = sorted(r for r in revs if r not in parents)
    if len(heads) > 1:
        raise base.FormatError(f"{target.path} has {len(heads)} heads ({', '.join(heads)})",
                               hint="merge them first: alembic merge heads")
    return heads[0] if heads else None
