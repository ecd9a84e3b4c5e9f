"""Scripted model turns for the stand-in: what a good model does for each recorded request."""

from __future__ import annotations

import json
from pathlib import Path

from agent_stand_in import text, tool_use

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
