-- migsmith: add_email_verified_sqlite (2030-01-02)
-- Track whether a user's email address has been verified.
-- UP step 2/3: backfill users.email_verified in batches of 12000, each its own transaction
-- Deploy: No code change; other writers get the database between batches. Re-runnable: rows that already hold the value are skipped.
-- Lint: unbatched-data-change is expected here: the last UPDATE only catches rows beyond the row estimate (normally none), in a transaction of its own.
-- migsmith:disable-file unbatched-data-change
-- Wait at most this long for the write lock instead of failing at once with SQLITE_BUSY.
-- golang-migrate migration add_email_verified_sqlite_2_backfill_users_email_verified_in_batches_of.
-- Runs outside a transaction: each statement commits on its own.

PRAGMA busy_timeout = 200;

DROP TABLE IF EXISTS temp.migsmith_check;

CREATE TEMP TABLE migsmith_check (
    c1 INTEGER CONSTRAINT "migsmith precondition failed: expected table users exists" CHECK (c1),
    c2 INTEGER CONSTRAINT "migsmith precondition failed: expected column users.email_verified exists" CHECK (c2)
);

INSERT INTO temp.migsmith_check VALUES (
    EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'),
    EXISTS (SELECT 1 FROM pragma_table_xinfo('users') WHERE name = 'email_verified')
);

DROP TABLE temp.migsmith_check;

DROP TABLE IF EXISTS temp.migsmith_cursor;

CREATE TEMP TABLE migsmith_cursor AS SELECT coalesce(min("id"), 0) - 1 AS last FROM "users";

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor)
   AND "id" <= (SELECT last + 12000 FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

UPDATE temp.migsmith_cursor SET last = last + 12000;

COMMIT;

BEGIN IMMEDIATE;

UPDATE "users" SET "email_verified" = TRUE
 WHERE "id" > (SELECT last FROM temp.migsmith_cursor) AND (NOT email_confirmed_at IS NULL) AND "email_verified" IS NOT (TRUE);

COMMIT;

DROP TABLE temp.migsmith_cursor;
