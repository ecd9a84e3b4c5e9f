-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 6/8: copy index posts_created_idx onto created_at
-- Deploy: No code change.
-- golang-migrate migration rename_posts_created_to_created_at_6c_copy_index_posts_created_idx (part 3 of 3 of step 6: roll the parts of a step back together).
-- Runs in one transaction (its own BEGIN/COMMIT).

BEGIN;

SET LOCAL lock_timeout = '10min';

SET LOCAL statement_timeout = '10min';

-- Fresh statistics so the planner starts using the new index at once.
ANALYZE "posts";

COMMIT;
