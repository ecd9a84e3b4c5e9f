"""`migsmith lint` run in-process through the real command line (tests/lint/test_lint_inputs.py
runs it as a child process, as a user does)."""

import json

import pytest

from cli_run import invoke

BAD = "BEGIN;\nCREATE INDEX CONCURRENTLY idx ON users (email);\nCOMMIT;\n"
CLEAN = "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx ON users (email);\n"


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in {"bad.sql": BAD, "clean.sql": CLEAN, "broken.sql": "SELECT 1;\nSELEC 2;\n"}.items():
        (tmp_path / name).write_text(text)
        paths[name] = str(tmp_path / name)
    return paths


def run(*args, input=None):
    return invoke(["lint", *args], input=input or "")


def test_clean_file_exits_0(files):
    result = run(files["clean.sql"])
    assert result.exit_code == 0, result.output
    assert "no findings" in result.stdout


def test_findings_exit_1_with_text_report(files):
    result = run(files["bad.sql"])
    assert result.exit_code == 1
    assert f"{files['bad.sql']}:2:1: error[ban-concurrently-in-transaction]" in result.stdout
    assert "why:" in result.stdout and "safe rewrite:" in result.stdout


def test_json_format(files):
    result = run("--format", "json", files["bad.sql"])
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {d["rule_id"] for d in data} >= {"ban-concurrently-in-transaction"}
    assert all(d["file"] == files["bad.sql"] for d in data)


def test_github_format(files):
    result = run("--format", "github", "--rule", "ban-concurrently-in-transaction", files["bad.sql"])
    assert result.stdout.strip() == (
        f"::error file={files['bad.sql']},line=2,col=1,title=ban-concurrently-in-transaction::"
        "CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and it is inside the "
        "transaction opened on line 1")


def test_parse_error_is_a_finding_and_exit_1(files):
    result = run(files["broken.sql"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{files['broken.sql']}:2:1: error[syntax-error] syntax error at or near \"SELEC\"")
    assert "  > 2 | SELEC 2;" in result.stdout and result.stderr == ""


def test_stdin(files):
    result = run("--rule", "ban-drop-table", "-", input="DROP TABLE t;\n")
    assert result.exit_code == 1 and "<stdin>:1:1: error[ban-drop-table]" in result.stdout


def test_options_reach_the_linter(files):
    # the runner's transaction makes a lone CONCURRENTLY statement fail
    result = run("--assume-in-transaction", "--rule", "ban-concurrently-in-transaction", files["clean.sql"])
    assert result.exit_code == 1
    result = run("--pg-version", "10", "--rule", "adding-volatile-default", "-",
                 input="ALTER TABLE t ADD COLUMN c int DEFAULT 0;")
    assert result.exit_code == 1
    result = run("--exclude", "ban-concurrently-in-transaction,require-lock-timeout",
                 "--exclude", "require-statement-timeout", files["bad.sql"])
    assert "ban-concurrently-in-transaction" not in result.stdout


def test_mysql_dialect(files):
    result = run("--dialect", "mysql", "-", input="ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT;")
    assert result.exit_code == 0, result.output
    result = run("--dialect", "mysql", "-", input="ALTER TABLE t DROP COLUMN c;")
    assert result.exit_code == 1 and "ban-drop-column" in result.stdout


@pytest.mark.parametrize("args", [
    ["--rule", "ban-drop-colum", "x.sql"],
    ["--dialect", "oracle", "x.sql"],
    ["--format", "xml", "x.sql"],
    [],
])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_unknown_rule_suggests_the_closest(files):
    result = run("--rule", "ban-drop-colum", files["bad.sql"])
    assert "ban-drop-column" in result.output


def test_missing_file_is_a_usage_error(files):
    result = run(files["clean.sql"], "/nonexistent.sql")
    assert result.exit_code == 2 and "/nonexistent.sql: no such file" in result.stderr
    assert result.stdout == ""  # nothing linted, nothing reported as clean


def test_list_rules():
    result = run("--list-rules")
    assert result.exit_code == 0 and "require-concurrent-index-creation" in result.stdout
