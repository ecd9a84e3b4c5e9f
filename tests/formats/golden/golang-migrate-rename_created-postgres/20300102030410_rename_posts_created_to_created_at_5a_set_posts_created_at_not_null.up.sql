-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 5/8: set posts.created_at NOT NULL using the validated check, then drop the check
-- Deploy: No code change. PostgreSQL 12+ skips the full scan because a valid CHECK (col IS NOT NULL) already proves it.
-- Lint: adding-not-nullable-field is expected here: the validated check posts_created_at_not_null proves the column has no NULLs, so PostgreSQL 12+ sets NOT NULL without scanning (the precondition checks it is valid).
-- squawk-ignore-file adding-not-nullable-field
-- Lint: set-not-null-without-check is expected here: validated in the previous step (posts_created_at_not_null).
-- migsmith:disable-file set-not-null-without-check
-- Lint: ban-drop-constraint is expected here: posts_created_at_not_null is the temporary check this plan added.
-- squawk-ignore-file ban-drop-constraint
-- golang-migrate migration rename_posts_created_to_created_at_5a_set_posts_created_at_not_null (part 1 of 3 of step 5: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
                 AND attname = 'created_at' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created_at does not exist';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('"posts"')
                 AND conname = 'posts_created_at_not_null' AND convalidated) THEN
    RAISE EXCEPTION 'migsmith precondition failed: check posts_created_at_not_null is missing or not validated yet: run the previous step first';
  END IF;
END
$check$;

-- Take this step's locks first. An attempt that waits longer than lock_timeout gives up, lets
-- the queue behind it drain, and tries again after a pause: clients never wait on this
-- migration for more than lock_timeout at a time, and the step still gets its turn.
DO $lock$
DECLARE
  attempt int := 0;
BEGIN
  LOOP
    BEGIN
      LOCK TABLE "posts" IN ACCESS EXCLUSIVE MODE;
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt > 20 THEN
        RAISE EXCEPTION 'migsmith: could not take the locks of this step after % attempts: a long transaction holds posts (see pg_stat_activity); nothing was changed', attempt
          USING ERRCODE = 'lock_not_available';
      END IF;
      PERFORM pg_sleep(least(0.05 * 2 ^ attempt, 3) * (0.5 + random()));
    END;
  END LOOP;
END
$lock$;

ALTER TABLE "posts" ALTER COLUMN "created_at" SET NOT NULL;

ALTER TABLE "posts" DROP CONSTRAINT IF EXISTS "posts_created_at_not_null";

COMMIT;
