"""What a new user touches first: --version, -h, every option explained with examples, flags
that are flags, dialect names as people write them, the dialect read from the schema."""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import invoke
from migsmith import __version__
from migsmith.cli import COMMANDS, _module

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = str(ROOT / "examples" / "schema.sql")
SQLITE_SCHEMA = ROOT / "examples" / "schema_sqlite.sql"


def test_version_and_short_help_from_the_console_script():
    done = subprocess.run([sys.executable, "-m", "migsmith", "--version"], capture_output=True,
                          text=True)
    assert (done.returncode, done.stdout) == (0, f"migsmith {__version__}\n")
    top = invoke(["-h"])
    assert top.exit_code == 0
    for name in COMMANDS:
        assert f"\n  {name} " in top.stdout
    assert invoke(["plan", "-h"]).exit_code == 0


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help_and_every_command_an_example(name):
    parser = _module(name).build_parser()
    for action in parser._actions:
        assert action.help and action.help is not argparse.SUPPRESS, (name, action.option_strings)
    help_text = parser.format_help()
    assert f"examples:\n  migsmith {name}" in help_text


def test_flags_are_flags():
    help_text = _module("plan").build_parser().format_help()
    assert "--json " in help_text and "<bool>" not in help_text and "--json JSON" not in help_text
    res = invoke(["plan", "add an index on users email", "--schema", SCHEMA, "--dry-run",
                  "--json", "true"])
    assert res.exit_code == 2 and "unrecognized arguments: true" in res.stderr
    res = invoke(["plan", "add an index on users email", "--schema", SCHEMA, "--dry-run",
                  "--json"])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["dialect"] == "postgres"


@pytest.mark.parametrize("alias,dialect", [("postgresql", "postgres"), ("PG", "postgres"),
                                           ("mariadb", "mysql"), ("sqlite3", "sqlite")])
def test_dialect_aliases(alias, dialect):
    schema = {"postgres": SCHEMA, "mysql": str(ROOT / "examples" / "schema_mysql.sql"),
              "sqlite": str(SQLITE_SCHEMA)}[dialect]
    res = invoke(["plan", "add an index on users email", "--schema", schema, "--dialect", alias,
                  "--dry-run", "--json"])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["dialect"] == dialect


def test_unknown_dialect_lists_the_valid_names():
    res = invoke(["plan", "add an index on users email", "--schema", SCHEMA, "--dialect",
                  "oracle", "--dry-run"])
    assert res.exit_code == 2
    assert len(res.stderr.strip().splitlines()) == 1
    for name in ("postgres", "mysql", "sqlite", "mariadb", "postgresql"):
        assert name in res.stderr


def test_unknown_command_suggests_the_closest():
    res = invoke(["pln"])
    assert res.exit_code == 2 and "did you mean 'plan'" in res.stderr


def _plan_dialect(schema, *extra):
    res = invoke(["plan", "add an index on users email", "--schema", str(schema), "--dry-run",
                  "--json", *extra])
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)["dialect"], res


def test_dialect_is_taken_from_the_schema(tmp_path):
    # the SQLite example reads as PostgreSQL too; its name says what it is for
    assert _plan_dialect(SQLITE_SCHEMA)[0] == "sqlite"
    # syntax only one database accepts, whatever the file is called
    mysql = tmp_path / "schema.sql"
    mysql.write_text((ROOT / "examples" / "schema_mysql.sql").read_text())
    assert _plan_dialect(mysql)[0] == "mysql"
    sqlite_text = tmp_path / "db.sql"
    sqlite_text.write_text("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "email TEXT NOT NULL);\n")
    assert _plan_dialect(sqlite_text)[0] == "sqlite"
    # a SQLite database file is read through its catalog
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.executescript("CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);")
    assert _plan_dialect(db)[0] == "sqlite"


def test_no_sign_of_a_dialect_is_said_out_loud(tmp_path):
    plain = tmp_path / "schema.sql"
    plain.write_text("CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\n")
    res = invoke(["plan", "add an index on users email", "--schema", str(plain), "--dry-run"])
    assert res.exit_code == 0, res.stderr
    assert "note: no --dialect given" in res.stdout and "planning for PostgreSQL" in res.stdout
