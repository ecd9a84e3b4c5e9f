-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 8/8: drop the sync trigger and the old column posts.created
-- Lint: ban-drop-default is expected here: the default moves back to created.
-- squawk-ignore-file ban-drop-default
-- Lint: renaming-object is expected here: the copies get their temporary names back.
-- squawk-ignore-file renaming-object
-- golang-migrate migration rename_posts_created_to_created_at_8i_drop_sync_trigger (part 9 of 11 of step 8: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '200ms';

SET LOCAL statement_timeout = '60s';

-- The column comes back online: bare first, then the dual-write trigger (so no write is missed
-- while the values are copied back in batches), then NOT NULL and the default.
ALTER TABLE "posts" ADD COLUMN IF NOT EXISTS "created" timestamp without time zone;

COMMIT;
