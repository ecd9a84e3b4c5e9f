"""Issue 10, defects 2, 7 and the dollar-quote part of 10: text that used to escape its place in
a rendered file (a comment line, a dollar-quoted body), and the parse-back that stops any plan
whose files do not hold exactly the statements it intends."""

from __future__ import annotations

import json

import psycopg
import pytest
from hostile_helpers import SCHEMA, SCHEMAS, assert_refused, make_plan, run, write_spec

from migsmith.tools.errors import PlanError
from migsmith.tools.planning.parse_back import split, statement_kind
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.planning.writer import plan_files, write_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec

LINE_BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\x00", "\x1b[2J"]
DROP = "drop table comments; drop table users;"


def _statements(plan) -> list[tuple[str, str]]:
    """(file, statement) of every statement of every step file, split as the database's client
    splits them (plan_files has checked them against what the plan intends)."""
    out = []
    for name, text in plan_files(plan).items():
        if name.endswith(".sql"):
            out += [(name, s) for s in split(text, plan.dialect, name)]
    return out


def _no_injected_drop(plan) -> None:
    for name, statement in _statements(plan):
        assert "drop table comments" not in statement.lower(), (name, statement)


def _spec(dialect: str, description: str, op: dict | None = None) -> dict:
    op = op or {"op": "add_column", "table": "users",
                "column": {"name": "nickname", "type": "text"}}
    return {"description": description, "operations": [op], "options": {"dialect": dialect}}


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize("brk", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_a_description_cannot_end_its_comment(dialect, brk):
    """Defect 2: a line break in the description ended the ``--`` comment it is copied into;
    defect 7: a NUL made every file split into no statement at all."""
    plan = build_plan(parse_spec(_spec(dialect, f"harmless{brk}{DROP}{brk}-- x")),
                      load_schema(str(SCHEMAS[dialect]), dialect))
    _no_injected_drop(plan)
    for step in plan.all_steps():
        line = step.up_sql.splitlines()[1]  # the description: one printable line
        assert line.startswith("-- harmless") and line.endswith("-- x"), line
        assert line.isprintable()


def test_a_request_with_carriage_returns_plans_nothing_else(tmp_path, pg_url):
    """Defect 2: this request planned, verified, and ``migsmith apply`` dropped a table."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(SCHEMA.read_text())
        conn.execute("INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 100) g")
        conn.execute("INSERT INTO comments (post_id, body) SELECT g, 'c' FROM "
                     "generate_series(1, 500) g")
    out = tmp_path / "plan"
    request = "comments are obsolete\rdrop table comments;\r: add a text column nickname to users"
    res = run("plan", request, "--schema", SCHEMA, "--out", out, "--no-verify",
              "--model", "offline")
    if res.returncode == 0:  # planned: the files hold nothing but the plan's own statements
        plan = json.loads((out / "plan.json").read_text())
        for step in plan["steps"]:
            for f in (step["up_file"], step["down_file"]):
                kinds = [statement_kind(s) for s in split((out / f).read_text(), "postgres", f)]
                assert "DROP TABLE" not in kinds, (f, kinds)
        applied = run("apply", out, "--db", pg_url)
        assert applied.returncode == 0, applied.stderr
    else:
        assert_refused(res, out=out)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM comments").fetchone() == (500,)


@pytest.mark.parametrize("name", ["x$check$", "x$lock$", "x$backfill$", "x$sync$", "a$$b"])
def test_a_name_cannot_close_a_dollar_quote(name, tmp_path):
    """Defect 10: ``$`` in names allowed ``x$check$``, which ends the DO $check$ block."""
    spec = {"operations": [{"op": "add_column", "table": "users",
                            "column": {"name": name, "type": "text"}},
                           {"op": "rename_column", "table": "users", "column": "name",
                            "new_name": name + "2"}]}
    plan = build_plan(parse_spec(spec), load_schema(str(SCHEMA)))
    write_plan(plan, tmp_path / "plan")  # parse-back passed: every file as intended


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize("text", ["$backfill$", "$check$", "$sync$", "$$", "$lock$; drop table x",
                                  "END$$\nDELIMITER ;\ndrop table users;\nDELIMITER $$"])
def test_an_expression_cannot_close_a_dollar_quote(dialect, text, tmp_path):
    """Defect 10: an expression containing ``$backfill$`` ended the plan's own dollar-quoted
    block early (36 accepted specs rendered files that do not parse)."""
    literal = "'" + text.replace("'", "''") + "'"
    spec = {"operations": [
        {"op": "add_column", "table": "users", "column": {"name": "tag", "type": "text"}},
        {"op": "backfill", "table": "users", "column": "tag", "expression": f"name || {literal}"},
        {"op": "alter_column_type", "table": "posts", "column": "status", "new_type": "text",
         "using": f"status || {literal}"} if dialect == "postgres" else
        {"op": "set_default", "table": "users", "column": "tag", "default": literal}],
        "options": {"dialect": dialect}}
    plan = build_plan(parse_spec(spec), load_schema(str(SCHEMAS[dialect]), dialect))
    write_plan(plan, tmp_path / "plan")  # parse-back passed: every file as intended
    bodies = "".join(s.up_sql for s in plan.steps)
    assert literal in bodies or literal.replace("\n", "\\n") in bodies  # the value survived


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
@pytest.mark.parametrize("bug", ["line break in a comment", "NUL", "closed dollar quote",
                                 "statement swallowed"])
def test_a_file_that_does_not_hold_the_intended_statements_is_never_written(tmp_path,
                                                                          dialect, bug):
    """The safety net itself: a step file rendered wrong (as if a sanitizer had a bug) holds
    other statements than its templates declared, and the plan stops with nothing written."""
    plan = build_plan(parse_spec(_spec(dialect, "x")), load_schema(str(SCHEMAS[dialect]),
                                                                   dialect))
    step = plan.steps[0]
    sql = step.up_sql
    if bug == "line break in a comment":
        sql = sql.replace("-- x\n", "-- x\rDROP TABLE comments;\r\n", 1) if dialect == \
            "postgres" else sql.replace("-- x\n", "-- x\nDROP TABLE comments;\n", 1)
    elif bug == "NUL":
        sql = sql.replace("ALTER TABLE", "\x00ALTER TABLE", 1)
    elif bug == "closed dollar quote":
        sql = (sql.replace("BEGIN\n  IF", "BEGIN\n  $check$; DROP TABLE comments; $check$\n  IF", 1)
               if dialect == "postgres" else sql.replace(";\n", "; DROP TABLE comments;\n", 1))
    else:  # the last statement commented out, as if a comment had run on into it
        lines = sql.rstrip("\n").split("\n")
        lines[-1] = "-- " + lines[-1]
        sql = "\n".join(lines) + "\n"
    assert sql != step.up_sql
    step.up_sql = sql
    with pytest.raises(PlanError, match="internal error"):
        write_plan(plan, tmp_path / "plan")
    assert not (tmp_path / "plan").exists()


def test_a_nul_in_the_description_through_the_cli(tmp_path):
    """Defect 7: ``apply`` printed ``done in 0.00 s`` and changed nothing."""
    out = tmp_path / "plan"
    spec = write_spec(tmp_path, _spec("postgres", "before\x00after"))
    res = run("plan", "--spec", spec, "--schema", SCHEMA, "--out", out, "--no-verify")
    assert res.returncode == 0, res.stderr
    text = next(out.glob("001_*.up.sql")).read_text()
    assert "\x00" not in text and "before after" in text
    assert "ALTER TABLE" in [statement_kind(s) for s in split(text, "postgres", "up")]


def test_a_hand_edited_step_file_with_a_nul_is_refused_by_apply(tmp_path, pg_url):
    out = make_plan(_spec("postgres", "x"), tmp_path / "plan")
    up = next(out.glob("001_*.up.sql"))
    up.write_text("-- \x00\n" + up.read_text())
    assert_refused(run("apply", out, "--db", pg_url), says="NUL")
