-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 3/8: add CHECK (created_at IS NOT NULL) NOT VALID on posts
-- flyway migration rename_posts_created_to_created_at_3_add_check_created_at_is_not_null.
-- Runs in the tool's transaction (the step's BEGIN/COMMIT are left to it).

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

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

ALTER TABLE "posts" DROP CONSTRAINT IF EXISTS "posts_created_at_not_null";
