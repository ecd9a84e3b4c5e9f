-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- UP step 7/8: drop index posts_created_idx on the old column concurrently
-- Deploy: Before: deploy code that reads and writes only created_at.
-- golang-migrate migration rename_posts_created_to_created_at_7_drop_index_posts_created_idx.
-- Runs outside a transaction: each statement commits on its own.

DROP INDEX CONCURRENTLY IF EXISTS "posts_created_idx";
