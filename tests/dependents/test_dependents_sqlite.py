"""SQLite: a native rename carries views and triggers along; a table rebuild (a type change)
drops the views that read the table and the triggers of other tables that name it, and
re-creates them with the table's own triggers, generated columns, ON UPDATE actions and
expression indexes, inside its transaction."""

from __future__ import annotations

from dependents_helpers import handled, plan_and_verify, problems, sql_of

FIXTURE = "sqlite_dependents.sql"


def test_rebuild_recreates_views_and_triggers(tmp_path):
    plan, report = plan_and_verify(FIXTURE, [{"op": "alter_column_type", "table": "members",
                                              "column": "points", "new_type": "bigint"}],
                                   tmp_path / "p", None, "sqlite")
    assert report.ok, problems(report)
    up = plan.steps[0].up_sql
    assert up.index('DROP TRIGGER IF EXISTS "visits_ai"') < up.index('DROP TABLE "members"')
    assert up.index('DROP VIEW IF EXISTS "top_members"') < \
        up.index('DROP VIEW IF EXISTS "member_points"')
    assert "GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL" in up
    assert "CREATE INDEX members_email_lower_idx ON members (lower(email))" in up
    found = handled(plan)
    assert {("view", "member_points"), ("view", "top_members"), ("trigger", "members_au"),
            ("trigger", "visits_ai")} <= set(found)


def test_native_rename_keeps_the_views_output_columns(tmp_path):
    """SQLite's RENAME COLUMN rewrites a view that selects the column bare so that its output
    takes the new name too, which breaks top_members (it reads member_points.points): the
    plan re-creates member_points with its output name kept, and top_members unchanged."""
    plan, report = plan_and_verify(FIXTURE, [{"op": "rename_column", "table": "members",
                                              "column": "points", "new_name": "score"}],
                                   tmp_path / "p", None, "sqlite")
    assert report.ok, problems(report)
    assert "m.score AS points" in sql_of(plan)
    found = handled(plan)
    assert "output columns unchanged" in found[("view", "member_points")][0]
    assert "rewrites it" in found[("trigger", "members_au")][0]
