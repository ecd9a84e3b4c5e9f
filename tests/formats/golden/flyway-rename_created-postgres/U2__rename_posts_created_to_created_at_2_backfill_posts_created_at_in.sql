-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 2/8: backfill posts.created_at in batches of about 50 ms (up to 10000 rows)
-- This step changes no structure that needs undoing.
-- flyway migration rename_posts_created_to_created_at_2_backfill_posts_created_at_in.

-- Nothing to do in this direction for this part of the step.
