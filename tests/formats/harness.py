"""Plans of the seed document's three examples and a type change, written for a tool, run by
the real tool step by step, and compared after every step with the plain plan applied by
migsmith's own executor (the reference)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from migsmith.tools.formats.output import read_target, render_format, write_format
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.proving import catalog
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

from .runners import ROOT, TOOL_TABLES, Db

SPECS = ROOT / "evals" / "specs"
SCHEMAS = {"postgres": "schema.sql", "mysql": "schema_mysql.sql", "sqlite": "schema_sqlite.sql"}
CASES = {  # the seed document's three examples, and an expand/contract type change
    "add_email_verified": "doc_add_email_verified",
    "rename_created": "doc_rename_created",
    "users_email_index": "doc_users_email_index",
    "type_change": "type_change_posts_views",
}
NOW = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
SEED_ROWS = 40


def make_plan(case: str, dialect: str):
    name = CASES[case]
    path = SPECS / (f"{name}_{dialect}.json" if dialect != "postgres" else f"{name}.json")
    if not path.exists():
        path = SPECS / f"{name}.json"
    data = json.loads(path.read_text())
    data.setdefault("options", {})["dialect"] = dialect
    if dialect == "mysql":
        data["options"].setdefault("target_version", "mariadb-10.11")
    spec = parse_spec(json.dumps(data), source=str(path))
    schema = load_schema(str(ROOT / "examples" / SCHEMAS[dialect]), dialect)
    return build_plan(spec, schema, created="2030-01-02"), schema


def write(plan, tool: str, out: Path, plan_dir: Path):
    out.mkdir(parents=True, exist_ok=True)
    target = read_target(out, plan_dir, now=NOW)
    target.plan_dir = f"migsmith/{plan.name}"  # as `migsmith plan` run in the repository says it
    rendered = render_format(plan, tool, target)
    write_format(plan, rendered, out, plan_dir)
    return rendered


def strip_tool_tables(snap: dict) -> dict:
    snap = dict(snap)
    snap["tables"] = {k: v for k, v in snap["tables"].items()
                      if k.split(".")[-1] not in TOOL_TABLES}
    snap["sequences"] = [s for s in snap.get("sequences", [])
                         if not any(t in s for t in TOOL_TABLES)]
    return snap


@contextlib.contextmanager
def database(server, label: str):
    """A fresh database on the shared server, with the example schema and sample rows."""
    with server.database(label) as shadow_db:
        session = server.session(shadow_db)
        try:
            yield shadow_db, session
        finally:
            session.close()


def load(session, dialect: str, schema) -> None:
    session.load((ROOT / "examples" / SCHEMAS[dialect]).read_text(), SCHEMAS[dialect])
    session.seed(session.start_schema(), SEED_ROWS)


def snapshot(session) -> dict:
    if session.dialect == "postgres":
        return strip_tool_tables(catalog.snapshot(session.conn, ["public"]))
    return strip_tool_tables(session.snapshot())


_REFERENCE: dict[tuple[str, str], tuple[list[dict], dict[int, dict]]] = {}


def reference(server, case: str, dialect: str) -> tuple[list[dict], dict[int, dict]]:
    """Snapshots of the plain plan: ups = [before step 1, after step 1, ..., after the last]
    and downs = {step: after rolling back that step (and every later one)}."""
    key = (case, dialect)
    if key not in _REFERENCE:
        plan, schema = make_plan(case, dialect)
        with database(server, "ref") as (_db, session):
            load(session, dialect, schema)
            snaps = [snapshot(session)]
            for step in plan.steps:
                session.apply(step.up_sql, file=step.slug)
                snaps.append(snapshot(session))
            downs = {}
            for step in reversed(plan.steps):
                session.apply(step.down_sql, file=step.slug)
                downs[step.number] = snapshot(session)
        _REFERENCE[key] = snaps, downs
    return _REFERENCE[key]


def backfill(db: Db, plan_dir: Path) -> None:
    """`migsmith backfill`, as a user runs it between two migrations of the tool."""
    res = subprocess.run([sys.executable, "-m", "migsmith", "backfill", "--db", db.url,
                          str(plan_dir)], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr


def same(expected: dict, got: dict, what: str) -> None:
    diff = catalog.diff(expected, got, before_label="with the plain plan",
                        after_label=f"with the tool ({what})")
    assert not diff, f"{what}: the schema differs from the plain plan's:\n" + "\n".join(diff)
