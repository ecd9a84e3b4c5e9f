"""Runner opt-outs: a file its runner runs outside a transaction is not reported for CONCURRENTLY,
even with --assume-in-transaction; a file the runner wraps is, without it."""

import pytest

from migsmith.tools.lint.engine import lint_paths, lint_text
from migsmith.tools.lint.runners import masked, sections

RULE = "ban-concurrently-in-transaction"
INDEX = "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx ON t (c);\n"


def fired(text, path=None, **kw):
    return [f for f in lint_text(text, path=path, rules={RULE}, **kw) if f.rule_id == RULE]


@pytest.mark.parametrize("text, runner", [
    ("-- +goose NO TRANSACTION\n-- +goose Up\n" + INDEX + "-- +goose Down\nDROP INDEX CONCURRENTLY idx;\n", "goose"),
    ("-- +goose Up\n-- +goose NO TRANSACTION\n" + INDEX, "goose"),
    ("-- migrate:up transaction:false\n" + INDEX + "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY idx;\n",
     "dbmate"),
    ("-- no-transaction\n" + INDEX, "sqlx"),
    ("-- postgres-migrations disable-transaction\n" + INDEX, "postgres-migrations"),
    ("-- atlas:txmode none\n\n" + INDEX, "atlas"),
    ("--! no-transaction\n" + INDEX, "graphile-migrate"),
    ("--liquibase formatted sql\n--changeset me:1 runInTransaction:false\n" + INDEX, "liquibase"),
])
def test_opt_out_in_the_file_beats_assume_in_transaction(text, runner):
    (first, *_) = sections(text)
    assert first.runner == runner and first.opted_out
    assert fired(text, assume_in_transaction=True) == []


@pytest.mark.parametrize("text, runner", [
    ("-- +goose Up\n" + INDEX, "goose"),
    ("-- migrate:up\n" + INDEX + "-- migrate:down\n", "dbmate"),
    ("-- postgres-migrations ignore\n" + INDEX, "postgres-migrations"),
    ("--liquibase formatted sql\n--changeset me:1\n" + INDEX, "liquibase"),
])
def test_a_runner_that_wraps_is_reported_without_the_option(text, runner):
    (finding,) = fired(text)
    assert f"{runner} runs this migration in a transaction" in finding.message


def test_explicit_no_assume_overrides_the_runner_default():
    assert fired("-- +goose Up\n" + INDEX, assume_in_transaction=False) == []


def test_dbmate_sections_are_separate_and_the_down_is_not_destructive():
    text = ("-- migrate:up transaction:false\n" + INDEX +
            "-- migrate:down\nDROP TABLE t;\nDROP INDEX CONCURRENTLY idx;\n")
    up, down = sections(text)
    assert (up.direction, up.opted_out, down.direction, down.in_transaction) == ("up", True, "down", True)
    assert masked(text, down).count("\n") == text.count("\n")  # line numbers are the file's
    found = lint_text(text)
    # the down runs in dbmate's transaction: its DROP INDEX CONCURRENTLY fails; dropping the table
    # the up section made is what a down is for
    assert [(f.rule_id, f.line) for f in found if f.rule_id in (RULE, "ban-drop-table")] == [(RULE, 5)]


def test_liquibase_changesets_each_have_their_own_setting():
    text = ("--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (c int);\n"
            "--changeset a:2 runInTransaction:false\n" + INDEX + "--changeset a:3\n" + INDEX)
    assert [f.line for f in fired(text)] == [7]


def _diesel(tmp_path, metadata):
    folder = tmp_path / "migrations" / "2024-03-05-120032_add_index"
    folder.mkdir(parents=True)
    (folder / "up.sql").write_text(INDEX)
    (folder / "down.sql").write_text("DROP INDEX CONCURRENTLY idx;\n")
    if metadata is not None:
        (folder / "metadata.toml").write_text(metadata)
    return folder


def test_diesel_metadata_toml(tmp_path):
    folder = _diesel(tmp_path, "run_in_transaction = false\n")
    findings, files = lint_paths([tmp_path / "migrations"], rules={RULE}, assume_in_transaction=True)
    assert files == 2 and findings == []
    (folder / "metadata.toml").write_text("run_in_transaction = true\n")
    findings, _ = lint_paths([tmp_path / "migrations"], rules={RULE})
    assert sorted(f.file.rsplit("/", 1)[1] for f in findings) == ["down.sql", "up.sql"]
    assert "run_in_transaction = false" in findings[0].message


def test_diesel_without_metadata_runs_in_a_transaction(tmp_path):
    _diesel(tmp_path, None)
    findings, _ = lint_paths([tmp_path / "migrations"], rules={RULE})
    assert len(findings) == 2


def test_flyway_script_config(tmp_path):
    (tmp_path / "V2__add_index.sql").write_text(INDEX)
    (tmp_path / "V2__add_index.sql.conf").write_text("executeInTransaction=false\n")
    (tmp_path / "V2__add_index.sql").write_text("CREATE TABLE IF NOT EXISTS u (id bigint);\n" + INDEX)
    (tmp_path / "V3__other_index.sql").write_text("CREATE TABLE IF NOT EXISTS u (id bigint);\n" + INDEX)
    findings, files = lint_paths([tmp_path], rules={RULE})
    assert files == 2 and [f.file.rsplit("/", 1)[1] for f in findings] == ["V3__other_index.sql"]


def test_migsmith_plan_files_carry_their_own_transactions(tmp_path):
    (tmp_path / "plan.json").write_text('{"steps": []}')
    (tmp_path / "001_index.up.sql").write_text(INDEX)
    findings, _ = lint_paths([tmp_path], rules={RULE}, assume_in_transaction=True)
    assert findings == []


def test_unknown_runner_follows_the_option():
    assert fired(INDEX) == []
    assert len(fired(INDEX, assume_in_transaction=True)) == 1


def test_flyway_runs_a_file_of_only_non_transactional_statements_outside_a_transaction(tmp_path):
    # marquez V47__add_lineage_event_indexes.sql is two CREATE INDEX CONCURRENTLY and nothing else
    (tmp_path / "V47__add_indexes.sql").write_text(INDEX + "CREATE INDEX CONCURRENTLY IF NOT EXISTS j ON t (d);\n")
    (tmp_path / "V48__mixed.sql").write_text("CREATE TABLE IF NOT EXISTS u (id bigint);\n" + INDEX)
    findings, _ = lint_paths([tmp_path], rules={RULE}, assume_in_transaction=True)
    assert [f.file.rsplit("/", 1)[1] for f in findings] == ["V48__mixed.sql"]


def test_sqitch_scripts_carry_their_own_transactions(tmp_path):
    (tmp_path / "sqitch.plan").write_text("%project=x\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "index.sql").write_text(INDEX)
    (tmp_path / "revert").mkdir()
    (tmp_path / "revert" / "index.sql").write_text("BEGIN;\nDROP TABLE t;\nCOMMIT;\n")
    findings, files = lint_paths([tmp_path], rules={RULE, "ban-drop-table"}, assume_in_transaction=True)
    assert files == 2 and findings == []  # revert/ is a down: dropping what deploy made is expected
