-- migsmith: add_email_verified_mysql (2030-01-02)
-- Track whether a user's email address has been verified. (MySQL has no partial indexes: the index covers every row.)
-- UP step 2/3: backfill users.email_verified in batches of about 50 ms (up to 10000 rows)
-- Deploy: No code change; safe while traffic flows. Re-runnable: rows that already hold the value are skipped.
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- flyway migration add_email_verified_mysql_2_backfill_users_email_verified_in_batches.
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

-- Key-range batches over id, in a stored procedure that COMMITs after every batch,
-- so row locks (and the replication event) cover one batch only.
-- The batch size adapts: each batch aims at 50 ms (x0.5 to x1.5 per batch), from
-- 100 to 10000 keys, starting at 1000; a batch that times out on a row
-- lock (innodb_lock_wait_timeout) is rolled back and retried, smaller, after a pause.
-- Rows that already hold the value are skipped, so a re-run changes nothing. To resume after an
-- interruption, run   SET @migsmith_resume_after = <last key reported>;   in the same
-- session before the CALL.
DROP PROCEDURE IF EXISTS `migsmith_backfill_users_email_verified`;
DELIMITER $$
CREATE PROCEDURE `migsmith_backfill_users_email_verified`()
BEGIN
  DECLARE size BIGINT DEFAULT 1000;
  DECLARE n BIGINT DEFAULT 0;
  DECLARE updated BIGINT DEFAULT 0;
  DECLARE batches BIGINT DEFAULT 0;
  DECLARE retries INT DEFAULT 0;
  DECLARE timed_out INT DEFAULT 0;
  DECLARE none_left INT DEFAULT 0;
  DECLARE first INT DEFAULT 1;
  DECLARE elapsed DOUBLE DEFAULT 0;
  DECLARE wait DOUBLE DEFAULT 0;
  DECLARE started DATETIME(6);
  DECLARE max_key BIGINT;
  DECLARE CONTINUE HANDLER FOR 1205 SET timed_out = 1;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET none_left = 1;
  SELECT MIN(`id`) - 1, MAX(`id`) INTO @migsmith_lo_1, max_key FROM `users`;
  SET first = 0;
  IF @migsmith_resume_after IS NOT NULL THEN
    SET @migsmith_lo_1 = @migsmith_resume_after;
    SET first = 0;
  END IF;
  walk: LOOP
    IF @migsmith_lo_1 IS NULL OR @migsmith_lo_1 >= max_key THEN
      LEAVE walk;
    END IF;
    SET @migsmith_hi_1 = LEAST(@migsmith_lo_1 + size, max_key);
    SET timed_out = 0;
    SET started = SYSDATE(6);
    UPDATE `users` SET `email_verified` = TRUE, `email_confirmed_at` = `email_confirmed_at`, `created` = `created`
     WHERE `id` > @migsmith_lo_1 AND `id` <= @migsmith_hi_1
       AND (NOT email_confirmed_at IS NULL) AND NOT (`email_verified` <=> (TRUE));
    SET n = ROW_COUNT();
    IF timed_out THEN
      ROLLBACK;
      SET retries = retries + 1;
      IF retries > 50 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'migsmith backfill users.email_verified: gave up after 50 lock wait timeouts in a row';
      END IF;
      SET size = least(10000, greatest(100, floor(CAST(size AS DOUBLE) * CASE WHEN 1 > 0 THEN 0.5 ELSE least(1.5, greatest(0.5, CAST(50 AS DOUBLE) / greatest(CAST(elapsed AS DOUBLE), 1.0))) END + 0.5)));
      DO SLEEP(LEAST(0.05 * retries, 2));
      ITERATE walk;
    END IF;
    COMMIT;
    SET elapsed = TIMESTAMPDIFF(MICROSECOND, started, SYSDATE(6)) / 1000;
    SET retries = 0;
    SET updated = updated + n;
    SET batches = batches + 1;
    SET first = 0;
    SET @migsmith_lo_1 = @migsmith_hi_1;
    SET wait = greatest(0.0, CASE WHEN 0 > 0 THEN elapsed ELSE 0 END);
    SET size = least(10000, greatest(100, floor(CAST(size AS DOUBLE) * CASE WHEN 0 > 0 THEN 0.5 ELSE least(1.5, greatest(0.5, CAST(50 AS DOUBLE) / greatest(CAST(elapsed AS DOUBLE), 1.0))) END + 0.5)));
    IF wait > 0 THEN
      DO SLEEP(wait / 1000);
    END IF;
  END LOOP;
  SELECT CONCAT('migsmith backfill users.email_verified: done, ', updated, ' rows updated in ', batches, ' batches') AS progress;
END$$
DELIMITER ;
CALL `migsmith_backfill_users_email_verified`();
DROP PROCEDURE IF EXISTS `migsmith_backfill_users_email_verified`;

SET SESSION lock_wait_timeout = DEFAULT;
SET SESSION innodb_lock_wait_timeout = DEFAULT;
