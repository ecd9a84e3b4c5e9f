"""Building plan directories for verification tests, and one realistic ChangeSpec per
operation kind against examples/schema.sql."""

from __future__ import annotations

import json
from pathlib import Path

from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_schema
from migsmith.tools.spec.changespec import parse_spec
from migsmith.tools.planning.writer import write_plan

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "examples" / "schema.sql"


def make_plan_dir(spec: dict | Path, out: Path, schema: Path = SCHEMA) -> Path:
    text = spec.read_text() if isinstance(spec, Path) else json.dumps(spec)
    plan = build_plan(parse_spec(text), load_schema(str(schema)))
    write_plan(plan, out)
    return out


def step_file(plan_dir: Path, number: int, direction: str, alternative: bool = False) -> Path:
    plan = json.loads((plan_dir / "plan.json").read_text())
    steps = plan["alternative"]["steps"] if alternative else plan["steps"]
    step = next(s for s in steps if s["number"] == number)
    return plan_dir / step[f"{direction}_file"]


OP_SPECS: dict[str, dict] = {
    "create_table": {"operations": [{
        "op": "create_table", "table": "audit_log", "columns": [
            {"name": "id", "type": "bigint", "nullable": False, "primary_key": True},
            {"name": "user_id", "type": "bigint"},
            {"name": "action", "type": "text", "nullable": False},
            {"name": "created_at", "type": "timestamptz", "nullable": False,
             "default": "now()"}]}]},
    "drop_table": {"operations": [{"op": "drop_table", "table": "comments"}],
                   "options": {"allow_data_loss": True}},
    "rename_table": {"operations": [{"op": "rename_table", "table": "comments",
                                     "new_name": "post_comments"}]},
    "add_column": {"operations": [{"op": "add_column", "table": "users", "column": {
        "name": "last_login_at", "type": "timestamptz"}}]},
    "drop_column": {"operations": [{"op": "drop_column", "table": "users",
                                    "column": "legacy_avatar"}],
                    "options": {"allow_data_loss": True}},
    "rename_column": {"operations": [{"op": "rename_column", "table": "users",
                                      "column": "name", "new_name": "full_name"}]},
    "alter_column_type": {"operations": [{"op": "alter_column_type", "table": "posts",
                                          "column": "views", "new_type": "bigint"}]},
    "set_not_null": {"operations": [
        {"op": "backfill", "table": "users", "column": "name", "expression": "'unknown'",
         "where": "name IS NULL"},
        {"op": "set_not_null", "table": "users", "column": "name"}]},
    "drop_not_null": {"operations": [{"op": "drop_not_null", "table": "posts",
                                      "column": "title"}]},
    "set_default": {"operations": [{"op": "set_default", "table": "posts", "column": "status",
                                    "default": "'draft'"}]},
    "drop_default": {"operations": [{"op": "drop_default", "table": "posts",
                                     "column": "views"}]},
    "add_index": {"operations": [{"op": "add_index", "table": "posts",
                                  "columns": ["user_id", "created"],
                                  "name": "posts_user_created_idx"}]},
    "drop_index": {"operations": [{"op": "drop_index", "name": "posts_created_idx"}]},
    "add_foreign_key": {"operations": [{"op": "add_foreign_key", "table": "comments",
                                        "columns": ["post_id"], "ref_table": "posts",
                                        "ref_columns": ["id"],
                                        "name": "comments_post_id_fkey",
                                        "on_delete": "cascade"}]},
    "add_check_constraint": {"operations": [{"op": "add_check_constraint", "table": "posts",
                                             "expression": "views >= 0",
                                             "name": "posts_views_nonnegative"}]},
    "add_unique_constraint": {"operations": [{"op": "add_unique_constraint", "table": "users",
                                              "columns": ["email"],
                                              "name": "users_email_key"}]},
    "drop_constraint": {"operations": [{"op": "drop_constraint", "table": "posts",
                                        "name": "posts_user_id_fkey"}]},
    "backfill": {"operations": [{"op": "backfill", "table": "posts", "column": "status",
                                 "expression": "'published'", "where": "status IS NULL"}],
                 "options": {"batch_size": 60, "batch_pause_ms": 0}},  # several batches
}
