-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 7/8: drop index posts_created_idx on the old column concurrently
-- flyway migration rename_posts_created_to_created_at_7_drop_index_posts_created_idx_on_the.
-- Runs outside a transaction: each statement commits on its own.

SET lock_timeout = '60s';

SET statement_timeout = '60s';

CREATE INDEX CONCURRENTLY IF NOT EXISTS "posts_created_idx"
    ON "posts" ("created");

RESET lock_timeout;

RESET statement_timeout;
