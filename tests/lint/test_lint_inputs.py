"""`migsmith lint` never looks clean when it is not: a broken file is a finding, a missing path a
usage error, a directory is walked; in every format. Run as a user runs it (a child process
through the console entry point, without typer)."""

import json
import subprocess
import sys

import pytest

FORMATS = ["text", "json", "github", "sarif"]


def lint(*args, cwd=None, input=None):
    return subprocess.run([sys.executable, "-m", "migsmith", "lint", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, input=input, timeout=60)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "migrations" / "2024_01").mkdir(parents=True)
    (tmp_path / "migrations" / "001_ok.sql").write_text("SELECT 1;\n")
    (tmp_path / "migrations" / "2024_01" / "002_broken.sql").write_text(
        "CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN;\n")
    (tmp_path / "migrations" / "notes.md").write_text("not SQL")
    (tmp_path / "migrations" / ".hidden").mkdir()
    (tmp_path / "migrations" / ".hidden" / "x.sql").write_text("SELEC 1;")
    return tmp_path


def _syntax_errors(fmt, out):
    """(file, line, column) of each syntax-error finding in the output of one format."""
    if fmt == "text":
        return [tuple(l.split(": ")[0].rsplit(":", 2)) for l in out.splitlines()
                if "error[syntax-error]" in l]
    if fmt == "json":
        return [(f["file"], str(f["line"]), str(f["column"])) for f in json.loads(out)
                if f["rule_id"] == "syntax-error"]
    if fmt == "github":
        found = []
        for l in out.splitlines():
            if "title=syntax-error" in l:
                props = dict(p.split("=", 1) for p in l.split("::")[1].removeprefix("error ").split(","))
                found.append((props["file"], props["line"], props["col"]))
        return found
    run = json.loads(out)["runs"][0]
    return [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             str(r["locations"][0]["physicalLocation"]["region"]["startLine"]),
             str(r["locations"][0]["physicalLocation"]["region"]["startColumn"]))
            for r in run["results"] if r["ruleId"] == "syntax-error"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_broken_file_is_a_finding_in_every_format(tree, fmt):
    done = lint("--format", fmt, "migrations/2024_01/002_broken.sql", cwd=tree)
    assert done.returncode == 1, done.stderr
    assert _syntax_errors(fmt, done.stdout) == [("migrations/2024_01/002_broken.sql", "2", "25")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_path_is_a_usage_error_in_every_format(tree, fmt):
    done = lint("--format", fmt, "migrations/001_ok.sql", "migrations/nope.sql", cwd=tree)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == "error: migrations/nope.sql: no such file or directory"


@pytest.mark.parametrize("fmt", FORMATS)
def test_directory_is_walked_for_sql_files(tree, fmt):
    done = lint("--format", fmt, "migrations", cwd=tree)
    assert done.returncode == 1, done.stderr
    # the broken file below a subfolder is found; the hidden folder and notes.md are not read
    assert _syntax_errors(fmt, done.stdout) == [("migrations/2024_01/002_broken.sql", "2", "25")]
    if fmt == "text":
        assert done.stdout.rstrip().endswith("1 error, 0 warnings in 2 files")


def test_text_shows_a_code_frame(tree):
    out = lint("migrations/2024_01/002_broken.sql", cwd=tree).stdout
    assert "    1 | CREATE TABLE t (id bigint);\n  > 2 | ALTER TABLE t ADD COLUMN;\n" \
           "      |                         ^\n" in out


def test_directory_without_sql_is_a_usage_error(tmp_path):
    (tmp_path / "README").write_text("nothing here")
    done = lint(tmp_path)
    assert done.returncode == 2 and "no .sql files" in done.stderr and done.stdout == ""


def test_unreadable_bytes_are_a_finding(tmp_path):
    (tmp_path / "latin1.sql").write_bytes(b"SELECT 1;\n-- caf\xe9\n")
    done = lint("--format", "json", tmp_path / "latin1.sql")
    (finding,) = json.loads(done.stdout)
    assert done.returncode == 1
    assert (finding["rule_id"], finding["line"], finding["column"]) == ("syntax-error", 2, 7)
    assert "not UTF-8" in finding["message"]


def test_bad_directive_is_a_finding(tmp_path):
    (tmp_path / "a.sql").write_text("-- migsmith:disable ban-drop-tabel\nDROP TABLE t;\n")
    done = lint("--format", "json", tmp_path / "a.sql")
    (finding,) = json.loads(done.stdout)
    assert done.returncode == 1 and finding["rule_id"] == "invalid-directive" and finding["line"] == 1
    assert "did you mean 'ban-drop-table'" in finding["message"]


def test_stdin_syntax_error(tmp_path):
    done = lint("--format", "github", "-", input="SELEC 1;")
    assert done.returncode == 1
    assert done.stdout.startswith("::error line=1,col=1,title=syntax-error::syntax error")


def test_sarif_log_shape(tree):
    (tree / "migrations" / "003_drop.sql").write_text("DROP TABLE t;\n")
    done = lint("--format", "sarif", "migrations", cwd=tree)
    log = json.loads(done.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "migsmith"
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for result in run["results"]:
        # every result points at its rule's descriptor and carries a level code scanning knows
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning") and result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert {r["ruleId"] for r in run["results"]} >= {"syntax-error", "ban-drop-table"}
    assert all(r["help"]["markdown"] and r["defaultConfiguration"]["level"] for r in rules)


def test_clean_sarif_is_a_valid_empty_run(tree):
    log = json.loads(lint("--format", "sarif", "migrations/001_ok.sql", cwd=tree).stdout)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_help_and_usage_errors():
    done = lint("--help")
    assert done.returncode == 0 and "examples:" in done.stdout and "--assume-in-transaction" in done.stdout
    done = lint("--format", "xml", "x.sql")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    done = lint()
    assert done.returncode == 2 and "give at least one PATH" in done.stderr


def test_worker_processes_give_the_same_findings_in_the_same_order(tmp_path):
    from migsmith.tools.lint.engine import lint_paths

    for n in range(12):
        (tmp_path / f"{n:03}.sql").write_text(
            "DROP TABLE t%d;\nCREATE INDEX i ON u (c);\n" % n if n % 3 else "SELEC %d;\n" % n)
    one, files = lint_paths([tmp_path], jobs=1)
    two, _ = lint_paths([tmp_path], jobs=2)
    assert files == 12 and one == two and len(one) > 12
    assert [f.file for f in one] == sorted(f.file for f in one)
