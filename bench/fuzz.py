"""Fuzzing what users hand migsmith: specs, requests and schema fragments for all three
dialects, full of the text that broke it once (quotes, comment starts, dollar tags, line breaks
of every kind, NUL, DELIMITER lines, rich markup, SQL of someone else's).

Every input must either be refused with a MigsmithError (one line on the command line) or be
planned into files that parse back into exactly the statements the plan intends (the writer's
own check, ``tools/planning/parse_back.py``), hold no NUL, and whose comment lines are printable.
Anything else, an uncaught exception included, is a failure, shrunk to its smallest input.

    python -m bench.fuzz --examples 10000     # spread over every property and dialect

prints how many inputs each property ran, how many were planned and how many refused.
``tests/security/test_fuzz.py`` runs the same properties at CI size.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = {"postgres": ROOT / "examples" / "schema.sql",
           "mysql": ROOT / "examples" / "schema_mysql.sql",
           "sqlite": ROOT / "examples" / "schema_sqlite.sql"}
DIALECTS = tuple(SCHEMAS)

# Pieces of text that escaped their place in a rendered file once, or could.
HOSTILE = ["'", '"', "`", ";", "--", "-- ", "/*", "*/", "#", "\\", "\\'", "$", "$$", "$check$",
           "$lock$", "$backfill$", "$sync$", "$guard$", "$keep$", "$1", "\n", "\r", "\r\n",
           "\u2028", "\u2029", "\x00", "\x0b", "\x1b[2J", "\u202e", "DELIMITER ;\n", "END$$",
           "; drop table users; --", "COPY (SELECT 1) TO PROGRAM 'id'", "pg_read_file('x')",
           "[/]", "[bold]", "%s", "%", "{{ x }}", "{% x %}", "U&\"\\0041\"", "E'\\n'", "é", " ",
           "(", ")", ",", "'; select 1; '", "*/ drop table users /*", "\\\\"]
COLUMNS = {"users": ["id", "email", "name", "org_id"], "posts": ["id", "title", "views", "status"]}
TYPES = {
    "postgres": ["text", "integer", "bigint", "boolean", "timestamptz", "varchar(20)", "numeric(10,2)",
                 "jsonb", "uuid", "text[]", '"Role"', "date"],
    "mysql": ["text", "int", "bigint", "varchar(255)", "datetime", "decimal(10,2)", "json",
              "enum('a','b')", "tinyint(1)"],
    "sqlite": ["text", "integer", "real", "blob", "varchar(20)", "numeric", "boolean"],
}
FUNCTIONS = {
    "postgres": ["lower", "upper", "coalesce", "now", "length", "md5", "gen_random_uuid",
                 "pg_sleep", "query_to_xml", "lo_import", "dblink", "setval", "evil"],
    "mysql": ["lower", "upper", "coalesce", "now", "length", "md5", "uuid", "sleep",
              "load_file", "benchmark", "evil"],
    "sqlite": ["lower", "upper", "coalesce", "length", "hex", "random", "load_extension",
               "readfile", "evil"],
}

junk = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=3), max_size=5).map("".join)
names = st.one_of(st.from_regex(r"[a-z_][a-z0-9_$]{0,12}", fullmatch=True),
                  st.builds(lambda a, b: a + b, st.sampled_from(["x", "users", "a$"]), junk))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@lru_cache(maxsize=None)
def types(dialect: str):
    pool = TYPES[dialect]
    return st.one_of(st.sampled_from(pool), st.builds(lambda t, j: t + j, st.sampled_from(pool), junk),
                     st.builds(lambda j: '"' + j + '"', junk))


@lru_cache(maxsize=None)
def expressions(dialect: str, table: str):
    leaf = st.one_of(st.sampled_from(COLUMNS[table]), st.integers(-10, 10**12).map(str),
                     junk.map(_literal), st.sampled_from(["NULL", "true", "1.5"]), junk)
    return st.recursive(leaf, lambda child: st.one_of(
        st.builds(lambda a, o, b: f"{a} {o} {b}", child,
                  st.sampled_from(["+", "||", "=", "<>", "AND", "OR", "-", "*"]), child),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(FUNCTIONS[dialect]), child),
        st.builds(lambda a: f"({a})", child),
        st.builds(lambda a, b: f"CASE WHEN {a} THEN {b} END", child, child),
        st.builds(lambda a, t: f"CAST({a} AS {t})", child, types(dialect))), max_leaves=5)


@st.composite
def operations(draw, dialect: str):
    table = draw(st.sampled_from(list(COLUMNS)))
    column = draw(st.sampled_from(COLUMNS[table][1:]))
    expr = expressions(dialect, table)
    kind = draw(st.sampled_from(["add_column", "set_default", "backfill", "add_check_constraint",
                                 "add_index", "alter_column_type", "rename_column",
                                 "create_table", "drop_column"]))
    if kind == "add_column":
        col = {"name": draw(names), "type": draw(types(dialect))}
        if draw(st.booleans()):
            col["default"] = draw(expr)
        return {"op": kind, "table": table, "column": col}
    if kind == "set_default":
        return {"op": kind, "table": table, "column": column, "default": draw(expr)}
    if kind == "backfill":
        op = {"op": kind, "table": table, "column": column, "expression": draw(expr)}
        if draw(st.booleans()):
            op["where"] = draw(st.one_of(expr, st.just(f"{column} IS NULL")))
        return op
    if kind == "add_check_constraint":
        return {"op": kind, "table": table, "expression": draw(expr)}
    if kind == "add_index":
        op = {"op": kind, "table": table, "columns": [column]}
        if draw(st.booleans()):
            op["where"] = draw(expr)
        return op
    if kind == "alter_column_type":
        op = {"op": kind, "table": table, "column": column, "new_type": draw(types(dialect))}
        if dialect == "postgres" and draw(st.booleans()):
            op["using"] = draw(expr)
        return op
    if kind == "rename_column":
        return {"op": kind, "table": table, "column": column, "new_name": draw(names)}
    if kind == "drop_column":
        return {"op": kind, "table": table, "column": column}
    return {"op": "create_table", "table": draw(names), "columns": [
        {"name": "id", "type": "bigint", "primary_key": True},
        {"name": draw(names), "type": draw(types(dialect)), "default": draw(expr)}]}


@lru_cache(maxsize=None)
def specs(dialect: str):
    return st.fixed_dictionaries(
        {"operations": st.lists(operations(dialect), min_size=1, max_size=3),
         "options": st.fixed_dictionaries({"dialect": st.just(dialect),
                                           "allow_data_loss": st.booleans()})},
        optional={"description": junk, "name": names})


def requests():
    word = st.sampled_from(["text", "boolean", "integer", "timestamp"])
    table = st.sampled_from(list(COLUMNS))
    return st.one_of(
        st.builds(lambda j, w, n, t, k: f"{j}add a {w} column {n} to {t}{k}", junk, word, names,
                  table, junk),
        st.builds(lambda j: f"comments are obsolete{j}drop table comments;{j}: add a text "
                            "column nickname to users", junk),
        st.builds(lambda c, n, t, j: f"rename {c} to {n} in {t}{j}",
                  st.sampled_from(["name", "title", "created"]), names, table, junk),
        st.builds(lambda c, v, t: f"set {c} to {v} for all {t}",
                  st.sampled_from(["name", "views", "status"]), junk, table),
        st.builds(lambda a, b: a + b, junk, junk))


@st.composite
def schema_fragments(draw, dialect: str):
    table = draw(st.sampled_from(["t", "items", "x$y"]) | names)
    coltype = draw(types(dialect))
    parts = [f"CREATE TABLE {table} (", "  id bigint PRIMARY KEY,",
             f"  c {coltype}" + (f" DEFAULT {draw(expressions(dialect, 'users'))}"
                                 if draw(st.booleans()) else "")]
    if draw(st.booleans()):
        parts[-1] += ","
        parts.append(f"  CHECK ({draw(expressions(dialect, 'users'))})")
    parts.append(");" + draw(junk))
    return "\n".join(parts), table


# ----------------------------------------------------------------------------- properties
TALLY: Counter = Counter()


@lru_cache(maxsize=None)
def _schema(dialect: str):
    from migsmith.tools.schema import load_schema

    return load_schema(str(SCHEMAS[dialect]), dialect)


def _files_are_as_intended(plan) -> None:
    """The writer's own parse-back (``plan_files`` raises PlanError when a file does not hold
    exactly the intended statements), and what no rendered file may ever hold."""
    from migsmith.tools.planning.writer import plan_files

    for name, text in plan_files(plan).items():
        assert "\x00" not in text, name
        if name.endswith(".sql"):
            for line in text.splitlines():
                if line.lstrip().startswith("--"):
                    assert line.isprintable(), (name, line)


def _plan_or_refuse(what: str, make) -> None:
    from migsmith.tools.errors import MigsmithError, PlanError

    TALLY[what, "run"] += 1
    try:
        plan = make()
    except PlanError as exc:
        assert "internal error" not in exc.message, exc.message
        TALLY[what, "refused"] += 1
        return
    except MigsmithError:
        TALLY[what, "refused"] += 1
        return
    _files_are_as_intended(plan)
    TALLY[what, "planned"] += 1


def check_spec(spec: dict) -> None:
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.spec.changespec import parse_spec

    dialect = spec["options"]["dialect"]
    _schema(dialect)  # loaded once, outside the measured part
    _plan_or_refuse(f"spec/{dialect}", lambda: build_plan(
        parse_spec(spec), _schema(dialect).model_copy(deep=True), created="2026-01-01"))


def check_request(dialect: str, request: str) -> None:
    from migsmith.agent.runner import request_to_spec
    from migsmith.tools.planning.planner import build_plan

    schema = _schema(dialect)

    def make():
        result = request_to_spec(request, schema.model_copy(deep=True), model="offline",
                                 dialect=dialect)
        return build_plan(result.spec, schema.model_copy(deep=True), created="2026-01-01")

    _plan_or_refuse(f"request/{dialect}", make)


def check_schema_fragment(dialect: str, ddl: str, table: str) -> None:
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    def make():
        from migsmith.tools.errors import SchemaError

        schema = load_ddl(ddl, dialect, source="fuzzed schema")
        if not schema.tables:  # the loader kept no table of it (noted as unresolved)
            raise SchemaError("no table to plan on")
        name = next(iter(schema.tables))
        return build_plan(parse_spec({"operations": [
            {"op": "add_column", "table": name, "column": {"name": "added", "type": "text"}},
            {"op": "rename_column", "table": name, "column": "c", "new_name": "c2"}],
            "options": {"dialect": dialect}}), schema, created="2026-01-01")

    _plan_or_refuse(f"schema/{dialect}", make)


def property_tests(examples: int) -> dict:
    """name -> a hypothesis test running ``examples`` inputs."""
    conf = settings(max_examples=examples, deadline=None, database=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))
    tests = {f"spec/{d}": conf(given(specs(d))(check_spec)) for d in DIALECTS}
    for d in DIALECTS:
        tests[f"request/{d}"] = conf(given(requests())(_request_check(d)))
    for d in DIALECTS:
        tests[f"schema/{d}"] = conf(given(schema_fragments(d))(_fragment_check(d)))
    return tests


def _request_check(dialect: str):
    def check(request) -> None:
        check_request(dialect, request)
    return check


def _fragment_check(dialect: str):
    def check(fragment) -> None:
        check_schema_fragment(dialect, *fragment)
    return check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000,
                        help="inputs in all, spread evenly over the properties (default 1000)")
    args = parser.parse_args(argv)
    per = max(1, -(-args.examples // len(property_tests(1))))  # at least --examples in all
    tests = property_tests(per)
    started = time.perf_counter()
    for name, test in tests.items():
        t = time.perf_counter()
        test()
        print(f"{name:18} {TALLY[name, 'run']:6} inputs: {TALLY[name, 'planned']:6} planned, "
              f"{TALLY[name, 'refused']:6} refused  ({time.perf_counter() - t:.1f} s)")
    total = sum(TALLY[n, "run"] for n in tests)
    print(f"{'all':18} {total:6} inputs, no failure, in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
