-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 1/8: add posts.created_at and a trigger that keeps it in step with created
-- Deploy: No code change needed first: the trigger copies every write of created into created_at and back, so old and new code can run side by side (this is the dual-write, done by the database).
-- Needs no lock on the table, so it runs before the locked transaction: the lock then covers
-- the DDL alone (re-running this file replaces it).
-- golang-migrate migration rename_posts_created_to_created_at_1_add_posts_created_at_and_trigger.
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET lock_timeout = '200ms';

SET statement_timeout = '60s';

-- Dual write, done by the database: whichever column a writer sets, the other follows.
CREATE OR REPLACE FUNCTION "posts_created_created_at_sync"() RETURNS trigger
LANGUAGE plpgsql AS $sync$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."created_at" IS NULL THEN
      NEW."created_at" := NEW."created";
    ELSE
      NEW."created" := NEW."created_at";
    END IF;
  ELSIF NEW."created_at" IS DISTINCT FROM OLD."created_at" THEN
    NEW."created" := NEW."created_at";
  ELSIF NEW."created" IS DISTINCT FROM OLD."created" THEN
    NEW."created_at" := NEW."created";
  END IF;
  RETURN NEW;
END
$sync$;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
                 AND attname = 'created' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created does not exist';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
             AND attname = 'created_at' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created_at already exists (was this step applied already?)';
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

ALTER TABLE "posts" ADD COLUMN "created_at" timestamp without time zone;

CREATE OR REPLACE TRIGGER "posts_created_created_at_sync_trg" BEFORE INSERT OR UPDATE ON "posts"
    FOR EACH ROW EXECUTE FUNCTION "posts_created_created_at_sync"();

RESET lock_timeout;

RESET statement_timeout;

COMMIT;
