-- migsmith: rename_posts_created_to_created_at (2030-01-02)
-- Rename posts.created to created_at without downtime.
-- DOWN step 6/8: copy index posts_created_idx onto created_at
-- golang-migrate migration rename_posts_created_to_created_at_6a_copy_index_posts_created_idx (part 1 of 3 of step 6: roll the parts of a step back together).

-- Nothing to do in this direction for this part of the step.
