from pathlib import Path

import pytest

from migsmith.tools.lint import lint_sql

RULE = "do-loop-without-commit"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


def test_flags_the_seed_documents_backfill():
    assert len(fired((FIXTURES / "seed_backfill_batches.sql").read_text())) == 1


@pytest.mark.parametrize("sql", [
    "DO $$ BEGIN LOOP UPDATE t SET a = 1 WHERE id IN (SELECT id FROM t WHERE a IS NULL LIMIT 10);"
    " EXIT WHEN NOT FOUND; END LOOP; END $$;",
    "DO $$ DECLARE i int; BEGIN FOR i IN 1..10 LOOP DELETE FROM t WHERE id = i; END LOOP; END $$;",
    "DO $$ BEGIN WHILE true LOOP EXECUTE 'UPDATE t SET a = 1'; EXIT; END LOOP; END $$;",
])
def test_flags_loops_that_write_without_commit(sql):
    assert len(fired(sql)) == 1


@pytest.mark.parametrize("sql", [
    "DO $$ BEGIN LOOP UPDATE t SET a = 1 WHERE id < 10; COMMIT; EXIT; END LOOP; END $$;",
    "DO $$ BEGIN UPDATE t SET a = 1 WHERE id = 1; END $$;",  # no loop
    "DO $$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP RAISE NOTICE 'x'; END LOOP; END $$;",
    "DO LANGUAGE sql $$ SELECT 1 $$;",
])
def test_allows_committing_or_read_only_loops(sql):
    assert fired(sql) == []


def test_migsmith_backfills_commit_per_batch():
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec.changespec import parse_spec

    root = Path(__file__).resolve().parents[3]
    plan = build_plan(parse_spec({"operations": [{"op": "backfill", "table": "users",
                                                  "column": "name", "expression": "email"}],
                                  "options": {"allow_data_loss": True}}),
                      load_schema(str(root / "examples" / "schema.sql")))
    assert fired(plan.steps[0].up_sql) == []
