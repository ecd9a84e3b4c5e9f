"""Every generated plan, applied to a real PostgreSQL: up, down, up again, schema identical.

Covers every spec in evals/specs/ and one realistic spec per operation kind (all 18), and shows
that verification catches hand-broken plans (a down that leaves an index behind, a down that
drops a column the up did not add, an up that touches data it should not, a statement that
locks harder than predicted).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from migsmith.tools.spec.changespec import OPERATION_KINDS
from migsmith.tools.proving.verify import verify_plan_dir

sys.path.insert(0, str(Path(__file__).resolve().parent / "verify"))
from verify_helpers import OP_SPECS, SCHEMA, make_plan_dir, step_file  # noqa: E402

pytestmark = pytest.mark.postgres

SPEC_DIR = Path(__file__).resolve().parent.parent / "evals" / "specs"


def _postgres_specs() -> list[Path]:
    import json

    return [p for p in sorted(SPEC_DIR.glob("*.json"))
            if json.loads(p.read_text()).get("options", {}).get("dialect", "postgres")
            == "postgres"]


SPECS = _postgres_specs()


def _verify(plan_dir: Path, server: str, **kw):
    kw.setdefault("rows", 200)  # enough to exercise batches and checks; the CLI default is 1000
    # the session server is thrown away after the run: databases made ahead may stay behind
    return verify_plan_dir(plan_dir, str(SCHEMA), server_url=server, spare_databases=2, **kw)


def _problems(report) -> str:
    runs = [r for r in (report.plan, report.alternative) if r is not None]
    return "\n".join(f"{r.label}: {p}" for r in runs for p in r.problems())


def test_every_operation_kind_has_a_spec():
    assert set(OP_SPECS) == set(OPERATION_KINDS)


@pytest.mark.parametrize("spec", SPECS, ids=[p.stem for p in SPECS])
def test_eval_spec_plans_verify(spec, tmp_path, pg_server_url):
    plan_dir = make_plan_dir(spec, tmp_path / "plan")
    report = _verify(plan_dir, pg_server_url, rows=1000)
    assert report.ok, _problems(report)
    ups = [s for s in report.plan.steps if s["direction"] == "up"]
    downs = [s for s in report.plan.steps if s["direction"] == "down"]
    assert len(ups) == 2 * len(downs) > 0  # up, down, up again: every step every time
    # the result is recorded in the plan directory
    text = (plan_dir / "PLAN.md").read_text()
    assert "## Verification" in text
    assert '"ok": true' in (plan_dir / "plan.json").read_text()


@pytest.mark.parametrize("kind", sorted(OP_SPECS))
def test_operation_kind_plans_verify(kind, tmp_path, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS[kind], tmp_path / "plan")
    report = _verify(plan_dir, pg_server_url, write=False)
    assert report.ok, _problems(report)


# Variants that found bugs (in the recipes or in verify itself), kept as regressions.
VARIANTS: dict[str, dict] = {
    "drop_not_null_column": {"operations": [{"op": "drop_column", "table": "users",
                                             "column": "email"}],
                             "options": {"allow_data_loss": True}},
    "drop_primary_key": {"operations": [{"op": "drop_constraint", "table": "comments",
                                         "name": "comments_pkey"}]},
    "foreign_key_without_declared_parent": {"operations": [{
        "op": "add_foreign_key", "table": "comments", "columns": ["author_id"],
        "ref_table": "users", "ref_columns": ["id"], "on_delete": "set null"}]},
    "new_table_with_everything": {"operations": [
        {"op": "create_table", "table": "tags", "columns": [
            {"name": "id", "type": "bigint", "nullable": False, "primary_key": True},
            {"name": "post_id", "type": "bigint", "nullable": False},
            {"name": "name", "type": "text"}]},
        {"op": "add_index", "table": "tags", "columns": ["name"]},
        {"op": "add_foreign_key", "table": "tags", "columns": ["post_id"],
         "ref_table": "posts", "ref_columns": ["id"]},
        {"op": "add_unique_constraint", "table": "tags", "columns": ["post_id", "name"]},
        {"op": "set_not_null", "table": "tags", "column": "name"},
        {"op": "rename_column", "table": "tags", "column": "name", "new_name": "label"}]},
    "column_with_unique_backfill_and_not_null": {"operations": [
        {"op": "add_column", "table": "posts", "column": {"name": "slug", "type": "text"}},
        {"op": "backfill", "table": "posts", "column": "slug", "expression": "'p-' || id"},
        {"op": "set_not_null", "table": "posts", "column": "slug"},
        {"op": "add_unique_constraint", "table": "posts", "columns": ["slug"]}]},
    "rename_referenced_table": {"operations": [{"op": "rename_table", "table": "users",
                                                "new_name": "accounts"}]},
    "type_change_with_using": {"operations": [{"op": "alter_column_type", "table": "posts",
                                               "column": "status", "new_type": "integer",
                                               "using": "length(status)"}],
                               "options": {"allow_data_loss": True}},
    "rename_foreign_key_column": {"operations": [{"op": "rename_column", "table": "posts",
                                                  "column": "user_id",
                                                  "new_name": "author_id"}]},
    "type_change_of_foreign_key_column": {"operations": [{
        "op": "alter_column_type", "table": "posts", "column": "user_id",
        "new_type": "integer"}], "options": {"allow_data_loss": True}},
    # An online rename ends where a plain rename would: checks, unique constraints and indexes
    # copied onto the new column get their original names back in the contract step.
    "rename_column_with_check": {"operations": [
        {"op": "add_check_constraint", "table": "posts", "expression": "views >= 0",
         "name": "posts_views_nonneg"},
        {"op": "rename_column", "table": "posts", "column": "views", "new_name": "view_count"}]},
    "rename_column_with_unique_constraint": {"operations": [
        {"op": "add_unique_constraint", "table": "users", "columns": ["email"],
         "name": "users_email_key"},
        {"op": "rename_column", "table": "users", "column": "email",
         "new_name": "email_address"}]},
    # The compatibility view lists the columns of the renamed table as they were, so a column
    # added later is not captured by a view re-created on the way down.
    "rename_table_then_add_column": {"operations": [
        {"op": "rename_table", "table": "comments", "new_name": "notes"},
        {"op": "add_column", "table": "notes", "column": {
            "name": "edited", "type": "boolean", "nullable": False, "default": "false"}}]},
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_plans_verify(name, tmp_path, pg_server_url):
    plan_dir = make_plan_dir(VARIANTS[name], tmp_path / "plan")
    report = _verify(plan_dir, pg_server_url, write=False)
    assert report.ok, _problems(report)


# Bugs verify finds in the recipes that are not fixed yet (handed to the core engineer).
# strict: once a recipe is fixed the test fails, so the entry moves up into VARIANTS.
KNOWN_BROKEN: dict[str, tuple[dict, str, str]] = {
    "drop_unique_not_null_column": ({"operations": [
        {"op": "add_unique_constraint", "table": "users", "columns": ["email"],
         "name": "users_email_key"},
        {"op": "drop_column", "table": "users", "column": "email"}],
        "options": {"allow_data_loss": True}},
        "the down re-creates the column with one placeholder value, then the unique "
        "constraint cannot come back",
        'could not create unique index "users_email_key"'),
}


@pytest.mark.parametrize("name", sorted(KNOWN_BROKEN))
def test_known_broken_recipes_still_fail(name, tmp_path, pg_server_url):
    spec, why, symptom = KNOWN_BROKEN[name]
    plan_dir = make_plan_dir(spec, tmp_path / "plan")
    report = _verify(plan_dir, pg_server_url, write=False)
    if report.ok:
        pytest.fail(f"{name} verifies now ({why}: fixed?): move it into VARIANTS")
    assert symptom in _problems(report), why


def test_refusing_plan_fails_on_data_that_breaks_it(tmp_path, pg_server_url):
    """NOT NULL on a column that holds NULLs: the validate step's precondition stops it. (The
    sample rows keep the request's premise, no NULL there: the NULLs come in with step 1.)"""
    plan_dir = make_plan_dir({"operations": [{"op": "set_not_null", "table": "users",
                                              "column": "name"}]}, tmp_path / "p")
    up = step_file(plan_dir, 1, "up")
    up.write_text("UPDATE users SET name = NULL WHERE id % 3 = 0;\n" + up.read_text())
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert "some rows of users have name NULL: backfill them before validating" in \
        report.plan.errors[0]


def test_observed_locks_are_reported_per_statement(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(SPEC_DIR / "doc_add_email_verified.json", tmp_path / "p")
    data = _verify(plan_dir, pg_server_url).to_dict()
    concurrently = [s["observed"] for s in data["statements"]
                    if "CREATE INDEX CONCURRENTLY" in s["statement"]]
    assert concurrently == [["users: ShareUpdateExclusiveLock"]]
    step1 = [o for s in data["statements"] if s["step"] == 1 for o in s["observed"]]
    assert step1 == ["users: AccessExclusiveLock"]  # taken once, by the first statement
    assert all(s["expected"] for s in data["statements"])
    # per statement, the lock predicted for that statement: like with like
    assert [lk for s in data["statements"] if "CREATE INDEX CONCURRENTLY" in s["statement"]
            for lk in s["locks"]] == [{"table": "users", "observed": "ShareUpdateExclusiveLock",
                                       "predicted": "ShareUpdateExclusiveLock"}]
    md = (plan_dir / "PLAN.md").read_text()
    row = next(line for line in md.splitlines() if line.startswith("| 3 | `CREATE INDEX CONCURRENTLY"))
    assert row.endswith("| users | ShareUpdateExclusiveLock | ShareUpdateExclusiveLock | as predicted |")


def test_renamed_column_carries_its_data(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS["rename_column"], tmp_path / "p")
    # break the backfill: copy a different column into the new one
    up = step_file(plan_dir, 2, "up")
    up.write_text(up.read_text().replace('SET "full_name" = "name"', 'SET "full_name" = "email"'))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert "renamed column users.full_name does not hold the data of users.name" in \
        _problems(report)


# ----------------------------------------------------------------------------- broken plans
def test_down_that_leaves_an_index_behind_fails(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS["add_index"], tmp_path / "p")
    down = step_file(plan_dir, 1, "down")
    text = down.read_text()
    assert "DROP INDEX CONCURRENTLY" in text
    down.write_text(re.sub(r"DROP INDEX CONCURRENTLY[^;]*;", "SELECT 1;", text))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert ("after up + down, the schema differs from the start: posts: index "
            "posts_user_created_idx: exists after the down steps, not at the start "
            "(left behind)") in report.plan.diff


def test_down_that_drops_a_column_the_up_did_not_add_fails(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS["add_column"], tmp_path / "p")
    down = step_file(plan_dir, 1, "down")
    down.write_text(down.read_text().replace(
        "COMMIT;", 'ALTER TABLE "users" DROP COLUMN "legacy_avatar";\nCOMMIT;'))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert ("after up + down, the schema differs from the start: users: column legacy_avatar: "
            "exists at the start, missing after the down steps") in report.plan.diff
    assert "after up + down: column users.legacy_avatar is missing" in report.plan.data


def test_up_that_changes_untouched_data_fails(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS["add_column"], tmp_path / "p")
    up = step_file(plan_dir, 1, "up")
    up.write_text(up.read_text().replace("COMMIT;", "UPDATE \"users\" SET \"name\" = 'x';\nCOMMIT;"))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert "after up: data of users.name changed, but the plan does not change it" in \
        report.plan.data


def test_statement_locking_harder_than_predicted_fails(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(OP_SPECS["add_check_constraint"], tmp_path / "p")
    up = step_file(plan_dir, 2, "up")  # VALIDATE: predicted ShareUpdateExclusiveLock
    text = up.read_text()
    validate = re.search(r"ALTER TABLE \"posts\" VALIDATE CONSTRAINT [^;]*;", text).group(0)
    up.write_text(text.replace(validate, f'BEGIN;\nLOCK TABLE "posts" IN SHARE MODE;\n'
                                         f'{validate}\nCOMMIT;'))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert any("takes ShareLock on posts; the plan predicted ShareUpdateExclusiveLock" in p
               for p in report.plan.locks), report.plan.locks


def test_plain_create_index_outside_a_transaction_is_caught(tmp_path, pg_server_url):
    """The seed document's mistake, the other way round: a non-concurrent build in a step
    that promises only SHARE UPDATE EXCLUSIVE (observed from a second session)."""
    plan_dir = make_plan_dir(OP_SPECS["add_index"], tmp_path / "p")
    up = step_file(plan_dir, 1, "up")
    up.write_text(up.read_text().replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX"))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert any("takes ShareLock on posts" in p for p in report.plan.locks), report.plan.locks


def test_type_change_that_converts_values_wrongly_fails(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(VARIANTS["type_change_with_using"], tmp_path / "p")
    up = step_file(plan_dir, 2, "up")  # the backfill into the new-typed column
    text = up.read_text()
    assert "CAST((length(status)) AS integer)" in text
    up.write_text(text.replace("CAST((length(status)) AS integer)",
                               "CAST((length(status) + 1) AS integer)"))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok
    assert ("after up: posts.status does not hold its old values converted to the new type "
            "(CAST((length(status)) AS integer))") in report.plan.data


def test_up_that_round_trips_but_misses_the_spec_fails(tmp_path, pg_server_url):
    """Up and down agree with each other, but the index is not the one asked for."""
    plan_dir = make_plan_dir(OP_SPECS["add_index"], tmp_path / "p")
    up = step_file(plan_dir, 1, "up")
    up.write_text(up.read_text().replace('("user_id", "created")', '("user_id")'))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert not report.ok and report.plan.errors == []
    prefix = "after up, the schema is not what the spec asks for: posts: "
    assert prefix + "no btree index on (user_id, created)" in report.plan.diff
    assert prefix + "btree index on (user_id) exists, the spec does not ask for it" in \
        report.plan.diff


def test_broken_alternative_fails_too(tmp_path, pg_server_url):
    plan_dir = make_plan_dir(SPEC_DIR / "doc_rename_created.json", tmp_path / "p")
    down = step_file(plan_dir, 1, "down", alternative=True)
    down.write_text(down.read_text().replace("COMMIT;", 'CREATE INDEX "extra_idx" ON "posts" '
                                                        '("title");\nCOMMIT;'))
    report = _verify(plan_dir, pg_server_url, write=False)
    assert report.plan.ok and not report.alternative.ok and not report.ok
    assert any("extra_idx" in d for d in report.alternative.diff)
