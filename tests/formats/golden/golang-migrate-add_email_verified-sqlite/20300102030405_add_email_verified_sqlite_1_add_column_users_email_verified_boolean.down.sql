-- migsmith: add_email_verified_sqlite (2030-01-02)
-- Track whether a user's email address has been verified.
-- DOWN step 1/3: add column users.email_verified boolean
-- Wait at most this long for the write lock instead of failing at once with SQLITE_BUSY.
-- golang-migrate migration add_email_verified_sqlite_1_add_column_users_email_verified_boolean.
-- Runs outside a transaction: each statement commits on its own.

PRAGMA busy_timeout = 200;

BEGIN IMMEDIATE;

ALTER TABLE "users" DROP COLUMN "email_verified";

COMMIT;
