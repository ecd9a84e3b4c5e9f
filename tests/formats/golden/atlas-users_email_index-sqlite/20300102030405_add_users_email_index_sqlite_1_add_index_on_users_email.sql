-- atlas:txmode none

-- migsmith: add_users_email_index_sqlite (2030-01-02)
-- Users are looked up by email; that query is slow without an index.
-- UP step 1/1: add index on users(email)
-- Deploy: One short transaction; other writers wait for it (busy_timeout).
-- Wait at most this long for the write lock instead of failing at once with SQLITE_BUSY.
-- atlas migration add_users_email_index_sqlite_1_add_index_on_users_email.
-- Runs outside a transaction: each statement commits on its own.

PRAGMA busy_timeout = 200;
BEGIN IMMEDIATE;

-- Preconditions: stop here, changing nothing, if the database is not as planned. Each column's
-- CHECK is named after its message, so a false condition fails with that message.
DROP TABLE IF EXISTS temp.migsmith_check;
CREATE TEMP TABLE migsmith_check (
    c1 INTEGER CONSTRAINT "migsmith precondition failed: expected table users exists" CHECK (c1),
    c2 INTEGER CONSTRAINT "migsmith precondition failed: expected index idx_users_email does not exist yet" CHECK (c2)
);
INSERT INTO temp.migsmith_check VALUES (
    EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'),
    NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'idx_users_email')
);
DROP TABLE temp.migsmith_check;

CREATE INDEX IF NOT EXISTS "idx_users_email" ON "users" ("email");

COMMIT;
