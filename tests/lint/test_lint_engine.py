"""Engine behaviour: parsing, positions, directives, options, files."""

import dataclasses
import json

import pytest

from migsmith.tools.errors import MigsmithError, SQLParseError
from migsmith.tools.lint import DirectiveError, Finding, lint_files, lint_sql
from migsmith.tools.lint.parsing import LineIndex, parse_postgres, parse_sqlglot


# --- parse errors ------------------------------------------------------------------------------

def test_parse_error_carries_file_line_and_column():
    sql = "SELECT 1;\n-- héllo wörld\nALTER TABLE users ADD COLUMNN x int;\n"
    with pytest.raises(SQLParseError) as exc:
        lint_sql(sql, filename="m.sql")
    err = exc.value
    assert (err.file, err.line, err.column) == ("m.sql", 3, 33)  # at "int", counted in characters
    assert str(err).startswith("m.sql:3:33: syntax error at or near")


def test_parse_error_at_end_of_input():
    with pytest.raises(SQLParseError) as exc:
        lint_sql("ALTER TABLE t\nADD COLUMN\n\n")
    assert (exc.value.line, exc.value.column) == (2, 11)


def test_mysql_tokenizer_error_has_a_position():
    with pytest.raises(SQLParseError) as exc:
        lint_sql("SELECT 1;\nSELECT 'unterminated;", dialect="mysql", filename="m.sql")
    assert exc.value.file == "m.sql" and exc.value.line == 1  # the region that fails to tokenize


def test_statements_sqlglot_cannot_parse_are_kept_opaque():
    # valid MySQL/MariaDB that sqlglot does not parse: kept as raw commands, positions intact
    sql = "DEALLOCATE PREPARE s;\nDO SLEEP(0.1);\nDROP TABLE t;"
    stmts = parse_sqlglot(sql, "mysql").statements
    assert [(s.line, s.kind) for s in stmts] == [(1, "Command"), (2, "Command"), (3, "Drop")]


# --- positions ---------------------------------------------------------------------------------

def test_statement_positions_skip_leading_comments_and_whitespace():
    sql = "-- intro\n/* block\ncomment */  CREATE INDEX i ON t (a);\n\n\tDROP INDEX j -- trailing\n"
    stmts = parse_postgres(sql).statements
    assert [(s.line, s.column, s.text) for s in stmts] == [
        (3, 13, "CREATE INDEX i ON t (a)"),
        (5, 2, "DROP INDEX j"),
    ]


def test_positions_count_characters_not_bytes():
    sql = "SELECT 'ééé';  DROP TABLE t;"
    (f,) = lint_sql(sql, rules={"ban-drop-table"})
    assert (f.line, f.column) == (1, 16)


def test_sqlglot_statement_positions():
    sql = "# mysql comment\nALTER TABLE t ADD COLUMN c INT;\n  DROP TABLE u;"
    stmts = parse_sqlglot(sql, "mysql").statements
    assert [(s.line, s.column) for s in stmts] == [(2, 1), (3, 3)]
    assert stmts[1].text == "DROP TABLE u"


def test_line_index():
    idx = LineIndex("ab\ncd\n")
    assert idx.position(0) == (1, 1) and idx.position(3) == (2, 1) and idx.position(99) == (3, 1)


def test_empty_and_comment_only_files_are_clean():
    assert lint_sql("") == [] and lint_sql("-- nothing\n/* at all */\n") == []
    assert lint_sql("", dialect="mysql") == []


def test_findings_come_in_file_order():
    sql = "DROP TABLE b;\nALTER TABLE a DROP COLUMN c;\nDROP TABLE a;"
    lines = [f.line for f in lint_sql(sql)]
    assert lines == sorted(lines) and set(lines) == {1, 2, 3}


# --- directives --------------------------------------------------------------------------------

DROPS = "ALTER TABLE t DROP COLUMN a;\nALTER TABLE t DROP COLUMN b;\n"


def _rules(sql, **kw):
    return [(f.line, f.rule_id) for f in lint_sql(sql, rules={"ban-drop-column", "require-lock-timeout"}, **kw)]


def test_disable_applies_to_the_next_statement_only():
    sql = "-- migsmith:disable ban-drop-column\n" + DROPS
    assert ("ban-drop-column") not in {r for line, r in _rules(sql) if line == 2}
    assert (3, "ban-drop-column") in _rules(sql)
    assert (2, "require-lock-timeout") in _rules(sql)


def test_disable_several_rules_and_block_comment_form():
    sql = "/* migsmith:disable ban-drop-column, require-lock-timeout */\n" + DROPS
    assert [r for r in _rules(sql) if r[0] == 2] == []
    sql = "-- migsmith:disable ban-drop-column require-lock-timeout -- why: column unused\n" + DROPS
    assert [r for r in _rules(sql) if r[0] == 2] == []


def test_disable_file():
    sql = DROPS + "-- migsmith:disable-file ban-drop-column\n"
    assert {r for _, r in _rules(sql)} == {"require-lock-timeout"}


def test_directive_text_inside_a_string_is_not_a_directive():
    sql = "SELECT '-- migsmith:disable ban-drop-column';\n" + DROPS
    assert (2, "ban-drop-column") in _rules(sql)


def test_unknown_rule_in_directive_is_an_error_with_a_suggestion():
    with pytest.raises(DirectiveError) as exc:
        lint_sql("-- migsmith:disable ban-drop-colum\n" + DROPS, filename="m.sql")
    assert "m.sql:1:1" in str(exc.value) and "ban-drop-column" in str(exc.value)


def test_directive_without_rule_is_an_error():
    with pytest.raises(DirectiveError):
        lint_sql("-- migsmith:disable\n" + DROPS)


def test_mysql_hash_comment_directive():
    sql = "# migsmith:disable ban-drop-table\nDROP TABLE t;\nDROP TABLE u;"
    assert [f.line for f in lint_sql(sql, dialect="mysql", rules={"ban-drop-table"})] == [3]


# --- options -----------------------------------------------------------------------------------

def test_rules_and_exclude_select_rules():
    sql = "ALTER TABLE t DROP COLUMN a;"
    assert {f.rule_id for f in lint_sql(sql, rules={"ban-drop-column"})} == {"ban-drop-column"}
    assert "ban-drop-column" not in {f.rule_id for f in lint_sql(sql, exclude={"ban-drop-column"})}


def test_unknown_rule_ids_and_dialects_are_errors():
    with pytest.raises(MigsmithError, match="did you mean"):
        lint_sql("SELECT 1", rules={"ban-drop-colum"})
    with pytest.raises(MigsmithError):
        lint_sql("SELECT 1", exclude={"nope"})
    with pytest.raises(MigsmithError, match="dialect"):
        lint_sql("SELECT 1", dialect="oracle")


def test_postgres_only_rules_do_not_run_for_other_dialects():
    ids = {f.rule_id for f in lint_sql("ALTER TABLE t ADD COLUMN c INT;", dialect="sqlite")}
    assert ids == set()


# --- results -----------------------------------------------------------------------------------

def test_finding_fields_and_json():
    (f,) = lint_sql("DROP TABLE t;", rules={"ban-drop-table"}, filename="x.sql")
    assert isinstance(f, Finding)
    data = json.loads(json.dumps(dataclasses.asdict(f)))
    assert set(data) == {"rule_id", "severity", "message", "why", "safe_rewrite", "file", "line",
                         "column", "statement", "frame"}
    assert data["frame"] is None  # code frames are for syntax errors
    assert data["why"] and data["safe_rewrite"] and data["statement"] == "DROP TABLE t"


def test_lint_files_reads_files_and_stdin(tmp_path, monkeypatch):
    a = tmp_path / "a.sql"
    a.write_text("DROP TABLE t;\n")
    b = tmp_path / "b.sql"
    b.write_text("SELECT 1;\nDROP TABLE u;\n")
    found = lint_files([a, b], rules={"ban-drop-table"})
    assert [(f.file, f.line) for f in found] == [(str(a), 1), (str(b), 2)]
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO("DROP TABLE t;"))
    assert [f.file for f in lint_files(["-"], rules={"ban-drop-table"})] == ["<stdin>"]


def test_lint_files_reports_missing_files():
    with pytest.raises(MigsmithError, match="no such file"):
        lint_files(["/nonexistent/x.sql"])
