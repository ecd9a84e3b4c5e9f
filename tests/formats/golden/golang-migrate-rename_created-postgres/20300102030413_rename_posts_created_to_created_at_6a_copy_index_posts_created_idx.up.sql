-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 6/8: copy index posts_created_idx onto created_at
-- Deploy: No code change.
-- golang-migrate migration rename_posts_created_to_created_at_6a_copy_index_posts_created_idx (part 1 of 3 of step 6: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '10min';

SET LOCAL statement_timeout = '10min';

-- Preconditions: stop here, changing nothing, if the database is not as planned.
DO $check$
BEGIN
  IF to_regclass('"posts"') IS NULL THEN
    RAISE EXCEPTION 'migsmith precondition failed: table posts does not exist';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = to_regclass('"posts"') AND ic.relname = 'posts_created_at_idx'
             AND NOT i.indisvalid) THEN
    RAISE EXCEPTION 'migsmith precondition failed: index posts_created_at_idx exists but is INVALID (an earlier build failed part way): run DROP INDEX CONCURRENTLY "posts_created_at_idx"; then re-run this step';
  END IF;
END
$check$;

COMMIT;
