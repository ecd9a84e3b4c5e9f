-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 4/8: validate the NOT NULL check on posts (scans, does not block)
-- This step changes no structure that needs undoing.
-- golang-migrate migration rename_posts_created_to_created_at_4_validate_not_null_check_on_posts.

-- Nothing to do in this direction for this part of the step.
