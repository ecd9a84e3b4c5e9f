-- migsmith: add_email_verified_mysql (2030-01-02)
-- Track whether a user's email address has been verified. (MySQL has no partial indexes: the index covers every row.)
-- UP step 1/3: add column users.email_verified
-- Deploy: Additive: old code keeps working. Then update the model/type definition with email_verified and deploy code that uses it.
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- flyway migration add_email_verified_mysql_1_add_column_users_email_verified.
-- Runs outside a transaction: each statement commits on its own.

SET SESSION lock_wait_timeout = 1;

-- Preconditions: stop here, changing nothing, if the database is not as planned. The first
-- failed condition's message becomes the statement that is prepared next, which fails.
SET @migsmith_failed = CASE
  WHEN NOT EXISTS (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users') THEN 'migsmith precondition failed: expected table users exists'
  WHEN EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users'
               AND COLUMN_NAME = 'email_verified') THEN 'migsmith precondition failed: expected column users.email_verified does not exist yet'
  ELSE NULL
END;
SET @migsmith_check = IF(@migsmith_failed IS NULL, 'DO 0',
    CONCAT('SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ', QUOTE(@migsmith_failed)));
PREPARE migsmith_check FROM @migsmith_check;
EXECUTE migsmith_check;
DEALLOCATE PREPARE migsmith_check;

ALTER TABLE `users` ADD COLUMN IF NOT EXISTS `email_verified` boolean DEFAULT FALSE NOT NULL, ALGORITHM=INSTANT;

SET SESSION lock_wait_timeout = DEFAULT;
