-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 6/8: copy index posts_created_idx onto created_at
-- Deploy: No code change.
-- golang-migrate migration rename_posts_created_to_created_at_6b_copy_index_posts_created_idx (part 2 of 3 of step 6: roll the parts of a step back together).
-- Runs outside a transaction: each statement commits on its own.

CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_created_at_idx"
    ON "posts" ("created_at");
