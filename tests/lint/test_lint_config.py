"""Settings from [tool.migsmith.lint] / .migsmith.toml, and the command line over them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.tools.errors import UsageError
from migsmith.tools.lint import config

INDEX = "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx ON t (c);\n"


def lint(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "migsmith", "lint", "--format", "json", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=60)
    return done.returncode, (json.loads(done.stdout) if done.stdout.strip() else None), done.stderr


@pytest.fixture
def project(tmp_path):
    (tmp_path / "db" / "legacy").mkdir(parents=True)
    (tmp_path / "db" / "001_index.sql").write_text(INDEX)
    (tmp_path / "db" / "002_types.sql").write_text("CREATE TABLE IF NOT EXISTS u (id bigint, name varchar(20));\n")
    (tmp_path / "db" / "legacy" / "000_old.sql").write_text("DROP TABLE old;\n")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.migsmith.lint]\npg-version = 15\nassume-in-transaction = true\n'
        'exclude = ["prefer-text"]\nexclude-paths = ["db/legacy"]\n')
    return tmp_path


def test_pyproject_settings_apply(project):
    code, findings, _ = lint(".", cwd=project / "db")  # found from a subfolder upwards
    ids = {(Path(f["file"]).name, f["rule_id"]) for f in findings}
    assert code == 1
    assert ("001_index.sql", "ban-concurrently-in-transaction") in ids  # assume-in-transaction
    assert not any(r == "prefer-text" for _, r in ids)  # excluded rule
    assert not any(f == "000_old.sql" for f, _ in ids)  # excluded path


def test_command_line_replaces_the_configured_value(project):
    code, findings, _ = lint("--no-assume-in-transaction", "--exclude", "require-lock-timeout",
                             "--exclude-path", "nothing", "db", cwd=project)
    ids = {(Path(f["file"]).name, f["rule_id"]) for f in findings}
    assert ("001_index.sql", "ban-concurrently-in-transaction") not in ids
    assert ("002_types.sql", "prefer-text") in ids  # --exclude replaced the configured list
    assert ("000_old.sql", "ban-drop-table") in ids  # --exclude-path replaced exclude-paths


def test_a_named_file_is_linted_even_when_excluded(project):
    code, findings, _ = lint("db/legacy/000_old.sql", cwd=project)
    assert "ban-drop-table" in {f["rule_id"] for f in findings}


def test_migsmith_toml_wins_and_no_config_ignores_it(project):
    (project / ".migsmith.toml").write_text('[lint]\nrules = ["prefer-text"]\n')
    _, findings, _ = lint("db", cwd=project)
    assert {f["rule_id"] for f in findings} == {"prefer-text"}
    code, findings, _ = lint("--no-config", "--rule", "ban-drop-table", "db", cwd=project)
    assert {f["rule_id"] for f in findings} == {"ban-drop-table"}


@pytest.mark.parametrize("table, message", [
    ('pg-verison = 15', "unknown lint setting 'pg-verison' (did you mean 'pg-version'?)"),
    ('pg-version = "15"', "pg-version must be a PostgreSQL major version number"),
    ('rules = ["ban-drop-tabel"]', "unknown rule id 'ban-drop-tabel' in rules in"),
    ('assume-in-transaction = 1', "assume-in-transaction must be true or false"),
])
def test_bad_settings_are_usage_errors(tmp_path, table, message):
    (tmp_path / ".migsmith.toml").write_text(f"[lint]\n{table}\n")
    (tmp_path / "a.sql").write_text("SELECT 1;\n")
    code, out, err = lint("a.sql", cwd=tmp_path)
    assert code == 2 and out is None and message in err and len(err.strip().splitlines()) == 1


def test_find_skips_a_pyproject_without_the_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "sub").mkdir()
    assert config.find(tmp_path / "sub") is None or config.find(tmp_path / "sub").parent != tmp_path


def test_invalid_toml_is_a_usage_error(tmp_path):
    (tmp_path / ".migsmith.toml").write_text("[lint\n")
    with pytest.raises(UsageError, match="not valid TOML"):
        config.find(tmp_path)
