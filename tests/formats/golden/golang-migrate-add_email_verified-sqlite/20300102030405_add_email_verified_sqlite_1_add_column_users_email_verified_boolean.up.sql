-- migsmith: add_email_verified_sqlite (2030-01-02)
-- Track whether a user's email address has been verified.
-- UP step 1/3: add column users.email_verified boolean
-- Deploy: One short transaction; other writers wait for it (busy_timeout).
-- Wait at most this long for the write lock instead of failing at once with SQLITE_BUSY.
-- golang-migrate migration add_email_verified_sqlite_1_add_column_users_email_verified_boolean.
-- Runs outside a transaction: each statement commits on its own.

PRAGMA busy_timeout = 200;

BEGIN IMMEDIATE;

DROP TABLE IF EXISTS temp.migsmith_check;

CREATE TEMP TABLE migsmith_check (
    c1 INTEGER CONSTRAINT "migsmith precondition failed: expected table users exists" CHECK (c1),
    c2 INTEGER CONSTRAINT "migsmith precondition failed: expected column users.email_verified does not exist yet" CHECK (c2)
);

INSERT INTO temp.migsmith_check VALUES (
    EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'),
    NOT EXISTS (SELECT 1 FROM pragma_table_xinfo('users') WHERE name = 'email_verified')
);

DROP TABLE temp.migsmith_check;

ALTER TABLE "users" ADD COLUMN "email_verified" boolean DEFAULT FALSE NOT NULL;

COMMIT;
