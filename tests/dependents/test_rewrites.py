"""Finding what reads a column, and following a rename into it, resolved by the databases'
own parsers (pure: no server)."""

from __future__ import annotations

import pytest

from migsmith.tools.dialects.postgres import rewrite
from migsmith.tools.dialects.sqlglot_views import rename_in_view_query
from migsmith.tools.errors import SpecError
from migsmith.tools.planning.dependents import column_uses, row_references
from migsmith.tools.schema import load_ddl

from dependents_helpers import FIXTURES

DDL = """
CREATE TABLE users (id int PRIMARY KEY, name text, team_id int);
CREATE TABLE teams (id int PRIMARY KEY, name text);
"""


@pytest.fixture(scope="module")
def schema():
    return load_ddl(DDL, "postgres")


@pytest.mark.parametrize("query, expected", [
    ("SELECT u.id, u.name FROM users u", "SELECT u.id, u.login AS name FROM users AS u"),
    ("SELECT name FROM users", "SELECT login AS name FROM users"),
    # only users' name is renamed; teams.name stays
    ("SELECT u.name, t.name AS team FROM users u JOIN teams t ON t.id = u.team_id",
     "SELECT u.login AS name, t.name AS team FROM users AS u INNER JOIN teams AS t ON "
     "t.id = u.team_id"),
    # correlated subquery: the outer alias resolves to users
    ("SELECT t.id, (SELECT max(u.name) FROM users u WHERE u.team_id = t.id) AS top FROM teams t",
     "SELECT t.id, (SELECT max(u.login) FROM users AS u WHERE u.team_id = t.id) AS top "
     "FROM teams AS t"),
    # a CTE named users hides the table
    ("WITH users AS (SELECT 1 AS name) SELECT name FROM users",
     "WITH users AS (SELECT 1 AS name) SELECT name FROM users"),
])
def test_view_queries_follow_the_rename_by_scope(schema, query, expected):
    assert rewrite.rename_in_query(schema, query, "users", "name", "login", "view v") == expected


@pytest.mark.parametrize("query, why", [
    ("SELECT * FROM users", "reads * from the table"),
    ("SELECT u.* FROM users u", "reads u.* from the table"),
    ("SELECT name FROM users JOIN teams USING (name)", "USING names the column"),
    ("SELECT name FROM users, (SELECT 1 AS x) s", "may belong to another relation"),
])
def test_what_cannot_be_resolved_is_refused(schema, query, why):
    with pytest.raises(SpecError) as info:
        rewrite.rename_in_query(schema, query, "users", "name", "login", "view v")
    assert why in info.value.message


def test_triggers_and_function_bodies_follow_the_rename():
    trigger = ("CREATE TRIGGER t AFTER UPDATE OF name ON users FOR EACH ROW "
               "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION f()")
    both = rewrite.rename_in_trigger(trigger, "name", "login", keep_old=True)
    assert "UPDATE OF name, login" in both and "old.name IS DISTINCT FROM new.name" in both
    final = rewrite.rename_in_trigger(trigger, "name", "login")
    assert "UPDATE OF login" in final and "old.login IS DISTINCT FROM new.login" in final
    fn = ("CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "IF NEW.name <> OLD.\"name\" THEN RAISE NOTICE 'NEW.name'; END IF; RETURN NEW; END $$")
    out = rewrite.rename_in_function(fn, "name", "login")
    assert 'NEW."login" <> OLD."login"' in out and "'NEW.name'" in out  # not inside strings
    assert out.startswith("CREATE OR REPLACE FUNCTION")
    assert row_references("SET NEW.title = 'new.title'; -- old.title", "title", "mysql") == \
        [(8, 13)]


def test_sqlglot_views_keep_their_output_names():
    schema = load_ddl("CREATE TABLE film (id INT PRIMARY KEY, title TEXT);\n"
                      "CREATE TABLE actor (id INT PRIMARY KEY, title TEXT);", "mysql")
    out = rename_in_view_query(schema, "SELECT f.title, a.title AS actor FROM film f JOIN actor a "
                               "ON a.id = f.id", "film", "title", "name", "mysql", "view v")
    assert out == ("SELECT f.name AS title, a.title AS actor FROM film AS f JOIN actor AS a ON "
                   "a.id = f.id")
    create = rename_in_view_query(schema, "CREATE VIEW v AS SELECT title FROM film", "film",
                                  "title", "name", "sqlite", "view v")
    assert create == "CREATE VIEW v AS SELECT film.name AS title FROM film AS film"


def test_every_kind_of_dependent_is_found():
    schema = load_ddl((FIXTURES / "postgres_dependents.sql").read_text(), "postgres")
    found = {(u.kind, u.name): u.parts for u in column_uses(schema, "accounts", "email")}
    assert found[("view", "account_emails")] == ("query",)
    assert found[("view", "tenant_emails")] == ("view account_emails",)
    assert found[("materialized_view", "email_domains")] == ("query",)
    assert found[("trigger", "accounts_email_audit")] == (
        "UPDATE OF", "WHEN", "function note_email_change")
    assert found[("index", "accounts_email_lower_idx")] == ("expression",)
    assert found[("policy", "accounts_scored")] == ("USING",)
    assert ("generated_column", "display_upper") in {
        (u.kind, u.name) for u in column_uses(schema, "accounts", "display_name")}
    assert found[("index", "accounts_email_pattern_idx")] == ("key",)
    assert ("index", "accounts_email_pattern_idx") in {
        (u.kind, u.name) for u in column_uses(schema, "accounts", "display_name")}  # WHERE
