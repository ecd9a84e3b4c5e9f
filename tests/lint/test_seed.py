"""The seed document's migrations: its mistakes must be flagged, by migsmith and by squawk."""

import textwrap
from pathlib import Path

import pytest

from migsmith.tools.lint import lint_sql
from migsmith.tools.lint.parsing import parse_postgres
from migsmith.tools.lint.peer_map import SQUAWK_TO_MIGSMITH
from migsmith.tools.lint.squawk import find_squawk, run_squawk, statement_index_for_line

FIXTURES = Path(__file__).parent / "fixtures"
SEED_DOC = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "database-migration-skill.md"
SEED_FILES = sorted(p.name for p in FIXTURES.glob("seed_*.sql"))

# (fixture, line of the statement, migsmith rule, squawk rule or None when squawk has no such rule)
SEED_MISTAKES = [
    ("seed_add_user_avatar_column.sql", 13, "ban-concurrently-in-transaction",
     "ban-concurrent-index-creation-in-transaction"),
    ("seed_add_user_avatar_column.sql", 17, "check-missing-not-valid", "constraint-missing-not-valid"),
    ("seed_add_user_avatar_column.sql", 9, "require-lock-timeout", "require-lock-timeout"),
    ("seed_add_user_avatar_column.sql", 31, "require-concurrent-index-deletion",
     "require-concurrent-index-deletion"),
    ("seed_add_email_verified.sql", 11, "ban-concurrently-in-transaction",
     "ban-concurrent-index-creation-in-transaction"),
    ("seed_add_email_verified.sql", 16, "unbatched-data-change", None),
    ("seed_add_email_verified.sql", 25, "require-concurrent-index-deletion",
     "require-concurrent-index-deletion"),
    ("seed_add_created_at.sql", 13, "set-not-null-without-check", "adding-not-nullable-field"),
    ("seed_add_created_at.sql", 8, "unbatched-data-change", None),
    ("seed_add_created_at.sql", 5, "prefer-timestamptz", "prefer-timestamp-tz"),
    ("seed_remove_created.sql", 4, "ban-drop-column", "ban-drop-column"),
    ("seed_rename_created.sql", 2, "renaming-column", "renaming-column"),
]


def _read(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def _sql_blocks(markdown: str) -> list[str]:
    blocks, current = [], None
    for line in markdown.split("\n"):
        if current is None and line.strip() == "```sql":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append(textwrap.dedent("\n".join(current)) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_fixtures_match_the_seed_document():
    if not SEED_DOC.is_file():
        pytest.skip(f"seed document not found at {SEED_DOC}")
    blocks = _sql_blocks(SEED_DOC.read_text(encoding="utf-8"))
    for name in SEED_FILES:
        assert _read(name) in blocks, f"{name} no longer matches a SQL block of the seed document"


@pytest.mark.parametrize("fixture, line, rule, _squawk", SEED_MISTAKES)
def test_migsmith_flags_the_seed_mistakes(fixture, line, rule, _squawk):
    found = {(f.line, f.rule_id) for f in lint_sql(_read(fixture), filename=fixture)}
    assert (line, rule) in found


@pytest.mark.parametrize("fixture, line, rule, squawk_rule",
                         [m for m in SEED_MISTAKES if m[3] is not None])
def test_squawk_flags_the_same_statement(fixture, line, rule, squawk_rule):
    if find_squawk() is None:
        pytest.skip("squawk binary not installed (pip install squawk-cli)")
    assert rule in SQUAWK_TO_MIGSMITH[squawk_rule]  # the mapping agrees these are one mistake
    statements = parse_postgres(_read(fixture)).statements
    target = next(s.index for s in statements if s.line == line)
    hits = {statement_index_for_line(statements, r["line"])
            for r in run_squawk(FIXTURES / fixture, pg_version=14) if r["rule"] == squawk_rule}
    assert target in hits


def test_cli_flags_the_concurrent_index_inside_begin_commit():
    from cli_run import invoke

    path = str(FIXTURES / "seed_add_user_avatar_column.sql")
    result = invoke(["lint", "--format", "github", path])
    assert result.exit_code == 1
    assert f"::error file={path},line=13,col=1,title=ban-concurrently-in-transaction::" in result.stdout


def test_the_seed_document_s_safe_index_example_is_clean_of_index_rules():
    found = {f.rule_id for f in lint_sql(_read("seed_add_users_email_index.sql"))}
    assert not found & {"ban-concurrently-in-transaction", "require-concurrent-index-creation",
                        "require-concurrent-index-deletion", "require-lock-timeout"}
