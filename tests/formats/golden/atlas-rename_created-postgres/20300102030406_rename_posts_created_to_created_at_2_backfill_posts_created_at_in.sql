-- atlas:txmode none

-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 2/8: backfill posts.created_at in batches of 1000
-- Deploy: No code change; runs while traffic flows.
-- atlas migration rename_posts_created_to_created_at_2_backfill_posts_created_at_in.
-- Runs outside a transaction: each statement commits on its own.

SET lock_timeout = '200ms';

SET statement_timeout = '0';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"posts"')
                 AND attname = 'created_at' AND NOT attisdropped) THEN
    RAISE EXCEPTION 'migsmith precondition failed: column posts.created_at does not exist';
  END IF;
END
$check$;

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
      UPDATE "posts" SET "created_at" = "created"
       WHERE "id" > last_key AND "id" <= next_key
         AND "created_at" IS DISTINCT FROM ("created");
      GET DIAGNOSTICS n = ROW_COUNT;
    EXCEPTION WHEN lock_not_available THEN
      -- a client holds a lock on a row of this batch: step back instead of queueing behind it
      retries := retries + 1;
      IF retries > 50 THEN
        RAISE EXCEPTION 'migsmith backfill posts.created_at: gave up after % lock timeouts in a row; resume after %', retries - 1, last_key;
      END IF;
      PERFORM pg_sleep(least(0.05 * retries, 2));
      CONTINUE;
    END;
    retries := 0;
    updated := updated + n;
    last_key := next_key;
    batches := batches + 1;
    PERFORM set_config('application_name', left(format('migsmith backfill after %s: posts.created_at', last_key), 63), false);
    COMMIT;
    IF batches % 10 = 0 THEN
      RAISE NOTICE 'migsmith backfill posts.created_at: % rows updated, resume after %', updated, last_key;
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
  PERFORM set_config('application_name', app_name, false);
  RAISE NOTICE 'migsmith backfill posts.created_at: done, % rows updated', updated;
END
$backfill$;

RESET lock_timeout;

RESET statement_timeout;
