-- migsmith: add_email_verified_mysql (2030-01-02)
-- Track whether a user's email address has been verified. (MySQL has no partial indexes: the index covers every row.)
-- UP step 2/3: backfill users.email_verified in batches of 1000
-- Deploy: No code change; safe while traffic flows. Re-runnable: rows that already hold the value are skipped.
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- flyway migration add_email_verified_mysql_2_backfill_users_email_verified_in_batches_of.
-- Runs outside a transaction: each statement commits on its own.

SET SESSION lock_wait_timeout = 1;
SET SESSION innodb_lock_wait_timeout = 1;

-- Preconditions: stop here, changing nothing, if the database is not as planned. The first
-- failed condition's message becomes the statement that is prepared next, which fails.
SET @migsmith_failed = CASE
  WHEN NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users'
                   AND COLUMN_NAME = 'email_verified') THEN 'migsmith precondition failed: expected column users.email_verified exists'
  ELSE NULL
END;
SET @migsmith_check = IF(@migsmith_failed IS NULL, 'DO 0',
    CONCAT('SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ', QUOTE(@migsmith_failed)));
PREPARE migsmith_check FROM @migsmith_check;
EXECUTE migsmith_check;
DEALLOCATE PREPARE migsmith_check;

-- Key-range batches over id, in a stored procedure that COMMITs after every batch, so
-- row locks (and the replication event) cover one batch only. Rows that already hold the value
-- are skipped, so a re-run changes nothing. To resume after an interruption, run
--   SET @migsmith_resume_after = <last key reported>;   in the same session before the CALL.
DROP PROCEDURE IF EXISTS `migsmith_backfill_users_email_verified`;
DELIMITER $$
CREATE PROCEDURE `migsmith_backfill_users_email_verified`()
BEGIN
  DECLARE last_key BIGINT;
  DECLARE max_key BIGINT;
  DECLARE next_key BIGINT;
  DECLARE updated BIGINT DEFAULT 0;
  SELECT MIN(`id`) - 1, MAX(`id`) INTO last_key, max_key FROM `users`;
  IF @migsmith_resume_after IS NOT NULL THEN
    SET last_key = @migsmith_resume_after;
  END IF;
  WHILE last_key < max_key DO
    SET next_key = LEAST(last_key + 1000, max_key);
    UPDATE `users` SET `email_verified` = TRUE
     WHERE `id` > last_key AND `id` <= next_key
       AND (NOT email_confirmed_at IS NULL)
       AND NOT (`email_verified` <=> (TRUE));
    SET updated = updated + ROW_COUNT();
    COMMIT;
    SET last_key = next_key;
    DO SLEEP(0.1);
  END WHILE;
  SELECT CONCAT('migsmith backfill users.email_verified: done, ', updated, ' rows updated, last key ', IFNULL(last_key, 'none')) AS progress;
END$$
DELIMITER ;
CALL `migsmith_backfill_users_email_verified`();
DROP PROCEDURE IF EXISTS `migsmith_backfill_users_email_verified`;

SET SESSION lock_wait_timeout = DEFAULT;
SET SESSION innodb_lock_wait_timeout = DEFAULT;
