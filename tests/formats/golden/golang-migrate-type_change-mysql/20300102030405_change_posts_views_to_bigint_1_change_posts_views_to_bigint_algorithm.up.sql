-- migsmith: change_posts_views_to_bigint (2030-01-02)
-- posts.views outgrows integer: make it bigint without downtime.
-- UP step 1/1: change posts.views to bigint (ALGORITHM=COPY)
-- Deploy: Writes to the table wait for the whole copy (LOCK=SHARED): use a maintenance window, or run the gh-ost / pt-online-schema-change command from the plan notes instead of this step (same end state, no write block). int -> bigint changes the stored data: only ALGORITHM=COPY can do it, and it blocks writes for the whole copy.
-- Lint: mysql-require-algorithm-lock is expected here: only ALGORITHM=COPY can do int -> bigint (writes wait for the copy); on a large table run the gh-ost / pt-online-schema-change command from the plan notes.
-- migsmith:disable-file mysql-require-algorithm-lock
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- golang-migrate migration change_posts_views_to_bigint_1_change_posts_views_to_bigint_algorithm.
-- Runs outside a transaction: each statement commits on its own.

SET SESSION lock_wait_timeout = 1;

SET @migsmith_failed = CASE
  WHEN NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'posts'
                   AND COLUMN_NAME = 'views') THEN 'migsmith precondition failed: expected column posts.views exists'
  ELSE NULL
END;

SET @migsmith_check = IF(@migsmith_failed IS NULL, 'DO 0',
    CONCAT('SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ', QUOTE(@migsmith_failed)));

PREPARE migsmith_check FROM @migsmith_check;

EXECUTE migsmith_check;

DEALLOCATE PREPARE migsmith_check;

ALTER TABLE `posts` MODIFY COLUMN `views` bigint DEFAULT 0 NOT NULL, ALGORITHM=COPY, LOCK=SHARED;

SET SESSION lock_wait_timeout = DEFAULT;
