"""MySQL and SQLite through sqlglot: the dialect-neutral rules, positions and directives."""

import pytest

from migsmith.tools.errors import SQLParseError
from migsmith.tools.lint import lint_sql
from migsmith.tools.lint.facts import TableRef
from migsmith.tools.lint.parsing import parse_sqlglot


def ids(sql, dialect):
    return [(f.line, f.rule_id) for f in lint_sql(sql, dialect=dialect)]


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
@pytest.mark.parametrize("sql, bounded", [
    ("DELETE FROM events", False),
    ("UPDATE users SET a = 1 WHERE b IS NULL", False),
    ("UPDATE users SET a = 1 WHERE id BETWEEN 1 AND 1000", True),
    ("UPDATE users SET a = 1 WHERE id >= 1 AND id < 1000", True),
    ("UPDATE users SET a = 1 WHERE 1000 > id AND id >= 1", True),
    ("DELETE FROM t WHERE id IN (SELECT id FROM t WHERE x = 0 LIMIT 500)", True),
    ("DELETE FROM t WHERE id = 7", True),
    ("UPDATE t SET a = 1 WHERE t.a = t.b", False),
])
def test_data_change_reach(sql, bounded, dialect):
    (stmt,) = parse_sqlglot(sql, dialect).statements
    assert stmt.facts.data_change.bounded is bounded


def test_mysql_limit_bounds_a_batch():
    assert ids("DELETE FROM events WHERE created_at < '2020-01-01' LIMIT 1000;", "mysql") == []
    assert ids("DELETE FROM events WHERE created_at < '2020-01-01';", "mysql") == [(1, "unbatched-data-change")]


def test_mysql_migration_end_to_end():
    sql = ("CREATE TABLE audit (id BIGINT PRIMARY KEY);\n"
           "ALTER TABLE audit ADD COLUMN note TEXT;\n"  # new table: nothing to lock out
           "ALTER TABLE users ADD COLUMN nick VARCHAR(20), ALGORITHM=INSTANT;\n"
           "ALTER TABLE users RENAME COLUMN nick TO handle, ALGORITHM=INPLACE, LOCK=NONE;\n"
           "RENAME TABLE orders TO purchases;\n"
           "UPDATE users SET handle = email;\n")
    assert ids(sql, "mysql") == [(4, "renaming-column"), (5, "renaming-table"), (6, "unbatched-data-change")]


def test_sqlite_migration_end_to_end():
    sql = ("BEGIN;\nALTER TABLE users ADD COLUMN nick TEXT;\nALTER TABLE users DROP COLUMN legacy;\n"
           "ALTER TABLE posts RENAME TO articles;\nCOMMIT;\n")
    assert ids(sql, "sqlite") == [(3, "ban-drop-column"), (4, "renaming-table")]
    assert ids("BEGIN;\nDROP TABLE IF EXISTS old;", "sqlite") == [(1, "uncommitted-transaction"),
                                                                (2, "ban-drop-table")]


def test_table_names_fold_case():
    (stmt,) = parse_sqlglot("DROP TABLE Db.Users", "mysql").statements
    assert stmt.facts.dropped_tables == [TableRef("users", "db")]


def test_sqlite_comment_directive_and_no_hash_comments():
    sql = "-- migsmith:disable ban-drop-table\nDROP TABLE t;\nDROP TABLE u;"
    assert ids(sql, "sqlite") == [(3, "ban-drop-table")]


def test_tokenizer_error_is_a_parse_error():
    with pytest.raises(SQLParseError):
        lint_sql("SELECT 'unterminated", dialect="sqlite")


def test_mysql_delimiter_blocks_are_single_opaque_statements():
    sql = ("DROP PROCEDURE IF EXISTS p;\n"
           "DELIMITER $$\n"
           "CREATE PROCEDURE p()\nBEGIN\n  UPDATE t SET a = 1;\n  DELETE FROM u;\nEND $$\n"
           "DELIMITER ;\n"
           "CALL p();\n"
           "DROP TABLE t;\n")
    stmts = parse_sqlglot(sql, "mysql").statements
    assert [(s.line, s.text.split()[0]) for s in stmts] == [(1, "DROP"), (3, "CREATE"), (9, "CALL"), (10, "DROP")]
    # the procedure body is not linted statement by statement (like a PostgreSQL DO block)
    assert ids(sql, "mysql") == [(10, "ban-drop-table")]
