-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 6/8: copy index posts_created_idx onto created_at
-- golang-migrate migration rename_posts_created_to_created_at_6c_copy_index_posts_created_idx (part 3 of 3 of step 6: roll the parts of a step back together).
-- Runs outside a transaction: each statement commits on its own.

DROP INDEX CONCURRENTLY IF EXISTS "posts_created_at_idx";
