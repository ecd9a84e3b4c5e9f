-- atlas:txmode none

-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 4/8: validate the NOT NULL check on posts (scans, does not block)
-- Deploy: No code change. The scan runs under SHARE UPDATE EXCLUSIVE: reads and writes continue.
-- atlas migration rename_posts_created_to_created_at_4_validate_the_not_null_check_on.
-- Runs outside a transaction: each statement commits on its own.

SET lock_timeout = '60s';

SET statement_timeout = '60s';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF EXISTS (SELECT 1 FROM "posts" WHERE "created_at" IS NULL) THEN
    RAISE EXCEPTION 'migsmith precondition failed: some rows of posts have created_at NULL: backfill them before validating';
  END IF;
END
$check$;

ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_created_at_not_null";

RESET lock_timeout;

RESET statement_timeout;
