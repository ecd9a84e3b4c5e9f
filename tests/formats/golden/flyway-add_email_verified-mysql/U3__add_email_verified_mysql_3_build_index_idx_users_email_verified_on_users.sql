-- migsmith: add_email_verified_mysql (2030-01-02)
-- Track whether a user's email address has been verified. (MySQL has no partial indexes: the index covers every row.)
-- DOWN step 3/3: build index idx_users_email_verified on users online (INPLACE, LOCK=NONE)
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- flyway migration add_email_verified_mysql_3_build_index_idx_users_email_verified_on_users.
-- Runs outside a transaction: each statement commits on its own.

SET SESSION lock_wait_timeout = 1;

ALTER TABLE `users` DROP INDEX IF EXISTS `idx_users_email_verified`, ALGORITHM=INPLACE, LOCK=NONE;

SET SESSION lock_wait_timeout = DEFAULT;
