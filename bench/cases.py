"""The benchmark cases: one spec for migsmith, and the naive SQL a developer would run instead.

The naive side is what the request turns into without migsmith: the seed document's SQL where
it has some (with CONCURRENTLY dropped where it sat inside BEGIN/COMMIT, since that cannot run),
otherwise the plain statement, with no lock_timeout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "evals" / "specs"


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    spec: dict
    naive: list[str]  # naive migration, one entry per deploy step
    new_names: dict[str, str] = field(default_factory=dict)  # what new code calls things
    long_reader: str | None = None  # table a 10 s reader holds while the migration waits
    chart: bool = False
    rewrites: bool = False  # the naive side rewrites every row (stall target: 1/50 of naive)
    backfill: bool = False  # migsmith's plan has a batched backfill (the 10M-row cases)


def _spec(name: str) -> dict:
    return json.loads((SPECS / f"{name}.json").read_text())


CASES: list[Case] = [
    Case(
        "doc_add_email_verified", "seed doc 1: add users.email_verified, backfill, partial index",
        _spec("doc_add_email_verified"),
        ["BEGIN;\n"
         "ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;\n"
         "CREATE INDEX idx_users_email_verified ON users (email_verified) "
         "WHERE email_verified = false;\n"
         "UPDATE users SET email_verified = true WHERE email_confirmed_at IS NOT NULL;\n"
         "COMMIT;"], rewrites=True, backfill=True),
    Case(
        "doc_rename_created", "seed doc 2: rename posts.created to created_at",
        _spec("doc_rename_created"),
        ["ALTER TABLE posts RENAME COLUMN created TO created_at;"],
        new_names={"posts.created": "created_at"}, backfill=True),
    Case(
        "doc_users_email_index", "seed doc 3: index users(email)",
        _spec("doc_users_email_index"),
        ["CREATE INDEX idx_users_email ON users (email);\nANALYZE users;"]),
    Case(
        "alter_type_int_bigint", "posts.views integer -> bigint",
        {"name": "posts_views_bigint",
         "operations": [{"op": "alter_column_type", "table": "posts", "column": "views",
                         "new_type": "bigint"}]},
        ["ALTER TABLE posts ALTER COLUMN views TYPE bigint;"], chart=True, rewrites=True,
        backfill=True),
    Case(
        "set_not_null", "posts.status SET NOT NULL (populated)",
        {"name": "posts_status_not_null",
         "operations": [{"op": "set_not_null", "table": "posts", "column": "status"}]},
        ["ALTER TABLE posts ALTER COLUMN status SET NOT NULL;"]),
    Case(
        "add_foreign_key", "comments.post_id REFERENCES posts (populated)",
        {"name": "comments_post_fk",
         "operations": [{"op": "add_foreign_key", "table": "comments", "columns": ["post_id"],
                         "ref_table": "posts", "ref_columns": ["id"],
                         "name": "comments_post_id_fkey"}]},
        ["ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) "
         "REFERENCES posts (id);"]),
    Case(
        "rename_expand_contract", "rename users.created to created_at, seed doc's 3 steps vs migsmith",
        {"name": "rename_users_created",
         "operations": [{"op": "rename_column", "table": "users", "column": "created",
                         "new_name": "created_at"}]},
        # the seed document's expand/contract: one transaction that adds, copies every row and
        # constrains; deploy; drop
        ["BEGIN;\nALTER TABLE users ADD COLUMN created_at TIMESTAMP;\n"
         "UPDATE users SET created_at = created WHERE created_at IS NULL;\n"
         "ALTER TABLE users ALTER COLUMN created_at SET NOT NULL;\nCOMMIT;",
         "BEGIN;\nALTER TABLE users DROP COLUMN created;\nCOMMIT;"],
        new_names={"users.created": "created_at"}, rewrites=True, backfill=True),
    Case(
        "lock_queue", "add posts.archived_at while a 10 s reader holds posts",
        {"name": "posts_archived_at",
         "operations": [{"op": "add_column", "table": "posts",
                         "column": {"name": "archived_at", "type": "timestamptz"}}]},
        ["ALTER TABLE posts ADD COLUMN archived_at timestamptz;"],
        long_reader="posts"),
    Case(
        "lock_queue_200ms", "lock_queue with options.lock_timeout_ms = 200 (default is 500)",
        {"name": "posts_archived_at",
         "operations": [{"op": "add_column", "table": "posts",
                         "column": {"name": "archived_at", "type": "timestamptz"}}],
         "options": {"lock_timeout_ms": 200}},
        ["ALTER TABLE posts ADD COLUMN archived_at timestamptz;"],
        long_reader="posts"),
]

BY_NAME = {c.name: c for c in CASES}
