"""The application's triggers and a backfill, on a real PostgreSQL: a "touch updated_at"
trigger is kept from rewriting that column (only in the backfill's session), an AFTER trigger is
named, and a DO block never silently fires triggers its plan did not know of."""

from __future__ import annotations

from types import SimpleNamespace

import psycopg
import pytest
from typer.testing import CliRunner

from backfill_helpers import backfill_plan, run_sql
from migsmith.cli import app
from migsmith.tools.dialects import get_dialect
from migsmith.tools.planning import triggers

TOUCH = """
CREATE TABLE audit (item_id bigint, at timestamptz DEFAULT now());
ALTER TABLE items ADD COLUMN updated_at timestamptz NOT NULL DEFAULT '2020-01-01';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER touch_items BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION log_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit (item_id) VALUES (NEW.id); RETURN NULL; END $$;
CREATE TRIGGER log_items AFTER UPDATE OF label ON items FOR EACH ROW EXECUTE FUNCTION log_item();
CREATE TRIGGER only_a BEFORE UPDATE OF a ON items FOR EACH ROW EXECUTE FUNCTION touch();
"""


@pytest.fixture()
def touched(db):
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(TOUCH)
    return db


def _state(url):
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FILTER (WHERE label = 'v' || a), "
            "count(*) FILTER (WHERE updated_at <> '2020-01-01'), (SELECT count(*) FROM audit), "
            "(SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'zz%') FROM items").fetchone()


def test_plan_says_what_each_trigger_does():
    body = {"touch": "BEGIN NEW.updated_at := now(); RETURN NEW; END",
            "tsv": "BEGIN NEW.search := to_tsvector(NEW.label); RETURN NEW; END",
            "audit": "BEGIN INSERT INTO audit VALUES (NEW.id); RETURN NULL; END"}
    live = [triggers.RowTrigger("t_touch", "before", "touch()", body=body["touch"]),
            triggers.RowTrigger("t_tsv", "before", "tsv()", body=body["tsv"]),
            triggers.RowTrigger("t_audit", "after", "audit()", body=body["audit"]),
            triggers.RowTrigger("t_c", "before", "c_func()"),
            triggers.RowTrigger("t_other", "before", "touch()", columns=("a",), body=body["touch"]),
            triggers.RowTrigger("posts_sync_trg", "before", "sync()")]
    got = triggers.plan_triggers(live, "items", "label", ["id", "label", "search", "updated_at"],
                                 own=["posts_sync_trg"], rows=1000)
    assert got.keep == ["updated_at"]  # the touch, not the search vector derived from label
    assert got.known == ["posts_sync_trg", "t_touch", "t_tsv", "t_audit", "t_c"]  # not t_other
    text = "\n".join(got.notes)
    assert "t_touch (BEFORE UPDATE, function touch()) fires for about 1,000 rows" in text
    assert "it would set updated_at on each row; the backfill keeps it as it was" in text
    assert "it derives search from label" in text
    assert "t_audit" in text and "AFTER trigger cannot be kept" in text and "INSERT audit" in text
    assert "t_c" in text and "what it writes is not known" in text
    mysql = triggers.plan_triggers(live[:1], "items", "label", ["id", "label", "updated_at"],
                                   own=[], can_guard=False)
    assert mysql.keep == [] and "cannot keep that from happening" in mysql.notes[0]


def test_schema_model_triggers_are_read_when_the_model_has_them():
    """The schema model (issue 11) gives tables ``triggers`` and the schema ``functions``:
    planning reads them through ``triggers.from_schema``."""
    fn = SimpleNamespace(name="public.touch", body="BEGIN NEW.updated_at = now(); RETURN NEW; END")
    trig = SimpleNamespace(name="touch_items", timing="before", events=["update"], level="row",
                           function="public.touch", columns=[], enabled=True)
    stmt = SimpleNamespace(name="per_statement", timing="after", events=["update"],
                           level="statement", function="x", columns=[], enabled=True)
    got = triggers.from_schema(SimpleNamespace(functions={"public.touch()": fn}),
                               SimpleNamespace(triggers=[trig, stmt]))
    assert got == [triggers.RowTrigger("touch_items", "before", "public.touch", (),
                                       fn.body, True)]
    assert triggers.from_schema(SimpleNamespace(), SimpleNamespace()) == []  # no triggers known


def test_runner_keeps_updated_at_and_names_the_after_trigger(touched, plan_dir):
    res = CliRunner().invoke(app, ["backfill", "--db", touched, str(plan_dir)])
    assert res.exit_code == 0, res.output
    assert "trigger touch_items (BEFORE UPDATE, function touch) fires" in res.output
    assert "keeps it as it was" in res.output
    assert "trigger log_items (AFTER UPDATE" in res.output and "INSERT audit" in res.output
    assert "only_a" not in res.output  # UPDATE OF a: the backfill does not set a
    labelled, touched_rows, audited, guards = _state(touched)
    assert (labelled, touched_rows, guards) == (20_000, 0, 0)
    assert audited == 20_000  # the AFTER trigger ran, as the output said it would
    with psycopg.connect(touched, autocommit=True) as conn:  # the application's writes still touch
        conn.execute("UPDATE items SET label = 'x' WHERE id = 1")
        assert conn.execute("SELECT updated_at > '2020-01-01' FROM items WHERE id = 1").fetchone()[0]


def test_runner_lets_triggers_fire_when_told(touched, plan_dir):
    res = CliRunner().invoke(app, ["backfill", "--db", touched, str(plan_dir), "--triggers", "fire"])
    assert res.exit_code == 0, res.output
    assert "migsmith cannot keep that from happening" in res.output
    assert _state(touched)[:2] == (20_000, 20_000)


def test_do_block_stops_on_triggers_its_plan_does_not_know(touched):
    step = backfill_plan().steps[0]
    with pytest.raises(psycopg.errors.RaiseException) as exc:
        run_sql(touched, step.up_sql)
    assert "row triggers this plan does not know of: log_items (after UPDATE" in str(exc.value)
    assert "touch_items (before UPDATE, function touch)" in str(exc.value)
    assert _state(touched)[0] == 0  # stopped before the first batch
    run_sql(touched, "SET migsmith.backfill_triggers = 'fire';\n" + step.up_sql)
    assert _state(touched)[:2] == (20_000, 20_000)


def test_do_block_guard_keeps_the_columns_its_plan_names(touched):
    """A plan whose schema knew the triggers (keep_columns): the step file adds the guard,
    backfills, and drops the guard again."""
    bf = backfill_plan(batch_ms=50).steps[0].backfill.model_copy(update={
        "known_triggers": ["touch_items", "log_items"], "keep_columns": ["updated_at"]})
    pg = get_dialect("postgres", "15")
    sql = pg.render_action(pg.backfill_action(bf))
    assert "CREATE OR REPLACE TRIGGER \"zz_items_label_migsmith_keep\"" in sql
    run_sql(touched, sql)
    assert _state(touched) == (20_000, 0, 20_000, 0)
