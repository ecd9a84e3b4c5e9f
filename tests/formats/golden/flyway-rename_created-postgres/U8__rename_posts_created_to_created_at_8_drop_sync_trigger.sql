-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 8/8: drop the sync trigger and the old column posts.created
-- Lint: ban-drop-default is expected here: the default moves back to created.
-- squawk-ignore-file ban-drop-default
-- Lint: renaming-object is expected here: the copies get their temporary names back.
-- squawk-ignore-file renaming-object
-- flyway migration rename_posts_created_to_created_at_8_drop_sync_trigger.
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

CREATE OR REPLACE TRIGGER "posts_created_created_at_sync_trg" BEFORE INSERT OR UPDATE ON "posts"
    FOR EACH ROW EXECUTE FUNCTION "posts_created_created_at_sync"();

DO $backfill$
DECLARE
  lo_1 "posts"."id"%TYPE;
  hi_1 "posts"."id"%TYPE;
  max_key "posts"."id"%TYPE;
  size     bigint := 1000;
  first    boolean := true;
  n        bigint;
  updated  bigint := 0;
  batches  bigint := 0;
  retries  int := 0;
  blocked  int := 0;
  elapsed  float8 := 0;
  wait     float8;
  lag      float8;
  waited   int;
  started  timestamptz;
  began    timestamptz := clock_timestamp();
  noticed  timestamptz := clock_timestamp();
  unknown  text;
  resume   text := nullif(current_setting('migsmith.resume_after', true), '');
  app_name text := current_setting('application_name');
BEGIN
  -- Row triggers on UPDATE that this plan did not know of would fire for every row written.
  SELECT string_agg(format('%s (%s UPDATE, function %s)', name, timing, fn), ', ') INTO unknown
    FROM (SELECT t.tgname::text, CASE WHEN t.tgtype & 2 <> 0 THEN 'before' ELSE 'after' END,
                 p.oid::regproc::text,
                 ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) k
                        JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k),
                 CASE WHEN l.lanname IN ('plpgsql', 'sql') THEN p.prosrc END
            FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_language l ON l.oid = p.prolang
           WHERE t.tgrelid = to_regclass('"posts"') AND NOT t.tgisinternal
             AND t.tgtype & 1 <> 0 AND t.tgtype & 16 <> 0 AND t.tgenabled IN ('O', 'A')
             AND (cardinality(t.tgattr::int2[]) = 0 OR EXISTS (
                  SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.tgrelid
                     AND a.attnum = ANY(t.tgattr::int2[]) AND a.attname = 'created'))
           ORDER BY t.tgname) trg(name, timing, fn, cols, body)
   WHERE name <> ALL (ARRAY['posts_created_created_at_sync_trg', 'zz_posts_created_migsmith_keep']::text[]);
  IF unknown IS NOT NULL AND coalesce(current_setting('migsmith.backfill_triggers', true), '') <> 'fire' THEN
    RAISE EXCEPTION 'migsmith backfill posts.created: the table has row triggers this plan does not know of: %; they would fire for every row the backfill writes', unknown
      USING HINT = 'plan again against this database (migsmith backfill --db URL SPEC.json reads its triggers), or SET migsmith.backfill_triggers = ''fire''; to let them fire';
  END IF;
  PERFORM set_config('migsmith.backfill', 'posts.created', false);
  SELECT min("id") - 1, max("id") INTO lo_1, max_key FROM "posts";
  first := false;
  IF resume IS NOT NULL THEN
    lo_1 := resume;
    first := false;
  END IF;
  LOOP
    EXIT WHEN lo_1 IS NULL OR lo_1 >= max_key;
    hi_1 := least(lo_1 + size, max_key);
    started := clock_timestamp();
    BEGIN
      UPDATE "posts" SET "created" = "created_at"
       WHERE "id" > lo_1 AND "id" <= hi_1
         AND "created" IS DISTINCT FROM ("created_at");
      GET DIAGNOSTICS n = ROW_COUNT;
      -- while this batch still holds its row locks: does anyone wait on them?
      SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pg_backend_pid() = ANY(pg_blocking_pids(pid))
        INTO blocked;
    EXCEPTION WHEN lock_not_available THEN
      -- a client holds a lock on a row of this batch: step back instead of queueing behind it
      retries := retries + 1;
      IF retries > 50 THEN
        RAISE EXCEPTION 'migsmith backfill posts.created: gave up after % lock timeouts in a row; resume after %', retries - 1, lo_1::text;
      END IF;
      size := least(10000, greatest(100, floor((size)::float8 * CASE WHEN 1 > 0 THEN 0.5 ELSE least(1.5, greatest(0.5, (50)::float8 / greatest((elapsed)::float8, 1.0))) END + 0.5)));
      PERFORM pg_sleep(least(0.05 * retries, 2));
      CONTINUE;
    END;
    COMMIT;
    elapsed := extract(epoch FROM clock_timestamp() - started) * 1000;
    retries := 0;
    updated := updated + n;
    batches := batches + 1;
    first := false;
    lo_1 := hi_1;
    wait := greatest(0.0, CASE WHEN blocked > 0 THEN elapsed ELSE 0 END);
    size := least(10000, greatest(100, floor((size)::float8 * CASE WHEN blocked > 0 THEN 0.5 ELSE least(1.5, greatest(0.5, (50)::float8 / greatest((elapsed)::float8, 1.0))) END + 0.5)));
    PERFORM set_config('application_name', left(format('migsmith backfill after %s: posts.created', lo_1::text), 63), false);
    IF clock_timestamp() - noticed > interval '5 seconds' THEN
      RAISE NOTICE 'migsmith backfill posts.created: % rows updated, % rows/s, next batch %, resume after %', updated,
        round(updated / greatest(extract(epoch FROM clock_timestamp() - began), 0.001)), size, lo_1::text;
      noticed := clock_timestamp();
    END IF;
    waited := 0;
    LOOP
      SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication
        INTO lag;
      EXIT WHEN lag <= 10 OR waited >= 600;
      PERFORM pg_sleep(1);
      waited := waited + 1;
    END LOOP;
    IF wait > 0 THEN
      PERFORM pg_sleep(wait / 1000);
    END IF;
  END LOOP;
  PERFORM set_config('migsmith.backfill', '', false);
  PERFORM set_config('application_name', app_name, false);
  RAISE NOTICE 'migsmith backfill posts.created: done, % rows updated in % batches', updated, batches;
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
