-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 2/8: backfill posts.created_at in batches of about 50 ms (up to 10000 rows)
-- This step changes no structure that needs undoing.
-- golang-migrate migration rename_posts_created_to_created_at_2b_backfill_posts_created_at_in (part 2 of 2 of step 2: roll the parts of a step back together).

-- Nothing to do in this direction for this part of the step.
