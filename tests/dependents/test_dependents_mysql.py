"""Views over a renamed and a retyped column on MariaDB: the views keep answering at every
point of the round trip (verify queries each one), with their output columns unchanged."""

from __future__ import annotations

import pytest

from dependents_helpers import handled, plan_and_verify, problems, sql_of

FIXTURE = "mysql_dependents.sql"
MARIADB = {"target_version": "mariadb-10.11"}


def test_rename_of_a_column_read_by_views(tmp_path, mariadb_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "rename_column", "table": "customers",
                                              "column": "email", "new_name": "email_address"}],
                                   tmp_path / "p", mariadb_server_url, "mysql", **MARIADB)
    assert report.ok, problems(report)
    sql = sql_of(plan)
    assert "CREATE OR REPLACE VIEW `customer_emails` AS SELECT c.id AS id, c.email_address AS " \
           "email" in sql
    assert "GROUP BY c.email_address" in sql
    found = handled(plan)
    assert plan.steps[found[("view", "customer_totals")][1][0] - 1].phase == "switch"
    assert "unchanged" in found[("view", "big_spenders")][0]
    alt = sql_of(plan, alternative=True)
    assert alt.index("DROP VIEW IF EXISTS `customer_emails`") < alt.index("RENAME COLUMN")


def test_type_change_of_a_column_read_by_views(tmp_path, mariadb_server_url):
    plan, report = plan_and_verify(FIXTURE, [{"op": "alter_column_type", "table": "customers",
                                              "column": "points", "new_type": "bigint"}],
                                   tmp_path / "p", mariadb_server_url, "mysql", **MARIADB)
    assert report.ok, problems(report)
    assert "resolves" in handled(plan)[("view", "customer_totals")][0]


def test_verify_finds_a_view_the_rename_left_broken(tmp_path, mariadb_server_url):
    """The trial's fault: without the view step, verification passed and the view broke."""
    import re

    from migsmith.tools.proving.verify import verify_plan_dir
    from dependents_helpers import FIXTURES

    plan, _ = plan_and_verify(FIXTURE, [{"op": "rename_column", "table": "customers",
                                         "column": "email", "new_name": "email_address"}],
                              tmp_path / "p", mariadb_server_url, "mysql", **MARIADB)
    step = next(s for s in plan.steps if s.phase == "switch")
    path = tmp_path / "p" / step.up_file
    path.write_text(re.sub(r"CREATE OR REPLACE VIEW `customer_emails`[^;]*;", "",
                           path.read_text()))
    report = verify_plan_dir(tmp_path / "p", str(FIXTURES / FIXTURE),
                             server_url=mariadb_server_url, rows=50, write=False)
    assert any("view customer_emails no longer answers" in p for p in report.plan.diff), \
        problems(report)


@pytest.mark.parametrize("body", ["SET NEW.display_name = NEW.email"])
def test_a_trigger_body_reading_the_column_is_refused(tmp_path, body):
    from migsmith.tools.errors import SpecError
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import ChangeSpec
    from dependents_helpers import FIXTURES

    ddl = (FIXTURES / FIXTURE).read_text() + (
        f"\nCREATE TRIGGER customers_name BEFORE INSERT ON customers FOR EACH ROW {body};\n")
    spec = ChangeSpec.model_validate({"name": "t", "operations": [{
        "op": "rename_column", "table": "customers", "column": "email",
        "new_name": "email_address"}], "options": {"dialect": "mysql", **MARIADB}})
    with pytest.raises(SpecError) as info:
        build_plan(spec, load_ddl(ddl, "mysql"))
    assert "trigger customers_name" in info.value.message and info.value.hint
