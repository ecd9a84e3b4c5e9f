-- migsmith: add_email_verified_mysql (2030-01-02)
-- Track whether a user's email address has been verified. (MySQL has no partial indexes: the index covers every row.)
-- DOWN step 1/3: add column users.email_verified
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- flyway migration add_email_verified_mysql_1_add_column_users_email_verified.
-- Runs outside a transaction: each statement commits on its own.

SET SESSION lock_wait_timeout = 1;

ALTER TABLE `users` DROP COLUMN IF EXISTS `email_verified`, ALGORITHM=INSTANT;

SET SESSION lock_wait_timeout = DEFAULT;
