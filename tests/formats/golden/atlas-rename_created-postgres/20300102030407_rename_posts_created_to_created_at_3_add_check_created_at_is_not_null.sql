-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 3/8: add CHECK (created_at IS NOT NULL) NOT VALID on posts
-- Deploy: No code change.
-- atlas migration rename_posts_created_to_created_at_3_add_check_created_at_is_not_null.
-- Runs in the tool's transaction (the step's BEGIN/COMMIT are left to it).

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
                 AND attname = 'created_at' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created_at does not exist';
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

ALTER TABLE "posts" ADD CONSTRAINT "posts_created_at_not_null" CHECK ("created_at" IS NOT NULL) NOT VALID;
