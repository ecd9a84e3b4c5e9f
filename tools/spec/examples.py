"""One example ChangeSpec per operation kind, written against examples/schema.sql.

They are what `migsmith spec-schema` shows beside the JSON schema (so an assistant writing a
spec sees each operation filled in), and the specs the recorded Anthropic cassettes submit,
one per kind. tests/core/test_spec_examples.py checks each parses and applies to the schema.
"""

from __future__ import annotations

EXAMPLES: dict[str, dict] = {
    "create_table": {"description": "Tags for posts", "operations": [
        {"op": "create_table", "table": "tags", "columns": [
            {"name": "id", "type": "bigint", "nullable": False, "primary_key": True},
            {"name": "name", "type": "text", "nullable": False},
            {"name": "created_at", "type": "timestamptz", "nullable": False, "default": "now()"}]}]},
    "drop_table": {"operations": [{"op": "drop_table", "table": "comments"}],
                   "options": {"allow_data_loss": True}},
    "rename_table": {"operations": [{"op": "rename_table", "table": "orgs",
                                     "new_name": "organizations"}]},
    "add_column": {"description": "Track whether a user confirmed their email", "operations": [
        {"op": "add_column", "table": "users", "column": {
            "name": "email_verified", "type": "boolean", "nullable": False, "default": "false"}}]},
    "drop_column": {"operations": [{"op": "drop_column", "table": "users",
                                    "column": "legacy_avatar"}],
                    "options": {"allow_data_loss": True}},
    "rename_column": {"operations": [{"op": "rename_column", "table": "posts", "column": "created",
                                      "new_name": "created_at"}]},
    "alter_column_type": {"operations": [{"op": "alter_column_type", "table": "posts",
                                          "column": "views", "new_type": "bigint"}]},
    "set_not_null": {"operations": [{"op": "set_not_null", "table": "users", "column": "name"}]},
    "drop_not_null": {"operations": [{"op": "drop_not_null", "table": "posts", "column": "title"}]},
    "set_default": {"operations": [{"op": "set_default", "table": "posts", "column": "status",
                                    "default": "'draft'"}]},
    "drop_default": {"operations": [{"op": "drop_default", "table": "posts", "column": "views"}]},
    "add_index": {"description": "Users are looked up by email", "operations": [
        {"op": "add_index", "table": "users", "columns": ["email"], "unique": True}]},
    "drop_index": {"operations": [{"op": "drop_index", "name": "posts_created_idx",
                                   "table": "posts"}]},
    "add_foreign_key": {"operations": [{"op": "add_foreign_key", "table": "comments",
                                        "columns": ["post_id"], "ref_table": "posts",
                                        "ref_columns": ["id"], "on_delete": "cascade"}]},
    "add_check_constraint": {"operations": [{"op": "add_check_constraint", "table": "posts",
                                             "expression": "views >= 0",
                                             "name": "posts_views_nonnegative"}]},
    "add_unique_constraint": {"operations": [{"op": "add_unique_constraint", "table": "orgs",
                                              "columns": ["name"]}]},
    "drop_constraint": {"operations": [{"op": "drop_constraint", "table": "users",
                                        "name": "users_org_id_fkey"}]},
    "backfill": {"description": "Existing users without a name get 'anonymous'", "operations": [
        {"op": "backfill", "table": "users", "column": "name", "expression": "'anonymous'",
         "where": "name IS NULL"}], "options": {"batch_size": 5000}},
}
