-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 2/8: backfill posts.created_at in batches of about 50 ms (up to 10000 rows)
-- Deploy: No code change; runs while traffic flows.
-- golang-migrate migration rename_posts_created_to_created_at_2b_backfill_posts_created_at_in (part 2 of 2 of step 2: roll the parts of a step back together).
-- Checks that migsmith backfill has run (it makes no change itself).

-- The batched backfill of step 2 runs outside golang-migrate: golang-migrate sends a file as one
-- query string, and a backfill that commits per batch cannot set its lock_timeout first in one.
-- Run it now, between two migrations, then run golang-migrate again:
--   migsmith backfill --db URL migsmith/rename_posts_created_to_created_at
-- (batches of 1000, progress shown, resumable, lock timeouts retried).
-- This migration stops golang-migrate until no row is left to backfill, so it cannot be skipped
-- unknowingly:
DO $pending$
BEGIN
  IF EXISTS (SELECT 1 FROM "posts" WHERE "created_at" IS DISTINCT FROM ("created")) THEN
    RAISE EXCEPTION 'migsmith: rows of posts still need created_at: run `migsmith backfill --db URL migsmith/rename_posts_created_to_created_at` (step 2), then run the migrations again';
  END IF;
END
$pending$;
