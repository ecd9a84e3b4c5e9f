-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 8/8: drop the sync trigger and the old column posts.created
-- Lint: ban-drop-default is expected here: the default moves back to created.
-- squawk-ignore-file ban-drop-default
-- Lint: renaming-object is expected here: the copies get their temporary names back.
-- squawk-ignore-file renaming-object
-- golang-migrate migration rename_posts_created_to_created_at_8h_drop_sync_trigger (part 8 of 11 of step 8: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

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

COMMIT;
