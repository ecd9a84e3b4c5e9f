-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 4/8: validate the NOT NULL check on posts (scans, does not block)
-- Deploy: No code change. The scan runs under SHARE UPDATE EXCLUSIVE: reads and writes continue.
-- golang-migrate migration rename_posts_created_to_created_at_4_validate_not_null_check_on_posts.
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '60s';

SET LOCAL statement_timeout = '60s';

DO $validate$
BEGIN
  ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_created_at_not_null";
EXCEPTION WHEN check_violation THEN
  RAISE EXCEPTION 'migsmith precondition failed: some rows of posts have created_at NULL: backfill them before validating';
END
$validate$;

COMMIT;
