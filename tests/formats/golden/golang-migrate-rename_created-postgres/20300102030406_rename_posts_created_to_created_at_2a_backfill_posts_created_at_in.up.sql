-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 2/8: backfill posts.created_at in batches of about 50 ms (up to 10000 rows)
-- Deploy: No code change; runs while traffic flows.
-- golang-migrate migration rename_posts_created_to_created_at_2a_backfill_posts_created_at_in (part 1 of 2 of step 2: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '0';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
                 AND attname = 'created_at' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created_at does not exist';
  END IF;
END
$check$;

COMMIT;
