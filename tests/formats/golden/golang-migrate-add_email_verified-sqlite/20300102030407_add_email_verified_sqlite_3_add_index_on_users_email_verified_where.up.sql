-- migsmith: add_email_verified_sqlite (2030-01-02)
-- Track whether a user's email address has been verified.
-- UP step 3/3: add index on users(email_verified) where email_verified = FALSE
-- Deploy: One short transaction; other writers wait for it (busy_timeout).
-- Wait at most this long for the write lock instead of failing at once with SQLITE_BUSY.
-- golang-migrate migration add_email_verified_sqlite_3_add_index_on_users_email_verified_where.
-- Runs outside a transaction: each statement commits on its own.

PRAGMA busy_timeout = 200;

BEGIN IMMEDIATE;

DROP TABLE IF EXISTS temp.migsmith_check;

CREATE TEMP TABLE migsmith_check (
    c1 INTEGER CONSTRAINT "migsmith precondition failed: expected table users exists" CHECK (c1),
    c2 INTEGER CONSTRAINT "migsmith precondition failed: expected index idx_users_email_verified does not exist yet" CHECK (c2)
);

INSERT INTO temp.migsmith_check VALUES (
    EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'),
    NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'idx_users_email_verified')
);

DROP TABLE temp.migsmith_check;

CREATE INDEX IF NOT EXISTS "idx_users_email_verified" ON "users" ("email_verified") WHERE email_verified = FALSE;

COMMIT;
