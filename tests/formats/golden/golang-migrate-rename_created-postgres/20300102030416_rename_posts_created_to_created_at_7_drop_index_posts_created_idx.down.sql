-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 7/8: drop index posts_created_idx on the old column concurrently
-- golang-migrate migration rename_posts_created_to_created_at_7_drop_index_posts_created_idx.
-- Runs outside a transaction: each statement commits on its own.

CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_created_idx"
    ON "posts" ("created");
