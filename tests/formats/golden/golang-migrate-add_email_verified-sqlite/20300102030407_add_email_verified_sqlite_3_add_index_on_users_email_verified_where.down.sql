-- migsmith: add_email_verified_sqlite (2030-01-02)
-- Track whether a user's email address has been verified.
-- DOWN step 3/3: add index on users(email_verified) where email_verified = FALSE
-- Wait at most this long for the write lock instead of failing at once with SQLITE_BUSY.
-- golang-migrate migration add_email_verified_sqlite_3_add_index_on_users_email_verified_where.
-- Runs outside a transaction: each statement commits on its own.

PRAGMA busy_timeout = 200;

BEGIN IMMEDIATE;

DROP INDEX IF EXISTS "idx_users_email_verified";

COMMIT;
