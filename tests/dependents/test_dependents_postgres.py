"""Dependents of a change on PostgreSQL, on a committed fixture that has one of each kind:
views over views, a materialized view with an index and a view over it, a trigger with UPDATE
OF, WHEN and a function reading NEW/OLD, a policy, a check, DESC / expression / collation /
opclass / INCLUDE / partial indexes, a generated column, and a partitioned table (two levels)
whose one partition already has the foreign key the plans add. Every plan is applied up, down
and up again on a real server (main plan and maintenance-window alternative)."""

from __future__ import annotations

import pytest

from migsmith.tools.errors import SpecError
from dependents_helpers import handled, plan_and_verify, problems, sql_of

FIXTURE = "postgres_dependents.sql"


def test_rename_of_a_column_read_by_everything(tmp_path, pg_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "rename_column", "table": "accounts",
                                              "column": "email", "new_name": "email_address"}],
                                   tmp_path / "p", pg_server_url)
    assert report.ok, problems(report)
    sql = sql_of(plan)
    # views keep their output columns; copied indexes keep every feature
    assert "CREATE OR REPLACE VIEW \"account_emails\" AS SELECT a.id, a.email_address AS email" \
        in sql
    assert "(lower(email_address))" in sql
    assert '"email_address" "text_pattern_ops") INCLUDE ("display_name")' in sql
    assert 'WHERE display_name IS NOT NULL' in sql
    assert '"email_address" COLLATE "C"' in sql
    assert '("tenant_id", "email_address" DESC NULLS LAST)' in sql  # a DESC key stays DESC
    assert "CREATE OR REPLACE FUNCTION note_email_change()" in sql and "NEW.\"email_address\"" in sql
    found = handled(plan)
    assert "re-pointed at email_address before the deploy" in found[("view", "account_emails")][0]
    assert "swapped in at the contract step" in found[("materialized_view", "email_domains")][0]
    assert found[("view", "big_domains")][1] == [len(plan.steps)]  # re-created at the contract
    assert found[("trigger", "accounts_email_audit")][1][-1] == len(plan.steps)
    assert ("policy", "accounts_scored") in found and ("index", "accounts_email_lower_idx") in found
    switch = found[("view", "account_emails")][1][0]
    assert plan.steps[switch - 1].phase == "switch"  # before the deploy, after the backfill


def test_type_change_under_views_a_matview_and_a_desc_index(tmp_path, pg_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "alter_column_type", "table": "accounts",
                                              "column": "tenant_id", "new_type": "bigint"}],
                                   tmp_path / "p", pg_server_url)
    assert report.ok, problems(report)
    swap = next(s for s in plan.steps if s.title.startswith("swap"))
    body = swap.up_sql[swap.up_sql.index("DROP TRIGGER"):]
    assert body.index('DROP VIEW IF EXISTS "account_emails"') < body.index("RENAME COLUMN") \
        < body.index('CREATE VIEW "account_emails"')
    assert "COMMENT ON VIEW account_emails" in body  # what the schema said about the view
    assert '("tenant_id_new", "issued_on" DESC, "created_at" DESC NULLS LAST, "id")' in \
        sql_of(plan)
    found = handled(plan)
    assert "built anew after the swap" in found[("materialized_view", "email_domains")][0]
    assert "ALTER TABLE" in sql_of(plan, alternative=True)
    assert 'DROP VIEW IF EXISTS "tenant_emails"' in sql_of(plan, alternative=True)


def test_dropping_a_generated_column_brings_it_back_generated(tmp_path, pg_server_url):
    # found by the schema corpus (Temporal's visibility schema): the down's ADD COLUMN ...
    # GENERATED was a statement its template did not declare, so the plan was never written
    plan, report = plan_and_verify(FIXTURE, [{"op": "drop_column", "table": "accounts",
                                              "column": "display_upper"}],
                                   tmp_path / "p", pg_server_url, allow_data_loss=True)
    assert report.ok, problems(report)
    assert 'ADD COLUMN "display_upper" text GENERATED ALWAYS AS' in sql_of(plan)


def test_type_change_read_by_a_policy_and_a_check(tmp_path, pg_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "alter_column_type", "table": "accounts",
                                              "column": "score", "new_type": "bigint"}],
                                   tmp_path / "p", pg_server_url)
    assert report.ok, problems(report)
    assert ("policy", "accounts_scored") in handled(plan)
    assert ("view", "account_scores") in handled(plan)


def test_index_on_a_partitioned_table(tmp_path, pg_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "add_index", "table": "events",
                                              "columns": ["account_id", "occurred_at"],
                                              "name": "events_account_idx"}],
                                   tmp_path / "p", pg_server_url)
    assert report.ok, problems(report)
    leaves = ["events_2024", "events_2025", "events_2026_click", "events_2026_other"]
    for leaf in leaves:
        assert any(f'ON "{leaf}"' in s.up_sql and "CONCURRENTLY" in s.up_sql and
                   not s.transactional for s in plan.steps), leaf
    first, last = plan.steps[0], plan.steps[-1]
    assert 'ON ONLY "events"' in first.up_sql and 'ON ONLY "events_2026"' in first.up_sql
    assert last.up_sql.count("ATTACH PARTITION") == 5 and last.transactional
    # attaching blocks no writes; the attached indexes are undone by dropping the parent's
    assert {lk.mode for lk in last.expected_locks} == {"ShareUpdateExclusiveLock"}
    assert 'DROP INDEX IF EXISTS "events_account_idx"' in last.down_sql
    assert {d.name for d in plan.dependents if d.kind == "partition"} == set(leaves)


def test_foreign_key_on_a_partitioned_table_keeps_the_partitions_own(tmp_path, pg_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "add_foreign_key", "table": "events",
                                              "columns": ["account_id"], "ref_table": "accounts",
                                              "ref_columns": ["id"],
                                              "name": "events_account_fkey"}],
                                   tmp_path / "p", pg_server_url)
    assert report.ok, problems(report)  # the round trip would notice a lost partition key
    assert "NOT VALID" in sql_of(plan) and 'ALTER TABLE "events_2025"' in sql_of(plan)
    for steps in (plan.steps, plan.alternative.steps):
        downs = "\n".join(s.down_sql for s in steps)
        assert 'ADD CONSTRAINT "events_2024_account_fkey"' in downs
    assert any(d.name == "events_2024" and "already has this key" in d.handling
               for d in plan.alternative.dependents)


def test_adding_a_column_to_a_partitioned_table_predicts_the_partitions_locks(tmp_path,
                                                                              pg_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "add_column", "table": "events", "column": {
        "name": "note", "type": "text", "nullable": False, "default": "''"}}],
        tmp_path / "p", pg_server_url)
    assert report.ok, problems(report)
    assert {lk.table for lk in plan.steps[0].expected_locks} >= {"events", "events_2026_click"}


@pytest.mark.parametrize("op, said", [
    ({"op": "rename_column", "table": "accounts", "column": "display_name",
      "new_name": "shown_name"}, "generated column accounts.display_upper computes from"),
    ({"op": "drop_column", "table": "accounts", "column": "email"},
     "view account_emails reads accounts.email: dropping the column would break it"),
])
def test_what_cannot_move_online_is_refused_with_the_reason(op, said):
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import ChangeSpec
    from dependents_helpers import FIXTURES

    spec = ChangeSpec.model_validate({"name": "t", "operations": [op],
                                      "options": {"allow_data_loss": True}})
    with pytest.raises(SpecError) as info:
        build_plan(spec, load_schema(str(FIXTURES / FIXTURE)))
    assert said in info.value.message and info.value.hint
