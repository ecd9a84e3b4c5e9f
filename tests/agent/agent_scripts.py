"""Scripted model turns for the stand-in: what a good model does for each recorded request."""

from __future__ import annotations

import json
from pathlib import Path

from agent_stand_in import text, tool_use

from migsmith.tools.spec.examples import EXAMPLES

SPECS = Path(__file__).resolve().parents[2] / "evals" / "specs"


def doc_spec(name: str) -> dict:
    return json.loads((SPECS / f"{name}.json").read_text())


def look_then_submit(table: str, spec: dict, remark: str) -> list:
    return [
        [text(remark), tool_use("toolu_look_1", "list_tables", {}),
         tool_use("toolu_look_2", "describe_table", {"table": table})],
        [tool_use("toolu_submit_1", "submit_change_spec", spec)],
    ]


RECORDED = {
    "doc_add_email_verified": (
        "I need to add an email_verified column to users",
        look_then_submit("users", doc_spec("doc_add_email_verified"),
                         "I'll check the users table first.")),
    "doc_rename_created": (
        "Rename 'created' column to 'created_at' in posts table",
        look_then_submit("posts", doc_spec("doc_rename_created"),
                         "Let me look at posts before renaming.")),
    "doc_users_email_index": (
        "Users query by email is slow, we need an index",
        look_then_submit("users", doc_spec("doc_users_email_index"),
                         "Checking the existing indexes on users.")),
    "repair_not_null_without_default": (
        "add a required nickname column to users",
        [
            [tool_use("toolu_look_1", "list_tables", {}),
             tool_use("toolu_look_2", "describe_table", {"table": "users"})],
            [tool_use("toolu_submit_1", "submit_change_spec", {"operations": [
                {"op": "add_column", "table": "users",
                 "column": {"name": "nickname", "type": "text", "nullable": False}}]})],
            [text("users has rows, so the NOT NULL column needs a default."),
             tool_use("toolu_submit_2", "submit_change_spec", {"operations": [
                 {"op": "add_column", "table": "users",
                  "column": {"name": "nickname", "type": "text", "nullable": False,
                             "default": "''"}}]})],
        ]),
}


# One cassette per operation kind: the words a user would type (what the real model reads when
# re-recording with a key) and, for the stand-in, the example spec of that kind.
OP_REQUESTS = {
    "create_table": "create a tags table: id bigint primary key, name text not null, "
                    "created_at timestamptz not null default now()",
    "drop_table": "drop the comments table",
    "rename_table": "rename the orgs table to organizations",
    "add_column": "add a boolean email_verified to users, not null, default false",
    "drop_column": "drop the column users.legacy_avatar",
    "rename_column": "rename posts.created to created_at",
    "alter_column_type": "change posts.views to bigint",
    "set_not_null": "make users.name not null",
    "drop_not_null": "allow nulls in posts.title",
    "set_default": "posts.status should default to 'draft'",
    "drop_default": "drop the default of posts.views",
    "add_index": "add a unique index on users.email",
    "drop_index": "drop the index posts_created_idx",
    "add_foreign_key": "comments.post_id should reference posts(id) on delete cascade",
    "add_check_constraint": "add a check constraint posts_views_nonnegative on posts: views >= 0",
    "add_unique_constraint": "add a unique constraint on orgs.name",
    "drop_constraint": "drop the constraint users_org_id_fkey",
    "backfill": "set users.name to 'anonymous' where it is null, in batches of 5000",
}


def _table(spec: dict) -> str:
    return spec["operations"][0].get("table") or "posts"


RECORDED.update({
    f"op_{kind}": (request, look_then_submit(_table(EXAMPLES[kind]), EXAMPLES[kind],
                                             f"Looking at {_table(EXAMPLES[kind])} first."))
    for kind, request in OP_REQUESTS.items()})
