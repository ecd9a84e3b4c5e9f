-- migsmith: change_posts_views_to_bigint (2030-01-02)
-- posts.views outgrows integer: make it bigint without downtime.
-- DOWN step 1/1: change posts.views to bigint (ALGORITHM=COPY)
-- Lint: mysql-require-algorithm-lock is expected here: only ALGORITHM=COPY can do bigint -> int (writes wait for the copy); on a large table run the gh-ost / pt-online-schema-change command from the plan notes.
-- migsmith:disable-file mysql-require-algorithm-lock
-- Give up on a metadata lock after this many seconds instead of queueing every client behind it.
-- golang-migrate migration change_posts_views_to_bigint_1_change_posts_views_to_bigint_algorithm.
-- Runs outside a transaction: each statement commits on its own.

SET SESSION lock_wait_timeout = 1;

ALTER TABLE `posts` MODIFY COLUMN `views` int DEFAULT 0 NOT NULL, ALGORITHM=COPY, LOCK=SHARED;

SET SESSION lock_wait_timeout = DEFAULT;
