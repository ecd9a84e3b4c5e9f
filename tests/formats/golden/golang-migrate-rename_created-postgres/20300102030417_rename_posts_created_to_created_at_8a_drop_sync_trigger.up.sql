-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 8/8: drop the sync trigger and the old column posts.created
-- Deploy: Before: deploy code that reads and writes only created_at, and let it run long enough to trust it. The down of this step re-creates created and copies the data back.
-- Lint: ban-drop-column is expected here: the values of created live on in created_at; the down re-creates the column and copies them back online.
-- squawk-ignore-file ban-drop-column
-- migsmith:disable-file ban-drop-column
-- Lint: ban-drop-function is expected here: it is the sync trigger function this plan added.
-- squawk-ignore-file ban-drop-function
-- Lint: renaming-object is expected here: the copies take back the original index and constraint names, so the plan ends where a plain rename would.
-- squawk-ignore-file renaming-object
-- golang-migrate migration rename_posts_created_to_created_at_8a_drop_sync_trigger (part 1 of 11 of step 8: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
                 AND attname = 'created' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created does not exist';
  END IF;
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

DROP TRIGGER IF EXISTS "posts_created_created_at_sync_trg" ON "posts";

DROP FUNCTION IF EXISTS "posts_created_created_at_sync"();

ALTER TABLE "posts" DROP COLUMN "created";

ALTER TABLE "posts" ALTER COLUMN "created_at" SET DEFAULT now();

ALTER INDEX "posts_created_at_idx" RENAME TO "posts_created_idx";

COMMIT;
