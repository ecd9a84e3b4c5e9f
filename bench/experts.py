"""What a careful engineer writes by hand for each benchmark case: the expert baseline.

Written from the published practices of three projects (read, not copied):

* strong_migrations (README, "Checks"): indexes CONCURRENTLY outside a transaction; a NOT NULL
  on a populated column as CHECK ... NOT VALID, VALIDATE in a separate step, then SET NOT NULL
  (PostgreSQL 12+ skips the scan) and drop the check; foreign keys NOT VALID then VALIDATE;
  backfills in batches, outside a transaction; type changes and renames as "new column, write
  to both, backfill, move reads, stop writing, drop";
* pgroll (pkg/backfill): batches on the primary key, each its own transaction, **no delay**
  between batches by default; a trigger keeps the new column in step while old code writes;
* GitLab's migration style guide: every lock-taking DDL alone in a short transaction with a
  small lock_timeout, retried (``with_lock_retries``, starting at 100 ms); functions created
  before the locked part; a new NOT NULL column for a type change added with a constant default
  (PostgreSQL 11+ keeps it in the catalog, no rewrite, no NOT NULL dance); ``add_concurrent_index``
  for the index of a new foreign key; columns swapped by renames in one short locked
  transaction.

The batch size is the one the issue's expert used: 5,000 keys per committed batch, no sleep.
The benchmark applies each unit as migsmith's steps are applied (``bench.pg.apply_sql`` with
lock_timeout retries). ``deploy_before`` is the index of the first unit that needs new code
deployed (None: no deploy in the middle).
"""

from __future__ import annotations

from dataclasses import dataclass

LOCK = "SET lock_timeout = '100ms';\n"
UNLOCK = "\nRESET lock_timeout;"
BATCH = 5000


@dataclass(frozen=True)
class Expert:
    units: list[str]
    deploy_before: int | None = None


def backfill(table: str, assign: str, pending: str, batch: int = BATCH) -> str:
    """Keyset batches of ``batch`` ids, one COMMIT each, no pause (a top-level DO block)."""
    return f"""DO $expert$
DECLARE lo bigint; top bigint;
BEGIN
  SELECT min(id) - 1, max(id) INTO lo, top FROM {table};
  WHILE lo < top LOOP
    UPDATE {table} SET {assign} WHERE id > lo AND id <= lo + {batch} AND {pending};
    COMMIT;
    lo := lo + {batch};
  END LOOP;
END
$expert$;"""


def not_null(table: str, column: str) -> list[str]:
    name = f"{table}_{column}_nn"
    return [LOCK + f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({column} IS NOT NULL) "
            "NOT VALID;" + UNLOCK,
            f"ALTER TABLE {table} VALIDATE CONSTRAINT {name};",
            "BEGIN;\nSET LOCAL lock_timeout = '100ms';\n"
            f"ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;\n"
            f"ALTER TABLE {table} DROP CONSTRAINT {name};\nCOMMIT;"]


def rename_expand(table: str, old: str, new: str, type_: str, default: str) -> list[str]:
    """Add the new column, a trigger that copies old -> new (and back, for new code), the
    backfill, NOT NULL via a validated check (the column is NOT NULL)."""
    fn = f"{table}_{new}_sync"
    return [
        LOCK + f"ALTER TABLE {table} ADD COLUMN {new} {type_};" + UNLOCK,
        f"""CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.{new} IS NULL THEN NEW.{new} := NEW.{old}; ELSE NEW.{old} := NEW.{new}; END IF;
  ELSIF NEW.{new} IS DISTINCT FROM OLD.{new} THEN NEW.{old} := NEW.{new};
  ELSIF NEW.{old} IS DISTINCT FROM OLD.{old} THEN NEW.{new} := NEW.{old};
  END IF;
  RETURN NEW;
END $f$;""",
        LOCK + f"CREATE TRIGGER {fn} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW "
               f"EXECUTE FUNCTION {fn}();" + UNLOCK,
        LOCK + f"ALTER TABLE {table} ALTER COLUMN {new} SET DEFAULT {default};" + UNLOCK,
        backfill(table, f"{new} = {old}", f"{new} IS DISTINCT FROM {old}"),
        *not_null(table, new),
    ]


def rename_contract(table: str, old: str, new: str) -> list[str]:
    fn = f"{table}_{new}_sync"
    return ["BEGIN;\nSET LOCAL lock_timeout = '100ms';\n"
            f"DROP TRIGGER {fn} ON {table};\nALTER TABLE {table} DROP COLUMN {old};\nCOMMIT;",
            f"DROP FUNCTION {fn}();"]


EXPERTS: dict[str, Expert] = {
    "doc_add_email_verified": Expert([
        LOCK + "ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;"
        + UNLOCK,
        backfill("users", "email_verified = true",
                 "email_confirmed_at IS NOT NULL AND NOT email_verified"),
        "CREATE INDEX CONCURRENTLY idx_users_email_verified ON users (email_verified) "
        "WHERE email_verified = false;",
    ]),
    "doc_rename_created": Expert(
        rename_expand("posts", "created", "created_at", "timestamp", "now()")
        + ["CREATE INDEX CONCURRENTLY posts_created_at_idx ON posts (created_at);",
           # deploy: new code reads and writes created_at
           "DROP INDEX CONCURRENTLY posts_created_idx;"]
        + rename_contract("posts", "created", "created_at"),
        deploy_before=9),
    "doc_users_email_index": Expert([
        "CREATE INDEX CONCURRENTLY idx_users_email ON users (email);"]),
    "alter_type_int_bigint": Expert([
        # a constant default makes the new column NOT NULL without a scan (PostgreSQL 11+)
        LOCK + "ALTER TABLE posts ADD COLUMN views_new bigint NOT NULL DEFAULT 0;" + UNLOCK,
        """CREATE FUNCTION posts_views_sync() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN NEW.views_new := NEW.views; RETURN NEW; END $f$;""",
        LOCK + "CREATE TRIGGER posts_views_sync BEFORE INSERT OR UPDATE ON posts FOR EACH ROW "
               "EXECUTE FUNCTION posts_views_sync();" + UNLOCK,
        backfill("posts", "views_new = views", "views_new <> views"),
        # the swap's new trigger function exists before the locked part
        """CREATE FUNCTION posts_views_old_sync() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN NEW.views_old := NEW.views; RETURN NEW; END $f$;""",
        "BEGIN;\nSET LOCAL lock_timeout = '100ms';\n"
        "LOCK TABLE posts IN ACCESS EXCLUSIVE MODE;\n"
        "DROP TRIGGER posts_views_sync ON posts;\n"
        "ALTER TABLE posts RENAME COLUMN views TO views_old;\n"
        "ALTER TABLE posts RENAME COLUMN views_new TO views;\n"
        "ALTER TABLE posts ALTER COLUMN views_old DROP DEFAULT;\n"
        "CREATE TRIGGER posts_views_old_sync BEFORE INSERT OR UPDATE ON posts FOR EACH ROW "
        "EXECUTE FUNCTION posts_views_old_sync();\nCOMMIT;",
        "BEGIN;\nSET LOCAL lock_timeout = '100ms';\n"
        "DROP TRIGGER posts_views_old_sync ON posts;\n"
        "ALTER TABLE posts DROP COLUMN views_old;\nCOMMIT;",
        "DROP FUNCTION posts_views_sync();\nDROP FUNCTION posts_views_old_sync();",
    ]),
    "set_not_null": Expert(not_null("posts", "status")),
    "add_foreign_key": Expert([
        "CREATE INDEX CONCURRENTLY comments_post_id_idx ON comments (post_id);",
        LOCK + "ALTER TABLE comments ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) "
               "REFERENCES posts (id) NOT VALID;" + UNLOCK,
        "ALTER TABLE comments VALIDATE CONSTRAINT comments_post_id_fkey;",
    ]),
    "rename_expand_contract": Expert(
        rename_expand("users", "created", "created_at", "timestamp", "now()")
        + rename_contract("users", "created", "created_at"),
        deploy_before=8),
    "lock_queue": Expert([LOCK + "ALTER TABLE posts ADD COLUMN archived_at timestamptz;"
                          + UNLOCK]),
    "lock_queue_200ms": Expert([LOCK + "ALTER TABLE posts ADD COLUMN archived_at timestamptz;"
                                + UNLOCK]),
}
