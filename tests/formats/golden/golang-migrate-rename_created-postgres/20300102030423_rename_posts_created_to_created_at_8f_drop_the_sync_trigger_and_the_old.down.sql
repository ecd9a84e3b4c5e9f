-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 8/8: drop the sync trigger and the old column posts.created
-- Lint: ban-drop-default is expected here: the default moves back to created.
-- squawk-ignore-file ban-drop-default
-- Lint: renaming-object is expected here: the copies get their temporary names back.
-- squawk-ignore-file renaming-object
-- golang-migrate migration rename_posts_created_to_created_at_8f_drop_the_sync_trigger_and_the_old (part 6 of 12 of step 8: roll the parts of a step back together).
-- Runs outside a transaction: each statement commits on its own.

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
