-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 8/8: drop the sync trigger and the old column posts.created
-- Lint: ban-drop-default is expected here: the default moves back to created.
-- squawk-ignore-file ban-drop-default
-- Lint: renaming-object is expected here: the copies get their temporary names back.
-- squawk-ignore-file renaming-object
-- flyway migration rename_posts_created_to_created_at_8_drop_the_sync_trigger_and_the_old.
-- Runs outside a transaction: each statement commits on its own.

SET lock_timeout = '200ms';

SET statement_timeout = '60s';

ALTER INDEX "posts_created_idx" RENAME TO "posts_created_at_idx";

ALTER TABLE "posts" ALTER COLUMN "created_at" DROP DEFAULT;

-- The column comes back online: bare first, then the dual-write trigger (so no write is missed
-- while the values are copied back in batches), then NOT NULL and the default.
ALTER TABLE "posts" ADD COLUMN IF NOT EXISTS "created" timestamp without time zone;

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

DROP TRIGGER IF EXISTS "posts_created_created_at_sync_trg" ON "posts";

CREATE TRIGGER "posts_created_created_at_sync_trg" BEFORE INSERT OR UPDATE ON "posts"
    FOR EACH ROW EXECUTE FUNCTION "posts_created_created_at_sync"();

-- Keyset batches of 1000 over id, one transaction each (COMMIT inside DO
-- needs PostgreSQL 11+ and no surrounding BEGIN): row locks are held for one batch only.
-- A batch that waits longer than lock_timeout is retried after a pause, never queued behind.
-- Rows that already hold the value are skipped, so a re-run changes nothing.
-- Progress: the session's application_name shows the last committed key (pg_stat_activity).
-- To resume after an interruption: SET migsmith.resume_after = '<that key>'; then run this again.
-- The same batches, with a progress bar and throttling: migsmith backfill --db URL <plan dir>
DO $backfill$
DECLARE
  last_key "posts"."id"%TYPE;
  next_key "posts"."id"%TYPE;
  max_key  "posts"."id"%TYPE;
  batches  bigint := 0;
  updated  bigint := 0;
  retries  int := 0;
  app_name text := current_setting('application_name');
  n        bigint;
BEGIN
  SELECT max("id") INTO max_key FROM "posts";
  last_key := nullif(current_setting('migsmith.resume_after', true), '');
  IF last_key IS NULL THEN
    SELECT min("id") - 1 INTO last_key FROM "posts";
  END IF;
  WHILE last_key < max_key LOOP
    next_key := least(last_key + 1000, max_key);
    BEGIN
      UPDATE "posts" SET "created" = "created_at"
       WHERE "id" > last_key AND "id" <= next_key
         AND "created" IS DISTINCT FROM ("created_at");
      GET DIAGNOSTICS n = ROW_COUNT;
    EXCEPTION WHEN lock_not_available THEN
      -- a client holds a lock on a row of this batch: step back instead of queueing behind it
      retries := retries + 1;
      IF retries > 50 THEN
        RAISE EXCEPTION 'migsmith backfill posts.created: gave up after % lock timeouts in a row; resume after %', retries - 1, last_key;
      END IF;
      PERFORM pg_sleep(least(0.05 * retries, 2));
      CONTINUE;
    END;
    retries := 0;
    updated := updated + n;
    last_key := next_key;
    batches := batches + 1;
    PERFORM set_config('application_name', left(format('migsmith backfill after %s: posts.created', last_key), 63), false);
    COMMIT;
    IF batches % 10 = 0 THEN
      RAISE NOTICE 'migsmith backfill posts.created: % rows updated, resume after %', updated, last_key;
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
  PERFORM set_config('application_name', app_name, false);
  RAISE NOTICE 'migsmith backfill posts.created: done, % rows updated', updated;
END
$backfill$;

-- NOT NULL without a blocking scan: each statement commits on its own, and the scan runs in
-- VALIDATE under SHARE UPDATE EXCLUSIVE; SET NOT NULL then trusts the valid check (PG 12+).
ALTER TABLE "posts" ADD CONSTRAINT "posts_created_not_null" CHECK ("created" IS NOT NULL) NOT VALID;

ALTER TABLE "posts" VALIDATE CONSTRAINT "posts_created_not_null";

ALTER TABLE "posts" ALTER COLUMN "created" SET NOT NULL;

ALTER TABLE "posts" DROP CONSTRAINT "posts_created_not_null";

ALTER TABLE "posts" ALTER COLUMN "created" SET DEFAULT now();

RESET lock_timeout;

RESET statement_timeout;
