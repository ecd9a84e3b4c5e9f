-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 6/8: copy index posts_created_idx onto created_at
-- flyway migration rename_posts_created_to_created_at_6_copy_index_posts_created_idx_onto.
-- Runs outside a transaction: each statement commits on its own.

SET lock_timeout = '10min';

SET statement_timeout = '10min';

DROP INDEX CONCURRENTLY IF EXISTS "posts_created_at_idx";

RESET lock_timeout;

RESET statement_timeout;
